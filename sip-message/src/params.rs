//! `;name=value` parameter lists of header fields (`generic-param`, §25.1) and URIs.

use core::fmt;

use smallvec::SmallVec;

use crate::grammar::{self, Cursor};
use crate::{ByteStr, Result};

/// One parameter: a name and an optional value.
///
/// The value is kept as written: a quoted value keeps its quotes and escapes (see
/// [`Param::unquoted_value`]), a URI parameter keeps its `%` escapes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Param {
    /// The parameter name, as written.
    pub name: ByteStr,
    /// The value after `=`, if any, as written.
    pub value: Option<ByteStr>,
}

impl Param {
    /// A parameter with a value.
    pub fn new(name: impl Into<ByteStr>, value: impl Into<ByteStr>) -> Self {
        Self {
            name: name.into(),
            value: Some(value.into()),
        }
    }

    /// A parameter without a value (a flag such as `lr` or `rport`).
    pub fn flag(name: impl Into<ByteStr>) -> Self {
        Self {
            name: name.into(),
            value: None,
        }
    }

    /// The value with quotes and escapes removed.
    pub fn unquoted_value(&self) -> Option<std::borrow::Cow<'_, str>> {
        self.value.as_deref().map(grammar::unquote)
    }
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if let Some(v) = &self.value {
            f.write_str("=")?;
            f.write_str(v)?;
        }
        Ok(())
    }
}

/// An ordered list of parameters; names compare case-insensitively.
///
/// Displays as `;name=value;flag`, the form both header fields and URIs use.
///
/// ```
/// use sip_message::{Param, Params};
/// let mut p = Params::new();
/// p.push(Param::new("branch", "z9hG4bK776"));
/// p.push(Param::flag("rport"));
/// assert_eq!(p.get("BRANCH"), Some("z9hG4bK776"));
/// assert!(p.contains("rport"));
/// assert_eq!(p.to_string(), ";branch=z9hG4bK776;rport");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Params(SmallVec<[Param; 2]>);

impl Params {
    /// An empty list.
    pub fn new() -> Self {
        Self(SmallVec::new())
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The parameters in order.
    pub fn iter(&self) -> core::slice::Iter<'_, Param> {
        self.0.iter()
    }

    /// The first parameter called `name` (any case).
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.0.iter().find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// The value of the first parameter called `name`; `None` when it is absent or has no
    /// value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.param(name).and_then(|p| p.value.as_deref())
    }

    /// Whether a parameter called `name` is present (with or without a value).
    pub fn contains(&self, name: &str) -> bool {
        self.param(name).is_some()
    }

    /// Appends a parameter.
    pub fn push(&mut self, param: Param) {
        self.0.push(param);
    }

    /// Replaces the value of the first parameter called `param.name`, or appends `param`.
    pub fn set(&mut self, param: Param) {
        match self
            .0
            .iter_mut()
            .find(|p| p.name.eq_ignore_ascii_case(&param.name))
        {
            Some(existing) => *existing = param,
            None => self.0.push(param),
        }
    }

    /// Removes every parameter called `name`; returns whether any was present.
    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.0.len();
        self.0.retain(|p| !p.name.eq_ignore_ascii_case(name));
        before != self.0.len()
    }

    /// Parses `*( SEMI generic-param )` of a header field (§25.1): a `;`-separated list where
    /// `SWS` may surround `;` and `=`, and a value is a token, a host (IPv6 references
    /// included) or a quoted string. Stops before the first byte that cannot continue the list.
    pub(crate) fn parse_header(cur: &mut Cursor<'_>) -> Result<Self> {
        let mut params = Self::new();
        while cur.eat_sep(b';') {
            let name = cur.token("parameter name")?;
            let value = if cur.eat_sep(b'=') {
                Some(generic_value(cur)?)
            } else {
                None
            };
            params.0.push(Param { name, value });
        }
        Ok(params)
    }
}

/// `gen-value = token / host / quoted-string` (§25.1). Unbracketed IPv6 addresses (seen in
/// `received`) are accepted as well, since `:` cannot end a parameter value anyway.
pub(crate) fn generic_value(cur: &mut Cursor<'_>) -> Result<ByteStr> {
    if cur.peek() == Some(b'"') {
        let (s, e) = cur.quoted_string()?;
        return cur.text(s, e);
    }
    let (s, e) = cur.take_class(grammar::PARAM_VALUE);
    if s == e {
        return Err(cur.error("parameter value"));
    }
    cur.text(s, e)
}

impl fmt::Display for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.0 {
            write!(f, ";{p}")?;
        }
        Ok(())
    }
}

impl<'a> IntoIterator for &'a Params {
    type Item = &'a Param;
    type IntoIter = core::slice::Iter<'a, Param>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl FromIterator<Param> for Params {
    fn from_iter<I: IntoIterator<Item = Param>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn parse(s: &'static str) -> (Result<Params>, usize) {
        let buf = Bytes::from_static(s.as_bytes());
        let mut c = Cursor::new(&buf);
        let r = Params::parse_header(&mut c);
        (r, c.offset())
    }

    #[test]
    fn header_params() {
        let (p, end) = parse(";branch=z9hG4bK1 ; rport ;received = 10.0.0.1;x=\"a;b\",next");
        let p = p.unwrap();
        assert_eq!(p.len(), 4);
        assert_eq!(p.get("branch"), Some("z9hG4bK1"));
        assert!(p.contains("RPORT"));
        assert_eq!(p.get("rport"), None);
        assert_eq!(p.get("received"), Some("10.0.0.1"));
        assert_eq!(p.param("x").unwrap().unquoted_value().unwrap(), "a;b");
        assert_eq!(end, 53);
    }

    #[test]
    fn ipv6_values() {
        let (p, _) = parse(";received=[2001:db8::1];maddr=2001:db8::2");
        let p = p.unwrap();
        assert_eq!(p.get("received"), Some("[2001:db8::1]"));
        assert_eq!(p.get("maddr"), Some("2001:db8::2"));
    }

    #[test]
    fn bad_params() {
        assert!(parse(";=x").0.is_err());
        assert!(parse(";a=").0.is_err());
        assert!(parse(";a=\"open").0.is_err());
    }

    #[test]
    fn set_and_remove_keep_order() {
        let mut p = Params::new();
        p.push(Param::new("a", "1"));
        p.push(Param::flag("b"));
        p.set(Param::new("A", "2"));
        assert_eq!(p.to_string(), ";A=2;b");
        assert!(p.remove("b"));
        assert!(!p.remove("b"));
        assert_eq!(p.to_string(), ";A=2");
    }
}
