//! Writing compound RTCP packets.

use bytes::{BufMut, Bytes, BytesMut};

use super::packets::{
    FirEntry, NackPair, ReportBlock, SdesItem, SenderInfo, REPORT_BLOCK_LEN, SENDER_INFO_LEN,
};
use super::{PT_APP, PT_BYE, PT_PSFB, PT_RR, PT_RTPFB, PT_SDES, PT_SR};
use crate::error::{Error, Result};

/// Writes a compound RTCP packet, one packet per call.
///
/// RFC 3550 §6.1 wants an SR or RR first and an SDES with a CNAME in every compound;
/// the builder writes what it is told, so that reduced-size packets (RFC 5506) can be built
/// too. Each method checks its counts (at most 31 report blocks, sources or chunks) and
/// lengths (an SDES item at most 255 octets, a packet at most 65536 words).
#[derive(Debug, Clone, Default)]
pub struct CompoundBuilder {
    buf: BytesMut,
}

impl CompoundBuilder {
    /// An empty compound.
    pub fn new() -> Self {
        Self::default()
    }

    /// Octets written so far.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether nothing has been written.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Appends a sender report.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for more than 31 report blocks.
    pub fn sender_report(
        &mut self,
        ssrc: u32,
        info: SenderInfo,
        reports: &[ReportBlock],
    ) -> Result<&mut Self> {
        let count = count5(reports.len(), "report blocks")?;
        let len = 4 + 4 + SENDER_INFO_LEN + reports.len() * REPORT_BLOCK_LEN;
        self.header(count, PT_SR, len)?;
        self.buf.put_u32(ssrc);
        self.buf.put_u64(info.ntp_timestamp);
        self.buf.put_u32(info.rtp_timestamp);
        self.buf.put_u32(info.packet_count);
        self.buf.put_u32(info.octet_count);
        for r in reports {
            self.buf.put_slice(&r.to_bytes());
        }
        Ok(self)
    }

    /// Appends a receiver report.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for more than 31 report blocks.
    pub fn receiver_report(&mut self, ssrc: u32, reports: &[ReportBlock]) -> Result<&mut Self> {
        let count = count5(reports.len(), "report blocks")?;
        self.header(count, PT_RR, 8 + reports.len() * REPORT_BLOCK_LEN)?;
        self.buf.put_u32(ssrc);
        for r in reports {
            self.buf.put_slice(&r.to_bytes());
        }
        Ok(self)
    }

