//! HTTP authentication as SIP uses it (RFC 3261 §20.7, §20.27, §20.28, §20.44, §22, §25.1;
//! RFC 7616 Digest; RFC 8760 SHA-2 algorithms): challenges, credentials and the parts they
//! share with Authentication-Info.

use core::fmt;

use bytes::Bytes;

use crate::grammar::Cursor;
use crate::header::typed::support::{
    expect_lws, is_token, once, parse_value, quoted_value, token_or_quoted, unfolded_text,
    NoBreaks, Quoted,
};
use crate::{ByteStr, Error, Param, Params, Result};

/// A Digest `algorithm` (RFC 7616 §3.3, RFC 8760 §2): compared ignoring case, written in
/// the registered spelling.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// `MD5` (RFC 3261, RFC 7616).
    Md5,
    /// `MD5-sess`.
    Md5Sess,
    /// `SHA-256` (RFC 7616, RFC 8760).
    Sha256,
    /// `SHA-256-sess`.
    Sha256Sess,
    /// `SHA-512-256` (RFC 7616, RFC 8760).
    Sha512_256,
    /// `SHA-512-256-sess`.
    Sha512_256Sess,
    /// Any other algorithm `token`, as written.
    Other(ByteStr),
}

impl Algorithm {
    /// The algorithm as written on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Md5 => "MD5",
            Self::Md5Sess => "MD5-sess",
            Self::Sha256 => "SHA-256",
            Self::Sha256Sess => "SHA-256-sess",
            Self::Sha512_256 => "SHA-512-256",
            Self::Sha512_256Sess => "SHA-512-256-sess",
            Self::Other(s) => s,
        }
    }

    /// The algorithm called `s` (any case); an unknown name becomes [`Algorithm::Other`].
    pub fn from_name(s: ByteStr) -> Self {
        const KNOWN: [(&str, Algorithm); 6] = [
            ("MD5", Algorithm::Md5),
            ("MD5-sess", Algorithm::Md5Sess),
            ("SHA-256", Algorithm::Sha256),
            ("SHA-256-sess", Algorithm::Sha256Sess),
            ("SHA-512-256", Algorithm::Sha512_256),
            ("SHA-512-256-sess", Algorithm::Sha512_256Sess),
        ];
        KNOWN
            .into_iter()
            .find(|(name, _)| s.eq_ignore_ascii_case(name))
            .map_or(Self::Other(s), |(_, a)| a)
    }

    /// Whether this is a `-sess` variant (the session key includes the nonces).
    pub fn is_session(&self) -> bool {
        matches!(
            self,
            Self::Md5Sess | Self::Sha256Sess | Self::Sha512_256Sess
        )
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A quality-of-protection value (`qop-value`, §25.1): `auth`, `auth-int` or a token.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Qop {
    /// `auth`: authentication only.
    Auth,
    /// `auth-int`: authentication with integrity protection of the body.
    AuthInt,
    /// Any other `token`, as written.
    Other(ByteStr),
}

impl Qop {
    /// The value as written on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Auth => "auth",
            Self::AuthInt => "auth-int",
            Self::Other(s) => s,
        }
    }

    /// The qop called `s` (any case); an unknown name becomes [`Qop::Other`].
    pub fn from_name(s: ByteStr) -> Self {
        if s.eq_ignore_ascii_case("auth") {
            Self::Auth
        } else if s.eq_ignore_ascii_case("auth-int") {
            Self::AuthInt
        } else {
            Self::Other(s)
        }
    }
}

impl fmt::Display for Qop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The parameters of a `Digest` challenge (`digest-cln`, §25.1; RFC 7616 §3.3).
///
/// Quoted values are stored without quotes and escapes; `Display` quotes them again.
/// Parameters this type does not name are kept in `params`, values as written.
/// The grammar needs at least one parameter: an all-empty value does not serialize to a
/// valid header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DigestChallenge {
    /// `realm`.
    pub realm: Option<ByteStr>,
    /// `domain`: space-separated URIs of the protection space; see
    /// [`DigestChallenge::domain_uris`].
    pub domain: Option<ByteStr>,
    /// `nonce`.
    pub nonce: Option<ByteStr>,
    /// `opaque`.
    pub opaque: Option<ByteStr>,
    /// `stale` (`true` / `false`).
    pub stale: Option<bool>,
    /// `algorithm`.
    pub algorithm: Option<Algorithm>,
    /// `qop` options offered (empty when absent).
    pub qop: Vec<Qop>,
    /// `userhash` (RFC 7616 §3.3).
    pub userhash: Option<bool>,
    /// Other auth-params (`charset` among them), values as written.
    pub params: Params,
}

