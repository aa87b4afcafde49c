//! SIP messages: [`Message`] (and its typed views [`Request`] and [`Response`]), the
//! datagram parser, the stream framer, the serializer and the builders.
//!
//! A parsed message is its wire bytes plus an index: where the start line's parts, each
//! header field's name and value, and the body lie. Nothing is copied and nothing is resolved
//! while indexing; header names are matched and typed values parsed when asked for.

mod build;
pub(crate) mod framer;
pub(crate) mod key;
mod modify;
pub(crate) mod parse;
mod split;

use core::{fmt, ops::Range};

use bytes::{BufMut, Bytes};
use smallvec::SmallVec;

use crate::{HeaderName, Method, ParserConfig, Result, StatusCode, TypedHeader, Uri};

pub use build::{RequestBuilder, ResponseBuilder};
pub use framer::{Frame, StreamFramer, StreamItem};
pub use key::KeyParts;
pub use split::Values;

/// A SIP request or response (RFC 3261 §7).
///
/// Made by parsing ([`Message::parse`], [`ParserConfig::parse_datagram`], the stream
/// [`StreamFramer`]) or by a builder ([`RequestBuilder`], [`ResponseBuilder`],
/// [`Request::response`]). It owns its bytes as [`Bytes`] (shared with the input when parsed)
/// and an index of where each part lies.
///
/// - Start line: [`method`](Self::method), [`uri`](Self::uri), [`status`](Self::status),
///   [`reason`](Self::reason); [`Request`] and [`Response`] give them without `Option`.
/// - Headers, raw and in order: [`headers`](Self::headers) (one item per field),
///   [`get`](Self::get) / [`get_all`](Self::get_all) (one item per value: fields of list
///   headers are split at commas outside quoted strings and `<...>`).
/// - Typed headers, parsed on access: [`typed`](Self::typed), [`typed_all`](Self::typed_all).
/// - Transaction-key helpers that never allocate: [`from_tag`](Self::from_tag),
///   [`to_tag`](Self::to_tag).
/// - Body: [`body`](Self::body).
/// - Serializing: [`write_to`](Self::write_to), [`to_bytes`](Self::to_bytes). An untouched
///   parsed message writes back exactly the bytes it was parsed from (without what a
///   smaller Content-Length cut off a datagram).
/// - Changing: [`push_header`](Self::push_header), [`prepend_header`](Self::prepend_header),
///   [`replace_header`](Self::replace_header), [`remove_header`](Self::remove_header),
///   [`set_body`](Self::set_body) … Each keeps the other fields in order and makes the
///   message canonical with a correct Content-Length.
///
/// ```
/// use bytes::Bytes;
/// use sip_message::{header::typed::{CSeq, Via}, HeaderName, Message, Method};
///
/// let msg = Message::parse(Bytes::from_static(
///     b"INVITE sip:bob@biloxi.com SIP/2.0\r\n\
///       Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds, SIP/2.0/TCP p.b.com\r\n\
///       From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n\
///       To: Bob <sip:bob@biloxi.com>\r\n\
///       Call-ID: a84b4c76e66710\r\n\
///       CSeq: 314159 INVITE\r\n\
///       Content-Length: 0\r\n\r\n",
/// ))
/// .unwrap();
/// assert_eq!(msg.method(), Some(Method::Invite));
/// assert_eq!(msg.uri(), Some("sip:bob@biloxi.com"));
/// let via: Via = msg.typed().unwrap().unwrap();
/// assert_eq!(via.branch(), Some("z9hG4bK776asdhds"));
/// assert_eq!(msg.get_all(&HeaderName::Via).count(), 2);
/// assert_eq!(msg.typed::<CSeq>().unwrap().unwrap().seq, 314159);
/// assert_eq!(msg.from_tag(), Some("1928301774"));
/// assert_eq!(msg.to_tag(), None);
/// assert_eq!(msg.to_bytes().len(), msg.encoded_len());
/// ```
#[derive(Clone)]
pub struct Message {
    /// Start line and header section, including the empty line.
    head: Bytes,
    body: Bytes,
    start: Start,
    entries: Entries,
    max_list_values: u32,
}

