//! `Replaces` (RFC 3891 §6.1).

use core::fmt;

use bytes::Bytes;

use crate::grammar::WORD;
use crate::header::typed::support::{header_params, once, param_token, parse_value, ParamsOut};
use crate::{ByteStr, Error, HeaderName, Params, Result, TypedHeader};

/// `Replaces: callid *(SEMI replaces-param)` (RFC 3891 §6.1): the dialog an INVITE replaces,
/// named by Call-ID, `to-tag` and `from-tag` (both required, §6.1), with the `early-only`
/// flag.
///
/// ```
/// use sip_message::{header::Replaces, TypedHeader};
/// let r = Replaces::parse_str("98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff").unwrap();
/// assert_eq!(&*r.call_id, "98732@sip.example.com");
/// assert_eq!(&*r.to_tag, "ff87ff");
/// assert!(!r.early_only);
/// assert_eq!(r.to_string(), "98732@sip.example.com;to-tag=ff87ff;from-tag=r33th4x0r");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Replaces {
    /// `callid = word [ "@" word ]`.
    pub call_id: ByteStr,
    /// `to-tag`.
    pub to_tag: ByteStr,
    /// `from-tag`.
    pub from_tag: ByteStr,
    /// Whether `early-only` is present: replace only an early dialog.
    pub early_only: bool,
    /// Other parameters, in order, values as written.
    pub params: Params,
}

impl Replaces {
    /// A `Replaces` for the dialog `call_id`, `to_tag`, `from_tag`.
    pub fn new(
        call_id: impl Into<ByteStr>,
        to_tag: impl Into<ByteStr>,
        from_tag: impl Into<ByteStr>,
    ) -> Self {
        Self {
            call_id: call_id.into(),
            to_tag: to_tag.into(),
            from_tag: from_tag.into(),
            early_only: false,
            params: Params::new(),
        }
    }
}

impl TypedHeader for Replaces {
    const NAME: HeaderName = HeaderName::Replaces;

    fn parse(value: &Bytes) -> Result<Self> {
        parse_value(value, "Replaces", |cur| {
            let (s, mut e) = cur.take_class(WORD);
            if s == e {
                return Err(cur.error("Call-ID"));
            }
            if cur.eat(b'@') {
                let (ws, we) = cur.take_class(WORD);
                if ws == we {
                    return Err(cur.error("Call-ID host part after `@`"));
                }
                e = we;
            }
            let call_id = cur.text(s, e)?;
            let at_params = cur.offset();
            let mut to_tag = None;
            let mut from_tag = None;
            let mut early_only = false;
            let params = header_params(cur, |p, at| {
                let dup = "parameter not given twice";
                if p.name.eq_ignore_ascii_case("to-tag") {
                    once(&to_tag, at, dup)?;
                    to_tag = Some(param_token(p, at, "to-tag=token")?);
                } else if p.name.eq_ignore_ascii_case("from-tag") {
                    once(&from_tag, at, dup)?;
                    from_tag = Some(param_token(p, at, "from-tag=token")?);
                } else if p.name.eq_ignore_ascii_case("early-only") {
                    if early_only || p.value.is_some() {
                        return Err(Error::Syntax {
                            offset: at,
                            expected: "one early-only flag without value",
                        });
                    }
                    early_only = true;
                } else {
                    return Ok(false);
                }
                Ok(true)
            })?;
            cur.expect_end("`;` and a parameter, or the end of the value")?;
            let (Some(to_tag), Some(from_tag)) = (to_tag, from_tag) else {
                return Err(Error::Syntax {
                    offset: at_params,
                    expected: "to-tag and from-tag parameters",
                });
            };
            Ok(Self {
                call_id,
                to_tag,
                from_tag,
                early_only,
                params,
            })
        })
    }
}

impl fmt::Display for Replaces {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{};to-tag={};from-tag={}",
            self.call_id, self.to_tag, self.from_tag
        )?;
        if self.early_only {
            f.write_str(";early-only")?;
        }
        write!(f, "{}", ParamsOut(&self.params))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid() {
        let r = Replaces::parse_str(
            " 12adf2f34456gs5;TO-TAG = 12345 ;\r\n from-tag=54321;EARLY-ONLY;x=1 ",
        )
        .unwrap();
        assert_eq!(&*r.call_id, "12adf2f34456gs5");
        assert_eq!(&*r.from_tag, "54321");
        assert!(r.early_only);
        assert_eq!(r.params.get("x"), Some("1"));
        assert_eq!(
            r.to_string(),
            "12adf2f34456gs5;to-tag=12345;from-tag=54321;early-only;x=1"
        );
        let r = Replaces::parse_str("a<b>:c@[x]?;to-tag=1;from-tag=2").unwrap();
        assert_eq!(&*r.call_id, "a<b>:c@[x]?");
    }

    #[test]
    fn invalid() {
        for (bad, offset) in [
            ("", 0),
            ("a@", 2),
            ("a;to-tag=1", 1),
            ("a;from-tag=1", 1),
            ("a;to-tag=1;from-tag=\"2\"", 1),
            ("a;to-tag;from-tag=2", 1),
            ("a;to-tag=1;from-tag=2;early-only=yes", 1),
            ("a;to-tag=1;from-tag=2;to-tag=3", 1),
            ("a b;to-tag=1;from-tag=2", 2),
        ] {
            match Replaces::parse_str(bad) {
                Err(Error::Header {
                    name: "Replaces",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
