//! Client transactions: the INVITE client (RFC 3261 Figure 5 as RFC 6026 §8.4 redraws it)
//! and the non-INVITE client (Figure 6).

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use sip_message::{HeaderName, Message, Method, StatusCode};

use crate::event::EventQueue;
use crate::index::Digested;
use crate::key::ClientMatchKey;
use crate::timer::TimerTable;
use crate::{ClientTransactionKey, Config, Event, Result, Timer, Transmit, TransportKind};

/// States of the INVITE client transaction (RFC 3261 §17.1.1, RFC 6026 §8.4).
///
/// ```text
///                                |INVITE from TU
///              Timer A fires     |INVITE sent      Timer B fires
///              Reset A,          V                 or Transport Err.
///              INVITE sent +-----------+           inform TU
///                +---------|           |--------------------------+
///                |         |  Calling  |                          |
///                +-------->|           |-----------+              |
/// 300-699                  +-----------+ 2xx       |              |
/// ACK sent                    |  |       2xx to TU |              |
/// resp. to TU                 |  |1xx              |              |
/// +---------------------------+  |1xx to TU        |              |
/// |                              |                 |              |
/// |              1xx             V                 |              |
/// |              1xx to TU +-----------+           |              |
/// |              +---------|           |           |              |
/// |              |         |Proceeding |           |              |
/// |              +-------->|           |           |              |
/// |                        +-----------+ 2xx       |              |
/// |       300-699             |    |     2xx to TU |              |
/// |       ACK sent,  +--------+    +---------------+              |
/// |       resp. to TU|                             |              |
/// |                  V                             V              |
/// |            +-----------+                   +----------+       |
/// +----------->|           |Transport Err.     |          |       |
///              | Completed |Inform TU          | Accepted |       |
///           +--|           |-------+           |          |-+     |
///   300-699 |  +-----------+       |           +----------+ |     |
///   ACK sent|    ^  |              |               |  ^     |     |
///           +----+  |              |               |  +-----+     |
///                   |Timer D fires |  Timer M fires|    2xx       |
///                   |-             |             - |    2xx to TU |
///                   +--------+     |   +-----------+              |
///                            V     V   V                          |
///                           +------------+                        |
///                           | Terminated |<-----------------------+
///                           +------------+
/// ```
///
/// Besides the figure: Timer C (§16.6, §16.8) and a CANCEL (§9.1) in Proceeding, see
/// [`Config::timer_c`] and [`TransactionLayer::cancel`](crate::TransactionLayer::cancel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InviteClientState {
    /// INVITE sent, no response yet; Timer A retransmits (UDP), Timer B gives up.
    Calling,
    /// A provisional response arrived.
    Proceeding,
    /// A 2xx arrived; further 2xx go to the TU until Timer M (RFC 6026).
    Accepted,
    /// A 300-699 arrived and was ACKed; retransmissions are ACKed until Timer D.
    Completed,
    /// Done; the transaction is destroyed.
    Terminated,
}

/// States of the non-INVITE client transaction (RFC 3261 §17.1.2, Figure 6).
///
/// ```text
///                                |Request from TU
///                                |send request
///            Timer E             V
///            send request  +-----------+
///                +---------|           |-------------------+
///                |         |  Trying   |  Timer F          |
///                +-------->|           |  or Transport Err.|
///                          +-----------+  inform TU        |
///             200-699         |  |                         |
///             resp. to TU     |  |1xx                      |
///             +---------------+  |resp. to TU              |
///             |                  |                         |
///             |   Timer E        V       Timer F           |
///             |   send req +-----------+ or Transport Err. |
///             |  +---------|           | inform TU         |
///             |  |         |Proceeding |------------------>|
///             |  +-------->|           |-----+             |
///             |            +-----------+     |1xx          |
///             |              |      ^        |resp to TU   |
///             | 200-699      |      +--------+             |
///             | resp. to TU  |                             |
///             |              V                             |
///             |            +-----------+                   |
///             |            |           |                   |
///             |            | Completed |                   |
///             |            |           |                   |
///             |            +-----------+                   |
///             |              ^   |                         |
///             |              |   | Timer K                 |
///             +--------------+   | -                       |
///                                |                         |
///                                V                         |
///                          +-----------+                   |
///                          |           |                   |
///                          | Terminated|<------------------+
///                          |           |
///                          +-----------+
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NonInviteClientState {
    /// Request sent, no response yet; Timer E retransmits (UDP), Timer F gives up.
    Trying,
    /// A provisional response arrived; Timer E retransmits at T2.
    Proceeding,
    /// A final response arrived; retransmissions are absorbed until Timer K.
    Completed,
    /// Done; the transaction is destroyed.
    Terminated,
}

