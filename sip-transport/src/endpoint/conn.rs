//! One stream connection (TCP, TLS, WebSocket over either): handshakes and the read/write
//! loop. Framing is the sans-IO [`StreamReceiver`]; over WebSocket each frame is one
//! message (RFC 7118 §5).

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use sip_message::{Message, ParserConfig};
use sip_transaction::{Received, TransportKind};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::{TlsAcceptor, TlsConnector};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode};
use tokio_tungstenite::tungstenite::protocol::frame::Utf8Bytes;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::WebSocketStream;

use super::core::Shared;
use super::net::Input;
use crate::{stamp_received, ConnectionKey, StreamEvent, StreamReceiver, PONG};

/// The WebSocket subprotocol of RFC 7118 §4.
const SUBPROTOCOL: &str = "sip";
const SUBPROTOCOL_HEADER: &str = "Sec-WebSocket-Protocol";

/// What a listener speaks.
#[derive(Clone)]
pub(super) enum Mode {
    Tcp,
    Tls(TlsAcceptor),
    Ws,
    Wss(TlsAcceptor),
}

impl Mode {
    pub(super) fn transport(&self) -> TransportKind {
        match self {
            Self::Tcp => TransportKind::Tcp,
            Self::Tls(_) => TransportKind::Tls,
            Self::Ws => TransportKind::Ws,
            Self::Wss(_) => TransportKind::Wss,
        }
    }
}

/// An established connection.
pub(super) enum Connection {
    Stream(Stream),
    WebSocket(Box<WebSocketStream<Stream>>),
}

/// Server side: TLS and WebSocket handshakes as the mode says.
pub(super) async fn accept(
    stream: TcpStream,
    mode: Mode,
    limit: usize,
) -> std::io::Result<Connection> {
    let _ = stream.set_nodelay(true);
    Ok(match mode {
        Mode::Tcp => Connection::Stream(Stream::Tcp(stream)),
        Mode::Tls(acceptor) => {
            Connection::Stream(Stream::TlsServer(Box::new(acceptor.accept(stream).await?)))
        }
        Mode::Ws => websocket_accept(Stream::Tcp(stream), limit).await?,
        Mode::Wss(acceptor) => {
            let tls = Stream::TlsServer(Box::new(acceptor.accept(stream).await?));
            websocket_accept(tls, limit).await?
        }
    })
}

/// Client side: TCP connect, then TLS and WebSocket handshakes as the transport needs.
pub(super) async fn open(
    key: ConnectionKey,
    connector: TlsConnector,
    server_name: Option<String>,
    limit: usize,
) -> std::io::Result<Connection> {
    let tcp = TcpStream::connect(key.remote).await?;
    let _ = tcp.set_nodelay(true);
    let secure = matches!(key.transport, TransportKind::Tls | TransportKind::Wss);
    let stream = if secure {
        let name = match &server_name {
            Some(n) => ServerName::try_from(n.clone()).map_err(std::io::Error::other)?,
            None => ServerName::IpAddress(key.remote.ip().into()),
        };
        Stream::TlsClient(Box::new(connector.connect(name, tcp).await?))
    } else {
        Stream::Tcp(tcp)
    };
    if !matches!(key.transport, TransportKind::Ws | TransportKind::Wss) {
        return Ok(Connection::Stream(stream));
    }
    let scheme = if secure { "wss" } else { "ws" };
    let host = server_name.unwrap_or_else(|| key.remote.to_string());
    let port = key.remote.port();
    let url = if host.contains(':') {
        format!("{scheme}://{host}/")
    } else {
        format!("{scheme}://{host}:{port}/")
    };
    let mut request = url.into_client_request().map_err(std::io::Error::other)?;
    request
        .headers_mut()
        .insert(SUBPROTOCOL_HEADER, HeaderValue::from_static(SUBPROTOCOL));
    let (ws, response) =
        tokio_tungstenite::client_async_with_config(request, stream, Some(ws_config(limit)))
            .await
            .map_err(std::io::Error::other)?;
    // RFC 7118 §4.1: the server must have chosen "sip".
    let chosen = response
        .headers()
        .get(SUBPROTOCOL_HEADER)
        .and_then(|v| v.to_str().ok());
    if chosen != Some(SUBPROTOCOL) {
        return Err(std::io::Error::other(
            "server did not accept the sip WebSocket subprotocol",
        ));
    }
    Ok(Connection::WebSocket(Box::new(ws)))
}

fn ws_config(limit: usize) -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(limit))
        .max_frame_size(Some(limit))
}

async fn websocket_accept(stream: Stream, limit: usize) -> std::io::Result<Connection> {
    // RFC 7118 §4.1: accept only clients offering the "sip" subprotocol, and say so.
    // The signature is tungstenite's.
    #[allow(clippy::result_large_err)]
    let callback = |request: &Request, mut response: Response| -> Result<Response, ErrorResponse> {
        let offered = request
            .headers()
            .get_all(SUBPROTOCOL_HEADER)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|p| p.trim().eq_ignore_ascii_case(SUBPROTOCOL));
        if !offered {
            let mut refusal =
                ErrorResponse::new(Some("the sip subprotocol is required".to_owned()));
            *refusal.status_mut() = StatusCode::BAD_REQUEST;
            return Err(refusal);
        }
        response
            .headers_mut()
            .insert(SUBPROTOCOL_HEADER, HeaderValue::from_static(SUBPROTOCOL));
        Ok(response)
    };
    let ws =
        tokio_tungstenite::accept_hdr_async_with_config(stream, callback, Some(ws_config(limit)))
            .await
            .map_err(std::io::Error::other)?;
    Ok(Connection::WebSocket(Box::new(ws)))
}

