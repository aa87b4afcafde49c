//! `Warning` (RFC 3261 §20.43).

use core::fmt;

use bytes::Bytes;

use crate::grammar::{Cursor, DIGIT};
use crate::header::typed::support::{expect_lws, parse_value, quoted_value, Quoted};
use crate::{ByteStr, Error, HeaderName, Host, Result, TypedHeader};

/// One `warning-value` of a `Warning` list (§20.43): `warn-code SP warn-agent SP warn-text`.
///
/// `Warning` is a list header: [`TypedHeader::parse`] takes one comma-separated element.
///
/// ```
/// use sip_message::{header::{WarnAgent, Warning}, TypedHeader};
/// let w = Warning::parse_str("307 isi.edu \"Session parameter 'foo' not understood\"").unwrap();
/// assert_eq!(w.code, 307);
/// assert!(matches!(w.agent, WarnAgent::Host { port: None, .. }));
/// assert_eq!(&*w.text, "Session parameter 'foo' not understood");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Warning {
    /// `warn-code`: three digits (300–399 are registered by RFC 3261 §20.43).
    pub code: u16,
    /// Who added the warning.
    pub agent: WarnAgent,
    /// `warn-text`, without quotes and escapes.
    pub text: ByteStr,
}

/// `warn-agent = hostport / pseudonym` (§20.43).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum WarnAgent {
    /// The host (and port) of the server that added the warning.
    Host {
        /// The host.
        host: Host,
        /// The port, if given.
        port: Option<u16>,
    },
    /// A pseudonym (`token`) that is not a host name.
    Pseudonym(ByteStr),
}

impl Warning {
    /// A warning; `code` must have three digits.
    pub fn new(code: u16, agent: WarnAgent, text: impl Into<ByteStr>) -> Self {
        Self {
            code,
            agent,
            text: text.into(),
        }
    }
}

impl WarnAgent {
    fn parse_at(cur: &mut Cursor<'_>) -> Result<Self> {
        let save = cur.pos();
        if let Ok(host) = Host::parse_at(cur) {
            let port = if cur.eat(b':') {
                let at = cur.offset();
                let (s, e) = cur.take_class(DIGIT);
                let port = core::str::from_utf8(cur.bytes(s, e))
                    .ok()
                    .and_then(|p| p.parse::<u16>().ok())
                    .ok_or(Error::Syntax {
                        offset: at,
                        expected: "port (0 to 65535)",
                    })?;
                Some(port)
            } else {
                None
            };
            if matches!(cur.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
                return Ok(Self::Host { host, port });
            }
            if port.is_some() {
                return Err(cur.error("space after the warn-agent"));
            }
        }
        cur.set_pos(save);
        cur.token("warn-agent (host or pseudonym)")
            .map(Self::Pseudonym)
    }
}

impl TypedHeader for Warning {
    const NAME: HeaderName = HeaderName::Warning;

    fn parse(value: &Bytes) -> Result<Self> {
        parse_value(value, "Warning", |cur| {
            let at = cur.offset();
            let (s, e) = cur.take_class(DIGIT);
            let digits = cur.bytes(s, e);
            let [a, b, c] = digits else {
                cur.set_pos(s);
                return Err(Error::Syntax {
                    offset: at,
                    expected: "three-digit warn-code",
                });
            };
            let code = [a, b, c]
                .iter()
                .fold(0u16, |n, &&d| n * 10 + u16::from(d - b'0'));
            expect_lws(cur, "space after the warn-code")?;
            let agent = WarnAgent::parse_at(cur)?;
            expect_lws(cur, "space after the warn-agent")?;
            if cur.peek() != Some(b'"') {
                return Err(cur.error("quoted warn-text"));
            }
            let text = quoted_value(cur)?;
            Ok(Self { code, agent, text })
        })
    }
}

impl fmt::Display for WarnAgent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Host { host, port: None } => write!(f, "{host}"),
            Self::Host {
                host,
                port: Some(p),
            } => write!(f, "{host}:{p}"),
            Self::Pseudonym(p) => f.write_str(p),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03} {} {}", self.code, self.agent, Quoted(&self.text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv6Addr;

    #[test]
    fn agents() {
        let w = Warning::parse_str(" 370 [::1]:5060\t\"no \\\"room\\\"\" ").unwrap();
        assert_eq!(w.code, 370);
        assert_eq!(
            w.agent,
            WarnAgent::Host {
                host: Host::Ipv6(Ipv6Addr::LOCALHOST),
                port: Some(5060)
            }
        );
        assert_eq!(&*w.text, "no \"room\"");
        assert_eq!(w.to_string(), "370 [::1]:5060 \"no \\\"room\\\"\"");
        let w = Warning::parse_str("399 proxy_1 \"\"").unwrap();
        assert_eq!(
            w.agent,
            WarnAgent::Pseudonym(ByteStr::from_static("proxy_1"))
        );
        let w = Warning::parse_str("399 1.2.3 \"x\"").unwrap();
        assert_eq!(w.agent, WarnAgent::Pseudonym(ByteStr::from_static("1.2.3")));
        let w = Warning::parse_str("301 10.0.0.1 \"x\"").unwrap();
        assert!(matches!(
            w.agent,
            WarnAgent::Host {
                host: Host::Ipv4(_),
                port: None
            }
        ));
        assert_eq!(
            Warning::new(7, w.agent, "y").to_string(),
            "007 10.0.0.1 \"y\""
        );
    }

    #[test]
    fn invalid() {
        for (bad, offset) in [
            ("", 0),
            ("30 a \"x\"", 0),
            ("3070 a \"x\"", 0),
            ("307a \"x\"", 3),
            ("307 a", 5),
            ("307 a x", 6),
            ("307 a:99999 \"x\"", 6),
            ("307 a:1x \"x\"", 7),
            ("307 \"x\"", 4),
            ("307 a \"x\" y", 10),
            ("307 a \"x", 8),
        ] {
            match Warning::parse_str(bad) {
                Err(Error::Header {
                    name: "Warning",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
