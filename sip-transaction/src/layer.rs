//! [`TransactionLayer`]: the transactions of one SIP element, their matching and timers.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::Instant;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use sip_message::{header::typed::Via, HeaderName, Message, Method, Request, Response, StatusCode};

use crate::client::{CancelDecision, ClientTransaction, Context, Report, Step};
use crate::event::EventQueue;
use crate::index::{DigestIndex, Digested, ServerIndex};
use crate::key::{self, ClientMatchKey, KeyedState, RequestInfo, ServerMatchKey};
use crate::server::ServerTransaction;
use crate::slab::{Slab, SlotKey};
use crate::timer::TimerQueue;
use crate::via::TopVia;
use crate::{
    ClientState, ClientTransactionKey, Config, Error, Event, Received, Result, ServerState,
    ServerTransactionKey, TransactionKey, Transmit, TransportKind,
};

/// The transaction layer of a SIP element (RFC 3261 §17): every client and server
/// transaction, matched in O(1), with their timers.
///
/// # Method families
///
/// | family | methods |
/// |---|---|
/// | inputs | [`handle_message`](Self::handle_message), [`handle_timeout`](Self::handle_timeout), [`transport_error`](Self::transport_error) |
/// | commands | [`send_request`](Self::send_request), [`send_response`](Self::send_response), [`cancel`](Self::cancel), [`send_stateless`](Self::send_stateless) |
/// | outputs | [`poll_transmit`](Self::poll_transmit), [`poll_event`](Self::poll_event), [`poll_timeout`](Self::poll_timeout) |
/// | getters | [`client_state`](Self::client_state), [`server_state`](Self::server_state), [`deadline`](Self::deadline), [`len`](Self::len) … |
///
/// # Invariants
///
/// - After any input or command, drain [`poll_transmit`](Self::poll_transmit) and
///   [`poll_event`](Self::poll_event) to `None`, then ask
///   [`poll_timeout`](Self::poll_timeout) again: every call may change it.
/// - `poll_timeout` is an absolute `Instant`. Calling `handle_timeout` early, or more than
///   once, is harmless; calling it late fires what is due, and retransmission schedules
///   stay anchored to their deadlines. Any input carries `now`, and timers already due at
///   `now` may fire during it (zero-length timers on reliable transports always do).
/// - A transaction is destroyed the moment it reaches Terminated, with
///   [`Event::Terminated`]; its key is then stale and commands with it fail with
///   [`Error::UnknownTransaction`].
/// - Every live transaction has a timer that will end it, except a server transaction
///   waiting for the TU's final response and an INVITE client transaction in Proceeding
///   when Timer C is disabled.
/// - Network input never returns an error: what cannot be matched or used is reported as an
///   event, answered (503 beyond the cap) or dropped with a `tracing` event.
#[derive(Debug)]
pub struct TransactionLayer {
    config: Config,
    rng: ChaCha8Rng,
    clients: Slab<ClientTransaction>,
    servers: Slab<ServerTransaction>,
    client_index: DigestIndex<ClientMatchKey, KeyedState>,
    server_index: ServerIndex<KeyedState>,
    timers: TimerQueue,
    /// Per client slot, the deadline of its live timer-queue entry (kept here, not in the
    /// transaction, so that stale entries are recognised without touching a cold
    /// transaction).
    client_scheduled: Scheduled,
    /// The same per server slot.
    server_scheduled: Scheduled,
    transmits: VecDeque<Transmit>,
    events: EventQueue,
}

