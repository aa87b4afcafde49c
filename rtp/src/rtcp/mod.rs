//! RTCP (RFC 3550 §6) compound packets, RFC 4585 / RFC 5104 feedback and RFC 5506
//! reduced-size RTCP.
//!
//! [`Compound::parse`] validates a whole compound packet per RFC 3550 A.2 and then hands out
//! borrowing views ([`RtcpPacket`]) of each packet in it. [`CompoundBuilder`] writes one.
//!
//! ```
//! use rtp::rtcp::{Compound, CompoundBuilder, RtcpPacket, SdesItem, SdesItemType, SenderInfo};
//!
//! let mut builder = CompoundBuilder::new();
//! builder.sender_report(0x1234, SenderInfo::default(), &[])?;
//! builder.source_description(0x1234, &[SdesItem::new(SdesItemType::Cname, b"alice@host")])?;
//! let bytes = builder.finish();
//!
//! let compound = Compound::parse(&bytes)?;
//! let mut packets = compound.packets();
//! assert!(matches!(packets.next(), Some(RtcpPacket::SenderReport(sr)) if sr.ssrc == 0x1234));
//! let Some(RtcpPacket::SourceDescription(sdes)) = packets.next() else { panic!() };
//! assert_eq!(sdes.chunks().next().unwrap().cname(), Some(&b"alice@host"[..]));
//! # Ok::<(), rtp::Error>(())
//! ```

mod builder;
mod packets;

pub use builder::CompoundBuilder;
pub use packets::{
    App, FirEntries, FirEntry, FullIntraRequest, Goodbye, Nack, NackPair, NackPairs,
    PictureLossIndication, ReceiverReport, ReportBlock, ReportBlocks, SdesChunk, SdesChunks,
    SdesItem, SdesItemType, SdesItems, SenderInfo, SenderReport, SourceDescription, UnknownPacket,
};

use crate::error::{Error, Result};

/// Packet type of a sender report.
pub const PT_SR: u8 = 200;
/// Packet type of a receiver report.
pub const PT_RR: u8 = 201;
/// Packet type of a source description.
pub const PT_SDES: u8 = 202;
/// Packet type of a goodbye.
pub const PT_BYE: u8 = 203;
/// Packet type of an application-defined packet.
pub const PT_APP: u8 = 204;
/// RFC 4585 transport-layer feedback.
pub const PT_RTPFB: u8 = 205;
/// RFC 4585 payload-specific feedback.
pub const PT_PSFB: u8 = 206;

