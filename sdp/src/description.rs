//! The session description model (RFC 8866 §5).
//!
//! Every text field is a `Cow<'a, str>`: a parsed description borrows from its input, a built
//! one owns its strings or points at `'static` ones. [`SessionDescription::into_owned`] detaches
//! a parsed description from its buffer.

use std::borrow::Cow;
use std::net::IpAddr;

use crate::attribute::{Attribute, Direction, RtpMap};
use crate::attributes::Attributes;
use crate::formats::Formats;

/// A complete session description: session-level lines and media sections (RFC 8866 §5).
///
/// Fields appear in the order the RFC requires them on the wire. Serialize with
/// [`write_to`](Self::write_to) or [`to_vec`](Self::to_vec); parse with [`crate::Sdp::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionDescription<'a> {
    /// `v=` protocol version (always 0 today).
    pub version: u32,
    /// `o=` originator and session identifier.
    pub origin: Origin<'a>,
    /// `s=` session name (`-` when there is none).
    pub session_name: Cow<'a, str>,
    /// `i=` session information.
    pub information: Option<Cow<'a, str>>,
    /// `u=` URI of description.
    pub uri: Option<Cow<'a, str>>,
    /// `e=` email addresses.
    pub emails: Vec<Cow<'a, str>>,
    /// `p=` phone numbers.
    pub phones: Vec<Cow<'a, str>>,
    /// Session-level `c=` line.
    pub connection: Option<Connection<'a>>,
    /// Session-level `b=` lines.
    pub bandwidths: Vec<Bandwidth<'a>>,
    /// One or more time descriptions (`t=`, `r=`, `z=`).
    pub times: Vec<Timing>,
    /// Session-level `k=` line (obsolete, kept verbatim).
    pub key: Option<Cow<'a, str>>,
    /// Session-level `a=` lines, in order.
    pub attributes: Attributes<'a>,
    /// Media sections, in order.
    pub media: Vec<MediaDescription<'a>>,
}

/// The `o=` line (RFC 8866 §5.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin<'a> {
    /// User name (`-` when none).
    pub username: Cow<'a, str>,
    /// Numeric session identifier.
    pub session_id: u64,
    /// Session version, incremented on every change (RFC 3264 §8).
    pub session_version: u64,
    /// Network type, `IN`.
    pub nettype: Cow<'a, str>,
    /// Address type, `IP4` or `IP6`.
    pub addrtype: Cow<'a, str>,
    /// Address or FQDN of the originating host.
    pub unicast_address: Cow<'a, str>,
}

/// A `c=` line (RFC 8866 §5.7).
///
/// For IPv4 multicast the address carries a TTL and optionally a number of addresses
/// (`224.2.1.1/127/3`); for IPv6 multicast only a number of addresses (`ff15::101/3`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection<'a> {
    /// Network type, `IN`.
    pub nettype: Cow<'a, str>,
    /// Address type, `IP4` or `IP6`.
    pub addrtype: Cow<'a, str>,
    /// The address (IP literal or FQDN), without the `/ttl/count` suffix.
    pub address: Cow<'a, str>,
    /// Multicast TTL (IPv4 only).
    pub ttl: Option<u8>,
    /// Number of consecutive multicast addresses.
    pub count: Option<u32>,
}

/// A `b=` line (RFC 8866 §5.8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bandwidth<'a> {
    /// Bandwidth type (`AS`, `CT`, `TIAS`, …).
    pub bwtype: Cow<'a, str>,
    /// Bandwidth value (kilobits per second for `AS` and `CT`).
    pub bandwidth: u64,
}

/// A time description: `t=` with its `r=` and `z=` lines (RFC 8866 §5.9–5.11).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Timing {
    /// Start time (NTP seconds; 0 = unbounded).
    pub start: u64,
    /// Stop time (NTP seconds; 0 = unbounded).
    pub stop: u64,
    /// `r=` repeat times.
    pub repeats: Vec<Repeat>,
    /// `z=` time zone adjustments.
    pub zone_adjustments: Vec<ZoneAdjustment>,
}