/// A message known to be a request; dereferences to [`Message`].
#[derive(Clone, Debug)]
pub struct Request(Message);

/// A message known to be a response; dereferences to [`Message`].
#[derive(Clone, Debug)]
pub struct Response(Message);

/// One header field as it appears in the message.
#[derive(Clone, Copy)]
pub struct Field<'a> {
    name: &'a str,
    value: &'a [u8],
    max_list_values: u32,
}

/// Iterator over the header fields of a message, in order (see [`Message::headers`]).
#[derive(Clone)]
pub struct Fields<'a> {
    msg: &'a Message,
    entries: core::slice::Iter<'a, Entry>,
}

/// Iterator over typed values (see [`Message::typed_all`]).
pub struct TypedValues<'a, H> {
    msg: &'a Message,
    values: Values<'a>,
    limit_reported: bool,
    _h: core::marker::PhantomData<fn() -> H>,
}

/// A byte range of the head, as `u32` offsets (messages are far below 4 GiB: limits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) end: u32,
}

/// Where one header field lies: its name and its trimmed value, as 16-bit offsets into the
/// head, so that the inline index of a [`Message`] stays small (every move of a message
/// copies it). Fields must end within [`MAX_FIELDS_END`] bytes of the message start and
/// names be at most [`MAX_NAME_LEN`] bytes long; [`Entry::new`] refuses others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    name_start: u16,
    /// The name's length (low 13 bits) and its [`kind`] (high 3 bits).
    name_kind: u16,
    value_start: u16,
    value_end: u16,
}

/// How far into the head header fields may reach: offsets in [`Entry`] are 16-bit.
pub(crate) const MAX_FIELDS_END: usize = u16::MAX as usize;

/// The longest header name an [`Entry`] holds (13 bits; longer than any default line limit).
pub(crate) const MAX_NAME_LEN: usize = (1 << 13) - 1;

/// Kinds of the header names that transaction and dialog code looks up on every message,
/// recorded per field while indexing so that [`Message::get`] compares one byte per field.
pub(crate) mod kind {
    use crate::HeaderName;

    /// Any other name.
    pub(crate) const OTHER: u8 = 0;
    pub(crate) const VIA: u8 = 1;
    pub(crate) const FROM: u8 = 2;
    pub(crate) const TO: u8 = 3;
    pub(crate) const CALL_ID: u8 = 4;
    pub(crate) const CSEQ: u8 = 5;
    pub(crate) const CONTENT_LENGTH: u8 = 6;

    /// The kind of a name as written (long form in any case, or compact form): exactly
    /// the names [`HeaderName::matches`] takes for the header of that kind. `name` is a
    /// `token` (what the parser and the builders index): for token characters, setting bit
    /// 0x20 lowers the case of letters and changes no other character into a letter or
    /// `-`, so a whole name compares as one or two words.
    #[inline]
    pub(crate) fn of(name: &[u8]) -> u8 {
        const fn word(s: &[u8; 8]) -> u64 {
            u64::from_le_bytes(*s)
        }
        let lower = |bytes: [u8; 8], len: usize| {
            u64::from_le_bytes(bytes) | (0x2020_2020_2020_2020 >> (8 * (8 - len)))
        };
        match *name {
            [c] => match c | 0x20 {
                b'v' => VIA,
                b'f' => FROM,
                b't' => TO,
                b'i' => CALL_ID,
                b'l' => CONTENT_LENGTH,
                _ => OTHER,
            },
            [a, b] if lower([a, b, 0, 0, 0, 0, 0, 0], 2) == word(b"to\0\0\0\0\0\0") => TO,
            [a, b, c] if lower([a, b, c, 0, 0, 0, 0, 0], 3) == word(b"via\0\0\0\0\0") => VIA,
            [a, b, c, d] => match lower([a, b, c, d, 0, 0, 0, 0], 4) {
                w if w == word(b"cseq\0\0\0\0") => CSEQ,
                w if w == word(b"from\0\0\0\0") => FROM,
                _ => OTHER,
            },
            [a, b, c, d, e, f, g] if lower([a, b, c, d, e, f, g, 0], 7) == word(b"call-id\0") => {
                CALL_ID
            }
            [a, b, c, d, e, f, g, h, i, j, k, l, m, n]
                if lower([a, b, c, d, e, f, g, h], 8) == word(b"content-")
                    && lower([i, j, k, l, m, n, 0, 0], 6) == word(b"length\0\0") =>
            {
                CONTENT_LENGTH
            }
            _ => OTHER,
        }
    }

