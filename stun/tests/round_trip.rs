#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! proptest round trips: build → encode → decode → equal, integrity and FINGERPRINT verified.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use proptest::prelude::*;
use stun::{
    Attribute, AttributeType, Class, ErrorCode, IntegrityKey, Message, MessageBuilder, Method,
    PasswordAlgorithm, TransactionId,
};

#[derive(Debug, Clone)]
enum Value {
    Mapped(SocketAddr),
    XorMapped(SocketAddr),
    Alternate(SocketAddr),
    Username(String),
    Realm(String),
    Nonce(String),
    Software(String),
    Domain(String),
    Error(u16, String),
    Unknown(Vec<u16>),
    UserHash([u8; 32]),
    Algorithm(u16),
    Algorithms(Vec<u16>),
    Other(u16, Vec<u8>),
}

fn socket_addr() -> impl Strategy<Value = SocketAddr> {
    prop_oneof![
        (any::<u32>(), any::<u16>())
            .prop_map(|(ip, port)| SocketAddr::new(IpAddr::V4(Ipv4Addr::from(ip)), port)),
        (any::<u128>(), any::<u16>())
            .prop_map(|(ip, port)| SocketAddr::new(IpAddr::V6(Ipv6Addr::from(ip)), port)),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        socket_addr().prop_map(Value::Mapped),
        socket_addr().prop_map(Value::XorMapped),
        socket_addr().prop_map(Value::Alternate),
        "\\PC{0,40}".prop_map(Value::Username),
        "\\PC{0,40}".prop_map(Value::Realm),
        "[ -~]{0,60}".prop_map(Value::Nonce),
        "\\PC{0,40}".prop_map(Value::Software),
        "[a-z0-9.-]{0,80}".prop_map(Value::Domain),
        (300u16..700, "\\PC{0,30}").prop_map(|(c, r)| Value::Error(c, r)),
        proptest::collection::vec(any::<u16>(), 0..8).prop_map(Value::Unknown),
        any::<[u8; 32]>().prop_map(Value::UserHash),
        any::<u16>().prop_map(Value::Algorithm),
        proptest::collection::vec(any::<u16>(), 0..5).prop_map(Value::Algorithms),
        (any::<u16>(), proptest::collection::vec(any::<u8>(), 0..40))
            .prop_filter("unknown types only", |(t, _)| {
                let t = AttributeType(*t);
                !t.is_known() && t != AttributeType::CHANGE_REQUEST
            })
            .prop_map(|(t, v)| Value::Other(t, v)),
    ]
}

fn encode(b: &mut MessageBuilder<'_>, v: &Value) {
    match v {
        Value::Mapped(a) => b.mapped_address(*a),
        Value::XorMapped(a) => b.xor_mapped_address(*a),
        Value::Alternate(a) => b.alternate_server(*a),
        Value::Username(s) => b.username(s),
        Value::Realm(s) => b.realm(s),
        Value::Nonce(s) => b.nonce(s),
        Value::Software(s) => b.software(s),
        Value::Domain(s) => b.alternate_domain(s),
        Value::Error(c, r) => b.error_code(*c, r),
        Value::Unknown(t) => {
            b.unknown_attributes(&t.iter().map(|&t| AttributeType(t)).collect::<Vec<_>>())
        }
        Value::UserHash(h) => b.user_hash(h),
        Value::Algorithm(a) => b.password_algorithm(PasswordAlgorithm(*a)),
        Value::Algorithms(list) => b.password_algorithms(
            &list
                .iter()
                .map(|&a| PasswordAlgorithm(a))
                .collect::<Vec<_>>(),
        ),
        Value::Other(t, v) => b.attribute(AttributeType(*t), v),
    }
    .unwrap();
}

