#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! RFC 5626 §4.4.2 STUN keep-alives on a virtual clock.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use stun::{
    ClientConfig, Failure, FlowFailure, FlowKeepAlive, KeepAliveEvent, Server, ServerConfig,
};

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

fn keepalive(t0: Instant) -> FlowKeepAlive {
    FlowKeepAlive::new(
        t0,
        addr("192.0.2.1:5060"),
        ClientConfig {
            rng_seed: Some([3; 32]),
            ..ClientConfig::default()
        },
    )
    .unwrap()
}

/// Steps the keep-alive to its next deadline, answering requests from `seen_as` (or dropping
/// them when `None`). Returns the time of the step.
fn step(k: &mut FlowKeepAlive, server: &mut Server, seen_as: Option<SocketAddr>) -> Instant {
    let now = k.poll_timeout().unwrap();
    k.handle_timeout(now);
    while let Some(t) = k.poll_transmit() {
        if let Some(source) = seen_as {
            server.handle_input(now, source, &t.payload);
            while let Some(r) = server.poll_transmit() {
                assert!(k.handle_input(now, t.destination, &r.payload));
            }
        }
    }
    now
}

#[test]
fn refreshes_every_24_to_29_seconds() {
    let t0 = Instant::now();
    let mut server = Server::new(ServerConfig::default(), t0).unwrap();
    let mut k = keepalive(t0);
    let public = addr("203.0.113.5:40000");
    let mut last = step(&mut k, &mut server, Some(public));
    assert_eq!(last, t0);
    assert_eq!(
        k.poll_event(),
        Some(KeepAliveEvent::Alive { mapped: public })
    );
    assert_eq!(k.mapped(), Some(public));
    let mut intervals = Vec::new();
    for _ in 0..20 {
        let now = step(&mut k, &mut server, Some(public));
        intervals.push(now - last);
        last = now;
        assert_eq!(
            k.poll_event(),
            Some(KeepAliveEvent::Alive { mapped: public })
        );
    }
    assert!(intervals
        .iter()
        .all(|d| *d >= Duration::from_secs(24) && *d <= Duration::from_secs(29)));
    // Random, not fixed.
    assert!(intervals.iter().any(|d| *d != intervals[0]));
}

#[test]
fn flow_timer_sets_the_interval() {
    let t0 = Instant::now();
    let mut server = Server::new(ServerConfig::default(), t0).unwrap();
    let mut k = keepalive(t0);
    k.set_flow_timer(120);
    let public = addr("203.0.113.5:40000");
    let first = step(&mut k, &mut server, Some(public));
    let second = step(&mut k, &mut server, Some(public));
    let d = second - first;
    assert!(
        d >= Duration::from_secs(96) && d <= Duration::from_secs(120),
        "{d:?}"
    );
}

#[test]
fn mapping_change_fails_the_flow() {
    let t0 = Instant::now();
    let mut server = Server::new(ServerConfig::default(), t0).unwrap();
    let mut k = keepalive(t0);
    step(&mut k, &mut server, Some(addr("203.0.113.5:40000")));
    assert!(matches!(k.poll_event(), Some(KeepAliveEvent::Alive { .. })));
    step(&mut k, &mut server, Some(addr("203.0.113.5:40001")));
    assert_eq!(
        k.poll_event(),
        Some(KeepAliveEvent::Failed(FlowFailure::MappingChanged {
            old: addr("203.0.113.5:40000"),
            new: addr("203.0.113.5:40001"),
        }))
    );
    assert!(k.is_failed());
    assert_eq!(k.poll_timeout(), None);
}

#[test]
fn no_answer_fails_the_flow_after_the_stun_timeout() {
    let t0 = Instant::now();
    let mut server = Server::new(ServerConfig::default(), t0).unwrap();
    let mut k = keepalive(t0);
    step(&mut k, &mut server, Some(addr("203.0.113.5:40000")));
    k.poll_event();
    let start = step(&mut k, &mut server, None);
    let mut now = start;
    while !k.is_failed() {
        now = step(&mut k, &mut server, None);
    }
    assert_eq!(now - start, Duration::from_millis(39_500));
    assert_eq!(
        k.poll_event(),
        Some(KeepAliveEvent::Failed(FlowFailure::Request(
            Failure::Timeout
        )))
    );
}