/// The state of a client transaction of either kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientState {
    /// An INVITE client transaction.
    Invite(InviteClientState),
    /// A non-INVITE client transaction.
    NonInvite(NonInviteClientState),
}

/// Outputs and configuration a transaction works with.
pub(crate) struct Context<'a> {
    pub(crate) config: &'a Config,
    pub(crate) transmits: &'a mut VecDeque<Transmit>,
    pub(crate) events: &'a mut EventQueue,
}

/// What the layer must do after a client transaction handled an input.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Step {
    /// The transaction reached Terminated: destroy it.
    pub(crate) terminated: bool,
    /// Send the CANCEL the TU (or Timer C) asked for now (§9.1).
    pub(crate) send_cancel: bool,
    /// The response just handled goes to the TU as this event.
    pub(crate) report: Option<Report>,
}

/// How a response is reported to the TU ([`Event::ProvisionalResponse`] or
/// [`Event::FinalResponse`]). The layer makes the event: the response is moved into it
/// once, not passed through the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Report {
    Provisional,
    Final,
}

/// The INVITE client machine with the data each state holds.
#[derive(Debug)]
enum InviteClient {
    /// Timer A's current interval; whether the TU asked to cancel (§9.1: the CANCEL waits
    /// for a provisional response); the INVITE, parsed, to derive its ACK (§17.1.1.3) and
    /// CANCEL (§9.1) from without parsing it again.
    Calling {
        interval: Duration,
        cancel_requested: bool,
        invite: Box<Message>,
    },
    /// Whether the CANCEL has been sent; the INVITE, as in Calling.
    Proceeding {
        cancel_sent: bool,
        invite: Box<Message>,
    },
    Accepted,
    /// The ACK built for the final response, resent on its retransmissions.
    Completed {
        ack: Bytes,
    },
    Terminated,
}

/// The non-INVITE client machine with the data each state holds.
#[derive(Debug)]
enum NonInviteClient {
    /// Timer E's current interval.
    Trying {
        interval: Duration,
    },
    /// Timer E runs at T2.
    Proceeding,
    Completed,
    Terminated,
}

#[derive(Debug)]
enum Machine {
    Invite(InviteClient),
    NonInvite(NonInviteClient),
}

/// What [`ClientTransaction::request_cancel`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CancelDecision {
    /// Send the CANCEL now (Proceeding).
    SendNow,
    /// Recorded; sent when a provisional response arrives (Calling), or already sent.
    Nothing,
    /// Too late or not an INVITE: the state's name.
    Refused(&'static str),
}

/// A client transaction.
///
/// Memory: the struct (see `size_of`, stated in BENCHMARKS.md) plus, until a final
/// response, the request bytes it retransmits (and for an INVITE its parsed form, a
/// 608-byte message); in an INVITE's Completed state, the ACK it built.
///
/// Laid out in this order (`repr(C)`) so that ending a transaction touches as few cache
/// lines as it can (see [`ServerTransaction`](crate::server::ServerTransaction)).
#[derive(Debug)]
#[repr(C)]
pub(crate) struct ClientTransaction {
    pub(crate) timers: TimerTable,
    machine: Machine,
    /// The request as sent, for retransmissions; freed at Completed or Accepted.
    pub(crate) request: Bytes,
    pub(crate) match_key: Digested<ClientMatchKey>,
    pub(crate) destination: SocketAddr,
    pub(crate) transport: TransportKind,
}

