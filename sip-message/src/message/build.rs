//! Request and response builders, and responses made from requests (§8.2.6).

use bytes::Bytes;

use super::modify::{check_field, check_uri, is_content_length, reindex, write_content_length};
use super::{parse, Entries, Entry, Message, Request, Response, Span, Start};
use crate::{Error, HeaderName, Limits, Method, Result, StatusCode, TypedHeader};

/// Builds a request in canonical form: `Method SP Request-URI SP SIP/2.0`, the fields in the
/// order given, a computed `Content-Length` last, the body.
///
/// Errors in the given parts are kept and reported by [`build`](Self::build).
///
/// ```
/// use bytes::Bytes;
/// use sip_message::{header::typed::CSeq, HeaderName, Method, RequestBuilder};
/// let req = RequestBuilder::new(&Method::Message, "sip:bob@biloxi.com")
///     .header(&HeaderName::To, "<sip:bob@biloxi.com>")
///     .typed(&CSeq::new(1, Method::Message))
///     .body(Bytes::from_static(b"hello"))
///     .build()
///     .unwrap();
/// assert_eq!(
///     &req.to_bytes()[..],
///     b"MESSAGE sip:bob@biloxi.com SIP/2.0\r\nTo: <sip:bob@biloxi.com>\r\nCSeq: 1 MESSAGE\r\n\
///       Content-Length: 5\r\n\r\nhello"
/// );
/// ```
#[derive(Debug, Clone)]
pub struct RequestBuilder {
    // Boxed: the builder moves at every call and the index is large.
    head: Box<HeadBuilder>,
}

/// Builds a response in canonical form; see [`RequestBuilder`] and [`Request::response`].
#[derive(Debug, Clone)]
pub struct ResponseBuilder {
    head: Box<HeadBuilder>,
}

/// The head being written, indexed as it is written (no second parse when it is built).
///
/// `buf` always holds the start line and the fields given so far, each `name: value CRLF`;
/// `entries` the index of those fields, as the parser would make it.
#[derive(Debug, Clone)]
struct HeadBuilder {
    buf: Vec<u8>,
    start: Start,
    entries: Entries,
    body: Bytes,
    error: Option<Error>,
    /// The index cannot be trusted (a start line the parser would refuse, offsets beyond
    /// its ranges): `finish` indexes the head again, which reports the error.
    reindex: bool,
}

impl Default for HeadBuilder {
    #[inline(always)]
    fn default() -> Self {
        Self {
            buf: Vec::new(),
            start: Start::Request {
                method: Span::new(0, 0),
                uri: Span::new(0, 0),
            },
            entries: Entries::new(),
            body: Bytes::new(),
            error: None,
            reindex: false,
        }
    }
}

/// Room reserved for a head, so that a typical one is written without growing.
const HEAD_CAPACITY: usize = 512;

impl RequestBuilder {
    /// A request for `method` to `uri` (the Request-URI as text).
    pub fn new(method: &Method, uri: &str) -> Self {
        let method = method.as_str();
        let mut buf = Vec::with_capacity(HEAD_CAPACITY.max(method.len() + uri.len() + 64));
        buf.extend_from_slice(method.as_bytes());
        buf.push(b' ');
        buf.extend_from_slice(uri.as_bytes());
        buf.extend_from_slice(b" SIP/2.0\r\n");
        let mut head = HeadBuilder::boxed();
        head.buf = buf;
        head.start = Start::Request {
            method: Span::new(0, method.len()),
            uri: Span::new(method.len() + 1, method.len() + 1 + uri.len()),
        };
        head.reindex = !crate::grammar::is_token(method.as_bytes());
        if let Err(e) = check_uri(uri) {
            head.error = Some(e);
        }
        Self { head }
    }

    /// Appends a header field. A Content-Length given here is ignored: the builder computes it.
    #[must_use]
    pub fn header(mut self, name: &HeaderName, value: &str) -> Self {
        self.head.field(name, value);
        self
    }

    /// Appends a typed header.
    #[must_use]
    pub fn typed<H: TypedHeader>(self, header: &H) -> Self {
        self.header(&H::NAME, &header.to_string())
    }

