//! The indexer: finds the start line, every header field and the body of a message without
//! copying or allocating (beyond the inline capacity of the header table).

use bytes::{Buf, Bytes};

use super::{Entries, Entry, Message, Span, Start, MAX_NAME_LEN};
use crate::config::{ParserConfig, Quirk};
use crate::grammar::{is, TOKEN};
use crate::{Error, HeaderName, Limit, Result, StatusCode};

/// What the indexer found in a header section.
pub(crate) struct Index {
    pub(crate) start: Start,
    /// Length of the header section including the empty line.
    pub(crate) head_len: usize,
    /// The value of Content-Length, if present.
    pub(crate) content_length: Option<usize>,
    /// Quirks that were needed (bit per [`Quirk`]).
    pub(crate) fired: u8,
}

/// Bytes needed to go on; `Incomplete` means the header section is not complete yet.
pub(crate) enum Indexed {
    Complete(Index),
    Incomplete,
}

/// Small and inlined: the caller's copy of the result is then the only move of the message
/// (the header table, about 260 bytes inline, is filled by [`fill_datagram`] where it lies).
#[inline]
pub(crate) fn parse_datagram(cfg: &ParserConfig, bytes: Bytes) -> Result<Message> {
    let mut msg = Message {
        head: Bytes::new(),
        body: Bytes::new(),
        start: Start::Request {
            method: Span::new(0, 0),
            uri: Span::new(0, 0),
        },
        entries: Entries::new(),
        max_list_values: u32::try_from(cfg.limits.max_list_values).unwrap_or(u32::MAX),
    };
    fill_datagram(cfg, bytes, &mut msg)?;
    Ok(msg)
}

/// Indexes datagram `bytes` into `msg` (§18.3 Content-Length rules).
fn fill_datagram(cfg: &ParserConfig, mut bytes: Bytes, msg: &mut Message) -> Result<()> {
    let limits = &cfg.limits;
    if bytes.len() > limits.max_message_size {
        return Err(Error::Limit {
            limit: Limit::MessageSize,
            offset: limits.max_message_size,
        });
    }
    let mut base = 0;
    let skip = leading_crlf(&bytes);
    if skip > 0 && cfg.tolerate(Quirk::LeadingCrlfInDatagram) {
        bytes.advance(skip);
        base = skip;
    }
    let index = match index(cfg, &bytes, &mut msg.entries).map_err(|e| e.offset_by(base))? {
        Indexed::Complete(i) => i,
        Indexed::Incomplete => {
            return Err(Error::UnexpectedEnd {
                offset: bytes.len() + base,
                expected: "empty line ending the header section",
            })
        }
    };
    count_fired(cfg, index.fired);
    let available = bytes.len() - index.head_len;
    let body_len = match index.content_length {
        None => available,
        Some(n) if n <= available => n,
        Some(n) => {
            if cfg.tolerate(Quirk::BodyShorterThanContentLength) {
                available
            } else {
                return Err(Error::BodyTooShort {
                    declared: n,
                    available,
                });
            }
        }
    };
    msg.body = if bytes.len() > index.head_len {
        let mut body = bytes.split_off(index.head_len);
        body.truncate(body_len);
        body
    } else {
        Bytes::new()
    };
    msg.head = bytes;
    msg.start = index.start;
    Ok(())
}

pub(crate) fn parse_stream(cfg: &ParserConfig, bytes: Bytes) -> Result<Message> {
    let limits = &cfg.limits;
    if bytes.len() > limits.max_message_size {
        return Err(Error::Limit {
            limit: Limit::MessageSize,
            offset: limits.max_message_size,
        });
    }
    let mut entries = Entries::new();
    let index = match index(cfg, &bytes, &mut entries)? {
        Indexed::Complete(i) => i,
        Indexed::Incomplete => {
            return Err(Error::UnexpectedEnd {
                offset: bytes.len(),
                expected: "empty line ending the header section",
            })
        }
    };
    count_fired(cfg, index.fired);
    let available = bytes.len() - index.head_len;
    let declared = match index.content_length {
        Some(n) => n,
        None if cfg.tolerate(Quirk::MissingContentLengthOnStream) => 0,
        None => return Err(Error::MissingContentLength),
    };
    if declared > available {
        return Err(Error::BodyTooShort {
            declared,
            available,
        });
    }
    Ok(assemble(
        bytes,
        &index,
        entries,
        declared,
        limits.max_list_values,
    ))
}