impl TransactionLayer {
    /// A layer with `config`.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] when a timer value is unusable (T1 zero, T2 below T1 …).
    pub fn new(config: Config) -> Result<Self> {
        config.validate()?;
        let rng = match config.rng_seed {
            Some(seed) => ChaCha8Rng::from_seed(seed),
            None => ChaCha8Rng::from_entropy(),
        };
        // The hash keys come from another stream of the same generator: the branches and
        // tags drawn from `rng` stay what they were.
        let mut keys = rng.clone();
        keys.set_stream(1);
        let hash = KeyedState::new(&mut keys);
        Ok(Self {
            config,
            rng,
            clients: Slab::new(),
            servers: Slab::new(),
            client_index: DigestIndex::new(hash),
            server_index: ServerIndex::new(hash),
            timers: TimerQueue::default(),
            client_scheduled: Scheduled::default(),
            server_scheduled: Scheduled::default(),
            transmits: VecDeque::new(),
            events: EventQueue::default(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// A new branch for a top Via: `z9hG4bK` and 96 random bits (§8.1.1.7).
    pub fn new_branch(&mut self) -> key::Branch {
        key::new_branch(&mut self.rng)
    }

    /// Number of live transactions (client and server).
    pub fn len(&self) -> usize {
        self.clients.len() + self.servers.len()
    }

    /// Whether no transaction is alive.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of live client transactions.
    pub fn client_count(&self) -> usize {
        self.clients.len()
    }

    /// Number of live server transactions.
    pub fn server_count(&self) -> usize {
        self.servers.len()
    }

    /// The state of client transaction `key`, `None` once it has terminated.
    pub fn client_state(&self, key: ClientTransactionKey) -> Option<ClientState> {
        self.clients.get(key.0).map(ClientTransaction::state)
    }

    /// The state of server transaction `key`, `None` once it has terminated.
    pub fn server_state(&self, key: ServerTransactionKey) -> Option<ServerState> {
        self.servers.get(key.0).map(ServerTransaction::state)
    }

    /// The earliest armed timer of transaction `key`, `None` when it has none (or is gone).
    pub fn deadline(&self, key: TransactionKey) -> Option<Instant> {
        match key {
            TransactionKey::Client(k) => self.clients.get(k.0)?.timers.earliest(),
            TransactionKey::Server(k) => self.servers.get(k.0)?.timers.earliest(),
        }
    }

    /// Whether server transaction `key` still waits for a final response from the TU.
    pub fn awaits_response(&self, key: ServerTransactionKey) -> bool {
        self.servers
            .get(key.0)
            .is_some_and(ServerTransaction::awaits_tu)
    }

    /// Every live transaction's key, in no particular order (for inspection and tests).
    pub fn keys(&self) -> impl Iterator<Item = TransactionKey> + '_ {
        self.clients
            .iter()
            .map(|(k, _)| TransactionKey::Client(ClientTransactionKey(k)))
            .chain(
                self.servers
                    .iter()
                    .map(|(k, _)| TransactionKey::Server(ServerTransactionKey(k))),
            )
    }

    /// Input: a message received from the network.
    ///
    /// A response goes to the client transaction it matches (§17.1.3) or to the TU as
    /// [`Event::StrayResponse`]. A request goes to the server transaction it matches
    /// (§17.2.3, with the RFC 2543 fallback), or creates one and is reported
    /// ([`Event::RequestReceived`], [`Event::CancelReceived`], [`Event::MergedRequest`]);
    /// an unmatched ACK goes to the TU ([`Event::AckReceived`]). A request without a
    /// usable top Via or CSeq is dropped (no response can be built for it).
    pub fn handle_message(&mut self, now: Instant, received: Received) {
        // The message is only borrowed while the layer works out what becomes of it, and
        // then moved, once, into the event that reports it: a message is ~350 bytes, and
        // every move copies it.
        let outcome = if received.message.is_request() {
            self.handle_request(now, &received)
        } else if let Some(status) = received.message.status() {
            self.handle_response(now, status, &received)
        } else {
            tracing::debug!("message neither request nor response");
            return;
        };
        let (transport, source) = (received.transport, received.source);
        match outcome.deliver {
            Deliver::Nothing => {}
            Deliver::Overload => self.reject_overload(received),
            Deliver::Request(to) => {
                if let Ok(request) = Request::try_from(received.message) {
                    self.events.push_back(to.event(request, transport, source));
                }
            }
            Deliver::Response(to) => {
                if let Ok(response) = Response::try_from(received.message) {
                    self.events.push_back(to.event(response, transport, source));
                }
            }
        }
        // After the event: a transaction that ends now is reported after its message.
        match outcome.settle {
            Settle::Nothing => {}
            Settle::Client(key, step) => self.after_client(now, key, step),
            Settle::Server(key) => self.after_server(now, key),
        }
    }

    /// Input: timers. Fires every timer due at `now`. Harmless when nothing is due.
    pub fn handle_timeout(&mut self, now: Instant) {
        while let Some((at, key)) = self.timers.pop_due(now) {
            // An entry superseded by a later push (the transaction's earliest timer moved)
            // is skipped: the transaction's live entry covers every timer it has.
            match key {
                TransactionKey::Client(k) if self.client_scheduled.get(k.0) == Some(at) => {
                    self.fire_client(now, k, at);
                }
                TransactionKey::Server(k) if self.server_scheduled.get(k.0) == Some(at) => {
                    self.fire_server(now, k, at);
                }
                _ => {}
            }
        }
    }

    /// Fires the timers of client transaction `k` due at `now`; `at` is the deadline its
    /// timer-queue entry (if any) was scheduled for.
    fn fire_client(&mut self, now: Instant, k: ClientTransactionKey, at: Instant) {
        let Some(tx) = self.clients.get_mut(k.0) else {
            return;
        };
        if self.client_scheduled.get(k.0) == Some(at) {
            self.client_scheduled.set(k.0, None);
        }
        let mut step = Step::default();
        let mut ctx = Context {
            config: &self.config,
            transmits: &mut self.transmits,
            events: &mut self.events,
        };
        while let Some((timer, due)) = tx.timers.pop_due(now) {
            let s = tx.on_timer(timer, due, k, &mut ctx);
            step.send_cancel |= s.send_cancel;
            if s.terminated {
                step.terminated = true;
                break;
            }
        }
        self.after_client(now, k, step);
    }

    /// Fires the timers of server transaction `k` due at `now`; see
    /// [`fire_client`](Self::fire_client).
    fn fire_server(&mut self, now: Instant, k: ServerTransactionKey, at: Instant) {
        let Some(tx) = self.servers.get_mut(k.0) else {
            return;
        };
        if self.server_scheduled.get(k.0) == Some(at) {
            self.server_scheduled.set(k.0, None);
        }
        let mut ctx = Context {
            config: &self.config,
            transmits: &mut self.transmits,
            events: &mut self.events,
        };
        while let Some((timer, due)) = tx.timers.pop_due(now) {
            tx.on_timer(timer, due, k, &mut ctx);
            if tx.is_terminated() {
                break;
            }
        }
        self.after_server(now, k);
    }

    /// Input: the transport could not send for transaction `key` (§17.1.4, §17.2.4).
    ///
    /// A client transaction informs the TU ([`Event::TransportError`]) and terminates. A
    /// server transaction informs the TU and stays in its state (RFC 6026 §8.8), so that
    /// retransmitted requests are still absorbed; its timers end it. Unknown keys are
    /// ignored.
    pub fn transport_error(&mut self, now: Instant, key: TransactionKey) {
        let mut ctx = Context {
            config: &self.config,
            transmits: &mut self.transmits,
            events: &mut self.events,
        };
        match key {
            TransactionKey::Client(k) => {
                if let Some(tx) = self.clients.get_mut(k.0) {
                    tx.on_transport_error(k, &mut ctx);
                    self.after_client(now, k, Step::default());
                }
            }
            TransactionKey::Server(k) => {
                if let Some(tx) = self.servers.get_mut(k.0) {
                    tx.on_transport_error(k, &mut ctx);
                    self.after_server(now, k);
                }
            }
        }
    }

    /// Command: starts a client transaction for `request` and sends it to `destination`
    /// over `transport`.
    ///
    /// When the top Via has no branch, one is generated ([`new_branch`](Self::new_branch)).
    /// An INVITE starts the machine of [`InviteClientState`](crate::InviteClientState), anything else that of
    /// [`NonInviteClientState`](crate::NonInviteClientState).
    ///
    /// # Errors
    /// [`Error::AckNotATransaction`] for an ACK; [`Error::MissingHeader`] without a valid
    /// top Via; [`Error::DuplicateTransaction`] when a live client transaction has the same
    /// branch and method; [`Error::Message`] when the Via cannot be rewritten.
    pub fn send_request(
        &mut self,
        now: Instant,
        mut request: Request,
        destination: SocketAddr,
        transport: TransportKind,
    ) -> Result<ClientTransactionKey> {
        let method = request.method();
        if method == Method::Ack {
            return Err(Error::AckNotATransaction);
        }
        let top = TopVia::of(&request).ok_or(Error::MissingHeader { name: "Via" })?;
        let match_key = match top.branch {
            Some(b) => ClientMatchKey::new(b, &method),
            None => {
                let via = request
                    .typed::<Via>()
                    .and_then(core::result::Result::ok)
                    .ok_or(Error::MissingHeader { name: "Via" })?;
                let branch = self.new_branch();
                let via = via.with_branch(branch.as_str());
                request.remove_first_value(&HeaderName::Via);
                request.prepend_header(&HeaderName::Via, &via.to_string())?;
                ClientMatchKey::new(branch.as_bytes(), &method)
            }
        };
        let match_key = self.client_index.digested(match_key);
        if self.client_slot(&match_key).is_some() {
            return Err(Error::DuplicateTransaction {
                branch: String::from_utf8_lossy(match_key.key.branch()).into_owned(),
                method,
            });
        }
        let bytes = request.to_bytes();
        // An INVITE keeps its parsed form: its ACK and CANCEL are derived from it.
        let invite = (method == Method::Invite).then(|| Box::new(Message::from(request)));
        Ok(self.start_client(now, match_key, invite, bytes, destination, transport))
    }

    /// Command: passes the TU's response for server transaction `key` (§17.2.1, §17.2.2).
    ///
    /// Provisional responses are sent (and resent on request retransmissions); a final
    /// response moves the transaction to Completed (or Accepted for a 2xx to INVITE, whose
    /// retransmissions the TU sends through this method as well, RFC 6026).
    ///
    /// # Errors
    /// [`Error::UnknownTransaction`] for a stale key; [`Error::InvalidResponse`] when the
    /// CSeq method differs from the request's; [`Error::InvalidState`] when the state does
    /// not take this response (a second final response, a 2xx after a 300-699 …).
    pub fn send_response(
        &mut self,
        now: Instant,
        key: ServerTransactionKey,
        response: Response,
    ) -> Result<()> {
        let tx = self
            .servers
            .get_mut(key.0)
            .ok_or(Error::UnknownTransaction)?;
        let mut ctx = Context {
            config: &self.config,
            transmits: &mut self.transmits,
            events: &mut self.events,
        };
        let result = tx.on_tu_response(now, &response, &mut ctx);
        self.after_server(now, key);
        result
    }

    /// Command: cancels INVITE client transaction `key` (§9.1).
    ///
    /// In Proceeding the CANCEL is sent at once, as a new non-INVITE client transaction
    /// with the INVITE's branch; in Calling it is sent when the first provisional response
    /// arrives (§9.1 forbids it before). Its responses are reported with the CANCEL
    /// transaction's own key (their CSeq method is CANCEL). If the INVITE has no final
    /// response 64*T1 after the CANCEL, it ends with [`Event::Timeout`] and
    /// [`Timer::CancelWait`](crate::Timer::CancelWait). Cancelling twice is harmless.
    ///
    /// # Errors
    /// [`Error::UnknownTransaction`] for a stale key; [`Error::InvalidState`] for a
    /// non-INVITE transaction or an INVITE that has its final response.
    pub fn cancel(&mut self, now: Instant, key: ClientTransactionKey) -> Result<()> {
        let tx = self
            .clients
            .get_mut(key.0)
            .ok_or(Error::UnknownTransaction)?;
        match tx.request_cancel() {
            CancelDecision::SendNow => {
                self.send_cancel(now, key);
                Ok(())
            }
            CancelDecision::Nothing => Ok(()),
            CancelDecision::Refused(state) => Err(Error::InvalidState {
                state,
                action: "be cancelled (only an INVITE without final response can, §9.1)",
            }),
        }
    }

    /// Command: sends a message outside any transaction: the ACK of a 2xx (§13.2.2.4), a
    /// 2xx retransmission after the server transaction ended, or a stateless proxy's
    /// forward.
    pub fn send_stateless(
        &mut self,
        message: impl Into<Message>,
        destination: SocketAddr,
        transport: TransportKind,
    ) {
        self.transmits.push_back(Transmit {
            destination,
            transport,
            payload: message.into().to_bytes(),
        });
    }

    /// Output: the next message to send, `None` when there is none.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// Output: the next event for the TU, `None` when there is none.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Output: when [`handle_timeout`](Self::handle_timeout) should next be called. It may
    /// be earlier than necessary (a disarmed timer), never later.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.timers.peek().map(|(at, _)| at)
    }

    /// A response: to its client transaction (§17.1.3) or, unmatched, to the TU.
    fn handle_response(
        &mut self,
        now: Instant,
        status: StatusCode,
        received: &Received,
    ) -> Outcome {
        let found = key::response_key(&received.message)
            .and_then(|k| self.client_slot(&self.client_index.digested(k)));
        let Some(slot) = found else {
            tracing::debug!(%status, "stray response to the TU");
            return Outcome::deliver(Deliver::Response(ResponseTo::Stray));
        };
        let key = ClientTransactionKey(slot);
        let Some(tx) = self.clients.get_mut(slot) else {
            return Outcome::default();
        };
        let mut ctx = Context {
            config: &self.config,
            transmits: &mut self.transmits,
            events: &mut self.events,
        };
        let step = match tx.on_response(now, status, &received.message, &mut ctx) {
            Ok(step) => step,
            Err(e) => {
                tracing::warn!(error = %e, "cannot build the ACK; response dropped");
                Step::default()
            }
        };
        Outcome {
            deliver: step.report.map_or(Deliver::Nothing, |r| {
                Deliver::Response(ResponseTo::Client(key, r))
            }),
            settle: Settle::Client(key, step),
        }
    }

    /// A request: to the server transaction it matches (§17.2.3), or a new one.
    fn handle_request(&mut self, now: Instant, received: &Received) -> Outcome {
        let request = &received.message;
        let (transport, source) = (received.transport, received.source);
        let Some(info) = RequestInfo::parse(request) else {
            tracing::debug!("request without valid Via or CSeq dropped");
            return Outcome::default();
        };
        let is_ack = info.method == Method::Ack;
        let as_method = if is_ack {
            &Method::Invite
        } else {
            &info.method
        };
        let Some(match_key) = info
            .server_key(request, as_method)
            .map(|k| self.server_index.digested(k))
        else {
            tracing::debug!("request without Call-ID or Request-URI dropped");
            return Outcome::default();
        };
        let call_id = request.call_id();
        let home = self
            .server_index
            .home(call_id.unwrap_or_default().as_bytes(), info.cseq.seq);
        let matched = self.server_slot(home, &match_key, |tx| {
            tx.legacy_to_tag_matches(request, is_ack)
        });
        if let Some(slot) = matched {
            let key = ServerTransactionKey(slot);
            let Some(tx) = self.servers.get_mut(slot) else {
                return Outcome::default();
            };
            let mut ctx = Context {
                config: &self.config,
                transmits: &mut self.transmits,
                events: &mut self.events,
            };
            let deliver = if is_ack {
                // RFC 6026 §8.7: the ACK of a 2xx in Accepted goes to the TU.
                if tx.on_ack(now, &mut ctx) {
                    Deliver::Request(RequestTo::Ack(Some(key)))
                } else {
                    Deliver::Nothing
                }
            } else {
                tx.on_retransmission(&mut ctx);
                Deliver::Nothing
            };
            return Outcome {
                deliver,
                settle: Settle::Server(key),
            };
        }
        if is_ack {
            // §17.2.3 / §13: the ACK of a 2xx is its own transaction: to the TU.
            return Outcome::deliver(Deliver::Request(RequestTo::Ack(None)));
        }
        if self.servers.len() >= self.config.max_server_transactions {
            return Outcome::deliver(Deliver::Overload);
        }
        // A new server transaction, made where it is stored (it is ~370 bytes).
        let next = ServerTransactionKey(self.servers.next_key());
        let mut merge_key = None;
        let kind = if info.method == Method::Cancel {
            // §9.2: the INVITE being cancelled matches with the method taken as INVITE.
            let invite = info
                .server_key(request, &Method::Invite)
                .and_then(|k| self.server_slot(home, &self.server_index.digested(k), |_| true))
                .map(ServerTransactionKey);
            RequestTo::Cancel(next, invite)
        } else {
            match info.merge_key(request, call_id) {
                Some(mk) => {
                    match self.server_at_home(home, |t| t.merge_key.as_ref() == Some(&mk)) {
                        // §8.2.2.2: same From tag, Call-ID and CSeq, different transaction.
                        Some(original) => RequestTo::Merged(next, ServerTransactionKey(original)),
                        None => {
                            merge_key = Some(mk);
                            RequestTo::New(next)
                        }
                    }
                }
                None => RequestTo::New(next),
            }
        };
        let ctx = Context {
            config: &self.config,
            transmits: &mut self.transmits,
            events: &mut self.events,
        };
        let slot = self.servers.insert(ServerTransaction::new(
            now, match_key, &info, request, source, transport, &ctx,
        ));
        debug_assert_eq!(slot, next.0);
        if let Some(tx) = self.servers.get_mut(slot) {
            tx.merge_key = merge_key;
            tx.home = home;
        }
        self.server_index.insert(home, slot);
        Outcome {
            deliver: Deliver::Request(kind),
            settle: Settle::Server(next),
        }
    }

    /// Beyond the cap: 503 with Retry-After, without state.
    fn reject_overload(&mut self, received: Received) {
        let (transport, source) = (received.transport, received.source);
        let Ok(request) = Request::try_from(received.message) else {
            return;
        };
        tracing::warn!(
            cap = self.config.max_server_transactions,
            "server transaction cap reached; answering 503"
        );
        let tag = key::new_tag(&mut self.rng);
        let built = request
            .response(StatusCode::SERVICE_UNAVAILABLE, Some(&tag))
            .map(|b| {
                b.header(
                    &HeaderName::RetryAfter,
                    &self.config.retry_after.to_string(),
                )
            })
            .and_then(sip_message::ResponseBuilder::build);
        match built {
            Ok(response) => self.transmits.push_back(Transmit {
                destination: source,
                transport,
                payload: response.to_bytes(),
            }),
            Err(e) => tracing::debug!(error = %e, "cannot build 503"),
        }
    }

    fn start_client(
        &mut self,
        now: Instant,
        match_key: Digested<ClientMatchKey>,
        invite: Option<Box<Message>>,
        request: bytes::Bytes,
        destination: SocketAddr,
        transport: TransportKind,
    ) -> ClientTransactionKey {
        let mut ctx = Context {
            config: &self.config,
            transmits: &mut self.transmits,
            events: &mut self.events,
        };
        let tx = ClientTransaction::start(
            now,
            match_key,
            invite,
            request,
            destination,
            transport,
            &mut ctx,
        );
        let slot = self.clients.insert(tx);
        let clients = &self.clients;
        if let Some(tx) = clients.get(slot) {
            self.client_index.insert(&tx.match_key, slot, |i| {
                clients.at(i).map(|(s, t)| (s, &t.match_key))
            });
        }
        let key = ClientTransactionKey(slot);
        self.after_client(now, key, Step::default());
        key
    }

    /// Builds and sends the CANCEL of INVITE transaction `key` (§9.1).
    fn send_cancel(&mut self, now: Instant, key: ClientTransactionKey) {
        let Some(tx) = self.clients.get_mut(key.0) else {
            return;
        };
        let cancel = match tx.build_cancel() {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "cannot build CANCEL");
                return;
            }
        };
        tx.cancel_sent(now, &self.config);
        let (destination, transport) = (tx.destination, tx.transport);
        let match_key = self.client_index.digested(ClientMatchKey::new(
            tx.match_key.key.branch(),
            &Method::Cancel,
        ));
        self.sync_client(now, key);
        if self.client_slot(&match_key).is_some() {
            return;
        }
        self.start_client(now, match_key, None, cancel, destination, transport);
    }