    /// Sets the body.
    #[must_use]
    pub fn body(mut self, body: Bytes) -> Self {
        self.head.body = body;
        self
    }

    /// The request.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a Request-URI or header field that cannot be written.
    #[inline]
    pub fn build(self) -> Result<Request> {
        self.head.finish(Request)
    }
}

impl ResponseBuilder {
    /// A response with `status` and its default reason phrase.
    pub fn new(status: StatusCode) -> Self {
        Self::with_capacity(status, HEAD_CAPACITY)
    }

    fn with_capacity(status: StatusCode, capacity: usize) -> Self {
        let mut buf = Vec::with_capacity(capacity);
        let reason = status_line(&mut buf, status, status.reason_phrase());
        let mut head = HeadBuilder::boxed();
        head.buf = buf;
        head.start = Start::Response {
            code: status,
            reason,
        };
        Self { head }
    }

    /// Sets the reason phrase.
    #[must_use]
    pub fn reason(mut self, reason: &str) -> Self {
        if reason
            .bytes()
            .any(|b| (b < 0x20 && b != b'\t') || b == 0x7f)
        {
            self.head.error.get_or_insert(Error::InvalidInput {
                what: "reason phrase",
                reason: "contains a control character",
            });
        }
        let Start::Response { code, reason: old } = self.head.start else {
            return self;
        };
        // Write the status line again and move the fields' index by the difference.
        let old_end = old.end as usize + 2;
        let mut line = Vec::with_capacity(reason.len() + 16);
        let span = status_line(&mut line, code, reason);
        let new_end = line.len();
        self.head
            .buf
            .splice(..old_end.min(self.head.buf.len()), line);
        for e in &mut self.head.entries {
            match e.shifted(old_end, new_end) {
                Some(moved) => *e = moved,
                // Left to the parser in `finish`, which refuses it.
                None => self.head.reindex = true,
            }
        }
        self.head.start = Start::Response { code, reason: span };
        self
    }

    /// Appends a header field. A Content-Length given here is ignored.
    #[must_use]
    pub fn header(mut self, name: &HeaderName, value: &str) -> Self {
        self.head.field(name, value);
        self
    }

    /// Appends a typed header.
    #[must_use]
    pub fn typed<H: TypedHeader>(self, header: &H) -> Self {
        self.header(&H::NAME, &header.to_string())
    }

    /// Sets the body.
    #[must_use]
    pub fn body(mut self, body: Bytes) -> Self {
        self.head.body = body;
        self
    }

    /// The response.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a reason phrase or header field that cannot be written.
    #[inline]
    pub fn build(self) -> Result<Response> {
        self.head.finish(Response)
    }
}

/// Writes `SIP/2.0 code reason CRLF`; returns where the reason phrase lies.
fn status_line(out: &mut Vec<u8>, code: StatusCode, reason: &str) -> Span {
    let n = code.as_u16();
    let digits = [
        b'0' + (n / 100 % 10) as u8,
        b'0' + (n / 10 % 10) as u8,
        b'0' + (n % 10) as u8,
    ];
    let base = out.len();
    out.extend_from_slice(b"SIP/2.0 ");
    out.extend_from_slice(&digits);
    out.push(b' ');
    out.extend_from_slice(reason.as_bytes());
    out.extend_from_slice(b"\r\n");
    Span::new(base + 12, base + 12 + reason.len())
}

impl HeadBuilder {
    /// An empty builder, made in its box: the index (about 520 bytes inline) is not written
    /// on the stack first and copied (`Box::default` writes in place; an empty `SmallVec`
    /// leaves its inline room unwritten).
    #[inline(always)]
    fn boxed() -> Box<Self> {
        Box::default()
    }

