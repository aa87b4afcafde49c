//! RTP and RTCP (RFC 3550) for the SIP stack: packets, a sans-IO session, G.711, DTMF events
//! (RFC 4733) and an adaptive jitter buffer.

pub mod dtmf;
mod error;
pub mod g711;
pub mod packet;
pub mod payload_type;
pub mod rtcp;
pub mod tone;

pub use error::{Error, Result};
pub use packet::{RtpPacket, RtpPacketBuilder};
pub mod jitter_buffer;
pub use jitter_buffer::{
    InsertOutcome, JitterBuffer, JitterBufferConfig, JitterBufferStats, MediaPacket, Playout,
};
pub mod session;
pub use session::{
    Channel, Event, Session, SessionConfig, SessionStats, SourceStatistics, Transmit,
};
#[cfg(feature = "tokio")]
pub mod tokio;
