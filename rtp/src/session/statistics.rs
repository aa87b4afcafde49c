//! Receiver statistics for one source, exactly as RFC 3550 Appendix A.1 (sequence number
//! validation), A.3 (lost packets, fraction lost) and A.8 (interarrival jitter) compute them.

use crate::rtcp::ReportBlock;

/// RFC 3550 A.1: a gap larger than this is a jump, not loss.
pub const MAX_DROPOUT: u16 = 3000;
/// RFC 3550 A.1: packets this far behind the highest are old duplicates or misordered.
pub const MAX_MISORDER: u16 = 100;
/// RFC 3550 A.1: sequential packets needed before a source is valid.
pub const MIN_SEQUENTIAL: u32 = 2;
const RTP_SEQ_MOD: u32 = 1 << 16;

/// The per-source state of RFC 3550 A.1 (`struct source`) plus the A.8 jitter estimator.
///
/// ```
/// use rtp::SourceStatistics;
///
/// let mut s = SourceStatistics::new(100);
/// assert!(!s.update_seq(100)); // first packet: probation
/// assert!(s.update_seq(101)); // second in sequence: valid
/// assert!(s.update_seq(103)); // 102 lost
/// assert_eq!((s.expected(), s.received(), s.cumulative_lost()), (3, 2, 1));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceStatistics {
    max_seq: u16,
    cycles: u32,
    base_seq: u32,
    bad_seq: u32,
    probation: u32,
    received: u32,
    expected_prior: u32,
    received_prior: u32,
    transit: Option<u32>,
    jitter: u32,
}

impl SourceStatistics {
    /// State for a source whose first packet carries `seq`: A.1 calls `init_seq`, sets
    /// `max_seq = seq - 1` and puts the source on probation. Pass the same packet to
    /// [`update_seq`](Self::update_seq) next.
    #[inline]
    pub fn new(seq: u16) -> Self {
        let mut s = Self {
            max_seq: 0,
            cycles: 0,
            base_seq: 0,
            bad_seq: 0,
            probation: MIN_SEQUENTIAL,
            received: 0,
            expected_prior: 0,
            received_prior: 0,
            transit: None,
            jitter: 0,
        };
        s.init_seq(seq);
        s.max_seq = seq.wrapping_sub(1);
        s
    }

    #[inline]
    fn init_seq(&mut self, seq: u16) {
        self.base_seq = u32::from(seq);
        self.max_seq = seq;
        self.bad_seq = RTP_SEQ_MOD + 1; // so seq == bad_seq is false
        self.cycles = 0;
        self.received = 0;
        self.received_prior = 0;
        self.expected_prior = 0;
    }

    /// A.1 `update_seq`: returns whether the packet is valid (counted).
    ///
    /// One deliberate difference from the C text: during probation, "`seq == max_seq + 1`"
    /// is computed modulo 2^16, so a source starting at 65535 validates on 0.
    #[inline]
    pub fn update_seq(&mut self, seq: u16) -> bool {
        let udelta = seq.wrapping_sub(self.max_seq);
        if self.probation > 0 {
            // Packets must be in sequence during probation.
            if seq == self.max_seq.wrapping_add(1) {
                self.probation -= 1;
                self.max_seq = seq;
                if self.probation == 0 {
                    self.init_seq(seq);
                    self.received += 1;
                    return true;
                }
            } else {
                self.probation = MIN_SEQUENTIAL - 1;
                self.max_seq = seq;
            }
            return false;
        } else if udelta < MAX_DROPOUT {
            // In order, with permissible gap.
            if seq < self.max_seq {
                // Sequence number wrapped: count another 64K cycle.
                self.cycles = self.cycles.wrapping_add(RTP_SEQ_MOD);
            }
            self.max_seq = seq;
        } else if u32::from(udelta) <= RTP_SEQ_MOD - u32::from(MAX_MISORDER) {
            // The sequence number made a very large jump.
            if u32::from(seq) == self.bad_seq {
                // Two sequential packets: assume the other side restarted without telling us.
                self.init_seq(seq);
            } else {
                self.bad_seq = (u32::from(seq) + 1) & (RTP_SEQ_MOD - 1);
                return false;
            }
        }
        // Otherwise: duplicate or reordered packet, counted.
        self.received = self.received.wrapping_add(1);
        true
    }

