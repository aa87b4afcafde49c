//! Local capabilities: what the offer/answer engine may offer and accept.

use std::borrow::Cow;
use std::net::IpAddr;

use crate::attribute::{Attribute, Direction};
use crate::payload::StaticPayload;

/// A codec this side can use (RFC 3264 §5.1: "codecs with clock rate, channels, fmtp").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Codec {
    /// Encoding name, compared case-insensitively (`PCMU`, `opus`).
    pub name: Cow<'static, str>,
    /// RTP clock rate in Hz.
    pub clock_rate: u32,
    /// Channels (`None` means 1 for audio).
    pub channels: Option<u16>,
    /// Format parameters this side wants (`a=fmtp`), if any. For G.729, `annexb=no` disables
    /// Annex B (RFC 4856 §2.1.9).
    pub fmtp: Option<Cow<'static, str>>,
    /// Payload type to use in offers. `None`: the RFC 3551 static type if there is one, else
    /// a free dynamic type (96–127).
    pub payload_type: Option<u8>,
}

/// RFC 4733 telephone events (DTMF) offered or negotiated beside a codec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelephoneEvent {
    /// Payload type (dynamic).
    pub payload_type: u8,
    /// Clock rate; should match the audio codec's (RFC 4733 §2.1).
    pub clock_rate: u32,
    /// Supported events as in `a=fmtp`, e.g. `0-16` (RFC 4733 §2.4.1).
    pub events: Cow<'static, str>,
}

/// One stream (m-line) this side offers or is willing to answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamConfig {
    /// Media type (`audio`, `video`).
    pub media: Cow<'static, str>,
    /// Transport protocol (`RTP/AVP`).
    pub protocol: Cow<'static, str>,
    /// Local address to receive on.
    pub address: IpAddr,
    /// Local RTP port; 0 disables the stream.
    pub port: u16,
    /// Codecs in order of preference.
    pub codecs: Vec<Codec>,
    /// Telephone events, if supported.
    pub telephone_event: Option<TelephoneEvent>,
    /// Wanted direction when not on hold.
    pub direction: Direction,
    /// Whether this side has put the stream on hold (RFC 3264 §8.4): the offered direction
    /// loses its receive half (`sendrecv` → `sendonly`, `recvonly` → `inactive`).
    pub held: bool,
    /// Packet time to ask for, in milliseconds (`a=ptime`).
    pub ptime: Option<u32>,
    /// Maximum packet time, in milliseconds (`a=maxptime`).
    pub maxptime: Option<u32>,
    /// Whether the stream takes part; a disabled stream is offered or answered with port 0.
    pub enabled: bool,
    /// Further attributes copied into every offer and answer for this stream (ICE, crypto …).
    pub extra_attributes: Vec<Attribute<'static>>,
}

/// How an answer orders the codecs both sides support (RFC 3264 §6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CodecOrder {
    /// Keep the offerer's preference order (the RFC's recommendation).
    #[default]
    Offerer,
    /// Use this side's order from [`StreamConfig::codecs`].
    Answerer,
}

/// Session-wide settings of the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionConfig {
    /// `o=` user name (`-` for none).
    pub username: Cow<'static, str>,
    /// `o=` session id. Choose it at random (RFC 8866 §5.2); the engine takes no RNG.
    pub session_id: u64,
    /// `o=` version of the first description; later ones add 1 when content changes.
    pub session_version: u64,
    /// Address for `o=` and the session-level `c=` line.
    pub address: IpAddr,
    /// `s=` session name.
    pub session_name: Cow<'static, str>,
    /// Codec order in answers.
    pub codec_order: CodecOrder,
    /// Answer with only the first matching codec (plus telephone-event), sparing the
    /// offerer a second round (RFC 3264 §6.1 allows either).
    pub single_codec_answer: bool,
}

impl Codec {
    /// A codec with a name and clock rate, no channels, no fmtp, automatic payload type.
    pub fn new(name: impl Into<Cow<'static, str>>, clock_rate: u32) -> Self {
        Self {
            name: name.into(),
            clock_rate,
            channels: None,
            fmtp: None,
            payload_type: None,
        }
    }

    /// G.711 µ-law, payload type 0.
    pub fn pcmu() -> Self {
        Self::new("PCMU", 8000)
    }

    /// G.711 A-law, payload type 8.
    pub fn pcma() -> Self {
        Self::new("PCMA", 8000)
    }

