#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Hostile input: nothing panics, nothing allocates without bound, errors say where.

use std::net::SocketAddr;
use std::time::Instant;

use proptest::prelude::*;
use stun::{
    classify, is_stun, is_stun_with_fingerprint, Attribute, AttributeType, Authentication, Client,
    ClientConfig, Credentials, Error, IntegrityKey, Message, Server, ServerConfig, Transport,
};

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// Everything a receiver might call on a message.
fn poke(bytes: &[u8]) {
    let _ = classify(bytes);
    let _ = is_stun(bytes);
    let _ = is_stun_with_fingerprint(bytes);
    let _ = Message::frame_len(bytes);
    for m in [Message::decode(bytes), Message::decode_classic(bytes)]
        .into_iter()
        .flatten()
    {
        let key = IntegrityKey::from_bytes(b"k");
        let _ = m.verify_integrity(&key);
        let _ = m.verify_integrity_sha1(&key);
        let _ = m.verify_integrity_sha256(&key);
        let _ = m.verify_fingerprint();
        let _ = m.mapped_address();
        let _ = m.error_code();
        let _ = m.unknown_comprehension_required().count();
        for a in m.attributes() {
            if let Ok(Attribute::UnknownAttributes(l)) = Attribute::decode(a, &m.transaction_id()) {
                let _ = l.iter().count();
            }
            if let Ok(Attribute::PasswordAlgorithms(l)) = Attribute::decode(a, &m.transaction_id())
            {
                let _ = l.iter().count();
            }
        }
    }
}

fn servers() -> Vec<Server> {
    let users = std::collections::HashMap::from([("u".to_owned(), "p".to_owned())]);
    [
        Authentication::None,
        Authentication::ShortTerm {
            users: users.clone(),
        },
        Authentication::long_term("r", users),
    ]
    .into_iter()
    .map(|authentication| {
        Server::new(
            ServerConfig {
                authentication,
                rng_seed: Some([0; 32]),
                ..ServerConfig::default()
            },
            Instant::now(),
        )
        .unwrap()
    })
    .collect()
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        poke(&bytes);
        let now = Instant::now();
        for mut s in servers() {
            s.handle_input(now, addr("192.0.2.9:1000"), &bytes);
            while s.poll_transmit().is_some() {}
        }
        let mut c = Client::new(ClientConfig { rng_seed: Some([0; 32]), ..ClientConfig::default() }).unwrap();
        c.binding(now, addr("192.0.2.1:3478"), Transport::Udp).unwrap();
        c.handle_input(now, addr("192.0.2.1:3478"), &bytes);
    }

    #[test]
    fn stun_shaped_bytes_never_panic(
        t in 0u16..0x4000,
        attrs in proptest::collection::vec((any::<u16>(), proptest::collection::vec(any::<u8>(), 0..40)), 0..8),
        classic in any::<bool>(),
    ) {
        // Well-formed framing with arbitrary attribute contents reaches the attribute decoders.
        let mut body = Vec::new();
        for (at, v) in &attrs {
            body.extend_from_slice(&at.to_be_bytes());
            body.extend_from_slice(&(v.len() as u16).to_be_bytes());
            body.extend_from_slice(v);
            while body.len() % 4 != 0 { body.push(0); }
        }
        let mut m = t.to_be_bytes().to_vec();
        m.extend_from_slice(&(body.len() as u16).to_be_bytes());
        m.extend_from_slice(if classic { &[1, 2, 3, 4] } else { &[0x21, 0x12, 0xa4, 0x42] });
        m.extend_from_slice(&[7; 12]);
        m.extend_from_slice(&body);
        poke(&m);
        for mut s in servers() {
            s.handle_input(Instant::now(), addr("[2001:db8::1]:5"), &m);
            while let Some(r) = s.poll_transmit() {
                prop_assert!(Message::decode_classic(&r.payload).is_ok());
            }
        }
    }

    #[test]
    fn truncations_and_bit_flips_of_a_valid_message(cut in 0usize..108, flip in 0usize..(108 * 8)) {
        let valid = valid_request();
        poke(&valid[..cut]);
        let mut flipped = valid.clone();
        flipped[flip / 8] ^= 1 << (flip % 8);
        poke(&flipped);
        // A flip anywhere is caught by the decoder, MESSAGE-INTEGRITY or FINGERPRINT.
        let key = IntegrityKey::short_term("VOkJxbRl1RmTxUk/WvJxBt").unwrap();
        let caught = match Message::decode(&flipped) {
            Err(_) => true,
            Ok(m) => m.verify_integrity(&key).is_err() || m.verify_fingerprint().is_err(),
        };
        prop_assert!(caught, "flip {} not detected", flip);
    }
}

