//! Locating SIP servers (RFC 3263 §4): from a `sip`/`sips` URI and the DNS records the
//! caller looked up (NAPTR, SRV, A/AAAA) to an ordered list of targets, with failover.
//!
//! The logic does no DNS itself. A [`Resolution`] says which records it needs
//! ([`Resolution::poll_query`]); the caller answers each query (an empty answer for
//! NXDOMAIN or a failure) and finally takes the [`TargetList`]. Numeric hosts need no query.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::{IpAddr, SocketAddr};

use rand::Rng;
use sip_message::Host;
use sip_transaction::TransportKind;

use crate::request::parse_transport;
use crate::via::default_port;
use crate::{Error, Result};

/// The parts of a `sip` or `sips` URI that server location uses (RFC 3261 §19.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SipUri {
    /// `sips`: TLS is required (§19.1, RFC 3263 §4.1).
    pub secure: bool,
    /// Host.
    pub host: Host,
    /// Port.
    pub port: Option<u16>,
    /// The `transport` parameter, when it names a transport this crate knows.
    pub transport: Option<TransportKind>,
    /// The `maddr` parameter.
    pub maddr: Option<Host>,
}

impl SipUri {
    /// Parses `uri` (`sip:user@host:port;transport=tcp`, headers after `?` ignored).
    ///
    /// # Errors
    /// [`Error::InvalidUri`] when the scheme is not `sip`/`sips` or the host or port is
    /// invalid.
    pub fn parse(uri: &str) -> Result<Self> {
        let bad = |offset, expected| Error::InvalidUri { offset, expected };
        let lower = uri.get(..5).unwrap_or(uri).to_ascii_lowercase();
        let (secure, start) = if lower.starts_with("sips:") {
            (true, 5)
        } else if lower.starts_with("sip:") {
            (false, 4)
        } else {
            return Err(bad(0, "`sip:` or `sips:`"));
        };
        let rest = uri.get(start..).unwrap_or_default();
        let rest = rest.split('?').next().unwrap_or_default();
        let (offset, hostpart) = match rest.rfind('@') {
            Some(at) => (start + at + 1, rest.get(at + 1..).unwrap_or_default()),
            None => (start, rest),
        };
        let mut parts = hostpart.split(';');
        let hostport = parts.next().unwrap_or_default();
        let (host_text, port_text) = if hostport.starts_with('[') {
            let close = hostport
                .find(']')
                .ok_or(bad(offset, "`]` closing the IPv6 reference"))?;
            let (h, p) = hostport.split_at(close + 1);
            (h, p.strip_prefix(':'))
        } else {
            match hostport.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (hostport, None),
            }
        };
        let host: Host = host_text.parse().map_err(|_| bad(offset, "a host"))?;
        if host_text.is_empty() {
            return Err(bad(offset, "a host"));
        }
        let port = port_text
            .map(|p| {
                p.parse::<u16>()
                    .map_err(|_| bad(offset + host_text.len() + 1, "a port (0 to 65535)"))
            })
            .transpose()?;
        let mut transport = None;
        let mut maddr = None;
        for param in parts {
            let (name, value) = param.split_once('=').unwrap_or((param, ""));
            if name.eq_ignore_ascii_case("transport") {
                transport = parse_transport(value);
            } else if name.eq_ignore_ascii_case("maddr") {
                maddr = Some(value.parse().map_err(|_| bad(offset, "a maddr host"))?);
            }
        }
        Ok(Self {
            secure,
            host,
            port,
            transport,
            maddr,
        })
    }
}

/// A NAPTR record (RFC 3403) as RFC 3263 §4.1 uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NaptrRecord {
    /// ORDER.
    pub order: u16,
    /// PREFERENCE.
    pub preference: u16,
    /// FLAGS (`s` for SIP).
    pub flags: String,
    /// SERVICES (`SIP+D2U`, `SIP+D2T`, `SIPS+D2T`, `SIP+D2W`, `SIPS+D2W`, `SIP+D2S`).
    pub service: String,
    /// REPLACEMENT: the SRV name to query.
    pub replacement: String,
}

