//! `a=` attributes (RFC 8866 §5.13, §6) with typed forms for the ones real sessions use.
//!
//! A known attribute whose value does not match its grammar is kept as
//! [`Attribute::Other`] with its text unchanged, so one odd line from a peer never makes a
//! whole description unreadable.

use std::borrow::Cow;

use bytes::BufMut;

use crate::description::own;
use crate::text::{next_field, next_token, split, split2, visible_len};
use crate::write::{put_u64, Put};

/// One `a=` line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Attribute<'a> {
    /// `a=rtpmap` (RFC 8866 §6.6).
    RtpMap(RtpMap<'a>),
    /// `a=fmtp` (RFC 8866 §6.15).
    Fmtp(Fmtp<'a>),
    /// `a=ptime` in milliseconds (RFC 8866 §6.4).
    Ptime(u32),
    /// `a=maxptime` in milliseconds (RFC 8866 §6.5).
    MaxPtime(u32),
    /// `a=sendrecv`, `a=sendonly`, `a=recvonly`, `a=inactive` (RFC 8866 §6.7).
    Direction(Direction),
    /// `a=rtcp` (RFC 3605).
    Rtcp(Box<Rtcp<'a>>),
    /// `a=rtcp-mux` (RFC 5761).
    RtcpMux,
    /// `a=mid` (RFC 5888).
    Mid(Cow<'a, str>),
    /// `a=group` (RFC 5888, BUNDLE RFC 9143).
    Group(Group<'a>),
    /// `a=ssrc` (RFC 5576).
    Ssrc(Ssrc<'a>),
    /// `a=candidate` (RFC 8839 §5.1).
    Candidate(Box<Candidate<'a>>),
    /// `a=ice-ufrag` (RFC 8839 §5.4).
    IceUfrag(Cow<'a, str>),
    /// `a=ice-pwd` (RFC 8839 §5.4).
    IcePwd(Cow<'a, str>),
    /// `a=ice-options`: space-separated option tags (RFC 8839 §5.6); see
    /// [`Attribute::ice_options`].
    IceOptions(Cow<'a, str>),
    /// `a=fingerprint` (RFC 8122 §5).
    Fingerprint(Fingerprint<'a>),
    /// `a=setup` (RFC 4145 §4).
    Setup(Setup),
    /// `a=crypto` (RFC 4568 §9.1).
    Crypto(Box<Crypto<'a>>),
    /// Any other attribute, or a known one whose value did not parse: name and optional value
    /// exactly as written.
    Other {
        /// Attribute name.
        name: Cow<'a, str>,
        /// Value after the first `:`, if any.
        value: Option<Cow<'a, str>>,
    },
}

/// Media direction (RFC 8866 §6.7, RFC 3264 §5.1), from the point of view of the side that
/// wrote the description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Direction {
    /// Send and receive.
    #[default]
    SendRecv,
    /// Send only.
    SendOnly,
    /// Receive only.
    RecvOnly,
    /// Neither.
    Inactive,
}

/// `a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RtpMap<'a> {
    /// Payload type number.
    pub payload_type: u8,
    /// Encoding name.
    pub encoding: Cow<'a, str>,
    /// Clock rate in Hz.
    pub clock_rate: u32,
    /// Encoding parameters: the channel count for audio.
    pub channels: Option<u16>,
}

/// `a=fmtp:<format> <format specific parameters>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fmtp<'a> {
    /// The format (payload type) the parameters apply to.
    pub format: Cow<'a, str>,
    /// The parameters, verbatim.
    pub parameters: Cow<'a, str>,
}

/// `a=rtcp:<port> [<nettype> <addrtype> <address>]` (RFC 3605).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rtcp<'a> {
    /// RTCP port.
    pub port: u16,
    /// Optional network type, address type and address.
    pub address: Option<(Cow<'a, str>, Cow<'a, str>, Cow<'a, str>)>,
}

/// `a=group:<semantics> <identification tag>*` (RFC 5888).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group<'a> {
    /// Semantics (`BUNDLE`, `LS`, `FID`).
    pub semantics: Cow<'a, str>,
    /// Media identification tags.
    pub mids: Vec<Cow<'a, str>>,
}

/// `a=ssrc:<ssrc-id> <attribute>[:<value>]` (RFC 5576).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ssrc<'a> {
    /// The synchronization source.
    pub ssrc: u32,
    /// Source attribute name (`cname`, `msid`).
    pub attribute: Cow<'a, str>,
    /// Source attribute value.
    pub value: Option<Cow<'a, str>>,
}

/// `a=candidate` (RFC 8839 §5.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<'a> {
    /// Foundation.
    pub foundation: Cow<'a, str>,
    /// Component ID (1 = RTP, 2 = RTCP).
    pub component: u32,
    /// Transport (`udp`, `tcp`).
    pub transport: Cow<'a, str>,
    /// Priority.
    pub priority: u32,
    /// Connection address (IP or FQDN).
    pub address: Cow<'a, str>,
    /// Port.
    pub port: u16,
    /// Candidate type (`host`, `srflx`, `prflx`, `relay`).
    pub kind: Cow<'a, str>,
    /// `raddr`.
    pub related_address: Option<Cow<'a, str>>,
    /// `rport`.
    pub related_port: Option<u16>,
    /// Extension name/value pairs after the fixed part, verbatim (may be empty); see
    /// [`Candidate::extensions`].
    pub extensions: Cow<'a, str>,
}

/// `a=fingerprint:<hash function> <fingerprint>` (RFC 8122).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint<'a> {
    /// Hash function (`sha-256`).
    pub hash_function: Cow<'a, str>,
    /// Hex bytes separated by colons.
    pub fingerprint: Cow<'a, str>,
}

/// `a=setup` role (RFC 4145 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setup {
    /// `active`.
    Active,
    /// `passive`.
    Passive,
    /// `actpass`.
    ActPass,
    /// `holdconn`.
    HoldConn,
}

/// `a=crypto:<tag> <crypto-suite> <key-params> [<session-params>]` (RFC 4568).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crypto<'a> {
    /// Tag.
    pub tag: u32,
    /// Crypto suite (`AES_CM_128_HMAC_SHA1_80`).
    pub suite: Cow<'a, str>,
    /// Key parameters (`inline:...`).
    pub key_params: Cow<'a, str>,
    /// Session parameters, verbatim.
    pub session_params: Option<Cow<'a, str>>,
}

impl<'a> Attribute<'a> {
    /// Parses the text after `a=`: `name` or `name:value`.
    ///
    /// Never fails: what does not match a typed grammar stays [`Attribute::Other`].
    pub fn parse(text: &'a str) -> Self {
        if let Some(known) = Self::known(text) {
            return known;
        }
        let (name, value) = match split2(text, b':') {
            Some((n, v)) => (n, Some(v)),
            None => (text, None),
        };
        Self::Other {
            name: Cow::Borrowed(name),
            value: value.map(Cow::Borrowed),
        }
    }

    /// Recognizes a known attribute by its `name:` prefix (compared as literals, without a
    /// scan for the colon) and parses its value.
    fn known(text: &'a str) -> Option<Self> {
        macro_rules! prefixed {
            ($($name:literal),+) => {{
                $(if let Some(v) = text.strip_prefix(concat!($name, ":")) {
                    return Self::typed($name, Some(v));
                })+
            }};
        }
        match text.as_bytes().first()? {
            b'r' => prefixed!("rtpmap", "rtcp"),
            b'f' => prefixed!("fmtp", "fingerprint"),
            b'p' => prefixed!("ptime"),
            b'm' => prefixed!("mid", "maxptime"),
            b's' => prefixed!("ssrc", "setup"),
            b'i' => prefixed!("ice-ufrag", "ice-pwd", "ice-options"),
            b'g' => prefixed!("group"),
            b'c' => prefixed!("candidate", "crypto"),
            _ => return None,
        }
        Self::typed(text, None)
    }

    #[inline(always)]
    fn typed(name: &'a str, value: Option<&'a str>) -> Option<Self> {
        let Some(v) = value else {
            return match name {
                "sendrecv" => Some(Self::Direction(Direction::SendRecv)),
                "sendonly" => Some(Self::Direction(Direction::SendOnly)),
                "recvonly" => Some(Self::Direction(Direction::RecvOnly)),
                "inactive" => Some(Self::Direction(Direction::Inactive)),
                "rtcp-mux" => Some(Self::RtcpMux),
                _ => None,
            };
        };
        let b = Cow::Borrowed;
        Some(match name {
            "rtpmap" => Self::RtpMap(RtpMap::parse(v)?),
            "fmtp" => {
                let (format, parameters) = split2(v, b' ')?;
                if format.is_empty() {
                    return None;
                }
                Self::Fmtp(Fmtp {
                    format: b(format),
                    parameters: b(parameters),
                })
            }
            "ptime" => Self::Ptime(parse_num(v)?),
            "maxptime" => Self::MaxPtime(parse_num(v)?),
            "rtcp" => Self::Rtcp(Box::new(Rtcp::parse(v)?)),
            "mid" if is_token(v) => Self::Mid(b(v)),
            "group" => {
                let mut it = split(v, b' ');
                let semantics = it.next().filter(|s| is_token(s))?;
                // The capacity the first push would pick, without the growth path.
                let mut mids = Vec::with_capacity(4);
                for m in it {
                    if !is_token(m) {
                        return None;
                    }
                    mids.push(b(m));
                }
                Self::Group(Group {
                    semantics: b(semantics),
                    mids,
                })
            }
            "ssrc" => {
                // The id: digits, so a token, then a space.
                let (id, Some(rest)) = next_field(v)? else {
                    return None;
                };
                let (attribute, value) = match split2(rest, b':') {
                    Some((a, v)) => (a, Some(b(v))),
                    None => (rest, None),
                };
                if !is_token(attribute) {
                    return None;
                }
                Self::Ssrc(Ssrc {
                    ssrc: parse_num(id)?,
                    attribute: b(attribute),
                    value,
                })
            }
            "candidate" => Self::Candidate(Box::new(Candidate::parse(v)?)),
            "ice-ufrag" if is_token(v) => Self::IceUfrag(b(v)),
            "ice-pwd" if is_token(v) => Self::IcePwd(b(v)),
            "ice-options" if split(v, b' ').all(is_token) => Self::IceOptions(b(v)),
            "fingerprint" => {
                let (h, Some(f)) = next_field(v)? else {
                    return None;
                };
                if !is_token(f) {
                    return None;
                }
                Self::Fingerprint(Fingerprint {
                    hash_function: b(h),
                    fingerprint: b(f),
                })
            }
            "setup" => Self::Setup(match v {
                "active" => Setup::Active,
                "passive" => Setup::Passive,
                "actpass" => Setup::ActPass,
                "holdconn" => Setup::HoldConn,
                _ => return None,
            }),
            "crypto" => {
                let mut it = v.splitn(4, ' ');
                let tag = parse_num(it.next()?)?;
                let suite = it.next().filter(|s| is_token(s))?;
                let key_params = it.next().filter(|s| is_token(s))?;
                let session_params = match it.next() {
                    Some("") => return None,
                    other => other.map(b),
                };
                Self::Crypto(Box::new(Crypto {
                    tag,
                    suite: b(suite),
                    key_params: b(key_params),
                    session_params,
                }))
            }
            _ => return None,
        })
    }

    /// The attribute name as it appears after `a=`.
    pub fn name(&self) -> &str {
        match self {
            Self::RtpMap(_) => "rtpmap",
            Self::Fmtp(_) => "fmtp",
            Self::Ptime(_) => "ptime",
            Self::MaxPtime(_) => "maxptime",
            Self::Direction(d) => d.as_str(),
            Self::Rtcp(_) => "rtcp",
            Self::RtcpMux => "rtcp-mux",
            Self::Mid(_) => "mid",
            Self::Group(_) => "group",
            Self::Ssrc(_) => "ssrc",
            Self::Candidate(_) => "candidate",
            Self::IceUfrag(_) => "ice-ufrag",
            Self::IcePwd(_) => "ice-pwd",
            Self::IceOptions(_) => "ice-options",
            Self::Fingerprint(_) => "fingerprint",
            Self::Setup(_) => "setup",
            Self::Crypto(_) => "crypto",
            Self::Other { name, .. } => name,
        }
    }

    /// The option tags of an `a=ice-options` attribute (empty for other attributes).
    pub fn ice_options(&self) -> impl Iterator<Item = &str> {
        let text = match self {
            Self::IceOptions(o) => &**o,
            _ => "",
        };
        split(text, b' ').filter(|s| !s.is_empty())
    }

    /// Writes the whole line, `a=...\r\n`.
    pub fn write_to<B: BufMut>(&self, buf: &mut B) {
        buf.put_slice(b"a=");
        buf.put_str(self.name());
        match self {
            Self::RtpMap(m) => {
                buf.put_u8(b':');
                put_u64(buf, u64::from(m.payload_type));
                buf.put_u8(b' ');
                buf.put_str(&m.encoding);
                buf.put_u8(b'/');
                put_u64(buf, u64::from(m.clock_rate));
                if let Some(c) = m.channels {
                    buf.put_u8(b'/');
                    put_u64(buf, u64::from(c));
                }
            }
            Self::Fmtp(f) => {
                buf.put_u8(b':');
                buf.put_str(&f.format);
                buf.put_u8(b' ');
                buf.put_str(&f.parameters);
            }
            Self::Ptime(p) | Self::MaxPtime(p) => {
                buf.put_u8(b':');
                put_u64(buf, u64::from(*p));
            }
            Self::Direction(_) | Self::RtcpMux => {}
            Self::Rtcp(r) => {
                buf.put_u8(b':');
                put_u64(buf, u64::from(r.port));
                if let Some((n, a, addr)) = &r.address {
                    for s in [n, a, addr] {
                        buf.put_u8(b' ');
                        buf.put_str(s);
                    }
                }
            }
            Self::Mid(s) | Self::IceUfrag(s) | Self::IcePwd(s) | Self::IceOptions(s) => {
                buf.put_u8(b':');
                buf.put_str(s);
            }
            Self::Group(g) => {
                buf.put_u8(b':');
                buf.put_str(&g.semantics);
                for m in &g.mids {
                    buf.put_u8(b' ');
                    buf.put_str(m);
                }
            }
            Self::Ssrc(s) => {
                buf.put_u8(b':');
                put_u64(buf, u64::from(s.ssrc));
                buf.put_u8(b' ');
                buf.put_str(&s.attribute);
                if let Some(v) = &s.value {
                    buf.put_u8(b':');
                    buf.put_str(v);
                }
            }
            Self::Candidate(c) => {
                buf.put_u8(b':');
                c.write_value(buf);
            }
            Self::Fingerprint(f) => {
                buf.put_u8(b':');
                buf.put_str(&f.hash_function);
                buf.put_u8(b' ');
                buf.put_str(&f.fingerprint);
            }
            Self::Setup(s) => {
                buf.put_u8(b':');
                buf.put_str(s.as_str());
            }
            Self::Crypto(c) => {
                buf.put_u8(b':');
                put_u64(buf, u64::from(c.tag));
                buf.put_u8(b' ');
                buf.put_str(&c.suite);
                buf.put_u8(b' ');
                buf.put_str(&c.key_params);
                if let Some(p) = &c.session_params {
                    buf.put_u8(b' ');
                    buf.put_str(p);
                }
            }
            Self::Other { value, .. } => {
                if let Some(v) = value {
                    buf.put_u8(b':');
                    buf.put_str(v);
                }
            }
        }
        buf.put_slice(b"\r\n");
    }

    /// Copies the attribute so it no longer borrows its input (see
    /// [`SessionDescription::into_owned`](crate::SessionDescription::into_owned)).
    pub fn to_static(&self) -> Attribute<'static> {
        match self {
            Self::RtpMap(m) => Attribute::RtpMap(RtpMap {
                payload_type: m.payload_type,
                encoding: own(&m.encoding),
                clock_rate: m.clock_rate,
                channels: m.channels,
            }),
            Self::Fmtp(f) => Attribute::Fmtp(Fmtp {
                format: own(&f.format),
                parameters: own(&f.parameters),
            }),
            Self::Ptime(p) => Attribute::Ptime(*p),
            Self::MaxPtime(p) => Attribute::MaxPtime(*p),
            Self::Direction(d) => Attribute::Direction(*d),
            Self::Rtcp(r) => {
                let r = &**r;
                Attribute::Rtcp(Box::new(Rtcp {
                    port: r.port,
                    address: r
                        .address
                        .as_ref()
                        .map(|(n, a, addr)| (own(n), own(a), own(addr))),
                }))
            }
            Self::RtcpMux => Attribute::RtcpMux,
            Self::Mid(s) => Attribute::Mid(own(s)),
            Self::Group(g) => Attribute::Group(Group {
                semantics: own(&g.semantics),
                mids: g.mids.iter().map(|s| own(s)).collect(),
            }),
            Self::Ssrc(s) => Attribute::Ssrc(Ssrc {
                ssrc: s.ssrc,
                attribute: own(&s.attribute),
                value: s.value.as_ref().map(|s| own(s)),
            }),
            Self::Candidate(c) => {
                let c = &**c;
                Attribute::Candidate(Box::new(Candidate {
                    foundation: own(&c.foundation),
                    component: c.component,
                    transport: own(&c.transport),
                    priority: c.priority,
                    address: own(&c.address),
                    port: c.port,
                    kind: own(&c.kind),
                    related_address: c.related_address.as_ref().map(|s| own(s)),
                    related_port: c.related_port,
                    extensions: own(&c.extensions),
                }))
            }
            Self::IceUfrag(s) => Attribute::IceUfrag(own(s)),
            Self::IcePwd(s) => Attribute::IcePwd(own(s)),
            Self::IceOptions(s) => Attribute::IceOptions(own(s)),
            Self::Fingerprint(f) => Attribute::Fingerprint(Fingerprint {
                hash_function: own(&f.hash_function),
                fingerprint: own(&f.fingerprint),
            }),
            Self::Setup(s) => Attribute::Setup(*s),
            Self::Crypto(c) => {
                let c = &**c;
                Attribute::Crypto(Box::new(Crypto {
                    tag: c.tag,
                    suite: own(&c.suite),
                    key_params: own(&c.key_params),
                    session_params: c.session_params.as_ref().map(|s| own(s)),
                }))
            }
            Self::Other { name, value } => Attribute::Other {
                name: own(name),
                value: value.as_ref().map(|s| own(s)),
            },
        }
    }
}

impl Direction {
    /// The attribute name (`sendrecv`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SendRecv => "sendrecv",
            Self::SendOnly => "sendonly",
            Self::RecvOnly => "recvonly",
            Self::Inactive => "inactive",
        }
    }

    /// Builds a direction from whether the side sends and whether it receives.
    pub fn from_flags(send: bool, recv: bool) -> Self {
        match (send, recv) {
            (true, true) => Self::SendRecv,
            (true, false) => Self::SendOnly,
            (false, true) => Self::RecvOnly,
            (false, false) => Self::Inactive,
        }
    }

    /// Whether the side that wrote this direction sends media.
    pub fn sends(self) -> bool {
        matches!(self, Self::SendRecv | Self::SendOnly)
    }

    /// Whether the side that wrote this direction receives media.
    pub fn receives(self) -> bool {
        matches!(self, Self::SendRecv | Self::RecvOnly)
    }

    /// The same direction seen from the other side (`sendonly` ↔ `recvonly`).
    pub fn reverse(self) -> Self {
        Self::from_flags(self.receives(), self.sends())
    }

    /// The direction allowed by both: sends only if both send, receives only if both receive.
    pub fn intersect(self, other: Self) -> Self {
        Self::from_flags(
            self.sends() && other.sends(),
            self.receives() && other.receives(),
        )
    }
}

