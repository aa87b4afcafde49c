//! The `To` header (RFC 3261 §20.39).

use crate::header::name_addr::{name_addr_header, Form};
use crate::{ByteStr, Param};

name_addr_header! {
    /// `To` (compact form `t`): the to-spec `( name-addr / addr-spec ) *( SEMI to-param )`,
    /// where a to-param is `tag=token` or a generic-param.
    ///
    /// Dereferences to its [`NameAddr`](crate::NameAddr).
    ///
    /// ```
    /// use sip_message::{header::To, TypedHeader};
    /// let h = To::parse_str("\"Bob\" <sip:bob@biloxi.com>;tag=a6c85cf").unwrap();
    /// assert_eq!(h.tag(), Some("a6c85cf"));
    /// assert_eq!(h.uri.to_string(), "sip:bob@biloxi.com");
    /// assert_eq!(h.to_string(), "Bob <sip:bob@biloxi.com>;tag=a6c85cf");
    /// ```
    To, To, "To", Form::Any
}

impl To {
    /// The `tag` parameter (§19.3).
    pub fn tag(&self) -> Option<&str> {
        self.0.params.get("tag")
    }

    /// Sets the `tag` parameter, replacing any previous one.
    pub fn set_tag(&mut self, tag: impl Into<ByteStr>) {
        self.0.params.set(Param::new("tag", tag));
    }
}