    /// A.8: updates the interarrival jitter with a packet's `arrival` time and RTP
    /// `timestamp`, both in timestamp units. The first call only records the transit time.
    #[inline]
    pub fn update_jitter(&mut self, arrival: u32, timestamp: u32) {
        let transit = arrival.wrapping_sub(timestamp);
        if let Some(previous) = self.transit {
            // Difference of two transit times, as a signed 32-bit value.
            #[allow(clippy::cast_possible_wrap)]
            let d = (transit.wrapping_sub(previous) as i32).unsigned_abs();
            // A.8 integer form: jitter is kept scaled by 16.
            self.jitter = self
                .jitter
                .wrapping_add(d)
                .wrapping_sub((self.jitter + 8) >> 4);
        }
        self.transit = Some(transit);
    }

    /// Whether the source has passed probation.
    #[inline]
    pub fn is_valid(&self) -> bool {
        self.probation == 0
    }

    /// Highest sequence number seen, extended with the wrap count (A.3 `extended_max`).
    #[inline]
    pub fn extended_max(&self) -> u32 {
        self.cycles.wrapping_add(u32::from(self.max_seq))
    }

    /// Packets expected: `extended_max - base_seq + 1` (A.3).
    #[inline]
    pub fn expected(&self) -> u32 {
        self.extended_max()
            .wrapping_sub(self.base_seq)
            .wrapping_add(1)
    }

    /// Valid packets received, duplicates included (A.1 `received`).
    #[inline]
    pub fn received(&self) -> u32 {
        self.received
    }

    /// Cumulative packets lost, `expected - received`, clamped to the 24-bit signed range
    /// of a report block (A.3); negative when duplicates outnumber losses.
    #[inline]
    pub fn cumulative_lost(&self) -> i32 {
        let lost = i64::from(self.expected()) - i64::from(self.received);
        // Clamped to 24 bits, so the cast cannot truncate.
        #[allow(clippy::cast_possible_truncation)]
        let lost = lost.clamp(-0x80_0000, 0x7F_FFFF) as i32;
        lost
    }

    /// Interarrival jitter in timestamp units (A.8: `jitter >> 4`).
    #[inline]
    pub fn jitter(&self) -> u32 {
        self.jitter >> 4
    }

    /// A.3: fraction of packets lost since the previous call, in 1/256, and starts a new
    /// interval.
    #[inline]
    pub fn take_fraction_lost(&mut self) -> u8 {
        let expected = self.expected();
        let expected_interval = expected.wrapping_sub(self.expected_prior);
        self.expected_prior = expected;
        let received_interval = self.received.wrapping_sub(self.received_prior);
        self.received_prior = self.received;
        #[allow(clippy::cast_possible_wrap)]
        let lost_interval = expected_interval.wrapping_sub(received_interval) as i32;
        if expected_interval == 0 || lost_interval <= 0 {
            0
        } else {
            // lost_interval <= expected_interval, so the quotient is at most 256; 256 only
            // when nothing arrived, which reports as 255.
            let f = (u64::from(lost_interval.unsigned_abs()) << 8) / u64::from(expected_interval);
            u8::try_from(f).unwrap_or(u8::MAX)
        }
    }

