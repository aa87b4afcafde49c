#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(feature = "tokio")]
//! WebSocket (RFC 7118) loopback: WS and WSS round trips, the `sip` subprotocol required,
//! one message per frame.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use sip_message::{Message, Request, StatusCode};
use sip_transaction::TransportKind;
use sip_transport::{Endpoint, Incoming, Target};
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message as WsMessage;

const T: Duration = Duration::from_secs(5);

fn options() -> Request {
    Request::try_from(
        Message::parse(Bytes::from_static(
            b"OPTIONS sip:b@127.0.0.1 SIP/2.0\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: ws1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
        ))
        .unwrap(),
    )
    .unwrap()
}

fn spawn_responder(mut server: Endpoint) {
    tokio::spawn(async move {
        while let Some(Incoming::Request(tx)) = server.accept().await {
            let ok = tx
                .request()
                .response(StatusCode::OK, Some("w"))
                .unwrap()
                .build()
                .unwrap();
            tx.respond(ok).await.unwrap();
        }
    });
}

async fn ws_server(addr: &str) -> SocketAddr {
    let server = Endpoint::builder()
        .ws(addr.parse().unwrap())
        .build()
        .await
        .unwrap();
    let addr = server.local_addr(TransportKind::Ws).unwrap();
    spawn_responder(server);
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_request_and_response_ipv4_and_ipv6() {
    for local in ["127.0.0.1:0", "[::1]:0"] {
        if local.starts_with('[') && std::net::TcpListener::bind("[::1]:0").is_err() {
            continue;
        }
        let addr = ws_server(local).await;
        let client = Endpoint::builder()
            .udp(local.parse().unwrap())
            .build()
            .await
            .unwrap();
        let mut tx = client
            .send_request(
                options(),
                Target {
                    address: addr,
                    transport: TransportKind::Ws,
                },
            )
            .await
            .unwrap();
        let response = timeout(T, tx.final_response()).await.unwrap().unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(tx.transport(), TransportKind::Ws);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wss_request_and_response() {
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let dir = std::env::temp_dir().join(format!("sip-transport-wss-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("c.pem"), certified.cert.pem()).unwrap();
    std::fs::write(dir.join("k.pem"), certified.key_pair.serialize_pem()).unwrap();
    let server = Endpoint::builder()
        .wss(
            "127.0.0.1:0".parse().unwrap(),
            dir.join("c.pem"),
            dir.join("k.pem"),
        )
        .build()
        .await
        .unwrap();
    let addr = server.local_addr(TransportKind::Wss).unwrap();
    spawn_responder(server);
    let client = Endpoint::builder()
        .udp("127.0.0.1:0".parse().unwrap())
        .tls_root(certified.cert.der().clone())
        .build()
        .await
        .unwrap();
    let mut tx = client
        .send_request(
            options(),
            Target {
                address: addr,
                transport: TransportKind::Wss,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        timeout(T, tx.final_response())
            .await
            .unwrap()
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_websocket_client_one_message_per_frame() {
    let addr = ws_server("127.0.0.1:0").await;
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut request = format!("ws://{addr}/").into_client_request().unwrap();
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", "sip".parse().unwrap());
    let (mut ws, response) = tokio_tungstenite::client_async(request, stream)
        .await
        .unwrap();
    assert_eq!(
        response.headers().get("Sec-WebSocket-Protocol").unwrap(),
        "sip"
    );
    let text = "OPTIONS sip:b@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bKws;rport\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: raw\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
    ws.send(WsMessage::text(text)).await.unwrap();
    let reply = timeout(T, ws.next()).await.unwrap().unwrap().unwrap();
    let WsMessage::Text(reply) = reply else {
        panic!("{reply:?}")
    };
    let response = Message::parse(Bytes::from(reply)).unwrap();
    assert_eq!(response.status(), Some(StatusCode::OK));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websocket_without_sip_subprotocol_is_refused() {
    let addr = ws_server("127.0.0.1:0").await;
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("ws://{addr}/").into_client_request().unwrap();
    assert!(tokio_tungstenite::client_async(request, stream)
        .await
        .is_err());
}
