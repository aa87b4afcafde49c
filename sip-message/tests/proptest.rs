#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use bytes::{Bytes, BytesMut};
use proptest::prelude::*;
use sip_message::{
    header::typed::{CSeq, CallId, MaxForwards, Via},
    HeaderName, Host, Message, Method, ParserConfig, Quirks, RequestBuilder, ResponseBuilder,
    StatusCode, StreamFramer, StreamItem, TypedHeader,
};

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::Invite),
        Just(Method::Ack),
        Just(Method::Bye),
        Just(Method::Register),
        Just(Method::Options),
        "[A-Z][A-Za-z0-9.!%*_+`'~-]{0,10}".prop_map(|m| m.parse::<Method>().unwrap()),
    ]
}

fn host() -> impl Strategy<Value = Host> {
    prop_oneof![
        "[a-z]([a-z0-9-]{0,8}[a-z0-9])?(\\.[a-z]([a-z0-9-]{0,8}[a-z0-9])?){0,3}"
            .prop_map(|h| h.parse().unwrap()),
        any::<[u8; 4]>().prop_map(|a| Host::Ipv4(a.into())),
        any::<[u16; 8]>().prop_map(|a| Host::Ipv6(a.into())),
    ]
}

fn via() -> impl Strategy<Value = Via> {
    (
        prop_oneof![
            Just("UDP"),
            Just("TCP"),
            Just("TLS"),
            Just("WSS"),
            Just("SCTP")
        ],
        host(),
        proptest::option::of(any::<u16>()),
        proptest::option::of("z9hG4bK[A-Za-z0-9.-]{1,20}"),
        proptest::option::of(any::<[u8; 4]>()),
        proptest::option::of(proptest::option::of(any::<u16>())),
        proptest::option::of(any::<u8>()),
        proptest::collection::vec(
            ("x-[a-z]{1,6}", proptest::option::of("[a-z0-9]{1,6}")),
            0..3,
        ),
    )
        .prop_map(|(t, h, port, branch, received, rport, ttl, extra)| {
            let mut v = Via::new(t, h, port);
            v.branch = branch.map(Into::into);
            v.received = received.map(std::net::IpAddr::from);
            v.rport = rport;
            v.ttl = ttl;
            for (n, val) in extra {
                v.params.push(match val {
                    Some(val) => sip_message::Param::new(n.as_str(), val.as_str()),
                    None => sip_message::Param::flag(n.as_str()),
                });
            }
            v
        })
}

fn value() -> impl Strategy<Value = String> {
    // Header text: visible characters and inner spaces, UTF-8 included, no control characters.
    "[!-~]([ -~é€]{0,30}[!-~])?"
}

