//! Configuration: the RFC 3261 timer values T1, T2, T4 and the layer's limits.

use std::time::Duration;

use crate::{Error, Result};

/// Configuration of a [`TransactionLayer`](crate::TransactionLayer).
///
/// `Default` gives the RFC 3261 values (T1 500 ms, T2 4 s, T4 5 s; §17.1.1.1, Table 4).
/// Setters return `&mut Self` so they chain.
///
/// ```
/// use std::time::Duration;
/// use sip_transaction::Config;
///
/// let mut config = Config::default();
/// config.t1(Duration::from_millis(200)).max_server_transactions(10_000).rng_seed([7; 32]);
/// assert_eq!(config.timer_b(), Duration::from_millis(200 * 64));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub(crate) t1: Duration,
    pub(crate) t2: Duration,
    pub(crate) t4: Duration,
    pub(crate) timer_c: Option<Duration>,
    pub(crate) trying_delay: Duration,
    pub(crate) max_server_transactions: usize,
    pub(crate) retry_after: u32,
    pub(crate) rng_seed: Option<[u8; 32]>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            t1: Duration::from_millis(500),
            t2: Duration::from_secs(4),
            t4: Duration::from_secs(5),
            timer_c: Some(Duration::from_secs(181)),
            trying_delay: Duration::from_millis(200),
            max_server_transactions: 100_000,
            retry_after: 5,
            rng_seed: None,
        }
    }
}

impl Config {
    /// T1, the round-trip time estimate (default 500 ms). Timers A, E and G start at T1;
    /// B, F, H, J, L and M are 64*T1.
    pub fn t1(&mut self, value: Duration) -> &mut Self {
        self.t1 = value;
        self
    }

    /// T2, the maximum retransmission interval for non-INVITE requests and INVITE
    /// responses (default 4 s).
    pub fn t2(&mut self, value: Duration) -> &mut Self {
        self.t2 = value;
        self
    }

    /// T4, the maximum time a message stays in the network (default 5 s): Timers I and K.
    pub fn t4(&mut self, value: Duration) -> &mut Self {
        self.t4 = value;
        self
    }

    /// Timer C of an INVITE client transaction in Proceeding (§16.6 item 11, §16.8):
    /// more than 3 minutes (default 181 s), restarted by each provisional response. When
    /// it fires the layer reports [`Event::Timeout`](crate::Event::Timeout) with
    /// [`Timer::C`](crate::Timer::C) and CANCELs the INVITE. `None` disables it (an
    /// INVITE then waits in Proceeding until the TU cancels it).
    pub fn timer_c(&mut self, value: Option<Duration>) -> &mut Self {
        self.timer_c = value;
        self
    }

    /// How long an INVITE server transaction waits for a provisional response from the TU
    /// before it sends 100 Trying itself (§17.2.1: 200 ms).
    pub fn trying_delay(&mut self, value: Duration) -> &mut Self {
        self.trying_delay = value;
        self
    }

    /// The most server transactions alive at once (default 100,000). Beyond it a new
    /// request is answered 503 (Service Unavailable) with Retry-After, statelessly.
    pub fn max_server_transactions(&mut self, value: usize) -> &mut Self {
        self.max_server_transactions = value;
        self
    }

    /// The Retry-After value in seconds of the 503 sent when the cap is reached (default 5).
    pub fn retry_after(&mut self, seconds: u32) -> &mut Self {
        self.retry_after = seconds;
        self
    }

    /// Seed of the layer's random generator (branches, To tags of 503s). `None` (the
    /// default) seeds it once from the operating system. With a seed, the same inputs give
    /// the same bytes out.
    pub fn rng_seed(&mut self, seed: [u8; 32]) -> &mut Self {
        self.rng_seed = Some(seed);
        self
    }

    /// Timer B, F, H, J (unreliable), L and M: 64*T1.
    pub fn timer_b(&self) -> Duration {
        self.t1.saturating_mul(64)
    }

    /// Timer D for an unreliable transport: at least 32 s, and 64*T1 when that is larger
    /// (RFC 6026 §8.4 ties it to Timer H).
    pub(crate) fn timer_d(&self) -> Duration {
        self.timer_b().max(Duration::from_secs(32))
    }

    /// Checks the values once, at construction.
    pub(crate) fn validate(&self) -> Result<()> {
        if self.t1.is_zero() {
            return Err(Error::InvalidConfig {
                field: "t1",
                expected: "greater than zero",
            });
        }
        if self.t2 < self.t1 {
            return Err(Error::InvalidConfig {
                field: "t2",
                expected: "at least t1",
            });
        }
        if self.t4.is_zero() {
            return Err(Error::InvalidConfig {
                field: "t4",
                expected: "greater than zero",
            });
        }
        // Bounds keep every `now + timer` far from `Instant` overflow.
        let hour = Duration::from_secs(3600);
        for (field, value, max, expected) in [
            ("t1", self.t1, Duration::from_secs(60), "at most 60 s"),
            ("t2", self.t2, hour, "at most one hour"),
            ("t4", self.t4, hour, "at most one hour"),
            ("trying_delay", self.trying_delay, hour, "at most one hour"),
            (
                "timer_c",
                self.timer_c.unwrap_or_default(),
                hour * 24,
                "at most one day",
            ),
        ] {
            if value > max {
                return Err(Error::InvalidConfig { field, expected });
            }
        }
        if self.timer_c.is_some_and(|c| c.is_zero()) {
            return Err(Error::InvalidConfig {
                field: "timer_c",
                expected: "greater than zero or None",
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_rfc_values() {
        let c = Config::default();
        assert_eq!(c.t1, Duration::from_millis(500));
        assert_eq!(c.t2, Duration::from_secs(4));
        assert_eq!(c.t4, Duration::from_secs(5));
        assert_eq!(c.timer_b(), Duration::from_secs(32));
        assert_eq!(c.timer_d(), Duration::from_secs(32));
        assert!(c.validate().is_ok());
    }

    #[test]
    fn bad_values_are_rejected() {
        assert!(Config::default().t1(Duration::ZERO).validate().is_err());
        assert!(Config::default()
            .t2(Duration::from_millis(1))
            .validate()
            .is_err());
        assert!(Config::default().t4(Duration::ZERO).validate().is_err());
        assert!(Config::default()
            .timer_c(Some(Duration::ZERO))
            .validate()
            .is_err());
        assert!(Config::default().t1(Duration::MAX).validate().is_err());
        assert!(Config::default()
            .timer_c(Some(Duration::MAX))
            .validate()
            .is_err());
        assert!(Config::default()
            .trying_delay(Duration::MAX)
            .validate()
            .is_err());
    }
}