/// An `r=` line: repeat interval, active duration and offsets (RFC 8866 §5.10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    /// Repeat interval.
    pub interval: TypedTime,
    /// Active duration.
    pub duration: TypedTime,
    /// Offsets from the start time.
    pub offsets: Vec<TypedTime>,
}

/// One adjustment of a `z=` line (RFC 8866 §5.11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneAdjustment {
    /// NTP time at which the adjustment happens.
    pub time: u64,
    /// Whether the offset is negative.
    pub negative: bool,
    /// Size of the offset.
    pub offset: TypedTime,
}

/// A time value with an optional unit suffix (`d`, `h`, `m`, `s`), as in `r=7d 1h 0 25h`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypedTime {
    /// The number as written.
    pub value: u64,
    /// The unit suffix, if one was written.
    pub unit: Option<TimeUnit>,
}

/// Unit suffix of a [`TypedTime`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// `d`: days.
    Days,
    /// `h`: hours.
    Hours,
    /// `m`: minutes.
    Minutes,
    /// `s`: seconds.
    Seconds,
}

/// A media section: the `m=` line and the lines that follow it (RFC 8866 §5.14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaDescription<'a> {
    /// Media type (`audio`, `video`, `text`, `application`, `message`, …).
    pub media: Cow<'a, str>,
    /// Transport port; 0 rejects or disables the stream (RFC 3264 §6, §8.2).
    pub port: u16,
    /// Number of ports (`49170/2`).
    pub port_count: Option<u32>,
    /// Transport protocol (`RTP/AVP`, `UDP/TLS/RTP/SAVPF`, …).
    pub protocol: Cow<'a, str>,
    /// Media formats: RTP payload type numbers or protocol-specific tokens.
    pub formats: Formats<'a>,
    /// `i=` media title.
    pub information: Option<Cow<'a, str>>,
    /// Media-level `c=` lines.
    pub connections: Vec<Connection<'a>>,
    /// Media-level `b=` lines.
    pub bandwidths: Vec<Bandwidth<'a>>,
    /// Media-level `k=` line (obsolete, kept verbatim).
    pub key: Option<Cow<'a, str>>,
    /// Media-level `a=` lines, in order.
    pub attributes: Attributes<'a>,
}

/// What a payload type of a media section stands for: from its `a=rtpmap` or, for the
/// static types of RFC 3551, from the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayloadCodec<'s> {
    /// RTP payload type.
    pub payload_type: u8,
    /// Encoding name as written (`PCMU`, `opus`, `telephone-event`).
    pub encoding: &'s str,
    /// Clock rate in Hz.
    pub clock_rate: u32,
    /// Channels, if given (audio).
    pub channels: Option<u16>,
}

impl<'a> SessionDescription<'a> {
    /// A minimal description: `v=0`, the given origin, `s=-`, `t=0 0`, nothing else.
    pub fn new(origin: Origin<'a>) -> Self {
        Self {
            version: 0,
            origin,
            session_name: Cow::Borrowed("-"),
            information: None,
            uri: None,
            emails: Vec::new(),
            phones: Vec::new(),
            connection: None,
            bandwidths: Vec::new(),
            times: vec![Timing::default()],
            key: None,
            attributes: Attributes::new(),
            media: Vec::new(),
        }
    }

