#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `cargo bench -p rtp`: RTP parse/build on the peer corpus (/work/shared/bench/peers),
//! RTCP compound parse, G.711 per sample, and a receiving session (statistics + jitter
//! buffer) per packet.

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rtp::rtcp::{
    Compound, CompoundBuilder, ReportBlock, RtcpPacket, SdesItem, SdesItemType, SenderInfo,
};
use rtp::{g711, RtpPacket, RtpPacketBuilder, Session, SessionConfig};

/// The peer benchmark's RTP corpus (src/corpus.rs there): PCMU 160 B; Opus 120 B with two
/// one-byte extension elements; VP8 1100 B with 2 CSRCs and 3 elements.
struct Spec {
    marker: bool,
    pt: u8,
    seq: u16,
    ts: u32,
    ssrc: u32,
    csrcs: Vec<u32>,
    ext_raw: Vec<u8>,
    payload: Vec<u8>,
}

fn pattern(n: usize, seed: u8) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

fn ext(elements: &[(u8, &[u8])]) -> Vec<u8> {
    let mut raw = Vec::new();
    for (id, data) in elements {
        raw.push((id << 4) | (data.len() as u8 - 1));
        raw.extend_from_slice(data);
    }
    while raw.len() % 4 != 0 {
        raw.push(0);
    }
    raw
}

fn corpus() -> Vec<Spec> {
    vec![
        Spec {
            marker: false,
            pt: 0,
            seq: 4711,
            ts: 123_456,
            ssrc: 0x1234_ABCD,
            csrcs: vec![],
            ext_raw: vec![],
            payload: pattern(160, 7),
        },
        Spec {
            marker: true,
            pt: 111,
            seq: 4712,
            ts: 4800,
            ssrc: 0x5EED_1234,
            csrcs: vec![],
            ext_raw: ext(&[(1, &[0x95]), (3, &[0x01, 0x2C])]),
            payload: pattern(120, 3),
        },
        Spec {
            marker: false,
            pt: 96,
            seq: 30001,
            ts: 270_000,
            ssrc: 0xCAFE_BABE,
            csrcs: vec![0x0102_0304, 0x0506_0708],
            ext_raw: ext(&[(2, &[0x12, 0x34, 0x56]), (3, &[0x00, 0x2A]), (4, b"1")]),
            payload: pattern(1100, 11),
        },
    ]
}

fn build(s: &Spec, out: &mut [u8]) -> usize {
    let mut b = RtpPacketBuilder::new(s.pt, s.seq, s.ts, s.ssrc)
        .marker(s.marker)
        .csrcs(&s.csrcs)
        .payload(&s.payload);
    if !s.ext_raw.is_empty() {
        b = b.extension(0xBEDE, &s.ext_raw);
    }
    b.write_to_slice(out).unwrap()
}

/// Every field the peer harness asks for (its `RtpInfo`).
type Info = (bool, u8, u16, u32, u32, usize, usize, usize);

fn info(p: &RtpPacket<'_>) -> Info {
    (
        p.marker(),
        p.payload_type(),
        p.sequence_number(),
        p.timestamp(),
        p.ssrc(),
        p.csrc_count(),
        p.extension().map_or(0, |e| e.data.len()),
        p.payload().len(),
    )
}

fn rtp_benches(c: &mut Criterion) {
    let specs = corpus();
    let packets: Vec<Bytes> = specs
        .iter()
        .map(|s| {
            let mut out = vec![0u8; 2048];
            let n = build(s, &mut out);
            out.truncate(n);
            Bytes::from(out)
        })
        .collect();
    for (s, p) in specs.iter().zip(&packets) {
        let parsed = RtpPacket::parse(p).unwrap();
        assert_eq!(
            info(&parsed),
            (
                s.marker,
                s.pt,
                s.seq,
                s.ts,
                s.ssrc,
                s.csrcs.len(),
                s.ext_raw.len(),
                s.payload.len()
            )
        );
    }
    let mut g = c.benchmark_group("rtp");
    g.throughput(Throughput::Elements(packets.len() as u64));
    g.bench_function("parse", |b| {
        b.iter(|| {
            for p in &packets {
                black_box(info(&RtpPacket::parse(black_box(p)).unwrap()));
            }
        })
    });
    let mut out = vec![0u8; 2048];
    g.bench_function("build", |b| {
        b.iter(|| {
            for s in &specs {
                black_box(build(black_box(s), &mut out));
            }
            black_box(&out);
        })
    });
    g.finish();
}

