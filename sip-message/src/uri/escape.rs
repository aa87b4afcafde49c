//! `%`-escaping of URI components (RFC 3261 §19.1.2, §25.1 `escaped`) and the
//! escape-aware comparison of §19.1.4.

use std::borrow::Cow;

use crate::grammar::{
    self, Cursor, HEX, HNV_UNRESERVED, PARAM_UNRESERVED, PASSWORD_EXTRA, RESERVED, UNRESERVED,
    USER_UNRESERVED,
};
use crate::Result;

/// The URI component a text is escaped for: it decides which characters may stay as they are.
///
/// Everything outside the component's character set (RFC 3261 §25.1) is written as
/// `"%" HEX HEX` of its UTF-8 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EscapeSet {
    /// `user`: unreserved and `&=+$,;?/`.
    User,
    /// `password`: unreserved and `&=+$,`.
    Password,
    /// `pname` / `pvalue` of a uri-parameter (`paramchar`): unreserved and `[]/:&+$`.
    Param,
    /// `hname` / `hvalue` of a URI header: unreserved and `[]/?:+$`.
    Header,
}

impl EscapeSet {
    /// The class mask of the characters that stay unescaped.
    pub(crate) fn mask(self) -> u16 {
        match self {
            Self::User => UNRESERVED | USER_UNRESERVED,
            Self::Password => UNRESERVED | PASSWORD_EXTRA,
            Self::Param => UNRESERVED | PARAM_UNRESERVED,
            Self::Header => UNRESERVED | HNV_UNRESERVED,
        }
    }
}

/// Escapes `text` for the URI component `set`: every byte outside the set (including `%`
/// itself and every non-ASCII byte) becomes `%XX` with upper-case hex digits.
///
/// Borrows when nothing needs escaping.
///
/// ```
/// use sip_message::uri::{escape, EscapeSet};
/// assert_eq!(escape(EscapeSet::User, "alice"), "alice");
/// assert_eq!(escape(EscapeSet::User, "a b@c"), "a%20b%40c");
/// assert_eq!(escape(EscapeSet::Param, "a;b=c"), "a%3Bb%3Dc");
/// assert_eq!(escape(EscapeSet::Header, "sip:bob@biloxi.com"), "sip:bob%40biloxi.com");
/// ```
pub fn escape(set: EscapeSet, text: &str) -> Cow<'_, str> {
    let mask = set.mask();
    if text.bytes().all(|b| grammar::is(b, mask)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for b in text.bytes() {
        if grammar::is(b, mask) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 0x0f));
        }
    }
    Cow::Owned(out)
}

/// Decodes every `%XX` escape of `text` into its byte. A `%` not followed by two hex digits
/// is kept as it is. Borrows when `text` has no escape.
///
/// ```
/// use sip_message::uri::unescape_bytes;
/// assert_eq!(&*unescape_bytes("a%20b%ff"), b"a b\xff");
/// assert_eq!(&*unescape_bytes("100%"), b"100%");
/// ```
pub fn unescape_bytes(text: &str) -> Cow<'_, [u8]> {
    if !text.contains('%') {
        return Cow::Borrowed(text.as_bytes());
    }
    let mut out = Vec::with_capacity(text.len());
    let mut units = Units::new(text.as_bytes());
    while let Some(unit) = units.next_raw() {
        out.push(unit.byte());
    }
    Cow::Owned(out)
}

/// Decodes every `%XX` escape of `text`; decoded bytes that are not UTF-8 become U+FFFD.
///
/// ```
/// use sip_message::uri::unescape;
/// assert_eq!(unescape("project%20x"), "project x");
/// assert_eq!(unescape("bob%40biloxi.com"), "bob@biloxi.com");
/// ```
pub fn unescape(text: &str) -> Cow<'_, str> {
    match unescape_bytes(text) {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        Cow::Owned(bytes) => match String::from_utf8(bytes) {
            Ok(s) => Cow::Owned(s),
            Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        },
    }
}

fn hex_digit(n: u8) -> char {
    char::from(
        b"0123456789ABCDEF"
            .get(usize::from(n & 0x0f))
            .copied()
            .unwrap_or(b'0'),
    )
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Consumes `1*( chars of mask / escaped )` (or `*` when `allow_empty`); fails on a `%` not
/// followed by two hex digits. Returns the absolute range.
#[inline]
pub(crate) fn take_escaped(
    cur: &mut Cursor<'_>,
    mask: u16,
    allow_empty: bool,
    expected: &'static str,
) -> Result<(usize, usize)> {
    take_escaped_with(cur, |b| grammar::is(b, mask), allow_empty, expected)
}

/// As [`take_escaped`] with the plain characters given by `plain`.
#[inline]
pub(crate) fn take_escaped_with(
    cur: &mut Cursor<'_>,
    plain: impl Fn(u8) -> bool,
    allow_empty: bool,
    expected: &'static str,
) -> Result<(usize, usize)> {
    let start = cur.pos();
    let rest = cur.rest();
    let mut i = 0usize;
    while let Some(&b) = rest.get(i) {
        if b == b'%' {
            match (rest.get(i + 1), rest.get(i + 2)) {
                (Some(&h), Some(&l)) if grammar::is(h, HEX) && grammar::is(l, HEX) => i += 3,
                _ => {
                    cur.set_pos(start + i);
                    return Err(cur.error("`%` followed by two hex digits"));
                }
            }
        } else if plain(b) {
            i += 1;
        } else {
            break;
        }
    }
    cur.set_pos(start + i);
    if i == 0 && !allow_empty {
        return Err(cur.error(expected));
    }
    Ok((start, start + i))
}

/// One character of an escaped text after §19.1.4 normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    /// A character written as is, or an escaped one outside the `reserved` set.
    Plain(u8),
    /// An escaped `reserved` character: not equivalent to its plain form.
    Escaped(u8),
}

