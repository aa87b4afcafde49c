#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use bytes::Bytes;
use common::crlf;
use sip_message::{
    header::typed::{CSeq, CallId, ContentLength, MaxForwards, Via},
    Error, HeaderName, Host, Limit, Limits, Message, Method, ParserConfig, Request, RequestBuilder,
    Response, ResponseBuilder, StatusCode,
};

fn folded() -> Message {
    let corpus = common::corpus("valid");
    let (_, b) = corpus
        .iter()
        .find(|(n, _)| n == "folding-and-lists.sip")
        .unwrap();
    Message::parse(b.clone()).unwrap()
}

fn text(v: &[u8]) -> &str {
    std::str::from_utf8(v).unwrap()
}

#[test]
fn compact_forms_resolve_to_their_long_names() {
    let corpus = common::corpus("valid");
    let (_, b) = corpus
        .iter()
        .find(|(n, _)| n == "compact-forms.sip")
        .unwrap();
    let msg = Message::parse(b.clone()).unwrap();
    let names: Vec<&str> = msg.headers().map(|f| f.canonical_name()).collect();
    assert_eq!(
        names,
        [
            "Via",
            "Call-ID",
            "From",
            "To",
            "Contact",
            "Supported",
            "Content-Encoding",
            "Subject",
            "Event",
            "Allow-Events",
            "Refer-To",
            "Referred-By",
            "Session-Expires",
            "Identity",
            "Identity-Info",
            "Accept-Contact",
            "Reject-Contact",
            "Request-Disposition",
            "CSeq",
            "Content-Type",
            "Content-Length"
        ]
    );
    assert_eq!(msg.get(&HeaderName::CallId), Some(&b"compact@pc33"[..]));
    assert_eq!(
        msg.typed::<ContentLength>().unwrap().unwrap(),
        ContentLength(2)
    );
    assert_eq!(&msg.body()[..], b"hi");
    assert_eq!(msg.from_tag(), Some("c1"));
}

#[test]
fn folding_lists_and_quoted_strings() {
    let msg = folded();
    let vias: Vec<Via> = msg.typed_all::<Via>().map(Result::unwrap).collect();
    assert_eq!(vias.len(), 3);
    assert_eq!(vias[1].branch(), Some("z9hG4bKf2"));
    assert_eq!(vias[2].host, "[2001:db8::10]".parse::<Host>().unwrap());
    assert_eq!(vias[2].received, Some("2001:db8::11".parse().unwrap()));
    assert_eq!(
        msg.typed::<Via>().unwrap().unwrap().branch(),
        Some("z9hG4bKf1")
    );
    let subject = msg.get(&HeaderName::Subject).unwrap();
    assert_eq!(text(subject), "a folded\r\n\tsubject line");
    let supported: Vec<&str> = msg.get_all(&HeaderName::Supported).map(text).collect();
    assert_eq!(supported, ["timer", "100rel", "replaces"]);
    // Not a list header: commas do not split.
    let custom = HeaderName::from_bytes(b"x-custom-header");
    assert_eq!(msg.get_all(&custom).count(), 1);
    assert_eq!(msg.from_tag(), Some("q1"));
    assert_eq!(msg.get_all(&HeaderName::From).count(), 1);
    assert_eq!(msg.headers().len(), 10);
}

#[test]
fn utf8_reason_and_display_names() {
    let corpus = common::corpus("valid");
    let (_, b) = corpus
        .iter()
        .find(|(n, _)| n == "response-utf8.sip")
        .unwrap();
    let msg = Message::parse(b.clone()).unwrap();
    assert_eq!(msg.status(), Some(StatusCode::BUSY_HERE));
    assert_eq!(msg.reason(), Some("Besetzt – später wieder"));
    assert!(msg.method().is_none() && msg.uri().is_none());
    let from = msg.headers().find(|f| f.name() == "From").unwrap();
    assert_eq!(
        from.value_str(),
        Some("\"Jürgen\" <sip:j@atlanta.com>;tag=1")
    );
    let resp = Response::try_from(msg).unwrap();
    assert_eq!(resp.status().as_u16(), 486);
}

