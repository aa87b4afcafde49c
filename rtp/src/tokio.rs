//! A tokio UDP adapter (feature `tokio`) that drives a [`Session`]: an RTP/RTCP socket pair
//! (RTCP on the RTP port + 1) or a single socket with rtcp-mux (RFC 5761).
//!
//! The adapter holds no protocol logic: it stamps input with `Instant::now()`, feeds the
//! session, writes what the session transmits and sleeps until `poll_timeout`.
//!
//! ```no_run
//! use rtp::tokio::{RtcpMode, RtpSocket, Output};
//! use rtp::{g711, Playout, SessionConfig};
//!
//! # async fn run() -> std::io::Result<()> {
//! let mut socket = RtpSocket::bind(SessionConfig::default(), "0.0.0.0:40000".parse().unwrap(), RtcpMode::Separate).await?;
//! socket.set_remote("192.0.2.7:40000".parse().unwrap(), "192.0.2.7:40001".parse().unwrap());
//! let mut frame = [0u8; 160];
//! g711::encode_ulaw(&[0i16; 160], &mut frame);
//! socket.send(&frame, true).await?;
//! while let Some(output) = socket.next().await? {
//!     if let Output::Media { playout: Playout::Packet(p), .. } = output {
//!         let mut pcm = [0i16; 160];
//!         g711::decode_ulaw(p.payload(), &mut pcm);
//!     }
//! }
//! # Ok(())
//! # }
//! ```

use std::io;
use std::net::SocketAddr;
use std::time::{Instant, SystemTime};

use bytes::Bytes;
use tokio::net::UdpSocket;

use crate::jitter_buffer::Playout;
use crate::session::{Channel, Event, Session, SessionConfig};

/// Where RTCP goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RtcpMode {
    /// RTCP on its own socket, the RTP port + 1 (RFC 3550 §11).
    Separate,
    /// RTP and RTCP share one socket (RFC 5761); told apart by the packet type octet.
    Multiplexed,
}

/// What [`RtpSocket::next`] hands out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Output {
    /// A media packet or gap at its playout time.
    Media {
        /// The source.
        ssrc: u32,
        /// The packet or gap.
        playout: Playout,
    },
    /// A session event.
    Event(Event),
}

/// A [`Session`] on UDP sockets.
#[derive(Debug)]
pub struct RtpSocket {
    session: Session,
    rtp: UdpSocket,
    rtcp: Option<UdpSocket>,
    remote_rtp: Option<SocketAddr>,
    remote_rtcp: Option<SocketAddr>,
    rtp_buf: Vec<u8>,
    rtcp_buf: Vec<u8>,
}

impl RtpSocket {
    /// Binds the RTP socket to `local` (and the RTCP socket to its port + 1 in
    /// [`RtcpMode::Separate`]; with port 0 a free even/odd pair is searched) and starts a
    /// session, with `wall_clock` set to now unless the config has one.
    ///
    /// # Errors
    ///
    /// Socket errors from binding.
    pub async fn bind(
        mut config: SessionConfig,
        local: SocketAddr,
        mode: RtcpMode,
    ) -> io::Result<Self> {
        // The adapter owns the clocks: SR NTP timestamps count from the real wall clock.
        config.wall_clock.get_or_insert_with(SystemTime::now);
        let (rtp, rtcp) = match mode {
            RtcpMode::Multiplexed => (UdpSocket::bind(local).await?, None),
            RtcpMode::Separate => {
                let (a, b) = bind_pair(local).await?;
                (a, Some(b))
            }
        };
        Ok(Self {
            session: Session::new(config, Instant::now()),
            rtp,
            rtcp,
            remote_rtp: None,
            remote_rtcp: None,
            rtp_buf: vec![0; 65536],
            rtcp_buf: vec![0; 65536],
        })
    }

    /// Sets the peer's RTP and RTCP addresses (the same address with rtcp-mux).
    pub fn set_remote(&mut self, rtp: SocketAddr, rtcp: SocketAddr) {
        self.remote_rtp = Some(rtp);
        self.remote_rtcp = Some(rtcp);
    }

    /// The local RTP address.
    ///
    /// # Errors
    ///
    /// As [`UdpSocket::local_addr`].
    pub fn local_rtp_addr(&self) -> io::Result<SocketAddr> {
        self.rtp.local_addr()
    }

    /// The local RTCP address (the RTP address with rtcp-mux).
    ///
    /// # Errors
    ///
    /// As [`UdpSocket::local_addr`].
    pub fn local_rtcp_addr(&self) -> io::Result<SocketAddr> {
        self.rtcp.as_ref().unwrap_or(&self.rtp).local_addr()
    }

