//! RTP data packets (RFC 3550 §5.1) with RFC 8285 header extensions.
//!
//! [`RtpPacket`] is a validated, borrowing view: parsing checks every length once and then
//! hands out sub-slices of the input, never copies. [`RtpPacketBuilder`] writes a packet into a
//! caller buffer or any [`BufMut`].
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |V=2|P|X|  CC   |M|     PT      |       sequence number         |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                           timestamp                           |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |           synchronization source (SSRC) identifier            |
//! +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//! |            contributing source (CSRC) identifiers             |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```

use bytes::BufMut;

use crate::error::{Error, Result};

/// Length of the fixed RTP header.
pub const RTP_HEADER_LEN: usize = 12;
/// RFC 8285 §4.2: profile value of the one-byte header form.
pub const ONE_BYTE_PROFILE: u16 = 0xBEDE;
/// RFC 8285 §4.3: the two-byte form's profile is `0x100` followed by 4 application bits.
pub const TWO_BYTE_PROFILE: u16 = 0x1000;

/// A parsed RTP packet borrowing the input buffer.
///
/// All lengths (CSRC list, header extension, padding) are validated by
/// [`RtpPacket::parse`]; the accessors cannot fail. RFC 8285 extension elements are decoded
/// lazily by [`HeaderExtension::elements`]; [`HeaderExtension::validate`] checks them all.
///
/// # Examples
///
/// ```
/// use rtp::{RtpPacket, RtpPacketBuilder};
///
/// let mut buf = [0u8; 64];
/// let n = RtpPacketBuilder::new(0, 4711, 160, 0x1234_5678)
///     .marker(true)
///     .payload(b"hello")
///     .write_to_slice(&mut buf)?;
/// let packet = RtpPacket::parse(&buf[..n])?;
/// assert_eq!(packet.sequence_number(), 4711);
/// assert!(packet.marker());
/// assert_eq!(packet.payload(), b"hello");
/// # Ok::<(), rtp::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RtpPacket<'a> {
    header: [u8; RTP_HEADER_LEN],
    csrc: &'a [u8],
    extension: Option<HeaderExtension<'a>>,
    payload: &'a [u8],
    padding: u8,
}

