#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! A deterministic network simulation: a UAC and a UAS layer joined by a seeded lossy link
//! (loss, duplication, reordering through random delay). Every transaction must reach the
//! state the RFC demands, nothing may leak, and a run must be reproducible from its seed.
//! A failure prints the seed.

mod common;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::{client_addr, server_addr, t0};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sip_message::{HeaderName, Message, Method, Request, RequestBuilder, Response, StatusCode};
use sip_transaction::{
    ClientTransactionKey, Config, Event, Received, ServerTransactionKey, Timer, TransactionKey,
    TransactionLayer, Transmit, TransportKind,
};

#[derive(Debug, Clone, Copy)]
struct Link {
    transport: TransportKind,
    loss: f64,
    duplicate: f64,
    max_delay_ms: u64,
}

struct Packet {
    at: Instant,
    seq: u64,
    to_server: bool,
    transmit: Transmit,
}

enum TuAction {
    /// The UAS answers server transaction `key`.
    Answer {
        key: ServerTransactionKey,
        request: Request,
        status: u16,
    },
    /// The UAS core retransmits its 2xx (§13.3.1.4) until the ACK or 64*T1.
    Retransmit2xx {
        key: ServerTransactionKey,
        response: Response,
        interval: Duration,
        until: Instant,
    },
}

#[derive(Debug, Default)]
struct ClientOutcome {
    method: Option<Method>,
    call_id: String,
    finals: Vec<u16>,
    provisionals: usize,
    timeout: Option<Timer>,
    terminated: usize,
}

struct Sim {
    seed: u64,
    rng: ChaCha8Rng,
    link: Link,
    now: Instant,
    client: TransactionLayer,
    server: TransactionLayer,
    in_flight: Vec<Packet>,
    seq: u64,
    actions: Vec<(Instant, TuAction)>,
    acked: HashMap<String, bool>,
    expected: HashMap<String, u16>,
    clients: HashMap<ClientTransactionKey, ClientOutcome>,
    servers: HashMap<ServerTransactionKey, usize>,
    trace: std::collections::hash_map::DefaultHasher,
}

impl Sim {
    fn new(seed: u64, link: Link) -> Self {
        let config = |s: u8| {
            let mut c = Config::default();
            let mut bytes = [s; 32];
            bytes[..8].copy_from_slice(&seed.to_le_bytes());
            c.rng_seed(bytes);
            c
        };
        Self {
            seed,
            rng: ChaCha8Rng::seed_from_u64(seed),
            link,
            now: t0(),
            client: TransactionLayer::new(config(1)).unwrap(),
            server: TransactionLayer::new(config(2)).unwrap(),
            in_flight: Vec::new(),
            seq: 0,
            actions: Vec::new(),
            acked: HashMap::new(),
            expected: HashMap::new(),
            clients: HashMap::new(),
            servers: HashMap::new(),
            trace: std::collections::hash_map::DefaultHasher::new(),
        }
    }

    fn start_transaction(&mut self, n: usize) {
        let method = match n % 4 {
            0 | 1 => Method::Invite,
            2 => Method::Options,
            _ => Method::Message,
        };
        let call_id = format!("call{n}-{}", self.seed);
        let req = RequestBuilder::new(&method, "sip:bob@192.0.2.2")
            .header(&HeaderName::Via, "SIP/2.0/UDP 192.0.2.1:5060")
            .header(&HeaderName::MaxForwards, "70")
            .header(
                &HeaderName::From,
                &format!("<sip:alice@192.0.2.1>;tag=a{n}"),
            )
            .header(&HeaderName::To, "<sip:bob@192.0.2.2>")
            .header(&HeaderName::CallId, &call_id)
            .header(&HeaderName::CSeq, &format!("1 {method}"))
            .build()
            .unwrap();
        let key = self
            .client
            .send_request(self.now, req, server_addr(), self.link.transport)
            .unwrap();
        self.clients.insert(
            key,
            ClientOutcome {
                method: Some(method),
                call_id,
                ..ClientOutcome::default()
            },
        );
    }

