#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

//! Wire data made to hurt: nothing here may panic, hang or grow memory without bound.

mod common;

use bytes::{Bytes, BytesMut};
use sip_message::{
    header::typed::{CSeq, CallId, Via},
    Error, Frame, HeaderName, Limit, Limits, Message, Method, ParserConfig, Quirks, RequestBuilder,
    StreamFramer,
};

fn exercise(m: &Message) {
    for f in m.headers() {
        let _ = f.values().count();
        let _ = f.canonical_name();
    }
    let _ = m.typed_all::<Via>().count();
    let _ = (
        m.typed::<CSeq>(),
        m.typed::<CallId>(),
        m.from_tag(),
        m.to_tag(),
    );
    let _ = sip_message::validate::check_request(m, &Default::default());
}

fn all_configs() -> Vec<ParserConfig> {
    let mut lenient = ParserConfig::default();
    lenient.quirks(Quirks::all());
    vec![ParserConfig::default(), lenient]
}

#[test]
fn every_prefix_and_single_byte_change_of_the_corpus() {
    for (name, bytes) in common::corpus("valid") {
        for cfg in all_configs() {
            for cut in 0..bytes.len() {
                let prefix = bytes.slice(..cut);
                if let Ok(m) = cfg.parse_datagram(prefix.clone()) {
                    exercise(&m);
                }
                // A prefix of a stream message is never complete (keep-alives aside).
                if let Ok(Frame::Complete(n)) = cfg.frame(&prefix) {
                    assert!(n <= cut, "{name}");
                }
            }
            for at in (0..bytes.len()).step_by(3) {
                for b in [0u8, b'\r', b'\n', b',', b'"', b'<', b';', 0xff] {
                    let mut v = bytes.to_vec();
                    v[at] = b;
                    if let Ok(m) = cfg.parse_datagram(Bytes::from(v)) {
                        exercise(&m);
                    }
                }
            }
        }
    }
}

#[test]
fn oversized_inputs_hit_limits() {
    let cfg = ParserConfig::default();
    let many = format!("OPTIONS sip:a@b SIP/2.0\r\n{}\r\n", "X: y\r\n".repeat(300));
    assert!(matches!(
        cfg.parse_datagram(Bytes::from(many)),
        Err(Error::Limit {
            limit: Limit::HeaderCount,
            ..
        })
    ));
    let long = format!(
        "OPTIONS sip:a@b SIP/2.0\r\nX: {}\r\n\r\n",
        "y".repeat(10_000)
    );
    assert!(matches!(
        cfg.parse_datagram(Bytes::from(long)),
        Err(Error::Limit {
            limit: Limit::HeaderLineLength,
            ..
        })
    ));
    let huge = vec![b'a'; 70_000];
    assert!(matches!(
        cfg.parse_datagram(Bytes::from(huge.clone())),
        Err(Error::Limit {
            limit: Limit::MessageSize,
            ..
        })
    ));
    // A stream that never ends its header section stops at the size limit.
    let mut framer = StreamFramer::default();
    let mut buf = BytesMut::from(&b"OPTIONS sip:a@b SIP/2.0\r\n"[..]);
    let mut failed = false;
    for _ in 0..20_000 {
        buf.extend_from_slice(b"X: y\r\n");
        if framer.decode(&mut buf).is_err() {
            failed = true;
            break;
        }
    }
    assert!(failed);
    // A huge Content-Length on a stream is refused at once, not waited for.
    let e = cfg
        .frame(b"OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 999999999\r\n\r\n")
        .unwrap_err();
    assert!(matches!(
        e,
        Error::Limit {
            limit: Limit::MessageSize,
            ..
        }
    ));
    // Endless keep-alives are consumed, not accumulated.
    let mut buf = BytesMut::from(&b"\r\n".repeat(10_000)[..]);
    while framer.decode(&mut buf).unwrap().is_some() {}
    assert!(buf.is_empty());
}