/// Builds the message from its buffer: `bytes[..head_len]` is the head, the next `body_len`
/// bytes the body; anything after is dropped.
pub(crate) fn assemble(
    mut bytes: Bytes,
    index: &Index,
    entries: Entries,
    body_len: usize,
    max_list: usize,
) -> Message {
    let body = if bytes.len() > index.head_len {
        let mut body = bytes.split_off(index.head_len);
        body.truncate(body_len);
        body
    } else {
        Bytes::new()
    };
    Message {
        head: bytes,
        body,
        start: index.start,
        entries,
        max_list_values: u32::try_from(max_list).unwrap_or(u32::MAX),
    }
}

pub(crate) fn count_fired(cfg: &ParserConfig, fired: u8) {
    if fired == 0 {
        return;
    }
    for q in Quirk::ALL {
        if fired & (1 << (*q as u8)) != 0 {
            cfg.tolerate(*q);
        }
    }
}

/// Number of bytes of CRLF pairs at the start of `buf`.
pub(crate) fn leading_crlf(buf: &[u8]) -> usize {
    let mut n = 0;
    while buf.get(n) == Some(&b'\r') && buf.get(n + 1) == Some(&b'\n') {
        n += 2;
    }
    n
}

/// A line end: where the line's content stops and where the next line starts.
struct LineEnd {
    content_end: usize,
    next: usize,
}

/// The indexer state for one buffer.
struct Indexer<'a> {
    buf: &'a [u8],
    cfg: &'a ParserConfig,
    fired: u8,
}

/// Indexes the header section at the start of `buf`.
pub(crate) fn index(cfg: &ParserConfig, buf: &[u8], entries: &mut Entries) -> Result<Indexed> {
    entries.clear();
    let mut ix = Indexer { buf, cfg, fired: 0 };
    ix.run(entries)
}

