#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Hostile and malformed network input: the layer never panics, never answers what it
//! cannot answer correctly and never keeps state for it.

mod common;

use bytes::Bytes;
use common::*;
use proptest::prelude::*;
use sip_message::Message;
use sip_transaction::Event;

fn feed(l: &mut sip_transaction::TransactionLayer, wire: &str) {
    if let Ok(m) = Message::parse(Bytes::copy_from_slice(wire.as_bytes())) {
        l.handle_message(at(0), received(m, UDP, client_addr()));
    }
}

#[test]
fn malformed_transaction_headers() {
    let base = request_text("INVITE", Some("z9hG4bKh"), 1);
    let cases = [
        base.replace(
            "Via: SIP/2.0/UDP pc33.atlanta.example:5060;branch=z9hG4bKh",
            "Via: garbage",
        ),
        base.replace("CSeq: 1 INVITE", "CSeq: 99999999999 INVITE"),
        base.replace("Call-ID: a84b4c76e66710@pc33\r\n", ""),
        base.replace(
            "From: Alice <sip:alice@atlanta.example>;tag=1928301774\r\n",
            "",
        ),
        base.replace("To: Bob <sip:bob@biloxi.example>\r\n", ""),
        base.replace(";branch=z9hG4bKh", ";branch=z9hG4bK"),
        base.replace("pc33.atlanta.example:5060", "[2001:db8::1]:5060"),
        base.replace("CSeq: 1 INVITE", "CSeq: 1 BYE"),
    ];
    let mut l = layer();
    for c in &cases {
        feed(&mut l, c);
    }
    // Whatever created a transaction was reported; nothing else happened.
    let reported = std::iter::from_fn(|| l.poll_event())
        .filter(|e| {
            matches!(
                e,
                Event::RequestReceived { .. } | Event::MergedRequest { .. }
            )
        })
        .count();
    assert_eq!(reported, l.server_count());
    assert!(l.server_count() <= cases.len());
}

#[test]
fn responses_without_via_or_cseq_are_stray() {
    let mut l = layer();
    for wire in [
        "SIP/2.0 200 OK\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n",
        "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCSeq: bad\r\nContent-Length: 0\r\n\r\n",
        "SIP/2.0 100 Trying\r\nVia: SIP/2.0/UDP h\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n",
    ] {
        feed(&mut l, wire);
    }
    let ev: Vec<_> = std::iter::from_fn(|| l.poll_event()).collect();
    assert_eq!(ev.len(), 3);
    assert!(ev.iter().all(|e| matches!(e, Event::StrayResponse { .. })));
    assert!(l.is_empty());
}

#[test]
fn a_flood_of_distinct_requests_is_capped() {
    let mut l = layer_with(|c| {
        c.max_server_transactions(50);
    });
    for i in 0..500 {
        feed(
            &mut l,
            &request_text("OPTIONS", Some(&format!("z9hG4bKf{i}")), i),
        );
    }
    assert_eq!(l.server_count(), 50);
    let answered_503 = std::iter::from_fn(|| l.poll_transmit())
        .filter(|t| first_line(&t.payload).starts_with("SIP/2.0 503"))
        .count();
    assert_eq!(answered_503, 450);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_datagrams_never_panic(data in proptest::collection::vec(any::<u8>(), 0..600), ms in 0..100_000u64) {
        let mut l = layer();
        if let Ok(m) = Message::parse(Bytes::from(data)) {
            l.handle_message(at(0), received_raw(m));
        }
        l.handle_timeout(at(ms));
        while l.poll_transmit().is_some() {}
        while l.poll_event().is_some() {}
    }

    #[test]
    fn mutated_requests_never_panic(cut in 0..400usize, byte in any::<u8>(), pos in 0..400usize) {
        let mut wire = request_text("INVITE", Some("z9hG4bKm"), 3).into_bytes();
        if let Some(b) = wire.get_mut(pos) { *b = byte; }
        wire.truncate(wire.len().saturating_sub(cut % 40));
        let mut l = layer();
        if let Ok(m) = Message::parse(Bytes::from(wire)) {
            l.handle_message(at(0), received_raw(m));
        }
        let mut now = 0;
        while let Some(d) = l.poll_timeout() {
            now += 1;
            prop_assert!(now < 1000);
            l.handle_timeout(d);
        }
    }
}

fn received_raw(message: Message) -> sip_transaction::Received {
    sip_transaction::Received {
        message,
        transport: UDP,
        source: client_addr(),
        destination: server_addr(),
    }
}

#[test]
fn request_line_and_cseq_methods_differ_the_tu_can_still_answer() {
    let mut l = layer();
    let wire =
        request_text("INVITE", Some("z9hG4bKmm"), 1).replace("CSeq: 1 INVITE", "CSeq: 1 BYE");
    l.handle_message(at(0), received(msg(&wire), UDP, client_addr()));
    let ev: Vec<_> = std::iter::from_fn(|| l.poll_event()).collect();
    let [Event::RequestReceived { key, request, .. }] = &ev[..] else {
        panic!("{ev:?}")
    };
    let bad_request = request
        .response(sip_message::StatusCode::BAD_REQUEST, Some("t"))
        .unwrap()
        .build()
        .unwrap();
    l.send_response(at(1), *key, bad_request).unwrap();
    assert_eq!(
        first_line(&l.poll_transmit().unwrap().payload),
        "SIP/2.0 400 Bad Request"
    );
}
