//! One STUN client transaction and its retransmission timer (RFC 8489 §6.2).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;

use crate::message::TransactionId;

/// A datagram or stream write to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmit {
    /// Where to send it.
    pub destination: SocketAddr,
    /// The STUN message.
    pub payload: Bytes,
}

/// The transport a transaction runs over, which decides its timers (§6.2.1, §6.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Transport {
    /// UDP (or DTLS over UDP): retransmit with RTO doubling, Rc sends, then wait Rm x RTO.
    #[default]
    Udp,
    /// TCP or TLS: one send, then wait the transaction timeout Ti.
    Reliable,
}

/// Retransmission parameters (§6.2.1, §6.2.2), with the RFC defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransactionConfig {
    /// Initial RTO (default 500 ms).
    pub rto: Duration,
    /// Rc: total number of requests sent over UDP (default 7).
    pub rc: u32,
    /// Rm: after the last request, wait Rm x RTO (default 16).
    pub rm: u32,
    /// Ti: transaction timeout over reliable transports (default 39.5 s).
    pub ti: Duration,
}

impl Default for TransactionConfig {
    fn default() -> Self {
        Self {
            rto: Duration::from_millis(500),
            rc: 7,
            rm: 16,
            ti: Duration::from_millis(39_500),
        }
    }
}

/// The state of a client transaction.
///
/// ```text
///            new()               handle_timeout: sent < Rc
///   ---------------------> Trying ----------------------+
///                            |  ^ (retransmit, RTO x 2) |
///                            |  +-----------------------+
///       sent == Rc (UDP) or  |
///       reliable             v
///                        Waiting --- deadline ---> TimedOut
///   any state --- response ---> Completed
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionState {
    /// Requests are being (re)transmitted; `sent` so far, the next one is due at `next`.
    Trying {
        /// Requests sent so far.
        sent: u32,
        /// When the next retransmission is due.
        next: Instant,
        /// The interval after that retransmission.
        rto: Duration,
    },
    /// The last request was sent; the transaction fails at `deadline`.
    Waiting {
        /// When the transaction times out.
        deadline: Instant,
    },
    /// A response ended the transaction.
    Completed,
    /// No response came in time.
    TimedOut,
}

/// One request/response exchange over UDP or a reliable transport (§6.2).
///
/// Over UDP the request goes out at 0, RTO, 3 RTO, 7 RTO … (RTO doubling), Rc times in all,
/// and the transaction fails Rm x RTO after the last one: with the defaults, sends at 0, 0.5,
/// 1.5, 3.5, 7.5, 15.5 and 31.5 s and a timeout at 39.5 s. Over a reliable transport the
/// request goes out once and the transaction fails after Ti (39.5 s).
#[derive(Debug, Clone)]
pub struct ClientTransaction {
    id: TransactionId,
    destination: SocketAddr,
    payload: Bytes,
    transport: Transport,
    config: TransactionConfig,
    state: TransactionState,
    due: bool,
    started: Instant,
    sends: u32,
}

impl ClientTransaction {
    /// Starts a transaction; the first request is ready in [`ClientTransaction::poll_transmit`].
    pub fn new(
        now: Instant,
        id: TransactionId,
        destination: SocketAddr,
        payload: Bytes,
        transport: Transport,
        config: TransactionConfig,
    ) -> Self {
        let state = match transport {
            Transport::Udp if config.rc > 1 => TransactionState::Trying {
                sent: 1,
                next: now + config.rto,
                rto: config.rto.saturating_mul(2),
            },
            Transport::Udp => TransactionState::Waiting {
                deadline: now + config.rto.saturating_mul(config.rm),
            },
            Transport::Reliable => TransactionState::Waiting {
                deadline: now + config.ti,
            },
        };
        Self {
            id,
            destination,
            payload,
            transport,
            config,
            state,
            due: true,
            started: now,
            sends: 0,
        }
    }

    /// The transaction ID.
    pub const fn id(&self) -> TransactionId {
        self.id
    }

    /// Where the request goes.
    pub const fn destination(&self) -> SocketAddr {
        self.destination
    }

    /// The transport.
    pub const fn transport(&self) -> Transport {
        self.transport
    }

