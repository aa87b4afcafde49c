//! A fast scan of the top Via for what matching needs (branch and sent-by), without the
//! full typed parse of `sip_message::Via` (which builds every parameter). Used on every
//! message, so it borrows from the message, does not allocate and does not check UTF-8
//! (everything it keeps is ASCII by the grammar).

use bytes::Bytes;
use sip_message::{HeaderName, Host, Message};

/// Branch and sent-by of a message's top Via, borrowed from the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TopVia<'a> {
    /// The `branch` parameter: `token` characters (ASCII).
    pub(crate) branch: Option<&'a [u8]>,
    pub(crate) host: SentHost<'a>,
    pub(crate) port: Option<u16>,
}

/// The host of a sent-by, as [`Host`] compares it: a domain case-insensitively (as
/// written here; the key folds the case), addresses by value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SentHost<'a> {
    /// A host name accepted by [`Host::parse_bytes`], as written.
    Domain(&'a [u8]),
    /// An IPv4 address.
    Ipv4([u8; 4]),
    /// An IPv6 address.
    Ipv6([u8; 16]),
}

impl<'a> TopVia<'a> {
    /// Scans the first Via value; `None` when there is none or it is malformed.
    pub(crate) fn of(msg: &'a Message) -> Option<Self> {
        // The whole first field: the usual single via-parm needs no split at commas.
        if let Some(top) = msg.first_field(&HeaderName::Via).and_then(scan_simple) {
            return Some(top);
        }
        let value = msg.get(&HeaderName::Via)?;
        scan_simple(value).or_else(|| scan(msg.head(), value))
    }

    /// Whether the branch starts with the magic cookie (§8.1.1.7).
    pub(crate) fn has_rfc3261_branch(&self) -> bool {
        self.branch
            .is_some_and(|b| b.starts_with(crate::MAGIC_COOKIE.as_bytes()))
    }
}

/// The usual shape in one pass: `SIP/2.0/` transport SP IPv4 [`:` port] then parameters
/// `;name` or `;name=value` of tokens only (no LWS, no quotes, no brackets). `None` when
/// the value has another shape, and also when it is malformed: [`scan`] then decides, so
/// the result is always what `scan` gives.
fn scan_simple(value: &[u8]) -> Option<TopVia<'_>> {
    let rest = value.strip_prefix(b"SIP/2.0/")?;
    let t = rest.iter().position(|&b| !is_token(b))?;
    let rest = match rest.split_at_checked(t)? {
        (transport, [b' ', rest @ ..]) if !transport.is_empty() => rest,
        _ => return None,
    };
    let (host, mut rest) = ipv4_prefix(rest)?;
    let mut port = None;
    if let [b':', tail @ ..] = rest {
        // One to five digits, read as they are scanned.
        let (mut v, mut d) = (0u32, 0);
        while let Some(&b) = tail.get(d).filter(|b| b.is_ascii_digit()) {
            if d == 5 {
                return None;
            }
            v = v * 10 + u32::from(b - b'0');
            d += 1;
        }
        if d == 0 {
            return None;
        }
        port = Some(u16::try_from(v).ok()?);
        rest = tail.get(d..)?;
    }
    let mut branch = None;
    while let [b';', tail @ ..] = rest {
        // One pass per parameter: `name` or `name=value`, both tokens, up to the next `;`.
        // The usual `branch=` (any case) is recognised in one word.
        let n = match tail {
            [a, b, c, d, e, f, b'=', ..]
                if u64::from_le_bytes([*a, *b, *c, *d, *e, *f, 0, 0]) | 0x2020_2020_2020
                    == BRANCH =>
            {
                6
            }
            _ => token_len(tail),
        };
        let (name, after) = tail.split_at_checked(n)?;
        let (value, next) = match after {
            [b'=', v @ ..] => v.split_at_checked(token_len(v))?,
            _ => (&[][..], after),
        };
        if !matches!(next.first(), None | Some(b';'))
            || (value.is_empty() && after.first() == Some(&b'='))
        {
            return None;
        }
        if let [a, b, c, d, e, f] = *name {
            // Token characters: setting bit 0x20 lowers letters and makes no other letter.
            if u64::from_le_bytes([a, b, c, d, e, f, 0, 0]) | 0x2020_2020_2020 == BRANCH {
                if branch.is_some() || value.is_empty() {
                    return None;
                }
                branch = Some(value);
            }
        }
        rest = next;
    }
    if !rest.is_empty() {
        return None;
    }
    Some(TopVia {
        branch,
        host: SentHost::Ipv4(host),
        port,
    })
}

