#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! A loop of complete transactions (the bench's `Pair`), for instruction counts:
//! `valgrind --tool=callgrind target/release/examples/profile_loop tcp 20000`
//! (kinds: `tcp`, `udp`, `invite2xx`, `invite486`).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use sip_message::{HeaderName, Message, Method, RequestBuilder, StatusCode};
use sip_transaction::{Config, Event, Received, TransactionLayer, TransportKind};

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

fn main() {
    let mut args = std::env::args().skip(1);
    let kind = args.next().unwrap_or_else(|| "tcp".to_owned());
    let n: u64 = args.next().map_or(20_000, |s| s.parse().unwrap());
    let mut pair = Pair::new();
    let step = Duration::from_millis(1);
    for _ in 0..n {
        match kind.as_str() {
            "tcp" => {
                pair.transaction_over(TransportKind::Tcp, &Method::Options, StatusCode::OK, step)
            }
            "udp" => pair.transaction(&Method::Options, StatusCode::OK, step),
            "invite2xx" => pair.transaction(&Method::Invite, StatusCode::OK, step),
            "invite486" => pair.transaction(&Method::Invite, StatusCode::BUSY_HERE, step),
            _ => panic!("unknown kind {kind}"),
        }
    }
    println!(
        "{} live transactions",
        pair.client.len() + pair.server.len()
    );
}
