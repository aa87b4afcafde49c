//! [`ParserConfig`]: limits, opt-in tolerances of non-conforming peers ([`Quirks`]) and
//! counters of how often each tolerance was needed.

use core::fmt;
use core::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;

use crate::message::{self, Frame, Message};
use crate::{Limits, Result};

macro_rules! quirks {
    ($( $(#[$doc:meta])* $field:ident, $variant:ident; )+) => {
        /// Tolerances of known non-conforming peer behaviour. All `false` by default: the
        /// parser is strict. Each one is switched on on its own, and
        /// [`ParserConfig::quirk_counts`] tells how often each was needed.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct Quirks {
            $( $(#[$doc])* pub $field: bool, )+
        }

        /// One of the [`Quirks`], as counted by [`ParserConfig::quirk_counts`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Quirk {
            $( $(#[$doc])* $variant, )+
        }

        impl Quirk {
            /// Every quirk, in declaration order.
            pub const ALL: &'static [Self] = &[ $( Self::$variant, )+ ];

            /// The name of the [`Quirks`] field that enables it.
            pub fn name(self) -> &'static str {
                match self { $( Self::$variant => stringify!($field), )+ }
            }

            fn is_enabled(self, q: &Quirks) -> bool {
                match self { $( Self::$variant => q.$field, )+ }
            }
        }

        impl Quirks {
            /// Every tolerance switched on.
            pub fn all() -> Self {
                Self { $( $field: true, )+ }
            }
        }
    };
}

quirks! {
    /// Accept a bare LF (without CR) as line end in the start line and header section.
    lf_line_endings, LfLineEndings;
    /// Accept a message on a stream transport without Content-Length, taking its body as
    /// empty (RFC 3261 §18.3 makes Content-Length mandatory there).
    missing_content_length_on_stream, MissingContentLengthOnStream;
    /// Ignore one trailing comma (and the whitespace around it) at the end of a list
    /// header's value, as in `Supported: timer, 100rel,`.
    trailing_comma_in_list, TrailingCommaInList;
    /// Skip CRLFs before the start line of a datagram (§7.5 requires this only on streams).
    leading_crlf_in_datagram, LeadingCrlfInDatagram;
    /// Accept runs of several SP (or HTAB) between the parts of the start line, and
    /// whitespace at its end.
    start_line_whitespace, StartLineWhitespace;
    /// Accept a status line without the SP before an empty reason phrase (`SIP/2.0 200`).
    missing_reason_phrase, MissingReasonPhrase;
    /// In a datagram, take the body as the bytes present when Content-Length announces
    /// more (instead of failing with [`Error::BodyTooShort`](crate::Error::BodyTooShort)).
    body_shorter_than_content_length, BodyShorterThanContentLength;
}

/// Limits, quirks and quirk counters for the message parser and the stream framer.
///
/// `ParserConfig::default()` is strict with the default [`Limits`]. Counters are atomic, so a
/// config can be shared between threads (`&ParserConfig` is all parsing needs).
///
/// ```
/// use bytes::Bytes;
/// use sip_message::{ParserConfig, Quirk};
/// let msg = Bytes::from_static(b"OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n\n");
/// assert!(ParserConfig::default().parse_datagram(msg.clone()).is_err());
/// let mut config = ParserConfig::default();
/// config.quirks.lf_line_endings = true;
/// assert!(config.parse_datagram(msg).is_ok());
/// assert_eq!(config.quirk_count(Quirk::LfLineEndings), 1);
/// ```
#[derive(Default)]
pub struct ParserConfig {
    /// Size limits.
    pub limits: Limits,
    /// Enabled tolerances.
    pub quirks: Quirks,
    counts: [AtomicU64; QUIRK_COUNT],
}

const QUIRK_COUNT: usize = 7;

impl ParserConfig {
    /// A strict config with the given limits.
    pub fn with_limits(limits: Limits) -> Self {
        Self {
            limits,
            ..Self::default()
        }
    }

    /// Sets the quirks.
    pub fn quirks(&mut self, quirks: Quirks) -> &mut Self {
        self.quirks = quirks;
        self
    }

    /// Parses one datagram (RFC 3261 §18.3): Content-Length may be absent (the body is the
    /// rest of the datagram); a larger one is an error; a smaller one truncates the body.
    ///
    /// The message shares `bytes`. Parsing only indexes the header section; typed values are
    /// parsed when asked for.
    ///
    /// # Errors
    /// Syntax, limit and Content-Length errors, with the byte offset.
    #[inline]
    pub fn parse_datagram(&self, bytes: Bytes) -> Result<Message> {
        message::parse::parse_datagram(self, bytes)
    }

    /// Parses one complete message taken from a stream (the length given by
    /// [`ParserConfig::frame`]): Content-Length is mandatory unless the
    /// [`Quirks::missing_content_length_on_stream`] quirk is on.
    ///
    /// # Errors
    /// As [`ParserConfig::parse_datagram`], plus
    /// [`Error::MissingContentLength`](crate::Error::MissingContentLength).
    pub fn parse_stream_message(&self, bytes: Bytes) -> Result<Message> {
        message::parse::parse_stream(self, bytes)
    }

    /// Looks at the start of a stream buffer and says what it holds: CRLF keep-alives to
    /// skip, a complete message of a given length, or not enough bytes yet (§7.5, §18.3,
    /// RFC 5626 §4.4.1). Does not consume anything.
    ///
    /// # Errors
    /// The buffer cannot start a valid message (syntax, limits, missing Content-Length).
    pub fn frame(&self, buf: &[u8]) -> Result<Frame> {
        message::framer::frame(self, buf)
    }

    /// How often `quirk` was needed since the config was made or last reset.
    pub fn quirk_count(&self, quirk: Quirk) -> u64 {
        self.counts
            .get(quirk as usize)
            .map_or(0, |c| c.load(Ordering::Relaxed))
    }

    /// Every quirk with its count.
    pub fn quirk_counts(&self) -> impl Iterator<Item = (Quirk, u64)> + '_ {
        Quirk::ALL.iter().map(|q| (*q, self.quirk_count(*q)))
    }

    /// Sets every counter back to zero.
    pub fn reset_counts(&self) {
        for c in &self.counts {
            c.store(0, Ordering::Relaxed);
        }
    }

    /// Whether `quirk` is switched on.
    pub fn allows(&self, quirk: Quirk) -> bool {
        quirk.is_enabled(&self.quirks)
    }

    /// Whether `quirk` is on; counts one use when it is. Called where a deviation was seen.
    pub(crate) fn tolerate(&self, quirk: Quirk) -> bool {
        if !self.allows(quirk) {
            return false;
        }
        if let Some(c) = self.counts.get(quirk as usize) {
            c.fetch_add(1, Ordering::Relaxed);
        }
        true
    }
}

impl Clone for ParserConfig {
    /// Copies limits and quirks; the counters start at zero.
    fn clone(&self) -> Self {
        Self {
            limits: self.limits,
            quirks: self.quirks,
            counts: Default::default(),
        }
    }
}

impl fmt::Debug for ParserConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParserConfig")
            .field("limits", &self.limits)
            .field("quirks", &self.quirks)
            .field("counts", &self.quirk_counts().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counter_table_covers_every_quirk() {
        assert_eq!(Quirk::ALL.len(), QUIRK_COUNT);
        let c = ParserConfig::default();
        for q in Quirk::ALL {
            assert!(!c.allows(*q));
            assert!(!c.tolerate(*q));
            assert_eq!(c.quirk_count(*q), 0);
        }
        let mut c = ParserConfig::default();
        c.quirks(Quirks::all());
        for q in Quirk::ALL {
            assert!(c.tolerate(*q), "{}", q.name());
            assert_eq!(c.quirk_count(*q), 1);
        }
        c.reset_counts();
        assert_eq!(c.quirk_counts().map(|(_, n)| n).sum::<u64>(), 0);
    }
}
