//! Sending requests (§18.1.1): transport choice by size, the top Via, and connection
//! reuse keyed by remote address and transport.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use sip_message::{HeaderName, Host, Message, Via};
use sip_transaction::TransportKind;

use crate::via::top_via;
use crate::Result;

/// §18.1.1: the size above which a request must not go over UDP when the path MTU is
/// unknown (1500 bytes minus 200).
pub const UDP_SIZE_THRESHOLD: usize = 1300;

/// How the transport for a request is chosen (§18.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendPolicy {
    /// The path MTU, when known; `None` uses the 1300-byte rule.
    pub path_mtu: Option<usize>,
    /// Whether TCP is available to switch to.
    pub tcp_available: bool,
}

impl Default for SendPolicy {
    fn default() -> Self {
        Self {
            path_mtu: None,
            tcp_available: true,
        }
    }
}

impl SendPolicy {
    /// §18.1.1: the transport to use for a request of `size` bytes (the Via change
    /// included) that the target selection put on `transport`. A request within 200 bytes
    /// of the path MTU, or larger than 1300 bytes when the MTU is unknown, goes over TCP
    /// instead of UDP when TCP is available.
    pub fn choose(&self, transport: TransportKind, size: usize) -> TransportKind {
        if transport != TransportKind::Udp || !self.tcp_available {
            return transport;
        }
        let too_big = match self.path_mtu {
            Some(mtu) => size.saturating_add(200) > mtu,
            None => size > UDP_SIZE_THRESHOLD,
        };
        if too_big {
            TransportKind::Tcp
        } else {
            transport
        }
    }
}

/// The local address written in a Via sent-by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentBy {
    /// Host (an address or the name of this host).
    pub host: Host,
    /// Port; `None` leaves the default port implied.
    pub port: Option<u16>,
}

/// Prepares `request` for sending over `transport` from `sent_by` (§18.1.1):
/// the transport is switched from UDP to TCP when `policy` says so, and the top Via gets
/// the transport, the sent-by, `rport` (RFC 3581 §3) and `branch` (kept when the TU set
/// one, else `new_branch`). A request without Via gets one. Returns the transport to use.
///
/// # Errors
/// [`Error::Message`](crate::Error::Message) when the Via cannot be written.
pub fn prepare_request(
    request: &mut Message,
    transport: TransportKind,
    sent_by: &SentBy,
    policy: &SendPolicy,
    new_branch: impl FnOnce() -> String,
) -> Result<TransportKind> {
    let old = top_via(request).ok();
    let branch = old
        .as_ref()
        .and_then(|v| v.branch.clone())
        .unwrap_or_else(|| new_branch().into());
    let via_for = |t: TransportKind| {
        let mut via =
            Via::new(t.as_str(), sent_by.host.clone(), sent_by.port).with_branch(branch.clone());
        via.rport = Some(None);
        if let Some(old) = &old {
            via.params = old.params.clone();
        }
        via
    };
    if old.is_some() {
        request.remove_first_value(&HeaderName::Via);
    }
    request.prepend_header(&HeaderName::Via, &via_for(transport).to_string())?;
    let chosen = policy.choose(transport, request.encoded_len());
    if chosen != transport {
        request.remove_first_value(&HeaderName::Via);
        request.prepend_header(&HeaderName::Via, &via_for(chosen).to_string())?;
    }
    Ok(chosen)
}

/// The key under which connections are reused: remote address and transport (§18.1.1,
/// §18.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConnectionKey {
    /// The remote address.
    pub remote: SocketAddr,
    /// The transport (reliable ones only are kept).
    pub transport: TransportKind,
}

/// A table of open connections with idle timeouts, keyed by [`ConnectionKey`]. `C` is
/// whatever the adapter keeps per connection (a channel to its writer task, an id).
///
/// Every use ([`get`](Self::get) and [`touch`](Self::touch)) pushes the idle deadline
/// back; [`poll_expired`](Self::poll_expired) hands out the connections idle for longer
/// than the timeout. The table holds at most `capacity` connections.
#[derive(Debug)]
pub struct Connections<C> {
    entries: HashMap<ConnectionKey, (C, Instant)>,
    idle_timeout: Duration,
    capacity: usize,
    /// A lower bound of the earliest deadline (uses only push deadlines later), so that
    /// `poll_timeout` is O(1) and the O(n) scan happens only when it is reached.
    next_check: Option<Instant>,
}

