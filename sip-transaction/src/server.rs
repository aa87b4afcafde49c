//! Server transactions: the INVITE server (RFC 3261 Figure 7 as RFC 6026 §8.6 redraws
//! it) and the non-INVITE server (Figure 8).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use sip_message::{ByteStr, Message, Method, ParserConfig, Quirks, Request, Response, StatusCode};

use crate::client::Context;
use crate::index::Digested;
use crate::key::{MergeKey, ServerMatchKey};
use crate::timer::TimerTable;
use crate::{Error, Event, Result, ServerTransactionKey, Timer, Transmit, TransportKind};

/// States of the INVITE server transaction (RFC 3261 §17.2.1, RFC 6026 §8.6).
///
/// ```text
///                                    |INVITE
///                                    |pass INV to TU
///                 INVITE             V send 100 if TU won't in 200 ms
///                 send response+------------+
///                     +--------|            |--------+ 101-199 from TU
///                     |        |            |        | send response
///                     +------->|            |<-------+
///                              | Proceeding |
///                              |            |--------+ Transport Err.
///                              |            |        | Inform TU
///                              |            |<-------+
///                              +------------+
///                 300-699 from TU |    |2xx from TU
///                 send response   |    |send response
///                  +--------------+    +------------+
///                  |                                |
/// INVITE           V          Timer G fires         |
/// send response +-----------+ send response         |
///      +--------|           |--------+              |
///      |        |           |        |              |
///      +------->| Completed |<-------+      INVITE  |  Transport Err.
///               |           |               -       |  Inform TU
///      +--------|           |----+          +-----+ |  +---+
///      |        +-----------+    | ACK      |     | v  |   v
///      |          ^   |          | -        |  +------------+
///      |          |   |          |          |  |            |---+ ACK
///      +----------+   |          |          +->|  Accepted  |   | to TU
///      Transport Err. |          |             |            |<--+
///      Inform TU      |          V             +------------+
///                     |      +-----------+        |  ^     |
///                     |      |           |        |  |     |
///                     |      | Confirmed |        |  +-----+
///                     |      |           |        |  2xx from TU
///       Timer H fires |      +-----------+        |  send response
///       -             |          |                |
///                     |          | Timer I fires  |
///                     |          | -              | Timer L fires
///                     |          V                | -
///                     |        +------------+     |
///                     |        |            |<----+
///                     +------->| Terminated |
///                              |            |
///                              +------------+
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InviteServerState {
    /// The INVITE was passed to the TU; provisional responses are sent and resent.
    Proceeding,
    /// A 2xx was sent; INVITE retransmissions are absorbed, ACKs go to the TU, the TU's
    /// 2xx retransmissions are sent, until Timer L (RFC 6026).
    Accepted,
    /// A 300-699 was sent; Timer G resends it (UDP) until the ACK or Timer H.
    Completed,
    /// The ACK arrived; further ACKs are absorbed until Timer I.
    Confirmed,
    /// Done; the transaction is destroyed.
    Terminated,
}

/// States of the non-INVITE server transaction (RFC 3261 §17.2.2, Figure 8).
///
/// ```text
///                               |Request received
///                               |pass to TU
///                               V
///                         +-----------+
///                         |           |
///                         | Trying    |-------------+
///                         |           |             |
///                         +-----------+             |200-699 from TU
///                               |                   |send response
///                               |1xx from TU        |
///                               |send response      |
///                               |                   |
///            Request            V      1xx from TU  |
///            send response+-----------+send response|
///                +--------|           |--------+    |
///                |        | Proceeding|        |    |
///                +------->|           |<-------+    |
///         +<--------------|           |             |
///         |Trnsprt Err    +-----------+             |
///         |Inform TU            |                   |
///         |                     |                   |
///         |                     |200-699 from TU    |
///         |                     |send response      |
///         |  Request            V                   |
///         |  send response+-----------+             |
///         |      +--------|           |             |
///         |      |        | Completed |<------------+
///         |      +------->|           |
///         +<--------------|           |
///         |Trnsprt Err    +-----------+
///         |Inform TU            |
///         |                     |Timer J fires
///         |                     |-
///         |                     |
///         |                     V
///         |               +-----------+
///         |               |           |
///         +-------------->| Terminated|
///                         |           |
///                         +-----------+
/// ```
///
/// RFC 6026 §8.8 replaced the §17.2.4 text behind the "Trnsprt Err" arrows: a server
/// transaction informs the TU and stays in its state (its timers end it), so that
/// retransmissions are still absorbed. This crate follows RFC 6026 for both server
/// machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NonInviteServerState {
    /// The request was passed to the TU; retransmissions are absorbed.
    Trying,
    /// A provisional response was sent; retransmissions get it again.
    Proceeding,
    /// A final response was sent; retransmissions get it again until Timer J.
    Completed,
    /// Done; the transaction is destroyed.
    Terminated,
}