/// One packet of a compound RTCP packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RtcpPacket<'a> {
    /// SR (§6.4.1).
    SenderReport(SenderReport<'a>),
    /// RR (§6.4.2).
    ReceiverReport(ReceiverReport<'a>),
    /// SDES (§6.5).
    SourceDescription(SourceDescription<'a>),
    /// BYE (§6.6).
    Goodbye(Goodbye<'a>),
    /// APP (§6.7).
    App(App<'a>),
    /// RTPFB generic NACK (RFC 4585 §6.2.1).
    Nack(Nack<'a>),
    /// PSFB picture loss indication (RFC 4585 §6.3.1).
    PictureLossIndication(PictureLossIndication),
    /// PSFB full intra request (RFC 5104 §4.3.1).
    FullIntraRequest(FullIntraRequest<'a>),
    /// Any other packet type or feedback format, kept raw.
    Unknown(UnknownPacket<'a>),
}

impl RtcpPacket<'_> {
    /// The SSRC of the packet's sender (SR/RR/APP/feedback sender, first SDES chunk or BYE
    /// source), when it has one.
    #[inline]
    pub fn sender_ssrc(&self) -> Option<u32> {
        match self {
            Self::SenderReport(p) => Some(p.ssrc),
            Self::ReceiverReport(p) => Some(p.ssrc),
            Self::SourceDescription(p) => p.chunks().next().map(|c| c.ssrc),
            Self::Goodbye(p) => p.sources().next(),
            Self::App(p) => Some(p.ssrc),
            Self::Nack(p) => Some(p.sender_ssrc),
            Self::PictureLossIndication(p) => Some(p.sender_ssrc),
            Self::FullIntraRequest(p) => Some(p.sender_ssrc),
            Self::Unknown(_) => None,
        }
    }
}

/// A validated compound RTCP packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compound<'a> {
    buf: &'a [u8],
    count: usize,
    reduced_size: bool,
}

impl<'a> Compound<'a> {
    /// Parses a compound packet with the full RFC 3550 A.2 checks: every packet version 2,
    /// the first packet an SR or RR, padding only in the last packet, lengths adding up to
    /// the datagram length, and every packet's body well formed.
    ///
    /// # Errors
    ///
    /// [`Error::Truncated`] or [`Error::Malformed`] naming the offset of the faulty packet.
    #[inline]
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        Self::parse_inner(buf, false)
    }

    /// As [`parse`](Self::parse), but also accepts RFC 5506 reduced-size RTCP: the first
    /// packet need not be an SR or RR (e.g. a lone NACK or PLI).
    ///
    /// # Errors
    ///
    /// As [`parse`](Self::parse), without the first-packet rule.
    #[inline]
    pub fn parse_reduced_size(buf: &'a [u8]) -> Result<Self> {
        Self::parse_inner(buf, true)
    }

    #[inline]
    fn parse_inner(buf: &'a [u8], allow_reduced: bool) -> Result<Self> {
        if buf.is_empty() {
            return Err(Error::truncated(0, "rtcp header", 4, 0));
        }
        let mut rest = buf;
        let mut count = 0;
        let mut reduced_size = false;
        while !rest.is_empty() {
            let offset = buf.len() - rest.len();
            let (packet, after) = split_packet(rest, offset)?;
            if packet.padding && !after.is_empty() {
                // A.2: only the last packet of a compound may be padded.
                return Err(Error::malformed(
                    offset,
                    "padding bit",
                    "padding only in the last packet",
                ));
            }
            if count == 0 && packet.packet_type != PT_SR && packet.packet_type != PT_RR {
                if !allow_reduced {
                    return Err(Error::malformed(
                        offset,
                        "packet type",
                        "SR or RR first in a compound packet",
                    ));
                }
                reduced_size = true;
            }
            check_packet(&packet, offset)?;
            count += 1;
            rest = after;
        }
        Ok(Self {
            buf,
            count,
            reduced_size,
        })
    }

    /// Number of packets in the compound.
    #[inline]
    pub fn len(&self) -> usize {
        self.count
    }

    /// Always false: a parsed compound has at least one packet.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Whether the first packet is not an SR or RR (RFC 5506 reduced-size RTCP).
    #[inline]
    pub fn is_reduced_size(&self) -> bool {
        self.reduced_size
    }

    /// The raw bytes of the compound packet.
    #[inline]
    pub fn as_bytes(&self) -> &'a [u8] {
        self.buf
    }

    /// Iterates the packets.
    #[inline]
    pub fn packets(&self) -> Packets<'a> {
        Packets { rest: self.buf }
    }
}

/// Iterator over the packets of a [`Compound`].
#[derive(Debug, Clone)]
pub struct Packets<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Packets<'a> {
    type Item = RtcpPacket<'a>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        // The compound was validated, so neither step fails; stop quietly if one does.
        let (packet, after) = split_packet(self.rest, 0).ok()?;
        self.rest = after;
        view_packet(&packet)
    }
}

/// One packet split off a compound: header fields and body (after the 4-octet header,
/// padding removed).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawPacket<'a> {
    pub(crate) padding: bool,
    pub(crate) count: u8,
    pub(crate) packet_type: u8,
    pub(crate) body: &'a [u8],
}

