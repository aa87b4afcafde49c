//! `Proxy-Authenticate` (RFC 3261 §20.27).

use crate::header::typed::auth::auth_header;

auth_header! {
    /// `Proxy-Authenticate: challenge` (§20.27): a proxy's challenge in a 407 response.
    ///
    /// Dereferences to its [`Challenge`](crate::header::Challenge).
    ///
    /// ```
    /// use sip_message::{header::ProxyAuthenticate, TypedHeader};
    /// let h = ProxyAuthenticate::parse_str("Digest realm=\"atlanta.com\", nonce=\"wf84f1ceczx41ae6cbe5aea9c8e88d359\", stale=true, algorithm=SHA-256").unwrap();
    /// assert_eq!(h.scheme(), "Digest");
    /// assert_eq!(h.digest().unwrap().realm.as_deref(), Some("atlanta.com"));
    /// assert_eq!(h.to_string(), "Digest realm=\"atlanta.com\", nonce=\"wf84f1ceczx41ae6cbe5aea9c8e88d359\", stale=true, algorithm=SHA-256");
    /// ```
    ProxyAuthenticate, Challenge, ProxyAuthenticate, "Proxy-Authenticate"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, TypedHeader};

    #[test]
    fn parse_and_name() {
        let h = ProxyAuthenticate::parse_str(" DIGEST  realm=\"atlanta.com\" ,\r\n nonce=\"n\" ")
            .unwrap();
        assert_eq!(h.digest().unwrap().nonce.as_deref(), Some("n"));
        assert_eq!(h.to_string(), "Digest realm=\"atlanta.com\", nonce=\"n\"");
        assert!(matches!(
            ProxyAuthenticate::parse_str("Digest realm"),
            Err(Error::Header {
                name: "Proxy-Authenticate",
                offset: 12,
                ..
            })
        ));
    }
}
