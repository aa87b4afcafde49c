//! The Via rules of §18.2.1 (received requests) and §18.2.2 with RFC 3581 §4 (where
//! responses go).

use std::net::SocketAddr;

use sip_message::{HeaderName, Host, Message, Via};
use sip_transaction::TransportKind;

use crate::{Error, Result};

/// The default SIP port for a transport (§19.1.2, RFC 7118 §5.4 for WebSocket).
pub const fn default_port(transport: TransportKind) -> u16 {
    match transport {
        TransportKind::Tls => 5061,
        TransportKind::Ws => 80,
        TransportKind::Wss => 443,
        _ => 5060,
    }
}

/// §18.2.1 and RFC 3581 §4: stamps the top Via of a request received from `source`.
///
/// `received` is added when the sent-by host is not the source address (a domain name
/// always differs); a bare `rport` is filled with the source port, and then `received` is
/// always added (RFC 3581 §4). Returns whether the message changed. The message is
/// rewritten only when something must change, so most requests are left untouched.
///
/// # Errors
/// [`Error::MissingVia`] when the top Via is absent or invalid: the request cannot be
/// answered and should be dropped.
pub fn stamp_received(request: &mut Message, source: SocketAddr) -> Result<bool> {
    stamp(request, source).map(|(changed, _)| changed)
}

/// [`stamp_received`] and then [`ResponseRoute::for_via`] of the stamped Via, parsing the
/// Via once: where the responses to `request`, received over `transport`, will go.
///
/// # Errors
/// As [`stamp_received`].
pub fn stamp_and_route(
    request: &mut Message,
    source: SocketAddr,
    transport: TransportKind,
) -> Result<ResponseRoute> {
    let (_, via) = stamp(request, source)?;
    Ok(ResponseRoute::for_via(&via, transport))
}

fn stamp(request: &mut Message, source: SocketAddr) -> Result<(bool, Via)> {
    let mut via = top_via(request)?;
    let ip = source.ip();
    let mut changed = false;
    if via.rport == Some(None) {
        via.rport = Some(Some(source.port()));
        via.received = Some(ip);
        changed = true;
    } else if via.host.ip() != Some(ip) && via.received != Some(ip) {
        via.received = Some(ip);
        changed = true;
    }
    if changed {
        request.remove_first_value(&HeaderName::Via);
        request.prepend_typed(&via)?;
    }
    Ok((changed, via))
}

/// The top Via of a message.
///
/// # Errors
/// [`Error::MissingVia`] when it is absent or does not parse.
pub fn top_via(message: &Message) -> Result<Via> {
    message
        .typed::<Via>()
        .and_then(core::result::Result::ok)
        .ok_or(Error::MissingVia)
}

/// Where a response goes, as §18.2.2 and RFC 3581 §4 decide from the top Via.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseRoute {
    /// For a reliable transport: the connection the request came on, to use when it is
    /// still open (keyed by this remote address and the transport).
    pub connection: Option<SocketAddr>,
    /// Where to send otherwise (a new connection for a reliable transport).
    pub target: ResponseTarget,
    /// The transport.
    pub transport: TransportKind,
}

/// The address part of a [`ResponseRoute`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseTarget {
    /// A numeric address.
    Address(SocketAddr),
    /// A host name to resolve with RFC 3263 §5 (A/AAAA, or SRV when `port` is `None`).
    Resolve {
        /// The host name.
        host: String,
        /// The port, when the Via gives one.
        port: Option<u16>,
    },
}

