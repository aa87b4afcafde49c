//! STUN attributes (RFC 8489 §14): types, typed values and their wire forms.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use crate::message::{TransactionId, MAGIC_COOKIE};
use crate::Error;

/// A 16-bit STUN attribute type (RFC 8489 §18.3).
///
/// Types below 0x8000 are comprehension-required, the others comprehension-optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttributeType(pub u16);

impl AttributeType {
    /// MAPPED-ADDRESS (§14.1).
    pub const MAPPED_ADDRESS: Self = Self(0x0001);
    /// CHANGE-REQUEST (RFC 5780 §7.2; reserved in RFC 8489).
    pub const CHANGE_REQUEST: Self = Self(0x0003);
    /// USERNAME (§14.3).
    pub const USERNAME: Self = Self(0x0006);
    /// MESSAGE-INTEGRITY (§14.5).
    pub const MESSAGE_INTEGRITY: Self = Self(0x0008);
    /// ERROR-CODE (§14.8).
    pub const ERROR_CODE: Self = Self(0x0009);
    /// UNKNOWN-ATTRIBUTES (§14.13).
    pub const UNKNOWN_ATTRIBUTES: Self = Self(0x000A);
    /// REALM (§14.9).
    pub const REALM: Self = Self(0x0014);
    /// NONCE (§14.10).
    pub const NONCE: Self = Self(0x0015);
    /// MESSAGE-INTEGRITY-SHA256 (§14.6).
    pub const MESSAGE_INTEGRITY_SHA256: Self = Self(0x001C);
    /// PASSWORD-ALGORITHM (§14.12).
    pub const PASSWORD_ALGORITHM: Self = Self(0x001D);
    /// USERHASH (§14.4).
    pub const USERHASH: Self = Self(0x001E);
    /// XOR-MAPPED-ADDRESS (§14.2).
    pub const XOR_MAPPED_ADDRESS: Self = Self(0x0020);
    /// PASSWORD-ALGORITHMS (§14.11).
    pub const PASSWORD_ALGORITHMS: Self = Self(0x8002);
    /// ALTERNATE-DOMAIN (§14.16).
    pub const ALTERNATE_DOMAIN: Self = Self(0x8003);
    /// SOFTWARE (§14.14).
    pub const SOFTWARE: Self = Self(0x8022);
    /// ALTERNATE-SERVER (§14.15).
    pub const ALTERNATE_SERVER: Self = Self(0x8023);
    /// FINGERPRINT (§14.7).
    pub const FINGERPRINT: Self = Self(0x8028);

    /// Whether an agent that does not know this type must reject the message (§14, type < 0x8000).
    pub const fn is_comprehension_required(self) -> bool {
        self.0 < 0x8000
    }

    /// Whether this crate understands the type (the RFC 8489 attributes).
    pub const fn is_known(self) -> bool {
        matches!(
            self.0,
            0x0001
                | 0x0006
                | 0x0008
                | 0x0009
                | 0x000A
                | 0x0014
                | 0x0015
                | 0x001C
                | 0x001D
                | 0x001E
                | 0x0020
                | 0x8002
                | 0x8003
                | 0x8022
                | 0x8023
                | 0x8028
        )
    }

    /// The RFC name of the type, if known.
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0x0001 => "MAPPED-ADDRESS",
            0x0003 => "CHANGE-REQUEST",
            0x0006 => "USERNAME",
            0x0008 => "MESSAGE-INTEGRITY",
            0x0009 => "ERROR-CODE",
            0x000A => "UNKNOWN-ATTRIBUTES",
            0x0014 => "REALM",
            0x0015 => "NONCE",
            0x001C => "MESSAGE-INTEGRITY-SHA256",
            0x001D => "PASSWORD-ALGORITHM",
            0x001E => "USERHASH",
            0x0020 => "XOR-MAPPED-ADDRESS",
            0x8002 => "PASSWORD-ALGORITHMS",
            0x8003 => "ALTERNATE-DOMAIN",
            0x8022 => "SOFTWARE",
            0x8023 => "ALTERNATE-SERVER",
            0x8028 => "FINGERPRINT",
            _ => return None,
        })
    }
}

