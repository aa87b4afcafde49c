//! Message integrity, credentials and FINGERPRINT (RFC 8489 §7, §9, §14.4-§14.7).
//!
//! The HMAC keys are keyed once: an [`IntegrityKey`] holds the HMAC-SHA1 and HMAC-SHA256
//! states after the inner and outer key blocks, so each message costs only the hash of the
//! message itself. Comparisons go through `hmac`'s constant-time `verify_*`.

use std::borrow::Cow;
use std::fmt;

use hmac::{Hmac, Mac};
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256};

use crate::attribute::PasswordAlgorithm;
use crate::Error;

/// XOR constant of FINGERPRINT (§14.7): "STUN" in ASCII.
pub const FINGERPRINT_XOR: u32 = 0x5354_554e;

/// A keyed HMAC-SHA1 and HMAC-SHA256 state for one credential.
///
/// Build it once per credential (short-term password, or long-term username/realm/password)
/// and reuse it for every message: cloning a keyed state is much cheaper than re-keying.
#[derive(Clone)]
pub struct IntegrityKey {
    sha1: Hmac<Sha1>,
    sha256: Hmac<Sha256>,
}

impl fmt::Debug for IntegrityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IntegrityKey(..)")
    }
}

impl IntegrityKey {
    /// A key from raw bytes (the HMAC key itself).
    pub fn from_bytes(key: &[u8]) -> Self {
        Self {
            sha1: keyed(key),
            sha256: keyed(key),
        }
    }

    /// The short-term credential key (§9.1.1): `OpaqueString(password)`.
    ///
    /// # Errors
    /// [`Error::OpaqueString`] when the password is empty or has control characters.
    ///
    /// # Examples
    /// ```
    /// let key = stun::IntegrityKey::short_term("VOkJxbRl1RmTxUk/WvJxBt")?;
    /// # let _ = key;
    /// # Ok::<(), stun::Error>(())
    /// ```
    pub fn short_term(password: &str) -> Result<Self, Error> {
        let password = opaque_string(password, "password")?;
        Ok(Self::from_bytes(password.as_bytes()))
    }

    /// The long-term credential key (§9.2.2, §18.5.1):
    /// `H(username ":" OpaqueString(realm) ":" OpaqueString(password))` with H = MD5 or SHA-256.
    /// `username` is the value of the USERNAME attribute (already processed).
    ///
    /// # Errors
    /// [`Error::OpaqueString`] for an invalid realm or password, [`Error::InvalidState`] for a
    /// password algorithm other than MD5 and SHA-256.
    pub fn long_term(
        username: &str,
        realm: &str,
        password: &str,
        algorithm: PasswordAlgorithm,
    ) -> Result<Self, Error> {
        let realm = opaque_string(realm, "realm")?;
        let password = opaque_string(password, "password")?;
        let parts: [&[u8]; 5] = [
            username.as_bytes(),
            b":",
            realm.as_bytes(),
            b":",
            password.as_bytes(),
        ];
        match algorithm {
            PasswordAlgorithm::MD5 => Ok(Self::from_bytes(&hash::<Md5>(&parts))),
            PasswordAlgorithm::SHA256 => Ok(Self::from_bytes(&hash::<Sha256>(&parts))),
            _ => Err(Error::InvalidState("unsupported password algorithm")),
        }
    }

    /// HMAC-SHA1 over `before` (the message up to the attribute) with the header length field
    /// replaced by `length`.
    pub(crate) fn sha1(&self, before: &[u8], length: usize) -> [u8; 20] {
        let mut mac = self.sha1.clone();
        feed(&mut mac, before, length);
        mac.finalize().into_bytes().into()
    }

    /// HMAC-SHA256, as [`IntegrityKey::sha1`].
    pub(crate) fn sha256(&self, before: &[u8], length: usize) -> [u8; 32] {
        let mut mac = self.sha256.clone();
        feed(&mut mac, before, length);
        mac.finalize().into_bytes().into()
    }

    /// Plain HMAC-SHA256 of `data` (used for the server's nonces).
    pub(crate) fn mac_sha256(&self, data: &[u8]) -> [u8; 32] {
        let mut mac = self.sha256.clone();
        mac.update(data);
        mac.finalize().into_bytes().into()
    }

    /// Constant-time check of a MESSAGE-INTEGRITY value.
    pub(crate) fn verify_sha1(&self, before: &[u8], length: usize, tag: &[u8]) -> bool {
        let mut mac = self.sha1.clone();
        feed(&mut mac, before, length);
        mac.verify_slice(tag).is_ok()
    }

