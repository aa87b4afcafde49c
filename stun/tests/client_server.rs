#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The sans-IO client against the sans-IO server (and hand-made peers), on a virtual clock.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use stun::{
    AttributeType, Authentication, Class, Client, ClientConfig, Credentials, Event, Failure,
    IntegrityKey, Message, MessageBuilder, Method, Server, ServerConfig, TransactionConfig,
    Transport,
};

const CLIENT: &str = "198.51.100.7:5060";
const SERVER: &str = "192.0.2.1:3478";

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

fn client(credentials: Credentials) -> Client {
    Client::new(ClientConfig {
        credentials,
        rng_seed: Some([7; 32]),
        ..ClientConfig::default()
    })
    .unwrap()
}

fn server(authentication: Authentication, t0: Instant) -> Server {
    Server::new(
        ServerConfig {
            authentication,
            software: Some("test server".into()),
            rng_seed: Some([9; 32]),
            ..ServerConfig::default()
        },
        t0,
    )
    .unwrap()
}

/// Runs client and server over a lossless link with 10 ms one-way delay until the client
/// reports an event; returns it and the number of datagrams the client sent.
fn exchange(client: &mut Client, server: &mut Server, mut now: Instant) -> (Event, usize, Instant) {
    let mut sent = 0;
    for _ in 0..1000 {
        while let Some(t) = client.poll_transmit() {
            sent += 1;
            assert_eq!(t.destination, addr(SERVER));
            server.handle_input(now, addr(CLIENT), &t.payload);
            while let Some(r) = server.poll_transmit() {
                assert_eq!(r.destination, addr(CLIENT));
                assert!(client.handle_input(
                    now + Duration::from_millis(20),
                    addr(SERVER),
                    &r.payload
                ));
            }
        }
        if let Some(e) = client.poll_event() {
            return (e, sent, now);
        }
        now = client
            .poll_timeout()
            .expect("a live request has a deadline");
        client.handle_timeout(now);
    }
    panic!("no event");
}

fn users() -> HashMap<String, String> {
    HashMap::from([("alice".to_owned(), "s3cret".to_owned())])
}

#[test]
fn basic_binding() {
    let t0 = Instant::now();
    let mut c = client(Credentials::None);
    let mut s = server(Authentication::None, t0);
    let id = c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let (e, sent, _) = exchange(&mut c, &mut s, t0);
    assert_eq!(
        e,
        Event::Success {
            request: id,
            mapped: addr(CLIENT),
            server: addr(SERVER)
        }
    );
    assert_eq!(sent, 1);
    assert!(c.is_idle());
    assert_eq!(c.poll_timeout(), None);
}

#[test]
fn server_response_content() {
    let t0 = Instant::now();
    let mut s = server(Authentication::None, t0);
    let mut out = Vec::new();
    let id = stun::TransactionId([5; 12]);
    MessageBuilder::new(&mut out, Class::Request, Method::BINDING, id).finish();
    let v6 = addr("[2001:db8::1]:40000");
    assert!(s.handle_input(t0, v6, &out));
    let r = s.poll_transmit().unwrap();
    let m = Message::decode(&r.payload).unwrap();
    assert_eq!(m.class(), Class::SuccessResponse);
    assert_eq!(m.transaction_id(), id);
    let types: Vec<_> = m.attributes().map(|a| a.attribute_type).collect();
    assert_eq!(
        types,
        [
            AttributeType::XOR_MAPPED_ADDRESS,
            AttributeType::MAPPED_ADDRESS,
            AttributeType::SOFTWARE,
            AttributeType::FINGERPRINT
        ]
    );
    assert_eq!(m.mapped_address(), Some(v6));
    m.verify_fingerprint().unwrap();
    assert!(s.poll_transmit().is_none());
}

