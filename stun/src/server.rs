//! The sans-IO STUN server: Binding responses, optional authentication (RFC 8489 §6.3, §9, §12).

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use crate::attribute::{Attribute, AttributeType, ErrorCode, PasswordAlgorithm};
use crate::builder::MessageBuilder;
use crate::integrity::{opaque_string, user_hash, IntegrityKey, SecurityFeatures};
use crate::message::{Class, Message, Method};
use crate::transaction::Transmit;
use crate::Error;

/// How the server authenticates requests (§9). A basic server uses none (§12).
#[derive(Debug, Clone, Default)]
pub enum Authentication {
    /// Answer every Binding request.
    #[default]
    None,
    /// Short-term credentials (§9.1): username → password.
    ShortTerm {
        /// Valid usernames and their passwords.
        users: HashMap<String, String>,
    },
    /// Long-term credentials (§9.2) in `realm`, with nonces valid for `nonce_lifetime`.
    LongTerm {
        /// The realm.
        realm: String,
        /// Valid usernames and their passwords.
        users: HashMap<String, String>,
        /// How long a nonce stays valid (default of [`Authentication::long_term`]: 10 min).
        nonce_lifetime: Duration,
        /// Offer PASSWORD-ALGORITHMS (SHA-256, MD5) and USERHASH (§9.2.4).
        password_algorithms: bool,
    },
}

impl Authentication {
    /// Long-term credentials with a 10-minute nonce lifetime and PASSWORD-ALGORITHMS offered.
    pub fn long_term(realm: impl Into<String>, users: HashMap<String, String>) -> Self {
        Self::LongTerm {
            realm: realm.into(),
            users,
            nonce_lifetime: Duration::from_secs(600),
            password_algorithms: true,
        }
    }
}

/// Server configuration; `Default` is a basic STUN server (§12).
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Authentication.
    pub authentication: Authentication,
    /// SOFTWARE to add to responses (§6.3.1.1: SHOULD).
    pub software: Option<String>,
    /// Add MAPPED-ADDRESS besides XOR-MAPPED-ADDRESS, for old clients (default true).
    pub mapped_address: bool,
    /// Add FINGERPRINT to responses to RFC 5389/8489 clients (default true).
    pub fingerprint: bool,
    /// Answer RFC 3489 clients (no magic cookie) with MAPPED-ADDRESS (RFC 5389 §12.2; default true).
    pub classic_clients: bool,
    /// Treat CHANGE-REQUEST (0x0003, RFC 5780) with no flags set as understood; with flags
    /// set it stays unknown (this server has no alternate address) and is answered with 420.
    /// Default true, so RFC 3489 and RFC 5780 clients get their basic binding answered.
    pub accept_empty_change_request: bool,
    /// Seed for the nonce secret; OS entropy when `None`.
    pub rng_seed: Option<[u8; 32]>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            authentication: Authentication::None,
            software: None,
            mapped_address: true,
            fingerprint: true,
            classic_clients: true,
            accept_empty_change_request: true,
            rng_seed: None,
        }
    }
}

/// Keys precomputed per user.
#[derive(Debug)]
struct User {
    name: String,
    md5: Option<IntegrityKey>,
    sha256: Option<IntegrityKey>,
    short_term: Option<IntegrityKey>,
}

/// The key and algorithm that authenticated a request, used to protect the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protection {
    Sha1,
    Sha256,
}

/// The sans-IO STUN server.
///
/// It is stateless per request (Binding is idempotent, §6.3.1): each request is answered
/// from its own content. Long-term nonces are MACs of the client's address and an expiry
/// time, so no per-client state is kept either.
///
/// ```text
/// server.handle_input(now, source, &datagram);
/// while let Some(t) = server.poll_transmit() { socket.send_to(&t.payload, t.destination) }
/// ```
#[derive(Debug)]
pub struct Server {
    config: ServerConfig,
    epoch: Instant,
    nonce_secret: IntegrityKey,
    users: HashMap<String, User>,
    user_hashes: HashMap<[u8; 32], String>,
    transmits: VecDeque<Transmit>,
}

