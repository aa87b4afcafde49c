#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! RFC 3261 Figure 5 (as RFC 6026 redraws it): one test per transition.

mod common;

use common::*;
use sip_message::Message;
use sip_transaction::{
    ClientState, Event, InviteClientState as S, Timer, TransactionKey, TransportKind,
};

fn start(
    transport: TransportKind,
) -> (
    sip_transaction::TransactionLayer,
    sip_transaction::ClientTransactionKey,
    bytes::Bytes,
) {
    let mut l = layer();
    let key = l
        .send_request(
            at(0),
            request("INVITE", "z9hG4bKinv1"),
            server_addr(),
            transport,
        )
        .unwrap();
    let sent = transmits(&mut l);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].destination, server_addr());
    assert_eq!(
        first_line(&sent[0].payload),
        "INVITE sip:bob@biloxi.example SIP/2.0"
    );
    assert_eq!(l.client_state(key), Some(ClientState::Invite(S::Calling)));
    (l, key, sent[0].payload.clone())
}

#[test]
fn calling_timer_a_schedule_then_timer_b() {
    let (mut l, key, _) = start(UDP);
    let mut ev = Vec::new();
    let sent = run_until(&mut l, 40_000, &mut ev);
    // §17.1.1.2: A at 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s; B at 32 s.
    assert_eq!(times(&sent), [500, 1500, 3500, 7500, 15_500, 31_500]);
    assert!(sent.iter().all(|(_, l)| l.starts_with("INVITE ")));
    assert!(matches!(
        ev[0],
        (32_000, Event::Timeout { key: TransactionKey::Client(k), timer: Timer::B }) if k == key
    ));
    assert!(matches!(ev[1], (32_000, Event::Terminated { .. })));
    assert_eq!(ev.len(), 2);
    assert!(l.is_empty());
}

#[test]
fn calling_on_reliable_transport_does_not_retransmit() {
    let (mut l, _, _) = start(TCP);
    let mut ev = Vec::new();
    let sent = run_until(&mut l, 40_000, &mut ev);
    assert!(sent.is_empty());
    assert!(matches!(
        ev[0],
        (
            32_000,
            Event::Timeout {
                timer: Timer::B,
                ..
            }
        )
    ));
}

#[test]
fn calling_1xx_to_proceeding_stops_retransmissions() {
    let (mut l, key, inv) = start(UDP);
    l.handle_message(
        at(100),
        received(response_to(&inv, 180, "t1"), UDP, server_addr()),
    );
    assert!(matches!(
        &events(&mut l)[..],
        [Event::ProvisionalResponse { key: k, response }] if *k == key && response.status().as_u16() == 180
    ));
    assert_eq!(
        l.client_state(key),
        Some(ClientState::Invite(S::Proceeding))
    );
    let mut ev = Vec::new();
    let sent = run_until(&mut l, 100_000, &mut ev);
    assert!(sent.iter().all(|(_, line)| !line.starts_with("INVITE")));
    // No Timer B in Proceeding: only Timer C (181 s by default) is armed.
    assert!(ev.is_empty());
}

#[test]
fn proceeding_1xx_goes_to_tu() {
    let (mut l, key, inv) = start(UDP);
    l.handle_message(
        at(100),
        received(response_to(&inv, 100, "t1"), UDP, server_addr()),
    );
    l.handle_message(
        at(200),
        received(response_to(&inv, 183, "t1"), UDP, server_addr()),
    );
    let ev = events(&mut l);
    assert_eq!(ev.len(), 2);
    assert!(
        matches!(&ev[1], Event::ProvisionalResponse { response, .. } if response.status().as_u16() == 183)
    );
    assert_eq!(
        l.client_state(key),
        Some(ClientState::Invite(S::Proceeding))
    );
}