#[test]
fn short_term_success_and_wrong_password() {
    let t0 = Instant::now();
    let mut s = server(Authentication::ShortTerm { users: users() }, t0);
    let mut c = client(Credentials::ShortTerm {
        username: "alice".into(),
        password: "s3cret".into(),
    });
    c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let (e, ..) = exchange(&mut c, &mut s, t0);
    assert!(matches!(e, Event::Success { .. }), "{e:?}");
    // §9.1.5: the server answered with MESSAGE-INTEGRITY-SHA256, so later requests carry only it.
    c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let t = c.poll_transmit().unwrap();
    let m = Message::decode(&t.payload).unwrap();
    assert!(m.has_integrity_sha256() && !m.has_integrity());
    s.handle_input(t0, addr(CLIENT), &t.payload);
    let r = s.poll_transmit().unwrap();
    assert!(c.handle_input(t0, addr(SERVER), &r.payload));
    assert!(matches!(c.poll_event(), Some(Event::Success { .. })));

    let mut bad = client(Credentials::ShortTerm {
        username: "alice".into(),
        password: "wrong".into(),
    });
    bad.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let (e, ..) = exchange(&mut bad, &mut s, t0);
    assert!(
        matches!(
            e,
            Event::Failure {
                reason: Failure::ErrorResponse { code: 401, .. },
                ..
            }
        ),
        "{e:?}"
    );

    let mut unknown = client(Credentials::ShortTerm {
        username: "mallory".into(),
        password: "s3cret".into(),
    });
    unknown.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let (e, ..) = exchange(&mut unknown, &mut s, t0);
    assert!(
        matches!(
            e,
            Event::Failure {
                reason: Failure::ErrorResponse { code: 401, .. },
                ..
            }
        ),
        "{e:?}"
    );

    // No credentials at all: 400 (§9.1.3).
    let mut none = client(Credentials::None);
    none.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let (e, ..) = exchange(&mut none, &mut s, t0);
    assert!(
        matches!(
            e,
            Event::Failure {
                reason: Failure::ErrorResponse { code: 400, .. },
                ..
            }
        ),
        "{e:?}"
    );
}

fn long_term_server(t0: Instant, password_algorithms: bool, lifetime: Duration) -> Server {
    server(
        Authentication::LongTerm {
            realm: "example.org".into(),
            users: users(),
            nonce_lifetime: lifetime,
            password_algorithms,
        },
        t0,
    )
}

fn long_term_client(password: &str, realm: Option<&str>) -> Client {
    client(Credentials::LongTerm {
        username: "alice".into(),
        password: password.into(),
        realm: realm.map(str::to_owned),
    })
}

#[test]
fn long_term_sha256_and_md5() {
    for algorithms in [true, false] {
        let t0 = Instant::now();
        let mut s = long_term_server(t0, algorithms, Duration::from_secs(600));
        let mut c = long_term_client("s3cret", Some("example.org"));
        c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
        // First request without credentials (§9.2.3.1), 401, then with them.
        let first = c.poll_transmit().unwrap();
        let m = Message::decode(&first.payload).unwrap();
        assert!(!m.has_integrity() && m.raw(AttributeType::USERNAME).is_none());
        s.handle_input(t0, addr(CLIENT), &first.payload);
        let challenge = s.poll_transmit().unwrap();
        let m = Message::decode(&challenge.payload).unwrap();
        assert_eq!(m.error_code().unwrap().code, 401);
        assert_eq!(m.text(AttributeType::REALM), Some("example.org"));
        let nonce = m.text(AttributeType::NONCE).unwrap();
        assert!(nonce.starts_with("obMatJos2"));
        assert_eq!(
            m.raw(AttributeType::PASSWORD_ALGORITHMS).is_some(),
            algorithms
        );
        assert!(c.handle_input(t0, addr(SERVER), &challenge.payload));
        let second = c.poll_transmit().unwrap();
        let m = Message::decode(&second.payload).unwrap();
        assert_eq!(m.has_integrity_sha256(), algorithms);
        assert_eq!(m.has_integrity(), !algorithms);
        // Username anonymity goes with the algorithms feature in this server.
        assert_eq!(m.raw(AttributeType::USERHASH).is_some(), algorithms);
        s.handle_input(t0, addr(CLIENT), &second.payload);
        let ok = s.poll_transmit().unwrap();
        assert!(c.handle_input(t0, addr(SERVER), &ok.payload));
        assert!(
            matches!(c.poll_event(), Some(Event::Success { .. })),
            "algorithms {algorithms}"
        );
        // Subsequent requests reuse the cached nonce directly (§9.2.3.2).
        c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
        let (e, sent, _) = exchange(&mut c, &mut s, t0);
        assert!(matches!(e, Event::Success { .. }));
        assert_eq!(sent, 1);
    }
}