/// Runs a connection until it closes, then tells the core.
pub(super) async fn run(
    connection: Connection,
    key: ConnectionKey,
    id: u64,
    rx: mpsc::Receiver<Bytes>,
    shared: Arc<Shared>,
    parser: ParserConfig,
) {
    match connection {
        Connection::Stream(s) => run_stream(s, key, rx, &shared, parser).await,
        Connection::WebSocket(ws) => run_websocket(*ws, key, rx, &shared, &parser).await,
    }
    shared.input(Input::Closed { key, id });
}

/// Stamps a received message and hands it to the core; false when the endpoint closed.
fn deliver(mut message: Message, key: ConnectionKey, local: SocketAddr, shared: &Shared) -> bool {
    if message.is_request() && stamp_received(&mut message, key.remote).is_err() {
        tracing::debug!(remote = %key.remote, "request without a valid Via dropped");
        return true;
    }
    let received = Received {
        message,
        transport: key.transport,
        source: key.remote,
        destination: local,
    };
    shared.input(Input::Message {
        received,
        connection: Some(key),
    })
}

async fn run_stream(
    stream: Stream,
    key: ConnectionKey,
    mut rx: mpsc::Receiver<Bytes>,
    shared: &Shared,
    parser: ParserConfig,
) {
    let local = stream.local_addr().unwrap_or(key.remote);
    let (mut reader, mut writer) = tokio::io::split(stream);
    let mut receiver = StreamReceiver::new(parser);
    let mut buf = vec![0u8; 16_384];
    loop {
        tokio::select! {
            read = reader.read(&mut buf) => {
                let n = match read {
                    Ok(0) | Err(_) => {
                        if let Some(reason) = receiver.handle_eof() {
                            tracing::info!(remote = %key.remote, %reason, "connection closed");
                        }
                        return;
                    }
                    Ok(n) => n,
                };
                receiver.handle_data(buf.get(..n).unwrap_or_default());
                while let Some(event) = receiver.poll_event() {
                    match event {
                        StreamEvent::Message(message) => {
                            let delivered = deliver(message, key, local, shared);
                            if !delivered {
                                return;
                            }
                        }
                        // RFC 5626 §3.5.1: answer a ping with a pong.
                        StreamEvent::Ping
                            if writer.write_all(&PONG).await.is_err()
                                || writer.flush().await.is_err() =>
                        {
                            return;
                        }
                        StreamEvent::Close(reason) => {
                            tracing::info!(remote = %key.remote, %reason, "closing connection");
                            return;
                        }
                        _ => {}
                    }
                }
            }
            out = rx.recv() => {
                let Some(bytes) = out else { return };
                if writer.write_all(&bytes).await.is_err() || writer.flush().await.is_err() {
                    return;
                }
            }
        }
    }
}

async fn run_websocket(
    ws: WebSocketStream<Stream>,
    key: ConnectionKey,
    mut rx: mpsc::Receiver<Bytes>,
    shared: &Shared,
    parser: &ParserConfig,
) {
    let local = ws.get_ref().local_addr().unwrap_or(key.remote);
    let (mut sink, mut frames) = ws.split();
    loop {
        tokio::select! {
            frame = frames.next() => {
                // RFC 7118 §5: one SIP message per WebSocket message, text or binary.
                let data: Bytes = match frame {
                    Some(Ok(WsMessage::Text(t))) => t.into(),
                    Some(Ok(WsMessage::Binary(b))) => b,
                    Some(Ok(WsMessage::Close(_))) | None => return,
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => {
                        tracing::info!(remote = %key.remote, error = %e, "WebSocket closed");
                        return;
                    }
                };
                match parser.parse_datagram(data) {
                    Ok(message) => {
                        if !deliver(message, key, local, shared) {
                            return;
                        }
                    }
                    Err(e) => tracing::debug!(remote = %key.remote, error = %e, "unparsable WebSocket message dropped"),
                }
            }
            out = rx.recv() => {
                let Some(bytes) = out else { return };
                let message = match Utf8Bytes::try_from(bytes.clone()) {
                    Ok(text) => WsMessage::Text(text),
                    Err(_) => WsMessage::Binary(bytes),
                };
                if sink.send(message).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// A TCP stream, plain or under TLS.
pub(super) enum Stream {
    Tcp(TcpStream),
    TlsClient(Box<tokio_rustls::client::TlsStream<TcpStream>>),
    TlsServer(Box<tokio_rustls::server::TlsStream<TcpStream>>),
}

impl Stream {
    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        match self {
            Self::Tcp(s) => s.local_addr(),
            Self::TlsClient(s) => s.get_ref().0.local_addr(),
            Self::TlsServer(s) => s.get_ref().0.local_addr(),
        }
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Self::Tcp(s) => Pin::new(s).poll_read(cx, buf),
            Self::TlsClient(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
            Self::TlsServer(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Self::Tcp(s) => Pin::new(s).poll_write(cx, buf),
            Self::TlsClient(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
            Self::TlsServer(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Self::Tcp(s) => Pin::new(s).poll_flush(cx),
            Self::TlsClient(s) => Pin::new(s.as_mut()).poll_flush(cx),
            Self::TlsServer(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Self::Tcp(s) => Pin::new(s).poll_shutdown(cx),
            Self::TlsClient(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
            Self::TlsServer(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}