impl ClientTransaction {
    /// Starts a transaction: sends the request and arms the timers of Calling or Trying.
    pub(crate) fn start(
        now: Instant,
        match_key: Digested<ClientMatchKey>,
        invite: Option<Box<Message>>,
        request: Bytes,
        destination: SocketAddr,
        transport: TransportKind,
        ctx: &mut Context<'_>,
    ) -> Self {
        let config = ctx.config;
        let mut timers = TimerTable::default();
        let machine = if let Some(invite) = invite {
            // §17.1.1.2: Timer A (unreliable only) at T1, Timer B at 64*T1.
            if !transport.is_reliable() {
                timers.set(Timer::A, now + config.t1);
            }
            timers.set(Timer::B, now + config.timer_b());
            // §16.6 item 11: Timer C when the INVITE is sent.
            if let Some(c) = config.timer_c {
                timers.set(Timer::C, now + c);
            }
            Machine::Invite(InviteClient::Calling {
                interval: config.t1,
                cancel_requested: false,
                invite,
            })
        } else {
            // §17.1.2.2: Timer E (unreliable only) at T1, Timer F at 64*T1.
            if !transport.is_reliable() {
                timers.set(Timer::E, now + config.t1);
            }
            timers.set(Timer::F, now + config.timer_b());
            Machine::NonInvite(NonInviteClient::Trying {
                interval: config.t1,
            })
        };
        let tx = Self {
            match_key,
            machine,
            request,
            destination,
            transport,
            timers,
        };
        tx.send(tx.request.clone(), ctx);
        tx
    }

    /// The state as the RFC figure names it.
    pub(crate) fn state(&self) -> ClientState {
        use InviteClientState as I;
        use NonInviteClientState as N;
        match &self.machine {
            Machine::Invite(m) => ClientState::Invite(match m {
                InviteClient::Calling { .. } => I::Calling,
                InviteClient::Proceeding { .. } => I::Proceeding,
                InviteClient::Accepted => I::Accepted,
                InviteClient::Completed { .. } => I::Completed,
                InviteClient::Terminated => I::Terminated,
            }),
            Machine::NonInvite(m) => ClientState::NonInvite(match m {
                NonInviteClient::Trying { .. } => N::Trying,
                NonInviteClient::Proceeding => N::Proceeding,
                NonInviteClient::Completed => N::Completed,
                NonInviteClient::Terminated => N::Terminated,
            }),
        }
    }

