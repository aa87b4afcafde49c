//! Zero-copy parser and serializer of SIP messages, URIs and typed headers
//! (RFC 3261 §7, §19, §20, §25).
//!
//! - [`Message`] is a request or response: its bytes ([`bytes::Bytes`], shared with the
//!   input) and an index of where the start line, each header field and the body lie.
//!   Parsing only indexes; typed headers are parsed when asked for
//!   ([`Message::typed`]). A typical INVITE parses without heap allocation.
//! - Datagrams: [`Message::parse`] / [`ParserConfig::parse_datagram`]. Streams:
//!   [`StreamFramer`] or [`ParserConfig::frame`] (Complete / Incomplete / keep-alive).
//! - [`ParserConfig`]: [`Limits`] and opt-in [`Quirks`] (strict by default) with counters.
//! - Building: [`RequestBuilder`], [`ResponseBuilder`], [`Request::response`] (§8.2.6);
//!   changing headers keeps the order of the others; [`Message::write_to`] serializes (an
//!   untouched message byte for byte).
//! - [`validate`]: the checks a UAS or proxy makes before acting (§8.2, §16.3), each
//!   failure naming the status code to answer.
//!
//! The crate does no I/O and keeps no global state.
//!
//! ```
//! use bytes::Bytes;
//! use sip_message::{header::typed::{CSeq, CallId, Via}, Message, Method, StatusCode};
//!
//! let wire = Bytes::from_static(
//!     b"OPTIONS sip:carol@chicago.com SIP/2.0\r\n\
//!       Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKhjhs8ass877\r\n\
//!       Max-Forwards: 70\r\n\
//!       To: <sip:carol@chicago.com>\r\n\
//!       From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n\
//!       Call-ID: a84b4c76e66710\r\n\
//!       CSeq: 63104 OPTIONS\r\n\
//!       Content-Length: 0\r\n\r\n",
//! );
//! let msg = Message::parse(wire.clone()).unwrap();
//! let via: Via = msg.typed().unwrap().unwrap();
//! assert_eq!(via.branch(), Some("z9hG4bKhjhs8ass877"));
//! assert_eq!(msg.typed::<CSeq>().unwrap().unwrap().method, Method::Options);
//! assert_eq!(msg.typed::<CallId>().unwrap().unwrap().as_str(), "a84b4c76e66710");
//! assert_eq!(msg.to_bytes(), wire); // untouched: byte for byte
//!
//! let request = sip_message::Request::try_from(msg).unwrap();
//! let ok = request.response(StatusCode::OK, Some("8321234356")).unwrap().build().unwrap();
//! assert_eq!(ok.to_tag(), Some("8321234356"));
//! ```

mod ascii;
mod config;
mod error;
mod grammar;
pub mod header;
mod limits;
pub mod message;
mod method;
mod params;
mod status;
mod text;
pub mod uri;
pub mod validate;

pub use config::{ParserConfig, Quirk, Quirks};
pub use error::{Error, Result};
pub use grammar::{quote, unquote};
pub use header::typed::*;
pub use header::{HeaderName, NameAddr, TypedHeader};
pub use limits::{Limit, Limits};
pub use message::{
    Field, Fields, Frame, KeyParts, Message, Request, RequestBuilder, Response, ResponseBuilder,
    StreamFramer, StreamItem, TypedValues, Values,
};
pub use method::Method;
pub use params::{Param, Params};
pub use status::StatusCode;
pub use text::ByteStr;
pub use uri::{AbsoluteUri, Host, SipUri, TelUri, Uri};
