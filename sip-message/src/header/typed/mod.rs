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
mod product;
mod proxy_require;
mod require;
mod retry_after;
mod rseq;
mod server;
mod supported;
mod timestamp;
mod unsupported;
mod user_agent;

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
pub use product::{ProductItem, ProductItems};
pub use proxy_require::ProxyRequire;
pub use require::Require;
pub use retry_after::RetryAfter;
pub use rseq::RSeq;
pub use server::Server;
pub use supported::Supported;
pub use timestamp::Timestamp;
pub use unsupported::Unsupported;
pub use user_agent::UserAgent;
