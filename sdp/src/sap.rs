//! SAP, the Session Announcement Protocol (RFC 2974): packets that carry SDP announcements.
//!
//! Decoding slices the input [`Bytes`] (no copies); authentication data and encrypted or
//! compressed payloads are kept opaque.
//!
//! ```
//! use bytes::Bytes;
//! use sdp::sap::{MessageType, SapPacket};
//!
//! let sdp = Bytes::from_static(b"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=Talk\r\nt=0 0\r\n");
//! let packet = SapPacket::announcement("192.0.2.1".parse().unwrap(), 0x1234, sdp.clone());
//! let wire = packet.to_bytes()?;
//! let back = SapPacket::decode(&wire)?;
//! assert_eq!(back.message_type, MessageType::Announcement);
//! assert_eq!(back.payload_type(), Some("application/sdp"));
//! assert_eq!(back.payload, sdp);
//! assert_eq!(back.sdp().unwrap()?.session_name, "Talk");
//! # Ok::<(), sdp::Error>(())
//! ```

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use bytes::{BufMut, Bytes, BytesMut};

use crate::{Error, Sdp};

/// The MIME type of SDP payloads.
pub const APPLICATION_SDP: &str = "application/sdp";

/// One SAP packet (RFC 2974 §6, Figure 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SapPacket {
    /// T bit: announcement or deletion.
    pub message_type: MessageType,
    /// E bit: the payload (and payload type) are encrypted (RFC 2974 §7).
    pub encrypted: bool,
    /// C bit: the payload (and payload type) are zlib-compressed.
    pub compressed: bool,
    /// Message identifier hash; with the source, identifies this version of the announcement.
    pub message_id_hash: u16,
    /// Originating source (A bit: IPv4 or IPv6).
    pub origin: IpAddr,
    /// Authentication data, opaque, a multiple of 4 bytes up to 1020 (RFC 2974 §8).
    pub authentication: Bytes,
    /// MIME type of the payload, without its NUL terminator; `None` when omitted (SDP) or
    /// hidden by encryption or compression.
    pub payload_type: Option<Bytes>,
    /// The payload (an SDP description unless [`payload_type`](Self::payload_type) says
    /// otherwise), encrypted or compressed if the E or C bit is set.
    pub payload: Bytes,
}

/// The T bit of a SAP header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageType {
    /// A session announcement (T = 0).
    Announcement,
    /// A session deletion (T = 1).
    Deletion,
}

impl SapPacket {
    /// An unencrypted, uncompressed, unauthenticated announcement of an SDP payload with
    /// the `application/sdp` payload type.
    pub fn announcement(origin: IpAddr, message_id_hash: u16, sdp: Bytes) -> Self {
        Self {
            message_type: MessageType::Announcement,
            encrypted: false,
            compressed: false,
            message_id_hash,
            origin,
            authentication: Bytes::new(),
            payload_type: Some(Bytes::from_static(APPLICATION_SDP.as_bytes())),
            payload: sdp,
        }
    }

    /// Decodes a packet; the fields are slices of `data`.
    ///
    /// # Errors
    /// [`Error::Sap`] if the packet is truncated, has a version other than 1, or (when not
    /// encrypted or compressed) neither a NUL-terminated payload type nor an SDP payload.
    pub fn decode(data: &Bytes) -> Result<Self, Error> {
        let (&flags, rest) = data
            .split_first()
            .ok_or(sap("header", "at least 4 bytes"))?;
        if flags >> 5 != 1 {
            return Err(sap("version", "1"));
        }
        let (&auth_words, rest) = rest
            .split_first()
            .ok_or(sap("header", "at least 4 bytes"))?;
        let hash = rest.get(..2).ok_or(sap("header", "at least 4 bytes"))?;
        let message_id_hash = u16::from_be_bytes([
            hash.first().copied().unwrap_or(0),
            hash.get(1).copied().unwrap_or(0),
        ]);
        let ipv6 = flags & 0x10 != 0;
        let address_len = if ipv6 { 16 } else { 4 };
        let mut at = 4usize;
        let address = data
            .get(at..at + address_len)
            .ok_or(sap("originating source", "a complete address"))?;
        let origin = if let Ok(a) = <[u8; 16]>::try_from(address) {
            IpAddr::V6(Ipv6Addr::from(a))
        } else if let Ok(a) = <[u8; 4]>::try_from(address) {
            IpAddr::V4(Ipv4Addr::from(a))
        } else {
            return Err(sap("originating source", "a complete address"));
        };
        at += address_len;
        let auth_len = usize::from(auth_words) * 4;
        if data.len() < at + auth_len {
            return Err(sap(
                "authentication data",
                "as long as the authentication length",
            ));
        }
        let authentication = data.slice(at..at + auth_len);
        at += auth_len;
        let encrypted = flags & 0x02 != 0;
        let compressed = flags & 0x01 != 0;
        let body = data.slice(at..);
        let (payload_type, payload) = if encrypted || compressed || body.starts_with(b"v=0") {
            (None, body)
        } else {
            let nul = memchr::memchr(0, &body).ok_or(sap(
                "payload type",
                "a NUL-terminated MIME type or an SDP payload",
            ))?;
            let mime = body.slice(..nul);
            if mime.is_empty() || !mime.iter().all(|b| b.is_ascii_graphic()) {
                return Err(sap("payload type", "a MIME type in visible ASCII"));
            }
            (Some(mime), body.slice(nul + 1..))
        };
        Ok(Self {
            message_type: if flags & 0x04 != 0 {
                MessageType::Deletion
            } else {
                MessageType::Announcement
            },
            encrypted,
            compressed,
            message_id_hash,
            origin,
            authentication,
            payload_type,
            payload,
        })
    }

