//! Stream framing (RFC 3261 §7.5, §18.3; RFC 5626 §4.4.1 keep-alives).

use bytes::{Buf, BytesMut};

use super::parse::{self, Indexed};
use super::{Entries, Message};
use crate::config::{ParserConfig, Quirk};
use crate::{Error, Limit, Result};

/// What the start of a stream buffer holds (see [`ParserConfig::frame`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    /// The buffer starts with this many bytes of CRLF keep-alives; drop them. Four or more
    /// bytes (`CRLFCRLF`) is a ping, to be answered with a `CRLF` pong; two is a pong
    /// (RFC 5626 §4.4.1).
    KeepAlive(usize),
    /// The buffer starts with a complete message of this many bytes.
    Complete(usize),
    /// More bytes are needed.
    Incomplete,
}

/// What [`StreamFramer::decode`] took off the buffer.
// Boxing the message would cost an allocation per message; the enum lives only briefly.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamItem {
    /// CRLF keep-alive bytes (see [`Frame::KeepAlive`]); `len` of 4 or more is a ping.
    KeepAlive {
        /// Number of bytes dropped.
        len: usize,
    },
    /// A complete message.
    Message(Message),
}

/// Splits a byte stream (TCP, TLS) into messages.
///
/// Feed received bytes into a `BytesMut` and call [`decode`](Self::decode) until it returns
/// `Ok(None)`. After an error the stream's framing is lost: answer 400 if possible and close
/// the connection (§18.3).
///
/// ```
/// use bytes::BytesMut;
/// use sip_message::{StreamFramer, StreamItem};
/// let mut framer = StreamFramer::default();
/// let mut buf = BytesMut::from(&b"\r\n\r\nOPTIONS sip:a@b SIP/2.0\r\nContent-Length: 2\r\n\r\nhi"[..]);
/// assert_eq!(framer.decode(&mut buf).unwrap(), Some(StreamItem::KeepAlive { len: 4 }));
/// let Some(StreamItem::Message(m)) = framer.decode(&mut buf).unwrap() else { panic!() };
/// assert_eq!(&m.body()[..], b"hi");
/// assert_eq!(framer.decode(&mut buf).unwrap(), None);
/// ```
#[derive(Debug, Default)]
pub struct StreamFramer {
    config: ParserConfig,
    keepalives: u64,
}

impl StreamFramer {
    /// A framer with `config`.
    pub fn new(config: ParserConfig) -> Self {
        Self {
            config,
            keepalives: 0,
        }
    }

    /// The config (its quirk counters included).
    pub fn config(&self) -> &ParserConfig {
        &self.config
    }

    /// Number of keep-alive runs seen.
    pub fn keepalives(&self) -> u64 {
        self.keepalives
    }

    /// Takes the next item off the front of `buf`: keep-alive bytes or one whole message.
    /// `Ok(None)` when `buf` does not hold a whole item yet (nothing is consumed).
    ///
    /// # Errors
    /// The stream does not hold a valid message at this point (syntax, limits, missing
    /// Content-Length).
    pub fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<StreamItem>> {
        let skip = parse::leading_crlf(buf);
        if skip > 0 {
            buf.advance(skip);
            self.keepalives += 1;
            return Ok(Some(StreamItem::KeepAlive { len: skip }));
        }
        let mut entries = Entries::new();
        let Some((index, body_len)) = locate(&self.config, buf, &mut entries)? else {
            return Ok(None);
        };
        let total = index.head_len + body_len;
        if index.content_length.is_none() {
            self.config.tolerate(Quirk::MissingContentLengthOnStream);
        }
        parse::count_fired(&self.config, index.fired);
        let bytes = buf.split_to(total).freeze();
        let max = self.config.limits.max_list_values;
        Ok(Some(StreamItem::Message(parse::assemble(
            bytes, &index, entries, body_len, max,
        ))))
    }
}

pub(crate) fn frame(cfg: &ParserConfig, buf: &[u8]) -> Result<Frame> {
    let skip = parse::leading_crlf(buf);
    if skip > 0 {
        return Ok(Frame::KeepAlive(skip));
    }
    let mut entries = Entries::new();
    Ok(match locate(cfg, buf, &mut entries)? {
        Some((index, body_len)) => Frame::Complete(index.head_len + body_len),
        None => Frame::Incomplete,
    })
}

/// Indexes the message at the start of `buf`; its index and body length when it is
/// complete.
fn locate(
    cfg: &ParserConfig,
    buf: &[u8],
    entries: &mut Entries,
) -> Result<Option<(parse::Index, usize)>> {
    let max = cfg.limits.max_message_size;
    if buf == b"\r" {
        return Ok(None);
    }
    let index = match parse::index(cfg, buf, entries)? {
        Indexed::Complete(i) => i,
        Indexed::Incomplete if buf.len() > max => {
            return Err(Error::Limit {
                limit: Limit::MessageSize,
                offset: max,
            })
        }
        Indexed::Incomplete => return Ok(None),
    };
    let body_len = match index.content_length {
        Some(n) => n,
        None if cfg.allows(Quirk::MissingContentLengthOnStream) => 0,
        None => return Err(Error::MissingContentLength),
    };
    let total = index.head_len + body_len;
    if total > max {
        return Err(Error::Limit {
            limit: Limit::MessageSize,
            offset: max,
        });
    }
    Ok((buf.len() >= total).then_some((index, body_len)))
}
