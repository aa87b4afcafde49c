//! The tokio [`Endpoint`]: UDP and TCP transports joined to a `sip-transaction` layer.
//!
//! The [`TransactionLayer`] and the connection table sit behind one lock, and whoever has
//! work for them runs it on its own task (run to completion): socket tasks read, parse and
//! apply [`stamp_received`](crate::stamp_received) without the lock, then feed the layer
//! with `Instant::now()` under it; the datagrams it emits are written after the lock is
//! released. Responses and requests of the application run the same way on the
//! application's task. So a request crosses one queue only, to the application (requests
//! reach it as [`ServerTransaction`]s, [`Endpoint::accept`]); requests it sends become
//! [`ClientTransaction`]s. One timer task sleeps until the layer's `poll_timeout`. Every
//! tokio worker thread can do protocol work.
//!
//! Overload: when the application's queue is full a new request is answered 503 with
//! Retry-After; the transaction layer answers 503 past
//! [`Config::max_server_transactions`](sip_transaction::Config::max_server_transactions).
//! Socket buffers are the only other queues: UDP drops what overflows them (the peer
//! retransmits) and TCP flow control pushes back on the peer.

mod conn;
mod core;
mod net;
mod tls;

pub use tls::{load_certificates, load_private_key};
/// The rustls version this crate uses, to build a client configuration.
pub use tokio_rustls::rustls;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sip_message::{Message, ParserConfig, Request, Response};
use sip_transaction::{
    ClientTransactionKey, Config, ServerTransactionKey, TransactionLayer, TransportKind,
};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::{Error, Resolution, Result, SendPolicy, SipUri, Target, TargetList};

use self::core::Shared;

/// Builds an [`Endpoint`]: `Endpoint::builder().udp(addr).tcp(addr).build().await`.
#[derive(Debug, Clone)]
pub struct EndpointBuilder {
    udp: Vec<SocketAddr>,
    tcp: Vec<SocketAddr>,
    tls: Vec<(SocketAddr, PathBuf, PathBuf)>,
    ws: Vec<SocketAddr>,
    wss: Vec<(SocketAddr, PathBuf, PathBuf)>,
    tls_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
    tls_system_roots: bool,
    tls_client: Option<Arc<rustls::ClientConfig>>,
    transaction: Config,
    parser: ParserConfig,
    queue: usize,
    idle_timeout: Duration,
    max_connections: usize,
    udp_readers: usize,
    udp_buffer: usize,
    policy: SendPolicy,
    retry_after: u32,
}

impl Default for EndpointBuilder {
    fn default() -> Self {
        Self {
            udp: Vec::new(),
            tcp: Vec::new(),
            tls: Vec::new(),
            ws: Vec::new(),
            wss: Vec::new(),
            tls_roots: Vec::new(),
            tls_system_roots: false,
            tls_client: None,
            transaction: Config::default(),
            parser: ParserConfig::default(),
            queue: 4096,
            idle_timeout: Duration::from_secs(64),
            max_connections: 4096,
            udp_readers: 2,
            udp_buffer: 4 << 20,
            policy: SendPolicy::default(),
            retry_after: 5,
        }
    }
}

impl EndpointBuilder {
    /// Listens on UDP `addr` (port 0 picks a free port; see [`Endpoint::local_addr`]).
    #[must_use]
    pub fn udp(mut self, addr: SocketAddr) -> Self {
        self.udp.push(addr);
        self
    }

    /// Listens on TCP `addr`.
    #[must_use]
    pub fn tcp(mut self, addr: SocketAddr) -> Self {
        self.tcp.push(addr);
        self
    }

    /// Listens for TLS on `addr` with the certificate chain and private key of these PEM
    /// files (read at [`build`](Self::build)).
    #[must_use]
    pub fn tls(mut self, addr: SocketAddr, cert: impl AsRef<Path>, key: impl AsRef<Path>) -> Self {
        self.tls.push((
            addr,
            cert.as_ref().to_path_buf(),
            key.as_ref().to_path_buf(),
        ));
        self
    }

