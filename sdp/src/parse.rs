//! Parsing (RFC 8866 §5, §9) into a borrowing [`SessionDescription`].

use std::borrow::Cow;
use std::ops::{Deref, DerefMut};

use bytes::BufMut;

use crate::attribute::{is_token, parse_num, Attribute};
use crate::attributes::Attributes;
use crate::description::{
    Bandwidth, Connection, MediaDescription, Origin, Repeat, SessionDescription, TimeUnit, Timing,
    TypedTime, ZoneAdjustment,
};
use crate::formats::Formats;
use crate::text::{find, split, split2, Fields};
use crate::Error;

/// Parser settings: bounds on what it accepts (crossing one is an
/// [`Error::LimitExceeded`]) and opt-in tolerance of broken peers.
///
/// The default limits fit the largest real descriptions (browser offers with simulcast) with
/// room to spare; the default grammar is strict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParserConfig {
    /// Maximum size of the description in bytes (default 64 KiB).
    pub max_size: usize,
    /// Maximum number of lines (default 2048).
    pub max_lines: usize,
    /// Maximum number of media sections (default 64).
    pub max_media: usize,
    /// Maximum number of `a=` lines in the whole description (default 1024).
    pub max_attributes: usize,
    /// Accept lines out of the RFC 8866 §5 order within the session part or within a media
    /// section (default `false`). Seen in the wild, and even in RFC 3264's examples (`c=`
    /// after `t=`). Still refused: a line before `v=`, `m=` before any `t=`, `r=`/`z=`
    /// before any `t=`, a repeated single line (`o= s= i= u= c= k=` at session level,
    /// `i= k=` in a media section, `z=` per time description), and session-only lines inside
    /// a media section. Rendering such a description writes its lines in RFC order.
    pub allow_unordered_lines: bool,
}

impl Default for ParserConfig {
    fn default() -> Self {
        Self {
            max_size: 64 * 1024,
            max_lines: 2048,
            max_media: 64,
            max_attributes: 1024,
            allow_unordered_lines: false,
        }
    }
}

/// A parsed description that remembers its input.
///
/// Dereferences to [`SessionDescription`]. While it has not been changed, [`write_to`]
/// reproduces the input byte for byte (line ends included); any mutable access through
/// `DerefMut` forgets the input, and serializing then renders the model.
///
/// [`write_to`]: Self::write_to
///
/// ```
/// let input = b"v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nt=0 0\nm=audio 5004 RTP/AVP 0\n";
/// let mut sdp = sdp::Sdp::parse(input)?;
/// assert_eq!(sdp.to_vec(), input); // LF line ends kept while untouched
/// sdp.media[0].port = 5006;
/// assert!(sdp.to_vec().starts_with(b"v=0\r\no=")); // re-rendered with CRLF
/// # Ok::<(), sdp::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sdp<'a> {
    description: SessionDescription<'a>,
    raw: Option<&'a [u8]>,
}

impl<'a> Sdp<'a> {
    /// Parses a description with the default [`ParserConfig`].
    ///
    /// # Errors
    /// [`Error`] with the 1-based line number of the first problem.
    pub fn parse(input: &'a [u8]) -> Result<Self, Error> {
        Self::parse_with(input, &ParserConfig::default())
    }

    /// Parses a description with the given limits and tolerances.
    ///
    /// # Errors
    /// [`Error`] with the 1-based line number of the first problem.
    pub fn parse_with(input: &'a [u8], config: &ParserConfig) -> Result<Self, Error> {
        parse_description(input, config).map(|description| Self {
            description,
            raw: Some(input),
        })
    }

    /// Whether serializing will copy the original input (nothing was changed).
    pub fn is_verbatim(&self) -> bool {
        self.raw.is_some()
    }

    /// Writes the original input if unchanged, else the rendered model.
    pub fn write_to<B: BufMut>(&self, buf: &mut B) {
        match self.raw {
            Some(raw) => buf.put_slice(raw),
            None => self.description.write_to(buf),
        }
    }

    /// [`write_to`](Self::write_to) into a new vector.
    pub fn to_vec(&self) -> Vec<u8> {
        match self.raw {
            Some(raw) => raw.to_vec(),
            None => self.description.to_vec(),
        }
    }

    /// The model, without the input.
    pub fn into_description(self) -> SessionDescription<'a> {
        self.description
    }

    /// The model, detached from the input.
    pub fn into_owned(self) -> SessionDescription<'static> {
        self.description.into_owned()
    }
}

impl<'a> Deref for Sdp<'a> {
    type Target = SessionDescription<'a>;

    fn deref(&self) -> &SessionDescription<'a> {
        &self.description
    }
}

impl<'a> DerefMut for Sdp<'a> {
    fn deref_mut(&mut self) -> &mut SessionDescription<'a> {
        self.raw = None;
        &mut self.description
    }
}