    /// A response with `status` matched this transaction (§17.1.3); `step.report` says
    /// whether it goes to the TU.
    pub(crate) fn on_response(
        &mut self,
        now: Instant,
        status: StatusCode,
        response: &Message,
        ctx: &mut Context<'_>,
    ) -> Result<Step> {
        let config = ctx.config;
        let reliable = self.transport.is_reliable();
        let mut step = Step::default();
        match (&mut self.machine, status.class()) {
            // Figure 5
            (
                Machine::Invite(
                    m @ (InviteClient::Calling { .. } | InviteClient::Proceeding { .. }),
                ),
                1,
            ) => {
                let (cancel_requested, cancel_sent) = match m {
                    InviteClient::Calling {
                        cancel_requested, ..
                    } => (*cancel_requested, false),
                    InviteClient::Proceeding { cancel_sent, .. } => (*cancel_sent, *cancel_sent),
                    _ => (false, false),
                };
                if let InviteClient::Calling { invite, .. }
                | InviteClient::Proceeding { invite, .. } =
                    core::mem::replace(m, InviteClient::Terminated)
                {
                    *m = InviteClient::Proceeding {
                        cancel_sent,
                        invite,
                    };
                }
                self.timers.clear(Timer::A);
                self.timers.clear(Timer::B);
                // §16.7 item 2: Timer C restarts on 101-199 (unless cancelling).
                if let Some(c) = config
                    .timer_c
                    .filter(|_| status.as_u16() > 100 && !cancel_sent)
                {
                    self.timers.set(Timer::C, now + c);
                }
                step.report = Some(Report::Provisional);
                step.send_cancel = cancel_requested && !cancel_sent;
            }
            (
                Machine::Invite(
                    m @ (InviteClient::Calling { .. } | InviteClient::Proceeding { .. }),
                ),
                2,
            ) => {
                // RFC 6026 §8.4: Accepted, Timer M = 64*T1; no ACK from the transaction.
                *m = InviteClient::Accepted;
                // Nothing is retransmitted or derived from the request any more.
                self.request = Bytes::new();
                self.timers.clear_all();
                self.timers.set(Timer::M, now + config.timer_b());
                step.report = Some(Report::Final);
            }
            (
                Machine::Invite(
                    m @ (InviteClient::Calling { .. } | InviteClient::Proceeding { .. }),
                ),
                _,
            ) => {
                // 300-699: ACK (even on reliable transports), response to TU, Completed,
                // Timer D (≥ 32 s unreliable, 0 reliable).
                let invite = m.invite().ok_or(crate::Error::InvalidState {
                    state: "Calling or Proceeding",
                    action: "build an ACK without its INVITE",
                })?;
                let ack = derived_request(invite, &Method::Ack, response.get(&HeaderName::To))?;
                *m = InviteClient::Completed { ack: ack.clone() };
                self.request = Bytes::new();
                self.send(ack, ctx);
                self.timers.clear_all();
                let d = if reliable {
                    Duration::ZERO
                } else {
                    config.timer_d()
                };
                self.timers.set(Timer::D, now + d);
                step.report = Some(Report::Final);
            }
            (Machine::Invite(InviteClient::Accepted), 2) => {
                // RFC 6026: every 2xx in Accepted goes to the TU.
                step.report = Some(Report::Final);
            }
            (Machine::Invite(InviteClient::Completed { ack }), 3..) => {
                // Retransmitted final response: ACK again, not to the TU.
                let ack = ack.clone();
                self.send(ack, ctx);
            }
            (Machine::Invite(_), _) => {
                tracing::debug!(%status, state = ?self.state(), "response absorbed");
            }
            // Figure 6
            (
                Machine::NonInvite(
                    m @ (NonInviteClient::Trying { .. } | NonInviteClient::Proceeding),
                ),
                1,
            ) => {
                *m = NonInviteClient::Proceeding;
                step.report = Some(Report::Provisional);
            }
            (
                Machine::NonInvite(
                    m @ (NonInviteClient::Trying { .. } | NonInviteClient::Proceeding),
                ),
                _,
            ) => {
                // §17.1.2.2: Completed, Timer K = T4 (0 on reliable transports).
                *m = NonInviteClient::Completed;
                // §17.1.2.2: Completed only absorbs retransmitted responses: the request is freed now,
                // not when Timer K ends the transaction.
                self.request = Bytes::new();
                self.timers.clear_all();
                let k = if reliable { Duration::ZERO } else { config.t4 };
                self.timers.set(Timer::K, now + k);
                step.report = Some(Report::Final);
            }
            (Machine::NonInvite(_), _) => {
                tracing::debug!(%status, state = ?self.state(), "response absorbed");
            }
        }
        step.terminated |= self.is_terminated();
        Ok(step)
    }

