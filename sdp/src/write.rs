//! Serialization of the model (RFC 8866 §5 order, CRLF line ends).

use std::fmt;

use bytes::BufMut;

use crate::description::{
    Bandwidth, Connection, MediaDescription, Origin, Repeat, SessionDescription, TypedTime,
};

impl SessionDescription<'_> {
    /// Writes the description, lines in RFC 8866 §5 order, each ended by CRLF.
    ///
    /// The output parses back to an equal description.
    pub fn write_to<B: BufMut>(&self, buf: &mut B) {
        buf.put_slice(b"v=");
        put_u64(buf, u64::from(self.version));
        buf.put_slice(b"\r\n");
        self.origin.write_to(buf);
        line(buf, b"s=", &self.session_name);
        if let Some(i) = &self.information {
            line(buf, b"i=", i);
        }
        if let Some(u) = &self.uri {
            line(buf, b"u=", u);
        }
        for e in &self.emails {
            line(buf, b"e=", e);
        }
        for p in &self.phones {
            line(buf, b"p=", p);
        }
        if let Some(c) = &self.connection {
            c.write_to(buf);
        }
        for b in &self.bandwidths {
            b.write_to(buf);
        }
        for t in &self.times {
            buf.put_slice(b"t=");
            put_u64(buf, t.start);
            buf.put_u8(b' ');
            put_u64(buf, t.stop);
            buf.put_slice(b"\r\n");
            for r in &t.repeats {
                r.write_to(buf);
            }
            if !t.zone_adjustments.is_empty() {
                buf.put_slice(b"z=");
                for (i, z) in t.zone_adjustments.iter().enumerate() {
                    if i > 0 {
                        buf.put_u8(b' ');
                    }
                    put_u64(buf, z.time);
                    buf.put_u8(b' ');
                    if z.negative {
                        buf.put_u8(b'-');
                    }
                    put_typed_time(buf, z.offset);
                }
                buf.put_slice(b"\r\n");
            }
        }
        if let Some(k) = &self.key {
            line(buf, b"k=", k);
        }
        self.attributes.write_to(buf);
        for m in &self.media {
            m.write_to(buf);
        }
    }

    /// The serialized description as a new vector.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.size_hint());
        self.write_to(&mut v);
        v
    }

    fn size_hint(&self) -> usize {
        let media: usize = self
            .media
            .iter()
            .map(|m| 32 + m.attributes.len() * 32)
            .sum();
        128 + self.attributes.len() * 32 + media
    }
}

impl fmt::Display for SessionDescription<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Every field is a `str`, so the bytes are UTF-8.
        f.write_str(&String::from_utf8_lossy(&self.to_vec()))
    }
}

impl Origin<'_> {
    fn write_to<B: BufMut>(&self, buf: &mut B) {
        buf.put_slice(b"o=");
        buf.put_str(&self.username);
        buf.put_u8(b' ');
        put_u64(buf, self.session_id);
        buf.put_u8(b' ');
        put_u64(buf, self.session_version);
        buf.put_u8(b' ');
        buf.put_str(&self.nettype);
        buf.put_u8(b' ');
        buf.put_str(&self.addrtype);
        buf.put_u8(b' ');
        buf.put_str(&self.unicast_address);
        buf.put_slice(b"\r\n");
    }
}

impl Connection<'_> {
    fn write_to<B: BufMut>(&self, buf: &mut B) {
        buf.put_slice(b"c=");
        buf.put_str(&self.nettype);
        buf.put_u8(b' ');
        buf.put_str(&self.addrtype);
        buf.put_u8(b' ');
        buf.put_str(&self.address);
        if let Some(ttl) = self.ttl {
            buf.put_u8(b'/');
            put_u64(buf, u64::from(ttl));
        }
        if let Some(n) = self.count {
            buf.put_u8(b'/');
            put_u64(buf, u64::from(n));
        }
        buf.put_slice(b"\r\n");
    }
}

impl Bandwidth<'_> {
    fn write_to<B: BufMut>(&self, buf: &mut B) {
        buf.put_slice(b"b=");
        buf.put_str(&self.bwtype);
        buf.put_u8(b':');
        put_u64(buf, self.bandwidth);
        buf.put_slice(b"\r\n");
    }
}

impl Repeat {
    fn write_to<B: BufMut>(&self, buf: &mut B) {
        buf.put_slice(b"r=");
        put_typed_time(buf, self.interval);
        buf.put_u8(b' ');
        put_typed_time(buf, self.duration);
        for o in &self.offsets {
            buf.put_u8(b' ');
            put_typed_time(buf, *o);
        }
        buf.put_slice(b"\r\n");
    }
}

impl MediaDescription<'_> {
    fn write_to<B: BufMut>(&self, buf: &mut B) {
        buf.put_slice(b"m=");
        buf.put_str(&self.media);
        buf.put_u8(b' ');
        put_u64(buf, u64::from(self.port));
        if let Some(n) = self.port_count {
            buf.put_u8(b'/');
            put_u64(buf, u64::from(n));
        }
        buf.put_u8(b' ');
        buf.put_str(&self.protocol);
        self.formats.write_to(buf);
        buf.put_slice(b"\r\n");
        if let Some(i) = &self.information {
            line(buf, b"i=", i);
        }
        for c in &self.connections {
            c.write_to(buf);
        }
        for b in &self.bandwidths {
            b.write_to(buf);
        }
        if let Some(k) = &self.key {
            line(buf, b"k=", k);
        }
        self.attributes.write_to(buf);
    }
}

/// `put_str` for any `BufMut`.
pub(crate) trait Put {
    fn put_str(&mut self, s: &str);
}

impl<B: BufMut> Put for B {
    #[inline]
    fn put_str(&mut self, s: &str) {
        self.put_slice(s.as_bytes());
    }
}

fn line<B: BufMut>(buf: &mut B, prefix: &[u8], value: &str) {
    buf.put_slice(prefix);
    buf.put_str(value);
    buf.put_slice(b"\r\n");
}

fn put_typed_time<B: BufMut>(buf: &mut B, t: TypedTime) {
    put_u64(buf, t.value);
    if let Some(u) = t.unit {
        buf.put_u8(u.as_byte());
    }
}

/// Writes a decimal number without going through `fmt`.
pub(crate) fn put_u64<B: BufMut>(buf: &mut B, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        if let Some(d) = digits.get_mut(i) {
            // `n % 10` is below 10, so the cast cannot truncate.
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    buf.put_slice(digits.get(i..).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        for n in [0, 7, 10, 65535, u64::MAX] {
            let mut v = Vec::new();
            put_u64(&mut v, n);
            assert_eq!(v, n.to_string().into_bytes());
        }
    }
}
