#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Runs the benchmark corpus N times for instruction counting under callgrind:
//! `stun_loop MODE N`; MODE is `encode` or `decode` (one iteration = the ICE request and the
//! success response), or `encode-request`, `encode-response`, `decode-request`,
//! `decode-response` (one message per iteration).

use std::hint::black_box;
use std::net::SocketAddr;

use stun::{AttributeType, Class, IntegrityKey, Message, MessageBuilder, Method, TransactionId};

fn encode(key: &IntegrityKey, mapped: SocketAddr, out: &mut Vec<u8>) {
    out.clear();
    encode_request(key, out);
    encode_response(key, mapped, out);
}

fn encode_request(key: &IntegrityKey, out: &mut Vec<u8>) {
    let mut b = MessageBuilder::new(out, Class::Request, Method::BINDING, TransactionId([1; 12]));
    b.username("9uB6:Oyef").unwrap();
    b.attribute(AttributeType(0x0024), &1_853_824_767u32.to_be_bytes())
        .unwrap();
    b.attribute(
        AttributeType(0x802A),
        &0x932F_F9B1_5126_3B36u64.to_be_bytes(),
    )
    .unwrap();
    b.attribute(AttributeType(0x0025), &[]).unwrap();
    b.message_integrity(key).unwrap();
    b.fingerprint().unwrap();
    b.finish();
}

fn encode_response(key: &IntegrityKey, mapped: SocketAddr, out: &mut Vec<u8>) {
    let mut b = MessageBuilder::new(
        out,
        Class::SuccessResponse,
        Method::BINDING,
        TransactionId([2; 12]),
    );
    b.xor_mapped_address(mapped).unwrap();
    b.message_integrity(key).unwrap();
    b.fingerprint().unwrap();
    b.finish();
}

fn decode(bytes: &[u8], key: &IntegrityKey) -> (bool, usize, Option<SocketAddr>) {
    let m = Message::decode(bytes).unwrap();
    m.verify_fingerprint().unwrap();
    m.verify_integrity_sha1(key).unwrap();
    if m.class() == Class::Request {
        (true, m.text(AttributeType::USERNAME).unwrap().len(), None)
    } else {
        (false, 0, m.mapped_address())
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_default();
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let key = IntegrityKey::short_term("7rbcGMHVQzEBxXOVtmKoPZXK").unwrap();
    let mapped: SocketAddr = "192.0.2.1:32853".parse().unwrap();
    let mut out = Vec::with_capacity(256);
    encode(&key, mapped, &mut out);
    let request = out[..92].to_vec();
    let response = out[92..].to_vec();
    decode(&request, &key);
    decode(&response, &key);
    for _ in 0..n {
        match what.as_str() {
            "encode" => encode(black_box(&key), black_box(mapped), &mut out),
            "encode-request" => {
                out.clear();
                encode_request(black_box(&key), &mut out);
            }
            "encode-response" => {
                out.clear();
                encode_response(black_box(&key), black_box(mapped), &mut out);
            }
            "decode-request" => {
                black_box(decode(black_box(&request), &key));
            }
            "decode-response" => {
                black_box(decode(black_box(&response), &key));
            }
            _ => {
                black_box(decode(black_box(&request), &key));
                black_box(decode(black_box(&response), &key));
            }
        }
    }
    black_box(&out);
}
