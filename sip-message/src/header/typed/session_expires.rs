//! `Session-Expires` (RFC 4028 §4).

use core::fmt;

use bytes::Bytes;

use crate::header::typed::support::{delta_seconds, header_params, once, parse_value, ParamsOut};
use crate::{ByteStr, Error, HeaderName, Params, Result, TypedHeader};

/// `Session-Expires: delta-seconds *(SEMI se-params)` (RFC 4028 §4): the session interval
/// and which side refreshes.
///
/// ```
/// use sip_message::{header::{Refresher, SessionExpires}, TypedHeader};
/// let s = SessionExpires::parse_str("1800;refresher=uas").unwrap();
/// assert_eq!(s.seconds, 1800);
/// assert_eq!(s.refresher, Some(Refresher::Uas));
/// assert_eq!(SessionExpires::new(90).to_string(), "90");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SessionExpires {
    /// The session interval in seconds.
    pub seconds: u32,
    /// `refresher`.
    pub refresher: Option<Refresher>,
    /// Other parameters, in order, values as written.
    pub params: Params,
}

/// The `refresher` of a session (RFC 4028 §4): `uac` or `uas` (any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Refresher {
    /// The UAC refreshes.
    Uac,
    /// The UAS refreshes.
    Uas,
}

impl Refresher {
    /// `uac` or `uas`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Uac => "uac",
            Self::Uas => "uas",
        }
    }
}

impl SessionExpires {
    /// A session interval without refresher.
    pub fn new(seconds: u32) -> Self {
        Self {
            seconds,
            ..Self::default()
        }
    }

    /// Sets the refresher (builder style).
    #[must_use]
    pub fn with_refresher(mut self, refresher: Refresher) -> Self {
        self.refresher = Some(refresher);
        self
    }

    /// The interval as a duration.
    pub fn as_duration(&self) -> core::time::Duration {
        core::time::Duration::from_secs(u64::from(self.seconds))
    }
}

impl TypedHeader for SessionExpires {
    const NAME: HeaderName = HeaderName::SessionExpires;

    fn parse(value: &Bytes) -> Result<Self> {
        parse_value(value, "Session-Expires", |cur| {
            let seconds = delta_seconds(cur)?;
            let mut refresher = None;
            let params = header_params(cur, |p, at| {
                if !p.name.eq_ignore_ascii_case("refresher") {
                    return Ok(false);
                }
                once(&refresher, at, "one refresher parameter")?;
                let v = p.value.as_ref().map(ByteStr::as_str).unwrap_or_default();
                refresher = Some(if v.eq_ignore_ascii_case("uac") {
                    Refresher::Uac
                } else if v.eq_ignore_ascii_case("uas") {
                    Refresher::Uas
                } else {
                    return Err(Error::Syntax {
                        offset: at,
                        expected: "refresher=uac or refresher=uas",
                    });
                });
                Ok(true)
            })?;
            Ok(Self {
                seconds,
                refresher,
                params,
            })
        })
    }
}

impl fmt::Display for Refresher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for SessionExpires {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.seconds)?;
        if let Some(r) = self.refresher {
            write!(f, ";refresher={}", r.as_str())?;
        }
        write!(f, "{}", ParamsOut(&self.params))
    }
}

impl From<u32> for SessionExpires {
    fn from(seconds: u32) -> Self {
        Self::new(seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid() {
        let s = SessionExpires::parse_str(" 4000 \r\n ; REFRESHER = UAC ; x").unwrap();
        assert_eq!(s.seconds, 4000);
        assert_eq!(s.refresher, Some(Refresher::Uac));
        assert!(s.params.contains("x"));
        assert_eq!(s.to_string(), "4000;refresher=uac;x");
        assert_eq!(
            SessionExpires::new(1)
                .with_refresher(Refresher::Uas)
                .to_string(),
            "1;refresher=uas"
        );
        assert_eq!(SessionExpires::new(2).as_duration().as_secs(), 2);
        assert_eq!(Refresher::Uac.to_string(), "uac");
    }

    #[test]
    fn invalid() {
        for (bad, offset) in [
            ("", 0),
            ("x", 0),
            ("4294967296", 0),
            ("90;refresher", 2),
            ("90;refresher=proxy", 2),
            ("90;refresher=uac;refresher=uas", 2),
            ("90 x", 3),
        ] {
            match SessionExpires::parse_str(bad) {
                Err(Error::Header {
                    name: "Session-Expires",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
