//! Datagram parse, serialize round trip, typed access of every header.
#![no_main]

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use sip_message::{
    header::typed::{CSeq, CallId, ContentLength, MaxForwards, Via},
    validate, Message, ParserConfig, Quirks,
};

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
        let _ = msg.typed_all::<Via>().count();
        let _ = msg.typed_all::<CSeq>().count();
        let _ = msg.typed_all::<CallId>().count();
        let _ = msg.typed_all::<MaxForwards>().count();
        let _ = msg.typed_all::<ContentLength>().count();
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
            assert_eq!(<Via as sip_message::TypedHeader>::parse_str(&via.to_string()).ok(), Some(via));
        }
        // Changing a header keeps a valid message.
        let mut changed = msg.clone();
        changed.replace_header(&sip_message::HeaderName::MaxForwards, "69").expect("valid value");
        assert!(Message::parse(changed.to_bytes()).is_ok());
    }
});
