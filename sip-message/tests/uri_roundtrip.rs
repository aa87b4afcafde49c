#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Property tests: generated URIs, name-addrs and URI-bearing headers survive
//! Display → parse unchanged, and a URI is always `rfc_eq` to its own reparse.

use std::net::{Ipv4Addr, Ipv6Addr};

use bytes::Bytes;
use proptest::prelude::*;
use sip_message::uri::{escape, AbsoluteUri, EscapeSet, SipUri, TelUri, UriHeader};
use sip_message::{
    ByteStr, Contact, From, Host, NameAddr, PAssertedIdentity, Param, Params, Path, RecordRoute,
    ReferTo, ReferredBy, ReplyTo, Route, ServiceRoute, To, TypedHeader, Uri,
};

fn escaped(set: EscapeSet, min: usize) -> impl Strategy<Value = ByteStr> {
    proptest::string::string_regex(&format!(".{{{min},8}}"))
        .unwrap()
        .prop_map(move |s| ByteStr::from(escape(set, &s).into_owned()))
}

fn host() -> impl Strategy<Value = Host> {
    prop_oneof![
        proptest::collection::vec("[a-zA-Z0-9]([a-zA-Z0-9-]{0,4}[a-zA-Z0-9])?", 0..3)
            .prop_flat_map(|labels| {
                ("[a-zA-Z]([a-zA-Z0-9-]{0,4}[a-zA-Z0-9])?", any::<bool>()).prop_map(
                    move |(top, dot)| {
                        let mut all = labels.clone();
                        all.push(top);
                        let mut name = all.join(".");
                        if dot {
                            name.push('.');
                        }
                        Host::Domain(ByteStr::from(name))
                    },
                )
            }),
        any::<u32>().prop_map(|a| Host::Ipv4(Ipv4Addr::from(a))),
        any::<u128>().prop_map(|a| Host::Ipv6(Ipv6Addr::from(a))),
    ]
}

fn uri_params() -> impl Strategy<Value = Params> {
    proptest::collection::vec(
        (
            escaped(EscapeSet::Param, 1),
            proptest::option::of(escaped(EscapeSet::Param, 1)),
        ),
        0..4,
    )
    .prop_map(|ps| {
        ps.into_iter()
            .map(|(name, value)| Param { name, value })
            .collect()
    })
}

fn sip_uri() -> impl Strategy<Value = SipUri> {
    (
        any::<bool>(),
        proptest::option::of((
            escaped(EscapeSet::User, 1),
            proptest::option::of(escaped(EscapeSet::Password, 0)),
        )),
        host(),
        proptest::option::of(any::<u16>()),
        uri_params(),
        proptest::collection::vec(
            (escaped(EscapeSet::Header, 1), escaped(EscapeSet::Header, 0)),
            0..3,
        ),
    )
        .prop_map(|(secure, userinfo, host, port, params, headers)| {
            let (user, password) = match userinfo {
                Some((u, p)) => (Some(u), p),
                None => (None, None),
            };
            SipUri {
                secure,
                user,
                password,
                host,
                port,
                params,
                headers: headers
                    .into_iter()
                    .map(|(name, value)| UriHeader { name, value })
                    .collect(),
            }
        })
}

fn tel_uri() -> impl Strategy<Value = TelUri> {
    let global = "\\+[0-9().-]{0,6}[0-9][0-9().-]{0,6}".prop_map(|n| (n, None));
    let local = (
        "[0-9a-fA-F*#().-]{0,6}[0-9a-fA-F*#]",
        prop_oneof![
            "\\+[0-9-]{0,4}[0-9]".boxed(),
            "([a-z0-9]\\.)?[a-z][a-z0-9-]{0,4}[a-z0-9]".boxed()
        ],
    )
        .prop_map(|(n, c)| (n, Some(c)));
    (
        prop_oneof![global, local],
        proptest::option::of("[0-9][0-9().-]{0,4}"),
        proptest::collection::vec(
            (
                "x-[a-z0-9-]{1,5}",
                proptest::option::of(escaped(EscapeSet::Param, 1)),
            ),
            0..3,
        ),
    )
        .prop_map(|((number, context), ext, others)| {
            let mut params = Params::new();
            if let Some(ext) = ext {
                params.push(Param::new("ext", ext));
            }
            if let Some(c) = context {
                params.push(Param::new("phone-context", c));
            }
            for (i, (name, value)) in others.into_iter().enumerate() {
                params.push(Param {
                    name: ByteStr::from(format!("{name}{i}")),
                    value,
                });
            }
            TelUri {
                number: ByteStr::from(number),
                params,
            }
        })
}

fn absolute_uri() -> impl Strategy<Value = AbsoluteUri> {
    (
        "[a-z][a-z0-9+.-]{0,6}".prop_filter("interpreted scheme", |s| {
            !matches!(s.as_str(), "sip" | "sips" | "tel")
        }),
        "([a-zA-Z0-9:/?#@!$&'()*+,;=._~\\[\\]-]|%[0-9A-F]{2}){1,16}",
    )
        .prop_map(|(scheme, rest)| AbsoluteUri {
            scheme: ByteStr::from(scheme),
            rest: ByteStr::from(rest),
        })
}

