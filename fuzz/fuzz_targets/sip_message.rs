//! Datagram parse, serialize round trip, typed access of every header.
#![no_main]

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use sip_message::{header::typed::*, validate, Message, ParserConfig, Quirks, TypedHeader};

/// Parses every value of every header this crate types; a value that parses must write back
/// to text that parses to the same value.
macro_rules! typed_access {
    ($msg:expr, $($ty:ty),+ $(,)?) => {$(
        for value in $msg.typed_all::<$ty>().flatten() {
            let text = value.to_string();
            let again = <$ty as TypedHeader>::parse_str(&text).expect("canonical form parses");
            assert_eq!(again.to_string(), text);
        }
    )+};
}

fuzz_target!(|data: &[u8]| {
    let strict = ParserConfig::default();
    let mut lenient = ParserConfig::default();
    lenient.quirks(Quirks::all());
    for cfg in [&strict, &lenient] {
        let Ok(msg) = cfg.parse_datagram(Bytes::copy_from_slice(data)) else {
            continue;
        };
        for field in msg.headers() {
            for value in field.values() {
                let _ = value;
            }
        }
        typed_access!(
            msg, Via, CSeq, CallId, MaxForwards, ContentLength, From, To, Contact, Route,
            RecordRoute, Path, ServiceRoute, ReferTo, ReferredBy, ReplyTo, PAssertedIdentity,
            ContentType, Accept, ContentEncoding, Expires, MinExpires, Allow, Supported, Require,
            ProxyRequire, Unsupported, WwwAuthenticate, Authorization, ProxyAuthenticate,
            ProxyAuthorization, AuthenticationInfo, RetryAfter, Timestamp, UserAgent, Server,
            Warning, Reason, RSeq, RAck, Event, AllowEvents, SubscriptionState, Replaces,
            SessionExpires, MinSe, Date,
        );
        let _ = msg.request_uri();
        let _ = (msg.from_tag(), msg.to_tag(), msg.method(), msg.uri(), msg.reason());
        let _ = validate::check_request(&msg, &validate::Policy::default());
        // Serializing re-parses to the same message.
        let wire = msg.to_bytes();
        let again = cfg.parse_datagram(wire.clone()).expect("serialized message parses");
        assert_eq!(again.to_bytes(), wire);
        if std::ptr::eq(cfg, &strict) {
            assert_eq!(&wire[..], &data[..wire.len()]);
        }
        // Typed values written back parse to the same value.
        for via in msg.typed_all::<Via>().flatten() {
            assert_eq!(Via::parse_str(&via.to_string()).ok(), Some(via));
        }
        // Changing a header keeps a valid message.
        let mut changed = msg.clone();
        changed.replace_header(&sip_message::HeaderName::MaxForwards, "69").expect("valid value");
        assert!(Message::parse(changed.to_bytes()).is_ok());
    }
});