impl<'a> From<SessionDescription<'a>> for Sdp<'a> {
    fn from(description: SessionDescription<'a>) -> Self {
        Self {
            description,
            raw: None,
        }
    }
}

impl<'a> From<Sdp<'a>> for SessionDescription<'a> {
    fn from(sdp: Sdp<'a>) -> Self {
        sdp.description
    }
}

impl<'a> SessionDescription<'a> {
    /// Parses a description with the default [`ParserConfig`], without keeping the input for a
    /// verbatim copy (see [`Sdp`] for that).
    ///
    /// # Errors
    /// [`Error`] with the 1-based line number of the first problem.
    pub fn parse(input: &'a [u8]) -> Result<Self, Error> {
        parse_description(input, &ParserConfig::default())
    }
}

/// Position in the RFC 8866 §5 line order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Start,
    V,
    O,
    S,
    I,
    U,
    E,
    P,
    C,
    B,
    T,
    R,
    Z,
    K,
    A,
    MediaM,
    MediaI,
    MediaC,
    MediaB,
    MediaK,
    MediaA,
}

const SESSION_ORDER: &str = "session lines in the order v o s i u e p c b t r z k a m";
const MEDIA_ORDER: &str = "media lines in the order m i c b k a";

fn parse_description<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> Result<SessionDescription<'a>, Error> {
    if input.len() > config.max_size {
        return Err(Error::LimitExceeded {
            line: 0,
            what: "bytes",
            limit: config.max_size,
        });
    }
    // SIMD validation (several times faster than `std` on SDP-sized inputs); `std` only to
    // locate the error.
    let text = match simdutf8::basic::from_utf8(input) {
        Ok(text) => text,
        Err(_) => std::str::from_utf8(input).map_err(|e| Error::InvalidUtf8 {
            line: 1 + input
                .get(..e.valid_up_to())
                .map_or(0, |b| memchr::memchr_iter(b'\n', b).count()),
        })?,
    };

    let mut version = None;
    let mut origin = None;
    let mut session_name = None;
    let mut d = SessionDescription {
        version: 0,
        origin: Origin {
            username: Cow::Borrowed(""),
            session_id: 0,
            session_version: 0,
            nettype: Cow::Borrowed(""),
            addrtype: Cow::Borrowed(""),
            unicast_address: Cow::Borrowed(""),
        },
        session_name: Cow::Borrowed(""),
        information: None,
        uri: None,
        emails: Vec::new(),
        phones: Vec::new(),
        connection: None,
        bandwidths: Vec::new(),
        times: Vec::new(),
        key: None,
        attributes: Attributes::new(),
        media: Vec::new(),
    };
    // The current section's run of `a=` lines (strict mode): byte range in `text` and number
    // of lines; and whether every line so far ended with CRLF (then so do the separators of
    // any run).
    let mut run = Run::default();
    let mut all_crlf = true;
    let mut rank = Rank::Start;
    let mut attributes = 0usize;
    let mut seen = 0u32;
    let mut blank_at = None;
    let mut line_no = 0usize;

    let mut rest = Some(text);
    while let Some(r) = rest {
        let line_start = text.len() - r.len();
        let raw_line = match crate::text::line_end(r.as_bytes()) {
            Some(i) => {
                rest = r.get(i + 1..);
                r.get(..i).unwrap_or("")
            }
            None => {
                rest = None;
                r
            }
        };
        line_no += 1;
        if line_no > config.max_lines {
            return Err(Error::LimitExceeded {
                line: line_no,
                what: "lines",
                limit: config.max_lines,
            });
        }
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        if line.is_empty() {
            // Only trailing empty lines are tolerated.
            blank_at.get_or_insert(line_no);
            continue;
        }
        if let Some(at) = blank_at {
            return Err(syntax(at, "line", "<type>=<value>, not an empty line"));
        }
        all_crlf &= raw_line.len() != line.len();
        let bytes = line.as_bytes();
        let (Some(&kind), Some(b'=')) = (bytes.first(), bytes.get(1)) else {
            return Err(syntax(line_no, "line", "<type>=<value>"));
        };
        let value = line.get(2..).unwrap_or("");
        let in_media = rank >= Rank::MediaM;
        // Fast path for the most frequent line, `a=` in order (strict mode): the same checks
        // as below, without the general dispatch.
        if kind == b'a' && !config.allow_unordered_lines && rank != Rank::Start {
            let next = if in_media { Rank::MediaA } else { Rank::A };
            if next >= rank {
                rank = next;
                count_attribute(value, line_no, &mut attributes, config)?;
                if run.len == 0 {
                    run.start = line_start;
                }
                run.end = line_start + line.len();
                run.len += 1;
                continue;
            }
        }
        let next = match (kind, in_media) {
            (b'v', _) => Rank::V,
            (b'o', false) => Rank::O,
            (b's', false) => Rank::S,
            (b'i', false) => Rank::I,
            (b'u', false) => Rank::U,
            (b'e', false) => Rank::E,
            (b'p', false) => Rank::P,
            (b'c', false) => Rank::C,
            (b'b', false) => Rank::B,
            (b't', false) => Rank::T,
            (b'r', false) => Rank::R,
            (b'z', false) => Rank::Z,
            (b'k', false) => Rank::K,
            (b'a', false) => Rank::A,
            (b'm', _) => Rank::MediaM,
            (b'i', true) => Rank::MediaI,
            (b'c', true) => Rank::MediaC,
            (b'b', true) => Rank::MediaB,
            (b'k', true) => Rank::MediaK,
            (b'a', true) => Rank::MediaA,
            (b'o' | b's' | b'u' | b'e' | b'p' | b't' | b'r' | b'z', true) => {
                return Err(unexpected(line_no, kind, MEDIA_ORDER));
            }
            _ => {
                return Err(Error::UnknownLineType {
                    line: line_no,
                    found: char::from(kind),
                })
            }
        };
        let allowed = if config.allow_unordered_lines {
            let single = matches!(
                next,
                Rank::O
                    | Rank::S
                    | Rank::I
                    | Rank::U
                    | Rank::C
                    | Rank::K
                    | Rank::MediaI
                    | Rank::MediaK
            );
            let bit = 1u32 << (next as u32);
            let ok = match next {
                Rank::V => rank == Rank::Start,
                _ if rank == Rank::Start => false,
                Rank::MediaM | Rank::R => !d.times.is_empty(),
                Rank::Z => d
                    .times
                    .last()
                    .is_some_and(|t| t.zone_adjustments.is_empty()),
                _ => !single || seen & bit == 0,
            };
            seen |= bit;
            if next == Rank::MediaM {
                seen = 0;
            }
            ok
        } else {
            match next {
                Rank::V => rank == Rank::Start,
                _ if rank == Rank::Start => false,
                Rank::E
                | Rank::P
                | Rank::B
                | Rank::A
                | Rank::MediaC
                | Rank::MediaB
                | Rank::MediaA => next >= rank,
                // A new time description may follow t=, r= or z=.
                Rank::T => rank <= Rank::Z,
                // r= and z= belong to the current time description.
                Rank::R => rank == Rank::T || rank == Rank::R,
                Rank::Z => rank == Rank::T || rank == Rank::R,
                Rank::MediaM => rank >= Rank::T,
                _ => next > rank,
            }
        };
        if !allowed {
            let expected = match rank {
                Rank::Start => "v= as the first line",
                _ if next == Rank::MediaM => "t= before the first m=",
                _ if config.allow_unordered_lines && matches!(next, Rank::R | Rank::Z) => {
                    "t= before r= and z=, and one z= per t="
                }
                _ if config.allow_unordered_lines => "at most one line of this type here",
                _ if in_media => MEDIA_ORDER,
                _ => SESSION_ORDER,
            };
            return Err(unexpected(line_no, kind, expected));
        }
        rank = if config.allow_unordered_lines {
            rank.max(next)
        } else {
            next
        };
        match next {
            Rank::V => {
                version = Some(
                    parse_num(value).ok_or_else(|| syntax(line_no, "v= version", "a number"))?,
                );
            }
            Rank::O => origin = Some(parse_origin(value, line_no)?),
            Rank::S => session_name = Some(Cow::Borrowed(value)),
            Rank::I => d.information = Some(Cow::Borrowed(value)),
            Rank::U => d.uri = Some(Cow::Borrowed(value)),
            Rank::E => d.emails.push(Cow::Borrowed(value)),
            Rank::P => d.phones.push(Cow::Borrowed(value)),
            Rank::C => d.connection = Some(parse_connection(value, line_no)?),
            Rank::B => d.bandwidths.push(parse_bandwidth(value, line_no)?),
            Rank::T => {
                let t = parse_timing(value, line_no)?;
                if d.times.capacity() == 0 {
                    // Nearly every description has one t= line; a direct allocation is
                    // cheaper than the amortized growth path.
                    d.times = Vec::with_capacity(1);
                }
                d.times.push(t);
            }
            Rank::R => {
                let repeat = parse_repeat(value, line_no)?;
                if let Some(t) = d.times.last_mut() {
                    t.repeats.push(repeat);
                }
            }
            Rank::Z => {
                let zones = parse_zones(value, line_no)?;
                if let Some(t) = d.times.last_mut() {
                    t.zone_adjustments = zones;
                }
            }
            Rank::K => d.key = Some(Cow::Borrowed(value)),
            Rank::A | Rank::MediaA => {
                count_attribute(value, line_no, &mut attributes, config)?;
                let attribute = Attribute::parse(value);
                match d.media.last_mut() {
                    Some(m) if next == Rank::MediaA => m.attributes.push(attribute),
                    _ => d.attributes.push(attribute),
                }
            }
            Rank::MediaM => {
                if d.media.len() >= config.max_media {
                    return Err(Error::LimitExceeded {
                        line: line_no,
                        what: "media sections",
                        limit: config.max_media,
                    });
                }
                let m = parse_media(value, line_no)?;
                run.flush(text, &mut d, all_crlf);
                if d.media.capacity() == 0 {
                    // Room for audio, video and data without growth; a block of 4 media
                    // sections is past glibc's per-thread cache and costs ~150 instructions
                    // more to allocate and free.
                    d.media = Vec::with_capacity(3);
                }
                d.media.push(m);
            }
            Rank::MediaI | Rank::MediaC | Rank::MediaB | Rank::MediaK => {
                let Some(m) = d.media.last_mut() else {
                    return Err(unexpected(line_no, kind, MEDIA_ORDER));
                };
                match next {
                    Rank::MediaI => m.information = Some(Cow::Borrowed(value)),
                    Rank::MediaC => {
                        let c = parse_connection(value, line_no)?;
                        if m.connections.capacity() == 0 {
                            m.connections = Vec::with_capacity(1);
                        }
                        m.connections.push(c);
                    }
                    Rank::MediaB => {
                        let b = parse_bandwidth(value, line_no)?;
                        if m.bandwidths.capacity() == 0 {
                            m.bandwidths = Vec::with_capacity(1);
                        }
                        m.bandwidths.push(b);
                    }
                    _ => m.key = Some(Cow::Borrowed(value)),
                }
            }
            Rank::Start => {}
        }
    }

    run.flush(text, &mut d, all_crlf);
    d.version = version.ok_or(Error::MissingLine('v'))?;
    d.origin = origin.ok_or(Error::MissingLine('o'))?;
    d.session_name = session_name.ok_or(Error::MissingLine('s'))?;
    if d.times.is_empty() {
        return Err(Error::MissingLine('t'));
    }
    Ok(d)
}