impl DigestChallenge {
    /// A challenge for `realm` with `nonce`.
    pub fn new(realm: impl Into<ByteStr>, nonce: impl Into<ByteStr>) -> Self {
        Self {
            realm: Some(realm.into()),
            nonce: Some(nonce.into()),
            ..Self::default()
        }
    }

    /// The URIs of the `domain` parameter.
    pub fn domain_uris(&self) -> impl Iterator<Item = &str> {
        self.domain
            .as_deref()
            .unwrap_or_default()
            .split_ascii_whitespace()
    }

    /// Whether `qop` offers `q`.
    pub fn offers(&self, q: &Qop) -> bool {
        self.qop.contains(q)
    }

    fn set_param(&mut self, name: &str, cur: &mut Cursor<'_>, at: usize) -> Result<bool> {
        let dup = "parameter not given twice";
        if name.eq_ignore_ascii_case("realm") {
            once(&self.realm, at, dup)?;
            self.realm = Some(token_or_quoted(cur, "realm value")?);
        } else if name.eq_ignore_ascii_case("domain") {
            once(&self.domain, at, dup)?;
            self.domain = Some(token_or_quoted(cur, "domain value")?);
        } else if name.eq_ignore_ascii_case("nonce") {
            once(&self.nonce, at, dup)?;
            self.nonce = Some(token_or_quoted(cur, "nonce value")?);
        } else if name.eq_ignore_ascii_case("opaque") {
            once(&self.opaque, at, dup)?;
            self.opaque = Some(token_or_quoted(cur, "opaque value")?);
        } else if name.eq_ignore_ascii_case("stale") {
            once(&self.stale, at, dup)?;
            self.stale = Some(boolean(cur, "stale=true or stale=false")?);
        } else if name.eq_ignore_ascii_case("algorithm") {
            once(&self.algorithm, at, dup)?;
            self.algorithm = Some(algorithm(cur)?);
        } else if name.eq_ignore_ascii_case("qop") {
            if !self.qop.is_empty() {
                return Err(Error::Syntax {
                    offset: at,
                    expected: dup,
                });
            }
            self.qop = qop_options(cur)?;
        } else if name.eq_ignore_ascii_case("userhash") {
            once(&self.userhash, at, dup)?;
            self.userhash = Some(boolean(cur, "userhash=true or userhash=false")?);
        } else {
            return Ok(false);
        }
        Ok(true)
    }
}

impl fmt::Display for DigestChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = ListWriter::new(f);
        w.quoted("realm", self.realm.as_deref())?;
        w.quoted("domain", self.domain.as_deref())?;
        w.quoted("nonce", self.nonce.as_deref())?;
        w.quoted("opaque", self.opaque.as_deref())?;
        w.token("stale", self.stale.map(bool_str))?;
        w.token("algorithm", self.algorithm.as_ref().map(Algorithm::as_str))?;
        if !self.qop.is_empty() {
            w.sep()?;
            w.f.write_str("qop=\"")?;
            for (i, q) in self.qop.iter().enumerate() {
                if i > 0 {
                    w.f.write_str(",")?;
                }
                w.f.write_str(q.as_str())?;
            }
            w.f.write_str("\"")?;
        }
        w.token("userhash", self.userhash.map(bool_str))?;
        w.params(&self.params)
    }
}

/// A challenge (`challenge`, §25.1) or credentials (`credentials`, §25.1): Digest with its
/// parameters, or another scheme kept generically. Used as [`Challenge`] and
/// [`Credentials`].
// Digest is the common case: boxing it would add an allocation to every parse.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AuthScheme<D> {
    /// `Digest` (RFC 3261 §22.4, RFC 7616): [`DigestChallenge`] or [`DigestCredentials`].
    Digest(D),
    /// Another scheme (`other-challenge` / `other-response`), kept generically.
    Other(OtherScheme),
}

/// A challenge (`challenge`, §25.1) of WWW-Authenticate and Proxy-Authenticate.
pub type Challenge = AuthScheme<DigestChallenge>;

/// Credentials (`credentials`, §25.1) of Authorization and Proxy-Authorization.
pub type Credentials = AuthScheme<DigestCredentials>;

