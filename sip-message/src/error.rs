//! The crate's error type.

use crate::Limit;

/// Everything that can go wrong while parsing, building or validating a SIP message.
///
/// Offsets are byte offsets into the input that was being parsed: the whole message for the
/// message parser and framer, the header field value for typed headers, the URI text for URIs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input ended before the construct being parsed was complete.
    #[error("unexpected end of input at byte {offset}: expected {expected}")]
    UnexpectedEnd {
        /// Where the input ended.
        offset: usize,
        /// What the parser was looking for.
        expected: &'static str,
    },
    /// A byte that the grammar does not allow at this place.
    #[error("syntax error at byte {offset}: expected {expected}")]
    Syntax {
        /// Where the unexpected byte is.
        offset: usize,
        /// What the grammar allows there.
        expected: &'static str,
    },
    /// The SIP-Version of the start line is not `SIP/2.0` (RFC 3261 §7.1).
    #[error("unsupported SIP version at byte {offset}")]
    Version {
        /// Where the version starts.
        offset: usize,
    },
    /// A typed header's value does not follow its grammar.
    #[error("invalid {name} header at byte {offset} of its value: expected {expected}")]
    Header {
        /// The canonical name of the header.
        name: &'static str,
        /// Offset inside the header field value.
        offset: usize,
        /// What the grammar allows there.
        expected: &'static str,
    },
    /// A URI does not follow the grammar of its scheme.
    #[error("invalid URI at byte {offset}: expected {expected}")]
    Uri {
        /// Offset inside the URI text.
        offset: usize,
        /// What the grammar allows there.
        expected: &'static str,
    },
    /// A configured limit was crossed; parsing stopped.
    #[error("{limit} exceeded at byte {offset}")]
    Limit {
        /// Which limit.
        limit: Limit,
        /// Where the parser was when it crossed the limit.
        offset: usize,
    },
    /// Content-Length is missing where it is mandatory (stream transports, RFC 3261 §18.3).
    #[error("missing Content-Length on a stream transport")]
    MissingContentLength,
    /// Content-Length announces more body bytes than the datagram holds (RFC 3261 §18.3).
    #[error("Content-Length {declared} is larger than the {available} body bytes present")]
    BodyTooShort {
        /// Value of the Content-Length header.
        declared: usize,
        /// Bytes present after the header section.
        available: usize,
    },
    /// A header that must appear at most once appears several times with different values.
    #[error("conflicting {name} headers")]
    Conflicting {
        /// The canonical name of the header.
        name: &'static str,
    },
    /// A mandatory header is absent.
    #[error("missing {name} header")]
    MissingHeader {
        /// The canonical name of the header.
        name: &'static str,
    },
    /// A value given to a builder is not valid for the place it is put.
    #[error("invalid {what}: {reason}")]
    InvalidInput {
        /// What was given.
        what: &'static str,
        /// Why it was refused.
        reason: &'static str,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

impl Error {
    /// Returns the same error with its offset moved by `base` bytes.
    ///
    /// Used when a part parsed on its own (a URI inside a header, a header value inside a
    /// message) reports its error relative to the enclosing input.
    #[must_use]
    pub fn offset_by(self, base: usize) -> Self {
        match self {
            Self::UnexpectedEnd { offset, expected } => Self::UnexpectedEnd {
                offset: offset.saturating_add(base),
                expected,
            },
            Self::Syntax { offset, expected } => Self::Syntax {
                offset: offset.saturating_add(base),
                expected,
            },
            Self::Version { offset } => Self::Version {
                offset: offset.saturating_add(base),
            },
            Self::Header {
                name,
                offset,
                expected,
            } => Self::Header {
                name,
                offset: offset.saturating_add(base),
                expected,
            },
            Self::Uri { offset, expected } => Self::Uri {
                offset: offset.saturating_add(base),
                expected,
            },
            Self::Limit { limit, offset } => Self::Limit {
                limit,
                offset: offset.saturating_add(base),
            },
            other => other,
        }
    }

    /// Returns the byte offset the error points at, when it has one.
    pub fn offset(&self) -> Option<usize> {
        match self {
            Self::UnexpectedEnd { offset, .. }
            | Self::Syntax { offset, .. }
            | Self::Version { offset }
            | Self::Header { offset, .. }
            | Self::Uri { offset, .. }
            | Self::Limit { offset, .. } => Some(*offset),
            _ => None,
        }
    }
}
