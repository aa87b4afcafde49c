#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Known-answer tests: the RFC 5769 and RFC 8489 Appendix B.1 test vectors, and integrity and
//! FINGERPRINT values recomputed here with the RustCrypto and crc32fast crates directly.

use std::net::SocketAddr;

use hmac::{Hmac, Mac};
use stun::{
    user_hash, Attribute, AttributeType, Class, IntegrityKey, Message, MessageBuilder, Method,
    PasswordAlgorithm, TransactionId,
};

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

// RFC 5769 §2.1: sample request, short-term password "VOkJxbRl1RmTxUk/WvJxBt".
// (USERNAME is padded with spaces: receivers must ignore padding.)
const SAMPLE_REQUEST: &str = "
    00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
    80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
    00 24 00 04 6e 00 01 ff
    80 29 00 08 93 2f f9 b1 51 26 3b 36
    00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
    00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
    80 28 00 04 e5 7a 3b cf";

// RFC 5769 §2.2: sample IPv4 response, 192.0.2.1:32853.
const SAMPLE_IPV4_RESPONSE: &str = "
    01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
    80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
    00 20 00 08 00 01 a1 47 e1 12 a6 43
    00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
    80 28 00 04 c0 7d 4c 96";

// RFC 5769 §2.3: sample IPv6 response, [2001:db8:1234:5678:11:2233:4455:6677]:32853.
const SAMPLE_IPV6_RESPONSE: &str = "
    01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
    80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
    00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
    00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
    80 28 00 04 c8 fb 0b 4c";

// RFC 5769 §2.4: request with long-term authentication; username "マトリックス",
// password "TheMatrIX" after SASLprep, realm "example.org".
const SAMPLE_LONG_TERM: &str = "
    00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
    00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
    00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
    00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
    00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66";

// RFC 8489 Appendix B.1: USERHASH, PASSWORD-ALGORITHM SHA-256, MESSAGE-INTEGRITY-SHA256.
const SAMPLE_SHA256: &str = "
    00 01 00 90 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
    00 1e 00 20 4a 3c f3 8f ef 69 92 bd a9 52 c6 78 04 17 da 0f 24 81 94 15 56 9e 60 b2 05 c4 6e 41 40 7f 17 04
    00 15 00 29 6f 62 4d 61 74 4a 6f 73 32 41 41 41 43 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39
                46 53 54 76 79 36 34 73 41 00 00 00
    00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
    00 1d 00 04 00 02 00 00
    00 1c 00 20 b5 c7 bf 00 5b 6c 52 a2 1c 51 c5 e8 92 f8 19 24 13 62 96 cb 92 7c 43 14 93 09 27 8c c6 51 8e 65";

const PASSWORD: &str = "VOkJxbRl1RmTxUk/WvJxBt";
const LONG_TERM_USERNAME: &str = "\u{30DE}\u{30C8}\u{30EA}\u{30C3}\u{30AF}\u{30B9}";

#[test]
fn rfc5769_sample_request() {
    let bytes = hex(SAMPLE_REQUEST);
    let m = Message::decode(&bytes).unwrap();
    assert_eq!(m.class(), Class::Request);
    assert_eq!(m.method(), Method::BINDING);
    assert_eq!(m.text(AttributeType::USERNAME), Some("evtj:h6vY"));
    assert_eq!(m.text(AttributeType::SOFTWARE), Some("STUN test client"));
    let key = IntegrityKey::short_term(PASSWORD).unwrap();
    m.verify_integrity_sha1(&key).unwrap();
    m.verify_fingerprint().unwrap();
    let wrong = IntegrityKey::short_term("VOkJxbRl1RmTxUk/WvJxBu").unwrap();
    assert!(matches!(
        m.verify_integrity(&wrong),
        Err(stun::Error::IntegrityMismatch { .. })
    ));
    // Unknown ICE attributes are kept: PRIORITY (comprehension-required), ICE-CONTROLLED.
    let types: Vec<u16> = m.attributes().map(|a| a.attribute_type.0).collect();
    assert_eq!(types, [0x8022, 0x0024, 0x8029, 0x0006, 0x0008, 0x8028]);
    assert_eq!(
        m.unknown_comprehension_required().collect::<Vec<_>>(),
        [AttributeType(0x0024)]
    );
}

