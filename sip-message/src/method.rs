//! SIP request methods (RFC 3261 §7.1 and the IANA "Methods and Response Codes" registry).

use core::fmt;

use bytes::Bytes;

use crate::grammar::is_token;
use crate::{ByteStr, Error, Result};

/// A request method: every IANA-registered method, or an extension method (a `token`).
///
/// Methods are case-sensitive (§7.1): `invite` is an extension method, not `INVITE`.
///
/// ```
/// use sip_message::Method;
/// assert_eq!("INVITE".parse::<Method>().unwrap(), Method::Invite);
/// assert_eq!("FOO".parse::<Method>().unwrap().as_str(), "FOO");
/// assert!("BAD METHOD".parse::<Method>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// ACK (RFC 3261).
    Ack,
    /// BYE (RFC 3261).
    Bye,
    /// CANCEL (RFC 3261).
    Cancel,
    /// INFO (RFC 6086).
    Info,
    /// INVITE (RFC 3261).
    Invite,
    /// MESSAGE (RFC 3428).
    Message,
    /// NOTIFY (RFC 6665).
    Notify,
    /// OPTIONS (RFC 3261).
    Options,
    /// PRACK (RFC 3262).
    Prack,
    /// PUBLISH (RFC 3903).
    Publish,
    /// REFER (RFC 3515).
    Refer,
    /// REGISTER (RFC 3261).
    Register,
    /// SUBSCRIBE (RFC 6665).
    Subscribe,
    /// UPDATE (RFC 3311).
    Update,
    /// Any other method (a `token`).
    Extension(ByteStr),
}

impl Method {
    /// The method as written on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Ack => "ACK",
            Self::Bye => "BYE",
            Self::Cancel => "CANCEL",
            Self::Info => "INFO",
            Self::Invite => "INVITE",
            Self::Message => "MESSAGE",
            Self::Notify => "NOTIFY",
            Self::Options => "OPTIONS",
            Self::Prack => "PRACK",
            Self::Publish => "PUBLISH",
            Self::Refer => "REFER",
            Self::Register => "REGISTER",
            Self::Subscribe => "SUBSCRIBE",
            Self::Update => "UPDATE",
            Self::Extension(m) => m.as_str(),
        }
    }

    /// The registered method spelled `raw`, without allocating.
    pub fn known(raw: &[u8]) -> Option<Self> {
        /// A method of up to seven bytes as one word: its bytes, its length in the top byte.
        const fn key(s: &[u8]) -> u64 {
            let mut w = (s.len() as u64) << 56;
            let mut shift = 0;
            let mut rest = s;
            while let [b, tail @ ..] = rest {
                w |= (*b as u64) << shift;
                shift += 8;
                rest = tail;
            }
            w
        }
        let w = match *raw {
            [a, b, c] => u64::from_le_bytes([a, b, c, 0, 0, 0, 0, 3]),
            [a, b, c, d] => u64::from_le_bytes([a, b, c, d, 0, 0, 0, 4]),
            [a, b, c, d, e] => u64::from_le_bytes([a, b, c, d, e, 0, 0, 5]),
            [a, b, c, d, e, f] => u64::from_le_bytes([a, b, c, d, e, f, 0, 6]),
            [a, b, c, d, e, f, g] => u64::from_le_bytes([a, b, c, d, e, f, g, 7]),
            _ if raw == b"REGISTER" => return Some(Self::Register),
            _ if raw == b"SUBSCRIBE" => return Some(Self::Subscribe),
            _ => return None,
        };
        const ACK: u64 = key(b"ACK");
        const BYE: u64 = key(b"BYE");
        const CANCEL: u64 = key(b"CANCEL");
        const INFO: u64 = key(b"INFO");
        const INVITE: u64 = key(b"INVITE");
        const MESSAGE: u64 = key(b"MESSAGE");
        const NOTIFY: u64 = key(b"NOTIFY");
        const OPTIONS: u64 = key(b"OPTIONS");
        const PRACK: u64 = key(b"PRACK");
        const PUBLISH: u64 = key(b"PUBLISH");
        const REFER: u64 = key(b"REFER");
        const UPDATE: u64 = key(b"UPDATE");
        Some(match w {
            ACK => Self::Ack,
            BYE => Self::Bye,
            CANCEL => Self::Cancel,
            INFO => Self::Info,
            INVITE => Self::Invite,
            MESSAGE => Self::Message,
            NOTIFY => Self::Notify,
            OPTIONS => Self::Options,
            PRACK => Self::Prack,
            PUBLISH => Self::Publish,
            REFER => Self::Refer,
            UPDATE => Self::Update,
            _ => return None,
        })
    }

    /// Parses a method from shared bytes; an extension method shares `raw`.
    ///
    /// # Errors
    /// [`Error::Syntax`] when `raw` is not a `token`.
    pub fn from_bytes(raw: &Bytes) -> Result<Self> {
        if let Some(m) = Self::known(raw) {
            return Ok(m);
        }
        if !is_token(raw) {
            return Err(Error::Syntax {
                offset: 0,
                expected: "method token",
            });
        }
        ByteStr::from_utf8(raw.clone())
            .map(Self::Extension)
            .map_err(|_| Error::Syntax {
                offset: 0,
                expected: "method token",
            })
    }
}