/// The Digest parameter sets a [`AuthScheme`] can hold, as the parser fills them.
pub(crate) trait DigestParams: Default {
    /// Takes the known parameter `name` (true) or leaves it to `params` (false).
    fn set(&mut self, name: &str, cur: &mut Cursor<'_>, at: usize) -> Result<bool>;
    /// The other auth-params.
    fn params_mut(&mut self) -> &mut Params;
}

impl DigestParams for DigestChallenge {
    fn set(&mut self, name: &str, cur: &mut Cursor<'_>, at: usize) -> Result<bool> {
        self.set_param(name, cur, at)
    }
    fn params_mut(&mut self) -> &mut Params {
        &mut self.params
    }
}

impl DigestParams for DigestCredentials {
    fn set(&mut self, name: &str, cur: &mut Cursor<'_>, at: usize) -> Result<bool> {
        self.set_param(name, cur, at)
    }
    fn params_mut(&mut self) -> &mut Params {
        &mut self.params
    }
}

impl<D> AuthScheme<D> {
    /// The Digest parameters, when the scheme is Digest.
    pub fn digest(&self) -> Option<&D> {
        match self {
            Self::Digest(d) => Some(d),
            Self::Other(_) => None,
        }
    }

    /// The scheme name (`Digest` for Digest).
    pub fn scheme(&self) -> &str {
        match self {
            Self::Digest(_) => "Digest",
            Self::Other(o) => &o.scheme,
        }
    }
}

/// Parses a whole header value holding one challenge or credentials; errors name `header`.
pub(crate) fn parse_auth<D: DigestParams>(
    value: &Bytes,
    header: &'static str,
) -> Result<AuthScheme<D>> {
    parse_value(value, header, |cur| {
        let scheme = cur.token("authentication scheme")?;
        if !scheme.eq_ignore_ascii_case("Digest") {
            return OtherScheme::parse_rest(scheme, cur).map(AuthScheme::Other);
        }
        expect_lws(cur, "whitespace after the authentication scheme")?;
        let mut d = D::default();
        let params = auth_params(cur, |name, cur, at| d.set(name, cur, at))?;
        *d.params_mut() = params;
        Ok(AuthScheme::Digest(d))
    })
}

impl From<DigestChallenge> for Challenge {
    fn from(d: DigestChallenge) -> Self {
        Self::Digest(d)
    }
}

impl From<DigestCredentials> for Credentials {
    fn from(d: DigestCredentials) -> Self {
        Self::Digest(d)
    }
}

impl<D: fmt::Display> fmt::Display for AuthScheme<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Digest(d) => write!(f, "Digest {d}"),
            Self::Other(o) => o.fmt(f),
        }
    }
}

/// The parameters of `Digest` credentials (`digest-response`, §25.1; RFC 7616 §3.4).
///
/// Quoted values are stored without quotes and escapes; `Display` quotes them again.
/// Parameters this type does not name (`username*`, ...) are kept in `params`, values as
/// written.
/// The grammar needs at least one parameter: an all-empty value does not serialize to a
/// valid header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DigestCredentials {
    /// `username` (or its hash when `userhash=true`).
    pub username: Option<ByteStr>,
    /// `realm`.
    pub realm: Option<ByteStr>,
    /// `nonce`.
    pub nonce: Option<ByteStr>,
    /// `uri` (`digest-uri`), kept as text: it must equal the Request-URI as sent.
    pub uri: Option<ByteStr>,
    /// `response`: the request digest in hexadecimal.
    pub response: Option<ByteStr>,
    /// `algorithm`.
    pub algorithm: Option<Algorithm>,
    /// `cnonce`.
    pub cnonce: Option<ByteStr>,
    /// `opaque`.
    pub opaque: Option<ByteStr>,
    /// `qop` chosen (`message-qop`).
    pub qop: Option<Qop>,
    /// `nc`: the nonce count (8 hex digits on the wire).
    pub nc: Option<u32>,
    /// `userhash` (RFC 7616 §3.4).
    pub userhash: Option<bool>,
    /// Other auth-params, values as written.
    pub params: Params,
}

