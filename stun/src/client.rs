//! The sans-IO STUN client: Binding requests with credentials, retries and redirects
//! (RFC 8489 §6.2, §6.3.3, §6.3.4, §9, §10).

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

use crate::attribute::{Attribute, AttributeType, ErrorCode, PasswordAlgorithm};
use crate::builder::MessageBuilder;
use crate::integrity::{opaque_string, user_hash, IntegrityKey, SecurityFeatures};
use crate::message::{Class, Message, Method, TransactionId};
use crate::transaction::{ClientTransaction, TransactionConfig, Transmit, Transport};
use crate::Error;

/// Credentials the client authenticates with (§9).
#[derive(Clone, Default)]
pub enum Credentials {
    /// No authentication.
    #[default]
    None,
    /// Short-term credentials (§9.1): USERNAME and message integrity in every request.
    ShortTerm {
        /// The username.
        username: String,
        /// The password.
        password: String,
    },
    /// Long-term credentials (§9.2): the first request goes without, the server's 401 gives
    /// realm and nonce.
    LongTerm {
        /// The username.
        username: String,
        /// The password.
        password: String,
        /// The expected realm; `None` accepts the server's.
        realm: Option<String>,
    },
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::ShortTerm { username, .. } => write!(f, "ShortTerm({username:?})"),
            Self::LongTerm {
                username, realm, ..
            } => write!(f, "LongTerm({username:?}, {realm:?})"),
        }
    }
}

/// Client configuration; `Default` gives the RFC values.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Retransmission timers.
    pub transaction: TransactionConfig,
    /// Credentials.
    pub credentials: Credentials,
    /// SOFTWARE attribute to send, if any.
    pub software: Option<String>,
    /// Whether to add FINGERPRINT to requests (default true).
    pub fingerprint: bool,
    /// Follow 300 (Try Alternate) with ALTERNATE-SERVER (§10; default true).
    pub follow_alternate_server: bool,
    /// How many times a 5xx response is retried (§6.3.4; default 4).
    pub server_error_retries: u32,
    /// How many 438 (Stale Nonce) answers are retried in a row (default 3).
    pub stale_nonce_retries: u32,
    /// Cache the RTO measured per server for 10 minutes and start the next transaction to
    /// that server from it (§6.2.1, RFC 6298 estimator, Karn's algorithm). The cached RTO is
    /// never below the configured initial RTO (default true).
    pub cache_rto: bool,
    /// Seed of the RNG that draws transaction IDs; OS entropy when `None`.
    pub rng_seed: Option<[u8; 32]>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            transaction: TransactionConfig::default(),
            credentials: Credentials::None,
            software: None,
            fingerprint: true,
            follow_alternate_server: true,
            server_error_retries: 4,
            stale_nonce_retries: 3,
            cache_rto: true,
            rng_seed: None,
        }
    }
}

/// Identifies one Binding request across its retries and redirects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// What the client reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A Binding request succeeded.
    Success {
        /// The request.
        request: RequestId,
        /// The reflexive transport address (XOR-MAPPED-ADDRESS, or MAPPED-ADDRESS).
        mapped: SocketAddr,
        /// The server that answered (after any redirect).
        server: SocketAddr,
    },
    /// A Binding request failed for good.
    Failure {
        /// The request.
        request: RequestId,
        /// Why.
        reason: Failure,
    },
}

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// No response before the transaction timeout.
    Timeout,
    /// Responses came but none passed the integrity check (§9.1.4, §9.2.5).
    IntegrityViolated,
    /// An error response that the client does not (or no longer) retry.
    ErrorResponse {
        /// ERROR-CODE.
        code: u16,
        /// Its reason phrase.
        reason: String,
    },
    /// The response has comprehension-required attributes the client does not know (§6.3.3).
    UnknownAttributes(Vec<AttributeType>),
    /// A success response without (XOR-)MAPPED-ADDRESS.
    NoMappedAddress,
    /// An error response without ERROR-CODE (§6.3.4).
    NoErrorCode,
    /// A 300 that cannot be followed: no ALTERNATE-SERVER, not authenticated, or a loop (§10).
    Redirect(&'static str),
    /// The long-term credential flow cannot continue (§9.2.5): no realm or nonce, a realm
    /// other than the configured one, no supported password algorithm, a bid-down attempt, or
    /// the credentials were rejected.
    Authentication(&'static str),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Timeout => f.write_str("no response (timeout)"),
            Self::IntegrityViolated => f.write_str("responses failed the message integrity check"),
            Self::ErrorResponse { code, reason } => write!(f, "error response {code} {reason}"),
            Self::UnknownAttributes(types) => {
                f.write_str("unknown comprehension-required attributes:")?;
                for t in types {
                    write!(f, " {t}")?;
                }
                Ok(())
            }
            Self::NoMappedAddress => f.write_str("success response without XOR-MAPPED-ADDRESS"),
            Self::NoErrorCode => f.write_str("error response without ERROR-CODE"),
            Self::Redirect(why) => write!(f, "cannot follow redirect: {why}"),
            Self::Authentication(why) => write!(f, "authentication failed: {why}"),
        }
    }
}

