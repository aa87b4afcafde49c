#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Round trips of the typed headers: generated valid value → `Display` → `parse` → equal.

use std::net::{Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;
use sip_message::header::*;
use sip_message::{quote, ByteStr, Host, Method, Param, Params, TypedHeader};

// ---------------------------------------------------------------- building blocks

fn bs(s: String) -> ByteStr {
    ByteStr::from(s)
}

fn token() -> impl Strategy<Value = ByteStr> {
    "[A-Za-z0-9.!%*_+`'~-]{1,12}".prop_map(bs)
}

fn token_nodot() -> impl Strategy<Value = String> {
    "[A-Za-z0-9!%*_+`'~-]{1,8}"
}

/// Text for a value stored unquoted (anything a quoted-string can carry except CR/LF).
fn qtext() -> impl Strategy<Value = ByteStr> {
    "[\\x00-\\x09\\x0b\\x0c\\x0e-\\x7f\u{a0}-\u{ff}\u{4e00}-\u{4e10}]{0,16}".prop_map(bs)
}

/// Text that `quote` can write as a quoted-string (no control characters).
fn plain_text() -> impl Strategy<Value = String> {
    "[ -~\t\u{e9}\u{4e00}]{0,12}"
}

/// A value of a generic parameter as written: token or quoted string.
fn param_value() -> impl Strategy<Value = ByteStr> {
    prop_oneof![token(), plain_text().prop_map(|t| ByteStr::from(quote(&t))),]
}

/// Extension parameters whose names cannot collide with parameters a header knows.
fn ext_params(max: usize) -> impl Strategy<Value = Params> {
    prop::collection::vec((token(), prop::option::of(param_value())), 0..=max).prop_map(|v| {
        v.into_iter()
            .map(|(n, v)| Param {
                name: ByteStr::from(format!("x-{n}")),
                value: v,
            })
            .collect()
    })
}

/// Extension auth-params: always with a value.
fn ext_auth_params(min: usize, max: usize) -> impl Strategy<Value = Params> {
    prop::collection::vec((token(), param_value()), min..=max).prop_map(|v| {
        v.into_iter()
            .map(|(n, v)| Param::new(format!("x-{n}"), v))
            .collect()
    })
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        prop::sample::select(vec![
            Method::Ack,
            Method::Bye,
            Method::Cancel,
            Method::Info,
            Method::Invite,
            Method::Message,
            Method::Notify,
            Method::Options,
            Method::Prack,
            Method::Publish,
            Method::Refer,
            Method::Register,
            Method::Subscribe,
            Method::Update,
        ]),
        "X[A-Za-z0-9.!%*_+`'~-]{0,8}".prop_map(|m| m.parse::<Method>().unwrap()),
    ]
}

fn host() -> impl Strategy<Value = Host> {
    prop_oneof![
        "[a-z][a-z0-9]{0,6}(\\.[a-z][a-z0-9-]{0,6}[a-z0-9]){0,2}"
            .prop_map(|d| Host::Domain(ByteStr::from(d))),
        any::<u32>().prop_map(|a| Host::Ipv4(Ipv4Addr::from(a))),
        any::<u128>().prop_map(|a| Host::Ipv6(Ipv6Addr::from(a))),
    ]
}

