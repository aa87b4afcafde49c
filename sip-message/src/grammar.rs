//! RFC 3261 §25.1 character classes and a byte cursor shared by the message, URI and header
//! parsers.
//!
//! Everything here scans bytes; text is produced only for what is returned, as [`ByteStr`]
//! slices of the input buffer.

use bytes::Bytes;

use crate::{ByteStr, Error, Result};

/// `token` characters (§25.1): alphanum and `-.!%*_+` backquote `'~`.
pub(crate) const TOKEN: u16 = 1;
/// `word` characters (§25.1, used by Call-ID): token plus `()<>:\"/[]?{}`.
pub(crate) const WORD: u16 = 1 << 1;
/// `unreserved` (§25.1): alphanum and `mark` (`-_.!~*'()`).
pub(crate) const UNRESERVED: u16 = 1 << 2;
/// `user-unreserved` (§25.1): `&=+$,;?/`.
pub(crate) const USER_UNRESERVED: u16 = 1 << 3;
/// Characters of `password` besides unreserved and escaped (§25.1): `&=+$,`.
pub(crate) const PASSWORD_EXTRA: u16 = 1 << 4;
/// `param-unreserved` (§25.1): `[]/:&+$`.
pub(crate) const PARAM_UNRESERVED: u16 = 1 << 5;
/// `hnv-unreserved` (§25.1): `[]/?:+$`.
pub(crate) const HNV_UNRESERVED: u16 = 1 << 6;
/// `reserved` (§25.1): `;/?:@&=+$,`.
pub(crate) const RESERVED: u16 = 1 << 7;
/// Characters of a host name or IPv4 address: alphanum, `-`, `.`.
pub(crate) const HOST: u16 = 1 << 8;
/// ALPHA.
pub(crate) const ALPHA: u16 = 1 << 9;
/// DIGIT.
pub(crate) const DIGIT: u16 = 1 << 10;
/// HEXDIG.
pub(crate) const HEX: u16 = 1 << 11;
/// SP and HTAB.
pub(crate) const WSP: u16 = 1 << 12;
/// `qdtext` bytes except LWS (§25.1): `!`, `#`-`[`, `]`-`~` and UTF8-NONASCII bytes.
pub(crate) const QDTEXT: u16 = 1 << 13;

/// Characters of a Via `sent-by` as scanned before it is checked: host characters, `[`, `]`
/// and `:`.
pub(crate) const SENT_BY: u16 = 1 << 14;
/// Characters of an unquoted generic parameter value: token characters, `[`, `]` and `:`
/// (hosts and IPv6 references, §25.1 `gen-value`).
pub(crate) const PARAM_VALUE: u16 = 1 << 15;

/// The class bits of every byte value.
pub(crate) static CLASS: [u16; 256] = build_classes();

