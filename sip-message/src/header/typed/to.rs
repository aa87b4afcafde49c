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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, TypedHeader};

    #[test]
    fn to_values() {
        // RFC 3261 §20.39 examples.
        let t = To::parse_str("The Operator <sip:operator@cs.columbia.edu>;tag=287447").unwrap();
        assert_eq!(t.display_name.as_deref(), Some("The Operator"));
        assert_eq!(t.tag(), Some("287447"));
        let t = To::parse_str("sip:+12125551212@server.phone2net.com").unwrap();
        assert_eq!(t.tag(), None);
        let mut t = t;
        t.set_tag("abc");
        assert_eq!(
            t.to_string(),
            "<sip:+12125551212@server.phone2net.com>;tag=abc"
        );
        let e = To::parse_str("The Operator").unwrap_err();
        assert!(matches!(e, Error::Uri { .. }), "{e}");
    }
}