#[test]
fn extension_methods_and_tel_uris() {
    let corpus = common::corpus("valid");
    let (_, b) = corpus
        .iter()
        .find(|(n, _)| n == "extension-method.sip")
        .unwrap();
    let msg = Message::parse(b.clone()).unwrap();
    assert_eq!(msg.method().unwrap().as_str(), "FOO.bar-Baz!");
    assert_eq!(
        msg.typed::<CSeq>().unwrap().unwrap().method,
        msg.method().unwrap()
    );
    let (_, b) = corpus
        .iter()
        .find(|(n, _)| n == "tel-and-empty.sip")
        .unwrap();
    let msg = Message::parse(b.clone()).unwrap();
    assert_eq!(
        msg.uri(),
        Some("tel:+1-201-555-0123;phone-context=example.com")
    );
    assert_eq!(msg.get(&HeaderName::Subject), Some(&b""[..]));
    assert_eq!(msg.get_all(&HeaderName::Supported).count(), 0);
    assert!(msg.contains(&HeaderName::Supported));
}

#[test]
fn datagram_content_length_rules() {
    // Absent: the body is the rest.
    let m = Message::parse(crlf("MESSAGE sip:a@b SIP/2.0\n\nabc")).unwrap();
    assert_eq!(&m.body()[..], b"abc");
    // Smaller: truncates (§18.3), and serializing drops the excess.
    let m = Message::parse(crlf("MESSAGE sip:a@b SIP/2.0\nContent-Length: 2\n\nabc")).unwrap();
    assert_eq!(&m.body()[..], b"ab");
    assert_eq!(
        &m.to_bytes()[..],
        b"MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 2\r\n\r\nab"
    );
    // Larger: an error.
    let e = Message::parse(crlf("MESSAGE sip:a@b SIP/2.0\nl: 4\n\nabc")).unwrap_err();
    assert_eq!(
        e,
        Error::BodyTooShort {
            declared: 4,
            available: 3
        }
    );
    // Same value twice is fine; different values conflict.
    assert!(Message::parse(crlf(
        "MESSAGE sip:a@b SIP/2.0\nl: 1\nContent-Length: 1\n\na"
    ))
    .is_ok());
}

#[test]
fn sip_version_checks() {
    assert!(Message::parse(crlf("OPTIONS sip:a@b sip/2.0\n\n")).is_ok());
    assert!(matches!(
        Message::parse(crlf("OPTIONS sip:a@b SIP/2.1\n\n")),
        Err(Error::Version { .. })
    ));
    assert!(matches!(
        Message::parse(crlf("SIP/3.0 200 OK\n\n")),
        Err(Error::Version { offset: 0 })
    ));
    assert!(matches!(
        Message::parse(crlf("OPTIONS sip:a@b SIP/2\n\n")),
        Err(Error::Syntax { .. })
    ));
    assert!(matches!(
        Message::parse(crlf("OPTIONS sip:a@b HTTP/1.1\n\n")),
        Err(Error::Syntax { .. })
    ));
}

#[test]
fn limits_stop_the_parser() {
    let mut limits = Limits::default();
    limits
        .max_headers(2)
        .max_header_line(40)
        .max_start_line(30)
        .max_message_size(200);
    let cfg = ParserConfig::with_limits(limits);
    let three = crlf("OPTIONS sip:a@b SIP/2.0\na: 1\nb: 2\nc: 3\n\n");
    assert!(matches!(
        cfg.parse_datagram(three),
        Err(Error::Limit {
            limit: Limit::HeaderCount,
            ..
        })
    ));
    let long = crlf(&format!(
        "OPTIONS sip:a@b SIP/2.0\nSubject: {}\n\n",
        "x".repeat(50)
    ));
    assert!(matches!(
        cfg.parse_datagram(long),
        Err(Error::Limit {
            limit: Limit::HeaderLineLength,
            ..
        })
    ));
    let folded = crlf(&format!(
        "OPTIONS sip:a@b SIP/2.0\nSubject: {0}\n {0}\n\n",
        "x".repeat(20)
    ));
    assert!(matches!(
        cfg.parse_datagram(folded),
        Err(Error::Limit {
            limit: Limit::HeaderLineLength,
            ..
        })
    ));
    let start = crlf(&format!("OPTIONS sip:{}@b SIP/2.0\n\n", "x".repeat(30)));
    assert!(matches!(
        cfg.parse_datagram(start),
        Err(Error::Limit {
            limit: Limit::StartLineLength,
            ..
        })
    ));
    let big = crlf(&format!("OPTIONS sip:a@b SIP/2.0\n\n{}", "x".repeat(300)));
    assert!(matches!(
        cfg.parse_datagram(big),
        Err(Error::Limit {
            limit: Limit::MessageSize,
            ..
        })
    ));
    let mut limits = Limits::default();
    limits.max_list_values(2);
    let cfg = ParserConfig::with_limits(limits);
    let m = cfg
        .parse_datagram(crlf(
            "OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP a, SIP/2.0/UDP b, SIP/2.0/UDP c\n\n",
        ))
        .unwrap();
    let vias: Vec<_> = m.typed_all::<Via>().collect();
    assert_eq!(vias.len(), 3);
    assert!(matches!(
        vias[2],
        Err(Error::Limit {
            limit: Limit::ListValues,
            ..
        })
    ));
}