/// Header fields must end within 65,535 bytes of the message start, whatever the limits
/// allow: the parser, the builders and the changing methods all refuse more with an error.
#[test]
fn header_fields_beyond_64_kib_are_refused() {
    let mut limits = Limits::default();
    limits
        .max_message_size(1 << 20)
        .max_header_line(1 << 20)
        .max_headers(20_000);
    let cfg = ParserConfig::with_limits(limits);
    let head = "OPTIONS sip:a@b SIP/2.0\r\n";
    // One long field, and many short ones, each just past the bound and just within it.
    let fits = 65_535 - head.len() - "X: \r\n".len() + 2;
    for (value_len, ok) in [(fits, true), (fits + 1, false)] {
        let text = format!("{head}X: {}\r\n\r\n", "y".repeat(value_len));
        let parsed = cfg.parse_datagram(Bytes::from(text));
        assert_eq!(parsed.is_ok(), ok, "{value_len}");
        if !ok {
            assert!(matches!(
                parsed,
                Err(Error::Limit {
                    limit: Limit::HeaderSection,
                    ..
                })
            ));
        }
    }
    let many = format!("{head}{}\r\n", "X: y\r\n".repeat(11_000));
    assert!(matches!(
        cfg.parse_datagram(Bytes::from(many)),
        Err(Error::Limit {
            limit: Limit::HeaderSection,
            ..
        })
    ));
    // A body may be as large as the limits allow: only the fields are bounded.
    let body = "b".repeat(100_000);
    let big_body = format!("{head}Content-Length: {}\r\n\r\n{body}", body.len());
    assert_eq!(
        cfg.parse_datagram(Bytes::from(big_body))
            .unwrap()
            .body()
            .len(),
        100_000
    );

    let long = "v".repeat(70_000);
    assert!(RequestBuilder::new(&Method::Options, "sip:a@b")
        .header(&HeaderName::Subject, &long)
        .build()
        .is_err());
    let mut msg = RequestBuilder::new(&Method::Options, "sip:a@b")
        .header(&HeaderName::Subject, "short")
        .build()
        .unwrap();
    let before = msg.to_bytes();
    assert!(msg.push_header(&HeaderName::Subject, &long).is_err());
    // A refused change leaves the message as it was.
    assert_eq!(msg.to_bytes(), before);
    assert_eq!(msg.get(&HeaderName::Subject), Some(&b"short"[..]));
}

#[test]
fn pathological_values() {
    let cases: Vec<Vec<u8>> = vec![
        b"OPTIONS sip:a@b SIP/2.0\r\nVia: \"unclosed, SIP/2.0/UDP a\r\n\r\n".to_vec(),
        b"OPTIONS sip:a@b SIP/2.0\r\nVia: <unclosed, SIP/2.0/UDP a\r\n\r\n".to_vec(),
        b"OPTIONS sip:a@b SIP/2.0\r\nVia: \"\\\r\n\r\n".to_vec(),
        b"OPTIONS sip:a@b SIP/2.0\r\nFrom: ;;;;tag;tag=;=tag\r\nTo: <<<>>>;tag=\"x\"\r\n\r\n"
            .to_vec(),
        format!(
            "OPTIONS sip:a@b SIP/2.0\r\nVia: {}\r\n\r\n",
            ",".repeat(5000)
        )
        .into_bytes(),
        format!(
            "OPTIONS sip:a@b SIP/2.0\r\nFrom: {}\r\n\r\n",
            "\"".repeat(5000)
        )
        .into_bytes(),
        format!(
            "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h{}\r\n\r\n",
            ";a".repeat(3000)
        )
        .into_bytes(),
        b"OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 00000000001\r\n\r\nx".to_vec(),
        b"SIP/2.0 200 \xff\xfe\r\n\r\n".to_vec(),
        b"\xef\xbb\xbfOPTIONS sip:a@b SIP/2.0\r\n\r\n".to_vec(),
    ];
    for case in cases {
        for cfg in all_configs() {
            if let Ok(m) = cfg.parse_datagram(Bytes::from(case.clone())) {
                exercise(&m);
            }
            let _ = cfg.frame(&case);
        }
    }
    // The list limit applies to every list, whatever its content.
    let commas = format!(
        "OPTIONS sip:a@b SIP/2.0\r\nVia: {}\r\n\r\n",
        ",".repeat(5000)
    );
    let m = Message::parse(Bytes::from(commas)).unwrap();
    let got: Vec<_> = m.typed_all::<Via>().collect();
    assert_eq!(got.len(), 129);
    assert!(matches!(
        got.last(),
        Some(Err(Error::Limit {
            limit: Limit::ListValues,
            ..
        }))
    ));
}
