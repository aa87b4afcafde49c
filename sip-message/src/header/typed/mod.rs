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
