#![allow(
    missing_docs,
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::net::{IpAddr, Ipv4Addr};

use sdp::{
    Codec, NegotiatedSession, OfferAnswer, Sdp, SessionConfig, SessionDescription, StreamConfig,
};

pub fn v4(last: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(192, 0, 2, last))
}

pub fn alice(streams: Vec<StreamConfig>) -> OfferAnswer {
    OfferAnswer::new(SessionConfig::new("alice", 1000, v4(1)), streams)
}

pub fn bob(streams: Vec<StreamConfig>) -> OfferAnswer {
    OfferAnswer::new(SessionConfig::new("bob", 2000, v4(2)), streams)
}

/// Runs one full exchange over the wire format: `offerer` offers, `answerer` answers.
/// Returns (offer text, answer text).
pub fn exchange(offerer: &mut OfferAnswer, answerer: &mut OfferAnswer) -> (String, String) {
    let offer = offerer.create_offer().unwrap().to_vec();
    answerer
        .set_remote_offer(&Sdp::parse(&offer).unwrap())
        .unwrap();
    let answer = answerer.create_answer().unwrap().to_vec();
    offerer
        .set_remote_answer(&Sdp::parse(&answer).unwrap())
        .unwrap();
    (
        String::from_utf8(offer).unwrap(),
        String::from_utf8(answer).unwrap(),
    )
}

pub fn session(e: &OfferAnswer) -> &NegotiatedSession {
    e.negotiated().unwrap()
}

pub fn parse(text: &str) -> SessionDescription<'_> {
    Sdp::parse(text.as_bytes()).unwrap().into_description()
}

pub fn audio(ip: IpAddr, port: u16, codecs: Vec<Codec>) -> StreamConfig {
    StreamConfig::audio(ip, port, codecs)
}
