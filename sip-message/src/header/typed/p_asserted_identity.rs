//! The `P-Asserted-Identity` header (RFC 3325 §9.1).

use crate::header::name_addr::{name_addr_header, Form};

name_addr_header! {
    /// One element of `P-Asserted-Identity` (RFC 3325 §9.1): `name-addr / addr-spec`, without
    /// parameters.
    ///
    /// Dereferences to its [`NameAddr`](crate::NameAddr) (whose `params` stay empty).
    ///
    /// ```
    /// use sip_message::{header::PAssertedIdentity, TypedHeader};
    /// let p = PAssertedIdentity::parse_str("\"Cullen Jennings\" <sip:fluffy@cisco.com>").unwrap();
    /// assert_eq!(p.display_name.as_deref(), Some("Cullen Jennings"));
    /// let p = PAssertedIdentity::parse_str("tel:+14085264000").unwrap();
    /// assert!(p.uri.as_tel().unwrap().is_global());
    /// assert!(PAssertedIdentity::parse_str("<sip:a@b>;x=y").is_err());
    /// ```
    PAssertedIdentity, PAssertedIdentity, "P-Asserted-Identity", Form::NoParams
}