fn round_trip<T: TypedHeader + PartialEq + std::fmt::Debug>(value: &T) {
    let text = value.to_string();
    let parsed = T::parse_str(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    assert_eq!(&parsed, value, "{text:?}");
    // With surrounding whitespace and a fold in front, as it may lie in a message.
    let padded = format!("\r\n\t {text} \t");
    assert_eq!(&T::parse_str(&padded).unwrap(), value, "{padded:?}");
}

// ---------------------------------------------------------------- strategies per header

fn media_type(concrete: bool) -> impl Strategy<Value = MediaType> {
    let params = prop::collection::vec((token(), param_value()), 0..3);
    (token(), token(), params).prop_map(move |(t, s, p)| {
        let (t, s) = if concrete {
            (
                ByteStr::from(format!("t{t}")),
                ByteStr::from(format!("s{s}")),
            )
        } else {
            (t, s)
        };
        let s = if &*t == "*" {
            ByteStr::from_static("*")
        } else {
            s
        };
        let mut m = MediaType::new(t, s);
        for (n, v) in p {
            m.params.push(Param::new(format!("x-{n}"), v));
        }
        m
    })
}

fn accept() -> impl Strategy<Value = Accept> {
    let q = prop_oneof![
        Just(None),
        (0u16..1000, 0usize..4).prop_map(|(t, d)| {
            let frac = format!("{t:03}");
            Some(if d == 0 {
                "0".to_string()
            } else {
                format!("0.{}", &frac[..d])
            })
        }),
        Just(Some("1".to_string())),
        Just(Some("1.000".to_string())),
    ];
    (
        prop_oneof![
            media_type(false),
            Just(MediaType::new("*", "*")),
            token().prop_map(|t| MediaType::new(t, "*")),
        ],
        q,
        prop::option::of(token()),
    )
        .prop_map(|(mut m, q, flag)| {
            if let Some(q) = q {
                m.params.push(Param::new("q", q));
            }
            if let Some(f) = flag {
                m.params.push(Param::flag(format!("x-{f}")));
            }
            Accept(m)
        })
}

fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop_oneof![
        prop::sample::select(vec![
            Algorithm::Md5,
            Algorithm::Md5Sess,
            Algorithm::Sha256,
            Algorithm::Sha256Sess,
            Algorithm::Sha512_256,
            Algorithm::Sha512_256Sess,
        ]),
        token().prop_map(|t| Algorithm::Other(ByteStr::from(format!("X-{t}")))),
    ]
}

fn qop() -> impl Strategy<Value = Qop> {
    prop_oneof![
        Just(Qop::Auth),
        Just(Qop::AuthInt),
        token().prop_map(|t| Qop::Other(ByteStr::from(format!("x-{t}")))),
    ]
}

fn hex() -> impl Strategy<Value = ByteStr> {
    "[0-9a-fA-F]{0,64}".prop_map(bs)
}

fn digest_challenge() -> impl Strategy<Value = DigestChallenge> {
    (
        (
            prop::option::of(qtext()),
            prop::option::of(qtext()),
            prop::option::of(qtext()),
            prop::option::of(qtext()),
        ),
        (
            prop::option::of(any::<bool>()),
            prop::option::of(algorithm()),
            prop::collection::vec(qop(), 0..3),
            prop::option::of(any::<bool>()),
            ext_auth_params(0, 2),
        ),
    )
        .prop_map(
            |((realm, domain, nonce, opaque), (stale, algorithm, qop, userhash, params))| {
                let mut d = DigestChallenge {
                    realm,
                    domain,
                    nonce,
                    opaque,
                    stale,
                    algorithm,
                    qop,
                    userhash,
                    params,
                };
                if d == DigestChallenge::default() {
                    d.realm = Some(ByteStr::from_static("r"));
                }
                d
            },
        )
}

fn other_scheme() -> impl Strategy<Value = OtherScheme> {
    (
        token(),
        prop::option::of("[A-Za-z0-9._~+/-]{1,20}={0,2}"),
        ext_auth_params(0, 3),
    )
        .prop_map(|(s, token68, params)| OtherScheme {
            scheme: ByteStr::from(format!("X{s}")),
            params: if token68.is_some() {
                Params::new()
            } else {
                params
            },
            token68: token68.map(ByteStr::from),
        })
}

fn challenge() -> impl Strategy<Value = Challenge> {
    prop_oneof![
        3 => digest_challenge().prop_map(Challenge::Digest),
        1 => other_scheme().prop_map(Challenge::Other),
    ]
}