/// The state of a server transaction of either kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServerState {
    /// An INVITE server transaction.
    Invite(InviteServerState),
    /// A non-INVITE server transaction.
    NonInvite(NonInviteServerState),
}

/// To tags for the RFC 2543 fallback matching (§17.2.3), kept only for such peers.
#[derive(Debug, Default)]
pub(crate) struct LegacyTags {
    /// The To tag of the request that created the transaction.
    pub(crate) request: Option<ByteStr>,
    /// The To tag of the final response sent (an ACK must carry it).
    pub(crate) response: Option<ByteStr>,
}

/// The INVITE server machine with the data each state holds.
#[derive(Debug)]
enum InviteServer {
    /// The INVITE's start line and headers (shared with the received buffer), kept until
    /// the TU answers, to build 100 Trying; the last provisional response sent.
    Proceeding {
        request: Option<Bytes>,
        provisional: Option<Bytes>,
    },
    Accepted,
    /// The final response, resent by Timer G; Timer G's current interval.
    Completed {
        response: Bytes,
        interval: Duration,
    },
    Confirmed,
    Terminated,
}

/// The non-INVITE server machine with the data each state holds.
#[derive(Debug)]
enum NonInviteServer {
    Trying,
    /// The last provisional response sent.
    Proceeding {
        provisional: Bytes,
    },
    /// The final response sent (a copy of its bytes).
    Completed {
        response: Box<[u8]>,
    },
    Terminated,
}

#[derive(Debug)]
enum Machine {
    Invite(InviteServer),
    NonInvite(NonInviteServer),
}

/// A server transaction.
///
/// Memory: the struct (see `size_of`, stated in BENCHMARKS.md) plus the request head
/// (INVITE, until the TU answers) and the last response sent.
///
/// Laid out in this order (`repr(C)`) so that ending a transaction, which reads its timers,
/// state, owned fields and the digests of its keys, touches as few cache lines as it can.
#[derive(Debug)]
#[repr(C)]
pub(crate) struct ServerTransaction {
    pub(crate) timers: TimerTable,
    machine: Machine,
    pub(crate) legacy: Option<Box<LegacyTags>>,
    /// The CSeq method of the request; responses must carry it.
    cseq_method: Method,
    /// Where the layer's [`ServerIndex`](crate::index::ServerIndex) keeps it.
    pub(crate) home: u32,
    pub(crate) match_key: Digested<ServerMatchKey>,
    /// The §8.2.2.2 key, for a request without a To tag.
    pub(crate) merge_key: Option<MergeKey>,
    pub(crate) source: SocketAddr,
    pub(crate) transport: TransportKind,
}

impl ServerTransaction {
    /// Creates the transaction for a new request (Proceeding for INVITE, Trying otherwise).
    pub(crate) fn new(
        now: Instant,
        match_key: Digested<ServerMatchKey>,
        info: &crate::key::RequestInfo<'_>,
        request: &Message,
        source: SocketAddr,
        transport: TransportKind,
        ctx: &Context<'_>,
    ) -> Self {
        let mut timers = TimerTable::default();
        let machine = if info.method == Method::Invite {
            // §17.2.1: 100 Trying unless the TU answers within 200 ms.
            timers.set(Timer::Trying, now + ctx.config.trying_delay);
            Machine::Invite(InviteServer::Proceeding {
                request: Some(request.head().clone()),
                provisional: None,
            })
        } else {
            Machine::NonInvite(NonInviteServer::Trying)
        };
        let legacy = matches!(match_key.key, ServerMatchKey::Rfc2543(_)).then(|| {
            Box::new(LegacyTags {
                request: request.to_tag().map(|t| crate::key::share(request, t)),
                response: None,
            })
        });
        Self {
            match_key,
            merge_key: None,
            home: 0,
            machine,
            cseq_method: info.cseq.method.clone(),
            source,
            transport,
            timers,
            legacy,
        }
    }