    /// G.722, payload type 9 (RTP clock 8000, RFC 3551 §4.5.2).
    pub fn g722() -> Self {
        Self::new("G722", 8000)
    }

    /// G.729, payload type 18.
    pub fn g729() -> Self {
        Self::new("G729", 8000)
    }

    /// G.723, payload type 4.
    pub fn g723() -> Self {
        Self::new("G723", 8000)
    }

    /// GSM, payload type 3.
    pub fn gsm() -> Self {
        Self::new("GSM", 8000)
    }

    /// Opus (RFC 7587: always `opus/48000/2`).
    pub fn opus() -> Self {
        Self::new("opus", 48000).with_channels(2)
    }

    /// Sets the channel count.
    #[must_use]
    pub fn with_channels(mut self, channels: u16) -> Self {
        self.channels = Some(channels);
        self
    }

    /// Sets the format parameters.
    #[must_use]
    pub fn with_fmtp(mut self, fmtp: impl Into<Cow<'static, str>>) -> Self {
        self.fmtp = Some(fmtp.into());
        self
    }

    /// Sets the payload type used in offers.
    #[must_use]
    pub fn with_payload_type(mut self, payload_type: u8) -> Self {
        self.payload_type = Some(payload_type);
        self
    }

    /// The RFC 3551 static payload type for this codec, if any.
    pub fn static_payload_type(&self) -> Option<u8> {
        StaticPayload::find(&self.name, self.clock_rate, self.channels).map(|s| s.payload_type)
    }

    pub(crate) fn matches(&self, name: &str, clock_rate: u32, channels: Option<u16>) -> bool {
        // The numbers first: they rule out most pairs without a string comparison.
        self.clock_rate == clock_rate
            && self.channels.unwrap_or(1) == channels.unwrap_or(1)
            && crate::text::eq_ignore_case(&self.name, name)
    }
}

impl Default for TelephoneEvent {
    /// Payload type 101 at 8000 Hz, events `0-16` (DTMF digits and flash).
    fn default() -> Self {
        Self {
            payload_type: 101,
            clock_rate: 8000,
            events: Cow::Borrowed("0-16"),
        }
    }
}

impl StreamConfig {
    /// An `RTP/AVP` audio stream with the given codecs, telephone events at 101/8000,
    /// `sendrecv`, `a=ptime:20`.
    pub fn audio(address: IpAddr, port: u16, codecs: Vec<Codec>) -> Self {
        Self {
            media: Cow::Borrowed("audio"),
            protocol: Cow::Borrowed("RTP/AVP"),
            address,
            port,
            codecs,
            telephone_event: Some(TelephoneEvent::default()),
            direction: Direction::SendRecv,
            held: false,
            ptime: Some(20),
            maxptime: None,
            enabled: true,
            extra_attributes: Vec::new(),
        }
    }

    /// An `RTP/AVP` video stream with the given codecs, `sendrecv`.
    pub fn video(address: IpAddr, port: u16, codecs: Vec<Codec>) -> Self {
        Self {
            media: Cow::Borrowed("video"),
            telephone_event: None,
            ptime: None,
            ..Self::audio(address, port, codecs)
        }
    }

    /// The direction to offer or to answer with: [`direction`](Self::direction), minus
    /// receiving while [`held`](Self::held).
    pub fn effective_direction(&self) -> Direction {
        if self.held {
            self.direction.intersect(Direction::SendOnly)
        } else {
            self.direction
        }
    }

    pub(crate) fn is_active(&self) -> bool {
        self.enabled && self.port != 0
    }

    /// A disabled placeholder keeping the position of an m-line this side does not use.
    pub(crate) fn placeholder(
        media: Cow<'static, str>,
        protocol: Cow<'static, str>,
        address: IpAddr,
    ) -> Self {
        Self {
            media,
            protocol,
            telephone_event: None,
            ptime: None,
            enabled: false,
            ..Self::audio(address, 0, Vec::new())
        }
    }
}

impl SessionConfig {
    /// Settings with the given user name, session id (also the first version) and address;
    /// `s=-`, the offerer's codec order, all matching codecs in answers.
    pub fn new(username: impl Into<Cow<'static, str>>, session_id: u64, address: IpAddr) -> Self {
        Self {
            username: username.into(),
            session_id,
            session_version: session_id,
            address,
            session_name: Cow::Borrowed("-"),
            codec_order: CodecOrder::Offerer,
            single_codec_answer: false,
        }
    }
}