impl Server {
    /// A server; `now` is the epoch its nonces count from.
    ///
    /// # Errors
    /// [`Error::OpaqueString`] for a username, realm or password that is not a valid OpaqueString.
    pub fn new(config: ServerConfig, now: Instant) -> Result<Self, Error> {
        let mut rng = match config.rng_seed {
            Some(seed) => ChaCha20Rng::from_seed(seed),
            None => ChaCha20Rng::from_entropy(),
        };
        let mut secret = [0u8; 32];
        rng.fill_bytes(&mut secret);
        let mut users = HashMap::new();
        let mut user_hashes = HashMap::new();
        match &config.authentication {
            Authentication::None => {}
            Authentication::ShortTerm { users: list } => {
                for (name, password) in list {
                    let name = opaque_string(name, "username")?.into_owned();
                    let user = User {
                        name: name.clone(),
                        md5: None,
                        sha256: None,
                        short_term: Some(IntegrityKey::short_term(password)?),
                    };
                    users.insert(name, user);
                }
            }
            Authentication::LongTerm {
                realm, users: list, ..
            } => {
                for (name, password) in list {
                    let name = opaque_string(name, "username")?.into_owned();
                    let user = User {
                        name: name.clone(),
                        md5: Some(IntegrityKey::long_term(
                            &name,
                            realm,
                            password,
                            PasswordAlgorithm::MD5,
                        )?),
                        sha256: Some(IntegrityKey::long_term(
                            &name,
                            realm,
                            password,
                            PasswordAlgorithm::SHA256,
                        )?),
                        short_term: None,
                    };
                    user_hashes.insert(user_hash(&name, realm)?, name.clone());
                    users.insert(name, user);
                }
            }
        }
        Ok(Self {
            config,
            epoch: now,
            nonce_secret: IntegrityKey::from_bytes(&secret),
            users,
            user_hashes,
            transmits: VecDeque::new(),
        })
    }

    /// Feeds a datagram received from `source`. Returns whether it was STUN (answered or
    /// dropped as the RFC says); `false` means another protocol's packet.
    pub fn handle_input(&mut self, now: Instant, source: SocketAddr, datagram: &[u8]) -> bool {
        let reply_to = source;
        // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; the mapped address is IPv4.
        let source = match source {
            SocketAddr::V6(v6) => match v6.ip().to_ipv4_mapped() {
                Some(v4) => SocketAddr::new(v4.into(), v6.port()),
                None => source,
            },
            SocketAddr::V4(_) => source,
        };
        let decoded = if self.config.classic_clients {
            Message::decode_classic(datagram)
        } else {
            Message::decode(datagram)
        };
        let message = match decoded {
            Ok(m) => m,
            Err(error) => {
                tracing::debug!(%source, %error, "not a valid STUN message");
                return false;
            }
        };
        // §6.3: a wrong FINGERPRINT means the message is dropped (it may not be STUN).
        if message.has_fingerprint() && message.verify_fingerprint().is_err() {
            tracing::debug!(%source, "STUN message with a wrong FINGERPRINT dropped");
            return false;
        }
        if message.method() != Method::BINDING {
            tracing::debug!(%source, method = message.method().number(), "unsupported STUN method dropped");
            return true;
        }
        match message.class() {
            Class::Request => {
                if let Some(payload) = self.answer(now, source, &message) {
                    self.transmits.push_back(Transmit {
                        destination: reply_to,
                        payload,
                    });
                }
            }
            Class::Indication => tracing::trace!(%source, "Binding indication (keep-alive)"),
            Class::SuccessResponse | Class::ErrorResponse => {
                tracing::debug!(%source, "unexpected STUN response dropped");
            }
        }
        true
    }