    /// The state as the RFC figure names it.
    pub(crate) fn state(&self) -> ServerState {
        use InviteServerState as I;
        use NonInviteServerState as N;
        match &self.machine {
            Machine::Invite(m) => ServerState::Invite(match m {
                InviteServer::Proceeding { .. } => I::Proceeding,
                InviteServer::Accepted => I::Accepted,
                InviteServer::Completed { .. } => I::Completed,
                InviteServer::Confirmed => I::Confirmed,
                InviteServer::Terminated => I::Terminated,
            }),
            Machine::NonInvite(m) => ServerState::NonInvite(match m {
                NonInviteServer::Trying => N::Trying,
                NonInviteServer::Proceeding { .. } => N::Proceeding,
                NonInviteServer::Completed { .. } => N::Completed,
                NonInviteServer::Terminated => N::Terminated,
            }),
        }
    }

    /// For the RFC 2543 fallback: whether `request` (a retransmission or an ACK) matches
    /// the To tag this transaction expects (§17.2.3).
    pub(crate) fn legacy_to_tag_matches(&self, request: &Message, is_ack: bool) -> bool {
        let Some(tags) = &self.legacy else {
            return true;
        };
        let expected = if is_ack {
            &tags.response
        } else {
            &tags.request
        };
        expected.as_deref() == request.to_tag()
    }

    /// A retransmission of the request that created the transaction.
    pub(crate) fn on_retransmission(&mut self, ctx: &mut Context<'_>) {
        // Figures 7 and 8: the last provisional in Proceeding, the final in Completed;
        // absorbed in Trying, Accepted (RFC 6026) and Confirmed.
        let resend = match &self.machine {
            Machine::Invite(InviteServer::Proceeding { provisional, .. }) => provisional.clone(),
            Machine::Invite(InviteServer::Completed { response, .. }) => Some(response.clone()),
            Machine::NonInvite(NonInviteServer::Completed { response }) => {
                Some(Bytes::copy_from_slice(response))
            }
            Machine::NonInvite(NonInviteServer::Proceeding { provisional }) => {
                Some(provisional.clone())
            }
            _ => None,
        };
        match resend {
            Some(r) => self.send(r, ctx),
            None => tracing::trace!(state = ?self.state(), "request retransmission absorbed"),
        }
    }

    /// An ACK matched this (INVITE) transaction. Returns whether it goes to the TU
    /// (Accepted, RFC 6026 §8.7).
    pub(crate) fn on_ack(&mut self, now: Instant, ctx: &mut Context<'_>) -> bool {
        match &mut self.machine {
            Machine::Invite(m @ InviteServer::Completed { .. }) => {
                // §17.2.1: Confirmed, Timer I = T4 (0 reliable); G and H stop.
                *m = InviteServer::Confirmed;
                self.timers.clear_all();
                let i = if self.transport.is_reliable() {
                    Duration::ZERO
                } else {
                    ctx.config.t4
                };
                self.timers.set(Timer::I, now + i);
                false
            }
            Machine::Invite(InviteServer::Accepted) => true,
            _ => {
                tracing::trace!(state = ?self.state(), "ACK absorbed");
                false
            }
        }
    }