/// Counts an `a=` line against the limit and checks its name (typing it is left to the
/// readers of [`Attributes`]: it never fails).
#[inline(always)]
fn count_attribute(
    value: &str,
    line_no: usize,
    attributes: &mut usize,
    config: &ParserConfig,
) -> Result<(), Error> {
    *attributes += 1;
    if *attributes > config.max_attributes {
        return Err(Error::LimitExceeded {
            line: line_no,
            what: "attributes",
            limit: config.max_attributes,
        });
    }
    // The name, up to the first `:`, must be a token: one pass over its bytes (names are
    // short).
    let b = value.as_bytes();
    let mut i = 0;
    if let Some(c) = b.first_chunk::<8>() {
        // Eight bytes at once: most names end within them.
        let (colon, invisible) = crate::text::scan8(c, b':');
        if colon < invisible && colon > 0 {
            return Ok(());
        }
        if colon < invisible || invisible < 8 {
            return Err(syntax(line_no, "a= attribute name", "a token"));
        }
        i = 8;
    }
    loop {
        match b.get(i) {
            Some(b':') | None if i > 0 => return Ok(()),
            Some(&c) if c > b' ' && c != 0x7f && c != b':' => i += 1,
            _ => return Err(syntax(line_no, "a= attribute name", "a token")),
        }
    }
}

