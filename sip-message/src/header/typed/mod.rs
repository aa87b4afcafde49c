//! Typed headers: one file per header (or per family), each implementing
//! [`TypedHeader`](crate::TypedHeader) and `Display`.

pub(crate) mod support;

mod accept;
mod auth;
mod authentication_info;
mod authorization;
mod proxy_authenticate;
mod proxy_authorization;
mod www_authenticate;
mod allow;
mod allow_events;
mod content_encoding;
mod content_type;
mod event;
mod expires;
mod media_type;
mod min_expires;
mod proxy_require;
mod require;
mod rseq;
mod supported;
mod unsupported;

pub use accept::Accept;
pub use auth::{Algorithm, Challenge, Credentials, DigestChallenge, DigestCredentials, Qop};
pub use authentication_info::AuthenticationInfo;
pub use authorization::Authorization;
pub use proxy_authenticate::ProxyAuthenticate;
pub use proxy_authorization::ProxyAuthorization;
pub use www_authenticate::WwwAuthenticate;
pub use allow::Allow;
pub use allow_events::AllowEvents;
pub use content_encoding::ContentEncoding;
pub use content_type::ContentType;
pub use event::Event;
pub use expires::Expires;
pub use media_type::MediaType;
pub use min_expires::MinExpires;
pub use proxy_require::ProxyRequire;
pub use require::Require;
pub use rseq::RSeq;
pub use supported::Supported;
pub use unsupported::Unsupported;
