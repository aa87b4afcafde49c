//! Grammar pieces and macros shared by the typed headers of this directory: whole-value
//! parsing, `delta-seconds`, quoted strings as values, comments, and the macros that
//! generate the near-identical headers (option-tag lists, delta-seconds headers).

use core::fmt;

use bytes::Bytes;

use crate::grammar::{self, Cursor, DIGIT, TOKEN};
use crate::header::header_error;
use crate::{ByteStr, Error, Param, Params, Result};

/// Parses a whole header field value with `f`: skips the leading `LWS`, requires that only
/// `LWS` follows what `f` consumed, and reports grammar errors as [`Error::Header`] of `name`.
pub(crate) fn parse_value<T>(
    value: &Bytes,
    name: &'static str,
    f: impl FnOnce(&mut Cursor<'_>) -> Result<T>,
) -> Result<T> {
    let mut cur = Cursor::new(value);
    cur.skip_sws();
    let map = header_error(name);
    let v = f(&mut cur).map_err(&map)?;
    cur.expect_end("end of header value").map_err(map)?;
    Ok(v)
}

/// `1*DIGIT` as a `u32`; a value above `u32::MAX` is an error naming `expected`.
pub(crate) fn number_u32(cur: &mut Cursor<'_>, expected: &'static str) -> Result<u32> {
    let at = cur.offset();
    let (s, e) = cur.take_class(DIGIT);
    if s == e {
        return Err(cur.error(expected));
    }
    let mut n: u32 = 0;
    for &b in cur.bytes(s, e) {
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u32::from(b - b'0')))
            .ok_or(Error::Syntax {
                offset: at,
                expected,
            })?;
    }
    Ok(n)
}

/// `delta-seconds = 1*DIGIT` (§25.1) in the range 0 to 2^32-1 (§20.19); larger values are
/// refused.
pub(crate) fn delta_seconds(cur: &mut Cursor<'_>) -> Result<u32> {
    number_u32(cur, "delta-seconds (0 to 4294967295)")
}

/// The text of a parameter value kept as written (a `quoted-string`, quotes included),
/// without quotes, escapes and folds. Shares the buffer when there is nothing to remove.
pub(crate) fn unquote_param(v: &ByteStr) -> ByteStr {
    let simple = v.len() >= 2 && !v.bytes().any(|b| matches!(b, b'\\' | b'\r' | b'\n'));
    if simple && v.starts_with('"') && v.ends_with('"') {
        let bytes = v.as_bytes();
        return ByteStr::from_utf8(bytes.slice(1..bytes.len() - 1)).unwrap_or_default();
    }
    let mut s = grammar::unquote(v).into_owned();
    s.retain(|c| c != '\r' && c != '\n');
    ByteStr::from(s)
}

/// Requires at least one `LWS` (space, tab or folded line break) and skips it.
pub(crate) fn expect_lws(cur: &mut Cursor<'_>, expected: &'static str) -> Result<()> {
    let before = cur.pos();
    cur.skip_sws();
    if cur.pos() == before {
        return Err(cur.error(expected));
    }
    Ok(())
}

/// A value that is a `quoted-string`, returned without its quotes and escapes.
///
/// The result shares the input buffer unless the string holds escapes or folded line breaks
/// (removed, leaving the whitespace that follows them).
pub(crate) fn quoted_value(cur: &mut Cursor<'_>) -> Result<ByteStr> {
    let (s, e) = cur.quoted_string()?;
    let inner = cur.bytes(s.saturating_add(1), e.saturating_sub(1));
    if !inner.iter().any(|&b| matches!(b, b'\\' | b'\r' | b'\n')) {
        return cur.text(s.saturating_add(1), e.saturating_sub(1));
    }
    let mut out = Vec::with_capacity(inner.len());
    let mut bytes = inner.iter();
    while let Some(&b) = bytes.next() {
        match b {
            b'\\' => out.extend(bytes.next()),
            b'\r' | b'\n' => {}
            _ => out.push(b),
        }
    }
    String::from_utf8(out)
        .map(ByteStr::from)
        .map_err(|_| Error::Syntax {
            offset: s,
            expected: "UTF-8 text",
        })
}

