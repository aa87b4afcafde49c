#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! STUN encode and decode+verify, on the corpus of the peer comparison
//! (shared/bench/peers/src/corpus.rs): an ICE Binding request (USERNAME, PRIORITY,
//! ICE-CONTROLLING, USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT, 92 bytes) and a Binding
//! success response (XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT, 64 bytes), with a
//! short-term key. The keyed HMAC state is built once per credential, as an agent would.

use std::hint::black_box;
use std::net::SocketAddr;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use stun::{AttributeType, Class, IntegrityKey, Message, MessageBuilder, Method, TransactionId};

const REQ_ID: [u8; 12] = [
    0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
];
const RESP_ID: [u8; 12] = [
    0x4e, 0x29, 0x11, 0xa3, 0x5c, 0x70, 0x09, 0x12, 0x3a, 0x6b, 0x77, 0x01,
];
const USERNAME: &str = "9uB6:Oyef";
const KEY: &str = "7rbcGMHVQzEBxXOVtmKoPZXK";
const PRIORITY: u32 = 1_853_824_767;
const TIEBREAKER: u64 = 0x932F_F9B1_5126_3B36;

fn encode_request(key: &IntegrityKey, out: &mut Vec<u8>) -> usize {
    let mut b = MessageBuilder::new(out, Class::Request, Method::BINDING, TransactionId(REQ_ID));
    b.username(USERNAME).unwrap();
    b.attribute(AttributeType(0x0024), &PRIORITY.to_be_bytes())
        .unwrap();
    b.attribute(AttributeType(0x802A), &TIEBREAKER.to_be_bytes())
        .unwrap();
    b.attribute(AttributeType(0x0025), &[]).unwrap();
    b.message_integrity(key).unwrap();
    b.fingerprint().unwrap();
    b.finish()
}

fn encode_response(key: &IntegrityKey, mapped: SocketAddr, out: &mut Vec<u8>) -> usize {
    let mut b = MessageBuilder::new(
        out,
        Class::SuccessResponse,
        Method::BINDING,
        TransactionId(RESP_ID),
    );
    b.xor_mapped_address(mapped).unwrap();
    b.message_integrity(key).unwrap();
    b.fingerprint().unwrap();
    b.finish()
}

/// Decode, verify MESSAGE-INTEGRITY and FINGERPRINT, extract what the peers extract.
fn decode(
    bytes: &[u8],
    key: &IntegrityKey,
) -> Result<(bool, usize, Option<SocketAddr>), stun::Error> {
    let m = Message::decode(bytes)?;
    m.verify_fingerprint()?;
    m.verify_integrity_sha1(key)?;
    if m.class() == Class::Request {
        let name = m
            .text(AttributeType::USERNAME)
            .ok_or(stun::Error::InvalidState("no USERNAME"))?;
        Ok((true, name.len(), None))
    } else {
        Ok((false, 0, m.mapped_address()))
    }
}

fn benches(c: &mut Criterion) {
    let key = IntegrityKey::short_term(KEY).unwrap();
    let mapped: SocketAddr = "192.0.2.1:32853".parse().unwrap();
    let mut request = Vec::new();
    encode_request(&key, &mut request);
    let mut response = Vec::new();
    encode_response(&key, mapped, &mut response);
    assert_eq!((request.len(), response.len()), (92, 64));
    assert_eq!(decode(&response, &key).unwrap(), (false, 0, Some(mapped)));
    let mut bad = request.clone();
    bad[30] ^= 1;
    assert!(decode(&bad, &key).is_err());

    let mut g = c.benchmark_group("stun");
    g.throughput(Throughput::Elements(1));
    let mut out = Vec::with_capacity(256);
    g.bench_function("encode/request (ICE, MI + FP)", |b| {
        b.iter(|| {
            out.clear();
            black_box(encode_request(black_box(&key), &mut out));
        });
    });
    g.bench_function("encode/response (MI + FP)", |b| {
        b.iter(|| {
            out.clear();
            black_box(encode_response(
                black_box(&key),
                black_box(mapped),
                &mut out,
            ));
        });
    });
    g.bench_function("decode+verify/request", |b| {
        b.iter(|| black_box(decode(black_box(&request), &key)))
    });
    g.bench_function("decode+verify/response", |b| {
        b.iter(|| black_box(decode(black_box(&response), &key)))
    });
    // The peers' unit: one request and one response per iteration, counted as 2 messages.
    g.throughput(Throughput::Elements(2));
    g.bench_function("peer-corpus/encode (request + response)", |b| {
        b.iter(|| {
            out.clear();
            black_box(encode_request(black_box(&key), &mut out));
            out.clear();
            black_box(encode_response(
                black_box(&key),
                black_box(mapped),
                &mut out,
            ));
        });
    });
    g.bench_function("peer-corpus/decode+verify (request + response)", |b| {
        b.iter(|| {
            black_box(decode(black_box(&request), &key)).unwrap();
            black_box(decode(black_box(&response), &key)).unwrap();
        });
    });
    g.finish();
}

criterion_group!(stun_benches, benches);
criterion_main!(stun_benches);