// `i < 256` is the loop condition: the index is always in bounds.
#[allow(clippy::indexing_slicing)]
const fn build_classes() -> [u16; 256] {
    let mut table = [0u16; 256];
    let mut i = 0usize;
    while i < 256 {
        let b = i as u8;
        let mut c = 0u16;
        let alpha = b.is_ascii_alphabetic();
        let digit = b.is_ascii_digit();
        if alpha {
            c |= ALPHA;
        }
        if digit {
            c |= DIGIT;
        }
        if b.is_ascii_hexdigit() {
            c |= HEX;
        }
        if alpha || digit {
            c |= TOKEN | WORD | UNRESERVED | HOST;
        }
        if matches!(
            b,
            b'-' | b'.' | b'!' | b'%' | b'*' | b'_' | b'+' | b'`' | b'\'' | b'~'
        ) {
            c |= TOKEN | WORD;
        }
        if matches!(
            b,
            b'(' | b')'
                | b'<'
                | b'>'
                | b':'
                | b'\\'
                | b'"'
                | b'/'
                | b'['
                | b']'
                | b'?'
                | b'{'
                | b'}'
        ) {
            c |= WORD;
        }
        if matches!(
            b,
            b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
        ) {
            c |= UNRESERVED;
        }
        if matches!(b, b'&' | b'=' | b'+' | b'$' | b',' | b';' | b'?' | b'/') {
            c |= USER_UNRESERVED;
        }
        if matches!(b, b'&' | b'=' | b'+' | b'$' | b',') {
            c |= PASSWORD_EXTRA;
        }
        if matches!(b, b'[' | b']' | b'/' | b':' | b'&' | b'+' | b'$') {
            c |= PARAM_UNRESERVED;
        }
        if matches!(b, b'[' | b']' | b'/' | b'?' | b':' | b'+' | b'$') {
            c |= HNV_UNRESERVED;
        }
        if matches!(
            b,
            b';' | b'/' | b'?' | b':' | b'@' | b'&' | b'=' | b'+' | b'$' | b','
        ) {
            c |= RESERVED;
        }
        if matches!(b, b'-' | b'.') {
            c |= HOST;
        }
        if b == b' ' || b == b'\t' {
            c |= WSP;
        }
        if c & HOST != 0 || matches!(b, b'[' | b']' | b':') {
            c |= SENT_BY;
        }
        if c & TOKEN != 0 || matches!(b, b'[' | b']' | b':') {
            c |= PARAM_VALUE;
        }
        if b == 0x21 || (b >= 0x23 && b <= 0x5b) || (b >= 0x5d && b <= 0x7e) || b >= 0x80 {
            c |= QDTEXT;
        }
        table[i] = c;
        i += 1;
    }
    table
}

/// Whether byte `b` is in any of the classes of `mask`.
#[inline]
pub(crate) fn is(b: u8, mask: u16) -> bool {
    CLASS.get(usize::from(b)).is_some_and(|c| c & mask != 0)
}

/// Length of the run of bytes at the start of `s` that are in the classes of `mask`.
#[inline]
pub(crate) fn span(s: &[u8], mask: u16) -> usize {
    s.iter().position(|&b| !is(b, mask)).unwrap_or(s.len())
}

/// Whether `s` is a non-empty `token` (§25.1).
pub(crate) fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is(b, TOKEN))
}

