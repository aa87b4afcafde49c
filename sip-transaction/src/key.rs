//! Transaction keys: the opaque handles the TU holds, and the matching keys of
//! §17.1.3 (client) and §17.2.3 (server, with the RFC 2543 fallback).

use core::fmt;
use core::hash::{BuildHasher, Hash, Hasher};

use bytes::Bytes;
use rand::RngCore;
use sip_message::{ByteStr, CSeq, CallId, Message, Method};

use crate::via::{SentHost, TopVia};

use crate::slab::SlotKey;

/// The magic cookie that starts every RFC 3261 branch (§8.1.1.7).
pub const MAGIC_COOKIE: &str = "z9hG4bK";

/// Handle of a client transaction, returned by
/// [`TransactionLayer::send_request`](crate::TransactionLayer::send_request). Stale handles
/// (of terminated transactions) never match a later transaction.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClientTransactionKey(pub(crate) SlotKey);

/// Handle of a server transaction, given in
/// [`Event::RequestReceived`](crate::Event::RequestReceived) and the other request events.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServerTransactionKey(pub(crate) SlotKey);

/// Either kind of transaction handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TransactionKey {
    /// A client transaction.
    Client(ClientTransactionKey),
    /// A server transaction.
    Server(ServerTransactionKey),
}

impl fmt::Debug for ClientTransactionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Client({}v{})", self.0.index, self.0.generation)
    }
}

impl fmt::Debug for ServerTransactionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Server({}v{})", self.0.index, self.0.generation)
    }
}

impl From<ClientTransactionKey> for TransactionKey {
    fn from(k: ClientTransactionKey) -> Self {
        Self::Client(k)
    }
}

impl From<ServerTransactionKey> for TransactionKey {
    fn from(k: ServerTransactionKey) -> Self {
        Self::Server(k)
    }
}

/// The bytes of a matching key, inline up to 62 bytes (a generated branch, an IPv4
/// sent-by and a method fit): hashed and compared as bytes, with no pointer into a
/// message buffer (no cache miss on comparison, no message kept alive by its key).
///
/// Fields are joined so that different field tuples never give the same bytes: a field
/// that can hold any byte has a fixed length; the others (tokens, domains, Call-IDs)
/// cannot contain a zero byte, which ends them.
#[derive(Debug, Clone)]
pub(crate) enum KeyBytes {
    /// Up to [`INLINE`] bytes.
    Inline { len: u8, bytes: [u8; INLINE] },
    /// Longer keys.
    Heap(Box<[u8]>),
}

/// Bytes a key holds without allocating.
const INLINE: usize = 62;

impl KeyBytes {
    fn as_slice(&self) -> &[u8] {
        match self {
            Self::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or_default(),
            Self::Heap(b) => b,
        }
    }
}

impl PartialEq for KeyBytes {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for KeyBytes {}

impl Hash for KeyBytes {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.as_slice());
    }
}

/// Writes a [`KeyBytes`]: on the stack, spilling to the heap beyond [`INLINE`] bytes.
struct KeyWriter {
    len: usize,
    bytes: [u8; INLINE],
    spill: Vec<u8>,
}

impl KeyWriter {
    fn new() -> Self {
        Self {
            len: 0,
            bytes: [0; INLINE],
            spill: Vec::new(),
        }
    }

    #[inline]
    fn push(&mut self, b: &[u8]) -> &mut Self {
        match self.bytes.get_mut(self.len..self.len + b.len()) {
            Some(dst) if self.spill.is_empty() => {
                dst.copy_from_slice(b);
                self.len += b.len();
            }
            _ => {
                if self.spill.is_empty() {
                    self.spill
                        .extend_from_slice(self.bytes.get(..self.len).unwrap_or_default());
                }
                self.spill.extend_from_slice(b);
            }
        }
        self
    }

    #[inline]
    fn byte(&mut self, b: u8) -> &mut Self {
        self.push(&[b])
    }

