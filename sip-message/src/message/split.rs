//! Splitting header values: comma-separated lists (§7.3.1) and the `tag` parameter scan.

use memchr::{memchr, memchr2, memchr3};

use super::{Entry, Message};
use crate::grammar::{is, TOKEN};
use crate::HeaderName;

/// Iterator over header values (see [`Message::get_all`] and [`super::Field::values`]).
///
/// Elements of a list are trimmed of surrounding whitespace; a comma inside a quoted string
/// or inside `<...>` does not split. An empty field of a list header has no elements.
#[derive(Clone)]
pub struct Values<'a> {
    head: &'a [u8],
    entries: core::slice::Iter<'a, Entry>,
    name: Option<NameMatcher>,
    list: bool,
    rest: Option<&'a [u8]>,
    count: u32,
    max: u32,
    exceeded: bool,
}

impl<'a> Values<'a> {
    pub(crate) fn new(msg: &'a Message, name: HeaderName) -> Self {
        Self {
            head: &msg.head,
            entries: msg.entries.iter(),
            list: name.is_list(),
            name: Some(NameMatcher::new(&name)),
            rest: None,
            count: 0,
            max: msg.max_list_values,
            exceeded: false,
        }
    }

    pub(crate) fn single(value: &'a [u8], list: bool, max: u32) -> Self {
        let mut v = Self {
            head: &[],
            entries: [].iter(),
            name: None,
            list,
            rest: None,
            count: 0,
            max,
            exceeded: false,
        };
        v.start_field(value);
        v
    }

    /// Whether iteration stopped early because a field had more elements than the limit.
    pub fn exceeded(&self) -> bool {
        self.exceeded
    }

    fn start_field(&mut self, value: &'a [u8]) {
        self.count = 0;
        self.rest = if self.list && value.is_empty() {
            None
        } else {
            Some(value)
        };
    }

    fn next_element(&mut self) -> Option<&'a [u8]> {
        let rest = self.rest.take()?;
        if !self.list {
            return Some(rest);
        }
        self.count += 1;
        if self.count > self.max {
            self.exceeded = true;
            self.entries = [].iter();
            return None;
        }
        let elem = match top_level_comma(rest) {
            Some(i) => {
                self.rest = Some(rest.get(i + 1..).unwrap_or_default());
                rest.get(..i).unwrap_or_default()
            }
            None => rest,
        };
        Some(trim_lws(elem))
    }
}

impl<'a> Iterator for Values<'a> {
    type Item = &'a [u8];
    fn next(&mut self) -> Option<&'a [u8]> {
        loop {
            if let Some(v) = self.next_element() {
                return Some(v);
            }
            if self.exceeded {
                return None;
            }
            let name = self.name.as_ref()?;
            let head = self.head;
            let e = self.entries.find(|e| name.matches_entry(e, head))?;
            self.start_field(head.get(e.value()).unwrap_or_default());
        }
    }
}

/// Matches header names as written against one name: long form (any case) or compact form.
#[derive(Clone)]
pub(crate) struct NameMatcher {
    /// The long form of a registered name.
    known: &'static [u8],
    /// An extension name (then `known` is empty).
    other: Option<crate::ByteStr>,
    compact: u8,
    /// The name's [`kind`](super::kind), `OTHER` when it has none.
    kind: u8,
}

impl NameMatcher {
    #[inline]
    pub(crate) fn new(name: &HeaderName) -> Self {
        match name {
            HeaderName::Other(s) => Self {
                known: b"",
                other: Some(s.clone()),
                compact: 0,
                kind: super::kind::OTHER,
            },
            known => {
                let kind = super::kind::of_name(known);
                if kind != super::kind::OTHER {
                    // Matched by kind alone (`matches_entry`); the spellings are not needed.
                    return Self {
                        known: b"",
                        other: None,
                        compact: 0,
                        kind,
                    };
                }
                Self {
                    known: known.static_str().unwrap_or_default().as_bytes(),
                    other: None,
                    compact: known.compact().map_or(0, |c| u8::try_from(c).unwrap_or(0)),
                    kind,
                }
            }
        }
    }

    fn long(&self) -> &[u8] {
        match &self.other {
            Some(o) => o.as_bytes(),
            None => self.known,
        }
    }

    /// Whether the field `e` of `head` has this name (its length checked first).
    #[inline]
    pub(crate) fn matches_entry(&self, e: &Entry, head: &[u8]) -> bool {
        if self.kind != super::kind::OTHER {
            return e.kind() == self.kind;
        }
        let n = e.name_len();
        (n == self.long().len() || n == 1) && self.matches(e.name(head))
    }

    /// Whether `raw` (a name as written) is this name. Only for names without a kind (those
    /// are matched by [`matches_entry`](Self::matches_entry) on the kind alone).
    #[inline]
    fn matches(&self, raw: &[u8]) -> bool {
        let long = self.long();
        if raw.len() == long.len() {
            raw.eq_ignore_ascii_case(long)
        } else if let [c] = raw {
            self.compact != 0 && c.to_ascii_lowercase() == self.compact
        } else {
            false
        }
    }
}

/// The first comma of `s` outside quoted strings and `<...>`.
pub(crate) fn top_level_comma(s: &[u8]) -> Option<usize> {
    let mut pos = 0;
    loop {
        let rest = s.get(pos..)?;
        let i = memchr3(b',', b'"', b'<', rest)?;
        let at = pos + i;
        match s.get(at) {
            Some(b',') => return Some(at),
            Some(b'"') => pos = end_of_quoted(s, at + 1)?,
            _ => pos = at + 1 + memchr(b'>', s.get(at + 1..)?)? + 1,
        }
    }
}

