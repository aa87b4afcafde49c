//! The `Refer-To` header (RFC 3515 §2.1).

use crate::header::name_addr::{name_addr_header, Form};

name_addr_header! {
    /// `Refer-To` (compact form `r`, RFC 3515 §2.1):
    /// `( name-addr / addr-spec ) *( SEMI generic-param )`.
    ///
    /// The URI often carries headers (`?Replaces=…`), so it is normally written in `<>`.
    /// Dereferences to its [`NameAddr`](crate::NameAddr).
    ///
    /// ```
    /// use sip_message::{header::ReferTo, TypedHeader};
    /// let r = ReferTo::parse_str("<sip:carol@cleveland.example.org?Replaces=12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994>").unwrap();
    /// let uri = r.uri.as_sip().unwrap();
    /// assert_eq!(uri.header("replaces"), Some("12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994"));
    /// ```
    ReferTo, ReferTo, "Refer-To", Form::Any
}
