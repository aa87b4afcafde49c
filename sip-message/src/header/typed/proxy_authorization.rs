//! `Proxy-Authorization` (RFC 3261 §20.28).

use crate::header::typed::auth::auth_header;

auth_header! {
    /// `Proxy-Authorization: credentials` (§20.28): a UA's credentials for a proxy.
    ///
    /// Dereferences to its [`Credentials`](crate::header::Credentials).
    ///
    /// ```
    /// use sip_message::{header::ProxyAuthorization, TypedHeader};
    /// let h = ProxyAuthorization::parse_str("Digest username=\"alice\", realm=\"atlanta.com\", nonce=\"c60f3082ee1212b402a21831ae\", uri=\"sip:bob@biloxi.com\", response=\"245f23415f11432b3434341c022\"").unwrap();
    /// assert_eq!(h.scheme(), "Digest");
    /// assert_eq!(h.digest().unwrap().realm.as_deref(), Some("atlanta.com"));
    /// assert_eq!(h.to_string(), "Digest username=\"alice\", realm=\"atlanta.com\", nonce=\"c60f3082ee1212b402a21831ae\", uri=\"sip:bob@biloxi.com\", response=\"245f23415f11432b3434341c022\"");
    /// ```
    ProxyAuthorization, Credentials, ProxyAuthorization, "Proxy-Authorization"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, TypedHeader};

    #[test]
    fn parse_and_name() {
        let h = ProxyAuthorization::parse_str(" DIGEST  realm=\"atlanta.com\" ,\r\n nonce=\"n\" ")
            .unwrap();
        assert_eq!(h.digest().unwrap().nonce.as_deref(), Some("n"));
        assert_eq!(h.to_string(), "Digest realm=\"atlanta.com\", nonce=\"n\"");
        assert!(matches!(
            ProxyAuthorization::parse_str("Digest realm"),
            Err(Error::Header {
                name: "Proxy-Authorization",
                offset: 12,
                ..
            })
        ));
    }
}
