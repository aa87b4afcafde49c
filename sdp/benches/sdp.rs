#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Parse, serialize and answer benchmarks on the peer benchmark's corpus
//! (`tests/data/alice.sdp` is `sdp_small()`, `tests/data/webrtc.sdp` is `sdp_webrtc()` of
//! `shared/bench/peers/src/corpus.rs`).

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sdp::{Codec, OfferAnswer, Sdp, SessionConfig, SessionDescription, StreamConfig};

const SMALL: &[u8] = include_bytes!("../tests/data/alice.sdp");
const WEBRTC: &[u8] = include_bytes!("../tests/data/webrtc.sdp");

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("sdp/parse");
    for (name, input) in [("small", SMALL), ("webrtc", WEBRTC)] {
        g.throughput(Throughput::Elements(1));
        g.bench_function(name, |b| b.iter(|| Sdp::parse(black_box(input)).unwrap()));
    }
    g.finish();
}

fn serialize(c: &mut Criterion) {
    let mut g = c.benchmark_group("sdp/serialize");
    for (name, input) in [("small", SMALL), ("webrtc", WEBRTC)] {
        g.throughput(Throughput::Elements(1));
        let parsed = Sdp::parse(input).unwrap();
        let model: SessionDescription<'_> = parsed.clone().into_description();
        assert_eq!(model.to_vec(), input);
        let mut buf = Vec::with_capacity(8192);
        g.bench_function(format!("{name}-render"), |b| {
            b.iter(|| {
                buf.clear();
                black_box(&model).write_to(&mut buf);
                black_box(buf.len())
            })
        });
        g.bench_function(format!("{name}-render-new-vec"), |b| {
            b.iter(|| black_box(&model).to_vec())
        });
        // The same description with every attribute and format list typed, as a built or
        // changed description is: each line rendered from its typed form.
        let typed = typed_model(&model);
        assert_eq!(typed.to_vec(), input);
        g.bench_function(format!("{name}-render-typed"), |b| {
            b.iter(|| {
                buf.clear();
                black_box(&typed).write_to(&mut buf);
                black_box(buf.len())
            })
        });
        g.bench_function(format!("{name}-verbatim"), |b| {
            b.iter(|| {
                buf.clear();
                black_box(&parsed).write_to(&mut buf);
                black_box(buf.len())
            })
        });
    }
    g.finish();
}

/// A copy of `model` whose attributes and format lists are all typed.
fn typed_model<'a>(model: &SessionDescription<'a>) -> SessionDescription<'a> {
    let mut typed = model.clone();
    typed.attributes.to_mut();
    for m in &mut typed.media {
        m.attributes.to_mut();
        m.formats.to_mut();
    }
    typed
}

fn answer(c: &mut Criterion) {
    let ip = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 20));
    let bob = OfferAnswer::new(
        SessionConfig::new("bob", 2808844564, ip),
        vec![StreamConfig::audio(
            ip,
            3456,
            vec![Codec::pcmu(), Codec::g729()],
        )],
    );
    let offer = Sdp::parse(SMALL).unwrap().into_description();
    let mut g = c.benchmark_group("sdp/answer");
    g.throughput(Throughput::Elements(1));
    // The engine is reused: every iteration is a complete offer/answer exchange from the
    // stable state (set_remote_offer + create_answer), as for a re-INVITE.
    let mut e = bob.clone();
    g.bench_function("small", |b| {
        b.iter(|| {
            e.set_remote_offer(black_box(&offer)).unwrap();
            black_box(e.create_answer().unwrap().media.len())
        })
    });
    let mut buf = Vec::with_capacity(1024);
    g.bench_function("small-parse-answer-serialize", |b| {
        b.iter(|| {
            e.set_remote_offer(&Sdp::parse(black_box(SMALL)).unwrap())
                .unwrap();
            buf.clear();
            e.create_answer().unwrap().write_to(&mut buf);
            black_box(buf.len())
        })
    });
    g.finish();
}

criterion_group!(benches, parse, serialize, answer);
criterion_main!(benches);
