//! `stun-tool`: a STUN client and server on UDP, built on the `stun` crate.
//!
//! ```text
//! stun-tool client SERVER:PORT [--username U --password P [--realm R]]
//!     prints "mapped ADDRESS:PORT" and exits 0; exits 1 with a message on timeout or error
//! stun-tool server --listen ADDRESS:PORT [--username U --password P [--realm R]]
//!     answers Binding requests until stopped
//! ```
//!
//! `--username`/`--password` alone are short-term credentials; with `--realm` they are
//! long-term credentials (the client answers the server's 401 challenge).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand};
use stun::{Authentication, ClientConfig, Credentials, Server, ServerConfig, TransactionConfig};
use tokio::net::UdpSocket;

#[derive(Parser)]
#[command(
    name = "stun-tool",
    about = "STUN (RFC 8489) client and server over UDP"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Learn the public address of a local UDP socket from a STUN server.
    Client {
        /// The STUN server, HOST:PORT.
        server: String,
        #[command(flatten)]
        credentials: CredentialArgs,
        /// Initial retransmission timeout in milliseconds (RFC 8489 §6.2.1).
        #[arg(long, default_value_t = 500)]
        rto_ms: u64,
        /// Number of requests sent before giving up (Rc).
        #[arg(long, default_value_t = 7)]
        rc: u32,
        /// Local address to bind.
        #[arg(long)]
        bind: Option<SocketAddr>,
    },
    /// Answer STUN Binding requests on a UDP port until stopped.
    Server {
        /// Address to listen on, ADDRESS:PORT.
        #[arg(long)]
        listen: SocketAddr,
        #[command(flatten)]
        credentials: CredentialArgs,
    },
}

#[derive(Args)]
struct CredentialArgs {
    /// Username (short-term credentials, or long-term with --realm).
    #[arg(long, requires = "password")]
    username: Option<String>,
    /// Password.
    #[arg(long, requires = "username")]
    password: Option<String>,
    /// Realm: use long-term credentials.
    #[arg(long, requires = "username")]
    realm: Option<String>,
}

const SOFTWARE: &str = concat!("stun-tool ", env!("CARGO_PKG_VERSION"));

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("stun-tool: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Client {
                server,
                credentials,
                rto_ms,
                rc,
                bind,
            } => client(&server, credentials, rto_ms, rc, bind).await,
            Command::Server {
                listen,
                credentials,
            } => server(listen, credentials).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("stun-tool: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn client(
    server: &str,
    args: CredentialArgs,
    rto_ms: u64,
    rc: u32,
    bind: Option<SocketAddr>,
) -> Result<(), String> {
    let server_addr = tokio::net::lookup_host(server)
        .await
        .map_err(|e| format!("cannot resolve {server}: {e}"))?
        .next()
        .ok_or_else(|| format!("cannot resolve {server}: no address"))?;
    let local = bind.unwrap_or_else(|| {
        if server_addr.is_ipv4() {
            SocketAddr::from(([0, 0, 0, 0], 0))
        } else {
            SocketAddr::from(([0u16; 8], 0))
        }
    });
    let socket = UdpSocket::bind(local)
        .await
        .map_err(|e| format!("cannot bind {local}: {e}"))?;
    let credentials = match (args.username, args.password, args.realm) {
        (Some(username), Some(password), None) => Credentials::ShortTerm { username, password },
        (Some(username), Some(password), realm @ Some(_)) => Credentials::LongTerm {
            username,
            password,
            realm,
        },
        _ => Credentials::None,
    };
    let config = ClientConfig {
        credentials,
        software: Some(SOFTWARE.to_owned()),
        transaction: TransactionConfig {
            rto: Duration::from_millis(rto_ms),
            rc,
            ..TransactionConfig::default()
        },
        ..ClientConfig::default()
    };
    let mapped = stun::tokio::resolve_mapping(&socket, server_addr, config)
        .await
        .map_err(|e| format!("{server_addr}: {e}"))?;
    println!("mapped {mapped}");
    Ok(())
}

async fn server(listen: SocketAddr, args: CredentialArgs) -> Result<(), String> {
    let authentication = match (args.username, args.password, args.realm) {
        (Some(username), Some(password), None) => Authentication::ShortTerm {
            users: HashMap::from([(username, password)]),
        },
        (Some(username), Some(password), Some(realm)) => {
            Authentication::long_term(realm, HashMap::from([(username, password)]))
        }
        _ => Authentication::None,
    };
    let config = ServerConfig {
        authentication,
        software: Some(SOFTWARE.to_owned()),
        ..ServerConfig::default()
    };
    let server = Server::new(config, Instant::now()).map_err(|e| e.to_string())?;
    let socket = UdpSocket::bind(listen)
        .await
        .map_err(|e| format!("cannot bind {listen}: {e}"))?;
    let local = socket.local_addr().map_err(|e| e.to_string())?;
    eprintln!("stun-tool: listening on udp {local}");
    stun::tokio::serve(&socket, server)
        .await
        .map_err(|e| e.to_string())
}