impl<'a> RtpMap<'a> {
    /// Parses the value of `a=rtpmap`.
    pub fn parse(v: &'a str) -> Option<Self> {
        let (payload_type, encoding, clock_rate, channels) = Self::parse_parts(v)?;
        Some(Self {
            payload_type,
            encoding: Cow::Borrowed(encoding),
            clock_rate,
            channels,
        })
    }

    /// [`parse`](Self::parse) into plain parts: payload type, encoding, clock rate, channels.
    #[inline]
    pub(crate) fn parse_parts(v: &'a str) -> Option<(u8, &'a str, u32, Option<u16>)> {
        // Hand-rolled: this is the most frequent attribute, worth a single pass over slice
        // patterns (no bounds checks).
        let b = v.as_bytes();
        let (payload_type, rest) = digits(b)?;
        let [b' ', rest @ ..] = rest else {
            return None;
        };
        let start = b.len() - rest.len();
        // The encoding name: visible characters up to the first `/`. Most names are short:
        // the first eight bytes at once, then byte by byte.
        let mut skip = 0;
        let mut slash = None;
        if let Some(c) = rest.first_chunk::<8>() {
            let (at, invisible) = crate::text::scan8(c, b'/');
            if at < invisible {
                slash = Some(at);
            } else if invisible < 8 {
                return None;
            } else {
                skip = 8;
            }
        }
        let slash = match slash {
            Some(at) => at,
            None => {
                let mut tail = rest.get(skip..)?;
                loop {
                    match tail {
                        [b'/', ..] => break rest.len() - tail.len(),
                        [c, after @ ..] if *c > b' ' && *c != 0x7f => tail = after,
                        _ => return None,
                    }
                }
            }
        };
        if slash == 0 {
            return None;
        }
        let encoding = v.get(start..start + slash)?;
        let after_slash = rest.get(slash + 1..)?;
        let (clock_rate, rest) = digits(after_slash)?;
        let channels = match rest {
            [] => None,
            [b'/', count @ ..] => {
                let (c, []) = digits(count)? else {
                    return None;
                };
                Some(u16::try_from(c).ok()?)
            }
            _ => return None,
        };
        if payload_type >= 128 {
            return None;
        }
        Some((
            u8::try_from(payload_type).ok()?,
            encoding,
            u32::try_from(clock_rate).ok()?,
            channels,
        ))
    }
}