    /// Ends a field that cannot contain a zero byte.
    #[inline]
    fn end(&mut self) -> &mut Self {
        self.byte(0)
    }

    fn finish(&self) -> KeyBytes {
        if self.spill.is_empty() {
            KeyBytes::Inline {
                len: u8::try_from(self.len).unwrap_or(u8::MAX),
                bytes: self.bytes,
            }
        } else {
            KeyBytes::Heap(self.spill.clone().into_boxed_slice())
        }
    }
}

/// §17.1.3: a response matches a client transaction by the branch of its top Via and the
/// method of its CSeq. Bytes: `branch 0 method`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ClientMatchKey(KeyBytes);

impl ClientMatchKey {
    /// The key of `branch` (token characters) and `method`.
    pub(crate) fn new(branch: &[u8], method: &Method) -> Self {
        Self(
            KeyWriter::new()
                .push(branch)
                .end()
                .push(method_bytes(method))
                .finish(),
        )
    }

    /// The branch.
    pub(crate) fn branch(&self) -> &[u8] {
        let bytes = self.0.as_slice();
        bytes.split(|&b| b == 0).next().unwrap_or(bytes)
    }
}

/// §17.2.3: how a request matches a server transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ServerMatchKey {
    /// The branch starts with the magic cookie: branch, sent-by and method (ACK counted as
    /// INVITE). Bytes: `branch 0 host port method`, the host as `1 lower-case-domain 0`,
    /// `4 octets[4]` or `6 octets[16]`, the port as `1 u16` or `0`.
    Rfc3261(KeyBytes),
    /// RFC 2543 peers: Request-URI, From tag, Call-ID, CSeq, top Via (as written) and
    /// method (ACK counted as INVITE). The To tag is checked after the lookup, because an
    /// ACK carries the tag of the response rather than that of the request.
    Rfc2543(Box<LegacyKey>),
}

/// The fields of the RFC 2543 fallback key (boxed: rare, and larger than the usual key).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct LegacyKey {
    uri: ByteStr,
    from_tag: Option<ByteStr>,
    call_id: ByteStr,
    seq: u32,
    method: Method,
    via: Bytes,
}

/// §8.2.2.2: From tag, Call-ID and CSeq of a request without a To tag, to find merged
/// (looped or forked-and-rejoined) requests. Bytes: `from-tag 0 call-id 0 seq[4] method`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct MergeKey(KeyBytes);

impl Hash for ServerMatchKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Keys of different variants are never equal: no need to hash the variant.
        match self {
            Self::Rfc3261(k) => k.hash(state),
            Self::Rfc2543(k) => k.hash(state),
        }
    }
}

/// A method's name as bytes (registered methods as their canonical, case-sensitive name,
/// which is how `Method` compares them).
fn method_bytes(method: &Method) -> &[u8] {
    match method {
        Method::Extension(m) => m.as_bytes(),
        known => known.as_str().as_bytes(),
    }
}

/// A fast keyed hash for the matching maps: 64-bit words folded through a 128-bit multiply
/// by per-layer random keys (the construction of `foldhash`/`wyhash`). Keys come from the
/// network, hence the random keys; SipHash cost more than the rest of a lookup.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyedState {
    seed: u64,
    multiplier: u64,
}

impl KeyedState {
    /// Keys drawn from `rng`.
    pub(crate) fn new(rng: &mut impl RngCore) -> Self {
        Self {
            seed: rng.next_u64(),
            // Odd, with both halves busy.
            multiplier: rng.next_u64() | 0x8000_0000_0000_0001,
        }
    }
}

impl BuildHasher for KeyedState {
    type Hasher = KeyedHasher;

    fn build_hasher(&self) -> KeyedHasher {
        KeyedHasher {
            state: self.seed,
            multiplier: self.multiplier,
        }
    }
}

/// See [`KeyedState`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyedHasher {
    state: u64,
    multiplier: u64,
}

