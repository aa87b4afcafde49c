//! URIs, name-addrs and Contact values from arbitrary bytes: parsing never panics, and
//! whatever parses prints to a form that parses back to the same value.
#![no_main]

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use sip_message::{Contact, NameAddr, TypedHeader, Uri};

fuzz_target!(|data: &[u8]| {
    let buf = Bytes::copy_from_slice(data);
    if let Ok(uri) = Uri::parse(&buf) {
        let text = uri.to_string();
        let back = Uri::parse(&Bytes::from(text.clone()))
            .unwrap_or_else(|e| panic!("{uri:?} printed as {text:?} does not parse: {e}"));
        assert_eq!(back, uri, "{text}");
        assert!(back.rfc_eq(&uri), "{text}");
    }
    if let Ok(addr) = NameAddr::parse(&buf) {
        let text = addr.to_string();
        let back = NameAddr::parse(&Bytes::from(text.clone()))
            .unwrap_or_else(|e| panic!("{addr:?} printed as {text:?} does not parse: {e}"));
        assert_eq!(back, addr, "{text}");
    }
    if let Ok(contact) = Contact::parse(&buf) {
        let text = contact.to_string();
        let back = Contact::parse(&Bytes::from(text.clone()))
            .unwrap_or_else(|e| panic!("{contact:?} printed as {text:?} does not parse: {e}"));
        assert_eq!(back, contact, "{text}");
    }
});
