#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Matching (§17.1.3, §17.2.3 with the RFC 2543 fallback), CANCEL and ACK rules, merged
//! requests (§8.2.2.2), stray responses, the server cap, branches.

mod common;

use common::*;
use sip_message::{HeaderName, Message, Request};
use sip_transaction::{
    Config, Error, Event, InviteServerState, ServerState, TransactionLayer, MAGIC_COOKIE,
};

fn legacy_invite() -> String {
    request_text("INVITE", None, 5)
}

#[test]
fn rfc2543_invite_retransmission_and_ack_match_without_cookie() {
    let mut l = layer();
    l.handle_message(at(0), received(msg(&legacy_invite()), UDP, client_addr()));
    let [Event::RequestReceived { key, request, .. }] = &events(&mut l)[..] else {
        panic!()
    };
    let key = *key;
    let resp = request
        .response(sip_message::StatusCode::BUSY_HERE, Some("legacy9"))
        .unwrap()
        .build()
        .unwrap();
    l.send_response(at(10), key, resp).unwrap();
    transmits(&mut l);
    // Retransmitted INVITE (same Request-URI, tags, Call-ID, CSeq, Via): the 486 again.
    l.handle_message(at(100), received(msg(&legacy_invite()), UDP, client_addr()));
    assert!(events(&mut l).is_empty());
    assert_eq!(
        first_line(&transmits(&mut l)[0].payload),
        "SIP/2.0 486 Busy Here"
    );
    // An ACK with another To tag does not match: to the TU.
    let ack = |tag: &str| {
        request_text("ACK", None, 5).replace(
            "<sip:bob@biloxi.example>\r\n",
            &format!("<sip:bob@biloxi.example>;tag={tag}\r\n"),
        )
    };
    l.handle_message(at(150), received(msg(&ack("other")), UDP, client_addr()));
    assert!(matches!(
        &events(&mut l)[..],
        [Event::AckReceived { invite: None, .. }]
    ));
    // The ACK with the response's To tag matches: Confirmed.
    l.handle_message(at(200), received(msg(&ack("legacy9")), UDP, client_addr()));
    assert!(events(&mut l).is_empty());
    assert_eq!(
        l.server_state(key),
        Some(ServerState::Invite(InviteServerState::Confirmed))
    );
    // A different CSeq is a different transaction.
    l.handle_message(
        at(300),
        received(msg(&request_text("INVITE", None, 6)), UDP, client_addr()),
    );
    assert!(matches!(
        &events(&mut l)[..],
        [Event::RequestReceived { .. }]
    ));
}

#[test]
fn same_branch_other_sent_by_is_another_transaction() {
    let mut l = layer();
    let a = request_text("OPTIONS", Some("z9hG4bKsame"), 1);
    let b = a.replace("pc33.atlanta.example:5060", "evil.example:5060");
    l.handle_message(at(0), received(msg(&a), UDP, client_addr()));
    l.handle_message(at(0), received(msg(&b), UDP, client_addr()));
    let ev = events(&mut l);
    assert_eq!(ev.len(), 2);
    // Another transaction, which §8.2.2.2 also reports as merged (same From tag,
    // Call-ID and CSeq).
    assert!(matches!(ev[0], Event::RequestReceived { .. }));
    assert!(matches!(ev[1], Event::MergedRequest { .. }));
    assert_eq!(l.server_count(), 2);
}