impl KeyedHasher {
    #[inline]
    fn mix(&mut self, word: u64) {
        let x = u128::from(self.state ^ word) * u128::from(self.multiplier);
        self.state = (x as u64) ^ ((x >> 64) as u64);
    }
}

impl Hasher for KeyedHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.mix(u64::from_le_bytes(
                <[u8; 8]>::try_from(c).unwrap_or_default(),
            ));
        }
        let rest = chunks.remainder();
        let mut word = [0u8; 8];
        for (w, b) in word.iter_mut().zip(rest) {
            *w = *b;
        }
        // The length ends the field, so that ("ab", "c") and ("a", "bc") differ.
        self.mix(u64::from_le_bytes(word) ^ ((bytes.len() as u64) << 56));
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.mix(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        let x = u128::from(self.state ^ 0x9e37_79b9_7f4a_7c15) * u128::from(self.multiplier);
        (x as u64) ^ ((x >> 64) as u64)
    }
}

/// What the layer needs of a received request, parsed once.
pub(crate) struct RequestInfo<'a> {
    pub(crate) method: Method,
    pub(crate) via: TopVia<'a>,
    pub(crate) cseq: CSeq,
}

impl<'a> RequestInfo<'a> {
    /// Parses method, top Via and CSeq; `None` when one is missing or malformed.
    pub(crate) fn parse(msg: &'a Message) -> Option<Self> {
        let method = msg.method()?;
        let via = TopVia::of(msg)?;
        let cseq = cseq_of(msg)?;
        Some(Self { method, via, cseq })
    }

    /// The server matching key of this request. For an ACK (and with `as_method`) the key
    /// of the transaction it belongs to.
    pub(crate) fn server_key(&self, msg: &Message, as_method: &Method) -> Option<ServerMatchKey> {
        if let Some(branch) = self.via.branch.filter(|_| self.via.has_rfc3261_branch()) {
            let mut k = KeyWriter::new();
            k.push(branch).end();
            match self.via.host {
                SentHost::Domain(d) => {
                    k.byte(1);
                    for &b in d {
                        k.byte(b.to_ascii_lowercase());
                    }
                    k.end();
                }
                SentHost::Ipv4(a) => {
                    k.byte(4).push(&a);
                }
                SentHost::Ipv6(a) => {
                    k.byte(6).push(&a);
                }
            }
            match self.via.port {
                Some(p) => k.byte(1).push(&p.to_le_bytes()),
                None => k.byte(0),
            };
            k.push(method_bytes(as_method));
            return Some(ServerMatchKey::Rfc3261(k.finish()));
        }
        let call_id = msg.typed::<CallId>()?.ok()?;
        let uri = msg.uri()?;
        Some(ServerMatchKey::Rfc2543(Box::new(LegacyKey {
            uri: share(msg, uri),
            from_tag: msg.from_tag().map(|t| share(msg, t)),
            call_id: call_id.0,
            seq: self.cseq.seq,
            method: as_method.clone(),
            via: msg.get_bytes(&sip_message::HeaderName::Via)?,
        })))
    }

    /// The §8.2.2.2 merge key of a request without a To tag: its From tag, its Call-ID
    /// (`msg.call_id()`, looked up by the caller) and its CSeq.
    pub(crate) fn merge_key(&self, msg: &Message, call_id: Option<&str>) -> Option<MergeKey> {
        if msg.to_tag().is_some() {
            return None;
        }
        let (from_tag, call_id) = (msg.from_tag()?, call_id?);
        let mut k = KeyWriter::new();
        k.push(from_tag.as_bytes())
            .end()
            .push(call_id.as_bytes())
            .end()
            .push(&self.cseq.seq.to_le_bytes())
            .push(method_bytes(&self.cseq.method));
        Some(MergeKey(k.finish()))
    }
}

