use super::*;
use crate::RtpPacketBuilder;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const MS: Duration = Duration::from_millis(1);

fn packet(seq: u16, ts: u32) -> MediaPacket {
    let bytes = RtpPacketBuilder::new(0, seq, ts, 7)
        .payload(&seq.to_be_bytes())
        .to_bytes()
        .unwrap();
    MediaPacket::parse(bytes).unwrap()
}

fn config() -> JitterBufferConfig {
    JitterBufferConfig {
        min_delay: 20 * MS,
        max_delay: 200 * MS,
        initial_delay: 60 * MS,
        capacity: 64,
        window: 50,
    }
}

/// Drains everything due at `now`.
fn drain(jb: &mut JitterBuffer, now: Instant, out: &mut Vec<Playout>) {
    while let Some(p) = jb.poll(now) {
        out.push(p);
    }
}

fn sequence_of(out: &[Playout]) -> Vec<(u16, bool)> {
    out.iter()
        .map(|p| match p {
            Playout::Packet(p) => (p.sequence_number, true),
            Playout::Lost {
                sequence_number, ..
            } => (*sequence_number, false),
        })
        .collect()
}

#[test]
fn constant_delay_plays_in_order_after_initial_delay() {
    let t0 = Instant::now();
    let mut jb = JitterBuffer::new(config(), 8000);
    assert_eq!(jb.insert(t0, packet(100, 16000)), InsertOutcome::Buffered);
    assert_eq!(jb.poll(t0 + 59 * MS), None);
    assert_eq!(jb.poll_timeout(), Some(t0 + 60 * MS));
    assert!(
        matches!(jb.poll(t0 + 60 * MS), Some(Playout::Packet(p)) if p.sequence_number == 100 && p.payload() == [0, 100])
    );
    assert_eq!(jb.poll_timeout(), None);
    assert!(jb.is_empty());
}

#[test]
fn wraps_sequence_and_timestamp() {
    let t0 = Instant::now();
    let mut jb = JitterBuffer::new(config(), 8000);
    let mut out = Vec::new();
    for i in 0..6u16 {
        let seq = 65533u16.wrapping_add(i);
        let ts = (u32::MAX - 200).wrapping_add(u32::from(i) * 160);
        jb.insert(t0 + u32::from(i) * 20 * MS, packet(seq, ts));
    }
    drain(&mut jb, t0 + 500 * MS, &mut out);
    assert_eq!(
        sequence_of(&out),
        [
            (65533, true),
            (65534, true),
            (65535, true),
            (0, true),
            (1, true),
            (2, true)
        ]
    );
}

#[test]
fn reorder_duplicate_loss_and_late() {
    let t0 = Instant::now();
    let mut jb = JitterBuffer::new(config(), 8000);
    let mut out = Vec::new();
    let at = |ms: u32| t0 + ms * MS;
    assert_eq!(jb.insert(at(0), packet(0, 0)), InsertOutcome::Buffered);
    assert_eq!(jb.insert(at(20), packet(2, 320)), InsertOutcome::Buffered);
    assert_eq!(jb.insert(at(21), packet(1, 160)), InsertOutcome::Buffered);
    assert_eq!(jb.insert(at(22), packet(1, 160)), InsertOutcome::Duplicate);
    // 3 lost; 4 arrives.
    assert_eq!(jb.insert(at(80), packet(4, 640)), InsertOutcome::Buffered);
    let mut now = t0;
    while now < at(200) {
        drain(&mut jb, now, &mut out);
        now += MS;
    }
    assert_eq!(
        sequence_of(&out),
        [(0, true), (1, true), (2, true), (3, false), (4, true)]
    );
    assert_eq!(
        out[3],
        Playout::Lost {
            sequence_number: 3,
            timestamp: 480
        }
    );
    // 3 finally arrives: its turn has passed.
    assert_eq!(jb.insert(at(200), packet(3, 480)), InsertOutcome::TooLate);
    let s = jb.stats();
    assert_eq!(
        (s.buffered, s.duplicates, s.late, s.played, s.lost),
        (4, 1, 1, 4, 1)
    );
}

#[test]
fn bounded_in_memory() {
    let t0 = Instant::now();
    let mut jb = JitterBuffer::new(config(), 8000);
    for i in 0..1000u16 {
        jb.insert(t0, packet(i, u32::from(i) * 160));
        assert!(jb.len() <= 64);
    }
    assert_eq!(jb.stats().overflow, 1000 - 64);
    let mut out = Vec::new();
    drain(&mut jb, t0 + Duration::from_secs(60), &mut out);
    assert_eq!(out.len(), 64);
    assert!(matches!(&out[0], Playout::Packet(p) if p.sequence_number == 936));
    // A jump far ahead empties the buffer and restarts there.
    jb.insert(t0, packet(100, 0));
    jb.insert(t0, packet(30000, 0));
    assert_eq!(jb.len(), 1);
}

