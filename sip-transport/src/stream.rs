//! Stream framing for TCP, TLS and WebSocket-less byte streams (RFC 3261 §18.3, RFC 5626
//! §3.5.1 and §4.4.1 CRLF keep-alives).

use bytes::{Bytes, BytesMut};
use sip_message::{Message, ParserConfig, StreamFramer, StreamItem};

/// Why a stream must be closed. Logged by the adapter; the connection is then dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloseReason {
    /// The peer sent bytes that are not a SIP message (framing is lost, §18.3).
    Malformed(String),
    /// A message grew past the size limit ([`sip_message::Limits::max_message_size`]).
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The peer closed the stream in the middle of a message.
    Truncated {
        /// Bytes of the unfinished message.
        pending: usize,
    },
}

impl core::fmt::Display for CloseReason {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Malformed(e) => write!(f, "malformed stream: {e}"),
            Self::TooLarge { limit } => write!(f, "message larger than {limit} bytes"),
            Self::Truncated { pending } => {
                write!(
                    f,
                    "peer closed with {pending} bytes of an unfinished message"
                )
            }
        }
    }
}

/// What a [`StreamReceiver`] gives back.
// Message is the common variant; boxing it would allocate once more per message.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamEvent {
    /// A complete message.
    Message(Message),
    /// The peer sent a double-CRLF ping (RFC 5626 §3.5.1): send [`PONG`] back.
    Ping,
    /// The peer answered our ping with a CRLF pong. A lone CRLF is reported once more
    /// bytes follow it (until then it may be the first half of a ping).
    Pong,
    /// The stream must be closed; nothing more will be decoded.
    Close(CloseReason),
}

/// The single CRLF that answers a ping (RFC 5626 §3.5.1).
pub const PONG: Bytes = Bytes::from_static(b"\r\n");
/// The double CRLF a client sends as a keep-alive ping (RFC 5626 §3.5.1).
pub const PING: Bytes = Bytes::from_static(b"\r\n\r\n");

/// The receiving half of one stream connection: bytes in, messages and keep-alives out.
///
/// Reads may split a message anywhere or hold several messages; the buffer never grows
/// past the message size limit plus one read, because the framer rejects an incomplete
/// message longer than the limit.
///
/// ```
/// use sip_transport::{StreamEvent, StreamReceiver};
/// let mut rx = StreamReceiver::default();
/// rx.handle_data(b"\r\n\r\nOPTIONS sip:a@b SIP/2.0\r\nContent-Len");
/// assert_eq!(rx.poll_event(), Some(StreamEvent::Ping));
/// assert_eq!(rx.poll_event(), None); // the message is not complete yet
/// rx.handle_data(b"gth: 0\r\n\r\n");
/// assert!(matches!(rx.poll_event(), Some(StreamEvent::Message(_))));
/// ```
#[derive(Debug, Default)]
pub struct StreamReceiver {
    framer: StreamFramer,
    buf: BytesMut,
    closed: bool,
}

impl StreamReceiver {
    /// A receiver parsing with `config` (its limits bound the buffer).
    pub fn new(config: ParserConfig) -> Self {
        Self {
            framer: StreamFramer::new(config),
            buf: BytesMut::new(),
            closed: false,
        }
    }

    /// Input: bytes read from the stream. Ignored once the stream is to be closed.
    pub fn handle_data(&mut self, data: &[u8]) {
        if !self.closed {
            self.buf.extend_from_slice(data);
        }
    }

    /// Input: the peer closed its side. Returns the reason to log when it stopped in the
    /// middle of a message (CRLF bytes alone do not count).
    pub fn handle_eof(&mut self) -> Option<CloseReason> {
        self.closed = true;
        let pending = self
            .buf
            .iter()
            .filter(|b| !matches!(b, b'\r' | b'\n'))
            .count();
        (pending > 0).then_some(CloseReason::Truncated {
            pending: self.buf.len(),
        })
    }