    /// Listens for WebSocket connections (RFC 7118, subprotocol `sip`) on `addr`.
    #[must_use]
    pub fn ws(mut self, addr: SocketAddr) -> Self {
        self.ws.push(addr);
        self
    }

    /// Listens for secure WebSocket connections (RFC 7118 over TLS) on `addr`.
    #[must_use]
    pub fn wss(mut self, addr: SocketAddr, cert: impl AsRef<Path>, key: impl AsRef<Path>) -> Self {
        self.wss.push((
            addr,
            cert.as_ref().to_path_buf(),
            key.as_ref().to_path_buf(),
        ));
        self
    }

    /// Trusts this certificate authority for outgoing TLS connections. Without roots
    /// ([`tls_root`](Self::tls_root), [`tls_system_roots`](Self::tls_system_roots)) or
    /// [`tls_client_config`](Self::tls_client_config) no server is trusted and every
    /// outgoing TLS handshake fails.
    #[must_use]
    pub fn tls_root(mut self, cert: rustls::pki_types::CertificateDer<'static>) -> Self {
        self.tls_roots.push(cert);
        self
    }

    /// Trusts the operating system's certificate authorities (the platform store, or
    /// `SSL_CERT_FILE` / `SSL_CERT_DIR`) for outgoing TLS connections, besides any
    /// [`tls_root`](Self::tls_root). Certificates that cannot be read are skipped and logged.
    #[must_use]
    pub fn tls_system_roots(mut self) -> Self {
        self.tls_system_roots = true;
        self
    }

    /// The whole rustls client configuration for outgoing TLS (replaces the roots).
    #[must_use]
    pub fn tls_client_config(mut self, config: Arc<rustls::ClientConfig>) -> Self {
        self.tls_client = Some(config);
        self
    }

    /// The transaction layer's configuration (timers, caps, RNG seed).
    #[must_use]
    pub fn transaction_config(mut self, config: Config) -> Self {
        self.transaction = config;
        self
    }

    /// The parser configuration (limits; the maximum message size closes streams).
    #[must_use]
    pub fn parser_config(mut self, config: ParserConfig) -> Self {
        self.parser = config;
        self
    }

    /// Capacity of each queue (incoming requests, core input, commands). Default 4096.
    #[must_use]
    pub fn queue_capacity(mut self, capacity: usize) -> Self {
        self.queue = capacity;
        self
    }

    /// Idle time after which a TCP connection is closed. Default 64 s.
    #[must_use]
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Most open TCP connections. Default 4096.
    #[must_use]
    pub fn max_connections(mut self, count: usize) -> Self {
        self.max_connections = count;
        self
    }

    /// Tasks reading each UDP socket (parsing happens there, in parallel). Default 2.
    ///
    /// With more than one, two datagrams that arrive back to back (a 180 and then a 200,
    /// say) may be handled in the other order, as UDP allows anyway: the transaction layer
    /// copes (a provisional response after the final one is absorbed), but a TU that must
    /// see every provisional response in order should use one reader.
    #[must_use]
    pub fn udp_readers(mut self, count: usize) -> Self {
        self.udp_readers = count;
        self
    }

    /// Kernel receive and send buffer of each UDP socket, in bytes (capped by the
    /// system's `rmem_max`/`wmem_max`). Default 4 MiB.
    #[must_use]
    pub fn udp_buffer_size(mut self, bytes: usize) -> Self {
        self.udp_buffer = bytes;
        self
    }

