//! `sip` and `sips` URIs (RFC 3261 §19.1, §25.1 `SIP-URI` / `SIPS-URI`).

use core::fmt;

use bytes::Bytes;

use super::escape::{escape, escaped_eq, take_escaped, EscapeSet};
use crate::grammar::{Cursor, DIGIT};
use crate::{ByteStr, Host, Method, Param, Params, Result};

/// A `sip:` or `sips:` URI.
///
/// Every text field holds the component **as written**, `%` escapes included (use
/// [`unescape`](super::unescape) for the plain text). Fields are public for building; a value
/// put in a field must already follow that component's grammar (the `with_*` builders escape
/// for you), or [`Display`](fmt::Display) writes a URI that does not parse back.
///
/// `==` ([`PartialEq`]) is structural equality of the components as written (host names
/// case-insensitively, IP addresses by value); it is what a parse → print → parse round trip
/// preserves. The URI equality of RFC 3261 §19.1.4 is [`SipUri::rfc_eq`].
///
/// ```
/// use sip_message::uri::SipUri;
/// let uri: SipUri = "sips:alice:secret@atlanta.com:5061;transport=tcp;lr?subject=project%20x"
///     .parse()
///     .unwrap();
/// assert!(uri.secure);
/// assert_eq!(uri.user.as_deref(), Some("alice"));
/// assert_eq!(uri.password.as_deref(), Some("secret"));
/// assert_eq!(uri.host.to_string(), "atlanta.com");
/// assert_eq!(uri.port, Some(5061));
/// assert_eq!(uri.transport(), Some("tcp"));
/// assert!(uri.lr());
/// assert_eq!(uri.header("Subject"), Some("project%20x"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SipUri {
    /// `true` for `sips:` (RFC 3261 §19.1), `false` for `sip:`.
    pub secure: bool,
    /// The `user` part of the userinfo, escaped as written.
    pub user: Option<ByteStr>,
    /// The `password` part of the userinfo, escaped as written (`Some("")` for `user:@`).
    /// Only written when `user` is present too.
    pub password: Option<ByteStr>,
    /// The host.
    pub host: Host,
    /// The port, when written.
    pub port: Option<u16>,
    /// The uri-parameters in order, names and values escaped as written.
    pub params: Params,
    /// The headers after `?` in order, escaped as written.
    pub headers: Vec<UriHeader>,
}

/// One `hname=hvalue` header of a SIP URI (§19.1.1), escaped as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UriHeader {
    /// The header name.
    pub name: ByteStr,
    /// The header value (may be empty).
    pub value: ByteStr,
}

impl UriHeader {
    /// A header from plain text (both parts are escaped).
    pub fn new(name: &str, value: &str) -> Self {
        Self {
            name: ByteStr::from(escape(EscapeSet::Header, name).as_ref()),
            value: ByteStr::from(escape(EscapeSet::Header, value).as_ref()),
        }
    }
}

impl SipUri {
    /// A `sip:` URI with only a host.
    pub fn new(host: Host) -> Self {
        Self {
            secure: false,
            user: None,
            password: None,
            host,
            port: None,
            params: Params::new(),
            headers: Vec::new(),
        }
    }

    /// Makes the URI `sips:` (`true`) or `sip:` (`false`).
    #[must_use]
    pub fn with_secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// Sets the user from plain text, escaping what the `user` rule does not allow.
    #[must_use]
    pub fn with_user(mut self, user: &str) -> Self {
        self.user = Some(ByteStr::from(escape(EscapeSet::User, user).as_ref()));
        self
    }

    /// Sets the password from plain text, escaping what the `password` rule does not allow.
    #[must_use]
    pub fn with_password(mut self, password: &str) -> Self {
        self.password = Some(ByteStr::from(
            escape(EscapeSet::Password, password).as_ref(),
        ));
        self
    }

    /// Sets the port.
    #[must_use]
    pub fn with_port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// Sets a uri-parameter from plain text (replacing one of the same name), escaping
    /// both parts; `None` makes a flag such as `lr`.
    #[must_use]
    pub fn with_param(mut self, name: &str, value: Option<&str>) -> Self {
        let name = ByteStr::from(escape(EscapeSet::Param, name).as_ref());
        let value = value.map(|v| ByteStr::from(escape(EscapeSet::Param, v).as_ref()));
        self.params.set(Param { name, value });
        self
    }