    /// The connection that applies to media section `index`: its own first `c=` line, else the
    /// session-level one (RFC 8866 §5.7).
    pub fn connection_for(&self, index: usize) -> Option<&Connection<'a>> {
        self.media
            .get(index)
            .and_then(|m| m.connections.first())
            .or(self.connection.as_ref())
    }

    /// The direction of media section `index`: its own direction attribute, else the
    /// session-level one, else `sendrecv` (RFC 8866 §6.7, RFC 3264 §5.1).
    pub fn direction_for(&self, index: usize) -> Direction {
        self.media
            .get(index)
            .and_then(|m| m.attributes.direction())
            .or_else(|| self.attributes.direction())
            .unwrap_or(Direction::SendRecv)
    }

    /// Session-level attributes with the given name, typed, in order.
    pub fn attributes_named<'s>(
        &'s self,
        name: &'s str,
    ) -> impl Iterator<Item = Cow<'s, Attribute<'s>>> {
        self.attributes.named(name)
    }

    /// Copies every borrowed string so the description no longer borrows its input.
    ///
    /// Common constant tokens (`IN`, `IP4`, `audio`, `RTP/AVP`, codec names, …) become
    /// `'static` borrows instead of allocations.
    pub fn into_owned(self) -> SessionDescription<'static> {
        self.to_static()
    }

    /// Copies the description so it no longer borrows its input (see
    /// [`into_owned`](Self::into_owned)).
    pub fn to_static(&self) -> SessionDescription<'static> {
        SessionDescription {
            version: self.version,
            origin: self.origin.to_static(),
            session_name: own(&self.session_name),
            information: self.information.as_ref().map(|s| own(s)),
            uri: self.uri.as_ref().map(|s| own(s)),
            emails: self.emails.iter().map(|s| own(s)).collect(),
            phones: self.phones.iter().map(|s| own(s)).collect(),
            connection: self.connection.as_ref().map(Connection::to_static),
            bandwidths: self.bandwidths.iter().map(Bandwidth::to_static).collect(),
            times: self.times.clone(),
            key: self.key.as_ref().map(|s| own(s)),
            attributes: self.attributes.to_static(),
            media: self.media.iter().map(MediaDescription::to_static).collect(),
        }
    }
}

impl<'a> Origin<'a> {
    /// An `IN` origin for an IP address.
    pub fn new(username: impl Into<Cow<'a, str>>, session_id: u64, address: IpAddr) -> Self {
        Self {
            username: username.into(),
            session_id,
            session_version: session_id,
            nettype: Cow::Borrowed("IN"),
            addrtype: Cow::Borrowed(addrtype_of(address)),
            unicast_address: Cow::Owned(address.to_string()),
        }
    }

    /// Copies into a `'static` value (see [`SessionDescription::into_owned`]).
    pub fn to_static(&self) -> Origin<'static> {
        Origin {
            username: own(&self.username),
            session_id: self.session_id,
            session_version: self.session_version,
            nettype: own(&self.nettype),
            addrtype: own(&self.addrtype),
            unicast_address: own(&self.unicast_address),
        }
    }
}

impl<'a> Connection<'a> {
    /// A unicast `c=IN IP4|IP6 <address>` line.
    pub fn new(address: IpAddr) -> Self {
        Self {
            nettype: Cow::Borrowed("IN"),
            addrtype: Cow::Borrowed(addrtype_of(address)),
            address: Cow::Owned(address.to_string()),
            ttl: None,
            count: None,
        }
    }

    /// The address as an IP literal, if it is one (not an FQDN).
    pub fn ip(&self) -> Option<IpAddr> {
        self.address.parse().ok()
    }

    /// Whether this is the RFC 2543 hold address `0.0.0.0` (RFC 3264 §8.4, RFC 6337 §5.3).
    pub fn is_hold_address(&self) -> bool {
        self.address == "0.0.0.0"
    }

    /// Copies into a `'static` value (see [`SessionDescription::into_owned`]).
    pub fn to_static(&self) -> Connection<'static> {
        Connection {
            nettype: own(&self.nettype),
            addrtype: own(&self.addrtype),
            address: own(&self.address),
            ttl: self.ttl,
            count: self.count,
        }
    }
}

impl Bandwidth<'_> {
    /// Copies into a `'static` value (see [`SessionDescription::into_owned`]).
    pub fn to_static(&self) -> Bandwidth<'static> {
        Bandwidth {
            bwtype: own(&self.bwtype),
            bandwidth: self.bandwidth,
        }
    }
}

impl TypedTime {
    /// A plain number of seconds, written without a unit.
    pub const fn seconds(value: u64) -> Self {
        Self { value, unit: None }
    }

    /// The value in seconds (saturating).
    pub fn as_seconds(&self) -> u64 {
        let factor = match self.unit {
            Some(TimeUnit::Days) => 86_400,
            Some(TimeUnit::Hours) => 3_600,
            Some(TimeUnit::Minutes) => 60,
            Some(TimeUnit::Seconds) | None => 1,
        };
        self.value.saturating_mul(factor)
    }
}

