//! Checks a UAS (RFC 3261 §8.2.1–§8.2.3) or a proxy (§16.3) makes on a request before
//! acting on it. Each failure is a [`Rejection`] naming the status code to answer and the
//! header fields that answer needs (`Unsupported` for 420, `Allow` for 405).
//!
//! Parse errors map to a status code too: [`status_for_error`].
//!
//! ```
//! use bytes::Bytes;
//! use sip_message::{validate::{check_request, Policy}, Message, StatusCode};
//! let msg = Message::parse(Bytes::from_static(
//!     b"INVITE mailto:bob@biloxi.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n\
//!       From: <sip:a@b>;tag=1\r\nTo: <sip:bob@biloxi.com>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n\
//!       Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
//! )).unwrap();
//! let rejection = check_request(&msg, &Policy::default()).unwrap_err();
//! assert_eq!(rejection.status, StatusCode::UNSUPPORTED_URI_SCHEME);
//! ```

use crate::{
    CSeq, CallId, ContentLength, Error, From, HeaderName, Limit, MaxForwards, Message, Method,
    Request, ResponseBuilder, Result, StatusCode, To, Via,
};

/// Why a request is refused, and how to answer it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The status code to answer with.
    pub status: StatusCode,
    /// What is wrong, for logs or a Warning header (not a reason phrase).
    pub detail: &'static str,
    /// The header field at fault, when there is one.
    pub header: Option<HeaderName>,
    /// Header fields the answer must carry: `Unsupported` for 420 (§8.2.2.3), `Allow` for
    /// 405 (§8.2.1), `Accept` for 415 (§8.2.3).
    pub answer_headers: Vec<(HeaderName, String)>,
}

/// What this element supports; the checks refuse what is not listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Request-URI schemes (lower case). Default `sip`, `sips`, `tel`.
    pub schemes: Vec<String>,
    /// Methods a UAS accepts (§8.2.1); `None` accepts every method.
    pub methods: Option<Vec<Method>>,
    /// Option tags this element supports (Require / Proxy-Require, §8.2.2.3, §16.3).
    pub extensions: Vec<String>,
    /// Body media types a UAS accepts (§8.2.3), lower case `type/subtype`; `None` accepts any.
    pub content_types: Option<Vec<String>>,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            schemes: vec!["sip".into(), "sips".into(), "tel".into()],
            methods: None,
            extensions: Vec::new(),
            content_types: None,
        }
    }
}

impl Rejection {
    fn new(status: StatusCode, detail: &'static str, header: Option<HeaderName>) -> Self {
        Self {
            status,
            detail,
            header,
            answer_headers: Vec::new(),
        }
    }

    fn bad(detail: &'static str, header: HeaderName) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail, Some(header))
    }

    /// The response to `request` that reports this rejection: §8.2.6 copies plus
    /// [`Rejection::answer_headers`]. `to_tag` as in [`Request::response`].
    ///
    /// # Errors
    /// As [`Request::response`] (a request too broken to copy the mandatory fields from
    /// cannot be answered; drop it).
    pub fn response(&self, request: &Request, to_tag: Option<&str>) -> Result<ResponseBuilder> {
        let mut b = request.response(self.status, to_tag)?;
        for (name, value) in &self.answer_headers {
            b = b.header(name, value);
        }
        Ok(b)
    }
}

