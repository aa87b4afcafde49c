//! `CSeq` (RFC 3261 §20.16).

use core::fmt;

use bytes::Bytes;

use crate::grammar::{Cursor, DIGIT, TOKEN};
use crate::header::header_error;
use crate::{HeaderName, Method, Result, TypedHeader};

/// `CSeq = "CSeq" HCOLON 1*DIGIT LWS Method` (§20.16): the sequence number and the method.
///
/// ```
/// use sip_message::{header::typed::CSeq, Method, TypedHeader};
/// let c = CSeq::parse_str("4711 INVITE").unwrap();
/// assert_eq!(c, CSeq::new(4711, Method::Invite));
/// assert_eq!(c.to_string(), "4711 INVITE");
/// assert!(CSeq::parse_str("4294967296 INVITE").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CSeq {
    /// The sequence number (a 32-bit unsigned integer, §8.1.1.5).
    pub seq: u32,
    /// The method.
    pub method: Method,
}

impl CSeq {
    /// A CSeq value.
    pub fn new(seq: u32, method: Method) -> Self {
        Self { seq, method }
    }
}

impl TypedHeader for CSeq {
    const NAME: HeaderName = HeaderName::CSeq;

    fn parse(value: &Bytes) -> Result<Self> {
        // Fast path: `1*DIGIT SP token` with nothing around it, a registered method.
        if let Some((seq, m)) = crate::message::key::fast_cseq(value) {
            if let Some(method) = Method::known(m) {
                return Ok(Self { seq, method });
            }
        }
        let err = header_error("CSeq");
        let mut cur = Cursor::new(value);
        cur.skip_sws();
        let seq = parse_u32(&mut cur, "sequence number").map_err(&err)?;
        let before = cur.pos();
        cur.skip_sws();
        if cur.pos() == before {
            return Err(err(cur.error("whitespace before the method")));
        }
        let (s, e) = cur.take_class(TOKEN);
        if s == e {
            return Err(err(cur.error("method")));
        }
        let method = Method::known(cur.bytes(s, e))
            .map_or_else(|| Method::from_bytes(&cur.slice(s, e)), Ok)
            .map_err(&err)?;
        cur.expect_end("end of CSeq").map_err(&err)?;
        Ok(Self { seq, method })
    }
}

/// `1*DIGIT` that fits a `u32`.
pub(crate) fn parse_u32(cur: &mut Cursor<'_>, expected: &'static str) -> Result<u32> {
    let at = cur.clone();
    let (s, e) = cur.take_class(DIGIT);
    if s == e || e - s > 10 {
        return Err(at.error(expected));
    }
    cur.bytes(s, e)
        .iter()
        .try_fold(0u32, |acc, &b| {
            acc.checked_mul(10)?.checked_add(u32::from(b - b'0'))
        })
        .ok_or_else(|| at.error(expected))
}

impl fmt::Display for CSeq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.seq, self.method)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn forms() {
        assert_eq!(
            CSeq::parse_str(" 1\r\n  REGISTER ").unwrap(),
            CSeq::new(1, Method::Register)
        );
        assert_eq!(CSeq::parse_str("0 FOO").unwrap().method.as_str(), "FOO");
        for bad in [
            "",
            "INVITE",
            "1",
            "1INVITE",
            "-1 INVITE",
            "1 INVITE x",
            "1 IN/VITE",
        ] {
            assert!(
                matches!(
                    CSeq::parse_str(bad),
                    Err(Error::Header { name: "CSeq", .. })
                ),
                "{bad}"
            );
        }
    }
}
