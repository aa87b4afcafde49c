//! The shared core: the transaction layer and the connection table behind one lock.
//!
//! Socket tasks and the application call into it directly (run to completion): a message is
//! parsed outside the lock, fed to the layer inside it, and the datagrams the layer emits
//! are written after the lock is released. A request thus costs no hop between tasks
//! besides the one to the application, and every tokio worker can do protocol work. One
//! timer task sleeps until the earliest deadline and is woken when an input moves it
//! earlier.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Instant;

use bytes::Bytes;
use sip_message::{Host, Message, Request, Response, StatusCode};
use sip_transaction::{
    ClientTransactionKey, Event, ServerTransactionKey, TransactionKey, TransactionLayer, Transmit,
    TransportKind,
};
use smallvec::SmallVec;
use tokio::sync::{mpsc, Notify};

use super::net::{overload_response, send_udp, ConnectionHandle, Input, Net};
use super::{ClientEvent, ClientTransaction, EndpointBuilder, Incoming, ServerTransaction};
use crate::{
    prepare_request, ConnectionKey, Connections, Error, ResponseRoute, ResponseTarget, Result,
    SendPolicy, SentBy, Target,
};

/// Events queued per client transaction.
const CLIENT_QUEUE: usize = 16;
/// Destinations whose Via address is remembered (wildcard binds).
const SOURCE_IP_CACHE: usize = 1024;

/// Datagrams written after one call into the core (most calls emit 0–2).
type Datagrams = SmallVec<[(SocketAddr, Bytes); 4]>;

/// The core and what is used without its lock.
pub(super) struct Shared {
    core: Mutex<Core>,
    /// Wakes the timer task: the earliest deadline moved earlier, or the endpoint closed.
    timer: Notify,
    /// The UDP sockets datagrams are written from (plain non-blocking sockets: tokio's
    /// `try_send_to` reports WouldBlock until the reactor has seen the socket writable).
    udp: Vec<(SocketAddr, std::net::UdpSocket)>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared").finish_non_exhaustive()
    }
}

struct Core {
    layer: TransactionLayer,
    net: Net,
    connections: Connections<ConnectionHandle>,
    clients: HashMap<ClientTransactionKey, (mpsc::Sender<ClientEvent>, ConnectionKey)>,
    /// To the application; `None` once the endpoint closed.
    incoming: Option<mpsc::Sender<Incoming>>,
    policy: SendPolicy,
    retry_after: u32,
    /// TLS server names to verify, by connection, until the connection is opened.
    server_names: HashMap<ConnectionKey, String>,
    max_connections: usize,
    /// Datagrams to write once the lock is released.
    datagrams: Datagrams,
    /// The deadline the timer task sleeps until.
    armed: Option<Instant>,
    closed: bool,
    /// Via addresses chosen for destinations, with a wildcard bind.
    source_ips: HashMap<IpAddr, IpAddr>,
    this: Weak<Shared>,
}

impl Shared {
    pub(super) fn new(
        layer: TransactionLayer,
        net: Net,
        builder: &EndpointBuilder,
        incoming: mpsc::Sender<Incoming>,
    ) -> std::io::Result<Arc<Self>> {
        let udp = net.udp_senders()?;
        Ok(Arc::new_cyclic(|this| Self {
            core: Mutex::new(Core {
                layer,
                net,
                connections: Connections::new(builder.idle_timeout, builder.max_connections),
                clients: HashMap::new(),
                incoming: Some(incoming),
                policy: builder.policy,
                retry_after: builder.retry_after,
                server_names: HashMap::new(),
                max_connections: builder.max_connections,
                datagrams: Datagrams::new(),
                armed: None,
                closed: false,
                source_ips: HashMap::new(),
                this: this.clone(),
            }),
            timer: Notify::new(),
            udp,
        }))
    }