/// A run of consecutive `a=` lines of the current section, kept as one span of the input.
#[derive(Default)]
struct Run {
    start: usize,
    end: usize,
    len: usize,
}

impl Run {
    /// Hands the run to the current section (the last media section, else the session).
    #[inline(always)]
    /// `crlf`: every line so far ended with CRLF (a stricter condition than the run's
    /// separators being CRLF, which is what [`Attributes`] records).
    fn flush<'a>(&mut self, text: &'a str, d: &mut SessionDescription<'a>, crlf: bool) {
        if self.len == 0 {
            return;
        }
        let span = text.get(self.start..self.end).unwrap_or("");
        let target = match d.media.last_mut() {
            Some(m) => &mut m.attributes,
            None => &mut d.attributes,
        };
        target.append_raw(span, self.len, crlf);
        self.len = 0;
    }
}

fn parse_origin(value: &str, line: usize) -> Result<Origin<'_>, Error> {
    let mut f = Fields(value);
    let mut token = |field| {
        f.next()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| syntax(line, field, "a non-empty field"))
    };
    let username = token("o= username")?;
    let session_id = token("o= session id")?;
    let session_version = token("o= session version")?;
    let nettype = token("o= nettype")?;
    let addrtype = token("o= addrtype")?;
    let address = token("o= unicast address")?;
    if !f.0.is_empty() {
        return Err(syntax(line, "o=", "exactly six fields"));
    }
    Ok(Origin {
        username: Cow::Borrowed(username),
        session_id: parse_num(session_id)
            .ok_or_else(|| syntax(line, "o= session id", "a number"))?,
        session_version: parse_num(session_version)
            .ok_or_else(|| syntax(line, "o= session version", "a number"))?,
        nettype: Cow::Borrowed(nettype),
        addrtype: Cow::Borrowed(addrtype),
        unicast_address: Cow::Borrowed(address),
    })
}

