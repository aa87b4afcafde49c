#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Hostile input for every typed header of this crate's "headers" family: arbitrary bytes
//! and mutated valid values never panic, and whatever parses serializes to a value that
//! parses to the same thing.

use bytes::Bytes;
use proptest::prelude::*;
use sip_message::header::*;
use sip_message::{Error, TypedHeader};

/// Parses `input` as `T`; when it parses, its canonical form must parse to an equal value.
fn check<T: TypedHeader + PartialEq + std::fmt::Debug>(input: &Bytes) {
    match T::parse(input) {
        Ok(v) => {
            let text = v.to_string();
            assert!(
                !text.contains(['\r', '\n']),
                "{:?} wrote a line break: {text:?}",
                T::NAME
            );
            let again = T::parse_str(&text)
                .unwrap_or_else(|e| panic!("{:?}: {input:?} → {text:?}: {e}", T::NAME));
            assert_eq!(again, v, "{:?}: {input:?} → {text:?}", T::NAME);
        }
        Err(Error::Header { name, offset, .. }) => {
            // Errors carry the header name and an offset inside the value.
            assert_eq!(name, T::NAME.as_str());
            assert!(
                offset <= input.len(),
                "{:?}: offset {offset} past {input:?}",
                T::NAME
            );
        }
        Err(other) => panic!("{:?}: {input:?} gave {other:?}", T::NAME),
    }
}

fn check_all(input: &Bytes) {
    check::<Accept>(input);
    check::<Allow>(input);
    check::<AllowEvents>(input);
    check::<AuthenticationInfo>(input);
    check::<Authorization>(input);
    check::<ContentEncoding>(input);
    check::<ContentType>(input);
    check::<Date>(input);
    check::<Event>(input);
    check::<Expires>(input);
    check::<MinExpires>(input);
    check::<MinSe>(input);
    check::<ProxyAuthenticate>(input);
    check::<ProxyAuthorization>(input);
    check::<ProxyRequire>(input);
    check::<RAck>(input);
    check::<RSeq>(input);
    check::<Reason>(input);
    check::<Replaces>(input);
    check::<Require>(input);
    check::<RetryAfter>(input);
    check::<Server>(input);
    check::<SessionExpires>(input);
    check::<SubscriptionState>(input);
    check::<Supported>(input);
    check::<Timestamp>(input);
    check::<Unsupported>(input);
    check::<UserAgent>(input);
    check::<Warning>(input);
    check::<WwwAuthenticate>(input);
}

/// Valid values of every header, to mutate.
const SEEDS: &[&str] = &[
    "application/sdp;charset=\"utf-8\"",
    "*/*;q=0.5;level=1",
    "gzip",
    "3600",
    "INVITE",
    "presence.winfo;id=\"x\"",
    "Digest realm=\"atlanta.com\", nonce=\"abc\", qop=\"auth,auth-int\", algorithm=SHA-256, stale=true, opaque=\"\"",
    "Digest username=\"bob\", uri=\"sip:a@b\", response=\"0123abcdef\", nc=00000001, qop=auth, cnonce=\"x\"",
    "Bearer realm=\"x\", scope=\"a b\"",
    "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
    "nextnonce=\"a\", rspauth=\"00\", qop=auth, nc=0000000f",
    "120 (in a (nested) meeting \\) );duration=60",
    "54.3 0.21",
    "Softphone/1.0 (Linux; x86) libsip/2",
    "307 [2001:db8::1]:5060 \"Session parameter 'foo' not understood\"",
    "Q.850;cause=16;text=\"Normal \\\"call\\\" clearing\"",
    "776656 1 INVITE",
    "active;expires=3600;reason=timeout;retry-after=10",
    "12345@host;to-tag=a;from-tag=b;early-only",
    "1800;refresher=uac",
    "Sat, 13 Nov 2010 23:29:00 GMT",
];

/// Bytes that matter to these grammars.
const SPECIAL: &[u8] = b" \t\r\n\"\\(),;=:/@<>[]*.0123456789abcdefGMTxDigest\x00\x7f\xff\xc3";

#[test]
fn seeds_parse_somewhere() {
    for seed in SEEDS {
        check_all(&Bytes::from_static(seed.as_bytes()));
    }
}

#[test]
fn every_truncation_of_every_seed() {
    for seed in SEEDS {
        for end in 0..=seed.len() {
            check_all(&Bytes::copy_from_slice(&seed.as_bytes()[..end]));
            check_all(&Bytes::copy_from_slice(&seed.as_bytes()[end..]));
        }
    }
}

#[test]
fn deep_nesting_and_long_values() {
    let deep = format!("1 {}{}", "(".repeat(100_000), ")".repeat(100_000));
    check_all(&Bytes::from(deep.clone()));
    check::<RetryAfter>(&Bytes::from(deep));
    let open = format!("a {}", "(".repeat(100_000));
    check::<UserAgent>(&Bytes::from(open));
    let many = format!("Digest {}", "a=b, ".repeat(10_000));
    check::<Authorization>(&Bytes::from(many));
    let digits = "9".repeat(10_000);
    check_all(&Bytes::from(digits));
    let folds = format!("{}x", "\r\n ".repeat(10_000));
    check_all(&Bytes::from(folds));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..120)) {
        check_all(&Bytes::from(bytes));
    }

    #[test]
    fn special_bytes(bytes in prop::collection::vec(prop::sample::select(SPECIAL), 0..60)) {
        check_all(&Bytes::from(bytes));
    }

    #[test]
    fn mutated_seeds(
        seed in prop::sample::select(SEEDS),
        edits in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(SPECIAL), 0u8..4), 1..6),
    ) {
        let mut bytes = seed.as_bytes().to_vec();
        for (at, b, kind) in edits {
            if bytes.is_empty() {
                bytes.push(b);
                continue;
            }
            let i = at.index(bytes.len());
            match kind {
                0 => bytes[i] = b,
                1 => bytes.insert(i, b),
                2 => {
                    // A fold: CRLF followed by whitespace.
                    bytes.splice(i..i, *b"\r\n ");
                }
                _ => {
                    bytes.remove(i);
                }
            }
        }
        check_all(&Bytes::from(bytes));
    }
}

#[test]
fn folds_inside_quoted_parameters() {
    for v in [
        "a/b;x=\"a\r\n b\"",
        "Digest realm=\"a\r\n b\", x=\"c\r\n\td\"",
        "Foo x=\"a\r\n b\"",
        "SIP;text=\"a\r\n b\";x=\"c\r\n d\"",
        "1 (a\r\n b);x=\"c\r\n d\"",
        "a\r\n (b\r\n c)",
        "ev;x=\"a\r\n b\"",
        "1;x=\"a\r\n b\"",
        "active;x=\"a\r\n b\"",
        "id;to-tag=a;from-tag=b;x=\"a\r\n b\"",
        "399 host \"a\r\n b\"",
    ] {
        check_all(&Bytes::from_static(v.as_bytes()));
    }
}
