//! `Timestamp` (RFC 3261 §20.38, §8.2.6.1).

use core::fmt;

use bytes::Bytes;

use crate::grammar::{Cursor, DIGIT};
use crate::header::typed::support::parse_value;
use crate::{ByteStr, HeaderName, Result, TypedHeader};

/// `Timestamp: 1*DIGIT [ "." *DIGIT ] [ LWS delay ]` (§20.38): when the UAC sent the request
/// (in its own units), and in a response the delay the UAS added (§8.2.6.1).
///
/// Both numbers are kept as the decimal text written, so they round-trip exactly;
/// [`Timestamp::value_f64`] and [`Timestamp::delay_f64`] give them as numbers.
///
/// ```
/// use sip_message::{header::Timestamp, TypedHeader};
/// let t = Timestamp::parse_str("54.21 0.3").unwrap();
/// assert_eq!(&*t.value, "54.21");
/// assert_eq!(t.delay_f64(), Some(0.3));
/// assert_eq!(Timestamp::new("100").with_delay("1.5").to_string(), "100 1.5");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    /// The timestamp: digits, optionally `.` and more digits.
    pub value: ByteStr,
    /// The delay: digits and/or a `.` fraction; never empty.
    pub delay: Option<ByteStr>,
}

impl Timestamp {
    /// A timestamp without delay; `value` must be `1*DIGIT [ "." *DIGIT ]`.
    pub fn new(value: impl Into<ByteStr>) -> Self {
        Self {
            value: value.into(),
            delay: None,
        }
    }

    /// Sets the delay (builder style); `delay` must be `*DIGIT [ "." *DIGIT ]`, not empty.
    #[must_use]
    pub fn with_delay(mut self, delay: impl Into<ByteStr>) -> Self {
        self.delay = Some(delay.into());
        self
    }

    /// The timestamp as a number.
    pub fn value_f64(&self) -> Option<f64> {
        decimal_f64(&self.value)
    }

    /// The delay as a number.
    pub fn delay_f64(&self) -> Option<f64> {
        self.delay.as_deref().and_then(decimal_f64)
    }
}

fn decimal_f64(s: &str) -> Option<f64> {
    if s == "." {
        Some(0.0)
    } else {
        s.parse().ok()
    }
}

/// `*DIGIT [ "." *DIGIT ]`; returns the absolute range (possibly empty).
fn decimal(cur: &mut Cursor<'_>) -> (usize, usize) {
    let (s, mut e) = cur.take_class(DIGIT);
    if cur.eat(b'.') {
        (_, e) = cur.take_class(DIGIT);
    }
    (s, e)
}

impl TypedHeader for Timestamp {
    const NAME: HeaderName = HeaderName::Timestamp;

    fn parse(value: &Bytes) -> Result<Self> {
        parse_value(value, "Timestamp", |cur| {
            if !cur.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(cur.error("timestamp digits"));
            }
            let (s, e) = decimal(cur);
            let value = cur.text(s, e)?;
            let save = cur.pos();
            cur.skip_sws();
            let delay = if cur.pos() != save
                && cur.peek().is_some_and(|b| b.is_ascii_digit() || b == b'.')
            {
                let (s, e) = decimal(cur);
                Some(cur.text(s, e)?)
            } else {
                cur.set_pos(save);
                None
            };
            Ok(Self { value, delay })
        })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)?;
        if let Some(d) = &self.delay {
            write!(f, " {d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn valid() {
        let t = Timestamp::parse_str(" 54 ").unwrap();
        assert_eq!(t, Timestamp::new("54"));
        assert_eq!(t.value_f64(), Some(54.0));
        let t = Timestamp::parse_str("54.\r\n\t.5").unwrap();
        assert_eq!(&*t.value, "54.");
        assert_eq!(t.delay.as_deref(), Some(".5"));
        assert_eq!(t.delay_f64(), Some(0.5));
        assert_eq!(t.to_string(), "54. .5");
        let t = Timestamp::parse_str("1 .").unwrap();
        assert_eq!(t.delay_f64(), Some(0.0));
    }

    #[test]
    fn invalid() {
        for (bad, offset) in [
            ("", 0),
            (".5", 0),
            ("x", 0),
            ("5x", 1),
            ("5.5.5", 3),
            ("5 5 5", 4),
            ("5 x", 2),
            ("5 1.2.3", 5),
        ] {
            match Timestamp::parse_str(bad) {
                Err(Error::Header {
                    name: "Timestamp",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