fn digest_credentials() -> impl Strategy<Value = DigestCredentials> {
    (
        (
            prop::option::of(qtext()),
            prop::option::of(qtext()),
            prop::option::of(qtext()),
            prop::option::of(qtext()),
            prop::option::of(hex()),
            prop::option::of(algorithm()),
        ),
        (
            prop::option::of(qtext()),
            prop::option::of(qtext()),
            prop::option::of(qop()),
            prop::option::of(any::<u32>()),
            prop::option::of(any::<bool>()),
            ext_auth_params(0, 2),
        ),
    )
        .prop_map(
            |(
                (username, realm, nonce, uri, response, algorithm),
                (cnonce, opaque, qop, nc, userhash, params),
            )| {
                let mut d = DigestCredentials {
                    username,
                    realm,
                    nonce,
                    uri,
                    response,
                    algorithm,
                    cnonce,
                    opaque,
                    qop,
                    nc,
                    userhash,
                    params,
                };
                if d == DigestCredentials::default() {
                    d.username = Some(ByteStr::from_static("u"));
                }
                d
            },
        )
}

fn credentials() -> impl Strategy<Value = Credentials> {
    prop_oneof![
        3 => digest_credentials().prop_map(Credentials::Digest),
        1 => other_scheme().prop_map(Credentials::Other),
    ]
}

fn authentication_info() -> impl Strategy<Value = AuthenticationInfo> {
    (
        prop::option::of(qtext()),
        prop::option::of(qop()),
        prop::option::of(hex()),
        prop::option::of(qtext()),
        prop::option::of(any::<u32>()),
        ext_auth_params(0, 2),
    )
        .prop_map(|(nextnonce, qop, rspauth, cnonce, nc, params)| {
            let mut a = AuthenticationInfo {
                nextnonce,
                qop,
                rspauth,
                cnonce,
                nc,
                params,
            };
            if a == AuthenticationInfo::default() {
                a.nextnonce = Some(ByteStr::from_static("n"));
            }
            a
        })
}

fn comment_text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ;:,./\u{e9}]{0,10}(\\([a-z ]{0,5}\\))?[a-z]{0,3}"
}

fn product_text() -> impl Strategy<Value = String> {
    let item = prop_oneof![
        (token(), prop::option::of(token())).prop_map(|(n, v)| match v {
            Some(v) => format!("{n}/{v}"),
            None => n.to_string(),
        }),
        comment_text().prop_map(|c| format!("({c})")),
    ];
    prop::collection::vec(item, 1..5).prop_map(|v| v.join(" "))
}

fn event_type() -> impl Strategy<Value = String> {
    (token_nodot(), prop::collection::vec(token_nodot(), 0..3)).prop_map(|(p, t)| {
        let mut s = p;
        for t in t {
            s.push('.');
            s.push_str(&t);
        }
        s
    })
}

fn warn_agent() -> impl Strategy<Value = WarnAgent> {
    prop_oneof![
        (host(), prop::option::of(any::<u16>()))
            .prop_map(|(host, port)| WarnAgent::Host { host, port }),
        token().prop_map(|t| WarnAgent::Pseudonym(ByteStr::from(format!("p_{t}")))),
    ]
}

fn date() -> impl Strategy<Value = Date> {
    (
        0u64..=253_402_300_799,
        prop::sample::select(vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ]),
        any::<bool>(),
    )
        .prop_map(|(secs, w, keep)| {
            let mut d = Date::from_unix_time(secs);
            if !keep {
                d.weekday = w;
            }
            d
        })
}