    /// When the transaction started (the first request was due).
    pub const fn started(&self) -> Instant {
        self.started
    }

    /// How many times the request was handed out by [`ClientTransaction::poll_transmit`].
    pub const fn sends(&self) -> u32 {
        self.sends
    }

    /// The current state.
    pub const fn state(&self) -> TransactionState {
        self.state
    }

    /// Whether the transaction has ended (response or timeout).
    pub const fn is_terminated(&self) -> bool {
        matches!(
            self.state,
            TransactionState::Completed | TransactionState::TimedOut
        )
    }

    /// The request to send, if one is due.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        if !self.due || self.is_terminated() {
            return None;
        }
        self.due = false;
        self.sends += 1;
        Some(Transmit {
            destination: self.destination,
            payload: self.payload.clone(),
        })
    }

    /// The next deadline (retransmission or timeout); `None` once terminated.
    pub const fn poll_timeout(&self) -> Option<Instant> {
        match self.state {
            TransactionState::Trying { next, .. } => Some(next),
            TransactionState::Waiting { deadline } => Some(deadline),
            TransactionState::Completed | TransactionState::TimedOut => None,
        }
    }

    /// Fires the timers due at `now`. Calling it early does nothing.
    pub fn handle_timeout(&mut self, now: Instant) {
        match self.state {
            TransactionState::Trying { sent, next, rto } if now >= next => {
                // §6.2.1: retransmit, doubling the interval, until Rc requests have gone out.
                self.due = true;
                let sent = sent + 1;
                self.state = if sent >= self.config.rc {
                    TransactionState::Waiting {
                        deadline: next + self.config.rto.saturating_mul(self.config.rm),
                    }
                } else {
                    TransactionState::Trying {
                        sent,
                        next: next + rto,
                        rto: rto.saturating_mul(2),
                    }
                };
            }
            TransactionState::Waiting { deadline } if now >= deadline => {
                self.state = TransactionState::TimedOut;
            }
            _ => {}
        }
    }

    /// Ends the transaction because its response arrived.
    pub fn complete(&mut self) {
        self.state = TransactionState::Completed;
        self.due = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(transport: Transport) -> (Vec<Duration>, Duration) {
        let t0 = Instant::now();
        let mut t = ClientTransaction::new(
            t0,
            TransactionId([0; 12]),
            "192.0.2.1:3478".parse().unwrap(),
            Bytes::from_static(b"x"),
            transport,
            TransactionConfig::default(),
        );
        let mut sends = Vec::new();
        let mut now = t0;
        loop {
            while t.poll_transmit().is_some() {
                sends.push(now - t0);
            }
            let Some(deadline) = t.poll_timeout() else {
                break;
            };
            // Early calls do nothing.
            t.handle_timeout(deadline - Duration::from_millis(1));
            assert_eq!(t.poll_timeout(), Some(deadline));
            now = deadline;
            t.handle_timeout(now);
        }
        assert_eq!(t.state(), TransactionState::TimedOut);
        assert!(t.poll_transmit().is_none());
        (sends, now - t0)
    }

    #[test]
    fn udp_schedule_matches_rfc_example() {
        let (sends, end) = run(Transport::Udp);
        let ms: Vec<u128> = sends.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [0, 500, 1500, 3500, 7500, 15500, 31500]);
        assert_eq!(end.as_millis(), 39_500);
    }

    #[test]
    fn reliable_sends_once_and_times_out_at_ti() {
        let (sends, end) = run(Transport::Reliable);
        assert_eq!(sends, [Duration::ZERO]);
        assert_eq!(end.as_millis(), 39_500);
    }

    #[test]
    fn completion_stops_everything() {
        let t0 = Instant::now();
        let mut t = ClientTransaction::new(
            t0,
            TransactionId([0; 12]),
            "192.0.2.1:3478".parse().unwrap(),
            Bytes::new(),
            Transport::Udp,
            TransactionConfig {
                rc: 1,
                ..TransactionConfig::default()
            },
        );
        assert_eq!(t.poll_timeout(), Some(t0 + Duration::from_secs(8)));
        t.complete();
        assert!(t.is_terminated());
        assert!(t.poll_transmit().is_none());
        assert_eq!(t.poll_timeout(), None);
    }
}
