//! The STUN message header and the zero-copy decoded view (RFC 8489 §5).

use std::fmt;
use std::net::SocketAddr;

use crate::attribute::{Attribute, AttributeType, ErrorCode, RawAttribute};
use crate::integrity::{self, IntegrityKey};
use crate::Error;

/// The magic cookie, bytes 4..8 of every RFC 5389/8489 message (§5).
pub const MAGIC_COOKIE: u32 = 0x2112_A442;
/// Size of the STUN header.
pub const HEADER_LEN: usize = 20;

/// The 96-bit transaction ID (§5).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TransactionId(pub [u8; 12]);

impl fmt::Debug for TransactionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TransactionId(")?;
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

/// The message class (§5): the C1 and C0 bits of the message type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// Request (0b00).
    Request,
    /// Indication (0b01).
    Indication,
    /// Success response (0b10).
    SuccessResponse,
    /// Error response (0b11).
    ErrorResponse,
}

/// A 12-bit STUN method (§5, §18.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Method(u16);

impl Method {
    /// Binding (0x001).
    pub const BINDING: Self = Self(0x001);

    /// A method from its 12-bit number; `None` above 0xFFF.
    pub const fn new(number: u16) -> Option<Self> {
        if number > 0xFFF {
            None
        } else {
            Some(Self(number))
        }
    }

    /// The method number.
    pub const fn number(self) -> u16 {
        self.0
    }
}

/// Builds the 14-bit message type from class and method (§5, Figure 3).
pub const fn message_type(class: Class, method: Method) -> u16 {
    let m = method.0;
    let c: u16 = match class {
        Class::Request => 0b00,
        Class::Indication => 0b01,
        Class::SuccessResponse => 0b10,
        Class::ErrorResponse => 0b11,
    };
    (m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 0b01) << 4) | ((c & 0b10) << 7)
}

/// Splits a 14-bit message type into class and method (§5, Figure 3).
pub const fn split_message_type(t: u16) -> (Class, Method) {
    let class = match ((t >> 7) & 0b10) | ((t >> 4) & 0b01) {
        0b00 => Class::Request,
        0b01 => Class::Indication,
        0b10 => Class::SuccessResponse,
        _ => Class::ErrorResponse,
    };
    let method = (t & 0x000F) | ((t >> 1) & 0x0070) | ((t >> 2) & 0x0F80);
    (class, Method(method))
}

/// A decoded STUN message: a validated view over the caller's bytes.
///
/// Decoding checks the header (§5), walks every attribute once (lengths, padding, FINGERPRINT
/// last) and remembers where MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are.
/// It allocates nothing; attribute values are decoded when asked for.
///
/// Following §14.5, attributes after MESSAGE-INTEGRITY other than MESSAGE-INTEGRITY-SHA256
/// and FINGERPRINT are ignored: [`Message::attributes`] does not yield them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message<'a> {
    bytes: &'a [u8],
    class: Class,
    method: Method,
    cookie: u32,
    transaction_id: TransactionId,
    integrity: Option<usize>,
    integrity_sha256: Option<usize>,
    fingerprint: Option<usize>,
}

impl<'a> Message<'a> {
    /// Decodes one STUN message that fills `bytes` exactly (one UDP datagram).
    ///
    /// # Errors
    /// [`Error::Truncated`], [`Error::NotStun`], [`Error::MagicCookie`],
    /// [`Error::UnalignedLength`], [`Error::TrailingBytes`], [`Error::AttributeOverrun`],
    /// [`Error::AfterFingerprint`].
    ///
    /// # Examples
    /// ```
    /// let bytes = [0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    /// let message = stun::Message::decode(&bytes)?;
    /// assert_eq!(message.class(), stun::Class::Request);
    /// assert_eq!(message.method(), stun::Method::BINDING);
    /// # Ok::<(), stun::Error>(())
    /// ```
    #[inline]
    pub fn decode(bytes: &'a [u8]) -> Result<Self, Error> {
        let message = Self::decode_classic(bytes)?;
        if message.cookie != MAGIC_COOKIE {
            return Err(Error::MagicCookie {
                found: message.cookie,
            });
        }
        Ok(message)
    }

