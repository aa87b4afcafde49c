//! `Require` (RFC 3261 §20.32).

use crate::header::typed::support::token_header;

token_header! {
    /// One option-tag of `Require` (§20.32): an extension the UAS must support to process the request.
    ///
    /// `Require` is a list header: [`TypedHeader::parse`](crate::TypedHeader::parse) takes one
    /// comma-separated element.
    ///
    /// ```
    /// use sip_message::{header::Require, TypedHeader};
    /// let v = Require::parse_str(" timer ").unwrap();
    /// assert!(v.is("timer"));
    /// assert_eq!(v.to_string(), "timer");
    /// ```
    Require, Require, "Require", "option-tag"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, TypedHeader};

    #[test]
    fn one_token() {
        let v = Require::parse_str("\r\n\ttimer\r\n ").unwrap();
        assert_eq!(v, Require::new("timer"));
        assert!(v.is("TIMER"));
        assert_eq!(
            Require::parse_str("x-Ext.1!%*_+`'~").unwrap().as_str(),
            "x-Ext.1!%*_+`'~"
        );
    }

    #[test]
    fn rejects_non_tokens() {
        for (bad, offset) in [("", 0), ("a b", 2), ("a,b", 1), ("\"q\"", 0), ("a;b", 1)] {
            match Require::parse_str(bad) {
                Err(Error::Header {
                    name: "Require",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