    /// Timer `timer`, due at `at`, fired.
    pub(crate) fn on_timer(
        &mut self,
        timer: Timer,
        at: Instant,
        key: ClientTransactionKey,
        ctx: &mut Context<'_>,
    ) -> Step {
        let config = ctx.config;
        let mut step = Step::default();
        let timeout = |ctx: &mut Context<'_>| {
            ctx.events.push_back(Event::Timeout {
                key: key.into(),
                timer,
            });
        };
        match (&mut self.machine, timer) {
            (Machine::Invite(InviteClient::Calling { interval, .. }), Timer::A) => {
                // §17.1.1.2: retransmit, Timer A doubles (no cap); scheduled from the
                // deadline so that late calls do not drift.
                *interval = interval.saturating_mul(2);
                self.timers.set(Timer::A, at + *interval);
                self.send(self.request.clone(), ctx);
            }
            (Machine::Invite(m @ InviteClient::Calling { .. }), Timer::B | Timer::C) => {
                // Timer B; or §16.8: Timer C without a provisional is a 408.
                timeout(ctx);
                *m = InviteClient::Terminated;
            }
            (Machine::Invite(InviteClient::Proceeding { cancel_sent, .. }), Timer::C) => {
                // §16.8: a provisional arrived: CANCEL the INVITE.
                timeout(ctx);
                step.send_cancel = !*cancel_sent;
            }
            (Machine::Invite(m @ InviteClient::Proceeding { .. }), Timer::CancelWait) => {
                // §9.1: no final response 64*T1 after the CANCEL: give up.
                timeout(ctx);
                *m = InviteClient::Terminated;
            }
            (Machine::Invite(m @ InviteClient::Completed { .. }), Timer::D)
            | (Machine::Invite(m @ InviteClient::Accepted), Timer::M) => {
                *m = InviteClient::Terminated;
            }
            (Machine::NonInvite(NonInviteClient::Trying { interval }), Timer::E) => {
                // §17.1.2.2: retransmit, E doubles up to T2.
                *interval = interval.saturating_mul(2).min(config.t2);
                self.timers.set(Timer::E, at + *interval);
                self.send(self.request.clone(), ctx);
            }
            (Machine::NonInvite(NonInviteClient::Proceeding), Timer::E) => {
                // §17.1.2.2: in Proceeding, E is reset to T2.
                self.timers.set(Timer::E, at + config.t2);
                self.send(self.request.clone(), ctx);
            }
            (
                Machine::NonInvite(
                    m @ (NonInviteClient::Trying { .. } | NonInviteClient::Proceeding),
                ),
                Timer::F,
            ) => {
                timeout(ctx);
                *m = NonInviteClient::Terminated;
            }
            (Machine::NonInvite(m @ NonInviteClient::Completed), Timer::K) => {
                *m = NonInviteClient::Terminated;
            }
            (_, timer) => {
                tracing::trace!(state = ?self.state(), ?timer, "stale timer ignored");
            }
        }
        step.terminated = self.is_terminated();
        step
    }

    /// §17.1.4: the transport failed to send for this transaction: inform the TU and
    /// terminate.
    pub(crate) fn on_transport_error(&mut self, key: ClientTransactionKey, ctx: &mut Context<'_>) {
        ctx.events
            .push_back(Event::TransportError { key: key.into() });
        self.terminate();
    }

    /// The TU asks to cancel this transaction (§9.1).
    pub(crate) fn request_cancel(&mut self) -> CancelDecision {
        match &mut self.machine {
            Machine::Invite(InviteClient::Calling {
                cancel_requested, ..
            }) => {
                *cancel_requested = true;
                CancelDecision::Nothing
            }
            Machine::Invite(InviteClient::Proceeding {
                cancel_sent: false, ..
            }) => CancelDecision::SendNow,
            Machine::Invite(InviteClient::Proceeding {
                cancel_sent: true, ..
            }) => CancelDecision::Nothing,
            Machine::Invite(InviteClient::Accepted) => CancelDecision::Refused("Accepted"),
            Machine::Invite(InviteClient::Completed { .. }) => CancelDecision::Refused("Completed"),
            Machine::Invite(InviteClient::Terminated) => CancelDecision::Refused("Terminated"),
            Machine::NonInvite(_) => CancelDecision::Refused("non-INVITE"),
        }
    }

    /// The CANCEL was sent: §9.1 gives the INVITE 64*T1 more to end.
    pub(crate) fn cancel_sent(&mut self, now: Instant, config: &Config) {
        if let Machine::Invite(InviteClient::Proceeding { cancel_sent, .. }) = &mut self.machine {
            *cancel_sent = true;
            self.timers.clear(Timer::C);
            self.timers.set(Timer::CancelWait, now + config.timer_b());
        }
    }

    pub(crate) fn is_terminated(&self) -> bool {
        matches!(
            self.machine,
            Machine::Invite(InviteClient::Terminated)
                | Machine::NonInvite(NonInviteClient::Terminated)
        )
    }

    fn terminate(&mut self) {
        self.machine = match self.machine {
            Machine::Invite(_) => Machine::Invite(InviteClient::Terminated),
            Machine::NonInvite(_) => Machine::NonInvite(NonInviteClient::Terminated),
        };
    }

    fn send(&self, payload: Bytes, ctx: &mut Context<'_>) {
        ctx.transmits.push_back(Transmit {
            destination: self.destination,
            transport: self.transport,
            payload,
        });
    }

    /// §9.1: the CANCEL of this INVITE.
    pub(crate) fn build_cancel(&self) -> Result<Bytes> {
        let invite = match &self.machine {
            Machine::Invite(m) => m.invite(),
            Machine::NonInvite(_) => None,
        };
        let invite = invite.ok_or(crate::Error::InvalidState {
            state: "neither Calling nor Proceeding",
            action: "be cancelled (only an INVITE without final response can, §9.1)",
        })?;
        derived_request(invite, &Method::Cancel, None)
    }
}