    /// Appends a header from plain text.
    #[must_use]
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push(UriHeader::new(name, value));
        self
    }

    /// The scheme: `"sip"` or `"sips"`.
    pub fn scheme(&self) -> &'static str {
        if self.secure {
            "sips"
        } else {
            "sip"
        }
    }

    /// The value of the `transport` parameter, as written.
    pub fn transport(&self) -> Option<&str> {
        self.params.get("transport")
    }

    /// The value of the `user` parameter (`phone`, `ip`, …), as written.
    pub fn user_param(&self) -> Option<&str> {
        self.params.get("user")
    }

    /// The `method` parameter (unescaped), when present and a valid method.
    pub fn method(&self) -> Option<Method> {
        self.params
            .get("method")
            .and_then(|m| super::unescape(m).parse().ok())
    }

    /// The `ttl` parameter, when present and a valid `1*3DIGIT` value of at most 255.
    pub fn ttl(&self) -> Option<u8> {
        let v = self.params.get("ttl")?;
        if v.is_empty() || v.len() > 3 || !v.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        v.parse().ok()
    }

    /// The `maddr` parameter, when present and a valid host.
    pub fn maddr(&self) -> Option<Host> {
        self.params.get("maddr").and_then(|m| m.parse().ok())
    }

    /// Whether the `lr` parameter (loose routing, §19.1.1) is present.
    pub fn lr(&self) -> bool {
        self.params.contains("lr")
    }

    /// The value of the first header called `name` (case-insensitive), escaped as written.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| escaped_eq(&h.name, name, true))
            .map(|h| h.value.as_str())
    }

    /// URI equality per RFC 3261 §19.1.4.
    ///
    /// - `sip` never equals `sips`;
    /// - user and password are compared case-sensitively, host and port exactly (host names
    ///   ignoring case, addresses by value, RFC 5954); an absent component never equals a
    ///   present one, even with its default value;
    /// - parameters in both URIs must match (names and values ignoring case); `transport`,
    ///   `user`, `ttl`, `method` and `maddr` must also be present in both or in neither; other
    ///   parameters found in only one URI are ignored;
    /// - headers must all be present in both, in any order, with equal values. Header
    ///   names are compared ignoring case and values case-sensitively (the per-header
    ///   rules of §20 are not applied: this errs on the side of "different");
    /// - everywhere, `%XX` equals the character it encodes unless that character is in the
    ///   `reserved` set.
    ///
    /// The relation is not transitive (§19.1.4: `sip:c@h;security=on` equals `sip:c@h`, which
    /// equals `sip:c@h;security=off`).
    ///
    /// ```
    /// use sip_message::uri::SipUri;
    /// let a: SipUri = "sip:%61lice@atlanta.com;transport=TCP".parse().unwrap();
    /// let b: SipUri = "sip:alice@AtLanTa.CoM;Transport=tcp".parse().unwrap();
    /// assert!(a.rfc_eq(&b));
    /// assert_ne!(a, b); // not the same as written
    /// ```
    pub fn rfc_eq(&self, other: &Self) -> bool {
        self.secure == other.secure
            && opt_eq(&self.user, &other.user)
            && opt_eq(&self.password, &other.password)
            && self.host == other.host
            && self.port == other.port
            && params_eq(&self.params, &other.params)
            && headers_eq(&self.headers, &other.headers)
            && headers_eq(&other.headers, &self.headers)
    }

    /// Parses the part after `sip:` / `sips:` at the cursor. With `addr_spec`, stops after
    /// the host and port: in an `addr-spec` outside `<>`, parameters belong to the header
    /// (§20.10).
    #[inline]
    pub(crate) fn parse_after_scheme(
        cur: &mut Cursor<'_>,
        secure: bool,
        addr_spec: bool,
    ) -> Result<Self> {
        let (user, password) = parse_userinfo(cur)?;
        let host = Host::parse_at(cur)?;
        let port = if cur.eat(b':') {
            Some(parse_port(cur)?)
        } else {
            None
        };
        let mut params = Params::new();
        let mut headers = Vec::new();
        if !addr_spec {
            parse_params_and_headers(cur, &mut params, &mut headers)?;
        }
        Ok(Self {
            secure,
            user,
            password,
            host,
            port,
            params,
            headers,
        })
    }

    /// Parses a whole `sip:` / `sips:` URI.
    ///
    /// # Errors
    /// [`Error::Uri`](crate::Error::Uri) when the text is not a SIP or SIPS URI.
    pub fn parse(text: &Bytes) -> Result<Self> {
        match super::Uri::parse(text)? {
            super::Uri::Sip(uri) => Ok(uri),
            _ => Err(crate::Error::Uri {
                offset: 0,
                expected: "`sip:` or `sips:` scheme",
            }),
        }
    }
}