    fn field(&mut self, name: &HeaderName, value: &str) {
        if self.error.is_some() {
            return;
        }
        match name {
            // Registered names are tokens; only an extension name needs the full check.
            HeaderName::Other(_) => {
                if let Err(e) = check_field(name, value) {
                    self.error = Some(e);
                    return;
                }
                if is_content_length(name.as_str().as_bytes()) {
                    return;
                }
            }
            _ => {
                if has_ctl(value.as_bytes()) {
                    self.error = Some(Error::InvalidInput {
                        what: "header value",
                        reason: "contains a control character (CR, LF …)",
                    });
                    return;
                }
                if matches!(name, HeaderName::ContentLength) {
                    return;
                }
            }
        }
        // A checked value has no CR or LF: nothing to unfold.
        self.push_entry(name.as_str().as_bytes(), entry_kind(name), |buf| {
            buf.extend_from_slice(value.as_bytes());
        });
    }

    /// Appends `name: value CRLF`, the value written by `write`, and indexes it as the
    /// parser would (value trimmed of spaces and tabs at both ends).
    fn push_entry(&mut self, name: &[u8], kind: u8, write: impl FnOnce(&mut Vec<u8>)) {
        let name_start = self.buf.len();
        self.buf.extend_from_slice(name);
        self.buf.extend_from_slice(b": ");
        self.index_entry(name_start, name.len(), kind, write);
    }

    /// Writes the value (with `write`) and CRLF after a name that starts at `name_start`,
    /// and indexes the field.
    #[inline(always)]
    fn index_entry(
        &mut self,
        name_start: usize,
        name_len: usize,
        kind: u8,
        write: impl FnOnce(&mut Vec<u8>),
    ) {
        let value_start = self.buf.len();
        write(&mut self.buf);
        let value_end = self.buf.len();
        self.buf.extend_from_slice(b"\r\n");
        let written = self.buf.get(value_start..value_end).unwrap_or_default();
        let ws = |b: &u8| *b == b' ' || *b == b'\t';
        // Values rarely start or end with blanks: scanned only when they do.
        let lead = if written.first().is_some_and(ws) {
            written.iter().take_while(|b| ws(b)).count()
        } else {
            0
        };
        let trail = if written.last().is_some_and(ws) {
            written
                .get(lead..)
                .unwrap_or_default()
                .iter()
                .rev()
                .take_while(|b| ws(b))
                .count()
        } else {
            0
        };
        match Entry::new(
            name_start,
            name_len,
            kind,
            value_start + lead,
            value_end - trail,
        ) {
            Some(entry) => self.entries.push(entry),
            // Left to the parser in `finish`, which refuses it with the error it finds.
            None => self.reindex = true,
        }
    }

    /// Appends a field copied from a parsed message, folded line breaks replaced by one
    /// space (what [`Request::response`] copies). The value must be UTF-8.
    ///
    /// `prefix` is the canonical name followed by `": "`: a constant at every call site, so
    /// that writing it takes a few stores. `kind` is the name's index kind.
    #[inline(always)]
    fn copy_field(
        &mut self,
        prefix: &'static [u8],
        kind: u8,
        value: &[u8],
        suffix: &[&[u8]],
    ) -> Result<()> {
        let name_start = self.buf.len();
        self.buf.extend_from_slice(prefix);
        self.copy_value(
            name_start,
            prefix.len().saturating_sub(2),
            kind,
            value,
            suffix,
        )
    }

    /// The rest of [`copy_field`](Self::copy_field) after the name: value, suffix, CRLF, index.
    fn copy_value(
        &mut self,
        name_start: usize,
        name_len: usize,
        kind: u8,
        value: &[u8],
        suffix: &[&[u8]],
    ) -> Result<()> {
        if is_plain(value) {
            // Printable ASCII (the usual case): UTF-8, and nothing folded to undo.
            self.index_entry(name_start, name_len, kind, |buf| {
                buf.extend_from_slice(value);
                for part in suffix {
                    buf.extend_from_slice(part);
                }
            });
            return Ok(());
        }
        if let Err(e) = not_utf8(value) {
            self.buf.truncate(name_start);
            return Err(e);
        }
        self.index_entry(name_start, name_len, kind, |buf| {
            unfold(buf, value);
            for part in suffix {
                buf.extend_from_slice(part);
            }
        });
        Ok(())
    }