    /// A report block for this source (A.3 fraction and loss, A.8 jitter); starts a new
    /// fraction-lost interval. LSR and DLSR are left 0 for the caller.
    #[inline]
    pub fn report_block(&mut self, ssrc: u32) -> ReportBlock {
        ReportBlock {
            ssrc,
            fraction_lost: self.take_fraction_lost(),
            cumulative_lost: self.cumulative_lost(),
            extended_highest_sequence: self.extended_max(),
            jitter: self.jitter(),
            last_sender_report: 0,
            delay_since_last_sender_report: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_from(seq: u16) -> SourceStatistics {
        let mut s = SourceStatistics::new(seq);
        assert!(!s.update_seq(seq));
        assert!(s.update_seq(seq.wrapping_add(1)));
        s
    }

    #[test]
    fn probation_restarts_on_out_of_order() {
        let mut s = SourceStatistics::new(10);
        assert!(!s.update_seq(10));
        assert!(!s.update_seq(12)); // not sequential: probation back to 1
        assert!(s.update_seq(13));
        assert_eq!(s.expected(), 1);
        assert_eq!(s.received(), 1);
    }

    #[test]
    fn loss_hand_computed() {
        // Valid from 1000 (base 1001 after probation), then 1002, 1004, 1005 (1003 lost).
        let mut s = valid_from(1000);
        for seq in [1002, 1004, 1005] {
            assert!(s.update_seq(seq));
        }
        // expected = 1005 - 1001 + 1 = 5, received = 4.
        assert_eq!(s.expected(), 5);
        assert_eq!(s.received(), 4);
        assert_eq!(s.cumulative_lost(), 1);
        // fraction = (1 << 8) / 5 = 51.
        assert_eq!(s.take_fraction_lost(), 51);
        // Next interval: 1006..=1009 with 1007, 1008 lost: 2 of 4 = 128.
        for seq in [1006, 1009] {
            assert!(s.update_seq(seq));
        }
        assert_eq!(s.take_fraction_lost(), 128);
        assert_eq!(s.cumulative_lost(), 3);
        // Empty interval: 0.
        assert_eq!(s.take_fraction_lost(), 0);
    }

    #[test]
    fn reorder_and_duplicate() {
        let mut s = valid_from(1);
        for seq in [2, 4, 3, 5, 5] {
            assert!(s.update_seq(seq));
        }
        // base 2; max 5; expected 4; received 1 + 5 = 6 (duplicate counted) -> lost -2.
        assert_eq!(s.extended_max(), 5);
        assert_eq!(s.expected(), 4);
        assert_eq!(s.received(), 6);
        assert_eq!(s.cumulative_lost(), -2);
        assert_eq!(s.take_fraction_lost(), 0);
    }

    #[test]
    fn wrap_at_65535() {
        let mut s = valid_from(65533); // base 65534
        for seq in [65535, 0, 1] {
            assert!(s.update_seq(seq));
        }
        assert_eq!(s.extended_max(), 65536 + 1);
        assert_eq!(s.expected(), 65537 - 65534 + 1);
        assert_eq!(s.cumulative_lost(), 0);
        // A late packet from before the wrap does not add a cycle.
        assert!(s.update_seq(65535));
        assert_eq!(s.extended_max(), 65537);
        // Probation across the wrap (the modulo-2^16 reading of A.1).
        let mut p = SourceStatistics::new(65535);
        assert!(!p.update_seq(65535));
        assert!(p.update_seq(0));
        assert_eq!(p.extended_max(), 0);
    }

    #[test]
    fn large_jump_needs_two_sequential_packets() {
        let mut s = valid_from(100);
        assert!(!s.update_seq(20000)); // bad_seq = 20001
        assert_eq!(s.extended_max(), 101);
        assert!(s.update_seq(20001)); // restart: init_seq(20001)
        assert_eq!(s.extended_max(), 20001);
        assert_eq!(s.expected(), 1);
        assert_eq!(s.received(), 1);
        // 50 behind the highest (within MAX_MISORDER): a reordered packet, counted.
        assert!(s.update_seq(20001 - 50));
    }

    #[test]
    fn jitter_zero_under_constant_delay() {
        let mut s = valid_from(0);
        for i in 0..100u32 {
            // 20 ms packets at 8 kHz arriving with a constant 37-unit delay.
            s.update_jitter(i * 160 + 37, i * 160);
        }
        assert_eq!(s.jitter(), 0);
    }

    #[test]
    fn jitter_hand_computed() {
        let mut s = valid_from(0);
        s.update_jitter(1000, 0); // transit 1000, first sample
        s.update_jitter(1160 + 16, 160); // D = 16: J = 0 + 16 - 0 = 16 (scaled) -> 1
        assert_eq!(s.jitter(), 1);
        s.update_jitter(1320, 320); // D = 16 again: 16 + 16 - (24 >> 4 = 1) = 31 -> 1
        assert_eq!(s.jitter(), 1);
        assert_eq!(s.jitter, 31);
        // Float A.8 after two |D|=16 steps: 1 + 15/16 = 1.9375; integer form truncates to 1.
    }
}
