//! [`KeyParts`]: the fields that identify a transaction, read straight from the message bytes.

use super::{split, Message};
use crate::grammar::{is, span, HOST, PARAM_VALUE, SENT_BY, TOKEN, WORD};
use crate::header::typed::{CSeq, CallId, Via};
use crate::uri::host;
use crate::{Error, HeaderName, Result, TypedHeader};

/// The fields that identify a transaction and its dialog (RFC 3261 §17.1.3, §17.2.3):
/// borrowed from the message, checked against the grammar, never allocated.
///
/// Equal to what the typed headers give ([`Via::branch`], [`Via::sent_by`], [`CSeq`],
/// [`CallId`], the From and To `tag`s); made for the per-message hot path of a transaction
/// layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyParts<'a> {
    /// `branch` of the top Via, if it has one.
    pub branch: Option<&'a str>,
    /// `sent-by` of the top Via as written: `host` or `host:port`.
    pub sent_by: &'a str,
    /// Transport of the top Via as written (`UDP`, `TCP` …).
    pub transport: &'a str,
    /// CSeq sequence number.
    pub cseq: u32,
    /// CSeq method as written.
    pub cseq_method: &'a str,
    /// Call-ID.
    pub call_id: &'a str,
    /// `tag` of From.
    pub from_tag: Option<&'a str>,
    /// `tag` of To.
    pub to_tag: Option<&'a str>,
}

