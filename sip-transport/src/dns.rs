//! DNS for server location (feature `dns`): answers the queries of a [`Resolution`] with
//! hickory-resolver, or with any other [`Lookup`].

use std::future::Future;
use std::net::IpAddr;

use hickory_resolver::proto::rr::{RData, RecordType};
use hickory_resolver::TokioAsyncResolver;
use sip_transaction::TransportKind;

use crate::{Error, NaptrRecord, Query, Resolution, Result, SipUri, SrvRecord};

/// A source of DNS answers. Failures and NXDOMAIN are empty answers: RFC 3263 then moves
/// on to the next step.
pub trait Lookup {
    /// NAPTR records of `name`.
    fn naptr(&self, name: &str) -> impl Future<Output = Vec<NaptrRecord>> + Send;
    /// SRV records of `name`.
    fn srv(&self, name: &str) -> impl Future<Output = Vec<SrvRecord>> + Send;
    /// A and AAAA records of `name`.
    fn addresses(&self, name: &str) -> impl Future<Output = Vec<IpAddr>> + Send;
}

/// Runs `uri`'s resolution to completion with `lookup`; take the targets with
/// [`Resolution::targets`]. A numeric host asks nothing.
pub async fn resolve<L: Lookup>(
    lookup: &L,
    uri: &SipUri,
    supported: &[TransportKind],
) -> Resolution {
    let mut resolution = Resolution::new(uri, supported);
    // Each round answers what the previous answers asked; NAPTR, SRV, A/AAAA: three at most.
    for _ in 0..4 {
        let queries: Vec<Query> = core::iter::from_fn(|| resolution.poll_query()).collect();
        if queries.is_empty() {
            break;
        }
        for query in queries {
            match query {
                Query::Naptr(name) => {
                    let answer = lookup.naptr(&name).await;
                    resolution.handle_naptr(&name, answer);
                }
                Query::Srv(name) => {
                    let answer = lookup.srv(&name).await;
                    resolution.handle_srv(&name, answer);
                }
                Query::Addresses(name) => {
                    let answer = lookup.addresses(&name).await;
                    resolution.handle_addresses(&name, answer);
                }
            }
        }
    }
    resolution
}

/// hickory-resolver as a [`Lookup`].
#[derive(Debug, Clone)]
pub struct DnsResolver {
    inner: TokioAsyncResolver,
}

impl DnsResolver {
    /// A resolver configured from the system (`/etc/resolv.conf`).
    ///
    /// # Errors
    /// [`Error::Dns`] when the system configuration cannot be read.
    pub fn from_system_conf() -> Result<Self> {
        let inner =
            TokioAsyncResolver::tokio_from_system_conf().map_err(|e| Error::Dns(e.to_string()))?;
        Ok(Self { inner })
    }

    /// A resolver around a configured hickory resolver.
    pub fn new(inner: TokioAsyncResolver) -> Self {
        Self { inner }
    }
}

/// The absolute form of a name, so that no search domain is appended.
fn absolute(name: &str) -> String {
    if name.ends_with('.') {
        name.to_owned()
    } else {
        format!("{name}.")
    }
}

impl Lookup for DnsResolver {
    async fn naptr(&self, name: &str) -> Vec<NaptrRecord> {
        let Ok(answer) = self.inner.lookup(absolute(name), RecordType::NAPTR).await else {
            return Vec::new();
        };
        answer
            .iter()
            .filter_map(|rdata| match rdata {
                RData::NAPTR(n) => Some(NaptrRecord {
                    order: n.order(),
                    preference: n.preference(),
                    flags: String::from_utf8_lossy(n.flags()).into_owned(),
                    service: String::from_utf8_lossy(n.services()).into_owned(),
                    replacement: n.replacement().to_utf8(),
                }),
                _ => None,
            })
            .collect()
    }

    async fn srv(&self, name: &str) -> Vec<SrvRecord> {
        let Ok(answer) = self.inner.srv_lookup(absolute(name)).await else {
            return Vec::new();
        };
        answer
            .iter()
            .map(|s| SrvRecord {
                priority: s.priority(),
                weight: s.weight(),
                port: s.port(),
                target: s.target().to_utf8(),
            })
            .collect()
    }

