//! `RSeq` (RFC 3262 §7.1).

use crate::header::typed::support::number_header;

number_header! {
    /// `RSeq: response-num` (RFC 3262 §7.1): the sequence number of a reliable provisional response. The RFC sends values from 1 to 2^31-1; any `1*DIGIT` that fits in a `u32` is accepted.
    ///
    /// ```
    /// use sip_message::{header::RSeq, TypedHeader};
    /// let v = RSeq::parse_str(" 3600 ").unwrap();
    /// assert_eq!(v.get(), 3600);
    /// assert_eq!(RSeq(60).to_string(), "60");
    /// ```
    RSeq, RSeq, "RSeq"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, TypedHeader};

    #[test]
    fn values() {
        assert_eq!(RSeq::parse_str("0").unwrap(), RSeq(0));
        assert_eq!(RSeq::parse_str("\r\n 007 \t").unwrap(), RSeq(7));
        assert_eq!(RSeq::parse_str("4294967295").unwrap(), RSeq(u32::MAX));
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
            match RSeq::parse_str(bad) {
                Err(Error::Header {
                    name: "RSeq",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
