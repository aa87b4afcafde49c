//! Datagrams into a transaction layer: chunks separated by a 0xFF byte are parsed and fed
//! as received messages, each preceded by a clock step taken from its first byte; the
//! layer's outputs are drained and the clock run to the end. Nothing may panic.
#![no_main]

use std::time::{Duration, Instant};

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use sip_message::Message;
use sip_transaction::{Config, Received, TransactionLayer, TransportKind};

fuzz_target!(|data: &[u8]| {
    let mut config = Config::default();
    config.rng_seed([0; 32]).max_server_transactions(64);
    let Ok(mut layer) = TransactionLayer::new(config) else {
        return;
    };
    let mut now = Instant::now();
    let source = "192.0.2.1:5060".parse().unwrap();
    let destination = "192.0.2.2:5060".parse().unwrap();
    for chunk in data.split(|&b| b == 0xff) {
        let Some((&step, wire)) = chunk.split_first() else {
            continue;
        };
        now += Duration::from_millis(u64::from(step) * 250);
        layer.handle_timeout(now);
        let transport = if step & 1 == 0 {
            TransportKind::Udp
        } else {
            TransportKind::Tcp
        };
        if let Ok(message) = Message::parse(Bytes::copy_from_slice(wire)) {
            layer.handle_message(
                now,
                Received {
                    message,
                    transport,
                    source,
                    destination,
                },
            );
        }
        while layer.poll_transmit().is_some() {}
        while layer.poll_event().is_some() {}
    }
    let mut steps = 0;
    while let Some(deadline) = layer.poll_timeout() {
        steps += 1;
        assert!(steps < 100_000, "timers never settle");
        layer.handle_timeout(deadline);
        while layer.poll_transmit().is_some() {}
        while layer.poll_event().is_some() {}
    }
});
