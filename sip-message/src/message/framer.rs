//! Stream framing (RFC 3261 §7.5, §18.3; RFC 5626 §4.4.1 keep-alives).

use bytes::{Buf, BytesMut};
use memchr::memmem;

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
    /// Bytes of the buffer already searched for the empty line ending the header section.
    scanned: usize,
    /// Buffer length at the last indexing of an incomplete header section.
    indexed: usize,
    /// Total length of the message at the front once its header section is complete.
    pending: Option<usize>,
}

/// How far the buffer must grow before an incomplete header section is indexed again (to
/// report syntax errors early while keeping the work linear in the stream length).
const REINDEX_STEP: usize = 1024;

impl StreamFramer {
    /// A framer with `config`.
    pub fn new(config: ParserConfig) -> Self {
        Self {
            config,
            keepalives: 0,
            scanned: 0,
            indexed: 0,
            pending: None,
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
    /// Incremental: between calls the framer remembers how far it searched, so feeding a
    /// message byte by byte costs time linear in its length. Pass the same buffer (with
    /// bytes appended) until an item comes out.
    ///
    /// # Errors
    /// The stream does not hold a valid message at this point (syntax, limits, missing
    /// Content-Length).
    pub fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<StreamItem>> {
        let skip = parse::leading_crlf(buf);
        if skip > 0 {
            buf.advance(skip);
            self.keepalives += 1;
            self.reset();
            return Ok(Some(StreamItem::KeepAlive { len: skip }));
        }
        match self.pending {
            Some(total) if buf.len() < total => return Ok(None),
            Some(_) => {}
            None => {
                if !self.head_complete(buf) {
                    let max = self.config.limits.max_message_size;
                    if buf.len() > max {
                        return Err(Error::Limit {
                            limit: Limit::MessageSize,
                            offset: max,
                        });
                    }
                    if self.indexed == 0 || buf.len() >= self.indexed + REINDEX_STEP {
                        // Early syntax errors; the result is incomplete at best.
                        self.indexed = buf.len();
                        let mut entries = Entries::new();
                        locate(&self.config, buf, &mut entries)?;
                    }
                    return Ok(None);
                }
            }
        }
        let mut entries = Entries::new();
        let (index, body_len) = match locate(&self.config, buf, &mut entries)? {
            Located::Complete(index, body_len) => (index, body_len),
            Located::IncompleteBody(total) => {
                self.pending = Some(total);
                return Ok(None);
            }
            Located::IncompleteHead => return Ok(None),
        };
        self.reset();
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

    /// Whether `buf` holds the empty line that ends a header section, searching only what
    /// was not searched before.
    fn head_complete(&mut self, buf: &[u8]) -> bool {
        let from = self.scanned.saturating_sub(3);
        let rest = buf.get(from..).unwrap_or_default();
        let found = if self.config.quirks.lf_line_endings {
            memmem::find(rest, b"\n\n").is_some() || memmem::find(rest, b"\n\r\n").is_some()
        } else {
            memmem::find(rest, b"\r\n\r\n").is_some()
        };
        self.scanned = buf.len();
        found
    }

    fn reset(&mut self) {
        self.scanned = 0;
        self.indexed = 0;
        self.pending = None;
    }
}

/// What [`locate`] found at the front of a buffer.
enum Located {
    Complete(parse::Index, usize),
    IncompleteBody(usize),
    IncompleteHead,
}

pub(crate) fn frame(cfg: &ParserConfig, buf: &[u8]) -> Result<Frame> {
    let skip = parse::leading_crlf(buf);
    if skip > 0 {
        return Ok(Frame::KeepAlive(skip));
    }
    let mut entries = Entries::new();
    Ok(match locate(cfg, buf, &mut entries)? {
        Located::Complete(index, body_len) => Frame::Complete(index.head_len + body_len),
        Located::IncompleteBody(_) | Located::IncompleteHead => Frame::Incomplete,
    })
}

/// Indexes the message at the start of `buf`; its index and body length when it is
/// complete.
fn locate(cfg: &ParserConfig, buf: &[u8], entries: &mut Entries) -> Result<Located> {
    let max = cfg.limits.max_message_size;
    if buf == b"\r" {
        return Ok(Located::IncompleteHead);
    }
    let index = match parse::index(cfg, buf, entries)? {
        Indexed::Complete(i) => i,
        Indexed::Incomplete if buf.len() > max => {
            return Err(Error::Limit {
                limit: Limit::MessageSize,
                offset: max,
            })
        }
        Indexed::Incomplete => return Ok(Located::IncompleteHead),
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
    Ok(if buf.len() >= total {
        Located::Complete(index, body_len)
    } else {
        Located::IncompleteBody(total)
    })
}