impl fmt::Display for AttributeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "attribute {:#06x}", self.0),
        }
    }
}

/// One attribute as it appears on the wire: type, unpadded value, and where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawAttribute<'a> {
    /// The attribute type.
    pub attribute_type: AttributeType,
    /// The value, without padding.
    pub value: &'a [u8],
    /// Offset of the attribute header from the start of the message.
    pub offset: usize,
}

/// A password algorithm (RFC 8489 §18.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PasswordAlgorithm(pub u16);

impl PasswordAlgorithm {
    /// MD5 (§18.5.1.1): 16-byte key, no parameters.
    pub const MD5: Self = Self(0x0001);
    /// SHA-256 (§18.5.1.2): 32-byte key, no parameters.
    pub const SHA256: Self = Self(0x0002);
}

/// An ERROR-CODE value (§14.8): a code from 300 to 699 and a reason phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode<'a> {
    /// The code, 300..=699.
    pub code: u16,
    /// The reason phrase.
    pub reason: &'a str,
}

impl ErrorCode<'_> {
    /// 300 Try Alternate.
    pub const TRY_ALTERNATE: u16 = 300;
    /// 400 Bad Request.
    pub const BAD_REQUEST: u16 = 400;
    /// 401 Unauthenticated.
    pub const UNAUTHENTICATED: u16 = 401;
    /// 420 Unknown Attribute.
    pub const UNKNOWN_ATTRIBUTE: u16 = 420;
    /// 438 Stale Nonce.
    pub const STALE_NONCE: u16 = 438;
    /// 500 Server Error.
    pub const SERVER_ERROR: u16 = 500;

    /// The reason phrase RFC 8489 §14.8 recommends for `code`.
    pub const fn default_reason(code: u16) -> &'static str {
        match code {
            300 => "Try Alternate",
            400 => "Bad Request",
            401 => "Unauthenticated",
            420 => "Unknown Attribute",
            438 => "Stale Nonce",
            500 => "Server Error",
            _ => "Error",
        }
    }
}

