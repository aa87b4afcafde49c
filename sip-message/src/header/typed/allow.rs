//! `Allow` (RFC 3261 §20.5).

use core::fmt;

use bytes::Bytes;

use crate::header::typed::support::parse_value;
use crate::{HeaderName, Method, Result, TypedHeader};

/// One method of an `Allow` list (§20.5): a method the sender supports.
///
/// `Allow` is a list header: [`TypedHeader::parse`] takes one comma-separated element. An empty
/// field (allowed by §25.1: nothing acceptable / no method listed) has no element to parse.
///
/// ```
/// use sip_message::{header::Allow, Method, TypedHeader};
/// assert_eq!(Allow::parse_str("INVITE").unwrap(), Allow(Method::Invite));
/// assert_eq!(Allow(Method::Bye).to_string(), "BYE");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Allow(pub Method);

impl TypedHeader for Allow {
    const NAME: HeaderName = HeaderName::Allow;

    fn parse(value: &Bytes) -> Result<Self> {
        parse_value(value, "Allow", |cur| {
            let (s, e) = cur.take_class(crate::grammar::TOKEN);
            if s == e {
                return Err(cur.error("method"));
            }
            Method::from_bytes(&cur.slice(s, e)).map(Self)
        })
    }
}

impl From<Method> for Allow {
    fn from(m: Method) -> Self {
        Self(m)
    }
}

impl fmt::Display for Allow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ByteStr, Error};

    #[test]
    fn methods() {
        assert_eq!(
            Allow::parse_str(" PRACK\r\n ").unwrap(),
            Allow(Method::Prack)
        );
        assert_eq!(
            Allow::parse_str("invite").unwrap(),
            Allow(Method::Extension(ByteStr::from_static("invite")))
        );
    }

    #[test]
    fn invalid() {
        for (bad, offset) in [("", 0), ("INVITE BYE", 7), ("IN/VITE", 2), (",", 0)] {
            match Allow::parse_str(bad) {
                Err(Error::Header {
                    name: "Allow",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
