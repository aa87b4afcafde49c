//! The outcome of a completed offer/answer exchange.

use std::borrow::Cow;
use std::net::IpAddr;

use crate::attribute::Direction;
use crate::negotiation::TelephoneEvent;

/// What was agreed for every m-line, in m-line order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NegotiatedSession {
    /// One entry per m-line.
    pub streams: Vec<NegotiatedStream>,
}

/// The outcome for one m-line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NegotiatedStream {
    /// Media flows (or is negotiated but on hold: see [`ActiveStream::direction`]).
    Active(ActiveStream),
    /// Rejected or disabled with port 0 (RFC 3264 §6, §8.2).
    Rejected {
        /// Media type of the m-line.
        media: Cow<'static, str>,
    },
}

/// Everything an RTP session needs to start for one negotiated stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveStream {
    /// Media type (`audio`, `video`).
    pub media: Cow<'static, str>,
    /// Local RTP port.
    pub local_port: u16,
    /// Where to send RTP.
    pub remote_address: IpAddr,
    /// Remote RTP port.
    pub remote_port: u16,
    /// Remote RTCP port from `a=rtcp` (RFC 3605), if given; else RTP port + 1.
    pub remote_rtcp_port: Option<u16>,
    /// Whether RTCP shares the RTP port (RFC 5761): both descriptions carry `a=rtcp-mux`
    /// (add [`Attribute::RtcpMux`](crate::Attribute::RtcpMux) to
    /// [`StreamConfig::extra_attributes`](crate::StreamConfig::extra_attributes) to offer it).
    pub rtcp_mux: bool,
    /// The codec to send with (the first agreed one).
    pub codec: NegotiatedCodec,
    /// Every agreed codec, in the answer's order (the first is [`codec`](Self::codec)).
    pub codecs: Vec<NegotiatedCodec>,
    /// Agreed telephone events, with the payload type to send them with.
    pub telephone_event: Option<TelephoneEvent>,
    /// This side's direction: whether it sends and whether it receives.
    pub direction: Direction,
    /// Packet time the peer asked for (`a=ptime`), in milliseconds.
    pub ptime: Option<u32>,
}

/// A codec both sides agreed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NegotiatedCodec {
    /// Payload type to put in RTP packets sent to the peer (the number in the peer's
    /// description, RFC 3264 §5.1).
    pub payload_type: u8,
    /// Encoding name (this side's spelling).
    pub name: Cow<'static, str>,
    /// Clock rate in Hz.
    pub clock_rate: u32,
    /// Channels, if given.
    pub channels: Option<u16>,
    /// Agreed format parameters, if any.
    pub fmtp: Option<Cow<'static, str>>,
}

impl NegotiatedStream {
    /// The stream's parameters if it was accepted.
    pub fn active(&self) -> Option<&ActiveStream> {
        match self {
            Self::Active(a) => Some(a),
            Self::Rejected { .. } => None,
        }
    }

    /// Media type of the m-line.
    pub fn media(&self) -> &str {
        match self {
            Self::Active(a) => &a.media,
            Self::Rejected { media } => media,
        }
    }
}

impl ActiveStream {
    /// Whether this side should send RTP.
    pub fn sends(&self) -> bool {
        self.direction.sends()
    }

    /// Whether this side should expect RTP.
    pub fn receives(&self) -> bool {
        self.direction.receives()
    }
}
