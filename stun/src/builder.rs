//! Encoding STUN messages (RFC 8489 §5, §14).

use std::net::SocketAddr;

use crate::attribute::{
    encode_address, AttributeType, PasswordAlgorithm, ALTERNATE_DOMAIN_LIMIT, ENCODE_TEXT_LIMIT,
};
use crate::integrity::{self, IntegrityKey};
use crate::message::{message_type, Class, Method, TransactionId, HEADER_LEN, MAGIC_COOKIE};
use crate::Error;

/// Writes one STUN message into a `Vec<u8>`, attribute by attribute.
///
/// The header's length field is kept up to date after every attribute. MESSAGE-INTEGRITY,
/// MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are computed over what is already written, with
/// the length field adjusted as §14.5-§14.7 require, so add them last, in that order.
/// Nothing may follow FINGERPRINT, and only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT may
/// follow MESSAGE-INTEGRITY (receivers ignore anything else there).
///
/// # Examples
/// ```
/// use stun::{Class, IntegrityKey, MessageBuilder, Method, TransactionId};
/// let key = IntegrityKey::short_term("pass")?;
/// let mut out = Vec::new();
/// let mut b = MessageBuilder::new(&mut out, Class::Request, Method::BINDING, TransactionId([1; 12]));
/// b.username("user")?;
/// b.message_integrity(&key)?;
/// b.fingerprint()?;
/// let len = b.finish();
/// let message = stun::Message::decode(&out[..len])?;
/// message.verify_integrity(&key)?;
/// message.verify_fingerprint()?;
/// # Ok::<(), stun::Error>(())
/// ```
#[derive(Debug)]
pub struct MessageBuilder<'b> {
    out: &'b mut Vec<u8>,
    start: usize,
    transaction_id: TransactionId,
    after_integrity: bool,
    after_fingerprint: bool,
}

impl<'b> MessageBuilder<'b> {
    /// Starts a message with the magic cookie, appended to `out`.
    #[inline]
    pub fn new(
        out: &'b mut Vec<u8>,
        class: Class,
        method: Method,
        transaction_id: TransactionId,
    ) -> Self {
        Self::with_cookie(out, class, method, MAGIC_COOKIE, transaction_id)
    }

    /// Starts a message with another cookie value: a response to an RFC 3489 client copies the
    /// request's cookie field (RFC 5389 §12.2).
    #[inline]
    pub fn with_cookie(
        out: &'b mut Vec<u8>,
        class: Class,
        method: Method,
        cookie: u32,
        transaction_id: TransactionId,
    ) -> Self {
        let start = out.len();
        out.reserve(128);
        let [t0, t1] = message_type(class, method).to_be_bytes();
        let [c0, c1, c2, c3] = cookie.to_be_bytes();
        let [i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11] = transaction_id.0;
        out.extend_from_slice(&[
            t0, t1, 0, 0, c0, c1, c2, c3, i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11,
        ]);
        Self {
            out,
            start,
            transaction_id,
            after_integrity: false,
            after_fingerprint: false,
        }
    }

    /// Adds an attribute with a raw value (padding is added).
    ///
    /// # Errors
    /// [`Error::Encode`] after FINGERPRINT or MESSAGE-INTEGRITY, or when the message would
    /// exceed 65,535 bytes of attributes.
    #[inline]
    pub fn attribute(&mut self, t: AttributeType, value: &[u8]) -> Result<&mut Self, Error> {
        self.check_order(t)?;
        let length = u16::try_from(value.len()).map_err(|_| Error::Encode {
            reason: "attribute value longer than 65,535 bytes",
        })?;
        self.begin(t, length)?;
        self.out.extend_from_slice(value);
        self.end();
        Ok(self)
    }

    /// MAPPED-ADDRESS (§14.1).
    ///
    /// # Errors
    /// As [`MessageBuilder::attribute`].
    #[inline]
    pub fn mapped_address(&mut self, address: SocketAddr) -> Result<&mut Self, Error> {
        self.address(AttributeType::MAPPED_ADDRESS, address, false)
    }

