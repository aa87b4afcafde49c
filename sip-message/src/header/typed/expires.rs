//! `Expires` (RFC 3261 §20.19).

use crate::header::typed::support::{number_header, seconds_accessor};

number_header! {
    /// `Expires: delta-seconds` (§20.19): the relative time, in seconds (0 to 2^32-1), after which the message or content expires; larger values are refused.
    ///
    /// ```
    /// use sip_message::{header::Expires, TypedHeader};
    /// let v = Expires::parse_str(" 3600 ").unwrap();
    /// assert_eq!(v.get(), 3600);
    /// assert_eq!(Expires(60).to_string(), "60");
    /// ```
    Expires, Expires, "Expires"
}

seconds_accessor!(Expires);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, TypedHeader};

    #[test]
    fn values() {
        assert_eq!(Expires::parse_str("0").unwrap(), Expires(0));
        assert_eq!(Expires::parse_str("\r\n 007 \t").unwrap(), Expires(7));
        assert_eq!(Expires::parse_str("4294967295").unwrap(), Expires(u32::MAX));
    }

    #[test]
    fn invalid() {
        for (bad, offset) in [
            ("", 0),
            ("-1", 0),
            ("4294967296", 0),
            ("99999999999999999999", 0),
            ("1 2", 2),
            ("1.5", 1),
            ("x", 0),
        ] {
            match Expires::parse_str(bad) {
                Err(Error::Header {
                    name: "Expires",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
