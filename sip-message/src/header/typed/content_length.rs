//! `Content-Length` (RFC 3261 §20.14).

use core::fmt;

use bytes::Bytes;

use super::cseq::parse_u32;
use crate::grammar::Cursor;
use crate::header::header_error;
use crate::{HeaderName, Result, TypedHeader};

/// `Content-Length = ( "Content-Length" / "l" ) HCOLON 1*DIGIT` (§20.14): body size in
/// bytes. The parser already uses it to find the body; this type is for reading and building.
///
/// ```
/// use sip_message::{header::typed::ContentLength, TypedHeader};
/// assert_eq!(ContentLength::parse_str("349").unwrap(), ContentLength(349));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentLength(pub u32);

impl TypedHeader for ContentLength {
    const NAME: HeaderName = HeaderName::ContentLength;

    fn parse(value: &Bytes) -> Result<Self> {
        let err = header_error("Content-Length");
        let mut cur = Cursor::new(value);
        cur.skip_sws();
        let n = parse_u32(&mut cur, "a decimal number").map_err(&err)?;
        cur.expect_end("end of Content-Length").map_err(&err)?;
        Ok(Self(n))
    }
}

impl fmt::Display for ContentLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(ContentLength::parse_str("0").unwrap(), ContentLength(0));
        assert!(ContentLength::parse_str("1.5").is_err());
        assert!(ContentLength::parse_str("").is_err());
    }
}