impl TimeUnit {
    pub(crate) fn from_byte(b: u8) -> Option<Self> {
        match b {
            b'd' => Some(Self::Days),
            b'h' => Some(Self::Hours),
            b'm' => Some(Self::Minutes),
            b's' => Some(Self::Seconds),
            _ => None,
        }
    }

    pub(crate) fn as_byte(self) -> u8 {
        match self {
            Self::Days => b'd',
            Self::Hours => b'h',
            Self::Minutes => b'm',
            Self::Seconds => b's',
        }
    }
}

impl<'a> MediaDescription<'a> {
    /// An empty media section with the given type, port and protocol.
    pub fn new(
        media: impl Into<Cow<'a, str>>,
        port: u16,
        protocol: impl Into<Cow<'a, str>>,
    ) -> Self {
        Self {
            media: media.into(),
            port,
            port_count: None,
            protocol: protocol.into(),
            formats: Formats::new(),
            information: None,
            connections: Vec::new(),
            bandwidths: Vec::new(),
            key: None,
            attributes: Attributes::new(),
        }
    }

    /// Whether the protocol carries RTP (`RTP/AVP`, `RTP/SAVPF`, `UDP/TLS/RTP/SAVPF`, …).
    pub fn is_rtp(&self) -> bool {
        self.protocol.contains("RTP/")
    }

    /// The media-level direction attribute, if any.
    pub fn direction(&self) -> Option<Direction> {
        self.attributes.direction()
    }

    /// Replaces (or adds) the media-level direction attribute.
    pub fn set_direction(&mut self, direction: Direction) {
        self.attributes.set_direction(direction);
    }

    /// The `a=rtpmap` for a payload type, if present.
    pub fn rtpmap(&self, payload_type: u8) -> Option<RtpMap<'_>> {
        self.attributes.rtpmap(payload_type)
    }

    /// The `a=fmtp` parameters for a format, if present.
    pub fn fmtp(&self, format: &str) -> Option<&str> {
        self.attributes.fmtp(format)
    }

    /// The `a=ptime` value in milliseconds, if present.
    pub fn ptime(&self) -> Option<u32> {
        self.attributes.ptime()
    }

    /// The `a=mid` value, if present.
    pub fn mid(&self) -> Option<&str> {
        self.attributes.mid()
    }

    /// What payload type `pt` stands for: its `a=rtpmap`, else the RFC 3551 static table.
    pub fn codec(&self, payload_type: u8) -> Option<PayloadCodec<'_>> {
        self.attributes.codec(payload_type)
    }

    /// The codecs of an RTP media section, in `m=` order; formats that are not payload type
    /// numbers or have no known mapping are skipped.
    pub fn codecs(&self) -> impl Iterator<Item = PayloadCodec<'_>> + '_ {
        self.formats
            .iter()
            .filter_map(|f| f.parse::<u8>().ok())
            .filter_map(|pt| self.codec(pt))
    }

    /// Media-level attributes with the given name, typed, in order.
    pub fn attributes_named<'s>(
        &'s self,
        name: &'s str,
    ) -> impl Iterator<Item = Cow<'s, Attribute<'s>>> {
        self.attributes.named(name)
    }

    /// Copies into a `'static` value (see [`SessionDescription::into_owned`]).
    pub fn to_static(&self) -> MediaDescription<'static> {
        MediaDescription {
            media: own(&self.media),
            port: self.port,
            port_count: self.port_count,
            protocol: own(&self.protocol),
            formats: self.formats.to_static(),
            information: self.information.as_ref().map(|s| own(s)),
            connections: self.connections.iter().map(Connection::to_static).collect(),
            bandwidths: self.bandwidths.iter().map(Bandwidth::to_static).collect(),
            key: self.key.as_ref().map(|s| own(s)),
            attributes: self.attributes.to_static(),
        }
    }
}

pub(crate) fn addrtype_of(address: IpAddr) -> &'static str {
    match address {
        IpAddr::V4(_) => "IP4",
        IpAddr::V6(_) => "IP6",
    }
}

