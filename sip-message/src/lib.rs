//! Zero-copy parser and serializer of SIP messages, URIs and typed headers
//! (RFC 3261 §7, §19, §20, §25).

mod error;
mod grammar;
pub mod header;
mod limits;
mod method;
mod params;
mod text;
pub mod uri;

pub use error::{Error, Result};
pub use grammar::{quote, unquote};
pub use header::{
    Contact, From, HeaderName, NameAddr, PAssertedIdentity, Path, RecordRoute, ReferTo, ReferredBy,
    ReplyTo, Route, ServiceRoute, To, TypedHeader,
};
pub use limits::{Limit, Limits};
pub use method::Method;
pub use params::{Param, Params};
pub use text::ByteStr;
pub use uri::{AbsoluteUri, Host, SipUri, TelUri, Uri};