/// The CSeq of `msg` when present and valid: `msg.typed::<CSeq>()`, with a fast path for
/// the usual `digits SP METHOD` form of a registered method (the same result, without the
/// general parser).
pub(crate) fn cseq_of(msg: &Message) -> Option<CSeq> {
    let v = msg.get(&sip_message::HeaderName::CSeq)?;
    if let Some(sp) = v.iter().position(|&b| b == b' ') {
        let digits = v.get(..sp).unwrap_or_default();
        let method = v.get(sp + 1..).and_then(Method::known);
        if let (Some(method), 1..=10) = (method, digits.len()) {
            let seq = digits.iter().try_fold(0u32, |acc, &b| {
                if !b.is_ascii_digit() {
                    return None;
                }
                acc.checked_mul(10)?.checked_add(u32::from(b - b'0'))
            });
            if let Some(seq) = seq {
                return Some(CSeq::new(seq, method));
            }
        }
    }
    msg.typed::<CSeq>()?.ok()
}

/// The client matching key of a response (top Via branch, CSeq method).
pub(crate) fn response_key(msg: &Message) -> Option<ClientMatchKey> {
    let via = TopVia::of(msg)?;
    let cseq = cseq_of(msg)?;
    Some(ClientMatchKey::new(via.branch?, &cseq.method))
}

/// A new branch: the magic cookie and 96 random bits in hex (§8.1.1.7).
pub(crate) fn new_branch(rng: &mut impl RngCore) -> Branch {
    let mut bytes = [0u8; BRANCH_LEN];
    let (cookie, hex) = bytes.split_at_mut(MAGIC_COOKIE.len());
    cookie.copy_from_slice(MAGIC_COOKIE.as_bytes());
    let (a, b) = hex.split_at_mut(16);
    write_hex(a, rng.next_u64());
    write_hex(b, u64::from(rng.next_u32()));
    Branch(bytes)
}

/// Length of a generated branch: the magic cookie and 96 bits in hex.
const BRANCH_LEN: usize = MAGIC_COOKIE.len() + 24;

/// A branch made by [`TransactionLayer::new_branch`](crate::TransactionLayer::new_branch):
/// `z9hG4bK` and 96 random bits in hex (§8.1.1.7), held inline (no allocation). Use it as a
/// `&str` (it dereferences to one), or turn it into a `String`.
///
/// ```
/// let mut layer = sip_transaction::TransactionLayer::new(Default::default()).unwrap();
/// let branch = layer.new_branch();
/// assert!(branch.starts_with(sip_transaction::MAGIC_COOKIE));
/// let via = format!("SIP/2.0/UDP 192.0.2.1;branch={branch}");
/// assert!(via.ends_with(branch.as_str()));
/// let owned: String = branch.into();
/// assert_eq!(owned.len(), 31);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Branch([u8; BRANCH_LEN]);

