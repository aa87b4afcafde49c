//! The `a=` lines of a session or a media section, typed on access.
//!
//! Parsing does not type attributes: it checks each name and keeps the section's run of
//! `a=` lines as one span of the input. [`Attributes::iter`] and the lookups
//! ([`rtpmap`](Attributes::rtpmap), [`fmtp`](Attributes::fmtp), …) type a line when they
//! reach it. Typing never fails ([`Attribute::parse`] keeps what does not match a typed
//! grammar as [`Attribute::Other`]), so doing it late changes no outcome: the same input
//! gives the same attributes, and every line-level error is still found by the parser.

use std::borrow::Cow;
use std::fmt;

use bytes::BufMut;

use crate::attribute::{Attribute, Direction, RtpMap};
use crate::description::PayloadCodec;
use crate::payload::StaticPayload;
use crate::text::line_end;
use crate::write::Put;

/// The `a=` lines of a session or a media section, in order.
///
/// A parsed section holds its lines as text and types each one when it is read; a built or
/// changed one holds typed [`Attribute`]s. Both behave the same: equality compares the
/// typed attributes, and serializing writes the same lines (a parsed, untouched run of
/// lines is written as it was read, with CRLF line ends).
///
/// ```
/// use sdp::{Attribute, Attributes, Direction};
///
/// let d = sdp::Sdp::parse(b"v=0\no=- 1 1 IN IP4 h\ns=-\nt=0 0\nm=audio 1 RTP/AVP 96\na=rtpmap:96 opus/48000/2\na=sendonly\n")?;
/// let a = &d.media[0].attributes;
/// assert_eq!(a.len(), 2);
/// assert_eq!(a.rtpmap(96).map(|m| m.clock_rate), Some(48000));
/// assert_eq!(a.direction(), Some(Direction::SendOnly));
/// assert!(matches!(a.iter().nth(1).as_deref(), Some(Attribute::Direction(Direction::SendOnly))));
///
/// let mut built = Attributes::new();
/// built.push(Attribute::Direction(Direction::SendOnly));
/// assert_eq!(built, Attributes::from(vec![Attribute::Direction(Direction::SendOnly)]));
/// # Ok::<(), sdp::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Attributes<'a>(Repr<'a>);

#[derive(Clone)]
enum Repr<'a> {
    /// Parsed lines, not typed.
    Raw(Raw<'a>),
    Typed(Vec<Attribute<'a>>),
}

impl Default for Repr<'_> {
    fn default() -> Self {
        Self::Typed(Vec::new())
    }
}

/// Consecutive `a=` lines as parsed: from the `a` of the first line to the end of the last
/// line's value (its line end excluded), lines separated by LF or CRLF.
#[derive(Clone)]
struct Raw<'a> {
    text: Cow<'a, str>,
    /// Number of lines (at least one).
    len: u32,
    /// Every separator is CRLF, so the text is already in serialized form.
    crlf: bool,
}

/// One attribute, typed or still a line (the text after `a=`).
#[derive(Clone, Copy)]
enum Entry<'s, 'a> {
    Line(&'s str),
    Typed(&'s Attribute<'a>),
}

impl<'s, 'a> Entry<'s, 'a> {
    /// The attribute, typed.
    #[inline]
    fn typed(self) -> Cow<'s, Attribute<'s>> {
        match self {
            Self::Line(v) => Cow::Owned(Attribute::parse(v)),
            Self::Typed(a) => Cow::Borrowed(a),
        }
    }

    /// Whether the attribute's name is `name` (typing the line would give an attribute whose
    /// [`Attribute::name`] is the text before its first `:`).
    #[inline]
    fn is_named(self, name: &str) -> bool {
        match self {
            Self::Line(v) => v
                .strip_prefix(name)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(':')),
            Self::Typed(a) => a.name() == name,
        }
    }
}

/// Splits a raw run into the values of its lines (after `a=`).
#[derive(Clone)]
struct Lines<'s> {
    rest: Option<&'s str>,
}

impl<'s> Iterator for Lines<'s> {
    type Item = &'s str;

    #[inline]
    fn next(&mut self) -> Option<&'s str> {
        let r = self.rest?;
        let line = match line_end(r.as_bytes()) {
            Some(i) => {
                self.rest = r.get(i + 1..);
                let l = r.get(..i).unwrap_or("");
                l.strip_suffix('\r').unwrap_or(l)
            }
            None => self.rest.take().unwrap_or(""),
        };
        Some(line.get(2..).unwrap_or(""))
    }
}