    /// The kind of `name`, [`OTHER`] for the names without one.
    #[inline]
    pub(crate) fn of_name(name: &HeaderName) -> u8 {
        match name {
            HeaderName::Via => VIA,
            HeaderName::From => FROM,
            HeaderName::To => TO,
            HeaderName::CallId => CALL_ID,
            HeaderName::CSeq => CSEQ,
            HeaderName::ContentLength => CONTENT_LENGTH,
            _ => OTHER,
        }
    }
}

/// The header index; typical messages fit inline.
pub(crate) type Entries = SmallVec<[Entry; 32]>;

/// `c` as a little-endian word when it is eight bytes long (the scans that read eight bytes
/// at a time).
#[inline(always)]
fn le_word(c: &[u8]) -> Option<u64> {
    Some(u64::from_le_bytes(<[u8; 8]>::try_from(c).ok()?))
}

/// The start line's parts.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Start {
    Request { method: Span, uri: Span },
    Response { code: StatusCode, reason: Span },
}

impl Message {
    /// Parses one datagram with the default (strict) [`ParserConfig`]. See
    /// [`ParserConfig::parse_datagram`].
    ///
    /// The message shares `bytes`. When `bytes` was made from a `Vec` (`Bytes::from(vec)`),
    /// its first slice converts it to a shared buffer, which allocates once; buffers that are
    /// already shared (from `BytesMut::freeze`, `Bytes::from_static`, or cloned before) do not.
    ///
    /// # Errors
    /// Syntax, limit and Content-Length errors, with the byte offset.
    #[inline]
    pub fn parse(bytes: Bytes) -> Result<Self> {
        ParserConfig::default().parse_datagram(bytes)
    }

    /// Whether this is a request.
    pub fn is_request(&self) -> bool {
        matches!(self.start, Start::Request { .. })
    }

    /// Whether this is a response.
    pub fn is_response(&self) -> bool {
        matches!(self.start, Start::Response { .. })
    }

    /// The method of a request (`None` for a response). Registered methods do not allocate;
    /// an extension method shares the message's bytes.
    pub fn method(&self) -> Option<Method> {
        let Start::Request { method, .. } = self.start else {
            return None;
        };
        // A registered method is recognised from the bytes (no text check needed: every
        // registered spelling is ASCII).
        let raw = self.head.get(method.range()).unwrap_or_default();
        Some(Method::known(raw).unwrap_or_else(|| {
            Method::Extension(crate::ByteStr::from_utf8(self.share(raw)).unwrap_or_default())
        }))
    }

    /// The method of a request as written.
    pub fn method_str(&self) -> Option<&str> {
        match self.start {
            Start::Request { method, .. } => Some(self.text(method)),
            Start::Response { .. } => None,
        }
    }

    /// The Request-URI of a request, as written.
    pub fn uri(&self) -> Option<&str> {
        match self.start {
            Start::Request { uri, .. } => Some(self.text(uri)),
            Start::Response { .. } => None,
        }
    }

