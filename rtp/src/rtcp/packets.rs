//! The RTCP packet types: borrowing views produced by [`Compound`](super::Compound).

use super::{u16_at, u32_at, RawPacket};
use crate::error::{Error, Result};

/// Length of one report block (§6.4.1).
pub(crate) const REPORT_BLOCK_LEN: usize = 24;
/// Length of the sender info section (§6.4.1).
pub(crate) const SENDER_INFO_LEN: usize = 20;

/// The sender information section of an SR (§6.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct SenderInfo {
    /// NTP timestamp (64-bit fixed point, seconds since 1900).
    pub ntp_timestamp: u64,
    /// RTP timestamp of the same instant.
    pub rtp_timestamp: u32,
    /// Sender's packet count.
    pub packet_count: u32,
    /// Sender's payload octet count.
    pub octet_count: u32,
}

impl SenderInfo {
    #[inline]
    fn parse(b: &[u8]) -> Self {
        Self {
            ntp_timestamp: (u64::from(u32_at(b, 0)) << 32) | u64::from(u32_at(b, 4)),
            rtp_timestamp: u32_at(b, 8),
            packet_count: u32_at(b, 12),
            octet_count: u32_at(b, 16),
        }
    }
}

/// A reception report block (§6.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct ReportBlock {
    /// The source this block reports on.
    pub ssrc: u32,
    /// Fraction lost since the previous report, in 1/256.
    pub fraction_lost: u8,
    /// Cumulative number of packets lost (24-bit signed: -8388608 to 8388607).
    pub cumulative_lost: i32,
    /// Extended highest sequence number received.
    pub extended_highest_sequence: u32,
    /// Interarrival jitter in timestamp units.
    pub jitter: u32,
    /// Middle 32 bits of the NTP timestamp of the last SR from the source (LSR).
    pub last_sender_report: u32,
    /// Delay since that SR in 1/65536 s (DLSR).
    pub delay_since_last_sender_report: u32,
}

impl ReportBlock {
    #[inline]
    fn parse(b: &[u8]) -> Self {
        let word = u32_at(b, 4);
        // Sign-extend the 24-bit cumulative loss.
        #[allow(clippy::cast_possible_wrap)]
        let cumulative_lost = ((word << 8) as i32) >> 8;
        Self {
            ssrc: u32_at(b, 0),
            fraction_lost: (word >> 24) as u8,
            cumulative_lost,
            extended_highest_sequence: u32_at(b, 8),
            jitter: u32_at(b, 12),
            last_sender_report: u32_at(b, 16),
            delay_since_last_sender_report: u32_at(b, 20),
        }
    }

    #[inline]
    pub(crate) fn to_bytes(self) -> [u8; REPORT_BLOCK_LEN] {
        let mut out = [0u8; REPORT_BLOCK_LEN];
        let lost = self.cumulative_lost.clamp(-0x80_0000, 0x7F_FFFF);
        #[allow(clippy::cast_sign_loss)]
        let word = (u32::from(self.fraction_lost) << 24) | (lost as u32 & 0x00FF_FFFF);
        for (chunk, value) in out.chunks_exact_mut(4).zip([
            self.ssrc,
            word,
            self.extended_highest_sequence,
            self.jitter,
            self.last_sender_report,
            self.delay_since_last_sender_report,
        ]) {
            chunk.copy_from_slice(&value.to_be_bytes());
        }
        out
    }
}

/// The report blocks of an SR or RR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReportBlocks<'a> {
    data: &'a [u8],
}

impl<'a> ReportBlocks<'a> {
    /// Number of blocks.
    #[inline]
    pub fn len(&self) -> usize {
        self.data.len() / REPORT_BLOCK_LEN
    }

    /// Whether there are none.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Iterates the blocks.
    #[inline]
    pub fn iter(&self) -> impl ExactSizeIterator<Item = ReportBlock> + 'a {
        self.data
            .chunks_exact(REPORT_BLOCK_LEN)
            .map(ReportBlock::parse)
    }
}

/// A sender report (§6.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SenderReport<'a> {
    /// SSRC of the sender.
    pub ssrc: u32,
    /// Sender information.
    pub sender_info: SenderInfo,
    /// Reception report blocks.
    pub reports: ReportBlocks<'a>,
    /// Profile-specific extension after the report blocks (usually empty).
    pub extension: &'a [u8],
}

