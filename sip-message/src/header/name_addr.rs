//! [`NameAddr`]: a URI with an optional display name and header parameters, the value shape
//! of From, To, Contact, Route, Record-Route and their relatives (RFC 3261 §20.10, §25.1).

use core::fmt;

use bytes::Bytes;

use crate::grammar::{self, Cursor, TOKEN};
use crate::{ByteStr, Params, Result, Uri};

/// `( name-addr / addr-spec ) *( SEMI generic-param )` (RFC 3261 §25.1).
///
/// - `name-addr` is `[ display-name ] "<" URI ">"`; the display name is a sequence of tokens
///   or a quoted string (UTF-8 allowed);
/// - `addr-spec` is the URI without `<>`. Then, per §20.10, parameters after the URI belong
///   to the header, not to the URI, and the URI cannot carry parameters or headers of its own:
///   `sip:bob@x;tag=1` is the URI `sip:bob@x` with the header parameter `tag=1`.
///
/// [`Display`](fmt::Display) always writes the `name-addr` form (`"Bob" <sip:bob@x>;tag=1`),
/// which has no such ambiguity; a display name is written as tokens when it is made of tokens
/// separated by single spaces, as a quoted string otherwise.
///
/// `==` is structural (see [the `uri` module](crate::uri#equality)); the display name is
/// compared as text, so `Bob <sip:b@x>` equals `"Bob" <sip:b@x>`.
///
/// ```
/// use bytes::Bytes;
/// use sip_message::NameAddr;
/// let a = NameAddr::parse(&Bytes::from_static(b"\"Bob \\\"B\\\"\" <sip:bob@biloxi.com;lr>;tag=a6c85cf")).unwrap();
/// assert_eq!(a.display_name.as_deref(), Some("Bob \"B\""));
/// assert_eq!(a.uri.to_string(), "sip:bob@biloxi.com;lr");
/// assert_eq!(a.params.get("tag"), Some("a6c85cf"));
///
/// let b = NameAddr::parse(&Bytes::from_static(b"sip:bob@biloxi.com;tag=a6c85cf")).unwrap();
/// assert_eq!(b.uri.to_string(), "sip:bob@biloxi.com");
/// assert_eq!(b.params.get("tag"), Some("a6c85cf"));
/// assert_eq!(b.to_string(), "<sip:bob@biloxi.com>;tag=a6c85cf");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NameAddr {
    /// The display name as text: quotes and `\` escapes removed, folded line breaks
    /// removed; `Some("")` for `"" <…>`.
    pub display_name: Option<ByteStr>,
    /// The URI.
    pub uri: Uri,
    /// The header parameters after the URI, as written.
    pub params: Params,
}

/// Which forms a header allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// `name-addr` or `addr-spec`, then header parameters (From, To, Contact, Refer-To, …).
    Any,
    /// Only `name-addr`, then header parameters (Route, Record-Route, Path, Service-Route).
    Angle,
    /// `name-addr` or `addr-spec`, no parameters (P-Asserted-Identity).
    NoParams,
}

impl NameAddr {
    /// A value with only a URI.
    pub fn new(uri: impl Into<Uri>) -> Self {
        Self {
            display_name: None,
            uri: uri.into(),
            params: Params::new(),
        }
    }

