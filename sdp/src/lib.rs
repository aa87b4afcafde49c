//! SDP session descriptions (RFC 8866), the offer/answer model (RFC 3264) and SAP (RFC 2974).
//!
//! - [`Sdp::parse`] reads a description from bytes without copying: every text field of the
//!   resulting [`SessionDescription`] borrows from the input, and an untouched [`Sdp`]
//!   serializes back to the input byte for byte. CRLF and LF line ends are both accepted.
//! - [`SessionDescription`] is a plain model with public fields, built by hand or by the
//!   [`OfferAnswer`] engine, and written with [`SessionDescription::write_to`] (CRLF).
//! - [`OfferAnswer`] is a sans-IO RFC 3264 negotiation: it never touches a socket or a
//!   clock; it turns local capabilities and remote descriptions into local descriptions and,
//!   once an exchange completes, a [`NegotiatedSession`] per stream.
//! - [`sap`] encodes and decodes SAP announcement packets.
//!
//! This crate does not send or receive anything and knows nothing of SIP: a SIP body is bytes
//! plus a `Content-Type`.
//!
//! # Example
//!
//! ```
//! use std::net::{IpAddr, Ipv4Addr};
//! use sdp::{Codec, OfferAnswer, SessionConfig, Sdp, StreamConfig};
//!
//! let ip = |d| IpAddr::V4(Ipv4Addr::new(192, 0, 2, d));
//! // Alice offers PCMU and PCMA with telephone-event.
//! let mut alice = OfferAnswer::new(
//!     SessionConfig::new("alice", 1, ip(1)),
//!     vec![StreamConfig::audio(ip(1), 49170, vec![Codec::pcmu(), Codec::pcma()])],
//! );
//! let offer = alice.create_offer()?.to_vec();
//!
//! // Bob only speaks PCMA.
//! let mut bob = OfferAnswer::new(
//!     SessionConfig::new("bob", 2, ip(2)),
//!     vec![StreamConfig::audio(ip(2), 3456, vec![Codec::pcma()])],
//! );
//! let offer = Sdp::parse(&offer)?;
//! bob.set_remote_offer(&offer)?;
//! let answer = bob.create_answer()?.to_vec();
//!
//! let answer = Sdp::parse(&answer)?;
//! let session = alice.set_remote_answer(&answer)?;
//! let audio = session.streams[0].active().expect("audio accepted");
//! assert_eq!(audio.codec.payload_type, 8);
//! assert_eq!(audio.remote_address, ip(2));
//! assert_eq!(audio.remote_port, 3456);
//! assert_eq!(audio.telephone_event.as_ref().map(|t| t.payload_type), Some(101));
//! # Ok::<(), sdp::Error>(())
//! ```
//!
//! # Design
//!
//! Parsing borrows (`Cow<'a, str>` fields) instead of taking `Bytes` slices: a slice of a
//! shared `Bytes` costs an atomic increment and decrement per field, which would dominate the
//! parse of a small description. [`SessionDescription::into_owned`] detaches a description
//! when it must outlive its buffer.
//!
//! Known attributes are typed ([`Attribute`]); a known attribute whose value does not match
//! its grammar, and every unknown one, stays [`Attribute::Other`] with its text unchanged.
//! Line-level errors (order, missing mandatory lines, malformed `o=`, `c=`, `m=`, an `a=`
//! name that is not a token …) are [`Error`]s carrying the line number.
//!
//! Typing is done on access: the parser keeps each section's run of `a=` lines
//! ([`Attributes`]) and the `m=` format list ([`Formats`]) as spans of the input, and
//! [`Attributes::iter`] or a lookup ([`Attributes::rtpmap`], [`MediaDescription::codec`], …)
//! types a line when it reaches it. Since typing never fails, nothing that the parser used to
//! refuse is now accepted, and every error is still reported by [`Sdp::parse`] with its line.
//! A parse is then mostly line splitting (and no allocation per attribute); a description
//! that is read many times can be typed once with [`Attributes::to_mut`]. Serializing an
//! untouched run writes its lines as read (CRLF line ends).
//!
//! # Driving the offer/answer engine
//!
//! ```text
//! offerer                                answerer
//! create_offer() ──── SDP in INVITE ───▶ set_remote_offer(&offer)
//!                                        (optionally add_stream / stream_mut)
//! set_remote_answer(&answer) ◀── SDP ─── create_answer()
//! negotiated()                           negotiated()
//! ```
//!
//! Either side may re-offer later from the stable state; [`OfferAnswer::rollback`] abandons an
//! exchange (a refused offer, glare). Nothing here reads a clock or draws random numbers: the
//! `o=` session id comes from [`SessionConfig::session_id`].
//!
//! # Limits and deliberate restrictions
//!
//! - Input must be UTF-8 (the RFC 8866 default): bytes that are not are refused with
//!   [`Error::InvalidUtf8`], so `a=charset` with another encoding works for ASCII text only.
//! - Line order is enforced as RFC 8866 §5 requires, unless
//!   [`ParserConfig::allow_unordered_lines`] is set; unknown line types are refused (§5).
//! - [`ParserConfig`] bounds size, lines, media sections and attributes.
//! - The answerer negotiates RTP streams only; other protocols (data channels, T.38 UDPTL)
//!   are answered with port 0, as are streams whose remote address is an FQDN.
//!
//! # Features
//!
//! None: the crate has no optional parts.

#![forbid(unsafe_code)]
mod attribute;
mod attributes;
mod description;
mod error;
mod formats;
mod negotiation;
mod parse;
mod payload;
pub mod sap;
mod text;
mod write;

pub use attribute::{
    Attribute, Candidate, Crypto, Direction, Fingerprint, Fmtp, Group, Rtcp, RtpMap, Setup, Ssrc,
};
pub use attributes::{Attributes, Iter as AttributesIter};
pub use description::{
    Bandwidth, Connection, MediaDescription, Origin, PayloadCodec, Repeat, SessionDescription,
    TimeUnit, Timing, TypedTime, ZoneAdjustment,
};
pub use error::Error;
pub use formats::Formats;
pub use negotiation::{
    ActiveStream, Codec, CodecOrder, NegotiatedCodec, NegotiatedSession, NegotiatedStream,
    OfferAnswer, SessionConfig, SignalingState, StreamConfig, TelephoneEvent,
};
pub use parse::{ParserConfig, Sdp};
pub use payload::StaticPayload;
