//! `media-type` / `media-range` (RFC 3261 §20.1, §20.15, §25.1), shared by Content-Type and
//! Accept.

use core::fmt;

use crate::grammar::Cursor;
use crate::header::typed::support::{all_token, header_params, ParamsOut};
use crate::{ByteStr, Param, Params, Result};

/// A media type with its parameters: `type "/" subtype *( ";" parameter )`.
///
/// Type and subtype are kept as written; [`MediaType::is`] compares them ignoring case
/// (RFC 2045 §5.1). In an Accept range, either may be `*`.
///
/// ```
/// use sip_message::header::MediaType;
/// let sdp = MediaType::new("application", "sdp");
/// assert!(sdp.is("Application", "SDP"));
/// assert_eq!(sdp.to_string(), "application/sdp");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MediaType {
    /// `m-type`, such as `application` (or `*` in an Accept range).
    pub mtype: ByteStr,
    /// `m-subtype`, such as `sdp` (or `*` in an Accept range).
    pub subtype: ByteStr,
    /// Parameters in order, values as written (quoted values keep their quotes).
    pub params: Params,
}

impl MediaType {
    /// A media type without parameters; `mtype` and `subtype` must be `token`s.
    pub fn new(mtype: impl Into<ByteStr>, subtype: impl Into<ByteStr>) -> Self {
        Self {
            mtype: mtype.into(),
            subtype: subtype.into(),
            params: Params::new(),
        }
    }

    /// Adds a parameter (builder style).
    #[must_use]
    pub fn with_param(mut self, name: impl Into<ByteStr>, value: impl Into<ByteStr>) -> Self {
        self.params.push(Param::new(name, value));
        self
    }

    /// Whether this is `mtype/subtype`, ignoring ASCII case.
    pub fn is(&self, mtype: &str, subtype: &str) -> bool {
        self.mtype.eq_ignore_ascii_case(mtype) && self.subtype.eq_ignore_ascii_case(subtype)
    }

    /// Whether this range (as in Accept) covers the concrete type `mtype/subtype`: `*/*`,
    /// `type/*` or the same type and subtype, ignoring case.
    pub fn matches(&self, mtype: &str, subtype: &str) -> bool {
        let type_ok = &*self.mtype == "*" || self.mtype.eq_ignore_ascii_case(mtype);
        let sub_ok = &*self.subtype == "*" || self.subtype.eq_ignore_ascii_case(subtype);
        type_ok && sub_ok
    }

    /// The `charset` parameter without quotes, if present.
    pub fn charset(&self) -> Option<std::borrow::Cow<'_, str>> {
        self.params.param("charset").and_then(Param::unquoted_value)
    }

    /// Parses `type SLASH subtype *(SEMI generic-param)` at the cursor.
    pub(crate) fn parse_at(cur: &mut Cursor<'_>) -> Result<Self> {
        let at = cur.offset();
        let mtype = cur.token("media type")?;
        if !cur.eat_sep(b'/') {
            return Err(cur.error("`/` and media subtype"));
        }
        let subtype = cur.token("media subtype")?;
        // `*/subtype` is not a media-range (§20.1).
        if &*mtype == "*" && &*subtype != "*" {
            return Err(crate::Error::Syntax {
                offset: at,
                expected: "`*/*` or a concrete media type",
            });
        }
        let params = header_params(cur, |_, _| Ok(false))?;
        Ok(Self {
            mtype,
            subtype,
            params,
        })
    }

    /// Checks the `m-parameter = m-attribute EQUAL m-value` rule: every parameter has a
    /// value (a token or a quoted string). `at` is the offset reported on failure.
    pub(crate) fn check_m_parameters(params: &Params, at: usize) -> Result<()> {
        for p in params {
            let ok = p
                .value
                .as_deref()
                .is_some_and(|v| v.starts_with('"') || (!v.is_empty() && all_token(v)));
            if !ok {
                return Err(crate::Error::Syntax {
                    offset: at,
                    expected: "media parameter `name=value` with a token or quoted value",
                });
            }
        }
        Ok(())
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}{}",
            self.mtype,
            self.subtype,
            ParamsOut(&self.params)
        )
    }
}