/// Iterator over the entries of an [`Attributes`].
#[derive(Clone)]
enum Entries<'s, 'a> {
    Lines(Lines<'s>),
    Typed(std::slice::Iter<'s, Attribute<'a>>),
}

impl<'s, 'a> Iterator for Entries<'s, 'a> {
    type Item = Entry<'s, 'a>;

    #[inline]
    fn next(&mut self) -> Option<Entry<'s, 'a>> {
        match self {
            Self::Lines(l) => l.next().map(Entry::Line),
            Self::Typed(t) => t.next().map(Entry::Typed),
        }
    }
}

/// Iterator over the typed attributes of an [`Attributes`] (see [`Attributes::iter`]).
#[derive(Clone)]
pub struct Iter<'s, 'a>(Entries<'s, 'a>);

impl<'s> Iterator for Iter<'s, '_> {
    type Item = Cow<'s, Attribute<'s>>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(Entry::typed)
    }
}

impl<'a> Attributes<'a> {
    /// No attributes.
    pub const fn new() -> Self {
        Self(Repr::Typed(Vec::new()))
    }

    /// A run of `len` parsed `a=` lines (see [`Raw`]), at least one.
    #[cfg(test)]
    fn raw(text: &'a str, len: usize, crlf: bool) -> Self {
        let mut a = Self::new();
        a.append_raw(text, len, crlf);
        a
    }

    /// Appends a run of `len` parsed `a=` lines (see [`Raw`]), at least one.
    pub(crate) fn append_raw(&mut self, text: &'a str, len: usize, crlf: bool) {
        match u32::try_from(len) {
            Ok(len) if self.is_empty() => {
                self.0 = Repr::Raw(Raw {
                    text: Cow::Borrowed(text),
                    len,
                    crlf,
                });
            }
            _ => {
                self.to_mut()
                    .extend(Lines { rest: Some(text) }.map(Attribute::parse));
            }
        }
    }

    /// Number of attributes.
    pub fn len(&self) -> usize {
        match &self.0 {
            // A `u32` always fits.
            Repr::Raw(r) => r.len as usize,
            Repr::Typed(v) => v.len(),
        }
    }

