#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Hostile input for the URI, name-addr and URI-bearing header parsers: nothing panics,
//! everything either parses into a value that survives Display → parse, or fails with an
//! offset inside the input.

use bytes::Bytes;
use proptest::prelude::*;
use sip_message::{
    Contact, Error, From, NameAddr, PAssertedIdentity, Path, RecordRoute, ReferTo, ReferredBy,
    ReplyTo, Route, ServiceRoute, To, TypedHeader, Uri,
};

/// Parses `input` every way this part of the crate can; checks the invariants.
fn check(input: &[u8]) {
    let buf = Bytes::copy_from_slice(input);
    check_one::<UriParse>(&buf);
    check_one::<NameAddrParse>(&buf);
    check_one::<From>(&buf);
    check_one::<To>(&buf);
    check_one::<Contact>(&buf);
    check_one::<Route>(&buf);
    check_one::<RecordRoute>(&buf);
    check_one::<Path>(&buf);
    check_one::<ServiceRoute>(&buf);
    check_one::<ReferTo>(&buf);
    check_one::<ReferredBy>(&buf);
    check_one::<ReplyTo>(&buf);
    check_one::<PAssertedIdentity>(&buf);
}

/// Adapters so that `Uri` and `NameAddr` go through the same checks as headers.
#[derive(Debug, PartialEq)]
struct UriParse(Uri);
#[derive(Debug, PartialEq)]
struct NameAddrParse(NameAddr);

impl core::fmt::Display for UriParse {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.0.fmt(f)
    }
}
impl core::fmt::Display for NameAddrParse {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.0.fmt(f)
    }
}
impl TypedHeader for UriParse {
    const NAME: sip_message::HeaderName = sip_message::HeaderName::To;
    fn parse(value: &Bytes) -> sip_message::Result<Self> {
        Uri::parse(value).map(Self)
    }
}
impl TypedHeader for NameAddrParse {
    const NAME: sip_message::HeaderName = sip_message::HeaderName::To;
    fn parse(value: &Bytes) -> sip_message::Result<Self> {
        NameAddr::parse(value).map(Self)
    }
}

fn check_one<H: TypedHeader + PartialEq + core::fmt::Debug>(buf: &Bytes) {
    match H::parse(buf) {
        Ok(value) => {
            let text = value.to_string();
            assert!(
                !text.contains(['\r', '\n']),
                "{} from {buf:?} wrote a line break: {text:?}",
                core::any::type_name::<H>()
            );
            let back = H::parse(&Bytes::from(text.clone())).unwrap_or_else(|e| {
                panic!(
                    "{}: {buf:?} parsed, its form {text:?} did not: {e}",
                    core::any::type_name::<H>()
                )
            });
            assert_eq!(back, value, "{text}");
        }
        Err(e) => {
            if let Some(offset) = e.offset() {
                assert!(offset <= buf.len(), "{e} past the end of {buf:?}");
            }
        }
    }
}

#[test]
fn nasty_inputs() {
    let long_params = format!("sip:h{}", ";a=b".repeat(5_000));
    let long_user = format!("sip:{}@h", "%41".repeat(5_000));
    let brackets = format!("sip:[{}]", ":".repeat(10_000));
    let angles = format!("{}sip:x{}", "<".repeat(1000), ">".repeat(1000));
    let tokens = format!("{} <sip:x>", "a ".repeat(5_000));
    let headers = format!("<sip:h?{}>", "a=b&".repeat(5_000) + "c=d");
    let cases: Vec<&[u8]> = vec![
        b"",
        b" ",
        b"\0",
        b"sip:",
        b"sip:\0@h",
        b"sip:\xff@h",
        b"sip:a@h\xff",
        b"<sip:\xc3\xa9@h>",
        b"\"\xff\" <sip:h>",
        b"sip:a%",
        b"sip:a%4",
        b"sip:h:99999999999999999999999",
        b"sip:h:-1",
        b"sip:[v1.fe]",
        b"sip:[::1]]",
        b"sip:[1:2:3:4:5:6:7:8:9]",
        b"sip:[::ffff:1.2.3.4.5]",
        b"sip:1.2.3.4.5",
        b"sip:a@b\r\nVia: x",
        b"<sip:a@b>\r\n;tag=1",
        b"<sip:a@b>\r\n ;tag=1",
        b"<sip:x?Via=a%0D%0Ab>",
        b"\"\\",
        b"\"a\\\r\" <sip:x>",
        b"\"a\r\nb\" <sip:x>",
        b"J\xc3\xbcrgen <sip:x>",
        b"<<sip:x>>",
        b"<>",
        b"<sip:x>>",
        b"*",
        b"**",
        b"* *",
        b"*;",
        b"tel:",
        b"tel:+",
        b"tel:;phone-context=x",
        b"tel:1;phone-context=;phone-context=x",
        b"tel:+1;isub=%;",
        b"tel:+1;isub=;x",
        b"mailto:",
        b"x:y z",
        b"sip:a;b;c@d;e;f",
        b"sip:@",
        b"sip::@h",
        b"sip:a:b:c@h",
        b"sips:a@h;;",
        b"sip:h;=x",
        b"sip:h?=x",
        b"sip:h?&",
        long_params.as_bytes(),
        long_user.as_bytes(),
        brackets.as_bytes(),
        angles.as_bytes(),
        tokens.as_bytes(),
        headers.as_bytes(),
    ];
    for case in cases {
        check(case);
    }
}

#[test]
fn errors_carry_offsets_and_kinds() {
    let e = Uri::parse(&Bytes::from_static(b"sip:a@b\r\nVia: x")).unwrap_err();
    assert!(matches!(e, Error::Uri { offset: 7, .. }), "{e}");
    let e = From::parse_str("<sip:a@b>;tag").unwrap();
    assert_eq!(e.params.get("tag"), None);
    let e = To::parse_str("<sip:a@b>;tag=").unwrap_err();
    assert!(
        matches!(
            e,
            Error::Header {
                name: "To",
                offset: 14,
                ..
            }
        ),
        "{e}"
    );
    let e = From::parse_str("\"x\" <sip:a@b:>").unwrap_err();
    assert!(matches!(e, Error::Uri { offset: 13, .. }), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes(input in proptest::collection::vec(any::<u8>(), 0..64)) {
        check(&input);
    }

    /// Random text over the fragments URIs and name-addrs are made of reaches deeper states
    /// than uniform bytes.
    #[test]
    fn grammar_soup(parts in proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..24)) {
        check(parts.concat().as_bytes());
    }
}

const FRAGMENTS: &[&str] = &[
    "sip:",
    "sips:",
    "tel:",
    "mailto:",
    "<",
    ">",
    "\"",
    "\\",
    ";",
    "=",
    "?",
    "&",
    "@",
    ":",
    "%",
    "%4",
    "%41",
    "%3B",
    "[",
    "]",
    "::",
    ".",
    "+",
    "-",
    "*",
    "#",
    "a",
    "B",
    "1",
    "9",
    " ",
    ",",
    "\r\n ",
    "\r\n",
    "tag",
    "lr",
    "q",
    "expires",
    "phone-context",
    "ext",
    "isub",
    "\u{e9}",
    "\0",
    "\t",
    "(",
    ")",
];