/// RFC 5769 §2.1.
fn valid_request() -> Vec<u8> {
    let hex = "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74\
               002400046e0001ff80290008932ff9b151263b36000600096576746a3a6836765920202000080014\
               9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf";
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn huge_claims_are_errors_not_allocations() {
    // Header claims 65532 bytes of attributes.
    let mut m = vec![0, 1, 0xff, 0xfc, 0x21, 0x12, 0xa4, 0x42];
    m.extend_from_slice(&[0; 12]);
    assert!(matches!(
        Message::decode(&m),
        Err(Error::Truncated { needed: 65532, .. })
    ));
    // Attribute claims 0xffff bytes.
    let mut m = vec![0, 1, 0, 4, 0x21, 0x12, 0xa4, 0x42];
    m.extend_from_slice(&[0; 12]);
    m.extend_from_slice(&[0x80, 0x22, 0xff, 0xff]);
    assert!(matches!(
        Message::decode(&m),
        Err(Error::AttributeOverrun {
            offset: 20,
            length: 0xffff,
            ..
        })
    ));
}

#[test]
fn many_unknown_attributes_give_a_bounded_420() {
    // 16,000 empty comprehension-required attributes: the 420 lists a bounded number.
    let n = 16_000u16;
    let mut m = vec![0, 1];
    m.extend_from_slice(&(n * 4).to_be_bytes());
    m.extend_from_slice(&[0x21, 0x12, 0xa4, 0x42]);
    m.extend_from_slice(&[1; 12]);
    for i in 0..n {
        m.extend_from_slice(&(0x4000 + i).to_be_bytes());
        m.extend_from_slice(&[0, 0]);
    }
    let mut s = Server::new(ServerConfig::default(), Instant::now()).unwrap();
    assert!(s.handle_input(Instant::now(), addr("192.0.2.9:1"), &m));
    let r = s.poll_transmit().unwrap();
    assert!(r.payload.len() < 200);
    let r = Message::decode(&r.payload).unwrap();
    assert_eq!(r.error_code().unwrap().code, 420);
    let Some(Attribute::UnknownAttributes(list)) =
        r.get(AttributeType::UNKNOWN_ATTRIBUTES).unwrap()
    else {
        panic!()
    };
    assert_eq!(list.iter().count(), 32);
}

#[test]
fn error_messages_name_position_and_expectation() {
    let e = Message::decode(&[0, 1, 0, 4]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "message truncated at byte 4: need 16 more bytes"
    );
    let mut m = vec![0, 1, 0, 8, 0x21, 0x12, 0xa4, 0x42];
    m.extend_from_slice(&[0; 12]);
    m.extend_from_slice(&[0x00, 0x20, 0x00, 0x04, 0, 9, 0, 0]);
    let msg = Message::decode(&m).unwrap();
    let e = msg.get(AttributeType::XOR_MAPPED_ADDRESS).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid XOR-MAPPED-ADDRESS value at byte 20: expected family 1 with 4 address bytes or family 2 with 16"
    );
    assert_eq!(msg.mapped_address(), None);
    let key = IntegrityKey::from_bytes(b"k");
    assert_eq!(
        msg.verify_integrity(&key),
        Err(Error::MissingIntegrity {
            attribute: AttributeType::MESSAGE_INTEGRITY
        })
    );
    assert_eq!(
        msg.verify_integrity_sha256(&key),
        Err(Error::MissingIntegrity {
            attribute: AttributeType::MESSAGE_INTEGRITY_SHA256
        })
    );
}

#[test]
fn malformed_integrity_and_fingerprint_lengths() {
    for (t, len) in [
        (0x0008u16, 16usize),
        (0x001C, 12),
        (0x001C, 36),
        (0x8028, 8),
    ] {
        let mut m = vec![0, 1];
        m.extend_from_slice(&((4 + len) as u16).to_be_bytes());
        m.extend_from_slice(&[0x21, 0x12, 0xa4, 0x42]);
        m.extend_from_slice(&[1; 12]);
        m.extend_from_slice(&t.to_be_bytes());
        m.extend_from_slice(&(len as u16).to_be_bytes());
        m.extend_from_slice(&vec![0; len]);
        let msg = Message::decode(&m).unwrap();
        let key = IntegrityKey::from_bytes(b"k");
        let r = match t {
            0x0008 => msg.verify_integrity_sha1(&key),
            0x001C => msg.verify_integrity_sha256(&key),
            _ => msg.verify_fingerprint(),
        };
        assert!(
            matches!(r, Err(Error::InvalidAttribute { offset: 20, .. })),
            "{t:#x}: {r:?}"
        );
    }
}

#[test]
fn client_with_credentials_survives_garbage_and_replays() {
    let now = Instant::now();
    let mut c = Client::new(ClientConfig {
        credentials: Credentials::LongTerm {
            username: "u".into(),
            password: "p".into(),
            realm: None,
        },
        rng_seed: Some([1; 32]),
        ..ClientConfig::default()
    })
    .unwrap();
    c.binding(now, addr("192.0.2.1:3478"), Transport::Udp)
        .unwrap();
    let t = c.poll_transmit().unwrap();
    // Replaying our own request to ourselves is not a response.
    assert!(!c.handle_input(now, t.destination, &t.payload));
    assert!(c.poll_event().is_none());
    assert!(c.poll_timeout().is_some());
}