    async fn addresses(&self, name: &str) -> Vec<IpAddr> {
        match self.inner.lookup_ip(absolute(name)).await {
            Ok(answer) => answer.iter().collect(),
            Err(_) => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use std::collections::HashMap;

    #[derive(Default)]
    struct Fake {
        naptr: HashMap<String, Vec<NaptrRecord>>,
        srv: HashMap<String, Vec<SrvRecord>>,
        hosts: HashMap<String, Vec<IpAddr>>,
        asked: std::sync::Mutex<Vec<String>>,
    }

    impl Lookup for Fake {
        async fn naptr(&self, name: &str) -> Vec<NaptrRecord> {
            self.asked.lock().unwrap().push(format!("NAPTR {name}"));
            self.naptr.get(name).cloned().unwrap_or_default()
        }
        async fn srv(&self, name: &str) -> Vec<SrvRecord> {
            self.asked.lock().unwrap().push(format!("SRV {name}"));
            self.srv.get(name).cloned().unwrap_or_default()
        }
        async fn addresses(&self, name: &str) -> Vec<IpAddr> {
            self.asked.lock().unwrap().push(format!("A {name}"));
            self.hosts.get(name).cloned().unwrap_or_default()
        }
    }

    const SUPPORTED: [TransportKind; 2] = [TransportKind::Udp, TransportKind::Tcp];

    #[tokio::test]
    async fn naptr_srv_a_chain() {
        let mut fake = Fake::default();
        fake.naptr.insert(
            "example.com".into(),
            vec![NaptrRecord {
                order: 1,
                preference: 1,
                flags: "S".into(),
                service: "SIP+D2T".into(),
                replacement: "_sip._tcp.example.com.".into(),
            }],
        );
        fake.srv.insert(
            "_sip._tcp.example.com".into(),
            vec![SrvRecord {
                priority: 1,
                weight: 1,
                port: 5070,
                target: "pbx.example.com.".into(),
            }],
        );
        fake.hosts.insert(
            "pbx.example.com".into(),
            vec![
                "192.0.2.10".parse().unwrap(),
                "2001:db8::10".parse().unwrap(),
            ],
        );
        let uri = SipUri::parse("sip:alice@example.com").unwrap();
        let resolution = resolve(&fake, &uri, &SUPPORTED).await;
        assert!(resolution.is_complete());
        let targets = resolution.targets(&mut rand_chacha::ChaCha8Rng::seed_from_u64(1));
        let got: Vec<String> = targets
            .as_slice()
            .iter()
            .map(|t| format!("{} {}", t.transport, t.address))
            .collect();
        assert_eq!(got, vec!["TCP 192.0.2.10:5070", "TCP [2001:db8::10]:5070"]);
        assert_eq!(
            *fake.asked.lock().unwrap(),
            vec![
                "NAPTR example.com",
                "SRV _sip._tcp.example.com",
                "A pbx.example.com"
            ]
        );
    }

    #[tokio::test]
    async fn numeric_host_asks_nothing() {
        let fake = Fake::default();
        let uri = SipUri::parse("sip:alice@192.0.2.1:5080;transport=tcp").unwrap();
        let targets = resolve(&fake, &uri, &SUPPORTED)
            .await
            .targets(&mut rand::thread_rng());
        assert_eq!(
            targets.current().map(|t| t.address),
            Some("192.0.2.1:5080".parse().unwrap())
        );
        assert!(fake.asked.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn nothing_found_gives_no_target() {
        let fake = Fake::default();
        let uri = SipUri::parse("sip:alice@nowhere.invalid").unwrap();
        let targets = resolve(&fake, &uri, &SUPPORTED)
            .await
            .targets(&mut rand::thread_rng());
        assert_eq!(targets.current(), None);
        assert_eq!(fake.asked.lock().unwrap().len(), 4, "NAPTR, two SRV, A");
    }

    #[test]
    fn names_are_made_absolute() {
        assert_eq!(absolute("a.example"), "a.example.");
        assert_eq!(absolute("a.example."), "a.example.");
    }
}
