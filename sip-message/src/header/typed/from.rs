//! The `From` header (RFC 3261 §20.20).

use crate::header::name_addr::{name_addr_header, Form};
use crate::{ByteStr, Param};

name_addr_header! {
    /// `From` (compact form `f`): the from-spec `( name-addr / addr-spec ) *( SEMI from-param )`,
    /// where a from-param is `tag=token` or a generic-param.
    ///
    /// Dereferences to its [`NameAddr`](crate::NameAddr).
    ///
    /// ```
    /// use sip_message::{header::From, TypedHeader};
    /// let h = From::parse_str("\"Bob\" <sip:bob@biloxi.com>;tag=a6c85cf").unwrap();
    /// assert_eq!(h.tag(), Some("a6c85cf"));
    /// assert_eq!(h.uri.to_string(), "sip:bob@biloxi.com");
    /// assert_eq!(h.to_string(), "Bob <sip:bob@biloxi.com>;tag=a6c85cf");
    /// ```
    From, From, "From", Form::Any
}

impl From {
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
    use crate::{Error, TypedHeader, Uri};

    #[test]
    fn from_values() {
        // RFC 3261 §20.20 examples.
        let f = From::parse_str("\"A. G. Bell\" <sip:agb@bell-telephone.com> ;tag=a48s").unwrap();
        assert_eq!(f.display_name.as_deref(), Some("A. G. Bell"));
        assert_eq!(f.tag(), Some("a48s"));
        let f = From::parse_str("sip:+12125551212@server.phone2net.com;tag=887s").unwrap();
        assert_eq!(f.tag(), Some("887s"));
        assert_eq!(
            f.uri.as_sip().unwrap().user.as_deref(),
            Some("+12125551212")
        );
        let f = From::parse_str("Anonymous <sip:c8oqz84zk7z@privacy.org>;tag=hyh8").unwrap();
        assert_eq!(f.display_name.as_deref(), Some("Anonymous"));
        assert_eq!(
            f.to_string(),
            "Anonymous <sip:c8oqz84zk7z@privacy.org>;tag=hyh8"
        );
    }

    #[test]
    fn building() {
        let mut f = From::new("sip:alice@atlanta.com".parse::<Uri>().unwrap());
        assert_eq!(f.tag(), None);
        f.set_tag("1928301774");
        f.set_tag("2");
        f.display_name = Some("Alice".into());
        assert_eq!(f.to_string(), "Alice <sip:alice@atlanta.com>;tag=2");
    }

    #[test]
    fn errors_name_the_header() {
        let e = From::parse_str("<sip:a@b>;tag=\"x").unwrap_err();
        assert!(
            matches!(
                e,
                Error::Header {
                    name: "From",
                    offset: 16,
                    ..
                }
            ),
            "{e}"
        );
        let e = From::parse_str("<sip:a@b>,<sip:c@d>").unwrap_err();
        assert!(
            matches!(
                e,
                Error::Header {
                    name: "From",
                    offset: 9,
                    ..
                }
            ),
            "{e}"
        );
    }
}
