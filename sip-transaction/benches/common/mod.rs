//! The in-memory client/server pair behind the transaction benchmark and `profile_loop`:
//! two transaction layers joined in memory, one complete transaction per call.
#![allow(
    dead_code,
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    unreachable_pub
)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use sip_message::{HeaderName, Message, Method, RequestBuilder, StatusCode};
use sip_transaction::{Config, Event, Received, TransactionLayer, TransportKind};

pub struct Pair {
    pub client: TransactionLayer,
    pub server: TransactionLayer,
    now: Instant,
    a: SocketAddr,
    b: SocketAddr,
    n: u64,
    /// Scratch text for the fields the TU writes (reused: no `format!` per request).
    via: String,
    call_id: String,
}

impl Pair {
    pub fn new() -> Self {
        let mut c = Config::default();
        c.rng_seed([3; 32]).max_server_transactions(usize::MAX);
        Self {
            client: TransactionLayer::new(c.clone()).unwrap(),
            server: TransactionLayer::new(c).unwrap(),
            now: Instant::now(),
            a: "192.0.2.1:5060".parse().unwrap(),
            b: "192.0.2.2:5060".parse().unwrap(),
            n: 0,
            via: String::with_capacity(64),
            call_id: String::with_capacity(32),
        }
    }

    pub fn request(&mut self, method: &Method) -> sip_message::Request {
        self.n += 1;
        let branch = self.client.new_branch();
        self.via.clear();
        self.via.push_str("SIP/2.0/UDP 192.0.2.1:5060;branch=");
        self.via.push_str(&branch);
        self.call_id.clear();
        push_decimal(&mut self.call_id, self.n);
        self.call_id.push_str("@192.0.2.1");
        let cseq = match method {
            Method::Invite => "1 INVITE",
            Method::Options => "1 OPTIONS",
            _ => panic!("the pair sends INVITE and OPTIONS"),
        };
        RequestBuilder::new(method, "sip:bob@192.0.2.2")
            .header(&HeaderName::Via, &self.via)
            .header(&HeaderName::MaxForwards, "70")
            .header(
                &HeaderName::From,
                "Alice <sip:alice@192.0.2.1>;tag=1928301774",
            )
            .header(&HeaderName::To, "Bob <sip:bob@192.0.2.2>")
            .header(&HeaderName::CallId, &self.call_id)
            .header(&HeaderName::CSeq, cseq)
            .build()
            .unwrap()
    }

    /// Carries every pending datagram of `from` to the other side (parsing it).
    pub fn carry(&mut self, to_server: bool) {
        loop {
            let t = if to_server {
                self.client.poll_transmit()
            } else {
                self.server.poll_transmit()
            };
            let Some(t) = t else { break };
            let (layer, source, destination) = if to_server {
                (&mut self.server, self.a, self.b)
            } else {
                (&mut self.client, self.b, self.a)
            };
            layer.handle_message(
                self.now,
                Received {
                    message: Message::parse(t.payload).unwrap(),
                    transport: t.transport,
                    source,
                    destination,
                },
            );
        }
    }

    /// One complete transaction; `status` is the UAS's final answer.
    pub fn transaction(&mut self, method: &Method, status: StatusCode, advance: Duration) {
        self.transaction_over(TransportKind::Udp, method, status, advance);
    }

    pub fn transaction_over(
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
        // The TU reads the events where they are (moving the message out would copy it).
        let event = self.server.poll_event();
        let Some(Event::RequestReceived { key, request, .. }) = &event else {
            panic!()
        };
        let resp = request
            .response(status, Some("8321234356"))
            .unwrap()
            .build()
            .unwrap();
        self.server.send_response(self.now, *key, resp).unwrap();
        self.carry(false);
        let event = self.client.poll_event();
        let Some(Event::FinalResponse { response, .. }) = &event else {
            panic!()
        };
        if *method == Method::Invite && status.is_success() {
            // The UAC core ACKs the 2xx itself (a new transaction, sent statelessly).
            let branch = self.client.new_branch();
            let text = |n: &HeaderName| std::str::from_utf8(response.get(n).unwrap()).unwrap();
            self.via.clear();
            self.via.push_str("SIP/2.0/UDP 192.0.2.1:5060;branch=");
            self.via.push_str(&branch);
            let ack = RequestBuilder::new(&Method::Ack, "sip:bob@192.0.2.2")
                .header(&HeaderName::Via, &self.via)
                .header(&HeaderName::MaxForwards, "70")
                .header(&HeaderName::From, text(&HeaderName::From))
                .header(&HeaderName::To, text(&HeaderName::To))
                .header(&HeaderName::CallId, text(&HeaderName::CallId))
                .header(&HeaderName::CSeq, "1 ACK")
                .build()
                .unwrap();
            self.client.send_stateless(ack, self.b, transport);
        }
        self.carry(true);
    }
}

/// Appends `n` in decimal (what a UA's Call-ID generator costs, without `fmt`'s machinery,
/// which would weigh more than some of the transaction layer's steps measured here).
fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[i..]).unwrap());
}
