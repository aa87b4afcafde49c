//! `Via` (RFC 3261 §20.42, §18.2.1; RFC 3581 `rport`; RFC 5954 IPv6).

use core::fmt;
use std::net::IpAddr;

use bytes::Bytes;

use super::cseq::parse_u32;
use crate::grammar::{Cursor, TOKEN};
use crate::header::header_error;
use crate::{ByteStr, HeaderName, Host, Param, Params, Result, TypedHeader};

/// One `via-parm` (§20.42): sent-protocol, sent-by and parameters.
///
/// `sent-protocol LWS sent-by *( SEMI via-params )`, with the parameters this stack acts on
/// (`branch`, `received`, `rport`, `maddr`, `ttl`) as fields and the others kept in
/// [`Via::params`]. A Via field with several comma-separated values is several `Via`s
/// ([`Message::typed_all`](crate::Message::typed_all)).
///
/// ```
/// use sip_message::{header::typed::Via, TypedHeader};
/// let v = Via::parse_str("SIP/2.0/UDP [2001:db8::9]:5070;branch=z9hG4bK77;rport;received=192.0.2.1").unwrap();
/// assert_eq!(v.transport.as_str(), "UDP");
/// assert_eq!(v.host.to_string(), "[2001:db8::9]");
/// assert_eq!(v.port, Some(5070));
/// assert_eq!(v.branch(), Some("z9hG4bK77"));
/// assert_eq!(v.rport, Some(None));
/// assert_eq!(v.to_string(), "SIP/2.0/UDP [2001:db8::9]:5070;branch=z9hG4bK77;received=192.0.2.1;rport");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Via {
    /// `protocol-name`, normally `SIP`.
    pub protocol_name: ByteStr,
    /// `protocol-version`, normally `2.0`.
    pub protocol_version: ByteStr,
    /// `transport`: `UDP`, `TCP`, `TLS`, `SCTP`, `WS`, `WSS` or another token, as written.
    pub transport: ByteStr,
    /// Host of `sent-by`.
    pub host: Host,
    /// Port of `sent-by`.
    pub port: Option<u16>,
    /// `branch` (§8.1.1.7).
    pub branch: Option<ByteStr>,
    /// `received` (§18.2.1): the address the request came from.
    pub received: Option<IpAddr>,
    /// `rport` (RFC 3581): `Some(None)` for the bare flag a client sends, `Some(Some(port))`
    /// once a server filled it in.
    pub rport: Option<Option<u16>>,
    /// `maddr` (§18.1.1).
    pub maddr: Option<Host>,
    /// `ttl` (§18.1.1).
    pub ttl: Option<u8>,
    /// Every other parameter, in order.
    pub params: Params,
}

impl Via {
    /// A `SIP/2.0` Via with `transport` (e.g. `"UDP"`), `host` and optional `port`, no
    /// parameters.
    pub fn new(transport: impl Into<ByteStr>, host: Host, port: Option<u16>) -> Self {
        Self {
            protocol_name: ByteStr::from_static("SIP"),
            protocol_version: ByteStr::from_static("2.0"),
            transport: transport.into(),
            host,
            port,
            branch: None,
            received: None,
            rport: None,
            maddr: None,
            ttl: None,
            params: Params::new(),
        }
    }

    /// Sets the branch.
    #[must_use]
    pub fn with_branch(mut self, branch: impl Into<ByteStr>) -> Self {
        self.branch = Some(branch.into());
        self
    }

    /// Asks for `rport` (RFC 3581 §3): adds the bare flag.
    #[must_use]
    pub fn with_rport(mut self) -> Self {
        self.rport = Some(None);
        self
    }

    /// The branch.
    pub fn branch(&self) -> Option<&str> {
        self.branch.as_deref()
    }

    /// Whether the branch carries the RFC 3261 magic cookie `z9hG4bK` (§8.1.1.7), so it alone
    /// identifies the transaction.
    pub fn has_rfc3261_branch(&self) -> bool {
        self.branch().is_some_and(|b| b.starts_with("z9hG4bK"))
    }

    /// Whether the transport (case-insensitively) is `t`.
    pub fn is_transport(&self, t: &str) -> bool {
        self.transport.eq_ignore_ascii_case(t)
    }

    /// `sent-by` as text: `host` or `host:port`.
    pub fn sent_by(&self) -> String {
        match self.port {
            Some(p) => format!("{}:{p}", self.host),
            None => self.host.to_string(),
        }
    }
}

impl TypedHeader for Via {
    const NAME: HeaderName = HeaderName::Via;

    fn parse(value: &Bytes) -> Result<Self> {
        parse_via(value).map_err(header_error("Via"))
    }
}