fn invite() -> Request {
    let corpus = common::corpus("valid");
    let (_, b) = corpus.iter().find(|(n, _)| n == "invite-sdp.sip").unwrap();
    Request::try_from(Message::parse(b.clone()).unwrap()).unwrap()
}

#[test]
fn response_from_request_copies_what_8_2_6_says() {
    let req = invite();
    let resp = req
        .response(StatusCode::RINGING, Some("a6c85cf"))
        .unwrap()
        .header(&HeaderName::Contact, "<sip:bob@192.0.2.4>")
        .build()
        .unwrap();
    assert_eq!(
        &resp.to_bytes()[..],
        &crlf(
            "SIP/2.0 180 Ringing\nVia: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\n\
             From: Alice <sip:alice@atlanta.com>;tag=1928301774\nTo: Bob <sip:bob@biloxi.com>;tag=a6c85cf\n\
             Call-ID: a84b4c76e66710@pc33.atlanta.com\nCSeq: 314159 INVITE\nContact: <sip:bob@192.0.2.4>\n\
             Content-Length: 0\n\n"
        )[..]
    );
    // A tag is needed for anything but 100.
    assert!(matches!(
        req.response(StatusCode::OK, None),
        Err(Error::InvalidInput { .. })
    ));
    // 100 Trying: no tag, Timestamp copied.
    let mut with_ts = req.clone();
    with_ts
        .push_header(&HeaderName::Timestamp, "54.2 0.1")
        .unwrap();
    let trying = Request::try_from(Message::from(with_ts)).unwrap();
    let t = trying
        .response(StatusCode::TRYING, Some("x"))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(t.to_tag(), None);
    assert_eq!(t.get(&HeaderName::Timestamp), Some(&b"54.2 0.1"[..]));
    let ok = trying
        .response(StatusCode::OK, Some("x"))
        .unwrap()
        .build()
        .unwrap();
    assert!(!ok.contains(&HeaderName::Timestamp));
    // A To that has a tag is copied as it is; every Via is copied in order.
    let folded = Request::try_from(folded()).unwrap();
    let mut r = folded
        .response(StatusCode::OK, Some("n"))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(r.to_tag(), Some("n"));
    let branches: Vec<_> = r
        .typed_all::<Via>()
        .map(|v| v.unwrap().branch.unwrap())
        .collect();
    assert_eq!(branches, ["z9hG4bKf1", "z9hG4bKf2", "z9hG4bKf3"]);
    // A proxy strips its Via off the response.
    assert!(r.remove_first_value(&HeaderName::Via));
    let branches: Vec<_> = r
        .typed_all::<Via>()
        .map(|v| v.unwrap().branch.unwrap())
        .collect();
    assert_eq!(branches, ["z9hG4bKf2", "z9hG4bKf3"]);
    let missing =
        Request::try_from(Message::parse(crlf("OPTIONS sip:a@b SIP/2.0\n\n")).unwrap()).unwrap();
    assert_eq!(
        missing.response(StatusCode::OK, Some("t")).unwrap_err(),
        Error::MissingHeader { name: "Via" }
    );
}

