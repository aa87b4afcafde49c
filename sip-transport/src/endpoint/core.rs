//! The core task: owns the transaction layer and the connection table.

use std::collections::HashMap;
use std::time::Instant;

use bytes::Bytes;
use sip_message::{Host, Message, Request, Response, StatusCode};
use sip_transaction::{
    ClientTransactionKey, Event, ServerTransactionKey, TransactionKey, TransactionLayer, Transmit,
    TransportKind,
};
use tokio::sync::{mpsc, oneshot};

use super::net::{overload_response, ConnectionHandle, Input, Net};
use super::{ClientEvent, ClientTransaction, EndpointBuilder, Incoming, ServerTransaction};
use crate::{
    prepare_request, ConnectionKey, Connections, Error, ResponseRoute, ResponseTarget, Result,
    SendPolicy, SentBy, Target,
};

/// Events queued per client transaction.
const CLIENT_QUEUE: usize = 16;
/// Inputs handled before transmits and events are flushed.
const BATCH: usize = 64;

/// What the application asks of the core.
#[derive(Debug)]
pub(super) enum Command {
    SendRequest {
        request: Request,
        target: Target,
        server_name: Option<String>,
        reply: oneshot::Sender<Result<ClientTransaction>>,
    },
    SendResponse {
        key: ServerTransactionKey,
        response: Response,
    },
    SendStateless {
        message: Message,
        target: Target,
    },
    Cancel(ClientTransactionKey),
    Shutdown,
}

pub(super) struct Core {
    layer: TransactionLayer,
    net: Net,
    connections: Connections<ConnectionHandle>,
    clients: HashMap<ClientTransactionKey, (mpsc::Sender<ClientEvent>, ConnectionKey)>,
    incoming: mpsc::Sender<Incoming>,
    commands: mpsc::Sender<Command>,
    policy: SendPolicy,
    retry_after: u32,
    /// TLS server names to verify, by connection, until the connection is opened.
    server_names: HashMap<ConnectionKey, String>,
    max_connections: usize,
}

impl Core {
    pub(super) fn new(
        layer: TransactionLayer,
        net: Net,
        builder: &EndpointBuilder,
        commands: mpsc::Sender<Command>,
        incoming: mpsc::Sender<Incoming>,
    ) -> Self {
        Self {
            layer,
            net,
            connections: Connections::new(builder.idle_timeout, builder.max_connections),
            clients: HashMap::new(),
            incoming,
            commands,
            policy: builder.policy,
            retry_after: builder.retry_after,
            server_names: HashMap::new(),
            max_connections: builder.max_connections,
        }
    }

    /// The drive loop: one input (socket, command or deadline), then transmits and events
    /// drained; sleep until the earliest deadline.
    pub(super) async fn run(
        mut self,
        mut inputs: mpsc::Receiver<Input>,
        mut commands: mpsc::Receiver<Command>,
    ) {
        loop {
            let deadline = match (self.layer.poll_timeout(), self.connections.poll_timeout()) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let sleep = async move {
                match deadline {
                    Some(d) => tokio::time::sleep_until(d.into()).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                biased;
                command = commands.recv() => {
                    match command {
                        None | Some(Command::Shutdown) => break,
                        Some(c) => self.handle_command(Instant::now(), c),
                    }
                    for _ in 0..BATCH {
                        match commands.try_recv() {
                            Ok(Command::Shutdown) => return,
                            Ok(c) => self.handle_command(Instant::now(), c),
                            Err(_) => break,
                        }
                    }
                }
                input = inputs.recv() => {
                    let Some(input) = input else { break };
                    self.handle_input(Instant::now(), input);
                    for _ in 0..BATCH {
                        match inputs.try_recv() {
                            Ok(i) => self.handle_input(Instant::now(), i),
                            Err(_) => break,
                        }
                    }
                }
                () = sleep => {
                    let now = Instant::now();
                    self.layer.handle_timeout(now);
                    while let Some((key, _)) = self.connections.poll_expired(now) {
                        tracing::debug!(remote = %key.remote, "idle connection closed");
                    }
                }
            }
            self.flush(Instant::now());
        }
    }

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
        let is_response = t.payload.starts_with(b"SIP/");
        match t.transport {
            TransportKind::Udp => {
                // §18.2.2 / RFC 3581 §4: the UDP reader gave the layer the response
                // address of each request as its source.
                let destination = t.destination;
                if let Err(e) = self.net.send_udp(destination, &t.payload) {
                    tracing::info!(%destination, error = %e, "UDP send failed");
                }
            }
            TransportKind::Tcp | TransportKind::Tls | TransportKind::Ws | TransportKind::Wss => {
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
                let handle = self.net.connect(key, self.server_names.remove(&key));
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
                let tx = self.server_transaction(key, request, transport, source);
                self.offer(now, Incoming::Request(tx));
            }
            Event::CancelReceived {
                key,
                request,
                invite,
                transport,
                source,
            } => {
                let transaction = self.server_transaction(key, request, transport, source);
                self.offer(
                    now,
                    Incoming::Cancel {
                        transaction,
                        invite,
                    },
                );
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
                let _ = self.incoming.try_send(Incoming::Ack {
                    request,
                    invite,
                    source,
                    transport,
                });
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
        let Err(e) = self.incoming.try_send(incoming) else {
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
        source: std::net::SocketAddr,
    ) -> ServerTransaction {
        ServerTransaction {
            key,
            request,
            source,
            transport,
            commands: self.commands.clone(),
        }
    }

    fn handle_command(&mut self, now: Instant, command: Command) {
        match command {
            Command::SendRequest {
                request,
                target,
                server_name,
                reply,
            } => {
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
                let result = self.send_request(now, request, target);
                let _ = reply.send(result);
            }
            Command::SendResponse { key, response } => {
                if let Err(e) = self.layer.send_response(now, key, response) {
                    tracing::info!(error = %e, "response not sent");
                }
            }
            Command::SendStateless { message, target } => {
                self.layer
                    .send_stateless(message, target.address, target.transport);
            }
            Command::Cancel(key) => {
                if let Err(e) = self.layer.cancel(now, key) {
                    tracing::info!(error = %e, "CANCEL not sent");
                }
            }
            Command::Shutdown => {}
        }
    }

    fn send_request(
        &mut self,
        now: Instant,
        request: Request,
        target: Target,
    ) -> Result<ClientTransaction> {
        let local = self
            .net
            .local_for(target.transport, target.address)
            .or_else(|| self.net.local_for(TransportKind::Udp, target.address))
            .ok_or(Error::UnsupportedTransport(target.transport))?;
        let sent_by = SentBy {
            host: Host::from(sent_by_ip(local)),
            port: Some(local.port()),
        };
        let mut message: Message = request.into();
        let layer = &mut self.layer;
        let transport = prepare_request(
            &mut message,
            target.transport,
            &sent_by,
            &self.policy,
            || layer.new_branch(),
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
            commands: self.commands.clone(),
        })
    }
}

/// The address to write in a Via: the bound one, or loopback for a wildcard bind.
fn sent_by_ip(local: std::net::SocketAddr) -> std::net::IpAddr {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    match local.ip() {
        IpAddr::V4(a) if a.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(a) if a.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    }
}

fn parse_route(payload: &Bytes, transport: TransportKind) -> Option<ResponseTarget> {
    let message = Message::parse(payload.clone()).ok()?;
    ResponseRoute::for_response(&message, transport)
        .ok()
        .map(|r| r.target)
}