    /// The next response to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// Builds the answer to a Binding request; `None` when it must be dropped.
    fn answer(&self, now: Instant, source: SocketAddr, request: &Message<'_>) -> Option<Bytes> {
        if request.is_classic() {
            return self.answer_classic(source, request);
        }
        let auth = match self.authenticate(now, source, request) {
            Ok(auth) => auth,
            Err(rejection) => return self.reject(request, rejection),
        };
        // §6.3.1: unknown comprehension-required attributes get a 420.
        let unknown = self.unknown_attributes(request);
        if !unknown.is_empty() {
            return self.reject(
                request,
                Rejection {
                    code: ErrorCode::UNKNOWN_ATTRIBUTE,
                    unknown,
                    protect: auth,
                    ..Rejection::default()
                },
            );
        }
        let mut out = Vec::with_capacity(128);
        let mut b = MessageBuilder::new(
            &mut out,
            Class::SuccessResponse,
            Method::BINDING,
            request.transaction_id(),
        );
        let result = (|| {
            b.xor_mapped_address(source)?;
            if self.config.mapped_address {
                b.mapped_address(source)?;
            }
            if let Some(software) = &self.config.software {
                b.software(software)?;
            }
            self.protect(&mut b, auth)?;
            if self.config.fingerprint {
                b.fingerprint()?;
            }
            Ok::<(), Error>(())
        })();
        if let Err(error) = result {
            tracing::warn!(%error, "cannot encode a Binding response");
            return None;
        }
        b.finish();
        Some(Bytes::from(out))
    }

    /// RFC 5389 §12.2: copy the cookie field, answer with MAPPED-ADDRESS only.
    fn answer_classic(&self, source: SocketAddr, request: &Message<'_>) -> Option<Bytes> {
        let mut out = Vec::with_capacity(64);
        let mut b = MessageBuilder::with_cookie(
            &mut out,
            Class::SuccessResponse,
            Method::BINDING,
            request.cookie(),
            request.transaction_id(),
        );
        let unknown = self.unknown_attributes(request);
        if !unknown.is_empty() {
            let mut out = Vec::with_capacity(64);
            let mut b = MessageBuilder::with_cookie(
                &mut out,
                Class::ErrorResponse,
                Method::BINDING,
                request.cookie(),
                request.transaction_id(),
            );
            b.error_code(420, ErrorCode::default_reason(420)).ok()?;
            b.unknown_attributes(&unknown).ok()?;
            b.finish();
            return Some(Bytes::from(out));
        }
        b.mapped_address(source).ok()?;
        if let Some(software) = &self.config.software {
            b.software(software).ok()?;
        }
        b.finish();
        Some(Bytes::from(out))
    }

    fn unknown_attributes(&self, request: &Message<'_>) -> Vec<AttributeType> {
        request
            .attributes()
            .filter(|a| {
                let t = a.attribute_type;
                if !t.is_comprehension_required() || t.is_known() {
                    return false;
                }
                let empty_change_request = t == AttributeType::CHANGE_REQUEST
                    && self.config.accept_empty_change_request
                    && a.value.iter().all(|&b| b == 0);
                !empty_change_request
            })
            .map(|a| a.attribute_type)
            .take(32)
            .collect()
    }