impl DigestCredentials {
    fn set_param(&mut self, name: &str, cur: &mut Cursor<'_>, at: usize) -> Result<bool> {
        let dup = "parameter not given twice";
        let text_fields: [(&str, &mut Option<ByteStr>); 6] = [
            ("username", &mut self.username),
            ("realm", &mut self.realm),
            ("nonce", &mut self.nonce),
            ("uri", &mut self.uri),
            ("cnonce", &mut self.cnonce),
            ("opaque", &mut self.opaque),
        ];
        for (field, slot) in text_fields {
            if name.eq_ignore_ascii_case(field) {
                once(slot, at, dup)?;
                *slot = Some(token_or_quoted(cur, "parameter value")?);
                return Ok(true);
            }
        }
        if name.eq_ignore_ascii_case("response") {
            once(&self.response, at, dup)?;
            self.response = Some(hex_digest(cur, "response=\"hex digest\"")?);
        } else if name.eq_ignore_ascii_case("algorithm") {
            once(&self.algorithm, at, dup)?;
            self.algorithm = Some(algorithm(cur)?);
        } else if name.eq_ignore_ascii_case("qop") {
            once(&self.qop, at, dup)?;
            self.qop = Some(qop(cur)?);
        } else if name.eq_ignore_ascii_case("nc") {
            once(&self.nc, at, dup)?;
            self.nc = Some(nonce_count(cur)?);
        } else if name.eq_ignore_ascii_case("userhash") {
            once(&self.userhash, at, dup)?;
            self.userhash = Some(boolean(cur, "userhash=true or userhash=false")?);
        } else {
            return Ok(false);
        }
        Ok(true)
    }
}

impl fmt::Display for DigestCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = ListWriter::new(f);
        w.quoted("username", self.username.as_deref())?;
        w.quoted("realm", self.realm.as_deref())?;
        w.quoted("nonce", self.nonce.as_deref())?;
        w.quoted("uri", self.uri.as_deref())?;
        w.quoted("response", self.response.as_deref())?;
        w.token("algorithm", self.algorithm.as_ref().map(Algorithm::as_str))?;
        w.quoted("cnonce", self.cnonce.as_deref())?;
        w.quoted("opaque", self.opaque.as_deref())?;
        w.token("qop", self.qop.as_ref().map(Qop::as_str))?;
        if let Some(nc) = self.nc {
            w.sep()?;
            write!(w.f, "nc={nc:08x}")?;
        }
        w.token("userhash", self.userhash.map(bool_str))?;
        w.params(&self.params)
    }
}

/// A scheme other than Digest, kept generically: RFC 3261 `other-challenge` /
/// `other-response` (auth-params), plus the `token68` form and the bare scheme of RFC 7235
/// §2.1 (e.g. `Bearer` tokens).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OtherScheme {
    /// The scheme, as written.
    pub scheme: ByteStr,
    /// A `token68` (base64-like blob) given instead of auth-params; when set, `params` is
    /// not written.
    pub token68: Option<ByteStr>,
    /// The auth-params in order, values as written.
    pub params: Params,
}

impl OtherScheme {
    /// A scheme with auth-params.
    pub fn new(scheme: impl Into<ByteStr>, params: Params) -> Self {
        Self {
            scheme: scheme.into(),
            token68: None,
            params,
        }
    }

    /// What follows a non-Digest scheme: nothing, `1*SP token68`, or `1*SP auth-params`.
    fn parse_rest(scheme: ByteStr, cur: &mut Cursor<'_>) -> Result<Self> {
        let mut out = Self::new(scheme, Params::new());
        let save = cur.pos();
        cur.skip_sws();
        if cur.is_at_end() {
            return Ok(out);
        }
        cur.set_pos(save);
        expect_lws(cur, "whitespace after the authentication scheme")?;
        // token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
        let start = cur.pos();
        let (s, chars_end) =
            cur.take_while(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b));
        let (_, e) = cur.take_while(|b| b == b'=');
        cur.skip_sws();
        if chars_end > s && cur.is_at_end() {
            out.token68 = Some(cur.text(s, e)?);
            return Ok(out);
        }
        cur.set_pos(start);
        out.params = auth_params(cur, |_, _, _| Ok(false))?;
        Ok(out)
    }
}

impl fmt::Display for OtherScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.scheme)?;
        if let Some(t) = &self.token68 {
            return write!(f, " {t}");
        }
        if !self.params.is_empty() {
            f.write_str(" ")?;
            ListWriter::new(f).params(&self.params)?;
        }
        Ok(())
    }
}