impl ResponseRoute {
    /// Computes the route of a response whose top Via is `via` (as the server stamped it
    /// with [`stamp_received`]) for a request that came on `transport`.
    pub fn for_via(via: &Via, transport: TransportKind) -> Self {
        let port = via.port.unwrap_or_else(|| default_port(transport));
        let addr_or_name = |host: &Host, port: Option<u16>| match host.ip() {
            Some(ip) => ResponseTarget::Address(SocketAddr::new(
                ip,
                port.unwrap_or_else(|| default_port(transport)),
            )),
            None => ResponseTarget::Resolve {
                host: host.to_string(),
                port,
            },
        };
        if transport.is_reliable() {
            // §18.2.2: the same connection when it is open; else received (or sent-by) at
            // the sent-by port. RFC 3581 §4: rport does not change reliable transports.
            let source = via
                .received
                .map(|ip| SocketAddr::new(ip, via.rport.flatten().unwrap_or(port)));
            let target = match via.received {
                Some(ip) => ResponseTarget::Address(SocketAddr::new(ip, port)),
                None => addr_or_name(&via.host, via.port),
            };
            let connection = source.or_else(|| via.host.ip().map(|ip| SocketAddr::new(ip, port)));
            return Self {
                connection,
                target,
                transport,
            };
        }
        // §18.2.2: maddr first (with the sent-by port, 5060 by default).
        if let Some(maddr) = &via.maddr {
            return Self {
                connection: None,
                target: addr_or_name(maddr, Some(port)),
                transport,
            };
        }
        let target = match (via.received, via.rport.flatten()) {
            // RFC 3581 §4: the source address and port of the request.
            (Some(ip), Some(rport)) => ResponseTarget::Address(SocketAddr::new(ip, rport)),
            // §18.2.2: received, at the sent-by port.
            (Some(ip), None) => ResponseTarget::Address(SocketAddr::new(ip, port)),
            (None, _) => addr_or_name(&via.host, via.port),
        };
        Self {
            connection: None,
            target,
            transport,
        }
    }