    /// The TU passes a response.
    pub(crate) fn on_tu_response(
        &mut self,
        now: Instant,
        response: &Response,
        ctx: &mut Context<'_>,
    ) -> Result<()> {
        let status = response.status();
        let cseq = crate::key::cseq_of(response).ok_or(Error::InvalidResponse {
            reason: "no valid CSeq",
        })?;
        if cseq.method != self.cseq_method {
            return Err(Error::InvalidResponse {
                reason: "CSeq method differs from the request's",
            });
        }
        let config = ctx.config;
        let reliable = self.transport.is_reliable();
        let payload = response.to_bytes();
        let mut record_tag = false;
        match (&mut self.machine, status.class()) {
            (
                Machine::Invite(InviteServer::Proceeding {
                    request,
                    provisional,
                }),
                1,
            ) => {
                self.timers.clear(Timer::Trying);
                *request = None;
                *provisional = Some(payload.clone());
            }
            (Machine::Invite(m @ InviteServer::Proceeding { .. }), 2) => {
                // RFC 6026 §8.5/§8.7: Accepted, Timer L = 64*T1 on every transport.
                *m = InviteServer::Accepted;
                self.timers.clear_all();
                self.timers.set(Timer::L, now + config.timer_b());
                record_tag = true;
            }
            (Machine::Invite(InviteServer::Accepted), 2) => {
                // RFC 6026 §8.7: the TU's 2xx retransmissions are sent.
            }
            (Machine::Invite(m @ InviteServer::Proceeding { .. }), 3..) => {
                // §17.2.1: Completed; Timer G (unreliable) at T1, Timer H at 64*T1.
                *m = InviteServer::Completed {
                    response: payload.clone(),
                    interval: config.t1,
                };
                self.timers.clear_all();
                if !reliable {
                    self.timers.set(Timer::G, now + config.t1);
                }
                self.timers.set(Timer::H, now + config.timer_b());
                record_tag = true;
            }
            (
                Machine::NonInvite(
                    m @ (NonInviteServer::Trying | NonInviteServer::Proceeding { .. }),
                ),
                1,
            ) => {
                *m = NonInviteServer::Proceeding {
                    provisional: payload.clone(),
                };
            }
            (
                Machine::NonInvite(
                    m @ (NonInviteServer::Trying | NonInviteServer::Proceeding { .. }),
                ),
                2..,
            ) => {
                // §17.2.2: Completed, Timer J = 64*T1 (0 reliable).
                // Kept for Timer J (32 s over UDP) as an exact copy, so that the buffer
                // sent is freed once it is sent. A reliable transport ends the transaction
                // now (J is zero) and never retransmits: nothing is kept.
                *m = NonInviteServer::Completed {
                    response: if reliable {
                        Box::default()
                    } else {
                        Box::from(&payload[..])
                    },
                };
                let j = if reliable {
                    Duration::ZERO
                } else {
                    config.timer_b()
                };
                self.timers.set(Timer::J, now + j);
            }
            _ => {
                return Err(Error::InvalidState {
                    state: self.state().name(),
                    action: "send this response",
                })
            }
        }
        if record_tag {
            self.record_response_tag(response);
        }
        self.send(payload, ctx);
        Ok(())
    }

    /// Timer `timer`, due at `at`, fired.
    pub(crate) fn on_timer(
        &mut self,
        timer: Timer,
        at: Instant,
        key: ServerTransactionKey,
        ctx: &mut Context<'_>,
    ) {
        match (&mut self.machine, timer) {
            (
                Machine::Invite(InviteServer::Proceeding {
                    request,
                    provisional,
                }),
                Timer::Trying,
            ) => {
                // §17.2.1: the TU has not answered within 200 ms: 100 Trying.
                if provisional.is_none() {
                    if let Some(trying) = request.take().as_ref().and_then(build_trying) {
                        *provisional = Some(trying.clone());
                        self.send(trying, ctx);
                    }
                }
            }
            (Machine::Invite(InviteServer::Completed { response, interval }), Timer::G) => {
                // §17.2.1: resend, G doubles up to T2.
                *interval = interval.saturating_mul(2).min(ctx.config.t2);
                self.timers.set(Timer::G, at + *interval);
                let response = response.clone();
                self.send(response, ctx);
            }
            (Machine::Invite(m @ InviteServer::Completed { .. }), Timer::H) => {
                // §17.2.1: no ACK: Terminated, and the TU learns of the failure.
                ctx.events.push_back(Event::Timeout {
                    key: key.into(),
                    timer,
                });
                *m = InviteServer::Terminated;
            }
            (Machine::Invite(m @ InviteServer::Confirmed), Timer::I)
            | (Machine::Invite(m @ InviteServer::Accepted), Timer::L) => {
                *m = InviteServer::Terminated;
            }
            (Machine::NonInvite(m @ NonInviteServer::Completed { .. }), Timer::J) => {
                *m = NonInviteServer::Terminated;
            }
            (_, timer) => tracing::trace!(state = ?self.state(), ?timer, "stale timer ignored"),
        }
    }

