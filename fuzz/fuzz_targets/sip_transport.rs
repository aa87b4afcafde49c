//! Stream bytes into a `StreamReceiver`, split where a 0xFF byte says; every received
//! message that is a request is stamped (§18.2.1) and routed (§18.2.2). The first bytes
//! also drive a URI through RFC 3263 resolution. Nothing may panic and the buffer stays
//! under the limit plus one chunk.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sip_message::{Limits, ParserConfig};
use sip_transaction::TransportKind;
use sip_transport::{stamp_and_route, Resolution, SipUri, StreamEvent, StreamReceiver};

fuzz_target!(|data: &[u8]| {
    let mut limits = Limits::default();
    limits.max_message_size(4096);
    let mut rx = StreamReceiver::new(ParserConfig::with_limits(limits));
    for chunk in data.split(|b| *b == 0xFF) {
        rx.handle_data(chunk);
        while let Some(event) = rx.poll_event() {
            if let StreamEvent::Message(mut m) = event {
                if m.is_request() {
                    let _ = stamp_and_route(&mut m, "192.0.2.1:5060".parse().unwrap(), TransportKind::Tcp);
                }
            }
        }
        assert!(rx.buffered() <= 4096 + chunk.len());
    }
    let _ = rx.handle_eof();
    if let Ok(text) = std::str::from_utf8(data.get(..data.len().min(80)).unwrap_or_default()) {
        if let Ok(uri) = SipUri::parse(text) {
            let mut r = Resolution::new(&uri, &[TransportKind::Udp, TransportKind::Tcp]);
            while let Some(q) = r.poll_query() {
                match q {
                    sip_transport::Query::Naptr(n) => r.handle_naptr(&n, vec![]),
                    sip_transport::Query::Srv(n) => r.handle_srv(&n, vec![]),
                    sip_transport::Query::Addresses(n) => {
                        r.handle_addresses(&n, vec!["192.0.2.9".parse().unwrap()])
                    }
                }
            }
        }
    }
});
