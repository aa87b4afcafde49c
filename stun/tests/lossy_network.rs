#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Client and server joined by a seeded link with loss, duplication, reordering and delay.
//! Invariants: a live request always has a deadline, exactly one event ends it, at most Rc
//! requests go out per transaction, a success reports the right address, nothing is sent
//! after the end.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use stun::{
    Authentication, Client, ClientConfig, Credentials, Event, Server, ServerConfig, Transport,
};

const CLIENT: &str = "198.51.100.7:5060";
const SERVER: &str = "192.0.2.1:3478";

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

struct Packet {
    at: Instant,
    to_server: bool,
    payload: Bytes,
}

fn run(seed: u64, loss: f64, long_term: bool) -> bool {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let t0 = Instant::now();
    let users = HashMap::from([("alice".to_owned(), "s3cret".to_owned())]);
    let (authentication, credentials) = if long_term {
        (
            Authentication::long_term("example.org", users),
            Credentials::LongTerm {
                username: "alice".into(),
                password: "s3cret".into(),
                realm: None,
            },
        )
    } else {
        (Authentication::None, Credentials::None)
    };
    let mut server = Server::new(
        ServerConfig {
            authentication,
            rng_seed: Some([1; 32]),
            ..ServerConfig::default()
        },
        t0,
    )
    .unwrap();
    let mut client = Client::new(ClientConfig {
        credentials,
        rng_seed: Some([2; 32]),
        ..ClientConfig::default()
    })
    .unwrap();
    let request = client.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let mut in_flight: Vec<Packet> = Vec::new();
    let mut now = t0;
    let mut events = Vec::new();
    let mut sent = 0;
    let send = |in_flight: &mut Vec<Packet>,
                rng: &mut ChaCha8Rng,
                now: Instant,
                to_server: bool,
                payload: Bytes| {
        let copies = if rng.gen_bool(0.1) { 2 } else { 1 };
        for _ in 0..copies {
            if !rng.gen_bool(loss) {
                let delay = Duration::from_millis(rng.gen_range(1..400));
                in_flight.push(Packet {
                    at: now + delay,
                    to_server,
                    payload: payload.clone(),
                });
            }
        }
    };
    for _ in 0..10_000 {
        while let Some(t) = client.poll_transmit() {
            assert!(events.is_empty(), "seed {seed}: sent after the end");
            sent += 1;
            send(&mut in_flight, &mut rng, now, true, t.payload);
        }
        while let Some(e) = client.poll_event() {
            events.push(e);
        }
        let deadline = client.poll_timeout();
        if events.is_empty() {
            assert!(
                deadline.is_some(),
                "seed {seed}: live request without a deadline"
            );
        }
        let next_packet = in_flight.iter().map(|p| p.at).min();
        let next = match (deadline, next_packet) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => match a.or(b) {
                Some(t) => t,
                None => break,
            },
        };
        now = next;
        // Deliver everything due, in a random order (reordering).
        let mut due: Vec<Packet> = Vec::new();
        in_flight.retain(|p| {
            if p.at <= now {
                due.push(Packet {
                    at: p.at,
                    to_server: p.to_server,
                    payload: p.payload.clone(),
                });
                false
            } else {
                true
            }
        });
        while !due.is_empty() {
            let p = due.swap_remove(rng.gen_range(0..due.len()));
            if p.to_server {
                server.handle_input(now, addr(CLIENT), &p.payload);
                while let Some(r) = server.poll_transmit() {
                    send(&mut in_flight, &mut rng, now, false, r.payload);
                }
            } else {
                client.handle_input(now, addr(SERVER), &p.payload);
            }
        }
        client.handle_timeout(now);
    }
    assert_eq!(events.len(), 1, "seed {seed}: {events:?}");
    match &events[0] {
        Event::Success {
            request: r, mapped, ..
        } => {
            assert_eq!(*r, request);
            assert_eq!(*mapped, addr(CLIENT));
        }
        Event::Failure { request: r, reason } => {
            assert_eq!(*r, request);
            assert_eq!(*reason, stun::Failure::Timeout, "seed {seed}");
        }
        other => panic!("{other:?}"),
    }
    // Rc = 7 per transaction; long-term needs two transactions.
    assert!(
        sent <= if long_term { 14 } else { 7 },
        "seed {seed}: {sent} sends"
    );
    assert!(client.is_idle());
    // One transaction lasts 79 RTO (39.5 s at 500 ms). The retry after a 401 starts from the
    // RTO cached from the first exchange: RTT <= 800 ms gives RTO <= 800 + 4 x 400 = 2.4 s.
    let bound = if long_term {
        39_500 + 79 * 2_400
    } else {
        39_500
    };
    assert!(now - t0 <= Duration::from_millis(bound), "seed {seed}");
    matches!(events[0], Event::Success { .. })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn lossy_link_keeps_invariants(seed in any::<u64>(), loss in 0.0f64..0.7, long_term in any::<bool>()) {
        run(seed, loss, long_term);
    }
}

#[test]
fn lossless_link_succeeds() {
    for seed in 0..20 {
        assert!(run(seed, 0.0, seed % 2 == 0), "seed {seed}");
    }
}
