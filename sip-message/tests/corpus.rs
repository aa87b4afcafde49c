#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use sip_message::{
    header::typed::{CSeq, CallId, Via},
    Error, HeaderName, Message, ParserConfig, Quirks, StreamFramer, StreamItem,
};

#[test]
fn every_valid_message_parses_and_reserializes_byte_for_byte() {
    let corpus = common::corpus("valid");
    assert!(corpus.len() >= 8);
    for (name, bytes) in corpus {
        let msg = Message::parse(bytes.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(msg.to_bytes(), bytes, "{name}");
        let mut out = Vec::new();
        msg.write_to(&mut out);
        assert_eq!(out, bytes, "{name}");
        for via in msg.typed_all::<Via>() {
            via.unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        msg.typed::<CSeq>()
            .unwrap()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        msg.typed::<CallId>()
            .unwrap()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(msg.from_tag().is_some(), "{name}");
    }
}

#[test]
fn every_invalid_message_fails_with_an_offset_or_reason() {
    for (name, bytes) in common::corpus("invalid") {
        let err = Message::parse(bytes.clone()).expect_err(&name);
        assert!(!err.to_string().is_empty());
        if let Some(off) = err.offset() {
            assert!(off <= bytes.len(), "{name}: {err}");
        }
    }
}

#[test]
fn invalid_messages_fail_for_the_expected_reason() {
    let corpus = common::corpus("invalid");
    let get = |n: &str| {
        let (_, b) = corpus.iter().find(|(f, _)| f == n).unwrap();
        Message::parse(b.clone()).unwrap_err()
    };
    assert!(matches!(
        get("bad-version.sip"),
        Error::Version { offset: 16 }
    ));
    assert!(matches!(
        get("body-too-short.sip"),
        Error::BodyTooShort {
            declared: 10,
            available: 5
        }
    ));
    assert!(matches!(
        get("conflicting-length.sip"),
        Error::Conflicting { .. }
    ));
    assert!(matches!(
        get("bad-length.sip"),
        Error::Header {
            name: "Content-Length",
            ..
        }
    ));
    assert!(matches!(
        get("no-empty-line.sip"),
        Error::UnexpectedEnd { .. }
    ));
    assert!(matches!(
        get("lf-only.sip"),
        Error::Syntax {
            offset: 23,
            expected: "CRLF"
        }
    ));
    assert!(matches!(
        get("nul-in-value.sip"),
        Error::Syntax { offset: 35, .. }
    ));
    assert!(matches!(
        get("space-in-uri.sip"),
        Error::Syntax {
            offset: 14,
            expected: "SIP-Version"
        }
    ));
    assert!(matches!(
        get("status-700.sip"),
        Error::Syntax { offset: 8, .. }
    ));
}

#[test]
fn lenient_quirks_accept_what_strict_refuses_and_count_it() {
    let corpus = common::corpus("invalid");
    let get = |n: &str| corpus.iter().find(|(f, _)| f == n).unwrap().1.clone();
    let mut cfg = ParserConfig::default();
    cfg.quirks(Quirks::all());
    for name in [
        "lf-only.sip",
        "double-space.sip",
        "missing-reason-space.sip",
        "body-too-short.sip",
    ] {
        cfg.parse_datagram(get(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let fired: u64 = cfg.quirk_counts().map(|(_, n)| n).sum();
    assert_eq!(fired, 4);
    for name in ["nul-in-value.sip", "bad-version.sip", "space-in-uri.sip"] {
        assert!(cfg.parse_datagram(get(name)).is_err(), "{name}");
    }
}

#[test]
fn stream_of_the_whole_valid_corpus_in_every_chunking() {
    let corpus = common::corpus("valid");
    let mut stream = Vec::new();
    let mut expected = Vec::new();
    for (name, bytes) in &corpus {
        let msg = Message::parse(bytes.clone()).unwrap();
        if !msg.contains(&HeaderName::ContentLength) {
            continue; // not valid on a stream
        }
        stream.extend_from_slice(b"\r\n\r\n");
        stream.extend_from_slice(bytes);
        expected.push(name.clone());
    }
    for chunk in [1, 2, 3, 7, 64, 1000, stream.len()] {
        let mut framer = StreamFramer::default();
        let mut buf = bytes::BytesMut::new();
        let mut got = Vec::new();
        let mut keepalives = 0;
        for piece in stream.chunks(chunk) {
            buf.extend_from_slice(piece);
            while let Some(item) = framer.decode(&mut buf).unwrap() {
                match item {
                    StreamItem::KeepAlive { len } => keepalives += len,
                    StreamItem::Message(m) => got.push(m.to_bytes()),
                }
            }
        }
        assert!(buf.is_empty());
        assert_eq!(got.len(), expected.len(), "chunk {chunk}");
        assert_eq!(keepalives, 4 * expected.len(), "chunk {chunk}");
        for (g, name) in got.iter().zip(&expected) {
            let (_, want) = corpus.iter().find(|(n, _)| n == name).unwrap();
            assert_eq!(g, want);
        }
    }
}
