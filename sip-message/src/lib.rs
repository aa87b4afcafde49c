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
    Accept, Algorithm, Allow, AllowEvents, AuthenticationInfo, Authorization, Challenge,
    ContentEncoding, ContentType, Credentials, Date, DigestChallenge, DigestCredentials, Event,
    Expires, MediaType, MinExpires, MinSe, Month, OtherScheme, ProductItem, ProductItems,
    ProxyAuthenticate, ProxyAuthorization, ProxyRequire, Qop, RAck, RSeq, Reason, Refresher,
    Replaces, Require, RetryAfter, Server, SessionExpires, SubState, SubscriptionState, Supported,
    Timestamp, Unsupported, UserAgent, WarnAgent, Warning, Weekday, WwwAuthenticate,
};
pub use header::{HeaderName, TypedHeader};
pub use limits::{Limit, Limits};
pub use method::Method;
pub use params::{Param, Params};
pub use text::ByteStr;
pub use uri::Host;
