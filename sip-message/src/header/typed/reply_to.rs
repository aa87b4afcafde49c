//! The `Reply-To` header (RFC 3261 §20.31).

use crate::header::name_addr::{name_addr_header, Form};

name_addr_header! {
    /// `Reply-To` (§20.31): `( name-addr / addr-spec ) *( SEMI generic-param )`.
    ///
    /// Dereferences to its [`NameAddr`](crate::NameAddr).
    ///
    /// ```
    /// use sip_message::{header::ReplyTo, TypedHeader};
    /// let r = ReplyTo::parse_str("Bob <sip:bob@biloxi.com>").unwrap();
    /// assert_eq!(r.display_name.as_deref(), Some("Bob"));
    /// ```
    ReplyTo, ReplyTo, "Reply-To", Form::Any
}