impl<'a> RtpPacket<'a> {
    /// Parses and validates an RTP packet.
    ///
    /// # Errors
    ///
    /// [`Error::Truncated`] when a length points past the end, [`Error::Malformed`] for a
    /// version other than 2 or a padding count of zero or larger than the packet body.
    #[inline]
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        let Some((header, rest)) = buf.split_first_chunk::<RTP_HEADER_LEN>() else {
            return Err(Error::truncated(0, "rtp header", RTP_HEADER_LEN, buf.len()));
        };
        let first = header[0];
        if first >> 6 != 2 {
            return Err(Error::malformed(0, "version", "2"));
        }
        let csrc_len = usize::from(first & 0x0F) * 4;
        let Some((csrc, mut rest)) = rest.split_at_checked(csrc_len) else {
            return Err(Error::truncated(
                RTP_HEADER_LEN,
                "csrc list",
                csrc_len,
                rest.len(),
            ));
        };
        let mut offset = RTP_HEADER_LEN + csrc_len;
        let extension = if first & 0x10 != 0 {
            let Some((ext_header, after)) = rest.split_first_chunk::<4>() else {
                return Err(Error::truncated(offset, "extension header", 4, rest.len()));
            };
            let profile = u16::from_be_bytes([ext_header[0], ext_header[1]]);
            let words = usize::from(u16::from_be_bytes([ext_header[2], ext_header[3]]));
            let Some((data, after)) = after.split_at_checked(words * 4) else {
                return Err(Error::truncated(
                    offset + 4,
                    "extension body",
                    words * 4,
                    after.len(),
                ));
            };
            // RFC 8285 elements are decoded lazily (see `HeaderExtension::elements`).
            let extension = HeaderExtension { profile, data };
            offset += 4 + words * 4;
            rest = after;
            Some(extension)
        } else {
            None
        };
        let mut padding = 0u8;
        if first & 0x20 != 0 {
            // §5.1: the last octet counts the padding octets, itself included.
            let Some(&count) = rest.last() else {
                return Err(Error::truncated(offset, "padding", 1, 0));
            };
            if count == 0 || usize::from(count) > rest.len() {
                return Err(Error::malformed(
                    buf.len().saturating_sub(1),
                    "padding length",
                    "1 to the number of octets after the header",
                ));
            }
            padding = count;
            rest = rest
                .get(..rest.len() - usize::from(count))
                .unwrap_or_default();
        }
        Ok(Self {
            header: *header,
            csrc,
            extension,
            payload: rest,
            padding,
        })
    }

    /// RTP version (always 2 for a parsed packet).
    #[inline]
    pub fn version(&self) -> u8 {
        self.header[0] >> 6
    }

    /// Whether the padding bit is set.
    #[inline]
    pub fn has_padding(&self) -> bool {
        self.header[0] & 0x20 != 0
    }

    /// Number of padding octets (including the count octet); 0 without padding.
    #[inline]
    pub fn padding_len(&self) -> u8 {
        self.padding
    }

    /// Whether the marker bit is set.
    #[inline]
    pub fn marker(&self) -> bool {
        self.header[1] & 0x80 != 0
    }

    /// Payload type (7 bits).
    #[inline]
    pub fn payload_type(&self) -> u8 {
        self.header[1] & 0x7F
    }

    /// Sequence number.
    #[inline]
    pub fn sequence_number(&self) -> u16 {
        u16::from_be_bytes([self.header[2], self.header[3]])
    }

    /// Media timestamp.
    #[inline]
    pub fn timestamp(&self) -> u32 {
        u32::from_be_bytes([
            self.header[4],
            self.header[5],
            self.header[6],
            self.header[7],
        ])
    }

    /// Synchronization source identifier.
    #[inline]
    pub fn ssrc(&self) -> u32 {
        u32::from_be_bytes([
            self.header[8],
            self.header[9],
            self.header[10],
            self.header[11],
        ])
    }

    /// Number of contributing sources.
    #[inline]
    pub fn csrc_count(&self) -> usize {
        self.csrc.len() / 4
    }

    /// The contributing source identifiers.
    #[inline]
    pub fn csrcs(&self) -> impl ExactSizeIterator<Item = u32> + 'a {
        self.csrc
            .chunks_exact(4)
            .map(|c| <[u8; 4]>::try_from(c).map_or(0, u32::from_be_bytes))
    }

    /// The header extension, when the X bit is set.
    #[inline]
    pub fn extension(&self) -> Option<HeaderExtension<'a>> {
        self.extension
    }

    /// The payload, without padding.
    #[inline]
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// Length of everything before the payload (fixed header, CSRCs, extension).
    #[inline]
    pub fn header_len(&self) -> usize {
        RTP_HEADER_LEN + self.csrc.len() + self.extension.map_or(0, |e| 4 + e.data.len())
    }
}

/// An RTP header extension (RFC 3550 §5.3.1): a 16-bit profile value and its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderExtension<'a> {
    /// Profile-defined value; [`ONE_BYTE_PROFILE`] or [`TWO_BYTE_PROFILE`]`| appbits` for RFC 8285.
    pub profile: u16,
    /// The extension body (a multiple of 4 octets), as on the wire.
    pub data: &'a [u8],
}

impl<'a> HeaderExtension<'a> {
    /// The RFC 8285 form this extension uses, if any.
    #[inline]
    pub fn form(&self) -> Option<ExtensionForm> {
        if self.profile == ONE_BYTE_PROFILE {
            Some(ExtensionForm::OneByte)
        } else if self.profile & 0xFFF0 == TWO_BYTE_PROFILE {
            Some(ExtensionForm::TwoByte)
        } else {
            None
        }
    }

