//! A UAS skeleton on the `sip-transport` Endpoint: INVITE gets 180 and 200 with a minimal
//! SDP answer; ACK is absorbed; BYE and OPTIONS get 200; CANCEL gets 200 (481 when its
//! INVITE is gone); anything else 405. Stops on Ctrl-C.
//!
//! `uas-skeleton --udp 127.0.0.1:5070 --tcp 127.0.0.1:5070`

mod listen;

use std::net::SocketAddr;

use bytes::Bytes;
use clap::Parser;
use listen::Args;
use sip_message::{HeaderName, Method, StatusCode};
use sip_transaction::TransportKind;
use sip_transport::{Endpoint, Incoming};
use tokio::sync::oneshot;

const ALLOW: &str = "INVITE, ACK, BYE, CANCEL, OPTIONS";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let endpoint = args.endpoint("uas-skeleton").await?;
    listen::serve_until_ctrl_c(endpoint, "uas-skeleton", serve).await
}

/// Answers until `stop` fires or the endpoint closes.
async fn serve(mut endpoint: Endpoint, mut stop: oneshot::Receiver<()>) -> Endpoint {
    let mut tag: u64 = 0;
    loop {
        let incoming = tokio::select! {
            _ = &mut stop => break,
            i = endpoint.accept() => i,
        };
        let Some(incoming) = incoming else { break };
        tag += 1;
        let to_tag = format!("uas{tag:x}");
        // A request we cannot answer (the builder refuses it) is logged, not fatal.
        if let Err(e) = answer(&endpoint, incoming, &to_tag).await {
            eprintln!("uas-skeleton: request not answered: {e}");
        }
    }
    endpoint
}

/// Answers one incoming request, CANCEL or ACK.
async fn answer(
    endpoint: &Endpoint,
    incoming: Incoming,
    to_tag: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    match incoming {
        Incoming::Request(tx) => {
            let request = tx.request();
            match request.method() {
                Method::Invite => {
                    let transport = tx.transport();
                    let local = endpoint
                        .local_addr(transport)
                        .or_else(|| endpoint.local_addr(TransportKind::Udp))
                        .ok_or("no local address")?;
                    let contact = match transport {
                        TransportKind::Udp => format!("<sip:uas@{local}>"),
                        t => format!(
                            "<sip:uas@{local};transport={}>",
                            t.as_str().to_ascii_lowercase()
                        ),
                    };
                    let ringing = request
                        .response(StatusCode::RINGING, Some(to_tag))?
                        .header(&HeaderName::Contact, &contact)
                        .build()?;
                    tx.respond(ringing).await?;
                    let ok = request
                        .response(StatusCode::OK, Some(to_tag))?
                        .header(&HeaderName::Contact, &contact)
                        .header(&HeaderName::ContentType, "application/sdp")
                        .body(sdp_answer(local))
                        .build()?;
                    tx.respond(ok).await?;
                }
                Method::Bye | Method::Options => {
                    tx.respond(request.response(StatusCode::OK, Some(to_tag))?.build()?)
                        .await?;
                }
                _ => {
                    let r = request
                        .response(StatusCode::METHOD_NOT_ALLOWED, Some(to_tag))?
                        .header(&HeaderName::Allow, ALLOW)
                        .build()?;
                    tx.respond(r).await?;
                }
            }
        }
        Incoming::Cancel {
            transaction,
            invite,
        } => {
            // §9.2: 200 to the CANCEL; our INVITEs are answered at once, so there is no
            // pending INVITE left to end with 487.
            let status = if invite.is_some() {
                StatusCode::OK
            } else {
                StatusCode::CALL_OR_TRANSACTION_DOES_NOT_EXIST
            };
            transaction
                .respond(
                    transaction
                        .request()
                        .response(status, Some(to_tag))?
                        .build()?,
                )
                .await?;
        }
        // The ACK of our 2xx ends the INVITE transaction (RFC 6026); nothing to send.
        _ => {}
    }
    Ok(())
}

/// A minimal SDP answer (RFC 4566): one PCMU audio stream.
fn sdp_answer(local: SocketAddr) -> Bytes {
    let (family, ip) = match local.ip() {
        std::net::IpAddr::V4(a) => ("IP4", a.to_string()),
        std::net::IpAddr::V6(a) => ("IP6", a.to_string()),
    };
    Bytes::from(format!(
        "v=0\r\no=- 1 1 IN {family} {ip}\r\ns=-\r\nc=IN {family} {ip}\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
    ))
}