    /// The §18.1.1 policy (path MTU).
    #[must_use]
    pub fn send_policy(mut self, policy: SendPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Seconds in the Retry-After of overload 503s. Default 5.
    #[must_use]
    pub fn retry_after(mut self, seconds: u32) -> Self {
        self.retry_after = seconds;
        self
    }

    /// Binds the sockets and starts the core task on the current tokio runtime.
    ///
    /// # Errors
    /// [`Error::Io`] when a socket cannot be bound; [`Error::Transaction`] for an invalid
    /// transaction configuration; [`Error::InvalidConfig`] without any listener or with a
    /// zero queue capacity.
    pub async fn build(self) -> Result<Endpoint> {
        if self.udp.is_empty()
            && self.tcp.is_empty()
            && self.tls.is_empty()
            && self.ws.is_empty()
            && self.wss.is_empty()
        {
            return Err(Error::InvalidConfig {
                field: "listeners",
                expected: "at least one UDP or TCP address",
            });
        }
        if self.queue == 0 || self.udp_readers == 0 || self.max_connections == 0 {
            return Err(Error::InvalidConfig {
                field: "queue_capacity, udp_readers, max_connections",
                expected: "greater than zero",
            });
        }
        let layer = TransactionLayer::new(self.transaction.clone())?;
        let (incoming_tx, incoming_rx) = mpsc::channel(self.queue);
        let (net, listeners) = net::Net::bind(&self).await?;
        let local = net.local_addrs();
        let shared = Shared::new(layer, net, &self, incoming_tx)?;
        let mut tasks = listeners.spawn(&shared);
        tasks.push(tokio::spawn(Arc::clone(&shared).run_timers()));
        Ok(Endpoint {
            shared,
            incoming: incoming_rx,
            local,
            tasks,
        })
    }
}

/// A SIP endpoint on tokio: transports plus a transaction layer.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> sip_transport::Result<()> {
/// use sip_message::StatusCode;
/// use sip_transport::{Endpoint, Incoming};
/// let mut endpoint = Endpoint::builder().udp("127.0.0.1:0".parse().unwrap()).build().await?;
/// // A stateful OPTIONS responder:
/// // while let Some(Incoming::Request(tx)) = endpoint.accept().await {
/// //     let ok = tx.request().response(StatusCode::OK, Some("t1"))?.build()?;
/// //     tx.respond(ok).await?;
/// // }
/// endpoint.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Endpoint {
    shared: Arc<Shared>,
    incoming: mpsc::Receiver<Incoming>,
    local: Vec<(TransportKind, SocketAddr)>,
    tasks: Vec<JoinHandle<()>>,
}

impl Endpoint {
    /// A builder.
    pub fn builder() -> EndpointBuilder {
        EndpointBuilder::default()
    }

    /// The bound addresses, per transport.
    pub fn local_addrs(&self) -> &[(TransportKind, SocketAddr)] {
        &self.local
    }

    /// The first bound address of `transport`.
    pub fn local_addr(&self, transport: TransportKind) -> Option<SocketAddr> {
        self.local
            .iter()
            .find(|(t, _)| *t == transport)
            .map(|(_, a)| *a)
    }

    /// The next incoming request, ACK or CANCEL; `None` once the endpoint stopped.
    pub async fn accept(&mut self) -> Option<Incoming> {
        self.incoming.recv().await
    }

    /// Sends `request` to `target` as a new client transaction. The top Via is written
    /// (§18.1.1: sent-by, `rport`, branch) and the transport may switch from UDP to TCP for
    /// a large request.
    ///
    /// # Errors
    /// [`Error::Closed`] when the endpoint stopped; [`Error::Transaction`] or
    /// [`Error::Message`] when the request cannot be sent.
    pub async fn send_request(
        &self,
        request: Request,
        target: Target,
    ) -> Result<ClientTransaction> {
        self.send_request_named(request, target, None).await
    }

    /// As [`send_request`](Self::send_request), verifying a TLS server against
    /// `server_name` (the host of the `sips` URI) instead of its IP address.
    ///
    /// # Errors
    /// As [`send_request`](Self::send_request).
    pub async fn send_request_named(
        &self,
        request: Request,
        target: Target,
        server_name: Option<String>,
    ) -> Result<ClientTransaction> {
        self.shared.send_request(request, target, server_name)
    }

