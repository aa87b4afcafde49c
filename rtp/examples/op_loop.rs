#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Runs one operation N times, for instruction counts under callgrind (stable on a noisy
//! machine, unlike wall clock). Cost per operation = (Ir at N - Ir at 0) / N:
//!
//! ```text
//! cargo build --release -p rtp --example op_loop
//! for n in 0 4000; do valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/op_loop session $n 2>&1 | grep Collected; done
//! ```
//!
//! Operations: `rtcp` (parse SR+SDES and read it), `session` (receive one packet: statistics
//! + jitter buffer + playout), `ulaw_enc`, `ulaw_dec`, `alaw_enc`, `alaw_dec` (4096 samples).

use bytes::Bytes;
use rtp::rtcp::{
    Compound, CompoundBuilder, ReportBlock, RtcpPacket, SdesItem, SdesItemType, SenderInfo,
};
use rtp::{g711, RtpPacketBuilder, Session, SessionConfig};
use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let what = args[1].as_str();
    let n: u64 = args[2].parse().unwrap();
    match what {
        "rtcp" => {
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
            for _ in 0..n {
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
                black_box(acc);
            }
        }
        "session" => {
            let packets: Vec<Bytes> = (0..4096u32)
                .map(|i| {
                    RtpPacketBuilder::new(0, i as u16, i.wrapping_mul(160), 0x1234)
                        .payload(&[0xFF; 160])
                        .to_bytes()
                        .unwrap()
                })
                .map(|b| Bytes::from_static(Box::leak(b.to_vec().into_boxed_slice())))
                .collect();
            let t0 = Instant::now();
            let mut config = SessionConfig::default();
            config.rng_seed = Some([7; 32]);
            let mut session = Session::new(config, t0);
            let from: SocketAddr = "192.0.2.1:5004".parse().unwrap();
            // warm: first 2 packets (probation, allocation)
            for i in 0..2u64 {
                session.handle_rtp(
                    t0 + Duration::from_millis(20 * i),
                    from,
                    packets[i as usize].clone(),
                );
            }
            for i in 2..2 + n {
                let now = t0 + Duration::from_millis(20 * i);
                session.handle_rtp(now, from, packets[(i % 4096) as usize].clone());
                while let Some(p) = session.poll_playout(now) {
                    black_box(p);
                }
            }
        }
        "ulaw_enc" | "ulaw_dec" | "alaw_enc" | "alaw_dec" => {
            let samples: Vec<i16> = (0..4096)
                .map(|i| ((i * 7919) % 65536 - 32768) as i16)
                .collect();
            let mut codes = vec![0u8; 4096];
            let mut back = vec![0i16; 4096];
            g711::encode_ulaw(&samples, &mut codes);
            for _ in 0..n {
                match what {
                    "ulaw_enc" => g711::encode_ulaw(black_box(&samples), &mut codes),
                    "ulaw_dec" => g711::decode_ulaw(black_box(&codes), &mut back),
                    "alaw_enc" => g711::encode_alaw(black_box(&samples), &mut codes),
                    _ => g711::decode_alaw(black_box(&codes), &mut back),
                }
                black_box((&codes, &back));
            }
        }
        _ => panic!(),
    }
}
