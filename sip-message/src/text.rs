//! [`ByteStr`]: a UTF-8 string that shares the buffer it was parsed from.

use core::{borrow::Borrow, fmt, hash, ops::Deref};

use bytes::Bytes;

/// An immutable UTF-8 string backed by [`Bytes`].
///
/// Parsed values point into the message buffer (cloning costs a reference-count increment);
/// built values own their text. Dereferences to `str`.
///
/// ```
/// use sip_message::ByteStr;
/// let s = ByteStr::from_static("alice");
/// assert_eq!(&*s, "alice");
/// assert_eq!(s, ByteStr::from(String::from("alice")));
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct ByteStr(Bytes);

impl ByteStr {
    /// A string from a static literal, without copying.
    pub const fn from_static(s: &'static str) -> Self {
        Self(Bytes::from_static(s.as_bytes()))
    }

    /// Wraps bytes the caller has already checked to be ASCII (or UTF-8), such as a range
    /// scanned with an ASCII-only character class. Skips the UTF-8 check; if the promise is
    /// broken the string reads as empty (never undefined behaviour).
    pub(crate) fn from_checked(bytes: Bytes) -> Self {
        debug_assert!(core::str::from_utf8(&bytes).is_ok());
        Self(bytes)
    }

    /// Wraps `bytes` when they are valid UTF-8.
    ///
    /// # Errors
    /// Gives back the bytes when they are not UTF-8.
    pub fn from_utf8(bytes: Bytes) -> Result<Self, Bytes> {
        if crate::ascii::to_str(&bytes).is_some() {
            Ok(Self(bytes))
        } else {
            Err(bytes)
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // The invariant of the type: the bytes are UTF-8; the fallback is never taken.
        crate::ascii::to_str(&self.0).unwrap_or_default()
    }

    /// The underlying bytes.
    pub fn as_bytes(&self) -> &Bytes {
        &self.0
    }

    /// Consumes the string, giving its bytes.
    pub fn into_bytes(self) -> Bytes {
        self.0
    }

    /// Whether `self` equals `other` ignoring ASCII case.
    pub fn eq_ignore_ascii_case(&self, other: &str) -> bool {
        self.0.eq_ignore_ascii_case(other.as_bytes())
    }
}

impl Deref for ByteStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for ByteStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<[u8]> for ByteStr {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Borrow<str> for ByteStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl hash::Hash for ByteStr {
    fn hash<H: hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl From<&str> for ByteStr {
    fn from(s: &str) -> Self {
        Self(Bytes::copy_from_slice(s.as_bytes()))
    }
}

impl From<String> for ByteStr {
    fn from(s: String) -> Self {
        Self(Bytes::from(s))
    }
}

impl From<ByteStr> for Bytes {
    fn from(s: ByteStr) -> Self {
        s.0
    }
}

impl PartialEq<str> for ByteStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ByteStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for ByteStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for ByteStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
