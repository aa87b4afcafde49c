//! Changing a message: header fields, body, Request-URI. Every change rewrites the head in
//! canonical form (fields kept in order, folding replaced by one space, a correct
//! Content-Length) and indexes it again.

use bytes::Bytes;

use super::parse::{self, Indexed};
use super::{split, Entries, Message, Start};
use crate::{Error, HeaderName, Limits, ParserConfig, Result, TypedHeader};

/// One field of the rewritten head.
enum Op<'v> {
    /// Keep field `i` of the current index.
    Keep(usize),
    /// A new field.
    New(&'v [u8], &'v [u8]),
}

impl Message {
    /// Appends a header field after the others.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the value holds a control character (CR, LF …) or an
    /// extension name is not a token.
    pub fn push_header(&mut self, name: &HeaderName, value: &str) -> Result<()> {
        check_field(name, value)?;
        let mut ops = self.keep_all();
        ops.push(Op::New(name.as_str().as_bytes(), value.as_bytes()));
        self.rewrite(&ops, None)
    }

    /// Inserts a header field before the first field called `name` (at the top of the header
    /// section when there is none): how a proxy adds its Via or Record-Route (§16.6).
    ///
    /// # Errors
    /// As [`Message::push_header`].
    pub fn prepend_header(&mut self, name: &HeaderName, value: &str) -> Result<()> {
        check_field(name, value)?;
        let at = self
            .entries
            .iter()
            .position(|e| name.matches(e.name(&self.head)))
            .unwrap_or(0);
        let mut ops = self.keep_all();
        ops.insert(at, Op::New(name.as_str().as_bytes(), value.as_bytes()));
        self.rewrite(&ops, None)
    }

    /// Sets header `name` to `value`: the first field called `name` takes the value (keeping
    /// its place), the other fields of that name are removed; appended when absent.
    ///
    /// # Errors
    /// As [`Message::push_header`].
    pub fn replace_header(&mut self, name: &HeaderName, value: &str) -> Result<()> {
        check_field(name, value)?;
        let mut ops = Vec::with_capacity(self.entries.len() + 1);
        let mut placed = false;
        for (i, e) in self.entries.iter().enumerate() {
            if name.matches(e.name(&self.head)) {
                if !placed {
                    ops.push(Op::New(name.as_str().as_bytes(), value.as_bytes()));
                    placed = true;
                }
            } else {
                ops.push(Op::Keep(i));
            }
        }
        if !placed {
            ops.push(Op::New(name.as_str().as_bytes(), value.as_bytes()));
        }
        self.rewrite(&ops, None)
    }

    /// Removes every field called `name`; returns how many there were.
    pub fn remove_header(&mut self, name: &HeaderName) -> usize {
        let ops: Vec<Op<'_>> = (0..self.entries.len())
            .filter(|&i| {
                self.entries
                    .get(i)
                    .is_some_and(|e| !name.matches(e.name(&self.head)))
            })
            .map(Op::Keep)
            .collect();
        let removed = self.entries.len() - ops.len();
        if removed > 0 {
            // Rewriting kept fields of a valid message cannot fail.
            let _ = self.rewrite(&ops, None);
        }
        removed
    }

    /// Removes the first value of header `name`: the first element of the first field for a
    /// list header (the field goes when it was its only element), the first field otherwise.
    /// How a proxy removes its own Via from a response (§16.7). Returns whether there was one.
    pub fn remove_first_value(&mut self, name: &HeaderName) -> bool {
        let Some(at) = self
            .entries
            .iter()
            .position(|e| name.matches(e.name(&self.head)))
        else {
            return false;
        };
        let value = self
            .entries
            .get(at)
            .and_then(|e| self.head.get(e.value()))
            .unwrap_or_default();
        let rest = if name.is_list() {
            split::top_level_comma(value)
                .and_then(|i| value.get(i + 1..))
                .map(split::trim_lws)
        } else {
            None
        };
        let rest = rest.map(<[u8]>::to_vec);
        let mut ops = self.keep_all();
        match &rest {
            Some(r) => {
                if let Some(slot) = ops.get_mut(at) {
                    *slot = Op::New(name.as_str().as_bytes(), r);
                }
            }
            None => {
                ops.remove(at);
            }
        }
        let _ = self.rewrite(&ops, None);
        true
    }

    /// Appends a typed header ([`Message::push_header`] with its canonical value).
    ///
    /// # Errors
    /// As [`Message::push_header`].
    pub fn push_typed<H: TypedHeader>(&mut self, header: &H) -> Result<()> {
        self.push_header(&H::NAME, &header.to_string())
    }

    /// Prepends a typed header ([`Message::prepend_header`]).
    ///
    /// # Errors
    /// As [`Message::push_header`].
    pub fn prepend_typed<H: TypedHeader>(&mut self, header: &H) -> Result<()> {
        self.prepend_header(&H::NAME, &header.to_string())
    }

    /// Replaces a typed header ([`Message::replace_header`]).
    ///
    /// # Errors
    /// As [`Message::push_header`].
    pub fn replace_typed<H: TypedHeader>(&mut self, header: &H) -> Result<()> {
        self.replace_header(&H::NAME, &header.to_string())
    }

    /// Replaces the body; Content-Length follows. Content-Type is left to the caller.
    pub fn set_body(&mut self, body: Bytes) {
        self.body = body;
        let ops = self.keep_all();
        let _ = self.rewrite(&ops, None);
    }

