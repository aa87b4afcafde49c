#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Hostile input: nothing panics, buffers stay bounded, bad input closes or is refused.

use bytes::Bytes;
use proptest::prelude::*;
use sip_message::{Limits, Message, ParserConfig};
use sip_transaction::TransportKind;
use sip_transport::{
    stamp_received, CloseReason, NaptrRecord, Resolution, ResponseRoute, SipUri, SrvRecord,
    StreamEvent, StreamReceiver,
};

#[test]
fn endless_crlf_is_consumed_without_growth() {
    let mut rx = StreamReceiver::default();
    for _ in 0..10_000 {
        rx.handle_data(b"\r\n\r\n\r\n\r\n");
        while rx.poll_event().is_some() {}
        assert!(rx.buffered() < 16);
    }
}

#[test]
fn huge_content_length_closes_before_the_body_arrives() {
    let mut limits = Limits::default();
    limits.max_message_size(10_000);
    let mut rx = StreamReceiver::new(ParserConfig::with_limits(limits));
    rx.handle_data(b"OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 1000000\r\n\r\n");
    assert_eq!(
        rx.poll_event(),
        Some(StreamEvent::Close(CloseReason::TooLarge { limit: 10_000 }))
    );
}

#[test]
fn negative_and_garbage_content_length_close() {
    for cl in ["-1", "abc", "1 2", "99999999999999999999999"] {
        let mut rx = StreamReceiver::default();
        rx.handle_data(
            format!("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: {cl}\r\n\r\n").as_bytes(),
        );
        assert!(
            matches!(rx.poll_event(), Some(StreamEvent::Close(_))),
            "{cl}"
        );
    }
}

#[test]
fn hostile_vias_are_refused_or_handled() {
    let vias = [
        "SIP/2.0/UDP",
        "SIP/2.0/UDP [::1",
        "SIP/2.0/UDP h;rport=99999",
        "SIP/2.0/UDP h;received=not-an-ip",
        "garbage",
        "SIP/2.0/UDP h;maddr=",
    ];
    for v in vias {
        let m = Message::parse(Bytes::from(format!(
            "OPTIONS sip:a@b SIP/2.0\r\nVia: {v}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
        )));
        let Ok(mut m) = m else { continue };
        assert!(
            stamp_received(&mut m, "192.0.2.1:5060".parse().unwrap()).is_err(),
            "{v}"
        );
        assert!(
            ResponseRoute::for_response(&m, TransportKind::Udp).is_err(),
            "{v}"
        );
    }
}

#[test]
fn hostile_dns_answers_stay_bounded() {
    let mut r = Resolution::new(
        &SipUri::parse("sip:example.com").unwrap(),
        &[TransportKind::Udp],
    );
    r.poll_query();
    let naptr: Vec<NaptrRecord> = (0..10_000)
        .map(|i| NaptrRecord {
            order: 1,
            preference: 1,
            flags: "s".into(),
            service: "SIP+D2U".into(),
            replacement: format!("_sip._udp.h{i}.example"),
        })
        .collect();
    r.handle_naptr("example.com", naptr);
    let mut queries = 0;
    while let Some(q) = r.poll_query() {
        queries += 1;
        assert!(queries <= 32 + 32 * 32, "unbounded queries");
        match q {
            sip_transport::Query::Srv(name) => {
                let records = (0..10_000)
                    .map(|i| SrvRecord {
                        priority: 0,
                        weight: u16::MAX,
                        port: 1,
                        target: format!("t{i}.example"),
                    })
                    .collect();
                r.handle_srv(&name, records);
            }
            sip_transport::Query::Addresses(name) => {
                r.handle_addresses(
                    &name,
                    (0..10_000u32)
                        .map(|i| std::net::IpAddr::from(i.to_be_bytes()))
                        .collect(),
                );
            }
            sip_transport::Query::Naptr(_) => panic!("asked NAPTR twice"),
        }
    }
    let targets = r.targets(&mut rand::thread_rng());
    assert!(targets.as_slice().len() <= 32 * 32 * 32);
}

proptest! {
    #[test]
    fn random_bytes_never_panic_the_framer(chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 0..20)) {
        let mut limits = Limits::default();
        limits.max_message_size(2_000);
        let mut rx = StreamReceiver::new(ParserConfig::with_limits(limits));
        for c in &chunks {
            rx.handle_data(c);
            while rx.poll_event().is_some() {}
            prop_assert!(rx.buffered() <= 2_000 + 300);
        }
        let _ = rx.handle_eof();
    }

    #[test]
    fn random_uris_never_panic(s in "(sips?:)?[ -~]{0,60}") {
        if let Ok(uri) = SipUri::parse(&s) {
            let mut r = Resolution::new(&uri, &[TransportKind::Udp, TransportKind::Tcp, TransportKind::Tls]);
            while let Some(q) = r.poll_query() {
                match q {
                    sip_transport::Query::Naptr(n) => r.handle_naptr(&n, vec![]),
                    sip_transport::Query::Srv(n) => r.handle_srv(&n, vec![]),
                    sip_transport::Query::Addresses(n) => r.handle_addresses(&n, vec![]),
                }
            }
            let _ = r.targets(&mut rand::thread_rng());
        }
    }
}
