//! A stateful OPTIONS responder on the `sip-transport` Endpoint: 200 OK to OPTIONS, 405
//! (with Allow) to everything else. Stops on Ctrl-C.
//!
//! `options-responder --udp 127.0.0.1:5060 --tcp 127.0.0.1:5060`

use std::net::SocketAddr;

use clap::Parser;
use sip_message::{HeaderName, Method, StatusCode};
use sip_transport::{Endpoint, Incoming};

/// Listening addresses (any combination).
#[derive(Debug, Parser)]
struct Args {
    /// UDP address to listen on (repeatable).
    #[arg(long)]
    udp: Vec<SocketAddr>,
    /// TCP address to listen on (repeatable).
    #[arg(long)]
    tcp: Vec<SocketAddr>,
    /// TLS address to listen on (repeatable; needs --cert and --key).
    #[arg(long)]
    tls: Vec<SocketAddr>,
    /// TLS certificate (PEM).
    #[arg(long)]
    cert: Option<String>,
    /// TLS private key (PEM).
    #[arg(long)]
    key: Option<String>,
    /// Most server transactions alive at once. A non-INVITE server transaction over UDP
    /// lives 32 s after its response (Timer J, §17.2.2), so 40,000 requests per second
    /// keep about 1.3 million alive.
    #[arg(long, default_value_t = 2_000_000)]
    max_transactions: usize,
    /// WebSocket address to listen on (RFC 7118, subprotocol `sip`; repeatable).
    #[arg(long)]
    ws: Vec<SocketAddr>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    // One listener for the whole run, so that no Ctrl-C is missed between two requests.
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let mut config = sip_transaction::Config::default();
    config.max_server_transactions(args.max_transactions);
    let mut builder = Endpoint::builder().transaction_config(config);
    for a in &args.udp {
        builder = builder.udp(*a);
    }
    for a in &args.tcp {
        builder = builder.tcp(*a);
    }
    for a in &args.ws {
        builder = builder.ws(*a);
    }
    if !args.tls.is_empty() {
        let (Some(cert), Some(key)) = (&args.cert, &args.key) else {
            return Err("--tls needs --cert FILE and --key FILE (PEM)".into());
        };
        for a in &args.tls {
            builder = builder.tls(*a, cert, key);
        }
    }
    let mut endpoint = builder.build().await?;
    for (t, a) in endpoint.local_addrs() {
        eprintln!("options-responder listening on {t} {a}");
    }
    let mut tag: u64 = 0;
    loop {
        let incoming = tokio::select! {
            _ = &mut ctrl_c => break,
            i = endpoint.accept() => i,
        };
        let Some(incoming) = incoming else { break };
        let (Incoming::Request(tx)
        | Incoming::Cancel {
            transaction: tx, ..
        }) = incoming
        else {
            continue;
        };
        tag += 1;
        let to_tag = format!("or{tag:x}");
        let request = tx.request();
        let builder = if request.method() == Method::Options {
            request.response(StatusCode::OK, Some(&to_tag))
        } else {
            request.response(StatusCode::METHOD_NOT_ALLOWED, Some(&to_tag))
        };
        let Ok(response) = builder.and_then(|b| b.header(&HeaderName::Allow, "OPTIONS").build())
        else {
            continue;
        };
        tx.respond(response).await?;
    }
    eprintln!("options-responder stopping");
    endpoint.shutdown().await;
    Ok(())
}
