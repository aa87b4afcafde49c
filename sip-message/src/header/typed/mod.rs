//! Typed headers: one file per header (or per family), each implementing
//! [`TypedHeader`](crate::TypedHeader) and `Display`.

pub(crate) mod support;

mod accept;
mod allow;
mod allow_events;
mod auth;
mod authentication_info;
mod authorization;
mod content_encoding;
mod content_type;
mod date;
mod event;
mod expires;
mod media_type;
mod min_expires;
mod min_se;
mod product;
mod proxy_authenticate;
mod proxy_authorization;
mod proxy_require;
mod rack;
mod reason;
mod replaces;
mod require;
mod retry_after;
mod rseq;
mod server;
mod session_expires;
mod subscription_state;
mod supported;
mod timestamp;
mod unsupported;
mod user_agent;
mod warning;
mod www_authenticate;

pub use accept::Accept;
pub use allow::Allow;
pub use allow_events::AllowEvents;
pub use auth::{
    Algorithm, Challenge, Credentials, DigestChallenge, DigestCredentials, OtherScheme, Qop,
};
pub use authentication_info::AuthenticationInfo;
pub use authorization::Authorization;
pub use content_encoding::ContentEncoding;
pub use content_type::ContentType;
pub use date::{Date, Month, Weekday};
pub use event::Event;
pub use expires::Expires;
pub use media_type::MediaType;
pub use min_expires::MinExpires;
pub use min_se::MinSe;
pub use product::{ProductItem, ProductItems};
pub use proxy_authenticate::ProxyAuthenticate;
pub use proxy_authorization::ProxyAuthorization;
pub use proxy_require::ProxyRequire;
pub use rack::RAck;
pub use reason::Reason;
pub use replaces::Replaces;
pub use require::Require;
pub use retry_after::RetryAfter;
pub use rseq::RSeq;
pub use server::Server;
pub use session_expires::{Refresher, SessionExpires};
pub use subscription_state::{SubState, SubscriptionState};
pub use supported::Supported;
pub use timestamp::Timestamp;
pub use unsupported::Unsupported;
pub use user_agent::UserAgent;
pub use warning::{WarnAgent, Warning};
pub use www_authenticate::WwwAuthenticate;