    /// Decodes like [`Message::decode`] but accepts any value in the magic cookie field, as sent
    /// by RFC 3489 ("classic STUN") clients (RFC 5389 §12.2). [`Message::is_classic`] tells.
    ///
    /// # Errors
    /// As [`Message::decode`], without [`Error::MagicCookie`].
    #[inline]
    pub fn decode_classic(bytes: &'a [u8]) -> Result<Self, Error> {
        let Some((header, body)) = bytes.split_first_chunk::<HEADER_LEN>() else {
            return Err(Error::Truncated {
                offset: bytes.len(),
                needed: HEADER_LEN - bytes.len(),
            });
        };
        let [t0, t1, l0, l1, c0, c1, c2, c3, id @ ..] = *header;
        if t0 & 0xC0 != 0 {
            return Err(Error::NotStun);
        }
        let length = u16::from_be_bytes([l0, l1]);
        if length % 4 != 0 {
            return Err(Error::UnalignedLength { length });
        }
        let length = usize::from(length);
        if body.len() < length {
            return Err(Error::Truncated {
                offset: bytes.len(),
                needed: length - body.len(),
            });
        }
        if body.len() > length {
            return Err(Error::TrailingBytes {
                offset: HEADER_LEN + length,
                extra: body.len() - length,
            });
        }
        let (class, method) = split_message_type(u16::from_be_bytes([t0, t1]));
        let mut message = Self {
            bytes,
            class,
            method,
            cookie: u32::from_be_bytes([c0, c1, c2, c3]),
            transaction_id: TransactionId(id),
            integrity: None,
            integrity_sha256: None,
            fingerprint: None,
        };
        let mut offset = HEADER_LEN;
        let mut rest = body;
        while let Some((&[a0, a1, b0, b1], tail)) = rest.split_first_chunk::<4>() {
            let attribute = AttributeType(u16::from_be_bytes([a0, a1]));
            let value_length = u16::from_be_bytes([b0, b1]);
            let padded = (usize::from(value_length) + 3) & !3;
            let Some(next) = tail.get(padded..) else {
                return Err(Error::AttributeOverrun {
                    attribute,
                    offset,
                    length: value_length,
                });
            };
            if message.fingerprint.is_some() {
                return Err(Error::AfterFingerprint { attribute, offset });
            }
            match attribute {
                AttributeType::MESSAGE_INTEGRITY if message.integrity.is_none() => {
                    message.integrity = Some(offset);
                }
                AttributeType::MESSAGE_INTEGRITY_SHA256 if message.integrity_sha256.is_none() => {
                    message.integrity_sha256 = Some(offset);
                }
                AttributeType::FINGERPRINT => message.fingerprint = Some(offset),
                _ => {}
            }
            offset += 4 + padded;
            rest = next;
        }
        // The length is a multiple of 4 and every attribute is padded to 4, so nothing is left.
        Ok(message)
    }

    /// The length of the STUN message at the start of `bytes` (header plus length field), for
    /// framing STUN over a stream; `None` until the 20-byte header is there.
    pub fn frame_len(bytes: &[u8]) -> Option<usize> {
        let &[_, _, l0, l1] = bytes.first_chunk::<4>()?;
        bytes.get(..HEADER_LEN)?;
        Some(HEADER_LEN + usize::from(u16::from_be_bytes([l0, l1])))
    }

    /// The message bytes.
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The class.
    pub const fn class(&self) -> Class {
        self.class
    }

    /// The method.
    pub const fn method(&self) -> Method {
        self.method
    }

    /// The transaction ID.
    pub const fn transaction_id(&self) -> TransactionId {
        self.transaction_id
    }

    /// The magic cookie field (0x2112A442 unless the message is classic).
    pub const fn cookie(&self) -> u32 {
        self.cookie
    }

    /// Whether the message comes from an RFC 3489 agent (no magic cookie).
    pub const fn is_classic(&self) -> bool {
        self.cookie != MAGIC_COOKIE
    }