    /// Sends `request` to the targets of an RFC 3263 resolution in order, failing over
    /// (§4.3) when a transaction reports a transport error, times out without any response
    /// (Timer B or F) or is answered 503: each new attempt is a new client transaction
    /// (a new branch) to the next target. Returns the first transaction that got any other
    /// response (its first event is still to be read), or, when every target failed, the
    /// last attempt (its failure is its next event).
    ///
    /// # Errors
    /// [`Error::NoTarget`] for an empty list; otherwise the error of the last target that
    /// could not be tried at all (for example [`Error::UnsupportedTransport`]).
    pub async fn send_request_failover(
        &self,
        request: Request,
        mut targets: TargetList,
    ) -> Result<ClientTransaction> {
        let mut last: Result<ClientTransaction> = Err(Error::NoTarget(request.uri().to_owned()));
        while let Some(target) = targets.current() {
            targets.fail();
            let mut tx = match self.send_request(request.clone(), target).await {
                Ok(tx) => tx,
                Err(e) => {
                    if last.is_err() {
                        last = Err(e);
                    }
                    continue;
                }
            };
            let first = tx.events.recv().await;
            let failed = match &first {
                Some(ClientEvent::Final(r)) => TargetList::is_failover_status(r.status().as_u16()),
                Some(ClientEvent::Timeout | ClientEvent::TransportError) => true,
                Some(ClientEvent::Provisional(_)) | None => false,
            };
            tx.pending = first;
            if !failed {
                return Ok(tx);
            }
            tracing::debug!(address = %target.address, transport = %target.transport, "target failed, trying the next (RFC 3263 §4.3)");
            last = Ok(tx);
        }
        last
    }

    /// Sends a message outside any transaction (the ACK of a 2xx, §13.2.2.4).
    ///
    /// # Errors
    /// [`Error::Closed`] when the endpoint stopped.
    pub async fn send_stateless(&self, message: Message, target: Target) -> Result<()> {
        self.shared.send_stateless(message, target)
    }

    /// RFC 3263 targets of `uri` for the transports this endpoint has. Numeric hosts only
    /// without DNS; a host name gives [`Error::NoTarget`].
    ///
    /// # Errors
    /// [`Error::InvalidUri`] or [`Error::NoTarget`].
    pub fn targets(&self, uri: &str) -> Result<TargetList> {
        let uri = SipUri::parse(uri)?;
        let supported: Vec<TransportKind> = self.local.iter().map(|(t, _)| *t).collect();
        let resolution = Resolution::new(&uri, &supported);
        let mut rng = rand::thread_rng();
        let list = resolution.targets(&mut rng);
        if list.current().is_none() {
            return Err(Error::NoTarget(uri.host.to_string()));
        }
        Ok(list)
    }

    /// RFC 3263 targets of `uri` for the transports this endpoint has, found with DNS
    /// (NAPTR, SRV, A/AAAA) through `resolver` (feature `dns`).
    ///
    /// # Errors
    /// [`Error::InvalidUri`] or [`Error::NoTarget`].
    #[cfg(feature = "dns")]
    pub async fn resolve(&self, uri: &str, resolver: &crate::DnsResolver) -> Result<TargetList> {
        let uri = SipUri::parse(uri)?;
        let supported: Vec<TransportKind> = self.local.iter().map(|(t, _)| *t).collect();
        let resolution = crate::resolve(resolver, &uri, &supported).await;
        let list = resolution.targets(&mut rand::thread_rng());
        if list.current().is_none() {
            return Err(Error::NoTarget(uri.host.to_string()));
        }
        Ok(list)
    }