    /// The payload type as text, if present and ASCII.
    pub fn payload_type(&self) -> Option<&str> {
        self.payload_type
            .as_deref()
            .and_then(|p| std::str::from_utf8(p).ok())
    }

    /// Parses the payload as SDP when it is readable SDP: not encrypted or compressed, and
    /// with no payload type or `application/sdp`. `None` otherwise.
    pub fn sdp(&self) -> Option<Result<Sdp<'_>, Error>> {
        if self.encrypted || self.compressed {
            return None;
        }
        match self.payload_type.as_deref() {
            Some(t) if !t.eq_ignore_ascii_case(APPLICATION_SDP.as_bytes()) => None,
            _ => Some(Sdp::parse(&self.payload)),
        }
    }

    /// Writes the packet.
    ///
    /// # Errors
    /// [`Error::Sap`] if the authentication data is not a multiple of 4 bytes or longer than
    /// 1020, or the payload type contains a NUL.
    pub fn write_to<B: BufMut>(&self, buf: &mut B) -> Result<(), Error> {
        let auth_words = u8::try_from(self.authentication.len() / 4)
            .ok()
            .filter(|_| self.authentication.len() % 4 == 0)
            .ok_or(sap(
                "authentication data",
                "a multiple of 4 bytes, at most 1020",
            ))?;
        if self.payload_type.as_ref().is_some_and(|p| p.contains(&0)) {
            return Err(sap("payload type", "no NUL byte inside"));
        }
        let mut flags = 1 << 5;
        if self.origin.is_ipv6() {
            flags |= 0x10;
        }
        if self.message_type == MessageType::Deletion {
            flags |= 0x04;
        }
        if self.encrypted {
            flags |= 0x02;
        }
        if self.compressed {
            flags |= 0x01;
        }
        buf.put_u8(flags);
        buf.put_u8(auth_words);
        buf.put_u16(self.message_id_hash);
        match self.origin {
            IpAddr::V4(a) => buf.put_slice(&a.octets()),
            IpAddr::V6(a) => buf.put_slice(&a.octets()),
        }
        buf.put_slice(&self.authentication);
        if let Some(p) = &self.payload_type {
            buf.put_slice(p);
            buf.put_u8(0);
        }
        buf.put_slice(&self.payload);
        Ok(())
    }

    /// [`write_to`](Self::write_to) into new bytes.
    ///
    /// # Errors
    /// As [`write_to`](Self::write_to).
    pub fn to_bytes(&self) -> Result<Bytes, Error> {
        let mut b = BytesMut::with_capacity(
            24 + self.authentication.len()
                + self.payload_type.as_ref().map_or(0, |p| p.len() + 1)
                + self.payload.len(),
        );
        self.write_to(&mut b)?;
        Ok(b.freeze())
    }
}

fn sap(field: &'static str, expected: &'static str) -> Error {
    Error::Sap { field, expected }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDP: &[u8] = b"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=x\r\nt=0 0\r\n";

    #[test]
    fn header_bits() {
        let p = SapPacket {
            message_type: MessageType::Deletion,
            encrypted: true,
            compressed: true,
            message_id_hash: 0xbeef,
            origin: "2001:db8::1".parse().unwrap(),
            authentication: Bytes::from_static(&[1, 2, 3, 4, 5, 6, 7, 8]),
            payload_type: None,
            payload: Bytes::from_static(b"\x00opaque"),
        };
        let wire = p.to_bytes().unwrap();
        assert_eq!(wire[0], 0b0011_0111);
        assert_eq!(wire[1], 2);
        assert_eq!(&wire[2..4], &[0xbe, 0xef]);
        assert_eq!(wire.len(), 4 + 16 + 8 + 7);
        assert_eq!(SapPacket::decode(&wire).unwrap(), p);
        assert!(p.sdp().is_none());
    }

    #[test]
    fn payload_type_optional_for_sdp() {
        let mut p =
            SapPacket::announcement("192.0.2.1".parse().unwrap(), 7, Bytes::from_static(SDP));
        p.payload_type = None;
        let wire = p.to_bytes().unwrap();
        assert_eq!(wire.len(), 8 + SDP.len());
        let back = SapPacket::decode(&wire).unwrap();
        assert_eq!(back, p);
        assert!(back.sdp().unwrap().is_ok());
        // Another payload type is not SDP.
        p.payload_type = Some(Bytes::from_static(b"text/plain"));
        let back = SapPacket::decode(&p.to_bytes().unwrap()).unwrap();
        assert_eq!(back.payload_type(), Some("text/plain"));
        assert!(back.sdp().is_none());
    }

    #[test]
    fn rejects_bad_packets() {
        let bad: &[&[u8]] = &[
            b"",
            b"\x20\x00\x00",
            b"\x00\x00\x00\x01\xc0\x00\x02\x01v=0",
            b"\x20\x00\x00\x01\xc0\x00\x02",
            b"\x30\x00\x00\x01\xc0\x00\x02\x01\x00\x00\x00\x00",
            b"\x20\x01\x00\x01\xc0\x00\x02\x01\x00\x00",
            b"\x20\x00\x00\x01\xc0\x00\x02\x01application/sdp",
            b"\x20\x00\x00\x01\xc0\x00\x02\x01\x00v=0",
        ];
        for b in bad {
            assert!(
                matches!(
                    SapPacket::decode(&Bytes::from_static(b)),
                    Err(Error::Sap { .. })
                ),
                "{b:?}"
            );
        }
        let mut p = SapPacket::announcement("192.0.2.1".parse().unwrap(), 7, Bytes::new());
        p.authentication = Bytes::from_static(b"abc");
        assert!(p.to_bytes().is_err());
        p.authentication = Bytes::from(vec![0; 1024]);
        assert!(p.to_bytes().is_err());
    }
}
