//! Byte-level splitting helpers: short SDP fields are faster to scan with a plain loop than
//! with `str` pattern searchers.

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The 8 bytes of `c` as a little-endian word (`c` comes from `chunks_exact(8)`).
#[inline(always)]
fn word(c: &[u8]) -> u64 {
    <[u8; 8]>::try_from(c).map_or(0, u64::from_le_bytes)
}

/// Position of the first `byte` (not NUL) in `b`: eight bytes per step (SWAR), which beats
/// both a byte loop and `memchr`'s call and set-up on the short runs that SDP fields and
/// lines are.
#[inline]
pub(crate) fn position(b: &[u8], byte: u8) -> Option<usize> {
    let pattern = LO.wrapping_mul(u64::from(byte));
    let mut chunks = b.chunks_exact(8);
    let mut base = 0usize;
    for c in &mut chunks {
        let x = word(c) ^ pattern;
        // The lowest set bit marks the first zero byte of `x` exactly (borrows only
        // propagate upwards).
        let m = x.wrapping_sub(LO) & !x & HI;
        if m != 0 {
            return Some(base + (m.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    let rest = chunks.remainder();
    if rest.is_empty() {
        return None;
    }
    if base >= 8 {
        // One more word, ending at the end: it overlaps bytes already known not to match,
        // so its first match is the first one of the tail.
        let start = b.len() - 8;
        let x = b.get(start..).map_or(0, word) ^ pattern;
        let m = x.wrapping_sub(LO) & !x & HI;
        return (m != 0).then(|| start + (m.trailing_zeros() / 8) as usize);
    }
    rest.iter().position(|&c| c == byte)
}

/// Position of the next line feed: [`position`] over the first 64 bytes (most SDP lines are
/// shorter), then `memchr`'s vector search for long lines (candidates, fingerprints).
#[inline(always)]
pub(crate) fn line_end(b: &[u8]) -> Option<usize> {
    match b.split_at_checked(64) {
        None => position(b, b'\n'),
        Some((head, tail)) => {
            position(head, b'\n').or_else(|| Some(64 + memchr::memchr(b'\n', tail)?))
        }
    }
}

/// Whether every byte is visible: above space and not DEL (bytes above 0x7f pass).
#[inline]
pub(crate) fn all_visible(b: &[u8]) -> bool {
    #[inline(always)]
    fn visible(w: u64) -> bool {
        // Some byte < 0x21 (exact for a bound up to 0x80), or some byte == 0x7f.
        let low = w.wrapping_sub(LO.wrapping_mul(0x21)) & !w & HI;
        let del = w ^ LO.wrapping_mul(0x7f);
        let del = del.wrapping_sub(LO) & !del & HI;
        low | del == 0
    }
    if b.len() < 8 {
        return b.iter().all(|&c| c > b' ' && c != 0x7f);
    }
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        if !visible(word(c)) {
            return false;
        }
    }
    // The tail as one word ending at the end (overlapping checked bytes).
    chunks.remainder().is_empty() || b.get(b.len() - 8..).is_some_and(|c| visible(word(c)))
}

/// The high bit of every byte of `w` that is not visible (at most a space, or DEL); the
/// lowest flagged byte is exact (borrows only run upwards).
#[inline(always)]
fn invisible(w: u64) -> u64 {
    let low = w.wrapping_sub(LO.wrapping_mul(0x21)) & !w & HI;
    let del = w ^ LO.wrapping_mul(0x7f);
    low | (del.wrapping_sub(LO) & !del & HI)
}

/// In eight bytes: the index of the first `byte` and of the first byte that is not visible,
/// each 8 when there is none.
#[inline(always)]
pub(crate) fn scan8(c: &[u8; 8], byte: u8) -> (usize, usize) {
    let w = u64::from_le_bytes(*c);
    let x = w ^ LO.wrapping_mul(u64::from(byte));
    let hit = x.wrapping_sub(LO) & !x & HI;
    (
        (hit.trailing_zeros() / 8) as usize,
        (invisible(w).trailing_zeros() / 8) as usize,
    )
}

/// Index of the first byte that is not visible (at most a space, or DEL), or the length.
#[inline]
pub(crate) fn visible_len(b: &[u8]) -> usize {
    let mut chunks = b.chunks_exact(8);
    let mut base = 0usize;
    for c in &mut chunks {
        // Borrows only run upwards, so the lowest flagged byte is exact.
        let m = invisible(word(c));
        if m != 0 {
            return base + (m.trailing_zeros() / 8) as usize;
        }
        base += 8;
    }
    let rest = chunks.remainder();
    if rest.is_empty() {
        return base;
    }
    if base >= 8 {
        let start = b.len() - 8;
        let m = b.get(start..).map_or(0, |c| invisible(word(c)));
        return if m == 0 {
            b.len()
        } else {
            start + (m.trailing_zeros() / 8) as usize
        };
    }
    rest.iter()
        .position(|&c| c <= b' ' || c == 0x7f)
        .map_or(b.len(), |i| base + i)
}

/// The next space-separated token of `s` and what follows its space: the same as
/// `Fields(s).next()` filtered with `is_token`, in one pass. `None` if the field is empty or
/// holds a byte that is not visible.
#[inline]
pub(crate) fn next_token(s: &str) -> Option<(&str, &str)> {
    let b = s.as_bytes();
    let end = visible_len(b);
    match b.get(end) {
        _ if end == 0 => None,
        None => Some((s, "")),
        Some(b' ') => Some((s.get(..end)?, s.get(end + 1..)?)),
        Some(_) => None,
    }
}

/// Like [`next_token`], but tells whether a space followed the token: `Some(rest)` after
/// a space (`rest` may be empty), `None` at the end of `s`. The same as one step of
/// `split(s, b' ')` whose piece must be a token.
#[inline]
pub(crate) fn next_field(s: &str) -> Option<(&str, Option<&str>)> {
    let b = s.as_bytes();
    let end = visible_len(b);
    match b.get(end) {
        _ if end == 0 => None,
        None => Some((s, None)),
        Some(b' ') => Some((s.get(..end)?, Some(s.get(end + 1..)?))),
        Some(_) => None,
    }
}

/// The value of eight ASCII digits (first digit in the lowest byte), or `None` if a byte is
/// not a digit.
#[inline(always)]
pub(crate) fn eight_digits(w: u64) -> Option<u64> {
    const NIBBLE: u64 = 0x0F0F_0F0F_0F0F_0F0F;
    // High nibble 3 and low nibble at most 9 (adding 6 carries into the high nibble
    // otherwise), byte by byte.
    if w & !NIBBLE != LO.wrapping_mul(0x30) || ((w & NIBBLE) + LO.wrapping_mul(6)) & !NIBBLE != 0 {
        return None;
    }
    let d = w & NIBBLE;
    let d = (d.wrapping_mul(10) + (d >> 8)) & 0x00FF_00FF_00FF_00FF;
    let d = (d.wrapping_mul(100) + (d >> 16)) & 0x0000_FFFF_0000_FFFF;
    Some((d.wrapping_mul(10_000) + (d >> 32)) & 0xFFFF_FFFF)
}

/// [`eight_digits`] on the first eight bytes of `c`.
#[inline(always)]
pub(crate) fn eight_digits_at(c: &[u8]) -> Option<u64> {
    eight_digits(word(c))
}

/// `a.eq_ignore_ascii_case(b)` for short names (codecs, media types, protocols): one loop,
/// bytes compared as they are before their lower-case forms, out at the first difference.
#[inline]
pub(crate) fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .all(|(x, y)| x == y || x.eq_ignore_ascii_case(&y))
}

/// Position of the first `byte` in `s`.
#[inline]
pub(crate) fn find(s: &str, byte: u8) -> Option<usize> {
    position(s.as_bytes(), byte)
}

/// `s.split_once(byte)` for an ASCII byte.
#[inline]
pub(crate) fn split2(s: &str, byte: u8) -> Option<(&str, &str)> {
    let i = find(s, byte)?;
    // `byte` is ASCII, so both cut points are character boundaries.
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// `s.split(byte)` for an ASCII byte: yields empty pieces, including a trailing one.
#[inline]
pub(crate) fn split(s: &str, byte: u8) -> Split<'_> {
    Split {
        rest: Some(s),
        byte,
    }
}

/// Iterator returned by [`split`].
#[derive(Clone)]
pub(crate) struct Split<'a> {
    rest: Option<&'a str>,
    byte: u8,
}

impl<'a> Iterator for Split<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match split2(rest, self.byte) {
            Some((head, tail)) => {
                self.rest = Some(tail);
                Some(head)
            }
            None => self.rest.take(),
        }
    }
}

