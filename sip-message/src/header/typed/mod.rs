//! Typed headers: one type per header, parsed from a field value on demand
//! ([`Message::typed`](crate::Message::typed)) and written back in canonical form.

mod call_id;
mod content_length;
mod cseq;
mod max_forwards;
mod via;

pub use call_id::CallId;
pub use content_length::ContentLength;
pub use cseq::CSeq;
pub use max_forwards::MaxForwards;
pub use via::Via;
//! Typed headers: one file per header (or per family of headers sharing one grammar).

mod contact;
mod from;
mod p_asserted_identity;
mod refer_to;
mod referred_by;
mod reply_to;
mod route;
mod to;

pub use contact::Contact;
pub use from::From;
pub use p_asserted_identity::PAssertedIdentity;
pub use refer_to::ReferTo;
pub use referred_by::ReferredBy;
pub use reply_to::ReplyTo;
pub use route::{Path, RecordRoute, Route, ServiceRoute};
pub use to::To;
