#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Writes a pcap file with two SAP packets (UDP to 224.2.127.254:9875, RFC 2974 §3) for
//! checking with an independent decoder (`.ci/interop/sdp.sh` runs tshark on it): an
//! announcement whose payload is an SDP offer made by the offer/answer engine, and the
//! deletion of that session with an IPv6 originating source.
//!
//! ```sh
//! cargo run -p sdp --example sap_pcap -- /tmp/sap.pcap
//! tshark -r /tmp/sap.pcap -V
//! ```

use std::net::{IpAddr, Ipv4Addr};

use bytes::Bytes;
use sdp::sap::{MessageType, SapPacket};
use sdp::{Codec, OfferAnswer, SessionConfig, StreamConfig};

fn main() {
    let path = std::env::args().nth(1).expect("output path");
    let source = Ipv4Addr::new(192, 0, 2, 10);
    let ip = IpAddr::V4(source);
    let mut engine = OfferAnswer::new(
        SessionConfig::new("announcer", 3_900_000_001, ip),
        vec![
            StreamConfig::audio(ip, 49170, vec![Codec::pcmu(), Codec::pcma(), Codec::g722()]),
            StreamConfig::video(ip, 51372, vec![Codec::new("H264", 90000)]),
        ],
    );
    let sdp = engine.create_offer().unwrap().to_vec();
    let announcement = SapPacket::announcement(ip, 0x1234, Bytes::from(sdp));
    let mut deletion = announcement.clone();
    deletion.message_type = MessageType::Deletion;
    deletion.origin = "2001:db8::10".parse().unwrap();
    let group = Ipv4Addr::new(224, 2, 127, 254);
    let packets = [
        announcement.to_bytes().unwrap(),
        deletion.to_bytes().unwrap(),
    ];
    std::fs::write(&path, pcap(source, group, 9875, &packets)).unwrap();
    println!("wrote {path} ({} SAP packets)", packets.len());
}

/// A pcap file (LINKTYPE_IPV4) with one IPv4/UDP datagram per payload.
fn pcap(source: Ipv4Addr, destination: Ipv4Addr, port: u16, payloads: &[Bytes]) -> Vec<u8> {
    let mut file = Vec::new();
    file.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    file.extend_from_slice(&2u16.to_le_bytes());
    file.extend_from_slice(&4u16.to_le_bytes());
    file.extend_from_slice(&[0; 8]); // thiszone, sigfigs
    file.extend_from_slice(&65535u32.to_le_bytes());
    file.extend_from_slice(&228u32.to_le_bytes()); // LINKTYPE_IPV4
    for (i, payload) in payloads.iter().enumerate() {
        let ip = datagram(source, destination, port, payload);
        let len = u32::try_from(ip.len()).unwrap();
        file.extend_from_slice(&(1_700_000_000u32 + u32::try_from(i).unwrap()).to_le_bytes());
        file.extend_from_slice(&0u32.to_le_bytes());
        file.extend_from_slice(&len.to_le_bytes());
        file.extend_from_slice(&len.to_le_bytes());
        file.extend_from_slice(&ip);
    }
    file
}

/// An IPv4 header (with checksum) and a UDP header (no checksum, allowed over IPv4).
fn datagram(source: Ipv4Addr, destination: Ipv4Addr, port: u16, payload: &[u8]) -> Vec<u8> {
    let udp_len = u16::try_from(8 + payload.len()).unwrap();
    let total = 20 + udp_len;
    let mut ip = Vec::with_capacity(usize::from(total));
    ip.extend_from_slice(&[0x45, 0]);
    ip.extend_from_slice(&total.to_be_bytes());
    ip.extend_from_slice(&[0, 0, 0x40, 0, 16, 17, 0, 0]); // id, DF, TTL 16, UDP, checksum 0
    ip.extend_from_slice(&source.octets());
    ip.extend_from_slice(&destination.octets());
    let checksum = !ip
        .chunks(2)
        .map(|w| u32::from(u16::from_be_bytes([w[0], w[1]])))
        .fold(0u32, |s, w| {
            let s = s + w;
            (s & 0xffff) + (s >> 16)
        }) as u16;
    ip[10..12].copy_from_slice(&checksum.to_be_bytes());
    ip.extend_from_slice(&port.to_be_bytes()); // source port
    ip.extend_from_slice(&port.to_be_bytes());
    ip.extend_from_slice(&udp_len.to_be_bytes());
    ip.extend_from_slice(&[0, 0]); // no UDP checksum (allowed over IPv4)
    ip.extend_from_slice(payload);
    ip
}