/// The status code that answers a message the parser refused (when it is a request and
/// enough of it is readable to answer): 513 for a message over the size limits, 414 for an
/// over-long request line, 505 for another SIP version, 400 otherwise.
pub fn status_for_error(error: &Error) -> StatusCode {
    match error {
        Error::Limit {
            limit: Limit::StartLineLength,
            ..
        } => StatusCode::REQUEST_URI_TOO_LONG,
        Error::Limit { .. } => StatusCode::MESSAGE_TOO_LARGE,
        Error::Version { .. } => StatusCode::VERSION_NOT_SUPPORTED,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// The checks of a UAS (§8.2.1–§8.2.3), in the RFC's order: syntax and mandatory fields
/// (400), method (405), Request-URI scheme (416), Require (420), body type (415).
///
/// # Errors
/// The first failed check.
pub fn check_request(msg: &Message, policy: &Policy) -> core::result::Result<(), Rejection> {
    let method = check_syntax(msg)?;
    if let Some(methods) = &policy.methods {
        if !methods.contains(&method) {
            let mut r = Rejection::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed", None);
            let allow: Vec<&str> = methods.iter().map(Method::as_str).collect();
            r.answer_headers.push((HeaderName::Allow, allow.join(", ")));
            return Err(r);
        }
    }
    check_scheme(msg, policy)?;
    // §8.2.2.3: Require is ignored in CANCEL and ACK.
    if !matches!(method, Method::Ack | Method::Cancel) {
        check_required(msg, policy, &HeaderName::Require)?;
    }
    if let Some(types) = &policy.content_types {
        if !msg.body().is_empty() {
            let ct = msg
                .get(&HeaderName::ContentType)
                .map(media_type)
                .unwrap_or_default();
            if !types.iter().any(|t| t.eq_ignore_ascii_case(&ct)) {
                let mut r = Rejection::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported body type",
                    Some(HeaderName::ContentType),
                );
                r.answer_headers
                    .push((HeaderName::Accept, types.join(", ")));
                return Err(r);
            }
        }
    }
    Ok(())
}

/// The checks of a proxy (§16.3): reasonable syntax (400), Request-URI scheme (416),
/// Max-Forwards (483), Proxy-Require (420). Loop detection and Proxy-Authorization depend on
/// the proxy's state and policy and are left to it.
///
/// For an OPTIONS request with Max-Forwards 0 the proxy may instead answer it itself (§11).
///
/// # Errors
/// The first failed check.
pub fn check_proxy_request(msg: &Message, policy: &Policy) -> core::result::Result<(), Rejection> {
    check_syntax(msg)?;
    check_scheme(msg, policy)?;
    if let Some(Ok(MaxForwards(0))) = msg.typed::<MaxForwards>() {
        return Err(Rejection::new(
            StatusCode::TOO_MANY_HOPS,
            "Max-Forwards is 0",
            Some(HeaderName::MaxForwards),
        ));
    }
    check_required(msg, policy, &HeaderName::ProxyRequire)
}

/// Mandatory fields present once and parsable, CSeq method equal to the request method,
/// Max-Forwards numeric, Content-Length equal to the body length (§8.1.1, §8.2, §20).
fn check_syntax(msg: &Message) -> core::result::Result<Method, Rejection> {
    let Some(method) = msg.method() else {
        return Err(Rejection::new(
            StatusCode::BAD_REQUEST,
            "not a request",
            None,
        ));
    };
    match msg.typed::<Via>() {
        None => return Err(Rejection::bad("missing Via", HeaderName::Via)),
        Some(Err(_)) => return Err(Rejection::bad("malformed Via", HeaderName::Via)),
        Some(Ok(_)) => {}
    }
    if single(msg, &HeaderName::From)?.is_none() {
        return Err(Rejection::bad("missing From", HeaderName::From));
    }
    if !matches!(msg.typed::<From>(), Some(Ok(_))) {
        return Err(Rejection::bad("malformed From", HeaderName::From));
    }
    if single(msg, &HeaderName::To)?.is_none() {
        return Err(Rejection::bad("missing To", HeaderName::To));
    }
    if !matches!(msg.typed::<To>(), Some(Ok(_))) {
        return Err(Rejection::bad("malformed To", HeaderName::To));
    }
    if single(msg, &HeaderName::CallId)?.is_none() {
        return Err(Rejection::bad("missing Call-ID", HeaderName::CallId));
    }
    if !matches!(msg.typed::<CallId>(), Some(Ok(_))) {
        return Err(Rejection::bad("malformed Call-ID", HeaderName::CallId));
    }
    if single(msg, &HeaderName::CSeq)?.is_none() {
        return Err(Rejection::bad("missing CSeq", HeaderName::CSeq));
    }
    let Some(Ok(cseq)) = msg.typed::<CSeq>() else {
        return Err(Rejection::bad("malformed CSeq", HeaderName::CSeq));
    };
    if cseq.method != method {
        return Err(Rejection::bad(
            "CSeq method differs from the request method",
            HeaderName::CSeq,
        ));
    }
    if let Some(Err(_)) = msg.typed::<MaxForwards>() {
        return Err(Rejection::bad(
            "Max-Forwards not numeric",
            HeaderName::MaxForwards,
        ));
    }
    match msg.typed::<ContentLength>() {
        Some(Ok(ContentLength(n))) if n as usize != msg.body().len() => Err(Rejection::bad(
            "Content-Length differs from the body length",
            HeaderName::ContentLength,
        )),
        Some(Err(_)) => Err(Rejection::bad(
            "malformed Content-Length",
            HeaderName::ContentLength,
        )),
        _ => Ok(method),
    }
}

/// The one field called `name`; 400 when it appears several times.
fn single<'a>(
    msg: &'a Message,
    name: &HeaderName,
) -> core::result::Result<Option<&'a [u8]>, Rejection> {
    let mut it = msg.headers().filter(|f| name.matches(f.name().as_bytes()));
    let first = it.next();
    if it.next().is_some() {
        return Err(Rejection::bad("header repeated", name.clone()));
    }
    Ok(first.map(|f| f.value()))
}