fn rtcp_benches(c: &mut Criterion) {
    let mut builder = CompoundBuilder::new();
    let block = ReportBlock {
        ssrc: 2,
        fraction_lost: 3,
        cumulative_lost: 4,
        extended_highest_sequence: 5,
        jitter: 6,
        last_sender_report: 7,
        delay_since_last_sender_report: 8,
    };
    builder
        .sender_report(
            1,
            SenderInfo {
                ntp_timestamp: 1,
                rtp_timestamp: 2,
                packet_count: 3,
                octet_count: 4,
            },
            &[block],
        )
        .unwrap();
    builder
        .source_description(
            1,
            &[SdesItem::new(
                SdesItemType::Cname,
                b"alice@atlanta.example.com",
            )],
        )
        .unwrap();
    let compound = builder.finish();
    let mut g = c.benchmark_group("rtcp");
    g.throughput(Throughput::Elements(1));
    g.bench_function("parse SR+SDES", |b| {
        b.iter(|| {
            let c = Compound::parse(black_box(&compound)).unwrap();
            let mut acc = 0u64;
            for p in c.packets() {
                match p {
                    RtcpPacket::SenderReport(sr) => {
                        acc += sr.sender_info.ntp_timestamp;
                        for r in sr.reports.iter() {
                            acc += u64::from(r.jitter);
                        }
                    }
                    RtcpPacket::SourceDescription(s) => {
                        for chunk in s.chunks() {
                            acc += chunk.cname().map_or(0, |c| c.len() as u64);
                        }
                    }
                    _ => {}
                }
            }
            black_box(acc)
        })
    });
    g.finish();
}

fn g711_benches(c: &mut Criterion) {
    let samples: Vec<i16> = (0..4096)
        .map(|i| ((i * 7919) % 65536 - 32768) as i16)
        .collect();
    let mut codes = vec![0u8; samples.len()];
    let mut back = vec![0i16; samples.len()];
    let mut g = c.benchmark_group("g711");
    g.throughput(Throughput::Elements(samples.len() as u64));
    g.bench_function("ulaw encode", |b| {
        b.iter(|| g711::encode_ulaw(black_box(&samples), &mut codes))
    });
    g.bench_function("ulaw decode", |b| {
        b.iter(|| g711::decode_ulaw(black_box(&codes), &mut back))
    });
    g.bench_function("alaw encode", |b| {
        b.iter(|| g711::encode_alaw(black_box(&samples), &mut codes))
    });
    g.bench_function("alaw decode", |b| {
        b.iter(|| g711::decode_alaw(black_box(&codes), &mut back))
    });
    g.finish();
}

fn session_benches(c: &mut Criterion) {
    // 4096 PCMU packets (700 kB, cache-resident like a freshly received datagram), replayed
    // in order; every 4096 packets the session starts over (a new session, amortised to
    // under 1 ns per packet) so that sequence numbers keep increasing. Static buffers:
    // cloning them costs nothing, so the figure is the session's own cost (a socket driver
    // hands over a fresh `Bytes` per datagram instead).
    const N: u64 = 4096;
    let packets: Vec<Bytes> = (0..N as u32)
        .map(|i| {
            let b = RtpPacketBuilder::new(0, i as u16, i.wrapping_mul(160), 0x1234)
                .payload(&[0xFF; 160])
                .to_bytes()
                .unwrap();
            Bytes::from_static(Box::leak(b.to_vec().into_boxed_slice()))
        })
        .collect();
    let t0 = Instant::now();
    let mut config = SessionConfig::default();
    config.rng_seed = Some([7; 32]);
    let mut session = Session::new(config.clone(), t0);
    let from: SocketAddr = "192.0.2.1:5004".parse().unwrap();
    let mut i = 0u64;
    let mut played = 0u64;
    let mut g = c.benchmark_group("session");
    g.throughput(Throughput::Elements(1));
    g.bench_function("receive (stats + jitter buffer)", |b| {
        b.iter(|| {
            let now = t0 + Duration::from_millis(20 * i);
            if i % N == 0 {
                session = Session::new(config.clone(), now);
            }
            session.handle_rtp(now, from, packets[(i % N) as usize].clone());
            while let Some(p) = session.poll_playout(now) {
                played += 1;
                black_box(p);
            }
            i += 1;
        })
    });
    g.finish();
    assert!(played > 0);
    assert_eq!(session.jitter_buffer(0x1234).unwrap().stats().lost, 0);
}

criterion_group!(
    benches,
    rtp_benches,
    rtcp_benches,
    g711_benches,
    session_benches
);
criterion_main!(benches);
