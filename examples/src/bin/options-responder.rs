//! A stateful OPTIONS responder on the `sip-transport` Endpoint: 200 OK to OPTIONS, 405
//! (with Allow) to everything else. Stops on Ctrl-C.
//!
//! `options-responder --udp 127.0.0.1:5060 --tcp 127.0.0.1:5060`

mod listen;

use clap::Parser;
use listen::Args;
use sip_message::{HeaderName, Method, StatusCode};
use sip_transport::{Endpoint, Incoming};
use tokio::sync::oneshot;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let endpoint = args.endpoint("options-responder").await?;
    listen::serve_until_ctrl_c(endpoint, "options-responder", serve).await
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
        let _ = tx.respond(response).await;
    }
    endpoint
}