    /// Sets the display name (plain text; quoted on output when needed).
    #[must_use]
    pub fn with_display_name(mut self, name: impl Into<ByteStr>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Sets a header parameter, replacing one of the same name.
    #[must_use]
    pub fn with_param(mut self, param: crate::Param) -> Self {
        self.params.set(param);
        self
    }

    /// Parses `( name-addr / addr-spec ) *( SEMI generic-param )` filling all of `value`
    /// (surrounding whitespace allowed), sharing its buffer.
    ///
    /// # Errors
    /// [`Error::Uri`](crate::Error::Uri) for a bad URI, [`Error::Syntax`](crate::Error::Syntax)
    /// or [`Error::UnexpectedEnd`](crate::Error::UnexpectedEnd) for the rest, with the offset
    /// in `value`.
    pub fn parse(value: &Bytes) -> Result<Self> {
        Self::parse_form(value, Form::Any)
    }

    /// Parses all of `value` in the given form.
    #[inline]
    pub(crate) fn parse_form(value: &Bytes, form: Form) -> Result<Self> {
        let mut cur = Cursor::new(value);
        cur.skip_sws();
        let addr = Self::parse_at(&mut cur, form)?;
        cur.expect_end(if form == Form::NoParams {
            "end of value"
        } else {
            "`;` or end of value"
        })?;
        Ok(addr)
    }

    /// Parses a value at the cursor (after leading whitespace); stops after the parameters.
    #[inline]
    pub(crate) fn parse_at(cur: &mut Cursor<'_>, form: Form) -> Result<Self> {
        let mut display_name = None;
        let angle = match cur.peek() {
            Some(b'"') => {
                let (s, e) = cur.quoted_string()?;
                display_name = Some(unquote_display(cur, s, e)?);
                cur.skip_sws();
                cur.expect(b'<', "`<` after the display name")?;
                true
            }
            Some(b'<') => {
                cur.next_byte();
                true
            }
            _ => {
                let save = cur.pos();
                match token_display_name(cur)? {
                    Some(name) => {
                        display_name = Some(name);
                        cur.expect(b'<', "`<` after the display name")?;
                        true
                    }
                    None => {
                        cur.set_pos(save);
                        if form == Form::Angle {
                            return Err(cur.error("`<` opening a name-addr"));
                        }
                        false
                    }
                }
            }
        };
        let uri = Uri::parse_at(cur, !angle)?;
        if angle {
            cur.expect(b'>', "`>` closing the URI")
                .map_err(crate::uri::to_uri_error)?;
        }
        let params = if form == Form::NoParams {
            Params::new()
        } else {
            Params::parse_header(cur)?
        };
        Ok(Self {
            display_name,
            uri,
            params,
        })
    }
}

/// `*(token LWS)` followed by `<`: returns the tokens joined by single spaces and leaves the
/// cursor on `<`; `None` (cursor anywhere) when the value does not have that shape.
fn token_display_name(cur: &mut Cursor<'_>) -> Result<Option<ByteStr>> {
    let start = cur.pos();
    let mut end = start;
    let mut count = 0usize;
    let mut canonical = true;
    loop {
        let (s, e) = cur.take_class(TOKEN);
        if s == e {
            break;
        }
        if count > 0 && cur.bytes(end, s) != b" " {
            canonical = false;
        }
        count += 1;
        end = e;
        cur.skip_sws();
    }
    if count == 0 || cur.peek() != Some(b'<') {
        return Ok(None);
    }
    if canonical {
        return cur.text(start, end).map(Some);
    }
    let joined = cur
        .bytes(start, end)
        .split(|&b| grammar::is(b, grammar::WSP) || b == b'\r' || b == b'\n')
        .filter(|t| !t.is_empty())
        .map(|t| String::from_utf8_lossy(t).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Some(ByteStr::from(joined)))
}

/// The text of the quoted string at `s..e` (quotes included): quotes and escapes removed,
/// CR and LF of folded lines dropped. Shares the buffer when nothing needs removing.
fn unquote_display(cur: &Cursor<'_>, s: usize, e: usize) -> Result<ByteStr> {
    let inner_start = s.saturating_add(1);
    let inner_end = e.saturating_sub(1).max(inner_start);
    let inner = cur.bytes(inner_start, inner_end);
    if !inner.iter().any(|&b| matches!(b, b'\\' | b'\r' | b'\n')) {
        return cur.text(inner_start, inner_end);
    }
    let text = core::str::from_utf8(inner).map_err(|_| crate::Error::Syntax {
        offset: s,
        expected: "UTF-8 text",
    })?;
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '\r' | '\n' => {}
            c => out.push(c),
        }
    }
    Ok(ByteStr::from(out))
}

/// Whether `name` can be written as `*(token LWS)`: tokens separated by single spaces.
fn is_token_sequence(name: &str) -> bool {
    !name.is_empty() && name.split(' ').all(|t| grammar::is_token(t.as_bytes()))
}

/// Writes `name` as a quoted string: `"` and `\` escaped, other control characters (except
/// HTAB) written as quoted-pairs, CR and LF dropped (they cannot be represented).
fn write_quoted(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in name.chars() {
        match c {
            '\r' | '\n' => {}
            '"' | '\\' => write!(f, "\\{c}")?,
            c if (c.is_ascii_control() && c != '\t') => write!(f, "\\{c}")?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

impl fmt::Display for NameAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(name) = &self.display_name {
            if is_token_sequence(name) {
                f.write_str(name)?;
            } else {
                write_quoted(f, name)?;
            }
            f.write_str(" ")?;
        }
        write!(f, "<{}>{}", self.uri, self.params)
    }
}

impl core::str::FromStr for NameAddr {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(&Bytes::copy_from_slice(s.as_bytes()))
    }
}

/// Defines a typed header that is a [`NameAddr`] in the given [`Form`].
macro_rules! name_addr_header {
    ($(#[$doc:meta])* $ty:ident, $name:ident, $text:literal, $form:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $ty(pub $crate::header::NameAddr);

        impl $ty {
            /// A value with only a URI.
            pub fn new(uri: impl ::core::convert::Into<$crate::Uri>) -> Self {
                Self($crate::header::NameAddr::new(uri))
            }

            /// The inner [`NameAddr`](crate::header::NameAddr).
            pub fn into_inner(self) -> $crate::header::NameAddr {
                self.0
            }
        }

        impl ::core::ops::Deref for $ty {
            type Target = $crate::header::NameAddr;
            fn deref(&self) -> &$crate::header::NameAddr {
                &self.0
            }
        }

        impl ::core::ops::DerefMut for $ty {
            fn deref_mut(&mut self) -> &mut $crate::header::NameAddr {
                &mut self.0
            }
        }

        impl ::core::convert::From<$crate::header::NameAddr> for $ty {
            fn from(addr: $crate::header::NameAddr) -> Self {
                Self(addr)
            }
        }

        impl ::core::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.0, f)
            }
        }

        impl $crate::header::TypedHeader for $ty {
            const NAME: $crate::header::HeaderName = $crate::header::HeaderName::$name;

            fn parse(value: &::bytes::Bytes) -> $crate::Result<Self> {
                $crate::header::NameAddr::parse_form(value, $form)
                    .map(Self)
                    .map_err($crate::header::header_error($text))
            }
        }
    };
}

