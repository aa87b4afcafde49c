//! `WWW-Authenticate` (RFC 3261 §20.44).

use crate::header::typed::auth::auth_header;

auth_header! {
    /// `WWW-Authenticate: challenge` (§20.44): a UAS or registrar's challenge in a 401 response.
    ///
    /// Dereferences to its [`Challenge`](crate::header::Challenge).
    ///
    /// ```
    /// use sip_message::{header::WwwAuthenticate, TypedHeader};
    /// let h = WwwAuthenticate::parse_str("Digest realm=\"atlanta.com\", nonce=\"84a4cc6f3082121f32b42a2187831a9e\", algorithm=MD5, qop=\"auth\"").unwrap();
    /// assert_eq!(h.scheme(), "Digest");
    /// assert_eq!(h.digest().unwrap().realm.as_deref(), Some("atlanta.com"));
    /// assert_eq!(h.to_string(), "Digest realm=\"atlanta.com\", nonce=\"84a4cc6f3082121f32b42a2187831a9e\", algorithm=MD5, qop=\"auth\"");
    /// ```
    WwwAuthenticate, Challenge, WwwAuthenticate, "WWW-Authenticate"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, TypedHeader};

    #[test]
    fn parse_and_name() {
        let h = WwwAuthenticate::parse_str(" DIGEST  realm=\"atlanta.com\" ,\r\n nonce=\"n\" ")
            .unwrap();
        assert_eq!(h.digest().unwrap().nonce.as_deref(), Some("n"));
        assert_eq!(h.to_string(), "Digest realm=\"atlanta.com\", nonce=\"n\"");
        assert!(matches!(
            WwwAuthenticate::parse_str("Digest realm"),
            Err(Error::Header {
                name: "WWW-Authenticate",
                offset: 12,
                ..
            })
        ));
    }
}
