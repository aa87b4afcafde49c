//! `Content-Type` (RFC 3261 §20.15).

use core::fmt;
use core::ops::{Deref, DerefMut};

use bytes::Bytes;

use crate::header::typed::support::parse_value;
use crate::header::MediaType;
use crate::{HeaderName, Result, TypedHeader};

/// `Content-Type: media-type` (§20.15): the media type of the body, e.g.
/// `application/sdp`. Dereferences to its [`MediaType`].
///
/// ```
/// use sip_message::{header::ContentType, TypedHeader};
/// let ct = ContentType::parse_str("Application/SDP ; charset=UTF-8").unwrap();
/// assert!(ct.is("application", "sdp"));
/// assert_eq!(ct.charset().as_deref(), Some("UTF-8"));
/// assert_eq!(ct.to_string(), "Application/SDP;charset=UTF-8");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContentType(pub MediaType);

impl ContentType {
    /// `application/sdp`, the body type of offers and answers.
    pub fn sdp() -> Self {
        Self(MediaType::new("application", "sdp"))
    }
}

impl TypedHeader for ContentType {
    const NAME: HeaderName = HeaderName::ContentType;

    fn parse(value: &Bytes) -> Result<Self> {
        parse_value(value, "Content-Type", |cur| {
            let at = cur.offset();
            let media = MediaType::parse_at(cur)?;
            if &*media.mtype == "*" || &*media.subtype == "*" {
                return Err(crate::Error::Syntax {
                    offset: at,
                    expected: "a concrete media type, not a range",
                });
            }
            MediaType::check_m_parameters(&media.params, at)?;
            Ok(Self(media))
        })
    }
}

impl Deref for ContentType {
    type Target = MediaType;
    fn deref(&self) -> &MediaType {
        &self.0
    }
}

impl DerefMut for ContentType {
    fn deref_mut(&mut self) -> &mut MediaType {
        &mut self.0
    }
}

impl From<MediaType> for ContentType {
    fn from(m: MediaType) -> Self {
        Self(m)
    }
}

impl fmt::Display for ContentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn valid_forms() {
        let ct = ContentType::parse_str("application/sdp").unwrap();
        assert_eq!(ct, ContentType::sdp());
        let ct = ContentType::parse_str(
            " multipart/mixed \r\n ; boundary=\"unique boundary 1\" ;CHARSET = utf-8 ",
        )
        .unwrap();
        assert!(ct.is("MULTIPART", "Mixed"));
        assert_eq!(ct.params.len(), 2);
        assert_eq!(
            ct.params
                .param("Boundary")
                .unwrap()
                .unquoted_value()
                .unwrap(),
            "unique boundary 1"
        );
        assert_eq!(ct.charset().as_deref(), Some("utf-8"));
        assert_eq!(
            ct.to_string(),
            "multipart/mixed;boundary=\"unique boundary 1\";CHARSET=utf-8"
        );
        let ct = ContentType::parse_str("text/plain\t/").err().unwrap();
        assert!(matches!(
            ct,
            Error::Header {
                name: "Content-Type",
                ..
            }
        ));
    }

    #[test]
    fn invalid_forms() {
        for (bad, offset) in [
            ("", 0),
            ("application", 11),
            ("application/", 12),
            ("/sdp", 0),
            ("*/*", 0),
            ("application/*", 0),
            ("application/sdp;charset", 0),
            ("application/sdp;charset=[::1]", 0),
            ("application/sdp x", 16),
            ("appl ication/sdp", 4),
        ] {
            match ContentType::parse_str(bad) {
                Err(Error::Header {
                    name: "Content-Type",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
