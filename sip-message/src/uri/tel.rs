//! `tel` URIs (RFC 3966).

use core::fmt;

use super::escape::{escaped_eq, take_escaped, take_escaped_with};
use crate::grammar::{self, Cursor, ALPHA, DIGIT, HEX, PARAM_UNRESERVED, RESERVED, UNRESERVED};
use crate::{ByteStr, Param, Params, Result};

/// A `tel:` URI (RFC 3966): a global (`+…`) or local phone number and its parameters.
///
/// The number keeps its visual separators (`-`, `.`, `(`, `)`) as written; [`TelUri::digits`]
/// gives it without them. Parameters (`phone-context`, `ext`, `isub` and any other) are kept
/// in order, escaped as written.
///
/// `==` is structural equality as written; RFC 3966 §4 equivalence is [`TelUri::rfc_eq`].
///
/// ```
/// use sip_message::uri::TelUri;
/// let tel: TelUri = "tel:863-1234;phone-context=+1-914-555".parse().unwrap();
/// assert!(!tel.is_global());
/// assert_eq!(tel.digits(), "8631234");
/// assert_eq!(tel.phone_context(), Some("+1-914-555"));
/// let other: TelUri = "tel:8631234;PHONE-CONTEXT=+1914555".parse().unwrap();
/// assert!(tel.rfc_eq(&other));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TelUri {
    /// The number as written: `global-number-digits` (with the `+`) or
    /// `local-number-digits`, visual separators included.
    pub number: ByteStr,
    /// The parameters in order, as written.
    pub params: Params,
}

impl TelUri {
    /// A global number (`+` followed by digits and visual separators), checked.
    ///
    /// # Errors
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) when `number` is not a
    /// `global-number-digits`.
    pub fn global(number: &str) -> Result<Self> {
        if !is_global_digits(number.as_bytes()) {
            return Err(crate::Error::InvalidInput {
                what: "tel number",
                reason: "expected `+` and digits with optional `-.()` separators",
            });
        }
        Ok(Self {
            number: ByteStr::from(number),
            params: Params::new(),
        })
    }

    /// A local number with its mandatory `phone-context` (a domain name or a global number
    /// prefix), checked.
    ///
    /// # Errors
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) when `number` is not a
    /// `local-number-digits` or `context` is not a `descriptor`.
    pub fn local(number: &str, context: &str) -> Result<Self> {
        if !is_local_digits(number.as_bytes()) || !is_descriptor(context.as_bytes()) {
            return Err(crate::Error::InvalidInput {
                what: "tel number",
                reason: "expected local digits and a domain or global-number context",
            });
        }
        let mut params = Params::new();
        params.push(Param::new("phone-context", context));
        Ok(Self {
            number: ByteStr::from(number),
            params,
        })
    }

    /// Parses a whole `tel:` URI, sharing the buffer of `text`.
    ///
    /// # Errors
    /// [`Error::Uri`](crate::Error::Uri) when the text is not a tel URI.
    pub fn parse(text: &bytes::Bytes) -> Result<Self> {
        match super::Uri::parse(text)? {
            super::Uri::Tel(tel) => Ok(tel),
            _ => Err(crate::Error::Uri {
                offset: 0,
                expected: "`tel:` scheme",
            }),
        }
    }

    /// Whether the number is global (starts with `+`).
    pub fn is_global(&self) -> bool {
        self.number.starts_with('+')
    }

    /// The number without its visual separators (the `+` of a global number kept).
    pub fn digits(&self) -> String {
        strip_separators(&self.number)
    }

    /// The `phone-context` parameter.
    pub fn phone_context(&self) -> Option<&str> {
        self.params.get("phone-context")
    }

    /// The `ext` (extension) parameter.
    pub fn ext(&self) -> Option<&str> {
        self.params.get("ext")
    }

    /// The `isub` (ISDN subaddress) parameter, escaped as written.
    pub fn isub(&self) -> Option<&str> {
        self.params.get("isub")
    }

    /// Equivalence per RFC 3966 §4: both global or both local; numbers equal without visual
    /// separators; the same set of parameter names (in any order) with equal values;
    /// `phone-context` compared as a host name or digit by digit without separators;
    /// everything ignoring case, `%XX` equal to the character it encodes unless reserved.
    pub fn rfc_eq(&self, other: &Self) -> bool {
        if self.is_global() != other.is_global()
            || !strip_separators(&self.number)
                .eq_ignore_ascii_case(&strip_separators(&other.number))
            || self.params.len() != other.params.len()
        {
            return false;
        }
        let covered = |a: &Params, b: &Params| {
            a.iter().all(|p| {
                b.iter()
                    .filter(|q| escaped_eq(&p.name, &q.name, true))
                    .any(|q| tel_param_eq(p, q))
            })
        };
        covered(&self.params, &other.params) && covered(&other.params, &self.params)
    }

    /// Parses the part after `tel:`. With `addr_spec` (a URI outside `<>` in a header),
    /// stops after the number: the parameters belong to the header (§20.10).
    #[inline]
    pub(crate) fn parse_after_scheme(cur: &mut Cursor<'_>, addr_spec: bool) -> Result<Self> {
        let at = cur.offset();
        let (s, e) = cur.take_while(|b| {
            grammar::is(b, HEX) || matches!(b, b'+' | b'*' | b'#' | b'-' | b'.' | b'(' | b')')
        });
        let raw = cur.bytes(s, e);
        let global = raw.first() == Some(&b'+');
        let valid = if global {
            is_global_digits(raw)
        } else {
            is_local_digits(raw)
        };
        if !valid {
            return Err(crate::Error::Syntax {
                offset: at,
                expected: "global or local telephone number",
            });
        }
        let number = cur.text(s, e)?;
        let mut params = Params::new();
        if !addr_spec {
            while cur.eat(b';') {
                let name_at = cur.offset();
                let (s, e) = cur.take_while(|b| grammar::is(b, ALPHA | DIGIT) || b == b'-');
                if s == e {
                    return Err(cur.error("tel parameter name"));
                }
                let name = cur.text(s, e)?;
                let value = if cur.eat(b'=') {
                    Some(parse_value(cur, &name)?)
                } else {
                    None
                };
                check_param(&params, &name, value.as_ref(), name_at)?;
                params.push(Param { name, value });
            }
        }
        // A local number needs its context; outside `<>` (addr_spec) the parameters would
        // belong to the header, so a local number can only be written inside `<>`.
        if !global && !params.contains("phone-context") {
            return Err(cur.error("`;phone-context=` of a local number (inside `<>` in a header)"));
        }
        Ok(Self { number, params })
    }
}