impl<'a> SenderReport<'a> {
    /// The length check of [`parse`](Self::parse) alone.
    #[inline]
    pub(crate) fn check(p: &RawPacket<'a>, offset: usize) -> Result<()> {
        let needed = 4 + SENDER_INFO_LEN + usize::from(p.count) * REPORT_BLOCK_LEN;
        if p.body.len() < needed {
            return Err(Error::truncated(
                offset + 4,
                "sender report",
                needed,
                p.body.len(),
            ));
        }
        Ok(())
    }

    #[inline]
    pub(crate) fn parse(p: &RawPacket<'a>, offset: usize) -> Result<Self> {
        let blocks = usize::from(p.count) * REPORT_BLOCK_LEN;
        let needed = 4 + SENDER_INFO_LEN + blocks;
        if p.body.len() < needed {
            return Err(Error::truncated(
                offset + 4,
                "sender report",
                needed,
                p.body.len(),
            ));
        }
        Ok(Self {
            ssrc: u32_at(p.body, 0),
            sender_info: SenderInfo::parse(p.body.get(4..).unwrap_or_default()),
            reports: ReportBlocks {
                data: p.body.get(4 + SENDER_INFO_LEN..needed).unwrap_or_default(),
            },
            extension: p.body.get(needed..).unwrap_or_default(),
        })
    }
}

/// A receiver report (§6.4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiverReport<'a> {
    /// SSRC of the packet's sender.
    pub ssrc: u32,
    /// Reception report blocks.
    pub reports: ReportBlocks<'a>,
    /// Profile-specific extension after the report blocks (usually empty).
    pub extension: &'a [u8],
}

impl<'a> ReceiverReport<'a> {
    /// The length check of [`parse`](Self::parse) alone.
    #[inline]
    pub(crate) fn check(p: &RawPacket<'a>, offset: usize) -> Result<()> {
        let needed = 4 + usize::from(p.count) * REPORT_BLOCK_LEN;
        if p.body.len() < needed {
            return Err(Error::truncated(
                offset + 4,
                "receiver report",
                needed,
                p.body.len(),
            ));
        }
        Ok(())
    }

    #[inline]
    pub(crate) fn parse(p: &RawPacket<'a>, offset: usize) -> Result<Self> {
        let needed = 4 + usize::from(p.count) * REPORT_BLOCK_LEN;
        if p.body.len() < needed {
            return Err(Error::truncated(
                offset + 4,
                "receiver report",
                needed,
                p.body.len(),
            ));
        }
        Ok(Self {
            ssrc: u32_at(p.body, 0),
            reports: ReportBlocks {
                data: p.body.get(4..needed).unwrap_or_default(),
            },
            extension: p.body.get(needed..).unwrap_or_default(),
        })
    }
}

/// SDES item types (§6.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SdesItemType {
    /// Canonical end-point identifier (1).
    Cname,
    /// User name (2).
    Name,
    /// Electronic mail address (3).
    Email,
    /// Phone number (4).
    Phone,
    /// Geographic user location (5).
    Location,
    /// Application or tool name (6).
    Tool,
    /// Notice/status (7).
    Note,
    /// Private extension (8): value holds prefix length, prefix and value.
    Private,
    /// An item type this crate does not know (9–255).
    Other(u8),
}

impl SdesItemType {
    /// The type from its wire value (1–255; 0 ends a chunk and is not an item).
    #[inline]
    pub fn from_u8(value: u8) -> Self {
        match value {
            1 => Self::Cname,
            2 => Self::Name,
            3 => Self::Email,
            4 => Self::Phone,
            5 => Self::Location,
            6 => Self::Tool,
            7 => Self::Note,
            8 => Self::Private,
            other => Self::Other(other),
        }
    }

    /// The wire value.
    #[inline]
    pub fn to_u8(self) -> u8 {
        match self {
            Self::Cname => 1,
            Self::Name => 2,
            Self::Email => 3,
            Self::Phone => 4,
            Self::Location => 5,
            Self::Tool => 6,
            Self::Note => 7,
            Self::Private => 8,
            Self::Other(other) => other,
        }
    }
}

/// One SDES item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SdesItem<'a> {
    /// Item type.
    pub kind: SdesItemType,
    /// Item value as on the wire (UTF-8 text for the standard items).
    pub value: &'a [u8],
}

impl<'a> SdesItem<'a> {
    /// An item of `kind` with `value`.
    #[inline]
    pub fn new(kind: SdesItemType, value: &'a [u8]) -> Self {
        Self { kind, value }
    }