    /// Whether there are no attributes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn entries(&self) -> Entries<'_, 'a> {
        match &self.0 {
            Repr::Raw(r) => Entries::Lines(Lines {
                rest: Some(&r.text),
            }),
            Repr::Typed(v) => Entries::Typed(v.iter()),
        }
    }

    /// The attributes in order, typed (a parsed line is typed when the iterator reaches it).
    pub fn iter(&self) -> Iter<'_, 'a> {
        Iter(self.entries())
    }

    /// The attributes with the given name (`rtpmap`, `sendrecv`, `x-custom`), typed, in
    /// order. Only the lines with that name are typed.
    pub fn named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = Cow<'s, Attribute<'s>>> {
        self.entries()
            .filter(move |e| e.is_named(name))
            .map(Entry::typed)
    }

    /// Whether an attribute equal to `attribute` is present.
    pub fn contains(&self, attribute: &Attribute<'_>) -> bool {
        self.named(attribute.name()).any(|a| *a == *attribute)
    }

    /// The typed attributes, for changes (types every parsed line first).
    pub fn to_mut(&mut self) -> &mut Vec<Attribute<'a>> {
        loop {
            match self.0 {
                Repr::Typed(ref mut v) => return v,
                Repr::Raw(ref r) => self.0 = Repr::Typed(Self::typed_lines(r)),
            }
        }
    }

    /// Types parsed lines.
    #[cold]
    fn typed_lines(r: &Raw<'a>) -> Vec<Attribute<'a>> {
        match r.text {
            Cow::Borrowed(t) => Lines { rest: Some(t) }.map(Attribute::parse).collect(),
            Cow::Owned(ref t) => Lines { rest: Some(t) }
                .map(|l| Attribute::parse(l).to_static())
                .collect(),
        }
    }

    /// Appends an attribute.
    pub fn push(&mut self, attribute: Attribute<'a>) {
        self.to_mut().push(attribute);
    }

    /// Keeps only the attributes for which `keep` is true.
    pub fn retain(&mut self, keep: impl FnMut(&Attribute<'a>) -> bool) {
        self.to_mut().retain(keep);
    }

    /// The `a=rtpmap` for a payload type, if present.
    pub fn rtpmap(&self, payload_type: u8) -> Option<RtpMap<'_>> {
        self.rtpmap_codec(payload_type).map(|c| RtpMap {
            payload_type,
            encoding: Cow::Borrowed(c.encoding),
            clock_rate: c.clock_rate,
            channels: c.channels,
        })
    }

    /// [`rtpmap`](Self::rtpmap) with the encoding name as a plain borrow.
    pub(crate) fn rtpmap_codec(&self, payload_type: u8) -> Option<PayloadCodec<'_>> {
        self.entries().find_map(|e| match e {
            Entry::Line(v) => RtpMap::parse_parts(v.strip_prefix("rtpmap:")?).and_then(
                |(pt, encoding, clock_rate, channels)| {
                    (pt == payload_type).then_some(PayloadCodec {
                        payload_type,
                        encoding,
                        clock_rate,
                        channels,
                    })
                },
            ),
            Entry::Typed(Attribute::RtpMap(m)) if m.payload_type == payload_type => {
                Some(PayloadCodec {
                    payload_type,
                    encoding: &m.encoding,
                    clock_rate: m.clock_rate,
                    channels: m.channels,
                })
            }
            Entry::Typed(_) => None,
        })
    }

    /// What payload type `pt` stands for: its `a=rtpmap`, else the RFC 3551 static table.
    pub(crate) fn codec(&self, payload_type: u8) -> Option<PayloadCodec<'_>> {
        if let Some(c) = self.rtpmap_codec(payload_type) {
            return Some(c);
        }
        StaticPayload::from_payload_type(payload_type).map(|s| PayloadCodec {
            payload_type,
            encoding: s.encoding,
            clock_rate: s.clock_rate,
            channels: s.channels,
        })
    }

    /// What the offer/answer engine reads from a media section, in one pass.
    #[inline(always)]
    pub(crate) fn digest(&self) -> Digest<'_> {
        let mut d = Digest {
            rtpmaps: [None; DIGEST],
            fmtps: [None; DIGEST],
            nr: 0,
            nf: 0,
            ptime: None,
            direction: None,
            rtcp_mux: false,
            rtcp_port: None,
            overflow: false,
            attributes: self,
        };
        for e in self.entries() {
            // The same readings as typing the line and matching the typed attribute.
            let (rtpmap, fmtp) = match e {
                Entry::Line(v) => {
                    let mut rtpmap = None;
                    let mut fmtp = None;
                    match v.as_bytes().first() {
                        Some(b'r') => {
                            if let Some(m) = v.strip_prefix("rtpmap:") {
                                rtpmap = RtpMap::parse_parts(m).map(
                                    |(pt, encoding, clock_rate, channels)| PayloadCodec {
                                        payload_type: pt,
                                        encoding,
                                        clock_rate,
                                        channels,
                                    },
                                );
                            } else if v == "rtcp-mux" {
                                d.rtcp_mux = true;
                            } else if let Some(r) = v.strip_prefix("rtcp:") {
                                if d.rtcp_port.is_none() {
                                    d.rtcp_port = crate::attribute::Rtcp::parse(r).map(|r| r.port);
                                }
                            } else if v == "recvonly" {
                                d.direction.get_or_insert(Direction::RecvOnly);
                            }
                        }
                        Some(b'f') => {
                            fmtp = v
                                .strip_prefix("fmtp:")
                                .and_then(|f| crate::text::split2(f, b' '))
                                .filter(|(format, _)| !format.is_empty());
                        }
                        Some(b'p') => {
                            if let Some(p) = v.strip_prefix("ptime:") {
                                if d.ptime.is_none() {
                                    d.ptime = crate::attribute::parse_num(p);
                                }
                            }
                        }
                        Some(b's' | b'i') => {
                            let dir = match v {
                                "sendrecv" => Some(Direction::SendRecv),
                                "sendonly" => Some(Direction::SendOnly),
                                "inactive" => Some(Direction::Inactive),
                                _ => None,
                            };
                            if d.direction.is_none() {
                                d.direction = dir;
                            }
                        }
                        _ => {}
                    }
                    (rtpmap, fmtp)
                }
                Entry::Typed(a) => match a {
                    Attribute::RtpMap(m) => (
                        Some(PayloadCodec {
                            payload_type: m.payload_type,
                            encoding: &m.encoding,
                            clock_rate: m.clock_rate,
                            channels: m.channels,
                        }),
                        None,
                    ),
                    Attribute::Fmtp(f) => (None, Some((&*f.format, &*f.parameters))),
                    Attribute::Ptime(p) => {
                        d.ptime.get_or_insert(*p);
                        (None, None)
                    }
                    Attribute::Direction(dir) => {
                        d.direction.get_or_insert(*dir);
                        (None, None)
                    }
                    Attribute::RtcpMux => {
                        d.rtcp_mux = true;
                        (None, None)
                    }
                    Attribute::Rtcp(r) => {
                        d.rtcp_port.get_or_insert(r.port);
                        (None, None)
                    }
                    _ => (None, None),
                },
            };
            if let Some(m) = rtpmap {
                match d.rtpmaps.get_mut(d.nr) {
                    Some(slot) => {
                        *slot = Some(m);
                        d.nr += 1;
                    }
                    None => d.overflow = true,
                }
            }
            if let Some(f) = fmtp {
                match d.fmtps.get_mut(d.nf) {
                    Some(slot) => {
                        *slot = Some(f);
                        d.nf += 1;
                    }
                    None => d.overflow = true,
                }
            }
        }
        d
    }

    /// The `a=fmtp` parameters for a format, if present.
    pub fn fmtp(&self, format: &str) -> Option<&str> {
        self.entries().find_map(|e| match e {
            // The typed grammar: `fmtp:<format> <parameters>`, format not empty.
            Entry::Line(v) => v
                .strip_prefix("fmtp:")?
                .strip_prefix(format)?
                .strip_prefix(' ')
                .filter(|_| !format.is_empty()),
            Entry::Typed(Attribute::Fmtp(f)) if f.format == format => Some(&*f.parameters),
            Entry::Typed(_) => None,
        })
    }

    /// The `a=ptime` value in milliseconds, if present.
    pub fn ptime(&self) -> Option<u32> {
        self.named("ptime").find_map(|a| match *a {
            Attribute::Ptime(p) => Some(p),
            _ => None,
        })
    }

    /// The `a=mid` value, if present.
    pub fn mid(&self) -> Option<&str> {
        self.entries().find_map(|e| match e {
            Entry::Line(v) => v
                .strip_prefix("mid:")
                .filter(|m| crate::attribute::is_token(m)),
            Entry::Typed(Attribute::Mid(m)) => Some(&**m),
            Entry::Typed(_) => None,
        })
    }

    /// The first direction attribute (`sendrecv`, `sendonly`, `recvonly`, `inactive`).
    pub fn direction(&self) -> Option<Direction> {
        self.entries().find_map(|e| match e {
            Entry::Line(v) => match v {
                "sendrecv" => Some(Direction::SendRecv),
                "sendonly" => Some(Direction::SendOnly),
                "recvonly" => Some(Direction::RecvOnly),
                "inactive" => Some(Direction::Inactive),
                _ => None,
            },
            Entry::Typed(Attribute::Direction(d)) => Some(*d),
            Entry::Typed(_) => None,
        })
    }

    /// Replaces the first direction attribute, or adds one.
    pub fn set_direction(&mut self, direction: Direction) {
        let v = self.to_mut();
        for a in v.iter_mut() {
            if let Attribute::Direction(d) = a {
                *d = direction;
                return;
            }
        }
        v.push(Attribute::Direction(direction));
    }

    /// Copies the attributes so they no longer borrow their input.
    pub fn to_static(&self) -> Attributes<'static> {
        Attributes(match &self.0 {
            Repr::Raw(r) => Repr::Raw(Raw {
                text: Cow::Owned(String::from(&*r.text)),
                len: r.len,
                crlf: r.crlf,
            }),
            Repr::Typed(v) => Repr::Typed(v.iter().map(Attribute::to_static).collect()),
        })
    }

    /// Writes every attribute as an `a=` line ended by CRLF.
    pub fn write_to<B: BufMut>(&self, buf: &mut B) {
        match &self.0 {
            Repr::Raw(r) if r.crlf => {
                buf.put_str(&r.text);
                buf.put_slice(b"\r\n");
            }
            Repr::Raw(r) => {
                for v in (Lines {
                    rest: Some(&r.text),
                }) {
                    buf.put_slice(b"a=");
                    buf.put_str(v);
                    buf.put_slice(b"\r\n");
                }
            }
            Repr::Typed(v) => {
                for a in v {
                    a.write_to(buf);
                }
            }
        }
    }
}