    /// XOR-MAPPED-ADDRESS (§14.2).
    ///
    /// # Errors
    /// As [`MessageBuilder::attribute`].
    #[inline]
    pub fn xor_mapped_address(&mut self, address: SocketAddr) -> Result<&mut Self, Error> {
        self.address(AttributeType::XOR_MAPPED_ADDRESS, address, true)
    }

    /// ALTERNATE-SERVER (§14.15).
    ///
    /// # Errors
    /// As [`MessageBuilder::attribute`].
    pub fn alternate_server(&mut self, address: SocketAddr) -> Result<&mut Self, Error> {
        self.address(AttributeType::ALTERNATE_SERVER, address, false)
    }

    /// USERNAME (§14.3): fewer than 509 bytes. The caller applies OpaqueString
    /// ([`crate::opaque_string`]) where the credential mechanism asks for it.
    ///
    /// # Errors
    /// [`Error::ValueTooLong`], or as [`MessageBuilder::attribute`].
    #[inline]
    pub fn username(&mut self, username: &str) -> Result<&mut Self, Error> {
        self.text(AttributeType::USERNAME, username, ENCODE_TEXT_LIMIT)
    }

    /// USERHASH (§14.4), see [`crate::user_hash`].
    ///
    /// # Errors
    /// As [`MessageBuilder::attribute`].
    pub fn user_hash(&mut self, hash: &[u8; 32]) -> Result<&mut Self, Error> {
        self.attribute(AttributeType::USERHASH, hash)
    }

    /// REALM (§14.9): fewer than 128 characters and 509 bytes.
    ///
    /// # Errors
    /// [`Error::ValueTooLong`], or as [`MessageBuilder::attribute`].
    #[inline]
    pub fn realm(&mut self, realm: &str) -> Result<&mut Self, Error> {
        self.text(AttributeType::REALM, realm, ENCODE_TEXT_LIMIT)
    }

    /// NONCE (§14.10): fewer than 128 characters and 509 bytes.
    ///
    /// # Errors
    /// [`Error::ValueTooLong`], or as [`MessageBuilder::attribute`].
    #[inline]
    pub fn nonce(&mut self, nonce: &str) -> Result<&mut Self, Error> {
        self.text(AttributeType::NONCE, nonce, ENCODE_TEXT_LIMIT)
    }

    /// SOFTWARE (§14.14): fewer than 128 characters and 509 bytes.
    ///
    /// # Errors
    /// [`Error::ValueTooLong`], or as [`MessageBuilder::attribute`].
    #[inline]
    pub fn software(&mut self, software: &str) -> Result<&mut Self, Error> {
        self.text(AttributeType::SOFTWARE, software, ENCODE_TEXT_LIMIT)
    }

    /// ALTERNATE-DOMAIN (§14.16): at most 255 ASCII characters.
    ///
    /// # Errors
    /// [`Error::ValueTooLong`], [`Error::Encode`] for non-ASCII, or as [`MessageBuilder::attribute`].
    pub fn alternate_domain(&mut self, domain: &str) -> Result<&mut Self, Error> {
        if !domain.is_ascii() {
            return Err(Error::Encode {
                reason: "ALTERNATE-DOMAIN must be ASCII (A-labels)",
            });
        }
        self.text(
            AttributeType::ALTERNATE_DOMAIN,
            domain,
            ALTERNATE_DOMAIN_LIMIT,
        )
    }