/// A read position in a shared buffer.
///
/// Offsets in the errors it makes are relative to `start` given to [`Cursor::new`] (normally
/// the start of the value being parsed), so callers can add their own base.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    buf: &'a Bytes,
    pos: usize,
    start: usize,
    end: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor over all of `buf`.
    pub(crate) fn new(buf: &'a Bytes) -> Self {
        Self {
            buf,
            pos: 0,
            start: 0,
            end: buf.len(),
        }
    }

    /// Current position, relative to the start of the range.
    pub(crate) fn offset(&self) -> usize {
        self.pos - self.start
    }

    /// Current absolute position in the buffer.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Moves to absolute position `pos` (clamped to the range).
    pub(crate) fn set_pos(&mut self, pos: usize) {
        self.pos = pos.clamp(self.start, self.end);
    }

    /// Whether all input is consumed.
    pub(crate) fn is_at_end(&self) -> bool {
        self.pos >= self.end
    }

    /// The unconsumed bytes.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..self.end).unwrap_or_default()
    }

    /// The next byte, if any.
    #[inline]
    pub(crate) fn peek(&self) -> Option<u8> {
        if self.pos < self.end {
            self.buf.get(self.pos).copied()
        } else {
            None
        }
    }

    /// The byte `n` positions ahead, if any.
    pub(crate) fn peek_at(&self, n: usize) -> Option<u8> {
        let at = self.pos.checked_add(n)?;
        if at < self.end {
            self.buf.get(at).copied()
        } else {
            None
        }
    }

    /// Consumes and returns the next byte.
    pub(crate) fn next_byte(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    /// Consumes `b` if it is next.
    #[inline]
    pub(crate) fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consumes `b` if it is next, ignoring ASCII case.
    pub(crate) fn eat_ignore_case(&mut self, lit: &[u8]) -> bool {
        match self.rest().get(..lit.len()) {
            Some(head) if head.eq_ignore_ascii_case(lit) => {
                self.pos += lit.len();
                true
            }
            _ => false,
        }
    }

    /// Consumes `b` or fails with `expected`.
    pub(crate) fn expect(&mut self, b: u8, expected: &'static str) -> Result<()> {
        if self.eat(b) {
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }

    /// Consumes bytes while `pred` holds; returns the absolute range consumed.
    #[inline]
    pub(crate) fn take_while(&mut self, mut pred: impl FnMut(u8) -> bool) -> (usize, usize) {
        let start = self.pos;
        let n = self.rest().iter().take_while(|&&b| pred(b)).count();
        self.pos += n;
        (start, self.pos)
    }

    /// Consumes bytes in the classes of `mask`; returns the absolute range consumed.
    #[inline]
    pub(crate) fn take_class(&mut self, mask: u16) -> (usize, usize) {
        self.take_while(|b| is(b, mask))
    }

    /// The shared bytes of the absolute range `start..end`.
    #[inline]
    pub(crate) fn slice(&self, start: usize, end: usize) -> Bytes {
        if start <= end && end <= self.buf.len() {
            self.buf.slice(start..end)
        } else {
            Bytes::new()
        }
    }

    /// The raw bytes of the absolute range `start..end`.
    pub(crate) fn bytes(&self, start: usize, end: usize) -> &'a [u8] {
        self.buf.get(start..end).unwrap_or_default()
    }

    /// The text of the absolute range `start..end`, which must be UTF-8.
    #[inline]
    pub(crate) fn text(&self, start: usize, end: usize) -> Result<ByteStr> {
        ByteStr::from_utf8(self.slice(start, end)).map_err(|_| Error::Syntax {
            offset: start.saturating_sub(self.start),
            expected: "UTF-8 text",
        })
    }

    /// A syntax error at the current position (end-of-input aware).
    pub(crate) fn error(&self, expected: &'static str) -> Error {
        if self.is_at_end() {
            Error::UnexpectedEnd {
                offset: self.offset(),
                expected,
            }
        } else {
            Error::Syntax {
                offset: self.offset(),
                expected,
            }
        }
    }

    /// Skips SP and HTAB.
    pub(crate) fn skip_wsp(&mut self) {
        self.take_class(WSP);
    }

    /// Skips `SWS` (§25.1): whitespace including folded line breaks (CRLF or LF followed by
    /// whitespace). A line break not followed by whitespace is left in place.
    #[inline]
    pub(crate) fn skip_sws(&mut self) {
        // Fast path: most separators have no whitespace around them.
        if matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.skip_sws_slow();
        }
    }

    /// [`Cursor::skip_sws`] once whitespace was seen.
    #[inline(never)]
    fn skip_sws_slow(&mut self) {
        loop {
            self.skip_wsp();
            let fold = match (self.peek(), self.peek_at(1), self.peek_at(2)) {
                (Some(b'\r'), Some(b'\n'), Some(b' ' | b'\t')) => 2,
                (Some(b'\n'), Some(b' ' | b'\t'), _) => 1,
                _ => 0,
            };
            if fold == 0 {
                return;
            }
            self.pos += fold;
        }
    }

    /// Consumes a separator `SWS b SWS` (the SEMI, COMMA, EQUAL, COLON, SLASH rules of §25.1).
    #[inline]
    pub(crate) fn eat_sep(&mut self, b: u8) -> bool {
        // Fast path: the separator with nothing before it.
        if self.eat(b) {
            self.skip_sws();
            return true;
        }
        let save = self.pos;
        self.skip_sws();
        if self.eat(b) {
            self.skip_sws();
            true
        } else {
            self.pos = save;
            false
        }
    }

    /// Consumes a `token` (§25.1) and returns it.
    pub(crate) fn token(&mut self, expected: &'static str) -> Result<ByteStr> {
        let (s, e) = self.take_class(TOKEN);
        if s == e {
            return Err(self.error(expected));
        }
        // Token characters are ASCII: no UTF-8 check needed.
        Ok(self.ascii(s, e))
    }

    /// The text of the absolute range `start..end`, which the caller scanned with an
    /// ASCII-only class (no UTF-8 check).
    pub(crate) fn ascii(&self, start: usize, end: usize) -> ByteStr {
        ByteStr::from_checked(self.slice(start, end))
    }

    /// Consumes a `quoted-string` (§25.1) starting at `"`; returns the absolute range of the
    /// whole string, quotes included. Escapes are checked, not removed.
    pub(crate) fn quoted_string(&mut self) -> Result<(usize, usize)> {
        let start = self.pos;
        self.expect(b'"', "opening quote")?;
        loop {
            match self.peek() {
                None => return Err(self.error("closing quote")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok((start, self.pos));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
                    match self.peek() {
                        Some(b) if b <= 0x7f && b != b'\r' && b != b'\n' => self.pos += 1,
                        _ => return Err(self.error("escaped character")),
                    }
                }
                Some(b) if is(b, QDTEXT | WSP) => self.pos += 1,
                Some(b'\r' | b'\n') => {
                    let before = self.pos;
                    self.skip_sws();
                    if self.pos == before {
                        return Err(self.error("closing quote"));
                    }
                }
                Some(_) => return Err(self.error("quoted text")),
            }
        }
    }

    /// Fails unless only `SWS` is left.
    pub(crate) fn expect_end(&mut self, expected: &'static str) -> Result<()> {
        self.skip_sws();
        if self.is_at_end() {
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }
}

