#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]
//! Costs of the sans-IO rules: stream framing, the Via stamp and response route, and
//! RFC 3263 resolution from records.

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand::SeedableRng;
use sip_message::Message;
use sip_transaction::TransportKind;
use sip_transport::{stamp_and_route, NaptrRecord, Resolution, SipUri, SrvRecord, StreamReceiver};

const OPTIONS: &str = "OPTIONS sip:127.0.0.1:5060 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5071;branch=z9hG4bK-5055-1-0\r\nFrom: sipp <sip:sipp@127.0.0.1:5071>;tag=5055SIPpTag001\r\nTo: <sip:127.0.0.1:5060>\r\nCall-ID: 1-5055@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nContact: <sip:sipp@127.0.0.1:5071>\r\nMax-Forwards: 70\r\nAccept: application/sdp\r\nContent-Length: 0\r\n\r\n";

fn framing(c: &mut Criterion) {
    let stream: Vec<u8> = OPTIONS.repeat(100).into_bytes();
    let mut g = c.benchmark_group("stream");
    g.throughput(Throughput::Elements(100));
    g.bench_function("frame_100_options_in_1400_byte_reads", |b| {
        b.iter(|| {
            let mut rx = StreamReceiver::default();
            let mut n = 0;
            for chunk in stream.chunks(1400) {
                rx.handle_data(chunk);
                while rx.poll_event().is_some() {
                    n += 1;
                }
            }
            assert_eq!(n, 100);
        });
    });
    g.finish();
}

fn via(c: &mut Criterion) {
    let plain = Message::parse(Bytes::from_static(OPTIONS.as_bytes())).unwrap();
    let rport = Message::parse(Bytes::from(OPTIONS.replace("5055-1-0", "5055-1-0;rport"))).unwrap();
    let source = "127.0.0.1:5071".parse().unwrap();
    c.bench_function("stamp_and_route_unchanged", |b| {
        b.iter(|| {
            let mut m = plain.clone();
            stamp_and_route(&mut m, source, TransportKind::Udp).unwrap()
        });
    });
    c.bench_function("stamp_and_route_with_rport_rewrite", |b| {
        b.iter(|| {
            let mut m = rport.clone();
            stamp_and_route(&mut m, source, TransportKind::Udp).unwrap()
        });
    });
}

fn resolution(c: &mut Criterion) {
    let uri = SipUri::parse("sip:alice@example.com").unwrap();
    c.bench_function("resolve_naptr_srv_a", |b| {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        b.iter(|| {
            let mut r = Resolution::new(&uri, &[TransportKind::Udp, TransportKind::Tcp]);
            r.poll_query();
            r.handle_naptr(
                "example.com",
                vec![
                    NaptrRecord {
                        order: 1,
                        preference: 1,
                        flags: "s".into(),
                        service: "SIP+D2T".into(),
                        replacement: "_sip._tcp.example.com".into(),
                    },
                    NaptrRecord {
                        order: 2,
                        preference: 1,
                        flags: "s".into(),
                        service: "SIP+D2U".into(),
                        replacement: "_sip._udp.example.com".into(),
                    },
                ],
            );
            while let Some(q) = r.poll_query() {
                match q {
                    sip_transport::Query::Srv(n) => r.handle_srv(
                        &n,
                        vec![
                            SrvRecord {
                                priority: 1,
                                weight: 10,
                                port: 5060,
                                target: "a.example.com".into(),
                            },
                            SrvRecord {
                                priority: 1,
                                weight: 20,
                                port: 5060,
                                target: "b.example.com".into(),
                            },
                        ],
                    ),
                    sip_transport::Query::Addresses(n) => {
                        r.handle_addresses(&n, vec!["192.0.2.1".parse().unwrap()])
                    }
                    sip_transport::Query::Naptr(_) => {}
                }
            }
            r.targets(&mut rng)
        });
    });
}

criterion_group!(benches, framing, via, resolution);
criterion_main!(benches);
