#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

//! Parsing a typical message and extracting its transaction key does not touch the heap.
//!
//! The input must be a buffer that slicing does not have to convert: `Bytes::from_static`,
//! a frozen `BytesMut`, or a `Bytes` that was already cloned once. (`Bytes::from(Vec)` is
//! "promotable": its first clone or slice allocates the shared header, once.)

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use bytes::Bytes;
use sip_message::{CSeq, CallId, Message, Via};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

// Counts every allocation of the process; this file holds one test so that nothing else
// runs (and allocates) at the same time.
#[global_allocator]
static GLOBAL: &StatsAlloc<std::alloc::System> = &INSTRUMENTED_SYSTEM;

fn allocations_during(f: impl FnOnce()) -> usize {
    let region = Region::new(GLOBAL);
    f();
    let stats = region.change();
    stats.allocations + stats.reallocations
}

fn parse_and_key(bytes: Bytes) {
    let msg = Message::parse(bytes).unwrap();
    let via = msg.typed::<Via>().unwrap().unwrap();
    let cseq = msg.typed::<CSeq>().unwrap().unwrap();
    let call_id = msg.typed::<CallId>().unwrap().unwrap();
    let from_tag = msg.from_tag().unwrap();
    let to_tag = msg.to_tag();
    std::hint::black_box((
        via.branch(),
        &via.host,
        via.port,
        cseq.seq,
        &cseq.method,
        &call_id,
        from_tag,
        to_tag,
    ));
    std::hint::black_box(msg.key_parts().unwrap());
}

const INVITE: &[u8] = b"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK74bf9;rport\r\n\
Max-Forwards: 70\r\n\
From: \"Alice\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n\
To: \"Bob\" <sip:bob@biloxi.example.com>\r\n\
Call-ID: 3848276298220188511@atlanta.example.com\r\n\
CSeq: 31862 INVITE\r\n\
Contact: <sip:alice@192.0.2.101:5060;transport=udp>\r\n\
Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, UPDATE\r\n\
Supported: replaces, timer, 100rel\r\n\
User-Agent: ExamplePhone/4.2.1\r\n\
Content-Type: application/sdp\r\n\
Content-Length: 4\r\n\r\nv=0\n";

#[test]
fn typical_invite_parses_and_gives_its_key_without_allocating() {
    // Warm up anything lazily initialised (e.g. memchr's CPU feature detection).
    parse_and_key(Bytes::from_static(INVITE));
    assert_eq!(
        allocations_during(|| parse_and_key(Bytes::from_static(INVITE))),
        0
    );

    // The same from shared buffers, for every message of the benchmark corpus.
    let mut cases = corpus::peer_corpus();
    cases.push(corpus::ten_via_ten_record_route());
    for case in &cases {
        parse_and_key(case.bytes.clone());
        let n = allocations_during(|| parse_and_key(case.bytes.clone()));
        assert_eq!(n, 0, "{}", case.name);
    }
    // Serializing an untouched message into a buffer with room does not allocate either.
    let msg = Message::parse(Bytes::from_static(INVITE)).unwrap();
    let mut out = Vec::with_capacity(2048);
    assert_eq!(allocations_during(|| msg.write_to(&mut out)), 0);
    assert_eq!(&out[..], INVITE);
    // The counter works: a Vec allocates.
    assert_eq!(
        allocations_during(|| drop(std::hint::black_box(vec![1u8; 10]))),
        1
    );
}