    /// Iterates the attributes in order, skipping those §14.5 says to ignore (after
    /// MESSAGE-INTEGRITY, except MESSAGE-INTEGRITY-SHA256 and FINGERPRINT).
    #[inline]
    pub fn attributes(&self) -> Attributes<'a> {
        Attributes {
            bytes: self.bytes,
            offset: HEADER_LEN,
            ignore_from: self.integrity.map_or(usize::MAX, |o| o + 24),
        }
    }

    /// The first attribute of type `t`, raw.
    #[inline]
    pub fn raw(&self, t: AttributeType) -> Option<RawAttribute<'a>> {
        self.attributes().find(|a| a.attribute_type == t)
    }

    /// The first attribute of type `t`, decoded.
    ///
    /// # Errors
    /// [`Error::InvalidAttribute`] when the attribute is present but malformed.
    #[inline]
    pub fn get(&self, t: AttributeType) -> Result<Option<Attribute<'a>>, Error> {
        self.raw(t)
            .map(|raw| Attribute::decode(raw, &self.transaction_id))
            .transpose()
    }

    /// XOR-MAPPED-ADDRESS, or MAPPED-ADDRESS when absent (classic servers); `None` when neither
    /// is present and valid.
    #[inline]
    pub fn mapped_address(&self) -> Option<SocketAddr> {
        if let Ok(Some(Attribute::XorMappedAddress(a))) =
            self.get(AttributeType::XOR_MAPPED_ADDRESS)
        {
            return Some(a);
        }
        match self.get(AttributeType::MAPPED_ADDRESS) {
            Ok(Some(Attribute::MappedAddress(a))) => Some(a),
            _ => None,
        }
    }

    /// ERROR-CODE, if present and valid.
    pub fn error_code(&self) -> Option<ErrorCode<'a>> {
        match self.get(AttributeType::ERROR_CODE) {
            Ok(Some(Attribute::ErrorCode(e))) => Some(e),
            _ => None,
        }
    }

    /// A text attribute (USERNAME, REALM, NONCE, SOFTWARE, ALTERNATE-DOMAIN), if present and valid.
    #[inline]
    pub fn text(&self, t: AttributeType) -> Option<&'a str> {
        match self.get(t) {
            Ok(Some(
                Attribute::Username(s)
                | Attribute::Realm(s)
                | Attribute::Nonce(s)
                | Attribute::Software(s)
                | Attribute::AlternateDomain(s),
            )) => Some(s),
            _ => None,
        }
    }

    /// Comprehension-required attribute types this crate does not know (§6.3), in order.
    pub fn unknown_comprehension_required(&self) -> impl Iterator<Item = AttributeType> + 'a {
        self.attributes()
            .map(|a| a.attribute_type)
            .filter(|t| t.is_comprehension_required() && !t.is_known())
    }

    /// Whether MESSAGE-INTEGRITY is present.
    pub const fn has_integrity(&self) -> bool {
        self.integrity.is_some()
    }

    /// Whether MESSAGE-INTEGRITY-SHA256 is present.
    pub const fn has_integrity_sha256(&self) -> bool {
        self.integrity_sha256.is_some()
    }

    /// Whether FINGERPRINT is present.
    pub const fn has_fingerprint(&self) -> bool {
        self.fingerprint.is_some()
    }

    /// Verifies MESSAGE-INTEGRITY-SHA256 when present, else MESSAGE-INTEGRITY (§9.1.3, §9.2.4).
    ///
    /// # Errors
    /// [`Error::MissingIntegrity`] when neither is present, [`Error::IntegrityMismatch`] or
    /// [`Error::InvalidAttribute`] when the value is wrong.
    #[inline]
    pub fn verify_integrity(&self, key: &IntegrityKey) -> Result<(), Error> {
        if self.integrity_sha256.is_some() {
            self.verify_integrity_sha256(key)
        } else {
            self.verify_integrity_sha1(key)
        }
    }

    /// Verifies MESSAGE-INTEGRITY (HMAC-SHA1, §14.5) in constant time.
    ///
    /// # Errors
    /// [`Error::MissingIntegrity`], [`Error::InvalidAttribute`] (length not 20) or
    /// [`Error::IntegrityMismatch`].
    #[inline]
    pub fn verify_integrity_sha1(&self, key: &IntegrityKey) -> Result<(), Error> {
        let attribute = AttributeType::MESSAGE_INTEGRITY;
        let offset = self
            .integrity
            .ok_or(Error::MissingIntegrity { attribute })?;
        let value = self.value_at(offset, attribute)?;
        if value.len() != 20 {
            return Err(Error::InvalidAttribute {
                attribute,
                offset,
                expected: "a 20-byte value",
            });
        }
        let (before, _) = self
            .bytes
            .split_at_checked(offset)
            .ok_or(Error::MissingIntegrity { attribute })?;
        if key.verify_sha1(before, offset + 24 - HEADER_LEN, value) {
            Ok(())
        } else {
            Err(Error::IntegrityMismatch { attribute })
        }
    }

    /// Verifies MESSAGE-INTEGRITY-SHA256 (HMAC-SHA256, §14.6), possibly truncated, in constant time.
    ///
    /// # Errors
    /// [`Error::MissingIntegrity`], [`Error::InvalidAttribute`] (length not 16..=32 and a
    /// multiple of 4) or [`Error::IntegrityMismatch`].
    #[inline]
    pub fn verify_integrity_sha256(&self, key: &IntegrityKey) -> Result<(), Error> {
        let attribute = AttributeType::MESSAGE_INTEGRITY_SHA256;
        let offset = self
            .integrity_sha256
            .ok_or(Error::MissingIntegrity { attribute })?;
        let value = self.value_at(offset, attribute)?;
        if value.len() < 16 || value.len() > 32 || value.len() % 4 != 0 {
            return Err(Error::InvalidAttribute {
                attribute,
                offset,
                expected: "16 to 32 bytes, a multiple of 4",
            });
        }
        let (before, _) = self
            .bytes
            .split_at_checked(offset)
            .ok_or(Error::MissingIntegrity { attribute })?;
        if key.verify_sha256(before, offset + 4 + value.len() - HEADER_LEN, value) {
            Ok(())
        } else {
            Err(Error::IntegrityMismatch { attribute })
        }
    }

    /// Verifies FINGERPRINT (§14.7).
    ///
    /// # Errors
    /// [`Error::MissingFingerprint`], [`Error::InvalidAttribute`] (length not 4) or
    /// [`Error::FingerprintMismatch`].
    #[inline]
    pub fn verify_fingerprint(&self) -> Result<(), Error> {
        let attribute = AttributeType::FINGERPRINT;
        let offset = self.fingerprint.ok_or(Error::MissingFingerprint)?;
        let value = self.value_at(offset, attribute)?;
        let Ok(found) = <[u8; 4]>::try_from(value) else {
            return Err(Error::InvalidAttribute {
                attribute,
                offset,
                expected: "a 4-byte value",
            });
        };
        let found = u32::from_be_bytes(found);
        let (before, _) = self
            .bytes
            .split_at_checked(offset)
            .ok_or(Error::MissingFingerprint)?;
        let computed = integrity::fingerprint(before, offset + 8 - HEADER_LEN);
        if computed == found {
            Ok(())
        } else {
            Err(Error::FingerprintMismatch { found, computed })
        }
    }

    fn value_at(&self, offset: usize, attribute: AttributeType) -> Result<&'a [u8], Error> {
        let missing = || Error::MissingIntegrity { attribute };
        let &[_, _, l0, l1] = self
            .bytes
            .get(offset..)
            .and_then(|b| b.first_chunk::<4>())
            .ok_or_else(missing)?;
        let length = usize::from(u16::from_be_bytes([l0, l1]));
        self.bytes
            .get(offset + 4..offset + 4 + length)
            .ok_or_else(missing)
    }
}