    fn send(&mut self, to_server: bool, transmit: Transmit) {
        transmit.payload.hash(&mut self.trace);
        if self.rng.gen_bool(self.link.loss) {
            return;
        }
        let copies = if self.rng.gen_bool(self.link.duplicate) {
            2
        } else {
            1
        };
        for _ in 0..copies {
            let delay = Duration::from_millis(self.rng.gen_range(1..=self.link.max_delay_ms));
            self.seq += 1;
            self.in_flight.push(Packet {
                at: self.now + delay,
                seq: self.seq,
                to_server,
                transmit: transmit.clone(),
            });
        }
    }

    /// Drains both layers' outputs, feeding events to the two TUs, until quiet.
    fn pump(&mut self) {
        loop {
            let mut busy = false;
            while let Some(t) = self.client.poll_transmit() {
                busy = true;
                self.send(true, t);
            }
            while let Some(t) = self.server.poll_transmit() {
                busy = true;
                self.send(false, t);
            }
            while let Some(e) = self.client.poll_event() {
                busy = true;
                self.uac(e);
            }
            while let Some(e) = self.server.poll_event() {
                busy = true;
                self.uas(e);
            }
            if !busy {
                return;
            }
        }
    }

    fn uac(&mut self, e: Event) {
        format!("{e:?}").hash(&mut self.trace);
        match e {
            Event::ProvisionalResponse { key, .. } => {
                self.clients.get_mut(&key).unwrap().provisionals += 1
            }
            Event::FinalResponse { key, response } => {
                let o = self.clients.get_mut(&key).unwrap();
                o.finals.push(response.status().as_u16());
                if response.status().is_success() && o.method == Some(Method::Invite) {
                    self.ack_2xx(&response);
                }
            }
            Event::StrayResponse { response, .. } => {
                // A 2xx retransmission after Timer M: ACK it again (§13.2.2.4).
                if response.status().is_success() {
                    self.ack_2xx(&response);
                }
            }
            Event::Timeout {
                key: TransactionKey::Client(key),
                timer,
            } => {
                self.clients.get_mut(&key).unwrap().timeout = Some(timer);
            }
            Event::Terminated {
                key: TransactionKey::Client(key),
            } => {
                self.clients.get_mut(&key).unwrap().terminated += 1;
            }
            other => panic!("seed {}: unexpected UAC event {other:?}", self.seed),
        }
    }

    fn ack_2xx(&mut self, response: &Response) {
        let branch = self.client.new_branch();
        let cseq = response.typed::<sip_message::CSeq>().unwrap().unwrap();
        let text = |n: &HeaderName| String::from_utf8(response.get(n).unwrap().to_vec()).unwrap();
        let ack = RequestBuilder::new(&Method::Ack, "sip:bob@192.0.2.2")
            .header(
                &HeaderName::Via,
                &format!("SIP/2.0/UDP 192.0.2.1:5060;branch={branch}"),
            )
            .header(&HeaderName::MaxForwards, "70")
            .header(&HeaderName::From, &text(&HeaderName::From))
            .header(&HeaderName::To, &text(&HeaderName::To))
            .header(&HeaderName::CallId, &text(&HeaderName::CallId))
            .header(&HeaderName::CSeq, &format!("{} ACK", cseq.seq))
            .build()
            .unwrap();
        self.client
            .send_stateless(ack, server_addr(), self.link.transport);
    }

