//! The crate's error type.

use sip_transaction::TransportKind;

/// An error of `sip-transport`: a bad argument from the layer above, a URI that locates no
/// server, or (with the `tokio` feature) a socket failure.
///
/// Network input never yields an `Error` to act on: bad bytes close a stream with a
/// [`CloseReason`](crate::CloseReason) or are dropped with a `tracing` event.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A URI given to the server-location logic is not a usable `sip`/`sips` URI.
    #[error("invalid SIP URI at byte {offset}: expected {expected}")]
    InvalidUri {
        /// Byte offset in the URI.
        offset: usize,
        /// What was expected there.
        expected: &'static str,
    },
    /// The message has no usable top Via (§18.1.1, §18.2.1 need one).
    #[error("message has no valid top Via header (expected SIP/2.0/<transport> sent-by)")]
    MissingVia,
    /// No transport of the requested kind is available.
    #[error("no {0} transport is available")]
    UnsupportedTransport(TransportKind),
    /// Server location found no target (§4 of RFC 3263), or every target failed.
    #[error("no target left for {0}")]
    NoTarget(String),
    /// Building or rewriting a message failed.
    #[error("message error: {0}")]
    Message(#[from] sip_message::Error),
    /// The transaction layer refused a command.
    #[error("transaction error: {0}")]
    Transaction(#[from] sip_transaction::Error),
    /// A socket operation failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// A TLS certificate, key or configuration is unusable.
    #[error("tls configuration error: {0}")]
    Tls(String),
    /// The DNS resolver could not be set up.
    #[error("dns error: {0}")]
    Dns(String),
    /// The endpoint has stopped (its task ended).
    #[error("endpoint is closed")]
    Closed,
    /// A bounded queue is full: the endpoint is overloaded.
    #[error("endpoint queue is full (overload)")]
    Overloaded,
    /// A client transaction timed out (Timer B or F, §17.1).
    #[error("transaction timed out without a final response")]
    Timeout,
    /// A client transaction failed on the transport (§17.1.4).
    #[error("transport failure while sending the request")]
    TransportFailed,
    /// The configuration is not usable.
    #[error("invalid configuration: {field} {expected}")]
    InvalidConfig {
        /// The setting.
        field: &'static str,
        /// What it must be.
        expected: &'static str,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