/// Iterator over a message's attributes; see [`Message::attributes`].
#[derive(Debug, Clone)]
pub struct Attributes<'a> {
    bytes: &'a [u8],
    offset: usize,
    ignore_from: usize,
}

impl<'a> Iterator for Attributes<'a> {
    type Item = RawAttribute<'a>;

    fn next(&mut self) -> Option<RawAttribute<'a>> {
        loop {
            let &[a0, a1, l0, l1] = self.bytes.get(self.offset..)?.first_chunk::<4>()?;
            let attribute_type = AttributeType(u16::from_be_bytes([a0, a1]));
            let length = usize::from(u16::from_be_bytes([l0, l1]));
            let start = self.offset + 4;
            let value = self.bytes.get(start..start + length)?;
            let offset = self.offset;
            self.offset = start + ((length + 3) & !3);
            if offset >= self.ignore_from
                && attribute_type != AttributeType::MESSAGE_INTEGRITY_SHA256
                && attribute_type != AttributeType::FINGERPRINT
            {
                continue;
            }
            return Some(RawAttribute {
                attribute_type,
                value,
                offset,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_type_bits() {
        assert_eq!(message_type(Class::Request, Method::BINDING), 0x0001);
        assert_eq!(message_type(Class::Indication, Method::BINDING), 0x0011);
        assert_eq!(
            message_type(Class::SuccessResponse, Method::BINDING),
            0x0101
        );
        assert_eq!(message_type(Class::ErrorResponse, Method::BINDING), 0x0111);
        for t in 0..0x4000u16 {
            let (c, m) = split_message_type(t);
            assert_eq!(message_type(c, m), t);
        }
        assert_eq!(Method::new(0x1000), None);
        assert_eq!(Method::new(0xabc).map(Method::number), Some(0xabc));
    }

    fn header(t: u16, len: u16) -> Vec<u8> {
        let mut v = t.to_be_bytes().to_vec();
        v.extend_from_slice(&len.to_be_bytes());
        v.extend_from_slice(&MAGIC_COOKIE.to_be_bytes());
        v.extend_from_slice(&[9; 12]);
        v
    }

    #[test]
    fn header_errors() {
        assert!(matches!(
            Message::decode(&[0; 19]),
            Err(Error::Truncated {
                offset: 19,
                needed: 1
            })
        ));
        let mut m = header(1, 0);
        m[0] = 0x40;
        assert_eq!(Message::decode(&m), Err(Error::NotStun));
        let mut m = header(1, 0);
        m[4] = 0;
        assert!(matches!(
            Message::decode(&m),
            Err(Error::MagicCookie { found: 0x0012_a442 })
        ));
        assert!(Message::decode_classic(&m).unwrap().is_classic());
        assert_eq!(
            Message::decode(&header(1, 2)),
            Err(Error::UnalignedLength { length: 2 })
        );
        assert!(matches!(
            Message::decode(&header(1, 4)),
            Err(Error::Truncated { needed: 4, .. })
        ));
        let mut m = header(1, 0);
        m.push(0);
        assert_eq!(
            Message::decode(&m),
            Err(Error::TrailingBytes {
                offset: 20,
                extra: 1
            })
        );
    }

    #[test]
    fn attribute_errors() {
        let mut m = header(1, 8);
        m.extend_from_slice(&[0x80, 0x22, 0, 5, b'a', b'b', b'c', b'd']);
        assert!(matches!(
            Message::decode(&m),
            Err(Error::AttributeOverrun {
                offset: 20,
                length: 5,
                ..
            })
        ));
        let mut m = header(1, 12);
        m.extend_from_slice(&[0x80, 0x28, 0, 4, 1, 2, 3, 4, 0x80, 0x22, 0, 0]);
        assert!(matches!(
            Message::decode(&m),
            Err(Error::AfterFingerprint { offset: 28, .. })
        ));
    }

    #[test]
    fn frame_len() {
        assert_eq!(Message::frame_len(&header(1, 8)), Some(28));
        assert_eq!(Message::frame_len(&[0, 1, 0, 8]), None);
    }

    #[test]
    fn ignores_attributes_after_integrity() {
        let mut m = header(1, 36);
        m.extend_from_slice(&[0x00, 0x08, 0, 20]);
        m.extend_from_slice(&[0; 20]);
        m.extend_from_slice(&[0x80, 0x22, 0, 4, b'x', b'y', b'z', b'w']);
        m.extend_from_slice(&[0x00, 0x00, 0, 0]);
        let msg = Message::decode(&m).unwrap();
        let types: Vec<_> = msg.attributes().map(|a| a.attribute_type).collect();
        assert_eq!(types, [AttributeType::MESSAGE_INTEGRITY]);
        assert!(msg.raw(AttributeType::SOFTWARE).is_none());
    }
}
