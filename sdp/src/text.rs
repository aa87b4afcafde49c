//! Byte-level splitting helpers: short SDP fields are faster to scan with a plain loop than
//! with `str` pattern searchers.

/// Position of the first `byte` in `s`.
#[inline]
pub(crate) fn find(s: &str, byte: u8) -> Option<usize> {
    s.as_bytes().iter().position(|&b| b == byte)
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
}