    fn lock(&self) -> MutexGuard<'_, Core> {
        // A panic while holding the lock cannot leave the layer half-updated in a way
        // that is worse than stopping: keep serving.
        self.core.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` on the core, drains what the layer emitted, then writes the datagrams
    /// and wakes the timer task if the earliest deadline moved earlier.
    fn with<R>(&self, f: impl FnOnce(&mut Core, Instant) -> R) -> R {
        let mut core = self.lock();
        let now = Instant::now();
        let result = f(&mut core, now);
        core.flush(now);
        let datagrams = std::mem::take(&mut core.datagrams);
        let deadline = core.deadline();
        let wake = deadline.is_some_and(|d| core.armed.is_none_or(|a| d < a));
        if wake {
            core.armed = deadline;
        }
        drop(core);
        for (destination, payload) in &datagrams {
            if let Err(e) = send_udp(&self.udp, *destination, payload) {
                tracing::info!(%destination, error = %e, "UDP send failed");
            }
        }
        if wake {
            self.timer.notify_one();
        }
        result
    }

    /// A message or connection event from a socket task; false once the endpoint closed.
    pub(super) fn input(&self, input: Input) -> bool {
        self.with(|core, now| {
            if core.closed {
                return false;
            }
            core.handle_input(now, input);
            true
        })
    }

    pub(super) fn send_response(&self, key: ServerTransactionKey, response: Response) {
        self.with(|core, now| {
            if let Err(e) = core.layer.send_response(now, key, response) {
                tracing::info!(error = %e, "response not sent");
            }
        });
    }

    pub(super) fn send_request(
        &self,
        request: Request,
        target: Target,
        server_name: Option<String>,
    ) -> Result<ClientTransaction> {
        self.with(|core, now| {
            if core.closed {
                return Err(Error::Closed);
            }
            core.send_request(now, request, target, server_name)
        })
    }

    pub(super) fn send_stateless(&self, message: Message, target: Target) -> Result<()> {
        self.with(|core, _| {
            if core.closed {
                return Err(Error::Closed);
            }
            core.layer
                .send_stateless(message, target.address, target.transport);
            Ok(())
        })
    }

    pub(super) fn cancel(&self, key: ClientTransactionKey) {
        self.with(|core, now| {
            if let Err(e) = core.layer.cancel(now, key) {
                tracing::info!(error = %e, "CANCEL not sent");
            }
        });
    }

    /// Stops accepting work: connections are closed, the application's queue ends and the
    /// timer task returns.
    pub(super) fn close(&self) {
        let mut core = self.lock();
        core.closed = true;
        core.incoming = None;
        core.clients.clear();
        // Dropping the handles stops the connection tasks.
        core.connections.clear();
        drop(core);
        self.timer.notify_one();
    }

    /// The timer task: sleeps until the earliest deadline, fires the layer's timers and
    /// closes idle connections.
    pub(super) async fn run_timers(self: Arc<Self>) {
        loop {
            let deadline = {
                let mut core = self.lock();
                if core.closed {
                    return;
                }
                let deadline = core.deadline();
                core.armed = deadline;
                deadline
            };
            let sleep = async move {
                match deadline {
                    Some(d) => tokio::time::sleep_until(d.into()).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = self.timer.notified() => {}
                () = sleep => {
                    self.with(|core, now| {
                        core.armed = None;
                        core.layer.handle_timeout(now);
                        while let Some((key, _)) = core.connections.poll_expired(now) {
                            tracing::debug!(remote = %key.remote, "idle connection closed");
                        }
                    });
                }
            }
        }
    }
}

impl Core {
    fn deadline(&self) -> Option<Instant> {
        match (self.layer.poll_timeout(), self.connections.poll_timeout()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Drains the layer: transmits and events, until neither produces more.
    fn flush(&mut self, now: Instant) {
        loop {
            let mut progress = false;
            while let Some(t) = self.layer.poll_transmit() {
                progress = true;
                self.transmit(now, t);
            }
            while let Some(e) = self.layer.poll_event() {
                progress = true;
                self.handle_event(now, e);
            }
            if !progress {
                return;
            }
        }
    }

    fn handle_input(&mut self, now: Instant, input: Input) {
        match input {
            Input::Message {
                received,
                connection,
            } => {
                if let Some(key) = connection {
                    self.connections.touch(now, &key);
                }
                self.layer.handle_message(now, received);
            }
            Input::Connected { key, handle } => {
                if let Err(handle) = self.connections.insert(now, key, handle) {
                    tracing::info!(remote = %key.remote, "connection limit reached, closing");
                    drop(handle);
                }
            }
            Input::Closed { key, id } => self.remove_connection(key, id, false, now),
            Input::ConnectFailed { key, id } => self.remove_connection(key, id, true, now),
        }
    }

    /// Forgets a closed connection (when it is still the one in the table) and, for a
    /// failed connect, reports a transport error to the client transactions towards it.
    fn remove_connection(&mut self, key: ConnectionKey, id: u64, failed: bool, now: Instant) {
        if self.connections.get(now, &key).is_some_and(|c| c.id == id) {
            self.connections.remove(&key);
        }
        if failed {
            let keys: Vec<ClientTransactionKey> = self
                .clients
                .iter()
                .filter(|(_, (_, k))| *k == key)
                .map(|(k, _)| *k)
                .collect();
            for k in keys {
                self.layer.transport_error(now, TransactionKey::Client(k));
            }
        }
    }

    fn transmit(&mut self, now: Instant, t: Transmit) {
        match t.transport {
            // §18.2.2 / RFC 3581 §4: the UDP reader gave the layer the response address of
            // each request as its source.
            TransportKind::Udp => self.datagrams.push((t.destination, t.payload)),
            TransportKind::Tcp | TransportKind::Tls | TransportKind::Ws | TransportKind::Wss => {
                let is_response = t.payload.starts_with(b"SIP/");
                let key = ConnectionKey {
                    remote: t.destination,
                    transport: t.transport,
                };
                if self.send_on_connection(now, &key, &t.payload) {
                    return;
                }
                // §18.2.2: the request's connection is gone; received (or sent-by) at the
                // sent-by port.
                let key = if is_response {
                    match parse_route(&t.payload, t.transport) {
                        Some(ResponseTarget::Address(remote)) => ConnectionKey {
                            remote,
                            transport: t.transport,
                        },
                        _ => key,
                    }
                } else {
                    key
                };
                if self.send_on_connection(now, &key, &t.payload) {
                    return;
                }
                let Some(shared) = self.this.upgrade() else {
                    return;
                };
                let handle = self
                    .net
                    .connect(key, self.server_names.remove(&key), shared);
                let queued = handle.tx.try_send(t.payload).is_ok();
                if self.connections.insert(now, key, handle).is_err() || !queued {
                    tracing::info!(remote = %key.remote, "cannot open a connection (limit reached)");
                }
            }
            other => tracing::info!(transport = %other, "transport not available, message dropped"),
        }
    }

    fn send_on_connection(&mut self, now: Instant, key: &ConnectionKey, payload: &Bytes) -> bool {
        let Some(connection) = self.connections.get(now, key) else {
            return false;
        };
        if connection.tx.try_send(payload.clone()).is_err() {
            tracing::info!(remote = %key.remote, "connection queue full, message dropped");
        }
        true
    }

    fn handle_event(&mut self, now: Instant, event: Event) {
        match event {
            Event::RequestReceived {
                key,
                request,
                transport,
                source,
            } => {
                if let Some(tx) = self.server_transaction(key, request, transport, source) {
                    self.offer(now, Incoming::Request(tx));
                }
            }
            Event::CancelReceived {
                key,
                request,
                invite,
                transport,
                source,
            } => {
                if let Some(transaction) = self.server_transaction(key, request, transport, source)
                {
                    self.offer(
                        now,
                        Incoming::Cancel {
                            transaction,
                            invite,
                        },
                    );
                }
            }
            Event::MergedRequest { key, request, .. } => {
                // §8.2.2.2: 482 to a merged request.
                if let Some(r) = request
                    .response(StatusCode::LOOP_DETECTED, Some("merged"))
                    .ok()
                    .and_then(|b| b.build().ok())
                {
                    let _ = self.layer.send_response(now, key, r);
                }
            }
            Event::AckReceived {
                request,
                invite,
                transport,
                source,
            } => {
                if let Some(incoming) = &self.incoming {
                    let _ = incoming.try_send(Incoming::Ack {
                        request,
                        invite,
                        source,
                        transport,
                    });
                }
            }
            Event::ProvisionalResponse { key, response } => {
                self.notify_client(key, ClientEvent::Provisional(response))
            }
            Event::FinalResponse { key, response } => {
                self.notify_client(key, ClientEvent::Final(response))
            }
            Event::Timeout {
                key: TransactionKey::Client(k),
                ..
            } => self.notify_client(k, ClientEvent::Timeout),
            Event::TransportError {
                key: TransactionKey::Client(k),
            } => self.notify_client(k, ClientEvent::TransportError),
            Event::Terminated {
                key: TransactionKey::Client(k),
            } => {
                self.clients.remove(&k);
            }
            Event::StrayResponse {
                response, source, ..
            } => {
                tracing::debug!(status = %response.status(), %source, "stray response dropped");
            }
            _ => {}
        }
    }

    /// Hands new work to the application; 503 with Retry-After when its queue is full.
    fn offer(&mut self, now: Instant, incoming: Incoming) {
        let Some(queue) = &self.incoming else {
            return;
        };
        let Err(e) = queue.try_send(incoming) else {
            return;
        };
        let (Incoming::Request(tx)
        | Incoming::Cancel {
            transaction: tx, ..
        }) = e.into_inner()
        else {
            return;
        };
        tracing::debug!("application queue full: 503");
        if let Some(r) = overload_response(&tx.request, self.retry_after)
            .and_then(|m| Response::try_from(m).ok())
        {
            let _ = self.layer.send_response(now, tx.key, r);
        }
    }

    fn notify_client(&mut self, key: ClientTransactionKey, event: ClientEvent) {
        if let Some((tx, _)) = self.clients.get(&key) {
            if tx.try_send(event).is_err() {
                tracing::debug!("client transaction queue full, event dropped");
            }
        }
    }

    fn server_transaction(
        &self,
        key: ServerTransactionKey,
        request: Request,
        transport: TransportKind,
        source: SocketAddr,
    ) -> Option<ServerTransaction> {
        Some(ServerTransaction {
            key,
            request,
            source,
            transport,
            shared: self.this.upgrade()?,
        })
    }

    fn send_request(
        &mut self,
        now: Instant,
        request: Request,
        target: Target,
        server_name: Option<String>,
    ) -> Result<ClientTransaction> {
        if let Some(name) = server_name {
            if self.server_names.len() >= self.max_connections {
                self.server_names.clear();
            }
            let key = ConnectionKey {
                remote: target.address,
                transport: target.transport,
            };
            self.server_names.insert(key, name);
        }
        let shared = self.this.upgrade().ok_or(Error::Closed)?;
        let local = self
            .net
            .local_for(target.transport, target.address)
            .or_else(|| self.net.local_for(TransportKind::Udp, target.address))
            .ok_or(Error::UnsupportedTransport(target.transport))?;
        let sent_by = SentBy {
            host: Host::from(self.sent_by_ip(local, target.address)),
            port: Some(local.port()),
        };
        let mut message: Message = request.into();
        let layer = &mut self.layer;
        let transport = prepare_request(
            &mut message,
            target.transport,
            &sent_by,
            &self.policy,
            || layer.new_branch().into(),
        )?;
        let request = Request::try_from(message).map_err(|_| Error::MissingVia)?;
        let key = self
            .layer
            .send_request(now, request, target.address, transport)?;
        let (events_tx, events) = mpsc::channel(CLIENT_QUEUE);
        self.clients.insert(
            key,
            (
                events_tx,
                ConnectionKey {
                    remote: target.address,
                    transport,
                },
            ),
        );
        Ok(ClientTransaction {
            key,
            transport,
            events,
            pending: None,
            shared,
        })
    }
}

impl Core {
    /// The address to write in a Via (§18.1.1): the bound one; for a wildcard bind, the
    /// source address the routing table picks towards `remote` (cached per destination).
    fn sent_by_ip(&mut self, local: SocketAddr, remote: SocketAddr) -> IpAddr {
        if !local.ip().is_unspecified() {
            return local.ip();
        }
        if let Some(ip) = self.source_ips.get(&remote.ip()) {
            return *ip;
        }
        let ip = route_source(local, remote).unwrap_or(match local {
            SocketAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
            SocketAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
        });
        if self.source_ips.len() >= SOURCE_IP_CACHE {
            self.source_ips.clear();
        }
        self.source_ips.insert(remote.ip(), ip);
        ip
    }
}

/// The source address the kernel would use towards `remote`: a connected UDP socket sends
/// nothing but has its local address chosen by the routing table.
fn route_source(local: SocketAddr, remote: SocketAddr) -> Option<IpAddr> {
    let unspecified: SocketAddr = match local {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let probe = std::net::UdpSocket::bind(unspecified).ok()?;
    probe.connect(remote).ok()?;
    let ip = probe.local_addr().ok()?.ip();
    (!ip.is_unspecified()).then_some(ip)
}

fn parse_route(payload: &Bytes, transport: TransportKind) -> Option<ResponseTarget> {
    let message = Message::parse(payload.clone()).ok()?;
    ResponseRoute::for_response(&message, transport)
        .ok()
        .map(|r| r.target)
}