/// How many `a=rtpmap` and `a=fmtp` lines a [`Digest`] holds; beyond, its lookups read
/// the attributes again.
const DIGEST: usize = 8;

/// What the offer/answer engine reads from a media section's attributes, gathered in one
/// pass (see [`Attributes::digest`]): the same answers as the lookups of [`Attributes`].
pub(crate) struct Digest<'s> {
    /// The first `nr` rtpmaps, the first `nf` fmtps (format, parameters), in order.
    /// (All-zero when empty, so the arrays start as a plain fill.)
    rtpmaps: [Option<PayloadCodec<'s>>; DIGEST],
    fmtps: [Option<(&'s str, &'s str)>; DIGEST],
    nr: usize,
    nf: usize,
    /// The first valid `a=ptime`.
    pub(crate) ptime: Option<u32>,
    /// The first direction attribute.
    pub(crate) direction: Option<Direction>,
    /// Whether `a=rtcp-mux` is present.
    pub(crate) rtcp_mux: bool,
    /// The port of the first valid `a=rtcp`.
    pub(crate) rtcp_port: Option<u16>,
    overflow: bool,
    attributes: &'s Attributes<'s>,
}

impl<'s> Digest<'s> {
    /// [`Attributes::codec`].
    pub(crate) fn codec(&self, payload_type: u8) -> Option<PayloadCodec<'s>> {
        if self.overflow {
            return self.attributes.codec(payload_type);
        }
        let found = self
            .rtpmaps
            .get(..self.nr)
            .unwrap_or_default()
            .iter()
            .flatten()
            .find(|m| m.payload_type == payload_type)
            .copied();
        if found.is_some() {
            return found;
        }
        StaticPayload::from_payload_type(payload_type).map(|s| PayloadCodec {
            payload_type,
            encoding: s.encoding,
            clock_rate: s.clock_rate,
            channels: s.channels,
        })
    }

    /// [`Attributes::fmtp`].
    pub(crate) fn fmtp(&self, format: &str) -> Option<&'s str> {
        if self.overflow {
            return self.attributes.fmtp(format);
        }
        self.fmtps
            .get(..self.nf)
            .unwrap_or_default()
            .iter()
            .flatten()
            .find_map(|&(f, p)| (f == format).then_some(p))
    }
}