/// Reads one or more leading ASCII digits; returns the value and the bytes after them.
/// Values above `u32::MAX` come back as `1 << 33` (every caller narrows to `u32` or less,
/// which then fails), so no checked arithmetic is needed per digit.
#[inline]
fn digits(b: &[u8]) -> Option<(u64, &[u8])> {
    const CAP: u64 = 1 << 33;
    let mut n: u64 = 0;
    let mut rest = b;
    while let [c, tail @ ..] = rest {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        n = (n * 10 + u64::from(d)).min(CAP);
        rest = tail;
    }
    (rest.len() < b.len()).then_some((n, rest))
}

impl<'a> Rtcp<'a> {
    pub(crate) fn parse(v: &'a str) -> Option<Self> {
        // Pieces between single spaces; all but the port must be tokens (the port, digits,
        // is one too).
        let (port, rest) = next_field(v)?;
        let port = parse_num(port)?;
        let address = match rest {
            None => None,
            Some(rest) => {
                let (n, Some(rest)) = next_field(rest)? else {
                    return None;
                };
                let (a, Some(rest)) = next_field(rest)? else {
                    return None;
                };
                let (addr, None) = next_field(rest)? else {
                    return None;
                };
                Some((Cow::Borrowed(n), Cow::Borrowed(a), Cow::Borrowed(addr)))
            }
        };
        Some(Self { port, address })
    }
}