    /// For a PRIV item, its (prefix, value) parts (§6.5.8).
    #[inline]
    pub fn private_parts(&self) -> Option<(&'a [u8], &'a [u8])> {
        if self.kind != SdesItemType::Private {
            return None;
        }
        let (&len, rest) = self.value.split_first()?;
        rest.split_at_checked(usize::from(len))
    }
}

/// A source description packet (§6.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceDescription<'a> {
    count: u8,
    body: &'a [u8],
}

impl<'a> SourceDescription<'a> {
    /// The view of an already validated packet (no walk over the chunks).
    #[inline]
    pub(crate) fn view(p: &RawPacket<'a>) -> Self {
        Self {
            count: p.count,
            body: p.body,
        }
    }

    #[inline]
    pub(crate) fn parse(p: &RawPacket<'a>, offset: usize) -> Result<Self> {
        let mut rest = p.body;
        for _ in 0..p.count {
            let at = offset + 4 + (p.body.len() - rest.len());
            let Some((_, after)) = split_chunk(rest, at)? else {
                return Err(Error::truncated(at, "sdes chunk", 8, rest.len()));
            };
            rest = after;
        }
        if !rest.is_empty() {
            return Err(Error::malformed(
                offset + 4 + (p.body.len() - rest.len()),
                "sdes chunks",
                "exactly source-count chunks",
            ));
        }
        Ok(Self {
            count: p.count,
            body: p.body,
        })
    }

    /// Number of chunks.
    #[inline]
    pub fn len(&self) -> usize {
        usize::from(self.count)
    }

    /// Whether the packet has no chunks.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Iterates the chunks.
    #[inline]
    pub fn chunks(&self) -> SdesChunks<'a> {
        SdesChunks {
            left: self.count,
            rest: self.body,
        }
    }
}

/// Iterator over SDES chunks.
#[derive(Debug, Clone)]
pub struct SdesChunks<'a> {
    left: u8,
    rest: &'a [u8],
}

impl<'a> Iterator for SdesChunks<'a> {
    type Item = SdesChunk<'a>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.left = self.left.checked_sub(1)?;
        let (chunk, rest) = split_chunk(self.rest, 0).ok()??;
        self.rest = rest;
        Some(chunk)
    }
}

/// One SDES chunk: an SSRC/CSRC and its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SdesChunk<'a> {
    /// The source described.
    pub ssrc: u32,
    items: &'a [u8],
}

impl<'a> SdesChunk<'a> {
    /// Iterates the items.
    #[inline]
    pub fn items(&self) -> SdesItems<'a> {
        SdesItems { rest: self.items }
    }

    /// The CNAME item's value, if present.
    #[inline]
    pub fn cname(&self) -> Option<&'a [u8]> {
        self.items()
            .find(|i| i.kind == SdesItemType::Cname)
            .map(|i| i.value)
    }
}

/// Iterator over the items of an SDES chunk.
#[derive(Debug, Clone)]
pub struct SdesItems<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for SdesItems<'a> {
    type Item = SdesItem<'a>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let (&kind, rest) = self.rest.split_first()?;
        let (&len, rest) = rest.split_first()?;
        let (value, rest) = rest.split_at_checked(usize::from(len))?;
        self.rest = rest;
        Some(SdesItem {
            kind: SdesItemType::from_u8(kind),
            value,
        })
    }
}

/// Splits one chunk off `buf`: `Ok(None)` when `buf` has no room for an SSRC.
#[inline]
fn split_chunk(buf: &[u8], offset: usize) -> Result<Option<(SdesChunk<'_>, &[u8])>> {
    if buf.len() < 4 {
        return Ok(None);
    }
    let ssrc = u32_at(buf, 0);
    let items_start = buf.get(4..).unwrap_or_default();
    let mut rest = items_start;
    loop {
        let Some((&kind, after)) = rest.split_first() else {
            return Err(Error::truncated(
                offset + buf.len(),
                "sdes chunk terminator",
                1,
                0,
            ));
        };
        if kind == 0 {
            // §6.5: the item list ends with a null octet, then nulls up to a 32-bit boundary.
            let items_len = items_start.len() - rest.len();
            let used = 4 + items_len + 1;
            let padded = used.next_multiple_of(4);
            let Some(after) = buf.get(padded..) else {
                return Err(Error::truncated(
                    offset + used,
                    "sdes chunk padding",
                    padded - used,
                    buf.len() - used,
                ));
            };
            let items = items_start.get(..items_len).unwrap_or_default();
            return Ok(Some((SdesChunk { ssrc, items }, after)));
        }
        let Some((&len, after)) = after.split_first() else {
            return Err(Error::truncated(
                offset + buf.len(),
                "sdes item length",
                1,
                0,
            ));
        };
        let Some(after) = after.get(usize::from(len)..) else {
            return Err(Error::truncated(
                offset + (buf.len() - rest.len()),
                "sdes item",
                usize::from(len) + 2,
                rest.len(),
            ));
        };
        rest = after;
    }
}