/// A typed view of an attribute value. Borrowed from the message; nothing is copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Attribute<'a> {
    /// MAPPED-ADDRESS.
    MappedAddress(SocketAddr),
    /// XOR-MAPPED-ADDRESS, already un-XORed.
    XorMappedAddress(SocketAddr),
    /// USERNAME.
    Username(&'a str),
    /// USERHASH (32 bytes).
    UserHash(&'a [u8; 32]),
    /// MESSAGE-INTEGRITY (20 bytes).
    MessageIntegrity(&'a [u8; 20]),
    /// MESSAGE-INTEGRITY-SHA256 (16 to 32 bytes, a multiple of 4).
    MessageIntegritySha256(&'a [u8]),
    /// FINGERPRINT.
    Fingerprint(u32),
    /// ERROR-CODE.
    ErrorCode(ErrorCode<'a>),
    /// UNKNOWN-ATTRIBUTES.
    UnknownAttributes(AttributeTypes<'a>),
    /// REALM.
    Realm(&'a str),
    /// NONCE.
    Nonce(&'a str),
    /// PASSWORD-ALGORITHMS.
    PasswordAlgorithms(PasswordAlgorithms<'a>),
    /// PASSWORD-ALGORITHM: the algorithm and its parameters.
    PasswordAlgorithm(PasswordAlgorithm, &'a [u8]),
    /// SOFTWARE.
    Software(&'a str),
    /// ALTERNATE-SERVER.
    AlternateServer(SocketAddr),
    /// ALTERNATE-DOMAIN.
    AlternateDomain(&'a str),
    /// Any other attribute, kept raw.
    Other(AttributeType, &'a [u8]),
}

impl<'a> Attribute<'a> {
    /// Decodes a raw attribute. `transaction_id` is needed to un-XOR an IPv6 XOR-MAPPED-ADDRESS.
    ///
    /// # Errors
    /// [`Error::InvalidAttribute`] when the value does not have the shape the type requires
    /// (wrong length, unknown address family, bad UTF-8, over the RFC 8489 decode limit).
    pub fn decode(raw: RawAttribute<'a>, transaction_id: &TransactionId) -> Result<Self, Error> {
        let t = raw.attribute_type;
        let v = raw.value;
        let invalid = |expected| Error::InvalidAttribute {
            attribute: t,
            offset: raw.offset,
            expected,
        };
        Ok(match t {
            AttributeType::MAPPED_ADDRESS => {
                Self::MappedAddress(decode_address(v, None).ok_or_else(|| invalid(ADDRESS))?)
            }
            AttributeType::ALTERNATE_SERVER => {
                Self::AlternateServer(decode_address(v, None).ok_or_else(|| invalid(ADDRESS))?)
            }
            AttributeType::XOR_MAPPED_ADDRESS => Self::XorMappedAddress(
                decode_address(v, Some(transaction_id)).ok_or_else(|| invalid(ADDRESS))?,
            ),
            AttributeType::USERNAME => {
                Self::Username(text(v, DECODE_TEXT_LIMIT).ok_or_else(|| invalid(TEXT))?)
            }
            AttributeType::REALM => {
                Self::Realm(text(v, DECODE_TEXT_LIMIT).ok_or_else(|| invalid(TEXT))?)
            }
            AttributeType::NONCE => {
                Self::Nonce(text(v, DECODE_TEXT_LIMIT).ok_or_else(|| invalid(TEXT))?)
            }
            AttributeType::SOFTWARE => {
                Self::Software(text(v, DECODE_TEXT_LIMIT).ok_or_else(|| invalid(TEXT))?)
            }
            AttributeType::ALTERNATE_DOMAIN => Self::AlternateDomain(
                text(v, ALTERNATE_DOMAIN_LIMIT)
                    .filter(|s| s.is_ascii())
                    .ok_or_else(|| invalid("an ASCII domain name of at most 255 bytes"))?,
            ),
            AttributeType::USERHASH => {
                Self::UserHash(v.try_into().map_err(|_| invalid("a 32-byte value"))?)
            }
            AttributeType::MESSAGE_INTEGRITY => {
                Self::MessageIntegrity(v.try_into().map_err(|_| invalid("a 20-byte value"))?)
            }
            AttributeType::MESSAGE_INTEGRITY_SHA256 => {
                if v.len() < 16 || v.len() > 32 || v.len() % 4 != 0 {
                    return Err(invalid("16 to 32 bytes, a multiple of 4"));
                }
                Self::MessageIntegritySha256(v)
            }
            AttributeType::FINGERPRINT => {
                let b: [u8; 4] = v.try_into().map_err(|_| invalid("a 4-byte value"))?;
                Self::Fingerprint(u32::from_be_bytes(b))
            }
            AttributeType::ERROR_CODE => {
                let expected = "class 3-6, number 0-99 and a UTF-8 reason";
                let (&[_, _, class, number], reason) =
                    split4(v).ok_or_else(|| invalid(expected))?;
                let class = class & 0x07;
                if !(3..=6).contains(&class) || number > 99 {
                    return Err(invalid(expected));
                }
                let reason = text(reason, DECODE_TEXT_LIMIT).ok_or_else(|| invalid(expected))?;
                Self::ErrorCode(ErrorCode {
                    code: u16::from(class) * 100 + u16::from(number),
                    reason,
                })
            }
            AttributeType::UNKNOWN_ATTRIBUTES => {
                if v.len() % 2 != 0 {
                    return Err(invalid("a list of 16-bit types"));
                }
                Self::UnknownAttributes(AttributeTypes(v))
            }
            AttributeType::PASSWORD_ALGORITHMS => {
                let list = PasswordAlgorithms(v);
                if !list.is_well_formed() {
                    return Err(invalid("a list of algorithm, length, parameters"));
                }
                Self::PasswordAlgorithms(list)
            }
            AttributeType::PASSWORD_ALGORITHM => {
                let (algorithm, params, rest) =
                    split_algorithm(v).ok_or_else(|| invalid("algorithm, length, parameters"))?;
                if !rest.is_empty() {
                    return Err(invalid("algorithm, length, parameters"));
                }
                Self::PasswordAlgorithm(algorithm, params)
            }
            _ => Self::Other(t, v),
        })
    }

    /// The type of this attribute.
    pub const fn attribute_type(&self) -> AttributeType {
        match self {
            Self::MappedAddress(_) => AttributeType::MAPPED_ADDRESS,
            Self::XorMappedAddress(_) => AttributeType::XOR_MAPPED_ADDRESS,
            Self::Username(_) => AttributeType::USERNAME,
            Self::UserHash(_) => AttributeType::USERHASH,
            Self::MessageIntegrity(_) => AttributeType::MESSAGE_INTEGRITY,
            Self::MessageIntegritySha256(_) => AttributeType::MESSAGE_INTEGRITY_SHA256,
            Self::Fingerprint(_) => AttributeType::FINGERPRINT,
            Self::ErrorCode(_) => AttributeType::ERROR_CODE,
            Self::UnknownAttributes(_) => AttributeType::UNKNOWN_ATTRIBUTES,
            Self::Realm(_) => AttributeType::REALM,
            Self::Nonce(_) => AttributeType::NONCE,
            Self::PasswordAlgorithms(_) => AttributeType::PASSWORD_ALGORITHMS,
            Self::PasswordAlgorithm(..) => AttributeType::PASSWORD_ALGORITHM,
            Self::Software(_) => AttributeType::SOFTWARE,
            Self::AlternateServer(_) => AttributeType::ALTERNATE_SERVER,
            Self::AlternateDomain(_) => AttributeType::ALTERNATE_DOMAIN,
            Self::Other(t, _) => *t,
        }
    }
}

/// The list of types inside UNKNOWN-ATTRIBUTES.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributeTypes<'a>(&'a [u8]);

impl<'a> AttributeTypes<'a> {
    /// Iterates the listed types.
    pub fn iter(&self) -> impl Iterator<Item = AttributeType> + 'a {
        self.0.chunks_exact(2).map(|c| {
            AttributeType(u16::from_be_bytes([
                c.first().copied().unwrap_or(0),
                c.get(1).copied().unwrap_or(0),
            ]))
        })
    }
}

/// The list inside PASSWORD-ALGORITHMS: algorithms with their parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordAlgorithms<'a>(&'a [u8]);

impl<'a> PasswordAlgorithms<'a> {
    /// The raw value (used to echo the list back, §9.2.5).
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.0
    }

    /// Iterates the listed algorithms and their parameters.
    pub fn iter(&self) -> impl Iterator<Item = (PasswordAlgorithm, &'a [u8])> + 'a {
        let mut rest = self.0;
        std::iter::from_fn(move || {
            let (algorithm, params, tail) = split_algorithm(rest)?;
            rest = tail;
            Some((algorithm, params))
        })
    }

    fn is_well_formed(&self) -> bool {
        let mut rest = self.0;
        while !rest.is_empty() {
            match split_algorithm(rest) {
                Some((_, _, tail)) => rest = tail,
                None => return false,
            }
        }
        true
    }
}

/// Limit on USERNAME, REALM, NONCE, SOFTWARE and reason phrases when decoding (§14.3, §14.8-10, §14.14).
pub const DECODE_TEXT_LIMIT: usize = 763;
/// Limit on USERNAME, REALM, NONCE, SOFTWARE and reason phrases when encoding (fewer than 509 bytes).
pub const ENCODE_TEXT_LIMIT: usize = 508;
/// Limit on ALTERNATE-DOMAIN (§14.16).
pub const ALTERNATE_DOMAIN_LIMIT: usize = 255;

const ADDRESS: &str = "family 1 with 4 address bytes or family 2 with 16";
const TEXT: &str = "UTF-8 of at most 763 bytes";

fn text(v: &[u8], limit: usize) -> Option<&str> {
    if v.len() > limit {
        return None;
    }
    std::str::from_utf8(v).ok()
}

fn split4(v: &[u8]) -> Option<(&[u8; 4], &[u8])> {
    let (head, tail) = v.split_first_chunk::<4>()?;
    Some((head, tail))
}

/// Splits `algorithm(2) length(2) params(length, padded to 4)` off the front of `v`.
fn split_algorithm(v: &[u8]) -> Option<(PasswordAlgorithm, &[u8], &[u8])> {
    let (&[a0, a1, l0, l1], rest) = split4(v)?;
    let length = usize::from(u16::from_be_bytes([l0, l1]));
    let params = rest.get(..length)?;
    let padded = (length + 3) & !3;
    let tail = rest.get(padded..).unwrap_or_default();
    if rest.len() < padded && rest.len() != length {
        return None;
    }
    Some((
        PasswordAlgorithm(u16::from_be_bytes([a0, a1])),
        params,
        tail,
    ))
}

/// Decodes a (XOR-)MAPPED-ADDRESS value; `xor` holds the transaction ID for XOR-MAPPED-ADDRESS.
pub(crate) fn decode_address(v: &[u8], xor: Option<&TransactionId>) -> Option<SocketAddr> {
    let (&[_, family, p0, p1], address) = split4(v)?;
    let mut port = u16::from_be_bytes([p0, p1]);
    if xor.is_some() {
        port ^= (MAGIC_COOKIE >> 16) as u16;
    }
    let ip = match family {
        0x01 => {
            let b: [u8; 4] = address.try_into().ok()?;
            let mut ip = u32::from_be_bytes(b);
            if xor.is_some() {
                ip ^= MAGIC_COOKIE;
            }
            IpAddr::V4(Ipv4Addr::from(ip))
        }
        0x02 => {
            let mut b: [u8; 16] = address.try_into().ok()?;
            if let Some(id) = xor {
                let mask = xor_mask(id);
                for (x, m) in b.iter_mut().zip(mask) {
                    *x ^= m;
                }
            }
            IpAddr::V6(Ipv6Addr::from(b))
        }
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

/// Writes a (XOR-)MAPPED-ADDRESS value (8 or 20 bytes) into `out`.
pub(crate) fn encode_address(out: &mut Vec<u8>, address: SocketAddr, xor: Option<&TransactionId>) {
    let mut port = address.port();
    if xor.is_some() {
        port ^= (MAGIC_COOKIE >> 16) as u16;
    }
    match address.ip() {
        IpAddr::V4(ip) => {
            out.extend_from_slice(&[0, 0x01]);
            out.extend_from_slice(&port.to_be_bytes());
            let mut ip = u32::from(ip);
            if xor.is_some() {
                ip ^= MAGIC_COOKIE;
            }
            out.extend_from_slice(&ip.to_be_bytes());
        }
        IpAddr::V6(ip) => {
            out.extend_from_slice(&[0, 0x02]);
            out.extend_from_slice(&port.to_be_bytes());
            let mut b = ip.octets();
            if let Some(id) = xor {
                for (x, m) in b.iter_mut().zip(xor_mask(id)) {
                    *x ^= m;
                }
            }
            out.extend_from_slice(&b);
        }
    }
}

/// Magic cookie followed by the transaction ID (§14.2, IPv6 case).
fn xor_mask(id: &TransactionId) -> [u8; 16] {
    let mut mask = [0u8; 16];
    let (cookie, rest) = mask.split_at_mut(4);
    cookie.copy_from_slice(&MAGIC_COOKIE.to_be_bytes());
    rest.copy_from_slice(&id.0);
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(t: AttributeType, v: &[u8]) -> RawAttribute<'_> {
        RawAttribute {
            attribute_type: t,
            value: v,
            offset: 20,
        }
    }

    #[test]
    fn comprehension_ranges() {
        assert!(AttributeType::USERNAME.is_comprehension_required());
        assert!(!AttributeType::SOFTWARE.is_comprehension_required());
        assert!(AttributeType(0x7fff).is_comprehension_required());
        assert!(!AttributeType(0x8000).is_comprehension_required());
        assert_eq!(AttributeType(0x1234).to_string(), "attribute 0x1234");
        assert_eq!(AttributeType::NONCE.to_string(), "NONCE");
    }

    #[test]
    fn address_round_trip_v4_v6() {
        let id = TransactionId([7; 12]);
        for a in [
            "192.0.2.1:32853",
            "[2001:db8:1234:5678:11:2233:4455:6677]:32853",
        ] {
            let a: SocketAddr = a.parse().unwrap();
            for xor in [None, Some(&id)] {
                let mut v = Vec::new();
                encode_address(&mut v, a, xor);
                assert_eq!(decode_address(&v, xor), Some(a));
            }
        }
    }

    #[test]
    fn bad_values_are_errors() {
        let id = TransactionId([0; 12]);
        let cases: &[(AttributeType, &[u8])] = &[
            (AttributeType::MAPPED_ADDRESS, &[0, 1, 0, 1, 1, 2, 3]),
            (AttributeType::MAPPED_ADDRESS, &[0, 3, 0, 1, 1, 2, 3, 4]),
            (AttributeType::XOR_MAPPED_ADDRESS, &[0, 2, 0, 1, 1, 2, 3, 4]),
            (AttributeType::USERNAME, &[0xff, 0xfe]),
            (AttributeType::USERHASH, &[0; 31]),
            (AttributeType::MESSAGE_INTEGRITY, &[0; 21]),
            (AttributeType::MESSAGE_INTEGRITY_SHA256, &[0; 12]),
            (AttributeType::MESSAGE_INTEGRITY_SHA256, &[0; 18]),
            (AttributeType::MESSAGE_INTEGRITY_SHA256, &[0; 36]),
            (AttributeType::FINGERPRINT, &[0; 3]),
            (AttributeType::ERROR_CODE, &[0, 0, 2, 0]),
            (AttributeType::ERROR_CODE, &[0, 0, 4, 100]),
            (AttributeType::ERROR_CODE, &[0, 0]),
            (AttributeType::UNKNOWN_ATTRIBUTES, &[0, 1, 0]),
            (AttributeType::PASSWORD_ALGORITHMS, &[0, 1, 0, 8, 0]),
            (AttributeType::PASSWORD_ALGORITHM, &[0, 1, 0, 0, 9, 9, 9, 9]),
            (AttributeType::PASSWORD_ALGORITHM, &[0, 1]),
            (AttributeType::ALTERNATE_DOMAIN, "é".as_bytes()),
        ];
        for (t, v) in cases {
            let e = Attribute::decode(raw(*t, v), &id).unwrap_err();
            assert!(
                matches!(e, Error::InvalidAttribute { attribute, .. } if attribute == *t),
                "{t}: {e}"
            );
        }
        let long = vec![b'a'; 764];
        assert!(Attribute::decode(raw(AttributeType::REALM, &long), &id).is_err());
        let domain = vec![b'a'; 256];
        assert!(Attribute::decode(raw(AttributeType::ALTERNATE_DOMAIN, &domain), &id).is_err());
    }

    #[test]
    fn good_values() {
        let id = TransactionId([0; 12]);
        let e =
            Attribute::decode(raw(AttributeType::ERROR_CODE, b"\0\0\x04\x26Stale"), &id).unwrap();
        assert_eq!(
            e,
            Attribute::ErrorCode(ErrorCode {
                code: 438,
                reason: "Stale"
            })
        );
        let u = Attribute::decode(
            raw(AttributeType::UNKNOWN_ATTRIBUTES, &[0, 3, 0x7f, 0xff]),
            &id,
        )
        .unwrap();
        let Attribute::UnknownAttributes(list) = u else {
            panic!()
        };
        assert_eq!(
            list.iter().collect::<Vec<_>>(),
            [AttributeType(3), AttributeType(0x7fff)]
        );
        let p = [0, 2, 0, 0, 0, 1, 0, 1, 9, 0, 0, 0];
        let Attribute::PasswordAlgorithms(list) =
            Attribute::decode(raw(AttributeType::PASSWORD_ALGORITHMS, &p), &id).unwrap()
        else {
            panic!()
        };
        assert_eq!(
            list.iter().collect::<Vec<_>>(),
            [
                (PasswordAlgorithm::SHA256, &[][..]),
                (PasswordAlgorithm::MD5, &[9][..])
            ]
        );
        let o = Attribute::decode(raw(AttributeType(0x0024), &[1, 2, 3, 4]), &id).unwrap();
        assert_eq!(o, Attribute::Other(AttributeType(0x0024), &[1, 2, 3, 4]));
        assert_eq!(o.attribute_type(), AttributeType(0x0024));
    }
}
