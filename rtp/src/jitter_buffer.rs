//! An adaptive jitter buffer: orders packets by sequence number, drops duplicates and packets
//! that arrive after their turn, reports gaps for concealment, is bounded in memory, and
//! adapts its playout delay to the measured arrival jitter within configured bounds.
//!
//! # Timing model
//!
//! Arrival times and RTP timestamps are both counted in timestamp units. For each packet the
//! *transit* is `arrival - timestamp`; the smallest transit over the last two adaptation
//! windows is the reference (the path delay of the fastest packet, which also follows clock
//! drift between sender and receiver: a sender clock running slow raises the minimum, one
//! running fast lowers it). A packet plays at `timestamp + reference + delay`, where `delay`
//! is the largest excess transit seen over the last two windows plus the smoothed jitter,
//! clamped to `[min_delay, max_delay]`.
//!
//! ```
//! use std::time::{Duration, Instant};
//! use bytes::Bytes;
//! use rtp::{JitterBuffer, JitterBufferConfig, MediaPacket, Playout, RtpPacketBuilder};
//!
//! let mut config = JitterBufferConfig::default();
//! config.min_delay = Duration::from_millis(40);
//! let mut jb = JitterBuffer::new(config, 8000);
//! let t0 = Instant::now();
//! let packet = |seq: u16| {
//!     let b = RtpPacketBuilder::new(0, seq, u32::from(seq) * 160, 1).payload(&[0; 160]);
//!     MediaPacket::parse(b.to_bytes().unwrap()).unwrap()
//! };
//! // 2 arrives before 1; 3 is lost.
//! jb.insert(t0, packet(0));
//! jb.insert(t0 + Duration::from_millis(40), packet(2));
//! jb.insert(t0 + Duration::from_millis(41), packet(1));
//! jb.insert(t0 + Duration::from_millis(80), packet(4));
//! let mut out = Vec::new();
//! let mut now = t0;
//! while now < t0 + Duration::from_millis(200) {
//!     while let Some(p) = jb.poll(now) {
//!         out.push(match p {
//!             Playout::Packet(p) => format!("{}", p.sequence_number),
//!             Playout::Lost { sequence_number, .. } => format!("lost {sequence_number}"),
//!         });
//!     }
//!     now += Duration::from_millis(5);
//! }
//! assert_eq!(out, ["0", "1", "2", "lost 3", "4"]);
//! ```

use std::cell::Cell;
use std::ops::Range;
use std::time::{Duration, Instant};

use bytes::Bytes;

use crate::error::Result;
use crate::packet::RtpPacket;

/// Jitter buffer settings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct JitterBufferConfig {
    /// Smallest playout delay above the fastest packet's path delay (default 20 ms).
    pub min_delay: Duration,
    /// Largest playout delay (default 300 ms).
    pub max_delay: Duration,
    /// Delay used until the first adaptation window is complete (default 60 ms).
    pub initial_delay: Duration,
    /// Packets held at most; rounded up to a power of two (default 128).
    pub capacity: usize,
    /// Packets per adaptation window (default 50, one second of 20 ms packets).
    pub window: u32,
}

impl Default for JitterBufferConfig {
    #[inline]
    fn default() -> Self {
        Self {
            min_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(300),
            initial_delay: Duration::from_millis(60),
            capacity: 128,
            window: 50,
        }
    }
}

/// A received RTP packet kept whole, with its header fields decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaPacket {
    /// Synchronization source.
    pub ssrc: u32,
    /// Sequence number.
    pub sequence_number: u16,
    /// Media timestamp.
    pub timestamp: u32,
    /// Marker bit.
    pub marker: bool,
    /// Payload type.
    pub payload_type: u8,
    packet: Bytes,
    payload: Range<usize>,
}

impl MediaPacket {
    /// Parses an RTP packet, keeping the buffer (no copy).
    ///
    /// # Errors
    ///
    /// As [`RtpPacket::parse`].
    #[inline]
    pub fn parse(packet: Bytes) -> Result<Self> {
        let header = MediaHeader::from_view(&RtpPacket::parse(&packet)?);
        Ok(Self::from_parts(header, packet))
    }

