#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! RFC 3261 Figure 8: one test per transition.

mod common;

use common::*;
use sip_transaction::{
    Error, Event, NonInviteServerState as S, ServerState, ServerTransactionKey, TransactionLayer,
    TransportKind,
};

fn start(transport: TransportKind) -> (TransactionLayer, ServerTransactionKey, bytes::Bytes) {
    let mut l = layer();
    let req = request("REGISTER", "z9hG4bKreg");
    let bytes = req.to_bytes();
    l.handle_message(at(0), received(req, transport, client_addr()));
    let ev = events(&mut l);
    let [Event::RequestReceived { key, .. }] = &ev[..] else {
        panic!("{ev:?}")
    };
    assert_eq!(
        l.server_state(*key),
        Some(ServerState::NonInvite(S::Trying))
    );
    (l, *key, bytes)
}

fn retransmit(
    l: &mut TransactionLayer,
    req: &bytes::Bytes,
    ms: u64,
    transport: TransportKind,
) -> Vec<String> {
    l.handle_message(
        at(ms),
        received(
            msg(std::str::from_utf8(req).unwrap()),
            transport,
            client_addr(),
        ),
    );
    assert!(
        events(l).is_empty(),
        "retransmissions are not passed to the TU"
    );
    transmits(l)
        .iter()
        .map(|t| first_line(&t.payload))
        .collect()
}

#[test]
fn trying_absorbs_retransmissions() {
    let (mut l, _, req) = start(UDP);
    assert!(retransmit(&mut l, &req, 500, UDP).is_empty());
    // No timer runs in Trying: the TU must answer.
    assert_eq!(l.poll_timeout(), None);
}

#[test]
fn trying_1xx_to_proceeding_resends_it() {
    let (mut l, key, req) = start(UDP);
    l.send_response(at(10), key, response_to(&req, 100, "s"))
        .unwrap();
    assert_eq!(
        first_line(&transmits(&mut l)[0].payload),
        "SIP/2.0 100 Trying"
    );
    assert_eq!(
        l.server_state(key),
        Some(ServerState::NonInvite(S::Proceeding))
    );
    assert_eq!(retransmit(&mut l, &req, 500, UDP), ["SIP/2.0 100 Trying"]);
    // Proceeding: a further 1xx is sent.
    l.send_response(at(600), key, response_to(&req, 183, "s"))
        .unwrap();
    assert_eq!(transmits(&mut l).len(), 1);
    assert_eq!(
        retransmit(&mut l, &req, 700, UDP),
        ["SIP/2.0 183 Session Progress"]
    );
}

#[test]
fn trying_final_to_completed_resends_it_until_timer_j() {
    let (mut l, key, req) = start(UDP);
    l.send_response(at(10), key, response_to(&req, 200, "s"))
        .unwrap();
    assert_eq!(transmits(&mut l).len(), 1);
    assert_eq!(
        l.server_state(key),
        Some(ServerState::NonInvite(S::Completed))
    );
    assert_eq!(retransmit(&mut l, &req, 500, UDP), ["SIP/2.0 200 OK"]);
    let mut ev = Vec::new();
    assert!(
        run_until(&mut l, 40_000, &mut ev).is_empty(),
        "the server never retransmits on its own"
    );
    // J = 64*T1 on UDP.
    assert!(matches!(ev[..], [(32_010, Event::Terminated { .. })]));
}

#[test]
fn proceeding_final_to_completed() {
    let (mut l, key, req) = start(UDP);
    l.send_response(at(10), key, response_to(&req, 100, "s"))
        .unwrap();
    l.send_response(at(20), key, response_to(&req, 403, "s"))
        .unwrap();
    assert_eq!(
        l.server_state(key),
        Some(ServerState::NonInvite(S::Completed))
    );
    assert_eq!(transmits(&mut l).len(), 2);
    assert_eq!(
        retransmit(&mut l, &req, 500, UDP),
        ["SIP/2.0 403 Forbidden"]
    );
}

#[test]
fn completed_on_reliable_transport_ends_at_once() {
    let (mut l, key, req) = start(TCP);
    l.send_response(at(10), key, response_to(&req, 200, "s"))
        .unwrap();
    assert!(matches!(events(&mut l)[..], [Event::Terminated { .. }]));
    assert!(l.is_empty());
    assert!(matches!(
        l.send_response(at(20), key, response_to(&req, 200, "s")),
        Err(Error::UnknownTransaction)
    ));
}

#[test]
fn transport_error_informs_tu_and_keeps_state() {
    let (mut l, key, req) = start(UDP);
    l.send_response(at(10), key, response_to(&req, 100, "s"))
        .unwrap();
    l.transport_error(at(20), key.into());
    assert!(matches!(events(&mut l)[..], [Event::TransportError { .. }]));
    assert_eq!(
        l.server_state(key),
        Some(ServerState::NonInvite(S::Proceeding))
    );
    l.send_response(at(30), key, response_to(&req, 200, "s"))
        .unwrap();
    l.transport_error(at(40), key.into());
    assert_eq!(
        l.server_state(key),
        Some(ServerState::NonInvite(S::Completed))
    );
}

#[test]
fn second_final_response_is_an_error() {
    let (mut l, key, req) = start(UDP);
    l.send_response(at(10), key, response_to(&req, 200, "s"))
        .unwrap();
    assert!(matches!(
        l.send_response(at(20), key, response_to(&req, 500, "s")),
        Err(Error::InvalidState {
            state: "Completed",
            ..
        })
    ));
}
