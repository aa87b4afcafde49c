//! `Retry-After` (RFC 3261 §20.33).

use core::fmt;

use bytes::Bytes;

use crate::header::typed::support::{
    comment, delta_seconds, header_params, param_delta, parse_value, unfolded_text, NoBreaks,
    ParamsOut,
};
use crate::{ByteStr, HeaderName, Param, Params, Result, TypedHeader};

/// `Retry-After: delta-seconds [ comment ] *( SEMI retry-param )` (§20.33): when to retry,
/// optionally with a comment and how long the callee will be available (`duration`).
///
/// ```
/// use sip_message::{header::RetryAfter, TypedHeader};
/// let r = RetryAfter::parse_str("18000;duration=3600").unwrap();
/// assert_eq!(r.seconds, 18000);
/// assert_eq!(r.duration(), Some(3600));
/// let r = RetryAfter::parse_str("120 (I'm in a meeting)").unwrap();
/// assert_eq!(r.comment.as_deref(), Some("I'm in a meeting"));
/// assert_eq!(r.to_string(), "120 (I'm in a meeting)");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct RetryAfter {
    /// Seconds after which to retry.
    pub seconds: u32,
    /// The comment between the parentheses, as written (nested comments and `\` escapes
    /// kept; folded line breaks removed).
    pub comment: Option<ByteStr>,
    /// Parameters in order, `duration` included.
    pub params: Params,
}

impl RetryAfter {
    /// A `Retry-After` of `seconds` without comment or parameters.
    pub fn new(seconds: u32) -> Self {
        Self {
            seconds,
            ..Self::default()
        }
    }

    /// Sets the `duration` parameter (builder style).
    #[must_use]
    pub fn with_duration(mut self, seconds: u32) -> Self {
        self.params.set(Param::new("duration", seconds.to_string()));
        self
    }

    /// The `duration` parameter in seconds (checked at parse time).
    pub fn duration(&self) -> Option<u32> {
        self.params.get("duration").and_then(|v| v.parse().ok())
    }
}

impl TypedHeader for RetryAfter {
    const NAME: HeaderName = HeaderName::RetryAfter;

    fn parse(value: &Bytes) -> Result<Self> {
        parse_value(value, "Retry-After", |cur| {
            let seconds = delta_seconds(cur)?;
            let save = cur.pos();
            cur.skip_sws();
            let comment = if cur.peek() == Some(b'(') {
                let (s, e) = comment(cur)?;
                Some(unfolded_text(
                    cur,
                    s.saturating_add(1),
                    e.saturating_sub(1),
                )?)
            } else {
                cur.set_pos(save);
                None
            };
            let params = header_params(cur, |p, at| {
                if p.name.eq_ignore_ascii_case("duration") {
                    param_delta(p, at)?;
                }
                Ok(false)
            })?;
            Ok(Self {
                seconds,
                comment,
                params,
            })
        })
    }
}

impl fmt::Display for RetryAfter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.seconds)?;
        if let Some(c) = &self.comment {
            write!(f, " ({})", NoBreaks(c))?;
        }
        write!(f, "{}", ParamsOut(&self.params))
    }
}

impl From<u32> for RetryAfter {
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
        let r = RetryAfter::parse_str(" 300 \r\n (busy (really)\\) ) ; DURATION = 60 ;x").unwrap();
        assert_eq!(r.seconds, 300);
        assert_eq!(r.comment.as_deref(), Some("busy (really)\\) "));
        assert_eq!(r.duration(), Some(60));
        assert!(r.params.contains("x"));
        assert_eq!(r.to_string(), "300 (busy (really)\\) );DURATION=60;x");
        assert_eq!(RetryAfter::parse_str("5").unwrap(), RetryAfter::new(5));
        assert_eq!(
            RetryAfter::new(1).with_duration(2).to_string(),
            "1;duration=2"
        );
    }

    #[test]
    fn invalid() {
        for (bad, offset) in [
            ("", 0),
            ("x", 0),
            ("4294967296", 0),
            ("5 (open", 7),
            ("5 (a) (b)", 6),
            ("5;duration=x", 1),
            ("5;duration", 1),
            ("5 ;", 3),
            ("5 x", 2),
        ] {
            match RetryAfter::parse_str(bad) {
                Err(Error::Header {
                    name: "Retry-After",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