impl Branch {
    /// The branch as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever written (the cookie and hex digits).
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl core::ops::Deref for Branch {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Branch {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Branch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Branch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<Branch> for String {
    fn from(b: Branch) -> Self {
        b.as_str().to_owned()
    }
}

/// Writes `v` as lower-case hex digits into `out` (its last `out.len()` digits).
fn write_hex(out: &mut [u8], v: u64) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let n = out.len();
    for (i, d) in out.iter_mut().enumerate() {
        let nibble = (v >> ((n - 1 - i) * 4)) & 0xf;
        *d = *HEX.get(nibble as usize).unwrap_or(&b'0');
    }
}

/// A random token for a To tag: 64 bits in hex.
pub(crate) fn new_tag(rng: &mut impl RngCore) -> String {
    let mut out = [0u8; 16];
    write_hex(&mut out, rng.next_u64());
    String::from_utf8_lossy(&out).into_owned()
}

/// `s` as a [`ByteStr`] sharing the message's buffer when `s` lies in it (copied otherwise).
pub(crate) fn share(msg: &Message, s: &str) -> ByteStr {
    let head = msg.head();
    let base = head.as_ptr() as usize;
    let at = s.as_ptr() as usize;
    if let Some(off) = at.checked_sub(base) {
        if off + s.len() <= head.len() {
            if let Ok(b) = ByteStr::from_utf8(head.slice(off..off + s.len())) {
                return b;
            }
        }
    }
    ByteStr::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn parse(s: &str) -> Message {
        Message::parse(Bytes::copy_from_slice(s.as_bytes())).unwrap()
    }

    const REQ: &str = "INVITE sip:bob@b.example SIP/2.0\r\n\
        Via: SIP/2.0/UDP a.example:5060;branch=z9hG4bKabc\r\n\
        From: <sip:a@a.example>;tag=f1\r\nTo: <sip:bob@b.example>\r\n\
        Call-ID: c1\r\nCSeq: 7 INVITE\r\nContent-Length: 0\r\n\r\n";

    #[test]
    fn ack_maps_to_the_invite_key() {
        let inv = parse(REQ);
        let info = RequestInfo::parse(&inv).unwrap();
        let k1 = info.server_key(&inv, &Method::Invite).unwrap();
        let ack = parse(
            &REQ.replace("INVITE sip", "ACK sip")
                .replace("7 INVITE", "7 ACK"),
        );
        let info = RequestInfo::parse(&ack).unwrap();
        assert_eq!(info.method, Method::Ack);
        assert_eq!(info.server_key(&ack, &Method::Invite).unwrap(), k1);
        // sent-by takes part
        let other = parse(&REQ.replace("a.example:5060;", "a.example:5070;"));
        let info = RequestInfo::parse(&other).unwrap();
        assert_ne!(info.server_key(&other, &Method::Invite).unwrap(), k1);
    }

    #[test]
    fn legacy_key_without_cookie() {
        let m = parse(&REQ.replace("branch=z9hG4bKabc", "branch=old1"));
        let info = RequestInfo::parse(&m).unwrap();
        assert!(matches!(
            info.server_key(&m, &Method::Invite),
            Some(ServerMatchKey::Rfc2543(_))
        ));
        let m2 = parse(&REQ.replace(";branch=z9hG4bKabc", ""));
        let info2 = RequestInfo::parse(&m2).unwrap();
        let k2 = info2.server_key(&m2, &Method::Invite).unwrap();
        assert_ne!(info.server_key(&m, &Method::Invite).unwrap(), k2);
        assert!(info2.merge_key(&m2, m2.call_id()).is_some());
    }

    #[test]
    fn branches_are_random_and_cookied() {
        let mut rng = rand_chacha::ChaCha8Rng::from_seed([1; 32]);
        let a = new_branch(&mut rng);
        let b = new_branch(&mut rng);
        assert!(a.starts_with(MAGIC_COOKIE));
        assert_eq!(a.len(), 7 + 24);
        assert!(a[7..]
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(a, b);
        assert_eq!(format!("{a}"), a.as_str());
        assert_eq!(String::from(a), a.as_str());
        assert_eq!(new_tag(&mut rng).len(), 16);
    }

    #[test]
    fn cseq_fast_path_agrees_with_the_parser() {
        for v in [
            "7 INVITE",
            "0 ACK",
            "4294967295 BYE",
            "4294967296 BYE",
            "12345678901 BYE",
            "7  INVITE",
            "7 INVITE x",
            "7 invite",
            "7 FOO",
            " 7 OPTIONS",
            "7\tOPTIONS",
            "x OPTIONS",
            "7 ",
            "INVITE",
        ] {
            let m = parse(&REQ.replace("CSeq: 7 INVITE", &format!("CSeq: {v}")));
            let typed = m.typed::<CSeq>().and_then(Result::ok);
            assert_eq!(cseq_of(&m), typed, "{v:?}");
        }
    }

    #[test]
    fn share_copies_foreign_text() {
        let m = parse(REQ);
        assert_eq!(share(&m, "zzz").as_str(), "zzz");
        assert_eq!(share(&m, m.from_tag().unwrap()).as_str(), "f1");
    }
}