impl Message {
    /// The transaction-identifying fields, without allocating.
    ///
    /// Common forms are read in place; anything unusual (folding, quoted parameters,
    /// `SIP / 2.0 / UDP` spacing …) goes through the typed parsers, so the result is the same
    /// as theirs.
    ///
    /// # Errors
    /// [`Error::MissingHeader`] when Via, CSeq or Call-ID is absent; the typed parser's error
    /// when one of them is malformed.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use sip_message::Message;
    /// let m = Message::parse(Bytes::from_static(
    ///     b"BYE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;rport;branch=z9hG4bK1\r\n\
    ///       From: <sip:c@d>;tag=f\r\nTo: <sip:a@b>;tag=t\r\nCall-ID: x@y\r\nCSeq: 7 BYE\r\n\r\n",
    /// )).unwrap();
    /// let k = m.key_parts().unwrap();
    /// assert_eq!((k.branch, k.sent_by, k.transport), (Some("z9hG4bK1"), "192.0.2.1:5060", "UDP"));
    /// assert_eq!((k.cseq, k.cseq_method, k.call_id), (7, "BYE", "x@y"));
    /// assert_eq!((k.from_tag, k.to_tag), (Some("f"), Some("t")));
    /// ```
    pub fn key_parts(&self) -> Result<KeyParts<'_>> {
        let found = self.find_key_fields();
        // The common case: the first Via field starts with a plain via-parm, read up to its
        // end or a `,` without looking for the list's top-level commas first.
        let fast = found.via.and_then(fast_via);
        let via = match (fast, found.via) {
            (Some(_), Some(v)) => v,
            (None, Some(v)) if !v.is_empty() => match split::top_level_comma(v) {
                Some(i) => split::trim_lws(v.get(..i).unwrap_or_default()),
                None => v,
            },
            _ => self
                .get(&HeaderName::Via)
                .ok_or(Error::MissingHeader { name: "Via" })?,
        };
        let (transport, sent_by, branch) = match fast.or_else(|| fast_via(via)) {
            Some((t, s, b)) => (Self::text_in(t), Self::text_in(s), b.map(Self::text_in)),
            None => self.slow_via(via)?,
        };
        let cseq_value = found.cseq.ok_or(Error::MissingHeader { name: "CSeq" })?;
        let (cseq, cseq_method) = match fast_cseq(cseq_value) {
            Some((n, m)) => (n, Self::text_in(m)),
            None => {
                // Only reached for a malformed value: report the typed parser's error.
                let c = CSeq::parse(&self.share(cseq_value))?;
                let method = self
                    .reborrow(c.method.as_str().as_bytes())
                    .unwrap_or_default();
                (c.seq, method)
            }
        };
        let call_value = found
            .call_id
            .ok_or(Error::MissingHeader { name: "Call-ID" })?;
        let call_id = match fast_call_id(call_value) {
            Some(id) => Self::text_in(id),
            None => {
                let c = CallId::parse(&self.share(call_value))?;
                self.reborrow(c.as_str().as_bytes()).unwrap_or_default()
            }
        };
        Ok(KeyParts {
            branch,
            sent_by,
            transport,
            cseq,
            cseq_method,
            call_id,
            from_tag: found
                .from
                .and_then(split::tag_param_bytes)
                .map(Self::text_in),
            to_tag: found.to.and_then(split::tag_param_bytes).map(Self::text_in),
        })
    }

    /// The Call-ID, borrowed from the message: what [`CallId`] parses from the first
    /// Call-ID value, without allocating. `None` when there is none or it is malformed.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use sip_message::Message;
    /// let m = Message::parse(Bytes::from_static(
    ///     b"OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n\
    ///       Call-ID:  x@y \r\nCSeq: 1 OPTIONS\r\n\r\n",
    /// )).unwrap();
    /// assert_eq!(m.call_id(), Some("x@y"));
    /// ```
    pub fn call_id(&self) -> Option<&str> {
        let v = self.get(&HeaderName::CallId)?;
        match fast_call_id(v) {
            Some(id) => Some(Self::text_in(id)),
            None => {
                let c = CallId::parse(&self.share(v)).ok()?;
                self.reborrow(c.as_str().as_bytes())
            }
        }
    }

    /// `b` (ASCII bytes of the head, scanned with ASCII character classes) as text.
    fn text_in(b: &[u8]) -> &str {
        crate::ascii::to_str(b).unwrap_or_default()
    }

    /// The first Via, CSeq, Call-ID, From and To fields, found in one pass over the index.
    fn find_key_fields(&self) -> KeyFields<'_> {
        let mut f = KeyFields::default();
        for e in &self.entries {
            let slot = match e.kind() {
                super::kind::VIA => &mut f.via,
                super::kind::CALL_ID => &mut f.call_id,
                super::kind::FROM => &mut f.from,
                super::kind::TO => &mut f.to,
                super::kind::CSEQ => &mut f.cseq,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(self.head.get(e.value()).unwrap_or_default());
            }
        }
        f
    }

    /// The top Via through the typed parser, its parts borrowed back from the message.
    fn slow_via<'a>(&'a self, via: &'a [u8]) -> Result<(&'a str, &'a str, Option<&'a str>)> {
        let v = Via::parse(&self.share(via))?;
        // A common transport is kept as a static string by the typed parser.
        let transport = self.reborrow(v.transport.as_bytes()).unwrap_or_else(|| {
            ["UDP", "TCP", "TLS", "SCTP", "WS", "WSS"]
                .into_iter()
                .find(|t| *t == v.transport.as_str())
                .unwrap_or_default()
        });
        // sent-by as written: from the host to the end of the port.
        let host_at = find_sub(via, v.host.to_string().as_bytes())
            .or_else(|| match &v.host {
                crate::Host::Domain(d) => find_sub(via, d.as_bytes()),
                _ => None,
            })
            .unwrap_or(0);
        let mut end = host_at;
        while via
            .get(end)
            .is_some_and(|&b| is(b, HOST) || matches!(b, b'[' | b']' | b':'))
        {
            end += 1;
        }
        if v.port.is_some() && !via.get(host_at..end).unwrap_or_default().ends_with(b"]") {
            // `host SWS ":" SWS port` written with spaces.
            let skip = |mut p: usize| {
                while via
                    .get(p)
                    .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                {
                    p += 1;
                }
                p
            };
            let colon = skip(end);
            if via.get(colon) == Some(&b':') {
                let mut p = skip(colon + 1);
                while via.get(p).is_some_and(u8::is_ascii_digit) {
                    p += 1;
                }
                end = p;
            }
        }
        let sent_by =
            core::str::from_utf8(via.get(host_at..end).unwrap_or_default()).unwrap_or_default();
        let branch = v.branch.as_ref().and_then(|b| self.reborrow(b.as_bytes()));
        Ok((transport, sent_by, branch))
    }

    /// `s` (text that points into this message's head) with the message's lifetime.
    fn reborrow(&self, s: &[u8]) -> Option<&str> {
        let base = self.head.as_ptr() as usize;
        let off = (s.as_ptr() as usize).checked_sub(base)?;
        let bytes = self.head.get(off..off.checked_add(s.len())?)?;
        crate::ascii::to_str(bytes)
    }
}

