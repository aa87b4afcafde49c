//! Header field names: the registered ones with their canonical spelling and compact forms
//! (RFC 3261 §7.3.3, §20), and extension names kept as written.

use core::{fmt, hash};

use crate::ByteStr;

macro_rules! header_names {
    ($( $(#[$doc:meta])* $variant:ident => $name:literal, $lower:literal, $compact:expr, $list:literal; )+) => {
        /// A header field name.
        ///
        /// Names compare case-insensitively, and a compact form is the same name as its long
        /// form (RFC 3261 §7.3.1, §7.3.3). Unregistered names are kept as written in
        /// [`HeaderName::Other`].
        ///
        /// ```
        /// use sip_message::HeaderName;
        /// assert_eq!(HeaderName::from_bytes(b"v"), HeaderName::Via);
        /// assert_eq!(HeaderName::from_bytes(b"cALL-id"), HeaderName::CallId);
        /// assert_eq!(HeaderName::CallId.as_str(), "Call-ID");
        /// assert_eq!(HeaderName::from_bytes(b"X-Custom"), HeaderName::from_bytes(b"x-custom"));
        /// ```
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub enum HeaderName {
            $( $(#[$doc])* $variant, )+
            /// A name this crate does not know, as written.
            Other(ByteStr),
        }

        impl HeaderName {
            /// The canonical spelling of the long form.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $name, )+
                    Self::Other(s) => s.as_str(),
                }
            }

            /// The canonical long name of a registered header as a `'static` string; `None`
            /// for an extension name.
            #[inline]
            pub fn static_str(&self) -> Option<&'static str> {
                match self {
                    $( Self::$variant => Some($name), )+
                    Self::Other(_) => None,
                }
            }

            /// The compact form (§7.3.3), if the name has one.
            #[inline]
            pub fn compact(&self) -> Option<char> {
                match self {
                    $( Self::$variant => $compact, )+
                    Self::Other(_) => None,
                }
            }

            /// Whether the header's grammar is a comma-separated list of values, so that
            /// several field values may be combined in one field and one field split into
            /// values (§7.3.1). Always `false` for extension headers: their grammar is unknown.
            #[inline]
            pub fn is_list(&self) -> bool {
                match self {
                    $( Self::$variant => $list, )+
                    Self::Other(_) => false,
                }
            }

            /// The registered header called `name` (long or compact form, any case), or
            /// `None` for an extension header. Does not allocate.
            pub fn known(name: &[u8]) -> Option<Self> {
                if name.len() == 1 {
                    return name.first().and_then(|c| Self::from_compact(c.to_ascii_lowercase()));
                }
                let mut lower = [0u8; 24];
                let slot = lower.get_mut(..name.len())?;
                for (d, s) in slot.iter_mut().zip(name) {
                    *d = s.to_ascii_lowercase();
                }
                match &*slot {
                    $( $lower => Some(Self::$variant), )+
                    _ => None,
                }
            }
        }
    };
}

header_names! {
    /// `Accept` (§20.1).
    Accept => "Accept", b"accept", None, true;
    /// `Accept-Contact` (RFC 3841).
    AcceptContact => "Accept-Contact", b"accept-contact", Some('a'), true;
    /// `Accept-Encoding` (§20.2).
    AcceptEncoding => "Accept-Encoding", b"accept-encoding", None, true;
    /// `Accept-Language` (§20.3).
    AcceptLanguage => "Accept-Language", b"accept-language", None, true;
    /// `Alert-Info` (§20.4).
    AlertInfo => "Alert-Info", b"alert-info", None, true;
    /// `Allow` (§20.5).
    Allow => "Allow", b"allow", None, true;
    /// `Allow-Events` (RFC 6665).
    AllowEvents => "Allow-Events", b"allow-events", Some('u'), true;
    /// `Authentication-Info` (§20.6).
    AuthenticationInfo => "Authentication-Info", b"authentication-info", None, false;
    /// `Authorization` (§20.7).
    Authorization => "Authorization", b"authorization", None, false;
    /// `Call-ID` (§20.8).
    CallId => "Call-ID", b"call-id", Some('i'), false;
    /// `Call-Info` (§20.9).
    CallInfo => "Call-Info", b"call-info", None, true;
    /// `Contact` (§20.10).
    Contact => "Contact", b"contact", Some('m'), true;
    /// `Content-Disposition` (§20.11).
    ContentDisposition => "Content-Disposition", b"content-disposition", None, false;
    /// `Content-Encoding` (§20.12).
    ContentEncoding => "Content-Encoding", b"content-encoding", Some('e'), true;
    /// `Content-Language` (§20.13).
    ContentLanguage => "Content-Language", b"content-language", None, true;
    /// `Content-Length` (§20.14).
    ContentLength => "Content-Length", b"content-length", Some('l'), false;
    /// `Content-Type` (§20.15).
    ContentType => "Content-Type", b"content-type", Some('c'), false;
    /// `CSeq` (§20.16).
    CSeq => "CSeq", b"cseq", None, false;
    /// `Date` (§20.17).
    Date => "Date", b"date", None, false;
    /// `Error-Info` (§20.18).
    ErrorInfo => "Error-Info", b"error-info", None, true;
    /// `Event` (RFC 6665).
    Event => "Event", b"event", Some('o'), false;
    /// `Expires` (§20.19).
    Expires => "Expires", b"expires", None, false;
    /// `From` (§20.20).
    From => "From", b"from", Some('f'), false;
    /// `Identity` (RFC 8224).
    Identity => "Identity", b"identity", Some('y'), false;
    /// `Identity-Info` (RFC 4474).
    IdentityInfo => "Identity-Info", b"identity-info", Some('n'), false;
    /// `In-Reply-To` (§20.21).
    InReplyTo => "In-Reply-To", b"in-reply-to", None, true;
    /// `Max-Forwards` (§20.22).
    MaxForwards => "Max-Forwards", b"max-forwards", None, false;
    /// `Min-Expires` (§20.23).
    MinExpires => "Min-Expires", b"min-expires", None, false;
    /// `Min-SE` (RFC 4028).
    MinSe => "Min-SE", b"min-se", None, false;
    /// `MIME-Version` (§20.24).
    MimeVersion => "MIME-Version", b"mime-version", None, false;
    /// `Organization` (§20.25).
    Organization => "Organization", b"organization", None, false;
    /// `P-Asserted-Identity` (RFC 3325).
    PAssertedIdentity => "P-Asserted-Identity", b"p-asserted-identity", None, true;
    /// `P-Preferred-Identity` (RFC 3325).
    PPreferredIdentity => "P-Preferred-Identity", b"p-preferred-identity", None, true;
    /// `Path` (RFC 3327).
    Path => "Path", b"path", None, true;
    /// `Priority` (§20.26).
    Priority => "Priority", b"priority", None, false;
    /// `Privacy` (RFC 3323).
    Privacy => "Privacy", b"privacy", None, false;
    /// `Proxy-Authenticate` (§20.27).
    ProxyAuthenticate => "Proxy-Authenticate", b"proxy-authenticate", None, false;
    /// `Proxy-Authorization` (§20.28).
    ProxyAuthorization => "Proxy-Authorization", b"proxy-authorization", None, false;
    /// `Proxy-Require` (§20.29).
    ProxyRequire => "Proxy-Require", b"proxy-require", None, true;
    /// `RAck` (RFC 3262).
    RAck => "RAck", b"rack", None, false;
    /// `Reason` (RFC 3326).
    Reason => "Reason", b"reason", None, true;
    /// `Record-Route` (§20.30).
    RecordRoute => "Record-Route", b"record-route", None, true;
    /// `Refer-To` (RFC 3515).
    ReferTo => "Refer-To", b"refer-to", Some('r'), false;
    /// `Referred-By` (RFC 3892).
    ReferredBy => "Referred-By", b"referred-by", Some('b'), false;
    /// `Reject-Contact` (RFC 3841).
    RejectContact => "Reject-Contact", b"reject-contact", Some('j'), true;
    /// `Replaces` (RFC 3891).
    Replaces => "Replaces", b"replaces", None, false;
    /// `Reply-To` (§20.31).
    ReplyTo => "Reply-To", b"reply-to", None, false;
    /// `Request-Disposition` (RFC 3841).
    RequestDisposition => "Request-Disposition", b"request-disposition", Some('d'), true;
    /// `Require` (§20.32).
    Require => "Require", b"require", None, true;
    /// `Retry-After` (§20.33).
    RetryAfter => "Retry-After", b"retry-after", None, false;
    /// `Route` (§20.34).
    Route => "Route", b"route", None, true;
    /// `RSeq` (RFC 3262).
    RSeq => "RSeq", b"rseq", None, false;
    /// `Server` (§20.35).
    Server => "Server", b"server", None, false;
    /// `Service-Route` (RFC 3608).
    ServiceRoute => "Service-Route", b"service-route", None, true;
    /// `Session-Expires` (RFC 4028).
    SessionExpires => "Session-Expires", b"session-expires", Some('x'), false;
    /// `SIP-ETag` (RFC 3903).
    SipEtag => "SIP-ETag", b"sip-etag", None, false;
    /// `SIP-If-Match` (RFC 3903).
    SipIfMatch => "SIP-If-Match", b"sip-if-match", None, false;
    /// `Subject` (§20.36).
    Subject => "Subject", b"subject", Some('s'), false;
    /// `Subscription-State` (RFC 6665).
    SubscriptionState => "Subscription-State", b"subscription-state", None, false;
    /// `Supported` (§20.37).
    Supported => "Supported", b"supported", Some('k'), true;
    /// `Timestamp` (§20.38).
    Timestamp => "Timestamp", b"timestamp", None, false;
    /// `To` (§20.39).
    To => "To", b"to", Some('t'), false;
    /// `Unsupported` (§20.40).
    Unsupported => "Unsupported", b"unsupported", None, true;
    /// `User-Agent` (§20.41).
    UserAgent => "User-Agent", b"user-agent", None, false;
    /// `Via` (§20.42).
    Via => "Via", b"via", Some('v'), true;
    /// `Warning` (§20.43).
    Warning => "Warning", b"warning", None, true;
    /// `WWW-Authenticate` (§20.44).
    WwwAuthenticate => "WWW-Authenticate", b"www-authenticate", None, false;
}

impl HeaderName {
    /// The header called `name`: a registered one (long or compact form, any case) or
    /// [`HeaderName::Other`] holding a copy of `name`. Use [`HeaderName::known`] on hot paths.
    pub fn from_bytes(name: &[u8]) -> Self {
        Self::known(name).unwrap_or_else(|| {
            Self::Other(ByteStr::from(String::from_utf8_lossy(name).into_owned()))
        })
    }

    /// Whether the name as written on the wire (`raw`, any case, long or compact form) is
    /// this header.
    pub fn matches(&self, raw: &[u8]) -> bool {
        match self {
            Self::Other(s) => s.as_bytes().eq_ignore_ascii_case(raw),
            known => {
                if let [c] = raw {
                    known
                        .compact()
                        .is_some_and(|k| k as u32 == u32::from(c.to_ascii_lowercase()))
                } else {
                    known.as_str().as_bytes().eq_ignore_ascii_case(raw)
                }
            }
        }
    }

    fn from_compact(c: u8) -> Option<Self> {
        Some(match c {
            b'a' => Self::AcceptContact,
            b'b' => Self::ReferredBy,
            b'c' => Self::ContentType,
            b'd' => Self::RequestDisposition,
            b'e' => Self::ContentEncoding,
            b'f' => Self::From,
            b'i' => Self::CallId,
            b'j' => Self::RejectContact,
            b'k' => Self::Supported,
            b'l' => Self::ContentLength,
            b'm' => Self::Contact,
            b'n' => Self::IdentityInfo,
            b'o' => Self::Event,
            b'r' => Self::ReferTo,
            b's' => Self::Subject,
            b't' => Self::To,
            b'u' => Self::AllowEvents,
            b'v' => Self::Via,
            b'x' => Self::SessionExpires,
            b'y' => Self::Identity,
            _ => return None,
        })
    }
}

impl PartialEq for HeaderName {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Other(a), Self::Other(b)) => a.as_bytes().eq_ignore_ascii_case(b.as_bytes()),
            (Self::Other(_), _) | (_, Self::Other(_)) => false,
            (a, b) => core::mem::discriminant(a) == core::mem::discriminant(b),
        }
    }
}