/// A goodbye packet (§6.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Goodbye<'a> {
    sources: &'a [u8],
    reason: Option<&'a [u8]>,
}

impl<'a> Goodbye<'a> {
    #[inline]
    pub(crate) fn parse(p: &RawPacket<'a>, offset: usize) -> Result<Self> {
        let sources_len = usize::from(p.count) * 4;
        let Some((sources, rest)) = p.body.split_at_checked(sources_len) else {
            return Err(Error::truncated(
                offset + 4,
                "bye sources",
                sources_len,
                p.body.len(),
            ));
        };
        let reason = match rest.split_first() {
            None => None,
            Some((&len, text)) => {
                let Some(reason) = text.get(..usize::from(len)) else {
                    return Err(Error::truncated(
                        offset + 5 + sources_len,
                        "bye reason",
                        usize::from(len),
                        text.len(),
                    ));
                };
                if text.len() - reason.len() > 3 {
                    return Err(Error::malformed(
                        offset + 5 + sources_len + reason.len(),
                        "bye packet length",
                        "reason padded to 32 bits and nothing after it",
                    ));
                }
                Some(reason)
            }
        };
        Ok(Self { sources, reason })
    }

    /// The sources leaving.
    #[inline]
    pub fn sources(&self) -> impl ExactSizeIterator<Item = u32> + 'a {
        self.sources.chunks_exact(4).map(|c| u32_at(c, 0))
    }

    /// The reason for leaving, when given.
    #[inline]
    pub fn reason(&self) -> Option<&'a [u8]> {
        self.reason
    }
}

/// An application-defined packet (§6.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct App<'a> {
    /// Subtype (5 bits).
    pub subtype: u8,
    /// Sender SSRC.
    pub ssrc: u32,
    /// Four ASCII characters naming the application.
    pub name: [u8; 4],
    /// Application-dependent data.
    pub data: &'a [u8],
}

impl<'a> App<'a> {
    #[inline]
    pub(crate) fn parse(p: &RawPacket<'a>, offset: usize) -> Result<Self> {
        let Some((head, data)) = p.body.split_first_chunk::<8>() else {
            return Err(Error::truncated(offset + 4, "app packet", 8, p.body.len()));
        };
        Ok(Self {
            subtype: p.count,
            ssrc: u32_at(head, 0),
            name: [head[4], head[5], head[6], head[7]],
            data,
        })
    }
}

/// One generic NACK entry (RFC 4585 §6.2.1): a lost packet ID and a bitmask of the 16 after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NackPair {
    /// Packet ID: the sequence number of a lost packet.
    pub packet_id: u16,
    /// Bitmask of following lost packets: bit i set = `packet_id + i + 1` lost.
    pub lost_bitmask: u16,
}

impl NackPair {
    /// The lost sequence numbers this entry names.
    #[inline]
    pub fn lost_sequence_numbers(&self) -> impl Iterator<Item = u16> {
        let (pid, blp) = (self.packet_id, self.lost_bitmask);
        core::iter::once(pid).chain(
            (0..16u16)
                .filter(move |i| blp & (1 << i) != 0)
                .map(move |i| pid.wrapping_add(i + 1)),
        )
    }

    /// Packs ascending sequence numbers into as few entries as possible.
    #[inline]
    pub fn from_sequence_numbers(lost: impl IntoIterator<Item = u16>) -> Vec<Self> {
        let mut out: Vec<Self> = Vec::new();
        for seq in lost {
            if let Some(last) = out.last_mut() {
                let delta = seq.wrapping_sub(last.packet_id);
                if (1..=16).contains(&delta) {
                    last.lost_bitmask |= 1 << (delta - 1);
                    continue;
                }
            }
            out.push(Self {
                packet_id: seq,
                lost_bitmask: 0,
            });
        }
        out
    }
}

/// The entries of a NACK packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NackPairs<'a> {
    data: &'a [u8],
}

