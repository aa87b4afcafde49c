//! DTMF and other named telephone events (RFC 4733 §2): payload format, a sender schedule and
//! a receiver that reports each event once.
//!
//! ```
//! use std::time::Duration;
//! use rtp::dtmf::{DtmfReceiver, DtmfSender};
//!
//! // "9" for 200 ms at 8 kHz with 50 ms updates (RFC 4733 §5, Table 5).
//! let sender = DtmfSender::new(9, 10, Duration::from_millis(200), 8000, Duration::from_millis(50))?;
//! let packets: Vec<_> = sender.collect();
//! assert_eq!(packets.len(), 3 + 3); // three updates, then the end packet three times
//! assert!(packets[0].marker);
//! assert!(packets[3..].iter().all(|p| p.payload.end && p.payload.duration == 1600));
//!
//! let mut receiver = DtmfReceiver::new();
//! let mut reported = Vec::new();
//! for p in packets.iter().chain(&packets) { // everything twice: duplicates
//!     if let Some(event) = receiver.handle_payload(7040, &p.payload.to_bytes())? {
//!         reported.push(event.digit());
//!     }
//! }
//! assert_eq!(reported, [Some('9')]);
//! # Ok::<(), rtp::Error>(())
//! ```

use std::time::Duration;

use crate::error::{Error, Result};

/// The 4-octet telephone-event payload (RFC 4733 §2.3).
///
/// ```text
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     event     |E|R| volume    |          duration             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DtmfPayload {
    /// Event code (0–9, 10 = `*`, 11 = `#`, 12–15 = A–D, 16 = flash; RFC 4733 §3.2).
    pub event: u8,
    /// End of event (E bit).
    pub end: bool,
    /// Power level in -dBm0 (0–63).
    pub volume: u8,
    /// Duration so far in timestamp units.
    pub duration: u16,
}

impl DtmfPayload {
    /// Length of the payload.
    pub const LEN: usize = 4;

    /// Decodes a payload; extra octets (RFC 2198 redundancy is not supported) are an error.
    ///
    /// # Errors
    ///
    /// [`Error::Truncated`] below 4 octets, [`Error::Malformed`] above.
    pub fn parse(payload: &[u8]) -> Result<Self> {
        let Some((b, rest)) = payload.split_first_chunk::<4>() else {
            return Err(Error::truncated(
                0,
                "telephone-event payload",
                4,
                payload.len(),
            ));
        };
        if !rest.is_empty() {
            return Err(Error::malformed(
                4,
                "telephone-event payload",
                "exactly 4 octets",
            ));
        }
        Ok(Self {
            event: b[0],
            end: b[1] & 0x80 != 0,
            volume: b[1] & 0x3F,
            duration: u16::from_be_bytes([b[2], b[3]]),
        })
    }

    /// Encodes the payload (the R bit is sent as 0; volume is masked to 6 bits).
    pub fn to_bytes(&self) -> [u8; 4] {
        let [d0, d1] = self.duration.to_be_bytes();
        [
            self.event,
            (u8::from(self.end) << 7) | (self.volume & 0x3F),
            d0,
            d1,
        ]
    }
}

/// The DTMF event code for a key (`0`–`9`, `*`, `#`, `A`–`D`, case-insensitive).
pub fn event_for_digit(digit: char) -> Option<u8> {
    Some(match digit.to_ascii_uppercase() {
        d @ '0'..='9' => d as u8 - b'0',
        '*' => 10,
        '#' => 11,
        d @ 'A'..='D' => d as u8 - b'A' + 12,
        _ => return None,
    })
}

/// The key for a DTMF event code 0–15.
pub fn digit_for_event(event: u8) -> Option<char> {
    Some(match event {
        0..=9 => char::from(b'0' + event),
        10 => '*',
        11 => '#',
        12..=15 => char::from(b'A' + event - 12),
        _ => return None,
    })
}

/// One packet of a [`DtmfSender`] schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DtmfPacket {
    /// When to send it, counted from the start of the event.
    pub send_after: Duration,
    /// The RTP marker bit (set on the first packet of the event).
    pub marker: bool,
    /// The payload.
    pub payload: DtmfPayload,
}

/// The packets of one event (RFC 4733 §2.5.1): all with the event's start timestamp, the
/// first with the marker bit, updates every `interval` with the duration so far, and the
/// final report (E bit, full duration) sent three times.
///
/// Events longer than the 16-bit duration field are capped at 0xFFFF timestamp units
/// (about 8 s at 8 kHz); long-duration segmentation (§2.5.1.3) is not generated.
#[derive(Debug, Clone)]
pub struct DtmfSender {
    event: u8,
    volume: u8,
    interval: u32,
    interval_time: Duration,
    duration: u16,
    updates: u32,
    next: u32,
}