    /// ERROR-CODE (§14.8) with `code` in 300..=699 and a reason phrase.
    ///
    /// # Errors
    /// [`Error::Encode`] for a code out of range, [`Error::ValueTooLong`] for a long reason.
    pub fn error_code(&mut self, code: u16, reason: &str) -> Result<&mut Self, Error> {
        if !(300..=699).contains(&code) {
            return Err(Error::Encode {
                reason: "error code outside 300..=699",
            });
        }
        check_text(AttributeType::ERROR_CODE, reason, ENCODE_TEXT_LIMIT)?;
        let length = u16::try_from(4 + reason.len()).unwrap_or(u16::MAX);
        self.check_order(AttributeType::ERROR_CODE)?;
        self.begin(AttributeType::ERROR_CODE, length)?;
        let class = (code / 100) as u8;
        let number = (code % 100) as u8;
        self.out.extend_from_slice(&[0, 0, class, number]);
        self.out.extend_from_slice(reason.as_bytes());
        self.end();
        Ok(self)
    }

    /// UNKNOWN-ATTRIBUTES (§14.13).
    ///
    /// # Errors
    /// As [`MessageBuilder::attribute`].
    pub fn unknown_attributes(&mut self, types: &[AttributeType]) -> Result<&mut Self, Error> {
        let length = u16::try_from(types.len() * 2).map_err(|_| Error::Encode {
            reason: "too many unknown attributes",
        })?;
        self.check_order(AttributeType::UNKNOWN_ATTRIBUTES)?;
        self.begin(AttributeType::UNKNOWN_ATTRIBUTES, length)?;
        for t in types {
            self.out.extend_from_slice(&t.0.to_be_bytes());
        }
        self.end();
        Ok(self)
    }

    /// PASSWORD-ALGORITHMS (§14.11) listing algorithms without parameters (MD5, SHA-256).
    ///
    /// # Errors
    /// As [`MessageBuilder::attribute`].
    pub fn password_algorithms(
        &mut self,
        algorithms: &[PasswordAlgorithm],
    ) -> Result<&mut Self, Error> {
        let length = u16::try_from(algorithms.len() * 4).map_err(|_| Error::Encode {
            reason: "too many password algorithms",
        })?;
        self.check_order(AttributeType::PASSWORD_ALGORITHMS)?;
        self.begin(AttributeType::PASSWORD_ALGORITHMS, length)?;
        for a in algorithms {
            self.out.extend_from_slice(&a.0.to_be_bytes());
            self.out.extend_from_slice(&[0, 0]);
        }
        self.end();
        Ok(self)
    }

    /// PASSWORD-ALGORITHM (§14.12) without parameters.
    ///
    /// # Errors
    /// As [`MessageBuilder::attribute`].
    pub fn password_algorithm(&mut self, algorithm: PasswordAlgorithm) -> Result<&mut Self, Error> {
        let [a0, a1] = algorithm.0.to_be_bytes();
        self.attribute(AttributeType::PASSWORD_ALGORITHM, &[a0, a1, 0, 0])
    }

    /// MESSAGE-INTEGRITY (§14.5): HMAC-SHA1 over the message so far, the length field counting
    /// this attribute.
    ///
    /// # Errors
    /// As [`MessageBuilder::attribute`].
    #[inline]
    pub fn message_integrity(&mut self, key: &IntegrityKey) -> Result<&mut Self, Error> {
        self.check_order(AttributeType::MESSAGE_INTEGRITY)?;
        let at = self.out.len();
        let length = self.body_len() + 24;
        // The header now counts up to the end of MESSAGE-INTEGRITY, as the HMAC needs.
        self.begin(AttributeType::MESSAGE_INTEGRITY, 20)?;
        let before = self.out.get(self.start..at).unwrap_or_default();
        let tag = key.sha1(before, length);
        self.out.extend_from_slice(&tag);
        self.end();
        self.after_integrity = true;
        Ok(self)
    }