fn parse_connection(value: &str, line: usize) -> Result<Connection<'_>, Error> {
    // The usual line, `IN IP4 <address>` or `IN IP6 <address>` without `/` or space in the
    // address: what the general path below gives, in fewer scans.
    let addrtype = match value.as_bytes().get(..7) {
        Some(b"IN IP4 ") => Some("IP4"),
        Some(b"IN IP6 ") => Some("IP6"),
        _ => None,
    };
    if let (Some(addrtype), Some(address)) = (addrtype, value.get(7..)) {
        if !address.is_empty() && find(address, b' ').is_none() && find(address, b'/').is_none() {
            return Ok(Connection {
                nettype: Cow::Borrowed("IN"),
                addrtype: Cow::Borrowed(addrtype),
                address: Cow::Borrowed(address),
                ttl: None,
                count: None,
            });
        }
    }
    // Three fields between single spaces (one trailing space tolerated, as `Fields` does).
    let fields = split2(value, b' ').and_then(|(nettype, rest)| {
        let (addrtype, address) = split2(rest, b' ')?;
        match split2(address, b' ') {
            None => Some((nettype, addrtype, address)),
            Some((address, "")) => Some((nettype, addrtype, address)),
            Some(_) => None,
        }
    });
    let Some((nettype, addrtype, address)) = fields else {
        return Err(syntax(line, "c=", "<nettype> <addrtype> <address>"));
    };
    if nettype.is_empty() || addrtype.is_empty() || address.is_empty() {
        return Err(syntax(line, "c=", "<nettype> <addrtype> <address>"));
    }
    if find(address, b'/').is_none() {
        return Ok(Connection {
            nettype: Cow::Borrowed(nettype),
            addrtype: Cow::Borrowed(addrtype),
            address: Cow::Borrowed(address),
            ttl: None,
            count: None,
        });
    }
    let mut parts = split(address, b'/');
    let base = parts.next().unwrap_or(address);
    let first = parts.next();
    let second = parts.next();
    if parts.next().is_some() || base.is_empty() {
        return Err(syntax(line, "c= address", "<address>[/<ttl>][/<count>]"));
    }
    let number =
        |s: &str, field| parse_num::<u32>(s).ok_or_else(|| syntax(line, field, "a number"));
    // RFC 8866 §5.7: IPv4 multicast carries a TTL, then an optional count; IPv6 only a count.
    let (ttl, count) = match (addrtype, first, second) {
        (_, None, _) => (None, None),
        ("IP4", Some(t), c) => {
            let ttl = parse_num::<u8>(t).ok_or_else(|| syntax(line, "c= ttl", "0 to 255"))?;
            (
                Some(ttl),
                c.map(|c| number(c, "c= number of addresses")).transpose()?,
            )
        }
        (_, Some(c), None) => (None, Some(number(c, "c= number of addresses")?)),
        _ => return Err(syntax(line, "c= address", "<address>[/<count>] for IP6")),
    };
    Ok(Connection {
        nettype: Cow::Borrowed(nettype),
        addrtype: Cow::Borrowed(addrtype),
        address: Cow::Borrowed(base),
        ttl,
        count,
    })
}

fn parse_bandwidth(value: &str, line: usize) -> Result<Bandwidth<'_>, Error> {
    let (bwtype, bw) = split2(value, b':')
        .filter(|(t, _)| is_token(t))
        .ok_or_else(|| syntax(line, "b=", "<bwtype>:<bandwidth>"))?;
    Ok(Bandwidth {
        bwtype: Cow::Borrowed(bwtype),
        bandwidth: parse_num(bw).ok_or_else(|| syntax(line, "b= bandwidth", "a number"))?,
    })
}

fn parse_timing(value: &str, line: usize) -> Result<Timing, Error> {
    let mut f = Fields(value);
    let (Some(start), Some(stop), None) = (f.next(), f.next(), f.next()) else {
        return Err(syntax(line, "t=", "<start-time> <stop-time>"));
    };
    Ok(Timing {
        start: parse_num(start).ok_or_else(|| syntax(line, "t= start time", "a number"))?,
        stop: parse_num(stop).ok_or_else(|| syntax(line, "t= stop time", "a number"))?,
        repeats: Vec::new(),
        zone_adjustments: Vec::new(),
    })
}

fn parse_typed_time(s: &str) -> Option<TypedTime> {
    let (digits, unit) = match s.as_bytes().last().copied().and_then(TimeUnit::from_byte) {
        Some(u) => (s.get(..s.len().saturating_sub(1))?, Some(u)),
        None => (s, None),
    };
    Some(TypedTime {
        value: parse_num(digits)?,
        unit,
    })
}

