//! URIs: `sip`, `sips`, `tel` and other absolute URIs (RFC 3261 §19, RFC 3966).
//!
//! # Equality
//!
//! Two relations are offered, on purpose:
//!
//! - `==` ([`PartialEq`], derived) is **structural**: the same components written the same
//!   way (host names compare ignoring case, IP addresses by value as RFC 5954 asks). It is an
//!   equivalence relation, consistent with [`Hash`], and what a parse → [`Display`](core::fmt::Display)
//!   → parse round trip preserves.
//! - [`Uri::rfc_eq`] is URI equivalence as RFC 3261 §19.1.4 (sip, sips) and RFC 3966 §4 (tel)
//!   define it: escapes decoded, case rules per component, parameters in any order, some
//!   parameters ignored. It is not transitive, so it cannot be `PartialEq`; use it where the
//!   RFC says URIs are "compared" (registrar bindings, request matching, loop detection).
//!
//! # Zero copy
//!
//! [`Uri::parse`] takes the buffer as [`Bytes`]; every text component is a [`ByteStr`]
//! slice of it (the reference count is incremented, nothing is copied).
//!
//! ```
//! use bytes::Bytes;
//! use sip_message::uri::Uri;
//! let buf = Bytes::from_static(b"sip:bob@biloxi.com;transport=tcp");
//! let uri = Uri::parse(&buf).unwrap();
//! let Uri::Sip(sip) = &uri else { panic!("not sip") };
//! assert_eq!(sip.user.as_deref(), Some("bob"));
//! assert_eq!(uri.to_string(), "sip:bob@biloxi.com;transport=tcp");
//! assert!(uri.rfc_eq(&"sip:bob@BILOXI.com;transport=TCP".parse().unwrap()));
//! ```

use core::fmt;

use bytes::Bytes;

use crate::grammar::{self, Cursor, ALPHA, DIGIT};
use crate::{ByteStr, Error, Result};

mod escape;
pub(crate) mod host;
mod sip;
mod tel;

pub use escape::{escape, unescape, unescape_bytes, EscapeSet};
pub use host::Host;
pub use sip::{SipUri, UriHeader};
pub use tel::TelUri;

/// Any URI a SIP message can carry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Uri {
    /// A `sip:` or `sips:` URI (RFC 3261 §19.1).
    Sip(SipUri),
    /// A `tel:` URI (RFC 3966).
    Tel(TelUri),
    /// Any other absolute URI (`mailto:`, `urn:`, `http:` …), kept opaque.
    Absolute(AbsoluteUri),
}

/// An absolute URI of a scheme this crate does not interpret: the scheme and the rest after
/// `:`, both as written.
///
/// The rest must be non-empty and made of URI characters (RFC 3986: unreserved,
/// reserved, `%` escapes); no whitespace, `<`, `>` or `"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AbsoluteUri {
    /// The scheme, as written (compare it ignoring case).
    pub scheme: ByteStr,
    /// Everything after the `:`.
    pub rest: ByteStr,
}

impl Uri {
    /// Parses a whole URI from `text`, sharing its buffer.
    ///
    /// # Errors
    /// [`Error::Uri`] with the offset in `text` and what was expected there.
    #[inline]
    pub fn parse(text: &Bytes) -> Result<Self> {
        let mut cur = Cursor::new(text);
        match Self::parse_inner(&mut cur, false) {
            Ok(uri) if cur.is_at_end() => Ok(uri),
            Ok(_) => Err(to_uri_error(cur.error("end of URI"))),
            Err(e) => Err(to_uri_error(e)),
        }
    }

    /// Parses a URI at the cursor and stops at the first byte that cannot continue it.
    ///
    /// With `addr_spec` (a URI written outside `<>` in a header, RFC 3261 §20.10), the URI
    /// ends before any `;` or `?`: what follows belongs to the header.
    #[inline]
    pub(crate) fn parse_at(cur: &mut Cursor<'_>, addr_spec: bool) -> Result<Self> {
        match Self::parse_inner(cur, addr_spec) {
            Ok(uri) => Ok(uri),
            Err(e) => Err(to_uri_error(e)),
        }
    }

    #[inline]
    fn parse_inner(cur: &mut Cursor<'_>, addr_spec: bool) -> Result<Self> {
        let (s, e) =
            cur.take_while(|b| grammar::is(b, ALPHA | DIGIT) || matches!(b, b'+' | b'-' | b'.'));
        let scheme = cur.bytes(s, e);
        if !scheme.first().is_some_and(u8::is_ascii_alphabetic) {
            cur.set_pos(s);
            return Err(cur.error("URI scheme"));
        }
        cur.expect(b':', "`:` after the URI scheme")?;
        if scheme.eq_ignore_ascii_case(b"sip") {
            return Ok(Self::Sip(SipUri::parse_after_scheme(
                cur, false, addr_spec,
            )?));
        }
        if scheme.eq_ignore_ascii_case(b"sips") {
            return Ok(Self::Sip(SipUri::parse_after_scheme(cur, true, addr_spec)?));
        }
        if scheme.eq_ignore_ascii_case(b"tel") {
            return Ok(Self::Tel(TelUri::parse_after_scheme(cur, addr_spec)?));
        }
        let scheme = cur.text(s, e)?;
        let (rs, re) = escape::take_escaped_with(
            cur,
            |b| is_uri_char(b) && !(addr_spec && matches!(b, b';' | b'?' | b',')),
            false,
            "URI characters after the scheme",
        )?;
        let rest = cur.text(rs, re)?;
        Ok(Self::Absolute(AbsoluteUri { scheme, rest }))
    }

