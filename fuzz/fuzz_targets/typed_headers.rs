#![no_main]
//! Every typed header of the "headers" family of `sip-message` on arbitrary bytes: parsing
//! never panics, and a parsed value's canonical form parses back to the same value.

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use sip_message::header::*;
use sip_message::TypedHeader;

fn check<T: TypedHeader + PartialEq + std::fmt::Debug>(input: &Bytes) {
    if let Ok(v) = T::parse(input) {
        let text = v.to_string();
        assert!(!text.contains(['\r', '\n']), "line break in {text:?}");
        let again = T::parse_str(&text).expect("canonical form parses");
        assert_eq!(again, v);
    }
}

fuzz_target!(|data: &[u8]| {
    let input = Bytes::copy_from_slice(data);
    check::<Accept>(&input);
    check::<Allow>(&input);
    check::<AllowEvents>(&input);
    check::<AuthenticationInfo>(&input);
    check::<Authorization>(&input);
    check::<ContentEncoding>(&input);
    check::<ContentType>(&input);
    check::<Date>(&input);
    check::<Event>(&input);
    check::<Expires>(&input);
    check::<MinExpires>(&input);
    check::<MinSe>(&input);
    check::<ProxyAuthenticate>(&input);
    check::<ProxyAuthorization>(&input);
    check::<ProxyRequire>(&input);
    check::<RAck>(&input);
    check::<RSeq>(&input);
    check::<Reason>(&input);
    check::<Replaces>(&input);
    check::<Require>(&input);
    check::<RetryAfter>(&input);
    check::<Server>(&input);
    check::<SessionExpires>(&input);
    check::<SubscriptionState>(&input);
    check::<Supported>(&input);
    check::<Timestamp>(&input);
    check::<Unsupported>(&input);
    check::<UserAgent>(&input);
    check::<Warning>(&input);
    check::<WwwAuthenticate>(&input);
});