/// `uri-parameters [ headers ]` (§25.1).
#[inline]
fn parse_params_and_headers(
    cur: &mut Cursor<'_>,
    params: &mut Params,
    headers: &mut Vec<UriHeader>,
) -> Result<()> {
    let param_mask = EscapeSet::Param.mask();
    while cur.eat(b';') {
        let (s, e) = take_escaped(cur, param_mask, false, "uri-parameter name")?;
        let name = cur.text(s, e)?;
        let value = if cur.eat(b'=') {
            let (s, e) = take_escaped(cur, param_mask, false, "uri-parameter value")?;
            Some(cur.text(s, e)?)
        } else {
            None
        };
        params.push(Param { name, value });
    }
    if cur.eat(b'?') {
        let header_mask = EscapeSet::Header.mask();
        loop {
            let (s, e) = take_escaped(cur, header_mask, false, "URI header name")?;
            let name = cur.text(s, e)?;
            cur.expect(b'=', "`=` after the URI header name")?;
            let (s, e) = take_escaped(cur, header_mask, true, "URI header value")?;
            let value = cur.text(s, e)?;
            headers.push(UriHeader { name, value });
            if !cur.eat(b'&') {
                break;
            }
        }
    }
    Ok(())
}

/// `userinfo = ( user / telephone-subscriber ) [ ":" password ] "@"`. Present exactly when an
/// `@` follows a run of userinfo characters: `@` can appear nowhere else in a SIP URI.
#[inline]
fn parse_userinfo(cur: &mut Cursor<'_>) -> Result<(Option<ByteStr>, Option<ByteStr>)> {
    let user_mask = EscapeSet::User.mask();
    let password_mask = EscapeSet::Password.mask();
    let has_userinfo =
        cur.rest().iter().find(|&&b| {
            !(crate::grammar::is(b, user_mask | password_mask) || b == b'%' || b == b':')
        }) == Some(&b'@');
    if !has_userinfo {
        return Ok((None, None));
    }
    let (s, e) = take_escaped(cur, user_mask, false, "user")?;
    let user = cur.text(s, e)?;
    let password = if cur.eat(b':') {
        let (s, e) = take_escaped(cur, password_mask, true, "password")?;
        Some(cur.text(s, e)?)
    } else {
        None
    };
    cur.expect(b'@', "`@` after the userinfo")?;
    Ok((Some(user), password))
}

/// `port = 1*DIGIT`, at most 65535.
#[inline]
fn parse_port(cur: &mut Cursor<'_>) -> Result<u16> {
    let at = cur.offset();
    let (s, e) = cur.take_class(DIGIT);
    if s == e {
        return Err(cur.error("port number"));
    }
    let mut port: u32 = 0;
    for &b in cur.bytes(s, e) {
        port = port * 10 + u32::from(b - b'0');
        if port > u32::from(u16::MAX) {
            return Err(crate::Error::Syntax {
                offset: at,
                expected: "port number up to 65535",
            });
        }
    }
    u16::try_from(port).map_err(|_| crate::Error::Syntax {
        offset: at,
        expected: "port number up to 65535",
    })
}

fn opt_eq(a: &Option<ByteStr>, b: &Option<ByteStr>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => escaped_eq(a, b, false),
        _ => false,
    }
}

/// Parameters that must be in both URIs or in neither (§19.1.4).
const SIGNIFICANT: [&str; 5] = ["transport", "user", "ttl", "method", "maddr"];

/// Whether every parameter of `a` is matched in `b`: a parameter of the same name must have
/// an equal value (with repeated names, one of them must), and a significant parameter must
/// be present. Applied in both directions.
fn params_covered(a: &Params, b: &Params) -> bool {
    a.iter().all(|p| {
        let mut same_name = b
            .iter()
            .filter(|q| escaped_eq(&p.name, &q.name, true))
            .peekable();
        if same_name.peek().is_none() {
            return !SIGNIFICANT.iter().any(|s| escaped_eq(&p.name, s, true));
        }
        same_name.any(|q| match (&p.value, &q.value) {
            (None, None) => true,
            (Some(x), Some(y)) => escaped_eq(x, y, true),
            _ => false,
        })
    })
}