impl<'a> Candidate<'a> {
    fn parse(v: &'a str) -> Option<Self> {
        // Each fixed field is a token followed by one space: a numeric field that is not a
        // token would not be a number either, so one fused scan per field decides.
        let (foundation, v) = next_token(v)?;
        let (component, v) = next_token(v)?;
        let component = parse_num(component)?;
        let (transport, v) = next_token(v)?;
        let (priority, v) = next_token(v)?;
        let priority = parse_num(priority)?;
        let (address, v) = next_token(v)?;
        let (port, v) = next_token(v)?;
        let port = parse_num(port)?;
        let ("typ", v) = next_token(v)? else {
            return None;
        };
        let (kind, mut rest) = next_token(v)?;
        let mut related_address = None;
        let mut related_port = None;
        if let Some(r) = rest.strip_prefix("raddr ") {
            let (a, tail) = split2(r, b' ').unwrap_or((r, ""));
            if !is_token(a) {
                return None;
            }
            related_address = Some(Cow::Borrowed(a));
            rest = tail;
        }
        if let Some(r) = rest.strip_prefix("rport ") {
            let (p, tail) = split2(r, b' ').unwrap_or((r, ""));
            related_port = Some(parse_num(p)?);
            rest = tail;
        }
        // Extensions come in name/value pairs of non-empty tokens, single spaces between.
        let mut count = 0usize;
        let mut tail = rest.as_bytes();
        while !tail.is_empty() {
            let end = visible_len(tail);
            match tail.get(end..) {
                Some([]) if end > 0 => tail = &[],
                Some([b' ', after @ ..]) if end > 0 && !after.is_empty() => tail = after,
                _ => return None,
            }
            count += 1;
        }
        if count % 2 != 0 {
            return None;
        }
        Some(Self {
            foundation: Cow::Borrowed(foundation),
            component,
            transport: Cow::Borrowed(transport),
            priority,
            address: Cow::Borrowed(address),
            port,
            kind: Cow::Borrowed(kind),
            related_address,
            related_port,
            extensions: Cow::Borrowed(rest),
        })
    }