impl Indexer<'_> {
    fn run(&mut self, entries: &mut Entries) -> Result<Indexed> {
        let limits = &self.cfg.limits;
        let Some(line) = self.line_end(0, limits.max_start_line)? else {
            return Ok(Indexed::Incomplete);
        };
        let start = self.start_line(line.content_end)?;
        let mut content_length: Option<usize> = None;
        let mut pos = line.next;
        // `entries` is empty at the start (`index` clears it); counted here, not asked.
        let mut count = entries.len();
        loop {
            let Some(&first) = self.buf.get(pos) else {
                return Ok(Indexed::Incomplete);
            };
            match first {
                b'\r' => match self.buf.get(pos + 1) {
                    Some(b'\n') => {
                        return Ok(Indexed::Complete(Index {
                            start,
                            head_len: pos + 2,
                            content_length,
                            fired: self.fired,
                        }))
                    }
                    None => return Ok(Indexed::Incomplete),
                    Some(_) => return Err(syntax(pos + 1, "LF after CR")),
                },
                b'\n' => {
                    self.lf(pos)?;
                    return Ok(Indexed::Complete(Index {
                        start,
                        head_len: pos + 1,
                        content_length,
                        fired: self.fired,
                    }));
                }
                _ => {}
            }
            if count >= limits.max_headers {
                return Err(Error::Limit {
                    limit: Limit::HeaderCount,
                    offset: pos,
                });
            }
            let (entry, next) = match self.simple_header(pos) {
                Some(found) => found,
                None => match self.header(pos)? {
                    Some(found) => found,
                    None => return Ok(Indexed::Incomplete),
                },
            };
            if entry.is_content_length() {
                let value = self.buf.get(entry.value()).unwrap_or_default();
                let n = parse_content_length(value).ok_or(Error::Header {
                    name: "Content-Length",
                    offset: 0,
                    expected: "a decimal number",
                })?;
                match content_length {
                    Some(old) if old != n => {
                        return Err(Error::Conflicting {
                            name: "Content-Length",
                        })
                    }
                    _ => content_length = Some(n),
                }
            }
            entries.push(entry);
            count += 1;
            pos = next;
        }
    }

    /// Notes a bare LF at `at`: an error unless the quirk is on.
    fn lf(&mut self, at: usize) -> Result<()> {
        if self.cfg.allows(Quirk::LfLineEndings) {
            self.fired |= 1 << Quirk::LfLineEndings as u8;
            Ok(())
        } else {
            Err(syntax(at, "CRLF"))
        }
    }

    /// Finds the end of the line starting at `from`; `None` when no line end is there yet.
    /// Fails on a control character inside the line (a bare CR, NUL …), on a bare LF
    /// unless the quirk allows it, and when the line is longer than `max`.
    ///
    /// One pass finds both the line end and any forbidden byte: CR and LF are control
    /// characters too, so the first control character (HTAB aside) ends the scan.
    #[inline(always)]
    fn line_end(&mut self, from: usize, max: usize) -> Result<Option<LineEnd>> {
        let limit_end = from
            .saturating_add(max)
            .saturating_add(2)
            .min(self.buf.len());
        let window = self.buf.get(..limit_end).unwrap_or_default();
        let Some(at) = find_ctl(window, from) else {
            if self.buf.len() > limit_end || limit_end - from >= max.saturating_add(2) {
                return Err(Error::Limit {
                    limit: if from == 0 {
                        Limit::StartLineLength
                    } else {
                        Limit::HeaderLineLength
                    },
                    offset: from,
                });
            }
            return Ok(None);
        };
        match (self.buf.get(at), self.buf.get(at + 1)) {
            (Some(b'\r'), Some(b'\n')) => Ok(Some(LineEnd {
                content_end: at,
                next: at + 2,
            })),
            (Some(b'\r'), None) => Ok(None),
            (Some(b'\n'), _) => {
                self.lf(at)?;
                Ok(Some(LineEnd {
                    content_end: at,
                    next: at + 1,
                }))
            }
            (Some(b'\r'), Some(_)) => Err(syntax(at + 1, "LF after CR")),
            _ => Err(syntax(at, "text without control characters")),
        }
    }

    /// The usual header field at `pos`: `name:`, blanks, a value without control characters,
    /// CRLF, within the line limit, not continued on the next line, and no quirk to apply.
    /// Gives exactly what [`header`](Self::header) gives for such a field, with less work;
    /// `None` for anything else (then `header` indexes or refuses it).
    #[inline(always)]
    fn simple_header(&self, pos: usize) -> Option<(Entry, usize)> {
        let buf = self.buf;
        if self.cfg.quirks.trailing_comma_in_list {
            return None;
        }
        let max = self.cfg.limits.max_header_line;
        let rest = buf.get(pos..)?;
        let (name_len, kind) = match canonical_name(rest) {
            Some(known) => known,
            None => {
                let n = rest.iter().take_while(|&&b| is(b, TOKEN)).count();
                (n, super::kind::of(rest.get(..n).unwrap_or_default()))
            }
        };
        if name_len == 0 || rest.get(name_len) != Some(&b':') {
            return None;
        }
        let mut p = pos + name_len + 1;
        while matches!(buf.get(p), Some(b' ' | b'\t')) {
            p += 1;
        }
        let value_start = p;
        // The window `header` gives `line_end` for the field's first line.
        if p - pos > max {
            return None;
        }
        let limit_end = pos.checked_add(max)?.checked_add(2)?.min(buf.len());
        let at = find_ctl(buf.get(..limit_end)?, p)?;
        if buf.get(at) != Some(&b'\r') || buf.get(at + 1) != Some(&b'\n') {
            return None;
        }
        let next = at + 2;
        if next - pos > max || matches!(buf.get(next), Some(b' ' | b'\t') | None) {
            return None;
        }
        let mut end = at;
        while end > value_start && matches!(buf.get(end - 1), Some(b' ' | b'\t')) {
            end -= 1;
        }
        // Beyond what an entry holds: `header` reports the limit.
        let entry = Entry::new(pos, name_len, kind, value_start, end)?;
        Some((entry, next))
    }

    /// One header field starting at `pos` (with its continuation lines). Returns the entry and
    /// where the next line starts, or `None` when more bytes are needed. Out of line: the
    /// usual field takes [`simple_header`](Self::simple_header).
    #[inline(never)]
    fn header(&mut self, pos: usize) -> Result<Option<(Entry, usize)>> {
        let buf = self.buf;
        let max = self.cfg.limits.max_header_line;
        let name_len = buf
            .get(pos..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&b| is(b, TOKEN))
            .count();
        if name_len == 0 {
            return Err(syntax(pos, "header name"));
        }
        let mut p = pos + name_len;
        while matches!(buf.get(p), Some(b' ' | b'\t')) {
            p += 1;
        }
        match buf.get(p) {
            Some(b':') => p += 1,
            Some(_) => return Err(syntax(p, "`:` after the header name")),
            None => return Ok(None),
        }
        while matches!(buf.get(p), Some(b' ' | b'\t')) {
            p += 1;
        }
        let value_start = p;
        let mut folded = false;
        let mut content_end;
        loop {
            let Some(line) = self.line_end(p, max.saturating_sub(p - pos))? else {
                return Ok(None);
            };
            content_end = line.content_end;
            if line.next - pos > max {
                return Err(Error::Limit {
                    limit: Limit::HeaderLineLength,
                    offset: pos,
                });
            }
            match buf.get(line.next) {
                // §7.3.1: a line starting with whitespace continues the field.
                Some(b' ' | b'\t') => {
                    p = line.next;
                    folded = true;
                }
                Some(_) => {
                    let (vs, ve) = if folded {
                        trim(buf, value_start, content_end)
                    } else {
                        // One line, leading whitespace already skipped.
                        let mut end = content_end;
                        while end > value_start && matches!(buf.get(end - 1), Some(b' ' | b'\t')) {
                            end -= 1;
                        }
                        (value_start, end)
                    };
                    let kind =
                        super::kind::of(self.buf.get(pos..pos + name_len).unwrap_or_default());
                    let mut entry =
                        Entry::new(pos, name_len, kind, vs, ve).ok_or(Error::Limit {
                            limit: if name_len > MAX_NAME_LEN {
                                Limit::HeaderLineLength
                            } else {
                                Limit::HeaderSection
                            },
                            offset: pos,
                        })?;
                    if self.cfg.quirks.trailing_comma_in_list {
                        self.trailing_comma(&mut entry);
                    }
                    return Ok(Some((entry, line.next)));
                }
                None => return Ok(None),
            }
        }
    }

    /// With the trailing-comma quirk: drops a final `,` from a list header's value.
    fn trailing_comma(&mut self, entry: &mut Entry) {
        let value = self.buf.get(entry.value()).unwrap_or_default();
        if value.last() != Some(&b',') {
            return;
        }
        let name = entry.name(self.buf);
        if !HeaderName::known(name).is_some_and(|n| n.is_list()) {
            return;
        }
        let v = entry.value();
        let (s, e) = trim(self.buf, v.start, v.end - 1);
        *entry = entry.with_value(s..e);
        self.fired |= 1 << Quirk::TrailingCommaInList as u8;
    }

    /// The request or status line `buf[..end]`.
    fn start_line(&mut self, end: usize) -> Result<Start> {
        let line = self.buf.get(..end).unwrap_or_default();
        let lenient = self.cfg.allows(Quirk::StartLineWhitespace);
        let mut used_lenient = false;
        let mut sep = |p: &mut usize, what: &'static str| -> Result<()> {
            if line.get(*p) != Some(&b' ') {
                return Err(syntax(*p, what));
            }
            *p += 1;
            if lenient {
                while matches!(line.get(*p), Some(b' ' | b'\t')) {
                    *p += 1;
                    used_lenient = true;
                }
            }
            Ok(())
        };
        let start = if line.len() >= 4
            && line
                .get(..4)
                .is_some_and(|h| h.eq_ignore_ascii_case(b"SIP/"))
        {
            // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF (§7.2)
            let mut p = version(line, 0)?;
            sep(&mut p, "SP after the SIP version")?;
            let digits = line.get(p..p + 3).unwrap_or_default();
            let code = match digits {
                [a @ b'1'..=b'6', b @ b'0'..=b'9', c @ b'0'..=b'9'] => {
                    u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0')
                }
                _ => return Err(syntax(p, "three-digit status code")),
            };
            let code = StatusCode::from_u16(code).map_err(|_| syntax(p, "status code"))?;
            p += 3;
            let reason_start = match line.get(p) {
                Some(b' ') => p + 1,
                None if self.cfg.allows(Quirk::MissingReasonPhrase) => {
                    self.fired |= 1 << Quirk::MissingReasonPhrase as u8;
                    p
                }
                _ => return Err(syntax(p, "SP before the reason phrase")),
            };
            let reason = line.get(reason_start..).unwrap_or_default();
            if crate::ascii::to_str(reason).is_none() {
                return Err(syntax(reason_start, "UTF-8 reason phrase"));
            }
            Start::Response {
                code,
                reason: Span::new(reason_start, end),
            }
        } else {
            // Request-Line = Method SP Request-URI SP SIP-Version CRLF (§7.1)
            let method_len = line.iter().take_while(|&&b| is(b, TOKEN)).count();
            if method_len == 0 {
                return Err(syntax(0, "method"));
            }
            let mut p = method_len;
            sep(&mut p, "SP after the method")?;
            let uri_start = p;
            let uri_len = line
                .get(p..)
                .unwrap_or_default()
                .iter()
                .take_while(|&&b| b > b' ' && b < 0x7f)
                .count();
            if uri_len == 0 {
                return Err(syntax(p, "Request-URI"));
            }
            p += uri_len;
            let uri = Span::new(uri_start, p);
            sep(&mut p, "SP after the Request-URI")?;
            let mut p = version(line, p)?;
            if lenient {
                while matches!(line.get(p), Some(b' ' | b'\t')) {
                    p += 1;
                    used_lenient = true;
                }
            }
            if p != line.len() {
                return Err(syntax(p, "end of the request line"));
            }
            Start::Request {
                method: Span::new(0, method_len),
                uri,
            }
        };
        if used_lenient {
            self.fired |= 1 << Quirk::StartLineWhitespace as u8;
        }
        Ok(start)
    }
}

