#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Hostile input: malformed and adversarial packets never panic, never allocate without
//! bound, and never corrupt session state.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use proptest::prelude::*;
use rtp::dtmf::{DtmfPayload, DtmfReceiver};
use rtp::rtcp::{Compound, CompoundBuilder, SdesItem, SdesItemType};
use rtp::{
    Error, JitterBuffer, JitterBufferConfig, MediaPacket, RtpPacket, RtpPacketBuilder, Session,
    SessionConfig,
};

fn addr() -> SocketAddr {
    "198.51.100.9:4000".parse().unwrap()
}

#[test]
fn rtp_length_fields_pointing_past_the_end() {
    let cases: &[(&[u8], &str)] = &[
        (&[], "empty"),
        (&[0x80; 11], "short header"),
        (
            &[0x8F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4],
            "15 csrcs, one present",
        ),
        (
            &[
                0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE, 0xFF, 0xFF,
            ],
            "extension of 65535 words, none present",
        ),
        (
            &[0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE],
            "extension header cut",
        ),
        (
            &[0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            "padding bit, no octets",
        ),
        (
            &[0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 255],
            "padding count 255 of 2",
        ),
        (&[0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "version 0"),
        (&[0xC0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "version 3"),
    ];
    for (bytes, what) in cases {
        let e = RtpPacket::parse(bytes).expect_err(what);
        assert!(
            matches!(e, Error::Truncated { .. } | Error::Malformed { .. }),
            "{what}: {e}"
        );
        // The message names where and what.
        assert!(!e.to_string().is_empty());
    }
    // A malformed RFC 8285 element: the packet parses (elements are decoded lazily), the
    // iteration stops and validate() names the problem.
    let p = RtpPacket::parse(&[
        0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x00, 0, 1, 1, 200, 0, 0,
    ])
    .unwrap();
    let ext = p.extension().unwrap();
    assert_eq!(ext.elements().count(), 0);
    assert!(matches!(
        ext.validate(),
        Err(Error::Malformed { offset: 0, .. })
    ));
}

#[test]
fn rtcp_adversarial_compounds() {
    let rr = [0x80u8, 201, 0, 1, 0, 0, 0, 1];
    let mut cases: Vec<Vec<u8>> = vec![
        vec![0x80, 201, 0xFF, 0xFF, 0, 0, 0, 1], // length 65535 words
        vec![0x9F, 201, 0, 1, 0, 0, 0, 1],       // 31 report blocks claimed
        vec![0x80, 201, 0, 1, 0, 0, 0],          // cut
        vec![0xA0, 201, 0, 1, 0, 0, 0, 0],       // padding count 0
    ];
    for tail in [
        vec![0x9F, 202, 0, 1, 0, 0, 0, 1], // 31 SDES chunks, one word
        vec![0x81, 202, 0, 2, 0, 0, 0, 1, 1, 255, 0, 0], // item of 255 in 2
        vec![0x9F, 203, 0, 1, 0, 0, 0, 1], // BYE 31 sources, one present
        vec![0x81, 203, 0, 2, 0, 0, 0, 1, 255, 0, 0, 0], // reason of 255 in 3
        vec![0x81, 204, 0, 1, 0, 0, 0, 1], // APP without name
        vec![0x84, 206, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3], // FIR entry cut
        vec![0x80, 201, 0, 0],             // RR without SSRC
    ] {
        let mut c = rr.to_vec();
        c.extend_from_slice(&tail);
        cases.push(c);
    }
    for (i, c) in cases.iter().enumerate() {
        assert!(Compound::parse(c).is_err(), "case {i}");
        assert!(Compound::parse_reduced_size(c).is_err(), "case {i}");
    }
}

#[test]
fn dtmf_receiver_hostile_payloads() {
    let mut r = DtmfReceiver::new();
    assert!(r.handle_payload(0, &[]).is_err());
    assert!(r.handle_payload(0, &[1; 8]).is_err());
    // Thousands of distinct events: memory stays bounded (fixed history), each reported once.
    let mut reported = 0;
    for ts in 0..10_000u32 {
        let p = DtmfPayload {
            event: (ts % 16) as u8,
            end: false,
            volume: 0,
            duration: 160,
        };
        reported += usize::from(
            r.handle_payload(ts * 1000, &p.to_bytes())
                .unwrap()
                .is_some(),
        );
        reported += usize::from(
            r.handle_payload(ts * 1000, &p.to_bytes())
                .unwrap()
                .is_some(),
        );
    }
    assert_eq!(reported, 10_000);
}

#[test]
fn session_bounds_sources_and_survives_garbage() {
    let t0 = Instant::now();
    let mut config = SessionConfig::default();
    config.rng_seed = Some([3; 32]);
    config.max_sources = 8;
    let mut s = Session::new(config, t0);
    // 1000 SSRCs: only 8 tracked.
    for ssrc in 0..1000u32 {
        let p = RtpPacketBuilder::new(0, 1, 0, ssrc + 10)
            .to_bytes()
            .unwrap();
        s.handle_rtp(t0, addr(), p);
        let mut b = CompoundBuilder::new();
        b.receiver_report(ssrc + 5000, &[]).unwrap();
        b.source_description(
            ssrc + 5000,
            &[SdesItem::new(SdesItemType::Cname, &[b'x'; 255])],
        )
        .unwrap();
        s.handle_rtcp(t0, addr(), b.finish());
    }
    assert_eq!(s.remote_sources().count(), 8);
    assert!(s.stats().too_many_sources > 0);
    // Garbage of every length.
    for len in 0..200usize {
        let junk: Vec<u8> = (0..len).map(|i| (i * 37 + len) as u8).collect();
        s.handle_rtp(t0, addr(), Bytes::from(junk.clone()));
        s.handle_rtcp(t0, addr(), Bytes::from(junk));
    }
    assert!(s.poll_timeout().is_some());
    s.handle_timeout(t0 + Duration::from_secs(10));
    assert!(s.poll_transmit().is_some());
}

#[test]
fn jitter_buffer_random_sequence_numbers_stay_bounded() {
    let t0 = Instant::now();
    let mut jb = JitterBuffer::new(JitterBufferConfig::default(), 8000);
    let mut x = 12345u32;
    for i in 0..3_000u32 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let p = RtpPacketBuilder::new(0, (x >> 16) as u16, x, 1)
            .to_bytes()
            .unwrap();
        jb.insert(
            t0 + Duration::from_micros(u64::from(i)),
            MediaPacket::parse(p).unwrap(),
        );
        assert!(jb.len() <= 128);
        while jb.poll(t0 + Duration::from_micros(u64::from(i))).is_some() {}
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = RtpPacket::parse(&data);
        if let Ok(c) = Compound::parse_reduced_size(&data) {
            for p in c.packets() {
                let _ = p.sender_ssrc();
            }
        }
        let _ = DtmfPayload::parse(&data);
    }

    #[test]
    fn mutated_valid_packets_never_panic(flips in prop::collection::vec((0usize..200, any::<u8>()), 1..8)) {
        let mut b = CompoundBuilder::new();
        b.receiver_report(1, &[rtp::rtcp::ReportBlock::default()]).unwrap();
        b.source_description(1, &[SdesItem::new(SdesItemType::Cname, b"cname@example")]).unwrap();
        b.goodbye(&[1, 2], Some(b"reason")).unwrap();
        let mut rtcp = b.finish().to_vec();
        let mut rtp = RtpPacketBuilder::new(0, 1, 2, 3).csrcs(&[4]).extension(0xBEDE, &[0x10, 1, 0x21, 2, 3, 0, 0, 0]).payload(b"payload").to_bytes().unwrap().to_vec();
        for (at, v) in &flips {
            let (i, j) = (*at % rtcp.len(), *at % rtp.len());
            rtcp[i] ^= v;
            rtp[j] ^= v;
        }
        if let Ok(p) = RtpPacket::parse(&rtp) {
            let _ = p.extension().map(|e| e.elements().count());
            let _ = p.csrcs().count();
        }
        if let Ok(c) = Compound::parse(&rtcp) {
            for p in c.packets() {
                let _ = format!("{p:?}");
            }
        }
        let t0 = Instant::now();
        let mut config = SessionConfig::default();
        config.rng_seed = Some([4; 32]);
        let mut s = Session::new(config, t0);
        s.handle_rtp(t0, addr(), Bytes::from(rtp));
        s.handle_rtcp(t0, addr(), Bytes::from(rtcp));
        prop_assert!(s.poll_timeout().is_some());
    }
}

#[test]
fn undrained_events_stay_bounded() {
    let t0 = Instant::now();
    let mut config = SessionConfig::default();
    config.rng_seed = Some([5; 32]);
    let mut s = Session::new(config, t0);
    for _ in 0..2000 {
        let mut b = CompoundBuilder::new();
        b.sender_report(77, rtp::rtcp::SenderInfo::default(), &[])
            .unwrap();
        s.handle_rtcp(t0, addr(), b.finish());
    }
    // 2000 SenderReport events + 1 NewSource, at most 1024 kept.
    assert_eq!(s.stats().events_dropped, 2001 - 1024);
    assert_eq!(std::iter::from_fn(|| s.poll_event()).count(), 1024);
}
