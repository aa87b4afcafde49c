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
        Some(match raw {
            b"ACK" => Self::Ack,
            b"BYE" => Self::Bye,
            b"CANCEL" => Self::Cancel,
            b"INFO" => Self::Info,
            b"INVITE" => Self::Invite,
            b"MESSAGE" => Self::Message,
            b"NOTIFY" => Self::Notify,
            b"OPTIONS" => Self::Options,
            b"PRACK" => Self::Prack,
            b"PUBLISH" => Self::Publish,
            b"REFER" => Self::Refer,
            b"REGISTER" => Self::Register,
            b"SUBSCRIBE" => Self::Subscribe,
            b"UPDATE" => Self::Update,
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

    #[test]
    fn registered_methods_round_trip() {
        for m in [
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
        ] {
            let parsed: Method = m.parse().unwrap();
            assert!(!matches!(parsed, Method::Extension(_)), "{m}");
            assert_eq!(parsed.as_str(), m);
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
