//! The crate's error type.

/// Everything that can go wrong in this crate.
///
/// Parsing errors name the byte offset and the field that was wrong and what was expected;
/// command errors name the argument. Network input handed to the [`Session`](crate::Session)
/// never surfaces as an error: malformed packets are counted and dropped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input ended before a field that must be present.
    #[error(
        "truncated packet at byte {offset}: {field} needs {needed} bytes, {available} available"
    )]
    Truncated {
        /// Byte offset where the field starts.
        offset: usize,
        /// The field being read.
        field: &'static str,
        /// Bytes needed from `offset`.
        needed: usize,
        /// Bytes available from `offset`.
        available: usize,
    },
    /// A field holds a value the protocol does not allow.
    #[error("malformed packet at byte {offset}: {field}: expected {expected}")]
    Malformed {
        /// Byte offset of the field.
        offset: usize,
        /// The field that is wrong.
        field: &'static str,
        /// What the field should have been.
        expected: &'static str,
    },
    /// The output buffer is too small for the packet being written.
    #[error("output buffer too small: need {needed} bytes, have {available}")]
    BufferTooSmall {
        /// Bytes the packet needs.
        needed: usize,
        /// Bytes the buffer has.
        available: usize,
    },
    /// A value given to a builder or command is out of range.
    #[error("invalid argument {field}: expected {expected}")]
    InvalidArgument {
        /// The argument.
        field: &'static str,
        /// What it should have been.
        expected: &'static str,
    },
    /// The session has sent its BYE and accepts no more media.
    #[error("session closed: no more packets can be sent")]
    Closed,
}

impl Error {
    pub(crate) const fn truncated(
        offset: usize,
        field: &'static str,
        needed: usize,
        available: usize,
    ) -> Self {
        Self::Truncated {
            offset,
            field,
            needed,
            available,
        }
    }

    pub(crate) const fn malformed(
        offset: usize,
        field: &'static str,
        expected: &'static str,
    ) -> Self {
        Self::Malformed {
            offset,
            field,
            expected,
        }
    }
}

/// Result alias with this crate's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;