    /// The message, made straight into `wrap`'s type (a `map` of the result afterwards
    /// would copy the whole message once more). Works in the box: the index (about 260
    /// bytes inline) is moved once, into the message.
    #[inline]
    fn finish<T>(mut self: Box<Self>, wrap: fn(Message) -> T) -> Result<T> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let body_len = self.body.len();
        let max = Limits::default().max_list_values;
        if self.reindex || body_len > 999_999_999 {
            // Left to the parser, which refuses it with the error it finds.
            write_content_length(&mut self.buf, body_len);
            self.buf.extend_from_slice(b"\r\n");
            let head = Bytes::from(core::mem::take(&mut self.buf));
            let mut entries = Entries::new();
            let index = reindex(&head, max, &mut entries)?;
            let mut msg = parse::assemble(head, &index, entries, 0, max);
            msg.body = core::mem::take(&mut self.body);
            return Ok(wrap(msg));
        }
        self.push_entry(b"Content-Length", super::kind::CONTENT_LENGTH, |buf| {
            let mut digits = [0u8; 10];
            let mut n = body_len;
            let mut i = digits.len();
            loop {
                i -= 1;
                if let Some(d) = digits.get_mut(i) {
                    *d = b'0' + (n % 10) as u8;
                }
                n /= 10;
                if n == 0 || i == 0 {
                    break;
                }
            }
            buf.extend_from_slice(digits.get(i..).unwrap_or_default());
        });
        self.buf.extend_from_slice(b"\r\n");
        if self.reindex || u32::try_from(self.buf.len()).is_err() {
            return Err(Error::InvalidInput {
                what: "header section",
                reason: "does not form a valid message head",
            });
        }
        Ok(wrap(Message {
            head: Bytes::from(core::mem::take(&mut self.buf)),
            body: core::mem::take(&mut self.body),
            start: self.start,
            entries: core::mem::take(&mut self.entries),
            max_list_values: u32::try_from(max).unwrap_or(u32::MAX),
        }))
    }
}

impl Request {
    /// Starts a response to this request as §8.2.6.2 says: the Via fields (all, in order),
    /// From, Call-ID and CSeq copied; To copied, with `;tag=to_tag` added when the request's
    /// To has no tag (required then, except for 100 Trying, which never gets one); for
    /// 100 Trying the Timestamp copied too (§8.2.6.1). Add further fields (Contact …) to the
    /// builder.
    ///
    /// # Errors
    /// [`Error::MissingHeader`] when the request lacks Via, From, To, Call-ID or CSeq;
    /// [`Error::InvalidInput`] when a tag is needed and `to_tag` is `None` or not a token.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use sip_message::{Message, Request, StatusCode};
    /// let req = Request::try_from(Message::parse(Bytes::from_static(
    ///     b"BYE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:c@d>;tag=1\r\n\
    ///       To: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n",
    /// )).unwrap()).unwrap();
    /// let resp = req.response(StatusCode::OK, Some("98")).unwrap().build().unwrap();
    /// assert_eq!(resp.to_tag(), Some("98"));
    /// assert_eq!(resp.reason(), "OK");
    /// ```
    pub fn response(&self, status: StatusCode, to_tag: Option<&str>) -> Result<ResponseBuilder> {
        // One buffer for the whole head, written once and indexed as it is written.
        let mut b = ResponseBuilder::with_capacity(status, self.head().len() + 64);
        // One pass over the index: the Via fields are written as they come, the first From,
        // To, Call-ID and CSeq kept (what `Message::get` would find).
        let mut vias = 0;
        let (mut from, mut to, mut call_id, mut cseq) = (None, None, None, None);
        for e in &self.entries {
            let value = || self.head.get(e.value()).unwrap_or_default();
            let slot = match e.kind() {
                super::kind::VIA => None,
                super::kind::FROM => Some(&mut from),
                super::kind::TO => Some(&mut to),
                super::kind::CALL_ID => Some(&mut call_id),
                super::kind::CSEQ => Some(&mut cseq),
                _ => continue,
            };
            match slot {
                None => {
                    b.head
                        .copy_field(b"Via: ", super::kind::VIA, value(), &[])?;
                    vias += 1;
                }
                Some(slot) => {
                    if slot.is_none() {
                        *slot = Some(value());
                    }
                }
            }
        }
        if vias == 0 {
            return Err(Error::MissingHeader { name: "Via" });
        }
        let from = required(from, &HeaderName::From)?;
        let to = required(to, &HeaderName::To)?;
        let call_id = required(call_id, &HeaderName::CallId)?;
        let cseq = required(cseq, &HeaderName::CSeq)?;
        let tag = if super::split::tag_param(to).is_some() || status == StatusCode::TRYING {
            None
        } else {
            let tag = to_tag.ok_or(Error::InvalidInput {
                what: "To tag",
                reason: "required in a response other than 100 when the request's To has none",
            })?;
            if !crate::grammar::is_token(tag.as_bytes()) {
                return Err(Error::InvalidInput {
                    what: "To tag",
                    reason: "not a token",
                });
            }
            Some(tag)
        };
        b.head.copy_field(b"From: ", super::kind::FROM, from, &[])?;
        match tag {
            Some(tag) => {
                b.head
                    .copy_field(b"To: ", super::kind::TO, to, &[b";tag=", tag.as_bytes()])?
            }
            None => b.head.copy_field(b"To: ", super::kind::TO, to, &[])?,
        }
        b.head
            .copy_field(b"Call-ID: ", super::kind::CALL_ID, call_id, &[])?;
        b.head.copy_field(b"CSeq: ", super::kind::CSEQ, cseq, &[])?;
        if status == StatusCode::TRYING {
            if let Some(ts) = self.get(&HeaderName::Timestamp) {
                b.head
                    .copy_field(b"Timestamp: ", super::kind::OTHER, ts, &[])?;
            }
        }
        Ok(b)
    }
}

