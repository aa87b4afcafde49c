//! `host` (RFC 3261 §25.1): a domain name, an IPv4 address or an IPv6 reference (RFC 5954).

use core::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use bytes::Bytes;

use crate::grammar::{self, Cursor, ALPHA, HOST};
use crate::{ByteStr, Error, Result};

/// The host part of a URI or of a Via sent-by.
///
/// Domain names compare case-insensitively; addresses compare by value, so
/// `[2001:db8::1]` equals `[2001:DB8:0:0::1]` (RFC 5954 §4).
///
/// ```
/// use sip_message::Host;
/// let h: Host = "[2001:db8::1]".parse().unwrap();
/// assert_eq!(h, "[2001:DB8:0::1]".parse().unwrap());
/// assert_eq!(h.to_string(), "[2001:db8::1]");
/// assert_eq!("Example.COM".parse::<Host>().unwrap(), "example.com".parse().unwrap());
/// ```
#[derive(Debug, Clone, Eq)]
pub enum Host {
    /// A host name, as written.
    Domain(ByteStr),
    /// An IPv4 address.
    Ipv4(Ipv4Addr),
    /// An IPv6 address (written in brackets).
    Ipv6(Ipv6Addr),
}

impl Host {
    /// The address, when the host is an IP literal.
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            Self::Domain(_) => None,
            Self::Ipv4(a) => Some(IpAddr::V4(*a)),
            Self::Ipv6(a) => Some(IpAddr::V6(*a)),
        }
    }

    /// Parses a host at the cursor: `[IPv6]`, an IPv4 address or a host name (§25.1). Stops
    /// at the first byte that cannot belong to a host.
    pub(crate) fn parse_at(cur: &mut Cursor<'_>) -> Result<Self> {
        if cur.peek() == Some(b'[') {
            let open = cur.offset();
            cur.next_byte();
            let (s, e) = cur.take_while(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
            let text = core::str::from_utf8(cur.bytes(s, e)).unwrap_or_default();
            let addr = text.parse::<Ipv6Addr>().map_err(|_| Error::Syntax {
                offset: open,
                expected: "IPv6 address",
            })?;
            cur.expect(b']', "`]` closing the IPv6 reference")?;
            return Ok(Self::Ipv6(addr));
        }
        let start = cur.offset();
        let (s, e) = cur.take_class(HOST);
        let raw = cur.bytes(s, e);
        // Most hosts in Via and Contact are IPv4 addresses: try that first (one pass).
        if raw.first().is_some_and(u8::is_ascii_digit) {
            if let Some(a) = parse_ipv4(raw) {
                return Ok(Self::Ipv4(a));
            }
        }
        match classify(raw) {
            Shape::Empty => Err(cur.error("host")),
            Shape::Ipv4 => parse_ipv4(raw).map(Self::Ipv4).ok_or(Error::Syntax {
                offset: start,
                expected: "IPv4 address",
            }),
            // Host characters are ASCII: no UTF-8 check needed.
            Shape::Hostname => Ok(Self::Domain(cur.ascii(s, e))),
            Shape::Invalid => Err(Error::Syntax {
                offset: start,
                expected: "host name",
            }),
        }
    }

    /// Parses a whole string as a host.
    ///
    /// # Errors
    /// [`Error::Syntax`] when `s` is not exactly one host.
    pub fn parse_bytes(s: &Bytes) -> Result<Self> {
        let mut cur = Cursor::new(s);
        let host = Self::parse_at(&mut cur)?;
        if !cur.is_at_end() {
            return Err(cur.error("end of host"));
        }
        Ok(host)
    }
}

/// `IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT` (§25.1), each octet at
/// most 255 and without leading zeros (what `Ipv4Addr::from_str` accepts), from digits and
/// dots only. Cheaper than the standard parser, which needs a `&str`.
pub(crate) fn parse_ipv4(raw: &[u8]) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut n = 0usize;
    let mut value = 0u32;
    let mut digits = 0u32;
    for &b in raw {
        if b == b'.' {
            if digits == 0 || n >= 3 {
                return None;
            }
            *octets.get_mut(n)? = u8::try_from(value).ok()?;
            n += 1;
            value = 0;
            digits = 0;
        } else {
            let d = u32::from(b.wrapping_sub(b'0'));
            // A leading zero is only allowed for the octet `0` itself.
            if d > 9 || digits >= 3 || (digits == 1 && value == 0) {
                return None;
            }
            value = value * 10 + d;
            digits += 1;
        }
    }
    if digits == 0 || n != 3 {
        return None;
    }
    *octets.get_mut(3)? = u8::try_from(value).ok()?;
    Some(Ipv4Addr::from(octets))
}

