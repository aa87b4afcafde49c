#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

//! `cargo bench -p sip-message -- --warm-up-time 1 --measurement-time 3`
//!
//! Throughput is in messages (criterion's "elements"): each iteration processes the whole
//! corpus once.

mod corpus;

use std::hint::black_box;

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sip_message::{CSeq, CallId, Message, Via};

/// The transaction key of the peer benchmark: top Via branch and sent-by, CSeq number and
/// method, Call-ID, From tag, To tag.
fn key(m: &Message) -> (Via, CSeq, CallId, Option<&str>, Option<&str>) {
    let via = m.typed::<Via>().unwrap().unwrap();
    let cseq = m.typed::<CSeq>().unwrap().unwrap();
    let call_id = m.typed::<CallId>().unwrap().unwrap();
    (via, cseq, call_id, m.from_tag(), m.to_tag())
}

fn bench_set(c: &mut Criterion, group: &str, msgs: &[Bytes]) {
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Elements(msgs.len() as u64));
    g.bench_function("index", |b| {
        b.iter(|| {
            for m in msgs {
                black_box(Message::parse(black_box(m.clone())).unwrap());
            }
        })
    });
    g.bench_function("parse+key", |b| {
        b.iter(|| {
            for m in msgs {
                let msg = Message::parse(black_box(m.clone())).unwrap();
                black_box(key(&msg));
            }
        })
    });
    g.bench_function("parse+key_parts", |b| {
        b.iter(|| {
            for m in msgs {
                let msg = Message::parse(black_box(m.clone())).unwrap();
                black_box(msg.key_parts().unwrap());
            }
        })
    });
    let parsed: Vec<Message> = msgs
        .iter()
        .map(|m| Message::parse(m.clone()).unwrap())
        .collect();
    let mut out = Vec::with_capacity(8192);
    g.bench_function("serialize", |b| {
        b.iter(|| {
            for m in &parsed {
                out.clear();
                m.write_to(&mut out);
                black_box(&out);
            }
        })
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    let corpus = corpus::peer_corpus();
    for case in &corpus {
        assert!(Message::parse(case.bytes.clone()).is_ok(), "{}", case.name);
    }
    let peer: Vec<Bytes> = corpus.iter().map(|c| c.bytes.clone()).collect();
    bench_set(c, "peer-corpus-9", &peer);
    let mut issue = peer.clone();
    issue.pop();
    issue.push(corpus::ten_via_ten_record_route().bytes);
    bench_set(c, "issue-corpus-9", &issue);
    let big = vec![corpus::ten_via_ten_record_route().bytes];
    bench_set(c, "10via-10rr", &big);
}

criterion_group!(group, benches);
criterion_main!(group);
