#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(feature = "tokio")]
//! Loopback tests of the tokio endpoint: UDP, TCP, IPv6, framing over real sockets,
//! overload, transport errors.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use sip_message::{HeaderName, Message, Request, Response, StatusCode};
use sip_transaction::TransportKind;
use sip_transport::{ClientEvent, Endpoint, Error, Incoming, Target};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

const T: Duration = Duration::from_secs(5);

fn options(uri: &str, call_id: &str, body: usize) -> Request {
    let text = format!(
        "OPTIONS {uri} SIP/2.0\r\nFrom: <sip:a@client.invalid>;tag=1\r\nTo: <{uri}>\r\nCall-ID: {call_id}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: {body}\r\n\r\n{}",
        "x".repeat(body)
    );
    Request::try_from(Message::parse(Bytes::from(text)).unwrap()).unwrap()
}

/// An endpoint with one UDP socket on a free loopback port.
async fn udp_endpoint() -> Endpoint {
    Endpoint::builder()
        .udp("127.0.0.1:0".parse().unwrap())
        .build()
        .await
        .unwrap()
}

/// Answers every request 200 (stateful), until the endpoint stops.
fn spawn_responder(mut endpoint: Endpoint) {
    tokio::spawn(async move {
        while let Some(incoming) = endpoint.accept().await {
            if let Incoming::Request(tx) = incoming {
                let ok = tx
                    .request()
                    .response(StatusCode::OK, Some("srv"))
                    .unwrap()
                    .build()
                    .unwrap();
                tx.respond(ok).await.unwrap();
            }
        }
    });
}