    /// §17.2.4 as RFC 6026 §8.8 changed it: inform the TU, stay in the current state.
    pub(crate) fn on_transport_error(&mut self, key: ServerTransactionKey, ctx: &mut Context<'_>) {
        ctx.events
            .push_back(Event::TransportError { key: key.into() });
    }

    pub(crate) fn is_terminated(&self) -> bool {
        matches!(
            self.machine,
            Machine::Invite(InviteServer::Terminated)
                | Machine::NonInvite(NonInviteServer::Terminated)
        )
    }

    /// Whether the TU still owes this transaction a final response.
    pub(crate) fn awaits_tu(&self) -> bool {
        matches!(
            self.machine,
            Machine::Invite(InviteServer::Proceeding { .. })
                | Machine::NonInvite(NonInviteServer::Trying | NonInviteServer::Proceeding { .. })
        )
    }

    fn record_response_tag(&mut self, response: &Response) {
        if let Some(tags) = &mut self.legacy {
            tags.response = response.to_tag().map(|t| crate::key::share(response, t));
        }
    }

    fn send(&self, payload: Bytes, ctx: &mut Context<'_>) {
        ctx.transmits.push_back(Transmit {
            destination: self.source,
            transport: self.transport,
            payload,
        });
    }
}

/// 100 Trying for the INVITE whose head (start line and headers) is `head`.
fn build_trying(head: &Bytes) -> Option<Bytes> {
    // Only the head was kept: parse it as a message whose body was cut off.
    let mut parser = ParserConfig::default();
    let mut quirks = Quirks::default();
    quirks.body_shorter_than_content_length = true;
    parser.quirks(quirks);
    let request = Request::try_from(parser.parse_datagram(head.clone()).ok()?).ok()?;
    let trying = request
        .response(StatusCode::TRYING, None)
        .ok()?
        .build()
        .ok()?;
    Some(trying.to_bytes())
}

impl ServerState {
    /// The state's name as the RFC writes it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Invite(InviteServerState::Proceeding)
            | Self::NonInvite(NonInviteServerState::Proceeding) => "Proceeding",
            Self::Invite(InviteServerState::Accepted) => "Accepted",
            Self::Invite(InviteServerState::Completed)
            | Self::NonInvite(NonInviteServerState::Completed) => "Completed",
            Self::Invite(InviteServerState::Confirmed) => "Confirmed",
            Self::Invite(InviteServerState::Terminated)
            | Self::NonInvite(NonInviteServerState::Terminated) => "Terminated",
            Self::NonInvite(NonInviteServerState::Trying) => "Trying",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    #[test]
    fn trying_is_built_from_the_head_alone() {
        let msg = Message::parse(Bytes::from_static(
            b"INVITE sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n\
              From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n\
              Timestamp: 54\r\nContent-Length: 4\r\n\r\nv=0\n",
        ))
        .unwrap();
        let config = crate::Config::default();
        let (mut transmits, mut events) = (VecDeque::new(), crate::event::EventQueue::default());
        let ctx = Context {
            config: &config,
            transmits: &mut transmits,
            events: &mut events,
        };
        let info = crate::key::RequestInfo::parse(&msg).unwrap();
        let key = Digested::without_digest(info.server_key(&msg, &Method::Invite).unwrap());
        let source = "192.0.2.1:5060".parse().unwrap();
        let now = Instant::now();
        let tx = ServerTransaction::new(now, key, &info, &msg, source, TransportKind::Udp, &ctx);
        let trying = Message::parse(build_trying(msg.head()).unwrap()).unwrap();
        assert_eq!(trying.status(), Some(StatusCode::TRYING));
        assert_eq!(trying.to_tag(), None);
        assert_eq!(
            trying.get(&sip_message::HeaderName::Timestamp),
            Some(&b"54"[..])
        );
        assert!(trying.body().is_empty());
        assert_eq!(tx.timers.earliest(), Some(now + config.trying_delay));
    }
}