    /// Stops every socket task, the timer task and the connections, and waits for them.
    /// The UDP sockets close once the last [`ServerTransaction`] and [`ClientTransaction`]
    /// handle is dropped too (they can still answer until then).
    pub async fn shutdown(mut self) {
        self.shared.close();
        for task in std::mem::take(&mut self.tasks) {
            task.abort();
            let _ = task.await;
        }
    }
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        self.shared.close();
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// What [`Endpoint::accept`] yields.
#[derive(Debug)]
#[non_exhaustive]
pub enum Incoming {
    /// A new request: answer it through the server transaction.
    Request(ServerTransaction),
    /// A CANCEL (answered 200 or 481 by the application through `transaction`); `invite`
    /// is the INVITE server transaction it cancels, if alive (§9.2).
    Cancel {
        /// The CANCEL's own server transaction.
        transaction: ServerTransaction,
        /// The INVITE it cancels.
        invite: Option<ServerTransactionKey>,
    },
    /// The ACK of a 2xx (its own transaction, §13.3.1.4, RFC 6026).
    Ack {
        /// The ACK.
        request: Request,
        /// The INVITE server transaction in Accepted it matched.
        invite: Option<ServerTransactionKey>,
        /// Where it came from.
        source: SocketAddr,
        /// Over which transport.
        transport: TransportKind,
    },
}

/// A server transaction handed to the application.
#[derive(Debug)]
pub struct ServerTransaction {
    key: ServerTransactionKey,
    request: Request,
    source: SocketAddr,
    transport: TransportKind,
    shared: Arc<Shared>,
}

impl ServerTransaction {
    /// The key in the transaction layer.
    pub fn key(&self) -> ServerTransactionKey {
        self.key
    }

    /// The request (its top Via stamped with `received`/`rport`).
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// Where it came from; over UDP, where its responses go (§18.2.2, RFC 3581 §4: the
    /// source address and port with `rport`, else `received` at the sent-by port).
    pub fn source(&self) -> SocketAddr {
        self.source
    }

    /// Over which transport.
    pub fn transport(&self) -> TransportKind {
        self.transport
    }

    /// Sends a response (provisional or final), at once: the transaction layer runs on
    /// the calling task.
    ///
    /// # Errors
    /// None today (kept for API stability). Errors of the transaction layer (a second
    /// final response, a transaction gone …) are logged.
    pub async fn respond(&self, response: Response) -> Result<()> {
        self.shared.send_response(self.key, response);
        Ok(())
    }
}

/// What a client transaction reports.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ClientEvent {
    /// A provisional response.
    Provisional(Response),
    /// A final response (for an INVITE, every 2xx).
    Final(Response),
    /// Timer B or F fired, or another failure timer (the TU treats it as 408).
    Timeout,
    /// The transport failed (connection refused, reset, handshake failure).
    TransportError,
}

/// A client transaction started by [`Endpoint::send_request`].
#[derive(Debug)]
pub struct ClientTransaction {
    key: ClientTransactionKey,
    transport: TransportKind,
    events: mpsc::Receiver<ClientEvent>,
    /// An event read ahead (by [`Endpoint::send_request_failover`]).
    pending: Option<ClientEvent>,
    shared: Arc<Shared>,
}

impl ClientTransaction {
    /// The key in the transaction layer.
    pub fn key(&self) -> ClientTransactionKey {
        self.key
    }

    /// The transport actually used (§18.1.1 may have switched UDP to TCP).
    pub fn transport(&self) -> TransportKind {
        self.transport
    }

    /// The next event; `None` once the transaction terminated.
    pub async fn next_event(&mut self) -> Option<ClientEvent> {
        match self.pending.take() {
            Some(event) => Some(event),
            None => self.events.recv().await,
        }
    }

    /// Waits for the final response, skipping provisional ones.
    ///
    /// # Errors
    /// [`Error::Timeout`] or [`Error::TransportFailed`] as the transaction reports;
    /// [`Error::Closed`] when it ended without a final response.
    pub async fn final_response(&mut self) -> Result<Response> {
        loop {
            match self.next_event().await {
                Some(ClientEvent::Final(r)) => return Ok(r),
                Some(ClientEvent::Provisional(_)) => {}
                Some(ClientEvent::Timeout) => return Err(Error::Timeout),
                Some(ClientEvent::TransportError) => return Err(Error::TransportFailed),
                None => return Err(Error::Closed),
            }
        }
    }

    /// Cancels an INVITE (§9.1).
    ///
    /// # Errors
    /// [`Error::Closed`] when the endpoint stopped.
    pub async fn cancel(&self) -> Result<()> {
        self.shared.cancel(self.key);
        Ok(())
    }
}