#[test]
fn delay_adapts_to_jitter_within_bounds() {
    let t0 = Instant::now();
    // No jitter: the delay falls to the minimum after the first window.
    let mut jb = JitterBuffer::new(config(), 8000);
    for i in 0..200u32 {
        jb.insert(t0 + i * 20 * MS, packet(i as u16, i * 160));
        let mut out = Vec::new();
        drain(&mut jb, t0 + i * 20 * MS, &mut out);
    }
    assert_eq!(jb.delay(), 20 * MS);
    assert_eq!(jb.jitter(), 0);
    // 0-50 ms uniform jitter: the delay grows to cover it, capped at max.
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut jb = JitterBuffer::new(config(), 8000);
    for i in 0..500u32 {
        let arrival = t0 + i * 20 * MS + rng.gen_range(0..50) * MS;
        jb.insert(arrival, packet(i as u16, i * 160));
    }
    assert!(
        jb.delay() >= 45 * MS && jb.delay() <= 200 * MS,
        "{:?}",
        jb.delay()
    );
    let mut small = config();
    small.max_delay = 30 * MS;
    let mut jb = JitterBuffer::new(small, 8000);
    for i in 0..500u32 {
        let arrival = t0 + i * 20 * MS + rng.gen_range(0..50) * MS;
        jb.insert(arrival, packet(i as u16, i * 160));
    }
    assert_eq!(jb.delay(), 30 * MS);
}

/// A seeded lossy link: loss, duplication, reordering through random delay, and a sender
/// clock off by `drift` (e.g. 0.01 = 1 % fast). The consumer polls every 5 ms.
fn simulate(
    seed: u64,
    drift: f64,
    loss: f64,
    dup: f64,
    max_jitter_ms: u64,
) -> (JitterBufferStats, usize, Vec<Playout>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let t0 = Instant::now();
    let n = 3000u32; // 60 s of 20 ms packets
    let mut arrivals: Vec<(Instant, u16, u32)> = Vec::new();
    for i in 0..n {
        if rng.gen_bool(loss) {
            continue;
        }
        let sent = Duration::from_secs_f64(f64::from(i) * 0.020 / (1.0 + drift));
        let copies = if rng.gen_bool(dup) { 2 } else { 1 };
        for _ in 0..copies {
            let delay = 30 * MS + Duration::from_millis(rng.gen_range(0..=max_jitter_ms));
            arrivals.push((t0 + sent + delay, i as u16, i * 160));
        }
    }
    arrivals.sort_by_key(|a| a.0);
    let mut jb = JitterBuffer::new(config(), 8000);
    let mut out = Vec::new();
    let mut max_len = 0;
    let mut next = 0;
    let mut now = t0;
    let end = t0 + Duration::from_secs(65);
    while now < end {
        while let Some((at, seq, ts)) = arrivals.get(next).copied() {
            if at > now {
                break;
            }
            jb.insert(at, packet(seq, ts));
            next += 1;
        }
        max_len = max_len.max(jb.len());
        drain(&mut jb, now, &mut out);
        now += 5 * MS;
    }
    (jb.stats(), max_len, out)
}

fn assert_in_order(out: &[Playout]) {
    let seqs: Vec<u16> = sequence_of(out).iter().map(|s| s.0).collect();
    for w in seqs.windows(2) {
        assert_eq!(w[1], w[0].wrapping_add(1), "playout out of order");
    }
}

#[test]
fn lossy_link_with_reordering_and_duplicates() {
    for seed in 0..3 {
        let (stats, max_len, out) = simulate(seed, 0.0, 0.05, 0.05, 40);
        assert_in_order(&out);
        assert_eq!(
            out.len(),
            3000,
            "seed {seed}: every sequence number played or reported lost"
        );
        assert!(stats.duplicates > 100, "seed {seed}: {stats:?}");
        let lost_reported = stats.lost;
        // 5 % loss on the link; late packets (reordered beyond the delay) add a little.
        assert!(
            (100..=200).contains(&lost_reported),
            "seed {seed}: {stats:?}"
        );
        assert!(stats.late <= 15, "seed {seed}: {stats:?}");
        assert!(max_len <= 20, "seed {seed}: {max_len}");
    }
}

#[test]
fn clock_drift_keeps_depth_bounded() {
    for drift in [0.01, -0.01] {
        let (stats, max_len, out) = simulate(7, drift, 0.0, 0.0, 10);
        assert_in_order(&out);
        assert_eq!(stats.overflow, 0, "drift {drift}: {stats:?}");
        assert_eq!(stats.late, 0, "drift {drift}: {stats:?}");
        assert_eq!(stats.lost, 0, "drift {drift}: {stats:?}");
        assert_eq!(stats.played, 3000, "drift {drift}: {stats:?}");
        // Depth stays a few packets although 1 % over 60 s is 600 ms of drift.
        assert!(max_len <= 8, "drift {drift}: {max_len}");
    }
}
