#![allow(
    missing_docs,
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! A seeded two-party network for session tests: loss, duplication, reordering through
//! random delay. The loop advances a virtual clock to the next deadline or delivery.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rtp::{Channel, Event, Playout, Session, SessionConfig, Transmit};

#[derive(Debug, Clone, Copy)]
pub struct LinkConfig {
    pub loss: f64,
    pub duplicate: f64,
    pub delay: Duration,
    pub jitter: Duration,
}

pub struct Delivered {
    pub seq: Option<u16>,
    pub copies: u32,
}

pub struct Pair {
    pub t0: Instant,
    pub now: Instant,
    pub alice: Session,
    pub bob: Session,
    rng: ChaCha8Rng,
    link: LinkConfig,
    /// (arrival, to_bob, packet)
    in_flight: Vec<(Instant, bool, Transmit)>,
    next_media: Instant,
    pub media_packets: u32,
    pub sent: u32,
    /// RTP sequence numbers (Alice -> Bob) and how many copies the link delivered.
    pub rtp_log: Vec<(u16, u32)>,
    pub alice_events: Vec<(Instant, Event)>,
    pub bob_events: Vec<(Instant, Event)>,
    pub bob_playout: Vec<Playout>,
    /// Packets the link must deliver untouched first (A.1 probation).
    pub clean_start: u32,
}

pub fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([203, 0, 113, 5], port))
}

impl Pair {
    pub fn new(
        seed: u64,
        alice: SessionConfig,
        bob: SessionConfig,
        link: LinkConfig,
        media_packets: u32,
    ) -> Self {
        let t0 = Instant::now();
        Self {
            t0,
            now: t0,
            alice: Session::new(alice, t0),
            bob: Session::new(bob, t0),
            rng: ChaCha8Rng::seed_from_u64(seed),
            link,
            in_flight: Vec::new(),
            next_media: t0,
            media_packets,
            sent: 0,
            rtp_log: Vec::new(),
            alice_events: Vec::new(),
            bob_events: Vec::new(),
            bob_playout: Vec::new(),
            clean_start: 5,
        }
    }

    fn push(&mut self, to_bob: bool, t: Transmit) {
        let rtp_seq = (to_bob && t.channel == Channel::Rtp)
            .then(|| u16::from_be_bytes([t.payload[2], t.payload[3]]));
        let clean = rtp_seq.is_some() && (self.rtp_log.len() as u32) < self.clean_start;
        let copies = if clean {
            1
        } else if self.rng.gen_bool(self.link.loss) {
            0
        } else if self.rng.gen_bool(self.link.duplicate) {
            2
        } else {
            1
        };
        if let Some(seq) = rtp_seq {
            self.rtp_log.push((seq, copies));
        }
        for _ in 0..copies {
            let jitter = if clean || self.link.jitter.is_zero() {
                Duration::ZERO
            } else {
                self.link.jitter.mul_f64(self.rng.gen::<f64>())
            };
            self.in_flight
                .push((self.now + self.link.delay + jitter, to_bob, t.clone()));
        }
    }

    /// Runs until `until` (Alice sends `media_packets` 20 ms frames from the start).
    pub fn run(&mut self, until: Instant) {
        while self.now < until {
            if self.sent < self.media_packets && self.now >= self.next_media {
                self.alice
                    .send_rtp(self.now, &[0xFF; 160], self.sent == 0)
                    .unwrap();
                self.sent += 1;
                self.next_media += Duration::from_millis(20);
            }
            self.alice.handle_timeout(self.now);
            self.bob.handle_timeout(self.now);
            while let Some(t) = self.alice.poll_transmit() {
                self.push(true, t);
            }
            while let Some(t) = self.bob.poll_transmit() {
                self.push(false, t);
            }
            let now = self.now;
            let mut due: Vec<_> = Vec::new();
            self.in_flight.retain(|f| {
                if f.0 <= now {
                    due.push(f.clone());
                    false
                } else {
                    true
                }
            });
            due.sort_by_key(|f| f.0);
            for (_, to_bob, t) in due {
                let (dst, from) = if to_bob {
                    (&mut self.bob, addr(1000))
                } else {
                    (&mut self.alice, addr(2000))
                };
                match t.channel {
                    Channel::Rtp => dst.handle_rtp(now, from, t.payload),
                    Channel::Rtcp => dst.handle_rtcp(now, from, t.payload),
                }
            }
            while let Some(e) = self.alice.poll_event() {
                self.alice_events.push((now, e));
            }
            while let Some(e) = self.bob.poll_event() {
                self.bob_events.push((now, e));
            }
            while let Some((_, p)) = self.bob.poll_playout(now) {
                self.bob_playout.push(p);
            }
            let media = (self.sent < self.media_packets).then_some(self.next_media);
            let next = [
                self.alice.poll_timeout(),
                self.bob.poll_timeout(),
                media,
                Some(until),
            ]
            .into_iter()
            .flatten()
            .chain(self.in_flight.iter().map(|f| f.0))
            .min()
            .unwrap();
            self.now = next.max(self.now + Duration::from_micros(1));
        }
    }
}

pub fn config(seed: u8) -> SessionConfig {
    let mut c = SessionConfig::default();
    c.rng_seed = Some([seed; 32]);
    c
}