    /// Iterates the RFC 8285 elements (empty for a non-RFC 8285 profile).
    ///
    /// Padding octets are skipped; in the one-byte form, ID 15 stops the iteration (§4.2).
    /// A malformed element (length past the end) ends the iteration; [`validate`](Self::validate)
    /// tells whether that happened.
    #[inline]
    pub fn elements(&self) -> ExtensionElements<'a> {
        ExtensionElements {
            form: self.form(),
            rest: self.data,
        }
    }

    /// The data of the first element with `id`.
    #[inline]
    pub fn element(&self, id: u8) -> Option<&'a [u8]> {
        self.elements().find(|e| e.id == id).map(|e| e.data)
    }

    /// Checks the RFC 8285 element structure: every element's length stays within the
    /// extension. [`RtpPacket::parse`] does not (like deployed receivers, it decodes elements
    /// lazily); call this to reject packets whose elements are malformed.
    ///
    /// # Errors
    ///
    /// [`Error::Truncated`] or [`Error::Malformed`] with the offset within the extension body.
    #[inline]
    pub fn validate(&self) -> Result<()> {
        let Some(form) = self.form() else {
            return Ok(());
        };
        let mut rest = self.data;
        while let Some((&first, after)) = rest.split_first() {
            let at = self.data.len() - rest.len();
            if is_padding(form, first) {
                rest = after;
                continue;
            }
            let (len, after) = match form {
                ExtensionForm::OneByte => {
                    if first >> 4 == 15 {
                        return Ok(());
                    }
                    (usize::from(first & 0x0F) + 1, after)
                }
                ExtensionForm::TwoByte => {
                    let Some((&len, after)) = after.split_first() else {
                        return Err(Error::truncated(at, "extension element length", 1, 0));
                    };
                    (usize::from(len), after)
                }
            };
            let Some(after) = after.get(len..) else {
                return Err(Error::malformed(
                    at,
                    "extension element length",
                    "element data within the extension",
                ));
            };
            rest = after;
        }
        Ok(())
    }
}

/// The two RFC 8285 header-extension forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExtensionForm {
    /// One-byte headers: IDs 1–14, 1–16 data octets (§4.2).
    OneByte,
    /// Two-byte headers: IDs 1–255, 0–255 data octets (§4.3).
    TwoByte,
}

/// One RFC 8285 extension element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExtensionElement<'a> {
    /// Local identifier (1–14 one-byte, 1–255 two-byte).
    pub id: u8,
    /// Element data.
    pub data: &'a [u8],
}

/// Iterator over RFC 8285 extension elements; see [`HeaderExtension::elements`].
#[derive(Debug, Clone)]
pub struct ExtensionElements<'a> {
    form: Option<ExtensionForm>,
    rest: &'a [u8],
}

impl<'a> Iterator for ExtensionElements<'a> {
    type Item = ExtensionElement<'a>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let form = self.form?;
        loop {
            let (&first, after) = self.rest.split_first()?;
            if is_padding(form, first) {
                self.rest = after;
                continue;
            }
            let (id, len, after) = match form {
                ExtensionForm::OneByte => {
                    if first >> 4 == 15 {
                        self.rest = &[];
                        return None;
                    }
                    (first >> 4, usize::from(first & 0x0F) + 1, after)
                }
                ExtensionForm::TwoByte => {
                    let (&len, after) = after.split_first()?;
                    (first, usize::from(len), after)
                }
            };
            let (data, after) = after.split_at_checked(len)?;
            self.rest = after;
            return Some(ExtensionElement { id, data });
        }
    }
}

/// RFC 8285 §4.2/§4.3: ID 0 is padding; a one-byte-form octet with ID 0 is skipped as one
/// padding octet whatever its length nibble (as deployed receivers do).
#[inline]
fn is_padding(form: ExtensionForm, first: u8) -> bool {
    match form {
        ExtensionForm::OneByte => first >> 4 == 0,
        ExtensionForm::TwoByte => first == 0,
    }
}