/// A `token` or a `quoted-string`, as its unquoted text (the receiving side of RFC 7235
/// §2.1: both forms are accepted for an auth-param).
pub(crate) fn token_or_quoted(cur: &mut Cursor<'_>, expected: &'static str) -> Result<ByteStr> {
    if cur.peek() == Some(b'"') {
        quoted_value(cur)
    } else {
        cur.token(expected)
    }
}

/// The text of the absolute range `s..e` with folded line breaks removed (the `LWS` that
/// follows a fold stays). Shares the buffer when there is no fold.
pub(crate) fn unfolded_text(cur: &Cursor<'_>, s: usize, e: usize) -> Result<ByteStr> {
    let raw = cur.bytes(s, e);
    if !raw.iter().any(|&b| matches!(b, b'\r' | b'\n')) {
        return cur.text(s, e);
    }
    let out: Vec<u8> = raw
        .iter()
        .copied()
        .filter(|b| !matches!(b, b'\r' | b'\n'))
        .collect();
    String::from_utf8(out)
        .map(ByteStr::from)
        .map_err(|_| Error::Syntax {
            offset: s,
            expected: "UTF-8 text",
        })
}

/// Length of the `comment` (§25.1, nesting allowed) at the start of `raw`, parentheses
/// included; `Err(offset)` gives where the comment is malformed or unterminated. `LWS`
/// inside is allowed; a line break must be a fold (followed by SP or HTAB).
pub(crate) fn comment_len(raw: &[u8]) -> core::result::Result<usize, usize> {
    if raw.first() != Some(&b'(') {
        return Err(0);
    }
    let mut depth: usize = 0;
    let mut i = 0usize;
    while let Some(&b) = raw.get(i) {
        match b {
            b'(' => depth = depth.saturating_add(1),
            b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Ok(i + 1);
                }
            }
            b'\\' => {
                // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
                match raw.get(i + 1) {
                    Some(&c) if c <= 0x7f && c != b'\r' && c != b'\n' => i += 1,
                    _ => return Err(i + 1),
                }
            }
            b'\r' | b'\n' => {
                let fold = match (raw.get(i), raw.get(i + 1), raw.get(i + 2)) {
                    (Some(b'\r'), Some(b'\n'), Some(b' ' | b'\t')) => 2,
                    (Some(b'\n'), Some(b' ' | b'\t'), _) => 1,
                    _ => return Err(i),
                };
                i += fold;
            }
            // ctext = %x21-27 / %x2A-5B / %x5D-7E / UTF8-NONASCII / LWS
            b' ' | b'\t' | 0x21..=0x27 | 0x2a..=0x5b | 0x5d..=0x7e | 0x80..=0xff => {}
            _ => return Err(i),
        }
        i += 1;
    }
    Err(raw.len())
}

/// Consumes a `comment` at the cursor; returns its absolute range, parentheses included.
pub(crate) fn comment(cur: &mut Cursor<'_>) -> Result<(usize, usize)> {
    let start = cur.pos();
    match comment_len(cur.rest()) {
        Ok(n) => {
            let end = start.saturating_add(n);
            cur.set_pos(end);
            Ok((start, end))
        }
        Err(n) => {
            cur.set_pos(start.saturating_add(n));
            Err(cur.error("comment closed by `)`"))
        }
    }
}

/// Parses `*( SEMI generic-param )` (§25.1) and hands each parameter to `known`, which
/// consumes it (returns `Ok(true)`) or leaves it for the generic list (`Ok(false)`). Errors
/// that `known` reports point at the start of the parameter list (`at`).
pub(crate) fn header_params(
    cur: &mut Cursor<'_>,
    mut known: impl FnMut(&Param, usize) -> Result<bool>,
) -> Result<Params> {
    let at = cur.offset();
    let all = Params::parse_header(cur)?;
    if all.is_empty() {
        return Ok(all);
    }
    let mut rest = Params::new();
    for param in all.iter() {
        if !known(param, at)? {
            rest.push(unfolded_param(param));
        }
    }
    Ok(rest)
}

