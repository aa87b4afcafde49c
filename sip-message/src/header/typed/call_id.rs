//! `Call-ID` (RFC 3261 §20.8).

use core::fmt;

use bytes::Bytes;

use crate::grammar::{Cursor, WORD};
use crate::header::header_error;
use crate::{ByteStr, HeaderName, Result, TypedHeader};

/// `Call-ID = ( "Call-ID" / "i" ) HCOLON callid`, `callid = word [ "@" word ]` (§20.8).
/// Compared byte for byte (case-sensitive).
///
/// ```
/// use sip_message::{header::typed::CallId, TypedHeader};
/// let c = CallId::parse_str("f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com").unwrap();
/// assert_eq!(c.as_str(), "f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com");
/// assert!(CallId::parse_str("a b").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CallId(pub ByteStr);

impl CallId {
    /// A Call-ID from text (not checked; [`TypedHeader::parse_str`] checks).
    pub fn new(id: impl Into<ByteStr>) -> Self {
        Self(id.into())
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TypedHeader for CallId {
    const NAME: HeaderName = HeaderName::CallId;

    fn parse(value: &Bytes) -> Result<Self> {
        // Fast path: the whole value is `word [ "@" word ]` (no whitespace around it), so the
        // Call-ID is the value itself; `word` characters are ASCII.
        if crate::message::key::fast_call_id(value).is_some() {
            return Ok(Self(ByteStr::from_checked(value.clone())));
        }
        let err = header_error("Call-ID");
        let mut cur = Cursor::new(value);
        cur.skip_sws();
        let start = cur.pos();
        let (s, e) = cur.take_class(WORD);
        if s == e {
            return Err(err(cur.error("word")));
        }
        if cur.eat(b'@') {
            let (s, e) = cur.take_class(WORD);
            if s == e {
                return Err(err(cur.error("word after `@`")));
            }
        }
        let end = cur.pos();
        cur.expect_end("end of Call-ID").map_err(&err)?;
        // `word` characters are ASCII.
        Ok(Self(cur.ascii(start, end)))
    }
}

impl fmt::Display for CallId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(
            CallId::parse_str(" a84b4c76e66710 ").unwrap().as_str(),
            "a84b4c76e66710"
        );
        assert_eq!(CallId::parse_str("x@[::1]").unwrap().as_str(), "x@[::1]");
        for bad in ["", "@x", "x@", "a@b@c", "a b", "é"] {
            assert!(CallId::parse_str(bad).is_err(), "{bad}");
        }
    }
}
