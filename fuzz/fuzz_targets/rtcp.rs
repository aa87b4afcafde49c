#![no_main]
//! RTCP compound parsing (strict and reduced-size) and the session's RTCP input.

use std::time::Instant;

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use rtp::rtcp::{Compound, RtcpPacket};
use rtp::{Session, SessionConfig};

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = Compound::parse_reduced_size(data) {
        assert_eq!(c.packets().count(), c.len());
        for p in c.packets() {
            match p {
                RtcpPacket::SenderReport(sr) => {
                    assert_eq!(sr.reports.iter().count(), sr.reports.len())
                }
                RtcpPacket::ReceiverReport(rr) => {
                    assert_eq!(rr.reports.iter().count(), rr.reports.len())
                }
                RtcpPacket::SourceDescription(s) => {
                    assert_eq!(s.chunks().count(), s.len());
                    for chunk in s.chunks() {
                        for item in chunk.items() {
                            let _ = item.private_parts();
                        }
                    }
                }
                RtcpPacket::Goodbye(b) => {
                    let _ = (b.sources().count(), b.reason());
                }
                RtcpPacket::Nack(n) => {
                    for pair in n.pairs.iter() {
                        assert!(pair.lost_sequence_numbers().count() <= 17);
                    }
                }
                RtcpPacket::FullIntraRequest(f) => {
                    assert_eq!(f.entries.iter().count(), f.entries.len())
                }
                _ => {}
            }
        }
        if Compound::parse(data).is_ok() {
            assert!(!c.is_reduced_size());
        }
    }
    let mut config = SessionConfig::default();
    config.rng_seed = Some([0; 32]);
    let t0 = Instant::now();
    let mut session = Session::new(config, t0);
    session.handle_rtcp(
        t0,
        "192.0.2.1:5005".parse().unwrap(),
        Bytes::copy_from_slice(data),
    );
    while session.poll_event().is_some() {}
    session.handle_timeout(t0 + std::time::Duration::from_secs(60));
    assert!(session.poll_transmit().is_some());
});