impl Unit {
    fn byte(self) -> u8 {
        match self {
            Self::Plain(b) | Self::Escaped(b) => b,
        }
    }
}

struct Units<'a> {
    rest: &'a [u8],
}

impl<'a> Units<'a> {
    fn new(text: &'a [u8]) -> Self {
        Self { rest: text }
    }

    /// The next unit; `%XX` always decodes (as `Escaped` when reserved).
    fn next_raw(&mut self) -> Option<Unit> {
        let (&b, tail) = self.rest.split_first()?;
        if b == b'%' {
            if let [h, l, after @ ..] = tail {
                if let (Some(h), Some(l)) = (hex_value(*h), hex_value(*l)) {
                    self.rest = after;
                    let v = (h << 4) | l;
                    return Some(if grammar::is(v, RESERVED) {
                        Unit::Escaped(v)
                    } else {
                        Unit::Plain(v)
                    });
                }
            }
        }
        self.rest = tail;
        Some(Unit::Plain(b))
    }
}

/// Whether two escaped texts are equal under RFC 3261 §19.1.4: an escaped character outside
/// the `reserved` set equals the character itself; `ignore_case` folds ASCII letters.
pub(crate) fn escaped_eq(a: &str, b: &str, ignore_case: bool) -> bool {
    if a.len() == b.len() && !a.contains('%') && !b.contains('%') {
        return if ignore_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        };
    }
    let mut ua = Units::new(a.as_bytes());
    let mut ub = Units::new(b.as_bytes());
    loop {
        match (ua.next_raw(), ub.next_raw()) {
            (None, None) => return true,
            (Some(x), Some(y)) => {
                let same = match (x, y) {
                    (Unit::Plain(p), Unit::Plain(q)) => {
                        if ignore_case {
                            p.eq_ignore_ascii_case(&q)
                        } else {
                            p == q
                        }
                    }
                    (Unit::Escaped(p), Unit::Escaped(q)) => p == q,
                    _ => false,
                };
                if !same {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    #[test]
    fn escape_round_trips() {
        for set in [
            EscapeSet::User,
            EscapeSet::Password,
            EscapeSet::Param,
            EscapeSet::Header,
        ] {
            for text in ["", "plain", "a b", "%", "ü€", "a;b?c&d=e@f:g", "\u{0}\r\n"] {
                let escaped = escape(set, text);
                assert_eq!(unescape(&escaped), text, "{set:?} {text:?}");
                assert!(escaped
                    .bytes()
                    .all(|b| b == b'%' || grammar::is(b, set.mask())));
            }
        }
        assert_eq!(escape(EscapeSet::Password, "p;w"), "p%3Bw");
        assert_eq!(escape(EscapeSet::User, "p;w"), "p;w");
    }

    #[test]
    fn unescape_keeps_broken_escapes() {
        assert_eq!(unescape("%4"), "%4");
        assert_eq!(unescape("%zz%41"), "%zzA");
        assert_eq!(unescape("%C3%BC"), "ü");
        assert_eq!(unescape("%ff"), "\u{fffd}");
    }

    #[test]
    fn comparison_rules() {
        assert!(escaped_eq("%61lice", "alice", false));
        assert!(escaped_eq("%61LICE", "alice", true));
        assert!(!escaped_eq("%61LICE", "alice", false));
        // Reserved characters are not equivalent to their escaped form.
        assert!(!escaped_eq("a%3Bb", "a;b", false));
        assert!(escaped_eq("a%3bb", "a%3Bb", false));
        assert!(!escaped_eq("ab", "abc", true));
    }

    #[test]
    fn take_escaped_checks_escapes() {
        let buf = Bytes::from_static(b"a%41b%4");
        let mut c = Cursor::new(&buf);
        assert!(take_escaped(&mut c, UNRESERVED, false, "x").is_err());
        let buf = Bytes::from_static(b"a%41b>");
        let mut c = Cursor::new(&buf);
        assert_eq!(
            take_escaped(&mut c, UNRESERVED, false, "x").unwrap(),
            (0, 5)
        );
        assert_eq!(c.peek(), Some(b'>'));
    }
}
