#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Streams one second of a 440 Hz tone as G.711 µ-law from one endpoint to another over
//! loopback UDP, and prints what the receiver played.
//!
//! `cargo run -p rtp --features tokio --example g711_stream`

use std::time::Duration;

use rtp::tokio::{Output, RtcpMode, RtpSocket};
use rtp::tone::ToneGenerator;
use rtp::{g711, Event, Playout, SessionConfig};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let local = "127.0.0.1:0".parse().unwrap();
    let mut alice = RtpSocket::bind(SessionConfig::default(), local, RtcpMode::Separate).await?;
    let mut bob = RtpSocket::bind(SessionConfig::default(), local, RtcpMode::Separate).await?;
    alice.set_remote(bob.local_rtp_addr()?, bob.local_rtcp_addr()?);
    bob.set_remote(alice.local_rtp_addr()?, alice.local_rtcp_addr()?);

    let sender = tokio::spawn(async move {
        let mut tone = ToneGenerator::new(440.0, 8000, 8000);
        let mut tick = tokio::time::interval(Duration::from_millis(20));
        for i in 0..50 {
            tick.tick().await;
            let mut pcm = [0i16; 160];
            tone.fill(&mut pcm);
            let mut frame = [0u8; 160];
            g711::encode_ulaw(&pcm, &mut frame);
            alice.send(&frame, i == 0).await?;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        alice.close(Some("end of tone")).await
    });

    let (mut packets, mut lost, mut peak) = (0, 0, 0i16);
    while let Some(output) = bob.next().await? {
        match output {
            Output::Media {
                playout: Playout::Packet(p),
                ..
            } => {
                let mut pcm = [0i16; 160];
                g711::decode_ulaw(p.payload(), &mut pcm);
                peak = peak.max(pcm.iter().copied().max().unwrap_or(0));
                packets += 1;
            }
            Output::Media {
                playout: Playout::Lost { .. },
                ..
            } => lost += 1,
            Output::Event(Event::Goodbye { reason, .. }) => {
                println!(
                    "BYE: {}",
                    String::from_utf8_lossy(reason.as_deref().unwrap_or_default())
                );
                break;
            }
            Output::Event(e) => println!("event: {e:?}"),
            _ => {}
        }
    }
    sender.await.unwrap()?;
    println!("played {packets} packets, {lost} concealed, peak sample {peak}");
    Ok(())
}
