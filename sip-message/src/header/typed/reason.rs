//! `Reason` (RFC 3326).

use core::fmt;

use bytes::Bytes;

use crate::header::typed::support::{
    header_params, once, parse_value, unquote_param, ParamsOut, Quoted,
};
use crate::{ByteStr, Error, HeaderName, Params, Result, TypedHeader};

/// One `reason-value` of a `Reason` list (RFC 3326 §2):
/// `protocol *(SEMI reason-params)`, with `cause` and `text` parsed out.
///
/// `Reason` is a list header: [`TypedHeader::parse`] takes one comma-separated element.
///
/// ```
/// use sip_message::{header::Reason, TypedHeader};
/// let r = Reason::parse_str("Q.850 ;cause=16 ;text=\"Terminated\"").unwrap();
/// assert!(r.is_q850());
/// assert_eq!(r.cause, Some(16));
/// assert_eq!(r.text.as_deref(), Some("Terminated"));
/// assert_eq!(r.to_string(), "Q.850;cause=16;text=\"Terminated\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reason {
    /// `protocol`: `SIP`, `Q.850` or another token, as written.
    pub protocol: ByteStr,
    /// `cause`: a status code for SIP, a cause value for Q.850.
    pub cause: Option<u16>,
    /// `text`, without quotes and escapes.
    pub text: Option<ByteStr>,
    /// Other parameters (`reason-extension`), in order, values as written.
    pub params: Params,
}

impl Reason {
    /// A reason for `protocol` with `cause` and no text.
    pub fn new(protocol: impl Into<ByteStr>, cause: u16) -> Self {
        Self {
            protocol: protocol.into(),
            cause: Some(cause),
            text: None,
            params: Params::new(),
        }
    }

    /// A `SIP` reason with a status code (e.g. 200 for a call completed elsewhere).
    pub fn sip(code: u16) -> Self {
        Self::new(ByteStr::from_static("SIP"), code)
    }

    /// A `Q.850` reason with an ISDN cause value.
    pub fn q850(cause: u16) -> Self {
        Self::new(ByteStr::from_static("Q.850"), cause)
    }

    /// Sets the text (builder style).
    #[must_use]
    pub fn with_text(mut self, text: impl Into<ByteStr>) -> Self {
        self.text = Some(text.into());
        self
    }

    /// Whether the protocol is `SIP` (any case).
    pub fn is_sip(&self) -> bool {
        self.protocol.eq_ignore_ascii_case("SIP")
    }

    /// Whether the protocol is `Q.850` (any case).
    pub fn is_q850(&self) -> bool {
        self.protocol.eq_ignore_ascii_case("Q.850")
    }
}

impl TypedHeader for Reason {
    const NAME: HeaderName = HeaderName::Reason;

    fn parse(value: &Bytes) -> Result<Self> {
        parse_value(value, "Reason", |cur| {
            let protocol = cur.token("protocol (SIP, Q.850 or a token)")?;
            let mut cause = None;
            let mut text = None;
            let params =
                header_params(cur, |p, at| {
                    if p.name.eq_ignore_ascii_case("cause") {
                        once(&cause, at, "one cause parameter")?;
                        let n = p
                            .value
                            .as_deref()
                            .filter(|v| v.bytes().all(|b| b.is_ascii_digit()))
                            .and_then(|v| v.parse::<u16>().ok())
                            .ok_or(Error::Syntax {
                                offset: at,
                                expected: "cause=digits (0 to 65535)",
                            })?;
                        cause = Some(n);
                        Ok(true)
                    } else if p.name.eq_ignore_ascii_case("text") {
                        once(&text, at, "one text parameter")?;
                        let t = p.value.as_ref().filter(|v| v.starts_with('"')).ok_or(
                            Error::Syntax {
                                offset: at,
                                expected: "text=\"quoted string\"",
                            },
                        )?;
                        text = Some(unquote_param(t));
                        Ok(true)
                    } else {
                        Ok(false)
                    }
                })?;
            Ok(Self {
                protocol,
                cause,
                text,
                params,
            })
        })
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.protocol)?;
        if let Some(c) = self.cause {
            write!(f, ";cause={c}")?;
        }
        if let Some(t) = &self.text {
            write!(f, ";text={}", Quoted(t))?;
        }
        write!(f, "{}", ParamsOut(&self.params))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid() {
        let r = Reason::parse_str(
            " SIP \r\n ; CAUSE = 200 ; Text=\"Call completed \\\"elsewhere\\\"\" ;x",
        )
        .unwrap();
        assert!(r.is_sip());
        assert_eq!(r.cause, Some(200));
        assert_eq!(r.text.as_deref(), Some("Call completed \"elsewhere\""));
        assert!(r.params.contains("x"));
        assert_eq!(
            r.to_string(),
            "SIP;cause=200;text=\"Call completed \\\"elsewhere\\\"\";x"
        );
        assert_eq!(Reason::parse_str("preemption").unwrap().cause, None);
        assert_eq!(
            Reason::q850(16).with_text("").to_string(),
            "Q.850;cause=16;text=\"\""
        );
        let r = Reason::parse_str("SIP;text=\"a\"").unwrap();
        assert_eq!(r.text.as_deref(), Some("a"));
    }

    #[test]
    fn invalid() {
        for (bad, offset) in [
            ("", 0),
            (";cause=1", 0),
            ("SIP;cause", 3),
            ("SIP;cause=abc", 3),
            ("SIP;cause=70000", 3),
            ("SIP;text=plain", 3),
            ("SIP;cause=1;cause=2", 3),
            ("SIP x", 4),
            ("SIP;text=\"open", 14),
        ] {
            match Reason::parse_str(bad) {
                Err(Error::Header {
                    name: "Reason",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