    fn uas(&mut self, e: Event) {
        format!("{e:?}").hash(&mut self.trace);
        match e {
            Event::RequestReceived { key, request, .. } => {
                assert!(
                    self.servers.insert(key, 0).is_none(),
                    "seed {}: key reused",
                    self.seed
                );
                let call_id = std::str::from_utf8(request.get(&HeaderName::CallId).unwrap())
                    .unwrap()
                    .to_owned();
                let invite = request.method() == Method::Invite;
                let status = match (invite, self.rng.gen_range(0..3)) {
                    (true, 0) => 486,
                    (true, _) => 200,
                    (false, 0) => 404,
                    (false, _) => 200,
                };
                self.expected.insert(call_id, status);
                if invite && self.rng.gen_bool(0.5) {
                    let ringing = request
                        .response(StatusCode::RINGING, Some("uas"))
                        .unwrap()
                        .build()
                        .unwrap();
                    self.server.send_response(self.now, key, ringing).unwrap();
                }
                // The TU sometimes takes longer than 200 ms (then 100 Trying goes out).
                let delay = Duration::from_millis(self.rng.gen_range(0..400));
                self.actions.push((
                    self.now + delay,
                    TuAction::Answer {
                        key,
                        request,
                        status,
                    },
                ));
            }
            Event::AckReceived { request, .. } => {
                let call_id = std::str::from_utf8(request.get(&HeaderName::CallId).unwrap())
                    .unwrap()
                    .to_owned();
                self.acked.insert(call_id, true);
            }
            Event::Terminated {
                key: TransactionKey::Server(key),
            } => {
                *self.servers.get_mut(&key).unwrap() += 1;
            }
            Event::Timeout {
                key: TransactionKey::Server(_),
                timer: Timer::H,
            } => {}
            other => panic!("seed {}: unexpected UAS event {other:?}", self.seed),
        }
    }

    fn run_action(&mut self, action: TuAction) {
        match action {
            TuAction::Answer {
                key,
                request,
                status,
            } => {
                let response = request
                    .response(StatusCode::from_u16(status).unwrap(), Some("uas"))
                    .unwrap()
                    .build()
                    .unwrap();
                self.server
                    .send_response(self.now, key, response.clone())
                    .unwrap();
                if status == 200 && request.method() == Method::Invite {
                    let t1 = Duration::from_millis(500);
                    self.actions.push((
                        self.now + t1,
                        TuAction::Retransmit2xx {
                            key,
                            response,
                            interval: t1,
                            until: self.now + t1 * 64,
                        },
                    ));
                }
            }
            TuAction::Retransmit2xx {
                key,
                response,
                interval,
                until,
            } => {
                let call_id = std::str::from_utf8(response.get(&HeaderName::CallId).unwrap())
                    .unwrap()
                    .to_owned();
                if self.acked.contains_key(&call_id) || self.now >= until {
                    return;
                }
                if self
                    .server
                    .send_response(self.now, key, response.clone())
                    .is_ok()
                {
                    let interval = (interval * 2).min(Duration::from_secs(4));
                    self.actions.push((
                        self.now + interval,
                        TuAction::Retransmit2xx {
                            key,
                            response,
                            interval,
                            until,
                        },
                    ));
                }
            }
        }
    }

