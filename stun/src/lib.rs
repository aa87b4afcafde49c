//! STUN (RFC 8489): messages, a sans-IO client and server, for NAT traversal.
//!
//! A SIP user agent behind a NAT uses STUN to learn its public address and port and to keep
//! NAT bindings open (RFC 5626 §4.4.2). This crate gives:
//!
//! - [`Message`]: a zero-copy, allocation-free decoder that validates the header and the
//!   attribute layout, with typed [`Attribute`]s decoded on demand; [`MessageBuilder`]
//!   encodes. Every RFC 8489 attribute is covered; unknown ones are kept raw.
//! - Integrity and FINGERPRINT exactly as §14.5-§14.7 specify (length field adjusted), with
//!   short-term and long-term keys (MD5 and SHA-256, USERHASH) in an [`IntegrityKey`] keyed
//!   once per credential. Comparisons are constant-time.
//! - [`classify`], [`is_stun`]: demultiplexing STUN, RTP, RTCP, DTLS on one port (RFC 7983).
//! - [`ClientTransaction`] (§6.2 retransmissions), [`Client`] (401 → credentials,
//!   438 → new nonce, 300 → ALTERNATE-SERVER), [`Server`] (XOR-MAPPED-ADDRESS, optional
//!   short- or long-term authentication with nonce expiry, 400/401/420/438), and
//!   [`FlowKeepAlive`] (RFC 5626 keep-alives).
//!
//! It does not do TURN, ICE, or RFC 5780 NAT behaviour discovery, and it does no I/O except
//! in the optional `tokio` module. Not implemented from RFC 8489: DNS discovery (§8) and STUN
//! over TLS/DTLS; OpaqueString is applied as [`opaque_string`] documents.
//!
//! # Drive loop
//!
//! The client, server and keep-alive are state machines: they take bytes and the current
//! `Instant`, and hand back datagrams to send, events and the next deadline.
//!
//! ```
//! use std::time::{Duration, Instant};
//! use stun::{Client, ClientConfig, Event, Server, ServerConfig, Transport};
//!
//! let now = Instant::now();
//! let client_addr = "198.51.100.7:5060".parse().unwrap();
//! let server_addr = "192.0.2.1:3478".parse().unwrap();
//! let mut server = Server::new(ServerConfig::default(), now)?;
//! let mut client = Client::new(ClientConfig { rng_seed: Some([1; 32]), ..ClientConfig::default() })?;
//! client.binding(now, server_addr, Transport::Udp)?;
//!
//! // The client's request reaches the server, the server's answer reaches the client.
//! let request = client.poll_transmit().unwrap();
//! assert_eq!(request.destination, server_addr);
//! server.handle_input(now, client_addr, &request.payload);
//! let response = server.poll_transmit().unwrap();
//! assert!(client.handle_input(now + Duration::from_millis(20), server_addr, &response.payload));
//!
//! match client.poll_event() {
//!     Some(Event::Success { mapped, .. }) => assert_eq!(mapped, client_addr),
//!     other => panic!("{other:?}"),
//! }
//! # Ok::<(), stun::Error>(())
//! ```
//!
//! Poll order after every input: `poll_transmit` until `None`, `poll_event` until `None`,
//! then wait for the next datagram or `poll_timeout` and call `handle_timeout(now)` (early
//! calls are harmless). Invalid network input never comes back as an error: it is dropped
//! (and traced), answered, or reported as an event.
//!
//! # Crate features
//!
//! - `tokio` (off by default): `tokio::resolve_mapping` learns the public mapping of a
//!   local UDP socket, `tokio::serve` answers STUN on a UDP socket (module `stun::tokio`).
//!
//! # Standards
//!
//! RFC 8489 (STUN), RFC 5389 §12.2 (RFC 3489 clients), RFC 7983 (demultiplexing),
//! RFC 5626 §4.4.2/§8 (keep-alive), RFC 8265 §4.2 (OpaqueString: see [`opaque_string`] for
//! the subset applied).

#![forbid(unsafe_code)]
mod attribute;
mod builder;
mod client;
mod demux;
mod error;
mod integrity;
mod keepalive;
mod message;
mod server;
mod transaction;

#[cfg(feature = "tokio")]
pub mod tokio;

pub use attribute::{
    Attribute, AttributeType, AttributeTypes, ErrorCode, PasswordAlgorithm, PasswordAlgorithms,
    RawAttribute, ALTERNATE_DOMAIN_LIMIT, DECODE_TEXT_LIMIT, ENCODE_TEXT_LIMIT,
};
pub use builder::MessageBuilder;
pub use client::{Client, ClientConfig, Credentials, Event, Failure, RequestId};
pub use demux::{classify, is_stun, is_stun_with_fingerprint, PacketKind};
pub use error::Error;
pub use integrity::{
    opaque_string, user_hash, IntegrityKey, SecurityFeatures, FINGERPRINT_XOR, NONCE_COOKIE,
};
pub use keepalive::{FlowFailure, FlowKeepAlive, KeepAliveEvent};
pub use message::{
    message_type, split_message_type, Attributes, Class, Message, Method, TransactionId,
    HEADER_LEN, MAGIC_COOKIE,
};
pub use server::{Authentication, Server, ServerConfig};
pub use transaction::{
    ClientTransaction, TransactionConfig, TransactionState, Transmit, Transport,
};