    /// Constant-time check of a (possibly truncated) MESSAGE-INTEGRITY-SHA256 value.
    pub(crate) fn verify_sha256(&self, before: &[u8], length: usize, tag: &[u8]) -> bool {
        let mut mac = self.sha256.clone();
        feed(&mut mac, before, length);
        mac.verify_truncated_left(tag).is_ok()
    }
}

/// USERHASH (§14.4): `SHA-256(OpaqueString(username) ":" OpaqueString(realm))`.
///
/// # Errors
/// [`Error::OpaqueString`] for an invalid username or realm.
pub fn user_hash(username: &str, realm: &str) -> Result<[u8; 32], Error> {
    let username = opaque_string(username, "username")?;
    let realm = opaque_string(realm, "realm")?;
    Ok(hash::<Sha256>(&[username.as_bytes(), b":", realm.as_bytes()]).into())
}

/// FINGERPRINT value (§14.7) of `before` (the message up to the FINGERPRINT attribute) with the
/// header length field replaced by `length`.
pub(crate) fn fingerprint(before: &[u8], length: usize) -> u32 {
    let [l0, l1] = u16::try_from(length).unwrap_or(u16::MAX).to_be_bytes();
    let crc = match before.split_first_chunk::<4>() {
        // FINGERPRINT is last, so a received message's length field already counts it.
        Some((&[_, _, f0, f1], _)) if [f0, f1] == [l0, l1] => crc32fast::hash(before),
        Some((&[t0, t1, _, _], rest)) => {
            let mut crc = crc32fast::Hasher::new();
            crc.update(&[t0, t1, l0, l1]);
            crc.update(rest);
            crc.finalize()
        }
        None => crc32fast::hash(before),
    };
    crc ^ FINGERPRINT_XOR
}

/// The OpaqueString profile of PRECIS (RFC 8265 §4.2), as far as this crate applies it.
///
/// Applied: non-ASCII space characters (Unicode Zs) are mapped to U+0020; control characters
/// (Unicode Cc) are rejected; the empty string is rejected. Not applied: Unicode Normalization
/// Form C and the rejection of unassigned code points (both need the Unicode tables); ASCII and
/// already-normalized input, which is what STUN deployments use, is unaffected by them.
///
/// # Errors
/// [`Error::OpaqueString`] naming `field`.
pub fn opaque_string<'s>(input: &'s str, field: &'static str) -> Result<Cow<'s, str>, Error> {
    if input.is_empty() {
        return Err(Error::OpaqueString {
            field,
            reason: "empty",
        });
    }
    if input.chars().any(char::is_control) {
        return Err(Error::OpaqueString {
            field,
            reason: "control character",
        });
    }
    if input.is_ascii() || !input.chars().any(is_non_ascii_space) {
        return Ok(Cow::Borrowed(input));
    }
    Ok(Cow::Owned(
        input
            .chars()
            .map(|c| if is_non_ascii_space(c) { ' ' } else { c })
            .collect(),
    ))
}

/// The "nonce cookie" prefix (§9.2).
pub const NONCE_COOKIE: &str = "obMatJos2";

/// The STUN Security Features carried in the nonce cookie (§9.2, §18.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SecurityFeatures {
    /// Bit 0: Password algorithms.
    pub password_algorithms: bool,
    /// Bit 1: Username anonymity.
    pub username_anonymity: bool,
}

impl SecurityFeatures {
    /// The 13-character nonce cookie for these features.
    pub fn nonce_cookie(self) -> String {
        let mut bits = [0u8; 3];
        if self.password_algorithms {
            bits[0] |= 0x80;
        }
        if self.username_anonymity {
            bits[0] |= 0x40;
        }
        let mut s = String::with_capacity(13);
        s.push_str(NONCE_COOKIE);
        let n = u32::from_be_bytes([0, bits[0], bits[1], bits[2]]);
        for shift in [18, 12, 6, 0] {
            s.push(char::from(
                BASE64
                    .get(((n >> shift) & 0x3f) as usize)
                    .copied()
                    .unwrap_or(b'A'),
            ));
        }
        s
    }

