//! The listening flags shared by `options-responder` and `uas-skeleton`, and the `Endpoint`
//! they describe.

use std::net::SocketAddr;

use clap::Parser;
use sip_transport::Endpoint;

/// Listening addresses (any combination).
#[derive(Debug, Parser)]
pub(crate) struct Args {
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
    /// Requests queued to the application before new ones are answered 503 (about 0.4 s
    /// of 40,000 requests per second: a short stall of the application is absorbed).
    #[arg(long, default_value_t = 16_384)]
    queue: usize,
    /// Tasks reading each UDP socket.
    #[arg(long, default_value_t = 2)]
    udp_readers: usize,
}

impl Args {
    /// Builds the endpoint listening where the flags say and reports its addresses on
    /// stderr, prefixed with `name`.
    pub(crate) async fn endpoint(
        &self,
        name: &str,
    ) -> Result<Endpoint, Box<dyn std::error::Error>> {
        let mut config = sip_transaction::Config::default();
        config.max_server_transactions(self.max_transactions);
        let mut builder = Endpoint::builder()
            .transaction_config(config)
            .udp_readers(self.udp_readers)
            .queue_capacity(self.queue);
        for a in &self.udp {
            builder = builder.udp(*a);
        }
        for a in &self.tcp {
            builder = builder.tcp(*a);
        }
        for a in &self.ws {
            builder = builder.ws(*a);
        }
        if !self.tls.is_empty() {
            let (Some(cert), Some(key)) = (&self.cert, &self.key) else {
                return Err("--tls needs --cert FILE and --key FILE (PEM)".into());
            };
            for a in &self.tls {
                builder = builder.tls(*a, cert, key);
            }
        }
        let endpoint = builder.build().await?;
        for (t, a) in endpoint.local_addrs() {
            eprintln!("{name} listening on {t} {a}");
        }
        Ok(endpoint)
    }
}

/// Runs `serve` on a runtime worker (so that the application and the protocol work share
/// the worker threads, with no extra thread to wake) until it returns or Ctrl-C arrives,
/// then shuts the endpoint down. `serve` stops when its receiver fires and gives the
/// endpoint back.
pub(crate) async fn serve_until_ctrl_c<F, Fut>(
    endpoint: Endpoint,
    name: &str,
    serve: F,
) -> Result<(), Box<dyn std::error::Error>>
where
    F: FnOnce(Endpoint, tokio::sync::oneshot::Receiver<()>) -> Fut,
    Fut: std::future::Future<Output = Endpoint> + Send + 'static,
{
    let (stop, stopped) = tokio::sync::oneshot::channel();
    let mut server = tokio::spawn(serve(endpoint, stopped));
    let endpoint = tokio::select! {
        served = &mut server => served?,
        signal = tokio::signal::ctrl_c() => {
            signal?;
            let _ = stop.send(());
            server.await?
        }
    };
    eprintln!("{name} stopping");
    endpoint.shutdown().await;
    Ok(())
}