impl PartialEq for Attributes<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Repr::Typed(a), Repr::Typed(b)) => a == b,
            _ => self.len() == other.len() && self.iter().eq(other.iter()),
        }
    }
}

impl Eq for Attributes<'_> {}

impl fmt::Debug for Attributes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> From<Vec<Attribute<'a>>> for Attributes<'a> {
    fn from(v: Vec<Attribute<'a>>) -> Self {
        Self(Repr::Typed(v))
    }
}

impl<'a> FromIterator<Attribute<'a>> for Attributes<'a> {
    fn from_iter<I: IntoIterator<Item = Attribute<'a>>>(iter: I) -> Self {
        Self::from(iter.into_iter().collect::<Vec<_>>())
    }
}

impl<'a> Extend<Attribute<'a>> for Attributes<'a> {
    fn extend<I: IntoIterator<Item = Attribute<'a>>>(&mut self, iter: I) {
        self.to_mut().extend(iter);
    }
}

impl<'s, 'a> IntoIterator for &'s Attributes<'a> {
    type Item = Cow<'s, Attribute<'s>>;
    type IntoIter = Iter<'s, 'a>;

    fn into_iter(self) -> Iter<'s, 'a> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribute::Fmtp;

    fn lines(text: &str) -> Attributes<'_> {
        let len = text.split('\n').count();
        let crlf = text.matches('\n').count() == text.matches("\r\n").count();
        Attributes::raw(text, len, crlf)
    }

    #[test]
    fn raw_and_typed_agree() {
        for text in [
            "a=rtpmap:0 PCMU/8000\r\na=fmtp:0 x=1\r\na=sendonly\r\na=ptime:20\r\na=mid:a",
            "a=rtpmap:0 PCMU/8000\na=fmtp:0 x=1\na=sendonly\na=ptime:20\na=mid:a",
            "a=rtpmap:00 PCMU/8000\na=fmtp:0  x\na=sendonly:x\na=ptime:x\na=mid:a b\ra=x",
            "a=fmtp: x\r\na=fmtp:0\r\na=rtcp-mux\r\na=inactive\r\na=rtcp-mux:1",
        ] {
            let raw = lines(text);
            let typed = Attributes::from(raw.iter().map(Cow::into_owned).collect::<Vec<_>>());
            assert_eq!(raw, typed, "{text:?}");
            assert_eq!(raw.len(), typed.len());
            assert_eq!(raw.rtpmap(0), typed.rtpmap(0), "{text:?}");
            for f in ["0", "", "00"] {
                assert_eq!(raw.fmtp(f), typed.fmtp(f), "{text:?} {f}");
            }
            assert_eq!(raw.ptime(), typed.ptime(), "{text:?}");
            assert_eq!(raw.mid(), typed.mid(), "{text:?}");
            assert_eq!(raw.direction(), typed.direction(), "{text:?}");
            assert_eq!(
                raw.contains(&Attribute::RtcpMux),
                typed.contains(&Attribute::RtcpMux)
            );
            for name in ["rtpmap", "fmtp", "sendonly", "rtcp-mux", "x", "mid"] {
                assert!(raw.named(name).eq(typed.named(name)), "{text:?} {name}");
            }
            let (mut a, mut b) = (Vec::new(), Vec::new());
            raw.write_to(&mut a);
            typed.write_to(&mut b);
            // The raw run is written as read; both parse to the same attributes.
            assert_eq!(
                a.len() - text.len(),
                2 + text.matches('\n').count() - text.matches("\r\n").count()
            );
            assert_eq!(raw.to_static(), raw);
        }
    }

    #[test]
    fn digest_agrees_with_lookups() {
        let many: String = (0..20)
            .map(|i| format!("a=rtpmap:{i} X{i}/8000\na=fmtp:{i} p={i}\n"))
            .collect();
        for text in [
            "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv",
            "a=ptime:x\na=ptime:30\na=rtcp:x\na=rtcp:9 IN IP4 h\na=rtcp:10\na=recvonly\na=sendonly\na=rtcp-mux",
            "a=rtpmap:8 PCMA/8000\na=rtpmap:8 G729/8000\na=fmtp:8 a\na=fmtp:8 b\na=fmtp: x\na=inactive:x\na=inactive",
            "a=rtcp-mux:1\na=rtpmap:96 opus/48000/2\na=rtpmap:97 x/y\na=fmtp:97\na=fmtp:97 z",
            many.trim_end(),
        ] {
            let raw = lines(text);
            let typed = Attributes::from(raw.iter().map(Cow::into_owned).collect::<Vec<_>>());
            for a in [&raw, &typed] {
                let d = a.digest();
                for pt in [0, 8, 9, 18, 19, 96, 97, 101, 127] {
                    assert_eq!(d.codec(pt), a.codec(pt), "{text:?} {pt}");
                    let f = pt.to_string();
                    assert_eq!(d.fmtp(&f), a.fmtp(&f), "{text:?} {pt}");
                }
                assert_eq!(d.ptime, a.ptime(), "{text:?}");
                assert_eq!(d.direction, a.direction(), "{text:?}");
                assert_eq!(d.rtcp_mux, a.contains(&Attribute::RtcpMux), "{text:?}");
                let rtcp = a.named("rtcp").find_map(|x| match &*x {
                    Attribute::Rtcp(r) => Some(r.port),
                    _ => None,
                });
                assert_eq!(d.rtcp_port, rtcp, "{text:?}");
            }
        }
    }

    #[test]
    fn mutation_types_the_lines() {
        let text = String::from("a=sendrecv\r\na=fmtp:8 y");
        let mut owned = Attributes::raw(&text, 2, true).to_static();
        owned.set_direction(Direction::Inactive);
        owned.push(Attribute::RtcpMux);
        assert_eq!(
            owned,
            Attributes::from(vec![
                Attribute::Direction(Direction::Inactive),
                Attribute::Fmtp(Fmtp {
                    format: Cow::Borrowed("8"),
                    parameters: Cow::Borrowed("y")
                }),
                Attribute::RtcpMux,
            ])
        );
        owned.retain(|a| *a != Attribute::RtcpMux);
        assert_eq!(owned.len(), 2);
        assert_eq!(format!("{owned:?}"), format!("{:?}", owned.to_mut()));
    }
}