#[test]
fn calling_2xx_to_accepted_then_timer_m() {
    let (mut l, key, inv) = start(UDP);
    l.handle_message(
        at(100),
        received(response_to(&inv, 200, "t1"), UDP, server_addr()),
    );
    assert!(matches!(&events(&mut l)[..], [Event::FinalResponse { key: k, .. }] if *k == key));
    assert!(
        transmits(&mut l).is_empty(),
        "no ACK for a 2xx from the transaction"
    );
    assert_eq!(l.client_state(key), Some(ClientState::Invite(S::Accepted)));
    // 2xx retransmission (and other forks) in Accepted: to the TU, no ACK.
    l.handle_message(
        at(600),
        received(response_to(&inv, 200, "t1"), UDP, server_addr()),
    );
    l.handle_message(
        at(700),
        received(response_to(&inv, 200, "fork2"), UDP, server_addr()),
    );
    assert_eq!(events(&mut l).len(), 2);
    assert!(transmits(&mut l).is_empty());
    let mut ev = Vec::new();
    assert!(run_until(&mut l, 40_000, &mut ev).is_empty());
    // Timer M = 64*T1 after the 2xx.
    assert!(matches!(ev[..], [(32_100, Event::Terminated { .. })]));
    // After Timer M a 2xx retransmission is stray: to the TU.
    l.handle_message(
        at(33_000),
        received(response_to(&inv, 200, "t1"), UDP, server_addr()),
    );
    assert!(matches!(&events(&mut l)[..], [Event::StrayResponse { .. }]));
}

#[test]
fn proceeding_2xx_to_accepted() {
    let (mut l, key, inv) = start(UDP);
    l.handle_message(
        at(100),
        received(response_to(&inv, 180, "t1"), UDP, server_addr()),
    );
    l.handle_message(
        at(200),
        received(response_to(&inv, 200, "t1"), UDP, server_addr()),
    );
    assert_eq!(events(&mut l).len(), 2);
    assert_eq!(l.client_state(key), Some(ClientState::Invite(S::Accepted)));
    assert_eq!(l.deadline(key.into()), Some(at(200 + 32_000)));
}

#[test]
fn calling_300_699_sends_ack_and_completes() {
    let (mut l, key, inv) = start(UDP);
    l.handle_message(
        at(100),
        received(response_to(&inv, 486, "99sa0xk"), UDP, server_addr()),
    );
    assert!(
        matches!(&events(&mut l)[..], [Event::FinalResponse { response, .. }] if response.status().as_u16() == 486)
    );
    assert_eq!(l.client_state(key), Some(ClientState::Invite(S::Completed)));
    let sent = transmits(&mut l);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].destination, server_addr());
    // §17.1.1.3: the ACK's exact content.
    let ack = Message::parse(sent[0].payload.clone()).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&sent[0].payload),
        "ACK sip:bob@biloxi.example SIP/2.0\r\n\
         Via: SIP/2.0/UDP pc33.atlanta.example:5060;branch=z9hG4bKinv1\r\n\
         From: Alice <sip:alice@atlanta.example>;tag=1928301774\r\n\
         To: Bob <sip:bob@biloxi.example>;tag=99sa0xk\r\n\
         Call-ID: a84b4c76e66710@pc33\r\n\
         CSeq: 314159 ACK\r\n\
         Max-Forwards: 70\r\n\
         Route: <sip:p1.example;lr>\r\n\
         Content-Length: 0\r\n\r\n"
    );
    assert_eq!(ack.to_tag(), Some("99sa0xk"));
    // Completed: a retransmitted 486 is ACKed again, not passed up.
    l.handle_message(
        at(600),
        received(response_to(&inv, 486, "99sa0xk"), UDP, server_addr()),
    );
    assert!(events(&mut l).is_empty());
    assert_eq!(transmits(&mut l)[0].payload, sent[0].payload);
    // Timer D: 32 s on UDP.
    let mut ev = Vec::new();
    assert!(run_until(&mut l, 40_000, &mut ev).is_empty());
    assert!(matches!(ev[..], [(32_100, Event::Terminated { .. })]));
}

#[test]
fn proceeding_300_699_sends_ack_and_completes() {
    let (mut l, key, inv) = start(UDP);
    l.handle_message(
        at(100),
        received(response_to(&inv, 180, "t"), UDP, server_addr()),
    );
    l.handle_message(
        at(200),
        received(response_to(&inv, 603, "t"), UDP, server_addr()),
    );
    assert_eq!(events(&mut l).len(), 2);
    assert!(first_line(&transmits(&mut l)[0].payload).starts_with("ACK "));
    assert_eq!(l.client_state(key), Some(ClientState::Invite(S::Completed)));
}

#[test]
fn completed_on_reliable_transport_ends_at_once() {
    let (mut l, _, inv) = start(TCP);
    l.handle_message(
        at(100),
        received(response_to(&inv, 404, "t"), TCP, server_addr()),
    );
    // RFC 6026 §8.4: ACK even on a reliable transport; Timer D = 0.
    assert!(first_line(&transmits(&mut l)[0].payload).starts_with("ACK "));
    let ev = events(&mut l);
    assert!(matches!(
        ev[..],
        [Event::FinalResponse { .. }, Event::Terminated { .. }]
    ));
    assert!(l.is_empty());
}