fn parse_repeat(value: &str, line: usize) -> Result<Repeat, Error> {
    let mut times = Fields(value).map(parse_typed_time);
    let err = || syntax(line, "r=", "<interval> <duration> <offsets> as typed times");
    let interval = times.next().flatten().ok_or_else(err)?;
    let duration = times.next().flatten().ok_or_else(err)?;
    let offsets = times.collect::<Option<Vec<_>>>().ok_or_else(err)?;
    Ok(Repeat {
        interval,
        duration,
        offsets,
    })
}

fn parse_zones(value: &str, line: usize) -> Result<Vec<ZoneAdjustment>, Error> {
    let err = || syntax(line, "z=", "pairs of <adjustment time> [-]<offset>");
    let mut f = Fields(value);
    let mut zones = Vec::new();
    while let Some(time) = f.next() {
        let offset = f.next().ok_or_else(err)?;
        let (negative, offset) = match offset.strip_prefix('-') {
            Some(o) => (true, o),
            None => (false, offset),
        };
        zones.push(ZoneAdjustment {
            time: parse_num(time).ok_or_else(err)?,
            negative,
            offset: parse_typed_time(offset).ok_or_else(err)?,
        });
    }
    if zones.is_empty() {
        return Err(err());
    }
    Ok(zones)
}

fn parse_media(value: &str, line: usize) -> Result<MediaDescription<'_>, Error> {
    let mut f = Fields(value);
    let err = || {
        syntax(
            line,
            "m=",
            "<media> <port>[/<number of ports>] <proto> <fmt> ...",
        )
    };
    let media = f.next().filter(|s| !s.is_empty()).ok_or_else(err)?;
    let port = f.next().ok_or_else(err)?;
    let protocol = f.next().filter(|s| !s.is_empty()).ok_or_else(err)?;
    let (port, port_count) = match split2(port, b'/') {
        Some((p, n)) => (
            p,
            Some(parse_num(n).ok_or_else(|| syntax(line, "m= number of ports", "a number"))?),
        ),
        None => (port, None),
    };
    let port = parse_num(port).ok_or_else(|| syntax(line, "m= port", "a number up to 65535"))?;
    // Formats between single spaces, none empty (one trailing space tolerated).
    let formats = f.0;
    if formats.is_empty() {
        return Err(syntax(line, "m= format", "at least one format"));
    }
    let b = formats.as_bytes();
    if b.first() == Some(&b' ') || b.windows(2).any(|w| w == b"  ") {
        return Err(syntax(line, "m= format", "a token"));
    }
    Ok(MediaDescription {
        media: Cow::Borrowed(media),
        port,
        port_count,
        protocol: Cow::Borrowed(protocol),
        formats: Formats::parsed(formats),
        information: None,
        connections: Vec::new(),
        bandwidths: Vec::new(),
        key: None,
        attributes: Attributes::new(),
    })
}

fn syntax(line: usize, field: &'static str, expected: &'static str) -> Error {
    Error::Syntax {
        line,
        field,
        expected,
    }
}

