//! Sockets: UDP readers, TCP listeners and connections. No protocol logic: read, frame
//! with [`StreamReceiver`], stamp with [`stamp_received`], pass to the core.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use sip_message::{HeaderName, Message, ParserConfig, Request, StatusCode};
use sip_transaction::{Received, TransportKind};
use smallvec::SmallVec;
use tokio::net::{TcpListener, UdpSocket};
use tokio::sync::{mpsc, oneshot};
use tokio::task::{AbortHandle, JoinHandle};
use tokio_rustls::{TlsAcceptor, TlsConnector};

use super::conn::{self, Mode};
use super::core::Shared;
use super::{tls, EndpointBuilder};
use crate::{stamp_and_route, ConnectionKey, ResponseRoute, ResponseTarget, Result};

/// Messages queued to one connection's writer.
const CONNECTION_QUEUE: usize = 1024;
/// How long an outgoing TCP connect may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What socket tasks tell the core.
// Message is the hot variant; boxing it would allocate once more per message.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub(super) enum Input {
    /// A parsed message (requests already stamped, §18.2.1).
    Message {
        received: Received,
        connection: Option<ConnectionKey>,
    },
    /// An accepted connection.
    Connected {
        key: ConnectionKey,
        handle: ConnectionHandle,
    },
    /// A connection closed (peer, error or framing).
    Closed { key: ConnectionKey, id: u64 },
    /// An outgoing connection could not be opened.
    ConnectFailed { key: ConnectionKey, id: u64 },
}

/// The core's handle on a connection task; dropping it stops the task.
#[derive(Debug)]
pub(super) struct ConnectionHandle {
    pub(super) id: u64,
    pub(super) tx: mpsc::Sender<Bytes>,
    task: AbortHandle,
}

impl Drop for ConnectionHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The bound sockets of an endpoint, as the core uses them.
pub(super) struct Net {
    udp: Vec<(SocketAddr, std::net::UdpSocket)>,
    /// Stream listeners: TCP, TLS, WS, WSS.
    streams: Vec<(TransportKind, SocketAddr)>,
    connector: TlsConnector,
    parser: ParserConfig,
    ids: Arc<AtomicU64>,
}

/// The sockets the socket tasks read, until [`Listeners::spawn`] starts them.
pub(super) struct Listeners {
    udp: Vec<(Arc<UdpSocket>, SocketAddr)>,
    streams: Vec<(TcpListener, Mode)>,
    readers: usize,
    parser: ParserConfig,
    ids: Arc<AtomicU64>,
}

impl Net {
    /// Binds every socket the builder names; nothing runs yet.
    pub(super) async fn bind(builder: &EndpointBuilder) -> Result<(Self, Listeners)> {
        let ids = Arc::new(AtomicU64::new(1));
        let mut net = Self {
            udp: Vec::new(),
            streams: Vec::new(),
            connector: TlsConnector::from(tls::client_config(builder)?),
            parser: builder.parser.clone(),
            ids: Arc::clone(&ids),
        };
        let mut listeners = Listeners {
            udp: Vec::new(),
            streams: Vec::new(),
            readers: builder.udp_readers,
            parser: builder.parser.clone(),
            ids,
        };
        for addr in &builder.udp {
            let std_socket = bind_udp(*addr, builder.udp_buffer)?;
            let sender = std_socket.try_clone()?;
            let socket = Arc::new(UdpSocket::from_std(std_socket)?);
            let local = socket.local_addr()?;
            listeners.udp.push((socket, local));
            net.udp.push((local, sender));
        }
        let mut streams: Vec<(SocketAddr, Mode)> =
            builder.tcp.iter().map(|a| (*a, Mode::Tcp)).collect();
        for (addr, cert, key) in &builder.tls {
            let acceptor = TlsAcceptor::from(tls::server_config(cert, key)?);
            streams.push((*addr, Mode::Tls(acceptor)));
        }
        streams.extend(builder.ws.iter().map(|a| (*a, Mode::Ws)));
        for (addr, cert, key) in &builder.wss {
            let acceptor = TlsAcceptor::from(tls::server_config(cert, key)?);
            streams.push((*addr, Mode::Wss(acceptor)));
        }
        for (addr, mode) in streams {
            let listener = TcpListener::bind(addr).await?;
            let local = listener.local_addr()?;
            net.streams.push((mode.transport(), local));
            listeners.streams.push((listener, mode));
        }
        Ok((net, listeners))
    }