/// An SRV record (RFC 2782).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrvRecord {
    /// Priority: lower first.
    pub priority: u16,
    /// Weight among records of equal priority.
    pub weight: u16,
    /// Port.
    pub port: u16,
    /// Target host (`.` means no service).
    pub target: String,
}

/// A DNS question the [`Resolution`] needs answered.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Query {
    /// NAPTR records of a domain.
    Naptr(String),
    /// SRV records of a name such as `_sip._udp.example.com`.
    Srv(String),
    /// A and AAAA records of a host.
    Addresses(String),
}

/// One place to send a request: address and transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Target {
    /// Address and port.
    pub address: SocketAddr,
    /// Transport.
    pub transport: TransportKind,
}

/// The resolution of one URI (RFC 3263 §4.1 transport, §4.2 port and address).
///
/// ```
/// use sip_transport::{Query, Resolution, SipUri, SrvRecord};
/// use sip_transaction::TransportKind;
/// use rand::SeedableRng;
/// let uri = SipUri::parse("sip:bob@example.com;transport=tcp").unwrap();
/// let mut r = Resolution::new(&uri, &[TransportKind::Udp, TransportKind::Tcp]);
/// assert_eq!(r.poll_query(), Some(Query::Srv("_sip._tcp.example.com".into())));
/// r.handle_srv("_sip._tcp.example.com", vec![SrvRecord { priority: 0, weight: 0, port: 5070, target: "sip1.example.com".into() }]);
/// assert_eq!(r.poll_query(), Some(Query::Addresses("sip1.example.com".into())));
/// r.handle_addresses("sip1.example.com", vec!["192.0.2.5".parse().unwrap()]);
/// assert!(r.is_complete());
/// let targets = r.targets(&mut rand_chacha::ChaCha8Rng::seed_from_u64(1));
/// assert_eq!(targets.current().unwrap().address, "192.0.2.5:5070".parse().unwrap());
/// ```
#[derive(Debug, Clone)]
pub struct Resolution {
    secure: bool,
    host: String,
    supported: Vec<TransportKind>,
    explicit: Option<TransportKind>,
    direct: Option<Target>,
    services: Vec<(TransportKind, String)>,
    fallback: Option<(String, u16, TransportKind)>,
    srv: HashMap<String, Vec<SrvRecord>>,
    addresses: HashMap<String, Vec<IpAddr>>,
    queued: VecDeque<Query>,
    outstanding: HashSet<Query>,
}

/// Most SRV records or addresses kept per name (hostile answers stay bounded).
const MAX_RECORDS: usize = 32;

impl Resolution {
    /// Starts resolving `uri` for a client that supports `supported` transports, in its
    /// order of preference.
    pub fn new(uri: &SipUri, supported: &[TransportKind]) -> Self {
        let target_host = uri.maddr.as_ref().unwrap_or(&uri.host);
        let secure = uri.secure;
        // sips forces TLS (RFC 3263 §4.1); a TCP transport parameter means TLS then.
        let explicit = uri.transport.map(|t| match (secure, t) {
            (true, TransportKind::Tcp | TransportKind::Udp) => TransportKind::Tls,
            (true, TransportKind::Ws) => TransportKind::Wss,
            (_, t) => t,
        });
        let default_transport = if secure {
            TransportKind::Tls
        } else {
            TransportKind::Udp
        };
        let mut r = Self {
            secure,
            host: target_host.to_string().to_ascii_lowercase(),
            supported: supported.to_vec(),
            explicit,
            direct: None,
            services: Vec::new(),
            fallback: None,
            srv: HashMap::new(),
            addresses: HashMap::new(),
            queued: VecDeque::new(),
            outstanding: HashSet::new(),
        };
        let transport = explicit.unwrap_or(default_transport);
        if let Some(ip) = target_host.ip() {
            // §4.1/§4.2: a numeric host needs no DNS; the port defaults per transport.
            r.direct = Some(Target {
                address: SocketAddr::new(ip, uri.port.unwrap_or_else(|| default_port(transport))),
                transport,
            });
        } else if let Some(port) = uri.port {
            // §4.2: with a port, A/AAAA only.
            r.fallback = Some((r.host.clone(), port, transport));
            r.queue(Query::Addresses(r.host.clone()));
        } else if let Some(t) = explicit {
            // §4.2: transport known, no port: SRV for that transport.
            r.services.push((t, srv_name(t, &r.host)));
            r.queue(Query::Srv(srv_name(t, &r.host)));
        } else {
            r.queue(Query::Naptr(r.host.clone()));
        }
        r
    }