fn uri() -> impl Strategy<Value = Uri> {
    prop_oneof![
        3 => sip_uri().prop_map(Uri::Sip),
        1 => tel_uri().prop_map(Uri::Tel),
        1 => absolute_uri().prop_map(Uri::Absolute),
    ]
}

fn header_params(avoid: &'static [&'static str]) -> impl Strategy<Value = Params> {
    proptest::collection::vec(
        (
            "[a-zA-Z0-9.!%*_+`'~-]{1,8}",
            proptest::option::of(prop_oneof![
                "[a-zA-Z0-9.!%*_+`'~-]{1,8}".boxed(),
                "[a-zA-Z0-9 ;,=@<>:]{0,8}"
                    .prop_map(|s| sip_message::quote(&s))
                    .boxed(),
                "\\[[0-9a-f:]{2,8}\\]".boxed(),
            ]),
        ),
        0..4,
    )
    .prop_map(move |ps| {
        ps.into_iter()
            .filter(|(n, _)| !avoid.iter().any(|a| n.eq_ignore_ascii_case(a)))
            .map(|(name, value)| Param {
                name: ByteStr::from(name),
                value: value.map(ByteStr::from),
            })
            .collect()
    })
}

fn name_addr_with(avoid: &'static [&'static str]) -> impl Strategy<Value = NameAddr> {
    (
        proptest::option::of("[^\r\n]{0,10}"),
        uri(),
        header_params(avoid),
    )
        .prop_map(|(display_name, uri, params)| NameAddr {
            display_name: display_name.map(ByteStr::from),
            uri,
            params,
        })
}

fn name_addr() -> impl Strategy<Value = NameAddr> {
    name_addr_with(&[])
}

fn round_trip<H: TypedHeader + PartialEq + core::fmt::Debug>(h: &H) -> Result<(), TestCaseError> {
    let text = h.to_string();
    let back = H::parse(&Bytes::from(text.clone()))
        .map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
    prop_assert_eq!(&back, h, "{}", text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn uri_round_trip(u in uri()) {
        let text = u.to_string();
        let back = Uri::parse(&Bytes::from(text.clone()))
            .map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(&back, &u, "{}", text);
        prop_assert!(back.rfc_eq(&u), "{}", text);
        prop_assert_eq!(back.to_string(), text);
    }

    #[test]
    fn name_addr_round_trip(a in name_addr()) {
        let text = a.to_string();
        let back = NameAddr::parse(&Bytes::from(text.clone()))
            .map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(&back, &a, "{}", text);
    }

    #[test]
    fn from_to_reply_refer_round_trip(a in name_addr()) {
        round_trip(&From(a.clone()))?;
        round_trip(&To(a.clone()))?;
        round_trip(&ReplyTo(a.clone()))?;
        round_trip(&ReferTo(a.clone()))?;
        round_trip(&ReferredBy(a.clone()))?;
        round_trip(&Route(a.clone()))?;
        round_trip(&RecordRoute(a.clone()))?;
        round_trip(&Path(a.clone()))?;
        round_trip(&ServiceRoute(a))?;
    }

    #[test]
    fn p_asserted_identity_round_trip(mut a in name_addr()) {
        a.params = Params::new();
        round_trip(&PAssertedIdentity(a))?;
    }

    #[test]
    fn contact_round_trip(
        a in name_addr_with(&["q", "expires"]),
        q in proptest::option::of(0u16..=1000),
        expires in proptest::option::of(any::<u32>()),
        wildcard in proptest::bool::weighted(0.05),
    ) {
        let mut c = Contact::Address(a);
        if let Some(q) = q {
            c.set_q(q).unwrap();
            prop_assert_eq!(c.q(), Some(q));
        }
        if let Some(e) = expires {
            c.set_expires(e).unwrap();
            prop_assert_eq!(c.expires(), Some(e));
        }
        if wildcard {
            c = Contact::Wildcard;
        }
        round_trip(&c)?;
    }

    /// Escaping then unescaping gives the text back, for every set.
    #[test]
    fn escape_round_trip(s in ".{0,16}") {
        for set in [EscapeSet::User, EscapeSet::Password, EscapeSet::Param, EscapeSet::Header] {
            let e = escape(set, &s);
            prop_assert_eq!(sip_message::uri::unescape(&e), s.as_str());
        }
    }

    /// Writing any character of a user part as `%XX` (unless reserved) keeps the URI
    /// §19.1.4-equal, while the structural `==` sees the difference.
    #[test]
    fn escaped_user_is_rfc_equal(user in "[a-zA-Z0-9_~*'().!-]{1,8}", at in 0usize..8) {
        let plain: Uri = format!("sip:{user}@h").parse().unwrap();
        let at = at % user.len();
        let b = user.as_bytes()[at];
        let escaped_user = format!("{}%{b:02X}{}", &user[..at], &user[at + 1..]);
        let escaped: Uri = format!("sip:{escaped_user}@h").parse().unwrap();
        prop_assert!(plain.rfc_eq(&escaped));
        prop_assert_ne!(plain, escaped);
    }
}