fn extra_headers() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::vec(("X-[A-Za-z0-9-]{1,12}", value()), 0..8)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        let bytes = Bytes::from(data);
        let strict = ParserConfig::default();
        let mut lenient = ParserConfig::default();
        lenient.quirks(Quirks::all());
        for cfg in [&strict, &lenient] {
            if let Ok(m) = cfg.parse_datagram(bytes.clone()) {
                for f in m.headers() {
                    for v in f.values() { let _ = v; }
                }
                let _ = m.typed::<Via>();
                let _ = m.typed_all::<Via>().count();
                let _ = (m.typed::<CSeq>(), m.typed::<CallId>(), m.from_tag(), m.to_tag());
                if cfg.quirks == Quirks::default() {
                    // Untouched: the message is the input (up to Content-Length), and parses again.
                    prop_assert_eq!(m.to_bytes(), bytes.slice(..m.encoded_len()));
                    prop_assert!(Message::parse(m.to_bytes()).is_ok());
                }
            }
            let _ = cfg.frame(&bytes);
        }
    }

    #[test]
    fn sip_like_garbage_never_panics(lines in proptest::collection::vec("[ -~\t]{0,40}", 0..12), sep in prop_oneof![Just("\r\n"), Just("\n"), Just("\r")]) {
        let text = format!("INVITE sip:a@b SIP/2.0{sep}{}{sep}{sep}", lines.join(sep));
        let bytes = Bytes::from(text);
        let mut lenient = ParserConfig::default();
        lenient.quirks(Quirks::all());
        if let Ok(m) = lenient.parse_datagram(bytes.clone()) {
            let _ = m.typed_all::<Via>().count();
            let _ = m.from_tag();
        }
        let _ = Message::parse(bytes);
    }

    #[test]
    fn built_request_serializes_parses_and_compares_equal(
        method in method(),
        user in "[a-z0-9]{1,10}",
        vias in proptest::collection::vec(via(), 1..4),
        seq in any::<u32>(),
        mf in 0u32..256,
        extra in extra_headers(),
        body in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let uri = format!("sip:{user}@example.com");
        let mut b = RequestBuilder::new(&method, &uri);
        for v in &vias { b = b.typed(v); }
        b = b.typed(&CSeq::new(seq, method.clone())).typed(&MaxForwards(mf));
        for (n, v) in &extra { b = b.header(&HeaderName::from_bytes(n.as_bytes()), v); }
        let req = b.body(Bytes::from(body.clone())).build().unwrap();
        let wire = req.to_bytes();
        let parsed = Message::parse(wire.clone()).unwrap();
        prop_assert_eq!(&parsed, &*req);
        prop_assert_eq!(parsed.method(), Some(method.clone()));
        prop_assert_eq!(parsed.uri(), Some(uri.as_str()));
        prop_assert_eq!(&parsed.body()[..], &body[..]);
        let got: Vec<Via> = parsed.typed_all::<Via>().map(Result::unwrap).collect();
        prop_assert_eq!(got, vias);
        prop_assert_eq!(parsed.typed::<CSeq>().unwrap().unwrap(), CSeq::new(seq, method));
        prop_assert_eq!(parsed.typed::<MaxForwards>().unwrap().unwrap(), MaxForwards(mf));
        let got_extra: Vec<(String, String)> = parsed
            .headers()
            .filter(|f| f.name().starts_with("X-"))
            .map(|f| (f.name().to_owned(), f.value_str().unwrap().to_owned()))
            .collect();
        prop_assert_eq!(got_extra, extra);
        // The same bytes through the stream framer, split anywhere.
        let mut framer = StreamFramer::default();
        let mut buf = BytesMut::new();
        let cut = wire.len() / 2;
        buf.extend_from_slice(&wire[..cut]);
        prop_assert!(framer.decode(&mut buf).unwrap().is_none() || cut == 0);
        buf.extend_from_slice(&wire[cut..]);
        match framer.decode(&mut buf).unwrap() {
            Some(StreamItem::Message(m)) => prop_assert_eq!(m, parsed),
            other => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn built_response_round_trips(code in 100u16..700, reason in "[A-Za-z][A-Za-z ]{0,20}", extra in extra_headers()) {
        let mut b = ResponseBuilder::new(StatusCode::from_u16(code).unwrap()).reason(&reason);
        for (n, v) in &extra { b = b.header(&HeaderName::from_bytes(n.as_bytes()), v); }
        let resp = b.build().unwrap();
        let parsed = Message::parse(resp.to_bytes()).unwrap();
        prop_assert_eq!(parsed.status().unwrap().as_u16(), code);
        prop_assert_eq!(parsed.reason(), Some(reason.as_str()));
        prop_assert_eq!(&parsed, &*resp);
    }

    #[test]
    fn via_display_parse_round_trip(v in via()) {
        prop_assert_eq!(Via::parse_str(&v.to_string()).unwrap(), v);
    }

    #[test]
    fn cseq_and_call_id_round_trip(seq in any::<u32>(), m in method(), id in "[A-Za-z0-9.!%*_+`'~()<>:\\\\\"/\\[\\]?{}-]{1,20}(@[A-Za-z0-9.-]{1,10})?") {
        let c = CSeq::new(seq, m);
        prop_assert_eq!(CSeq::parse_str(&c.to_string()).unwrap(), c);
        let call = CallId::parse_str(&id).unwrap();
        prop_assert_eq!(CallId::parse_str(&call.to_string()).unwrap(), call);
    }

    #[test]
    fn changing_one_header_keeps_the_others(extra in extra_headers(), pick in any::<prop::sample::Index>(), new in value()) {
        prop_assume!(!extra.is_empty());
        let mut b = RequestBuilder::new(&Method::Options, "sip:a@b");
        for (n, v) in &extra { b = b.header(&HeaderName::from_bytes(n.as_bytes()), v); }
        let mut m: Message = b.build().unwrap().into();
        let (name, _) = &extra[pick.index(extra.len())];
        let hn = HeaderName::from_bytes(name.as_bytes());
        m.replace_header(&hn, &new).unwrap();
        let mut expected: Vec<(String, String)> = Vec::new();
        let mut placed = false;
        for (n, v) in &extra {
            if hn.matches(n.as_bytes()) {
                if !placed { expected.push((hn.as_str().to_owned(), new.clone())); placed = true; }
            } else {
                expected.push((n.clone(), v.clone()));
            }
        }
        let got: Vec<(String, String)> = m
            .headers()
            .filter(|f| f.name() != "Content-Length")
            .map(|f| (f.name().to_owned(), f.value_str().unwrap().to_owned()))
            .collect();
        prop_assert_eq!(got, expected);
    }
}