#[test]
fn rfc5769_responses() {
    let key = IntegrityKey::short_term(PASSWORD).unwrap();
    for (vector, mapped) in [
        (SAMPLE_IPV4_RESPONSE, "192.0.2.1:32853"),
        (
            SAMPLE_IPV6_RESPONSE,
            "[2001:db8:1234:5678:11:2233:4455:6677]:32853",
        ),
    ] {
        let bytes = hex(vector);
        let m = Message::decode(&bytes).unwrap();
        assert_eq!(m.class(), Class::SuccessResponse);
        assert_eq!(m.mapped_address(), Some(mapped.parse().unwrap()));
        assert_eq!(m.text(AttributeType::SOFTWARE), Some("test vector"));
        m.verify_integrity(&key).unwrap();
        m.verify_fingerprint().unwrap();
        // Flip one bit of the mapped address: both checks fail.
        let mut bad = bytes.clone();
        bad[45] ^= 1;
        let m = Message::decode(&bad).unwrap();
        assert!(m.verify_integrity(&key).is_err());
        assert!(matches!(
            m.verify_fingerprint(),
            Err(stun::Error::FingerprintMismatch { .. })
        ));
    }
}

#[test]
fn rfc5769_long_term() {
    let bytes = hex(SAMPLE_LONG_TERM);
    let m = Message::decode(&bytes).unwrap();
    assert_eq!(m.text(AttributeType::USERNAME), Some(LONG_TERM_USERNAME));
    assert_eq!(m.text(AttributeType::REALM), Some("example.org"));
    assert_eq!(
        m.text(AttributeType::NONCE),
        Some("f//499k954d6OL34oL9FSTvy64sA")
    );
    let key = IntegrityKey::long_term(
        LONG_TERM_USERNAME,
        "example.org",
        "TheMatrIX",
        PasswordAlgorithm::MD5,
    )
    .unwrap();
    m.verify_integrity(&key).unwrap();
    assert!(!m.has_fingerprint());
    assert_eq!(m.verify_fingerprint(), Err(stun::Error::MissingFingerprint));
}

#[test]
fn rfc8489_b1_user_hash_and_attributes() {
    let bytes = hex(SAMPLE_SHA256);
    let m = Message::decode(&bytes).unwrap();
    let Some(Attribute::UserHash(hash)) = m.get(AttributeType::USERHASH).unwrap() else {
        panic!()
    };
    assert_eq!(hash, &user_hash(LONG_TERM_USERNAME, "example.org").unwrap());
    assert_eq!(
        m.get(AttributeType::PASSWORD_ALGORITHM).unwrap(),
        Some(Attribute::PasswordAlgorithm(PasswordAlgorithm::SHA256, &[]))
    );
    assert!(m.has_integrity_sha256());
}

/// HMAC-SHA1 over `message[..at]` with the length field set to `length`, computed here.
fn reference_hmac_sha1(key: &[u8], message: &[u8], at: usize, length: u16) -> Vec<u8> {
    let mut input = message[..at].to_vec();
    input[2..4].copy_from_slice(&length.to_be_bytes());
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key).unwrap();
    mac.update(&input);
    mac.finalize().into_bytes().to_vec()
}

fn reference_hmac_sha256(key: &[u8], message: &[u8], at: usize, length: u16) -> Vec<u8> {
    let mut input = message[..at].to_vec();
    input[2..4].copy_from_slice(&length.to_be_bytes());
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
    mac.update(&input);
    mac.finalize().into_bytes().to_vec()
}

fn reference_fingerprint(message: &[u8], at: usize) -> u32 {
    crc32fast::hash(&message[..at]) ^ 0x5354_554e
}