    /// Output: the next DNS question, `None` when none is pending.
    pub fn poll_query(&mut self) -> Option<Query> {
        let q = self.queued.pop_front()?;
        self.outstanding.insert(q.clone());
        Some(q)
    }

    /// Whether every question was answered and no new one is needed.
    pub fn is_complete(&self) -> bool {
        self.queued.is_empty() && self.outstanding.is_empty()
    }

    /// Input: the NAPTR records of `name` (empty when there are none).
    pub fn handle_naptr(&mut self, name: &str, mut records: Vec<NaptrRecord>) {
        if !self
            .outstanding
            .remove(&Query::Naptr(name.to_ascii_lowercase()))
        {
            return;
        }
        // §4.1: keep the SIP services we support (only SIPS ones for a sips URI), in
        // ORDER then PREFERENCE order.
        records.sort_by_key(|r| (r.order, r.preference));
        for record in records.iter().take(MAX_RECORDS) {
            if !record.flags.eq_ignore_ascii_case("s") {
                continue;
            }
            let Some(t) = naptr_transport(&record.service) else {
                continue;
            };
            let secure_service = matches!(t, TransportKind::Tls | TransportKind::Wss);
            if (self.secure && !secure_service) || !self.supported.contains(&t) {
                continue;
            }
            let name = record
                .replacement
                .trim_end_matches('.')
                .to_ascii_lowercase();
            if !self.services.iter().any(|(_, n)| *n == name) {
                self.services.push((t, name));
            }
        }
        if self.services.is_empty() {
            // §4.1: no usable NAPTR: SRV for each supported transport.
            for &t in &self.supported {
                if self.secure && !matches!(t, TransportKind::Tls | TransportKind::Wss) {
                    continue;
                }
                if matches!(t, TransportKind::Ws | TransportKind::Wss) {
                    continue; // RFC 7118 defines no SRV name for WebSocket.
                }
                self.services.push((t, srv_name(t, &self.host)));
            }
        }
        let names: Vec<String> = self.services.iter().map(|(_, n)| n.clone()).collect();
        for n in names {
            self.queue(Query::Srv(n));
        }
        self.check_fallback();
    }

    /// Input: the SRV records of `name` (empty when there are none).
    pub fn handle_srv(&mut self, name: &str, mut records: Vec<SrvRecord>) {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if !self.outstanding.remove(&Query::Srv(name.clone())) {
            return;
        }
        records.truncate(MAX_RECORDS);
        for r in &mut records {
            r.target = r.target.trim_end_matches('.').to_ascii_lowercase();
        }
        // RFC 2782: a single record with target "." means no service.
        records.retain(|r| !r.target.is_empty());
        for r in &records {
            if !self.addresses.contains_key(&r.target) {
                self.queue(Query::Addresses(r.target.clone()));
            }
        }
        self.srv.insert(name, records);
        self.check_fallback();
    }

    /// Input: the A and AAAA records of `name` (empty when there are none).
    pub fn handle_addresses(&mut self, name: &str, mut addresses: Vec<IpAddr>) {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if !self.outstanding.remove(&Query::Addresses(name.clone())) {
            return;
        }
        addresses.truncate(MAX_RECORDS);
        self.addresses.insert(name, addresses);
    }

