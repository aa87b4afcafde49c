//! `Allow-Events` (RFC 6665 §8.2.2).

use core::fmt;

use bytes::Bytes;

use crate::header::typed::event::{event_type, package, templates};
use crate::header::typed::support::parse_value;
use crate::{ByteStr, HeaderName, Result, TypedHeader};

/// One `event-type` of an `Allow-Events` list (RFC 6665 §8.2.2): an event package the sender
/// accepts subscriptions to.
///
/// `Allow-Events` is a list header: [`TypedHeader::parse`] takes one comma-separated element.
///
/// ```
/// use sip_message::{header::AllowEvents, TypedHeader};
/// let a = AllowEvents::parse_str("presence.winfo").unwrap();
/// assert_eq!(a.package(), "presence");
/// assert_eq!(a.to_string(), "presence.winfo");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AllowEvents(pub ByteStr);

impl AllowEvents {
    /// An element for `event_type` (`token-nodot` parts joined by `.`).
    pub fn new(event_type: impl Into<ByteStr>) -> Self {
        Self(event_type.into())
    }

    /// The event package: the part before the first `.`.
    pub fn package(&self) -> &str {
        package(&self.0)
    }

    /// The template-packages after the package, in order.
    pub fn templates(&self) -> impl Iterator<Item = &str> {
        templates(&self.0)
    }
}

impl TypedHeader for AllowEvents {
    const NAME: HeaderName = HeaderName::AllowEvents;

    fn parse(value: &Bytes) -> Result<Self> {
        parse_value(value, "Allow-Events", event_type).map(Self)
    }
}

impl fmt::Display for AllowEvents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn values() {
        assert_eq!(
            AllowEvents::parse_str("\tdialog \r\n ").unwrap(),
            AllowEvents::new("dialog")
        );
        let a = AllowEvents::parse_str("x.y.z").unwrap();
        assert_eq!(a.templates().collect::<Vec<_>>(), ["y", "z"]);
    }

    #[test]
    fn invalid() {
        for (bad, offset) in [("", 0), ("a;id=1", 1), ("a..b", 2), ("a b", 2), ("a.", 2)] {
            match AllowEvents::parse_str(bad) {
                Err(Error::Header {
                    name: "Allow-Events",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
