//! `Max-Forwards` (RFC 3261 §20.22).

use core::fmt;

use bytes::Bytes;

use super::cseq::parse_u32;
use crate::grammar::Cursor;
use crate::header::header_error;
use crate::{HeaderName, Result, TypedHeader};

/// `Max-Forwards = "Max-Forwards" HCOLON 1*DIGIT` (§20.22): hops left.
///
/// ```
/// use sip_message::{header::typed::MaxForwards, TypedHeader};
/// assert_eq!(MaxForwards::parse_str("70").unwrap(), MaxForwards(70));
/// assert!(MaxForwards::parse_str("seventy").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MaxForwards(pub u32);

impl MaxForwards {
    /// The value a UAC starts with (§8.1.1.6).
    pub const DEFAULT: Self = Self(70);

    /// The value for the next hop, `None` when it is already 0 (answer 483, §16.3).
    pub fn decremented(self) -> Option<Self> {
        self.0.checked_sub(1).map(Self)
    }
}

impl TypedHeader for MaxForwards {
    const NAME: HeaderName = HeaderName::MaxForwards;

    fn parse(value: &Bytes) -> Result<Self> {
        let err = header_error("Max-Forwards");
        let mut cur = Cursor::new(value);
        cur.skip_sws();
        let n = parse_u32(&mut cur, "a decimal number").map_err(&err)?;
        cur.expect_end("end of Max-Forwards").map_err(&err)?;
        Ok(Self(n))
    }
}

impl fmt::Display for MaxForwards {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(MaxForwards::parse_str(" 0 ").unwrap(), MaxForwards(0));
        assert_eq!(MaxForwards(0).decremented(), None);
        assert_eq!(MaxForwards(1).decremented(), Some(MaxForwards(0)));
        for bad in ["", "1 2", "-1", "99999999999"] {
            assert!(MaxForwards::parse_str(bad).is_err(), "{bad}");
        }
    }
}
