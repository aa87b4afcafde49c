#![no_main]
//! RTP parsing, re-serialization and a receiving session (statistics, jitter buffer, DTMF).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use rtp::{RtpPacket, RtpPacketBuilder, Session, SessionConfig};

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = RtpPacket::parse(data) {
        let csrcs: Vec<u32> = p.csrcs().collect();
        if let Some(e) = p.extension() {
            // Strict element check: must not panic whatever the bytes.
            let _ = e.validate();
            for element in e.elements() {
                assert!(element.id != 0);
            }
        }
        // Re-serialize from the parsed fields: the result parses to the same fields.
        let mut b = RtpPacketBuilder::new(
            p.payload_type(),
            p.sequence_number(),
            p.timestamp(),
            p.ssrc(),
        )
        .marker(p.marker())
        .csrcs(&csrcs)
        .payload(p.payload())
        .padding(p.padding_len());
        if let Some(e) = p.extension() {
            b = b.extension(e.profile, e.data);
        }
        let bytes = b.to_bytes().expect("parsed fields are valid");
        let q = RtpPacket::parse(&bytes).expect("rebuilt packet parses");
        assert_eq!(q.payload(), p.payload());
        assert_eq!(q.extension(), p.extension());
        assert_eq!(
            (q.sequence_number(), q.timestamp(), q.ssrc()),
            (p.sequence_number(), p.timestamp(), p.ssrc())
        );
    }
    // The same bytes, cut into datagrams, through a session.
    let mut config = SessionConfig::default();
    config.rng_seed = Some([0; 32]);
    let t0 = epoch();
    let mut session = Session::new(config, t0);
    let from = "192.0.2.1:5004".parse().unwrap();
    for (i, chunk) in data.chunks(64).enumerate() {
        let now = t0 + Duration::from_millis(20 * i as u64);
        session.handle_rtp(now, from, Bytes::copy_from_slice(chunk));
        while session.poll_playout(now).is_some() {}
        while session.poll_event().is_some() {}
    }
});