    /// Extension name/value pairs (`generation 0`, `network-id 1`).
    pub fn extensions(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut it = split(&self.extensions, b' ').filter(|s| !s.is_empty());
        std::iter::from_fn(move || Some((it.next()?, it.next()?)))
    }

    fn write_value<B: BufMut>(&self, buf: &mut B) {
        buf.put_str(&self.foundation);
        buf.put_u8(b' ');
        put_u64(buf, u64::from(self.component));
        buf.put_u8(b' ');
        buf.put_str(&self.transport);
        buf.put_u8(b' ');
        put_u64(buf, u64::from(self.priority));
        buf.put_u8(b' ');
        buf.put_str(&self.address);
        buf.put_u8(b' ');
        put_u64(buf, u64::from(self.port));
        buf.put_slice(b" typ ");
        buf.put_str(&self.kind);
        if let Some(a) = &self.related_address {
            buf.put_slice(b" raddr ");
            buf.put_str(a);
        }
        if let Some(p) = self.related_port {
            buf.put_slice(b" rport ");
            put_u64(buf, u64::from(p));
        }
        if !self.extensions.is_empty() {
            buf.put_u8(b' ');
            buf.put_str(&self.extensions);
        }
    }
}

impl Setup {
    /// The attribute value (`actpass`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Passive => "passive",
            Self::ActPass => "actpass",
            Self::HoldConn => "holdconn",
        }
    }
}

