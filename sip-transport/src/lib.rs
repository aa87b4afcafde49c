//! The transport layer of RFC 3261 §18 and server location of RFC 3263.
//!
//! The protocol rules are sans-IO, like the rest of the stack:
//! - [`StreamReceiver`]: framing of TCP/TLS streams (partial reads, several messages per
//!   read, RFC 5626 CRLF ping/pong, a size limit that closes the stream with a
//!   [`CloseReason`]).
//! - [`stamp_received`]: §18.2.1 `received` and RFC 3581 `rport` on received requests.
//! - [`ResponseRoute`]: where a response goes (§18.2.2, RFC 3581 §4).
//! - [`prepare_request`] and [`SendPolicy`]: the §18.1.1 transport switch above 1300 bytes
//!   and the top Via; [`Connections`]: connection reuse keyed by [`ConnectionKey`] with
//!   idle timeouts.
//! - [`Resolution`]: RFC 3263 target selection from NAPTR, SRV and A/AAAA records given as
//!   input, and [`TargetList`] failover.
//!
//! # Drive loop of the tokio `Endpoint`
//!
//! Socket tasks (one or more per UDP socket, one per connection) read, frame with
//! [`StreamReceiver`] (or take one WebSocket message), parse, apply [`stamp_and_route`] to
//! requests and queue the message to the core (bounded). The core task owns the
//! `sip_transaction::TransactionLayer` and the [`Connections`] table:
//!
//! ```text
//! loop {
//!     select! { command from the application | input from a socket task | deadline }
//!     layer.handle_*(Instant::now(), ..)        // one input, then up to 64 more queued
//!     while let Some(t) = layer.poll_transmit() { UDP send_to, or queue to the connection }
//!     while let Some(e) = layer.poll_event()    { to the application's bounded queue }
//!     sleep until min(layer.poll_timeout(), connections.poll_timeout())
//! }
//! ```
//!
//! Overload never grows a queue: a full application queue answers 503 with Retry-After
//! through the transaction, a full core queue makes the UDP reader answer 503 statelessly,
//! and TCP readers stop reading (flow control reaches the peer).
//!
//! # Features
//!
//! - `tokio` (default): UDP, TCP, TLS (tokio-rustls with ring), WebSocket and secure
//!   WebSocket (RFC 7118, tokio-tungstenite) transports, IPv4 and IPv6, and an `Endpoint`
//!   that joins them to a `sip-transaction` layer.
//! - `dns`: `DnsResolver` (hickory-resolver) answering the RFC 3263 queries; without it
//!   only numeric hosts are located.
//!
//! ```
//! use std::net::SocketAddr;
//! use bytes::Bytes;
//! use sip_message::Message;
//! use sip_transaction::TransportKind;
//! use sip_transport::{stamp_received, ResponseRoute, ResponseTarget};
//!
//! let mut request = Message::parse(Bytes::from_static(
//!     b"OPTIONS sip:b@example.com SIP/2.0\r\n\
//!       Via: SIP/2.0/UDP pc.example.com:5070;rport;branch=z9hG4bK1\r\n\
//!       CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
//! )).unwrap();
//! let source: SocketAddr = "192.0.2.7:40000".parse().unwrap();
//! stamp_received(&mut request, source).unwrap();
//! // The response copies the Via; RFC 3581 §4 sends it back to the source.
//! let route = ResponseRoute::for_response(&request, TransportKind::Udp).unwrap();
//! assert_eq!(route.target, ResponseTarget::Address(source));
//! ```

#![forbid(unsafe_code)]
mod error;
mod locate;
mod request;
mod stream;
mod via;

#[cfg(feature = "dns")]
mod dns;
#[cfg(feature = "tokio")]
mod endpoint;

pub use error::{Error, Result};
pub use locate::{NaptrRecord, Query, Resolution, SipUri, SrvRecord, Target, TargetList};
pub use request::{
    parse_transport, prepare_request, ConnectionKey, Connections, SendPolicy, SentBy,
    UDP_SIZE_THRESHOLD,
};
pub use stream::{CloseReason, StreamEvent, StreamReceiver, PING, PONG};
pub use via::{
    default_port, stamp_and_route, stamp_received, top_via, ResponseRoute, ResponseTarget,
};

#[cfg(feature = "dns")]
pub use dns::{resolve, DnsResolver, Lookup};
#[cfg(feature = "tokio")]
pub use endpoint::*;
