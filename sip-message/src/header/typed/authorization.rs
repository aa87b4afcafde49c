//! `Authorization` (RFC 3261 §20.7).

use crate::header::typed::auth::auth_header;

auth_header! {
    /// `Authorization: credentials` (§20.7): a UA's credentials for a UAS or registrar.
    ///
    /// Dereferences to its [`Credentials`](crate::header::Credentials).
    ///
    /// ```
    /// use sip_message::{header::Authorization, TypedHeader};
    /// let h = Authorization::parse_str("Digest username=\"bob\", realm=\"atlanta.com\", nonce=\"84a4cc6f3082121f32b42a2187831a9e\", uri=\"sip:biloxi.com\", response=\"7587245234b3434cc3412213e5f113a5432\", algorithm=MD5, cnonce=\"0a4f113b\", qop=auth, nc=00000001").unwrap();
    /// assert_eq!(h.scheme(), "Digest");
    /// assert_eq!(h.digest().unwrap().realm.as_deref(), Some("atlanta.com"));
    /// assert_eq!(h.to_string(), "Digest username=\"bob\", realm=\"atlanta.com\", nonce=\"84a4cc6f3082121f32b42a2187831a9e\", uri=\"sip:biloxi.com\", response=\"7587245234b3434cc3412213e5f113a5432\", algorithm=MD5, cnonce=\"0a4f113b\", qop=auth, nc=00000001");
    /// ```
    Authorization, Credentials, Authorization, "Authorization"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, TypedHeader};

    #[test]
    fn parse_and_name() {
        let h =
            Authorization::parse_str(" DIGEST  realm=\"atlanta.com\" ,\r\n nonce=\"n\" ").unwrap();
        assert_eq!(h.digest().unwrap().nonce.as_deref(), Some("n"));
        assert_eq!(h.to_string(), "Digest realm=\"atlanta.com\", nonce=\"n\"");
        assert!(matches!(
            Authorization::parse_str("Digest realm"),
            Err(Error::Header {
                name: "Authorization",
                offset: 12,
                ..
            })
        ));
    }
}