/// Parses `auth-param *(COMMA auth-param)` with `auth-param = token EQUAL (token /
/// quoted-string)`. `known(name, cur, at)` parses the value of a parameter it knows and
/// returns `true`; the others are kept as written. `at` is the offset of the name.
pub(crate) fn auth_params(
    cur: &mut Cursor<'_>,
    mut known: impl FnMut(&str, &mut Cursor<'_>, usize) -> Result<bool>,
) -> Result<Params> {
    let mut params = Params::new();
    loop {
        let at = cur.offset();
        let name = cur.token("auth-param name")?;
        if !cur.eat_sep(b'=') {
            return Err(cur.error("`=` after the auth-param name"));
        }
        if !known(&name, cur, at)? {
            let value = if cur.peek() == Some(b'"') {
                let (s, e) = cur.quoted_string()?;
                unfolded_text(cur, s, e)?
            } else {
                cur.token("auth-param value (token or quoted string)")?
            };
            params.push(Param {
                name,
                value: Some(value),
            });
        }
        if !cur.eat_sep(b',') {
            return Ok(params);
        }
    }
}

/// `true` / `false` (any case, quoted or not).
fn boolean(cur: &mut Cursor<'_>, expected: &'static str) -> Result<bool> {
    let at = cur.offset();
    let v = token_or_quoted(cur, expected)?;
    if v.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if v.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(Error::Syntax {
            offset: at,
            expected,
        })
    }
}

/// An algorithm name (a token, quoted or not).
fn algorithm(cur: &mut Cursor<'_>) -> Result<Algorithm> {
    let at = cur.offset();
    let v = token_or_quoted(cur, "algorithm name")?;
    if !is_token(&v) {
        return Err(Error::Syntax {
            offset: at,
            expected: "algorithm name (token)",
        });
    }
    Ok(Algorithm::from_name(v))
}

/// `message-qop`: one qop value (a token, quoted or not).
pub(crate) fn qop(cur: &mut Cursor<'_>) -> Result<Qop> {
    let at = cur.offset();
    let v = token_or_quoted(cur, "qop value")?;
    if !is_token(&v) {
        return Err(Error::Syntax {
            offset: at,
            expected: "qop value (token)",
        });
    }
    Ok(Qop::from_name(v))
}

/// `qop-options`: a quoted, comma-separated list of qop values (whitespace around the
/// commas tolerated).
fn qop_options(cur: &mut Cursor<'_>) -> Result<Vec<Qop>> {
    let at = cur.offset();
    let text = token_or_quoted(cur, "qop options")?;
    let mut out = Vec::new();
    for part in text.split(',') {
        let part = part.trim_matches([' ', '\t']);
        if !is_token(part) {
            return Err(Error::Syntax {
                offset: at,
                expected: "qop options (comma-separated tokens)",
            });
        }
        out.push(match part {
            _ if part.eq_ignore_ascii_case("auth") => Qop::Auth,
            _ if part.eq_ignore_ascii_case("auth-int") => Qop::AuthInt,
            _ => Qop::Other(ByteStr::from(part)),
        });
    }
    Ok(out)
}

/// `nc-value = 8LHEX` (quoted tolerated).
pub(crate) fn nonce_count(cur: &mut Cursor<'_>) -> Result<u32> {
    let at = cur.offset();
    let v = token_or_quoted(cur, "nc value (8 hex digits)")?;
    if v.len() != 8 || !v.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::Syntax {
            offset: at,
            expected: "nc value (8 hex digits)",
        });
    }
    u32::from_str_radix(&v, 16).map_err(|_| Error::Syntax {
        offset: at,
        expected: "nc value (8 hex digits)",
    })
}

/// A quoted hexadecimal digest (`request-digest`, `response-digest`), possibly empty.
pub(crate) fn hex_digest(cur: &mut Cursor<'_>, expected: &'static str) -> Result<ByteStr> {
    let at = cur.offset();
    let v = if cur.peek() == Some(b'"') {
        quoted_value(cur)?
    } else {
        cur.token(expected)?
    };
    if !v.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::Syntax {
            offset: at,
            expected,
        });
    }
    Ok(v)
}