    /// After a client transaction handled an input: CANCEL, destroy or reschedule it.
    fn after_client(&mut self, now: Instant, key: ClientTransactionKey, step: Step) {
        if step.send_cancel {
            self.send_cancel(now, key);
        }
        let terminated = self
            .clients
            .get(key.0)
            .is_some_and(ClientTransaction::is_terminated);
        if terminated {
            let index = &mut self.client_index;
            self.clients
                .remove_with(key.0, |tx| index.remove(&tx.match_key, key.0));
            self.client_scheduled.set(key.0, None);
            self.events.push_back(Event::Terminated { key: key.into() });
            return;
        }
        // A timer due now (a zero Timer D or K on a reliable transport) fires at once.
        if self
            .clients
            .get(key.0)
            .and_then(|t| t.timers.earliest())
            .is_some_and(|at| at <= now)
        {
            // Fired here rather than through the timer queue (a push and a pop of an entry that
            // is due at once).
            self.fire_client(now, key, now);
            return;
        }
        self.sync_client(now, key);
    }

    fn after_server(&mut self, now: Instant, key: ServerTransactionKey) {
        let terminated = self
            .servers
            .get(key.0)
            .is_some_and(ServerTransaction::is_terminated);
        if terminated {
            let index = &mut self.server_index;
            self.servers
                .remove_with(key.0, |tx| index.remove(tx.home, key.0));
            self.server_scheduled.set(key.0, None);
            self.events.push_back(Event::Terminated { key: key.into() });
            return;
        }
        if self
            .servers
            .get(key.0)
            .and_then(|t| t.timers.earliest())
            .is_some_and(|at| at <= now)
        {
            self.fire_server(now, key, now);
            return;
        }
        let Some(tx) = self.servers.get(key.0) else {
            return;
        };
        let earliest = tx.timers.earliest();
        if let Some(at) = earliest.filter(|&at| self.server_scheduled.get(key.0) != Some(at)) {
            self.server_scheduled.set(key.0, Some(at));
            self.timers.push(now, at, key.into());
        }
    }