    fn run(&mut self, transactions: usize) -> u64 {
        let mut starts: Vec<Instant> = (0..transactions)
            .map(|i| t0() + Duration::from_millis(i as u64 * 37))
            .collect();
        starts.reverse();
        let mut started = 0;
        let limit = t0() + Duration::from_secs(600);
        loop {
            let next = [
                self.client.poll_timeout(),
                self.server.poll_timeout(),
                self.in_flight.iter().map(|p| p.at).min(),
                self.actions.iter().map(|a| a.0).min(),
                starts.last().copied(),
            ]
            .into_iter()
            .flatten()
            .min();
            let Some(next) = next else { break };
            assert!(
                next <= limit,
                "seed {}: simulation did not settle",
                self.seed
            );
            self.now = self.now.max(next);
            // Deliver due packets in arrival order.
            self.in_flight.sort_by_key(|p| (p.at, p.seq));
            let due = self
                .in_flight
                .iter()
                .take_while(|p| p.at <= self.now)
                .count();
            for p in self.in_flight.drain(..due).collect::<Vec<_>>() {
                let message = Message::parse(p.transmit.payload.clone()).unwrap();
                let (source, destination): (SocketAddr, SocketAddr) = if p.to_server {
                    (client_addr(), server_addr())
                } else {
                    (server_addr(), client_addr())
                };
                let received = Received {
                    message,
                    transport: p.transmit.transport,
                    source,
                    destination,
                };
                if p.to_server {
                    self.server.handle_message(self.now, received);
                } else {
                    self.client.handle_message(self.now, received);
                }
                self.pump();
            }
            let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.actions)
                .into_iter()
                .partition(|a| a.0 <= self.now);
            self.actions = later;
            for (_, a) in due {
                self.run_action(a);
                self.pump();
            }
            while starts.last().is_some_and(|s| *s <= self.now) {
                starts.pop();
                self.start_transaction(started);
                started += 1;
                self.pump();
            }
            self.client.handle_timeout(self.now);
            self.server.handle_timeout(self.now);
            self.pump();
        }
        self.trace.finish()
    }

    /// Checks the final states; returns how many client transactions got a final response.
    fn check(&self, lossless: bool) -> usize {
        let seed = self.seed;
        let mut answered = 0;
        assert!(
            self.client.is_empty(),
            "seed {seed}: client transactions leaked"
        );
        assert!(
            self.server.is_empty(),
            "seed {seed}: server transactions leaked"
        );
        for (key, o) in &self.clients {
            assert_eq!(o.terminated, 1, "seed {seed}: {key:?} {o:?}");
            let expected = self.expected.get(&o.call_id).copied();
            match (o.finals.first(), o.timeout) {
                (Some(&status), None | Some(Timer::CancelWait)) => {
                    answered += 1;
                    assert_eq!(Some(status), expected, "seed {seed}: {o:?}");
                    // Only 2xx to INVITE may reach the TU more than once (RFC 6026).
                    if o.finals.len() > 1 {
                        assert!(
                            o.method == Some(Method::Invite) && o.finals.iter().all(|&s| s == 200),
                            "seed {seed}: {o:?}"
                        );
                    }
                }
                (None, Some(Timer::B | Timer::F)) => {
                    assert!(!lossless, "seed {seed}: timeout on a lossless link: {o:?}");
                }
                _ => panic!("seed {seed}: transaction ended in no RFC state: {o:?}"),
            }
        }
        for (key, n) in &self.servers {
            assert_eq!(*n, 1, "seed {seed}: server {key:?} terminated {n} times");
        }
        answered
    }
}

fn simulate(seed: u64, link: Link, transactions: usize) -> u64 {
    let mut sim = Sim::new(seed, link);
    let trace = sim.run(transactions);
    let answered = sim.check(link.loss == 0.0);
    assert_eq!(sim.clients.len(), transactions, "seed {seed}");
    // Retransmissions overcome the loss: nearly every transaction gets its answer.
    assert!(
        answered * 10 >= transactions * 9,
        "seed {seed}: only {answered}/{transactions} answered"
    );
    eprintln!(
        "seed {seed} {link:?}: {answered}/{transactions} answered, {} ACKs of 2xx",
        sim.acked.len()
    );
    trace
}

#[test]
fn lossless_link_every_transaction_succeeds() {
    for seed in 0..4 {
        simulate(
            seed,
            Link {
                transport: TransportKind::Udp,
                loss: 0.0,
                duplicate: 0.0,
                max_delay_ms: 50,
            },
            60,
        );
    }
}

#[test]
fn lossy_duplicating_reordering_link() {
    for seed in 0..12 {
        let link = Link {
            transport: TransportKind::Udp,
            loss: [0.05, 0.15, 0.3][seed as usize % 3],
            duplicate: 0.1,
            max_delay_ms: 300,
        };
        simulate(seed, link, 80);
    }
}

#[test]
fn runs_are_reproducible_from_the_seed() {
    let link = Link {
        transport: TransportKind::Udp,
        loss: 0.3,
        duplicate: 0.2,
        max_delay_ms: 400,
    };
    let a = simulate(77, link, 40);
    let b = simulate(77, link, 40);
    let c = simulate(78, link, 40);
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn reliable_in_order_link() {
    // TCP-like: nothing lost, nothing duplicated, order kept (fixed delay); Timers D, I,
    // J and K are zero, so transactions end as soon as their final exchange is done.
    for seed in 0..4 {
        let link = Link {
            transport: TransportKind::Tcp,
            loss: 0.0,
            duplicate: 0.0,
            max_delay_ms: 1,
        };
        simulate(seed, link, 60);
    }
}