/// Splits a string at single spaces, keeping the unsplit remainder reachable; a trailing
/// empty piece is not yielded.
pub(crate) struct Fields<'a>(pub(crate) &'a str);

impl<'a> Iterator for Fields<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        if self.0.is_empty() {
            return None;
        }
        match split2(self.0, b' ') {
            Some((head, tail)) => {
                self.0 = tail;
                Some(head)
            }
            None => Some(std::mem::take(&mut self.0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_std() {
        for s in ["", "a", "a b", " a  b ", "abc def ghi"] {
            assert_eq!(
                split(s, b' ').collect::<Vec<_>>(),
                s.split(' ').collect::<Vec<_>>()
            );
            assert_eq!(split2(s, b' '), s.split_once(' '));
        }
        assert_eq!(Fields("a b ").collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn line_end_finds_the_first_line_feed() {
        for len in [0usize, 1, 7, 8, 9, 63, 64, 65, 100, 200] {
            for at in [0, 1, 8, 31, 63, 64, 65, 99, 150, 199] {
                let mut b = vec![b'x'; len];
                if let Some(c) = b.get_mut(at) {
                    *c = b'\n';
                }
                if let Some(c) = b.get_mut(at + 2) {
                    *c = b'\n';
                }
                assert_eq!(
                    line_end(&b),
                    b.iter().position(|&c| c == b'\n'),
                    "{len} {at}"
                );
            }
        }
    }

    #[test]
    fn next_token_is_a_checked_field() {
        for s in [
            "",
            "a",
            "a b",
            " a",
            "a  b",
            "a b ",
            "a\tb c",
            "abcdefghij klm",
            "a\u{7f} b",
            "é b",
        ] {
            let mut f = Fields(s);
            let want = f
                .next()
                .filter(|t| crate::attribute::is_token(t))
                .map(|t| (t, f.0));
            assert_eq!(next_token(s), want, "{s:?}");
        }
    }

    #[test]
    fn next_field_is_a_checked_split_piece() {
        for s in [
            "",
            "a",
            "a b",
            " a",
            "a  b",
            "a b ",
            "a ",
            "a\tb c",
            "abcdefghij klm",
            "é b",
        ] {
            let mut it = split(s, b' ');
            let want = it
                .next()
                .filter(|t| crate::attribute::is_token(t))
                .map(|t| (t, it.rest));
            assert_eq!(next_field(s), want, "{s:?}");
        }
    }

    #[test]
    fn scan8_finds_the_first_byte_and_the_first_invisible_one() {
        for text in [
            *b"PCMU/800",
            *b"abcdefgh",
            *b"ab/d/fgh",
            *b"a b/defg",
            *b"ab/d efg",
            *b"/\x7fbcdefg",
            *b"\xe9\xe9/defgh",
            *b"abcdefg/",
            *b"\0bcdefg/",
        ] {
            let want = (
                text.iter().position(|&c| c == b'/').unwrap_or(8),
                text.iter()
                    .position(|&c| c <= b' ' || c == 0x7f)
                    .unwrap_or(8),
            );
            assert_eq!(scan8(&text, b'/'), want, "{text:?}");
        }
    }

    #[test]
    fn eq_ignore_case_matches_std() {
        for (a, b) in [
            ("PCMU", "pcmu"),
            ("PCMU", "PCMA"),
            ("G729", "PCMU"),
            ("", ""),
            ("a", ""),
            ("telephone-event", "Telephone-Event"),
            ("é", "É"),
            ("[", "{"),
        ] {
            assert_eq!(eq_ignore_case(a, b), a.eq_ignore_ascii_case(b), "{a} {b}");
        }
    }

    #[test]
    fn eight_digits_matches_std() {
        for text in [
            "00000000",
            "12345678",
            "99999999",
            "00000001",
            "10000000",
            "2890844a",
            "/0000000",
            ":0000000",
            "1234567:",
            "1234 678",
            "\u{0}0000000",
            "9999999\u{7f}",
        ] {
            let want = text
                .parse::<u64>()
                .ok()
                .filter(|_| text.bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(eight_digits_at(text.as_bytes()), want, "{text:?}");
        }
        for byte in 0..=255u8 {
            let mut t = *b"12345678";
            for i in 0..8 {
                let mut u = t;
                u[i] = byte;
                let want = byte
                    .is_ascii_digit()
                    .then(|| std::str::from_utf8(&u).unwrap().parse::<u64>().unwrap());
                assert_eq!(eight_digits_at(&u), want, "{u:?}");
            }
            t[0] = b'1';
            assert_eq!(eight_digits_at(&t), Some(12_345_678));
        }
    }

    #[test]
    fn swar_scans_match_byte_loops() {
        let mut s = Vec::new();
        for len in 0..40usize {
            for at in 0..=len {
                s.clear();
                s.extend((0..len).map(|i| b'a' + (i % 26) as u8));
                if let Some(c) = s.get_mut(at) {
                    *c = b'/';
                }
                // Later matches must not hide the first one.
                if at + 3 < len {
                    s[at + 3] = b'/';
                }
                let want = s.iter().position(|&c| c == b'/');
                assert_eq!(position(&s, b'/'), want, "{len} {at}");
                for bad in [0u8, b' ', b'\t', 0x20, 0x7f, 0x7e, 0x21, 0x80, 0xff, 0x1f] {
                    let mut t = s.clone();
                    if let Some(c) = t.get_mut(at) {
                        *c = bad;
                    }
                    let want = t.iter().all(|&c| c > b' ' && c != 0x7f);
                    assert_eq!(all_visible(&t), want, "{len} {at} {bad}");
                }
                let want = s
                    .iter()
                    .position(|&c| c <= b' ' || c == 0x7f)
                    .unwrap_or(len);
                assert_eq!(visible_len(&s), want);
                for bad in [0u8, b' ', 0x7f] {
                    let mut t = s.clone();
                    if let Some(c) = t.get_mut(at) {
                        *c = bad;
                    }
                    let want = t
                        .iter()
                        .position(|&c| c <= b' ' || c == 0x7f)
                        .unwrap_or(len);
                    assert_eq!(visible_len(&t), want, "{len} {at} {bad}");
                }
                let found = s.iter().position(|&c| c == b'a');
                assert_eq!(position(&s, b'a'), found, "{len} {at}");
            }
        }
    }
}
