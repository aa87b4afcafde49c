//! Client transactions: the INVITE client (RFC 3261 Figure 5 as RFC 6026 §8.4 redraws it)
//! and the non-INVITE client (Figure 6).

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use sip_message::{CSeq, HeaderName, Message, Method, Response};

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
    pub(crate) events: &'a mut VecDeque<Event>,
}

/// What the layer must do after a client transaction handled an input.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Step {
    /// The transaction reached Terminated: destroy it.
    pub(crate) terminated: bool,
    /// Send the CANCEL the TU (or Timer C) asked for now (§9.1).
    pub(crate) send_cancel: bool,
}

/// A client transaction.
///
/// Memory: the struct (see `size_of`, stated in BENCHMARKS.md) plus the request bytes it
/// retransmits and, in Completed, the ACK it built.
#[derive(Debug)]
pub(crate) struct ClientTransaction {
    pub(crate) match_key: ClientMatchKey,
    pub(crate) state: ClientState,
    /// The request as sent, for retransmissions and to build ACK and CANCEL.
    pub(crate) request: Bytes,
    pub(crate) destination: SocketAddr,
    pub(crate) transport: TransportKind,
    pub(crate) timers: TimerTable,
    /// The deadline last pushed to the layer's heap.
    pub(crate) scheduled: Option<Instant>,
    /// The current retransmission interval of Timer A or E.
    interval: Duration,
    /// The ACK of a non-2xx final response (INVITE, Completed).
    ack: Option<Bytes>,
    /// The TU asked to cancel (§9.1); the CANCEL waits for a provisional response.
    pub(crate) cancel_requested: bool,
    /// The CANCEL has been sent.
    pub(crate) cancel_sent: bool,
}

impl ClientTransaction {
    /// Starts a transaction: sends the request and arms the timers of Calling or Trying.
    pub(crate) fn start(
        now: Instant,
        match_key: ClientMatchKey,
        request: Bytes,
        destination: SocketAddr,
        transport: TransportKind,
        ctx: &mut Context<'_>,
    ) -> Self {
        let config = ctx.config;
        let mut timers = TimerTable::default();
        let state = if match_key.method == Method::Invite {
            // §17.1.1.2: Timer A (unreliable only) at T1, Timer B at 64*T1.
            if !transport.is_reliable() {
                timers.set(Timer::A, now + config.t1);
            }
            timers.set(Timer::B, now + config.timer_b());
            // §16.6 item 11: Timer C when the INVITE is sent.
            if let Some(c) = config.timer_c {
                timers.set(Timer::C, now + c);
            }
            ClientState::Invite(InviteClientState::Calling)
        } else {
            // §17.1.2.2: Timer E (unreliable only) at T1, Timer F at 64*T1.
            if !transport.is_reliable() {
                timers.set(Timer::E, now + config.t1);
            }
            timers.set(Timer::F, now + config.timer_b());
            ClientState::NonInvite(NonInviteClientState::Trying)
        };
        let tx = Self {
            match_key,
            state,
            request,
            destination,
            transport,
            timers,
            scheduled: None,
            interval: config.t1,
            ack: None,
            cancel_requested: false,
            cancel_sent: false,
        };
        tx.send(tx.request.clone(), ctx);
        tx
    }