    /// The live client transaction matching `k`.
    fn client_slot(&self, k: &Digested<ClientMatchKey>) -> Option<SlotKey> {
        self.client_index
            .get(k, |i| self.clients.at(i).map(|(s, t)| (s, &t.match_key)))
    }

    /// The live server transaction at `home` that `k` matches and `accept` takes.
    fn server_slot(
        &self,
        home: u32,
        k: &Digested<ServerMatchKey>,
        accept: impl Fn(&ServerTransaction) -> bool,
    ) -> Option<SlotKey> {
        self.server_at_home(home, |t| t.match_key == *k && accept(t))
    }

    /// The first live server transaction at `home` that `pred` takes (the index's entries
    /// are confirmed here, against the transactions themselves).
    fn server_at_home(
        &self,
        home: u32,
        pred: impl Fn(&ServerTransaction) -> bool,
    ) -> Option<SlotKey> {
        self.server_index.at_home(home).find_map(|i| {
            let (s, t) = self.servers.at(i)?;
            pred(t).then_some(s)
        })
    }

    fn sync_client(&mut self, now: Instant, key: ClientTransactionKey) {
        let Some(tx) = self.clients.get(key.0) else {
            return;
        };
        let earliest = tx.timers.earliest();
        if let Some(at) = earliest.filter(|&at| self.client_scheduled.get(key.0) != Some(at)) {
            self.client_scheduled.set(key.0, Some(at));
            self.timers.push(now, at, key.into());
        }
    }
}