/// Encodes RFC 8285 elements into `out` (zero-padded to 32 bits) and returns the profile value.
///
/// Uses the one-byte form when every ID is 1–14 and every element has 1–16 octets, the
/// two-byte form otherwise.
///
/// # Errors
///
/// [`Error::InvalidArgument`] for ID 0, or ID 15 / more than 255 octets in the two-byte form.
#[inline]
pub fn encode_extension_elements(
    elements: &[ExtensionElement<'_>],
    out: &mut Vec<u8>,
) -> Result<u16> {
    let one_byte = elements
        .iter()
        .all(|e| (1..=14).contains(&e.id) && (1..=16).contains(&e.data.len()));
    let start = out.len();
    for e in elements {
        if e.id == 0 {
            return Err(Error::InvalidArgument {
                field: "extension element id",
                expected: "1 to 255",
            });
        }
        if one_byte {
            // len is 1..=16 here, so len - 1 fits the 4-bit field.
            #[allow(clippy::cast_possible_truncation)]
            out.push((e.id << 4) | (e.data.len() - 1) as u8);
        } else {
            let Ok(len) = u8::try_from(e.data.len()) else {
                return Err(Error::InvalidArgument {
                    field: "extension element data",
                    expected: "at most 255 octets",
                });
            };
            out.push(e.id);
            out.push(len);
        }
        out.extend_from_slice(e.data);
    }
    while (out.len() - start) % 4 != 0 {
        out.push(0);
    }
    Ok(if one_byte {
        ONE_BYTE_PROFILE
    } else {
        TWO_BYTE_PROFILE
    })
}

/// Builds an RTP packet from its fields.
///
/// The builder only borrows: CSRCs, extension body and payload are copied once, into the
/// output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RtpPacketBuilder<'a> {
    marker: bool,
    payload_type: u8,
    sequence_number: u16,
    timestamp: u32,
    ssrc: u32,
    csrcs: &'a [u32],
    extension: Option<HeaderExtension<'a>>,
    payload: &'a [u8],
    padding: u8,
}

impl<'a> RtpPacketBuilder<'a> {
    /// A packet with the given payload type, sequence number, timestamp and SSRC, no marker,
    /// no CSRCs, no extension and an empty payload.
    #[inline]
    pub fn new(payload_type: u8, sequence_number: u16, timestamp: u32, ssrc: u32) -> Self {
        Self {
            marker: false,
            payload_type,
            sequence_number,
            timestamp,
            ssrc,
            csrcs: &[],
            extension: None,
            payload: &[],
            padding: 0,
        }
    }

    /// Sets the marker bit.
    #[inline]
    pub fn marker(mut self, marker: bool) -> Self {
        self.marker = marker;
        self
    }

    /// Sets the CSRC list (at most 15 entries).
    #[inline]
    pub fn csrcs(mut self, csrcs: &'a [u32]) -> Self {
        self.csrcs = csrcs;
        self
    }

    /// Sets the header extension; `data` must be a multiple of 4 octets (see
    /// [`encode_extension_elements`]).
    #[inline]
    pub fn extension(mut self, profile: u16, data: &'a [u8]) -> Self {
        self.extension = Some(HeaderExtension { profile, data });
        self
    }

    /// Sets the payload.
    #[inline]
    pub fn payload(mut self, payload: &'a [u8]) -> Self {
        self.payload = payload;
        self
    }

    /// Appends `padding` octets (0 = none; the last one holds the count).
    #[inline]
    pub fn padding(mut self, padding: u8) -> Self {
        self.padding = padding;
        self
    }

    /// The number of octets [`write_to_slice`](Self::write_to_slice) writes.
    #[inline]
    pub fn encoded_len(&self) -> usize {
        RTP_HEADER_LEN
            + self.csrcs.len() * 4
            + self.extension.map_or(0, |e| 4 + e.data.len())
            + self.payload.len()
            + usize::from(self.padding)
    }