/// What a run of host characters (alphanum, `-`, `.`) is.
pub(crate) enum Shape {
    Empty,
    /// Only digits and dots: must be an IPv4 address.
    Ipv4,
    /// `hostname = *( domainlabel "." ) toplabel [ "." ]` (§25.1): labels of alphanum and
    /// `-`, not starting or ending with `-`; the top label starts with a letter.
    Hostname,
    Invalid,
}

/// Classifies `raw` in one pass.
pub(crate) fn classify(raw: &[u8]) -> Shape {
    if raw.is_empty() {
        return Shape::Empty;
    }
    let mut all_digits = true;
    let mut label_start = true; // at the first byte of a label
    let mut last = b'.';
    let mut top_first = b'.'; // first byte of the last label seen
    for &b in raw {
        match b {
            b'.' => {
                if label_start || last == b'-' {
                    return Shape::Invalid; // empty label or label ending with `-`
                }
                label_start = true;
            }
            _ => {
                if label_start {
                    if b == b'-' {
                        return Shape::Invalid;
                    }
                    top_first = b;
                    label_start = false;
                }
                all_digits &= b.is_ascii_digit();
            }
        }
        last = b;
    }
    if all_digits {
        return Shape::Ipv4;
    }
    // A trailing dot (`last == b'.'`) ends a fully qualified name and is fine.
    if last == b'-' || !grammar::is(top_first, ALPHA) {
        return Shape::Invalid;
    }
    Shape::Hostname
}

impl PartialEq for Host {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Domain(a), Self::Domain(b)) => a.as_bytes().eq_ignore_ascii_case(b.as_bytes()),
            (Self::Ipv4(a), Self::Ipv4(b)) => a == b,
            (Self::Ipv6(a), Self::Ipv6(b)) => a == b,
            _ => false,
        }
    }
}

impl core::hash::Hash for Host {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        match self {
            Self::Domain(d) => {
                state.write_u8(0);
                for b in d.as_bytes() {
                    state.write_u8(b.to_ascii_lowercase());
                }
            }
            Self::Ipv4(a) => a.hash(state),
            Self::Ipv6(a) => a.hash(state),
        }
    }
}

impl From<IpAddr> for Host {
    fn from(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(a) => Self::Ipv4(a),
            IpAddr::V6(a) => Self::Ipv6(a),
        }
    }
}

impl core::str::FromStr for Host {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse_bytes(&Bytes::copy_from_slice(s.as_bytes()))
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Domain(d) => f.write_str(d),
            Self::Ipv4(a) => write!(f, "{a}"),
            Self::Ipv6(a) => write!(f, "[{a}]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written IPv4 parser accepts exactly what the standard one does.
    #[test]
    fn ipv4_agrees_with_std() {
        for s in [
            "1.2.3.4",
            "0.0.0.0",
            "255.255.255.255",
            "10.0.0.1",
            "192.0.2.101",
            "01.2.3.4",
            "1.2.3.00",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "1..2.3",
            "1.2.3.4.",
            ".1.2.3.4",
            "1234.1.1.1",
            "",
            "1.2.3.a",
            "999.1.1.1",
            "1.2.3.0400",
        ] {
            assert_eq!(parse_ipv4(s.as_bytes()), s.parse::<Ipv4Addr>().ok(), "{s}");
        }
    }

    #[test]
    fn hosts() {
        assert_eq!(
            "10.0.0.1".parse::<Host>().unwrap(),
            Host::Ipv4(Ipv4Addr::new(10, 0, 0, 1))
        );
        assert!(matches!(
            "atlanta.com".parse::<Host>().unwrap(),
            Host::Domain(_)
        ));
        assert!(matches!("a-b.c.".parse::<Host>().unwrap(), Host::Domain(_)));
        for bad in [
            "",
            "-a.com",
            "a-.com",
            "a..com",
            "1.2.3",
            "1.2.3.256",
            "[::1",
            "[zz]",
            "a.1com",
            "a b",
        ] {
            assert!(bad.parse::<Host>().is_err(), "{bad}");
        }
    }

    #[test]
    fn stops_at_port() {
        let buf = Bytes::from_static(b"[::1]:5060");
        let mut c = Cursor::new(&buf);
        assert_eq!(
            Host::parse_at(&mut c).unwrap(),
            Host::Ipv6(Ipv6Addr::LOCALHOST)
        );
        assert_eq!(c.peek(), Some(b':'));
    }
}