/// Per slot index, the deadline of a transaction's live timer-queue entry.
#[derive(Debug, Default)]
struct Scheduled(Vec<Option<Instant>>);

impl Scheduled {
    fn get(&self, slot: SlotKey) -> Option<Instant> {
        self.0.get(slot.index as usize).copied().flatten()
    }

    fn set(&mut self, slot: SlotKey, at: Option<Instant>) {
        let i = slot.index as usize;
        if self.0.len() <= i {
            if at.is_none() {
                return;
            }
            self.0.resize(i + 1, None);
        }
        if let Some(s) = self.0.get_mut(i) {
            *s = at;
        }
    }
}

/// What becomes of a received message: the event it goes to the TU in, and the
/// transaction to settle (reschedule or destroy) once that event is queued.
#[derive(Debug, Default)]
struct Outcome {
    deliver: Deliver,
    settle: Settle,
}

impl Outcome {
    fn deliver(deliver: Deliver) -> Self {
        Self {
            deliver,
            settle: Settle::Nothing,
        }
    }
}

/// The event a received message goes to the TU in, if any.
#[derive(Debug, Default)]
enum Deliver {
    /// Absorbed (a retransmission) or dropped.
    #[default]
    Nothing,
    /// A new request beyond the server transaction cap: answered 503.
    Overload,
    /// A request, in the event [`RequestTo`] names.
    Request(RequestTo),
    /// A response, in the event [`ResponseTo`] names.
    Response(ResponseTo),
}

