#![no_main]
//! Answer arbitrary offers: never panics, and the answer always parses with the offer's
//! number of m-lines.

use std::net::{IpAddr, Ipv4Addr};

use libfuzzer_sys::fuzz_target;
use sdp::{Codec, OfferAnswer, Sdp, SessionConfig, StreamConfig};

fuzz_target!(|data: &[u8]| {
    let Ok(offer) = Sdp::parse(data) else { return };
    let count = offer.media.len();
    let ip = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2));
    let mut video = StreamConfig::video(
        ip,
        3458,
        vec![Codec::new("VP8", 90000), Codec::new("H264", 90000)],
    );
    video.held = true;
    let mut engine = OfferAnswer::new(
        SessionConfig::new("fuzz", 1, ip),
        vec![
            StreamConfig::audio(
                ip,
                3456,
                vec![Codec::opus(), Codec::pcmu(), Codec::pcma(), Codec::g729()],
            ),
            video,
        ],
    );
    if engine.set_remote_offer(&offer).is_err() {
        return;
    }
    let answer = engine
        .create_answer()
        .expect("answer in have-remote-offer")
        .to_vec();
    let parsed = Sdp::parse(&answer).expect("answer parses");
    assert_eq!(parsed.media.len(), count);
    assert_eq!(engine.negotiated().map(|n| n.streams.len()), Some(count));
    // A re-offer afterwards is well-formed too.
    let reoffer = engine.create_offer().expect("offer in stable").to_vec();
    assert_eq!(
        Sdp::parse(&reoffer).expect("re-offer parses").media.len(),
        count.max(2)
    );
});
