//! `Min-Expires` (RFC 3261 §20.23).

use crate::header::typed::support::{number_header, seconds_accessor};

number_header! {
    /// `Min-Expires: delta-seconds` (§20.23): the minimum refresh interval a registrar or notifier accepts (in 423 responses).
    ///
    /// ```
    /// use sip_message::{header::MinExpires, TypedHeader};
    /// let v = MinExpires::parse_str(" 3600 ").unwrap();
    /// assert_eq!(v.get(), 3600);
    /// assert_eq!(MinExpires(60).to_string(), "60");
    /// ```
    MinExpires, MinExpires, "Min-Expires"
}

seconds_accessor!(MinExpires);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, TypedHeader};

    #[test]
    fn values() {
        assert_eq!(MinExpires::parse_str("0").unwrap(), MinExpires(0));
        assert_eq!(MinExpires::parse_str("\r\n 007 \t").unwrap(), MinExpires(7));
        assert_eq!(
            MinExpires::parse_str("4294967295").unwrap(),
            MinExpires(u32::MAX)
        );
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
            match MinExpires::parse_str(bad) {
                Err(Error::Header {
                    name: "Min-Expires",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