#[test]
fn cancel_is_its_own_transaction_and_names_the_invite() {
    let mut l = layer();
    l.handle_message(
        at(0),
        received(request("INVITE", "z9hG4bKc1"), UDP, client_addr()),
    );
    let [Event::RequestReceived { key: invite, .. }] = &events(&mut l)[..] else {
        panic!()
    };
    let invite = *invite;
    l.handle_message(
        at(50),
        received(request("CANCEL", "z9hG4bKc1"), UDP, client_addr()),
    );
    let ev = events(&mut l);
    let [Event::CancelReceived {
        key,
        invite: Some(found),
        ..
    }] = &ev[..]
    else {
        panic!("{ev:?}")
    };
    assert_eq!(*found, invite);
    assert_ne!(*key, invite);
    // A CANCEL for nothing: invite None (the TU answers 481).
    l.handle_message(
        at(60),
        received(request("CANCEL", "z9hG4bKnone"), UDP, client_addr()),
    );
    assert!(matches!(
        &events(&mut l)[..],
        [Event::CancelReceived { invite: None, .. }]
    ));
}

#[test]
fn ack_for_2xx_goes_to_the_tu() {
    let mut l = layer();
    l.handle_message(
        at(0),
        received(request("ACK", "z9hG4bKnewack"), UDP, client_addr()),
    );
    assert!(matches!(
        &events(&mut l)[..],
        [Event::AckReceived { invite: None, .. }]
    ));
    assert!(l.is_empty(), "an ACK never creates a server transaction");
    assert!(transmits(&mut l).is_empty());
}

#[test]
fn merged_request_is_reported_for_482() {
    let mut l = layer();
    l.handle_message(
        at(0),
        received(request("INVITE", "z9hG4bKpath1"), UDP, client_addr()),
    );
    let [Event::RequestReceived { key: first, .. }] = &events(&mut l)[..] else {
        panic!()
    };
    let first = *first;
    // The same request forked and rejoined: another branch, same From tag, Call-ID, CSeq.
    l.handle_message(
        at(10),
        received(request("INVITE", "z9hG4bKpath2"), UDP, client_addr()),
    );
    let ev = events(&mut l);
    let [Event::MergedRequest { key, original, .. }] = &ev[..] else {
        panic!("{ev:?}")
    };
    assert_eq!(*original, first);
    let req = request("INVITE", "z9hG4bKpath2").to_bytes();
    l.send_response(at(20), *key, response_to(&req, 482, "m"))
        .unwrap();
    assert_eq!(
        first_line(&transmits(&mut l)[0].payload),
        "SIP/2.0 482 Loop Detected"
    );
}

#[test]
fn a_branch_reused_for_another_request_is_a_new_transaction() {
    // The server index finds a transaction by the Call-ID and CSeq number its
    // retransmissions, ACK and CANCEL share (§17.1.1.3, §9.1); a peer that reuses a live
    // branch for another request (against §8.1.1.7) gets a new transaction for it.
    let mut l = layer();
    let text = request_text("OPTIONS", Some("z9hG4bKreused"), 7);
    l.handle_message(at(0), received(msg(&text), UDP, client_addr()));
    assert!(matches!(
        &events(&mut l)[..],
        [Event::RequestReceived { .. }]
    ));
    let other = text.replace("a84b4c76e66710@pc33", "other-call@pc33");
    l.handle_message(at(10), received(msg(&other), UDP, client_addr()));
    assert!(matches!(
        &events(&mut l)[..],
        [Event::RequestReceived { .. }]
    ));
    assert_eq!(l.server_count(), 2);
    // A true retransmission of either is absorbed.
    l.handle_message(at(20), received(msg(&text), UDP, client_addr()));
    l.handle_message(at(30), received(msg(&other), UDP, client_addr()));
    assert!(events(&mut l).is_empty());
    assert_eq!(l.server_count(), 2);
}

#[test]
fn stray_responses_go_to_the_tu() {
    let mut l = layer();
    let req = request("OPTIONS", "z9hG4bKunknown").to_bytes();
    l.handle_message(
        at(0),
        received(response_to(&req, 200, "x"), UDP, server_addr()),
    );
    assert!(
        matches!(&events(&mut l)[..], [Event::StrayResponse { source, .. }] if *source == server_addr())
    );
    // Same branch, other CSeq method: no match either (§17.1.3).
    l.send_request(at(0), request("INVITE", "z9hG4bKm"), server_addr(), UDP)
        .unwrap();
    transmits(&mut l);
    let other = request("CANCEL", "z9hG4bKm").to_bytes();
    l.handle_message(
        at(1),
        received(response_to(&other, 200, "x"), UDP, server_addr()),
    );
    assert!(matches!(&events(&mut l)[..], [Event::StrayResponse { .. }]));
}