/// The transaction that handled a received message, settled after its event is queued.
#[derive(Debug, Default)]
enum Settle {
    #[default]
    Nothing,
    /// [`TransactionLayer::after_client`] with the machine's step.
    Client(ClientTransactionKey, Step),
    /// [`TransactionLayer::after_server`].
    Server(ServerTransactionKey),
}

/// The event a request goes to the TU in.
#[derive(Debug, Clone, Copy)]
enum RequestTo {
    /// [`Event::RequestReceived`] for the new server transaction.
    New(ServerTransactionKey),
    /// [`Event::CancelReceived`]: the CANCEL's transaction and the INVITE's, if alive.
    Cancel(ServerTransactionKey, Option<ServerTransactionKey>),
    /// [`Event::MergedRequest`] (§8.2.2.2): the new transaction and the one it collides
    /// with.
    Merged(ServerTransactionKey, ServerTransactionKey),
    /// [`Event::AckReceived`], with the INVITE transaction in Accepted it matched.
    Ack(Option<ServerTransactionKey>),
}

impl RequestTo {
    #[inline]
    fn event(self, request: Request, transport: TransportKind, source: SocketAddr) -> Event {
        match self {
            Self::New(key) => Event::RequestReceived {
                key,
                request,
                transport,
                source,
            },
            Self::Cancel(key, invite) => Event::CancelReceived {
                key,
                request,
                invite,
                transport,
                source,
            },
            Self::Merged(key, original) => Event::MergedRequest {
                key,
                request,
                original,
                transport,
                source,
            },
            Self::Ack(invite) => Event::AckReceived {
                request,
                invite,
                transport,
                source,
            },
        }
    }
}

/// The event a response goes to the TU in.
#[derive(Debug, Clone, Copy)]
enum ResponseTo {
    /// [`Event::ProvisionalResponse`] or [`Event::FinalResponse`] of a client transaction.
    Client(ClientTransactionKey, Report),
    /// [`Event::StrayResponse`] (§17.1.3: it matches no transaction).
    Stray,
}

impl ResponseTo {
    #[inline]
    fn event(self, response: Response, transport: TransportKind, source: SocketAddr) -> Event {
        match self {
            Self::Client(key, Report::Provisional) => Event::ProvisionalResponse { key, response },
            Self::Client(key, Report::Final) => Event::FinalResponse { key, response },
            Self::Stray => Event::StrayResponse {
                response,
                transport,
                source,
            },
        }
    }
}