impl InviteClient {
    /// The INVITE, while the states that may still ACK or CANCEL it hold it.
    fn invite(&self) -> Option<&Message> {
        match self {
            Self::Calling { invite, .. } | Self::Proceeding { invite, .. } => Some(invite),
            _ => None,
        }
    }
}

/// An ACK (§17.1.1.3) or CANCEL (§9.1) derived from `original`: same Request-URI,
/// Call-ID, From, To (or `to`), CSeq number, single Via (the top one), Route headers and
/// Max-Forwards; CSeq method `method`; no body.
///
/// Written directly from the parsed values (which the parser has checked), unfolding
/// folded lines: one allocation, no re-validation.
fn derived_request(original: &Message, method: &Method, to: Option<&[u8]>) -> Result<Bytes> {
    let missing = |name: &'static str| crate::Error::MissingHeader { name };
    let uri = original.uri().ok_or(missing("Request-URI"))?;
    let via = original.get(&HeaderName::Via).ok_or(missing("Via"))?;
    let from = original.get(&HeaderName::From).ok_or(missing("From"))?;
    let to = match to {
        Some(t) => t,
        None => original.get(&HeaderName::To).ok_or(missing("To"))?,
    };
    let call_id = original
        .get(&HeaderName::CallId)
        .ok_or(missing("Call-ID"))?;
    let cseq = crate::key::cseq_of(original).ok_or(missing("CSeq"))?;
    let max_forwards = original.get(&HeaderName::MaxForwards).unwrap_or(b"70");
    let mut out = Vec::with_capacity(original.head().len());
    let method = method.as_str().as_bytes();
    for part in [method, b" ", uri.as_bytes(), b" SIP/2.0\r\n"] {
        out.extend_from_slice(part);
    }
    for (name, value) in [
        (&b"Via"[..], via),
        (b"From", from),
        (b"To", to),
        (b"Call-ID", call_id),
    ] {
        write_field(&mut out, name, value);
    }
    out.extend_from_slice(b"CSeq: ");
    out.extend_from_slice(cseq.seq.to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(method);
    out.extend_from_slice(b"\r\n");
    write_field(&mut out, b"Max-Forwards", max_forwards);
    for route in original
        .headers()
        .filter(|f| HeaderName::Route.matches(f.name().as_bytes()))
    {
        write_field(&mut out, b"Route", route.value());
    }
    out.extend_from_slice(b"Content-Length: 0\r\n\r\n");
    Ok(Bytes::from(out))
}

/// Writes `name: value` and CRLF, with line folding in `value` turned into one space.
fn write_field(out: &mut Vec<u8>, name: &[u8], value: &[u8]) {
    out.extend_from_slice(name);
    out.extend_from_slice(b": ");
    if !value.contains(&b'\n') && !value.contains(&b'\r') {
        // Nothing folded (the usual case): the bytes as they are.
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
        return;
    }
    let mut in_break = false;
    for &b in value {
        match b {
            b'\r' | b'\n' => in_break = true,
            b' ' | b'\t' if in_break => {}
            _ => {
                if in_break {
                    out.push(b' ');
                    in_break = false;
                }
                out.push(b);
            }
        }
    }
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    const INVITE: &str = "INVITE sip:bob@biloxi.com SIP/2.0\r\n\
        Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKkjshdyff, SIP/2.0/UDP p.example\r\n\
        To: Bob <sip:bob@biloxi.com>\r\n\
        From: Alice\r\n  <sip:alice@atlanta.com>;tag=88sja8x\r\n\
        Max-Forwards: 70\r\n\
        Route: <sip:p1.example;lr>, <sip:p2.example;lr>\r\n\
        Call-ID: 987asjd97y7atg\r\n\
        CSeq: 986759 INVITE\r\n\
        Content-Type: application/sdp\r\n\
        Content-Length: 4\r\n\r\nv=0\n";

    #[test]
    fn folded_lines_are_joined() {
        let mut out = Vec::new();
        write_field(&mut out, b"X", b"a\r\n  b\r\n\tc");
        assert_eq!(out, b"X: a b c\r\n");
    }

    #[test]
    fn ack_follows_17_1_1_3() {
        let original = Message::parse(Bytes::from_static(INVITE.as_bytes())).unwrap();
        let ack = derived_request(
            &original,
            &Method::Ack,
            Some(b"Bob <sip:bob@biloxi.com>;tag=99sa0xk"),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(ack.to_vec()).unwrap(),
            "ACK sip:bob@biloxi.com SIP/2.0\r\n\
             Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKkjshdyff\r\n\
             From: Alice <sip:alice@atlanta.com>;tag=88sja8x\r\n\
             To: Bob <sip:bob@biloxi.com>;tag=99sa0xk\r\n\
             Call-ID: 987asjd97y7atg\r\n\
             CSeq: 986759 ACK\r\n\
             Max-Forwards: 70\r\n\
             Route: <sip:p1.example;lr>, <sip:p2.example;lr>\r\n\
             Content-Length: 0\r\n\r\n"
        );
    }

    #[test]
    fn kept_invite_derives_what_its_bytes_derive() {
        // The INVITE as the TU built it (kept by the transaction) and as parsed from the
        // bytes sent give the same ACK and CANCEL.
        let built = sip_message::RequestBuilder::new(&Method::Invite, "sip:bob@biloxi.com")
            .header(
                &HeaderName::Via,
                "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKk",
            )
            .header(&HeaderName::Via, "SIP/2.0/UDP p.example")
            .header(&HeaderName::Route, "<sip:p1.example;lr>")
            .header(&HeaderName::From, "Alice <sip:alice@atlanta.com>;tag=88")
            .header(&HeaderName::To, "Bob <sip:bob@biloxi.com>")
            .header(&HeaderName::Route, "<sip:p2.example;lr>")
            .header(&HeaderName::CallId, "987asjd97y7atg")
            .header(&HeaderName::CSeq, "986759 INVITE")
            .header(&HeaderName::ContentType, "application/sdp")
            .body(Bytes::from_static(b"v=0\r\n"))
            .build()
            .unwrap();
        let bytes = built.to_bytes();
        let kept = Message::from(built);
        for (method, to) in [
            (Method::Ack, Some(&b"Bob <sip:bob@biloxi.com>;tag=9"[..])),
            (Method::Cancel, None),
        ] {
            let from_kept = derived_request(&kept, &method, to).unwrap();
            let parsed = Message::parse(bytes.clone()).unwrap();
            let from_bytes = derived_request(&parsed, &method, to).unwrap();
            assert_eq!(from_kept, from_bytes);
            let m = Message::parse(from_kept).unwrap();
            assert_eq!(m.headers().filter(|f| f.name() == "Route").count(), 2);
        }
    }

    #[test]
    fn cancel_follows_9_1() {
        let original = Message::parse(Bytes::from_static(INVITE.as_bytes())).unwrap();
        let cancel =
            Message::parse(derived_request(&original, &Method::Cancel, None).unwrap()).unwrap();
        assert_eq!(cancel.method(), Some(Method::Cancel));
        assert_eq!(
            cancel.get(&HeaderName::To),
            Some(&b"Bob <sip:bob@biloxi.com>"[..])
        );
        assert_eq!(cancel.get(&HeaderName::CSeq), Some(&b"986759 CANCEL"[..]));
        assert!(cancel.body().is_empty());
    }

    #[test]
    fn missing_headers_are_reported() {
        let m = Message::parse(Bytes::from_static(
            b"INVITE sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n",
        ))
        .unwrap();
        assert_eq!(
            derived_request(&m, &Method::Ack, None).unwrap_err(),
            crate::Error::MissingHeader { name: "From" }
        );
    }
}