    /// Output: the targets in the order to try them. SRV records of equal priority are
    /// ordered by the weighted random choice of RFC 2782, drawn from `rng`.
    pub fn targets(&self, rng: &mut impl Rng) -> TargetList {
        let mut targets = Vec::new();
        if let Some(t) = self.direct {
            targets.push(t);
        }
        for (transport, name) in &self.services {
            for record in srv_order(self.srv.get(name).map_or(&[][..], Vec::as_slice), rng) {
                for ip in self.addresses.get(&record.target).into_iter().flatten() {
                    targets.push(Target {
                        address: SocketAddr::new(*ip, record.port),
                        transport: *transport,
                    });
                }
            }
        }
        if let Some((host, port, transport)) = &self.fallback {
            for ip in self.addresses.get(host).into_iter().flatten() {
                targets.push(Target {
                    address: SocketAddr::new(*ip, *port),
                    transport: *transport,
                });
            }
        }
        let mut seen = HashSet::new();
        targets.retain(|t| seen.insert(*t));
        TargetList { targets, next: 0 }
    }

    /// §4.2: when no SRV record was found, A/AAAA of the host with the default port.
    fn check_fallback(&mut self) {
        let srv_pending = self
            .outstanding
            .iter()
            .chain(&self.queued)
            .any(|q| matches!(q, Query::Srv(_) | Query::Naptr(_)));
        if srv_pending || self.fallback.is_some() || self.direct.is_some() {
            return;
        }
        if self.srv.values().all(Vec::is_empty) {
            let default = if self.secure {
                TransportKind::Tls
            } else {
                TransportKind::Udp
            };
            let t = self.explicit.unwrap_or(default);
            self.fallback = Some((self.host.clone(), default_port(t), t));
            self.queue(Query::Addresses(self.host.clone()));
        }
    }

    fn queue(&mut self, q: Query) {
        if !self.queued.contains(&q) && !self.outstanding.contains(&q) {
            self.queued.push_back(q);
        }
    }
}

/// The ordered targets of a [`Resolution`], with failover (RFC 3263 §4.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetList {
    targets: Vec<Target>,
    next: usize,
}

/// A fixed list, tried in the given order (for configured fallbacks).
impl From<Vec<Target>> for TargetList {
    fn from(targets: Vec<Target>) -> Self {
        Self { targets, next: 0 }
    }
}

impl TargetList {
    /// The target to use now; `None` when every target failed.
    pub fn current(&self) -> Option<Target> {
        self.targets.get(self.next).copied()
    }

    /// §4.3: the current target failed (a transport error, or a 503 response): moves to
    /// the next one and returns it.
    pub fn fail(&mut self) -> Option<Target> {
        if self.next < self.targets.len() {
            self.next += 1;
        }
        self.current()
    }

    /// Whether a response with `status` means "try the next target" (§4.3: 503).
    pub fn is_failover_status(status: u16) -> bool {
        status == 503
    }

    /// Every target, in order.
    pub fn as_slice(&self) -> &[Target] {
        &self.targets
    }
}

/// The SRV name of a transport: `_sip._udp`, `_sip._tcp`, `_sips._tcp`, `_sip._sctp`.
fn srv_name(t: TransportKind, host: &str) -> String {
    let prefix = match t {
        TransportKind::Udp => "_sip._udp",
        TransportKind::Tls | TransportKind::Wss => "_sips._tcp",
        TransportKind::Sctp => "_sip._sctp",
        TransportKind::Tcp | TransportKind::Ws => "_sip._tcp",
    };
    format!("{prefix}.{host}")
}

fn naptr_transport(service: &str) -> Option<TransportKind> {
    Some(match service.to_ascii_uppercase().as_str() {
        "SIP+D2U" => TransportKind::Udp,
        "SIP+D2T" => TransportKind::Tcp,
        "SIPS+D2T" => TransportKind::Tls,
        "SIP+D2S" => TransportKind::Sctp,
        "SIP+D2W" => TransportKind::Ws,
        "SIPS+D2W" => TransportKind::Wss,
        _ => return None,
    })
}