    pub(super) fn local_addrs(&self) -> Vec<(TransportKind, SocketAddr)> {
        self.udp
            .iter()
            .map(|(a, _)| (TransportKind::Udp, *a))
            .chain(self.streams.iter().copied())
            .collect()
    }

    /// Clones of the UDP sockets, to write datagrams from without the core's lock.
    pub(super) fn udp_senders(&self) -> std::io::Result<Vec<(SocketAddr, std::net::UdpSocket)>> {
        self.udp
            .iter()
            .map(|(a, s)| Ok((*a, s.try_clone()?)))
            .collect()
    }

    /// The local address to write in a Via for `transport` towards `remote` (same IP
    /// family when possible).
    pub(super) fn local_for(
        &self,
        transport: TransportKind,
        remote: SocketAddr,
    ) -> Option<SocketAddr> {
        let addrs: SmallVec<[SocketAddr; 4]> = match transport {
            TransportKind::Udp => self.udp.iter().map(|(a, _)| *a).collect(),
            t => self
                .streams
                .iter()
                .filter(|(k, _)| *k == t)
                .map(|(_, a)| *a)
                .collect(),
        };
        addrs
            .iter()
            .find(|a| a.is_ipv4() == remote.is_ipv4())
            .or_else(|| addrs.first())
            .copied()
    }

    /// Opens an outgoing TCP, TLS, WS or WSS connection; messages can be queued at once.
    /// A TLS server is verified against `server_name` (a host name), else against its
    /// address.
    pub(super) fn connect(
        &self,
        key: ConnectionKey,
        server_name: Option<String>,
        shared: Arc<Shared>,
    ) -> ConnectionHandle {
        let id = self.ids.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(CONNECTION_QUEUE);
        let parser = self.parser.clone();
        let connector = self.connector.clone();
        let task = tokio::spawn(async move {
            let limit = parser.limits.max_message_size;
            let opened = tokio::time::timeout(
                CONNECT_TIMEOUT,
                conn::open(key, connector, server_name, limit),
            )
            .await;
            let connection = match opened {
                Ok(Ok(c)) => c,
                Ok(Err(e)) => {
                    tracing::info!(remote = %key.remote, error = %e, "connect failed");
                    shared.input(Input::ConnectFailed { key, id });
                    return;
                }
                Err(_) => {
                    tracing::info!(remote = %key.remote, "connect timed out");
                    shared.input(Input::ConnectFailed { key, id });
                    return;
                }
            };
            conn::run(connection, key, id, rx, shared, parser).await;
        });
        ConnectionHandle {
            id,
            tx,
            task: task.abort_handle(),
        }
    }
}

impl Listeners {
    /// Starts the UDP readers and the stream accept loops, feeding `shared`.
    pub(super) fn spawn(self, shared: &Arc<Shared>) -> Vec<JoinHandle<()>> {
        let mut tasks = Vec::new();
        for (socket, local) in self.udp {
            for _ in 0..self.readers {
                tasks.push(tokio::spawn(udp_reader(
                    Arc::clone(&socket),
                    local,
                    Arc::clone(shared),
                    self.parser.clone(),
                )));
            }
        }
        for (listener, mode) in self.streams {
            tasks.push(tokio::spawn(accept_loop(
                listener,
                mode,
                Arc::clone(shared),
                self.parser.clone(),
                Arc::clone(&self.ids),
            )));
        }
        tasks
    }
}

/// Sends a datagram from the socket of the destination's IP family. A full socket buffer
/// drops it (UDP is lossy; the transaction layer retransmits).
pub(super) fn send_udp(
    sockets: &[(SocketAddr, std::net::UdpSocket)],
    destination: SocketAddr,
    payload: &[u8],
) -> std::io::Result<()> {
    let socket = sockets
        .iter()
        .find(|(a, _)| a.is_ipv4() == destination.is_ipv4())
        .map(|(_, s)| s)
        .ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::AddrNotAvailable,
                "no UDP socket of this IP family",
            )
        })?;
    match socket.send_to(payload, destination) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
            tracing::debug!(%destination, "UDP send buffer full, datagram dropped");
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// A non-blocking UDP socket with large kernel buffers: a short stall of the reader must
/// not drop datagrams (each loss costs a 500 ms retransmission).
fn bind_udp(addr: SocketAddr, buffer: usize) -> std::io::Result<std::net::UdpSocket> {
    let socket = socket2::Socket::new(
        socket2::Domain::for_address(addr),
        socket2::Type::DGRAM,
        Some(socket2::Protocol::UDP),
    )?;
    if addr.is_ipv6() {
        socket.set_only_v6(true)?;
    }
    // The kernel caps these at net.core.rmem_max / wmem_max; failing is not fatal.
    let _ = socket.set_recv_buffer_size(buffer);
    let _ = socket.set_send_buffer_size(buffer);
    socket.set_nonblocking(true)?;
    socket.bind(&addr.into())?;
    Ok(socket.into())
}