    /// Writes the packet to the front of `out` and returns its length.
    ///
    /// # Errors
    ///
    /// [`Error::BufferTooSmall`] when `out` is shorter than [`encoded_len`](Self::encoded_len);
    /// [`Error::InvalidArgument`] for more than 15 CSRCs, a payload type above 127, or an
    /// extension body that is not a multiple of 4 octets or longer than 262140 octets.
    #[inline]
    pub fn write_to_slice(&self, out: &mut [u8]) -> Result<usize> {
        let first = self.first_octet()?;
        let len = self.encoded_len();
        let available = out.len();
        let Some((header, mut rest)) = out.split_first_chunk_mut::<RTP_HEADER_LEN>() else {
            return Err(Error::BufferTooSmall {
                needed: len,
                available,
            });
        };
        if available < len {
            return Err(Error::BufferTooSmall {
                needed: len,
                available,
            });
        }
        let [s0, s1] = self.sequence_number.to_be_bytes();
        let [t0, t1, t2, t3] = self.timestamp.to_be_bytes();
        let [c0, c1, c2, c3] = self.ssrc.to_be_bytes();
        *header = [
            first,
            (u8::from(self.marker) << 7) | self.payload_type,
            s0,
            s1,
            t0,
            t1,
            t2,
            t3,
            c0,
            c1,
            c2,
            c3,
        ];
        for csrc in self.csrcs {
            let Some((dst, after)) = core::mem::take(&mut rest).split_first_chunk_mut::<4>() else {
                break;
            };
            *dst = csrc.to_be_bytes();
            rest = after;
        }
        if let Some(ext) = self.extension {
            let Some((dst, after)) = core::mem::take(&mut rest).split_first_chunk_mut::<4>() else {
                return Ok(0);
            };
            let [p0, p1] = ext.profile.to_be_bytes();
            // Checked in first_octet(): the body is at most 0xFFFF words.
            #[allow(clippy::cast_possible_truncation)]
            let [w0, w1] = ((ext.data.len() / 4) as u16).to_be_bytes();
            *dst = [p0, p1, w0, w1];
            rest = copy_front(after, ext.data);
        }
        rest = copy_front(rest, self.payload);
        if self.padding > 0 {
            let pad = usize::from(self.padding);
            if let Some(p) = rest.get_mut(..pad) {
                p.fill(0);
                if let Some(last) = p.last_mut() {
                    *last = self.padding;
                }
            }
        }
        Ok(len)
    }

    /// Appends the packet to `out`.
    ///
    /// # Errors
    ///
    /// As [`write_to_slice`](Self::write_to_slice), except that the buffer grows as needed.
    #[inline]
    pub fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        let first = self.first_octet()?;
        if out.remaining_mut() < self.encoded_len() {
            return Err(Error::BufferTooSmall {
                needed: self.encoded_len(),
                available: out.remaining_mut(),
            });
        }
        out.put_u8(first);
        out.put_u8((u8::from(self.marker) << 7) | self.payload_type);
        out.put_u16(self.sequence_number);
        out.put_u32(self.timestamp);
        out.put_u32(self.ssrc);
        for csrc in self.csrcs {
            out.put_u32(*csrc);
        }
        if let Some(ext) = self.extension {
            out.put_u16(ext.profile);
            #[allow(clippy::cast_possible_truncation)]
            out.put_u16((ext.data.len() / 4) as u16);
            out.put_slice(ext.data);
        }
        out.put_slice(self.payload);
        if self.padding > 0 {
            out.put_bytes(0, usize::from(self.padding) - 1);
            out.put_u8(self.padding);
        }
        Ok(())
    }

    /// Serializes into a new [`bytes::Bytes`].
    ///
    /// # Errors
    ///
    /// As [`write_to_slice`](Self::write_to_slice).
    #[inline]
    pub fn to_bytes(&self) -> Result<bytes::Bytes> {
        let mut out = bytes::BytesMut::with_capacity(self.encoded_len());
        self.write(&mut out)?;
        Ok(out.freeze())
    }

    #[inline]
    fn first_octet(&self) -> Result<u8> {
        let Ok(cc) = u8::try_from(self.csrcs.len()) else {
            return Err(csrc_error());
        };
        if cc > 15 {
            return Err(csrc_error());
        }
        if self.payload_type > 127 {
            return Err(Error::InvalidArgument {
                field: "payload type",
                expected: "0 to 127",
            });
        }
        let mut first = 0x80 | cc;
        if let Some(ext) = self.extension {
            if ext.data.len() % 4 != 0 || ext.data.len() / 4 > usize::from(u16::MAX) {
                return Err(Error::InvalidArgument {
                    field: "extension data",
                    expected: "a multiple of 4 octets, at most 262140",
                });
            }
            first |= 0x10;
        }
        if self.padding > 0 {
            first |= 0x20;
        }
        Ok(first)
    }
}

#[inline]
fn csrc_error() -> Error {
    Error::InvalidArgument {
        field: "csrc list",
        expected: "at most 15 entries",
    }
}