#[test]
fn changing_headers_keeps_the_order_of_the_others() {
    let mut m: Message = invite().into();
    let before: Vec<String> = m.headers().map(|f| f.name().to_owned()).collect();
    m.prepend_typed(
        &Via::new("TCP", "proxy.example".parse().unwrap(), Some(5060)).with_branch("z9hG4bKp"),
    )
    .unwrap();
    m.replace_typed(&MaxForwards(69)).unwrap();
    m.push_header(&HeaderName::from_bytes(b"X-Trace"), "1")
        .unwrap();
    m.prepend_header(&HeaderName::RecordRoute, "<sip:proxy.example;lr>")
        .unwrap();
    let names: Vec<String> = m.headers().map(|f| f.name().to_owned()).collect();
    let mut expected = vec!["Record-Route".to_owned(), "Via".to_owned()];
    expected.extend(before.iter().cloned());
    expected.push("X-Trace".into());
    assert_eq!(names, expected);
    assert_eq!(m.typed::<MaxForwards>().unwrap().unwrap(), MaxForwards(69));
    assert_eq!(
        m.typed::<Via>().unwrap().unwrap().branch(),
        Some("z9hG4bKp")
    );
    assert_eq!(m.remove_header(&HeaderName::Contact), 1);
    assert_eq!(m.remove_header(&HeaderName::Contact), 0);
    // Body and Content-Length stay consistent.
    m.set_body(Bytes::from_static(b"new body"));
    assert_eq!(
        m.typed::<ContentLength>().unwrap().unwrap(),
        ContentLength(8)
    );
    let again = Message::parse(m.to_bytes()).unwrap();
    assert_eq!(again, m);
    assert_eq!(&again.body()[..], b"new body");
    m.set_uri("sip:bob@192.0.2.4").unwrap();
    assert_eq!(m.uri(), Some("sip:bob@192.0.2.4"));
    assert!(m
        .push_header(&HeaderName::Subject, "a\r\nInjected: 1")
        .is_err());
    assert!(m.set_uri("sip:a b").is_err());
}

#[test]
fn builders_write_canonical_messages() {
    let req = RequestBuilder::new(&Method::Register, "sip:registrar.biloxi.com")
        .typed(
            &Via::new("UDP", "192.0.2.4".parse().unwrap(), Some(5060))
                .with_branch("z9hG4bKr")
                .with_rport(),
        )
        .typed(&MaxForwards::DEFAULT)
        .header(&HeaderName::To, "Bob <sip:bob@biloxi.com>")
        .header(&HeaderName::From, "Bob <sip:bob@biloxi.com>;tag=456248")
        .typed(&CallId::new("843817637684230@998sdasdh09"))
        .typed(&CSeq::new(1826, Method::Register))
        .header(&HeaderName::ContentLength, "99")
        .build()
        .unwrap();
    assert_eq!(
        &req.to_bytes()[..],
        &crlf(
            "REGISTER sip:registrar.biloxi.com SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKr;rport\n\
             Max-Forwards: 70\nTo: Bob <sip:bob@biloxi.com>\nFrom: Bob <sip:bob@biloxi.com>;tag=456248\n\
             Call-ID: 843817637684230@998sdasdh09\nCSeq: 1826 REGISTER\nContent-Length: 0\n\n"
        )[..]
    );
    assert_eq!(req.method(), Method::Register);
    let resp = ResponseBuilder::new(StatusCode::from_u16(599).unwrap())
        .reason("Custom")
        .body(Bytes::from_static(b"x"))
        .build()
        .unwrap();
    assert_eq!(
        &resp.to_bytes()[..],
        b"SIP/2.0 599 Custom\r\nContent-Length: 1\r\n\r\nx"
    );
    assert!(RequestBuilder::new(&Method::Invite, "sip:a b")
        .build()
        .is_err());
    assert!(ResponseBuilder::new(StatusCode::OK)
        .reason("a\nb")
        .build()
        .is_err());
    assert!(RequestBuilder::new(&Method::Invite, "sip:a")
        .header(&HeaderName::from_bytes(b"Bad Name"), "x")
        .build()
        .is_err());
}

