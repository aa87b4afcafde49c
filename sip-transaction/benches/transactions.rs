#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Complete transactions per second, client and server side in memory, building, parsing
//! and serializing included; and memory per live transaction.
//!
//! `cargo bench -p sip-transaction -- --warm-up-time 1 --measurement-time 3`

use std::time::Duration;

use criterion::{criterion_group, Criterion, Throughput};

mod common;
use common::Pair;
use sip_message::{Message, Method, StatusCode};
use sip_transaction::TransportKind;

/// Resident memory of the process in bytes (Linux `/proc/self/statm`), 0 elsewhere.
fn resident() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4096)
}

fn transactions(c: &mut Criterion) {
    let mut g = c.benchmark_group("complete_transaction");
    g.throughput(Throughput::Elements(1));
    // 1 ms of virtual time per transaction: timers J, K, L, M, D and I fire in the loop,
    // and about 32,000 transactions stay alive in steady state (64*T1 / 1 ms).
    let step = Duration::from_millis(1);
    // Reliable transport: Timers J and K are zero, so nothing stays alive.
    let mut pair = Pair::new();
    g.bench_function("non_invite_tcp", |b| {
        b.iter(|| pair.transaction_over(TransportKind::Tcp, &Method::Options, StatusCode::OK, step))
    });
    let mut pair = Pair::new();
    g.bench_function("non_invite_udp", |b| {
        b.iter(|| pair.transaction(&Method::Options, StatusCode::OK, step))
    });
    let mut pair = Pair::new();
    g.bench_function("invite_2xx_udp", |b| {
        b.iter(|| pair.transaction(&Method::Invite, StatusCode::OK, step))
    });
    let mut pair = Pair::new();
    g.bench_function("invite_486_udp", |b| {
        b.iter(|| pair.transaction(&Method::Invite, StatusCode::BUSY_HERE, step))
    });
    g.finish();

    // The sip-message share of the cost, for comparison: what one non-INVITE transaction
    // does outside this crate (build the request, parse it, build the response, parse it).
    let mut g = c.benchmark_group("message_parts");
    let mut pair = Pair::new();
    let req = pair.request(&Method::Options);
    let wire = req.to_bytes();
    let resp = req
        .response(StatusCode::OK, Some("8321234356"))
        .unwrap()
        .build()
        .unwrap();
    let resp_wire = resp.to_bytes();
    g.bench_function("build_request", |b| {
        b.iter(|| pair.request(&Method::Options))
    });
    g.bench_function("parse_request", |b| {
        b.iter(|| Message::parse(wire.clone()).unwrap())
    });
    g.bench_function("build_response", |b| {
        b.iter(|| {
            req.response(StatusCode::OK, Some("8321234356"))
                .unwrap()
                .build()
                .unwrap()
        })
    });
    g.bench_function("parse_response", |b| {
        b.iter(|| Message::parse(resp_wire.clone()).unwrap())
    });
    g.finish();
}

/// Memory per live transaction: growth of resident memory with N client+server pairs
/// alive (maps, slabs, timer queue and held messages), and the same without the message
/// bytes the transactions hold for retransmission.
fn memory() {
    const N: usize = 100_000;
    for (name, method, status) in [
        (
            "non-INVITE, both sides Completed",
            Method::Options,
            StatusCode::OK,
        ),
        (
            "INVITE 486, both sides Completed",
            Method::Invite,
            StatusCode::BUSY_HERE,
        ),
        (
            "INVITE 2xx, both sides Accepted",
            Method::Invite,
            StatusCode::OK,
        ),
    ] {
        let mut pair = Pair::new();
        let before = resident();
        let mut held = 0usize;
        for _ in 0..N {
            pair.transaction(&method, status, Duration::ZERO);
        }
        // Bytes kept per pair: the request (client; and its ACK after a non-2xx) and the
        // final response (server, non-2xx or non-INVITE).
        let req = pair.request(&method).to_bytes().len();
        held += req;
        if !(method == Method::Invite && status.is_success()) {
            held += req; // the response is about as long as the request
        }
        if method == Method::Invite && !status.is_success() {
            held += req; // the ACK
        }
        let after = resident();
        assert_eq!(pair.client.len(), N);
        assert_eq!(pair.server.len(), N);
        let per_pair = after.saturating_sub(before) / N;
        println!(
            "memory {name}: {per_pair} bytes per client+server pair alive, of which ~{held} message bytes; \
             ~{} bytes per transaction beyond messages; struct sizes (client, server) = {:?}",
            per_pair.saturating_sub(held) / 2,
            sip_transaction::__transaction_sizes()
        );
        drop(pair);
    }
}

criterion_group!(benches, transactions);

fn main() {
    if std::env::var_os("SKIP_MEMORY").is_none() {
        memory();
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