impl Eq for HeaderName {}

impl hash::Hash for HeaderName {
    fn hash<H: hash::Hasher>(&self, state: &mut H) {
        match self {
            Self::Other(s) => {
                for b in s.as_bytes() {
                    state.write_u8(b.to_ascii_lowercase());
                }
            }
            known => core::mem::discriminant(known).hash(state),
        }
    }
}

impl fmt::Display for HeaderName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_compact_form() {
        let pairs = [
            ('i', "Call-ID"),
            ('m', "Contact"),
            ('e', "Content-Encoding"),
            ('l', "Content-Length"),
            ('c', "Content-Type"),
            ('f', "From"),
            ('s', "Subject"),
            ('k', "Supported"),
            ('t', "To"),
            ('v', "Via"),
            ('o', "Event"),
            ('u', "Allow-Events"),
            ('r', "Refer-To"),
            ('b', "Referred-By"),
            ('x', "Session-Expires"),
            ('y', "Identity"),
            ('a', "Accept-Contact"),
            ('j', "Reject-Contact"),
            ('d', "Request-Disposition"),
            ('n', "Identity-Info"),
        ];
        for (c, long) in pairs {
            let short = HeaderName::from_bytes(c.to_string().as_bytes());
            let upper = HeaderName::from_bytes(c.to_ascii_uppercase().to_string().as_bytes());
            assert_eq!(short.as_str(), long);
            assert_eq!(short, upper);
            assert_eq!(short.compact(), Some(c));
            assert_eq!(
                HeaderName::from_bytes(long.to_uppercase().as_bytes()),
                short
            );
            assert!(short.matches(c.to_string().as_bytes()));
            assert!(short.matches(long.to_lowercase().as_bytes()));
        }
    }

    #[test]
    fn unknown_names() {
        assert_eq!(HeaderName::known(b"X-Foo"), None);
        assert_eq!(HeaderName::known(b"q"), None);
        assert_eq!(HeaderName::known(b""), None);
        assert_eq!(HeaderName::known(&[b'a'; 100]), None);
        let other = HeaderName::from_bytes(b"X-Foo");
        assert!(other.matches(b"x-foo"));
        assert!(!other.is_list());
        assert!(!HeaderName::Via.matches(b"x-foo"));
    }

    #[test]
    fn list_headers() {
        assert!(HeaderName::Via.is_list());
        assert!(HeaderName::Contact.is_list());
        assert!(!HeaderName::WwwAuthenticate.is_list());
        assert!(!HeaderName::Date.is_list());
    }
}
