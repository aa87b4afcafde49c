//! The format list of an `m=` line.

use std::borrow::Cow;
use std::fmt;

use bytes::BufMut;

use crate::description::own;
use crate::write::Put;

/// The media formats of an `m=` line (RTP payload type numbers or protocol-specific tokens),
/// in order.
///
/// A parsed line keeps its list as text and splits it when read; a built or changed one
/// holds one string per format. Both behave the same (equality compares the formats).
///
/// ```
/// use std::borrow::Cow;
///
/// let d = sdp::Sdp::parse(b"v=0\no=- 1 1 IN IP4 h\ns=-\nt=0 0\nm=audio 1 RTP/AVP 0 8 101\n")?;
/// let f = &d.media[0].formats;
/// assert_eq!(f.iter().collect::<Vec<_>>(), ["0", "8", "101"]);
/// let mut built = sdp::Formats::new();
/// for pt in ["0", "8", "101"] {
///     built.push(Cow::Borrowed(pt));
/// }
/// assert_eq!(*f, built);
/// # Ok::<(), sdp::Error>(())
/// ```
#[derive(Clone)]
pub struct Formats<'a>(Repr<'a>);

#[derive(Clone)]
enum Repr<'a> {
    /// The list as parsed: formats separated by single spaces, none empty, no leading space,
    /// at most one trailing space.
    Raw(Cow<'a, str>),
    List(Vec<Cow<'a, str>>),
}

impl Default for Formats<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> Formats<'a> {
    /// No formats.
    pub const fn new() -> Self {
        Self(Repr::List(Vec::new()))
    }

    /// The list of an `m=` line, as checked by the parser.
    pub(crate) fn parsed(text: &'a str) -> Self {
        Self(Repr::Raw(Cow::Borrowed(text)))
    }

    /// The pieces of a raw list.
    fn split(text: &str) -> crate::text::Split<'_> {
        crate::text::split(text.strip_suffix(' ').unwrap_or(text), b' ')
    }

    /// The formats in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        let (raw, list) = match &self.0 {
            Repr::Raw(t) => (Some(Self::split(t)), None),
            Repr::List(l) => (None, Some(l.iter().map(|s| &**s))),
        };
        raw.into_iter().flatten().chain(list.into_iter().flatten())
    }

    /// Number of formats.
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Raw(t) => Self::split(t).count(),
            Repr::List(l) => l.len(),
        }
    }

    /// Whether there are no formats.
    pub fn is_empty(&self) -> bool {
        match &self.0 {
            Repr::Raw(t) => t.is_empty(),
            Repr::List(l) => l.is_empty(),
        }
    }

    /// The formats as strings, for changes.
    pub fn to_mut(&mut self) -> &mut Vec<Cow<'a, str>> {
        loop {
            match self.0 {
                Repr::List(ref mut l) => return l,
                Repr::Raw(ref t) => self.0 = Repr::List(Self::list(t)),
            }
        }
    }

    /// Splits a parsed list.
    #[cold]
    fn list(text: &Cow<'a, str>) -> Vec<Cow<'a, str>> {
        match text {
            Cow::Borrowed(t) => Self::split(t).map(Cow::Borrowed).collect(),
            Cow::Owned(t) => Self::split(t).map(own).collect(),
        }
    }

    /// Appends a format.
    pub fn push(&mut self, format: Cow<'a, str>) {
        self.to_mut().push(format);
    }

    /// Copies the formats so they no longer borrow their input.
    pub fn to_static(&self) -> Formats<'static> {
        Formats(match &self.0 {
            Repr::Raw(t) => Repr::Raw(Cow::Owned(String::from(&**t))),
            Repr::List(l) => Repr::List(l.iter().map(|s| own(s)).collect()),
        })
    }

    /// Writes ` <fmt>` for every format.
    pub(crate) fn write_to<B: BufMut>(&self, buf: &mut B) {
        match &self.0 {
            Repr::Raw(t) => {
                buf.put_u8(b' ');
                buf.put_str(t.strip_suffix(' ').unwrap_or(t));
            }
            Repr::List(l) => {
                for f in l {
                    buf.put_u8(b' ');
                    buf.put_str(f);
                }
            }
        }
    }
}

impl PartialEq for Formats<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Repr::List(a), Repr::List(b)) => a == b,
            _ => self.iter().eq(other.iter()),
        }
    }
}

impl Eq for Formats<'_> {}

impl fmt::Debug for Formats<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> From<Vec<Cow<'a, str>>> for Formats<'a> {
    fn from(list: Vec<Cow<'a, str>>) -> Self {
        Self(Repr::List(list))
    }
}

impl<'a> FromIterator<Cow<'a, str>> for Formats<'a> {
    fn from_iter<I: IntoIterator<Item = Cow<'a, str>>>(iter: I) -> Self {
        Self::from(iter.into_iter().collect::<Vec<_>>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_and_list_agree() {
        for text in ["0", "0 8 101", "0 8 ", "webrtc-datachannel"] {
            let raw = Formats::parsed(text);
            let list: Formats<'_> = raw.iter().map(Cow::Borrowed).collect();
            assert_eq!(raw, list);
            assert_eq!(raw.len(), list.len());
            assert_eq!(format!("{raw:?}"), format!("{list:?}"));
            let (mut a, mut b) = (Vec::new(), Vec::new());
            raw.write_to(&mut a);
            list.write_to(&mut b);
            assert_eq!(a, b);
            let mut owned = raw.to_static();
            assert_eq!(owned, raw);
            owned.push(Cow::Borrowed("9"));
            assert_eq!(owned.len(), raw.len() + 1);
            assert_ne!(owned, raw);
        }
        assert!(Formats::new().is_empty());
    }
}