/// The index kind of a field called `name` (an extension name is looked at as written).
fn entry_kind(name: &HeaderName) -> u8 {
    match name {
        HeaderName::Other(n) => super::kind::of(n.as_bytes()),
        known => super::kind::of_name(known),
    }
}

/// The first value of `name` (`v`), which must be there (`copy_field` checks it is UTF-8).
fn required<'m>(v: Option<&'m [u8]>, name: &HeaderName) -> Result<&'m [u8]> {
    v.ok_or(Error::MissingHeader {
        name: name.static_str().unwrap_or("header"),
    })
}

/// Fails unless `v` is UTF-8 (then so is `v` unfolded: folding is ASCII).
fn not_utf8(v: &[u8]) -> Result<()> {
    if v.is_ascii() || core::str::from_utf8(v).is_ok() {
        return Ok(());
    }
    Err(Error::InvalidInput {
        what: "header value",
        reason: "not UTF-8",
    })
}

/// The 8-byte words of `s` for an eight-at-a-time scan: every full chunk, then (when `s`
/// is not a multiple of eight long) its last eight bytes, overlapping the chunk before;
/// `None` when `s` is shorter than eight bytes.
#[inline(always)]
fn words(s: &[u8]) -> Option<impl Iterator<Item = u64> + '_> {
    let last = s.len().checked_sub(8)?;
    let word = |c: &[u8]| super::le_word(c).unwrap_or_default();
    let tail = (s.len() % 8 != 0).then(|| word(s.get(last..).unwrap_or_default()));
    Some(s.chunks_exact(8).map(word).chain(tail))
}

/// High bit of each byte of `x` set when the byte's low seven bits plus one stay below 0x21:
/// control characters (HTAB included) and DEL, and also 0x80–0x9F and 0xFF. A borrow only
/// reaches bytes above one already flagged.
#[inline(always)]
fn ctl_candidates(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let t = ((x & LOW7) + ONES) & LOW7;
    t.wrapping_sub(ONES * 0x21) & !t & HIGH
}

/// Whether every byte of `s` is printable ASCII (SP to `~`): then `s` is UTF-8 and holds no
/// line break or other control character. Eight bytes at a time, one branch at the end.
#[inline]
fn is_plain(s: &[u8]) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    match words(s) {
        Some(words) => words.fold(0, |acc, x| acc | ctl_candidates(x) | x) & HIGH == 0,
        None => s.iter().all(|&b| (b' '..=b'~').contains(&b)),
    }
}