    #[inline]
    /// A packet from a view of `packet`'s bytes; `header_len` and `payload_len` come from
    /// the view, so that the caller can end the view's borrow and move `packet` in.
    pub(crate) fn from_parts(header: MediaHeader, packet: Bytes) -> Self {
        Self {
            ssrc: header.ssrc,
            sequence_number: header.sequence_number,
            timestamp: header.timestamp,
            marker: header.marker,
            payload_type: header.payload_type,
            payload: header.payload,
            packet,
        }
    }

    /// The payload (borrowed).
    #[inline]
    pub fn payload(&self) -> &[u8] {
        self.packet.get(self.payload.clone()).unwrap_or_default()
    }

    /// The payload as shared [`Bytes`] (O(1), no copy).
    #[inline]
    pub fn payload_bytes(&self) -> Bytes {
        if self.payload.end <= self.packet.len() {
            self.packet.slice(self.payload.clone())
        } else {
            Bytes::new()
        }
    }

    /// The whole packet as received.
    #[inline]
    pub fn packet(&self) -> &Bytes {
        &self.packet
    }
}

/// The fields of a [`MediaPacket`] taken from a parsed view, before the buffer is attached.
#[derive(Debug, Clone)]
pub(crate) struct MediaHeader {
    pub(crate) ssrc: u32,
    pub(crate) sequence_number: u16,
    pub(crate) timestamp: u32,
    pub(crate) marker: bool,
    pub(crate) payload_type: u8,
    payload: Range<usize>,
}

impl MediaHeader {
    #[inline]
    pub(crate) fn from_view(view: &RtpPacket<'_>) -> Self {
        let start = view.header_len();
        Self {
            ssrc: view.ssrc(),
            sequence_number: view.sequence_number(),
            timestamp: view.timestamp(),
            marker: view.marker(),
            payload_type: view.payload_type(),
            payload: start..start + view.payload().len(),
        }
    }
}

/// What the buffer hands out, in sequence order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Playout {
    /// The next packet, at its playout time.
    Packet(MediaPacket),
    /// A packet that did not arrive in time: conceal it.
    Lost {
        /// Its sequence number.
        sequence_number: u16,
        /// Its estimated timestamp.
        timestamp: u32,
    },
}

/// What [`JitterBuffer::insert`] did with a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InsertOutcome {
    /// Buffered for playout.
    Buffered,
    /// Dropped: the same sequence number is already buffered.
    Duplicate,
    /// Dropped: its turn has passed (played or reported lost).
    TooLate,
}

/// Counters kept by the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct JitterBufferStats {
    /// Packets buffered.
    pub buffered: u64,
    /// Duplicates dropped.
    pub duplicates: u64,
    /// Packets dropped for arriving after their turn.
    pub late: u64,
    /// Packets dropped to stay within capacity.
    pub overflow: u64,
    /// Packets played out.
    pub played: u64,
    /// Gaps reported as [`Playout::Lost`].
    pub lost: u64,
}

#[derive(Debug, Clone)]
struct Entry {
    ext_seq: i64,
    ext_ts: i64,
    packet: MediaPacket,
}

/// The adaptive jitter buffer; see the [module docs](self).
#[derive(Debug, Clone)]
pub struct JitterBuffer {
    config: JitterBufferConfig,
    clock_rate: u32,
    epoch: Option<Instant>,
    slots: Vec<Option<Entry>>,
    mask: i64,
    count: usize,
    /// Whether a packet has set the sequence and timing origin.
    started: bool,
    next_play: i64,
    /// Slots in `[next_play, scan_hint)` are known empty: gap scans start here, so a long
    /// gap costs O(1) per reported loss instead of a rescan.
    scan_hint: Cell<i64>,
    highest_seq: i64,
    highest_ts: i64,
    last_inserted: Option<(i64, i64)>,
    ts_step: i64,
    last_transit: i64,
    reference: i64,
    window_min: i64,
    previous_min: i64,
    window_spread: i64,
    previous_spread: i64,
    window_packets: u32,
    windows_done: u32,
    jitter: i64,
    delay: i64,
    /// Initial, minimum and maximum delay in timestamp units (from the config).
    delay_bounds: (i64, i64, i64),
    stats: JitterBufferStats,
}