    /// The Request-URI of a request, parsed (sharing the message's buffer): `None` for a
    /// response.
    ///
    /// # Errors
    /// [`Error::Uri`](crate::Error::Uri) when the Request-URI does not follow its scheme's
    /// grammar (RFC 3261 §19.1, RFC 3966).
    pub fn request_uri(&self) -> Option<Result<Uri>> {
        match self.start {
            Start::Request { uri, .. } => {
                let bytes = self.head.slice(uri.range());
                Some(Uri::parse(&bytes).map_err(|e| e.offset_by(uri.start as usize)))
            }
            Start::Response { .. } => None,
        }
    }

    /// The status code of a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self.start {
            Start::Response { code, .. } => Some(code),
            Start::Request { .. } => None,
        }
    }

    /// The reason phrase of a response, as written (may be empty).
    pub fn reason(&self) -> Option<&str> {
        match self.start {
            Start::Response { reason, .. } => Some(self.text(reason)),
            Start::Request { .. } => None,
        }
    }

    /// The SIP version; the parser accepts only `SIP/2.0`.
    pub fn version(&self) -> &'static str {
        "SIP/2.0"
    }

    /// The header fields in order, one item per field (a field holding a comma-separated
    /// list is one item; [`Field::values`] splits it).
    pub fn headers(&self) -> Fields<'_> {
        Fields {
            msg: self,
            entries: self.entries.iter(),
        }
    }

    /// Number of header fields.
    pub fn header_count(&self) -> usize {
        self.entries.len()
    }

    /// Whether a field called `name` (long or compact form, any case) is present.
    pub fn contains(&self, name: &HeaderName) -> bool {
        self.fields_named(name).next().is_some()
    }

    /// The first value of header `name`: for a list header (see [`HeaderName::is_list`]) the
    /// first comma-separated element of the first field, otherwise the first field's value.
    /// Leading and trailing whitespace is trimmed; inner folding is kept as written.
    #[inline]
    pub fn get(&self, name: &HeaderName) -> Option<&[u8]> {
        let m = split::NameMatcher::new(name);
        let e = self
            .entries
            .iter()
            .find(|e| m.matches_entry(e, &self.head))?;
        let value = self.head.get(e.value()).unwrap_or_default();
        if !name.is_list() {
            return Some(value);
        }
        if value.is_empty() {
            // An empty field of a list header has no values: look further.
            return self.get_all(name).next();
        }
        Some(match split::top_level_comma(value) {
            Some(i) => split::trim_lws(value.get(..i).unwrap_or_default()),
            None => value,
        })
    }

    /// The value of the first field called `name`, whole: unlike [`Message::get`], a field
    /// of a list header is not split at its commas (nor skipped when empty).
    pub fn first_field(&self, name: &HeaderName) -> Option<&[u8]> {
        let m = split::NameMatcher::new(name);
        let e = self
            .entries
            .iter()
            .find(|e| m.matches_entry(e, &self.head))?;
        self.head.get(e.value())
    }

    /// [`Message::get`] as shared bytes.
    pub fn get_bytes(&self, name: &HeaderName) -> Option<Bytes> {
        self.get(name).map(|v| self.share(v))
    }

    /// Every value of header `name` in order: each field, split into its elements for a list
    /// header. Stops after [`Limits::max_list_values`](crate::Limits::max_list_values)
    /// elements of one field.
    pub fn get_all<'a>(&'a self, name: &HeaderName) -> Values<'a> {
        Values::new(self, name.clone())
    }

    /// Parses the first value of header `H` (see [`Message::get`]); `None` when absent.
    pub fn typed<H: TypedHeader>(&self) -> Option<Result<H>> {
        let v = self.get(&H::NAME)?;
        Some(H::parse(&self.share(v)))
    }

    /// Parses every value of header `H`, in order (see [`Message::get_all`]). When a field
    /// has more elements than the list limit allows, the last item is
    /// [`Error::Limit`](crate::Error::Limit).
    pub fn typed_all<H: TypedHeader>(&self) -> TypedValues<'_, H> {
        TypedValues {
            msg: self,
            values: Values::new(self, H::NAME),
            limit_reported: false,
            _h: core::marker::PhantomData,
        }
    }

    /// The `tag` parameter of the From header, found by a scan of the raw value that never
    /// allocates (for transaction and dialog keys). `None` when From or the tag is absent.
    ///
    /// Equivalent to the tag of the typed `From` header for well-formed values.
    pub fn from_tag(&self) -> Option<&str> {
        split::tag_param(self.get(&HeaderName::From)?)
    }

    /// The `tag` parameter of the To header; see [`Message::from_tag`].
    pub fn to_tag(&self) -> Option<&str> {
        split::tag_param(self.get(&HeaderName::To)?)
    }

    /// The body (empty when there is none). Shares the message's buffer.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Length of the serialized message, in bytes.
    pub fn encoded_len(&self) -> usize {
        self.head.len() + self.body.len()
    }

    /// Writes the message: an untouched parsed message byte for byte as it was received, a
    /// built or changed one in canonical form.
    pub fn write_to(&self, out: &mut impl BufMut) {
        out.put_slice(&self.head);
        out.put_slice(&self.body);
    }

    /// The serialized message. Without a body this shares the message's buffer; otherwise
    /// head and body are copied into one new buffer.
    pub fn to_bytes(&self) -> Bytes {
        if self.body.is_empty() {
            return self.head.clone();
        }
        let mut out = Vec::with_capacity(self.encoded_len());
        self.write_to(&mut out);
        Bytes::from(out)
    }

    /// The start line and header section as they will be written (ends with the empty line).
    pub fn head(&self) -> &Bytes {
        &self.head
    }

    /// The fields called `name`.
    fn fields_named<'a>(&'a self, name: &HeaderName) -> impl Iterator<Item = &'a Entry> + 'a {
        let m = split::NameMatcher::new(name);
        self.entries
            .iter()
            .filter(move |e| m.matches_entry(e, &self.head))
    }

    /// The text of `span` of the head (start-line parts, which the parser checked are UTF-8).
    fn text(&self, span: Span) -> &str {
        crate::ascii::to_str(self.head.get(span.range()).unwrap_or_default()).unwrap_or_default()
    }

    /// Shared bytes for `v`, a slice of this message's head (copied if it is not).
    fn share(&self, v: &[u8]) -> Bytes {
        let base = self.head.as_ptr() as usize;
        match (v.as_ptr() as usize).checked_sub(base) {
            Some(off) if off + v.len() <= self.head.len() => self.head.slice(off..off + v.len()),
            _ => Bytes::copy_from_slice(v),
        }
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Message");
        match self.start {
            Start::Request { .. } => d
                .field("method", &self.method_str().unwrap_or_default())
                .field("uri", &self.uri().unwrap_or_default()),
            Start::Response { code, .. } => d
                .field("status", &code.as_u16())
                .field("reason", &self.reason().unwrap_or_default()),
        };
        d.field("headers", &self.headers().collect::<Vec<_>>())
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl PartialEq for Message {
    /// Messages are equal when they serialize to the same bytes.
    fn eq(&self, other: &Self) -> bool {
        self.head == other.head && self.body == other.body
    }
}

impl Eq for Message {}

impl Request {
    /// The method.
    pub fn method(&self) -> Method {
        self.0.method().unwrap_or(Method::Options)
    }

    /// The Request-URI as written.
    pub fn uri(&self) -> &str {
        self.0.uri().unwrap_or_default()
    }

    /// The message.
    pub fn into_message(self) -> Message {
        self.0
    }
}

impl Response {
    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.0.status().unwrap_or(StatusCode::OK)
    }

    /// The reason phrase as written.
    pub fn reason(&self) -> &str {
        self.0.reason().unwrap_or_default()
    }

    /// The message.
    pub fn into_message(self) -> Message {
        self.0
    }
}

