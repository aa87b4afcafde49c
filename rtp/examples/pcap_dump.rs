#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Runs two sessions in virtual time (Alice streams 2 s of PCMU and a DTMF '5' to Bob, both
//! exchange RTCP, Alice leaves with a BYE) and writes every datagram to a pcap file (raw
//! IPv4/UDP), for checking the wire format with an independent decoder:
//!
//! `cargo run -p rtp --example pcap_dump -- out.pcap` then `.ci/interop/rtp.sh` runs tshark.
//!
//! Alice is 10.0.0.1 (RTP 40000, RTCP 40001), Bob 10.0.0.2 (RTP 40002, RTCP 40003).

use std::io::Write;
use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime};

use rtp::tone::ToneGenerator;
use rtp::{g711, Channel, Session, SessionConfig, Transmit};

struct Pcap {
    out: Vec<u8>,
}

impl Pcap {
    fn new() -> Self {
        let mut out = Vec::new();
        out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
        out.extend_from_slice(&2u16.to_le_bytes());
        out.extend_from_slice(&4u16.to_le_bytes());
        out.extend_from_slice(&0i32.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&65535u32.to_le_bytes());
        out.extend_from_slice(&101u32.to_le_bytes()); // LINKTYPE_RAW: IPv4 without link layer
        Self { out }
    }

    fn packet(&mut self, at: Duration, from: SocketAddr, to: SocketAddr, payload: &[u8]) {
        let (SocketAddr::V4(from), SocketAddr::V4(to)) = (from, to) else {
            panic!("IPv4 only")
        };
        let total = 20 + 8 + payload.len();
        let mut ip = vec![
            0x45,
            0,
            (total >> 8) as u8,
            total as u8,
            0,
            0,
            0x40,
            0,
            64,
            17,
            0,
            0,
        ];
        ip.extend_from_slice(&from.ip().octets());
        ip.extend_from_slice(&to.ip().octets());
        let sum = ip
            .chunks(2)
            .map(|w| u32::from(u16::from_be_bytes([w[0], w[1]])))
            .sum::<u32>();
        let sum = !(((sum & 0xFFFF) + (sum >> 16)) as u16);
        ip[10..12].copy_from_slice(&sum.to_be_bytes());
        let udp_len = (8 + payload.len()) as u16;
        let mut frame = ip;
        frame.extend_from_slice(&from.port().to_be_bytes());
        frame.extend_from_slice(&to.port().to_be_bytes());
        frame.extend_from_slice(&udp_len.to_be_bytes());
        frame.extend_from_slice(&0u16.to_be_bytes()); // no UDP checksum
        frame.extend_from_slice(payload);
        self.out
            .extend_from_slice(&(at.as_secs() as u32 + 1_700_000_000).to_le_bytes());
        self.out
            .extend_from_slice(&at.subsec_micros().to_le_bytes());
        self.out
            .extend_from_slice(&(frame.len() as u32).to_le_bytes());
        self.out
            .extend_from_slice(&(frame.len() as u32).to_le_bytes());
        self.out.extend_from_slice(&frame);
    }
}

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "rtp.pcap".into());
    let t0 = Instant::now();
    let mut config = SessionConfig::default();
    config.rng_seed = Some([1; 32]);
    config.wall_clock = Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    config.cname = Some("alice@10.0.0.1".into());
    let mut alice = Session::new(config.clone(), t0);
    config.rng_seed = Some([2; 32]);
    config.cname = Some("bob@10.0.0.2".into());
    let mut bob = Session::new(config, t0);
    let a_rtp: SocketAddr = "10.0.0.1:40000".parse().unwrap();
    let a_rtcp: SocketAddr = "10.0.0.1:40001".parse().unwrap();
    let b_rtp: SocketAddr = "10.0.0.2:40002".parse().unwrap();
    let b_rtcp: SocketAddr = "10.0.0.2:40003".parse().unwrap();
    let mut pcap = Pcap::new();
    let mut tone = ToneGenerator::new(440.0, 8000, 8000);
    let mut frames = 0;
    let mut now = t0;
    let end = t0 + Duration::from_secs(16);
    let mut closed = false;
    while now < end {
        if frames < 100 && now >= t0 + Duration::from_millis(20 * frames) {
            let mut pcm = [0i16; 160];
            tone.fill(&mut pcm);
            let mut frame = [0u8; 160];
            g711::encode_ulaw(&pcm, &mut frame);
            alice.send_rtp(now, &frame, frames == 0).unwrap();
            frames += 1;
            if frames == 100 {
                alice.send_dtmf(now, 5, Duration::from_millis(160)).unwrap();
            }
        }
        if !closed && now >= t0 + Duration::from_secs(15) {
            alice.close(now, Some("done"));
            closed = true;
        }
        alice.handle_timeout(now);
        bob.handle_timeout(now);
        let mut sent: Vec<(bool, Transmit)> = Vec::new();
        while let Some(t) = alice.poll_transmit() {
            sent.push((true, t));
        }
        while let Some(t) = bob.poll_transmit() {
            sent.push((false, t));
        }
        for (from_alice, t) in sent {
            let (src, dst) = match (from_alice, t.channel) {
                (true, Channel::Rtp) => (a_rtp, b_rtp),
                (true, Channel::Rtcp) => (a_rtcp, b_rtcp),
                (false, Channel::Rtp) => (b_rtp, a_rtp),
                (false, Channel::Rtcp) => (b_rtcp, a_rtcp),
            };
            pcap.packet(now - t0, src, dst, &t.payload);
            let receiver = if from_alice { &mut bob } else { &mut alice };
            match t.channel {
                Channel::Rtp => receiver.handle_rtp(now, src, t.payload),
                Channel::Rtcp => receiver.handle_rtcp(now, src, t.payload),
            }
        }
        while bob.poll_playout(now).is_some() {}
        while alice.poll_event().is_some() {}
        while bob.poll_event().is_some() {}
        now += Duration::from_millis(5);
    }
    std::fs::File::create(&path)
        .unwrap()
        .write_all(&pcap.out)
        .unwrap();
    eprintln!("wrote {path}");
}
