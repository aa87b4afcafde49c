#![no_main]
//! STUN: decode, every accessor and verifier, and the sans-IO server and client fed the input.

use std::net::SocketAddr;
use std::time::Instant;

use libfuzzer_sys::fuzz_target;
use stun::{
    Attribute, Authentication, Client, ClientConfig, IntegrityKey, Message, Server, ServerConfig, Transport,
};

fuzz_target!(|data: &[u8]| {
    let _ = stun::classify(data);
    let _ = stun::is_stun_with_fingerprint(data);
    let key = IntegrityKey::from_bytes(b"fuzz");
    for message in [Message::decode(data), Message::decode_classic(data)].into_iter().flatten() {
        let _ = message.verify_integrity(&key);
        let _ = message.verify_integrity_sha1(&key);
        let _ = message.verify_fingerprint();
        let _ = message.mapped_address();
        let _ = message.unknown_comprehension_required().count();
        for raw in message.attributes() {
            match Attribute::decode(raw, &message.transaction_id()) {
                Ok(Attribute::UnknownAttributes(list)) => {
                    let _ = list.iter().count();
                }
                Ok(Attribute::PasswordAlgorithms(list)) => {
                    let _ = list.iter().count();
                }
                _ => {}
            }
        }
    }
    let now = Instant::now();
    let source: SocketAddr = ([192, 0, 2, 9], 4000).into();
    let users = std::collections::HashMap::from([("u".to_owned(), "p".to_owned())]);
    for authentication in [Authentication::None, Authentication::long_term("r", users)] {
        let config = ServerConfig { authentication, rng_seed: Some([0; 32]), ..ServerConfig::default() };
        if let Ok(mut server) = Server::new(config, now) {
            server.handle_input(now, source, data);
            while let Some(t) = server.poll_transmit() {
                assert!(Message::decode_classic(&t.payload).is_ok());
            }
        }
    }
    if let Ok(mut client) = Client::new(ClientConfig { rng_seed: Some([0; 32]), ..ClientConfig::default() }) {
        if client.binding(now, source, Transport::Udp).is_ok() {
            client.handle_input(now, source, data);
        }
    }
});