fn bool_str(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// Writes `name=value` pairs separated by `", "`.
pub(crate) struct ListWriter<'a, 'b> {
    pub(crate) f: &'a mut fmt::Formatter<'b>,
    first: bool,
}

impl<'a, 'b> ListWriter<'a, 'b> {
    pub(crate) fn new(f: &'a mut fmt::Formatter<'b>) -> Self {
        Self { f, first: true }
    }

    pub(crate) fn sep(&mut self) -> fmt::Result {
        if !self.first {
            self.f.write_str(", ")?;
        }
        self.first = false;
        Ok(())
    }

    pub(crate) fn quoted(&mut self, name: &str, value: Option<&str>) -> fmt::Result {
        let Some(v) = value else { return Ok(()) };
        self.sep()?;
        write!(self.f, "{name}={}", Quoted(v))
    }

    pub(crate) fn token(&mut self, name: &str, value: Option<&str>) -> fmt::Result {
        let Some(v) = value else { return Ok(()) };
        self.sep()?;
        write!(self.f, "{name}={v}")
    }

    pub(crate) fn params(&mut self, params: &Params) -> fmt::Result {
        for p in params {
            self.sep()?;
            write!(self.f, "{}", NoBreaks(&p.name))?;
            if let Some(v) = &p.value {
                write!(self.f, "={}", NoBreaks(v))?;
            }
        }
        Ok(())
    }
}

/// Generates a header whose value is a [`Challenge`] or [`Credentials`].
macro_rules! auth_header {
    ($(#[$doc:meta])* $ty:ident, $inner:ident, $variant:ident, $name:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $ty(pub $crate::header::$inner);

        impl $crate::TypedHeader for $ty {
            const NAME: $crate::HeaderName = $crate::HeaderName::$variant;

            fn parse(value: &bytes::Bytes) -> $crate::Result<Self> {
                $crate::header::typed::auth::parse_auth(value, $name).map(Self)
            }
        }

        impl core::ops::Deref for $ty {
            type Target = $crate::header::$inner;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl core::ops::DerefMut for $ty {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.0
            }
        }

        impl From<$crate::header::$inner> for $ty {
            fn from(v: $crate::header::$inner) -> Self {
                Self(v)
            }
        }

        impl core::fmt::Display for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}
pub(crate) use auth_header;

#[cfg(test)]
mod tests {
    use super::*;

    fn challenge(s: &str) -> Result<Challenge> {
        parse_auth(&Bytes::copy_from_slice(s.as_bytes()), "WWW-Authenticate")
    }

    fn credentials(s: &str) -> Result<Credentials> {
        parse_auth(&Bytes::copy_from_slice(s.as_bytes()), "Authorization")
    }

    #[test]
    fn rfc3261_challenge() {
        let c = challenge(
            "Digest realm=\"atlanta.com\",\r\n domain=\"sip:ss1.carrier.com\", qop=\"auth\",\r\n \
             nonce=\"f84f1cec41e6cbe5aea9c8e88d359\",\r\n opaque=\"\", stale=FALSE, algorithm=MD5",
        )
        .unwrap();
        let d = c.digest().unwrap();
        assert_eq!(d.realm.as_deref(), Some("atlanta.com"));
        assert_eq!(d.domain_uris().collect::<Vec<_>>(), ["sip:ss1.carrier.com"]);
        assert_eq!(d.qop, [Qop::Auth]);
        assert_eq!(d.nonce.as_deref(), Some("f84f1cec41e6cbe5aea9c8e88d359"));
        assert_eq!(d.opaque.as_deref(), Some(""));
        assert_eq!(d.stale, Some(false));
        assert_eq!(d.algorithm, Some(Algorithm::Md5));
        assert_eq!(
            c.to_string(),
            "Digest realm=\"atlanta.com\", domain=\"sip:ss1.carrier.com\", \
             nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", opaque=\"\", stale=false, \
             algorithm=MD5, qop=\"auth\""
        );
    }

    #[test]
    fn rfc7616_challenge_and_scheme_case() {
        let c = challenge(
            "dIgEsT REALM=\"api@example.org\", QOP=\"auth, auth-int,x\", \
             algorithm=sha-512-256-SESS, nonce=\"5TsQ\", charset=UTF-8, userhash=true",
        )
        .unwrap();
        let d = c.digest().unwrap();
        assert_eq!(d.algorithm, Some(Algorithm::Sha512_256Sess));
        assert!(d.algorithm.as_ref().unwrap().is_session());
        assert_eq!(
            d.qop,
            [
                Qop::Auth,
                Qop::AuthInt,
                Qop::Other(ByteStr::from_static("x"))
            ]
        );
        assert_eq!(d.userhash, Some(true));
        assert_eq!(d.params.get("charset"), Some("UTF-8"));
        for (name, alg) in [
            ("MD5-sess", Algorithm::Md5Sess),
            ("SHA-256", Algorithm::Sha256),
            ("sha-256-sess", Algorithm::Sha256Sess),
            ("SHA-512-256", Algorithm::Sha512_256),
            (
                "AKAv1-MD5",
                Algorithm::Other(ByteStr::from_static("AKAv1-MD5")),
            ),
        ] {
            let c = challenge(&format!("Digest algorithm=\"{name}\"")).unwrap();
            assert_eq!(c.digest().unwrap().algorithm.as_ref(), Some(&alg));
        }
    }

    #[test]
    fn token68_and_bare_schemes() {
        let c = credentials("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ== ").unwrap();
        let Credentials::Other(o) = &c else { panic!() };
        assert_eq!(o.scheme, "Basic");
        assert_eq!(o.token68.as_deref(), Some("QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
        assert_eq!(c.to_string(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        let c = challenge("Negotiate").unwrap();
        assert_eq!(c.to_string(), "Negotiate");
        let c = challenge("Bearer a=").unwrap();
        assert_eq!(c.to_string(), "Bearer a=");
        assert!(challenge("Bearer =").is_err());
        assert!(challenge("Bearer a=b c").is_err());
        assert!(challenge("Digest abc").is_err());
    }

    #[test]
    fn other_schemes_are_kept() {
        let c = challenge("Bearer realm=\"x\" ,\tscope=\"a b\", error=invalid_token").unwrap();
        assert_eq!(c.scheme(), "Bearer");
        assert!(c.digest().is_none());
        let Challenge::Other(o) = &c else { panic!() };
        assert_eq!(o.params.get("scope"), Some("\"a b\""));
        assert_eq!(o.token68, None);
        assert_eq!(
            c.to_string(),
            "Bearer realm=\"x\", scope=\"a b\", error=invalid_token"
        );
    }

    #[test]
    fn credentials_parse() {
        let c = credentials(
            "Digest username=\"bob\", realm=\"biloxi.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", \
             uri=\"sip:bob@biloxi.com\", qop=auth, nc=0000000A, cnonce=\"0a4f113b\", \
             response=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", \
             username*=UTF-8''J%C3%A4s%C3%B8n%20Doe",
        )
        .unwrap();
        let d = c.digest().unwrap();
        assert_eq!(d.username.as_deref(), Some("bob"));
        assert_eq!(d.uri.as_deref(), Some("sip:bob@biloxi.com"));
        assert_eq!(d.qop, Some(Qop::Auth));
        assert_eq!(d.nc, Some(10));
        assert_eq!(d.cnonce.as_deref(), Some("0a4f113b"));
        assert_eq!(
            d.response.as_deref(),
            Some("6629fae49393a05397450978507c4ef1")
        );
        assert!(d.params.contains("username*"));
        let text = c.to_string();
        assert!(text.contains("qop=auth, nc=0000000a"), "{text}");
        assert_eq!(credentials(&text).unwrap(), c);
    }

    #[test]
    fn escapes_in_values() {
        let c = credentials("Digest username=\"a\\\"b\", realm=\"r\"").unwrap();
        assert_eq!(c.digest().unwrap().username.as_deref(), Some("a\"b"));
        assert_eq!(c.to_string(), "Digest username=\"a\\\"b\", realm=\"r\"");
    }

    #[test]
    fn invalid_forms() {
        for (bad, offset) in [
            ("", 0),
            ("Digest", 6),
            ("Digest ", 7),
            ("Digest realm", 12),
            ("Digest realm=", 13),
            ("Digest realm=\"a\",", 17),
            ("Digest realm=\"a\" nonce=\"b\"", 17),
            ("Digest realm=\"a\", realm=\"b\"", 18),
            ("Digest stale=maybe", 13),
            ("Digest algorithm=\"a b\"", 17),
            ("Digest qop=\"auth,\"", 11),
            ("Digest x=\"open", 14),
            ("Digest,realm=\"a\"", 6),
        ] {
            match challenge(bad) {
                Err(Error::Header {
                    name: "WWW-Authenticate",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
        for (bad, offset) in [
            ("Digest nc=1", 10),
            ("Digest nc=0000000g", 10),
            ("Digest nc=000000001", 10),
            ("Digest response=\"xyz\"", 16),
            ("Digest qop=\"a b\"", 11),
            ("Digest userhash=yes", 16),
        ] {
            match credentials(bad) {
                Err(Error::Header {
                    name: "Authorization",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