impl<'a> NackPairs<'a> {
    /// Number of entries.
    #[inline]
    pub fn len(&self) -> usize {
        self.data.len() / 4
    }

    /// Whether there are none.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Iterates the entries.
    #[inline]
    pub fn iter(&self) -> impl ExactSizeIterator<Item = NackPair> + 'a {
        self.data.chunks_exact(4).map(|c| NackPair {
            packet_id: u16_at(c, 0),
            lost_bitmask: u16_at(c, 2),
        })
    }
}

/// RTPFB generic NACK (RFC 4585 §6.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nack<'a> {
    /// SSRC of the packet sender.
    pub sender_ssrc: u32,
    /// SSRC of the media source the NACK is about.
    pub media_ssrc: u32,
    /// The NACK entries.
    pub pairs: NackPairs<'a>,
}

impl<'a> Nack<'a> {
    #[inline]
    pub(crate) fn parse(p: &RawPacket<'a>, offset: usize) -> Result<Self> {
        let (sender_ssrc, media_ssrc, fci) = feedback_header(p, offset)?;
        if fci.is_empty() || fci.len() % 4 != 0 {
            return Err(Error::malformed(
                offset + 12,
                "nack fci",
                "one or more 4-octet entries",
            ));
        }
        Ok(Self {
            sender_ssrc,
            media_ssrc,
            pairs: NackPairs { data: fci },
        })
    }
}

/// PSFB picture loss indication (RFC 4585 §6.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PictureLossIndication {
    /// SSRC of the packet sender.
    pub sender_ssrc: u32,
    /// SSRC of the media source.
    pub media_ssrc: u32,
}

impl PictureLossIndication {
    #[inline]
    pub(crate) fn parse(p: &RawPacket<'_>, offset: usize) -> Result<Self> {
        let (sender_ssrc, media_ssrc, _) = feedback_header(p, offset)?;
        Ok(Self {
            sender_ssrc,
            media_ssrc,
        })
    }
}

/// One FIR entry (RFC 5104 §4.3.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FirEntry {
    /// The media sender asked for a decoder refresh.
    pub ssrc: u32,
    /// Command sequence number.
    pub sequence_number: u8,
}

/// The entries of a FIR packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirEntries<'a> {
    data: &'a [u8],
}

impl<'a> FirEntries<'a> {
    /// Number of entries.
    #[inline]
    pub fn len(&self) -> usize {
        self.data.len() / 8
    }

    /// Whether there are none.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Iterates the entries.
    #[inline]
    pub fn iter(&self) -> impl ExactSizeIterator<Item = FirEntry> + 'a {
        self.data.chunks_exact(8).map(|c| FirEntry {
            ssrc: u32_at(c, 0),
            sequence_number: (u32_at(c, 4) >> 24) as u8,
        })
    }
}

/// PSFB full intra request (RFC 5104 §4.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FullIntraRequest<'a> {
    /// SSRC of the packet sender.
    pub sender_ssrc: u32,
    /// Media source SSRC (RFC 5104: unused, 0).
    pub media_ssrc: u32,
    /// The FIR entries.
    pub entries: FirEntries<'a>,
}

impl<'a> FullIntraRequest<'a> {
    #[inline]
    pub(crate) fn parse(p: &RawPacket<'a>, offset: usize) -> Result<Self> {
        let (sender_ssrc, media_ssrc, fci) = feedback_header(p, offset)?;
        if fci.is_empty() || fci.len() % 8 != 0 {
            return Err(Error::malformed(
                offset + 12,
                "fir fci",
                "one or more 8-octet entries",
            ));
        }
        Ok(Self {
            sender_ssrc,
            media_ssrc,
            entries: FirEntries { data: fci },
        })
    }
}

/// A packet of a type (or feedback format) this crate does not interpret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownPacket<'a> {
    /// Packet type.
    pub packet_type: u8,
    /// The 5-bit count / format field.
    pub count: u8,
    /// Body after the 4-octet header, padding removed.
    pub body: &'a [u8],
}

#[inline]
fn feedback_header<'a>(p: &RawPacket<'a>, offset: usize) -> Result<(u32, u32, &'a [u8])> {
    let Some((head, fci)) = p.body.split_first_chunk::<8>() else {
        return Err(Error::truncated(
            offset + 4,
            "feedback header",
            8,
            p.body.len(),
        ));
    };
    Ok((u32_at(head, 0), u32_at(head, 4), fci))
}