fn call_id() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9.!%*_+`'~()<>:/?{}\\[\\]-]{1,10}(@[a-zA-Z0-9.:\\[\\]-]{1,10})?"
}

// ---------------------------------------------------------------- the round trips

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn content_type(m in media_type(true)) { round_trip(&ContentType(m)); }

    #[test]
    fn accept_range(a in accept()) { round_trip(&a); }

    #[test]
    fn token_lists(t in token()) {
        round_trip(&ContentEncoding(t.clone()));
        round_trip(&Supported(t.clone()));
        round_trip(&Require(t.clone()));
        round_trip(&ProxyRequire(t.clone()));
        round_trip(&Unsupported(t));
    }

    #[test]
    fn numbers(n in any::<u32>()) {
        round_trip(&Expires(n));
        round_trip(&MinExpires(n));
        round_trip(&RSeq(n));
    }

    #[test]
    fn allow(m in method()) { round_trip(&Allow(m)); }

    #[test]
    fn auth_challenges(c in challenge()) {
        round_trip(&WwwAuthenticate(c.clone()));
        round_trip(&ProxyAuthenticate(c));
    }

    #[test]
    fn auth_credentials(c in credentials()) {
        round_trip(&Authorization(c.clone()));
        round_trip(&ProxyAuthorization(c));
    }

    #[test]
    fn authentication_info_rt(a in authentication_info()) { round_trip(&a); }

    #[test]
    fn retry_after(
        seconds in any::<u32>(),
        comment in prop::option::of(comment_text()),
        duration in prop::option::of(any::<u32>()),
        params in ext_params(2),
    ) {
        let mut r = RetryAfter::new(seconds);
        r.comment = comment.map(ByteStr::from);
        if let Some(d) = duration {
            r = r.with_duration(d);
        }
        for p in &params {
            r.params.push(p.clone());
        }
        round_trip(&r);
    }

    #[test]
    fn timestamp(
        value in "[0-9]{1,10}(\\.[0-9]{0,6})?",
        delay in prop::option::of("[0-9]{1,5}(\\.[0-9]{0,3})?|\\.[0-9]{0,3}"),
    ) {
        let mut t = Timestamp::new(value);
        t.delay = delay.map(ByteStr::from);
        round_trip(&t);
    }

    #[test]
    fn products(text in product_text()) {
        round_trip(&UserAgent::new(text.clone()));
        round_trip(&Server::new(text));
    }

    #[test]
    fn warning(code in 0u16..1000, agent in warn_agent(), text in qtext()) {
        round_trip(&Warning::new(code, agent, text));
    }

    #[test]
    fn reason(
        protocol in token(),
        cause in prop::option::of(any::<u16>()),
        text in prop::option::of(qtext()),
        params in ext_params(2),
    ) {
        round_trip(&Reason { protocol, cause, text, params });
    }

    #[test]
    fn rack(r in any::<u32>(), c in any::<u32>(), m in method()) {
        round_trip(&RAck::new(r, c, m));
    }

    #[test]
    fn event(t in event_type(), id in prop::option::of(token()), params in ext_params(2)) {
        let mut e = Event::new(t.clone());
        if let Some(id) = id {
            e = e.with_id(id);
        }
        for p in &params {
            e.params.push(p.clone());
        }
        round_trip(&e);
        round_trip(&AllowEvents::new(t));
    }

    #[test]
    fn subscription_state(
        state in prop_oneof![
            Just(SubState::Active),
            Just(SubState::Pending),
            Just(SubState::Terminated),
            token().prop_map(|t| SubState::Extension(ByteStr::from(format!("x{t}")))),
        ],
        reason in prop::option::of(token()),
        expires in prop::option::of(any::<u32>()),
        retry_after in prop::option::of(any::<u32>()),
        params in ext_params(2),
    ) {
        round_trip(&SubscriptionState { state, reason, expires, retry_after, params });
    }

    #[test]
    fn replaces(
        id in call_id(),
        to_tag in token(),
        from_tag in token(),
        early_only in any::<bool>(),
        params in ext_params(2),
    ) {
        let mut r = Replaces::new(id, to_tag, from_tag);
        r.early_only = early_only;
        r.params = params;
        round_trip(&r);
    }

    #[test]
    fn session_timers(
        seconds in any::<u32>(),
        refresher in prop::option::of(prop_oneof![Just(Refresher::Uac), Just(Refresher::Uas)]),
        params in ext_params(2),
    ) {
        round_trip(&SessionExpires { seconds, refresher, params: params.clone() });
        round_trip(&MinSe { seconds, params });
    }

    #[test]
    fn date_rt(d in date()) { round_trip(&d); }
}
