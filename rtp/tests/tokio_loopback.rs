#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(feature = "tokio")]
//! Two endpoints stream G.711 over loopback UDP through the tokio adapter.

use std::time::Duration;

use rtp::tokio::{Output, RtcpMode, RtpSocket};
use rtp::tone::ToneGenerator;
use rtp::{g711, Event, Playout, SessionConfig};

fn config(seed: u8) -> SessionConfig {
    let mut c = SessionConfig::default();
    c.rng_seed = Some([seed; 32]);
    c
}

async fn stream(mode: RtcpMode) {
    let local = "127.0.0.1:0".parse().unwrap();
    let mut alice = RtpSocket::bind(config(1), local, mode).await.unwrap();
    let mut bob = RtpSocket::bind(config(2), local, mode).await.unwrap();
    alice.set_remote(
        bob.local_rtp_addr().unwrap(),
        bob.local_rtcp_addr().unwrap(),
    );
    bob.set_remote(
        alice.local_rtp_addr().unwrap(),
        alice.local_rtcp_addr().unwrap(),
    );
    if mode == RtcpMode::Separate {
        assert_eq!(
            alice.local_rtcp_addr().unwrap().port(),
            alice.local_rtp_addr().unwrap().port() + 1
        );
    }

    // Ten 20 ms frames of a 440 Hz tone, sent in a burst; the jitter buffer paces playout.
    let mut tone = ToneGenerator::new(440.0, 8000, 8000);
    let mut expected = Vec::new();
    for i in 0..10 {
        let mut pcm = [0i16; 160];
        tone.fill(&mut pcm);
        let mut frame = [0u8; 160];
        g711::encode_ulaw(&pcm, &mut frame);
        let mut decoded = [0i16; 160];
        g711::decode_ulaw(&frame, &mut decoded);
        expected.push(decoded);
        alice.send(&frame, i == 0).await.unwrap();
    }
    let alice_ssrc = alice.session().ssrc();
    let mut closed = false;

    let mut received = Vec::new();
    let mut saw_new_source = false;
    let mut saw_bye = false;
    while !(saw_bye && received.len() == expected.len()) {
        if received.len() == expected.len() && !closed {
            // RTP and RTCP travel on different sockets: close only once the media is in.
            alice.close(Some("done")).await.unwrap();
            closed = true;
        }
        let out = tokio::time::timeout(Duration::from_secs(5), bob.next())
            .await
            .expect("timed out")
            .unwrap();
        match out {
            Some(Output::Media {
                ssrc,
                playout: Playout::Packet(p),
            }) => {
                assert_eq!(ssrc, alice_ssrc);
                let mut pcm = [0i16; 160];
                g711::decode_ulaw(p.payload(), &mut pcm);
                received.push(pcm);
            }
            Some(Output::Media {
                playout: Playout::Lost { .. },
                ..
            }) => panic!("loss on loopback"),
            Some(Output::Event(Event::NewSource { ssrc })) => {
                assert_eq!(ssrc, alice_ssrc);
                saw_new_source = true;
            }
            Some(Output::Event(Event::Goodbye { ssrc, reason })) => {
                assert_eq!(ssrc, alice_ssrc);
                assert_eq!(reason.as_deref(), Some(&b"done"[..]));
                saw_bye = true;
            }
            Some(_) => {}
            None => break,
        }
    }
    assert!(saw_new_source);
    assert_eq!(received, expected);
}

#[tokio::test]
async fn g711_over_socket_pair() {
    stream(RtcpMode::Separate).await;
}

#[tokio::test]
async fn g711_over_rtcp_mux() {
    stream(RtcpMode::Multiplexed).await;
}
