//! Sockets: UDP readers, TCP listeners and connections. No protocol logic: read, frame
//! with [`StreamReceiver`], stamp with [`stamp_received`], pass to the core.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use sip_message::{HeaderName, Message, ParserConfig, Request, StatusCode};
use sip_transaction::{Received, TransportKind};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::sync::{mpsc, oneshot};
use tokio::task::{AbortHandle, JoinHandle};
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::{TlsAcceptor, TlsConnector};

use super::{tls, EndpointBuilder};
use crate::{
    stamp_received, ConnectionKey, ResponseRoute, ResponseTarget, Result, StreamEvent,
    StreamReceiver, PONG,
};

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

/// The sockets of an endpoint.
pub(super) struct Net {
    /// Sending uses a plain non-blocking socket: tokio's `try_send_to` reports WouldBlock
    /// until the reactor has seen the socket writable, which would drop the first datagrams.
    udp: Vec<(SocketAddr, std::net::UdpSocket)>,
    tcp: Vec<SocketAddr>,
    tls: Vec<SocketAddr>,
    connector: TlsConnector,
    tasks: Vec<JoinHandle<()>>,
    inputs: mpsc::Sender<Input>,
    parser: ParserConfig,
    ids: Arc<AtomicU64>,
}

impl Drop for Net {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

impl Net {
    pub(super) async fn bind(
        builder: &EndpointBuilder,
        inputs: mpsc::Sender<Input>,
    ) -> Result<Self> {
        let mut net = Self {
            udp: Vec::new(),
            tcp: Vec::new(),
            tls: Vec::new(),
            connector: TlsConnector::from(tls::client_config(builder)?),
            tasks: Vec::new(),
            inputs,
            parser: builder.parser.clone(),
            ids: Arc::new(AtomicU64::new(1)),
        };
        for addr in &builder.udp {
            let std_socket = std::net::UdpSocket::bind(addr)?;
            std_socket.set_nonblocking(true)?;
            let sender = std_socket.try_clone()?;
            let socket = Arc::new(UdpSocket::from_std(std_socket)?);
            let local = socket.local_addr()?;
            for _ in 0..builder.udp_readers {
                net.tasks.push(tokio::spawn(udp_reader(
                    Arc::clone(&socket),
                    sender.try_clone()?,
                    local,
                    net.inputs.clone(),
                    net.parser.clone(),
                    builder.retry_after,
                )));
            }
            net.udp.push((local, sender));
        }
        for addr in &builder.tcp {
            let listener = TcpListener::bind(addr).await?;
            let local = listener.local_addr()?;
            net.tasks.push(tokio::spawn(accept_loop(
                listener,
                None,
                net.inputs.clone(),
                net.parser.clone(),
                Arc::clone(&net.ids),
            )));
            net.tcp.push(local);
        }
        for (addr, cert, key) in &builder.tls {
            let acceptor = TlsAcceptor::from(tls::server_config(cert, key)?);
            let listener = TcpListener::bind(addr).await?;
            let local = listener.local_addr()?;
            net.tasks.push(tokio::spawn(accept_loop(
                listener,
                Some(acceptor),
                net.inputs.clone(),
                net.parser.clone(),
                Arc::clone(&net.ids),
            )));
            net.tls.push(local);
        }
        Ok(net)
    }

    pub(super) fn local_addrs(&self) -> Vec<(TransportKind, SocketAddr)> {
        self.udp
            .iter()
            .map(|(a, _)| (TransportKind::Udp, *a))
            .chain(self.tcp.iter().map(|a| (TransportKind::Tcp, *a)))
            .chain(self.tls.iter().map(|a| (TransportKind::Tls, *a)))
            .collect()
    }

    /// The local address to write in a Via for `transport` towards `remote` (same IP
    /// family when possible).
    pub(super) fn local_for(
        &self,
        transport: TransportKind,
        remote: SocketAddr,
    ) -> Option<SocketAddr> {
        let addrs: Vec<SocketAddr> = match transport {
            TransportKind::Udp => self.udp.iter().map(|(a, _)| *a).collect(),
            TransportKind::Tcp => self.tcp.clone(),
            TransportKind::Tls => self.tls.clone(),
            _ => Vec::new(),
        };
        addrs
            .iter()
            .find(|a| a.is_ipv4() == remote.is_ipv4())
            .or_else(|| addrs.first())
            .copied()
    }

