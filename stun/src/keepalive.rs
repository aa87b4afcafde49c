//! STUN keep-alives on SIP flows (RFC 5626 §4.4.2 and §8).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

use crate::client::{Client, ClientConfig, Event, Failure, RequestId};
use crate::transaction::{Transmit, Transport};
use crate::Error;

/// Why a flow is considered failed (RFC 5626 §4.4.2).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FlowFailure {
    /// The Binding request failed: timeout after 7 sends, or an error response.
    Request(Failure),
    /// XOR-MAPPED-ADDRESS changed: the NAT binding was lost.
    MappingChanged {
        /// The address learned before.
        old: SocketAddr,
        /// The address now reported.
        new: SocketAddr,
    },
}

/// What the keep-alive reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeepAliveEvent {
    /// A keep-alive succeeded; `mapped` is the flow's public address.
    Alive {
        /// XOR-MAPPED-ADDRESS.
        mapped: SocketAddr,
    },
    /// The flow failed; the keep-alive stops. The UA recovers the flow (RFC 5626 §4.5).
    Failed(FlowFailure),
}

/// Keeps a SIP-over-UDP flow alive with STUN Binding requests (RFC 5626 §4.4.2).
///
/// A request goes out at a random time between 24 and 29 seconds after the previous answer
/// (or, when the registrar sent `Flow-Timer: N`, between 80 % and 100 % of N seconds). An
/// error response, a timeout (7 sends, 16 RTO after the last) or a change of the mapped
/// address ends the flow with [`KeepAliveEvent::Failed`].
///
/// The first request is sent at once, to learn the mapping. Same drive loop as [`Client`].
#[derive(Debug)]
pub struct FlowKeepAlive {
    client: Client,
    rng: ChaCha20Rng,
    server: SocketAddr,
    bounds: (Duration, Duration),
    next: Option<Instant>,
    pending: Option<RequestId>,
    mapped: Option<SocketAddr>,
    failed: bool,
    events: std::collections::VecDeque<KeepAliveEvent>,
}

impl FlowKeepAlive {
    /// Starts keeping the flow to `server` (the next SIP hop) alive.
    ///
    /// # Errors
    /// As [`Client::new`].
    pub fn new(now: Instant, server: SocketAddr, config: ClientConfig) -> Result<Self, Error> {
        let seed = config.rng_seed.map(|mut s| {
            s[0] ^= 0x5a;
            s
        });
        let rng = match seed {
            Some(seed) => ChaCha20Rng::from_seed(seed),
            None => ChaCha20Rng::from_entropy(),
        };
        Ok(Self {
            client: Client::new(config)?,
            rng,
            server,
            bounds: (Duration::from_secs(24), Duration::from_secs(29)),
            next: Some(now),
            pending: None,
            mapped: None,
            failed: false,
            events: std::collections::VecDeque::new(),
        })
    }

    /// Uses the registrar's Flow-Timer (seconds): the interval becomes random in
    /// [0.8 N, N] (RFC 5626 §4.4).
    pub fn set_flow_timer(&mut self, seconds: u32) -> &mut Self {
        let upper = Duration::from_secs(u64::from(seconds));
        self.bounds = (upper.mul_f64(0.8), upper);
        self
    }

    /// The public address learned so far.
    pub const fn mapped(&self) -> Option<SocketAddr> {
        self.mapped
    }

    /// Whether the flow has failed (nothing more is sent).
    pub const fn is_failed(&self) -> bool {
        self.failed
    }

    /// Feeds a datagram received on the flow; `false` when it is not a STUN response for us.
    pub fn handle_input(&mut self, now: Instant, source: SocketAddr, datagram: &[u8]) -> bool {
        let consumed = self.client.handle_input(now, source, datagram);
        self.drain(now);
        consumed
    }

    /// Fires the timers due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.failed {
            return;
        }
        if self.next.is_some_and(|t| now >= t) && self.pending.is_none() {
            self.next = None;
            match self.client.binding(now, self.server, Transport::Udp) {
                Ok(id) => self.pending = Some(id),
                Err(_) => self.fail(FlowFailure::Request(Failure::Authentication(
                    "cannot encode request",
                ))),
            }
        }
        self.client.handle_timeout(now);
        self.drain(now);
    }

    /// The next datagram to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.client.poll_transmit()
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<KeepAliveEvent> {
        self.events.pop_front()
    }

    /// The earliest deadline.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.failed {
            return None;
        }
        match (self.next, self.client.poll_timeout()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn drain(&mut self, now: Instant) {
        while let Some(event) = self.client.poll_event() {
            match event {
                Event::Success { mapped, .. } => {
                    self.pending = None;
                    if let Some(old) = self.mapped.filter(|&old| old != mapped) {
                        self.fail(FlowFailure::MappingChanged { old, new: mapped });
                        continue;
                    }
                    self.mapped = Some(mapped);
                    let (low, high) = self.bounds;
                    let wait = if high > low {
                        self.rng.gen_range(low..=high)
                    } else {
                        high
                    };
                    self.next = Some(now + wait);
                    self.events.push_back(KeepAliveEvent::Alive { mapped });
                }
                Event::Failure { reason, .. } => {
                    self.pending = None;
                    self.fail(FlowFailure::Request(reason));
                }
            }
        }
    }

    fn fail(&mut self, failure: FlowFailure) {
        if !self.failed {
            self.failed = true;
            self.next = None;
            self.events.push_back(KeepAliveEvent::Failed(failure));
        }
    }
}
