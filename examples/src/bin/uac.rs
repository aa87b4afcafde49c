//! A UAC on the `sip-transport` Endpoint: places `--calls` INVITE / ACK / BYE calls to
//! `--target`, `--concurrency` at a time, and reports failures (non-zero exit when any).
//!
//! `uac --target 127.0.0.1:5080 --transport udp --calls 100`

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use clap::Parser;
use sip_message::{HeaderName, Message, Request};
use sip_transaction::TransportKind;
use sip_transport::{parse_transport, Endpoint, Target};

/// Where and how many calls.
#[derive(Debug, Parser)]
struct Args {
    /// The UAS address.
    #[arg(long)]
    target: SocketAddr,
    /// `udp` or `tcp`.
    #[arg(long, default_value = "udp")]
    transport: String,
    /// Local address to bind (UDP and TCP).
    #[arg(long, default_value = "127.0.0.1:0")]
    local: SocketAddr,
    /// Number of calls.
    #[arg(long, default_value_t = 10)]
    calls: u64,
    /// Calls in progress at once.
    #[arg(long, default_value_t = 10)]
    concurrency: u64,
    /// Seconds to keep connections open after the last call (a peer such as SIPp may
    /// count a call whose connection closes too early as failed).
    #[arg(long, default_value_t = 0)]
    linger: u64,
    /// Seconds before giving up on a call.
    #[arg(long, default_value_t = 10)]
    timeout: u64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let transport = parse_transport(&args.transport).ok_or("--transport must be udp or tcp")?;
    let endpoint = Arc::new(
        Endpoint::builder()
            .udp(args.local)
            .tcp(args.local)
            .build()
            .await?,
    );
    let local = endpoint.local_addr(transport).ok_or("no local address")?;
    let target = Target {
        address: args.target,
        transport,
    };
    let next = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..args.concurrency.max(1) {
        let (endpoint, next, failed) = (
            Arc::clone(&endpoint),
            Arc::clone(&next),
            Arc::clone(&failed),
        );
        let limit = Duration::from_secs(args.timeout);
        let calls = args.calls;
        workers.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= calls {
                    break;
                }
                match tokio::time::timeout(limit, call(&endpoint, target, local, n)).await {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => {
                        eprintln!("call {n} failed: {e}");
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(_) => {
                        eprintln!("call {n} timed out");
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    for w in workers {
        w.await?;
    }
    let failed = failed.load(Ordering::Relaxed);
    println!(
        "uac: {} calls, {} failed, {:.2} s",
        args.calls,
        failed,
        started.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(args.linger)).await;
    if let Ok(endpoint) = Arc::try_unwrap(endpoint) {
        endpoint.shutdown().await;
    }
    if failed > 0 {
        return Err(format!("{failed} failed calls").into());
    }
    Ok(())
}

/// One call: INVITE, ACK of the 2xx, BYE.
async fn call(
    endpoint: &Endpoint,
    target: Target,
    local: SocketAddr,
    n: u64,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let uri = format!("sip:service@{}", target.address);
    let t = target.transport.as_str();
    let suffix = if target.transport == TransportKind::Udp {
        String::new()
    } else {
        format!(";transport={}", t.to_ascii_lowercase())
    };
    let from = format!("<sip:uac@{local}>;tag=uac{n}");
    let call_id = format!("uac-{n}-{}@{local}", std::process::id());
    let sdp = format!("v=0\r\no=- 1 1 IN IP4 {ip}\r\ns=-\r\nc=IN IP4 {ip}\r\nt=0 0\r\nm=audio 40002 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n", ip = local.ip());
    let invite = parse_request(&format!(
        "INVITE {uri}{suffix} SIP/2.0\r\nFrom: {from}\r\nTo: <{uri}>\r\nCall-ID: {call_id}\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContact: <sip:uac@{local}{suffix}>\r\nContent-Type: application/sdp\r\nContent-Length: {}\r\n\r\n{sdp}",
        sdp.len()
    ))?;
    let mut tx = endpoint.send_request(invite, target).await?;
    let ok = tx.final_response().await?;
    if !ok.status().is_success() {
        return Err(format!("INVITE answered {}", ok.status().as_u16()).into());
    }
    let to = String::from_utf8_lossy(ok.get(&HeaderName::To).ok_or("200 without To")?).into_owned();
    // §13.2.2.4: the ACK of a 2xx is a new request with its own branch, sent statelessly.
    let ack = parse_request(&format!(
        "ACK {uri}{suffix} SIP/2.0\r\nVia: SIP/2.0/{t} {local};branch=z9hG4bKack{n}x{}\r\nFrom: {from}\r\nTo: {to}\r\nCall-ID: {call_id}\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
        std::process::id()
    ))?;
    endpoint.send_stateless(ack.into(), target).await?;
    let bye = parse_request(&format!(
        "BYE {uri}{suffix} SIP/2.0\r\nFrom: {from}\r\nTo: {to}\r\nCall-ID: {call_id}\r\nCSeq: 2 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
    ))?;
    let mut tx = endpoint.send_request(bye, target).await?;
    let ok = tx.final_response().await?;
    if !ok.status().is_success() {
        return Err(format!("BYE answered {}", ok.status().as_u16()).into());
    }
    Ok(())
}

fn parse_request(text: &str) -> Result<Request, Box<dyn std::error::Error + Send + Sync>> {
    let message = Message::parse(Bytes::from(text.to_owned()))?;
    Request::try_from(message).map_err(|_| "not a request".into())
}
