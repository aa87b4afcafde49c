//! RTP and RTCP (RFC 3550) for the SIP stack: packets, a sans-IO session with receiver
//! statistics and RTCP scheduling, G.711, DTMF events (RFC 4733) and an adaptive jitter
//! buffer.
//!
//! # What it does
//!
//! - [`packet`]: RTP packets (§5.1) parsed into a borrowing, validated view and built into a
//!   caller buffer; RFC 8285 one-byte and two-byte header extensions; padding checked.
//! - [`rtcp`]: compound RTCP (§6) with SR, RR, SDES (every item type), BYE, APP, RFC 4585
//!   generic NACK and PLI, RFC 5104 FIR; RFC 3550 A.2 validation; RFC 5506 reduced-size RTCP.
//! - [`Session`]: the sans-IO RTP session: SSRC, sequence number and timestamp from a seeded
//!   RNG; receiver statistics exactly per A.1 (probation, extended sequence numbers), A.3
//!   (loss) and A.8 (jitter); RTT from LSR/DLSR; RTCP timing per §6.3 and A.7 (randomised,
//!   5 % of the session bandwidth, sender/receiver split, reconsideration, reverse
//!   reconsideration, BYE reconsideration); SR/RR + SDES CNAME reports; BYE on close; SSRC
//!   collision and loop handling (§8.2); member and sender timeouts (§6.3.5); RFC 4733 DTMF
//!   sending and reception; a [`JitterBuffer`] per remote source.
//! - [`g711`]: µ-law and A-law, bit exact with ITU-T G.191; [`payload_type`]: the RFC 3551
//!   static payload types; [`tone`]: a sine generator; [`dtmf`]: RFC 4733 events.
//!
//! # What it does not do
//!
//! No sockets or clocks outside the optional `tokio` adapter module; no SRTP, no
//! SDP (see the `sdp` crate), no codecs besides G.711, no RFC 2198 redundancy, no RTP
//! translators or mixers.
//!
//! # Drive loop
//!
//! The [`Session`] takes packets and the current `Instant` in and hands out packets, timers,
//! events and media in playout order (see the [`session`] module for the full loop):
//!
//! ```
//! use std::net::SocketAddr;
//! use std::time::{Duration, Instant};
//! use rtp::{g711, tone::ToneGenerator, Channel, Event, Playout, Session, SessionConfig};
//!
//! let t0 = Instant::now();
//! let mut config = SessionConfig::default(); // PCMU, 8 kHz, 20 ms
//! config.rng_seed = Some([7; 32]);           // reproducible SSRC, sequence, timestamps
//! let mut alice = Session::new(config.clone(), t0);
//! config.rng_seed = Some([8; 32]);
//! let mut bob = Session::new(config, t0);
//! let alice_addr: SocketAddr = "192.0.2.1:40000".parse().unwrap();
//!
//! // Alice sends one second of a 440 Hz tone; the network delays every packet by 30 ms.
//! let mut tone = ToneGenerator::new(440.0, 8000, 8000);
//! let mut played = Vec::new();
//! for i in 0..50u32 {
//!     let now = t0 + Duration::from_millis(20 * u64::from(i));
//!     let mut pcm = [0i16; 160];
//!     tone.fill(&mut pcm);
//!     let mut frame = [0u8; 160];
//!     g711::encode_ulaw(&pcm, &mut frame);
//!     alice.send_rtp(now, &frame, i == 0)?;
//!     while let Some(t) = alice.poll_transmit() {
//!         assert_eq!(t.channel, Channel::Rtp);
//!         bob.handle_rtp(now + Duration::from_millis(30), alice_addr, t.payload);
//!     }
//!     while let Some((_, p)) = bob.poll_playout(now + Duration::from_millis(30)) {
//!         played.push(p);
//!     }
//! }
//! // Drain the jitter buffer, then check what Bob learned.
//! while let Some((_, p)) = bob.poll_playout(t0 + Duration::from_secs(2)) {
//!     played.push(p);
//! }
//! assert_eq!(played.len(), 50);
//! assert!(played.iter().all(|p| matches!(p, Playout::Packet(_))));
//! assert_eq!(bob.poll_event(), Some(Event::NewSource { ssrc: alice.ssrc() }));
//! let stats = bob.source_statistics(alice.ssrc()).unwrap();
//! assert_eq!((stats.cumulative_lost(), stats.jitter()), (0, 0));
//!
//! // The RTCP timer: the first report is due 1.03-3.08 s after the start (§6.2, A.7);
//! // reconsideration may move it once more.
//! let report = loop {
//!     let due = alice.poll_timeout().unwrap();
//!     alice.handle_timeout(due);
//!     if let Some(t) = alice.poll_transmit() {
//!         break t;
//!     }
//! };
//! assert_eq!(report.channel, Channel::Rtcp);
//! # Ok::<(), rtp::Error>(())
//! ```
//!
//! # Crate features
//!
//! - `tokio` (off by default): the `tokio` module's `RtpSocket`, a UDP adapter
//!   that drives a [`Session`] on an RTP/RTCP socket pair or one rtcp-mux socket.
//!
//! # Errors and limits
//!
//! One error type, [`Error`]. Parsers never panic and never allocate from input lengths;
//! the session bounds its remote sources ([`SessionConfig::max_sources`]) and every jitter
//! buffer ([`JitterBufferConfig::capacity`]). Network input never returns an error: bad
//! packets are counted in [`SessionStats`] and dropped.

#![forbid(unsafe_code)]
pub mod dtmf;
mod error;
pub mod g711;
pub mod jitter_buffer;
pub mod packet;
pub mod payload_type;
pub mod rtcp;
pub mod session;
#[cfg(feature = "tokio")]
pub mod tokio;
pub mod tone;

pub use error::{Error, Result};
pub use jitter_buffer::{
    InsertOutcome, JitterBuffer, JitterBufferConfig, JitterBufferStats, MediaPacket, Playout,
};
pub use packet::{RtpPacket, RtpPacketBuilder};
pub use session::{
    Channel, Event, Session, SessionConfig, SessionStats, SourceStatistics, Transmit,
};
