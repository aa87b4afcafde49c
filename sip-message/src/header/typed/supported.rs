//! `Supported` (RFC 3261 §20.37).

use crate::header::typed::support::token_header;

token_header! {
    /// One option-tag of `Supported` (§20.37): an extension the sender supports, such as `100rel` or `timer`.
    ///
    /// `Supported` is a list header: [`TypedHeader::parse`](crate::TypedHeader::parse) takes one
    /// comma-separated element. An empty `Supported` field (allowed by §25.1) has no element to
    /// parse.
    ///
    /// ```
    /// use sip_message::{header::Supported, TypedHeader};
    /// let v = Supported::parse_str(" 100rel ").unwrap();
    /// assert!(v.is("100rel"));
    /// assert_eq!(v.to_string(), "100rel");
    /// ```
    Supported, Supported, "Supported", "option-tag"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, TypedHeader};

    #[test]
    fn one_token() {
        let v = Supported::parse_str("\r\n\t100rel\r\n ").unwrap();
        assert_eq!(v, Supported::new("100rel"));
        assert!(v.is("100REL"));
        assert_eq!(
            Supported::parse_str("x-Ext.1!%*_+`'~").unwrap().as_str(),
            "x-Ext.1!%*_+`'~"
        );
    }

    #[test]
    fn rejects_non_tokens() {
        for (bad, offset) in [("", 0), ("a b", 2), ("a,b", 1), ("\"q\"", 0), ("a;b", 1)] {
            match Supported::parse_str(bad) {
                Err(Error::Header {
                    name: "Supported",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
