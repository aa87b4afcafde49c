//! Transport kinds and the plain-data input and output of the layer.

use core::fmt;
use std::net::SocketAddr;

use bytes::Bytes;
use sip_message::Message;

/// The transport a message travels over (RFC 3261 §18, RFC 7118 for WebSocket, RFC 4168
/// for SCTP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransportKind {
    /// UDP: unreliable; the transaction layer retransmits.
    Udp,
    /// TCP.
    Tcp,
    /// TLS over TCP.
    Tls,
    /// WebSocket (RFC 7118).
    Ws,
    /// Secure WebSocket (RFC 7118).
    Wss,
    /// SCTP (RFC 4168).
    Sctp,
}

impl TransportKind {
    /// Whether the transport is reliable. On a reliable transport the retransmission
    /// timers (A, E, G) are not used and the wait timers D, I, J and K are zero (§17).
    pub const fn is_reliable(self) -> bool {
        !matches!(self, Self::Udp)
    }

    /// The name used in a Via header (`UDP`, `TCP`, `TLS`, `WS`, `WSS`, `SCTP`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Udp => "UDP",
            Self::Tcp => "TCP",
            Self::Tls => "TLS",
            Self::Ws => "WS",
            Self::Wss => "WSS",
            Self::Sctp => "SCTP",
        }
    }
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A message received from the network, already parsed, with where it came from.
#[derive(Debug, Clone)]
pub struct Received {
    /// The parsed message.
    pub message: Message,
    /// The transport it arrived on.
    pub transport: TransportKind,
    /// The remote address it came from.
    pub source: SocketAddr,
    /// The local address it arrived at.
    pub destination: SocketAddr,
}

/// A message for the transport to send.
///
/// Responses go to the source address of the request, over the transport it came on; the
/// transport layer (`sip-transport`) applies the rest of §18.2.2 (`received`, `rport`,
/// `maddr`) and connection reuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmit {
    /// Where to send it.
    pub destination: SocketAddr,
    /// Over which transport.
    pub transport: TransportKind,
    /// The serialized message.
    pub payload: Bytes,
}
