//! Header fields: names, the [`TypedHeader`] trait and the typed headers.

use core::fmt;

use bytes::Bytes;

use crate::Result;

mod name;
mod name_addr;
pub mod typed;

pub use name::HeaderName;
pub use name_addr::NameAddr;
pub use typed::*;

/// A header whose value this crate parses into a type.
///
/// `parse` takes one header field value as it lies in the message: for a list header
/// (`NAME.is_list()`), one element of the comma-separated list. The value may carry leading
/// and trailing whitespace and folded line breaks (`LWS`), which parsers skip. Parsed fields
/// share the value's buffer instead of copying it.
///
/// `Display` writes the value in canonical form (without the name and colon).
pub trait TypedHeader: Sized + fmt::Display {
    /// The header's name.
    const NAME: HeaderName;

    /// Parses one header field value.
    ///
    /// # Errors
    /// [`Error::Header`](crate::Error::Header) (or [`Error::Uri`](crate::Error::Uri) for a bad
    /// URI inside it) with the offset inside `value`.
    fn parse(value: &Bytes) -> Result<Self>;

    /// Parses a value given as text (copies it).
    ///
    /// # Errors
    /// As [`TypedHeader::parse`].
    fn parse_str(value: &str) -> Result<Self> {
        Self::parse(&Bytes::copy_from_slice(value.as_bytes()))
    }

    /// The canonical value as bytes.
    fn to_bytes(&self) -> Bytes {
        Bytes::from(self.to_string())
    }
}

/// Maps the generic syntax errors of the grammar helpers to [`Error::Header`] for `name`.
pub(crate) fn header_error(name: &'static str) -> impl Fn(crate::Error) -> crate::Error {
    move |e| match e {
        crate::Error::Syntax { offset, expected }
        | crate::Error::UnexpectedEnd { offset, expected } => crate::Error::Header {
            name,
            offset,
            expected,
        },
        other => other,
    }
}