/// Position after the closing quote of a quoted string whose content starts at `from`.
fn end_of_quoted(s: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let i = memchr2(b'"', b'\\', s.get(from..)?)?;
        let at = from + i;
        if s.get(at) == Some(&b'"') {
            return Some(at + 1);
        }
        from = at + 2;
    }
}

/// `s` without leading and trailing SP, HTAB, CR and LF.
pub(crate) fn trim_lws(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t' | b'\r' | b'\n', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t' | b'\r' | b'\n'] = s {
        s = rest;
    }
    s
}

/// The value of the `tag` header parameter of a From or To value (§20.20, §20.39): the
/// parameters after the `name-addr`'s `>` or after the `addr-spec`. A plain byte loop: the
/// values are short, and this runs for every message.
pub(crate) fn tag_param(v: &[u8]) -> Option<&str> {
    crate::ascii::to_str(tag_param_bytes(v)?)
}

/// [`tag_param`] as bytes (a non-empty `token`).
pub(crate) fn tag_param_bytes(v: &[u8]) -> Option<&[u8]> {
    let mut i = 0;
    // Where the header parameters start: after `<...>`, or at the first `;` outside quotes.
    loop {
        match v.get(i)? {
            b'"' => i = end_of_quoted_scalar(v, i + 1)?,
            b'<' => {
                i += 1 + memchr(b'>', v.get(i + 1..)?)? + 1;
                break;
            }
            b';' => break,
            _ => i += 1,
        }
    }
    // The usual form: `;tag=` first, without whitespace.
    if let Some(head) = v.get(i..i + 5) {
        if head.eq_ignore_ascii_case(b";tag=") {
            let after = v.get(i + 5..).unwrap_or_default();
            let len = after.iter().take_while(|&&b| is(b, TOKEN)).count();
            if len > 0 {
                return after.get(..len);
            }
        }
    }
    loop {
        // At a `;` (or the end of `<...>`): find the next parameter outside quotes.
        match v.get(i)? {
            b'"' => {
                i = end_of_quoted_scalar(v, i + 1)?;
                continue;
            }
            b';' => {}
            _ => {
                i += 1;
                continue;
            }
        }
        i += 1;
        let p = trim_lws(v.get(i..)?);
        let name_len = p.iter().take_while(|&&b| is(b, TOKEN)).count();
        if !p.get(..name_len)?.eq_ignore_ascii_case(b"tag") {
            continue;
        }
        let Some(value) = trim_lws(p.get(name_len..)?).strip_prefix(b"=") else {
            continue;
        };
        let value = trim_lws(value);
        let len = value.iter().take_while(|&&b| is(b, TOKEN)).count();
        return value.get(..len).filter(|t| !t.is_empty());
    }
}

/// Position after the closing quote of a quoted string whose content starts at `from`.
fn end_of_quoted_scalar(s: &[u8], mut i: usize) -> Option<usize> {
    loop {
        match s.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<&str> {
        Values::single(s.as_bytes(), true, 128)
            .map(|v| core::str::from_utf8(v).unwrap())
            .collect()
    }

    #[test]
    fn lists_split_outside_quotes_and_brackets() {
        assert_eq!(split("a, b ,c"), ["a", "b", "c"]);
        assert_eq!(
            split("\"x, \\\"y\" <sip:a,b@c>;p=1, <sip:d>"),
            ["\"x, \\\"y\" <sip:a,b@c>;p=1", "<sip:d>"]
        );
        assert_eq!(split("a,\r\n b"), ["a", "b"]);
        assert_eq!(split("a,"), ["a", ""]);
        assert!(split("").is_empty());
        assert_eq!(split("\"open, c"), ["\"open, c"]);
    }

    #[test]
    fn list_limit_stops() {
        let mut v = Values::single(b"a,b,c", true, 2);
        assert_eq!(v.by_ref().count(), 2);
        assert!(v.exceeded());
    }

    #[test]
    fn tags() {
        assert_eq!(tag_param(b"Alice <sip:a@b;tag=no>;tag=1928"), Some("1928"));
        assert_eq!(
            tag_param(b"\"A <x>;tag=no\" <sip:a@b> ; TAG = abc ;x"),
            Some("abc")
        );
        assert_eq!(tag_param(b"sip:a@b;tag=zz"), Some("zz"));
        assert_eq!(tag_param(b"<sip:a@b>;x=\";tag=q\";tagx=1"), None);
        assert_eq!(tag_param(b"<sip:a@b>"), None);
        assert_eq!(tag_param(b"<sip:a@b;tag=1"), None);
        assert_eq!(tag_param(b"<sip:a@b>;tag="), None);
        // The direct path for a leading `;tag=` gives what the general loop gives.
        assert_eq!(tag_param(b"<sip:a@b>;TAG=Ab-1.x;y"), Some("Ab-1.x"));
        assert_eq!(tag_param(b"<sip:a@b>;tag=;tag=x"), None);
        assert_eq!(tag_param(b"<sip:a@b>;tag=\"q\";tag=x"), None);
        assert_eq!(tag_param(b"<sip:a@b>;tagx=1;tag=2"), Some("2"));
    }
}