    /// The session.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The session, for commands (e.g. `send_dtmf`); call [`flush`](Self::flush) after.
    pub fn session_mut(&mut self) -> &mut Session {
        &mut self.session
    }

    /// Sends one media frame through the session.
    ///
    /// # Errors
    ///
    /// The session's error (closed) as [`io::ErrorKind::Other`], or a socket error.
    pub async fn send(&mut self, payload: &[u8], marker: bool) -> io::Result<()> {
        self.session
            .send_rtp(Instant::now(), payload, marker)
            .map_err(io::Error::other)?;
        self.flush().await
    }

    /// Writes everything the session has queued.
    ///
    /// # Errors
    ///
    /// Socket errors.
    pub async fn flush(&mut self) -> io::Result<()> {
        while let Some(t) = self.session.poll_transmit() {
            let (socket, remote) = match t.channel {
                Channel::Rtp => (&self.rtp, self.remote_rtp),
                Channel::Rtcp => (self.rtcp.as_ref().unwrap_or(&self.rtp), self.remote_rtcp),
            };
            if let Some(remote) = remote {
                socket.send_to(&t.payload, remote).await?;
            }
        }
        Ok(())
    }

    /// Sends the BYE and closes the session.
    ///
    /// # Errors
    ///
    /// Socket errors.
    pub async fn close(&mut self, reason: Option<&str>) -> io::Result<()> {
        self.session.close(Instant::now(), reason);
        // With BYE reconsideration the BYE may be due later: drive until it went out.
        while !self.session.is_closed() {
            let Some(deadline) = self.session.poll_timeout() else {
                break;
            };
            tokio::time::sleep_until(deadline.into()).await;
            self.session.handle_timeout(Instant::now());
            self.flush().await?;
        }
        self.flush().await
    }

    /// Drives the session until it has an event or a media frame to hand out; `None` once
    /// the session is closed and drained.
    ///
    /// # Errors
    ///
    /// Socket errors.
    pub async fn next(&mut self) -> io::Result<Option<Output>> {
        loop {
            self.flush().await?;
            if let Some(event) = self.session.poll_event() {
                return Ok(Some(Output::Event(event)));
            }
            if let Some((ssrc, playout)) = self.session.poll_playout(Instant::now()) {
                return Ok(Some(Output::Media { ssrc, playout }));
            }
            let Some(deadline) = self.session.poll_timeout() else {
                return Ok(None);
            };
            let Self {
                session,
                rtp,
                rtcp,
                rtp_buf,
                rtcp_buf,
                ..
            } = self;
            let rtcp_recv = async {
                match rtcp {
                    Some(s) => s.recv_from(rtcp_buf).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                r = rtp.recv_from(rtp_buf) => {
                    let (n, from) = r?;
                    let data = Bytes::copy_from_slice(rtp_buf.get(..n).unwrap_or_default());
                    let now = Instant::now();
                    // RFC 5761 §4: payload types 64-95 (with the marker bit: 192-223) are RTCP.
                    if rtcp.is_none() && data.get(1).is_some_and(|b| (192..=223).contains(b)) {
                        session.handle_rtcp(now, from, data);
                    } else {
                        session.handle_rtp(now, from, data);
                    }
                }
                r = rtcp_recv => {
                    let (n, from) = r?;
                    let data = Bytes::copy_from_slice(rtcp_buf.get(..n).unwrap_or_default());
                    session.handle_rtcp(Instant::now(), from, data);
                }
                () = tokio::time::sleep_until(deadline.into()) => {
                    session.handle_timeout(Instant::now());
                }
            }
        }
    }
}

async fn bind_pair(local: SocketAddr) -> io::Result<(UdpSocket, UdpSocket)> {
    if local.port() != 0 {
        let rtcp_addr = SocketAddr::new(local.ip(), local.port().wrapping_add(1));
        return Ok((
            UdpSocket::bind(local).await?,
            UdpSocket::bind(rtcp_addr).await?,
        ));
    }
    let mut last_error = io::Error::new(io::ErrorKind::AddrInUse, "no free port pair");
    for _ in 0..32 {
        let rtp = UdpSocket::bind(local).await?;
        let port = rtp.local_addr()?.port();
        if port % 2 != 0 || port == u16::MAX {
            continue;
        }
        match UdpSocket::bind(SocketAddr::new(local.ip(), port + 1)).await {
            Ok(rtcp) => return Ok((rtp, rtcp)),
            Err(e) => last_error = e,
        }
    }
    Err(last_error)
}