/// Parameter values per RFC 3966 §4: `phone-context` as a host name or digit by digit
/// without separators, others ignoring case.
fn tel_param_eq(p: &Param, q: &Param) -> bool {
    match (&p.value, &q.value) {
        (None, None) => true,
        (Some(a), Some(b)) if p.name.eq_ignore_ascii_case("phone-context") => {
            if a.starts_with('+') {
                strip_separators(a) == strip_separators(b)
            } else {
                escaped_eq(a, b, true)
            }
        }
        (Some(a), Some(b)) => escaped_eq(a, b, true),
        _ => false,
    }
}

/// A parameter value: `pvalue` (`1*paramchar`), or for `isub` `1*uric` without `;` (a `;`
/// would swallow the parameters that follow).
fn parse_value(cur: &mut Cursor<'_>, name: &str) -> Result<ByteStr> {
    let (s, e) = if name.eq_ignore_ascii_case("isub") {
        take_escaped_with(
            cur,
            |b| b != b';' && grammar::is(b, UNRESERVED | RESERVED),
            false,
            "isub value",
        )?
    } else {
        take_escaped(
            cur,
            UNRESERVED | PARAM_UNRESERVED,
            false,
            "tel parameter value",
        )?
    };
    cur.text(s, e)
}

/// RFC 3966 §3 rules beyond the plain grammar: `ext` is `1*phonedigit`, `phone-context` a
/// `descriptor`; `isub`, `ext` and `phone-context` appear at most once and `isub` and `ext`
/// not together.
fn check_param(params: &Params, name: &str, value: Option<&ByteStr>, at: usize) -> Result<()> {
    let err = |expected| crate::Error::Syntax {
        offset: at,
        expected,
    };
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "ext" => {
            let ok = value.is_some_and(|v| {
                v.bytes().any(|b| b.is_ascii_digit()) && v.bytes().all(is_phonedigit)
            });
            if !ok {
                return Err(err("`ext=` followed by digits"));
            }
        }
        "phone-context" => {
            if !value.is_some_and(|v| is_descriptor(v.as_bytes())) {
                return Err(err(
                    "`phone-context=` followed by a domain or a global number",
                ));
            }
        }
        "isub" => {
            if value.is_none() {
                return Err(err("`isub=` followed by a value"));
            }
        }
        _ => return Ok(()),
    }
    let clash = params.contains(name)
        || (lower == "ext" && params.contains("isub"))
        || (lower == "isub" && params.contains("ext"));
    if clash {
        return Err(err("no repeated `isub`, `ext` or `phone-context`"));
    }
    Ok(())
}

fn is_phonedigit(b: u8) -> bool {
    b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'(' | b')')
}

/// `global-number-digits = "+" *phonedigit DIGIT *phonedigit`.
fn is_global_digits(raw: &[u8]) -> bool {
    match raw.split_first() {
        Some((b'+', rest)) => {
            rest.iter().any(u8::is_ascii_digit) && rest.iter().all(|&b| is_phonedigit(b))
        }
        _ => false,
    }
}

/// `local-number-digits = *phonedigit-hex (HEXDIG / "*" / "#") *phonedigit-hex`.
fn is_local_digits(raw: &[u8]) -> bool {
    let digit = |b: u8| b.is_ascii_hexdigit() || matches!(b, b'*' | b'#');
    raw.iter().any(|&b| digit(b)) && raw.iter().all(|&b| digit(b) || is_phonedigit(b))
}

