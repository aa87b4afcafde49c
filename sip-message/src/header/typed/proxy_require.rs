//! `Proxy-Require` (RFC 3261 §20.29).

use crate::header::typed::support::token_header;

token_header! {
    /// One option-tag of `Proxy-Require` (§20.29): an extension proxies must support.
    ///
    /// `Proxy-Require` is a list header: [`TypedHeader::parse`](crate::TypedHeader::parse) takes one
    /// comma-separated element.
    ///
    /// ```
    /// use sip_message::{header::ProxyRequire, TypedHeader};
    /// let v = ProxyRequire::parse_str(" sec-agree ").unwrap();
    /// assert!(v.is("sec-agree"));
    /// assert_eq!(v.to_string(), "sec-agree");
    /// ```
    ProxyRequire, ProxyRequire, "Proxy-Require", "option-tag"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, TypedHeader};

    #[test]
    fn one_token() {
        let v = ProxyRequire::parse_str("\r\n\tsec-agree\r\n ").unwrap();
        assert_eq!(v, ProxyRequire::new("sec-agree"));
        assert!(v.is("SEC-AGREE"));
        assert_eq!(
            ProxyRequire::parse_str("x-Ext.1!%*_+`'~").unwrap().as_str(),
            "x-Ext.1!%*_+`'~"
        );
    }

    #[test]
    fn rejects_non_tokens() {
        for (bad, offset) in [("", 0), ("a b", 2), ("a,b", 1), ("\"q\"", 0), ("a;b", 1)] {
            match ProxyRequire::parse_str(bad) {
                Err(Error::Header {
                    name: "Proxy-Require",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
