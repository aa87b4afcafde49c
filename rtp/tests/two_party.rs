#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Two sessions over a simulated network: statistics, reports, RTT, playout, collisions.

mod common;

use std::time::Duration;

use common::{config, LinkConfig, Pair};
use rtp::{Event, Playout};

const MS: Duration = Duration::from_millis(1);

#[test]
fn clean_link_constant_delay() {
    let link = LinkConfig {
        loss: 0.0,
        duplicate: 0.0,
        delay: 40 * MS,
        jitter: Duration::ZERO,
    };
    let mut p = Pair::new(1, config(1), config(2), link, 1000);
    p.run(p.t0 + Duration::from_secs(25));
    let alice = p.alice.ssrc();
    let st = p.bob.source_statistics(alice).unwrap();
    // Constant delay: interarrival jitter exactly 0 (A.8), nothing lost.
    assert_eq!(st.jitter(), 0);
    assert_eq!(st.cumulative_lost(), 0);
    assert_eq!(st.expected(), 999); // the first packet is A.1's probation packet
                                    // Every packet played, in order, none concealed.
    assert_eq!(p.bob_playout.len(), 1000);
    assert!(p
        .bob_playout
        .iter()
        .all(|x| matches!(x, Playout::Packet(_))));
    // RTT = 80 ms from Alice's view of Bob's reports.
    let rtts: Vec<Duration> = p
        .alice_events
        .iter()
        .filter_map(|(_, e)| match e {
            Event::ReceptionReport {
                round_trip_time: Some(r),
                ..
            } => Some(*r),
            _ => None,
        })
        .collect();
    assert!(rtts.len() >= 2, "{rtts:?}");
    for r in rtts {
        assert!((r.as_secs_f64() - 0.080).abs() < 0.0002, "{r:?}");
    }
    // Bob learned Alice's CNAME from SDES.
    assert_eq!(
        p.bob.source_cname(alice).map(|c| &c[..]),
        Some(p.alice.cname())
    );
}

#[test]
fn lossy_link_statistics_match_the_link_log() {
    let link = LinkConfig {
        loss: 0.1,
        duplicate: 0.05,
        delay: 30 * MS,
        jitter: 60 * MS,
    };
    for seed in 0..3 {
        let mut p = Pair::new(seed, config(3), config(4), link, 1500);
        p.run(p.t0 + Duration::from_secs(40));
        let alice = p.alice.ssrc();
        let st = p.bob.source_statistics(alice).unwrap();
        // A.1: base is the second packet; received counts every copy after probation.
        let base = p.rtp_log[1].0;
        let max_delivered = p.rtp_log[1..]
            .iter()
            .filter(|(_, c)| *c > 0)
            .map(|(s, _)| s.wrapping_sub(base))
            .max()
            .unwrap();
        let copies: u32 = p.rtp_log[1..].iter().map(|(_, c)| c).sum();
        assert_eq!(st.expected(), u32::from(max_delivered) + 1, "seed {seed}");
        assert_eq!(st.received(), copies, "seed {seed}");
        assert_eq!(
            i64::from(st.cumulative_lost()),
            i64::from(st.expected()) - i64::from(copies),
            "seed {seed}"
        );
        // Random 0-60 ms delay on 20 ms packets: jitter well above 0 (in 1/8000 s units).
        assert!(
            st.jitter() > 50 && st.jitter() < 480,
            "seed {seed}: {}",
            st.jitter()
        );
        // Playout in order; every sequence number played or concealed exactly once.
        let seqs: Vec<u16> = p
            .bob_playout
            .iter()
            .map(|x| match x {
                Playout::Packet(m) => m.sequence_number,
                Playout::Lost {
                    sequence_number, ..
                } => *sequence_number,
            })
            .collect();
        assert!(
            seqs.windows(2).all(|w| w[1] == w[0].wrapping_add(1)),
            "seed {seed}"
        );
        let lost_on_link = p.rtp_log.iter().filter(|(_, c)| *c == 0).count();
        let concealed = p
            .bob_playout
            .iter()
            .filter(|x| matches!(x, Playout::Lost { .. }))
            .count();
        assert!(
            concealed >= lost_on_link.saturating_sub(1) && concealed <= lost_on_link + 40,
            "seed {seed}: {concealed} vs {lost_on_link}"
        );
        // Alice heard about the loss in Bob's reports.
        let fractions: Vec<u8> = p
            .alice_events
            .iter()
            .filter_map(|(_, e)| match e {
                Event::ReceptionReport { block, .. } => Some(block.fraction_lost),
                _ => None,
            })
            .collect();
        assert!(
            !fractions.is_empty() && fractions.iter().any(|f| *f > 0),
            "seed {seed}: {fractions:?}"
        );
    }
}

#[test]
fn same_ssrc_collides_and_both_recover() {
    let link = LinkConfig {
        loss: 0.0,
        duplicate: 0.0,
        delay: 10 * MS,
        jitter: Duration::ZERO,
    };
    let (mut a, mut b) = (config(9), config(10));
    a.ssrc = Some(0x5555_5555);
    b.ssrc = Some(0x5555_5555);
    let mut p = Pair::new(5, a, b, link, 200);
    assert_eq!(p.alice.ssrc(), p.bob.ssrc());
    // Bob sends too, so that both see their own SSRC coming in.
    p.bob.send_rtp(p.t0, &[0xFF; 160], true).unwrap();
    p.run(p.t0 + Duration::from_secs(12));
    let collided = p
        .bob_events
        .iter()
        .any(|(_, e)| matches!(e, Event::SsrcCollision { .. }))
        || p.alice_events
            .iter()
            .any(|(_, e)| matches!(e, Event::SsrcCollision { .. }));
    assert!(collided);
    assert_ne!(p.alice.ssrc(), p.bob.ssrc());
    // Media keeps flowing under the new SSRC.
    assert!(p
        .bob
        .source_statistics(p.alice.ssrc())
        .is_some_and(|s| s.received() > 100));
}