async fn udp_reader(
    socket: Arc<UdpSocket>,
    local: SocketAddr,
    shared: Arc<Shared>,
    parser: ParserConfig,
) {
    let mut buf = vec![0u8; 65_535];
    loop {
        let (n, source) = match socket.recv_from(&mut buf).await {
            Ok(r) => r,
            Err(e) => {
                tracing::debug!(error = %e, "UDP receive failed");
                continue;
            }
        };
        let data = buf.get(..n).unwrap_or_default();
        // RFC 5626 §3.5.2 keep-alives over UDP are STUN; stray CRLFs are dropped.
        if data.iter().all(|b| matches!(b, b'\r' | b'\n')) {
            continue;
        }
        let mut message = match parser.parse_datagram(Bytes::copy_from_slice(data)) {
            Ok(m) => m,
            Err(e) => {
                tracing::debug!(%source, error = %e, "unparsable datagram dropped");
                continue;
            }
        };
        // §18.2.2 / RFC 3581 §4 decided here, outside the core's lock: the transaction
        // layer sends responses to `Received::source`, so it is given the response address.
        let mut reply_to = source;
        if message.is_request() {
            match stamp_and_route(&mut message, source, TransportKind::Udp) {
                Ok(ResponseRoute {
                    target: ResponseTarget::Address(a),
                    ..
                }) => reply_to = a,
                Ok(_) => {}
                Err(_) => {
                    tracing::debug!(%source, "request without a valid Via dropped");
                    continue;
                }
            }
        }
        let received = Received {
            message,
            transport: TransportKind::Udp,
            source: reply_to,
            destination: local,
        };
        if !shared.input(Input::Message {
            received,
            connection: None,
        }) {
            return;
        }
        // The request just woke the application's task into this worker's LIFO slot,
        // where no other worker can steal it: let it run now rather than after a whole
        // scheduling budget of further datagrams (which showed as 100–200 ms latencies
        // and retransmissions under SIPp load).
        tokio::task::yield_now().await;
    }
}

/// A 503 Service Unavailable with Retry-After (§21.5.4, §20.33).
pub(super) fn overload_response(request: &Request, retry_after: u32) -> Option<Message> {
    let response = request
        .response(StatusCode::SERVICE_UNAVAILABLE, Some("overload"))
        .ok()?
        .header(&HeaderName::RetryAfter, &retry_after.to_string())
        .build()
        .ok()?;
    Some(response.into())
}

async fn accept_loop(
    listener: TcpListener,
    mode: Mode,
    shared: Arc<Shared>,
    parser: ParserConfig,
    ids: Arc<AtomicU64>,
) {
    let transport = mode.transport();
    loop {
        let (stream, remote) = match listener.accept().await {
            Ok(s) => s,
            Err(e) => {
                tracing::debug!(error = %e, "TCP accept failed");
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let key = ConnectionKey { remote, transport };
        let id = ids.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(CONNECTION_QUEUE);
        let (start, started) = oneshot::channel::<()>();
        let conn_shared = Arc::clone(&shared);
        let conn_parser = parser.clone();
        let mode = mode.clone();
        let task = tokio::spawn(async move {
            // Registered with the core before the first message is read.
            if started.await.is_err() {
                return;
            }
            let limit = conn_parser.limits.max_message_size;
            let accepted =
                tokio::time::timeout(CONNECT_TIMEOUT, conn::accept(stream, mode, limit)).await;
            let connection = match accepted {
                Ok(Ok(c)) => c,
                Ok(Err(e)) => {
                    tracing::info!(%remote, error = %e, "handshake failed");
                    conn_shared.input(Input::Closed { key, id });
                    return;
                }
                Err(_) => {
                    tracing::info!(%remote, "handshake timed out");
                    conn_shared.input(Input::Closed { key, id });
                    return;
                }
            };
            conn::run(connection, key, id, rx, conn_shared, conn_parser).await;
        });
        let handle = ConnectionHandle {
            id,
            tx,
            task: task.abort_handle(),
        };
        if !shared.input(Input::Connected { key, handle }) {
            return;
        }
        let _ = start.send(());
    }
}