    /// MESSAGE-INTEGRITY-SHA256 (§14.6), truncated to `length` bytes (16..=32, a multiple of 4;
    /// 32 unless the usage allows truncation).
    ///
    /// # Errors
    /// [`Error::Encode`] for an invalid length, or as [`MessageBuilder::attribute`].
    #[inline]
    pub fn message_integrity_sha256(
        &mut self,
        key: &IntegrityKey,
        length: usize,
    ) -> Result<&mut Self, Error> {
        if !(16..=32).contains(&length) || length % 4 != 0 {
            return Err(Error::Encode {
                reason: "MESSAGE-INTEGRITY-SHA256 length must be 16 to 32, a multiple of 4",
            });
        }
        self.check_order(AttributeType::MESSAGE_INTEGRITY_SHA256)?;
        let at = self.out.len();
        let total = self.body_len() + 4 + length;
        self.begin(AttributeType::MESSAGE_INTEGRITY_SHA256, length as u16)?;
        let before = self.out.get(self.start..at).unwrap_or_default();
        let tag = key.sha256(before, total);
        self.out
            .extend_from_slice(tag.get(..length).unwrap_or(&tag));
        self.end();
        self.after_integrity = true;
        Ok(self)
    }

    /// FINGERPRINT (§14.7): CRC-32 of the message so far XOR 0x5354554e. Must be last.
    ///
    /// # Errors
    /// As [`MessageBuilder::attribute`].
    #[inline]
    pub fn fingerprint(&mut self) -> Result<&mut Self, Error> {
        self.check_order(AttributeType::FINGERPRINT)?;
        let at = self.out.len();
        let length = self.body_len() + 8;
        self.begin(AttributeType::FINGERPRINT, 4)?;
        let before = self.out.get(self.start..at).unwrap_or_default();
        let crc = integrity::fingerprint(before, length);
        self.out.extend_from_slice(&crc.to_be_bytes());
        self.end();
        self.after_fingerprint = true;
        Ok(self)
    }

    /// The transaction ID written in the header.
    pub const fn transaction_id(&self) -> TransactionId {
        self.transaction_id
    }

    /// Ends the message and returns its length in bytes.
    #[inline]
    pub fn finish(self) -> usize {
        self.out.len() - self.start
    }

    #[inline]
    fn address(
        &mut self,
        t: AttributeType,
        address: SocketAddr,
        xor: bool,
    ) -> Result<&mut Self, Error> {
        self.check_order(t)?;
        let length = if address.is_ipv4() { 8 } else { 20 };
        self.begin(t, length)?;
        let id = self.transaction_id;
        encode_address(self.out, address, xor.then_some(&id));
        self.end();
        Ok(self)
    }

    #[inline]
    fn text(&mut self, t: AttributeType, value: &str, limit: usize) -> Result<&mut Self, Error> {
        check_text(t, value, limit)?;
        self.attribute(t, value.as_bytes())
    }

    #[inline]
    fn check_order(&self, t: AttributeType) -> Result<(), Error> {
        if self.after_fingerprint {
            return Err(Error::Encode {
                reason: "nothing may follow FINGERPRINT",
            });
        }
        if self.after_integrity
            && t != AttributeType::MESSAGE_INTEGRITY_SHA256
            && t != AttributeType::FINGERPRINT
        {
            return Err(Error::Encode {
                reason:
                    "only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT may follow MESSAGE-INTEGRITY",
            });
        }
        Ok(())
    }

    #[inline]
    fn body_len(&self) -> usize {
        self.out.len() - self.start - HEADER_LEN
    }

    /// Writes the attribute header and the new message length (value padded to 4).
    #[inline]
    fn begin(&mut self, t: AttributeType, length: u16) -> Result<(), Error> {
        let padded = (usize::from(length) + 3) & !3;
        let new_length =
            u16::try_from(self.body_len() + 4 + padded).map_err(|_| Error::Encode {
                reason: "message longer than 65,535 bytes of attributes",
            })?;
        if let Some(field) = self.out.get_mut(self.start + 2..self.start + 4) {
            field.copy_from_slice(&new_length.to_be_bytes());
        }
        let [a0, a1] = t.0.to_be_bytes();
        let [l0, l1] = length.to_be_bytes();
        self.out.extend_from_slice(&[a0, a1, l0, l1]);
        Ok(())
    }

