//! The crate's single error type.

use crate::negotiation::SignalingState;

/// Everything that can go wrong in this crate: malformed SDP or SAP input, a crossed limit,
/// an offer/answer call out of order, or an answer that does not fit its offer.
///
/// Line numbers are 1-based and count lines of the SDP text as received.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A line or field did not match the RFC 8866 grammar.
    #[error("line {line}: invalid {field}: expected {expected}")]
    Syntax {
        /// 1-based line number.
        line: usize,
        /// The line type or field that was wrong (`"o= session id"`, `"m= port"`).
        field: &'static str,
        /// What the grammar wants there.
        expected: &'static str,
    },
    /// A line appeared where RFC 8866 §5 does not allow it (wrong order or repeated).
    #[error("line {line}: unexpected {found:?}= line: expected {expected}")]
    UnexpectedLine {
        /// 1-based line number.
        line: usize,
        /// The type letter found.
        found: char,
        /// What may appear at this point.
        expected: &'static str,
    },
    /// A line type that RFC 8866 does not define (§5: such descriptions are rejected).
    #[error("line {line}: unknown line type {found:?}")]
    UnknownLineType {
        /// 1-based line number.
        line: usize,
        /// The type letter found.
        found: char,
    },
    /// A mandatory line (`v=`, `o=`, `s=`, `t=`) is absent.
    #[error("missing mandatory {0:?}= line")]
    MissingLine(char),
    /// The text is not UTF-8 (RFC 8866 §5: the default character set).
    #[error("line {line}: text is not valid utf-8")]
    InvalidUtf8 {
        /// 1-based line number.
        line: usize,
    },
    /// A configured [`ParserConfig`](crate::ParserConfig) value was crossed.
    #[error("line {line}: too many {what} (limit {limit})")]
    LimitExceeded {
        /// 1-based line number where the limit was crossed (0 for the total size).
        line: usize,
        /// What was counted (`"bytes"`, `"lines"`, `"media sections"`, `"attributes"`).
        what: &'static str,
        /// The configured limit.
        limit: usize,
    },
    /// A SAP packet (RFC 2974) is malformed.
    #[error("sap packet: invalid {field}: {expected}")]
    Sap {
        /// The header field that was wrong.
        field: &'static str,
        /// What RFC 2974 §6 requires.
        expected: &'static str,
    },
    /// An offer/answer operation was called in a state that does not allow it (RFC 3264 §4).
    #[error("{operation} is not allowed in state {state:?}")]
    InvalidState {
        /// The operation attempted.
        operation: &'static str,
        /// The state the negotiation was in.
        state: SignalingState,
    },
    /// A remote answer or offer violates RFC 3264 (m-line count or media mismatch, …).
    #[error("offer/answer: {reason}")]
    OfferAnswer {
        /// What was violated.
        reason: &'static str,
    },
    /// A local configuration value cannot be used (for example a stream index out of range).
    #[error("invalid configuration: {reason}")]
    Config {
        /// What is wrong.
        reason: &'static str,
    },
}