    /// Appends an SDES packet with one chunk.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for an item value over 255 octets.
    pub fn source_description(&mut self, ssrc: u32, items: &[SdesItem<'_>]) -> Result<&mut Self> {
        self.source_descriptions(&[(ssrc, items)])
    }

    /// Appends an SDES packet with several chunks.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for more than 31 chunks or an item value over 255 octets.
    pub fn source_descriptions(&mut self, chunks: &[(u32, &[SdesItem<'_>])]) -> Result<&mut Self> {
        let count = count5(chunks.len(), "sdes chunks")?;
        let mut len = 4;
        for (_, items) in chunks {
            let mut chunk = 4 + 1;
            for item in *items {
                if item.value.len() > 255 {
                    return Err(Error::InvalidArgument {
                        field: "sdes item",
                        expected: "at most 255 octets",
                    });
                }
                chunk += 2 + item.value.len();
            }
            len += chunk.next_multiple_of(4);
        }
        self.header(count, PT_SDES, len)?;
        for (ssrc, items) in chunks {
            self.buf.put_u32(*ssrc);
            let mut chunk = 4;
            for item in *items {
                self.buf.put_u8(item.kind.to_u8());
                // Checked above: at most 255.
                #[allow(clippy::cast_possible_truncation)]
                self.buf.put_u8(item.value.len() as u8);
                self.buf.put_slice(item.value);
                chunk += 2 + item.value.len();
            }
            // §6.5: a null item ends the list; pad with nulls to 32 bits.
            let pad = (chunk + 1).next_multiple_of(4) - chunk;
            self.buf.put_bytes(0, pad);
        }
        Ok(self)
    }

    /// Appends a BYE for `sources` with an optional reason.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for more than 31 sources or a reason over 255 octets.
    pub fn goodbye(&mut self, sources: &[u32], reason: Option<&[u8]>) -> Result<&mut Self> {
        let count = count5(sources.len(), "bye sources")?;
        let reason_len = match reason {
            Some(r) if r.len() > 255 => {
                return Err(Error::InvalidArgument {
                    field: "bye reason",
                    expected: "at most 255 octets",
                })
            }
            Some(r) => (1 + r.len()).next_multiple_of(4),
            None => 0,
        };
        self.header(count, PT_BYE, 4 + sources.len() * 4 + reason_len)?;
        for s in sources {
            self.buf.put_u32(*s);
        }
        if let Some(r) = reason {
            #[allow(clippy::cast_possible_truncation)]
            self.buf.put_u8(r.len() as u8);
            self.buf.put_slice(r);
            self.buf.put_bytes(0, reason_len - 1 - r.len());
        }
        Ok(self)
    }

    /// Appends an APP packet.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a subtype above 31 or data that is not a multiple of
    /// 4 octets.
    pub fn app(&mut self, subtype: u8, ssrc: u32, name: [u8; 4], data: &[u8]) -> Result<&mut Self> {
        if subtype > 31 {
            return Err(Error::InvalidArgument {
                field: "app subtype",
                expected: "0 to 31",
            });
        }
        if data.len() % 4 != 0 {
            return Err(Error::InvalidArgument {
                field: "app data",
                expected: "a multiple of 4 octets",
            });
        }
        self.header(subtype, PT_APP, 12 + data.len())?;
        self.buf.put_u32(ssrc);
        self.buf.put_slice(&name);
        self.buf.put_slice(data);
        Ok(self)
    }

    /// Appends a generic NACK (RTPFB, FMT 1).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for no entries or too many.
    pub fn nack(
        &mut self,
        sender_ssrc: u32,
        media_ssrc: u32,
        pairs: &[NackPair],
    ) -> Result<&mut Self> {
        if pairs.is_empty() {
            return Err(Error::InvalidArgument {
                field: "nack entries",
                expected: "at least one",
            });
        }
        self.header(1, PT_RTPFB, 12 + pairs.len() * 4)?;
        self.buf.put_u32(sender_ssrc);
        self.buf.put_u32(media_ssrc);
        for p in pairs {
            self.buf.put_u16(p.packet_id);
            self.buf.put_u16(p.lost_bitmask);
        }
        Ok(self)
    }

    /// Appends a picture loss indication (PSFB, FMT 1).
    ///
    /// # Errors
    ///
    /// None in practice; returns `Result` like the other methods.
    pub fn picture_loss_indication(
        &mut self,
        sender_ssrc: u32,
        media_ssrc: u32,
    ) -> Result<&mut Self> {
        self.header(1, PT_PSFB, 12)?;
        self.buf.put_u32(sender_ssrc);
        self.buf.put_u32(media_ssrc);
        Ok(self)
    }

    /// Appends a full intra request (PSFB, FMT 4).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for no entries or too many.
    pub fn full_intra_request(
        &mut self,
        sender_ssrc: u32,
        entries: &[FirEntry],
    ) -> Result<&mut Self> {
        if entries.is_empty() {
            return Err(Error::InvalidArgument {
                field: "fir entries",
                expected: "at least one",
            });
        }
        self.header(4, PT_PSFB, 12 + entries.len() * 8)?;
        self.buf.put_u32(sender_ssrc);
        self.buf.put_u32(0);
        for e in entries {
            self.buf.put_u32(e.ssrc);
            self.buf.put_u32(u32::from(e.sequence_number) << 24);
        }
        Ok(self)
    }

    /// The compound packet.
    pub fn finish(self) -> Bytes {
        self.buf.freeze()
    }

    fn header(&mut self, count: u8, packet_type: u8, len: usize) -> Result<()> {
        let Ok(words) = u16::try_from(len / 4 - 1) else {
            return Err(Error::InvalidArgument {
                field: "rtcp packet length",
                expected: "at most 65536 words",
            });
        };
        self.buf.reserve(len);
        self.buf.put_u8(0x80 | count);
        self.buf.put_u8(packet_type);
        self.buf.put_u16(words);
        Ok(())
    }
}

fn count5(n: usize, field: &'static str) -> Result<u8> {
    match u8::try_from(n) {
        Ok(c) if c <= 31 => Ok(c),
        _ => Err(Error::InvalidArgument {
            field,
            expected: "at most 31",
        }),
    }
}
