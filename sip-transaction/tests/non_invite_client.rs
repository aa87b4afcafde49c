#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! RFC 3261 Figure 6: one test per transition.

mod common;

use common::*;
use sip_transaction::{
    ClientState, ClientTransactionKey, Event, NonInviteClientState as S, Timer, TransactionLayer,
    TransportKind,
};

fn start(transport: TransportKind) -> (TransactionLayer, ClientTransactionKey, bytes::Bytes) {
    let mut l = layer();
    let key = l
        .send_request(
            at(0),
            request("OPTIONS", "z9hG4bKopt"),
            server_addr(),
            transport,
        )
        .unwrap();
    let sent = transmits(&mut l);
    assert_eq!(sent.len(), 1);
    assert_eq!(l.client_state(key), Some(ClientState::NonInvite(S::Trying)));
    (l, key, sent[0].payload.clone())
}

#[test]
fn trying_timer_e_capped_at_t2_then_timer_f() {
    let (mut l, key, _) = start(UDP);
    let mut ev = Vec::new();
    let sent = run_until(&mut l, 40_000, &mut ev);
    // §17.1.2.2: E at 0.5, 1.5, 3.5, then every T2 = 4 s; F at 32 s.
    assert_eq!(
        times(&sent),
        [500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]
    );
    assert!(matches!(
        ev[..],
        [
            (
                32_000,
                Event::Timeout {
                    timer: Timer::F,
                    ..
                }
            ),
            (32_000, Event::Terminated { .. })
        ]
    ));
    assert_eq!(l.client_state(key), None);
}

#[test]
fn trying_on_reliable_transport_does_not_retransmit() {
    let (mut l, _, _) = start(TCP);
    let mut ev = Vec::new();
    assert!(run_until(&mut l, 40_000, &mut ev).is_empty());
    assert!(matches!(
        ev[0],
        (
            32_000,
            Event::Timeout {
                timer: Timer::F,
                ..
            }
        )
    ));
}

#[test]
fn trying_1xx_to_proceeding_retransmits_every_t2() {
    let (mut l, key, req) = start(UDP);
    let mut ev = Vec::new();
    assert_eq!(times(&run_until(&mut l, 700, &mut ev)), [500]);
    l.handle_message(
        at(700),
        received(response_to(&req, 100, "x"), UDP, server_addr()),
    );
    assert!(matches!(
        &events(&mut l)[..],
        [Event::ProvisionalResponse { .. }]
    ));
    assert_eq!(
        l.client_state(key),
        Some(ClientState::NonInvite(S::Proceeding))
    );
    let sent = run_until(&mut l, 40_000, &mut ev);
    // E was due at 1.5 s; in Proceeding it is reset to T2 each time it fires.
    assert_eq!(
        times(&sent),
        [1500, 5500, 9500, 13_500, 17_500, 21_500, 25_500, 29_500]
    );
    assert!(matches!(
        ev[0],
        (
            32_000,
            Event::Timeout {
                timer: Timer::F,
                ..
            }
        )
    ));
}

#[test]
fn proceeding_1xx_goes_to_tu() {
    let (mut l, key, req) = start(UDP);
    l.handle_message(
        at(100),
        received(response_to(&req, 100, "x"), UDP, server_addr()),
    );
    l.handle_message(
        at(200),
        received(response_to(&req, 182, "x"), UDP, server_addr()),
    );
    assert_eq!(events(&mut l).len(), 2);
    assert_eq!(
        l.client_state(key),
        Some(ClientState::NonInvite(S::Proceeding))
    );
}

#[test]
fn trying_final_to_completed_then_timer_k() {
    let (mut l, key, req) = start(UDP);
    l.handle_message(
        at(100),
        received(response_to(&req, 200, "x"), UDP, server_addr()),
    );
    assert!(matches!(&events(&mut l)[..], [Event::FinalResponse { .. }]));
    assert_eq!(
        l.client_state(key),
        Some(ClientState::NonInvite(S::Completed))
    );
    // Retransmissions are absorbed.
    l.handle_message(
        at(600),
        received(response_to(&req, 200, "x"), UDP, server_addr()),
    );
    assert!(events(&mut l).is_empty());
    let mut ev = Vec::new();
    assert!(run_until(&mut l, 40_000, &mut ev).is_empty());
    // K = T4 = 5 s.
    assert!(matches!(ev[..], [(5100, Event::Terminated { .. })]));
}

#[test]
fn proceeding_final_to_completed() {
    let (mut l, key, req) = start(UDP);
    l.handle_message(
        at(100),
        received(response_to(&req, 100, "x"), UDP, server_addr()),
    );
    l.handle_message(
        at(200),
        received(response_to(&req, 404, "x"), UDP, server_addr()),
    );
    assert_eq!(events(&mut l).len(), 2);
    assert_eq!(
        l.client_state(key),
        Some(ClientState::NonInvite(S::Completed))
    );
}

#[test]
fn completed_on_reliable_transport_ends_at_once() {
    let (mut l, _, req) = start(TCP);
    l.handle_message(
        at(100),
        received(response_to(&req, 200, "x"), TCP, server_addr()),
    );
    assert!(matches!(
        events(&mut l)[..],
        [Event::FinalResponse { .. }, Event::Terminated { .. }]
    ));
    assert!(l.is_empty());
}

#[test]
fn transport_error_in_trying_and_proceeding_terminates() {
    for provisional in [false, true] {
        let (mut l, key, req) = start(UDP);
        if provisional {
            l.handle_message(
                at(100),
                received(response_to(&req, 100, "x"), UDP, server_addr()),
            );
            events(&mut l);
        }
        l.transport_error(at(200), key.into());
        assert!(matches!(
            events(&mut l)[..],
            [Event::TransportError { .. }, Event::Terminated { .. }]
        ));
        assert!(l.is_empty());
    }
}

#[test]
fn timer_f_in_proceeding() {
    let (mut l, _, req) = start(TCP);
    l.handle_message(
        at(100),
        received(response_to(&req, 100, "x"), TCP, server_addr()),
    );
    events(&mut l);
    let mut ev = Vec::new();
    run_until(&mut l, 40_000, &mut ev);
    assert!(matches!(
        ev[..],
        [
            (
                32_000,
                Event::Timeout {
                    timer: Timer::F,
                    ..
                }
            ),
            (32_000, Event::Terminated { .. })
        ]
    ));
}

#[test]
fn late_timeout_calls_keep_the_schedule() {
    let (mut l, _, _) = start(UDP);
    // The driver wakes late at 2 s: E (0.5 s) fires once, the next one is still 1.5 s.
    l.handle_timeout(at(2000));
    assert_eq!(
        transmits(&mut l).len(),
        2,
        "E at 0.5 and at 1.5 are both due at 2 s"
    );
    assert_eq!(l.poll_timeout(), Some(at(3500)));
}