    /// The features of a NONCE that starts with the nonce cookie; `None` for other nonces
    /// (servers that follow RFC 5389).
    pub fn from_nonce(nonce: &str) -> Option<Self> {
        let rest = nonce.strip_prefix(NONCE_COOKIE)?;
        let encoded = rest.as_bytes().first_chunk::<4>()?;
        let mut n = 0u32;
        for &c in encoded {
            let v = BASE64.iter().position(|&b| b == c)?;
            n = (n << 6) | u32::try_from(v).ok()?;
        }
        let first = (n >> 16) as u8;
        Some(Self {
            password_algorithms: first & 0x80 != 0,
            username_anonymity: first & 0x40 != 0,
        })
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn is_non_ascii_space(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

fn keyed<M: Mac + hmac::digest::KeyInit>(key: &[u8]) -> M {
    // HMAC accepts keys of any length (RFC 2104: longer keys are hashed first), so
    // `new_from_slice` cannot fail; the fallback only satisfies the type.
    <M as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| <M as hmac::digest::KeyInit>::new(&Default::default()))
}

/// Feeds `before` with its length field (bytes 2..4) replaced by `length`: in one piece when
/// the field already holds that value (the encoder writes it first), else in two.
fn feed<M: Mac>(mac: &mut M, before: &[u8], length: usize) {
    let [l0, l1] = u16::try_from(length).unwrap_or(u16::MAX).to_be_bytes();
    match before.split_first_chunk::<4>() {
        Some((&[_, _, f0, f1], _)) if [f0, f1] == [l0, l1] => mac.update(before),
        Some((&[t0, t1, _, _], rest)) => {
            mac.update(&[t0, t1, l0, l1]);
            mac.update(rest);
        }
        None => mac.update(before),
    }
}

fn hash<D: Digest>(parts: &[&[u8]]) -> hmac::digest::Output<D> {
    let mut d = D::new();
    for p in parts {
        d.update(p);
    }
    d.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc8489_long_term_key_example() {
        // §9.2.2: MD5("user:realm:pass") = 0x8493fbc53ba582fb4c044c456bdc40eb.
        let expected = [
            0x84, 0x93, 0xfb, 0xc5, 0x3b, 0xa5, 0x82, 0xfb, 0x4c, 0x04, 0x4c, 0x45, 0x6b, 0xdc,
            0x40, 0xeb,
        ];
        let key = IntegrityKey::long_term("user", "realm", "pass", PasswordAlgorithm::MD5).unwrap();
        let direct = IntegrityKey::from_bytes(&expected);
        let msg = [0u8; 40];
        assert_eq!(key.sha1(&msg, 44), direct.sha1(&msg, 44));
        assert!(IntegrityKey::long_term("u", "r", "p", PasswordAlgorithm(3)).is_err());
    }

    #[test]
    fn opaque_string_rules() {
        assert_eq!(opaque_string("abc", "x").unwrap(), "abc");
        assert_eq!(opaque_string("a\u{00A0}b\u{3000}", "x").unwrap(), "a b ");
        assert!(matches!(
            opaque_string("", "realm"),
            Err(Error::OpaqueString { field: "realm", .. })
        ));
        assert!(opaque_string("a\u{7}", "x").is_err());
        assert!(opaque_string("a\u{85}", "x").is_err());
        assert!(IntegrityKey::short_term("").is_err());
        assert!(user_hash("", "r").is_err());
    }

    #[test]
    fn nonce_cookie() {
        let none = SecurityFeatures::default();
        assert_eq!(none.nonce_cookie(), "obMatJos2AAAA");
        let both = SecurityFeatures {
            password_algorithms: true,
            username_anonymity: true,
        };
        assert_eq!(both.nonce_cookie(), "obMatJos2wAAA");
        assert_eq!(SecurityFeatures::from_nonce("obMatJos2wAAAxyz"), Some(both));
        // RFC 8489 Appendix B.1 nonce: "obMatJos2AAACf//..." -> no features set in "AAAC"? bits 22-23 only.
        let b1 = SecurityFeatures::from_nonce("obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA").unwrap();
        assert_eq!(b1, none);
        assert_eq!(
            SecurityFeatures::from_nonce("f//499k954d6OL34oL9FSTvy64sA"),
            None
        );
        assert_eq!(SecurityFeatures::from_nonce("obMatJos2A!"), None);
        assert_eq!(SecurityFeatures::from_nonce("obMatJos2AA"), None);
    }

    #[test]
    fn debug_hides_key() {
        let key = IntegrityKey::from_bytes(b"secret");
        assert_eq!(format!("{key:?}"), "IntegrityKey(..)");
    }
}