    /// Bytes buffered, not yet part of a whole message.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Whether the stream must be closed.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Output: the next message, keep-alive or close order; `None` when more bytes are
    /// needed.
    pub fn poll_event(&mut self) -> Option<StreamEvent> {
        if self.closed {
            return None;
        }
        // Fewer than four CR/LF bytes and nothing after them may be the first half of a
        // CRLFCRLF ping split across reads: wait for more before calling it a pong.
        if self.buf.len() < 4 && self.buf.iter().all(|b| matches!(b, b'\r' | b'\n')) {
            return None;
        }
        match self.framer.decode(&mut self.buf) {
            Ok(None) => None,
            Ok(Some(StreamItem::Message(m))) => Some(StreamEvent::Message(m)),
            // RFC 5626 §3.5.1: CRLFCRLF is a ping; a lone CRLF is a pong.
            Ok(Some(StreamItem::KeepAlive { len })) if len >= 4 => Some(StreamEvent::Ping),
            Ok(Some(StreamItem::KeepAlive { .. })) => Some(StreamEvent::Pong),
            Err(e) => {
                self.closed = true;
                self.buf.clear();
                let limit = self.framer.config().limits.max_message_size;
                Some(StreamEvent::Close(match e {
                    sip_message::Error::Limit {
                        limit: sip_message::Limit::MessageSize,
                        ..
                    } => CloseReason::TooLarge { limit },
                    other => CloseReason::Malformed(other.to_string()),
                }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sip_message::Limits;

    const MSG: &[u8] = b"OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nContent-Length: 3\r\n\r\nabc";

    fn drain(rx: &mut StreamReceiver) -> Vec<StreamEvent> {
        core::iter::from_fn(|| rx.poll_event()).collect()
    }

    #[test]
    fn message_split_at_every_byte() {
        for cut in 0..MSG.len() {
            let mut rx = StreamReceiver::default();
            let (a, b) = MSG.split_at(cut);
            rx.handle_data(a);
            assert!(drain(&mut rx).is_empty(), "cut {cut}");
            rx.handle_data(b);
            let events = drain(&mut rx);
            assert_eq!(events.len(), 1, "cut {cut}");
            let Some(StreamEvent::Message(m)) = events.first() else {
                panic!("cut {cut}: {events:?}")
            };
            assert_eq!(&m.body()[..], b"abc");
            assert_eq!(rx.buffered(), 0);
        }
    }

    #[test]
    fn several_messages_in_one_read() {
        let mut data = Vec::new();
        for _ in 0..5 {
            data.extend_from_slice(MSG);
        }
        data.extend_from_slice(&MSG[..10]);
        let mut rx = StreamReceiver::default();
        rx.handle_data(&data);
        let events = drain(&mut rx);
        assert_eq!(events.len(), 5);
        assert!(events.iter().all(|e| matches!(e, StreamEvent::Message(_))));
        assert_eq!(rx.buffered(), 10);
    }

    #[test]
    fn ping_and_pong() {
        let mut rx = StreamReceiver::default();
        rx.handle_data(b"\r\n\r\n");
        assert_eq!(drain(&mut rx), vec![StreamEvent::Ping]);
        rx.handle_data(b"\r\n");
        // A lone CRLF could be the start of a ping; it is a pong once a message follows.
        rx.handle_data(MSG);
        let events = drain(&mut rx);
        assert_eq!(events.first(), Some(&StreamEvent::Pong));
        assert!(matches!(events.get(1), Some(StreamEvent::Message(_))));
        assert_eq!(PONG.as_ref(), b"\r\n");
        assert_eq!(PING.as_ref(), b"\r\n\r\n");
    }

    #[test]
    fn ping_split_across_reads_is_one_ping() {
        for cut in 1..4 {
            let mut rx = StreamReceiver::default();
            rx.handle_data(&b"\r\n\r\n"[..cut]);
            assert_eq!(drain(&mut rx), vec![], "cut {cut}");
            rx.handle_data(&b"\r\n\r\n"[cut..]);
            assert_eq!(drain(&mut rx), vec![StreamEvent::Ping], "cut {cut}");
        }
    }

    #[test]
    fn too_large_closes_with_reason() {
        let mut limits = Limits::default();
        limits.max_message_size(64);
        let mut rx = StreamReceiver::new(ParserConfig::with_limits(limits));
        rx.handle_data(MSG);
        rx.handle_data(MSG);
        assert_eq!(
            drain(&mut rx),
            vec![StreamEvent::Close(CloseReason::TooLarge { limit: 64 })]
        );
        assert!(rx.is_closed());
        rx.handle_data(MSG);
        assert_eq!(rx.buffered(), 0);
        assert_eq!(rx.poll_event(), None);
    }

    #[test]
    fn endless_header_is_bounded() {
        let mut limits = Limits::default();
        limits.max_message_size(1000);
        let mut rx = StreamReceiver::new(ParserConfig::with_limits(limits));
        rx.handle_data(b"OPTIONS sip:a@b SIP/2.0\r\nX: ");
        let mut closed = false;
        for _ in 0..100 {
            rx.handle_data(&[b'a'; 100]);
            if let Some(StreamEvent::Close(reason)) = rx.poll_event() {
                assert!(matches!(
                    reason,
                    CloseReason::TooLarge { .. } | CloseReason::Malformed(_)
                ));
                closed = true;
                break;
            }
            assert!(rx.buffered() <= 1200);
        }
        assert!(closed);
    }

    #[test]
    fn garbage_closes() {
        let mut rx = StreamReceiver::default();
        rx.handle_data(b"\x00\x01 nonsense\r\n\r\n");
        assert!(matches!(
            rx.poll_event(),
            Some(StreamEvent::Close(CloseReason::Malformed(_)))
        ));
    }

    #[test]
    fn eof_mid_message_is_reported() {
        let mut rx = StreamReceiver::default();
        rx.handle_data(&MSG[..20]);
        assert_eq!(rx.poll_event(), None);
        assert_eq!(
            rx.handle_eof(),
            Some(CloseReason::Truncated { pending: 20 })
        );
        let mut rx = StreamReceiver::default();
        rx.handle_data(b"\r\n");
        assert_eq!(rx.handle_eof(), None);
    }
}