/// Transport, sent-by and branch of a Via value, as bytes.
type ViaParts<'a> = (&'a [u8], &'a [u8], Option<&'a [u8]>);

/// Values of the first fields [`KeyParts`] reads.
#[derive(Default)]
struct KeyFields<'a> {
    via: Option<&'a [u8]>,
    cseq: Option<&'a [u8]>,
    call_id: Option<&'a [u8]>,
    from: Option<&'a [u8]>,
    to: Option<&'a [u8]>,
}

/// `SIP/2.0/<transport> <sent-by>` then `;name[=token]` parameters, on one line, without
/// quotes: transport, sent-by and branch. `None` for anything else.
fn fast_via(v: &[u8]) -> Option<ViaParts<'_>> {
    let rest = v.strip_prefix(b"SIP/2.0/")?;
    let t_len = span(rest, TOKEN);
    let (transport, rest) = rest.split_at(t_len);
    if transport.is_empty() || !matches!(rest.first(), Some(b' ')) {
        return None;
    }
    let rest = rest.get(1..)?;
    let s_len = span(rest, SENT_BY);
    let (sent_by, mut rest) = rest.split_at(s_len);
    if !sent_by_ok(sent_by) {
        return None;
    }
    let mut branch = None;
    while let [b';', tail @ ..] = rest {
        let n_len = span(tail, TOKEN);
        let (name, after) = tail.split_at(n_len);
        if name.is_empty() {
            return None;
        }
        rest = after;
        if let [b'=', tail @ ..] = rest {
            // A token, possibly continued by host characters (`:`, `[`, `]`).
            let v_tok = span(tail, TOKEN);
            let v_len = v_tok + span(tail.get(v_tok..).unwrap_or_default(), PARAM_VALUE);
            let (value, after) = tail.split_at(v_len);
            if value.is_empty() {
                return None;
            }
            if name.eq_ignore_ascii_case(b"branch") {
                if branch.is_some() || v_tok != v_len {
                    return None;
                }
                branch = Some(value);
            }
            rest = after;
        } else if name.eq_ignore_ascii_case(b"branch") {
            return None;
        }
    }
    // The end of the value or of its first element (`,` cannot occur in the parts above).
    let rest = split::trim_lws(rest);
    if !rest.is_empty() && !rest.starts_with(b",") {
        return None;
    }
    Some((transport, sent_by, branch))
}

/// A plain `host[:port]`: a host name or IPv4 address (letters, digits, `-`, `.`) or a
/// bracketed IPv6 reference, and an optional port of 1 to 5 digits. Others take the slow
/// path, which checks them fully.
fn sent_by_ok(s: &[u8]) -> bool {
    // One pass over the host, then the port: a host name or IPv4 address cannot contain `:`.
    let (host_ok, rest) = match s.strip_prefix(b"[") {
        Some(tail) => {
            let Some(close) = tail.iter().position(|&b| b == b']') else {
                return false;
            };
            let inner = tail.get(..close).unwrap_or_default();
            let ok = crate::ascii::to_str(inner)
                .is_some_and(|t| t.parse::<std::net::Ipv6Addr>().is_ok());
            (ok, tail.get(close + 1..).unwrap_or_default())
        }
        None => {
            let h = span(s, HOST);
            let host = s.get(..h).unwrap_or_default();
            (h > 0 && host_name_ok(host), s.get(h..).unwrap_or_default())
        }
    };
    let port_ok = match rest {
        [] => true,
        [b':', p @ ..] => {
            (1..=5).contains(&p.len())
                && p.iter().all(u8::is_ascii_digit)
                && p.iter().fold(0u32, |a, &b| a * 10 + u32::from(b - b'0')) <= 65_535
        }
        _ => false,
    };
    host_ok && port_ok
}

/// A dotted IPv4 address or a host name whose labels do not start or end with `-` and whose
/// top label starts with a letter (§25.1): the typed parser's own checks.
fn host_name_ok(h: &[u8]) -> bool {
    // Most sent-by hosts are IPv4 addresses: try that first (one pass).
    if h.first().is_some_and(u8::is_ascii_digit) && host::parse_ipv4(h).is_some() {
        return true;
    }
    matches!(host::classify(h), host::Shape::Hostname)
}

