#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! RFC 3261 Figure 7 (as RFC 6026 redraws it): one test per transition.

mod common;

use common::*;
use sip_message::Request;
use sip_transaction::{
    Error, Event, InviteServerState as S, ServerState, ServerTransactionKey, Timer,
    TransactionLayer, TransportKind,
};

fn start(transport: TransportKind) -> (TransactionLayer, ServerTransactionKey, bytes::Bytes) {
    let mut l = layer();
    let inv = request("INVITE", "z9hG4bKsrv");
    let bytes = inv.to_bytes();
    l.handle_message(at(0), received(inv, transport, client_addr()));
    let ev = events(&mut l);
    let [Event::RequestReceived {
        key,
        request,
        source,
        ..
    }] = &ev[..]
    else {
        panic!("{ev:?}")
    };
    assert_eq!(request.method(), sip_message::Method::Invite);
    assert_eq!(*source, client_addr());
    assert_eq!(
        l.server_state(*key),
        Some(ServerState::Invite(S::Proceeding))
    );
    (l, *key, bytes)
}

fn answer(
    l: &mut TransactionLayer,
    key: ServerTransactionKey,
    req: &bytes::Bytes,
    status: u16,
    ms: u64,
) {
    l.send_response(at(ms), key, response_to(req, status, "srv"))
        .unwrap();
}

#[test]
fn proceeding_sends_100_after_200_ms_and_resends_it() {
    let (mut l, _, req) = start(UDP);
    assert!(transmits(&mut l).is_empty());
    let mut ev = Vec::new();
    let sent = run_until(&mut l, 1000, &mut ev);
    assert_eq!(sent, [(200, "SIP/2.0 100 Trying".to_owned())]);
    // INVITE retransmission in Proceeding: the last provisional again.
    l.handle_message(
        at(500),
        received(
            Request::try_from(msg(std::str::from_utf8(&req).unwrap())).unwrap(),
            UDP,
            client_addr(),
        ),
    );
    let t = transmits(&mut l);
    assert_eq!(t.len(), 1);
    assert_eq!(first_line(&t[0].payload), "SIP/2.0 100 Trying");
    assert_eq!(t[0].destination, client_addr());
    assert!(
        events(&mut l).is_empty(),
        "retransmissions are not passed to the TU"
    );
}

#[test]
fn proceeding_1xx_from_tu_is_sent_and_resent() {
    let (mut l, key, req) = start(UDP);
    answer(&mut l, key, &req, 180, 50);
    assert_eq!(
        first_line(&transmits(&mut l)[0].payload),
        "SIP/2.0 180 Ringing"
    );
    let mut ev = Vec::new();
    assert!(
        run_until(&mut l, 1000, &mut ev).is_empty(),
        "no 100 once the TU answered"
    );
    l.handle_message(
        at(1000),
        received(msg(std::str::from_utf8(&req).unwrap()), UDP, client_addr()),
    );
    assert_eq!(
        first_line(&transmits(&mut l)[0].payload),
        "SIP/2.0 180 Ringing"
    );
    assert_eq!(
        l.server_state(key),
        Some(ServerState::Invite(S::Proceeding))
    );
}

#[test]
fn proceeding_2xx_to_accepted_absorbs_invites_passes_acks_until_timer_l() {
    let (mut l, key, req) = start(UDP);
    answer(&mut l, key, &req, 200, 50);
    assert_eq!(transmits(&mut l).len(), 1);
    assert_eq!(l.server_state(key), Some(ServerState::Invite(S::Accepted)));
    // INVITE retransmission: absorbed, nothing sent, nothing to the TU.
    l.handle_message(
        at(500),
        received(msg(std::str::from_utf8(&req).unwrap()), UDP, client_addr()),
    );
    assert!(transmits(&mut l).is_empty());
    assert!(events(&mut l).is_empty());
    // The TU's 2xx retransmission is sent.
    answer(&mut l, key, &req, 200, 550);
    assert_eq!(transmits(&mut l).len(), 1);
    // An ACK matching the transaction (same branch, as RFC 2543-style peers do) goes to the TU.
    let ack = std::str::from_utf8(&req)
        .unwrap()
        .replace("INVITE sip:", "ACK sip:")
        .replace("314159 INVITE", "314159 ACK");
    l.handle_message(at(600), received(msg(&ack), UDP, client_addr()));
    assert!(
        matches!(&events(&mut l)[..], [Event::AckReceived { invite: Some(k), .. }] if *k == key)
    );
    // Timer L = 64*T1 on every transport.
    let mut ev = Vec::new();
    assert!(run_until(&mut l, 40_000, &mut ev).is_empty());
    assert!(matches!(ev[..], [(32_050, Event::Terminated { .. })]));
}

