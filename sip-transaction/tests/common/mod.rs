#![allow(
    missing_docs,
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use bytes::Bytes;
use sip_message::{Message, Request, Response, StatusCode};
use sip_transaction::{Config, Event, Received, TransactionLayer, Transmit, TransportKind};

pub const UDP: TransportKind = TransportKind::Udp;
pub const TCP: TransportKind = TransportKind::Tcp;

pub fn client_addr() -> SocketAddr {
    "192.0.2.1:5060".parse().unwrap()
}

pub fn server_addr() -> SocketAddr {
    "192.0.2.2:5060".parse().unwrap()
}

/// The epoch of virtual time.
pub fn t0() -> Instant {
    static T0: OnceLock<Instant> = OnceLock::new();
    *T0.get_or_init(Instant::now)
}

pub fn at(ms: u64) -> Instant {
    t0() + Duration::from_millis(ms)
}

pub fn layer() -> TransactionLayer {
    let mut c = Config::default();
    c.rng_seed([9; 32]);
    TransactionLayer::new(c).unwrap()
}

pub fn layer_with(f: impl FnOnce(&mut Config)) -> TransactionLayer {
    let mut c = Config::default();
    c.rng_seed([9; 32]);
    f(&mut c);
    TransactionLayer::new(c).unwrap()
}

pub fn msg(s: &str) -> Message {
    Message::parse(Bytes::copy_from_slice(s.as_bytes())).unwrap()
}

/// A request text with the given method, branch (`None`: no branch parameter) and CSeq.
pub fn request_text(method: &str, branch: Option<&str>, seq: u32) -> String {
    let branch = branch.map(|b| format!(";branch={b}")).unwrap_or_default();
    format!(
        "{method} sip:bob@biloxi.example SIP/2.0\r\n\
         Via: SIP/2.0/UDP pc33.atlanta.example:5060{branch}\r\n\
         Max-Forwards: 70\r\n\
         Route: <sip:p1.example;lr>\r\n\
         To: Bob <sip:bob@biloxi.example>\r\n\
         From: Alice <sip:alice@atlanta.example>;tag=1928301774\r\n\
         Call-ID: a84b4c76e66710@pc33\r\n\
         CSeq: {seq} {method}\r\n\
         Content-Length: 0\r\n\r\n"
    )
}

pub fn request(method: &str, branch: &str) -> Request {
    Request::try_from(msg(&request_text(method, Some(branch), 314159))).unwrap()
}

/// A response to `request` (the wire bytes of a request) with `status` and To tag `tag`.
pub fn response_to(request: &Bytes, status: u16, tag: &str) -> Response {
    let req = Request::try_from(Message::parse(request.clone()).unwrap()).unwrap();
    req.response(StatusCode::from_u16(status).unwrap(), Some(tag))
        .unwrap()
        .build()
        .unwrap()
}

pub fn received(
    message: impl Into<Message>,
    transport: TransportKind,
    from: SocketAddr,
) -> Received {
    let message = message.into();
    // Reparse the serialized form: the layer sees what the network carries.
    let message = Message::parse(message.to_bytes()).unwrap();
    let destination = if from == client_addr() {
        server_addr()
    } else {
        client_addr()
    };
    Received {
        message,
        transport,
        source: from,
        destination,
    }
}

pub fn transmits(layer: &mut TransactionLayer) -> Vec<Transmit> {
    std::iter::from_fn(|| layer.poll_transmit()).collect()
}

pub fn events(layer: &mut TransactionLayer) -> Vec<Event> {
    std::iter::from_fn(|| layer.poll_event()).collect()
}

pub fn first_line(b: &Bytes) -> String {
    let s = String::from_utf8_lossy(b);
    s.lines().next().unwrap_or_default().to_owned()
}

/// Drives `layer` by its deadlines up to `until` (ms after t0) and returns, for every
/// transmit, the time (ms after t0) and first line. Events are collected in `events`.
pub fn run_until(
    layer: &mut TransactionLayer,
    until_ms: u64,
    events: &mut Vec<(u64, Event)>,
) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    while let Some(deadline) = layer.poll_timeout() {
        if deadline > at(until_ms) {
            break;
        }
        layer.handle_timeout(deadline);
        let ms = u64::try_from((deadline - t0()).as_millis()).unwrap();
        for t in transmits(layer) {
            out.push((ms, first_line(&t.payload)));
        }
        for e in self::events(layer) {
            events.push((ms, e));
        }
    }
    out
}

pub fn times(sent: &[(u64, String)]) -> Vec<u64> {
    sent.iter().map(|(t, _)| *t).collect()
}

pub fn is_terminated(e: &Event) -> bool {
    matches!(e, Event::Terminated { .. })
}