fn check(v: &Value, a: &Attribute<'_>) {
    match (v, a) {
        (Value::Mapped(x), Attribute::MappedAddress(y))
        | (Value::XorMapped(x), Attribute::XorMappedAddress(y))
        | (Value::Alternate(x), Attribute::AlternateServer(y)) => assert_eq!(x, y),
        (Value::Username(x), Attribute::Username(y))
        | (Value::Realm(x), Attribute::Realm(y))
        | (Value::Nonce(x), Attribute::Nonce(y))
        | (Value::Software(x), Attribute::Software(y))
        | (Value::Domain(x), Attribute::AlternateDomain(y)) => assert_eq!(x, y),
        (Value::Error(c, r), Attribute::ErrorCode(ErrorCode { code, reason })) => {
            assert_eq!((c, r.as_str()), (code, *reason));
        }
        (Value::Unknown(x), Attribute::UnknownAttributes(y)) => {
            assert_eq!(x, &y.iter().map(|t| t.0).collect::<Vec<_>>());
        }
        (Value::UserHash(x), Attribute::UserHash(y)) => assert_eq!(x, *y),
        (Value::Algorithm(x), Attribute::PasswordAlgorithm(y, p)) => {
            assert_eq!(*x, y.0);
            assert!(p.is_empty());
        }
        (Value::Algorithms(x), Attribute::PasswordAlgorithms(y)) => {
            assert_eq!(x, &y.iter().map(|(a, _)| a.0).collect::<Vec<_>>());
        }
        (Value::Other(t, x), Attribute::Other(u, y)) => assert_eq!((*t, x.as_slice()), (u.0, *y)),
        _ => panic!("{v:?} decoded as {a:?}"),
    }
}

fn class() -> impl Strategy<Value = Class> {
    prop_oneof![
        Just(Class::Request),
        Just(Class::Indication),
        Just(Class::SuccessResponse),
        Just(Class::ErrorResponse)
    ]
}

proptest! {
    #[test]
    fn build_encode_decode_equal(
        class in class(),
        method in 0u16..0x1000,
        id in any::<[u8; 12]>(),
        values in proptest::collection::vec(value(), 0..10),
        key in proptest::collection::vec(any::<u8>(), 1..80),
        sha1 in any::<bool>(),
        sha256 in prop_oneof![Just(None), (4usize..=8).prop_map(|n| Some(n * 4))],
        fingerprint in any::<bool>(),
    ) {
        let key = IntegrityKey::from_bytes(&key);
        let method = Method::new(method).unwrap();
        let mut out = Vec::new();
        let mut b = MessageBuilder::new(&mut out, class, method, TransactionId(id));
        for v in &values {
            encode(&mut b, v);
        }
        if sha1 {
            b.message_integrity(&key).unwrap();
        }
        if let Some(n) = sha256 {
            b.message_integrity_sha256(&key, n).unwrap();
        }
        if fingerprint {
            b.fingerprint().unwrap();
        }
        let len = b.finish();
        prop_assert_eq!(len, out.len());
        prop_assert_eq!(len % 4, 0);
        let m = Message::decode(&out).unwrap();
        prop_assert_eq!(m.class(), class);
        prop_assert_eq!(m.method(), method);
        prop_assert_eq!(m.transaction_id(), TransactionId(id));
        let decoded: Vec<_> = m
            .attributes()
            .filter(|a| !matches!(a.attribute_type.0, 0x0008 | 0x001C | 0x8028))
            .map(|a| Attribute::decode(a, &m.transaction_id()).unwrap())
            .collect();
        prop_assert_eq!(decoded.len(), values.len());
        for (v, a) in values.iter().zip(&decoded) {
            check(v, a);
        }
        prop_assert_eq!(m.verify_integrity_sha1(&key).is_ok(), sha1);
        prop_assert_eq!(m.verify_integrity_sha256(&key).is_ok(), sha256.is_some());
        prop_assert_eq!(m.verify_fingerprint().is_ok(), fingerprint);
        let other = IntegrityKey::from_bytes(b"another key");
        prop_assert!(m.verify_integrity(&other).is_err());
    }
}