#[inline]
fn parse_via(value: &Bytes) -> Result<Via> {
    let mut cur = Cursor::new(value);
    cur.skip_sws();
    // Fast path for the form nearly every Via has: `SIP/2.0/<transport> `.
    if let Some(via) = fast_sent_protocol(&mut cur) {
        return parse_sent_by(cur, via.0, via.1, via.2);
    }
    // sent-protocol = protocol-name SLASH protocol-version SLASH transport
    let protocol_name = common(cur.token("protocol name")?);
    if !cur.eat_sep(b'/') {
        return Err(cur.error("`/` after the protocol name"));
    }
    let protocol_version = common(cur.token("protocol version")?);
    if !cur.eat_sep(b'/') {
        return Err(cur.error("`/` after the protocol version"));
    }
    let transport = common(cur.token("transport")?);
    parse_sent_by(cur, protocol_name, protocol_version, transport)
}

/// `SIP/2.0/` followed by a common transport and a space, without folding: the protocol
/// parts as static strings, the cursor after the transport. `None` leaves the cursor alone.
fn fast_sent_protocol(cur: &mut Cursor<'_>) -> Option<(ByteStr, ByteStr, ByteStr)> {
    let rest = cur.rest();
    let tail = rest.strip_prefix(b"SIP/2.0/")?;
    let len = tail
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if !matches!(tail.get(len), Some(b' ' | b'\t')) {
        return None;
    }
    let transport = common_static(tail.get(..len)?)?;
    cur.set_pos(cur.pos() + 8 + len);
    Some((
        ByteStr::from_static("SIP"),
        ByteStr::from_static("2.0"),
        transport,
    ))
}

/// The rest of a via-parm after sent-protocol: `LWS sent-by *( SEMI via-params )`.
#[inline]
fn parse_sent_by(
    mut cur: Cursor<'_>,
    protocol_name: ByteStr,
    protocol_version: ByteStr,
    transport: ByteStr,
) -> Result<Via> {
    let before = cur.pos();
    // Usually one space: skip it without the folding checks.
    if cur.peek() == Some(b' ') && !matches!(cur.peek_at(1), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        cur.set_pos(before + 1);
    } else {
        cur.skip_sws();
    }
    if cur.pos() == before {
        return Err(cur.error("whitespace before sent-by"));
    }
    let host = Host::parse_at(&mut cur)?;
    let port = if cur.eat_sep(b':') {
        Some(parse_port(&mut cur)?)
    } else {
        None
    };
    let mut via = Via {
        protocol_name,
        protocol_version,
        transport,
        host,
        port,
        branch: None,
        received: None,
        rport: None,
        maddr: None,
        ttl: None,
        params: Params::new(),
    };
    while cur.eat_sep(b';') {
        let at = cur.clone();
        // The name is matched in place; only an unknown one is kept (as a slice).
        let (name_start, name_end) = cur.take_class(TOKEN);
        if name_start == name_end {
            return Err(cur.error("parameter name"));
        }
        let raw = cur.bytes(name_start, name_end);
        let has_value = cur.eat_sep(b'=');
        let dup = || at.error("parameter not repeated");
        let candidate = match raw.len() {
            6 => "branch",
            8 => "received",
            5 if raw.first().is_some_and(|c| c.eq_ignore_ascii_case(&b'r')) => "rport",
            5 => "maddr",
            3 => "ttl",
            _ => "",
        };
        let known = if raw.eq_ignore_ascii_case(candidate.as_bytes()) {
            candidate
        } else {
            ""
        };
        match (known, has_value) {
            ("branch", true) => {
                if via.branch.is_some() {
                    return Err(dup());
                }
                via.branch = Some(cur.token("branch value")?);
            }
            ("received", true) => {
                if via.received.is_some() {
                    return Err(dup());
                }
                via.received = Some(ip(&mut cur)?);
            }
            ("rport", v) => {
                if via.rport.is_some() {
                    return Err(dup());
                }
                via.rport = Some(if v { Some(parse_port(&mut cur)?) } else { None });
            }
            ("maddr", true) => {
                if via.maddr.is_some() {
                    return Err(dup());
                }
                via.maddr = Some(Host::parse_at(&mut cur)?);
            }
            ("ttl", true) => {
                if via.ttl.is_some() {
                    return Err(dup());
                }
                let n = parse_u32(&mut cur, "ttl (0 to 255)")?;
                via.ttl = Some(u8::try_from(n).map_err(|_| at.error("ttl (0 to 255)"))?);
            }
            ("branch" | "received" | "maddr" | "ttl", false) => {
                return Err(cur.error("`=` and a value"));
            }
            (_, true) => via.params.push(Param {
                name: cur.ascii(name_start, name_end),
                value: Some(crate::params::generic_value(&mut cur)?),
            }),
            (_, false) => via.params.push(Param {
                name: cur.ascii(name_start, name_end),
                value: None,
            }),
        }
    }
    cur.expect_end("`;` or end of the Via value")?;
    Ok(via)
}

/// The usual protocol names, versions and transports as static strings, so a parsed Via does
/// not keep references into the message for them.
fn common(s: ByteStr) -> ByteStr {
    common_static(s.as_bytes()).unwrap_or(s)
}

fn common_static(s: &[u8]) -> Option<ByteStr> {
    Some(ByteStr::from_static(match s {
        b"UDP" => "UDP",
        b"TCP" => "TCP",
        b"TLS" => "TLS",
        b"SIP" => "SIP",
        b"2.0" => "2.0",
        b"SCTP" => "SCTP",
        b"WS" => "WS",
        b"WSS" => "WSS",
        _ => return None,
    }))
}

