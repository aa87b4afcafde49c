//! `Accept` (RFC 3261 §20.1).

use core::fmt;
use core::ops::{Deref, DerefMut};

use bytes::Bytes;

use crate::header::typed::support::parse_value;
use crate::header::MediaType;
use crate::{Error, HeaderName, Result, TypedHeader};

/// One `accept-range` of an `Accept` list (§20.1): a media range (`*/*`, `type/*` or
/// `type/subtype`) with its parameters, `q` among them. Dereferences to its [`MediaType`].
///
/// `Accept` is a list header: [`TypedHeader::parse`] takes one comma-separated element. An empty
/// field (allowed by §25.1: nothing acceptable / no method listed) has no element to parse.
///
/// ```
/// use sip_message::{header::Accept, TypedHeader};
/// let a = Accept::parse_str("application/*;q=0.5").unwrap();
/// assert!(a.matches("application", "sdp"));
/// assert_eq!(a.q(), Some(500));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Accept(pub MediaType);

impl Accept {
    /// The `q` parameter in thousandths (`q=0.5` is 500); `None` when absent.
    pub fn q(&self) -> Option<u16> {
        self.0.params.get("q").and_then(parse_qvalue)
    }
}

/// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )` (§25.1) in thousandths.
pub(crate) fn parse_qvalue(s: &str) -> Option<u16> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut thousandths: u16 = 0;
    let mut scale = 100u16;
    for b in frac.bytes() {
        thousandths += u16::from(b - b'0') * scale;
        scale /= 10;
    }
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

impl TypedHeader for Accept {
    const NAME: HeaderName = HeaderName::Accept;

    fn parse(value: &Bytes) -> Result<Self> {
        parse_value(value, "Accept", |cur| {
            let at = cur.offset();
            let media = MediaType::parse_at(cur)?;
            if let Some(p) = media.params.param("q") {
                if p.value.as_deref().and_then(parse_qvalue).is_none() {
                    return Err(Error::Syntax {
                        offset: at,
                        expected: "q parameter with a qvalue (0 to 1, three decimals)",
                    });
                }
            }
            Ok(Self(media))
        })
    }
}

impl Deref for Accept {
    type Target = MediaType;
    fn deref(&self) -> &MediaType {
        &self.0
    }
}

impl DerefMut for Accept {
    fn deref_mut(&mut self) -> &mut MediaType {
        &mut self.0
    }
}

impl From<MediaType> for Accept {
    fn from(m: MediaType) -> Self {
        Self(m)
    }
}

impl fmt::Display for Accept {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let a = Accept::parse_str("*/*").unwrap();
        assert!(a.matches("text", "html"));
        assert_eq!(a.q(), None);
        let a = Accept::parse_str(" Application / *\r\n\t; Q = 1.000 ; level").unwrap();
        assert!(a.matches("application", "pidf+xml"));
        assert!(!a.matches("text", "plain"));
        assert_eq!(a.q(), Some(1000));
        assert!(a.params.contains("LEVEL"));
        assert_eq!(a.to_string(), "Application/*;Q=1.000;level");
        let a = Accept::parse_str("application/sdp;q=0.25").unwrap();
        assert_eq!(a.q(), Some(250));
    }

    #[test]
    fn qvalues() {
        assert_eq!(parse_qvalue("0"), Some(0));
        assert_eq!(parse_qvalue("0."), Some(0));
        assert_eq!(parse_qvalue("0.7"), Some(700));
        assert_eq!(parse_qvalue("0.123"), Some(123));
        assert_eq!(parse_qvalue("1"), Some(1000));
        assert_eq!(parse_qvalue("1.00"), Some(1000));
        for bad in ["1.5", "0.1234", "2", "", "0.a", ".5", "01"] {
            assert_eq!(parse_qvalue(bad), None, "{bad}");
        }
    }

    #[test]
    fn invalid() {
        for bad in [
            "",
            "*/sdp",
            "application",
            "text/plain;q=2",
            "text/plain;q",
            "a/b c",
        ] {
            assert!(
                matches!(
                    Accept::parse_str(bad),
                    Err(Error::Header { name: "Accept", .. })
                ),
                "{bad}"
            );
        }
    }
}
