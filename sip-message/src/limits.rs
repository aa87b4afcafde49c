//! Size limits that bound what the parser accepts (and so what it can be made to allocate).

use core::fmt;

/// Which limit was crossed; carried by [`Error::Limit`](crate::Error::Limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// [`Limits::max_message_size`].
    MessageSize,
    /// [`Limits::max_headers`].
    HeaderCount,
    /// [`Limits::max_header_line`].
    HeaderLineLength,
    /// [`Limits::max_list_values`].
    ListValues,
    /// [`Limits::max_start_line`].
    StartLineLength,
    /// A header field ends more than 65,535 bytes into the message: a fixed bound, not one
    /// of [`Limits`] (the index of a message holds 16-bit offsets, so that it stays small).
    HeaderSection,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::MessageSize => "message size limit",
            Self::HeaderCount => "header count limit",
            Self::HeaderLineLength => "header line length limit",
            Self::ListValues => "list value count limit",
            Self::StartLineLength => "start line length limit",
            Self::HeaderSection => "header section size limit (65,535 bytes)",
        })
    }
}

/// Limits applied while parsing. Crossing one stops the parser with
/// [`Error::Limit`](crate::Error::Limit); none of them ever causes an allocation.
///
/// The defaults fit every legitimate message seen in practice with a wide margin.
///
/// Whatever these allow, header fields must end within 65,535 bytes of the start of the
/// message ([`Limit::HeaderSection`]): a message's index holds 16-bit offsets so that it
/// stays small. The body is not bounded by this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest whole message (header section and body), in bytes. Default 65 535: a UDP
    /// datagram cannot be larger.
    pub max_message_size: usize,
    /// Most header fields (lines) in one message. Default 256.
    pub max_headers: usize,
    /// Longest header field, in bytes, counting folded continuation lines. Default 8 192.
    pub max_header_line: usize,
    /// Most comma-separated values in one header field. Default 128.
    pub max_list_values: usize,
    /// Longest request or status line, in bytes. Default 8 192.
    pub max_start_line: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_message_size: 65_535,
            max_headers: 256,
            max_header_line: 8_192,
            max_list_values: 128,
            max_start_line: 8_192,
        }
    }
}

impl Limits {
    /// Sets [`Limits::max_message_size`].
    pub fn max_message_size(&mut self, bytes: usize) -> &mut Self {
        self.max_message_size = bytes;
        self
    }
    /// Sets [`Limits::max_headers`].
    pub fn max_headers(&mut self, count: usize) -> &mut Self {
        self.max_headers = count;
        self
    }
    /// Sets [`Limits::max_header_line`].
    pub fn max_header_line(&mut self, bytes: usize) -> &mut Self {
        self.max_header_line = bytes;
        self
    }
    /// Sets [`Limits::max_list_values`].
    pub fn max_list_values(&mut self, count: usize) -> &mut Self {
        self.max_list_values = count;
        self
    }
    /// Sets [`Limits::max_start_line`].
    pub fn max_start_line(&mut self, bytes: usize) -> &mut Self {
        self.max_start_line = bytes;
        self
    }
}