fn check_scheme(msg: &Message, policy: &Policy) -> core::result::Result<(), Rejection> {
    let uri = msg.uri().unwrap_or_default();
    let scheme = uri.split_once(':').map(|(s, _)| s).unwrap_or_default();
    // §8.2.2.1 / §16.3: a URI of a supported scheme must also follow that scheme's grammar.
    let supported = ["sip", "sips", "tel"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(scheme));
    if supported && !matches!(msg.request_uri(), Some(Ok(_))) {
        return Err(Rejection::new(
            StatusCode::BAD_REQUEST,
            "malformed Request-URI",
            None,
        ));
    }
    if policy
        .schemes
        .iter()
        .any(|s| s.eq_ignore_ascii_case(scheme))
    {
        Ok(())
    } else {
        Err(Rejection::new(
            StatusCode::UNSUPPORTED_URI_SCHEME,
            "unsupported Request-URI scheme",
            None,
        ))
    }
}

/// Require or Proxy-Require: every option tag must be supported, else 420 listing the others.
fn check_required(
    msg: &Message,
    policy: &Policy,
    name: &HeaderName,
) -> core::result::Result<(), Rejection> {
    let unsupported: Vec<String> = msg
        .get_all(name)
        .filter(|tag| !tag.is_empty())
        .map(|tag| String::from_utf8_lossy(tag).into_owned())
        .filter(|tag| {
            !policy
                .extensions
                .iter()
                .any(|e| e.eq_ignore_ascii_case(tag))
        })
        .collect();
    if unsupported.is_empty() {
        return Ok(());
    }
    let mut r = Rejection::new(
        StatusCode::BAD_EXTENSION,
        "required extension not supported",
        Some(name.clone()),
    );
    r.answer_headers
        .push((HeaderName::Unsupported, unsupported.join(", ")));
    Err(r)
}

/// `type/subtype` of a Content-Type value, lower case, without parameters.
fn media_type(v: &[u8]) -> String {
    let end = v.iter().position(|&b| b == b';').unwrap_or(v.len());
    let t: Vec<u8> = v
        .get(..end)
        .unwrap_or_default()
        .iter()
        .filter(|b| !b.is_ascii_whitespace())
        .map(u8::to_ascii_lowercase)
        .collect();
    String::from_utf8_lossy(&t).into_owned()
}

/// The checks a UAC or proxy makes on a response before passing it on (§8.1.3, §18.1.2): a
/// response, with Via, From, To, Call-ID and CSeq present once and parsable. A failed
/// response is dropped, never answered; the status in the [`Rejection`] is 400 for logs.
///
/// # Errors
/// The first failed check.
pub fn check_response(msg: &Message) -> core::result::Result<(), Rejection> {
    if !msg.is_response() {
        return Err(Rejection::new(
            StatusCode::BAD_REQUEST,
            "not a response",
            None,
        ));
    }
    match msg.typed::<Via>() {
        None => return Err(Rejection::bad("missing Via", HeaderName::Via)),
        Some(Err(_)) => return Err(Rejection::bad("malformed Via", HeaderName::Via)),
        Some(Ok(_)) => {}
    }
    for name in [
        HeaderName::From,
        HeaderName::To,
        HeaderName::CallId,
        HeaderName::CSeq,
    ] {
        if single(msg, &name)?.is_none() {
            return Err(Rejection::bad("missing mandatory header", name));
        }
    }
    if !matches!(msg.typed::<CallId>(), Some(Ok(_))) {
        return Err(Rejection::bad("malformed Call-ID", HeaderName::CallId));
    }
    if !matches!(msg.typed::<CSeq>(), Some(Ok(_))) {
        return Err(Rejection::bad("malformed CSeq", HeaderName::CSeq));
    }
    Ok(())
}
