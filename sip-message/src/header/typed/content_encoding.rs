//! `Content-Encoding` (RFC 3261 §20.12).

use crate::header::typed::support::token_header;

token_header! {
    /// One content-coding of `Content-Encoding` (§20.12), such as `gzip`: a coding applied to the body, in the order listed.
    ///
    /// `Content-Encoding` is a list header: [`TypedHeader::parse`](crate::TypedHeader::parse) takes one
    /// comma-separated element.
    ///
    /// ```
    /// use sip_message::{header::ContentEncoding, TypedHeader};
    /// let v = ContentEncoding::parse_str(" gzip ").unwrap();
    /// assert!(v.is("gzip"));
    /// assert_eq!(v.to_string(), "gzip");
    /// ```
    ContentEncoding, ContentEncoding, "Content-Encoding", "content-coding"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, TypedHeader};

    #[test]
    fn one_token() {
        let v = ContentEncoding::parse_str("\r\n\tgzip\r\n ").unwrap();
        assert_eq!(v, ContentEncoding::new("gzip"));
        assert!(v.is("GZIP"));
        assert_eq!(
            ContentEncoding::parse_str("x-Ext.1!%*_+`'~")
                .unwrap()
                .as_str(),
            "x-Ext.1!%*_+`'~"
        );
    }

    #[test]
    fn rejects_non_tokens() {
        for (bad, offset) in [("", 0), ("a b", 2), ("a,b", 1), ("\"q\"", 0), ("a;b", 1)] {
            match ContentEncoding::parse_str(bad) {
                Err(Error::Header {
                    name: "Content-Encoding",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
