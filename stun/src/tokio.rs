//! Tokio UDP adapters (feature `tokio`): resolve a socket's public mapping, serve STUN.
//!
//! They hold no protocol logic: they read, stamp input with `Instant::now()`, feed the
//! sans-IO [`Client`] or [`Server`], write what it transmits and sleep until `poll_timeout`.

use std::net::SocketAddr;
use std::time::Instant;

use tokio::net::UdpSocket;

use crate::client::{Client, ClientConfig, Event};
use crate::server::Server;
use crate::transaction::Transport;
use crate::Error;

/// Sends a Binding request from `socket` to `server` and returns the public address the
/// server saw (XOR-MAPPED-ADDRESS), following 401/438/300 as [`Client`] does.
///
/// Datagrams that are not responses for this request are ignored.
///
/// # Errors
/// [`Error::BindingFailed`] on timeout (39.5 s with the default timers) or an error response,
/// [`Error::Io`] when the socket fails, and the errors of [`Client::new`].
pub async fn resolve_mapping(
    socket: &UdpSocket,
    server: SocketAddr,
    config: ClientConfig,
) -> Result<SocketAddr, Error> {
    let mut client = Client::new(config)?;
    client.binding(Instant::now(), server, Transport::Udp)?;
    let mut buf = vec![0u8; 2048];
    loop {
        while let Some(t) = client.poll_transmit() {
            socket
                .send_to(&t.payload, t.destination)
                .await
                .map_err(io)?;
        }
        if let Some(event) = client.poll_event() {
            return match event {
                Event::Success { mapped, .. } => Ok(mapped),
                Event::Failure { reason, .. } => Err(Error::BindingFailed(reason)),
            };
        }
        let Some(deadline) = client.poll_timeout() else {
            return Err(Error::InvalidState("client idle without an event"));
        };
        tokio::select! {
            received = socket.recv_from(&mut buf) => {
                match received {
                    Ok((n, from)) => {
                        client.handle_input(Instant::now(), from, buf.get(..n).unwrap_or_default());
                    }
                    // ICMP errors surface on the next receive on Linux: keep waiting for the timeout.
                    Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {}
                    Err(e) => return Err(io(e)),
                }
            }
            () = tokio::time::sleep_until(deadline.into()) => client.handle_timeout(Instant::now()),
        }
    }
}

/// Answers STUN on `socket` with `server` until the socket fails.
///
/// Non-STUN datagrams are ignored.
///
/// # Errors
/// [`Error::Io`] when receiving or sending fails (other than ICMP errors from clients).
pub async fn serve(socket: &UdpSocket, mut server: Server) -> Result<(), Error> {
    let mut buf = vec![0u8; 2048];
    loop {
        let (n, from) = match socket.recv_from(&mut buf).await {
            Ok(r) => r,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => continue,
            Err(e) => return Err(io(e)),
        };
        server.handle_input(Instant::now(), from, buf.get(..n).unwrap_or_default());
        while let Some(t) = server.poll_transmit() {
            if let Err(e) = socket.send_to(&t.payload, t.destination).await {
                tracing::debug!(error = %e, destination = %t.destination, "cannot send STUN response");
            }
        }
    }
}

fn io(e: std::io::Error) -> Error {
    Error::Io {
        kind: e.kind(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::ServerConfig;

    #[tokio::test]
    async fn loopback_binding() {
        let server_socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let server_addr = server_socket.local_addr().unwrap();
        let server = Server::new(ServerConfig::default(), Instant::now()).unwrap();
        let task = tokio::spawn(async move { serve(&server_socket, server).await });
        let client = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let mapped = resolve_mapping(&client, server_addr, ClientConfig::default())
            .await
            .unwrap();
        assert_eq!(mapped, client.local_addr().unwrap());
        task.abort();
    }

    #[tokio::test]
    async fn silent_server_times_out() {
        // A bound socket that never answers.
        let silent = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let client = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let config = ClientConfig {
            transaction: crate::TransactionConfig {
                rto: std::time::Duration::from_millis(10),
                rc: 2,
                rm: 2,
                ..crate::TransactionConfig::default()
            },
            ..ClientConfig::default()
        };
        let error = resolve_mapping(&client, silent.local_addr().unwrap(), config)
            .await
            .unwrap_err();
        assert_eq!(error, Error::BindingFailed(crate::Failure::Timeout));
        assert_eq!(
            error.to_string(),
            "binding request failed: no response (timeout)"
        );
    }
}
