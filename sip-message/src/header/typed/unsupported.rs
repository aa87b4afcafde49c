//! `Unsupported` (RFC 3261 §20.40).

use crate::header::typed::support::token_header;

token_header! {
    /// One option-tag of `Unsupported` (§20.40): an extension the UAS does not support (in a 420 response).
    ///
    /// `Unsupported` is a list header: [`TypedHeader::parse`](crate::TypedHeader::parse) takes one
    /// comma-separated element.
    ///
    /// ```
    /// use sip_message::{header::Unsupported, TypedHeader};
    /// let v = Unsupported::parse_str(" foo ").unwrap();
    /// assert!(v.is("foo"));
    /// assert_eq!(v.to_string(), "foo");
    /// ```
    Unsupported, Unsupported, "Unsupported", "option-tag"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, TypedHeader};

    #[test]
    fn one_token() {
        let v = Unsupported::parse_str("\r\n\tfoo\r\n ").unwrap();
        assert_eq!(v, Unsupported::new("foo"));
        assert!(v.is("FOO"));
        assert_eq!(
            Unsupported::parse_str("x-Ext.1!%*_+`'~").unwrap().as_str(),
            "x-Ext.1!%*_+`'~"
        );
    }

    #[test]
    fn rejects_non_tokens() {
        for (bad, offset) in [("", 0), ("a b", 2), ("a,b", 1), ("\"q\"", 0), ("a;b", 1)] {
            match Unsupported::parse_str(bad) {
                Err(Error::Header {
                    name: "Unsupported",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
