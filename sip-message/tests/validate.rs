#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::crlf;
use sip_message::validate::{
    check_proxy_request, check_request, check_response, status_for_error, Policy,
};
use sip_message::{Error, HeaderName, Limit, Message, Method, Request, StatusCode};

const GOOD: &str = "INVITE sip:bob@biloxi.com SIP/2.0\nVia: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776\n\
Max-Forwards: 70\nTo: <sip:bob@biloxi.com>\nFrom: <sip:alice@atlanta.com>;tag=1\nCall-ID: a84b\nCSeq: 1 INVITE\n";

fn msg(extra: &str) -> Message {
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!("{extra}\n")
    };
    Message::parse(crlf(&format!("{GOOD}{extra}\n"))).unwrap()
}

fn without(name: &str) -> Message {
    let text: String = GOOD
        .lines()
        .filter(|l| !l.starts_with(name))
        .map(|l| format!("{l}\n"))
        .collect();
    Message::parse(crlf(&format!("{text}\n"))).unwrap()
}

fn status(r: Result<(), sip_message::validate::Rejection>) -> u16 {
    r.map_or_else(|r| r.status.as_u16(), |()| 0)
}

#[test]
fn a_good_request_passes() {
    assert_eq!(status(check_request(&msg(""), &Policy::default())), 0);
    assert_eq!(status(check_proxy_request(&msg(""), &Policy::default())), 0);
}

#[test]
fn syntax_and_mandatory_fields_give_400() {
    for name in ["Via", "To", "From", "Call-ID", "CSeq"] {
        let r = check_request(&without(name), &Policy::default()).unwrap_err();
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{name}");
        assert!(r.header.is_some());
    }
    // Max-Forwards may be absent at a UAS.
    assert_eq!(
        status(check_request(&without("Max-Forwards"), &Policy::default())),
        0
    );
    let bad_cseq =
        Message::parse(crlf(&format!("{}\n", GOOD.replace("1 INVITE", "1 BYE")))).unwrap();
    let r = check_request(&bad_cseq, &Policy::default()).unwrap_err();
    assert_eq!((r.status.as_u16(), r.header), (400, Some(HeaderName::CSeq)));
    let twice = msg("Call-ID: other");
    assert_eq!(
        check_request(&twice, &Policy::default())
            .unwrap_err()
            .header,
        Some(HeaderName::CallId)
    );
    let mf = Message::parse(crlf(&format!(
        "{}\n",
        GOOD.replace("Max-Forwards: 70", "Max-Forwards: seventy")
    )))
    .unwrap();
    assert_eq!(status(check_request(&mf, &Policy::default())), 400);
    let via = Message::parse(crlf(&format!(
        "{}\n",
        GOOD.replace("SIP/2.0/UDP pc33", "SIP/2.0 pc33")
    )))
    .unwrap();
    assert_eq!(status(check_request(&via, &Policy::default())), 400);
}

#[test]
fn method_scheme_require_and_body_checks() {
    let policy = Policy {
        methods: Some(vec![Method::Options]),
        ..Policy::default()
    };
    let r = check_request(&msg(""), &policy).unwrap_err();
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        r.answer_headers,
        [(HeaderName::Allow, "OPTIONS".to_owned())]
    );

    let mailto = Message::parse(crlf(&format!(
        "{}\n",
        GOOD.replace("INVITE sip:", "INVITE mailto:")
    )))
    .unwrap();
    assert_eq!(status(check_request(&mailto, &Policy::default())), 416);
    assert_eq!(
        status(check_proxy_request(&mailto, &Policy::default())),
        416
    );

    let req = msg("Require: 100rel, foo\nProxy-Require: bar");
    let r = check_request(&req, &Policy::default()).unwrap_err();
    assert_eq!(r.status, StatusCode::BAD_EXTENSION);
    assert_eq!(
        r.answer_headers,
        [(HeaderName::Unsupported, "100rel, foo".to_owned())]
    );
    let policy = Policy {
        extensions: vec!["100rel".into(), "foo".into()],
        ..Policy::default()
    };
    assert_eq!(status(check_request(&req, &policy)), 0);
    let r = check_proxy_request(&req, &policy).unwrap_err();
    assert_eq!(
        r.answer_headers,
        [(HeaderName::Unsupported, "bar".to_owned())]
    );
    // The answer carries Unsupported.
    let request = Request::try_from(req).unwrap();
    let resp = r.response(&request, Some("t1")).unwrap().build().unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_EXTENSION);
    assert_eq!(resp.get(&HeaderName::Unsupported), Some(&b"bar"[..]));

    let policy = Policy {
        content_types: Some(vec!["application/sdp".into()]),
        ..Policy::default()
    };
    let text_body = Message::parse(crlf(&format!(
        "{GOOD}Content-Type: text/plain\nContent-Length: 2\n\nhi"
    )))
    .unwrap();
    let r = check_request(&text_body, &policy).unwrap_err();
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.answer_headers[0].0, HeaderName::Accept);
    let sdp = Message::parse(crlf(&format!(
        "{GOOD}Content-Type: Application/SDP ; x=1\nContent-Length: 2\n\nhi"
    )))
    .unwrap();
    assert_eq!(status(check_request(&sdp, &policy)), 0);
}