#[test]
fn frame_reports_lengths_without_consuming() {
    let cfg = ParserConfig::default();
    let msg = crlf("OPTIONS sip:a@b SIP/2.0\nContent-Length: 3\n\nabcNEXT");
    assert_eq!(
        cfg.frame(&msg).unwrap(),
        sip_message::Frame::Complete(msg.len() - 4)
    );
    assert_eq!(
        cfg.frame(&msg[..msg.len() - 6]).unwrap(),
        sip_message::Frame::Incomplete
    );
    assert_eq!(
        cfg.frame(b"\r\n\r\nOPT").unwrap(),
        sip_message::Frame::KeepAlive(4)
    );
    assert_eq!(cfg.frame(b"\r").unwrap(), sip_message::Frame::Incomplete);
    assert_eq!(cfg.frame(b"").unwrap(), sip_message::Frame::Incomplete);
    let no_len = crlf("OPTIONS sip:a@b SIP/2.0\n\n");
    assert_eq!(cfg.frame(&no_len).unwrap_err(), Error::MissingContentLength);
    assert!(cfg.parse_stream_message(no_len.clone()).is_err());
    let mut lenient = ParserConfig::default();
    lenient.quirks.missing_content_length_on_stream = true;
    assert_eq!(
        lenient.frame(&no_len).unwrap(),
        sip_message::Frame::Complete(no_len.len())
    );
    assert!(lenient.parse_stream_message(no_len).is_ok());
    assert_eq!(
        lenient.quirk_count(sip_message::Quirk::MissingContentLengthOnStream),
        1
    );
    // An endless header section hits the size limit instead of growing without bound.
    let mut limits = Limits::default();
    limits.max_message_size(100);
    let small = ParserConfig::with_limits(limits);
    let endless = format!("OPTIONS sip:a@b SIP/2.0\r\n{}", "X: y\r\n".repeat(30));
    assert!(matches!(
        small.frame(endless.as_bytes()),
        Err(Error::Limit { .. })
    ));
}

#[test]
fn trailing_comma_quirk() {
    let wire = crlf("OPTIONS sip:a@b SIP/2.0\nSupported: timer, 100rel,\nSubject: a,\n\n");
    let strict = Message::parse(wire.clone()).unwrap();
    assert_eq!(
        strict
            .get_all(&HeaderName::Supported)
            .map(text)
            .collect::<Vec<_>>(),
        ["timer", "100rel", ""]
    );
    let mut cfg = ParserConfig::default();
    cfg.quirks.trailing_comma_in_list = true;
    let m = cfg.parse_datagram(wire).unwrap();
    assert_eq!(
        m.get_all(&HeaderName::Supported)
            .map(text)
            .collect::<Vec<_>>(),
        ["timer", "100rel"]
    );
    assert_eq!(m.get(&HeaderName::Subject), Some(&b"a,"[..]));
    assert_eq!(cfg.quirk_count(sip_message::Quirk::TrailingCommaInList), 1);
}

#[test]
fn leading_crlf_in_datagram_quirk() {
    let wire = crlf("\nOPTIONS sip:a@b SIP/2.0\n\n");
    assert!(Message::parse(wire.clone()).is_err());
    let mut cfg = ParserConfig::default();
    cfg.quirks.leading_crlf_in_datagram = true;
    let m = cfg.parse_datagram(wire).unwrap();
    assert_eq!(&m.to_bytes()[..], b"OPTIONS sip:a@b SIP/2.0\r\n\r\n");
}

#[test]
fn stream_framer_is_incremental_and_fails_early() {
    // Garbage is reported on the first call, not after 64 KiB.
    let mut framer = sip_message::StreamFramer::default();
    let mut buf = bytes::BytesMut::from(&b"GARBAGE LINE\r\n"[..]);
    assert!(framer.decode(&mut buf).is_err());
    // Byte-by-byte feeding, LF-only quirk on: the message comes out once, whole.
    let mut cfg = ParserConfig::default();
    cfg.quirks.lf_line_endings = true;
    let mut framer = sip_message::StreamFramer::new(cfg);
    let wire = b"OPTIONS sip:a@b SIP/2.0\nContent-Length: 2\n\nhiOPTIONS sip:c@d SIP/2.0\nl: 0\n\n";
    let mut buf = bytes::BytesMut::new();
    let mut got = Vec::new();
    for b in wire {
        buf.extend_from_slice(&[*b]);
        while let Some(item) = framer.decode(&mut buf).unwrap() {
            if let sip_message::StreamItem::Message(m) = item {
                got.push(m.uri().unwrap().to_owned());
            }
        }
    }
    assert_eq!(got, ["sip:a@b", "sip:c@d"]);
    assert!(buf.is_empty());
    assert_eq!(
        framer
            .config()
            .quirk_count(sip_message::Quirk::LfLineEndings),
        2
    );
}