#[test]
fn encoded_integrity_and_fingerprint_match_reference() {
    let key = b"7rbcGMHVQzEBxXOVtmKoPZXK";
    let ik = IntegrityKey::from_bytes(key);
    let mut out = Vec::new();
    let mut b = MessageBuilder::new(
        &mut out,
        Class::Request,
        Method::BINDING,
        TransactionId([0xab; 12]),
    );
    b.username("9uB6:Oyef").unwrap();
    b.attribute(AttributeType(0x0024), &1_853_824_767u32.to_be_bytes())
        .unwrap();
    b.attribute(
        AttributeType(0x802A),
        &0x932F_F9B1_5126_3B36u64.to_be_bytes(),
    )
    .unwrap();
    b.attribute(AttributeType(0x0025), &[]).unwrap();
    b.message_integrity(&ik).unwrap();
    b.message_integrity_sha256(&ik, 32).unwrap();
    b.fingerprint().unwrap();
    let len = b.finish();
    assert_eq!(len, out.len());
    // Layout: 20 header + 16 USERNAME + 8 PRIORITY + 12 ICE-CONTROLLING + 4 USE-CANDIDATE = 60.
    let mi = 60;
    assert_eq!(&out[mi..mi + 4], &[0x00, 0x08, 0x00, 0x14]);
    // MI: the length field counts up to the end of MESSAGE-INTEGRITY (60 + 24 - 20 = 64).
    assert_eq!(
        out[mi + 4..mi + 24],
        reference_hmac_sha1(key, &out, mi, 64)[..]
    );
    let mi256 = mi + 24;
    assert_eq!(&out[mi256..mi256 + 4], &[0x00, 0x1c, 0x00, 0x20]);
    assert_eq!(
        out[mi256 + 4..mi256 + 36],
        reference_hmac_sha256(key, &out, mi256, 100)[..]
    );
    let fp = mi256 + 36;
    assert_eq!(&out[fp..fp + 4], &[0x80, 0x28, 0x00, 0x04]);
    assert_eq!(u16::from_be_bytes([out[2], out[3]]) as usize, fp + 8 - 20);
    assert_eq!(
        out[fp + 4..fp + 8],
        reference_fingerprint(&out, fp).to_be_bytes()
    );
    // And the decoder agrees.
    let m = Message::decode(&out).unwrap();
    m.verify_integrity_sha1(&ik).unwrap();
    m.verify_integrity_sha256(&ik).unwrap();
    m.verify_fingerprint().unwrap();
}

#[test]
fn truncated_sha256_verifies_and_long_term_sha256_key() {
    // Long-term SHA-256 key: SHA-256("user:realm:pass"), computed here.
    use sha2::Digest;
    let raw_key = sha2::Sha256::digest(b"user:realm:pass");
    let key = IntegrityKey::long_term("user", "realm", "pass", PasswordAlgorithm::SHA256).unwrap();
    let mut out = Vec::new();
    let mut b = MessageBuilder::new(
        &mut out,
        Class::SuccessResponse,
        Method::BINDING,
        TransactionId([1; 12]),
    );
    let mapped: SocketAddr = "203.0.113.9:4000".parse().unwrap();
    b.xor_mapped_address(mapped).unwrap();
    b.message_integrity_sha256(&key, 16).unwrap();
    let len = b.finish();
    let at = 20 + 12;
    assert_eq!(
        out[at + 4..at + 20],
        reference_hmac_sha256(&raw_key, &out, at, (at + 20 - 20) as u16)[..16]
    );
    let m = Message::decode(&out[..len]).unwrap();
    m.verify_integrity(&key).unwrap();
    assert_eq!(m.mapped_address(), Some(mapped));
    let md5_key = IntegrityKey::long_term("user", "realm", "pass", PasswordAlgorithm::MD5).unwrap();
    assert!(m.verify_integrity(&md5_key).is_err());
}

#[test]
fn rfc8489_b1_integrity_sha256() {
    let bytes = hex(SAMPLE_SHA256);
    let m = Message::decode(&bytes).unwrap();
    let key = IntegrityKey::long_term(
        LONG_TERM_USERNAME,
        "example.org",
        "TheMatrIX",
        PasswordAlgorithm::SHA256,
    )
    .unwrap();
    m.verify_integrity_sha256(&key).unwrap();
}
