//! A fast scan of the top Via for what matching needs (branch and sent-by), without the
//! full typed parse of `sip_message::Via` (which builds every parameter). Used on every
//! message, so it must not allocate.

use bytes::Bytes;
use sip_message::{ByteStr, HeaderName, Host, Message};

/// Branch and sent-by of a message's top Via.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TopVia {
    pub(crate) branch: Option<ByteStr>,
    pub(crate) host: Host,
    pub(crate) port: Option<u16>,
}

impl TopVia {
    /// Scans the first Via value; `None` when there is none or it is malformed.
    pub(crate) fn of(msg: &Message) -> Option<Self> {
        let value = msg.get_bytes(&HeaderName::Via)?;
        scan(&value)
    }

    /// Whether the branch starts with the magic cookie (§8.1.1.7).
    pub(crate) fn has_rfc3261_branch(&self) -> bool {
        self.branch
            .as_deref()
            .is_some_and(|b| b.starts_with(crate::MAGIC_COOKIE))
    }
}

/// `sent-protocol LWS sent-by *( SEMI via-params )` (§20.42, §25.1).
fn scan(value: &Bytes) -> Option<TopVia> {
    let bytes = value.as_ref();
    // sent-protocol: name / version / transport, with optional LWS around the slashes.
    let mut pos = 0;
    for _ in 0..2 {
        let slash = bytes.get(pos..)?.iter().position(|&b| b == b'/')?;
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
        rest.iter().position(|&b| b == b']')? + 1
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
        Host::Ipv4(core::str::from_utf8(raw_host).ok()?.parse().ok()?)
    } else {
        Host::parse_bytes(&value.slice(pos..pos + host_len)).ok()?
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
        let text = core::str::from_utf8(bytes.get(pos..pos + digits)?).ok()?;
        port = Some(text.parse::<u16>().ok()?);
        pos += digits;
    }
    // via-params: find branch, honouring quoted strings.
    let mut branch = None;
    let tail = bytes.get(pos..)?;
    if !tail.contains(&b'"') {
        // No quoted string (the usual case): the parameters end at each `;`.
        let mut start = pos;
        for end in tail
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b';')
            .map(|(k, _)| pos + k)
            .chain(core::iter::once(bytes.len()))
        {
            if let Some(v) = param_value(value, start, end, b"branch") {
                if branch.is_some() {
                    return None; // repeated branch: ambiguous
                }
                branch = Some(ByteStr::from_utf8(v).ok()?);
            }
            start = end + 1;
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
                if let Some(v) = param_value(value, start, i, b"branch") {
                    if branch.is_some() {
                        return None; // repeated branch: ambiguous
                    }
                    branch = Some(ByteStr::from_utf8(v).ok()?);
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    Some(TopVia { branch, host, port })
}

/// The value of parameter `name` if `value[start..end]` is `name = value`.
fn param_value(value: &Bytes, start: usize, end: usize, name: &[u8]) -> Option<Bytes> {
    let raw = value.get(start..end)?;
    let eq = raw.iter().position(|&b| b == b'=')?;
    let key = trim(raw.get(..eq)?);
    if !key.eq_ignore_ascii_case(name) {
        return None;
    }
    let v = trim(raw.get(eq + 1..)?);
    if v.is_empty() || !v.iter().all(|&b| is_token(b)) {
        return None;
    }
    Some(value.slice_ref(v))
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
        ] {
            let via = format!("SIP/2.0/UDP {h}:5060;branch=z9hG4bKx");
            let fast = scan(&Bytes::from(via)).map(|v| v.host);
            let parsed = Host::parse_bytes(&Bytes::copy_from_slice(h.as_bytes())).ok();
            assert_eq!(fast, parsed, "{h}");
        }
    }
    use sip_message::header::typed::Via;
    use sip_message::TypedHeader;

    fn check(v: &str) {
        let bytes = Bytes::copy_from_slice(v.as_bytes());
        let typed = Via::parse(&bytes).ok();
        let fast = scan(&bytes);
        match (typed, fast) {
            (Some(t), Some(f)) => {
                assert_eq!(t.branch, f.branch, "{v}");
                assert_eq!(t.host, f.host, "{v}");
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
        ] {
            check(v);
        }
        let bytes = Bytes::from_static(b"SIP/2.0/UDP Host.EXAMPLE:5070;branch=z9hG4bKq");
        let f = scan(&bytes).unwrap();
        assert_eq!(f.branch.as_deref(), Some("z9hG4bKq"));
        assert_eq!(f.port, Some(5070));
        assert!(f.has_rfc3261_branch());
        assert_eq!(f.host, "host.example".parse().unwrap());
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
            assert!(scan(&Bytes::copy_from_slice(v.as_bytes())).is_none(), "{v}");
        }
    }
}