    /// The scheme in lower case for sip, sips and tel; as written for other URIs.
    pub fn scheme(&self) -> &str {
        match self {
            Self::Sip(sip) => sip.scheme(),
            Self::Tel(_) => "tel",
            Self::Absolute(abs) => &abs.scheme,
        }
    }

    /// The SIP or SIPS URI, if it is one.
    pub fn as_sip(&self) -> Option<&SipUri> {
        match self {
            Self::Sip(sip) => Some(sip),
            _ => None,
        }
    }

    /// The tel URI, if it is one.
    pub fn as_tel(&self) -> Option<&TelUri> {
        match self {
            Self::Tel(tel) => Some(tel),
            _ => None,
        }
    }

    /// URI equivalence as the RFCs define it: [`SipUri::rfc_eq`] for sip and sips,
    /// [`TelUri::rfc_eq`] for tel; other URIs are equal when their schemes match ignoring
    /// case and the rest matches with `%XX` of unreserved characters decoded (RFC 3986 §6.2.2).
    /// URIs of different schemes are never equal.
    pub fn rfc_eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Sip(a), Self::Sip(b)) => a.rfc_eq(b),
            (Self::Tel(a), Self::Tel(b)) => a.rfc_eq(b),
            (Self::Absolute(a), Self::Absolute(b)) => {
                a.scheme.eq_ignore_ascii_case(&b.scheme)
                    && escape::escaped_eq(&a.rest, &b.rest, false)
            }
            _ => false,
        }
    }
}

/// RFC 3986 URI characters: unreserved, gen-delims, sub-delims (the `%` of escapes is
/// handled by the caller).
fn is_uri_char(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b':'
                | b'/'
                | b'?'
                | b'#'
                | b'['
                | b']'
                | b'@'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
        )
}

/// Turns the grammar's generic syntax errors into [`Error::Uri`].
pub(crate) fn to_uri_error(e: Error) -> Error {
    match e {
        Error::Syntax { offset, expected } | Error::UnexpectedEnd { offset, expected } => {
            Error::Uri { offset, expected }
        }
        other => other,
    }
}

impl fmt::Display for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sip(sip) => sip.fmt(f),
            Self::Tel(tel) => tel.fmt(f),
            Self::Absolute(abs) => abs.fmt(f),
        }
    }
}

impl fmt::Display for AbsoluteUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.scheme, self.rest)
    }
}

impl core::str::FromStr for Uri {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(&Bytes::copy_from_slice(s.as_bytes()))
    }
}

impl From<SipUri> for Uri {
    fn from(uri: SipUri) -> Self {
        Self::Sip(uri)
    }
}

impl From<TelUri> for Uri {
    fn from(uri: TelUri) -> Self {
        Self::Tel(uri)
    }
}

impl From<AbsoluteUri> for Uri {
    fn from(uri: AbsoluteUri) -> Self {
        Self::Absolute(uri)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert!(matches!("sip:x".parse::<Uri>().unwrap(), Uri::Sip(_)));
        assert!(matches!(
            "SiPs:x".parse::<Uri>().unwrap(),
            Uri::Sip(SipUri { secure: true, .. })
        ));
        assert!(matches!("TEL:+1".parse::<Uri>().unwrap(), Uri::Tel(_)));
        for text in [
            "mailto:watson@bell-telephone.com",
            "urn:service:sos",
            "http://www.example.com/alice/photo.jpg?x=1#frag",
            "cid:1234@example.com",
            "im:alice@example.com",
            "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
            "x-a.b+c:%20",
        ] {
            let uri: Uri = text.parse().unwrap();
            assert!(matches!(uri, Uri::Absolute(_)), "{text}");
            assert_eq!(uri.to_string(), text);
        }
        let uri: Uri = "SIP:a@b".parse().unwrap();
        assert_eq!(uri.scheme(), "sip");
        assert_eq!(uri.to_string(), "sip:a@b");
    }

    #[test]
    fn bad_uris() {
        for (bad, offset) in [
            ("", 0),
            ("sip", 3),
            ("1sip:x", 0),
            (":x", 0),
            ("mailto:", 7),
            ("mailto:a b", 8),
            ("mailto:a\"b", 8),
            ("mailto:<a>", 7),
            ("mailto:%", 7),
            ("x:\u{e9}", 2),
        ] {
            match bad.parse::<Uri>() {
                Err(Error::Uri { offset: o, .. }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn rfc_eq_across_kinds() {
        let p = |s: &str| s.parse::<Uri>().unwrap();
        assert!(p("mailto:a@b").rfc_eq(&p("MAILTO:a@b")));
        assert!(p("mailto:%61@b").rfc_eq(&p("mailto:a@b")));
        assert!(!p("mailto:A@b").rfc_eq(&p("mailto:a@b")));
        assert!(!p("sip:+1@h;user=phone").rfc_eq(&p("tel:+1")));
        assert!(!p("sip:a@b").rfc_eq(&p("im:a@b")));
        assert!(p("tel:+1-2").rfc_eq(&p("tel:+12")));
    }

    #[test]
    fn parse_shares_the_buffer() {
        let buf = Bytes::from_static(b"sip:alice@atlanta.com;transport=tcp");
        let Uri::Sip(uri) = Uri::parse(&buf).unwrap() else {
            panic!("not sip")
        };
        let user = uri.user.unwrap();
        let range = buf.as_ptr() as usize..buf.as_ptr() as usize + buf.len();
        assert!(range.contains(&(user.as_ptr() as usize)));
        let value = uri.params.get("transport").unwrap();
        assert!(range.contains(&(value.as_ptr() as usize)));
    }
}