#[test]
fn beyond_the_cap_requests_get_503_with_retry_after() {
    let mut l = layer_with(|c| {
        c.max_server_transactions(1).retry_after(17);
    });
    l.handle_message(
        at(0),
        received(request("OPTIONS", "z9hG4bK1"), UDP, client_addr()),
    );
    l.handle_message(
        at(0),
        received(request("OPTIONS", "z9hG4bK2"), UDP, client_addr()),
    );
    assert_eq!(events(&mut l).len(), 1);
    assert_eq!(l.server_count(), 1);
    let t = transmits(&mut l);
    assert_eq!(t.len(), 1);
    let r = Message::parse(t[0].payload.clone()).unwrap();
    assert_eq!(r.status().unwrap().as_u16(), 503);
    assert_eq!(r.get(&HeaderName::RetryAfter), Some(&b"17"[..]));
    assert!(r.to_tag().is_some());
}

#[test]
fn send_request_rules() {
    let mut l = layer();
    assert_eq!(
        l.send_request(at(0), request("ACK", "z9hG4bKa"), server_addr(), UDP)
            .unwrap_err(),
        Error::AckNotATransaction
    );
    l.send_request(at(0), request("OPTIONS", "z9hG4bKd"), server_addr(), UDP)
        .unwrap();
    assert!(matches!(
        l.send_request(at(0), request("OPTIONS", "z9hG4bKd"), server_addr(), UDP),
        Err(Error::DuplicateTransaction { .. })
    ));
    let no_via = Request::try_from(msg(&request_text("OPTIONS", None, 1)
        .replace("Via: SIP/2.0/UDP pc33.atlanta.example:5060\r\n", "")))
    .unwrap();
    assert_eq!(
        l.send_request(at(0), no_via, server_addr(), UDP)
            .unwrap_err(),
        Error::MissingHeader { name: "Via" }
    );
}

#[test]
fn missing_branch_is_generated_deterministically() {
    let sent = |seed| {
        let mut c = Config::default();
        c.rng_seed([seed; 32]);
        let mut l = TransactionLayer::new(c).unwrap();
        let req = Request::try_from(msg(&request_text("OPTIONS", None, 1))).unwrap();
        l.send_request(at(0), req, server_addr(), UDP).unwrap();
        let t = l.poll_transmit().unwrap();
        let m = Message::parse(t.payload).unwrap();
        let via: sip_message::Via = m.typed().unwrap().unwrap();
        via.branch().unwrap().to_owned()
    };
    let a = sent(1);
    assert!(a.starts_with(MAGIC_COOKIE));
    assert!(a.len() >= MAGIC_COOKIE.len() + 16);
    assert_eq!(a, sent(1));
    assert_ne!(a, sent(2));
}

#[test]
fn garbage_and_incomplete_messages_are_dropped() {
    let mut l = layer();
    // No Via: nothing can be answered.
    let no_via = request_text("OPTIONS", Some("z9hG4bKx"), 1).replace(
        "Via: SIP/2.0/UDP pc33.atlanta.example:5060;branch=z9hG4bKx\r\n",
        "",
    );
    l.handle_message(at(0), received(msg(&no_via), UDP, client_addr()));
    let bad_cseq =
        request_text("OPTIONS", Some("z9hG4bKx"), 1).replace("CSeq: 1 OPTIONS", "CSeq: x");
    l.handle_message(at(0), received(msg(&bad_cseq), UDP, client_addr()));
    assert!(events(&mut l).is_empty());
    assert!(transmits(&mut l).is_empty());
    assert!(l.is_empty());
}
