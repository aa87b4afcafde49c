//! `RAck` (RFC 3262 §7.2).

use core::fmt;

use bytes::Bytes;

use crate::grammar::TOKEN;
use crate::header::typed::support::{expect_lws, number_u32, parse_value};
use crate::{HeaderName, Method, Result, TypedHeader};

/// `RAck: response-num LWS CSeq-num LWS Method` (RFC 3262 §7.2): which reliable provisional
/// response a PRACK acknowledges.
///
/// ```
/// use sip_message::{header::RAck, Method, TypedHeader};
/// let r = RAck::parse_str("776656 1 INVITE").unwrap();
/// assert_eq!(r, RAck::new(776656, 1, Method::Invite));
/// assert_eq!(r.to_string(), "776656 1 INVITE");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RAck {
    /// The RSeq of the acknowledged response.
    pub response_num: u32,
    /// The CSeq number of the acknowledged response.
    pub cseq: u32,
    /// The CSeq method of the acknowledged response.
    pub method: Method,
}

impl RAck {
    /// An `RAck` for response `response_num` to request `cseq method`.
    pub fn new(response_num: u32, cseq: u32, method: Method) -> Self {
        Self {
            response_num,
            cseq,
            method,
        }
    }
}

impl TypedHeader for RAck {
    const NAME: HeaderName = HeaderName::RAck;

    fn parse(value: &Bytes) -> Result<Self> {
        parse_value(value, "RAck", |cur| {
            let response_num = number_u32(cur, "response-num (digits, at most 4294967295)")?;
            expect_lws(cur, "whitespace after response-num")?;
            let cseq = number_u32(cur, "CSeq-num (digits, at most 4294967295)")?;
            expect_lws(cur, "whitespace after CSeq-num")?;
            let (s, e) = cur.take_class(TOKEN);
            if s == e {
                return Err(cur.error("method"));
            }
            let method = Method::from_bytes(&cur.slice(s, e))?;
            Ok(Self {
                response_num,
                cseq,
                method,
            })
        })
    }
}

impl fmt::Display for RAck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.response_num, self.cseq, self.method)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ByteStr, Error};

    #[test]
    fn valid() {
        let r = RAck::parse_str("\t1 \r\n 2\tUPDATE ").unwrap();
        assert_eq!(r, RAck::new(1, 2, Method::Update));
        let r = RAck::parse_str("4294967295 0 FOO").unwrap();
        assert_eq!(r.response_num, u32::MAX);
        assert_eq!(r.method, Method::Extension(ByteStr::from_static("FOO")));
    }

    #[test]
    fn invalid() {
        for (bad, offset) in [
            ("", 0),
            ("1", 1),
            ("1 2", 3),
            ("1 2 ", 4),
            ("1INVITE", 1),
            ("4294967296 1 INVITE", 0),
            ("1 x INVITE", 2),
            ("1 2 INVITE x", 11),
            ("1 2 IN/VITE", 6),
        ] {
            match RAck::parse_str(bad) {
                Err(Error::Header {
                    name: "RAck",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