    /// A response matched this transaction (§17.1.3).
    pub(crate) fn on_response(
        &mut self,
        now: Instant,
        key: ClientTransactionKey,
        response: Response,
        ctx: &mut Context<'_>,
    ) -> Result<Step> {
        use InviteClientState as I;
        use NonInviteClientState as N;
        let status = response.status();
        let config = ctx.config;
        let reliable = self.transport.is_reliable();
        let mut step = Step::default();
        match (self.state, status.class()) {
            // Figure 5
            (ClientState::Invite(I::Calling | I::Proceeding), 1) => {
                self.state = ClientState::Invite(I::Proceeding);
                self.timers.clear(Timer::A);
                self.timers.clear(Timer::B);
                // §16.7 item 2: Timer C restarts on 101-199.
                if let Some(c) = config.timer_c.filter(|_| status.as_u16() > 100) {
                    self.timers.set(Timer::C, now + c);
                }
                ctx.events
                    .push_back(Event::ProvisionalResponse { key, response });
                step.send_cancel = self.cancel_requested && !self.cancel_sent;
            }
            (ClientState::Invite(I::Calling | I::Proceeding), 2) => {
                // RFC 6026 §8.4: Accepted, Timer M = 64*T1; no ACK from the transaction.
                self.state = ClientState::Invite(I::Accepted);
                self.timers.clear_all();
                self.timers.set(Timer::M, now + config.timer_b());
                ctx.events.push_back(Event::FinalResponse { key, response });
            }
            (ClientState::Invite(I::Calling | I::Proceeding), _) => {
                // 300-699: ACK (even on reliable transports), response to TU, Completed,
                // Timer D (≥ 32 s unreliable, 0 reliable).
                let ack = self.build_ack(&response)?;
                self.send(ack.clone(), ctx);
                self.ack = Some(ack);
                self.state = ClientState::Invite(I::Completed);
                self.timers.clear_all();
                let d = if reliable {
                    Duration::ZERO
                } else {
                    config.timer_d()
                };
                self.timers.set(Timer::D, now + d);
                ctx.events.push_back(Event::FinalResponse { key, response });
            }
            (ClientState::Invite(I::Accepted), 2) => {
                // RFC 6026: every 2xx in Accepted goes to the TU.
                ctx.events.push_back(Event::FinalResponse { key, response });
            }
            (ClientState::Invite(I::Completed), 3..) => {
                // Retransmitted final response: ACK again, not to the TU.
                if let Some(ack) = self.ack.clone() {
                    self.send(ack, ctx);
                }
            }
            (ClientState::Invite(_), _) => {
                tracing::debug!(%status, state = ?self.state, "response absorbed");
            }
            // Figure 6
            (ClientState::NonInvite(N::Trying | N::Proceeding), 1) => {
                self.state = ClientState::NonInvite(N::Proceeding);
                ctx.events
                    .push_back(Event::ProvisionalResponse { key, response });
            }
            (ClientState::NonInvite(N::Trying | N::Proceeding), _) => {
                // §17.1.2.2: Completed, Timer K = T4 (0 on reliable transports).
                self.state = ClientState::NonInvite(N::Completed);
                self.timers.clear_all();
                let k = if reliable { Duration::ZERO } else { config.t4 };
                self.timers.set(Timer::K, now + k);
                ctx.events.push_back(Event::FinalResponse { key, response });
            }
            (ClientState::NonInvite(_), _) => {
                tracing::debug!(%status, state = ?self.state, "response absorbed");
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
        use InviteClientState as I;
        use NonInviteClientState as N;
        let config = ctx.config;
        let mut step = Step::default();
        let timeout = |ctx: &mut Context<'_>| {
            ctx.events.push_back(Event::Timeout {
                key: key.into(),
                timer,
            });
        };
        match (self.state, timer) {
            (ClientState::Invite(I::Calling), Timer::A) => {
                // §17.1.1.2: retransmit, Timer A doubles (no cap); schedule from the
                // deadline so late calls do not drift.
                self.send(self.request.clone(), ctx);
                self.interval = self.interval.saturating_mul(2);
                self.timers.set(Timer::A, at + self.interval);
            }
            (ClientState::Invite(I::Calling), Timer::B) => {
                timeout(ctx);
                self.state = ClientState::Invite(I::Terminated);
            }
            (ClientState::Invite(I::Calling), Timer::C) => {
                // §16.8: no provisional yet: as if a 408 arrived.
                timeout(ctx);
                self.state = ClientState::Invite(I::Terminated);
            }
            (ClientState::Invite(I::Proceeding), Timer::C) => {
                // §16.8: a provisional arrived: CANCEL the INVITE.
                timeout(ctx);
                self.cancel_requested = true;
                step.send_cancel = !self.cancel_sent;
            }
            (ClientState::Invite(I::Proceeding), Timer::CancelWait) => {
                // §9.1: no final response 64*T1 after the CANCEL: give up.
                timeout(ctx);
                self.state = ClientState::Invite(I::Terminated);
            }
            (ClientState::Invite(I::Completed), Timer::D)
            | (ClientState::Invite(I::Accepted), Timer::M)
            | (ClientState::NonInvite(N::Completed), Timer::K) => {
                self.state = match self.state {
                    ClientState::Invite(_) => ClientState::Invite(I::Terminated),
                    ClientState::NonInvite(_) => ClientState::NonInvite(N::Terminated),
                };
            }
            (ClientState::NonInvite(N::Trying), Timer::E) => {
                // §17.1.2.2: retransmit, E doubles up to T2.
                self.send(self.request.clone(), ctx);
                self.interval = self.interval.saturating_mul(2).min(config.t2);
                self.timers.set(Timer::E, at + self.interval);
            }
            (ClientState::NonInvite(N::Proceeding), Timer::E) => {
                // §17.1.2.2: in Proceeding, E is reset to T2.
                self.send(self.request.clone(), ctx);
                self.interval = config.t2;
                self.timers.set(Timer::E, at + config.t2);
            }
            (ClientState::NonInvite(N::Trying | N::Proceeding), Timer::F) => {
                timeout(ctx);
                self.state = ClientState::NonInvite(N::Terminated);
            }
            (state, timer) => {
                tracing::trace!(?state, ?timer, "stale timer ignored");
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
        self.state = match self.state {
            ClientState::Invite(_) => ClientState::Invite(InviteClientState::Terminated),
            ClientState::NonInvite(_) => ClientState::NonInvite(NonInviteClientState::Terminated),
        };
    }

    /// The CANCEL was sent: §9.1 gives the INVITE 64*T1 more to end.
    pub(crate) fn cancel_sent(&mut self, now: Instant, config: &Config) {
        self.cancel_sent = true;
        self.cancel_requested = true;
        self.timers.clear(Timer::C);
        self.timers.set(Timer::CancelWait, now + config.timer_b());
    }

    pub(crate) fn is_terminated(&self) -> bool {
        matches!(
            self.state,
            ClientState::Invite(InviteClientState::Terminated)
                | ClientState::NonInvite(NonInviteClientState::Terminated)
        )
    }

    fn send(&self, payload: Bytes, ctx: &mut Context<'_>) {
        ctx.transmits.push_back(Transmit {
            destination: self.destination,
            transport: self.transport,
            payload,
        });
    }

    /// §17.1.1.3: the ACK of a non-2xx final response: Request-URI, Call-ID, From, top
    /// Via, Route and CSeq number of the INVITE; To of the response; CSeq method ACK.
    fn build_ack(&self, response: &Response) -> Result<Bytes> {
        let original = Message::parse(self.request.clone())?;
        derived_request(&original, &Method::Ack, response.get(&HeaderName::To))
    }

    /// §9.1: the CANCEL of this INVITE.
    pub(crate) fn build_cancel(&self) -> Result<Bytes> {
        let original = Message::parse(self.request.clone())?;
        derived_request(&original, &Method::Cancel, None)
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
    let cseq = original
        .typed::<CSeq>()
        .and_then(core::result::Result::ok)
        .ok_or(missing("CSeq"))?;
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