/// `param` with the line breaks of folds inside its value removed (the whitespace after
/// them stays), so that parsed values equal their canonical form.
fn unfolded_param(param: &Param) -> Param {
    match &param.value {
        Some(v) if v.bytes().any(|b| matches!(b, b'\r' | b'\n')) => Param {
            name: param.name.clone(),
            value: Some(ByteStr::from(v.replace(['\r', '\n'], ""))),
        },
        _ => param.clone(),
    }
}

/// A parameter value that must be a `delta-seconds`.
pub(crate) fn param_delta(param: &Param, at: usize) -> Result<u32> {
    let Some(v) = param.value.as_ref() else {
        return Err(Error::Syntax {
            offset: at,
            expected: "`=` and delta-seconds",
        });
    };
    let bytes = v.as_bytes().clone();
    let mut c = Cursor::new(&bytes);
    let n = delta_seconds(&mut c).map_err(|e| e.offset_by(at))?;
    if !c.is_at_end() {
        return Err(Error::Syntax {
            offset: at,
            expected: "delta-seconds",
        });
    }
    Ok(n)
}

/// A parameter value that must be a `token`.
pub(crate) fn param_token(param: &Param, at: usize, expected: &'static str) -> Result<ByteStr> {
    match &param.value {
        Some(v) if grammar::is_token(v.as_bytes()) => Ok(v.clone()),
        _ => Err(Error::Syntax {
            offset: at,
            expected,
        }),
    }
}

/// Fails when a parameter that may appear once appears again.
pub(crate) fn once<T>(slot: &Option<T>, at: usize, expected: &'static str) -> Result<()> {
    if slot.is_some() {
        Err(Error::Syntax {
            offset: at,
            expected,
        })
    } else {
        Ok(())
    }
}

/// Whether `s` is a non-empty `token`.
pub(crate) fn is_token(s: &str) -> bool {
    grammar::is_token(s.as_bytes())
}

/// Whether every byte of `s` is a token character (empty allowed).
pub(crate) fn all_token(s: &str) -> bool {
    s.bytes().all(|b| grammar::is(b, TOKEN))
}

/// Writes `s` as a `quoted-string` without allocating: `"` and `\` and control characters
/// are escaped (`quoted-pair`); CR and LF, which no quoted-string can hold, are dropped.
pub(crate) struct Quoted<'a>(pub(crate) &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        let mut plain = 0usize;
        for (i, b) in self.0.bytes().enumerate() {
            let escape = b == b'"' || b == b'\\' || (b < 0x20 && b != b'\t') || b == 0x7f;
            let drop = b == b'\r' || b == b'\n';
            if escape || drop {
                f.write_str(self.0.get(plain..i).unwrap_or_default())?;
                if !drop {
                    f.write_str("\\")?;
                    f.write_str(self.0.get(i..=i).unwrap_or_default())?;
                }
                plain = i + 1;
            }
        }
        f.write_str(self.0.get(plain..).unwrap_or_default())?;
        f.write_str("\"")
    }
}

/// Writes text as it is, minus CR and LF (which would end the header field).
pub(crate) struct NoBreaks<'a>(pub(crate) &'a str);

impl fmt::Display for NoBreaks<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for piece in self.0.split(['\r', '\n']) {
            f.write_str(piece)?;
        }
        Ok(())
    }
}

/// Writes parameters as `;name=value` (the `Display` of [`Params`]) without the line breaks
/// of folds kept inside quoted values.
pub(crate) struct ParamsOut<'a>(pub(crate) &'a Params);

impl fmt::Display for ParamsOut<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in self.0 {
            write!(f, ";{}", NoBreaks(&p.name))?;
            if let Some(v) = &p.value {
                write!(f, "={}", NoBreaks(v))?;
            }
        }
        Ok(())
    }
}