/// Removes the quotes and `\` escapes of a `quoted-string`; text without quotes is returned
/// as it is.
pub fn unquote(s: &str) -> std::borrow::Cow<'_, str> {
    let Some(inner) = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
        return s.into();
    };
    if !inner.contains('\\') {
        return inner.into();
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// Writes `s` as a `quoted-string`, escaping `"` and `\`.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_class_matches_rfc() {
        for b in b"abcXYZ019-.!%*_+`'~" {
            assert!(is(*b, TOKEN), "{}", *b as char);
        }
        for b in b"()<>@,;:\\\"/[]?={} \t" {
            assert!(!is(*b, TOKEN), "{}", *b as char);
        }
    }

    #[test]
    fn sws_skips_folding() {
        let buf = Bytes::from_static(b" \r\n\t x");
        let mut c = Cursor::new(&buf);
        c.skip_sws();
        assert_eq!(c.peek(), Some(b'x'));
        let buf = Bytes::from_static(b" \r\nx");
        let mut c = Cursor::new(&buf);
        c.skip_sws();
        assert_eq!(c.peek(), Some(b'\r'));
    }

    #[test]
    fn quoted_strings() {
        let buf = Bytes::from_static(b"\"a \\\"b\\\\\" rest");
        let mut c = Cursor::new(&buf);
        let (s, e) = c.quoted_string().unwrap();
        let text = c.text(s, e).unwrap();
        assert_eq!(&*text, "\"a \\\"b\\\\\"");
        assert_eq!(unquote(&text), "a \"b\\");
        assert_eq!(quote("a \"b\\"), text.as_str());
        let bad = Bytes::from_static(b"\"open");
        assert!(matches!(
            Cursor::new(&bad).quoted_string(),
            Err(Error::UnexpectedEnd { .. })
        ));
    }

    #[test]
    fn separators_take_surrounding_whitespace() {
        let buf = Bytes::from_static(b"a ; b");
        let mut c = Cursor::new(&buf);
        assert_eq!(&*c.token("t").unwrap(), "a");
        assert!(c.eat_sep(b';'));
        assert_eq!(&*c.token("t").unwrap(), "b");
        assert!(c.expect_end("end").is_ok());
    }
}
