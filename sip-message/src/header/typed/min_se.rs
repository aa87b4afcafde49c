//! `Min-SE` (RFC 4028 §5).

use core::fmt;

use bytes::Bytes;

use crate::header::typed::support::{delta_seconds, header_params, parse_value, ParamsOut};
use crate::{HeaderName, Params, Result, TypedHeader};

/// `Min-SE: delta-seconds *(SEMI generic-param)` (RFC 4028 §5): the smallest session
/// interval the sender accepts.
///
/// ```
/// use sip_message::{header::MinSe, TypedHeader};
/// assert_eq!(MinSe::parse_str("90").unwrap(), MinSe::new(90));
/// assert_eq!(MinSe::new(120).to_string(), "120");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct MinSe {
    /// The minimum session interval in seconds.
    pub seconds: u32,
    /// Parameters, in order, values as written.
    pub params: Params,
}

impl MinSe {
    /// A `Min-SE` without parameters.
    pub fn new(seconds: u32) -> Self {
        Self {
            seconds,
            params: Params::new(),
        }
    }

    /// The interval as a duration.
    pub fn as_duration(&self) -> core::time::Duration {
        core::time::Duration::from_secs(u64::from(self.seconds))
    }
}

impl TypedHeader for MinSe {
    const NAME: HeaderName = HeaderName::MinSe;

    fn parse(value: &Bytes) -> Result<Self> {
        parse_value(value, "Min-SE", |cur| {
            let seconds = delta_seconds(cur)?;
            let params = header_params(cur, |_, _| Ok(false))?;
            Ok(Self { seconds, params })
        })
    }
}

impl fmt::Display for MinSe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.seconds, ParamsOut(&self.params))
    }
}

impl From<u32> for MinSe {
    fn from(seconds: u32) -> Self {
        Self::new(seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn valid() {
        let m = MinSe::parse_str("\t600 ; Foo = \"bar\"\r\n ").unwrap();
        assert_eq!(m.seconds, 600);
        assert_eq!(m.params.get("foo"), Some("\"bar\""));
        assert_eq!(m.to_string(), "600;Foo=\"bar\"");
        assert_eq!(m.as_duration().as_secs(), 600);
    }

    #[test]
    fn invalid() {
        for (bad, offset) in [
            ("", 0),
            ("-5", 0),
            ("99999999999", 0),
            ("90;", 3),
            ("90 90", 3),
        ] {
            match MinSe::parse_str(bad) {
                Err(Error::Header {
                    name: "Min-SE",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