pub(crate) use name_addr_header;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    fn parse(s: &str) -> Result<NameAddr> {
        s.parse()
    }

    #[test]
    fn forms() {
        let a = parse("  Bob   Smith\r\n <sip:bob@x;lr> ; tag = 1 ").unwrap();
        assert_eq!(a.display_name.as_deref(), Some("Bob Smith"));
        assert!(a.uri.as_sip().unwrap().lr());
        assert_eq!(a.params.get("tag"), Some("1"));
        assert_eq!(a.to_string(), "Bob Smith <sip:bob@x;lr>;tag=1");

        let a = parse("<sip:x>").unwrap();
        assert_eq!(a.display_name, None);
        let a = parse("\"\"<sip:x>").unwrap();
        assert_eq!(a.display_name.as_deref(), Some(""));
        assert_eq!(a.to_string(), "\"\" <sip:x>");

        let a = parse("\"Jürgen \\\"J\\\"\" <tel:+49-30-1234>").unwrap();
        assert_eq!(a.display_name.as_deref(), Some("Jürgen \"J\""));
        assert_eq!(a.to_string(), "\"Jürgen \\\"J\\\"\" <tel:+49-30-1234>");

        // addr-spec: the parameters belong to the header.
        let a = parse("sip:alice@atlanta.com;tag=88sja8x;lr").unwrap();
        assert!(a.uri.as_sip().unwrap().params.is_empty());
        assert_eq!(a.params.len(), 2);
        let a = parse("tel:+1-201-555-0123;tag=x").unwrap();
        assert!(a.uri.as_tel().unwrap().params.is_empty());
        assert_eq!(a.params.get("tag"), Some("x"));
        // A local tel number needs its phone-context, which only `<>` can carry.
        assert!(parse("tel:7042;phone-context=example.com").is_err());
        let a = parse("<tel:7042;phone-context=example.com>;tag=1").unwrap();
        assert_eq!(a.uri.as_tel().unwrap().phone_context(), Some("example.com"));
        let a = parse("mailto:a@b.c;x=y").unwrap();
        assert_eq!(a.uri.to_string(), "mailto:a@b.c");
        // A user part with `;` still works without <>, as long as `@` follows.
        let a = parse("sip:alice;day=tuesday@atlanta.com;tag=1").unwrap();
        assert_eq!(
            a.uri.as_sip().unwrap().user.as_deref(),
            Some("alice;day=tuesday")
        );
    }

    #[test]
    fn display_name_quoting() {
        let a = NameAddr::new("sip:x".parse::<Uri>().unwrap());
        for (name, written) in [
            ("Bob", "Bob <sip:x>"),
            ("Bob Smith", "Bob Smith <sip:x>"),
            ("Bob  Smith", "\"Bob  Smith\" <sip:x>"),
            ("Bob, Jr.", "\"Bob, Jr.\" <sip:x>"),
            ("a\"b\\c", "\"a\\\"b\\\\c\" <sip:x>"),
            ("\u{1}\t", "\"\\\u{1}\t\" <sip:x>"),
        ] {
            let b = a.clone().with_display_name(name);
            assert_eq!(b.to_string(), written);
            assert_eq!(parse(written).unwrap(), b);
        }
    }

    #[test]
    fn folded_quoted_display_name() {
        let a = parse("\"a\r\n b\" <sip:x>").unwrap();
        assert_eq!(a.display_name.as_deref(), Some("a b"));
    }

    #[test]
    fn errors() {
        for (bad, offset) in [
            ("", 0),
            ("Bob", 3),
            ("\"Bob\" sip:x", 6),
            ("<sip:x", 6),
            ("<sip:x> x", 8),
            ("sip:x?subject=a", 5),
            ("<sip:x>;", 8),
            ("Bob <sip:x> <sip:y>", 12),
            ("< sip:x>", 1),
            ("\"open <sip:x>", 13),
        ] {
            let err = parse(bad).unwrap_err();
            assert_eq!(err.offset(), Some(offset), "{bad:?}: {err}");
        }
        assert!(matches!(
            parse("<sip:x@>").unwrap_err(),
            Error::Uri { offset: 7, .. }
        ));
        assert!(NameAddr::parse_form(&Bytes::from_static(b"sip:x"), Form::Angle).is_err());
        assert!(NameAddr::parse_form(&Bytes::from_static(b"<sip:x>;a=b"), Form::NoParams).is_err());
    }
}
