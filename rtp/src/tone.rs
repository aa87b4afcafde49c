//! A phase-continuous sine tone generator for examples and tests.
//!
//! ```
//! use rtp::tone::ToneGenerator;
//!
//! let mut tone = ToneGenerator::new(440.0, 8000, 8000);
//! let mut frame = [0i16; 160];
//! tone.fill(&mut frame);
//! assert_eq!(frame[0], 0);
//! assert!(frame.iter().any(|&s| s > 7000));
//! assert!(frame.iter().all(|&s| (-8000..=8000).contains(&s)));
//! ```

/// Generates 16-bit samples of a sine wave.
#[derive(Debug, Clone, PartialEq)]
pub struct ToneGenerator {
    step: f64,
    phase: f64,
    amplitude: f64,
}

impl ToneGenerator {
    /// A tone of `frequency` Hz sampled at `sample_rate` Hz with peak `amplitude`
    /// (clamped to 0–32767).
    pub fn new(frequency: f64, sample_rate: u32, amplitude: u16) -> Self {
        let rate = f64::from(sample_rate.max(1));
        Self {
            step: core::f64::consts::TAU * frequency / rate,
            phase: 0.0,
            amplitude: f64::from(amplitude.min(32767)),
        }
    }

    /// The next sample.
    pub fn next_sample(&mut self) -> i16 {
        let value = (self.phase.sin() * self.amplitude).round();
        self.phase = (self.phase + self.step) % core::f64::consts::TAU;
        // |value| <= 32767 by construction.
        #[allow(clippy::cast_possible_truncation)]
        let sample = value as i16;
        sample
    }

    /// Fills `out` with the next samples.
    pub fn fill(&mut self, out: &mut [i16]) {
        for s in out {
            *s = self.next_sample();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_and_zero_crossings() {
        // 1000 Hz at 8000 Hz: 8 samples per period, exact values at multiples of 45 degrees.
        let mut t = ToneGenerator::new(1000.0, 8000, 10000);
        let mut v = [0i16; 16];
        t.fill(&mut v);
        assert_eq!(&v[..8], &[0, 7071, 10000, 7071, 0, -7071, -10000, -7071]);
        assert_eq!(&v[..8], &v[8..]);
    }
}