#[test]
fn proceeding_300_699_to_completed_timer_g_capped_then_timer_h() {
    let (mut l, key, req) = start(UDP);
    answer(&mut l, key, &req, 486, 0);
    assert_eq!(
        first_line(&transmits(&mut l)[0].payload),
        "SIP/2.0 486 Busy Here"
    );
    assert_eq!(l.server_state(key), Some(ServerState::Invite(S::Completed)));
    let mut ev = Vec::new();
    let sent = run_until(&mut l, 40_000, &mut ev);
    // §17.2.1: G at T1 doubling up to T2; H at 64*T1.
    assert_eq!(
        times(&sent),
        [500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]
    );
    assert!(sent.iter().all(|(_, l)| l == "SIP/2.0 486 Busy Here"));
    assert!(matches!(
        ev[..],
        [
            (
                32_000,
                Event::Timeout {
                    timer: Timer::H,
                    ..
                }
            ),
            (32_000, Event::Terminated { .. })
        ]
    ));
}

#[test]
fn completed_resends_final_on_invite_retransmission() {
    let (mut l, key, req) = start(TCP);
    answer(&mut l, key, &req, 500, 0);
    transmits(&mut l);
    l.handle_message(
        at(300),
        received(msg(std::str::from_utf8(&req).unwrap()), TCP, client_addr()),
    );
    assert_eq!(
        first_line(&transmits(&mut l)[0].payload),
        "SIP/2.0 500 Server Internal Error"
    );
    // Reliable: no Timer G.
    let mut ev = Vec::new();
    assert!(run_until(&mut l, 31_000, &mut ev).is_empty());
}

fn ack_for(req: &bytes::Bytes, tag: &str) -> String {
    std::str::from_utf8(req)
        .unwrap()
        .replace("INVITE sip:", "ACK sip:")
        .replace("314159 INVITE", "314159 ACK")
        .replace(
            "<sip:bob@biloxi.example>\r\n",
            &format!("<sip:bob@biloxi.example>;tag={tag}\r\n"),
        )
}

#[test]
fn completed_ack_to_confirmed_then_timer_i() {
    let (mut l, key, req) = start(UDP);
    answer(&mut l, key, &req, 486, 0);
    transmits(&mut l);
    let mut ev = Vec::new();
    assert_eq!(times(&run_until(&mut l, 700, &mut ev)), [500]);
    l.handle_message(
        at(700),
        received(msg(&ack_for(&req, "srv")), UDP, client_addr()),
    );
    assert!(
        events(&mut l).is_empty(),
        "the ACK of a non-2xx is absorbed"
    );
    assert_eq!(l.server_state(key), Some(ServerState::Invite(S::Confirmed)));
    // ACK retransmission absorbed; no more G.
    l.handle_message(
        at(900),
        received(msg(&ack_for(&req, "srv")), UDP, client_addr()),
    );
    let sent = run_until(&mut l, 40_000, &mut ev);
    assert!(sent.is_empty(), "no Timer G in Confirmed");
    // I = T4 = 5 s after the ACK.
    assert!(matches!(ev[..], [(5700, Event::Terminated { .. })]));
}

#[test]
fn confirmed_on_reliable_transport_ends_at_once() {
    let (mut l, key, req) = start(TCP);
    answer(&mut l, key, &req, 486, 0);
    l.handle_message(
        at(100),
        received(msg(&ack_for(&req, "srv")), TCP, client_addr()),
    );
    assert!(matches!(events(&mut l)[..], [Event::Terminated { .. }]));
    assert!(l.is_empty());
}

#[test]
fn transport_error_informs_tu_and_keeps_state() {
    let (mut l, key, req) = start(UDP);
    l.transport_error(at(10), key.into());
    assert!(matches!(events(&mut l)[..], [Event::TransportError { .. }]));
    assert_eq!(
        l.server_state(key),
        Some(ServerState::Invite(S::Proceeding))
    );
    answer(&mut l, key, &req, 486, 20);
    l.transport_error(at(30), key.into());
    assert!(matches!(events(&mut l)[..], [Event::TransportError { .. }]));
    assert_eq!(l.server_state(key), Some(ServerState::Invite(S::Completed)));
}

#[test]
fn misuse_is_an_error() {
    let (mut l, key, req) = start(UDP);
    answer(&mut l, key, &req, 486, 0);
    assert!(matches!(
        l.send_response(at(1), key, response_to(&req, 200, "srv")),
        Err(Error::InvalidState {
            state: "Completed",
            ..
        })
    ));
    let options = request("OPTIONS", "z9hG4bKo").to_bytes();
    let (mut l, key, _) = start(UDP);
    assert!(matches!(
        l.send_response(at(1), key, response_to(&options, 200, "srv")),
        Err(Error::InvalidResponse { .. })
    ));
}
