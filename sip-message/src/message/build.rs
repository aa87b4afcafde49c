//! Request and response builders, and responses made from requests (§8.2.6).

use bytes::Bytes;

use super::modify::{
    check_field, check_uri, is_content_length, reindex, write_content_length, write_field,
};
use super::{parse, Entries, Message, Request, Response};
use crate::{Error, HeaderName, Limits, Method, Result, StatusCode, TypedHeader};

/// Builds a request in canonical form: `Method SP Request-URI SP SIP/2.0`, the fields in the
/// order given, a computed `Content-Length` last, the body.
///
/// Errors in the given parts are kept and reported by [`build`](Self::build).
///
/// ```
/// use bytes::Bytes;
/// use sip_message::{header::typed::CSeq, HeaderName, Method, RequestBuilder};
/// let req = RequestBuilder::new(&Method::Message, "sip:bob@biloxi.com")
///     .header(&HeaderName::To, "<sip:bob@biloxi.com>")
///     .typed(&CSeq::new(1, Method::Message))
///     .body(Bytes::from_static(b"hello"))
///     .build()
///     .unwrap();
/// assert_eq!(
///     &req.to_bytes()[..],
///     b"MESSAGE sip:bob@biloxi.com SIP/2.0\r\nTo: <sip:bob@biloxi.com>\r\nCSeq: 1 MESSAGE\r\n\
///       Content-Length: 5\r\n\r\nhello"
/// );
/// ```
#[derive(Debug, Clone)]
pub struct RequestBuilder {
    head: HeadBuilder,
}

/// Builds a response in canonical form; see [`RequestBuilder`] and [`Request::response`].
#[derive(Debug, Clone)]
pub struct ResponseBuilder {
    status: StatusCode,
    reason: Option<String>,
    head: HeadBuilder,
}

#[derive(Debug, Clone, Default)]
struct HeadBuilder {
    fields: Vec<u8>,
    body: Bytes,
    error: Option<Error>,
}

impl RequestBuilder {
    /// A request for `method` to `uri` (the Request-URI as text).
    pub fn new(method: &Method, uri: &str) -> Self {
        let mut head = HeadBuilder::default();
        if let Err(e) = check_uri(uri) {
            head.error = Some(e);
        }
        head.fields
            .extend_from_slice(format!("{method} {uri} SIP/2.0\r\n").as_bytes());
        Self { head }
    }

    /// Appends a header field. A Content-Length given here is ignored: the builder computes it.
    #[must_use]
    pub fn header(mut self, name: &HeaderName, value: &str) -> Self {
        self.head.field(name, value);
        self
    }

    /// Appends a typed header.
    #[must_use]
    pub fn typed<H: TypedHeader>(self, header: &H) -> Self {
        self.header(&H::NAME, &header.to_string())
    }

    /// Sets the body.
    #[must_use]
    pub fn body(mut self, body: Bytes) -> Self {
        self.head.body = body;
        self
    }

    /// The request.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a Request-URI or header field that cannot be written.
    pub fn build(self) -> Result<Request> {
        self.head.finish().map(Request)
    }
}

impl ResponseBuilder {
    /// A response with `status` and its default reason phrase.
    pub fn new(status: StatusCode) -> Self {
        Self {
            status,
            reason: None,
            head: HeadBuilder::default(),
        }
    }

    /// Sets the reason phrase.
    #[must_use]
    pub fn reason(mut self, reason: &str) -> Self {
        if reason
            .bytes()
            .any(|b| (b < 0x20 && b != b'\t') || b == 0x7f)
        {
            self.head.error.get_or_insert(Error::InvalidInput {
                what: "reason phrase",
                reason: "contains a control character",
            });
        }
        self.reason = Some(reason.to_owned());
        self
    }

    /// Appends a header field. A Content-Length given here is ignored.
    #[must_use]
    pub fn header(mut self, name: &HeaderName, value: &str) -> Self {
        self.head.field(name, value);
        self
    }

    /// Appends a typed header.
    #[must_use]
    pub fn typed<H: TypedHeader>(self, header: &H) -> Self {
        self.header(&H::NAME, &header.to_string())
    }

    /// Sets the body.
    #[must_use]
    pub fn body(mut self, body: Bytes) -> Self {
        self.head.body = body;
        self
    }

    /// The response.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a reason phrase or header field that cannot be written.
    pub fn build(self) -> Result<Response> {
        let reason = self
            .reason
            .as_deref()
            .unwrap_or_else(|| self.status.reason_phrase());
        let mut head = self.head;
        let mut fields = format!("SIP/2.0 {} {reason}\r\n", self.status).into_bytes();
        fields.append(&mut head.fields);
        head.fields = fields;
        head.finish().map(Response)
    }
}