fn params_eq(a: &Params, b: &Params) -> bool {
    params_covered(a, b) && params_covered(b, a)
}

/// Whether every header of `a` has an equal one in `b`.
fn headers_eq(a: &[UriHeader], b: &[UriHeader]) -> bool {
    a.iter().all(|h| {
        b.iter()
            .any(|g| escaped_eq(&h.name, &g.name, true) && escaped_eq(&h.value, &g.value, false))
    })
}

impl fmt::Display for SipUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.scheme())?;
        f.write_str(":")?;
        if let Some(user) = &self.user {
            f.write_str(user)?;
            if let Some(password) = &self.password {
                write!(f, ":{password}")?;
            }
            f.write_str("@")?;
        }
        write!(f, "{}", self.host)?;
        if let Some(port) = self.port {
            write!(f, ":{port}")?;
        }
        write!(f, "{}", self.params)?;
        let mut sep = '?';
        for h in &self.headers {
            write!(f, "{sep}{}={}", h.name, h.value)?;
            sep = '&';
        }
        Ok(())
    }
}

impl core::str::FromStr for SipUri {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(&Bytes::copy_from_slice(s.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    fn sip(s: &str) -> SipUri {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn rfc3261_examples_parse() {
        // §19.1.3 examples.
        for text in [
            "sip:alice@atlanta.com",
            "sip:alice:secretword@atlanta.com;transport=tcp",
            "sips:alice@atlanta.com?subject=project%20x&priority=urgent",
            "sip:+1-212-555-1212:1234@gateway.com;user=phone",
            "sips:1212@gateway.com",
            "sip:alice@192.0.2.4",
            "sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com",
            "sip:alice;day=tuesday@atlanta.com",
        ] {
            assert_eq!(sip(text).to_string(), text);
        }
        let u = sip("sip:+1-212-555-1212:1234@gateway.com;user=phone");
        assert_eq!(u.user.as_deref(), Some("+1-212-555-1212"));
        assert_eq!(u.password.as_deref(), Some("1234"));
        assert_eq!(u.user_param(), Some("phone"));
        let u = sip("sip:alice;day=tuesday@atlanta.com");
        assert_eq!(u.user.as_deref(), Some("alice;day=tuesday"));
        assert!(u.params.is_empty());
        let u = sip("sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com");
        assert_eq!(u.method(), Some(Method::Register));
        assert_eq!(u.header("to"), Some("alice%40atlanta.com"));
    }

    #[test]
    fn components() {
        let u = sip("SIPS:user:@[2001:db8::10]:0;ttl=15;maddr=239.255.255.1;lr;x?a=&b=c");
        assert!(u.secure);
        assert_eq!(u.password.as_deref(), Some(""));
        assert_eq!(u.host.to_string(), "[2001:db8::10]");
        assert_eq!(u.port, Some(0));
        assert_eq!(u.ttl(), Some(15));
        assert_eq!(u.maddr(), Some("239.255.255.1".parse().unwrap()));
        assert!(u.lr());
        assert!(u.params.contains("x"));
        assert_eq!(u.header("a"), Some(""));
        assert_eq!(
            u.to_string(),
            "sips:user:@[2001:db8::10]:0;ttl=15;maddr=239.255.255.1;lr;x?a=&b=c"
        );
        assert_eq!(sip("sip:h;ttl=256").ttl(), None);
        assert_eq!(sip("sip:h;method=%40").method(), None);
        assert_eq!(sip("sip:h;method=%49NVITE").method(), Some(Method::Invite));
    }

    #[test]
    fn builders_escape() {
        let u = SipUri::new("example.com".parse().unwrap())
            .with_secure(true)
            .with_user("a b@c")
            .with_password("p:w")
            .with_port(5061)
            .with_param("transport", Some("tls"))
            .with_param("odd;name", None)
            .with_header("Subject", "hi there");
        let text = u.to_string();
        assert_eq!(
            text,
            "sips:a%20b%40c:p%3Aw@example.com:5061;transport=tls;odd%3Bname?Subject=hi%20there"
        );
        assert_eq!(sip(&text), u);
        assert_eq!(super::super::unescape(u.user.as_deref().unwrap()), "a b@c");
    }

    #[test]
    fn errors_point_at_the_fault() {
        for (bad, offset) in [
            ("sip:", 4),
            ("sip:@host", 4),
            ("sip:user@", 9),
            ("sip:host:", 9),
            ("sip:host:65536", 9),
            ("sip:host:5060x", 13),
            ("sip:host;", 9),
            ("sip:host;a=", 11),
            ("sip:host;a=%4", 11),
            ("sip:host?", 9),
            ("sip:host?a", 10),
            ("sip:host?a=b&", 13),
            ("sip:us%zzer@host", 6),
            ("sip:host name", 8),
            ("sip:[::1", 8),
            ("sip:-host", 4),
            ("sip:host>", 8),
        ] {
            match bad.parse::<SipUri>() {
                Err(Error::Uri { offset: o, .. }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
        assert!("tel:+1".parse::<SipUri>().is_err());
    }

    fn eq(a: &str, b: &str) -> bool {
        let (a, b) = (sip(a), sip(b));
        let ab = a.rfc_eq(&b);
        assert_eq!(ab, b.rfc_eq(&a), "rfc_eq must be symmetric: {a} {b}");
        ab
    }

    #[test]
    fn rfc3261_19_1_4_equal() {
        for (a, b) in [
            (
                "sip:%61lice@atlanta.com;transport=TCP",
                "sip:alice@AtLanTa.CoM;Transport=tcp",
            ),
            ("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"),
            ("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"),
            (
                "sip:carol@chicago.com;newparam=5",
                "sip:carol@chicago.com;security=on",
            ),
            (
                "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com",
            ),
            (
                "sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                "sip:alice@atlanta.com?priority=urgent&subject=project%20x",
            ),
            (
                "sip:carol@chicago.com",
                "sip:carol@chicago.com;security=off",
            ),
            ("sip:[2001:db8::1]", "sip:[2001:DB8:0:0:0:0:0:1]"),
            ("sip:[::ffff:192.0.2.1]", "sip:[::FFFF:C000:0201]"),
            // RFC 5954 §4: IPv6 references compare by value, whatever the notation.
            ("sip:[2001:db8::9:1]", "sip:[2001:db8::9:01]"),
            ("sip:[2001:db8::9:1]", "sip:[2001:db8:0:0:0:0:9:1]"),
            ("sip:[2001:db8::192.0.2.1]", "sip:[2001:db8::c000:201]"),
            ("sip:a@h;lr", "sip:a@h;LR"),
            ("sip:a@h;maddr=x.com", "sip:a@h;maddr=X.COM"),
        ] {
            assert!(eq(a, b), "{a} == {b}");
        }
    }

    #[test]
    fn rfc3261_19_1_4_not_equal() {
        for (a, b) in [
            (
                "SIP:ALICE@AtLanTa.CoM;Transport=udp",
                "sip:alice@AtLanTa.CoM;Transport=UDP",
            ),
            ("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"),
            ("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"),
            (
                "sip:bob@biloxi.com",
                "sip:bob@biloxi.com:6000;transport=tcp",
            ),
            (
                "sip:carol@chicago.com",
                "sip:carol@chicago.com?Subject=next%20meeting",
            ),
            ("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"),
            (
                "sip:carol@chicago.com;security=on",
                "sip:carol@chicago.com;security=off",
            ),
            ("sip:alice@atlanta.com", "sips:alice@atlanta.com"),
            ("sip:alice@atlanta.com", "sip:atlanta.com"),
            ("sip:alice:pw@atlanta.com", "sip:alice@atlanta.com"),
            ("sip:alice:pw@atlanta.com", "sip:alice:PW@atlanta.com"),
            ("sip:h", "sip:h;user=ip"),
            ("sip:h", "sip:h;ttl=1"),
            ("sip:h", "sip:h;method=INVITE"),
            ("sip:h", "sip:h;maddr=h"),
            ("sip:h;lr", "sip:h;lr=on"),
            // `;` is reserved: its escaped form is a different character.
            ("sip:a%3Bb@h", "sip:a;b@h"),
            ("sip:h?a=b", "sip:h?a=B"),
            ("sip:h?a=b&c=d", "sip:h?a=b"),
        ] {
            assert!(!eq(a, b), "{a} != {b}");
        }
    }
}
