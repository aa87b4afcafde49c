//! `Event` (RFC 6665 §8.2.1) and the `event-type` it shares with Allow-Events.

use core::fmt;

use bytes::Bytes;

use crate::grammar::{Cursor, TOKEN};
use crate::header::typed::support::{header_params, parse_value, ParamsOut};
use crate::{ByteStr, Error, HeaderName, Param, Params, Result, TypedHeader};

/// `Event: event-type *( SEMI event-param )` (RFC 6665 §8.2.1): the event package of a
/// subscription or notification, with its template-packages and the (deprecated) `id`.
///
/// ```
/// use sip_message::{header::Event, TypedHeader};
/// let e = Event::parse_str("presence.winfo;id=1").unwrap();
/// assert_eq!(e.package(), "presence");
/// assert_eq!(e.templates().collect::<Vec<_>>(), ["winfo"]);
/// assert_eq!(e.id(), Some("1"));
/// assert_eq!(Event::new("dialog").to_string(), "dialog");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Event {
    /// `event-type = event-package *( "." event-template )`, as written.
    pub event_type: ByteStr,
    /// Parameters in order, `id` included.
    pub params: Params,
}

impl Event {
    /// An `Event` for `event_type` (e.g. `presence` or `presence.winfo`) without parameters.
    pub fn new(event_type: impl Into<ByteStr>) -> Self {
        Self {
            event_type: event_type.into(),
            params: Params::new(),
        }
    }

    /// Adds an `id` parameter (builder style).
    #[must_use]
    pub fn with_id(mut self, id: impl Into<ByteStr>) -> Self {
        self.params.set(Param::new("id", id));
        self
    }

    /// The event package: the part of the event type before the first `.`.
    pub fn package(&self) -> &str {
        package(&self.event_type)
    }

    /// The template-packages after the package, in order.
    pub fn templates(&self) -> impl Iterator<Item = &str> {
        templates(&self.event_type)
    }

    /// The `id` parameter (RFC 6665 §8.2.1).
    pub fn id(&self) -> Option<&str> {
        self.params.get("id")
    }
}

/// The package part of an `event-type`.
pub(crate) fn package(event_type: &str) -> &str {
    event_type.split('.').next().unwrap_or_default()
}

/// The template parts of an `event-type`.
pub(crate) fn templates(event_type: &str) -> impl Iterator<Item = &str> {
    event_type.split('.').skip(1)
}

/// Parses `event-type = event-package *( "." event-template )` where both are
/// `token-nodot` (a token without `.`); every part must be non-empty.
pub(crate) fn event_type(cur: &mut Cursor<'_>) -> Result<ByteStr> {
    let start = cur.pos();
    let (s, e) = cur.take_class(TOKEN);
    if s == e {
        return Err(cur.error("event package"));
    }
    let raw = cur.bytes(s, e);
    let mut at = start;
    for part in raw.split(|&b| b == b'.') {
        if part.is_empty() {
            cur.set_pos(at);
            return Err(cur.error("event package or template (token without `.`)"));
        }
        at = at.saturating_add(part.len()).saturating_add(1);
    }
    cur.text(s, e)
}

impl TypedHeader for Event {
    const NAME: HeaderName = HeaderName::Event;

    fn parse(value: &Bytes) -> Result<Self> {
        parse_value(value, "Event", |cur| {
            let event_type = event_type(cur)?;
            let params = header_params(cur, |p, at| {
                // event-param = generic-param / ( "id" EQUAL token )
                if p.name.eq_ignore_ascii_case("id")
                    && !p
                        .value
                        .as_deref()
                        .is_some_and(|v| crate::grammar::is_token(v.as_bytes()))
                {
                    return Err(Error::Syntax {
                        offset: at,
                        expected: "`id=` token",
                    });
                }
                Ok(false)
            })?;
            Ok(Self { event_type, params })
        })
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.event_type, ParamsOut(&self.params))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid() {
        let e = Event::parse_str(" dialog ;\r\n ID = abc ; call-id=\"x@y\"").unwrap();
        assert_eq!(e.package(), "dialog");
        assert_eq!(e.templates().count(), 0);
        assert_eq!(e.id(), Some("abc"));
        assert_eq!(e.to_string(), "dialog;ID=abc;call-id=\"x@y\"");
        let e = Event::parse_str("a.b.c").unwrap();
        assert_eq!(e.templates().collect::<Vec<_>>(), ["b", "c"]);
        assert_eq!(
            Event::new("refer").with_id("93809824").to_string(),
            "refer;id=93809824"
        );
    }

    #[test]
    fn invalid() {
        for (bad, offset) in [
            ("", 0),
            (".a", 0),
            ("a.", 2),
            ("a..b", 2),
            ("a;id", 1),
            ("a;id=\"q\"", 1),
            ("a b", 2),
            ("a/b", 1),
        ] {
            match Event::parse_str(bad) {
                Err(Error::Header {
                    name: "Event",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