/// Long-term credential state learned from a 401 (§9.2.3.2).
#[derive(Debug, Clone)]
struct LongTermSession {
    realm: String,
    nonce: String,
    key: IntegrityKey,
    password_algorithms: Option<Vec<u8>>,
    algorithm: PasswordAlgorithm,
    user_hash: Option<[u8; 32]>,
}

/// Which integrity attributes a request carries (§9.1.2, §9.1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IntegrityMode {
    Both,
    Sha1,
    Sha256,
}

#[derive(Debug)]
struct Request {
    id: RequestId,
    transaction: ClientTransaction,
    transport: Transport,
    servers: Vec<SocketAddr>,
    authenticated: bool,
    integrity_violated: bool,
    stale_retries: u32,
    server_errors: u32,
}

/// The sans-IO STUN client.
///
/// Drive it like every state machine of this workspace:
///
/// ```text
/// let request = client.binding(now, server, Transport::Udp)?;
/// loop {
///     while let Some(t) = client.poll_transmit() { socket.send_to(&t.payload, t.destination) }
///     while let Some(e) = client.poll_event() { ... }       // Success / Failure
///     wait for a datagram or client.poll_timeout()
///     client.handle_input(now, from, &datagram)  or  client.handle_timeout(now)
/// }
/// ```
///
/// Responses that do not match a live transaction are not consumed (`handle_input` returns
/// `false`), so the same socket can carry other protocols. Invalid or unauthenticated
/// responses are dropped as §6.3, §9.1.4 and §9.2.5 say; retransmissions go on.
#[derive(Debug)]
pub struct Client {
    config: ClientConfig,
    rng: ChaCha20Rng,
    next_request: u64,
    requests: Vec<Request>,
    events: VecDeque<Event>,
    short_term: Option<(String, IntegrityKey)>,
    /// §9.1.5: the integrity attribute each server answered with ("same server" = address).
    modes: HashMap<SocketAddr, IntegrityMode>,
    /// §9.2.3: long-term realm, nonce and key, per server.
    long_term: HashMap<SocketAddr, LongTermSession>,
    /// §6.2.1: round-trip estimates per server.
    rtt: HashMap<SocketAddr, RttEstimate>,
}

/// RFC 6298 §2 round-trip estimate for one server.
#[derive(Debug, Clone, Copy)]
struct RttEstimate {
    srtt: Duration,
    rttvar: Duration,
    updated: Instant,
}

impl RttEstimate {
    /// §6.2.1: a cached RTO is stale after 10 minutes without transactions.
    const LIFETIME: Duration = Duration::from_secs(600);
    /// RFC 6298 §2.5: an upper bound of at least 60 s.
    const MAX_RTO: Duration = Duration::from_secs(60);

    fn is_fresh(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.updated) < Self::LIFETIME
    }

    fn sample(previous: Option<Self>, now: Instant, rtt: Duration) -> Self {
        match previous.filter(|e| e.is_fresh(now)) {
            // RFC 6298 §2.3: RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R'|, SRTT = 7/8 SRTT + 1/8 R'.
            Some(e) => Self {
                rttvar: (e.rttvar * 3 + e.srtt.abs_diff(rtt)) / 4,
                srtt: (e.srtt * 7 + rtt) / 8,
                updated: now,
            },
            // RFC 6298 §2.2: SRTT = R, RTTVAR = R/2.
            None => Self {
                srtt: rtt,
                rttvar: rtt / 2,
                updated: now,
            },
        }
    }

    /// RTO = SRTT + max(G, 4 RTTVAR) with G = 1 ms (no rounding up to seconds, §6.2.1).
    fn rto(&self) -> Duration {
        (self.srtt + (self.rttvar * 4).max(Duration::from_millis(1))).min(Self::MAX_RTO)
    }
}