    /// Runs §9.1.3 or §9.2.4; `Ok(None)` when no authentication is configured.
    fn authenticate(
        &self,
        now: Instant,
        source: SocketAddr,
        request: &Message<'_>,
    ) -> Result<Option<(&IntegrityKey, Protection)>, Rejection<'_>> {
        match &self.config.authentication {
            Authentication::None => Ok(None),
            Authentication::ShortTerm { .. } => {
                let username = request.text(AttributeType::USERNAME);
                let has_integrity = request.has_integrity() || request.has_integrity_sha256();
                let Some(username) = username.filter(|_| has_integrity) else {
                    return Err(Rejection::code(ErrorCode::BAD_REQUEST));
                };
                let Some(key) = self.users.get(username).and_then(|u| u.short_term.as_ref()) else {
                    return Err(Rejection::code(ErrorCode::UNAUTHENTICATED));
                };
                if request.verify_integrity(key).is_err() {
                    return Err(Rejection::code(ErrorCode::UNAUTHENTICATED));
                }
                let protection = if request.has_integrity_sha256() {
                    Protection::Sha256
                } else {
                    Protection::Sha1
                };
                Ok(Some((key, protection)))
            }
            Authentication::LongTerm {
                password_algorithms,
                ..
            } => self.authenticate_long_term(now, source, request, *password_algorithms),
        }
    }

    fn authenticate_long_term(
        &self,
        now: Instant,
        source: SocketAddr,
        request: &Message<'_>,
        offer_algorithms: bool,
    ) -> Result<Option<(&IntegrityKey, Protection)>, Rejection<'_>> {
        let challenge = |code| Rejection {
            code,
            challenge: Some(source),
            now: Some(now),
            ..Rejection::default()
        };
        if !request.has_integrity() && !request.has_integrity_sha256() {
            return Err(challenge(ErrorCode::UNAUTHENTICATED));
        }
        let user = request
            .text(AttributeType::USERNAME)
            .map(str::to_owned)
            .or_else(|| match request.get(AttributeType::USERHASH) {
                Ok(Some(Attribute::UserHash(hash))) => self.user_hashes.get(hash).cloned(),
                _ => None,
            });
        let has_user = request.raw(AttributeType::USERNAME).is_some()
            || request.raw(AttributeType::USERHASH).is_some();
        let (Some(_), Some(nonce)) = (
            request.text(AttributeType::REALM),
            request.text(AttributeType::NONCE),
        ) else {
            return Err(Rejection::code(ErrorCode::BAD_REQUEST));
        };
        if !has_user {
            return Err(Rejection::code(ErrorCode::BAD_REQUEST));
        }
        // §9.2.4: with the password-algorithms bit set, the algorithm lists must match.
        let mut algorithm = PasswordAlgorithm::MD5;
        let uses_algorithms =
            SecurityFeatures::from_nonce(nonce).is_some_and(|f| f.password_algorithms);
        if uses_algorithms {
            let list = request.raw(AttributeType::PASSWORD_ALGORITHMS);
            let chosen = request.get(AttributeType::PASSWORD_ALGORITHM);
            match (list, chosen) {
                (None, Ok(None)) => {}
                (Some(list), Ok(Some(Attribute::PasswordAlgorithm(a, _)))) => {
                    if list.value != offered_algorithms().as_slice()
                        || !matches!(a, PasswordAlgorithm::MD5 | PasswordAlgorithm::SHA256)
                    {
                        return Err(Rejection::code(ErrorCode::BAD_REQUEST));
                    }
                    algorithm = a;
                }
                _ => return Err(Rejection::code(ErrorCode::BAD_REQUEST)),
            }
        }
        let Some(user) = user.as_deref().and_then(|u| self.users.get(u)) else {
            return Err(challenge(ErrorCode::UNAUTHENTICATED));
        };
        let key = if algorithm == PasswordAlgorithm::SHA256 {
            user.sha256.as_ref()
        } else {
            user.md5.as_ref()
        };
        let Some(key) = key else {
            return Err(challenge(ErrorCode::UNAUTHENTICATED));
        };
        if request.verify_integrity(key).is_err() {
            tracing::debug!(user = %user.name, "long-term integrity check failed");
            return Err(challenge(ErrorCode::UNAUTHENTICATED));
        }
        if !self.nonce_is_valid(now, source, nonce, offer_algorithms) {
            return Err(challenge(ErrorCode::STALE_NONCE));
        }
        let protection = if request.has_integrity_sha256() {
            Protection::Sha256
        } else {
            Protection::Sha1
        };
        Ok(Some((key, protection)))
    }

    /// Nonce = cookie + expiry (ms since epoch, hex) + 16 hex digits of HMAC(secret, expiry, source).
    fn make_nonce(&self, now: Instant, source: SocketAddr) -> String {
        let Authentication::LongTerm {
            nonce_lifetime,
            password_algorithms,
            ..
        } = &self.config.authentication
        else {
            return String::new();
        };
        let expiry = (now + *nonce_lifetime)
            .saturating_duration_since(self.epoch)
            .as_millis() as u64;
        let features = SecurityFeatures {
            password_algorithms: *password_algorithms,
            username_anonymity: *password_algorithms,
        };
        let mut nonce = features.nonce_cookie();
        nonce.push_str(&format!("{expiry:016x}"));
        for b in self.nonce_mac(expiry, source) {
            nonce.push_str(&format!("{b:02x}"));
        }
        nonce
    }

    fn nonce_mac(&self, expiry: u64, source: SocketAddr) -> [u8; 8] {
        let mut input = Vec::with_capacity(40);
        input.extend_from_slice(&expiry.to_be_bytes());
        input.extend_from_slice(source.to_string().as_bytes());
        let mac = self.nonce_secret.mac_sha256(&input);
        let mut out = [0u8; 8];
        out.copy_from_slice(mac.get(..8).unwrap_or(&[0; 8]));
        out
    }

    fn nonce_is_valid(&self, now: Instant, source: SocketAddr, nonce: &str, offer: bool) -> bool {
        let features = SecurityFeatures {
            password_algorithms: offer,
            username_anonymity: offer,
        };
        let Some(rest) = nonce.strip_prefix(features.nonce_cookie().as_str()) else {
            return false;
        };
        let (Some(expiry), Some(mac)) = (rest.get(..16), rest.get(16..)) else {
            return false;
        };
        let Ok(expiry) = u64::from_str_radix(expiry, 16) else {
            return false;
        };
        let expected: String = self
            .nonce_mac(expiry, source)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if mac.len() != expected.len() || !constant_time_eq(mac.as_bytes(), expected.as_bytes()) {
            return false;
        }
        (now.saturating_duration_since(self.epoch).as_millis() as u64) < expiry
    }

    fn protect(
        &self,
        b: &mut MessageBuilder<'_>,
        auth: Option<(&IntegrityKey, Protection)>,
    ) -> Result<(), Error> {
        match auth {
            Some((key, Protection::Sha1)) => {
                b.message_integrity(key)?;
            }
            Some((key, Protection::Sha256)) => {
                b.message_integrity_sha256(key, 32)?;
            }
            None => {}
        }
        Ok(())
    }

    fn reject(&self, request: &Message<'_>, rejection: Rejection) -> Option<Bytes> {
        let code = rejection.code;
        let mut out = Vec::with_capacity(160);
        let mut b = MessageBuilder::new(
            &mut out,
            Class::ErrorResponse,
            Method::BINDING,
            request.transaction_id(),
        );
        let result = (|| {
            b.error_code(code, ErrorCode::default_reason(code))?;
            if !rejection.unknown.is_empty() {
                b.unknown_attributes(&rejection.unknown)?;
            }
            if let (
                Some(source),
                Authentication::LongTerm {
                    realm,
                    password_algorithms,
                    ..
                },
            ) = (rejection.challenge, &self.config.authentication)
            {
                // §9.2.4: 401 and 438 carry REALM, a fresh NONCE and PASSWORD-ALGORITHMS.
                b.realm(realm)?;
                b.nonce(&self.make_nonce(rejection.now.unwrap_or(self.epoch), source))?;
                if *password_algorithms {
                    b.attribute(AttributeType::PASSWORD_ALGORITHMS, &offered_algorithms())?;
                }
            }
            if let Some(software) = &self.config.software {
                b.software(software)?;
            }
            self.protect(&mut b, rejection.protect)?;
            if self.config.fingerprint {
                b.fingerprint()?;
            }
            Ok::<(), Error>(())
        })();
        if let Err(error) = result {
            tracing::warn!(%error, "cannot encode a STUN error response");
            return None;
        }
        b.finish();
        Some(Bytes::from(out))
    }
}

/// Why a request is rejected and what goes into the error response.
#[derive(Debug, Default)]
struct Rejection<'k> {
    code: u16,
    unknown: Vec<AttributeType>,
    challenge: Option<SocketAddr>,
    now: Option<Instant>,
    protect: Option<(&'k IntegrityKey, Protection)>,
}

impl Rejection<'_> {
    fn code(code: u16) -> Self {
        Self {
            code,
            ..Self::default()
        }
    }
}

/// PASSWORD-ALGORITHMS value this server offers: SHA-256 then MD5, no parameters.
fn offered_algorithms() -> [u8; 8] {
    [0, 2, 0, 0, 0, 1, 0, 0]
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