#[test]
fn proxy_max_forwards_zero_gives_483() {
    let zero = Message::parse(crlf(&format!(
        "{}\n",
        GOOD.replace("Max-Forwards: 70", "Max-Forwards: 0")
    )))
    .unwrap();
    assert_eq!(status(check_proxy_request(&zero, &Policy::default())), 483);
    assert_eq!(status(check_request(&zero, &Policy::default())), 0);
}

#[test]
fn responses_and_parse_errors() {
    let resp = Message::parse(crlf(
        "SIP/2.0 200 OK\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:a@b>;tag=1\nTo: <sip:c@d>;tag=2\nCall-ID: x\nCSeq: 1 INVITE\n\n",
    ))
    .unwrap();
    assert_eq!(status(check_response(&resp)), 0);
    assert_eq!(status(check_response(&msg(""))), 400);
    assert_eq!(status(check_request(&resp, &Policy::default())), 400);
    assert_eq!(
        status_for_error(&Error::Limit {
            limit: Limit::MessageSize,
            offset: 0
        }),
        StatusCode::MESSAGE_TOO_LARGE
    );
    assert_eq!(
        status_for_error(&Error::Limit {
            limit: Limit::StartLineLength,
            offset: 0
        }),
        StatusCode::REQUEST_URI_TOO_LONG
    );
    assert_eq!(
        status_for_error(&Error::Version { offset: 0 }),
        StatusCode::VERSION_NOT_SUPPORTED
    );
    assert_eq!(
        status_for_error(&Error::MissingContentLength),
        StatusCode::BAD_REQUEST
    );
}

#[test]
fn malformed_addresses_and_request_uri_give_400() {
    let text = GOOD.replace("To: <sip:bob@biloxi.com>", "To: <sip:bob@>");
    let bad_to = Message::parse(crlf(&format!("{text}\n"))).unwrap();
    let r = check_request(&bad_to, &Policy::default()).unwrap_err();
    assert_eq!((r.status.as_u16(), r.header), (400, Some(HeaderName::To)));

    let text = GOOD.replace("From: <sip:alice@atlanta.com>", "From: \"open <sip:a@b>");
    let bad_from = Message::parse(crlf(&format!("{text}\n"))).unwrap();
    let r = check_request(&bad_from, &Policy::default()).unwrap_err();
    assert_eq!((r.status.as_u16(), r.header), (400, Some(HeaderName::From)));

    let text = GOOD.replace("INVITE sip:bob@biloxi.com", "INVITE sip:bob@bi_loxi.com");
    let bad_uri = Message::parse(crlf(&format!("{text}\n"))).unwrap();
    assert!(matches!(
        bad_uri.request_uri(),
        Some(Err(Error::Uri { .. }))
    ));
    assert_eq!(status(check_request(&bad_uri, &Policy::default())), 400);

    let good = msg("");
    let uri = good.request_uri().unwrap().unwrap();
    assert_eq!(uri.as_sip().unwrap().host.to_string(), "biloxi.com");
    assert!(
        Message::parse(crlf("SIP/2.0 200 OK\nContent-Length: 0\n\n"))
            .unwrap()
            .request_uri()
            .is_none()
    );
}