impl DtmfSender {
    /// How many times the final packet is sent (§2.5.1.4).
    pub const END_PACKETS: u32 = 3;

    /// A schedule for `event` lasting `duration`, with updates every `interval`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for an event above 255, a volume above 63, a zero clock
    /// rate, or a zero duration or interval.
    pub fn new(
        event: u8,
        volume: u8,
        duration: Duration,
        clock_rate: u32,
        interval: Duration,
    ) -> Result<Self> {
        if volume > 63 {
            return Err(Error::InvalidArgument {
                field: "volume",
                expected: "0 to 63 (-dBm0)",
            });
        }
        let units =
            |d: Duration| (d.as_nanos() * u128::from(clock_rate) / 1_000_000_000).min(0xFFFF);
        let total = units(duration);
        let step = units(interval);
        if total == 0 || step == 0 {
            return Err(Error::InvalidArgument {
                field: "duration and interval",
                expected: "at least one timestamp unit each",
            });
        }
        // Both are at most 0xFFFF.
        #[allow(clippy::cast_possible_truncation)]
        let (total, step) = (total as u16, step as u32);
        let updates = u32::from(total).div_ceil(step) - 1;
        Ok(Self {
            event,
            volume,
            interval: step,
            interval_time: interval,
            duration: total,
            updates,
            next: 0,
        })
    }

    /// Total number of packets in the schedule.
    pub fn packet_count(&self) -> u32 {
        self.updates + Self::END_PACKETS
    }
}

impl Iterator for DtmfSender {
    type Item = DtmfPacket;

    fn next(&mut self) -> Option<Self::Item> {
        let k = self.next;
        if k >= self.packet_count() {
            return None;
        }
        self.next += 1;
        let end = k >= self.updates;
        let duration = if end {
            self.duration
        } else {
            // k < updates, so (k + 1) * interval < duration <= 0xFFFF.
            #[allow(clippy::cast_possible_truncation)]
            let d = ((k + 1) * self.interval) as u16;
            d
        };
        Some(DtmfPacket {
            send_after: self.interval_time * (k + 1),
            marker: k == 0,
            payload: DtmfPayload {
                event: self.event,
                end,
                volume: self.volume,
                duration,
            },
        })
    }
}

/// An event reported by a [`DtmfReceiver`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DtmfEvent {
    /// Event code.
    pub event: u8,
    /// RTP timestamp of the event's start.
    pub timestamp: u32,
    /// Volume in -dBm0.
    pub volume: u8,
}

impl DtmfEvent {
    /// The key, for DTMF events 0–15.
    pub fn digit(&self) -> Option<char> {
        digit_for_event(self.event)
    }
}

/// Reports each telephone event once, however many of its packets arrive, are lost or are
/// duplicated: an event is new when its RTP timestamp has not been seen among the last few
/// events, and a segment that continues a long event (§2.5.2.1) is not new.
#[derive(Debug, Clone, Default)]
pub struct DtmfReceiver {
    recent: [Option<Seen>; 8],
    next_slot: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    timestamp: u32,
    event: u8,
    duration: u16,
    ended: bool,
}