impl TryFrom<Message> for Request {
    type Error = Message;
    /// The request, or the message back when it is a response.
    #[inline]
    fn try_from(m: Message) -> core::result::Result<Self, Message> {
        if m.is_request() {
            Ok(Self(m))
        } else {
            Err(m)
        }
    }
}

impl TryFrom<Message> for Response {
    type Error = Message;
    /// The response, or the message back when it is a request.
    #[inline]
    fn try_from(m: Message) -> core::result::Result<Self, Message> {
        if m.is_response() {
            Ok(Self(m))
        } else {
            Err(m)
        }
    }
}

impl From<Request> for Message {
    fn from(r: Request) -> Self {
        r.0
    }
}

impl From<Response> for Message {
    fn from(r: Response) -> Self {
        r.0
    }
}

impl core::ops::Deref for Request {
    type Target = Message;
    fn deref(&self) -> &Message {
        &self.0
    }
}

impl core::ops::DerefMut for Request {
    fn deref_mut(&mut self) -> &mut Message {
        &mut self.0
    }
}

impl core::ops::Deref for Response {
    type Target = Message;
    fn deref(&self) -> &Message {
        &self.0
    }
}

impl core::ops::DerefMut for Response {
    fn deref_mut(&mut self) -> &mut Message {
        &mut self.0
    }
}

