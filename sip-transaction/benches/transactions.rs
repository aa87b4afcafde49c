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

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion, Throughput};
use sip_message::{HeaderName, Message, Method, RequestBuilder, StatusCode};
use sip_transaction::{Config, Event, Received, TransactionLayer, TransportKind};

/// Resident memory of the process in bytes (Linux `/proc/self/statm`), 0 elsewhere.
fn resident() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4096)
}

struct Pair {
    client: TransactionLayer,
    server: TransactionLayer,
    now: Instant,
    a: SocketAddr,
    b: SocketAddr,
    n: u64,
}

impl Pair {
    fn new() -> Self {
        let mut c = Config::default();
        c.rng_seed([3; 32]).max_server_transactions(usize::MAX);
        Self {
            client: TransactionLayer::new(c.clone()).unwrap(),
            server: TransactionLayer::new(c).unwrap(),
            now: Instant::now(),
            a: "192.0.2.1:5060".parse().unwrap(),
            b: "192.0.2.2:5060".parse().unwrap(),
            n: 0,
        }
    }

    fn request(&mut self, method: &Method) -> sip_message::Request {
        self.n += 1;
        let branch = self.client.new_branch();
        RequestBuilder::new(method, "sip:bob@192.0.2.2")
            .header(
                &HeaderName::Via,
                &format!("SIP/2.0/UDP 192.0.2.1:5060;branch={branch}"),
            )
            .header(&HeaderName::MaxForwards, "70")
            .header(
                &HeaderName::From,
                "Alice <sip:alice@192.0.2.1>;tag=1928301774",
            )
            .header(&HeaderName::To, "Bob <sip:bob@192.0.2.2>")
            .header(&HeaderName::CallId, &format!("{}@192.0.2.1", self.n))
            .header(&HeaderName::CSeq, &format!("1 {method}"))
            .build()
            .unwrap()
    }

    /// Carries every pending datagram of `from` to the other side (parsing it).
    fn carry(&mut self, to_server: bool) {
        loop {
            let t = if to_server {
                self.client.poll_transmit()
            } else {
                self.server.poll_transmit()
            };
            let Some(t) = t else { break };
            let message = Message::parse(t.payload).unwrap();
            if to_server {
                self.server.handle_message(
                    self.now,
                    Received {
                        message,
                        transport: t.transport,
                        source: self.a,
                        destination: self.b,
                    },
                );
            } else {
                self.client.handle_message(
                    self.now,
                    Received {
                        message,
                        transport: t.transport,
                        source: self.b,
                        destination: self.a,
                    },
                );
            }
        }
    }

    /// One complete transaction; `status` is the UAS's final answer.
    fn transaction(&mut self, method: &Method, status: StatusCode, advance: Duration) {
        self.transaction_over(TransportKind::Udp, method, status, advance);
    }

    fn transaction_over(
        &mut self,
        transport: TransportKind,
        method: &Method,
        status: StatusCode,
        advance: Duration,
    ) {
        self.now += advance;
        self.client.handle_timeout(self.now);
        self.server.handle_timeout(self.now);
        while self.client.poll_event().is_some() {}
        while self.server.poll_event().is_some() {}
        let req = self.request(method);
        self.client
            .send_request(self.now, req, self.b, transport)
            .unwrap();
        self.carry(true);
        let Some(Event::RequestReceived { key, request, .. }) = self.server.poll_event() else {
            panic!()
        };
        let resp = request
            .response(status, Some("8321234356"))
            .unwrap()
            .build()
            .unwrap();
        self.server.send_response(self.now, key, resp).unwrap();
        self.carry(false);
        let Some(Event::FinalResponse { response, .. }) = self.client.poll_event() else {
            panic!()
        };
        if *method == Method::Invite && status.is_success() {
            // The UAC core ACKs the 2xx itself (a new transaction, sent statelessly).
            let branch = self.client.new_branch();
            let text = |n: &HeaderName| {
                std::str::from_utf8(response.get(n).unwrap())
                    .unwrap()
                    .to_owned()
            };
            let ack = RequestBuilder::new(&Method::Ack, "sip:bob@192.0.2.2")
                .header(
                    &HeaderName::Via,
                    &format!("SIP/2.0/UDP 192.0.2.1:5060;branch={branch}"),
                )
                .header(&HeaderName::MaxForwards, "70")
                .header(&HeaderName::From, &text(&HeaderName::From))
                .header(&HeaderName::To, &text(&HeaderName::To))
                .header(&HeaderName::CallId, &text(&HeaderName::CallId))
                .header(&HeaderName::CSeq, "1 ACK")
                .build()
                .unwrap();
            self.client.send_stateless(ack, self.b, transport);
        }
        self.carry(true);
    }
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
/// alive (maps, slabs, timer heap and held messages), and the same without the message
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