/// `descriptor = domainname / global-number-digits`.
fn is_descriptor(raw: &[u8]) -> bool {
    if raw.first() == Some(&b'+') {
        return is_global_digits(raw);
    }
    let trimmed = raw.strip_suffix(b".").unwrap_or(raw);
    let mut labels = trimmed.split(|&b| b == b'.').peekable();
    while let Some(label) = labels.next() {
        let (Some(first), Some(last)) = (label.first(), label.last()) else {
            return false;
        };
        if !first.is_ascii_alphanumeric()
            || !last.is_ascii_alphanumeric()
            || !label
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return false;
        }
        if labels.peek().is_none() && !first.is_ascii_alphabetic() {
            return false;
        }
    }
    true
}

fn strip_separators(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '-' | '.' | '(' | ')'))
        .collect()
}

impl fmt::Display for TelUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tel:{}{}", self.number, self.params)
    }
}

impl core::str::FromStr for TelUri {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(&bytes::Bytes::copy_from_slice(s.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, Uri};

    fn tel(s: &str) -> TelUri {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn rfc3966_examples() {
        let t = tel("tel:+1-201-555-0123");
        assert!(t.is_global());
        assert_eq!(t.digits(), "+12015550123");
        let t = tel("tel:7042;phone-context=example.com");
        assert!(!t.is_global());
        assert_eq!(t.phone_context(), Some("example.com"));
        let t = tel("tel:863-1234;phone-context=+1-914-555");
        assert_eq!(t.phone_context(), Some("+1-914-555"));
        for text in [
            "tel:+1-201-555-0123",
            "tel:7042;phone-context=example.com",
            "tel:863-1234;phone-context=+1-914-555",
            "tel:+1-201-555-0123;ext=1234",
            "tel:+358-555-1234567;isub=1411;postd=pp22",
            "tel:*21#;phone-context=+1",
            "tel:(0)123.456;phone-context=a-b.example.",
            "tel:+1234;m-x=%20y",
        ] {
            assert_eq!(tel(text).to_string(), text);
        }
        assert_eq!(tel("tel:+1;ext=(12)").ext(), Some("(12)"));
        assert_eq!(tel("tel:+1;isub=a/b:c@d").isub(), Some("a/b:c@d"));
    }

    #[test]
    fn bad_tel_uris() {
        for (bad, offset) in [
            ("tel:", 4),
            ("tel:+", 4),
            ("tel:+-", 4),
            ("tel:12a4", 8), // local number without phone-context
            ("tel:+1 2", 6),
            ("tel:+1;", 7),
            ("tel:+1;a=", 9),
            ("tel:+1;a_b", 8),
            ("tel:+1;ext=", 11),
            ("tel:+1;ext=12a", 7),
            ("tel:+1;ext=ab", 7),
            ("tel:1;phone-context=-x.com", 6),
            ("tel:1;phone-context=+", 6),
            ("tel:1;phone-context=a.1", 6),
            ("tel:+1;ext=1;isub=2", 13),
            ("tel:+1;ext=1;EXT=2", 13),
            ("tel:+1;isub", 7),
        ] {
            match bad.parse::<Uri>() {
                Err(Error::Uri { offset: o, .. }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn rfc3966_4_comparison() {
        let eq = |a: &str, b: &str| {
            let (a, b) = (tel(a), tel(b));
            assert_eq!(a.rfc_eq(&b), b.rfc_eq(&a));
            a.rfc_eq(&b)
        };
        assert!(eq("tel:+1-201-555-0123", "tel:+12015550123"));
        assert!(eq("tel:+1(201)555.0123", "tel:+12015550123"));
        assert!(eq(
            "tel:7042;phone-context=example.com",
            "tel:7042;PHONE-CONTEXT=EXAMPLE.COM"
        ));
        assert!(eq(
            "tel:863-1234;phone-context=+1-914-555",
            "tel:8631234;phone-context=+1914555"
        ));
        assert!(eq("tel:+1;ext=1;x=y", "tel:+1;X=Y;ext=1"));
        assert!(eq("tel:ab12;phone-context=+1", "tel:AB12;phone-context=+1"));
        assert!(eq("tel:+1;x=%61", "tel:+1;x=a"));
        assert!(!eq("tel:+1234", "tel:1234;phone-context=+1"));
        assert!(!eq("tel:+1234", "tel:+1235"));
        assert!(!eq("tel:+1234", "tel:+1234;x=y"));
        assert!(!eq("tel:+1234;ext=1", "tel:+1234;ext=2"));
        assert!(!eq(
            "tel:7042;phone-context=example.com",
            "tel:7042;phone-context=example.net"
        ));
        assert!(!eq("tel:+1;x", "tel:+1;x=1"));
    }

    #[test]
    fn builders() {
        let t = TelUri::global("+1-201-555-0123").unwrap();
        assert_eq!(t.to_string(), "tel:+1-201-555-0123");
        let t = TelUri::local("911", "+1").unwrap();
        assert_eq!(t.to_string(), "tel:911;phone-context=+1");
        assert!(TelUri::global("123").is_err());
        assert!(TelUri::local("911", "bad_domain").is_err());
    }
}