impl DtmfReceiver {
    /// A receiver that has seen nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Handles one telephone-event payload with its RTP timestamp; returns the event when it
    /// is new.
    ///
    /// # Errors
    ///
    /// As [`DtmfPayload::parse`].
    pub fn handle_payload(&mut self, timestamp: u32, payload: &[u8]) -> Result<Option<DtmfEvent>> {
        let p = DtmfPayload::parse(payload)?;
        if p.duration == 0 {
            // §2.5.2.1: zero duration is reserved for state events; ignore it for DTMF.
            return Ok(None);
        }
        if let Some(seen) = self
            .recent
            .iter_mut()
            .flatten()
            .find(|s| s.timestamp == timestamp)
        {
            seen.duration = seen.duration.max(p.duration);
            seen.ended |= p.end;
            return Ok(None);
        }
        // §2.5.2.1: a new segment of a long event starts where the previous segment
        // (reported at the maximum duration, without E) ended.
        let continues = self.recent.iter().flatten().any(|s| {
            s.event == p.event
                && !s.ended
                && s.duration == u16::MAX
                && s.timestamp.wrapping_add(u32::from(u16::MAX)) == timestamp
        });
        let slot = self.next_slot % self.recent.len();
        if let Some(entry) = self.recent.get_mut(slot) {
            *entry = Some(Seen {
                timestamp,
                event: p.event,
                duration: p.duration,
                ended: p.end,
            });
        }
        self.next_slot = (slot + 1) % self.recent.len();
        if continues {
            return Ok(None);
        }
        Ok(Some(DtmfEvent {
            event: p.event,
            timestamp,
            volume: p.volume,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn payload_round_trip_and_bits() {
        let p = DtmfPayload {
            event: 11,
            end: true,
            volume: 10,
            duration: 1600,
        };
        assert_eq!(p.to_bytes(), [11, 0x8A, 0x06, 0x40]);
        assert_eq!(DtmfPayload::parse(&p.to_bytes()).unwrap(), p);
        // R bit set on the wire is ignored.
        assert_eq!(DtmfPayload::parse(&[1, 0x40 | 5, 0, 1]).unwrap().volume, 5);
        assert!(DtmfPayload::parse(&[1, 2, 3]).is_err());
        assert!(DtmfPayload::parse(&[1, 2, 3, 4, 5]).is_err());
    }

    #[test]
    fn digits() {
        let keys = "0123456789*#ABCD";
        for (i, k) in keys.chars().enumerate() {
            assert_eq!(event_for_digit(k), Some(i as u8));
            assert_eq!(digit_for_event(i as u8), Some(k));
        }
        assert_eq!(event_for_digit('a'), Some(12));
        assert_eq!(event_for_digit('x'), None);
        assert_eq!(digit_for_event(16), None);
    }

    #[test]
    fn rfc4733_table5_first_digit() {
        // "9": 200 ms, 50 ms updates: durations 400, 800, 1200 then 1600 with E three times.
        let p: Vec<_> = DtmfSender::new(9, 0, ms(200), 8000, ms(50))
            .unwrap()
            .collect();
        let summary: Vec<_> = p
            .iter()
            .map(|p| {
                (
                    p.send_after.as_millis(),
                    p.marker,
                    p.payload.duration,
                    p.payload.end,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (50, true, 400, false),
                (100, false, 800, false),
                (150, false, 1200, false),
                (200, false, 1600, true),
                (250, false, 1600, true),
                (300, false, 1600, true),
            ]
        );
        // Third digit: 220 ms -> updates at 400..1600, end 1760.
        let p: Vec<_> = DtmfSender::new(1, 0, ms(220), 8000, ms(50))
            .unwrap()
            .collect();
        assert_eq!(p.len(), 4 + 3);
        assert!(p[4..]
            .iter()
            .all(|p| p.payload.duration == 1760 && p.payload.end));
        // Shorter than one interval: the first packet already ends it, and carries M.
        let p: Vec<_> = DtmfSender::new(1, 0, ms(30), 8000, ms(50))
            .unwrap()
            .collect();
        assert_eq!(p.len(), 3);
        assert!(p[0].marker && p[0].payload.end);
        assert!(DtmfSender::new(1, 64, ms(30), 8000, ms(50)).is_err());
        assert!(DtmfSender::new(1, 0, ms(0), 8000, ms(50)).is_err());
    }

    #[test]
    fn receiver_once_despite_loss_and_duplication() {
        let mut r = DtmfReceiver::new();
        let packets: Vec<_> = DtmfSender::new(5, 0, ms(200), 8000, ms(50))
            .unwrap()
            .collect();
        // First packet lost, the rest duplicated.
        let mut got = Vec::new();
        for p in &packets[1..] {
            for _ in 0..2 {
                if let Some(e) = r.handle_payload(1000, &p.payload.to_bytes()).unwrap() {
                    got.push(e);
                }
            }
        }
        assert_eq!(
            got,
            [DtmfEvent {
                event: 5,
                timestamp: 1000,
                volume: 0
            }]
        );
        // Only an end packet survives of the next digit: still reported once.
        let last = packets.last().unwrap().payload;
        assert!(r.handle_payload(9000, &last.to_bytes()).unwrap().is_some());
        assert!(r.handle_payload(9000, &last.to_bytes()).unwrap().is_none());
        // A late retransmission of the first digit is not reported again.
        assert!(r.handle_payload(1000, &last.to_bytes()).unwrap().is_none());
        // Zero duration is ignored.
        let zero = DtmfPayload {
            event: 1,
            end: false,
            volume: 0,
            duration: 0,
        };
        assert!(r
            .handle_payload(20_000, &zero.to_bytes())
            .unwrap()
            .is_none());
    }

    #[test]
    fn long_event_segments_report_once() {
        let mut r = DtmfReceiver::new();
        let max = DtmfPayload {
            event: 3,
            end: false,
            volume: 0,
            duration: u16::MAX,
        };
        assert!(r.handle_payload(100, &max.to_bytes()).unwrap().is_some());
        let next = DtmfPayload {
            event: 3,
            end: true,
            volume: 0,
            duration: 400,
        };
        assert!(r
            .handle_payload(100 + 65535, &next.to_bytes())
            .unwrap()
            .is_none());
    }
}
