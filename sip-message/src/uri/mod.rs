//! URIs: `sip`, `sips`, `tel` and other absolute URIs (RFC 3261 §19, RFC 3966).

mod host;

pub use host::Host;