impl<'a> Field<'a> {
    /// The name as written (long or compact form, original case).
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The header's name: the registered one (compact forms resolved) or an extension name.
    /// Allocates only for an extension name.
    pub fn header_name(&self) -> HeaderName {
        HeaderName::from_bytes(self.name.as_bytes())
    }

    /// The canonical long name for a registered header, the name as written otherwise.
    /// Never allocates.
    pub fn canonical_name(&self) -> &'a str {
        HeaderName::known(self.name.as_bytes())
            .and_then(|n| n.static_str())
            .unwrap_or(self.name)
    }

    /// The value, trimmed of surrounding whitespace; inner folding as written.
    pub fn value(&self) -> &'a [u8] {
        self.value
    }

    /// The value as text, when it is UTF-8.
    pub fn value_str(&self) -> Option<&'a str> {
        crate::ascii::to_str(self.value)
    }

    /// The values of the field: the elements of a list header's comma-separated list,
    /// or the whole value for other headers.
    pub fn values(&self) -> Values<'a> {
        let list = HeaderName::known(self.name.as_bytes()).is_some_and(|n| n.is_list());
        Values::single(self.value, list, self.max_list_values)
    }
}

impl fmt::Debug for Field<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, String::from_utf8_lossy(self.value))
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = Field<'a>;
    fn next(&mut self) -> Option<Field<'a>> {
        let e = self.entries.next()?;
        Some(self.msg.field(e))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

impl ExactSizeIterator for Fields<'_> {}

impl DoubleEndedIterator for Fields<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let e = self.entries.next_back()?;
        Some(self.msg.field(e))
    }
}

impl<H: TypedHeader> Iterator for TypedValues<'_, H> {
    type Item = Result<H>;
    fn next(&mut self) -> Option<Result<H>> {
        match self.values.next() {
            Some(v) => Some(H::parse(&self.msg.share(v))),
            None if self.values.exceeded() && !self.limit_reported => {
                self.limit_reported = true;
                Some(Err(crate::Error::Limit {
                    limit: crate::Limit::ListValues,
                    offset: 0,
                }))
            }
            None => None,
        }
    }
}

impl Message {
    fn field<'a>(&'a self, e: &Entry) -> Field<'a> {
        Field {
            name: crate::ascii::to_str(e.name(&self.head)).unwrap_or_default(),
            value: self.head.get(e.value()).unwrap_or_default(),
            max_list_values: self.max_list_values,
        }
    }
}