#[test]
fn long_term_stale_nonce_is_retried() {
    let t0 = Instant::now();
    let mut s = long_term_server(t0, true, Duration::from_secs(60));
    let mut c = long_term_client("s3cret", None);
    c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let (e, sent, _) = exchange(&mut c, &mut s, t0);
    assert!(matches!(e, Event::Success { .. }));
    assert_eq!(sent, 2);
    // Two minutes later the nonce has expired: 438 with a new nonce, then success.
    let later = t0 + Duration::from_secs(120);
    c.binding(later, addr(SERVER), Transport::Udp).unwrap();
    let t = c.poll_transmit().unwrap();
    s.handle_input(later, addr(CLIENT), &t.payload);
    let stale = s.poll_transmit().unwrap();
    let m = Message::decode(&stale.payload).unwrap();
    assert_eq!(m.error_code().unwrap().code, 438);
    assert!(m.raw(AttributeType::PASSWORD_ALGORITHMS).is_some());
    assert!(c.handle_input(later, addr(SERVER), &stale.payload));
    let (e, sent, _) = exchange(&mut c, &mut s, later);
    assert!(matches!(e, Event::Success { .. }), "{e:?}");
    assert_eq!(sent, 1);
}

#[test]
fn long_term_failures() {
    let t0 = Instant::now();
    let mut s = long_term_server(t0, true, Duration::from_secs(600));
    // Wrong password: 401, retried once with credentials, then a second 401 ends it.
    let mut c = long_term_client("wrong", None);
    c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let (e, sent, _) = exchange(&mut c, &mut s, t0);
    assert!(
        matches!(
            e,
            Event::Failure {
                reason: Failure::ErrorResponse { code: 401, .. },
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(sent, 2);
    // Another realm than the configured one.
    let mut c = long_term_client("s3cret", Some("other.org"));
    c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let (e, ..) = exchange(&mut c, &mut s, t0);
    assert!(
        matches!(
            e,
            Event::Failure {
                reason: Failure::Authentication(_),
                ..
            }
        ),
        "{e:?}"
    );
    // A nonce from another source address is not valid for this one: 401 again.
    let mut c = long_term_client("s3cret", None);
    c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let first = c.poll_transmit().unwrap();
    s.handle_input(t0, addr("203.0.113.1:1"), &first.payload);
    let challenge = s.poll_transmit().unwrap();
    c.handle_input(t0, addr(SERVER), &challenge.payload);
    let second = c.poll_transmit().unwrap();
    s.handle_input(t0, addr(CLIENT), &second.payload);
    let r = s.poll_transmit().unwrap();
    let m = Message::decode(&r.payload).unwrap();
    assert_eq!(m.error_code().unwrap().code, 438);
}

#[test]
fn server_400_for_incomplete_long_term_request() {
    let t0 = Instant::now();
    let mut s = long_term_server(t0, true, Duration::from_secs(600));
    let key = IntegrityKey::from_bytes(b"x");
    let mut out = Vec::new();
    let mut b = MessageBuilder::new(
        &mut out,
        Class::Request,
        Method::BINDING,
        stun::TransactionId([1; 12]),
    );
    b.username("alice").unwrap();
    b.message_integrity(&key).unwrap();
    b.finish();
    s.handle_input(t0, addr(CLIENT), &out);
    let r = s.poll_transmit().unwrap();
    let m = Message::decode(&r.payload).unwrap();
    assert_eq!(m.error_code().unwrap().code, 400);
    assert!(m.raw(AttributeType::NONCE).is_none() && !m.has_integrity());
}

#[test]
fn server_420_for_unknown_comprehension_required() {
    let t0 = Instant::now();
    let mut s = server(Authentication::None, t0);
    let mut out = Vec::new();
    let mut b = MessageBuilder::new(
        &mut out,
        Class::Request,
        Method::BINDING,
        stun::TransactionId([1; 12]),
    );
    b.attribute(AttributeType(0x7777), b"??").unwrap();
    b.attribute(AttributeType(0x8777), b"optional").unwrap();
    b.attribute(AttributeType::CHANGE_REQUEST, &[0, 0, 0, 6])
        .unwrap();
    b.finish();
    s.handle_input(t0, addr(CLIENT), &out);
    let r = s.poll_transmit().unwrap();
    let m = Message::decode(&r.payload).unwrap();
    assert_eq!(m.error_code().unwrap().code, 420);
    let Some(stun::Attribute::UnknownAttributes(list)) =
        m.get(AttributeType::UNKNOWN_ATTRIBUTES).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        list.iter().collect::<Vec<_>>(),
        [AttributeType(0x7777), AttributeType::CHANGE_REQUEST]
    );
    m.verify_fingerprint().unwrap();
    // The client reports a 420 as a failure.
    let mut c = client(Credentials::None);
    c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let t = c.poll_transmit().unwrap();
    let req = Message::decode(&t.payload).unwrap();
    let mut out = Vec::new();
    let mut b = MessageBuilder::new(
        &mut out,
        Class::ErrorResponse,
        Method::BINDING,
        req.transaction_id(),
    );
    b.error_code(420, "Unknown Attribute").unwrap();
    b.finish();
    assert!(c.handle_input(t0, addr(SERVER), &out));
    assert!(matches!(
        c.poll_event(),
        Some(Event::Failure {
            reason: Failure::ErrorResponse { code: 420, .. },
            ..
        })
    ));
}

#[test]
fn classic_rfc3489_client_gets_mapped_address_and_cookie_echo() {
    let t0 = Instant::now();
    let mut s = server(Authentication::None, t0);
    let mut out = Vec::new();
    let cookie = 0x0102_0304;
    MessageBuilder::with_cookie(
        &mut out,
        Class::Request,
        Method::BINDING,
        cookie,
        stun::TransactionId([2; 12]),
    )
    .finish();
    s.handle_input(t0, addr(CLIENT), &out);
    let r = s.poll_transmit().unwrap();
    let m = Message::decode_classic(&r.payload).unwrap();
    assert_eq!(m.cookie(), cookie);
    assert!(m.raw(AttributeType::XOR_MAPPED_ADDRESS).is_none() && !m.has_fingerprint());
    assert_eq!(m.mapped_address(), Some(addr(CLIENT)));
    // With classic clients disabled, the message is not STUN for this server.
    let mut strict = Server::new(
        ServerConfig {
            classic_clients: false,
            ..ServerConfig::default()
        },
        t0,
    )
    .unwrap();
    assert!(!strict.handle_input(t0, addr(CLIENT), &out));
    assert!(strict.poll_transmit().is_none());
}

#[test]
fn server_drops_what_it_must() {
    let t0 = Instant::now();
    let mut s = server(Authentication::None, t0);
    let id = stun::TransactionId([3; 12]);
    // Indication: no answer. Response: no answer. Other method: no answer.
    for (class, method) in [
        (Class::Indication, Method::BINDING),
        (Class::SuccessResponse, Method::BINDING),
        (Class::Request, Method::new(0x003).unwrap()),
    ] {
        let mut out = Vec::new();
        MessageBuilder::new(&mut out, class, method, id).finish();
        assert!(s.handle_input(t0, addr(CLIENT), &out));
        assert!(s.poll_transmit().is_none());
    }
    // Wrong FINGERPRINT: not STUN.
    let mut out = Vec::new();
    let mut b = MessageBuilder::new(&mut out, Class::Request, Method::BINDING, id);
    b.fingerprint().unwrap();
    b.finish();
    let last = out.len() - 1;
    out[last] ^= 0xff;
    assert!(!s.handle_input(t0, addr(CLIENT), &out));
    // RTP, SIP and garbage are not STUN.
    assert!(!s.handle_input(t0, addr(CLIENT), &[0x80, 0, 0, 1]));
    assert!(!s.handle_input(t0, addr(CLIENT), b"OPTIONS sip:a@b SIP/2.0\r\n\r\n"));
    assert!(s.poll_transmit().is_none());
}

/// A response from a hand-made server.
fn respond(request: &Bytes, f: impl FnOnce(&mut MessageBuilder<'_>)) -> Vec<u8> {
    let m = Message::decode(request).unwrap();
    let mut out = Vec::new();
    let mut b = MessageBuilder::new(
        &mut out,
        Class::ErrorResponse,
        Method::BINDING,
        m.transaction_id(),
    );
    f(&mut b);
    b.finish();
    out
}

#[test]
fn alternate_server_is_followed_once_and_loops_fail() {
    let t0 = Instant::now();
    let key = IntegrityKey::short_term("s3cret").unwrap();
    let mut c = client(Credentials::ShortTerm {
        username: "alice".into(),
        password: "s3cret".into(),
    });
    c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let t = c.poll_transmit().unwrap();
    let alt = addr("192.0.2.2:3478");
    let r = respond(&t.payload, |b| {
        b.error_code(300, "Try Alternate").unwrap();
        b.alternate_server(alt).unwrap();
        b.message_integrity(&key).unwrap();
    });
    assert!(c.handle_input(t0, addr(SERVER), &r));
    let t = c.poll_transmit().unwrap();
    assert_eq!(t.destination, alt);
    // Redirected back to the first server: a loop (§10).
    let r = respond(&t.payload, |b| {
        b.error_code(300, "Try Alternate").unwrap();
        b.alternate_server(addr(SERVER)).unwrap();
        b.message_integrity(&key).unwrap();
    });
    assert!(c.handle_input(t0, alt, &r));
    assert!(matches!(
        c.poll_event(),
        Some(Event::Failure {
            reason: Failure::Redirect("redirection loop"),
            ..
        })
    ));
}

#[test]
fn unauthenticated_redirect_is_refused() {
    let t0 = Instant::now();
    let mut c = client(Credentials::None);
    c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let t = c.poll_transmit().unwrap();
    let r = respond(&t.payload, |b| {
        b.error_code(300, "Try Alternate").unwrap();
        b.alternate_server(addr("192.0.2.2:3478")).unwrap();
    });
    assert!(c.handle_input(t0, addr(SERVER), &r));
    assert!(matches!(
        c.poll_event(),
        Some(Event::Failure {
            reason: Failure::Redirect(_),
            ..
        })
    ));
    assert!(c.poll_transmit().is_none());
}

#[test]
fn bad_integrity_is_dropped_and_reported_after_timeout() {
    let t0 = Instant::now();
    let mut c = client(Credentials::ShortTerm {
        username: "alice".into(),
        password: "s3cret".into(),
    });
    c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let t = c.poll_transmit().unwrap();
    let wrong = IntegrityKey::short_term("nope").unwrap();
    let m = Message::decode(&t.payload).unwrap();
    let mut out = Vec::new();
    let mut b = MessageBuilder::new(
        &mut out,
        Class::SuccessResponse,
        Method::BINDING,
        m.transaction_id(),
    );
    b.xor_mapped_address(addr(CLIENT)).unwrap();
    b.message_integrity(&wrong).unwrap();
    b.finish();
    assert!(c.handle_input(t0, addr(SERVER), &out));
    assert!(c.poll_event().is_none());
    // Unprotected success: dropped too. A 400 without integrity: dropped (§9.2.5).
    let plain = respond(&t.payload, |b| {
        b.error_code(400, "Bad Request").unwrap();
    });
    assert!(c.handle_input(t0, addr(SERVER), &plain));
    assert!(c.poll_event().is_none());
    let mut now = t0;
    while let Some(d) = c.poll_timeout() {
        now = d;
        c.handle_timeout(now);
        while c.poll_transmit().is_some() {}
    }
    assert_eq!(now - t0, Duration::from_millis(39_500));
    assert!(matches!(
        c.poll_event(),
        Some(Event::Failure {
            reason: Failure::IntegrityViolated,
            ..
        })
    ));

    // Over a reliable transport, the first bad response ends the transaction.
    let mut c = client(Credentials::ShortTerm {
        username: "alice".into(),
        password: "s3cret".into(),
    });
    c.binding(t0, addr(SERVER), Transport::Reliable).unwrap();
    let t = c.poll_transmit().unwrap();
    let m = Message::decode(&t.payload).unwrap();
    let mut out = Vec::new();
    let mut b = MessageBuilder::new(
        &mut out,
        Class::SuccessResponse,
        Method::BINDING,
        m.transaction_id(),
    );
    b.xor_mapped_address(addr(CLIENT)).unwrap();
    b.message_integrity(&wrong).unwrap();
    b.finish();
    assert!(c.handle_input(t0, addr(SERVER), &out));
    assert!(matches!(
        c.poll_event(),
        Some(Event::Failure {
            reason: Failure::IntegrityViolated,
            ..
        })
    ));
}

#[test]
fn timeout_schedule_and_server_errors() {
    let t0 = Instant::now();
    let mut c = client(Credentials::None);
    c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let mut sends = Vec::new();
    let mut now = t0;
    loop {
        while c.poll_transmit().is_some() {
            sends.push((now - t0).as_millis());
        }
        if let Some(e) = c.poll_event() {
            assert!(matches!(
                e,
                Event::Failure {
                    reason: Failure::Timeout,
                    ..
                }
            ));
            break;
        }
        now = c.poll_timeout().unwrap();
        c.handle_timeout(now);
    }
    assert_eq!(sends, [0, 500, 1500, 3500, 7500, 15500, 31500]);
    assert_eq!((now - t0).as_millis(), 39_500);

    // 500: retried 4 times (§6.3.4), then reported.
    let mut c = client(Credentials::None);
    c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let mut answered = 0;
    loop {
        let Some(t) = c.poll_transmit() else { break };
        let r = respond(&t.payload, |b| {
            b.error_code(500, "Server Error").unwrap();
        });
        assert!(c.handle_input(t0, addr(SERVER), &r));
        answered += 1;
    }
    assert_eq!(answered, 5);
    assert!(matches!(
        c.poll_event(),
        Some(Event::Failure {
            reason: Failure::ErrorResponse { code: 500, .. },
            ..
        })
    ));
}

#[test]
fn client_ignores_foreign_and_bad_responses() {
    let t0 = Instant::now();
    let mut c = client(Credentials::None);
    c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let t = c.poll_transmit().unwrap();
    // Other transaction, garbage, a request: not ours.
    let mut other = Vec::new();
    MessageBuilder::new(
        &mut other,
        Class::SuccessResponse,
        Method::BINDING,
        stun::TransactionId([0; 12]),
    )
    .finish();
    assert!(!c.handle_input(t0, addr(SERVER), &other));
    assert!(!c.handle_input(t0, addr(SERVER), b"garbage"));
    assert!(!c.handle_input(t0, addr(SERVER), &t.payload));
    // Ours with a broken FINGERPRINT: consumed but dropped; retransmissions go on.
    let m = Message::decode(&t.payload).unwrap();
    let mut out = Vec::new();
    let mut b = MessageBuilder::new(
        &mut out,
        Class::SuccessResponse,
        Method::BINDING,
        m.transaction_id(),
    );
    b.xor_mapped_address(addr(CLIENT)).unwrap();
    b.fingerprint().unwrap();
    b.finish();
    let mut broken = out.clone();
    *broken.last_mut().unwrap() ^= 1;
    assert!(c.handle_input(t0, addr(SERVER), &broken));
    assert!(c.poll_event().is_none());
    // Success without an address, error without ERROR-CODE, unknown comprehension-required.
    for (class, attr) in [
        (Class::SuccessResponse, None),
        (Class::ErrorResponse, None),
        (Class::SuccessResponse, Some(AttributeType(0x7001))),
    ] {
        let mut c = client(Credentials::None);
        c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
        let t = c.poll_transmit().unwrap();
        let m = Message::decode(&t.payload).unwrap();
        let mut out = Vec::new();
        let mut b = MessageBuilder::new(&mut out, class, Method::BINDING, m.transaction_id());
        if let Some(a) = attr {
            b.xor_mapped_address(addr(CLIENT)).unwrap();
            b.attribute(a, &[1]).unwrap();
        }
        b.finish();
        assert!(c.handle_input(t0, addr(SERVER), &out));
        let Some(Event::Failure { reason, .. }) = c.poll_event() else {
            panic!()
        };
        let expected = match (class, attr) {
            (_, Some(a)) => Failure::UnknownAttributes(vec![a]),
            (Class::SuccessResponse, None) => Failure::NoMappedAddress,
            _ => Failure::NoErrorCode,
        };
        assert_eq!(reason, expected);
        assert!(!reason.to_string().is_empty());
    }
}

#[test]
fn indication_and_deterministic_ids() {
    let mut a = client(Credentials::None);
    let mut b = client(Credentials::None);
    let t0 = Instant::now();
    a.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    b.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    assert_eq!(a.poll_transmit(), b.poll_transmit());
    let i = a.indication(addr(SERVER)).unwrap();
    let m = Message::decode(&i.payload).unwrap();
    assert_eq!(m.class(), Class::Indication);
    m.verify_fingerprint().unwrap();
    let cfg = ClientConfig {
        transaction: TransactionConfig {
            rto: Duration::from_millis(100),
            ..TransactionConfig::default()
        },
        ..ClientConfig::default()
    };
    assert_eq!(cfg.transaction.rc, 7);
}

#[test]
fn invalid_credentials_are_rejected_at_construction() {
    assert!(Client::new(ClientConfig {
        credentials: Credentials::ShortTerm {
            username: String::new(),
            password: "p".into()
        },
        ..ClientConfig::default()
    })
    .is_err());
    assert!(Server::new(
        ServerConfig {
            authentication: Authentication::long_term("", users()),
            ..ServerConfig::default()
        },
        Instant::now()
    )
    .is_err());
}

#[test]
fn credential_state_is_per_server() {
    let t0 = Instant::now();
    let mut s = long_term_server(t0, true, Duration::from_secs(600));
    let mut c = long_term_client("s3cret", None);
    c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let (e, ..) = exchange(&mut c, &mut s, t0);
    assert!(matches!(e, Event::Success { .. }));
    // §9.2.3.1: the first request to another server carries no credentials.
    c.binding(t0, addr("192.0.2.50:3478"), Transport::Udp)
        .unwrap();
    let t = c.poll_transmit().unwrap();
    let m = Message::decode(&t.payload).unwrap();
    assert!(
        !m.has_integrity() && !m.has_integrity_sha256() && m.raw(AttributeType::NONCE).is_none()
    );

    // §9.1.5 short-term: the learned algorithm is per server too.
    let mut st = server(Authentication::ShortTerm { users: users() }, t0);
    let mut c = client(Credentials::ShortTerm {
        username: "alice".into(),
        password: "s3cret".into(),
    });
    c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let (e, ..) = exchange(&mut c, &mut st, t0);
    assert!(matches!(e, Event::Success { .. }));
    c.binding(t0, addr("192.0.2.50:3478"), Transport::Udp)
        .unwrap();
    let t = c.poll_transmit().unwrap();
    let m = Message::decode(&t.payload).unwrap();
    assert!(m.has_integrity() && m.has_integrity_sha256());
}

#[test]
fn challenge_protected_with_another_key_is_still_followed() {
    let t0 = Instant::now();
    let mut c = long_term_client("s3cret", None);
    c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let first = c.poll_transmit().unwrap();
    let r = respond(&first.payload, |b| {
        b.error_code(401, "Unauthenticated").unwrap();
        b.realm("example.org").unwrap();
        b.nonce("n1").unwrap();
    });
    assert!(c.handle_input(t0, addr(SERVER), &r));
    let second = c.poll_transmit().unwrap();
    assert!(Message::decode(&second.payload).unwrap().has_integrity());
    // A 438 whose MESSAGE-INTEGRITY uses some other key: retried with the new nonce.
    let other = IntegrityKey::from_bytes(b"previous key");
    let r = respond(&second.payload, |b| {
        b.error_code(438, "Stale Nonce").unwrap();
        b.realm("example.org").unwrap();
        b.nonce("n2").unwrap();
        b.message_integrity(&other).unwrap();
    });
    assert!(c.handle_input(t0, addr(SERVER), &r));
    let third = c.poll_transmit().unwrap();
    let m = Message::decode(&third.payload).unwrap();
    assert_eq!(m.text(AttributeType::NONCE), Some("n2"));
    // Legacy server (no nonce cookie, no PASSWORD-ALGORITHMS): MD5 key, MESSAGE-INTEGRITY.
    let key = IntegrityKey::long_term(
        "alice",
        "example.org",
        "s3cret",
        stun::PasswordAlgorithm::MD5,
    )
    .unwrap();
    m.verify_integrity_sha1(&key).unwrap();
    assert!(!m.has_integrity_sha256());
}

#[test]
fn bid_down_is_detected() {
    let t0 = Instant::now();
    let mut c = long_term_client("s3cret", None);
    c.binding(t0, addr(SERVER), Transport::Udp).unwrap();
    let first = c.poll_transmit().unwrap();
    // The nonce cookie says "password algorithms" but PASSWORD-ALGORITHMS was stripped.
    let r = respond(&first.payload, |b| {
        b.error_code(401, "Unauthenticated").unwrap();
        b.realm("example.org").unwrap();
        b.nonce("obMatJos2gAAAxyz").unwrap();
    });
    assert!(c.handle_input(t0, addr(SERVER), &r));
    assert!(matches!(
        c.poll_event(),
        Some(Event::Failure {
            reason: Failure::Authentication(_),
            ..
        })
    ));
    assert!(c.poll_transmit().is_none());
}

#[test]
fn ipv4_mapped_sources_are_reported_as_ipv4() {
    let t0 = Instant::now();
    let mut s = server(Authentication::None, t0);
    let mut out = Vec::new();
    MessageBuilder::new(
        &mut out,
        Class::Request,
        Method::BINDING,
        stun::TransactionId([4; 12]),
    )
    .finish();
    let mapped_v6 = addr("[::ffff:198.51.100.7]:5060");
    assert!(s.handle_input(t0, mapped_v6, &out));
    let r = s.poll_transmit().unwrap();
    assert_eq!(r.destination, mapped_v6);
    let m = Message::decode(&r.payload).unwrap();
    assert_eq!(m.mapped_address(), Some(addr(CLIENT)));
}

/// Runs one Binding request against `s` with a round-trip time of `rtt`; returns the send
/// times relative to `start` until the response arrived (the server only answers the
/// request sent at `answer_from` or later).
fn timed_exchange(
    c: &mut Client,
    s: &mut Server,
    start: Instant,
    rtt: Duration,
    answer_from: Duration,
) -> Vec<Duration> {
    c.binding(start, addr(SERVER), Transport::Udp).unwrap();
    let mut sends = Vec::new();
    let mut now = start;
    let mut pending: Option<(Instant, Bytes)> = None;
    loop {
        while let Some(t) = c.poll_transmit() {
            sends.push(now - start);
            if now - start >= answer_from && pending.is_none() {
                s.handle_input(now, addr(CLIENT), &t.payload);
                let r = s.poll_transmit().unwrap();
                pending = Some((now + rtt, r.payload));
            }
        }
        if let Some(e) = c.poll_event() {
            assert!(matches!(e, Event::Success { .. }), "{e:?}");
            return sends;
        }
        let deadline = c.poll_timeout().unwrap();
        match pending.take() {
            Some((at, payload)) if at <= deadline => {
                now = at;
                assert!(c.handle_input(now, addr(SERVER), &payload));
            }
            other => {
                pending = other;
                now = deadline;
                c.handle_timeout(now);
            }
        }
    }
}

#[test]
fn rto_is_cached_per_server_with_karn() {
    let t0 = Instant::now();
    let mut s = server(Authentication::None, t0);
    let mut c = client(Credentials::None);
    // A 400 ms round trip: SRTT 400, RTTVAR 200, RTO = 400 + 4 x 200 = 1200 ms.
    let rtt = Duration::from_millis(400);
    let sends = timed_exchange(&mut c, &mut s, t0, rtt, Duration::ZERO);
    assert_eq!(sends, [Duration::ZERO]);
    // The next transaction to that server starts from 1.2 s: the server answers only the
    // retransmission, so the schedule shows; Karn: that exchange gives no sample.
    let t1 = t0 + Duration::from_secs(10);
    let sends = timed_exchange(&mut c, &mut s, t1, rtt, Duration::from_millis(1));
    assert_eq!(sends, [Duration::ZERO, Duration::from_millis(1200)]);
    let t2 = t1 + Duration::from_secs(10);
    let sends = timed_exchange(&mut c, &mut s, t2, rtt, Duration::from_millis(1));
    assert_eq!(sends, [Duration::ZERO, Duration::from_millis(1200)]);
    // Ten minutes later the cache is stale: back to 500 ms.
    let t3 = t2 + Duration::from_secs(601);
    let sends = timed_exchange(&mut c, &mut s, t3, rtt, Duration::from_millis(1));
    assert_eq!(sends, [Duration::ZERO, Duration::from_millis(500)]);
    // A fast server never pulls the RTO below the configured 500 ms.
    let mut c = client(Credentials::None);
    timed_exchange(&mut c, &mut s, t0, Duration::from_millis(1), Duration::ZERO);
    let sends = timed_exchange(
        &mut c,
        &mut s,
        t1,
        Duration::from_millis(1),
        Duration::from_millis(1),
    );
    assert_eq!(sends, [Duration::ZERO, Duration::from_millis(500)]);
}