/// RFC 2782 ordering: priority ascending; within a priority, repeatedly pick a record
/// with probability proportional to its weight (zero-weight records rarely first).
fn srv_order<'a>(records: &'a [SrvRecord], rng: &mut impl Rng) -> Vec<&'a SrvRecord> {
    let mut sorted: Vec<&SrvRecord> = records.iter().collect();
    sorted.sort_by_key(|r| r.priority);
    let mut out = Vec::with_capacity(sorted.len());
    let mut rest = sorted.as_slice();
    while let Some(first) = rest.first() {
        let same = rest
            .iter()
            .take_while(|r| r.priority == first.priority)
            .count();
        let (group, tail) = rest.split_at(same);
        let mut group: Vec<&SrvRecord> = group.to_vec();
        // Zero-weight records first in the list, as RFC 2782 says.
        group.sort_by_key(|r| r.weight != 0);
        while !group.is_empty() {
            let total: u32 = group.iter().map(|r| u32::from(r.weight)).sum();
            let pick = rng.gen_range(0..=total);
            let mut running = 0;
            let index = group
                .iter()
                .position(|r| {
                    running += u32::from(r.weight);
                    running >= pick
                })
                .unwrap_or(0);
            out.push(group.remove(index));
        }
        rest = tail;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    const ALL: [TransportKind; 3] = [TransportKind::Udp, TransportKind::Tcp, TransportKind::Tls];

    fn rng() -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(7)
    }

    fn srv(priority: u16, weight: u16, port: u16, target: &str) -> SrvRecord {
        SrvRecord {
            priority,
            weight,
            port,
            target: target.into(),
        }
    }

    fn naptr(order: u16, preference: u16, service: &str, replacement: &str) -> NaptrRecord {
        NaptrRecord {
            order,
            preference,
            flags: "s".into(),
            service: service.into(),
            replacement: replacement.into(),
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn parses_uris() {
        let u = SipUri::parse("sip:alice:pw@Example.COM:5070;transport=TCP;lr?subject=x").unwrap();
        assert!(!u.secure);
        assert_eq!(u.host, "example.com".parse().unwrap());
        assert_eq!(u.port, Some(5070));
        assert_eq!(u.transport, Some(TransportKind::Tcp));
        let u = SipUri::parse("SIPS:[2001:db8::1]:5061;maddr=192.0.2.1").unwrap();
        assert!(u.secure);
        assert_eq!(u.host, "[2001:db8::1]".parse().unwrap());
        assert_eq!(u.maddr, Some("192.0.2.1".parse().unwrap()));
        assert!(matches!(
            SipUri::parse("tel:+1"),
            Err(Error::InvalidUri { offset: 0, .. })
        ));
        assert!(SipUri::parse("sip:h:99999").is_err());
        assert!(SipUri::parse("sip:[::1").is_err());
        assert!(SipUri::parse("sip:").is_err());
    }

    #[test]
    fn numeric_hosts_skip_dns() {
        let cases = [
            ("sip:192.0.2.1", "192.0.2.1:5060", TransportKind::Udp),
            (
                "sip:192.0.2.1:5080;transport=tcp",
                "192.0.2.1:5080",
                TransportKind::Tcp,
            ),
            ("sips:192.0.2.1", "192.0.2.1:5061", TransportKind::Tls),
            (
                "sips:[2001:db8::1];transport=tcp",
                "[2001:db8::1]:5061",
                TransportKind::Tls,
            ),
            (
                "sip:x@example.com;maddr=192.0.2.9",
                "192.0.2.9:5060",
                TransportKind::Udp,
            ),
        ];
        for (uri, addr, t) in cases {
            let mut r = Resolution::new(&SipUri::parse(uri).unwrap(), &ALL);
            assert_eq!(r.poll_query(), None, "{uri}");
            assert!(r.is_complete());
            let list = r.targets(&mut rng());
            assert_eq!(
                list.as_slice(),
                &[Target {
                    address: addr.parse().unwrap(),
                    transport: t
                }],
                "{uri}"
            );
        }
    }

    #[test]
    fn port_given_means_a_records_only() {
        let mut r = Resolution::new(&SipUri::parse("sip:example.com:5080").unwrap(), &ALL);
        assert_eq!(r.poll_query(), Some(Query::Addresses("example.com".into())));
        assert_eq!(r.poll_query(), None);
        r.handle_addresses("example.com.", vec![ip("192.0.2.1"), ip("2001:db8::1")]);
        let t = r.targets(&mut rng());
        assert_eq!(t.as_slice().len(), 2);
        assert_eq!(
            t.as_slice()[1].address,
            "[2001:db8::1]:5080".parse().unwrap()
        );
        assert!(t
            .as_slice()
            .iter()
            .all(|t| t.transport == TransportKind::Udp));
    }

    #[test]
    fn naptr_then_srv_then_addresses_in_order() {
        let mut r = Resolution::new(&SipUri::parse("sip:bob@example.com").unwrap(), &ALL);
        assert_eq!(r.poll_query(), Some(Query::Naptr("example.com".into())));
        r.handle_naptr(
            "example.com",
            vec![
                naptr(50, 50, "SIP+D2U", "_sip._udp.example.com."),
                naptr(50, 10, "SIP+D2T", "_sip._tcp.example.com."),
                naptr(10, 10, "SIP+D2S", "_sip._sctp.example.com."), // unsupported
                naptr(90, 10, "SIPS+D2T", "_sips._tcp.example.com."),
            ],
        );
        assert_eq!(
            r.poll_query(),
            Some(Query::Srv("_sip._tcp.example.com".into()))
        );
        assert_eq!(
            r.poll_query(),
            Some(Query::Srv("_sip._udp.example.com".into()))
        );
        assert_eq!(
            r.poll_query(),
            Some(Query::Srv("_sips._tcp.example.com".into()))
        );
        r.handle_srv(
            "_sip._tcp.example.com",
            vec![
                srv(20, 0, 5062, "b.example.com"),
                srv(10, 0, 5060, "a.example.com"),
            ],
        );
        r.handle_srv(
            "_sip._udp.example.com",
            vec![srv(10, 0, 5060, "a.example.com")],
        );
        r.handle_srv("_sips._tcp.example.com", vec![]);
        let mut queries = Vec::new();
        while let Some(q) = r.poll_query() {
            queries.push(q);
        }
        assert_eq!(
            queries,
            vec![
                Query::Addresses("b.example.com".into()),
                Query::Addresses("a.example.com".into())
            ]
        );
        assert!(!r.is_complete());
        r.handle_addresses("a.example.com", vec![ip("192.0.2.1")]);
        r.handle_addresses("b.example.com", vec![ip("192.0.2.2")]);
        assert!(r.is_complete());
        let mut list = r.targets(&mut rng());
        let expect = [
            ("192.0.2.1:5060", TransportKind::Tcp),
            ("192.0.2.2:5062", TransportKind::Tcp),
            ("192.0.2.1:5060", TransportKind::Udp),
        ];
        let got: Vec<_> = list
            .as_slice()
            .iter()
            .map(|t| (t.address, t.transport))
            .collect();
        let expect: Vec<_> = expect
            .iter()
            .map(|(a, t)| (a.parse().unwrap(), *t))
            .collect();
        assert_eq!(got, expect);
        // §4.3 failover.
        assert_eq!(
            list.current().unwrap().address,
            "192.0.2.1:5060".parse().unwrap()
        );
        assert_eq!(
            list.fail().unwrap().address,
            "192.0.2.2:5062".parse().unwrap()
        );
        assert_eq!(list.fail().unwrap().transport, TransportKind::Udp);
        assert_eq!(list.fail(), None);
        assert_eq!(list.fail(), None);
        assert!(TargetList::is_failover_status(503));
        assert!(!TargetList::is_failover_status(500));
    }

    #[test]
    fn sips_keeps_only_secure_naptr() {
        let mut r = Resolution::new(&SipUri::parse("sips:example.com").unwrap(), &ALL);
        r.poll_query();
        r.handle_naptr(
            "example.com",
            vec![
                naptr(1, 1, "SIP+D2U", "_sip._udp.example.com"),
                naptr(2, 1, "SIPS+D2T", "_sips._tcp.example.com"),
            ],
        );
        assert_eq!(
            r.poll_query(),
            Some(Query::Srv("_sips._tcp.example.com".into()))
        );
        assert_eq!(r.poll_query(), None);
    }

    #[test]
    fn no_naptr_queries_srv_per_transport_then_a_with_default_port() {
        let mut r = Resolution::new(&SipUri::parse("sip:example.com").unwrap(), &ALL);
        r.poll_query();
        r.handle_naptr("example.com", vec![]);
        let mut srvs = Vec::new();
        while let Some(q) = r.poll_query() {
            srvs.push(q);
        }
        assert_eq!(
            srvs,
            vec![
                Query::Srv("_sip._udp.example.com".into()),
                Query::Srv("_sip._tcp.example.com".into()),
                Query::Srv("_sips._tcp.example.com".into()),
            ]
        );
        r.handle_srv("_sip._udp.example.com", vec![]);
        r.handle_srv("_sip._tcp.example.com", vec![]);
        assert_eq!(r.poll_query(), None, "A only after every SRV answer");
        r.handle_srv("_sips._tcp.example.com", vec![srv(0, 0, 0, ".")]);
        assert_eq!(r.poll_query(), Some(Query::Addresses("example.com".into())));
        r.handle_addresses("example.com", vec![ip("192.0.2.3")]);
        let list = r.targets(&mut rng());
        assert_eq!(
            list.as_slice(),
            &[Target {
                address: "192.0.2.3:5060".parse().unwrap(),
                transport: TransportKind::Udp
            }]
        );
    }

    #[test]
    fn explicit_transport_without_srv_falls_back_to_default_port() {
        let mut r = Resolution::new(
            &SipUri::parse("sip:example.com;transport=tcp").unwrap(),
            &ALL,
        );
        assert_eq!(
            r.poll_query(),
            Some(Query::Srv("_sip._tcp.example.com".into()))
        );
        r.handle_srv("_sip._tcp.example.com", vec![]);
        assert_eq!(r.poll_query(), Some(Query::Addresses("example.com".into())));
        r.handle_addresses("example.com", vec![ip("192.0.2.3")]);
        assert_eq!(
            r.targets(&mut rng()).current(),
            Some(Target {
                address: "192.0.2.3:5060".parse().unwrap(),
                transport: TransportKind::Tcp
            })
        );
    }

    #[test]
    fn unasked_answers_are_ignored() {
        let mut r = Resolution::new(&SipUri::parse("sip:example.com:5060").unwrap(), &ALL);
        r.handle_addresses("example.com", vec![ip("192.0.2.3")]); // not asked yet
        assert_eq!(r.poll_query(), Some(Query::Addresses("example.com".into())));
        r.handle_addresses("evil.example", vec![ip("192.0.2.66")]);
        assert!(!r.is_complete());
        assert!(r.targets(&mut rng()).current().is_none());
    }

    #[test]
    fn srv_priority_first_and_weights_proportional() {
        let records = vec![
            srv(1, 90, 1, "heavy"),
            srv(1, 10, 2, "light"),
            srv(0, 0, 3, "first"),
        ];
        let mut rng = rng();
        let mut heavy_first = 0;
        for _ in 0..1000 {
            let order = srv_order(&records, &mut rng);
            assert_eq!(order[0].target, "first");
            assert_eq!(order.len(), 3);
            if order[1].target == "heavy" {
                heavy_first += 1;
            }
        }
        assert!((820..=960).contains(&heavy_first), "{heavy_first}");
    }
}