impl Client {
    /// A client with `config`.
    ///
    /// # Errors
    /// [`Error::OpaqueString`] when short-term credentials are not valid OpaqueStrings.
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        let rng = match config.rng_seed {
            Some(seed) => ChaCha20Rng::from_seed(seed),
            None => ChaCha20Rng::from_entropy(),
        };
        let short_term = match &config.credentials {
            Credentials::ShortTerm { username, password } => Some((
                opaque_string(username, "username")?.into_owned(),
                IntegrityKey::short_term(password)?,
            )),
            _ => None,
        };
        if let Credentials::LongTerm { username, .. } = &config.credentials {
            opaque_string(username, "username")?;
        }
        Ok(Self {
            config,
            rng,
            next_request: 0,
            requests: Vec::new(),
            events: VecDeque::new(),
            short_term,
            modes: HashMap::new(),
            long_term: HashMap::new(),
            rtt: HashMap::new(),
        })
    }

    /// Starts a Binding request to `server`.
    ///
    /// # Errors
    /// [`Error::ValueTooLong`] or [`Error::OpaqueString`] when the credentials cannot be encoded.
    pub fn binding(
        &mut self,
        now: Instant,
        server: SocketAddr,
        transport: Transport,
    ) -> Result<RequestId, Error> {
        let id = RequestId(self.next_request);
        self.next_request += 1;
        let (transaction, authenticated) = self.start_transaction(now, server, transport)?;
        self.requests.push(Request {
            id,
            transaction,
            transport,
            servers: vec![server],
            authenticated,
            integrity_violated: false,
            stale_retries: 0,
            server_errors: 0,
        });
        Ok(id)
    }

    /// A Binding indication to `destination` (§6.3.2): a keep-alive that refreshes NAT
    /// bindings and gets no answer. Sent once, never retransmitted.
    ///
    /// # Errors
    /// [`Error::ValueTooLong`] when SOFTWARE is too long.
    pub fn indication(&mut self, destination: SocketAddr) -> Result<Transmit, Error> {
        let id = TransactionId(self.rng.gen());
        let mut out = Vec::with_capacity(64);
        let mut b = MessageBuilder::new(&mut out, Class::Indication, Method::BINDING, id);
        if let Some(software) = &self.config.software {
            b.software(software)?;
        }
        if self.config.fingerprint {
            b.fingerprint()?;
        }
        b.finish();
        Ok(Transmit {
            destination,
            payload: Bytes::from(out),
        })
    }

    /// Feeds a received datagram. Returns whether it was a response to one of our
    /// transactions (otherwise it belongs to someone else on the socket).
    pub fn handle_input(&mut self, now: Instant, source: SocketAddr, datagram: &[u8]) -> bool {
        let Ok(message) = Message::decode(datagram) else {
            return false;
        };
        if !matches!(
            message.class(),
            Class::SuccessResponse | Class::ErrorResponse
        ) {
            return false;
        }
        let id = message.transaction_id();
        let Some(index) = self
            .requests
            .iter()
            .position(|r| r.transaction.id() == id && !r.transaction.is_terminated())
        else {
            tracing::debug!(?id, %source, "STUN response for no live transaction");
            return false;
        };
        if message.has_fingerprint() && message.verify_fingerprint().is_err() {
            tracing::warn!(%source, "STUN response with a wrong FINGERPRINT dropped");
            return true;
        }
        self.handle_response(now, index, &message);
        true
    }

    /// Fires the timers due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        let mut index = 0;
        while let Some(request) = self.requests.get_mut(index) {
            request.transaction.handle_timeout(now);
            if request.transaction.state() == crate::TransactionState::TimedOut {
                let reason = if request.integrity_violated {
                    Failure::IntegrityViolated
                } else {
                    Failure::Timeout
                };
                let id = request.id;
                self.requests.remove(index);
                self.events.push_back(Event::Failure {
                    request: id,
                    reason,
                });
            } else {
                index += 1;
            }
        }
    }

    /// The next datagram to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.requests
            .iter_mut()
            .find_map(|r| r.transaction.poll_transmit())
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// The earliest timer deadline.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.requests
            .iter()
            .filter_map(|r| r.transaction.poll_timeout())
            .min()
    }

    /// Whether any request is still in progress.
    pub fn is_idle(&self) -> bool {
        self.requests.is_empty()
    }

    fn handle_response(&mut self, now: Instant, index: usize, message: &Message<'_>) {
        let Some(request) = self.requests.get(index) else {
            return;
        };
        let reliable = request.transport == Transport::Reliable;
        let server = request.transaction.destination();
        let code = message.error_code().map(|e| e.code);
        // §9.1.4 / §9.2.5: responses to authenticated requests must carry valid integrity.
        // 401 and 438 may come unprotected (the server may not know the key); a 400 without
        // integrity is discarded. A 401 or 438 protected with another key (§9.2.4 allows the
        // "previous key") only leads to a bounded retry with our own credentials: accepted.
        let mut verified = false;
        if request.authenticated {
            match self.verify(server, message) {
                Some(true) => verified = true,
                _ if matches!(code, Some(401 | 438)) => {}
                _ => return self.integrity_failure(index, reliable),
            }
        }
        if let Some(request) = self.requests.get_mut(index) {
            request.transaction.complete();
            // Karn's algorithm: only transactions sent once give an RTT sample.
            if self.config.cache_rto && request.transaction.sends() == 1 {
                let rtt = now.saturating_duration_since(request.transaction.started());
                let previous = self.rtt.get(&server).copied();
                self.rtt
                    .insert(server, RttEstimate::sample(previous, now, rtt));
            }
        }
        let unknown: Vec<AttributeType> =
            message.unknown_comprehension_required().take(16).collect();
        if !unknown.is_empty() {
            return self.fail(index, Failure::UnknownAttributes(unknown));
        }
        if message.class() == Class::SuccessResponse {
            // §9.1.5: later requests to this server carry only the algorithm it answered with.
            if verified && self.short_term.is_some() {
                let mode = if message.has_integrity_sha256() {
                    IntegrityMode::Sha256
                } else {
                    IntegrityMode::Sha1
                };
                self.modes.insert(server, mode);
            }
            let request = self.requests.remove(index);
            let event = match message.mapped_address() {
                Some(mapped) => Event::Success {
                    request: request.id,
                    mapped,
                    server,
                },
                None => Event::Failure {
                    request: request.id,
                    reason: Failure::NoMappedAddress,
                },
            };
            self.events.push_back(event);
            return;
        }
        let Some(error) = message.error_code() else {
            return self.fail(index, Failure::NoErrorCode);
        };
        match error.code {
            300 => self.redirect(now, index, message, verified),
            401 => self.unauthenticated(now, index, server, message, error),
            438 => self.stale_nonce(now, index, server, message, error),
            500..=599 => {
                let retry = self
                    .requests
                    .get_mut(index)
                    .map(|r| {
                        r.server_errors += 1;
                        r.server_errors <= self.config.server_error_retries
                    })
                    .unwrap_or(false);
                if retry {
                    self.retry(now, index, None);
                } else {
                    self.fail_error(index, error);
                }
            }
            _ => self.fail_error(index, error),
        }
    }

    /// `Some(ok)` when the response has integrity to check, `None` when it has none.
    fn verify(&self, server: SocketAddr, message: &Message<'_>) -> Option<bool> {
        let key = match (self.long_term.get(&server), &self.short_term) {
            (Some(session), _) => &session.key,
            (None, Some((_, key))) => key,
            (None, None) => return None,
        };
        if message.has_integrity_sha256() {
            Some(message.verify_integrity_sha256(key).is_ok())
        } else if message.has_integrity() {
            Some(message.verify_integrity_sha1(key).is_ok())
        } else {
            None
        }
    }

    fn integrity_failure(&mut self, index: usize, reliable: bool) {
        tracing::warn!("STUN response failed the integrity check; dropped");
        if reliable {
            if let Some(r) = self.requests.get_mut(index) {
                r.transaction.complete();
            }
            self.fail(index, Failure::IntegrityViolated);
        } else if let Some(r) = self.requests.get_mut(index) {
            r.integrity_violated = true;
        }
    }

    fn redirect(&mut self, now: Instant, index: usize, message: &Message<'_>, verified: bool) {
        if !self.config.follow_alternate_server {
            return self.fail(index, Failure::Redirect("ALTERNATE-SERVER not followed"));
        }
        // §14.8: a 300 must be integrity protected and the client must check it first.
        if !verified {
            return self.fail(
                index,
                Failure::Redirect("300 without valid message integrity"),
            );
        }
        let Ok(Some(Attribute::AlternateServer(alternate))) =
            message.get(AttributeType::ALTERNATE_SERVER)
        else {
            return self.fail(index, Failure::Redirect("300 without ALTERNATE-SERVER"));
        };
        // §10: a server already tried for this request means a redirection loop.
        if self
            .requests
            .get(index)
            .is_some_and(|r| r.servers.contains(&alternate))
        {
            return self.fail(index, Failure::Redirect("redirection loop"));
        }
        self.retry(now, index, Some(alternate));
    }

    fn unauthenticated(
        &mut self,
        now: Instant,
        index: usize,
        server: SocketAddr,
        message: &Message<'_>,
        error: ErrorCode<'_>,
    ) {
        let Credentials::LongTerm {
            username,
            password,
            realm: expected_realm,
        } = &self.config.credentials
        else {
            return self.fail_error(index, error);
        };
        let (Some(realm), Some(nonce)) = (
            message.text(AttributeType::REALM),
            message.text(AttributeType::NONCE),
        ) else {
            return self.fail(
                index,
                Failure::Authentication("401 without REALM and NONCE"),
            );
        };
        if expected_realm.as_deref().is_some_and(|r| r != realm) {
            return self.fail(index, Failure::Authentication("401 from another realm"));
        }
        // §9.2.5: do not retry unless the username, realm or password changes.
        if self.requests.get(index).is_some_and(|r| r.authenticated)
            && self
                .long_term
                .get(&server)
                .is_some_and(|s| s.realm == realm)
        {
            return self.fail_error(index, error);
        }
        let session = match build_session(username, password, realm, nonce, message) {
            Ok(session) => session,
            Err(reason) => return self.fail(index, Failure::Authentication(reason)),
        };
        self.long_term.insert(server, session);
        self.retry(now, index, None);
    }

    fn stale_nonce(
        &mut self,
        now: Instant,
        index: usize,
        server: SocketAddr,
        message: &Message<'_>,
        error: ErrorCode<'_>,
    ) {
        let Some(nonce) = message.text(AttributeType::NONCE) else {
            return self.fail(index, Failure::Authentication("438 without NONCE"));
        };
        let Some(session) = self.long_term.get_mut(&server) else {
            return self.fail_error(index, error);
        };
        if bid_down(nonce, message) {
            return self.fail(
                index,
                Failure::Authentication("nonce cookie without PASSWORD-ALGORITHMS"),
            );
        }
        nonce.clone_into(&mut session.nonce);
        if let Some(realm) = message.text(AttributeType::REALM) {
            if realm != session.realm {
                return self.fail(index, Failure::Authentication("438 from another realm"));
            }
        }
        let retry = self
            .requests
            .get_mut(index)
            .map(|r| {
                r.stale_retries += 1;
                r.stale_retries <= self.config.stale_nonce_retries
            })
            .unwrap_or(false);
        if retry {
            self.retry(now, index, None);
        } else {
            self.fail_error(index, error);
        }
    }

    /// A new transaction for the same request, to `server` or the same destination.
    fn retry(&mut self, now: Instant, index: usize, server: Option<SocketAddr>) {
        let Some(request) = self.requests.get(index) else {
            return;
        };
        let destination = server.unwrap_or_else(|| request.transaction.destination());
        let transport = request.transport;
        match self.start_transaction(now, destination, transport) {
            Ok((transaction, authenticated)) => {
                if let Some(request) = self.requests.get_mut(index) {
                    request.transaction = transaction;
                    request.authenticated = authenticated;
                    request.integrity_violated = false;
                    if server.is_some() {
                        request.servers.push(destination);
                    }
                }
            }
            Err(_) => self.fail(
                index,
                Failure::Authentication("credentials cannot be encoded"),
            ),
        }
    }

    fn start_transaction(
        &mut self,
        now: Instant,
        server: SocketAddr,
        transport: Transport,
    ) -> Result<(ClientTransaction, bool), Error> {
        let id = TransactionId(self.rng.gen());
        let (payload, authenticated) = self.encode_request(id, server)?;
        let mut config = self.config.transaction;
        if let Some(estimate) = self
            .rtt
            .get(&server)
            .filter(|e| self.config.cache_rto && e.is_fresh(now))
        {
            config.rto = estimate.rto().max(config.rto);
        }
        let transaction = ClientTransaction::new(now, id, server, payload, transport, config);
        Ok((transaction, authenticated))
    }

    fn encode_request(
        &self,
        id: TransactionId,
        server: SocketAddr,
    ) -> Result<(Bytes, bool), Error> {
        let mut out = Vec::with_capacity(256);
        let mut b = MessageBuilder::new(&mut out, Class::Request, Method::BINDING, id);
        if let Some(software) = &self.config.software {
            b.software(software)?;
        }
        let mut authenticated = false;
        if let Some(session) = self.long_term.get(&server) {
            match &session.user_hash {
                Some(hash) => b.user_hash(hash)?,
                None => match &self.config.credentials {
                    Credentials::LongTerm { username, .. } => {
                        b.username(&opaque_string(username, "username")?)?
                    }
                    _ => {
                        return Err(Error::InvalidState(
                            "long-term session without long-term credentials",
                        ))
                    }
                },
            };
            b.realm(&session.realm)?;
            b.nonce(&session.nonce)?;
            if let Some(list) = &session.password_algorithms {
                b.attribute(AttributeType::PASSWORD_ALGORITHMS, list)?;
                b.password_algorithm(session.algorithm)?;
                b.message_integrity_sha256(&session.key, 32)?;
            } else {
                b.message_integrity(&session.key)?;
            }
            authenticated = true;
        } else if let Some((username, key)) = &self.short_term {
            b.username(username)?;
            let mode = self
                .modes
                .get(&server)
                .copied()
                .unwrap_or(IntegrityMode::Both);
            if matches!(mode, IntegrityMode::Both | IntegrityMode::Sha1) {
                b.message_integrity(key)?;
            }
            if matches!(mode, IntegrityMode::Both | IntegrityMode::Sha256) {
                b.message_integrity_sha256(key, 32)?;
            }
            authenticated = true;
        }
        if self.config.fingerprint {
            b.fingerprint()?;
        }
        b.finish();
        Ok((Bytes::from(out), authenticated))
    }

    fn fail_error(&mut self, index: usize, error: ErrorCode<'_>) {
        self.fail(
            index,
            Failure::ErrorResponse {
                code: error.code,
                reason: error.reason.to_owned(),
            },
        );
    }

    fn fail(&mut self, index: usize, reason: Failure) {
        if index < self.requests.len() {
            let request = self.requests.remove(index);
            self.events.push_back(Event::Failure {
                request: request.id,
                reason,
            });
        }
    }
}