    /// Sends a datagram from the socket of the destination's IP family. A full socket
    /// buffer drops it (UDP is lossy; the transaction layer retransmits).
    pub(super) fn send_udp(&self, destination: SocketAddr, payload: &[u8]) -> std::io::Result<()> {
        let socket = self
            .udp
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

    /// Opens an outgoing TCP or TLS connection; messages can be queued at once. A TLS
    /// server is verified against `server_name` (a host name), else against its address.
    pub(super) fn connect(
        &self,
        key: ConnectionKey,
        server_name: Option<String>,
    ) -> ConnectionHandle {
        let id = self.ids.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(CONNECTION_QUEUE);
        let inputs = self.inputs.clone();
        let parser = self.parser.clone();
        let connector = (key.transport == TransportKind::Tls).then(|| self.connector.clone());
        let task = tokio::spawn(async move {
            let connected = tokio::time::timeout(CONNECT_TIMEOUT, async {
                let stream = TcpStream::connect(key.remote).await?;
                let Some(connector) = connector else {
                    return Ok(Stream::Tcp(stream));
                };
                let name = match server_name {
                    Some(n) => ServerName::try_from(n).map_err(std::io::Error::other)?,
                    None => ServerName::IpAddress(key.remote.ip().into()),
                };
                let tls = connector.connect(name, stream).await?;
                Ok::<_, std::io::Error>(Stream::TlsClient(Box::new(tls)))
            })
            .await;
            let stream = match connected {
                Ok(Ok(s)) => s,
                Ok(Err(e)) => {
                    tracing::info!(remote = %key.remote, error = %e, "connect failed");
                    let _ = inputs.send(Input::ConnectFailed { key, id }).await;
                    return;
                }
                Err(_) => {
                    tracing::info!(remote = %key.remote, "connect timed out");
                    let _ = inputs.send(Input::ConnectFailed { key, id }).await;
                    return;
                }
            };
            run_connection(stream, key, id, rx, inputs, parser).await;
        });
        ConnectionHandle {
            id,
            tx,
            task: task.abort_handle(),
        }
    }
}

async fn udp_reader(
    socket: Arc<UdpSocket>,
    sender: std::net::UdpSocket,
    local: SocketAddr,
    inputs: mpsc::Sender<Input>,
    parser: ParserConfig,
    retry_after: u32,
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
        if message.is_request() && stamp_received(&mut message, source).is_err() {
            tracing::debug!(%source, "request without a valid Via dropped");
            continue;
        }
        let received = Received {
            message,
            transport: TransportKind::Udp,
            source,
            destination: local,
        };
        match inputs.try_send(Input::Message {
            received,
            connection: None,
        }) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(Input::Message { received, .. })) => {
                overloaded(&sender, received, retry_after);
            }
            Err(mpsc::error::TrySendError::Full(_)) => {}
            Err(mpsc::error::TrySendError::Closed(_)) => return,
        }
    }
}

/// The core's queue is full: answer a new request 503 with Retry-After, statelessly.
fn overloaded(socket: &std::net::UdpSocket, received: Received, retry_after: u32) {
    let Ok(request) = Request::try_from(received.message) else {
        return; // responses are dropped; their transactions retransmit
    };
    if request.method() == sip_message::Method::Ack {
        return;
    }
    let Some(response) = overload_response(&request, retry_after) else {
        return;
    };
    let destination = match ResponseRoute::for_response(&response, TransportKind::Udp) {
        Ok(ResponseRoute {
            target: ResponseTarget::Address(a),
            ..
        }) => a,
        _ => received.source,
    };
    let _ = socket.send_to(&response.to_bytes(), destination);
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
    acceptor: Option<TlsAcceptor>,
    inputs: mpsc::Sender<Input>,
    parser: ParserConfig,
    ids: Arc<AtomicU64>,
) {
    let transport = if acceptor.is_some() {
        TransportKind::Tls
    } else {
        TransportKind::Tcp
    };
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
        let conn_inputs = inputs.clone();
        let conn_parser = parser.clone();
        let acceptor = acceptor.clone();
        let task = tokio::spawn(async move {
            // Registered with the core before the first message is read.
            if started.await.is_err() {
                return;
            }
            let stream = match acceptor {
                None => Stream::Tcp(stream),
                Some(acceptor) => {
                    match tokio::time::timeout(CONNECT_TIMEOUT, acceptor.accept(stream)).await {
                        Ok(Ok(tls)) => Stream::TlsServer(Box::new(tls)),
                        Ok(Err(e)) => {
                            tracing::info!(%remote, error = %e, "TLS handshake failed");
                            let _ = conn_inputs.send(Input::Closed { key, id }).await;
                            return;
                        }
                        Err(_) => {
                            tracing::info!(%remote, "TLS handshake timed out");
                            let _ = conn_inputs.send(Input::Closed { key, id }).await;
                            return;
                        }
                    }
                }
            };
            run_connection(stream, key, id, rx, conn_inputs, conn_parser).await;
        });
        let handle = ConnectionHandle {
            id,
            tx,
            task: task.abort_handle(),
        };
        if inputs.send(Input::Connected { key, handle }).await.is_err() {
            return;
        }
        let _ = start.send(());
    }
}

