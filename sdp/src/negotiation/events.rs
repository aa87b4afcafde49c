//! RFC 4733 §2.4.1 event lists (`0-15,66,70-72`) as sets, for answering with the events
//! both sides support.

/// A set of events 0–255.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct EventSet([u64; 4]);

impl EventSet {
    /// Parses an event list; unparsable parts are ignored. `None` (no fmtp) means `0-15`
    /// (RFC 4733 §2.4.1: the DTMF events are assumed when the parameter is absent).
    pub(crate) fn parse(list: Option<&str>) -> Self {
        let mut set = Self::default();
        let Some(list) = list else {
            set.insert_range(0, 15);
            return set;
        };
        // The usual list, one range of plain numbers (`0-15`, `0-16`): what the loop below
        // gives, without it.
        let plain = |s: &[u8]| match s {
            [a] | [b'0', a] | [b'0', b'0', a] if a.is_ascii_digit() => Some(a - b'0'),
            _ => None,
        };
        if let [lo @ .., b'-', h1, h2] = list.as_bytes() {
            if let (Some(lo), Some(t), Some(u)) = (plain(lo), plain(&[*h1]), plain(&[*h2])) {
                set.insert_range(lo, t * 10 + u);
                return set;
            }
        }
        // Byte by byte: the same as splitting at `,` and `-`, trimming and `str::parse::<u8>`,
        // without the pattern searchers (these lists are a few bytes long).
        for part in list.as_bytes().split(|&b| b == b',') {
            let (lo, hi) = match part.iter().position(|&b| b == b'-') {
                Some(i) => (part.get(..i), part.get(i + 1..)),
                None => (Some(part), Some(part)),
            };
            if let (Some(lo), Some(hi)) = (lo.and_then(event), hi.and_then(event)) {
                set.insert_range(lo, hi);
            }
        }
        set
    }

    /// Adds the events `lo..=hi` (nothing when `lo > hi`), a 64-bit word at a time.
    fn insert_range(&mut self, lo: u8, hi: u8) {
        if lo > hi {
            return;
        }
        let (lo, hi) = (usize::from(lo), usize::from(hi));
        for w in lo / 64..=hi / 64 {
            let from = if w == lo / 64 { lo % 64 } else { 0 };
            let to = if w == hi / 64 { hi % 64 } else { 63 };
            // Bits from..=to set; `to - from` is at most 63.
            let mask = (u64::MAX >> (63 - (to - from))) << from;
            if let Some(word) = self.0.get_mut(w) {
                *word |= mask;
            }
        }
    }

    fn contains(&self, e: u8) -> bool {
        self.0
            .get(usize::from(e / 64))
            .is_some_and(|w| w & (1 << (e % 64)) != 0)
    }

    pub(crate) fn intersect(self, other: Self) -> Self {
        let mut out = self;
        for (a, b) in out.0.iter_mut().zip(other.0) {
            *a &= b;
        }
        out
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    /// Renders the set as ranges: `0-11,16`.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        let mut e: u16 = 0;
        while e < 256 {
            let Ok(start) = u8::try_from(e) else { break };
            if !self.contains(start) {
                e += 1;
                continue;
            }
            let mut end = start;
            while end < u8::MAX && self.contains(end + 1) {
                end += 1;
            }
            if !out.is_empty() {
                out.push(',');
            }
            push_number(&mut out, start);
            if end > start {
                out.push('-');
                push_number(&mut out, end);
            }
            e = u16::from(end) + 1;
        }
        out
    }
}

/// An event number as `str::parse::<u8>` reads it (optional `+`, leading zeros allowed),
/// surrounding ASCII white space ignored.
fn event(s: &[u8]) -> Option<u8> {
    let s = s.trim_ascii();
    let s = s.strip_prefix(b"+").unwrap_or(s);
    if s.is_empty() {
        return None;
    }
    let mut n: u16 = 0;
    for &c in s {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n * 10 + u16::from(d);
        if n > 255 {
            return None;
        }
    }
    u8::try_from(n).ok()
}

fn push_number(out: &mut String, n: u8) {
    if n >= 100 {
        out.push(char::from(b'0' + n / 100));
    }
    if n >= 10 {
        out.push(char::from(b'0' + (n / 10) % 10));
    }
    out.push(char::from(b'0' + n % 10));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_match_a_naive_set() {
        for lo in (0u8..=255).step_by(7) {
            for hi in (0u8..=255).step_by(11) {
                let mut set = EventSet::default();
                set.insert_range(lo, hi);
                for e in 0u8..=255 {
                    assert_eq!(set.contains(e), lo <= e && e <= hi, "{lo}-{hi} at {e}");
                }
            }
        }
    }

    #[test]
    fn parse_matches_std_splitting() {
        fn naive(list: &str) -> EventSet {
            let mut set = EventSet::default();
            for part in list.split(',') {
                let part = part.trim_ascii();
                let (lo, hi) = part.split_once('-').unwrap_or((part, part));
                if let (Ok(lo), Ok(hi)) =
                    (lo.trim_ascii().parse::<u8>(), hi.trim_ascii().parse::<u8>())
                {
                    set.insert_range(lo, hi);
                }
            }
            set
        }
        for list in [
            "",
            "0-15",
            "0-16",
            " 0 - 16 ",
            "+5",
            "+",
            "-",
            "5-",
            "-5",
            "0005",
            "255",
            "256",
            "1-2-3",
            "00-15",
            "000-15",
            "0-05",
            "9-99",
            "5-10",
            "10-15",
            "1-2-34",
            "-15",
            "0-1x",
            "x-15",
            "0- 15",
            "0-15,66,70-72",
            ",,3,",
            "a,4",
            "9 9",
            "300-2",
            "2-1",
            "\t7\t",
        ] {
            assert_eq!(EventSet::parse(Some(list)), naive(list), "{list:?}");
        }
    }

    #[test]
    fn intersections() {
        let a = EventSet::parse(Some("0-16"));
        let b = EventSet::parse(Some("0-11,16,200-255"));
        assert_eq!(a.intersect(b).render(), "0-11,16");
        assert_eq!(EventSet::parse(None).render(), "0-15");
        assert_eq!(EventSet::parse(Some("0-255")).render(), "0-255");
        assert!(EventSet::parse(Some("32")).intersect(a).is_empty());
        assert_eq!(EventSet::parse(Some("x,5")).render(), "5");
        assert_eq!(
            EventSet::parse(Some("9,10,99-100,199,200,255")).render(),
            "9-10,99-100,199-200,255"
        );
    }
}