    /// Replaces the Request-URI of a request (what a proxy does when it retargets, §16.5).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a response or a URI with spaces or control characters.
    pub fn set_uri(&mut self, uri: &str) -> Result<()> {
        let Some(method) = self.method_str() else {
            return Err(Error::InvalidInput {
                what: "request URI",
                reason: "a response has none",
            });
        };
        check_uri(uri)?;
        let line = format!("{method} {uri} SIP/2.0");
        let ops = self.keep_all();
        self.rewrite(&ops, Some(line.as_bytes()))
    }

    fn keep_all<'v>(&self) -> Vec<Op<'v>> {
        (0..self.entries.len()).map(Op::Keep).collect()
    }

    /// Writes the head again from `ops` (and the start line `start` or the current one in
    /// canonical form) and indexes it.
    fn rewrite(&mut self, ops: &[Op<'_>], start: Option<&[u8]>) -> Result<()> {
        let mut out = Vec::with_capacity(self.head.len() + 64);
        match start {
            Some(line) => out.extend_from_slice(line),
            None => self.write_start_line(&mut out),
        }
        out.extend_from_slice(b"\r\n");
        let mut length_written = false;
        for op in ops {
            let (name, value) = match op {
                Op::Keep(i) => {
                    let Some(e) = self.entries.get(*i) else {
                        continue;
                    };
                    (
                        e.name(&self.head),
                        self.head.get(e.value()).unwrap_or_default(),
                    )
                }
                Op::New(n, v) => (*n, *v),
            };
            if is_content_length(name) {
                if !length_written {
                    write_content_length(&mut out, self.body.len());
                    length_written = true;
                }
                continue;
            }
            write_field(&mut out, name, value);
        }
        if !length_written {
            write_content_length(&mut out, self.body.len());
        }
        out.extend_from_slice(b"\r\n");
        let head = Bytes::from(out);
        let mut entries = Entries::new();
        let index = reindex(&head, self.max_list_values as usize, &mut entries)?;
        self.head = head;
        self.start = index.start;
        self.entries = entries;
        Ok(())
    }

    /// The start line in canonical form, without CRLF.
    pub(crate) fn write_start_line(&self, out: &mut Vec<u8>) {
        match self.start {
            Start::Request { method, uri } => {
                out.extend_from_slice(self.head.get(method.range()).unwrap_or_default());
                out.push(b' ');
                out.extend_from_slice(self.head.get(uri.range()).unwrap_or_default());
                out.extend_from_slice(b" SIP/2.0");
            }
            Start::Response { code, reason } => {
                out.extend_from_slice(b"SIP/2.0 ");
                out.extend_from_slice(code.to_string().as_bytes());
                out.push(b' ');
                out.extend_from_slice(self.head.get(reason.range()).unwrap_or_default());
            }
        }
    }
}

/// Indexes a head this crate wrote (strict syntax, no limits but the list limit).
pub(crate) fn reindex(
    head: &Bytes,
    max_list: usize,
    entries: &mut Entries,
) -> Result<parse::Index> {
    let mut limits = Limits::default();
    limits
        .max_message_size(usize::MAX)
        .max_headers(usize::MAX)
        .max_header_line(usize::MAX)
        .max_start_line(usize::MAX)
        .max_list_values(max_list);
    match parse::index(&ParserConfig::with_limits(limits), head, entries)? {
        Indexed::Complete(i) if i.head_len == head.len() => Ok(i),
        _ => Err(Error::InvalidInput {
            what: "header section",
            reason: "does not form a valid message head",
        }),
    }
}

/// `name: value CRLF`, with folded line breaks in `value` replaced by one space.
pub(crate) fn write_field(out: &mut Vec<u8>, name: &[u8], value: &[u8]) {
    out.extend_from_slice(name);
    out.extend_from_slice(b": ");
    let mut in_break = false;
    for &b in value {
        match b {
            b'\r' | b'\n' => in_break = true,
            b' ' | b'\t' if in_break => {}
            _ => {
                if in_break {
                    out.push(b' ');
                    in_break = false;
                }
                out.push(b);
            }
        }
    }
    out.extend_from_slice(b"\r\n");
}

pub(crate) fn write_content_length(out: &mut Vec<u8>, len: usize) {
    out.extend_from_slice(b"Content-Length: ");
    out.extend_from_slice(len.to_string().as_bytes());
    out.extend_from_slice(b"\r\n");
}

pub(crate) fn is_content_length(name: &[u8]) -> bool {
    HeaderName::ContentLength.matches(name)
}

/// Checks a field given by the caller: a token name and a value without control characters.
pub(crate) fn check_field(name: &HeaderName, value: &str) -> Result<()> {
    if !crate::grammar::is_token(name.as_str().as_bytes()) {
        return Err(Error::InvalidInput {
            what: "header name",
            reason: "not a token",
        });
    }
    if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
        return Err(Error::InvalidInput {
            what: "header value",
            reason: "contains a control character (CR, LF …)",
        });
    }
    Ok(())
}

/// Checks a Request-URI given by the caller: visible ASCII, no spaces.
pub(crate) fn check_uri(uri: &str) -> Result<()> {
    if uri.is_empty() || !uri.bytes().all(|b| b > b' ' && b < 0x7f) {
        return Err(Error::InvalidInput {
            what: "request URI",
            reason: "must be non-empty visible ASCII without spaces",
        });
    }
    Ok(())
}
