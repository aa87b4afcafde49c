//! `Authentication-Info` (RFC 3261 §20.6, RFC 7616 §3.5).

use core::fmt;

use bytes::Bytes;

use crate::header::typed::auth::{auth_params, hex_digest, nonce_count, qop, ListWriter, Qop};
use crate::header::typed::support::{once, parse_value, token_or_quoted};
use crate::{ByteStr, HeaderName, Params, Result, TypedHeader};

/// `Authentication-Info: ainfo *(COMMA ainfo)` (§20.6): mutual authentication and the next
/// nonce after a successful Digest authentication.
///
/// Quoted values are stored without quotes; parameters other than the five of §25.1 are
/// kept in `params` as written.
/// At least one field must be set for the value to be valid.
///
/// ```
/// use sip_message::{header::AuthenticationInfo, TypedHeader};
/// let a = AuthenticationInfo::parse_str("nextnonce=\"47364c23432d2e131a5fb210812c\"").unwrap();
/// assert_eq!(a.nextnonce.as_deref(), Some("47364c23432d2e131a5fb210812c"));
/// assert_eq!(a.to_string(), "nextnonce=\"47364c23432d2e131a5fb210812c\"");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct AuthenticationInfo {
    /// `nextnonce`: the nonce to use for the next request.
    pub nextnonce: Option<ByteStr>,
    /// `qop` applied to the response.
    pub qop: Option<Qop>,
    /// `rspauth`: the response digest in hexadecimal (mutual authentication).
    pub rspauth: Option<ByteStr>,
    /// `cnonce` echoed from the request.
    pub cnonce: Option<ByteStr>,
    /// `nc` echoed from the request.
    pub nc: Option<u32>,
    /// Other parameters, values as written.
    pub params: Params,
}

impl AuthenticationInfo {
    /// An `Authentication-Info` carrying only `nextnonce`.
    pub fn next_nonce(nonce: impl Into<ByteStr>) -> Self {
        Self {
            nextnonce: Some(nonce.into()),
            ..Self::default()
        }
    }
}

impl TypedHeader for AuthenticationInfo {
    const NAME: HeaderName = HeaderName::AuthenticationInfo;

    fn parse(value: &Bytes) -> Result<Self> {
        parse_value(value, "Authentication-Info", |cur| {
            let mut a = Self::default();
            let dup = "parameter not given twice";
            a.params = auth_params(cur, |name, cur, at| {
                if name.eq_ignore_ascii_case("nextnonce") {
                    once(&a.nextnonce, at, dup)?;
                    a.nextnonce = Some(token_or_quoted(cur, "nextnonce value")?);
                } else if name.eq_ignore_ascii_case("qop") {
                    once(&a.qop, at, dup)?;
                    a.qop = Some(qop(cur)?);
                } else if name.eq_ignore_ascii_case("rspauth") {
                    once(&a.rspauth, at, dup)?;
                    a.rspauth = Some(hex_digest(cur, "rspauth=\"hex digest\"")?);
                } else if name.eq_ignore_ascii_case("cnonce") {
                    once(&a.cnonce, at, dup)?;
                    a.cnonce = Some(token_or_quoted(cur, "cnonce value")?);
                } else if name.eq_ignore_ascii_case("nc") {
                    once(&a.nc, at, dup)?;
                    a.nc = Some(nonce_count(cur)?);
                } else {
                    return Ok(false);
                }
                Ok(true)
            })?;
            Ok(a)
        })
    }
}

impl fmt::Display for AuthenticationInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = ListWriter::new(f);
        w.quoted("nextnonce", self.nextnonce.as_deref())?;
        w.token("qop", self.qop.as_ref().map(Qop::as_str))?;
        w.quoted("rspauth", self.rspauth.as_deref())?;
        w.quoted("cnonce", self.cnonce.as_deref())?;
        if let Some(nc) = self.nc {
            w.sep()?;
            write!(w.f, "nc={nc:08x}")?;
        }
        w.params(&self.params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn all_fields() {
        let a = AuthenticationInfo::parse_str(
            " NextNonce=\"abc\" ,\r\n qop=auth-int, rspauth=\"6629FAE4\", cnonce=\"0a4f\", nc=00000002, x=y",
        )
        .unwrap();
        assert_eq!(a.nextnonce.as_deref(), Some("abc"));
        assert_eq!(a.qop, Some(Qop::AuthInt));
        assert_eq!(a.rspauth.as_deref(), Some("6629FAE4"));
        assert_eq!(a.cnonce.as_deref(), Some("0a4f"));
        assert_eq!(a.nc, Some(2));
        assert_eq!(a.params.get("x"), Some("y"));
        assert_eq!(
            a.to_string(),
            "nextnonce=\"abc\", qop=auth-int, rspauth=\"6629FAE4\", cnonce=\"0a4f\", nc=00000002, x=y"
        );
        assert_eq!(
            AuthenticationInfo::parse_str("rspauth=\"\"")
                .unwrap()
                .rspauth
                .as_deref(),
            Some("")
        );
    }

    #[test]
    fn invalid() {
        for (bad, offset) in [
            ("", 0),
            ("nextnonce", 9),
            ("nc=12", 3),
            ("rspauth=\"zz\"", 8),
            ("qop=auth, qop=auth", 10),
            ("nextnonce=\"a\" x=y", 14),
        ] {
            match AuthenticationInfo::parse_str(bad) {
                Err(Error::Header {
                    name: "Authentication-Info",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