/// Reads and writes one stream connection until it closes.
async fn run_connection(
    stream: Stream,
    key: ConnectionKey,
    id: u64,
    mut rx: mpsc::Receiver<Bytes>,
    inputs: mpsc::Sender<Input>,
    parser: ParserConfig,
) {
    let local = stream.local_addr().unwrap_or(key.remote);
    let (mut reader, mut writer) = tokio::io::split(stream);
    let mut receiver = StreamReceiver::new(parser);
    let mut buf = vec![0u8; 16_384];
    'connection: loop {
        tokio::select! {
            read = reader.read(&mut buf) => {
                let n = match read {
                    Ok(0) | Err(_) => {
                        if let Some(reason) = receiver.handle_eof() {
                            tracing::info!(remote = %key.remote, %reason, "connection closed");
                        }
                        break;
                    }
                    Ok(n) => n,
                };
                receiver.handle_data(buf.get(..n).unwrap_or_default());
                while let Some(event) = receiver.poll_event() {
                    match event {
                        StreamEvent::Message(mut message) => {
                            if message.is_request() && stamp_received(&mut message, key.remote).is_err() {
                                tracing::debug!(remote = %key.remote, "request without a valid Via dropped");
                                continue;
                            }
                            let received = Received { message, transport: key.transport, source: key.remote, destination: local };
                            if inputs.send(Input::Message { received, connection: Some(key) }).await.is_err() {
                                break 'connection;
                            }
                        }
                        // RFC 5626 §3.5.1: answer a ping with a pong.
                        StreamEvent::Ping
                            if writer.write_all(&PONG).await.is_err()
                                || writer.flush().await.is_err() =>
                        {
                            break 'connection
                        }
                        StreamEvent::Close(reason) => {
                            tracing::info!(remote = %key.remote, %reason, "closing connection");
                            break 'connection;
                        }
                        _ => {}
                    }
                }
            }
            out = rx.recv() => {
                let Some(bytes) = out else { break };
                if writer.write_all(&bytes).await.is_err() || writer.flush().await.is_err() {
                    break;
                }
            }
        }
    }
    let _ = inputs.send(Input::Closed { key, id }).await;
}

/// A TCP stream, plain or under TLS.
enum Stream {
    Tcp(TcpStream),
    TlsClient(Box<tokio_rustls::client::TlsStream<TcpStream>>),
    TlsServer(Box<tokio_rustls::server::TlsStream<TcpStream>>),
}

impl Stream {
    fn tcp(&self) -> &TcpStream {
        match self {
            Self::Tcp(s) => s,
            Self::TlsClient(s) => s.get_ref().0,
            Self::TlsServer(s) => s.get_ref().0,
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        let _ = self.tcp().set_nodelay(true);
        self.tcp().local_addr()
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        match self.get_mut() {
            Self::Tcp(s) => std::pin::Pin::new(s).poll_read(cx, buf),
            Self::TlsClient(s) => std::pin::Pin::new(s.as_mut()).poll_read(cx, buf),
            Self::TlsServer(s) => std::pin::Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Self::Tcp(s) => std::pin::Pin::new(s).poll_write(cx, buf),
            Self::TlsClient(s) => std::pin::Pin::new(s.as_mut()).poll_write(cx, buf),
            Self::TlsServer(s) => std::pin::Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        match self.get_mut() {
            Self::Tcp(s) => std::pin::Pin::new(s).poll_flush(cx),
            Self::TlsClient(s) => std::pin::Pin::new(s.as_mut()).poll_flush(cx),
            Self::TlsServer(s) => std::pin::Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        match self.get_mut() {
            Self::Tcp(s) => std::pin::Pin::new(s).poll_shutdown(cx),
            Self::TlsClient(s) => std::pin::Pin::new(s.as_mut()).poll_shutdown(cx),
            Self::TlsServer(s) => std::pin::Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}