impl<C> Connections<C> {
    /// An empty table.
    pub fn new(idle_timeout: Duration, capacity: usize) -> Self {
        Self {
            entries: HashMap::new(),
            idle_timeout,
            capacity,
            next_check: None,
        }
    }

    /// The connection for `key`, marking it used at `now`.
    pub fn get(&mut self, now: Instant, key: &ConnectionKey) -> Option<&C> {
        let timeout = self.idle_timeout;
        self.entries.get_mut(key).map(|(c, at)| {
            *at = now + timeout;
            &*c
        })
    }

    /// Marks `key` used at `now` (data arrived on it).
    pub fn touch(&mut self, now: Instant, key: &ConnectionKey) {
        let timeout = self.idle_timeout;
        if let Some((_, at)) = self.entries.get_mut(key) {
            *at = now + timeout;
        }
    }

    /// Adds a connection. Returns it back when the table is full (the adapter closes it).
    ///
    /// # Errors
    /// The table holds `capacity` connections already.
    pub fn insert(
        &mut self,
        now: Instant,
        key: ConnectionKey,
        connection: C,
    ) -> Result<Option<C>, C> {
        if self.entries.len() >= self.capacity && !self.entries.contains_key(&key) {
            return Err(connection);
        }
        let deadline = now + self.idle_timeout;
        self.next_check = Some(self.next_check.map_or(deadline, |t| t.min(deadline)));
        Ok(self
            .entries
            .insert(key, (connection, deadline))
            .map(|(c, _)| c))
    }

    /// Removes a connection (it closed).
    pub fn remove(&mut self, key: &ConnectionKey) -> Option<C> {
        self.entries.remove(key).map(|(c, _)| c)
    }

    /// Removes every connection (the adapter is closing).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.next_check = None;
    }

    /// Number of connections.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// When to call [`poll_expired`](Self::poll_expired) next: never later than the
    /// earliest idle deadline, possibly earlier (a connection used since).
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.entries.is_empty() {
            return None;
        }
        self.next_check
    }

    /// Removes and returns one connection idle past its deadline at `now`; call until
    /// `None`.
    pub fn poll_expired(&mut self, now: Instant) -> Option<(ConnectionKey, C)> {
        if self.next_check.is_none_or(|t| t > now) {
            return None;
        }
        let found = self
            .entries
            .iter()
            .find(|(_, (_, at))| *at <= now)
            .map(|(k, _)| *k);
        let Some(key) = found else {
            self.next_check = self.entries.values().map(|(_, at)| *at).min();
            return None;
        };
        self.entries.remove(&key).map(|(c, _)| (key, c))
    }
}

/// Whether a Via's transport token names `transport`.
pub(crate) fn via_transport(via: &Via) -> Option<TransportKind> {
    [
        TransportKind::Udp,
        TransportKind::Tcp,
        TransportKind::Tls,
        TransportKind::Ws,
        TransportKind::Wss,
        TransportKind::Sctp,
    ]
    .into_iter()
    .find(|t| via.is_transport(t.as_str()))
}

