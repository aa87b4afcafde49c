//! The crate's error type: misuse of the commands by the transaction user.
//!
//! Network input never yields an error (it is answered, reported as an
//! [`Event`](crate::Event) or dropped with a `tracing` event); only commands return one.

use sip_message::Method;

/// An error returned by a command of the [`TransactionLayer`](crate::TransactionLayer).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration is not usable.
    #[error("invalid configuration: {field} {expected}")]
    InvalidConfig {
        /// The setting.
        field: &'static str,
        /// What it must be.
        expected: &'static str,
    },
    /// The request lacks a header the transaction layer needs.
    #[error("request has no usable {name} header (expected a valid {name})")]
    MissingHeader {
        /// The header name.
        name: &'static str,
    },
    /// ACK requests do not create client transactions (§17.1.1.3, §13.2.2.4): send an ACK
    /// for a 2xx with [`TransactionLayer::send_stateless`](crate::TransactionLayer::send_stateless).
    #[error("an ACK request does not create a client transaction (send it statelessly)")]
    AckNotATransaction,
    /// A client transaction with the same branch and method exists already (§17.1.3).
    #[error("a client transaction with branch {branch} and method {method} exists already")]
    DuplicateTransaction {
        /// The branch of the top Via.
        branch: String,
        /// The method.
        method: Method,
    },
    /// The key names no live transaction (it has terminated or never existed).
    #[error("no live transaction for this key")]
    UnknownTransaction,
    /// The transaction's state does not allow the command (for example a second final
    /// response, or a 2xx to a non-INVITE after its final response).
    #[error("transaction in state {state} cannot {action}")]
    InvalidState {
        /// The state the transaction is in, as the RFC names it.
        state: &'static str,
        /// What was attempted.
        action: &'static str,
    },
    /// The response does not belong to the transaction (wrong CSeq method) or is malformed.
    #[error("response does not fit the transaction: {reason}")]
    InvalidResponse {
        /// What is wrong.
        reason: &'static str,
    },
    /// Building a message (ACK, CANCEL, a response) failed in `sip-message`.
    #[error("message building failed: {0}")]
    Message(#[from] sip_message::Error),
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
