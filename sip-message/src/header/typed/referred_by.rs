//! The `Referred-By` header (RFC 3892 §3).

use crate::header::name_addr::{name_addr_header, Form};

name_addr_header! {
    /// `Referred-By` (compact form `b`, RFC 3892 §3):
    /// `( name-addr / addr-spec ) *( SEMI ( referredby-id-param / generic-param ) )`.
    ///
    /// The `cid` parameter is kept, quoted, among the parameters. Dereferences to its
    /// [`NameAddr`](crate::NameAddr).
    ///
    /// ```
    /// use sip_message::{header::ReferredBy, TypedHeader};
    /// let r = ReferredBy::parse_str("<sip:referrer@referrer.example>;cid=\"20398823.2UWQFN309shb3@referrer.example\"").unwrap();
    /// assert_eq!(r.params.get("cid"), Some("\"20398823.2UWQFN309shb3@referrer.example\""));
    /// ```
    ReferredBy, ReferredBy, "Referred-By", Form::Any
}
