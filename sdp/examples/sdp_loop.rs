#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Runs one benchmark case N times, for instruction counts under callgrind (the method of
//! the peer benchmark: count N passes and 0 passes, divide the difference by N):
//!
//! ```sh
//! cargo build --profile bench -p sdp --example sdp_loop
//! valgrind --tool=callgrind target/release/examples/sdp_loop parse-small 0
//! valgrind --tool=callgrind target/release/examples/sdp_loop parse-small 1000
//! ```
//!
//! Cases: parse-small, parse-webrtc, render-small, render-webrtc, render-small-typed,
//! render-webrtc-typed, answer-small.

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};

use sdp::{Codec, OfferAnswer, Sdp, SessionConfig, StreamConfig};

const SMALL: &[u8] = include_bytes!("../tests/data/alice.sdp");
const WEBRTC: &[u8] = include_bytes!("../tests/data/webrtc.sdp");

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().expect("case name");
    let n: usize = args.next().expect("iterations").parse().expect("a number");
    let ip = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 20));
    let mut bob = OfferAnswer::new(
        SessionConfig::new("bob", 2808844564, ip),
        vec![StreamConfig::audio(
            ip,
            3456,
            vec![Codec::pcmu(), Codec::g729()],
        )],
    );
    let offer = Sdp::parse(SMALL).unwrap().into_description();
    let small = Sdp::parse(SMALL).unwrap().into_description();
    let webrtc = Sdp::parse(WEBRTC).unwrap().into_description();
    // Every attribute and format list typed, as in a built or changed description.
    let typed = |d: &sdp::SessionDescription<'static>| {
        let mut t = d.clone();
        t.attributes.to_mut();
        for m in &mut t.media {
            m.attributes.to_mut();
            m.formats.to_mut();
        }
        t
    };
    let (small_typed, webrtc_typed) = (typed(&small), typed(&webrtc));
    let mut buf = Vec::with_capacity(8192);
    for _ in 0..n {
        match case.as_str() {
            "parse-small" => drop(black_box(Sdp::parse(black_box(SMALL)).unwrap())),
            "parse-webrtc" => drop(black_box(Sdp::parse(black_box(WEBRTC)).unwrap())),
            "render-small" => {
                buf.clear();
                black_box(&small).write_to(&mut buf);
            }
            "render-webrtc" => {
                buf.clear();
                black_box(&webrtc).write_to(&mut buf);
            }
            "render-small-typed" => {
                buf.clear();
                black_box(&small_typed).write_to(&mut buf);
            }
            "render-webrtc-typed" => {
                buf.clear();
                black_box(&webrtc_typed).write_to(&mut buf);
            }
            "answer-small" => {
                bob.set_remote_offer(black_box(&offer)).unwrap();
                black_box(bob.create_answer().unwrap());
            }
            other => panic!("unknown case {other}"),
        }
    }
    black_box(buf.len());
}
