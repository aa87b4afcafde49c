#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(feature = "tokio")]
//! TLS loopback: a self-signed certificate made by rcgen, server-name verification and a
//! handshake failure reported as a transport error.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use sip_message::{Message, Request, StatusCode};
use sip_transaction::TransportKind;
use sip_transport::rustls::pki_types::CertificateDer;
use sip_transport::{Endpoint, Error, Incoming, Target};
use tokio::time::timeout;

const T: Duration = Duration::from_secs(5);

/// The transaction ends with a 200.
async fn expect_ok(tx: &mut sip_transport::ClientTransaction) {
    let response = timeout(T, tx.final_response()).await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

struct Pki {
    cert: PathBuf,
    key: PathBuf,
    der: CertificateDer<'static>,
}

fn pki(name: &str) -> Pki {
    let certified = rcgen::generate_simple_self_signed(vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ])
    .unwrap();
    let dir = std::env::temp_dir().join(format!("sip-transport-tls-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.key_pair.serialize_pem()).unwrap();
    Pki {
        cert,
        key,
        der: certified.cert.der().clone(),
    }
}

fn options() -> Request {
    Request::try_from(
        Message::parse(Bytes::from_static(
            b"OPTIONS sips:b@localhost SIP/2.0\r\nFrom: <sips:a@localhost>;tag=1\r\nTo: <sips:b@localhost>\r\nCall-ID: tls1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
        ))
        .unwrap(),
    )
    .unwrap()
}

async fn tls_server(pki: &Pki, addr: &str) -> SocketAddr {
    let mut server = Endpoint::builder()
        .tls(addr.parse().unwrap(), &pki.cert, &pki.key)
        .build()
        .await
        .unwrap();
    let addr = server.local_addr(TransportKind::Tls).unwrap();
    tokio::spawn(async move {
        while let Some(Incoming::Request(tx)) = server.accept().await {
            let ok = tx
                .request()
                .response(StatusCode::OK, Some("t"))
                .unwrap()
                .build()
                .unwrap();
            tx.respond(ok).await.unwrap();
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_request_and_response_verified_by_ip_and_by_name() {
    let pki = pki("ok");
    let addr = tls_server(&pki, "127.0.0.1:0").await;
    let client = Endpoint::builder()
        .udp("127.0.0.1:0".parse().unwrap())
        .tls_root(pki.der.clone())
        .build()
        .await
        .unwrap();
    let target = Target {
        address: addr,
        transport: TransportKind::Tls,
    };
    let mut tx = client.send_request(options(), target).await.unwrap();
    expect_ok(&mut tx).await;
    assert_eq!(tx.transport(), TransportKind::Tls);
    // A second client verifying the name of the sips URI.
    let client = Endpoint::builder()
        .udp("127.0.0.1:0".parse().unwrap())
        .tls_root(pki.der.clone())
        .build()
        .await
        .unwrap();
    let mut tx = client
        .send_request_named(options(), target, Some("localhost".into()))
        .await
        .unwrap();
    expect_ok(&mut tx).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_over_ipv6() {
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        return;
    }
    let pki = pki("v6");
    let addr = tls_server(&pki, "[::1]:0").await;
    let client = Endpoint::builder()
        .udp("[::1]:0".parse().unwrap())
        .tls_root(pki.der.clone())
        .build()
        .await
        .unwrap();
    let mut tx = client
        .send_request(
            options(),
            Target {
                address: addr,
                transport: TransportKind::Tls,
            },
        )
        .await
        .unwrap();
    expect_ok(&mut tx).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn untrusted_certificate_is_a_transport_error() {
    let pki = pki("untrusted");
    let addr = tls_server(&pki, "127.0.0.1:0").await;
    // No roots: the handshake fails.
    let client = Endpoint::builder()
        .udp("127.0.0.1:0".parse().unwrap())
        .build()
        .await
        .unwrap();
    let mut tx = client
        .send_request(
            options(),
            Target {
                address: addr,
                transport: TransportKind::Tls,
            },
        )
        .await
        .unwrap();
    assert!(matches!(
        timeout(T, tx.final_response()).await.unwrap(),
        Err(Error::TransportFailed)
    ));
}

/// The system's certificate authorities do not vouch for a self-signed test certificate;
/// adding our own root beside them does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn system_roots_trust_only_what_they_contain() {
    let pki = pki("system");
    let addr = tls_server(&pki, "127.0.0.1:0").await;
    let target = Target {
        address: addr,
        transport: TransportKind::Tls,
    };
    let system_only = Endpoint::builder()
        .udp("127.0.0.1:0".parse().unwrap())
        .tls_system_roots()
        .build()
        .await
        .unwrap();
    let mut tx = system_only.send_request(options(), target).await.unwrap();
    assert!(matches!(
        timeout(T, tx.final_response()).await.unwrap(),
        Err(Error::TransportFailed)
    ));
    let both = Endpoint::builder()
        .udp("127.0.0.1:0".parse().unwrap())
        .tls_system_roots()
        .tls_root(pki.der.clone())
        .build()
        .await
        .unwrap();
    let mut tx = both.send_request(options(), target).await.unwrap();
    expect_ok(&mut tx).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_server_name_is_a_transport_error() {
    let pki = pki("name");
    let addr = tls_server(&pki, "127.0.0.1:0").await;
    let client = Endpoint::builder()
        .udp("127.0.0.1:0".parse().unwrap())
        .tls_root(pki.der.clone())
        .build()
        .await
        .unwrap();
    let mut tx = client
        .send_request_named(
            options(),
            Target {
                address: addr,
                transport: TransportKind::Tls,
            },
            Some("other.example".into()),
        )
        .await
        .unwrap();
    assert!(matches!(
        timeout(T, tx.final_response()).await.unwrap(),
        Err(Error::TransportFailed)
    ));
}

#[tokio::test]
async fn bad_pem_files_are_reported() {
    let dir = std::env::temp_dir().join(format!("sip-transport-badpem-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty.pem");
    std::fs::write(&empty, "not a pem").unwrap();
    let r = Endpoint::builder()
        .tls("127.0.0.1:0".parse().unwrap(), &empty, &empty)
        .build()
        .await;
    assert!(matches!(r, Err(Error::Tls(_))));
    let r = Endpoint::builder()
        .tls("127.0.0.1:0".parse().unwrap(), dir.join("missing"), &empty)
        .build()
        .await;
    assert!(matches!(r, Err(Error::Io(_))));
}
