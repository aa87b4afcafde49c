//! The `Contact` header (RFC 3261 §20.10).

use core::fmt;

use bytes::Bytes;

use crate::grammar::Cursor;
use crate::header::name_addr::Form;
use crate::header::{header_error, HeaderName, NameAddr, TypedHeader};
use crate::{Error, Param, Result, Uri};

/// One element of `Contact` (compact form `m`): `*` or
/// `( name-addr / addr-spec ) *( SEMI contact-params )` (§20.10, §25.1).
///
/// `q` must be a `qvalue` (0 to 1 with at most three decimals) and `expires` a
/// `delta-seconds`; other parameters are generic. The wildcard `*` takes no parameters.
///
/// ```
/// use sip_message::{header::Contact, TypedHeader};
/// let c = Contact::parse_str("\"Mr. Watson\" <sip:watson@worcester.bell-telephone.com>;q=0.7;expires=3600").unwrap();
/// assert_eq!(c.q(), Some(700));
/// assert_eq!(c.expires(), Some(3600));
/// assert!(Contact::parse_str(" * ").unwrap().is_wildcard());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
// The wildcard is rare and carries nothing; boxing the address would cost an allocation for
// every ordinary Contact.
#[allow(clippy::large_enum_variant)]
pub enum Contact {
    /// `*`: all bindings (REGISTER with `Expires: 0`, §10.2.2).
    Wildcard,
    /// A contact address with its parameters.
    Address(NameAddr),
}

impl Contact {
    /// A contact with only a URI.
    pub fn new(uri: impl Into<Uri>) -> Self {
        Self::Address(NameAddr::new(uri))
    }

    /// Whether this is the wildcard `*`.
    pub fn is_wildcard(&self) -> bool {
        matches!(self, Self::Wildcard)
    }

    /// The address, unless this is the wildcard.
    pub fn name_addr(&self) -> Option<&NameAddr> {
        match self {
            Self::Wildcard => None,
            Self::Address(a) => Some(a),
        }
    }

    /// The address for changing, unless this is the wildcard.
    pub fn name_addr_mut(&mut self) -> Option<&mut NameAddr> {
        match self {
            Self::Wildcard => None,
            Self::Address(a) => Some(a),
        }
    }

    /// The URI, unless this is the wildcard.
    pub fn uri(&self) -> Option<&Uri> {
        self.name_addr().map(|a| &a.uri)
    }

    /// The `q` parameter in thousandths (`q=0.7` is 700, `q=1` is 1000).
    pub fn q(&self) -> Option<u16> {
        self.name_addr()
            .and_then(|a| a.params.get("q"))
            .and_then(parse_qvalue)
    }

    /// The `expires` parameter in seconds (values past `u32::MAX` saturate).
    pub fn expires(&self) -> Option<u32> {
        self.name_addr()
            .and_then(|a| a.params.get("expires"))
            .and_then(parse_delta_seconds)
    }

    /// Sets `q` from thousandths (`0..=1000`).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for the wildcard or a value above 1000.
    pub fn set_q(&mut self, q: u16) -> Result<()> {
        if q > 1000 {
            return Err(Error::InvalidInput {
                what: "q",
                reason: "must be between 0 and 1000 thousandths",
            });
        }
        let value = match q {
            1000 => "1".to_owned(),
            0 => "0".to_owned(),
            q => format!("0.{q:03}").trim_end_matches('0').to_owned(),
        };
        self.set_param(Param::new("q", value))
    }

    /// Sets `expires` in seconds.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for the wildcard.
    pub fn set_expires(&mut self, seconds: u32) -> Result<()> {
        self.set_param(Param::new("expires", seconds.to_string()))
    }

    fn set_param(&mut self, param: Param) -> Result<()> {
        let addr = self.name_addr_mut().ok_or(Error::InvalidInput {
            what: "Contact",
            reason: "the wildcard `*` takes no parameters",
        })?;
        addr.params.set(param);
        Ok(())
    }
}

impl TypedHeader for Contact {
    const NAME: HeaderName = HeaderName::Contact;

    fn parse(value: &Bytes) -> Result<Self> {
        parse(value).map_err(header_error("Contact"))
    }
}