impl HeadBuilder {
    fn field(&mut self, name: &HeaderName, value: &str) {
        if self.error.is_some() {
            return;
        }
        if let Err(e) = check_field(name, value) {
            self.error = Some(e);
            return;
        }
        if is_content_length(name.as_str().as_bytes()) {
            return;
        }
        write_field(&mut self.fields, name.as_str().as_bytes(), value.as_bytes());
    }

    fn finish(mut self) -> Result<Message> {
        if let Some(e) = self.error {
            return Err(e);
        }
        write_content_length(&mut self.fields, self.body.len());
        self.fields.extend_from_slice(b"\r\n");
        let head = Bytes::from(self.fields);
        let max = Limits::default().max_list_values;
        let mut entries = Entries::new();
        let index = reindex(&head, max, &mut entries)?;
        let mut msg = parse::assemble(head, &index, entries, 0, max);
        msg.body = self.body;
        Ok(msg)
    }
}

impl Request {
    /// Starts a response to this request as §8.2.6.2 says: the Via fields (all, in order),
    /// From, Call-ID and CSeq copied; To copied, with `;tag=to_tag` added when the request's
    /// To has no tag (required then, except for 100 Trying, which never gets one); for
    /// 100 Trying the Timestamp copied too (§8.2.6.1). Add further fields (Contact …) to the
    /// builder.
    ///
    /// # Errors
    /// [`Error::MissingHeader`] when the request lacks Via, From, To, Call-ID or CSeq;
    /// [`Error::InvalidInput`] when a tag is needed and `to_tag` is `None` or not a token.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use sip_message::{Message, Request, StatusCode};
    /// let req = Request::try_from(Message::parse(Bytes::from_static(
    ///     b"BYE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:c@d>;tag=1\r\n\
    ///       To: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n",
    /// )).unwrap()).unwrap();
    /// let resp = req.response(StatusCode::OK, Some("98")).unwrap().build().unwrap();
    /// assert_eq!(resp.to_tag(), Some("98"));
    /// assert_eq!(resp.reason(), "OK");
    /// ```
    pub fn response(&self, status: StatusCode, to_tag: Option<&str>) -> Result<ResponseBuilder> {
        let mut b = ResponseBuilder::new(status);
        let mut vias = 0;
        for f in self.headers() {
            if HeaderName::Via.matches(f.name().as_bytes()) {
                b = b.header(&HeaderName::Via, &lossless(f.value())?);
                vias += 1;
            }
        }
        if vias == 0 {
            return Err(Error::MissingHeader { name: "Via" });
        }
        let from = required(self, &HeaderName::From)?;
        let to = required(self, &HeaderName::To)?;
        let call_id = required(self, &HeaderName::CallId)?;
        let cseq = required(self, &HeaderName::CSeq)?;
        let to = if self.to_tag().is_some() || status == StatusCode::TRYING {
            to
        } else {
            let tag = to_tag.ok_or(Error::InvalidInput {
                what: "To tag",
                reason: "required in a response other than 100 when the request's To has none",
            })?;
            if !crate::grammar::is_token(tag.as_bytes()) {
                return Err(Error::InvalidInput {
                    what: "To tag",
                    reason: "not a token",
                });
            }
            format!("{to};tag={tag}")
        };
        b = b
            .header(&HeaderName::From, &from)
            .header(&HeaderName::To, &to)
            .header(&HeaderName::CallId, &call_id)
            .header(&HeaderName::CSeq, &cseq);
        if status == StatusCode::TRYING {
            if let Some(ts) = self.get(&HeaderName::Timestamp) {
                b = b.header(&HeaderName::Timestamp, &lossless(ts)?);
            }
        }
        Ok(b)
    }
}

fn required(req: &Message, name: &HeaderName) -> Result<String> {
    let v = req.get(name).ok_or(Error::MissingHeader {
        name: name.static_str().unwrap_or("header"),
    })?;
    lossless(v)
}

/// The value as text, folded line breaks replaced by one space.
fn lossless(v: &[u8]) -> Result<String> {
    let mut out = Vec::with_capacity(v.len() + 8);
    write_field(&mut out, b"", v);
    let unfolded = out
        .get(2..out.len().saturating_sub(2))
        .unwrap_or_default()
        .to_vec();
    String::from_utf8(unfolded).map_err(|_| Error::InvalidInput {
        what: "header value",
        reason: "not UTF-8",
    })
}