impl JitterBuffer {
    /// An empty buffer for a stream with `clock_rate` timestamp units per second.
    #[inline]
    pub fn new(config: JitterBufferConfig, clock_rate: u32) -> Self {
        let capacity = config.capacity.clamp(2, 1 << 16).next_power_of_two();
        let clock_rate = clock_rate.max(1);
        let delay = units_i64(config.initial_delay, clock_rate);
        let min = units_i64(config.min_delay, clock_rate);
        let delay_bounds = (delay, min, units_i64(config.max_delay, clock_rate).max(min));
        let ts_step = i64::from(clock_rate / 50).max(1);
        Self {
            config,
            clock_rate,
            epoch: None,
            slots: vec![None; capacity],
            // capacity <= 65536.
            mask: i64::try_from(capacity).unwrap_or(1 << 16) - 1,
            count: 0,
            started: false,
            next_play: 0,
            scan_hint: Cell::new(0),
            highest_seq: 0,
            highest_ts: 0,
            last_inserted: None,
            ts_step,
            last_transit: 0,
            reference: 0,
            window_min: i64::MAX,
            previous_min: i64::MAX,
            window_spread: 0,
            previous_spread: 0,
            window_packets: 0,
            windows_done: 0,
            jitter: 0,
            delay,
            delay_bounds,
            stats: JitterBufferStats::default(),
        }
    }

    /// Offers a packet that arrived at `now`.
    #[inline]
    pub fn insert(&mut self, now: Instant, packet: MediaPacket) -> InsertOutcome {
        let arrival = self.local_units(now);
        self.insert_at(arrival, packet)
    }

    /// A buffer whose local clock starts at `epoch` (so that a caller already holding the
    /// elapsed time can use [`insert_at`](Self::insert_at) and [`poll_at`](Self::poll_at)).
    pub(crate) fn with_epoch(config: JitterBufferConfig, clock_rate: u32, epoch: Instant) -> Self {
        let mut jb = Self::new(config, clock_rate);
        jb.epoch = Some(epoch);
        jb
    }

    /// [`insert`](Self::insert) with the arrival time already in timestamp units since the
    /// epoch.
    pub(crate) fn insert_at(&mut self, arrival: i64, packet: MediaPacket) -> InsertOutcome {
        let (ext_seq, ext_ts) = if self.started {
            (
                self.highest_seq
                    + i64::from(packet.sequence_number.wrapping_sub(self.highest_seq as u16) as i16),
                self.highest_ts
                    + i64::from(packet.timestamp.wrapping_sub(self.highest_ts as u32) as i32),
            )
        } else {
            let ext_seq = (1 << 32) + i64::from(packet.sequence_number);
            let ext_ts = (1 << 40) + i64::from(packet.timestamp);
            self.next_play = ext_seq;
            self.highest_seq = ext_seq;
            self.highest_ts = ext_ts;
            self.reference = arrival - ext_ts;
            self.last_transit = self.reference;
            self.started = true;
            (ext_seq, ext_ts)
        };
        if ext_seq < self.next_play {
            self.stats.late += 1;
            return InsertOutcome::TooLate;
        }
        let capacity = self.mask + 1;
        if ext_seq >= self.next_play + capacity {
            if ext_seq - self.highest_seq >= capacity {
                // A jump past everything the buffer could hold (a sender restart, or a loss
                // burst longer than the buffer): start over at this packet rather than
                // report a buffer's worth of losses.
                self.reset();
                return self.insert_at(arrival, packet);
            }
            self.make_room(ext_seq - capacity + 1);
        }
        let index = self.index(ext_seq);
        let Some(slot) = self.slots.get_mut(index) else {
            return InsertOutcome::TooLate;
        };
        if slot.is_some() {
            self.stats.duplicates += 1;
            return InsertOutcome::Duplicate;
        }
        if ext_seq < self.scan_hint.get() {
            self.scan_hint.set(ext_seq);
        }
        *slot = Some(Entry {
            ext_seq,
            ext_ts,
            packet,
        });
        self.count += 1;
        self.stats.buffered += 1;
        if ext_seq > self.highest_seq {
            self.highest_seq = ext_seq;
        }
        if ext_ts > self.highest_ts {
            self.highest_ts = ext_ts;
        }
        if let Some((seq, ts)) = self.last_inserted {
            if ext_seq == seq + 1 && ext_ts > ts {
                self.ts_step = ext_ts - ts;
            }
        }
        self.last_inserted = Some((ext_seq, ext_ts));
        self.adapt(arrival - ext_ts);
        InsertOutcome::Buffered
    }