#[inline]
fn split_packet(buf: &[u8], offset: usize) -> Result<(RawPacket<'_>, &[u8])> {
    let Some((header, _)) = buf.split_first_chunk::<4>() else {
        return Err(Error::truncated(offset, "rtcp header", 4, buf.len()));
    };
    if header[0] >> 6 != 2 {
        return Err(Error::malformed(offset, "version", "2"));
    }
    let len = (usize::from(u16::from_be_bytes([header[2], header[3]])) + 1) * 4;
    let Some((packet, after)) = buf.split_at_checked(len) else {
        return Err(Error::truncated(
            offset,
            "rtcp packet length",
            len,
            buf.len(),
        ));
    };
    let padding = header[0] & 0x20 != 0;
    let mut body = packet.get(4..).unwrap_or_default();
    if padding {
        let count = usize::from(body.last().copied().unwrap_or(0));
        if count == 0 || count > body.len() {
            return Err(Error::malformed(
                offset + len - 1,
                "padding length",
                "1 to the packet body length",
            ));
        }
        body = body.get(..body.len() - count).unwrap_or_default();
    }
    Ok((
        RawPacket {
            padding,
            count: header[0] & 0x1F,
            packet_type: header[1],
            body,
        },
        after,
    ))
}

#[inline]
/// Validates one packet's body without building its view (A.2 pass of `Compound::parse`).
fn check_packet(p: &RawPacket<'_>, offset: usize) -> Result<()> {
    match p.packet_type {
        PT_SR => SenderReport::check(p, offset),
        PT_RR => ReceiverReport::check(p, offset),
        PT_SDES => SourceDescription::parse(p, offset).map(drop),
        PT_BYE => Goodbye::parse(p, offset).map(drop),
        PT_APP => App::parse(p, offset).map(drop),
        PT_RTPFB if p.count == 1 => Nack::parse(p, offset).map(drop),
        PT_PSFB if p.count == 1 => PictureLossIndication::parse(p, offset).map(drop),
        PT_PSFB if p.count == 4 => FullIntraRequest::parse(p, offset).map(drop),
        _ => Ok(()),
    }
}

/// The view of a packet that `check_packet` accepted.
#[inline]
fn view_packet<'a>(p: &RawPacket<'a>) -> Option<RtcpPacket<'a>> {
    Some(match p.packet_type {
        PT_SR => RtcpPacket::SenderReport(SenderReport::parse(p, 0).ok()?),
        PT_RR => RtcpPacket::ReceiverReport(ReceiverReport::parse(p, 0).ok()?),
        PT_SDES => RtcpPacket::SourceDescription(SourceDescription::view(p)),
        PT_BYE => RtcpPacket::Goodbye(Goodbye::parse(p, 0).ok()?),
        PT_APP => RtcpPacket::App(App::parse(p, 0).ok()?),
        PT_RTPFB if p.count == 1 => RtcpPacket::Nack(Nack::parse(p, 0).ok()?),
        PT_PSFB if p.count == 1 => {
            RtcpPacket::PictureLossIndication(PictureLossIndication::parse(p, 0).ok()?)
        }
        PT_PSFB if p.count == 4 => {
            RtcpPacket::FullIntraRequest(FullIntraRequest::parse(p, 0).ok()?)
        }
        _ => RtcpPacket::Unknown(UnknownPacket {
            packet_type: p.packet_type,
            count: p.count,
            body: p.body,
        }),
    })
}

/// Reads a big-endian u32 at `at`; 0 when out of range (only used on validated data).
#[inline]
pub(crate) fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at.saturating_add(4))
        .and_then(|s| <[u8; 4]>::try_from(s).ok())
        .map_or(0, u32::from_be_bytes)
}

/// Reads a big-endian u16 at `at`; 0 when out of range (only used on validated data).
#[inline]
pub(crate) fn u16_at(b: &[u8], at: usize) -> u16 {
    b.get(at..at.saturating_add(2))
        .and_then(|s| <[u8; 2]>::try_from(s).ok())
        .map_or(0, u16::from_be_bytes)
}

#[cfg(test)]
mod tests;