/// Copies `src` to the front of `dst` and returns the rest of `dst`.
#[inline]
fn copy_front<'b>(dst: &'b mut [u8], src: &[u8]) -> &'b mut [u8] {
    let (head, tail) = dst.split_at_mut(src.len().min(dst.len()));
    head.copy_from_slice(src.get(..head.len()).unwrap_or_default());
    tail
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(b: RtpPacketBuilder<'_>) -> Vec<u8> {
        let mut v = vec![0u8; b.encoded_len()];
        let n = b.write_to_slice(&mut v).unwrap();
        assert_eq!(n, v.len());
        let mut w = Vec::new();
        b.write(&mut w).unwrap();
        assert_eq!(v, w);
        v
    }

    #[test]
    fn minimal_header_fields() {
        let bytes = [
            0x80,
            0x80 | 8,
            0x12,
            0x34,
            0,
            0,
            0x01,
            0x00,
            0xDE,
            0xAD,
            0xBE,
            0xEF,
            1,
            2,
            3,
        ];
        let p = RtpPacket::parse(&bytes).unwrap();
        assert_eq!(p.version(), 2);
        assert!(p.marker());
        assert_eq!(p.payload_type(), 8);
        assert_eq!(p.sequence_number(), 0x1234);
        assert_eq!(p.timestamp(), 256);
        assert_eq!(p.ssrc(), 0xDEAD_BEEF);
        assert_eq!(p.payload(), &[1, 2, 3]);
        assert_eq!(p.csrc_count(), 0);
        assert!(p.extension().is_none());
        assert_eq!(p.header_len(), 12);
    }

    #[test]
    fn csrcs_extension_and_padding_round_trip() {
        let mut ext = Vec::new();
        let elements = [
            ExtensionElement {
                id: 1,
                data: &[0x95],
            },
            ExtensionElement {
                id: 3,
                data: &[1, 0x2C],
            },
        ];
        let profile = encode_extension_elements(&elements, &mut ext).unwrap();
        assert_eq!(profile, ONE_BYTE_PROFILE);
        assert_eq!(ext, [0x10, 0x95, 0x31, 0x01, 0x2C, 0, 0, 0]);
        let bytes = build(
            RtpPacketBuilder::new(111, 1, 2, 3)
                .csrcs(&[7, 8])
                .extension(profile, &ext)
                .payload(b"abc")
                .padding(5),
        );
        let p = RtpPacket::parse(&bytes).unwrap();
        assert_eq!(p.csrcs().collect::<Vec<_>>(), [7, 8]);
        assert_eq!(
            p.extension().unwrap().elements().collect::<Vec<_>>(),
            elements
        );
        assert_eq!(p.extension().unwrap().element(3), Some(&[1u8, 0x2C][..]));
        assert_eq!(p.payload(), b"abc");
        assert_eq!(p.padding_len(), 5);
        assert_eq!(p.header_len(), 12 + 8 + 12);
    }

    #[test]
    fn two_byte_form() {
        let mut ext = Vec::new();
        let long = [9u8; 20];
        let elements = [
            ExtensionElement {
                id: 200,
                data: &long,
            },
            ExtensionElement { id: 2, data: &[] },
        ];
        let profile = encode_extension_elements(&elements, &mut ext).unwrap();
        assert_eq!(profile, TWO_BYTE_PROFILE);
        let bytes = build(RtpPacketBuilder::new(96, 1, 2, 3).extension(profile, &ext));
        let p = RtpPacket::parse(&bytes).unwrap();
        let ext = p.extension().unwrap();
        assert_eq!(ext.form(), Some(ExtensionForm::TwoByte));
        assert_eq!(ext.elements().collect::<Vec<_>>(), elements);
    }

    #[test]
    fn one_byte_id_15_stops() {
        let bytes = [
            0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0, 1, 0x10, 0xAA, 0xF0, 0xFF,
        ];
        let p = RtpPacket::parse(&bytes).unwrap();
        let e: Vec<_> = p.extension().unwrap().elements().collect();
        assert_eq!(
            e,
            [ExtensionElement {
                id: 1,
                data: &[0xAA]
            }]
        );
    }

    #[test]
    fn one_byte_id_0_is_a_padding_octet_whatever_its_length() {
        // Found by the `rtp` fuzz target: 0x02 (ID 0, length nibble 2) once parsed as an
        // element with ID 0; it is one padding octet.
        let bytes = [
            0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0, 2, 0x10, 0xAA, 0x02, 0x20, 0xBB,
            0, 0, 0,
        ];
        let p = RtpPacket::parse(&bytes).unwrap();
        let e: Vec<_> = p.extension().unwrap().elements().collect();
        assert_eq!(
            e,
            [
                ExtensionElement {
                    id: 1,
                    data: &[0xAA]
                },
                ExtensionElement {
                    id: 2,
                    data: &[0xBB]
                }
            ]
        );
        assert!(e.iter().all(|e| e.id != 0));
    }

    #[test]
    fn rejects() {
        let ok = build(RtpPacketBuilder::new(0, 1, 2, 3).payload(&[1, 2, 3, 4]));
        assert!(matches!(
            RtpPacket::parse(&ok[..11]),
            Err(Error::Truncated { .. })
        ));
        let mut v1 = ok.clone();
        v1[0] = 0x40;
        assert!(matches!(
            RtpPacket::parse(&v1),
            Err(Error::Malformed {
                field: "version",
                ..
            })
        ));
        let mut cc = ok.clone();
        cc[0] |= 0x02; // two CSRCs but only 4 octets follow
        assert!(matches!(
            RtpPacket::parse(&cc),
            Err(Error::Truncated {
                field: "csrc list",
                ..
            })
        ));
        let mut pad = ok.clone();
        pad[0] |= 0x20;
        *pad.last_mut().unwrap() = 0;
        assert!(matches!(
            RtpPacket::parse(&pad),
            Err(Error::Malformed {
                field: "padding length",
                ..
            })
        ));
        *pad.last_mut().unwrap() = 5;
        assert!(matches!(
            RtpPacket::parse(&pad),
            Err(Error::Malformed { .. })
        ));
        *pad.last_mut().unwrap() = 4;
        assert_eq!(RtpPacket::parse(&pad).unwrap().payload(), b"");
        // Extension element running past the extension body: the packet parses, the element
        // iteration stops there and validate() reports it.
        let bad = [
            0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0, 1, 0x13, 0, 0, 0,
        ];
        let ext = RtpPacket::parse(&bad).unwrap().extension().unwrap();
        assert_eq!(ext.elements().count(), 0);
        assert!(matches!(
            ext.validate(),
            Err(Error::Malformed { offset: 0, .. })
        ));
        let two = [
            0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0x10, 0x00, 0, 1, 1, 1, 7, 5,
        ];
        let ext = RtpPacket::parse(&two).unwrap().extension().unwrap();
        assert_eq!(
            ext.elements().collect::<Vec<_>>(),
            [ExtensionElement { id: 1, data: &[7] }]
        );
        assert!(matches!(
            ext.validate(),
            Err(Error::Truncated { offset: 3, .. })
        ));
        let bad2 = [
            0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0, 2, 0, 0, 0, 0,
        ];
        assert!(matches!(
            RtpPacket::parse(&bad2),
            Err(Error::Truncated { .. })
        ));
    }

    #[test]
    fn builder_errors() {
        let mut small = [0u8; 12];
        assert!(matches!(
            RtpPacketBuilder::new(0, 0, 0, 0)
                .payload(b"x")
                .write_to_slice(&mut small),
            Err(Error::BufferTooSmall {
                needed: 13,
                available: 12
            })
        ));
        assert!(RtpPacketBuilder::new(128, 0, 0, 0)
            .write_to_slice(&mut [0; 64])
            .is_err());
        assert!(RtpPacketBuilder::new(0, 0, 0, 0)
            .csrcs(&[0; 16])
            .write_to_slice(&mut [0; 128])
            .is_err());
        assert!(RtpPacketBuilder::new(0, 0, 0, 0)
            .extension(0xBEDE, &[1, 2, 3])
            .write_to_slice(&mut [0; 64])
            .is_err());
    }
}