impl Span {
    pub(crate) fn new(start: usize, end: usize) -> Self {
        Self {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    pub(crate) fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl Entry {
    /// The entry for a field whose name is `buf[name_start..][..name_len]` and whose trimmed
    /// value is `buf[value_start..value_end]`; `None` when the value ends beyond
    /// [`MAX_FIELDS_END`] or the name is longer than [`MAX_NAME_LEN`].
    #[inline]
    pub(crate) fn new(
        name_start: usize,
        name_len: usize,
        kind: u8,
        value_start: usize,
        value_end: usize,
    ) -> Option<Self> {
        if value_end > MAX_FIELDS_END || name_len > MAX_NAME_LEN || kind > 7 {
            return None;
        }
        // Fields are in order: the name and the value's start lie before the value's end.
        Some(Self {
            name_start: u16::try_from(name_start).ok()?,
            name_kind: (name_len as u16) | (u16::from(kind) << 13),
            value_start: u16::try_from(value_start).ok()?,
            value_end: value_end as u16,
        })
    }

    pub(crate) fn name<'a>(&self, buf: &'a [u8]) -> &'a [u8] {
        let s = usize::from(self.name_start);
        buf.get(s..s + self.name_len()).unwrap_or_default()
    }

    /// The length of the name.
    #[inline]
    pub(crate) fn name_len(&self) -> usize {
        usize::from(self.name_kind & MAX_NAME_LEN as u16)
    }

    /// The [`kind`] of the name.
    #[inline]
    pub(crate) fn kind(&self) -> u8 {
        (self.name_kind >> 13) as u8
    }

    /// Where the trimmed value lies in the head.
    #[inline]
    pub(crate) fn value(&self) -> Range<usize> {
        usize::from(self.value_start)..usize::from(self.value_end)
    }

    /// The entry with the value trimmed to `value` (a part of the old value).
    pub(crate) fn with_value(self, value: Range<usize>) -> Self {
        Self {
            value_start: u16::try_from(value.start).unwrap_or(self.value_start),
            value_end: u16::try_from(value.end).unwrap_or(self.value_end),
            ..self
        }
    }

    /// The entry with every offset at or after `from` moved from `from` to `to` (a start
    /// line of another length written before the fields); `None` when one no longer fits.
    pub(crate) fn shifted(self, from: usize, to: usize) -> Option<Self> {
        let move_by = |x: u16| {
            let x = usize::from(x);
            if x >= from {
                x - from + to
            } else {
                x
            }
        };
        Self::new(
            move_by(self.name_start),
            self.name_len(),
            self.kind(),
            move_by(self.value_start),
            move_by(self.value_end),
        )
    }

    #[inline]
    pub(crate) fn is_content_length(&self) -> bool {
        self.kind() == kind::CONTENT_LENGTH
    }
}

#[cfg(test)]
mod tests {
    use super::{kind, Entry, Message, MAX_FIELDS_END, MAX_NAME_LEN};
    use crate::HeaderName;

    /// Every move of a message copies it: the inline index of 32 eight-byte entries keeps
    /// it under 400 bytes.
    #[test]
    fn a_message_stays_small() {
        assert_eq!(size_of::<Entry>(), 8);
        assert!(size_of::<Message>() <= 400);
    }