/// `port = 1*DIGIT` in 0..=65535.
fn parse_port(cur: &mut Cursor<'_>) -> Result<u16> {
    let at = cur.clone();
    let n = parse_u32(cur, "port")?;
    u16::try_from(n).map_err(|_| at.error("port (0 to 65535)"))
}

/// `received` value: `IPv4address / IPv6address / IPv6reference` (§20.42, RFC 5954 §4.1).
fn ip(cur: &mut Cursor<'_>) -> Result<IpAddr> {
    let at = cur.clone();
    let bracketed = cur.eat(b'[');
    let (s, e) = cur.take_while(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    if bracketed && !cur.eat(b']') {
        return Err(cur.error("`]` closing the IPv6 reference"));
    }
    let raw = cur.bytes(s, e);
    // The usual case, a dotted IPv4 address, without the UTF-8 check and the generic parser.
    if !bracketed {
        if let Some(a) = crate::uri::host::parse_ipv4(raw) {
            return Ok(IpAddr::V4(a));
        }
    }
    let text = core::str::from_utf8(raw).unwrap_or_default();
    let addr: IpAddr = text.parse().map_err(|_| at.error("IP address"))?;
    if bracketed && !addr.is_ipv6() {
        return Err(at.error("IPv6 address in brackets or IPv4 address"));
    }
    Ok(addr)
}

impl fmt::Display for Via {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/{} {}",
            self.protocol_name, self.protocol_version, self.transport, self.host
        )?;
        if let Some(p) = self.port {
            write!(f, ":{p}")?;
        }
        if let Some(b) = &self.branch {
            write!(f, ";branch={b}")?;
        }
        match self.received {
            Some(IpAddr::V6(a)) => write!(f, ";received=[{a}]")?,
            Some(IpAddr::V4(a)) => write!(f, ";received={a}")?,
            None => {}
        }
        match self.rport {
            Some(Some(p)) => write!(f, ";rport={p}")?,
            Some(None) => f.write_str(";rport")?,
            None => {}
        }
        if let Some(m) = &self.maddr {
            write!(f, ";maddr={m}")?;
        }
        if let Some(t) = self.ttl {
            write!(f, ";ttl={t}")?;
        }
        write!(f, "{}", self.params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    fn via(s: &str) -> Via {
        Via::parse_str(s).unwrap()
    }

    #[test]
    fn rfc_forms() {
        let v = via("SIP / 2.0 / UDP erlang.bell-telephone.com:5060;branch=z9hG4bK87asdks7");
        assert_eq!(v.port, Some(5060));
        assert!(v.has_rfc3261_branch());
        let v = via("SIP/2.0/UDP 192.0.2.1:5060 ;received=192.0.2.207 ;branch=z9hG4bK77asjd");
        assert_eq!(v.received, Some("192.0.2.207".parse().unwrap()));
        let v = via("SIP/2.0/TCP h;rport=5061;maddr=[::1];ttl=16;x=\"q;r\";lr");
        assert_eq!(v.rport, Some(Some(5061)));
        assert_eq!(v.maddr.unwrap().to_string(), "[::1]");
        assert_eq!(v.ttl, Some(16));
        assert_eq!(v.params.len(), 2);
        let v = via("SIP/2.0/UDP h;received=2001:db8::1");
        assert!(v.received.unwrap().is_ipv6());
        let v = via(" SIP/2.0/WSS\r\n df7jal23ls0d.invalid;branch=z9hG4bKx ");
        assert!(v.is_transport("wss"));
        assert_eq!(v.sent_by(), "df7jal23ls0d.invalid");
    }

    #[test]
    fn bad_forms() {
        for bad in [
            "",
            "SIP/2.0/UDP",
            "SIP/2.0/UDPh",
            "SIP/2.0 UDP h",
            "SIP/2.0/UDP h:99999",
            "SIP/2.0/UDP h;branch",
            "SIP/2.0/UDP h;branch=a;branch=b",
            "SIP/2.0/UDP h;ttl=256",
            "SIP/2.0/UDP h;received=nothost",
            "SIP/2.0/UDP h;received=[1.2.3.4]",
            "SIP/2.0/UDP h, SIP/2.0/UDP g",
            "SIP/2.0/UDP [::1",
        ] {
            assert!(
                matches!(Via::parse_str(bad), Err(Error::Header { name: "Via", .. })),
                "{bad}: {:?}",
                Via::parse_str(bad)
            );
        }
    }

    #[test]
    fn display_round_trips() {
        for s in [
            "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;received=192.0.2.9;rport=5060",
            "SIP/2.0/TLS [2001:db8::1]:5061;branch=z9hG4bK2;received=[2001:db8::2];rport;maddr=224.2.0.1;ttl=1;x;y=\"z\"",
        ] {
            let v = via(s);
            assert_eq!(v.to_string(), s);
            assert_eq!(via(&v.to_string()), v);
        }
    }
}
