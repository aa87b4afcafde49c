//! Bytes to text with a fast path for ASCII: the crate's only `unsafe` code.
//!
//! `core::str::from_utf8` is an out-of-line general validator: about 100 instructions even for
//! a 10-byte tag, and `ByteStr::as_str` pays it on every call. `<[u8]>::is_ascii` is inlined
//! and checks a word at a time. Nearly every text field of a SIP message is ASCII, so checking
//! that first and skipping the second validation pays: callgrind counts and the exception's
//! justification are in BENCHMARKS.md (section sip-message, "The ASCII fast path").
#![allow(unsafe_code)]

/// `b` as text when it is UTF-8; ASCII (the usual case) is recognised cheaply.
#[inline]
pub(crate) fn to_str(b: &[u8]) -> Option<&str> {
    if b.is_ascii() {
        // SAFETY: `is_ascii` has just checked that every byte of `b` is below 0x80. Each such
        // byte is a complete one-byte UTF-8 sequence, so `b` is valid UTF-8, which is the only
        // requirement of `from_utf8_unchecked`.
        Some(unsafe { core::str::from_utf8_unchecked(b) })
    } else {
        core::str::from_utf8(b).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_from_utf8() {
        for s in [
            &b""[..],
            b"z9hG4bK776asdhds",
            b"\x7f\x00 ~",
            "Bj\u{f6}rk".as_bytes(),
            b"\xff",
            b"\xc3",
            b"abc\xe2\x82",
            "\u{1f600} 0123456789abcdef".as_bytes(),
        ] {
            assert_eq!(to_str(s), core::str::from_utf8(s).ok(), "{s:?}");
        }
    }
}