    #[test]
    fn entries_hold_exactly_what_fits() {
        let e = Entry::new(10, 7, kind::CALL_ID, 19, 30).unwrap();
        assert_eq!(
            (e.name_len(), e.kind(), e.value()),
            (7, kind::CALL_ID, 19..30)
        );
        assert_eq!(e.name(b"0123456789Call-ID: abc"), b"Call-ID");
        let top = Entry::new(
            MAX_FIELDS_END - 20,
            MAX_NAME_LEN,
            7,
            MAX_FIELDS_END - 5,
            MAX_FIELDS_END,
        )
        .unwrap();
        assert_eq!((top.name_len(), top.kind()), (MAX_NAME_LEN, 7));
        assert_eq!(top.value(), MAX_FIELDS_END - 5..MAX_FIELDS_END);
        assert!(Entry::new(0, 4, 0, 6, MAX_FIELDS_END + 1).is_none());
        assert!(Entry::new(0, MAX_NAME_LEN + 1, 0, 9000, 9001).is_none());
        assert!(Entry::new(0, 4, 8, 6, 7).is_none());
        // Moved by a longer start line, and refused when that pushes it past the bound.
        let moved = e.shifted(5, 105).unwrap();
        assert_eq!(
            (moved.name(&[b'x'; 200]).len(), moved.value()),
            (7, 119..130)
        );
        assert_eq!(moved.kind(), kind::CALL_ID);
        assert!(e.shifted(5, MAX_FIELDS_END).is_none());
    }

    #[test]
    fn kinds_are_exactly_the_names_that_match() {
        let names = [
            HeaderName::Via,
            HeaderName::From,
            HeaderName::To,
            HeaderName::CallId,
            HeaderName::CSeq,
            HeaderName::ContentLength,
            HeaderName::Contact,
            HeaderName::Subject,
            HeaderName::from_bytes(b"X-Via"),
        ];
        let written = [
            "Via",
            "VIA",
            "via",
            "v",
            "V",
            "From",
            "fROM",
            "f",
            "F",
            "To",
            "TO",
            "t",
            "T",
            "Call-ID",
            "call-id",
            "CALL-ID",
            "i",
            "I",
            "CSeq",
            "cseq",
            "CSEQ",
            "Content-Length",
            "content-length",
            "l",
            "L",
            "Contact",
            "m",
            "s",
            "Subject",
            "X-Via",
            "x",
            "Vias",
            "Tos",
            "c",
            "e",
            "k",
            "Call-IDs",
            "Content-Lengths",
            "",
            "CSe",
            "Fro",
            "Call_ID",
            "cALL-iD",
            "Content_Length",
            "content-lengtH",
            "T~",
            "Vi_",
            "1",
            "_",
        ];
        for raw in written {
            let k = kind::of(raw.as_bytes());
            for name in &names {
                let nk = kind::of_name(name);
                if nk != kind::OTHER {
                    assert_eq!(k == nk, name.matches(raw.as_bytes()), "{raw} vs {name:?}");
                }
            }
            if k == kind::OTHER {
                assert!(
                    names
                        .iter()
                        .all(|n| kind::of_name(n) == kind::OTHER || !n.matches(raw.as_bytes())),
                    "{raw}"
                );
            }
        }
    }
}

#[cfg(test)]
mod call_id_tests {
    use crate::{CallId, HeaderName, Message};
    use bytes::Bytes;

    #[test]
    fn call_id_and_first_field_agree_with_the_typed_and_raw_views() {
        for v in [
            "a84b4c76e66710",
            "x@y",
            "  spaced@host  ",
            "bad value",
            "@",
            "a@",
            "f81d4fae-7dec-11d0-a765-00a0c91e6bf6@192.0.2.4",
        ] {
            let text = format!(
                "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1, SIP/2.0/UDP g\r\n\
                 Call-ID: {v}\r\nCSeq: 1 OPTIONS\r\n\r\n"
            );
            let m = Message::parse(Bytes::from(text)).unwrap();
            let typed = m.typed::<CallId>().and_then(Result::ok);
            assert_eq!(m.call_id(), typed.as_ref().map(|c| c.as_str()), "{v}");
            assert_eq!(
                m.first_field(&HeaderName::Via),
                Some(&b"SIP/2.0/UDP h;branch=z9hG4bK1, SIP/2.0/UDP g"[..])
            );
        }
    }
}