/// `1*DIGIT SP Method` with a number that fits 32 bits.
pub(crate) fn fast_cseq(v: &[u8]) -> Option<(u32, &[u8])> {
    let digits = v.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 10 {
        return None;
    }
    let seq = v.get(..digits)?.iter().try_fold(0u32, |a, &b| {
        a.checked_mul(10)?.checked_add(u32::from(b - b'0'))
    })?;
    let method = v.get(digits..)?.strip_prefix(b" ")?;
    if method.is_empty() || !method.iter().all(|&b| is(b, TOKEN)) {
        return None;
    }
    Some((seq, method))
}

/// `word [ "@" word ]` (`word` characters are ASCII and do not include `@`).
pub(crate) fn fast_call_id(v: &[u8]) -> Option<&[u8]> {
    let first = span(v, WORD);
    if first == 0 {
        return None;
    }
    match v.get(first..)? {
        [] => Some(v),
        [b'@', second @ ..] => {
            let n = span(second, WORD);
            (n > 0 && n == second.len()).then_some(v)
        }
        _ => None,
    }
}

fn find_sub(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn msg(via: &str, cseq: &str, call: &str) -> Message {
        Message::parse(Bytes::from(format!(
            "OPTIONS sip:a@b SIP/2.0\r\nVia: {via}\r\nFrom: <sip:c@d>;tag=f\r\nTo: <sip:a@b>\r\n\
             Call-ID: {call}\r\nCSeq: {cseq}\r\n\r\n"
        )))
        .unwrap()
    }

    /// The fast and slow paths agree with the typed headers.
    #[test]
    fn agrees_with_typed_headers() {
        for via in [
            "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport",
            "SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bK2",
            "SIP/2.0/TLS host.example.com;received=192.0.2.9;branch=z9hG4bKx",
            "SIP / 2.0 / UDP  spaced.example.com : 5060 ; branch = z9hG4bK3",
            "SIP/2.0/UDP h;x=\"q;branch=no\";branch=z9hG4bK4",
            "SIP/2.0/UDP nobranch.example",
            "SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK5, SIP/2.0/UDP other",
        ] {
            let m = msg(via, "42 OPTIONS", "id@host");
            let k = m.key_parts().unwrap();
            let typed = m.typed::<Via>().unwrap().unwrap();
            assert_eq!(k.branch, typed.branch(), "{via}");
            assert_eq!(
                k.sent_by.replace(' ', ""),
                typed.sent_by().replace(' ', ""),
                "{via}"
            );
            assert_eq!(k.transport, typed.transport.as_str(), "{via}");
            assert_eq!((k.cseq, k.cseq_method), (42, "OPTIONS"));
            assert_eq!(k.call_id, "id@host");
            assert_eq!(k.from_tag, Some("f"));
            assert_eq!(k.to_tag, None);
        }
    }

    #[test]
    fn ipv4_sent_by_agrees_with_the_typed_parser() {
        for host in [
            "1.2.3.4",
            "255.255.255.255",
            "0.0.0.0",
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "1..2.3",
            "1.2.3.4.",
        ] {
            let m = msg(
                &format!("SIP/2.0/UDP {host};branch=z9hG4bK1"),
                "1 OPTIONS",
                "a",
            );
            assert_eq!(
                m.key_parts().is_ok(),
                m.typed::<Via>().unwrap().is_ok(),
                "{host}"
            );
        }
    }

    #[test]
    fn malformed_fields_fail_like_the_typed_parsers() {
        for (via, cseq, call) in [
            ("SIP/2.0/UDP h;branch", "1 OPTIONS", "a"),
            ("SIP/2.0/UDP -bad-", "1 OPTIONS", "a"),
            ("SIP/2.0/UDP h:99999", "1 OPTIONS", "a"),
            ("SIP/2.0/UDP 1.2.3.999", "1 OPTIONS", "a"),
            ("SIP/2.0/UDP h", "x OPTIONS", "a"),
            ("SIP/2.0/UDP h", "99999999999 OPTIONS", "a"),
            ("SIP/2.0/UDP h", "1 OPTIONS", "a b"),
            ("SIP/2.0/UDP h", "1 OPTIONS", "a@b@c"),
        ] {
            let m = msg(via, cseq, call);
            assert!(m.key_parts().is_err(), "{via} / {cseq} / {call}");
        }
        let m = Message::parse(Bytes::from_static(b"OPTIONS sip:a@b SIP/2.0\r\n\r\n")).unwrap();
        assert_eq!(
            m.key_parts().unwrap_err(),
            Error::MissingHeader { name: "Via" }
        );
    }
}