/// The length and [`kind`](super::kind) of the header name at the start of `rest` when it is
/// one of the names nearly every message holds, in its canonical spelling, followed by `:`
/// (what the scan of its `token` and [`kind::of`](super::kind::of) would give, with two word
/// compares). `None` for any other start, which is then scanned.
#[inline(always)]
fn canonical_name(rest: &[u8]) -> Option<(usize, u8)> {
    use super::kind::{CALL_ID, CONTENT_LENGTH, CSEQ, FROM, OTHER, TO, VIA};
    let word = super::le_word;
    let w0 = word(rest.get(..8)?)?;
    // Whether `rest` starts with `name` (8 bytes long at most, a constant).
    let starts = |w: u64, name: &[u8]| {
        let mut bytes = [0u8; 8];
        for (d, c) in bytes.iter_mut().zip(name) {
            *d = *c;
        }
        let mask = u64::MAX >> (8 * (8 - name.len().min(8)));
        w & mask == u64::from_le_bytes(bytes)
    };
    // Whether `rest` starts with `first` (8 bytes) and then `second`.
    let long = |first: &[u8], second: &[u8]| {
        starts(w0, first)
            && rest
                .get(8..16)
                .and_then(word)
                .is_some_and(|w| starts(w, second))
    };
    let found = match rest.first()? {
        b'V' if starts(w0, b"Via:") => (3, VIA),
        b'F' if starts(w0, b"From:") => (4, FROM),
        b'T' if starts(w0, b"To:") => (2, TO),
        b'C' if starts(w0, b"Call-ID:") => (7, CALL_ID),
        b'C' if starts(w0, b"CSeq:") => (4, CSEQ),
        b'C' if starts(w0, b"Contact:") => (7, OTHER),
        b'C' if starts(w0, b"Content-") => {
            let w1 = word(rest.get(8..16)?)?;
            if starts(w1, b"Length:") {
                (14, CONTENT_LENGTH)
            } else if starts(w1, b"Type:") {
                (12, OTHER)
            } else {
                return None;
            }
        }
        b'M' if long(b"Max-Forw", b"ards:") => (12, OTHER),
        b'R' if long(b"Record-R", b"oute:") => (12, OTHER),
        b'R' if starts(w0, b"Route:") => (5, OTHER),
        b'A' if starts(w0, b"Allow:") => (5, OTHER),
        b'S' if long(b"Supporte", b"d:") => (9, OTHER),
        b'U' if long(b"User-Age", b"nt:") => (10, OTHER),
        _ => return None,
    };
    Some(found)
}