/// A non-empty run of visible characters (no space, no control).
pub(crate) fn is_token(s: &str) -> bool {
    !s.is_empty() && crate::text::all_visible(s.as_bytes())
}

/// Parses a non-empty string of ASCII digits (no sign, no spaces) into an integer type.
pub(crate) fn parse_num<T: TryFrom<u64>>(s: &str) -> Option<T> {
    let bytes = s.as_bytes();
    if bytes.is_empty() || bytes.len() > 20 {
        return None;
    }
    let mut n: u64 = 0;
    if bytes.len() < 8 {
        // Payload types, ports, clock rates: a plain loop, no overflow possible.
        for &b in bytes {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                return None;
            }
            n = n * 10 + u64::from(d);
        }
        return T::try_from(n).ok();
    }
    if bytes.len() < 20 {
        // Up to 19 digits cannot overflow a u64: no checked arithmetic per digit, and eight
        // digits at a time.
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            n = n * 100_000_000 + crate::text::eight_digits_at(c)?;
        }
        for &b in chunks.remainder() {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                return None;
            }
            n = n * 10 + u64::from(d);
        }
        return T::try_from(n).ok();
    }
    for &b in bytes {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    T::try_from(n).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(text: &str) -> Attribute<'_> {
        let a = Attribute::parse(text);
        let mut out = Vec::new();
        a.write_to(&mut out);
        assert_eq!(out, format!("a={text}\r\n").into_bytes(), "{text}");
        a
    }

    #[test]
    fn parse_num_matches_std_at_every_length() {
        let digits = "18446744073709551615999";
        for len in 0..=digits.len() {
            for s in [&digits[..len], &"00000000000000000000012"[..len.min(23)]] {
                let want = if s.is_empty() || s.len() > 20 {
                    None
                } else {
                    s.parse::<u64>().ok()
                };
                assert_eq!(parse_num::<u64>(s), want, "{s}");
                assert_eq!(parse_num::<u8>(s), want.and_then(|n| u8::try_from(n).ok()));
                let mut bad = s.to_owned();
                if !bad.is_empty() {
                    bad.replace_range(len / 2..len / 2 + 1, "x");
                    assert_eq!(parse_num::<u64>(&bad), None, "{bad}");
                }
            }
        }
        assert_eq!(parse_num::<u64>("18446744073709551616"), None);
        assert_eq!(parse_num::<u64>("+1"), None);
    }

    #[test]
    fn rtpmap_grammar_edges() {
        let other = |t: &str| matches!(Attribute::parse(t), Attribute::Other { .. });
        for bad in [
            "rtpmap:96 /8000",
            "rtpmap:96 a b/8000",
            "rtpmap:128 x/1",
            "rtpmap: x/1",
            "rtpmap:96x y/1",
            "rtpmap:96 x/",
            "rtpmap:96 x",
            "rtpmap:96 x/8000/",
            "rtpmap:96 x/8000/2x",
            "rtpmap:96 x/8000x",
            "rtpmap:96 x/4294967296",
            "rtpmap:96 x/8000/65536",
            "rtpmap:96 x\u{7f}/8000",
            "rtpmap:96  x/8000",
        ] {
            assert!(other(bad), "{bad}");
        }
        assert!(other("rtpmap:127 a/b/8000"));
        let Attribute::RtpMap(m) = Attribute::parse("rtpmap:127 a/4294967295/65535") else {
            panic!("largest values");
        };
        assert_eq!((m.clock_rate, m.channels), (u32::MAX, Some(u16::MAX)));
        let Attribute::RtpMap(m) = Attribute::parse("rtpmap:000000000000000000000096 x/08000")
        else {
            panic!("leading zeros");
        };
        assert_eq!((m.payload_type, m.clock_rate), (96, 8000));
    }

    #[test]
    fn rtpmap_matches_a_plain_reading() {
        // The grammar read with `str` methods, against the hand-rolled parser, for every one-
        // and two-byte change of a few lines around the eight-byte boundary of the name.
        fn plain(v: &str) -> Option<(u8, &str, u32, Option<u16>)> {
            fn num<T: std::str::FromStr>(s: &str) -> Option<T> {
                let digits = s.trim_start_matches('0');
                (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                    .then_some(if digits.is_empty() { "0" } else { digits })
                    .and_then(|d| d.parse().ok())
            }
            let (pt, rest) = v.split_once(' ')?;
            let (name, rest) = rest.split_once('/')?;
            if name.is_empty() || name.bytes().any(|c| c <= b' ' || c == 0x7f) {
                return None;
            }
            let (clock, channels) = match rest.split_once('/') {
                Some((c, n)) => (c, Some(num::<u16>(n)?)),
                None => (rest, None),
            };
            let pt = num::<u8>(pt).filter(|p| *p < 128)?;
            Some((pt, name, num::<u32>(clock)?, channels))
        }
        for line in [
            "0 PCMU/8000",
            "96 opus/48000/2",
            "101 telephone-event/8000",
            "97 abcdefg/90000",
            "97 abcdefgh/90000",
            "97 abcdefghi/90000",
        ] {
            let mut cases = vec![line.to_owned()];
            for i in 0..line.len() {
                for c in [" ", "/", "\u{7f}", "\t", "é", "x", "0", ""] {
                    let mut t = line.to_owned();
                    t.replace_range(i..=i, c);
                    cases.push(t.clone());
                    let mut u = line.to_owned();
                    u.insert_str(i, c);
                    cases.push(u);
                }
            }
            for case in &cases {
                assert_eq!(RtpMap::parse_parts(case), plain(case), "{case:?}");
            }
        }
    }

    #[test]
    fn typed_attributes() {
        assert!(
            matches!(round("rtpmap:0 PCMU/8000"), Attribute::RtpMap(m) if m.payload_type == 0 && m.channels.is_none())
        );
        assert!(
            matches!(round("rtpmap:111 opus/48000/2"), Attribute::RtpMap(m) if m.channels == Some(2))
        );
        assert!(matches!(round("fmtp:101 0-16"), Attribute::Fmtp(f) if f.parameters == "0-16"));
        assert_eq!(round("ptime:20"), Attribute::Ptime(20));
        assert_eq!(round("maxptime:40"), Attribute::MaxPtime(40));
        assert_eq!(round("sendonly"), Attribute::Direction(Direction::SendOnly));
        assert_eq!(round("inactive"), Attribute::Direction(Direction::Inactive));
        assert!(
            matches!(round("rtcp:53020"), Attribute::Rtcp(r) if r.port == 53020 && r.address.is_none())
        );
        assert!(
            matches!(round("rtcp:9 IN IP4 0.0.0.0"), Attribute::Rtcp(r) if r.address.is_some())
        );
        assert_eq!(round("rtcp-mux"), Attribute::RtcpMux);
        assert!(matches!(round("mid:audio"), Attribute::Mid(m) if m == "audio"));
        assert!(matches!(round("group:BUNDLE 0 1 2"), Attribute::Group(g) if g.mids.len() == 3));
        assert!(
            matches!(round("ssrc:1001211352 msid:a b"), Attribute::Ssrc(s) if s.value.as_deref() == Some("a b"))
        );
        assert!(matches!(round("ice-ufrag:Oyef"), Attribute::IceUfrag(_)));
        assert!(matches!(
            round("ice-pwd:7rbcGMHVQzEBxXOVtmKoPZXK"),
            Attribute::IcePwd(_)
        ));
        let o = round("ice-options:trickle renomination");
        assert_eq!(
            o.ice_options().collect::<Vec<_>>(),
            ["trickle", "renomination"]
        );
        assert!(matches!(
            round("fingerprint:sha-256 49:66:12"),
            Attribute::Fingerprint(_)
        ));
        assert_eq!(round("setup:actpass"), Attribute::Setup(Setup::ActPass));
        assert!(matches!(
            round("crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32"),
            Attribute::Crypto(c) if c.tag == 1 && c.session_params.is_none()
        ));
        assert!(
            matches!(round("crypto:2 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4 FEC_ORDER=FEC_SRTP"), Attribute::Crypto(c) if c.session_params.is_some())
        );
    }

    #[test]
    fn candidates() {
        let a = round("candidate:2856242425 1 udp 1686052607 203.0.113.17 46243 typ srflx raddr 192.168.0.196 rport 46243 generation 0 network-id 1");
        let Attribute::Candidate(c) = a else {
            panic!("not a candidate")
        };
        assert_eq!(c.port, 46243);
        assert_eq!(c.kind, "srflx");
        assert_eq!(c.related_port, Some(46243));
        assert_eq!(
            c.extensions().collect::<Vec<_>>(),
            [("generation", "0"), ("network-id", "1")]
        );
        let Attribute::Candidate(c) = round("candidate:1 1 UDP 2130706431 10.0.1.1 8998 typ host")
        else {
            panic!("not a candidate")
        };
        assert_eq!(c.extensions().count(), 0);
        // An odd number of extension tokens is not a valid candidate.
        assert!(matches!(
            round("candidate:1 1 UDP 1 10.0.1.1 8998 typ host generation"),
            Attribute::Other { .. }
        ));
        let typed = |t: &str| matches!(Attribute::parse(t), Attribute::Candidate(_));
        for ok in [
            "candidate:1 1 UDP 1 10.0.1.1 8998 typ host ",
            "candidate:1 1 UDP 1 10.0.1.1 8998 typ host a b",
            "candidate:1 1 UDP 1 10.0.1.1 8998 typ host raddr 10.0.0.1 rport 9 a b",
        ] {
            assert!(typed(ok), "{ok}");
        }
        for bad in [
            "candidate:1 1 UDP 1 10.0.1.1 8998 typ host a b ",
            "candidate:1 1 UDP 1 10.0.1.1 8998 typ host a  b",
            "candidate:1 1 UDP 1 10.0.1.1 8998 typ host a\tb",
            "candidate:1 1 UDP 1 10.0.1.1 8998 typ host  a b",
            "candidate:1 1 UDP 1 10.0.1.1 8998 typ",
            "candidate:1 1 UDP 1 10.0.1.1 8998 typx host",
            "candidate:1  1 UDP 1 10.0.1.1 8998 typ host",
            "candidate:1 1 UDP 1 10.0.1.1 8998\t typ host",
            "candidate:1 1 UDP 1x 10.0.1.1 8998 typ host",
            "candidate:1 1 UDP 1 10.0.1.1 65536 typ host",
            "candidate:1 1 U\u{7f}P 1 10.0.1.1 8998 typ host",
        ] {
            assert!(!typed(bad), "{bad}");
        }
    }

    #[test]
    fn malformed_known_attributes_stay_raw() {
        for t in [
            "rtpmap:x PCMU/8000",
            "rtpmap:0 PCMU",
            "rtpmap:200 X/8000",
            "ptime:2x",
            "ptime:",
            "setup:maybe",
            "rtcp:99999",
            "fmtp:101",
            "ssrc:abc cname:x",
            "mid:",
            "crypto:1 X",
            "rtcp:9 IN IP4",
            "rtcp:9 IN IP4 a b",
            "rtcp:9 ",
            "rtcp:9 IN  IP4 a",
            "rtcp:9 IN IP4 a ",
            "rtcp:9\tIN IP4 a",
            "ssrc:1 ",
            "ssrc:1",
            "ssrc:1  cname:a",
            "ssrc:1\tcname:a",
            "fingerprint:sha-256",
            "fingerprint:sha-256 ",
            "fingerprint:sha-256 a b",
            "fingerprint:sha-256\ta b",
            "fingerprint: a",
        ] {
            assert!(matches!(round(t), Attribute::Other { .. }), "{t}");
        }
        for t in [
            "rtcp:9",
            "rtcp:9 IN IP4 a",
            "ssrc:1 cname:a b",
            "fingerprint:x y",
        ] {
            assert!(!matches!(round(t), Attribute::Other { .. }), "{t}");
        }
        assert!(
            matches!(round("extmap:1 urn:x"), Attribute::Other { name, .. } if name == "extmap")
        );
        assert!(matches!(round("recvonly:x"), Attribute::Other { .. }));
        assert!(matches!(
            round("custom"),
            Attribute::Other { value: None, .. }
        ));
        assert!(
            matches!(round("custom:"), Attribute::Other { value: Some(v), .. } if v.is_empty())
        );
    }

    #[test]
    fn attribute_is_small() {
        assert!(
            size_of::<Attribute<'_>>() <= 56,
            "{}",
            size_of::<Attribute<'_>>()
        );
    }

    #[test]
    fn directions() {
        use Direction::*;
        assert_eq!(SendOnly.reverse(), RecvOnly);
        assert_eq!(Inactive.reverse(), Inactive);
        assert_eq!(SendRecv.intersect(RecvOnly), RecvOnly);
        assert_eq!(SendOnly.intersect(RecvOnly), Inactive);
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_num::<u16>("65535"), Some(65535));
        assert_eq!(parse_num::<u16>("65536"), None);
        assert_eq!(parse_num::<u64>("+1"), None);
        assert_eq!(parse_num::<u64>("99999999999999999999"), None);
        assert_eq!(parse_num::<u64>(""), None);
    }
}
