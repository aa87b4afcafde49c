//! The SIP transaction layer of RFC 3261 §17, with the changes of RFC 6026, as a sans-IO
//! state machine.
//!
//! A [`TransactionLayer`] holds every client and server transaction of one SIP element.
//! It takes, with the current [`Instant`](std::time::Instant): messages received from the
//! network (already parsed by `sip-message`), requests, responses and CANCELs from the
//! transaction user (TU), transport failures and timer expiries. It gives back messages to
//! transmit ([`Transmit`]), events for the TU ([`Event`]) and the next deadline. It opens
//! no socket, reads no clock, spawns nothing and draws randomness only from its own seeded
//! generator ([`Config::rng_seed`]): the same inputs give the same outputs.
//!
//! What it does:
//! - The four machines exactly as RFC 3261 draws them, with RFC 6026's Accepted states:
//!   [`InviteClientState`] (Figure 5), [`NonInviteClientState`] (Figure 6),
//!   [`InviteServerState`] (Figure 7), [`NonInviteServerState`] (Figure 8).
//! - Timers A to M ([`Timer`]) from T1, T2 and T4 ([`Config`]); on reliable transports
//!   A, E and G are not used and D, I, J and K are zero.
//! - The ACK of a non-2xx final response is built and retransmitted by the client
//!   transaction (§17.1.1.3) and absorbed by the server transaction; the ACK of a 2xx goes
//!   to the TU ([`Event::AckReceived`]).
//! - Matching in O(1) (hash tables): responses by branch and CSeq method (§17.1.3), requests
//!   by branch, sent-by and method, or by the RFC 2543 fields for branches without the
//!   magic cookie (§17.2.3). The server side looks among the transactions of the request's
//!   Call-ID and CSeq number, which retransmissions, the ACK of a non-2xx (§17.1.1.3) and
//!   CANCEL (§9.1) share with the request; so a request that reuses a live branch with
//!   another Call-ID or CSeq number (a peer breaking §8.1.1.7) starts a transaction of its
//!   own. Stray responses go to the TU ([`Event::StrayResponse`]).
//! - 100 Trying when the TU has not answered an INVITE within 200 ms (§17.2.1); merged
//!   requests reported for a 482 (§8.2.2.2, [`Event::MergedRequest`]); CANCEL matched to
//!   its INVITE (§9.2, [`Event::CancelReceived`]) and sent for the TU (§9.1,
//!   [`TransactionLayer::cancel`]).
//! - A cap on server transactions beyond which requests are answered 503 with
//!   Retry-After ([`Config::max_server_transactions`]).
//!
//! What it does not do: choose destinations (RFC 3263), apply the §18 Via rules
//! (`received`, `rport`), frame streams or manage connections: that is `sip-transport`.
//! Dialogs, authentication and the UA or proxy cores are `sip-dialog`.
//!
//! # Drive loop
//!
//! ```text
//! loop {
//!     // one input (received message, TU command, transport error, or the deadline)
//!     layer.handle_message(now, received);         // or send_request / send_response / …
//!     layer.handle_timeout(now);                   // when poll_timeout() has passed
//!     while let Some(t) = layer.poll_transmit() { socket.send_to(&t.payload, t.destination) }
//!     while let Some(e) = layer.poll_event() { tu.handle(e) }   // may issue commands
//!     sleep_until(layer.poll_timeout());
//! }
//! ```
//!
//! # Example
//!
//! A client and a server layer joined directly, on virtual time:
//!
//! ```
//! use std::time::{Duration, Instant};
//! use bytes::Bytes;
//! use sip_message::{Message, Request, StatusCode};
//! use sip_transaction::{Config, Event, Received, TransactionLayer, TransportKind};
//!
//! let (a, b) = ("192.0.2.1:5060".parse().unwrap(), "192.0.2.2:5060".parse().unwrap());
//! let mut config = Config::default();
//! config.rng_seed([1; 32]);
//! let mut client = TransactionLayer::new(config.clone()).unwrap();
//! let mut server = TransactionLayer::new(config).unwrap();
//! let now = Instant::now();
//!
//! let options = Message::parse(Bytes::from_static(
//!     b"OPTIONS sip:b@192.0.2.2 SIP/2.0\r\n\
//!       Via: SIP/2.0/UDP 192.0.2.1:5060\r\n\
//!       From: <sip:a@192.0.2.1>;tag=1\r\nTo: <sip:b@192.0.2.2>\r\n\
//!       Call-ID: c1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
//! ))
//! .unwrap();
//! let request = Request::try_from(options).unwrap();
//! let key = client.send_request(now, request, b, TransportKind::Udp).unwrap(); // adds a branch
//!
//! // Carry the datagram to the server.
//! let t = client.poll_transmit().unwrap();
//! let message = Message::parse(t.payload).unwrap();
//! server.handle_message(now, Received { message, transport: t.transport, source: a, destination: b });
//! let Some(Event::RequestReceived { key: server_key, request, .. }) = server.poll_event() else {
//!     panic!("expected a request")
//! };
//! let ok = request.response(StatusCode::OK, Some("x")).unwrap().build().unwrap();
//! server.send_response(now, server_key, ok).unwrap();
//!
//! // And the response back.
//! let t = server.poll_transmit().unwrap();
//! let message = Message::parse(t.payload).unwrap();
//! client.handle_message(now, Received { message, transport: t.transport, source: b, destination: a });
//! assert!(matches!(client.poll_event(), Some(Event::FinalResponse { key: k, .. }) if k == key));
//!
//! // Timer K (T4 = 5 s) ends the client transaction, Timer J (64*T1) the server one.
//! client.handle_timeout(now + Duration::from_secs(5));
//! assert!(matches!(client.poll_event(), Some(Event::Terminated { .. })));
//! assert!(client.is_empty());
//! server.handle_timeout(now + Duration::from_secs(32));
//! assert!(server.is_empty());
//! ```
//!
//! # Memory
//!
//! A live transaction costs its struct (256 bytes client, 376 bytes server), one entry in a
//! matching table (8 bytes; the tables are at most half full), its
//! entries in the timer queue, and the message bytes it keeps for retransmission (the
//! request it sent, until its final response; a non-INVITE server's final response over
//! UDP, for Timer J; the last response an INVITE server sent; the ACK it built). Measured
//! with 100,000 live client+server pairs (`benches/transactions.rs`, BENCHMARKS.md): about
//! 270 bytes per non-INVITE transaction in Completed and 210–340 bytes per INVITE
//! transaction beyond the message bytes. Transactions are destroyed the
//! moment they terminate; [`Config::max_server_transactions`] bounds the server side.
//!
//! # Features
//!
//! None. The crate has no `tokio` dependency.

#![forbid(unsafe_code)]
mod client;
mod config;
mod error;
mod event;
mod index;
mod key;
mod layer;
mod server;
mod slab;
mod timer;
mod transport;
mod via;

pub use client::{ClientState, InviteClientState, NonInviteClientState};
pub use config::Config;
pub use error::{Error, Result};
pub use event::Event;
pub use key::{Branch, ClientTransactionKey, ServerTransactionKey, TransactionKey, MAGIC_COOKIE};
pub use layer::TransactionLayer;
pub use server::{InviteServerState, NonInviteServerState, ServerState};
pub use timer::Timer;
pub use transport::{Received, Transmit, TransportKind};

/// Sizes of the per-transaction structures, for the memory benchmark. Not a stable API.
#[doc(hidden)]
pub fn __transaction_sizes() -> (usize, usize) {
    (
        size_of::<client::ClientTransaction>(),
        size_of::<server::ServerTransaction>(),
    )
}