/// §9.2.5: a nonce cookie announcing password algorithms without PASSWORD-ALGORITHMS.
fn bid_down(nonce: &str, message: &Message<'_>) -> bool {
    SecurityFeatures::from_nonce(nonce).is_some_and(|f| f.password_algorithms)
        && message.raw(AttributeType::PASSWORD_ALGORITHMS).is_none()
}

fn build_session(
    username: &str,
    password: &str,
    realm: &str,
    nonce: &str,
    message: &Message<'_>,
) -> Result<LongTermSession, &'static str> {
    if bid_down(nonce, message) {
        return Err("nonce cookie without PASSWORD-ALGORITHMS");
    }
    let features = SecurityFeatures::from_nonce(nonce).unwrap_or_default();
    let (algorithm, password_algorithms) = match message.get(AttributeType::PASSWORD_ALGORITHMS) {
        Ok(Some(Attribute::PasswordAlgorithms(list))) => {
            let algorithm = list
                .iter()
                .map(|(a, _)| a)
                .find(|a| matches!(*a, PasswordAlgorithm::MD5 | PasswordAlgorithm::SHA256))
                .ok_or("no supported password algorithm")?;
            (algorithm, Some(list.as_bytes().to_vec()))
        }
        Ok(_) => (PasswordAlgorithm::MD5, None),
        Err(_) => return Err("malformed PASSWORD-ALGORITHMS"),
    };
    let username = opaque_string(username, "username").map_err(|_| "invalid username")?;
    let key = IntegrityKey::long_term(&username, realm, password, algorithm)
        .map_err(|_| "invalid realm or password")?;
    let user_hash = if features.username_anonymity {
        Some(user_hash(&username, realm).map_err(|_| "invalid username")?)
    } else {
        None
    };
    Ok(LongTermSession {
        realm: realm.to_owned(),
        nonce: nonce.to_owned(),
        key,
        password_algorithms,
        algorithm,
        user_hash,
    })
}