/// Parses a transport name (`udp`, `TCP`, …) as a URI `transport` parameter or a Via gives
/// it.
pub fn parse_transport(name: &str) -> Option<TransportKind> {
    let via = Via::new(name, Host::Ipv4(std::net::Ipv4Addr::UNSPECIFIED), None);
    via_transport(&via)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn req(body_len: usize, via: Option<&str>) -> Message {
        let via = via.map(|v| format!("Via: {v}\r\n")).unwrap_or_default();
        let body = "x".repeat(body_len);
        Message::parse(Bytes::from(format!(
            "MESSAGE sip:b@example.com SIP/2.0\r\n{via}From: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: c\r\nCSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\nContent-Length: {body_len}\r\n\r\n{body}"
        )))
        .unwrap()
    }

    fn sent_by() -> SentBy {
        SentBy {
            host: "192.0.2.1".parse().unwrap(),
            port: Some(5062),
        }
    }

    #[test]
    fn small_request_stays_on_udp_and_gets_a_via() {
        let mut m = req(10, None);
        let t = prepare_request(
            &mut m,
            TransportKind::Udp,
            &sent_by(),
            &SendPolicy::default(),
            || "z9hG4bKnew".into(),
        )
        .unwrap();
        assert_eq!(t, TransportKind::Udp);
        let via = top_via(&m).unwrap();
        assert_eq!(
            via.to_string(),
            "SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bKnew;rport"
        );
    }

    #[test]
    fn large_request_switches_to_tcp_and_via_follows() {
        let mut m = req(1300, Some("SIP/2.0/UDP old;branch=z9hG4bKkeep"));
        let t = prepare_request(
            &mut m,
            TransportKind::Udp,
            &sent_by(),
            &SendPolicy::default(),
            || unreachable!(),
        )
        .unwrap();
        assert_eq!(t, TransportKind::Tcp);
        let via = top_via(&m).unwrap();
        assert!(via.is_transport("TCP"));
        assert_eq!(via.branch(), Some("z9hG4bKkeep"), "the TU's branch is kept");
        assert_eq!(m.typed_all::<Via>().count(), 1);
    }

    #[test]
    fn threshold_is_1300_bytes_with_the_via() {
        // Find the largest body that stays on UDP; the next byte must switch.
        let fits = |n| {
            let mut m = req(n, None);
            let t = prepare_request(
                &mut m,
                TransportKind::Udp,
                &sent_by(),
                &SendPolicy::default(),
                || "z9hG4bKx".into(),
            )
            .unwrap();
            (t, m.encoded_len())
        };
        let mut n = 900;
        while fits(n).0 == TransportKind::Udp {
            n += 1;
        }
        let (_, len_udp) = fits(n - 1);
        assert_eq!(len_udp, UDP_SIZE_THRESHOLD);
    }

    #[test]
    fn no_switch_without_tcp_or_with_big_mtu() {
        let p = SendPolicy {
            path_mtu: None,
            tcp_available: false,
        };
        assert_eq!(p.choose(TransportKind::Udp, 5000), TransportKind::Udp);
        let p = SendPolicy {
            path_mtu: Some(9000),
            tcp_available: true,
        };
        assert_eq!(p.choose(TransportKind::Udp, 5000), TransportKind::Udp);
        assert_eq!(p.choose(TransportKind::Udp, 8801), TransportKind::Tcp);
        assert_eq!(
            SendPolicy::default().choose(TransportKind::Tls, 50_000),
            TransportKind::Tls
        );
        assert_eq!(
            SendPolicy::default().choose(TransportKind::Udp, 1301),
            TransportKind::Tcp
        );
    }

    #[test]
    fn connection_reuse_by_address_and_transport() {
        let now = Instant::now();
        let mut c = Connections::new(Duration::from_secs(10), 2);
        let a = ConnectionKey {
            remote: "192.0.2.1:5060".parse().unwrap(),
            transport: TransportKind::Tcp,
        };
        let b = ConnectionKey {
            transport: TransportKind::Tls,
            ..a
        };
        assert_eq!(c.insert(now, a, 1), Ok(None));
        assert_eq!(c.get(now, &a), Some(&1));
        assert_eq!(c.get(now, &b), None, "same address, other transport");
        assert_eq!(c.insert(now, b, 2), Ok(None));
        let d = ConnectionKey {
            remote: "192.0.2.2:5060".parse().unwrap(),
            ..a
        };
        assert_eq!(c.insert(now, d, 3), Err(3), "capacity");
        // Idle timeout: a is used at +5 s, b is not.
        c.touch(now + Duration::from_secs(5), &a);
        assert_eq!(c.poll_timeout(), Some(now + Duration::from_secs(10)));
        assert_eq!(c.poll_expired(now + Duration::from_secs(9)), None);
        assert_eq!(c.poll_expired(now + Duration::from_secs(10)), Some((b, 2)));
        assert_eq!(c.poll_expired(now + Duration::from_secs(10)), None);
        assert_eq!(c.poll_expired(now + Duration::from_secs(15)), Some((a, 1)));
        assert!(c.is_empty());
    }

    #[test]
    fn transport_names() {
        assert_eq!(parse_transport("udp"), Some(TransportKind::Udp));
        assert_eq!(parse_transport("TLS"), Some(TransportKind::Tls));
        assert_eq!(parse_transport("ws"), Some(TransportKind::Ws));
        assert_eq!(parse_transport("quic"), None);
    }
}
