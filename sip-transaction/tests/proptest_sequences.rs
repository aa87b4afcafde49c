#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Arbitrary sequences of inputs never panic, every live transaction always has a deadline
//! that ends it (unless it waits for the TU's answer), and once the TU has answered
//! everything, running the clock empties the layer.

mod common;

use std::time::Duration;

use common::*;
use proptest::prelude::*;
use sip_message::{Request, StatusCode};
use sip_transaction::{
    ClientTransactionKey, Event, ServerTransactionKey, TransactionKey, TransportKind,
};

#[derive(Debug, Clone)]
enum Op {
    Send {
        method: usize,
        branch: Option<u8>,
        reliable: bool,
    },
    Request {
        method: usize,
        branch: Option<u8>,
        cookie: bool,
        reliable: bool,
    },
    Response {
        method: usize,
        branch: u8,
        status: u16,
    },
    Answer {
        pick: usize,
        status: u16,
    },
    Cancel {
        pick: usize,
    },
    TransportError {
        pick: usize,
        client: bool,
    },
    Advance {
        ms: u32,
    },
}

const METHODS: [&str; 5] = ["INVITE", "OPTIONS", "ACK", "CANCEL", "BYE"];
const STATUSES: [u16; 8] = [100, 180, 183, 200, 202, 302, 486, 503];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..5usize, proptest::option::of(0..4u8), any::<bool>()).prop_map(
            |(method, branch, reliable)| Op::Send {
                method,
                branch,
                reliable
            }
        ),
        (
            0..5usize,
            proptest::option::of(0..4u8),
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(|(method, branch, cookie, reliable)| Op::Request {
                method,
                branch,
                cookie,
                reliable
            }),
        (
            0..5usize,
            0..4u8,
            proptest::sample::select(STATUSES.to_vec())
        )
            .prop_map(|(method, branch, status)| Op::Response {
                method,
                branch,
                status
            }),
        (any::<usize>(), proptest::sample::select(STATUSES.to_vec()))
            .prop_map(|(pick, status)| Op::Answer { pick, status }),
        any::<usize>().prop_map(|pick| Op::Cancel { pick }),
        (any::<usize>(), any::<bool>())
            .prop_map(|(pick, client)| Op::TransportError { pick, client }),
        (0..40_000u32).prop_map(|ms| Op::Advance { ms }),
    ]
}

fn transport(reliable: bool) -> TransportKind {
    if reliable {
        TCP
    } else {
        UDP
    }
}

fn branch_of(b: u8, cookie: bool) -> String {
    if cookie {
        format!("z9hG4bKp{b}")
    } else {
        format!("old{b}")
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_sequences_keep_the_invariants(ops in proptest::collection::vec(op(), 1..40)) {
        let mut l = layer();
        let mut now_ms: u64 = 0;
        let mut clients: Vec<ClientTransactionKey> = Vec::new();
        let mut servers: Vec<(ServerTransactionKey, Request)> = Vec::new();
        let mut terminated: Vec<TransactionKey> = Vec::new();
        for op in ops {
            match op {
                Op::Send { method, branch, reliable } => {
                    let text = request_text(METHODS[method], branch.map(|b| branch_of(b, true)).as_deref(), 1);
                    let req = Request::try_from(msg(&text)).unwrap();
                    if let Ok(k) = l.send_request(at(now_ms), req, server_addr(), transport(reliable)) {
                        clients.push(k);
                    }
                }
                Op::Request { method, branch, cookie, reliable } => {
                    let text = request_text(METHODS[method], branch.map(|b| branch_of(b, cookie)).as_deref(), 1);
                    l.handle_message(at(now_ms), received(msg(&text), transport(reliable), client_addr()));
                }
                Op::Response { method, branch, status } => {
                    let req = msg(&request_text(METHODS[method], Some(&branch_of(branch, true)), 1)).to_bytes();
                    l.handle_message(at(now_ms), received(response_to(&req, status, "r"), UDP, server_addr()));
                }
                Op::Answer { pick, status } => {
                    if let Some((k, req)) = servers.get(pick % servers.len().max(1)) {
                        let resp = req.response(StatusCode::from_u16(status).unwrap(), Some("t")).unwrap().build().unwrap();
                        let _ = l.send_response(at(now_ms), *k, resp);
                    }
                }
                Op::Cancel { pick } => {
                    if let Some(k) = clients.get(pick % clients.len().max(1)) {
                        let _ = l.cancel(at(now_ms), *k);
                    }
                }
                Op::TransportError { pick, client } => {
                    let key = if client {
                        clients.get(pick % clients.len().max(1)).map(|k| TransactionKey::Client(*k))
                    } else {
                        servers.get(pick % servers.len().max(1)).map(|(k, _)| TransactionKey::Server(*k))
                    };
                    if let Some(k) = key {
                        l.transport_error(at(now_ms), k);
                    }
                }
                Op::Advance { ms } => {
                    now_ms += u64::from(ms);
                    l.handle_timeout(at(now_ms));
                }
            }
            drain(&mut l, &mut servers, &mut terminated);
            check_live(&l, &terminated)?;
        }
        // The TU answers everything still waiting; the clock then ends every transaction.
        for (k, req) in &servers {
            if l.awaits_response(*k) {
                let resp = req.response(StatusCode::SERVER_INTERNAL_ERROR, Some("t")).unwrap().build().unwrap();
                l.send_response(at(now_ms), *k, resp).unwrap();
            }
        }
        drain(&mut l, &mut servers, &mut terminated);
        let limit = at(now_ms) + Duration::from_secs(3600);
        while let Some(deadline) = l.poll_timeout() {
            prop_assert!(deadline <= limit, "a transaction outlives any RFC timer");
            l.handle_timeout(deadline);
            drain(&mut l, &mut servers, &mut terminated);
            check_live(&l, &terminated)?;
        }
        prop_assert!(l.is_empty(), "transactions leaked: {:?}", l.keys().collect::<Vec<_>>());
    }
}

fn drain(
    l: &mut sip_transaction::TransactionLayer,
    servers: &mut Vec<(ServerTransactionKey, Request)>,
    terminated: &mut Vec<TransactionKey>,
) {
    while l.poll_transmit().is_some() {}
    while let Some(e) = l.poll_event() {
        match e {
            Event::RequestReceived { key, request, .. }
            | Event::CancelReceived { key, request, .. }
            | Event::MergedRequest { key, request, .. } => servers.push((key, request)),
            Event::Terminated { key } => {
                assert!(!terminated.contains(&key), "terminated twice: {key:?}");
                terminated.push(key);
            }
            _ => {}
        }
    }
}

fn check_live(
    l: &sip_transaction::TransactionLayer,
    terminated: &[TransactionKey],
) -> Result<(), TestCaseError> {
    for key in l.keys() {
        prop_assert!(!terminated.contains(&key), "{key:?} alive after Terminated");
        let waits_for_tu = matches!(key, TransactionKey::Server(k) if l.awaits_response(k));
        prop_assert!(
            l.deadline(key).is_some() || waits_for_tu,
            "{key:?} has no deadline that ends it"
        );
        if let Some(d) = l.deadline(key) {
            prop_assert!(
                l.poll_timeout().is_some_and(|p| p <= d),
                "poll_timeout later than a deadline"
            );
        }
    }
    for key in terminated {
        match key {
            TransactionKey::Client(k) => prop_assert!(l.client_state(*k).is_none()),
            TransactionKey::Server(k) => prop_assert!(l.server_state(*k).is_none()),
        }
    }
    Ok(())
}