fn unexpected(line: usize, kind: u8, expected: &'static str) -> Error {
    Error::UnexpectedLine {
        line,
        found: char::from(kind),
        expected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: &str = "v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.101\r\ns=-\r\nc=IN IP4 192.0.2.101\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n";

    #[test]
    fn parses_and_renders_identically() {
        let sdp = Sdp::parse(ALICE.as_bytes()).unwrap();
        assert_eq!(sdp.origin.session_id, 2890844526);
        assert_eq!(sdp.media.len(), 1);
        assert_eq!(sdp.media[0].attributes.len(), 6);
        assert_eq!(sdp.to_vec(), ALICE.as_bytes());
        assert_eq!(sdp.into_description().to_vec(), ALICE.as_bytes());
    }

    #[test]
    fn every_line_type() {
        let text = "v=0\r\no=jdoe 3724394400 3724394405 IN IP4 198.51.100.1\r\ns=Call to John Smith\r\ni=SDP Offer #1\r\nu=http://www.jdoe.example.com/home.html\r\ne=Jane Doe <jane@jdoe.example.com>\r\np=+1 617 555-6011\r\nc=IN IP4 233.252.0.1/127/2\r\nb=CT:128\r\nt=3724394400 3724398000\r\nr=7d 1h 0 25h\r\nz=2882844526 -1h 2898848070 0\r\nt=0 0\r\nk=prompt\r\na=recvonly\r\nm=audio 49170/2 RTP/AVP 0\r\ni=voice\r\nc=IN IP6 ff15::101/3\r\nc=IN IP6 ff15::201\r\nb=AS:64\r\nk=clear:abc\r\na=ptime:30\r\nm=video 51372 RTP/AVP 99\r\nc=IN IP6 2001:db8::2\r\na=rtpmap:99 h263-1998/90000\r\n";
        let sdp = Sdp::parse(text.as_bytes()).unwrap();
        assert_eq!(sdp.emails.len(), 1);
        let c = sdp.connection.as_ref().unwrap();
        assert_eq!(
            (c.ttl, c.count, &*c.address),
            (Some(127), Some(2), "233.252.0.1")
        );
        assert_eq!(sdp.times.len(), 2);
        assert_eq!(sdp.times[0].repeats[0].interval.as_seconds(), 7 * 86400);
        assert_eq!(sdp.times[0].zone_adjustments.len(), 2);
        assert!(sdp.times[0].zone_adjustments[0].negative);
        let m = &sdp.media[0];
        assert_eq!((m.port, m.port_count), (49170, Some(2)));
        assert_eq!(m.connections[0].count, Some(3));
        assert_eq!(m.connections[0].ttl, None);
        assert_eq!(sdp.connection_for(1).unwrap().address, "2001:db8::2");
        assert_eq!(sdp.direction_for(1), crate::Direction::RecvOnly);
        assert_eq!(sdp.clone().into_description().to_vec(), text.as_bytes());
        let owned = sdp.into_owned();
        assert_eq!(owned.to_vec(), text.as_bytes());
    }

    #[test]
    fn lf_only_and_missing_final_newline() {
        let lf = ALICE.replace("\r\n", "\n");
        let sdp = Sdp::parse(lf.as_bytes()).unwrap();
        assert_eq!(sdp.to_vec(), lf.as_bytes());
        assert_eq!(sdp.into_description().to_vec(), ALICE.as_bytes());
        let cut = ALICE.trim_end();
        assert_eq!(
            Sdp::parse(cut.as_bytes())
                .unwrap()
                .into_description()
                .to_vec(),
            ALICE.as_bytes()
        );
        let extra = format!("{ALICE}\r\n\r\n");
        assert!(Sdp::parse(extra.as_bytes()).is_ok());
    }

    #[test]
    fn errors_carry_line_numbers() {
        let cases: &[(&str, Error)] = &[
            ("", Error::MissingLine('v')),
            ("v=0\r\ns=-\r\nt=0 0\r\n", Error::MissingLine('o')),
            ("v=0\r\no=- 1 1 IN IP4 x\r\ns=-\r\n", Error::MissingLine('t')),
            ("o=- 1 1 IN IP4 x\r\n", unexpected(1, b'o', "v= as the first line")),
            ("v=0\r\no=- x 1 IN IP4 h\r\n", syntax(2, "o= session id", "a number")),
            ("v=0\r\no=- 1 1 IN IP4\r\n", syntax(2, "o= unicast address", "a non-empty field")),
            ("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nx=1\r\n", Error::UnknownLineType { line: 5, found: 'x' }),
            ("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\ns=again\r\n", unexpected(5, b's', SESSION_ORDER)),
            ("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nm=audio 1 RTP/AVP 0\r\n", unexpected(4, b'm', "t= before the first m=")),
            ("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\na=x\r\nc=IN IP4 h\r\n", unexpected(7, b'c', MEDIA_ORDER)),
            ("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 70000 RTP/AVP 0\r\n", syntax(5, "m= port", "a number up to 65535")),
            ("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP\r\n", syntax(5, "m= format", "at least one format")),
            ("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 1.2.3.4/300\r\n", syntax(4, "c= ttl", "0 to 255")),
            ("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP6 ff::1/3/4\r\n", syntax(4, "c= address", "<address>[/<count>] for IP6")),
            ("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\na=\r\n", syntax(5, "a= attribute name", "a token")),
            ("v=0\r\n\r\no=- 1 1 IN IP4 h\r\n", syntax(2, "line", "<type>=<value>, not an empty line")),
            ("v=0\r\nbogus\r\n", syntax(2, "line", "<type>=<value>")),
        ];
        for (text, want) in cases {
            assert_eq!(Sdp::parse(text.as_bytes()).unwrap_err(), *want, "{text:?}");
        }
        assert_eq!(
            Sdp::parse(b"v=0\r\ns=\xff\r\n").unwrap_err(),
            Error::InvalidUtf8 { line: 2 }
        );
    }

    #[test]
    fn attribute_names_are_tokens() {
        let config = ParserConfig::default();
        let mut values = Vec::new();
        for len in 0..14 {
            let name: String = "abcdefghijklmn".chars().take(len).collect();
            values.push(name.clone());
            values.push(format!("{name}:v a"));
            for at in 0..=len {
                for bad in [" ", "\t", "\u{7f}", ":", "é", "\0"] {
                    let mut v = name.clone();
                    v.insert_str(at, bad);
                    values.push(v.clone());
                    values.push(format!("{v}:x"));
                }
            }
        }
        for v in values {
            let name = v.split(':').next().unwrap_or("");
            let want = is_token(name);
            let mut n = 0;
            let got = count_attribute(&v, 7, &mut n, &config);
            assert_eq!(got.is_ok(), want, "{v:?}");
            if !want {
                assert_eq!(got, Err(syntax(7, "a= attribute name", "a token")));
            }
        }
    }

    #[test]
    fn connection_field_splitting() {
        let c = |v: &str| parse_connection(v, 3).map(|c| c.address.into_owned());
        assert_eq!(c("IN IP4 192.0.2.1").unwrap(), "192.0.2.1");
        assert_eq!(c("IN IP4 192.0.2.1 ").unwrap(), "192.0.2.1");
        assert_eq!(c("IN IP4 a\tb").unwrap(), "a\tb");
        let err = syntax(3, "c=", "<nettype> <addrtype> <address>");
        for bad in [
            "",
            "IN",
            "IN IP4",
            "IN IP4 ",
            "IN IP4 a b",
            "IN IP4 a  ",
            "IN  IP4 a",
            " IN IP4 a",
        ] {
            assert_eq!(c(bad).unwrap_err(), err, "{bad:?}");
        }
    }

    #[test]
    fn limits() {
        let limits = ParserConfig {
            max_media: 1,
            ..ParserConfig::default()
        };
        let two = format!("{ALICE}m=video 2 RTP/AVP 96\r\n");
        assert!(matches!(
            Sdp::parse_with(two.as_bytes(), &limits),
            Err(Error::LimitExceeded {
                what: "media sections",
                line: 13,
                ..
            })
        ));
        let limits = ParserConfig {
            max_attributes: 5,
            ..ParserConfig::default()
        };
        assert!(matches!(
            Sdp::parse_with(ALICE.as_bytes(), &limits),
            Err(Error::LimitExceeded {
                what: "attributes",
                ..
            })
        ));
        let limits = ParserConfig {
            max_lines: 3,
            ..ParserConfig::default()
        };
        assert!(matches!(
            Sdp::parse_with(ALICE.as_bytes(), &limits),
            Err(Error::LimitExceeded {
                what: "lines",
                line: 4,
                ..
            })
        ));
        let limits = ParserConfig {
            max_size: 10,
            ..ParserConfig::default()
        };
        assert!(matches!(
            Sdp::parse_with(ALICE.as_bytes(), &limits),
            Err(Error::LimitExceeded { what: "bytes", .. })
        ));
    }

    #[test]
    fn unordered_lines_are_opt_in() {
        // RFC 3264 §10.1 puts c= after t=.
        let text = "v=0\r\no=carol 1 1 IN IP4 100.3.6.6\r\ns=-\r\nt=0 0\r\nc=IN IP4 192.0.2.4\r\nm=audio 0 RTP/AVP 0\r\na=sendonly\r\nc=IN IP4 192.0.2.5\r\nb=AS:64\r\n";
        assert_eq!(
            Sdp::parse(text.as_bytes()).unwrap_err(),
            unexpected(5, b'c', SESSION_ORDER)
        );
        let relaxed = ParserConfig {
            allow_unordered_lines: true,
            ..ParserConfig::default()
        };
        let sdp = Sdp::parse_with(text.as_bytes(), &relaxed).unwrap();
        assert_eq!(sdp.to_vec(), text.as_bytes());
        assert_eq!(sdp.connection.as_ref().unwrap().address, "192.0.2.4");
        assert_eq!(sdp.media[0].connections[0].address, "192.0.2.5");
        assert_eq!(sdp.media[0].bandwidths.len(), 1);
        // Rendering puts the lines in RFC order, which the strict parser accepts.
        let model = sdp.into_description();
        assert_eq!(SessionDescription::parse(&model.to_vec()).unwrap(), model);

        let refused: &[(&str, usize, u8)] = &[
            ("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\ns=again\r\nt=0 0\r\n", 4, b's'),
            ("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nr=1 1 0\r\nt=0 0\r\n", 4, b'r'),
            ("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nm=audio 1 RTP/AVP 0\r\nt=0 0\r\n", 4, b'm'),
            ("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\ni=a\r\na=x\r\ni=b\r\n", 8, b'i'),
            ("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\ns=x\r\n", 6, b's'),
            ("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nz=1 1\r\nz=2 2\r\n", 6, b'z'),
            ("o=- 1 1 IN IP4 h\r\nv=0\r\n", 1, b'o'),
        ];
        for (text, line, kind) in refused {
            match Sdp::parse_with(text.as_bytes(), &relaxed).unwrap_err() {
                Error::UnexpectedLine { line: l, found, .. } => {
                    assert_eq!((l, found), (*line, char::from(*kind)), "{text:?}")
                }
                other => panic!("{text:?}: {other}"),
            }
        }
    }

    #[test]
    fn mutation_forgets_input() {
        let lf = ALICE.replace("\r\n", "\n");
        let mut sdp = Sdp::parse(lf.as_bytes()).unwrap();
        assert!(sdp.is_verbatim());
        sdp.media[0].port = 4000;
        assert!(!sdp.is_verbatim());
        let out = sdp.to_vec();
        assert!(String::from_utf8(out)
            .unwrap()
            .contains("m=audio 4000 RTP/AVP 0 8 101\r\n"));
    }
}
