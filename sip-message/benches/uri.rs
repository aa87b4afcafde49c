#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! URI and name-addr parsing speed.
//!
//! `cargo bench -p sip-message --bench uri -- --warm-up-time 1 --measurement-time 3`

use bytes::Bytes;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use sip_message::{Contact, From, NameAddr, Route, TypedHeader, Uri};

/// Request-URIs and header URIs as they appear in real traffic.
const URIS: &[&str] = &[
    "sip:bob@biloxi.com",
    "sip:alice@atlanta.com;transport=tcp",
    "sip:+12125551212@gateway.example.com;user=phone",
    "sips:alice:secret@[2001:db8::10]:5061;transport=tls;lr?subject=project%20x&priority=urgent",
    "sip:p1.example.com;lr",
    "sip:192.0.2.4:5060;transport=udp;maddr=239.255.255.1;ttl=15",
    "tel:+1-201-555-0123;ext=1234",
    "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
];

const FROM: &str = "\"Alice Liddell\" <sip:alice@atlanta.com>;tag=1928301774";
const CONTACT: &str =
    "<sip:alice@pc33.atlanta.com:5060;transport=tcp;ob>;expires=3600;q=0.7;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\"";
const ROUTE: &str = "<sip:p2.example.com;lr>";

fn bench(c: &mut Criterion) {
    let uris: Vec<Bytes> = URIS
        .iter()
        .map(|u| Bytes::from_static(u.as_bytes()))
        .collect();
    let bytes: usize = URIS.iter().map(|u| u.len()).sum();

    let mut group = c.benchmark_group("uri");
    group.throughput(Throughput::Elements(uris.len() as u64));
    group.bench_function("parse_8_uris", |b| {
        b.iter(|| {
            for u in &uris {
                black_box(Uri::parse(black_box(u)).unwrap());
            }
        })
    });
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("parse_8_uris_bytes", |b| {
        b.iter(|| {
            for u in &uris {
                black_box(Uri::parse(black_box(u)).unwrap());
            }
        })
    });
    let parsed: Vec<Uri> = uris.iter().map(|u| Uri::parse(u).unwrap()).collect();
    group.throughput(Throughput::Elements(parsed.len() as u64));
    group.bench_function("display_8_uris", |b| {
        b.iter(|| {
            for u in &parsed {
                black_box(u.to_string());
            }
        })
    });
    let a: Uri = "sip:%61lice@atlanta.com;transport=TCP;lr".parse().unwrap();
    let b2: Uri = "sip:alice@AtLanTa.CoM;Transport=tcp;lr".parse().unwrap();
    group.throughput(Throughput::Elements(1));
    group.bench_function("rfc_eq", |b| {
        b.iter(|| black_box(black_box(&a).rfc_eq(black_box(&b2))))
    });
    group.finish();

    let mut group = c.benchmark_group("name_addr");
    group.throughput(Throughput::Elements(1));
    let from = Bytes::from_static(FROM.as_bytes());
    group.bench_function("from", |b| {
        b.iter(|| black_box(From::parse(black_box(&from)).unwrap()))
    });
    group.bench_function("from_tag", |b| {
        b.iter(|| {
            let f = From::parse(black_box(&from)).unwrap();
            black_box(f.tag().map(str::len))
        })
    });
    let contact = Bytes::from_static(CONTACT.as_bytes());
    group.bench_function("contact", |b| {
        b.iter(|| black_box(Contact::parse(black_box(&contact)).unwrap()))
    });
    let route = Bytes::from_static(ROUTE.as_bytes());
    group.bench_function("route", |b| {
        b.iter(|| black_box(Route::parse(black_box(&route)).unwrap()))
    });
    let addr_spec = Bytes::from_static(b"sip:bob@biloxi.com;tag=a6c85cf");
    group.bench_function("addr_spec", |b| {
        b.iter(|| black_box(NameAddr::parse(black_box(&addr_spec)).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
