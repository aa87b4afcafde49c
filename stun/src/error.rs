//! The crate's error type.

use crate::attribute::AttributeType;

/// Everything that can go wrong when decoding, verifying or encoding STUN messages, and when
/// a command is given to a client or server in the wrong state.
///
/// Decoding errors carry the byte offset (from the start of the message) and what was
/// expected. A peer's malformed message never reaches the driver as an `Error` through the
/// sans-IO state machines: they drop it (and trace it) or answer it, as RFC 8489 asks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is shorter than what the header or an attribute announces.
    #[error("message truncated at byte {offset}: need {needed} more bytes")]
    Truncated {
        /// Offset where the missing data starts.
        offset: usize,
        /// How many bytes are missing.
        needed: usize,
    },
    /// The first two bits of a STUN message must be zero (RFC 8489 §5).
    #[error("not a STUN message: the two leading bits of byte 0 must be zero")]
    NotStun,
    /// The magic cookie field is not 0x2112A442 (RFC 8489 §5).
    #[error("magic cookie at byte 4 is {found:#010x}, expected 0x2112a442")]
    MagicCookie {
        /// The value found.
        found: u32,
    },
    /// The header's message length is not a multiple of 4 (RFC 8489 §5).
    #[error("message length {length} at byte 2 is not a multiple of 4")]
    UnalignedLength {
        /// The length field.
        length: u16,
    },
    /// There are bytes after the end announced by the header's length field.
    #[error("{extra} bytes after the end of the message at byte {offset}")]
    TrailingBytes {
        /// Where the message ends.
        offset: usize,
        /// How many extra bytes follow.
        extra: usize,
    },
    /// An attribute's length runs past the end of the message.
    #[error(
        "attribute {attribute} at byte {offset} has length {length}, past the end of the message"
    )]
    AttributeOverrun {
        /// The attribute type.
        attribute: AttributeType,
        /// Offset of the attribute header.
        offset: usize,
        /// Its length field.
        length: u16,
    },
    /// An attribute follows FINGERPRINT, which must be last (RFC 8489 §14.7).
    #[error("attribute {attribute} at byte {offset} follows FINGERPRINT, which must be last")]
    AfterFingerprint {
        /// The attribute that follows.
        attribute: AttributeType,
        /// Its offset.
        offset: usize,
    },
    /// An attribute value does not have the shape its type requires.
    #[error("invalid {attribute} value at byte {offset}: expected {expected}")]
    InvalidAttribute {
        /// The attribute type.
        attribute: AttributeType,
        /// Offset of the attribute header.
        offset: usize,
        /// What was expected.
        expected: &'static str,
    },
    /// The message has no MESSAGE-INTEGRITY (or -SHA256) attribute to verify.
    #[error("no {attribute} attribute to verify")]
    MissingIntegrity {
        /// The attribute that was looked for.
        attribute: AttributeType,
    },
    /// MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256 does not match the key.
    #[error("{attribute} does not match")]
    IntegrityMismatch {
        /// The attribute that failed.
        attribute: AttributeType,
    },
    /// The message has no FINGERPRINT attribute.
    #[error("no FINGERPRINT attribute")]
    MissingFingerprint,
    /// FINGERPRINT does not match the CRC-32 of the message.
    #[error("FINGERPRINT {found:#010x} does not match the computed {computed:#010x}")]
    FingerprintMismatch {
        /// The value in the message.
        found: u32,
        /// The value computed.
        computed: u32,
    },
    /// A value is too long to encode (RFC 8489 §14: limits on USERNAME, REALM, NONCE, ...).
    #[error("{attribute} value of {length} bytes is longer than the limit of {limit}")]
    ValueTooLong {
        /// The attribute type.
        attribute: AttributeType,
        /// The value's length.
        length: usize,
        /// The limit.
        limit: usize,
    },
    /// An attribute was added after FINGERPRINT or a message grew beyond 65,535 bytes.
    #[error("cannot encode: {reason}")]
    Encode {
        /// What went wrong.
        reason: &'static str,
    },
    /// A string is not allowed by the OpaqueString profile (RFC 8265 §4.2).
    #[error("{field} is not a valid OpaqueString: {reason}")]
    OpaqueString {
        /// Which input (username, realm, password).
        field: &'static str,
        /// Why.
        reason: &'static str,
    },
    /// A Binding request failed (tokio adapter).
    #[error("binding request failed: {0}")]
    BindingFailed(crate::client::Failure),
    /// A socket operation failed (tokio adapter).
    #[error("i/o error ({kind:?}): {message}")]
    Io {
        /// The I/O error kind.
        kind: std::io::ErrorKind,
        /// The I/O error message.
        message: String,
    },
    /// A command was given that the client or server cannot carry out now.
    #[error("invalid state: {0}")]
    InvalidState(&'static str),
}
