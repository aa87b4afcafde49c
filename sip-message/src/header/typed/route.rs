//! The route-set headers: `Route`, `Record-Route` (RFC 3261 §20.34, §20.30), `Path`
//! (RFC 3327) and `Service-Route` (RFC 3608). All four share one grammar:
//! `name-addr *( SEMI rr-param )`, the URI always in `<>`.

use crate::header::name_addr::{name_addr_header, Form};

name_addr_header! {
    /// One element of `Route` (§20.34): `name-addr *( SEMI rr-param )`.
    ///
    /// Dereferences to its [`NameAddr`](crate::NameAddr).
    ///
    /// ```
    /// use sip_message::{header::Route, TypedHeader};
    /// let r = Route::parse_str("<sip:p1.example.com;lr>").unwrap();
    /// assert!(r.uri.as_sip().unwrap().lr());
    /// assert!(Route::parse_str("sip:p1.example.com;lr").is_err()); // `<>` are mandatory
    /// ```
    Route, Route, "Route", Form::Angle
}

name_addr_header! {
    /// One element of `Record-Route` (§20.30): `name-addr *( SEMI rr-param )`.
    ///
    /// Dereferences to its [`NameAddr`](crate::NameAddr).
    RecordRoute, RecordRoute, "Record-Route", Form::Angle
}

name_addr_header! {
    /// One element of `Path` (RFC 3327 §4): `name-addr *( SEMI rr-param )`.
    ///
    /// Dereferences to its [`NameAddr`](crate::NameAddr).
    Path, Path, "Path", Form::Angle
}

name_addr_header! {
    /// One element of `Service-Route` (RFC 3608 §5): `name-addr *( SEMI rr-param )`.
    ///
    /// Dereferences to its [`NameAddr`](crate::NameAddr).
    ServiceRoute, ServiceRoute, "Service-Route", Form::Angle
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, TypedHeader};

    #[test]
    fn route_family() {
        let r = RecordRoute::parse_str(" <sip:[2001:db8::1]:5070;lr;transport=tcp>;x=1 ").unwrap();
        assert_eq!(r.uri.as_sip().unwrap().port, Some(5070));
        assert_eq!(r.params.get("x"), Some("1"));
        assert_eq!(
            r.to_string(),
            "<sip:[2001:db8::1]:5070;lr;transport=tcp>;x=1"
        );
        let p = Path::parse_str("\"edge\" <sip:edge.example.com;lr;ob>").unwrap();
        assert_eq!(p.display_name.as_deref(), Some("edge"));
        let s = ServiceRoute::parse_str("<sip:orig@scscf.example.com;lr>").unwrap();
        assert_eq!(ServiceRoute::parse(&s.to_bytes()).unwrap(), s);
        assert!(matches!(
            Route::parse_str("sip:x;lr").unwrap_err(),
            Error::Header {
                name: "Route",
                offset: 0,
                ..
            }
        ));
        assert!(matches!(
            Path::parse_str("<sip:x>;").unwrap_err(),
            Error::Header {
                name: "Path",
                offset: 8,
                ..
            }
        ));
        assert!(matches!(
            ServiceRoute::parse_str("<sip:x:99999>").unwrap_err(),
            Error::Uri { offset: 7, .. }
        ));
    }
}