/// `SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT` at `p`; only 2.0 is supported (§7.1).
/// Returns the position after it.
fn version(line: &[u8], p: usize) -> Result<usize> {
    let rest = line.get(p..).unwrap_or_default();
    // Fast path: exactly `SIP/2.0` (upper case, as nearly every message writes it).
    if rest.starts_with(b"SIP/2.0") && !rest.get(7).is_some_and(|b| b.is_ascii_digit()) {
        return Ok(p + 7);
    }
    let Some(head) = rest.get(..4).filter(|h| h.eq_ignore_ascii_case(b"SIP/")) else {
        return Err(syntax(p, "SIP-Version"));
    };
    let _ = head;
    let tail = rest.get(4..).unwrap_or_default();
    let major = tail.iter().take_while(|b| b.is_ascii_digit()).count();
    let after_major = tail.get(major..).unwrap_or_default();
    let minor = if after_major.first() == Some(&b'.') {
        after_major
            .get(1..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    } else {
        0
    };
    if major == 0 || minor == 0 {
        return Err(syntax(p, "SIP-Version"));
    }
    let len = 4 + major + 1 + minor;
    if tail.get(..major + 1 + minor) != Some(b"2.0".as_slice()) {
        return Err(Error::Version { offset: p });
    }
    Ok(p + len)
}

fn syntax(offset: usize, expected: &'static str) -> Error {
    Error::Syntax { offset, expected }
}

/// Control characters that may not appear in a header value or reason phrase: everything
/// below SP except HTAB, and DEL.
#[inline]
fn is_ctl(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

/// The position of the first control character (HTAB aside) in `s[from..]`.
///
/// Eight bytes at a time (SWAR, no `unsafe`): [`ctl_mask`] flags candidates, a byte check
/// confirms the lowest one or moves past it.
#[inline(always)]
fn find_ctl(s: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    // Sixteen bytes per step, one branch; most header lines are 20 to 90 bytes long.
    while let Some(block) = s.get(i..i + 16) {
        let (a, b) = block.split_at(8);
        let (ma, mb) = (ctl_mask(a), ctl_mask(b));
        if ma | mb == 0 {
            i += 16;
            continue;
        }
        // The lowest flagged byte of the block.
        let k = i + if ma != 0 {
            (ma.trailing_zeros() / 8) as usize
        } else {
            8 + (mb.trailing_zeros() / 8) as usize
        };
        if s.get(k).is_some_and(|&b| is_ctl(b)) {
            return Some(k);
        }
        // HTAB or a byte of 0x80 and above: allowed.
        i = k + 1;
    }
    while let Some(chunk) = s.get(i..i + 8) {
        let m = ctl_mask(chunk);
        if m == 0 {
            i += 8;
            continue;
        }
        let k = i + (m.trailing_zeros() / 8) as usize;
        if s.get(k).is_some_and(|&b| is_ctl(b)) {
            return Some(k);
        }
        // HTAB or a byte of 0x80 and above: allowed.
        i = k + 1;
    }
    s.get(i..)?.iter().position(|&b| is_ctl(b)).map(|k| i + k)
}

/// The high bit of each byte of `chunk` (8 bytes) set for every byte whose low seven bits,
/// plus one, stay below 0x21: all control characters (HTAB included) and DEL, and also
/// 0x80–0x9F and 0xFF, which [`find_ctl`] then lets pass. Six operations per eight bytes;
/// the lowest flagged byte is always a true match of that test (borrows only travel
/// upwards from one).
#[inline(always)]
fn ctl_mask(chunk: &[u8]) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let x = super::le_word(chunk).unwrap_or(0);
    // Per byte ((b & 0x7f) + 1) & 0x7f: no carry crosses a byte, DEL becomes 0.
    let t = ((x & LOW7) + ONES) & LOW7;
    t.wrapping_sub(ONES * 0x21) & !t & HIGH
}

/// Trims whitespace and folded line breaks (LWS) from both ends of `buf[start..end]`.
#[inline]
pub(crate) fn trim(buf: &[u8], mut start: usize, mut end: usize) -> (usize, usize) {
    while start < end && matches!(buf.get(start), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        start += 1;
    }
    while end > start && matches!(buf.get(end - 1), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        end -= 1;
    }
    (start, end)
}

/// `Content-Length = 1*DIGIT` (§20.14), at most 9 digits (so it never overflows).
pub(crate) fn parse_content_length(v: &[u8]) -> Option<usize> {
    if v.is_empty() || v.len() > 9 {
        return None;
    }
    v.iter().try_fold(0usize, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + usize::from(b - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wherever the fast path takes a header field, it gives what the general path gives:
    /// the same entry (name, kind, trimmed value) and the same next line.
    #[test]
    fn simple_header_agrees_with_header() {
        let names = [
            "Via",
            "VIA",
            "via",
            "v",
            "Vias",
            "Via-X",
            "From",
            "FROM",
            "Fro",
            "To",
            "TO",
            "Tos",
            "Call-ID",
            "Call-Id",
            "Call-IDs",
            "CSeq",
            "CSEQ",
            "CSeqs",
            "Contact",
            "Contacts",
            "Content-Length",
            "Content-Lengths",
            "Content-length",
            "Content-Type",
            "Content-Types",
            "Content-Encoding",
            "Max-Forwards",
            "Max-Forwardss",
            "Max-Forward",
            "X-Via",
            "l",
            "",
        ];
        let seps = [":", ": ", ":\t ", " : ", ":  "];
        let values = [
            "",
            "x",
            "SIP/2.0/UDP h;branch=z9hG4bK1",
            "  padded \t",
            "a\tb",
            "caf\u{e9}",
            "0",
            "12345678901234567890123456789012345678901234567890",
            "a, b,",
        ];
        let ends = [
            "\r\n", "\r\n ", "\r\n\t", "\r\nX", "\r\n\r\n", "\n", "\r", "", "\r\x00",
        ];
        let mut configs = Vec::new();
        for max in [8usize, 20, 40, 8_192] {
            let mut limits = crate::Limits::default();
            limits.max_header_line(max);
            configs.push(ParserConfig::with_limits(limits));
            let mut quirky = ParserConfig::with_limits(limits);
            quirky.quirks(crate::Quirks::all());
            configs.push(quirky);
        }
        let mut fast = 0;
        for name in names {
            for sep in seps {
                for value in values {
                    for end in ends {
                        let line = format!("OPTIONS sip:a SIP/2.0\r\n{name}{sep}{value}{end}");
                        let buf = line.as_bytes();
                        let pos = 23;
                        for cfg in &configs {
                            let mut ix = Indexer { buf, cfg, fired: 0 };
                            let Some((e, next)) = ix.simple_header(pos) else {
                                continue;
                            };
                            fast += 1;
                            let general = ix.header(pos);
                            let Ok(Some((g, gnext))) = general else {
                                panic!("{line:?}: fast path took what the general one refuses");
                            };
                            assert_eq!((e, next), (g, gnext), "{line:?}");
                        }
                    }
                }
            }
        }
        assert!(fast > 1000, "{fast}");
    }

    /// The SWAR scan finds exactly what a byte-by-byte scan finds, for every byte value at
    /// every position, behind bytes that the mask flags but that are allowed.
    #[test]
    fn find_ctl_matches_a_naive_scan() {
        let naive = |s: &[u8], from: usize| {
            s.iter()
                .skip(from)
                .position(|&b| is_ctl(b))
                .map(|k| k + from)
        };
        let fillers: [&[u8]; 4] = [
            b"abcdefgh",
            b"\t\x80\x9f\xff\xc3\xbc- ",
            "é–ü".as_bytes(),
            b"\x7e\x20\x21\xa0",
        ];
        for filler in fillers {
            for len in [0usize, 1, 7, 8, 9, 15, 16, 17, 31, 40] {
                for b in 0..=255u8 {
                    for at in [0, len / 2, len.saturating_sub(1)] {
                        let mut v: Vec<u8> = filler.iter().cycle().take(len).copied().collect();
                        if at < v.len() {
                            v[at] = b;
                        }
                        for from in [0, 1, 3] {
                            assert_eq!(find_ctl(&v, from), naive(&v, from), "{v:?} from {from}");
                        }
                    }
                }
            }
        }
    }
}