/// `sent-protocol LWS sent-by *( SEMI via-params )` (§20.42, §25.1). `head` is the buffer
/// `bytes` lies in (shared, not copied, when a host needs the general parser).
fn scan<'a>(head: &Bytes, bytes: &'a [u8]) -> Option<TopVia<'a>> {
    // sent-protocol: name / version / transport, with optional LWS around the slashes.
    let mut pos = 0;
    for _ in 0..2 {
        let slash = memchr(b'/', bytes.get(pos..)?)?;
        pos += slash + 1;
    }
    pos = skip_lws(bytes, pos);
    let transport_len = bytes
        .get(pos..)?
        .iter()
        .take_while(|&&b| is_token(b))
        .count();
    if transport_len == 0 {
        return None;
    }
    pos += transport_len;
    let after = skip_lws(bytes, pos);
    if after == pos {
        return None; // LWS is required before sent-by
    }
    pos = after;
    // sent-by: host [ ":" port ]
    let rest = bytes.get(pos..)?;
    let host_len = if rest.first() == Some(&b'[') {
        memchr(b']', rest)? + 1
    } else {
        rest.iter()
            .take_while(|&&b| !matches!(b, b':' | b';' | b' ' | b'\t' | b'\r' | b'\n'))
            .count()
    };
    let raw_host = bytes.get(pos..pos + host_len)?;
    let host = if !raw_host.is_empty() && raw_host.iter().all(|&b| b.is_ascii_digit() || b == b'.')
    {
        // Digits and dots: `Host::parse_bytes` would take them as an IPv4 address or
        // refuse them, as the address parser does.
        SentHost::Ipv4(parse_ipv4(raw_host)?)
    } else {
        match Host::parse_bytes(&share(head, raw_host)).ok()? {
            Host::Domain(_) => SentHost::Domain(raw_host),
            Host::Ipv4(a) => SentHost::Ipv4(a.octets()),
            Host::Ipv6(a) => SentHost::Ipv6(a.octets()),
        }
    };
    pos += host_len;
    pos = skip_lws(bytes, pos);
    let mut port = None;
    if bytes.get(pos) == Some(&b':') {
        pos = skip_lws(bytes, pos + 1);
        let digits = bytes
            .get(pos..)?
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 || digits > 5 {
            return None;
        }
        let value = bytes
            .get(pos..pos + digits)?
            .iter()
            .fold(0u32, |acc, &b| acc * 10 + u32::from(b - b'0'));
        port = Some(u16::try_from(value).ok()?);
        pos += digits;
    }
    // via-params: find branch, honouring quoted strings.
    let mut branch = None;
    let tail = bytes.get(pos..)?;
    if memchr(b'"', tail).is_none() {
        // No quoted string (the usual case): the parameters end at each `;`.
        for param in tail.split(|&b| b == b';') {
            if let Some(v) = param_value(param, b"branch") {
                if branch.is_some() {
                    return None; // repeated branch: ambiguous
                }
                branch = Some(v);
            }
        }
        return Some(TopVia { branch, host, port });
    }
    let mut start = pos;
    let mut in_quotes = false;
    let mut i = pos;
    while i <= bytes.len() {
        let b = bytes.get(i).copied();
        match b {
            Some(b'"') => in_quotes = !in_quotes,
            Some(b'\\') if in_quotes => i += 1,
            Some(b';') | None if !in_quotes => {
                if let Some(v) = param_value(bytes.get(start..i)?, b"branch") {
                    if branch.is_some() {
                        return None; // repeated branch: ambiguous
                    }
                    branch = Some(v);
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    Some(TopVia { branch, host, port })
}

/// `branch` as a little-endian word (see [`scan_simple`]).
const BRANCH: u64 = u64::from_le_bytes(*b"branch\0\0");

/// Length of the run of `token` characters at the start of `s`.
#[inline]
fn token_len(s: &[u8]) -> usize {
    // Eight letters or digits at a time (branches are mostly that), then byte by byte.
    let mut n = 0;
    while let Some(w) = s.get(n..n + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
        if !all_alphanumeric(u64::from_le_bytes(w)) {
            break;
        }
        n += 8;
    }
    let tail = s.get(n..).unwrap_or_default();
    n + tail
        .iter()
        .position(|&b| !is_token(b))
        .unwrap_or(tail.len())
}

/// Whether all eight bytes of `w` are ASCII letters or digits.
#[inline]
fn all_alphanumeric(w: u64) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const fn ones(b: u8) -> u64 {
        0x0101_0101_0101_0101 * b as u64
    }
    if w & HIGH != 0 {
        return false;
    }
    // With every byte below 0x80, `x + (0x80 - n)` sets a byte's high bit exactly when
    // that byte is at least `n`, and no byte carries into the next.
    let at_least = |x: u64, n: u8| x.wrapping_add(ones(0x80 - n)) & HIGH;
    let digit = at_least(w, b'0') & !at_least(w, b'9' + 1);
    let lower = w | ones(0x20);
    let letter = at_least(lower, b'a') & !at_least(lower, b'z' + 1);
    (digit | letter) == HIGH
}

/// A dotted-decimal IPv4 address at the start of `s` and what follows it: the longest run
/// of digits and dots, read as [`parse_ipv4`] reads it, in one pass.
fn ipv4_prefix(s: &[u8]) -> Option<([u8; 4], &[u8])> {
    let mut out = [0u8; 4];
    let mut i = 0;
    for (k, octet) in out.iter_mut().enumerate() {
        if k > 0 {
            if s.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let start = i;
        let mut v = 0u16;
        while let Some(&b) = s.get(i).filter(|b| b.is_ascii_digit()) {
            if i - start == 3 {
                return None;
            }
            v = v * 10 + u16::from(b - b'0');
            i += 1;
        }
        let leading_zero = s.get(start) == Some(&b'0') && i - start > 1;
        if i == start || leading_zero {
            return None;
        }
        *octet = u8::try_from(v).ok()?;
    }
    let rest = s.get(i..)?;
    if matches!(rest.first(), Some(b'.' | b'0'..=b'9')) {
        return None;
    }
    Some((out, rest))
}

/// Position of the first `needle` in `hay`.
fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// Dotted-decimal IPv4 exactly as `core::net::Ipv4Addr`'s parser takes it: four octets of
/// one to three digits, no leading zero, each at most 255.
fn parse_ipv4(s: &[u8]) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut parts = s.split(|&b| b == b'.');
    for o in &mut out {
        let d = |b: u8| b.is_ascii_digit().then(|| u16::from(b - b'0'));
        let v = match *parts.next()? {
            [a] => d(a)?,
            [a, b] if a != b'0' => d(a)? * 10 + d(b)?,
            [a, b, c] if a != b'0' => d(a)? * 100 + d(b)? * 10 + d(c)?,
            _ => return None,
        };
        *o = u8::try_from(v).ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// `sub` (a slice of `head`) as shared bytes; copied if it does not lie in `head`.
fn share(head: &Bytes, sub: &[u8]) -> Bytes {
    let base = head.as_ptr() as usize;
    match (sub.as_ptr() as usize).checked_sub(base) {
        Some(off) if off + sub.len() <= head.len() => head.slice(off..off + sub.len()),
        _ => Bytes::copy_from_slice(sub),
    }
}

/// The value of parameter `name` if `raw` is `name = value` (a non-empty token).
fn param_value<'a>(raw: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let eq = memchr(b'=', raw)?;
    let key = trim(raw.get(..eq)?);
    if !key.eq_ignore_ascii_case(name) {
        return None;
    }
    let v = trim(raw.get(eq + 1..)?);
    if v.is_empty() || !v.iter().all(|&b| is_token(b)) {
        return None;
    }
    Some(v)
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !first.is_ascii_whitespace() {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !last.is_ascii_whitespace() {
            break;
        }
        s = rest;
    }
    s
}

fn skip_lws(bytes: &[u8], mut pos: usize) -> usize {
    while bytes
        .get(pos)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    {
        pos += 1;
    }
    pos
}

/// `token` characters (§25.1).
fn is_token(b: u8) -> bool {
    TOKEN.get(usize::from(b)).copied().unwrap_or(false)
}

/// Lookup table of the `token` characters.
// Const evaluation: `i < 256` bounds the index; an out-of-range index would fail the build.
#[allow(clippy::indexing_slicing)]
static TOKEN: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        table[i] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.' | b'!' | b'%' | b'*' | b'_' | b'+' | b'`' | b'\'' | b'~'
            );
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_str(v: &[u8]) -> Option<TopVia<'_>> {
        scan(&Bytes::new(), v)
    }

    fn to_host(h: SentHost<'_>) -> Host {
        match h {
            SentHost::Domain(d) => Host::parse_bytes(&Bytes::copy_from_slice(d)).unwrap(),
            SentHost::Ipv4(a) => Host::Ipv4(a.into()),
            SentHost::Ipv6(a) => Host::Ipv6(a.into()),
        }
    }

    #[test]
    fn dotted_hosts_as_the_host_parser_reads_them() {
        for h in [
            "192.0.2.1",
            "1.2.3",
            "1.2.3.4.",
            ".1.2.3",
            "01.2.3.4",
            "256.1.1.1",
            "1..2.3",
            "1.2.3.4.5",
            "0.0.0.0",
            "9",
            "1.2.3.00",
            "1.2.3.0",
            "255.255.255.255",
            "10.20.30.40",
            "1.2.3.1000",
            "1.2.3.256",
            "1.2.3.",
            "1.2.3.4..",
            "00.1.1.1",
        ] {
            let via = format!("SIP/2.0/UDP {h}:5060;branch=z9hG4bKx");
            let fast = scan_str(via.as_bytes()).map(|v| to_host(v.host));
            let parsed = Host::parse_bytes(&Bytes::copy_from_slice(h.as_bytes())).ok();
            assert_eq!(fast, parsed, "{h}");
        }
    }
    use sip_message::header::typed::Via;
    use sip_message::TypedHeader;

    fn check(v: &str) {
        let bytes = Bytes::copy_from_slice(v.as_bytes());
        if let Some(simple) = scan_simple(&bytes) {
            assert_eq!(Some(simple), scan(&bytes, &bytes), "{v}");
        }
        let typed = Via::parse(&bytes).ok();
        let fast = scan(&bytes, &bytes);
        match (typed, fast) {
            (Some(t), Some(f)) => {
                assert_eq!(
                    t.branch.as_ref().map(|b| b.as_str().as_bytes()),
                    f.branch,
                    "{v}"
                );
                assert_eq!(t.host, to_host(f.host), "{v}");
                assert_eq!(t.port, f.port, "{v}");
            }
            (None, _) => {}
            (Some(t), None) => panic!("{v}: typed {t:?}, scan failed"),
        }
    }

    #[test]
    fn agrees_with_the_typed_parser() {
        for v in [
            "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds",
            "SIP / 2.0 / UDP erlang.bell-telephone.com:5060;branch=z9hG4bK87asdks7",
            "SIP/2.0/UDP 192.0.2.1:5060 ;received=192.0.2.207 ;branch=z9hG4bK77asjd",
            "SIP/2.0/TCP h;rport=5061;maddr=[::1];ttl=16;x=\"q;branch=no\";lr",
            "SIP/2.0/TLS [2001:db8::1]:5061;BRANCH=z9hG4bK2;rport",
            "SIP/2.0/WSS\r\n df7jal23ls0d.invalid;branch=z9hG4bKx",
            "SIP/2.0/UDP Host.Example.COM",
            "SIP/2.0/UDP h : 5070 ; branch = abc",
            "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds",
            "SIP/2.0/UDP 192.0.2.1:5060;rport;branch=z9hG4bK776asdhds;received=192.0.2.9",
            "SIP/2.0/TCP 192.0.2.1;branch=z9hG4bKx;;x=y=z",
            "SIP/2.0/UDP 192.0.2.1:5060;branch=a;BRANCH=b",
            "SIP/2.0/UDP 192.0.2.1:5060;branch==x",
            "SIP/2.0/UDP 192.0.2.1:5060;branch=",
            "SIP/2.0/UDP 192.0.2.1:5060;branch",
            "SIP/2.0/UDP 192.0.2.1:65536;branch=x",
            "SIP/2.0/UDP 192.0.2.1:;branch=x",
            "SIP/2.0/UDP 192.0.2.01;branch=x",
            "SIP/2.0/UDP 192.0.2.1 ;branch=x",
            "SIP/2.0/UDP 192.0.2.1;branch=x ",
            "SIP/2.0/UDP 192.0.2.1;maddr=[::1];branch=x",
            "SIP/2.0/ 192.0.2.1;branch=x",
            "SIP/2.0/UDP  192.0.2.1;branch=x",
        ] {
            check(v);
        }
        let bytes = Bytes::from_static(b"SIP/2.0/UDP Host.EXAMPLE:5070;branch=z9hG4bKq");
        let f = scan(&bytes, &bytes).unwrap();
        assert_eq!(f.branch, Some(&b"z9hG4bKq"[..]));
        assert_eq!(f.port, Some(5070));
        assert!(f.has_rfc3261_branch());
        assert_eq!(to_host(f.host), "host.example".parse().unwrap());
    }

    #[test]
    fn simple_scan_agrees_with_the_general_one_on_random_values() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let pieces: [&[u8]; 23] = [
            b"1",
            b"0",
            b"25",
            b"256",
            b".",
            b":",
            b";",
            b"=",
            b"branch=",
            b"BRANCH=",
            b"x",
            b" ",
            b"\"",
            b"[",
            b"5060",
            b"z9hG4bK",
            b"aZ09azAZ",
            b"-~%",
            b"\xc3\xa9",
            b"@",
            b"/",
            b"\t",
            b"0123456789",
        ];
        assert!(
            scan_simple(b"SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK0123456789abcdef01234567")
                .is_some()
        );
        let mut simple_ones = 0;
        for _ in 0..20_000 {
            let mut v = b"SIP/2.0/UDP 1.2.3.4".to_vec();
            for _ in 0..rng.gen_range(0..12) {
                v.extend_from_slice(pieces[rng.gen_range(0..pieces.len())]);
            }
            if let Some(simple) = scan_simple(&v) {
                let b = Bytes::from(v.clone());
                assert_eq!(
                    Some(simple),
                    scan(&b, &b),
                    "{}",
                    String::from_utf8_lossy(&v)
                );
                simple_ones += 1;
            }
        }
        assert!(simple_ones > 1_000, "{simple_ones}");
    }

    #[test]
    fn word_and_prefix_scans_agree_with_byte_scans() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let alphabet = b"09afzAFZ/:@[`{.-~%\x7f\x80\xff ";
        for _ in 0..50_000 {
            let len = rng.gen_range(0..20);
            let v: Vec<u8> = (0..len)
                .map(|_| {
                    if rng.gen_bool(0.2) {
                        rng.gen()
                    } else {
                        alphabet[rng.gen_range(0..alphabet.len())]
                    }
                })
                .collect();
            let naive = v.iter().position(|&b| !is_token(b)).unwrap_or(v.len());
            assert_eq!(token_len(&v), naive, "{v:?}");
            if let Some(w) = v.get(..8) {
                let w: [u8; 8] = w.try_into().unwrap();
                let naive = w.iter().all(u8::is_ascii_alphanumeric);
                assert_eq!(all_alphanumeric(u64::from_le_bytes(w)), naive, "{w:?}");
            }
            let run = v
                .iter()
                .position(|&b| !(b.is_ascii_digit() || b == b'.'))
                .unwrap_or(v.len());
            let expected = parse_ipv4(&v[..run]).map(|a| (a, &v[run..]));
            assert_eq!(ipv4_prefix(&v), expected, "{v:?}");
        }
        for h in [
            "1.2.3.4",
            "255.255.255.255",
            "0.0.0.0",
            "10.0.0.1:5060",
            "1.2.3.4;x",
        ] {
            assert!(ipv4_prefix(h.as_bytes()).is_some(), "{h}");
        }
    }

    #[test]
    fn rejects_malformed() {
        for v in [
            "",
            "SIP/2.0/UDP",
            "SIP/2.0/UDPh",
            "SIP/2.0/UDP h:99999",
            "SIP/2.0/UDP h:",
            "SIP/2.0/UDP h;branch=a;branch=b",
            "SIP/2.0/UDP [::1",
        ] {
            assert!(scan_str(v.as_bytes()).is_none(), "{v}");
        }
    }
}