    /// Pads the value just written with zeros (§14).
    #[inline]
    fn end(&mut self) {
        let pad = (4 - self.body_len() % 4) % 4;
        if pad != 0 {
            self.out.resize(self.out.len() + pad, 0);
        }
    }
}

fn check_text(t: AttributeType, value: &str, limit: usize) -> Result<(), Error> {
    if value.len() > limit {
        return Err(Error::ValueTooLong {
            attribute: t,
            length: value.len(),
            limit,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribute::Attribute;
    use crate::Message;

    #[test]
    fn order_rules() {
        let key = IntegrityKey::from_bytes(b"k");
        let mut out = Vec::new();
        let mut b = MessageBuilder::new(
            &mut out,
            Class::Request,
            Method::BINDING,
            TransactionId([0; 12]),
        );
        b.message_integrity(&key).unwrap();
        assert!(matches!(b.software("x"), Err(Error::Encode { .. })));
        b.message_integrity_sha256(&key, 32).unwrap();
        b.fingerprint().unwrap();
        assert!(matches!(b.fingerprint(), Err(Error::Encode { .. })));
        let len = b.finish();
        let m = Message::decode(&out[..len]).unwrap();
        m.verify_integrity_sha1(&key).unwrap();
        m.verify_integrity_sha256(&key).unwrap();
        m.verify_fingerprint().unwrap();
    }

    #[test]
    fn limits() {
        let mut out = Vec::new();
        let mut b = MessageBuilder::new(
            &mut out,
            Class::Request,
            Method::BINDING,
            TransactionId([0; 12]),
        );
        let long = "a".repeat(509);
        assert!(matches!(
            b.username(&long),
            Err(Error::ValueTooLong { limit: 508, .. })
        ));
        assert!(matches!(b.error_code(299, "x"), Err(Error::Encode { .. })));
        assert!(matches!(b.error_code(700, "x"), Err(Error::Encode { .. })));
        assert!(b.alternate_domain("é.example").is_err());
        assert!(b.alternate_domain(&"a".repeat(256)).is_err());
        let key = IntegrityKey::from_bytes(b"k");
        assert!(b.message_integrity_sha256(&key, 18).is_err());
        assert!(b.message_integrity_sha256(&key, 12).is_err());
        assert!(b.message_integrity_sha256(&key, 36).is_err());
        let big = vec![0u8; 65_000];
        b.attribute(AttributeType(0x8fff), &big).unwrap();
        assert!(matches!(
            b.attribute(AttributeType(0x8fff), &big),
            Err(Error::Encode { .. })
        ));
        assert!(b
            .attribute(AttributeType(0x8fff), &vec![0u8; 70_000])
            .is_err());
    }

    #[test]
    fn error_code_and_lists_round_trip() {
        let mut out = Vec::new();
        let id = TransactionId([3; 12]);
        let mut b = MessageBuilder::new(&mut out, Class::ErrorResponse, Method::BINDING, id);
        b.error_code(420, "Unknown Attribute").unwrap();
        b.unknown_attributes(&[AttributeType(0x0003), AttributeType(0x7000)])
            .unwrap();
        b.password_algorithms(&[PasswordAlgorithm::SHA256, PasswordAlgorithm::MD5])
            .unwrap();
        b.password_algorithm(PasswordAlgorithm::SHA256).unwrap();
        let len = b.finish();
        let m = Message::decode(&out[..len]).unwrap();
        assert_eq!(m.error_code().unwrap().code, 420);
        let Some(Attribute::UnknownAttributes(list)) =
            m.get(AttributeType::UNKNOWN_ATTRIBUTES).unwrap()
        else {
            panic!()
        };
        assert_eq!(list.iter().count(), 2);
        assert_eq!(
            m.get(AttributeType::PASSWORD_ALGORITHM).unwrap(),
            Some(Attribute::PasswordAlgorithm(PasswordAlgorithm::SHA256, &[]))
        );
    }
}