fn parse(value: &Bytes) -> Result<Contact> {
    let mut cur = Cursor::new(value);
    cur.skip_sws();
    let save = cur.pos();
    if cur.eat(b'*') {
        // `*` alone is the wildcard; otherwise it was a one-token display name (`* <sip:…>`).
        cur.skip_sws();
        if cur.is_at_end() {
            return Ok(Contact::Wildcard);
        }
        if cur.peek() == Some(b';') {
            return Err(cur.error("end of value: `*` takes no parameters"));
        }
        cur.set_pos(save);
    }
    let addr = NameAddr::parse_at(&mut cur, Form::Any)?;
    for p in &addr.params {
        let bad = if p.name.eq_ignore_ascii_case("q") {
            p.value
                .as_deref()
                .and_then(parse_qvalue)
                .is_none()
                .then_some("qvalue after `q=`")
        } else if p.name.eq_ignore_ascii_case("expires") {
            p.value
                .as_deref()
                .and_then(parse_delta_seconds)
                .is_none()
                .then_some("delta-seconds after `expires=`")
        } else {
            None
        };
        if let Some(expected) = bad {
            return Err(Error::Syntax {
                offset: param_offset(value, &p.name),
                expected,
            });
        }
    }
    cur.expect_end("`;` or end of value")?;
    Ok(Contact::Address(addr))
}

/// Where parameter `name` (a slice of `value`) is written in `value`, for the error offset.
fn param_offset(value: &Bytes, name: &str) -> usize {
    let name = name.as_ptr() as usize;
    let start = value.as_ptr() as usize;
    name.checked_sub(start)
        .filter(|&o| o <= value.len())
        .unwrap_or(0)
}

/// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`, in thousandths.
fn parse_qvalue(v: &str) -> Option<u16> {
    let (int, frac) = match v.split_once('.') {
        Some((i, f)) => (i, f),
        None => (v, ""),
    };
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut thousandths: u16 = 0;
    for (i, b) in frac.bytes().enumerate() {
        let scale = match i {
            0 => 100,
            1 => 10,
            _ => 1,
        };
        thousandths += u16::from(b - b'0') * scale;
    }
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// `delta-seconds = 1*DIGIT`, saturating at `u32::MAX`.
fn parse_delta_seconds(v: &str) -> Option<u32> {
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(v.bytes().fold(0u32, |acc, b| {
        acc.saturating_mul(10).saturating_add(u32::from(b - b'0'))
    }))
}

impl fmt::Display for Contact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Wildcard => f.write_str("*"),
            Self::Address(a) => a.fmt(f),
        }
    }
}

impl From<NameAddr> for Contact {
    fn from(addr: NameAddr) -> Self {
        Self::Address(addr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts() {
        let c = Contact::parse_str("sip:alice@pc33.atlanta.com;expires=60;q=1.000").unwrap();
        assert_eq!(c.expires(), Some(60));
        assert_eq!(c.q(), Some(1000));
        assert!(c.uri().unwrap().as_sip().unwrap().params.is_empty());
        assert_eq!(
            c.to_string(),
            "<sip:alice@pc33.atlanta.com>;expires=60;q=1.000"
        );
        let c = Contact::parse_str("* <sip:star@x>").unwrap();
        assert_eq!(c.name_addr().unwrap().display_name.as_deref(), Some("*"));
        let c = Contact::parse_str("<sip:a@b>;expires=99999999999").unwrap();
        assert_eq!(c.expires(), Some(u32::MAX));
        let c = Contact::parse_str("<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>;+sip.instance")
            .unwrap();
        assert!(c.name_addr().unwrap().params.contains("+sip.instance"));
    }

    #[test]
    fn qvalues() {
        for (v, q) in [
            ("0", 0),
            ("0.", 0),
            ("0.5", 500),
            ("0.123", 123),
            ("1", 1000),
            ("1.0", 1000),
        ] {
            assert_eq!(parse_qvalue(v), Some(q), "{v}");
        }
        for v in ["", "2", "1.5", "0.1234", ".5", "0.x", "01"] {
            assert_eq!(parse_qvalue(v), None, "{v}");
        }
    }

    #[test]
    fn setters() {
        let mut c = Contact::new("sip:a@b".parse::<Uri>().unwrap());
        c.set_q(500).unwrap();
        c.set_expires(30).unwrap();
        assert_eq!(c.to_string(), "<sip:a@b>;q=0.5;expires=30");
        c.set_q(1000).unwrap();
        c.set_q(7).unwrap();
        assert_eq!(c.q(), Some(7));
        assert!(c.set_q(1001).is_err());
        assert!(Contact::Wildcard.set_expires(0).is_err());
    }

    #[test]
    fn bad_contacts() {
        for (bad, offset) in [
            ("<sip:a@b>;q=2", 10),
            ("<sip:a@b>;expires=-1", 10),
            ("<sip:a@b>;q", 10),
            ("*;q=1", 1),
            ("* ;", 2),
        ] {
            let err = Contact::parse_str(bad).unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::Header {
                        name: "Contact",
                        ..
                    }
                ),
                "{bad}: {err}"
            );
            assert_eq!(err.offset(), Some(offset), "{bad}: {err}");
        }
        for bad in ["* x", "", "*,"] {
            let err = Contact::parse_str(bad).unwrap_err();
            assert!(matches!(err, Error::Uri { offset: 0, .. }), "{bad}: {err}");
        }
    }
}
