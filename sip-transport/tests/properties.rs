#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Property tests: stream framing is independent of how reads split the bytes; the Via
//! stamp is idempotent; resolution orders are stable under the same seed.

use bytes::Bytes;
use proptest::prelude::*;
use rand::SeedableRng;
use sip_message::Message;
use sip_transaction::TransportKind;
use sip_transport::{
    stamp_received, top_via, Resolution, SipUri, SrvRecord, StreamEvent, StreamReceiver,
};

fn message(i: usize, body: usize) -> Vec<u8> {
    format!(
        "OPTIONS sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK{i}\r\nCall-ID: {i}\r\nCSeq: 1 OPTIONS\r\nContent-Length: {body}\r\n\r\n{}",
        "b".repeat(body)
    )
    .into_bytes()
}

fn frame(chunks: &[&[u8]]) -> Vec<String> {
    let mut rx = StreamReceiver::default();
    let mut out = Vec::new();
    for c in chunks {
        rx.handle_data(c);
        while let Some(e) = rx.poll_event() {
            match e {
                StreamEvent::Message(m) => {
                    out.push(String::from_utf8(m.to_bytes().to_vec()).unwrap())
                }
                StreamEvent::Ping => out.push("ping".into()),
                StreamEvent::Pong => out.push("pong".into()),
                other => panic!("{other:?}"),
            }
        }
    }
    out
}

proptest! {
    #[test]
    fn framing_does_not_depend_on_read_boundaries(
        bodies in prop::collection::vec(0usize..200, 1..6),
        pings in prop::collection::vec(any::<bool>(), 6),
        cuts in prop::collection::vec(1usize..64, 1..40),
    ) {
        let mut stream = Vec::new();
        for (i, b) in bodies.iter().enumerate() {
            if pings[i] {
                stream.extend_from_slice(b"\r\n\r\n");
            }
            stream.extend_from_slice(&message(i, *b));
        }
        let whole = frame(&[&stream]);
        let mut chunks = Vec::new();
        let mut rest = stream.as_slice();
        for c in cuts.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (a, b) = rest.split_at((*c).min(rest.len()));
            chunks.push(a);
            rest = b;
        }
        prop_assert_eq!(frame(&chunks), whole.clone());
        prop_assert_eq!(whole.iter().filter(|m| m.starts_with("OPTIONS")).count(), bodies.len());
    }

    #[test]
    fn stamp_is_idempotent(a in any::<[u8; 4]>(), port in 1u16.., rport in any::<bool>(), host in "[a-z]{1,10}\\.example") {
        let via = format!("SIP/2.0/UDP {host}:5060;branch=z9hG4bKx{}", if rport { ";rport" } else { "" });
        let mut m = Message::parse(Bytes::from(format!(
            "OPTIONS sip:b@example.com SIP/2.0\r\nVia: {via}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
        ))).unwrap();
        let source = std::net::SocketAddr::from((a, port));
        prop_assert!(stamp_received(&mut m, source).unwrap());
        let once = m.to_bytes();
        prop_assert!(!stamp_received(&mut m, source).unwrap());
        prop_assert_eq!(m.to_bytes(), once);
        let v = top_via(&m).unwrap();
        prop_assert_eq!(v.received, Some(source.ip()));
        prop_assert_eq!(v.rport, rport.then_some(Some(port)));
    }

    #[test]
    fn srv_order_is_a_permutation_stable_per_seed(
        records in prop::collection::vec((0u16..3, 0u16..100, 1u16..), 1..12),
        seed in any::<u64>(),
    ) {
        let uri = SipUri::parse("sip:example.com;transport=tcp").unwrap();
        let run = || {
            let mut r = Resolution::new(&uri, &[TransportKind::Tcp]);
            r.poll_query();
            let srv: Vec<SrvRecord> = records.iter().enumerate().map(|(i, (p, w, port))| SrvRecord {
                priority: *p, weight: *w, port: *port, target: format!("h{i}.example"),
            }).collect();
            r.handle_srv("_sip._tcp.example.com", srv);
            while let Some(q) = r.poll_query() {
                let sip_transport::Query::Addresses(name) = q else { panic!() };
                let i: u8 = name[1..name.find('.').unwrap()].parse().unwrap();
                r.handle_addresses(&name, vec![std::net::IpAddr::from([192, 0, 2, i])]);
            }
            r.targets(&mut rand_chacha::ChaCha8Rng::seed_from_u64(seed))
        };
        let a = run();
        prop_assert_eq!(&a, &run());
        prop_assert_eq!(a.as_slice().len(), records.len());
        // Priorities never go down.
        let prio = |t: &sip_transport::Target| {
            let std::net::IpAddr::V4(ip) = t.address.ip() else { panic!() };
            records[usize::from(ip.octets()[3])].0
        };
        prop_assert!(a.as_slice().windows(2).all(|w| prio(&w[0]) <= prio(&w[1])));
    }
}