async fn round_trip(
    server_addr: &str,
    client_addr: &str,
    transport: TransportKind,
    body: usize,
) -> (TransportKind, u16) {
    let server_addr: SocketAddr = server_addr.parse().unwrap();
    let client_addr: SocketAddr = client_addr.parse().unwrap();
    // TCP on the same port number as UDP.
    let server_tcp = loop {
        let udp = std::net::UdpSocket::bind(server_addr).unwrap();
        let addr = udp.local_addr().unwrap();
        if std::net::TcpListener::bind(addr).is_ok() {
            break addr;
        }
    };
    let server = Endpoint::builder()
        .udp(server_tcp)
        .tcp(server_tcp)
        .build()
        .await
        .unwrap();
    spawn_responder(server);
    let client = Endpoint::builder()
        .udp(client_addr)
        .tcp(client_addr)
        .build()
        .await
        .unwrap();
    let uri = format!("sip:b@{server_tcp}");
    let mut tx = client
        .send_request(
            options(&uri, "rt", body),
            Target {
                address: server_tcp,
                transport,
            },
        )
        .await
        .unwrap();
    let response = timeout(T, tx.final_response()).await.unwrap().unwrap();
    let used = tx.transport();
    client.shutdown().await;
    (used, response.status().as_u16())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn udp_request_and_response() {
    assert_eq!(
        round_trip("127.0.0.1:0", "127.0.0.1:0", TransportKind::Udp, 0).await,
        (TransportKind::Udp, 200)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tcp_request_and_response() {
    assert_eq!(
        round_trip("127.0.0.1:0", "127.0.0.1:0", TransportKind::Tcp, 0).await,
        (TransportKind::Tcp, 200)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_request_switches_to_tcp() {
    // §18.1.1: 20 kB cannot go over UDP with an unknown MTU.
    assert_eq!(
        round_trip("127.0.0.1:0", "127.0.0.1:0", TransportKind::Udp, 20_000).await,
        (TransportKind::Tcp, 200)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipv6_udp_and_tcp() {
    if std::net::UdpSocket::bind("[::1]:0").is_err() {
        eprintln!("no IPv6 loopback here; skipped");
        return;
    }
    assert_eq!(
        round_trip("[::1]:0", "[::1]:0", TransportKind::Udp, 0).await,
        (TransportKind::Udp, 200)
    );
    assert_eq!(
        round_trip("[::1]:0", "[::1]:0", TransportKind::Tcp, 0).await,
        (TransportKind::Tcp, 200)
    );
}

fn raw_options(call_id: &str) -> String {
    format!(
        "OPTIONS sip:b@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK{call_id}\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: {call_id}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
    )
}

async fn tcp_server() -> SocketAddr {
    let server = Endpoint::builder()
        .tcp("127.0.0.1:0".parse().unwrap())
        .build()
        .await
        .unwrap();
    let addr = server.local_addr(TransportKind::Tcp).unwrap();
    spawn_responder(server);
    addr
}

/// Reads until `count` responses arrived; returns their Call-IDs.
async fn read_responses(stream: &mut TcpStream, count: usize) -> Vec<String> {
    let mut framer = sip_transport::StreamReceiver::default();
    let mut ids = Vec::new();
    let mut buf = [0u8; 4096];
    while ids.len() < count {
        let n = timeout(T, stream.read(&mut buf)).await.unwrap().unwrap();
        assert!(n > 0, "closed after {} responses", ids.len());
        framer.handle_data(&buf[..n]);
        while let Some(e) = framer.poll_event() {
            if let sip_transport::StreamEvent::Message(m) = e {
                assert_eq!(m.status(), Some(StatusCode::OK));
                ids.push(String::from_utf8(m.get(&HeaderName::CallId).unwrap().to_vec()).unwrap());
            }
        }
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tcp_split_reads_and_many_per_read() {
    let addr = tcp_server().await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    // One message written in 7-byte pieces.
    for chunk in raw_options("split").as_bytes().chunks(7) {
        stream.write_all(chunk).await.unwrap();
        stream.flush().await.unwrap();
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    assert_eq!(read_responses(&mut stream, 1).await, vec!["split"]);
    // Twenty messages in one write.
    let many: String = (0..20).map(|i| raw_options(&format!("m{i}"))).collect();
    stream.write_all(many.as_bytes()).await.unwrap();
    let mut ids = read_responses(&mut stream, 20).await;
    ids.sort();
    let mut expect: Vec<String> = (0..20).map(|i| format!("m{i}")).collect();
    expect.sort();
    assert_eq!(ids, expect);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tcp_ping_gets_pong() {
    let addr = tcp_server().await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(b"\r\n\r\n").await.unwrap();
    let mut buf = [0u8; 8];
    let n = timeout(T, stream.read(&mut buf)).await.unwrap().unwrap();
    assert_eq!(&buf[..n], b"\r\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peer_closing_mid_message_leaves_server_working() {
    let addr = tcp_server().await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let msg = raw_options("half");
    stream
        .write_all(&msg.as_bytes()[..msg.len() / 2])
        .await
        .unwrap();
    drop(stream);
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(raw_options("after").as_bytes())
        .await
        .unwrap();
    assert_eq!(read_responses(&mut stream, 1).await, vec!["after"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_message_closes_connection() {
    let addr = tcp_server().await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let huge = "OPTIONS sip:b@127.0.0.1 SIP/2.0\r\nContent-Length: 100000\r\n\r\n";
    stream.write_all(huge.as_bytes()).await.unwrap();
    let mut buf = [0u8; 64];
    let n = timeout(T, stream.read(&mut buf))
        .await
        .unwrap()
        .unwrap_or(0);
    assert_eq!(n, 0, "closed without answer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overload_gets_503_with_retry_after() {
    // Queue of one, and nobody accepts: the second request is refused.
    let server = Endpoint::builder()
        .udp("127.0.0.1:0".parse().unwrap())
        .queue_capacity(1)
        .retry_after(7)
        .build()
        .await
        .unwrap();
    let addr = server.local_addr(TransportKind::Udp).unwrap();
    let client = udp_endpoint().await;
    let target = Target {
        address: addr,
        transport: TransportKind::Udp,
    };
    let _first = client
        .send_request(options("sip:b@127.0.0.1", "o1", 0), target)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut second = client
        .send_request(options("sip:b@127.0.0.1", "o2", 0), target)
        .await
        .unwrap();
    let response = timeout(T, second.final_response()).await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.get(&HeaderName::RetryAfter), Some(&b"7"[..]));
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_failure_is_a_transport_error() {
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let client = udp_endpoint().await;
    let mut tx = client
        .send_request(
            options("sip:b@127.0.0.1", "cf", 0),
            Target {
                address: closed,
                transport: TransportKind::Tcp,
            },
        )
        .await
        .unwrap();
    assert!(matches!(
        timeout(T, tx.final_response()).await.unwrap(),
        Err(Error::TransportFailed)
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invite_ack_reaches_application() {
    let mut server = udp_endpoint().await;
    let addr = server.local_addr(TransportKind::Udp).unwrap();
    // One reader: the 180 and the 200 sent back to back are then handled in order (two
    // readers may take them in either order, and a 180 after the 200 is absorbed).
    let client = Endpoint::builder()
        .udp("127.0.0.1:0".parse().unwrap())
        .udp_readers(1)
        .build()
        .await
        .unwrap();
    let target = Target {
        address: addr,
        transport: TransportKind::Udp,
    };
    let invite = Request::try_from(
        Message::parse(Bytes::from(
            "INVITE sip:b@127.0.0.1 SIP/2.0\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: inv\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContact: <sip:a@127.0.0.1>\r\nContent-Length: 0\r\n\r\n",
        ))
        .unwrap(),
    )
    .unwrap();
    let mut tx = client.send_request(invite, target).await.unwrap();
    let Some(Incoming::Request(stx)) = timeout(T, server.accept()).await.unwrap() else {
        panic!()
    };
    let ringing = stx
        .request()
        .response(StatusCode::RINGING, Some("s1"))
        .unwrap()
        .build()
        .unwrap();
    stx.respond(ringing).await.unwrap();
    let ok = stx
        .request()
        .response(StatusCode::OK, Some("s1"))
        .unwrap()
        .build()
        .unwrap();
    stx.respond(ok).await.unwrap();
    assert!(
        matches!(timeout(T, tx.next_event()).await.unwrap(), Some(ClientEvent::Provisional(r)) if r.status() == StatusCode::RINGING)
    );
    let Some(ClientEvent::Final(ok)) = timeout(T, tx.next_event()).await.unwrap() else {
        panic!()
    };
    assert_eq!(ok.status(), StatusCode::OK);
    let ack = Request::try_from(
        Message::parse(Bytes::from(
            "ACK sip:b@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKack1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>;tag=s1\r\nCall-ID: inv\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
        ))
        .unwrap(),
    )
    .unwrap();
    client.send_stateless(ack.into(), target).await.unwrap();
    let Some(Incoming::Ack { request, .. }) = timeout(T, server.accept()).await.unwrap() else {
        panic!()
    };
    assert_eq!(request.get(&HeaderName::CallId), Some(&b"inv"[..]));
}

/// Many client transactions from many tasks at once, over UDP and TCP, against one
/// server: every one gets its 200 (the core is shared by the socket tasks and the
/// application tasks of both endpoints).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_transactions_from_many_tasks() {
    let server = Endpoint::builder()
        .udp("127.0.0.1:0".parse().unwrap())
        .tcp("127.0.0.1:0".parse().unwrap())
        .build()
        .await
        .unwrap();
    let udp = server.local_addr(TransportKind::Udp).unwrap();
    let tcp = server.local_addr(TransportKind::Tcp).unwrap();
    spawn_responder(server);
    let client = std::sync::Arc::new(
        Endpoint::builder()
            .udp("127.0.0.1:0".parse().unwrap())
            .tcp("127.0.0.1:0".parse().unwrap())
            .build()
            .await
            .unwrap(),
    );
    let mut tasks = Vec::new();
    for i in 0..200 {
        let client = std::sync::Arc::clone(&client);
        let (address, transport) = if i % 2 == 0 {
            (udp, TransportKind::Udp)
        } else {
            (tcp, TransportKind::Tcp)
        };
        tasks.push(tokio::spawn(async move {
            let uri = format!("sip:b@{address}");
            let mut tx = client
                .send_request(
                    options(&uri, &format!("many-{i}"), 0),
                    Target { address, transport },
                )
                .await
                .unwrap();
            timeout(T, tx.final_response()).await.unwrap().unwrap()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().status(), StatusCode::OK);
    }
}

/// Dropping the endpoint (and its transactions) stops every socket task: the port can
/// be bound again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_endpoint_frees_its_port() {
    let mut endpoint = udp_endpoint().await;
    let addr = endpoint.local_addr(TransportKind::Udp).unwrap();
    let client = udp_endpoint().await;
    let mut tx = client
        .send_request(
            options(&format!("sip:b@{addr}"), "before-drop", 0),
            Target {
                address: addr,
                transport: TransportKind::Udp,
            },
        )
        .await
        .unwrap();
    let Some(Incoming::Request(server_tx)) = timeout(T, endpoint.accept()).await.unwrap() else {
        panic!("expected the request");
    };
    let ok = server_tx
        .request()
        .response(StatusCode::OK, Some("s"))
        .unwrap()
        .build()
        .unwrap();
    server_tx.respond(ok).await.unwrap();
    assert_eq!(
        timeout(T, tx.final_response())
            .await
            .unwrap()
            .unwrap()
            .status(),
        StatusCode::OK
    );
    drop(server_tx);
    drop(endpoint);
    client.shutdown().await;
    // Aborted tasks release their sockets when the runtime next drops them.
    let mut rebound = false;
    for _ in 0..100 {
        if std::net::UdpSocket::bind(addr).is_ok() {
            rebound = true;
            break;
        }
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        rebound,
        "port {addr} still bound after the endpoint was dropped"
    );
}

/// The final response of `request` sent through `targets` with failover.
async fn final_via_failover(
    client: &Endpoint,
    call_id: &str,
    targets: &[(SocketAddr, TransportKind)],
) -> Response {
    let targets: Vec<Target> = targets
        .iter()
        .map(|&(address, transport)| Target { address, transport })
        .collect();
    let mut tx = timeout(
        T,
        client.send_request_failover(
            options("sip:b@example.invalid", call_id, 0),
            sip_transport::TargetList::from(targets),
        ),
    )
    .await
    .unwrap()
    .unwrap();
    timeout(T, tx.final_response()).await.unwrap().unwrap()
}

/// RFC 3263 §4.3: a refused TCP connection and a 503 each move the request, as a new
/// transaction, to the next target; the first target that answers otherwise wins.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failover_on_transport_error_and_503() {
    // Target 1: a TCP port where nothing listens.
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    // Target 2: answers 503.
    let mut busy = udp_endpoint().await;
    let busy_addr = busy.local_addr(TransportKind::Udp).unwrap();
    let (branches_tx, mut branches) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(incoming) = busy.accept().await {
            if let Incoming::Request(tx) = incoming {
                let via = String::from_utf8_lossy(tx.request().get(&HeaderName::Via).unwrap())
                    .into_owned();
                let _ = branches_tx.send(via);
                let r = tx
                    .request()
                    .response(StatusCode::SERVICE_UNAVAILABLE, Some("busy"))
                    .unwrap()
                    .build()
                    .unwrap();
                tx.respond(r).await.unwrap();
            }
        }
    });
    // Target 3: answers 200.
    let good = udp_endpoint().await;
    let good_addr = good.local_addr(TransportKind::Udp).unwrap();
    spawn_responder(good);
    let client = Endpoint::builder()
        .udp("127.0.0.1:0".parse().unwrap())
        .tcp("127.0.0.1:0".parse().unwrap())
        .build()
        .await
        .unwrap();
    let response = final_via_failover(
        &client,
        "fo",
        &[
            (refused, TransportKind::Tcp),
            (busy_addr, TransportKind::Udp),
            (good_addr, TransportKind::Udp),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    // The 503 target saw the request once, with a branch of its own.
    let via = branches.recv().await.unwrap();
    assert!(via.contains("branch=z9hG4bK"), "{via}");
    assert!(branches.try_recv().is_err());

    // Every target failing: the last attempt comes back with its 503.
    let response = final_via_failover(
        &client,
        "fo2",
        &[
            (refused, TransportKind::Tcp),
            (busy_addr, TransportKind::Udp),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    // An empty list is an error.
    let empty = client
        .send_request_failover(
            options("sip:b@example.invalid", "fo3", 0),
            sip_transport::TargetList::from(Vec::new()),
        )
        .await;
    assert!(matches!(empty, Err(Error::NoTarget(_))));
    client.shutdown().await;
}

/// A wildcard-bound endpoint writes the address the route to the destination uses in its
/// Via (never 0.0.0.0), with its port.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wildcard_bind_writes_the_routed_address_in_via() {
    let mut server = udp_endpoint().await;
    let server_addr = server.local_addr(TransportKind::Udp).unwrap();
    let client = Endpoint::builder()
        .udp("0.0.0.0:0".parse().unwrap())
        .build()
        .await
        .unwrap();
    let port = client.local_addr(TransportKind::Udp).unwrap().port();
    let _tx = client
        .send_request(
            options(&format!("sip:b@{server_addr}"), "wild", 0),
            Target {
                address: server_addr,
                transport: TransportKind::Udp,
            },
        )
        .await
        .unwrap();
    let Some(Incoming::Request(tx)) = timeout(T, server.accept()).await.unwrap() else {
        panic!("expected the request");
    };
    let via = String::from_utf8_lossy(tx.request().get(&HeaderName::Via).unwrap()).into_owned();
    assert!(
        via.starts_with(&format!("SIP/2.0/UDP 127.0.0.1:{port};")),
        "{via}"
    );
    client.shutdown().await;
}