    /// The next packet or gap whose playout time has come, in sequence order.
    #[inline]
    pub fn poll(&mut self, now: Instant) -> Option<Playout> {
        if self.count == 0 {
            return None;
        }
        let now_units = self.local_units(now);
        self.poll_at(now_units)
    }

    /// [`poll`](Self::poll) with the time already in timestamp units since the epoch.
    #[inline]
    pub(crate) fn poll_at(&mut self, now_units: i64) -> Option<Playout> {
        if self.count == 0 {
            return None;
        }
        let index = self.index(self.next_play);
        if let Some(entry) = self.slots.get(index).and_then(Option::as_ref) {
            if now_units < self.play_units(entry.ext_ts) {
                return None;
            }
            let entry = self.slots.get_mut(index).and_then(Option::take)?;
            self.count -= 1;
            self.next_play += 1;
            self.stats.played += 1;
            return Some(Playout::Packet(entry.packet));
        }
        let (due, timestamp) = self.gap_due()?;
        if now_units < due {
            return None;
        }
        let sequence_number = self.next_play as u16;
        self.next_play += 1;
        self.stats.lost += 1;
        Some(Playout::Lost {
            sequence_number,
            timestamp: timestamp as u32,
        })
    }

    /// When [`poll`](Self::poll) will next return something; `None` while empty.
    #[inline]
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.count == 0 {
            return None;
        }
        let due = match self
            .slots
            .get(self.index(self.next_play))
            .and_then(Option::as_ref)
        {
            Some(entry) => self.play_units(entry.ext_ts),
            None => self.gap_due()?.0,
        };
        let epoch = self.epoch?;
        let due = u64::try_from(due.max(0)).unwrap_or(0);
        let rate = u64::from(self.clock_rate);
        let nanos = (due / rate) * 1_000_000_000 + (due % rate) * 1_000_000_000 / rate;
        Some(epoch + Duration::from_nanos(nanos))
    }

    /// The current playout delay above the fastest packet's path delay.
    #[inline]
    pub fn delay(&self) -> Duration {
        let d = u64::try_from(self.delay.max(0)).unwrap_or(0);
        Duration::from_nanos(d * 1_000_000_000 / u64::from(self.clock_rate))
    }

    /// The smoothed arrival jitter in timestamp units.
    #[inline]
    pub fn jitter(&self) -> u32 {
        u32::try_from(self.jitter >> 4).unwrap_or(u32::MAX)
    }

    /// Packets held.
    #[inline]
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether no packet is held.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The counters.
    #[inline]
    pub fn stats(&self) -> JitterBufferStats {
        self.stats
    }

    /// Drops everything buffered and forgets the stream's sequence and timing, keeping the
    /// counters and the configuration: the next packet starts a new stream (e.g. after the
    /// sender restarted with new sequence numbers).
    pub fn reset(&mut self) {
        for slot in &mut self.slots {
            if slot.take().is_some() {
                self.stats.overflow += 1;
            }
        }
        self.count = 0;
        self.started = false;
        self.last_inserted = None;
        self.window_min = i64::MAX;
        self.previous_min = i64::MAX;
        self.window_spread = 0;
        self.previous_spread = 0;
        self.window_packets = 0;
        self.windows_done = 0;
        self.scan_hint.set(0);
    }

    #[inline]
    fn index(&self, ext_seq: i64) -> usize {
        usize::try_from(ext_seq & self.mask).unwrap_or(0)
    }

    #[inline]
    fn local_units(&mut self, now: Instant) -> i64 {
        let epoch = *self.epoch.get_or_insert(now);
        let elapsed = now.saturating_duration_since(epoch);
        i64::try_from(units(elapsed, self.clock_rate)).unwrap_or(i64::MAX)
    }

    #[inline]
    fn play_units(&self, ext_ts: i64) -> i64 {
        ext_ts + self.reference + self.delay
    }

    /// For a missing `next_play`: when to give up on it, and its estimated timestamp.
    #[inline]
    fn gap_due(&self) -> Option<(i64, i64)> {
        let start = (self.next_play + 1).max(self.scan_hint.get());
        let end = self.highest_seq.min(self.next_play + self.mask);
        let Some(entry) =
            (start..=end).find_map(|s| self.slots.get(self.index(s)).and_then(Option::as_ref))
        else {
            self.scan_hint.set(end + 1);
            return None;
        };
        self.scan_hint.set(entry.ext_seq);
        let k = entry.ext_seq - self.next_play;
        let timestamp = entry.ext_ts - k * self.ts_step;
        Some((self.play_units(timestamp), timestamp))
    }

    #[inline]
    fn make_room(&mut self, new_next: i64) {
        if self.count > 0 {
            if new_next - self.next_play > self.mask {
                // A jump past the whole buffer: drop everything.
                for slot in &mut self.slots {
                    if slot.take().is_some() {
                        self.stats.overflow += 1;
                    }
                }
                self.count = 0;
            } else {
                for s in self.next_play..new_next {
                    let index = self.index(s);
                    if let Some(slot) = self.slots.get_mut(index) {
                        if slot.take().is_some() {
                            self.count -= 1;
                            self.stats.overflow += 1;
                        }
                    }
                }
            }
        }
        self.next_play = new_next;
    }

    fn adapt(&mut self, transit: i64) {
        // RFC 3550 A.8-style smoothed jitter, scaled by 16.
        let d = (transit - self.last_transit).abs();
        self.last_transit = transit;
        self.jitter += d - ((self.jitter + 8) >> 4);
        self.window_min = self.window_min.min(transit);
        if transit < self.reference {
            self.reference = transit;
        }
        self.window_spread = self.window_spread.max(transit - self.reference);
        self.window_packets += 1;
        if self.window_packets >= self.config.window.max(1) {
            // Roll the window: the reference may rise (slow sender clock) to the minimum
            // of the last two windows.
            self.reference = self.previous_min.min(self.window_min);
            self.previous_min = self.window_min;
            self.previous_spread = self.window_spread;
            self.window_min = i64::MAX;
            self.window_spread = 0;
            self.window_packets = 0;
            self.windows_done += 1;
        }
        let spread = self.previous_spread.max(self.window_spread);
        let wanted = if self.windows_done == 0 {
            spread.max(self.delay_bounds.0)
        } else {
            spread + (self.jitter >> 4)
        };
        let (_, min, max) = self.delay_bounds;
        self.delay = wanted.clamp(min, max);
    }
}

/// `d` in timestamp units at `rate`, without 128-bit division.
#[inline]
pub(crate) fn units(d: Duration, rate: u32) -> u64 {
    let rate = u64::from(rate);
    d.as_secs()
        .saturating_mul(rate)
        .saturating_add(u64::from(d.subsec_nanos()) * rate / 1_000_000_000)
}

#[inline]
fn units_i64(d: Duration, rate: u32) -> i64 {
    i64::try_from(units(d, rate)).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests;
