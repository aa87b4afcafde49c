#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Parsing and serializing the typed headers of the "headers" family.
//!
//! `cargo bench -p sip-message --bench typed_headers -- --warm-up-time 1 --measurement-time 3`

use bytes::Bytes;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use sip_message::header::*;
use sip_message::TypedHeader;

const AUTHORIZATION: &str = "Digest username=\"bob\", realm=\"biloxi.com\", \
    nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"sip:bob@biloxi.com\", qop=auth, \
    nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", \
    opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
const CHALLENGE: &str = "Digest realm=\"atlanta.com\", qop=\"auth,auth-int\", \
    nonce=\"84a4cc6f3082121f32b42a2187831a9e\", opaque=\"\", algorithm=SHA-256";

fn bench<T: TypedHeader>(c: &mut Criterion, name: &str, value: &'static str) {
    let bytes = Bytes::from_static(value.as_bytes());
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(value.len() as u64));
    group.bench_function("parse", |b| b.iter(|| T::parse(black_box(&bytes)).unwrap()));
    let parsed = T::parse(&bytes).unwrap();
    let mut out = String::with_capacity(256);
    group.bench_function("display", |b| {
        b.iter(|| {
            use std::fmt::Write;
            out.clear();
            write!(out, "{}", black_box(&parsed)).unwrap();
            out.len()
        })
    });
    group.finish();
}

fn typed(c: &mut Criterion) {
    bench::<Authorization>(c, "authorization", AUTHORIZATION);
    bench::<WwwAuthenticate>(c, "www_authenticate", CHALLENGE);
    bench::<ContentType>(c, "content_type", "application/sdp");
    bench::<Supported>(c, "supported", "100rel");
    bench::<Expires>(c, "expires", "3600");
    bench::<Date>(c, "date", "Sat, 13 Nov 2010 23:29:00 GMT");
    bench::<UserAgent>(c, "user_agent", "Softphone/1.2.3 (Linux x86_64) libsip/0.1");
    bench::<SubscriptionState>(c, "subscription_state", "active;expires=3600");
}

criterion_group!(benches, typed);
criterion_main!(benches);