/// Copies a string out of its input, using a `'static` borrow for common SDP tokens (and
/// payload type numbers) instead of an allocation.
pub(crate) fn own(text: &str) -> Cow<'static, str> {
    let common: &'static str = match text {
        "IN" => "IN",
        "IP4" => "IP4",
        "IP6" => "IP6",
        "-" => "-",
        "audio" => "audio",
        "video" => "video",
        "application" => "application",
        "text" => "text",
        "message" => "message",
        "RTP/AVP" => "RTP/AVP",
        "RTP/SAVP" => "RTP/SAVP",
        "RTP/AVPF" => "RTP/AVPF",
        "RTP/SAVPF" => "RTP/SAVPF",
        "UDP/TLS/RTP/SAVPF" => "UDP/TLS/RTP/SAVPF",
        "PCMU" => "PCMU",
        "PCMA" => "PCMA",
        "G722" => "G722",
        "G729" => "G729",
        "G723" => "G723",
        "GSM" => "GSM",
        "opus" => "opus",
        "telephone-event" => "telephone-event",
        "CN" => "CN",
        "0-15" => "0-15",
        "0-16" => "0-16",
        "annexb=no" => "annexb=no",
        "AS" => "AS",
        "CT" => "CT",
        "TIAS" => "TIAS",
        _ => {
            if let Some(pt) = crate::attribute::parse_num::<u8>(text) {
                // Only the canonical spelling: `097` stays `097`.
                if let Some(p) = crate::negotiation::PT_TEXT
                    .get(usize::from(pt))
                    .filter(|p| **p == text)
                {
                    return Cow::Borrowed(p);
                }
            }
            return Cow::Owned(text.to_owned());
        }
    };
    Cow::Borrowed(common)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_fall_back_to_session_level() {
        let d = SessionDescription::parse(
            b"v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\na=sendonly\r\n\
              m=audio 1 RTP/AVP 0 96 97\r\na=rtpmap:96 opus/48000/2\r\na=fmtp:96 stereo=1\r\n\
              m=audio 2 RTP/AVP 8\r\nc=IN IP4 192.0.2.2\r\na=inactive\r\n",
        )
        .unwrap();
        assert_eq!(d.connection_for(0).unwrap().address, "192.0.2.1");
        assert_eq!(d.connection_for(1).unwrap().address, "192.0.2.2");
        assert_eq!(d.direction_for(0), Direction::SendOnly);
        assert_eq!(d.direction_for(1), Direction::Inactive);
        let m = &d.media[0];
        assert_eq!(m.codec(0).unwrap().encoding, "PCMU");
        assert_eq!(m.codec(96).unwrap().channels, Some(2));
        assert!(m.codec(97).is_none());
        assert_eq!(m.codecs().count(), 2);
        assert_eq!(m.fmtp("96"), Some("stereo=1"));
        assert_eq!(d.attributes_named("sendonly").count(), 1);
        assert!(m.is_rtp());
    }

    #[test]
    fn set_direction_replaces_or_adds() {
        let mut m = MediaDescription::new("audio", 1, "RTP/AVP");
        m.set_direction(Direction::RecvOnly);
        m.set_direction(Direction::SendOnly);
        assert_eq!(
            m.attributes,
            Attributes::from(vec![Attribute::Direction(Direction::SendOnly)])
        );
        assert_eq!(m.direction(), Some(Direction::SendOnly));
    }

    #[test]
    fn common_tokens_are_not_copied() {
        assert!(matches!(own("IN"), Cow::Borrowed("IN")));
        assert!(matches!(own("101"), Cow::Borrowed("101")));
        assert!(matches!(own("alice"), Cow::Owned(_)));
        assert!(matches!(own("200"), Cow::Owned(_)));
        assert_eq!(own("097"), "097");
        let c = Connection::new("2001:db8::1".parse().unwrap());
        assert_eq!((&*c.addrtype, c.ip()), ("IP6", "2001:db8::1".parse().ok()));
        assert!(!c.is_hold_address());
        assert_eq!(
            TypedTime {
                value: 2,
                unit: Some(TimeUnit::Hours)
            }
            .as_seconds(),
            7200
        );
    }
}
