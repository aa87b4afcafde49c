//! The RTCP transmission interval (RFC 3550 §6.3.1, Appendix A.7 `rtcp_interval`).

use std::time::Duration;

/// §6.2: the share of the RTCP bandwidth for senders when they are at most a quarter of
/// the members.
const SENDER_BW_FRACTION: f64 = 0.25;
const RECEIVER_BW_FRACTION: f64 = 1.0 - SENDER_BW_FRACTION;
/// A.7: e - 3/2, compensating for the timer reconsideration converging below the average.
const COMPENSATION: f64 = core::f64::consts::E - 1.5;

/// Inputs of the interval computation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct IntervalInputs {
    /// Members including ourselves.
    pub(crate) members: usize,
    /// Senders including ourselves when `we_sent`.
    pub(crate) senders: usize,
    /// RTCP bandwidth in octets per second (5 % of the session bandwidth).
    pub(crate) rtcp_bandwidth: f64,
    /// Whether we sent RTP since the second previous report.
    pub(crate) we_sent: bool,
    /// Average compound RTCP size in octets, lower-layer headers included.
    pub(crate) avg_rtcp_size: f64,
    /// Whether no report has been sent yet (halves the minimum).
    pub(crate) initial: bool,
    /// The minimum interval (5 s by default).
    pub(crate) min_interval: Duration,
}

impl IntervalInputs {
    /// The deterministic interval Td of §6.3.1 (no randomisation, no compensation).
    pub(crate) fn deterministic(&self) -> f64 {
        let mut min_time = self.min_interval.as_secs_f64();
        if self.initial {
            min_time /= 2.0;
        }
        let mut n = self.members;
        let mut bw = self.rtcp_bandwidth;
        // Precision loss is irrelevant at member counts this crate can hold.
        #[allow(clippy::cast_precision_loss)]
        if self.senders as f64 <= self.members as f64 * SENDER_BW_FRACTION {
            if self.we_sent {
                bw *= SENDER_BW_FRACTION;
                n = self.senders;
            } else {
                bw *= RECEIVER_BW_FRACTION;
                n = self.members.saturating_sub(self.senders);
            }
        }
        #[allow(clippy::cast_precision_loss)]
        let t = if bw > 0.0 {
            self.avg_rtcp_size * n as f64 / bw
        } else {
            f64::INFINITY
        };
        if t.is_nan() || t < min_time {
            min_time
        } else {
            t
        }
    }

    /// The randomised interval of A.7: Td × uniform[0.5, 1.5) / (e − 3/2).
    /// `random` is a uniform sample in [0, 1).
    pub(crate) fn randomised(&self, random: f64) -> Duration {
        let t = self.deterministic() * (random + 0.5) / COMPENSATION;
        secs(t)
    }
}

/// Converts seconds to a `Duration`, clamping NaN/negative to zero and huge values to a day.
pub(crate) fn secs(t: f64) -> Duration {
    Duration::try_from_secs_f64(t.clamp(0.0, 86_400.0)).unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> IntervalInputs {
        IntervalInputs {
            members: 2,
            senders: 2,
            rtcp_bandwidth: 500.0,
            we_sent: true,
            avg_rtcp_size: 100.0,
            initial: false,
            min_interval: Duration::from_secs(5),
        }
    }

    #[test]
    fn minimum_applies_in_small_sessions() {
        let i = inputs();
        assert_eq!(i.deterministic(), 5.0);
        assert_eq!(IntervalInputs { initial: true, ..i }.deterministic(), 2.5);
        // Randomisation spans [0.5, 1.5) x Td / 1.21828.
        let lo = i.randomised(0.0).as_secs_f64();
        let hi = i.randomised(0.999_999).as_secs_f64();
        assert!((lo - 2.5 / COMPENSATION).abs() < 1e-9, "{lo}");
        assert!((hi - 7.5 / COMPENSATION).abs() < 1e-4, "{hi}");
    }

    #[test]
    fn sender_receiver_split() {
        // 1000 members, 10 senders (<= 25 %), 100-octet reports, 500 octets/s.
        let big = IntervalInputs {
            members: 1000,
            senders: 10,
            ..inputs()
        };
        // A sender: 10 senders share 25 %: 100 * 10 / 125 = 8 s.
        assert!((big.deterministic() - 8.0).abs() < 1e-9);
        // A receiver: 990 receivers share 75 %: 100 * 990 / 375 = 264 s.
        let rx = IntervalInputs {
            we_sent: false,
            ..big
        };
        assert!((rx.deterministic() - 264.0).abs() < 1e-9);
        // More than a quarter are senders: everyone shares it all: 100 * 1000 / 500 = 200 s.
        let many = IntervalInputs {
            senders: 500,
            ..big
        };
        assert!((many.deterministic() - 200.0).abs() < 1e-9);
        assert_eq!(
            IntervalInputs {
                rtcp_bandwidth: 0.0,
                ..big
            }
            .randomised(0.5),
            Duration::from_secs(86_400)
        );
    }
}