#[test]
fn transport_error_in_calling_and_completed_terminates() {
    for complete_first in [false, true] {
        let (mut l, key, inv) = start(UDP);
        if complete_first {
            l.handle_message(
                at(100),
                received(response_to(&inv, 500, "t"), UDP, server_addr()),
            );
            events(&mut l);
        }
        l.transport_error(at(200), key.into());
        let ev = events(&mut l);
        assert!(matches!(
            ev[..],
            [Event::TransportError { .. }, Event::Terminated { .. }]
        ));
        assert!(l.is_empty());
    }
}

#[test]
fn timer_c_cancels_then_cancel_wait_gives_up() {
    let mut l = layer_with(|c| {
        c.timer_c(Some(std::time::Duration::from_secs(60)));
    });
    let key = l
        .send_request(at(0), request("INVITE", "z9hG4bKc"), server_addr(), UDP)
        .unwrap();
    let inv = transmits(&mut l)[0].payload.clone();
    l.handle_message(
        at(100),
        received(response_to(&inv, 180, "t"), UDP, server_addr()),
    );
    events(&mut l);
    // A later 180 restarts Timer C.
    l.handle_message(
        at(10_000),
        received(response_to(&inv, 180, "t"), UDP, server_addr()),
    );
    events(&mut l);
    let mut ev = Vec::new();
    let sent = run_until(&mut l, 70_100, &mut ev);
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0],
        (70_000, "CANCEL sip:bob@biloxi.example SIP/2.0".to_owned())
    );
    assert!(matches!(
        ev[0],
        (
            70_000,
            Event::Timeout {
                timer: Timer::C,
                ..
            }
        )
    ));
    // The CANCEL gets no answer (UDP retransmissions), the INVITE none: both time out.
    let sent = run_until(&mut l, 200_000, &mut ev);
    assert!(sent.iter().all(|(_, line)| line.starts_with("CANCEL")));
    assert!(ev.iter().any(|(t, e)| *t == 102_000
        && matches!(e, Event::Timeout { key: TransactionKey::Client(k), timer: Timer::CancelWait } if *k == key)));
    assert!(l.is_empty());
}

#[test]
fn cancel_waits_for_a_provisional_then_487_completes() {
    let (mut l, key, inv) = start(UDP);
    l.cancel(at(50), key).unwrap();
    assert!(
        transmits(&mut l).is_empty(),
        "§9.1: no CANCEL before a provisional"
    );
    l.handle_message(
        at(100),
        received(response_to(&inv, 180, "t"), UDP, server_addr()),
    );
    let sent = transmits(&mut l);
    assert_eq!(sent.len(), 1);
    let cancel = Message::parse(sent[0].payload.clone()).unwrap();
    assert_eq!(cancel.method_str(), Some("CANCEL"));
    assert_eq!(cancel.uri(), Some("sip:bob@biloxi.example"));
    assert_eq!(
        cancel.get(&sip_message::HeaderName::Via),
        Some(&b"SIP/2.0/UDP pc33.atlanta.example:5060;branch=z9hG4bKinv1"[..])
    );
    assert_eq!(
        cancel.get(&sip_message::HeaderName::CSeq),
        Some(&b"314159 CANCEL"[..])
    );
    assert_eq!(cancel.to_tag(), None);
    assert_eq!(l.client_count(), 2);
    // 200 to the CANCEL, 487 to the INVITE.
    l.handle_message(
        at(150),
        received(response_to(&sent[0].payload, 200, "t"), UDP, server_addr()),
    );
    l.handle_message(
        at(160),
        received(response_to(&inv, 487, "t"), UDP, server_addr()),
    );
    let ev = events(&mut l);
    assert!(ev.iter().any(|e| matches!(e, Event::FinalResponse { key: k, response } if *k != key && response.status().as_u16() == 200)));
    assert!(ev.iter().any(|e| matches!(e, Event::FinalResponse { key: k, response } if *k == key && response.status().as_u16() == 487)));
    assert!(first_line(&transmits(&mut l)[0].payload).starts_with("ACK "));
    assert_eq!(l.client_state(key), Some(ClientState::Invite(S::Completed)));
    assert!(
        l.cancel(at(200), key).is_err(),
        "no CANCEL after a final response"
    );
}