    /// The route of `response`, from its top Via.
    ///
    /// # Errors
    /// [`Error::MissingVia`] without a valid top Via.
    pub fn for_response(response: &Message, transport: TransportKind) -> Result<Self> {
        Ok(Self::for_via(&top_via(response)?, transport))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use sip_message::TypedHeader;

    fn request(via: &str) -> Message {
        Message::parse(Bytes::from(format!(
            "OPTIONS sip:b@example.com SIP/2.0\r\nVia: {via}\r\nVia: SIP/2.0/UDP second;branch=z9hG4bKb\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
        )))
        .unwrap()
    }

    fn src() -> SocketAddr {
        "192.0.2.7:40000".parse().unwrap()
    }

    #[test]
    fn received_added_when_host_differs() {
        let mut m = request("SIP/2.0/UDP pc.example.com:5060;branch=z9hG4bK1");
        assert!(stamp_received(&mut m, src()).unwrap());
        let via = top_via(&m).unwrap();
        assert_eq!(via.received, Some("192.0.2.7".parse().unwrap()));
        assert_eq!(via.rport, None);
        assert_eq!(via.branch(), Some("z9hG4bK1"));
        assert_eq!(m.typed_all::<Via>().count(), 2, "second Via kept");
    }

    #[test]
    fn nothing_added_when_host_is_source() {
        let mut m = request("SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK1");
        let before = m.to_bytes();
        assert!(!stamp_received(&mut m, src()).unwrap());
        assert_eq!(m.to_bytes(), before);
    }

    #[test]
    fn rport_filled_and_received_always_added() {
        // RFC 3581 §4: received even when sent-by equals the source address.
        let mut m = request("SIP/2.0/UDP 192.0.2.7:5060;rport;branch=z9hG4bK1");
        assert!(stamp_received(&mut m, src()).unwrap());
        let via = top_via(&m).unwrap();
        assert_eq!(via.rport, Some(Some(40000)));
        assert_eq!(via.received, Some("192.0.2.7".parse().unwrap()));
    }

    #[test]
    fn stamp_and_route_once() {
        let mut m = request("SIP/2.0/UDP h.example:5070;branch=z9hG4bK1");
        let r = stamp_and_route(&mut m, src(), TransportKind::Udp).unwrap();
        assert_eq!(
            r.target,
            ResponseTarget::Address("192.0.2.7:5070".parse().unwrap())
        );
        let mut m = request("SIP/2.0/UDP h.example:5070;rport;branch=z9hG4bK1");
        let r = stamp_and_route(&mut m, src(), TransportKind::Udp).unwrap();
        assert_eq!(r.target, ResponseTarget::Address(src()));
    }

    #[test]
    fn missing_via_is_an_error() {
        let mut m = Message::parse(Bytes::from_static(
            b"OPTIONS sip:b@y SIP/2.0\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
        ))
        .unwrap();
        assert!(matches!(
            stamp_received(&mut m, src()),
            Err(Error::MissingVia)
        ));
    }

    fn via(s: &str) -> Via {
        Via::parse_str(s).unwrap()
    }

    #[test]
    fn udp_response_with_rport_goes_to_source() {
        let r = ResponseRoute::for_via(
            &via("SIP/2.0/UDP h.example:5070;rport=40000;received=192.0.2.7"),
            TransportKind::Udp,
        );
        assert_eq!(r.target, ResponseTarget::Address(src()));
        assert_eq!(r.connection, None);
    }

    #[test]
    fn udp_response_with_received_uses_sent_by_port() {
        let r = ResponseRoute::for_via(
            &via("SIP/2.0/UDP h.example:5070;received=192.0.2.7"),
            TransportKind::Udp,
        );
        assert_eq!(
            r.target,
            ResponseTarget::Address("192.0.2.7:5070".parse().unwrap())
        );
        let r = ResponseRoute::for_via(
            &via("SIP/2.0/UDP h.example;received=192.0.2.7"),
            TransportKind::Udp,
        );
        assert_eq!(
            r.target,
            ResponseTarget::Address("192.0.2.7:5060".parse().unwrap())
        );
    }

    #[test]
    fn udp_response_maddr_first() {
        let r = ResponseRoute::for_via(
            &via("SIP/2.0/UDP h.example:5070;maddr=239.1.1.1;received=192.0.2.7"),
            TransportKind::Udp,
        );
        assert_eq!(
            r.target,
            ResponseTarget::Address("239.1.1.1:5070".parse().unwrap())
        );
    }

    #[test]
    fn udp_response_to_sent_by_name() {
        let r = ResponseRoute::for_via(&via("SIP/2.0/UDP h.example"), TransportKind::Udp);
        assert_eq!(
            r.target,
            ResponseTarget::Resolve {
                host: "h.example".into(),
                port: None
            }
        );
        let r = ResponseRoute::for_via(&via("SIP/2.0/UDP [2001:db8::1]:5090"), TransportKind::Udp);
        assert_eq!(
            r.target,
            ResponseTarget::Address("[2001:db8::1]:5090".parse().unwrap())
        );
    }

    #[test]
    fn tcp_response_reuses_connection_then_received_sent_by_port() {
        let r = ResponseRoute::for_via(
            &via("SIP/2.0/TCP h.example:5070;rport=40000;received=192.0.2.7"),
            TransportKind::Tcp,
        );
        assert_eq!(r.connection, Some(src()));
        assert_eq!(
            r.target,
            ResponseTarget::Address("192.0.2.7:5070".parse().unwrap())
        );
        let r = ResponseRoute::for_via(&via("SIP/2.0/TLS h.example"), TransportKind::Tls);
        assert_eq!(r.connection, None);
        assert_eq!(
            r.target,
            ResponseTarget::Resolve {
                host: "h.example".into(),
                port: None
            }
        );
    }

    #[test]
    fn route_from_response_message() {
        let m = request("SIP/2.0/UDP 192.0.2.9:5999;branch=z9hG4bK1");
        let r = ResponseRoute::for_response(&m, TransportKind::Udp).unwrap();
        assert_eq!(
            r.target,
            ResponseTarget::Address("192.0.2.9:5999".parse().unwrap())
        );
    }
}