impl core::str::FromStr for Method {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        if let Some(m) = Self::known(s.as_bytes()) {
            return Ok(m);
        }
        Self::from_bytes(&Bytes::copy_from_slice(s.as_bytes()))
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The registered methods' spellings.
    const REGISTERED: [&str; 14] = [
        "ACK",
        "BYE",
        "CANCEL",
        "INFO",
        "INVITE",
        "MESSAGE",
        "NOTIFY",
        "OPTIONS",
        "PRACK",
        "PUBLISH",
        "REFER",
        "REGISTER",
        "SUBSCRIBE",
        "UPDATE",
    ];

    #[test]
    fn registered_methods_round_trip() {
        for m in REGISTERED {
            let parsed: Method = m.parse().unwrap();
            assert!(!matches!(parsed, Method::Extension(_)), "{m}");
            assert_eq!(parsed.as_str(), m);
        }
    }

    /// The word compare gives what a comparison of the spellings gives, near misses included.
    #[test]
    fn known_is_exactly_the_registered_spellings() {
        let names = REGISTERED;
        let mut inputs: Vec<Vec<u8>> = vec![vec![], b"A".to_vec(), b"AC".to_vec()];
        for n in names {
            let b = n.as_bytes();
            inputs.push(b.to_vec());
            inputs.push(n.to_lowercase().into_bytes());
            inputs.push([b, b"\0"].concat());
            inputs.push([b"\0", b].concat());
            inputs.push([b, b"S"].concat());
            inputs.push(b[..b.len() - 1].to_vec());
            inputs.push(b[1..].to_vec());
            let mut flipped = b.to_vec();
            flipped[b.len() - 1] ^= 1;
            inputs.push(flipped);
        }
        for raw in inputs {
            let expected = names.iter().position(|n| n.as_bytes() == &raw[..]);
            let got = Method::known(&raw);
            assert_eq!(got.is_some(), expected.is_some(), "{raw:?}");
            if let (Some(m), Some(i)) = (got, expected) {
                assert_eq!(m.as_str(), names[i]);
            }
        }
    }

    #[test]
    fn extension_and_case() {
        assert_eq!(
            "invite".parse::<Method>().unwrap(),
            Method::Extension(ByteStr::from_static("invite"))
        );
        assert!("".parse::<Method>().is_err());
        assert!("A:B".parse::<Method>().is_err());
        assert_eq!("X.Y-z!".parse::<Method>().unwrap().as_str(), "X.Y-z!");
    }
}