/// Generates a list-element header whose value is one `token` (option-tags, content-codings).
macro_rules! token_header {
    ($(#[$doc:meta])* $ty:ident, $variant:ident, $name:literal, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $ty(pub $crate::ByteStr);

        impl $ty {
            #[doc = concat!("A `", $name, "` value; `value` must be a `token`.")]
            pub fn new(value: impl Into<$crate::ByteStr>) -> Self {
                Self(value.into())
            }

            /// The value as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Whether the value equals `other`, ignoring ASCII case.
            pub fn is(&self, other: &str) -> bool {
                self.0.eq_ignore_ascii_case(other)
            }
        }

        impl $crate::TypedHeader for $ty {
            const NAME: $crate::HeaderName = $crate::HeaderName::$variant;

            fn parse(value: &bytes::Bytes) -> $crate::Result<Self> {
                $crate::header::typed::support::parse_value(value, $name, |c| c.token($what))
                    .map(Self)
            }
        }

        impl core::fmt::Display for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $ty {
            fn from(s: &str) -> Self {
                Self::new(s)
            }
        }
    };
}
pub(crate) use token_header;

/// Generates a header whose value is one non-negative integer (`delta-seconds` or another
/// `1*DIGIT` that fits in a `u32`).
macro_rules! number_header {
    ($(#[$doc:meta])* $ty:ident, $variant:ident, $name:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $ty(pub u32);

        impl $ty {
            /// The value.
            pub fn get(self) -> u32 {
                self.0
            }
        }

        impl $crate::TypedHeader for $ty {
            const NAME: $crate::HeaderName = $crate::HeaderName::$variant;

            fn parse(value: &bytes::Bytes) -> $crate::Result<Self> {
                $crate::header::typed::support::parse_value(
                    value,
                    $name,
                    $crate::header::typed::support::delta_seconds,
                )
                .map(Self)
            }
        }

        impl core::fmt::Display for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl From<u32> for $ty {
            fn from(n: u32) -> Self {
                Self(n)
            }
        }
    };
}
pub(crate) use number_header;

/// Adds `as_duration` to a delta-seconds header generated by [`number_header`].
macro_rules! seconds_accessor {
    ($ty:ident) => {
        impl $ty {
            /// The value as a duration.
            pub fn as_duration(self) -> core::time::Duration {
                core::time::Duration::from_secs(u64::from(self.0))
            }
        }
    };
}
pub(crate) use seconds_accessor;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_nest_and_escape() {
        assert_eq!(comment_len(b"(a (b) c) x"), Ok(9));
        assert_eq!(comment_len(b"(a \\) b)"), Ok(8));
        assert_eq!(comment_len(b"(a\r\n b)"), Ok(7));
        assert_eq!(comment_len(b"(open"), Err(5));
        assert_eq!(comment_len(b"(a\r\nb)"), Err(2));
        assert_eq!(comment_len(b"(\x01)"), Err(1));
        assert_eq!(comment_len(b"x"), Err(0));
    }

    #[test]
    fn quoted_values_unescape() {
        let buf = Bytes::from_static(b"\"a\\\"b\r\n c\" rest");
        let mut c = Cursor::new(&buf);
        assert_eq!(quoted_value(&mut c).unwrap(), "a\"b c");
        let buf = Bytes::from_static(b"\"plain\"");
        let mut c = Cursor::new(&buf);
        let v = quoted_value(&mut c).unwrap();
        assert_eq!(v, "plain");
        // Zero-copy: the value points into the buffer.
        assert_eq!(v.as_bytes().as_ptr(), buf[1..].as_ptr());
    }

    #[test]
    fn quoting_escapes() {
        assert_eq!(Quoted("a\"b\\c").to_string(), "\"a\\\"b\\\\c\"");
        assert_eq!(Quoted("x\r\ny\u{1}").to_string(), "\"xy\\\u{1}\"");
        assert_eq!(Quoted("").to_string(), "\"\"");
    }

    #[test]
    fn numbers() {
        let ok = Bytes::from_static(b"4294967295");
        assert_eq!(delta_seconds(&mut Cursor::new(&ok)).unwrap(), u32::MAX);
        let big = Bytes::from_static(b"4294967296");
        assert!(delta_seconds(&mut Cursor::new(&big)).is_err());
        let none = Bytes::from_static(b"x");
        assert!(delta_seconds(&mut Cursor::new(&none)).is_err());
    }
}