/// Writes `v` with folded line breaks replaced by one space; the bytes as they are when
/// there is none (the usual case).
fn unfold(out: &mut Vec<u8>, v: &[u8]) {
    // Nothing folded (the usual case): copied as it is.
    if memchr::memchr2(b'\r', b'\n', v).is_none() {
        out.extend_from_slice(v);
        return;
    }
    let mut in_break = false;
    for &b in v {
        match b {
            b'\r' | b'\n' => in_break = true,
            b' ' | b'\t' if in_break => {}
            _ => {
                if in_break {
                    out.push(b' ');
                    in_break = false;
                }
                out.push(b);
            }
        }
    }
}

/// Whether `s` holds a control character other than HTAB (below SP, or DEL): eight bytes
/// at a time, a byte check confirming each candidate.
fn has_ctl(s: &[u8]) -> bool {
    let is_ctl = |b: u8| (b < 0x20 && b != b'\t') || b == 0x7f;
    let Some(mut words) = words(s) else {
        return s.iter().any(|&b| is_ctl(b));
    };
    // Candidates are rare (HTAB, bytes from 0x80): confirmed on the whole value.
    words.any(|x| ctl_candidates(x) != 0) && s.iter().any(|&b| is_ctl(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index written by the builder is the one the parser makes of the same bytes.
    fn same_as_parsed(msg: &Message) {
        let parsed = Message::parse(msg.to_bytes()).unwrap();
        assert_eq!(msg.method_str(), parsed.method_str());
        assert_eq!(msg.uri(), parsed.uri());
        assert_eq!(msg.status(), parsed.status());
        assert_eq!(msg.reason(), parsed.reason());
        assert_eq!(msg.body(), parsed.body());
        let fields = |m: &Message| {
            m.headers()
                .map(|f| (f.name().to_owned(), f.value().to_vec()))
                .collect::<Vec<_>>()
        };
        assert_eq!(fields(msg), fields(&parsed));
        assert_eq!(msg.header_count(), parsed.header_count());
        let kinds = |m: &Message| m.entries.iter().map(|e| e.kind()).collect::<Vec<_>>();
        assert_eq!(kinds(msg), kinds(&parsed));
    }

    #[test]
    fn built_index_matches_the_parser() {
        let req = RequestBuilder::new(&Method::Invite, "sip:bob@biloxi.com;transport=tcp")
            .header(&HeaderName::Via, "SIP/2.0/UDP h;branch=z9hG4bK1")
            .header(&HeaderName::From, " \t<sip:a@b>;tag=1 \t")
            .header(&HeaderName::To, "")
            .header(&HeaderName::ContentLength, "99")
            .header(
                &HeaderName::Other(crate::ByteStr::from_static("X-Tab")),
                "a\tb\t",
            )
            .header(&HeaderName::CallId, "x@y")
            .header(&HeaderName::CSeq, "1 INVITE")
            .header(&HeaderName::Other(crate::ByteStr::from_static("v")), "x")
            .header(
                &HeaderName::Other(crate::ByteStr::from_static("cseq")),
                "2 BYE",
            )
            .body(Bytes::from_static(b"v=0\r\n"))
            .build()
            .unwrap();
        same_as_parsed(&req);
        assert_eq!(req.get(&HeaderName::From), Some(&b"<sip:a@b>;tag=1"[..]));
        assert_eq!(req.get(&HeaderName::ContentLength), Some(&b"5"[..]));

        for reason in ["", "Fine", "A much longer reason phrase than the default"] {
            let resp = ResponseBuilder::new(StatusCode::OK)
                .header(&HeaderName::Via, "SIP/2.0/UDP h")
                .reason(reason)
                .header(&HeaderName::CSeq, "1 INVITE")
                .build()
                .unwrap();
            same_as_parsed(&resp);
            assert_eq!(resp.reason(), reason);
            assert_eq!(resp.get(&HeaderName::Via), Some(&b"SIP/2.0/UDP h"[..]));
        }
        for code in [100, 183, 200, 302, 486, 503, 699] {
            let resp = ResponseBuilder::new(StatusCode::from_u16(code).unwrap())
                .build()
                .unwrap();
            same_as_parsed(&resp);
        }
    }

    #[test]
    fn utf8_check_with_ascii_fast_path() {
        for (v, ok) in [
            (&b""[..], true),
            (b"plain ascii value, longer than eight", true),
            (b"caf\xc3\xa9 and more text after it", true),
            (b"bad \xff byte after eight bytes", false),
            (b"\xc3", false),
            (b"1234567\xc3", false),
        ] {
            assert_eq!(not_utf8(v).is_ok(), ok, "{v:?}");
        }
    }

    #[test]
    fn response_copies_folded_fields_unfolded() {
        let req = Request::try_from(
            Message::parse(Bytes::from_static(
                b"OPTIONS sip:a@b SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1,\r\n SIP/2.0/TCP g\r\n\
                  f: <sip:c@d>\r\n\t;tag=1\r\nt: <sip:a@b>\r\ni: x\r\nCSeq: 2 OPTIONS\r\n\
                  Via: SIP/2.0/UDP k\r\nTimestamp: 54\r\nContent-Length: 0\r\n\r\n",
            ))
            .unwrap(),
        )
        .unwrap();
        let resp = req
            .response(StatusCode::TRYING, None)
            .unwrap()
            .build()
            .unwrap();
        same_as_parsed(&resp);
        assert_eq!(
            &resp.to_bytes()[..],
            b"SIP/2.0 100 Trying\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1, SIP/2.0/TCP g\r\n\
              Via: SIP/2.0/UDP k\r\nFrom: <sip:c@d> ;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\n\
              CSeq: 2 OPTIONS\r\nTimestamp: 54\r\nContent-Length: 0\r\n\r\n"
        );
        let resp = req
            .response(StatusCode::OK, Some("t9"))
            .unwrap()
            .reason("Yes")
            .header(&HeaderName::Contact, "<sip:a@10.0.0.1>")
            .build()
            .unwrap();
        same_as_parsed(&resp);
        assert_eq!(resp.to_tag(), Some("t9"));
        assert_eq!(resp.get(&HeaderName::To), Some(&b"<sip:a@b>;tag=t9"[..]));
        assert!(resp.get(&HeaderName::Timestamp).is_none());
    }

    #[test]
    fn plain_values_are_exactly_printable_ascii() {
        for len in 0..26 {
            for at in 0..len {
                for b in 0..=255u8 {
                    for fill in [b'a', b' ', b'~'] {
                        let mut v = vec![fill; len];
                        v[at] = b;
                        let naive = v.iter().all(|&c| (0x20..0x7f).contains(&c));
                        assert_eq!(is_plain(&v), naive, "{v:?}");
                        let ctl = v.iter().any(|&c| (c < 0x20 && c != b'\t') || c == 0x7f);
                        assert_eq!(has_ctl(&v), ctl, "{v:?}");
                    }
                }
            }
        }
        assert!(is_plain(b""));
        assert!(!has_ctl(b""));
    }

    #[test]
    fn control_characters_are_found_anywhere() {
        for len in 0..20 {
            for at in 0..len {
                for bad in [0u8, b'\r', b'\n', 0x1f, 0x7f] {
                    let mut v = vec![b'a'; len];
                    v[at] = bad;
                    assert!(has_ctl(&v), "{len} {at} {bad}");
                }
                let mut v = vec![b'a'; len];
                v[at] = b'\t';
                assert!(!has_ctl(&v));
                v[at] = 0x85;
                assert!(!has_ctl(&v));
            }
        }
    }

    #[test]
    fn invalid_parts_are_still_refused() {
        let bad_method = Method::Extension(crate::ByteStr::from_static("BAD METHOD"));
        assert!(RequestBuilder::new(&bad_method, "sip:a@b").build().is_err());
        assert!(RequestBuilder::new(&Method::Options, "sip:a b")
            .build()
            .is_err());
        assert!(RequestBuilder::new(&Method::Options, "sip:a@b")
            .header(&HeaderName::From, "a\r\nb")
            .build()
            .is_err());
        assert!(ResponseBuilder::new(StatusCode::OK)
            .reason("a\nb")
            .build()
            .is_err());
    }
}
