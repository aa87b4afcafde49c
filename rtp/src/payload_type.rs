//! The static payload types of the RTP/AVP profile (RFC 3551 §6, Tables 4 and 5).
//!
//! ```
//! use rtp::payload_type::{self, MediaKind};
//!
//! let pcmu = payload_type::lookup(0).unwrap();
//! assert_eq!((pcmu.encoding_name, pcmu.clock_rate, pcmu.channels), ("PCMU", 8000, Some(1)));
//! assert_eq!(payload_type::by_name("pcma").unwrap().payload_type, 8);
//! // G.722 keeps an 8000 Hz RTP clock for historical reasons (RFC 3551 §4.5.2).
//! assert_eq!(payload_type::lookup(9).unwrap().clock_rate, 8000);
//! assert_eq!(payload_type::lookup(31).unwrap().kind, MediaKind::Video);
//! assert!(payload_type::lookup(96).is_none());
//! assert!(payload_type::is_dynamic(96));
//! ```

/// What a payload type carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// Audio ("A").
    Audio,
    /// Video ("V").
    Video,
    /// Combined audio and video ("AV").
    AudioVideo,
}

/// One static payload type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StaticPayloadType {
    /// The payload type number.
    pub payload_type: u8,
    /// Encoding name as used in SDP `a=rtpmap`.
    pub encoding_name: &'static str,
    /// Media kind.
    pub kind: MediaKind,
    /// RTP clock rate in Hz.
    pub clock_rate: u32,
    /// Audio channels; `None` for video and where RFC 3551 leaves it to the text (MPA).
    pub channels: Option<u8>,
}

const fn audio(
    payload_type: u8,
    encoding_name: &'static str,
    clock_rate: u32,
    channels: u8,
) -> StaticPayloadType {
    StaticPayloadType {
        payload_type,
        encoding_name,
        kind: MediaKind::Audio,
        clock_rate,
        channels: Some(channels),
    }
}

const fn video(
    payload_type: u8,
    encoding_name: &'static str,
    kind: MediaKind,
) -> StaticPayloadType {
    StaticPayloadType {
        payload_type,
        encoding_name,
        kind,
        clock_rate: 90_000,
        channels: None,
    }
}

/// Every static payload type of RFC 3551, in numeric order.
pub const STATIC_PAYLOAD_TYPES: &[StaticPayloadType] = &[
    audio(0, "PCMU", 8000, 1),
    audio(3, "GSM", 8000, 1),
    audio(4, "G723", 8000, 1),
    audio(5, "DVI4", 8000, 1),
    audio(6, "DVI4", 16000, 1),
    audio(7, "LPC", 8000, 1),
    audio(8, "PCMA", 8000, 1),
    audio(9, "G722", 8000, 1),
    audio(10, "L16", 44100, 2),
    audio(11, "L16", 44100, 1),
    audio(12, "QCELP", 8000, 1),
    audio(13, "CN", 8000, 1),
    StaticPayloadType {
        payload_type: 14,
        encoding_name: "MPA",
        kind: MediaKind::Audio,
        clock_rate: 90_000,
        channels: None,
    },
    audio(15, "G728", 8000, 1),
    audio(16, "DVI4", 11025, 1),
    audio(17, "DVI4", 22050, 1),
    audio(18, "G729", 8000, 1),
    video(25, "CelB", MediaKind::Video),
    video(26, "JPEG", MediaKind::Video),
    video(28, "nv", MediaKind::Video),
    video(31, "H261", MediaKind::Video),
    video(32, "MPV", MediaKind::Video),
    video(33, "MP2T", MediaKind::AudioVideo),
    video(34, "H263", MediaKind::Video),
];

/// PCMU (G.711 µ-law).
pub const PCMU: u8 = 0;
/// PCMA (G.711 A-law).
pub const PCMA: u8 = 8;
/// Comfort noise (RFC 3389).
pub const CN: u8 = 13;

/// The static payload type `payload_type`, if RFC 3551 assigns one.
pub fn lookup(payload_type: u8) -> Option<&'static StaticPayloadType> {
    STATIC_PAYLOAD_TYPES
        .iter()
        .find(|p| p.payload_type == payload_type)
}

/// The first static payload type with this encoding name (case-insensitive; for DVI4 and
/// L16 that is the lowest-numbered one).
pub fn by_name(name: &str) -> Option<&'static StaticPayloadType> {
    STATIC_PAYLOAD_TYPES
        .iter()
        .find(|p| p.encoding_name.eq_ignore_ascii_case(name))
}

/// Whether `payload_type` is in the dynamic range 96–127 (RFC 3551 §3).
pub fn is_dynamic(payload_type: u8) -> bool {
    (96..=127).contains(&payload_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_rfc_3551() {
        assert_eq!(STATIC_PAYLOAD_TYPES.len(), 24);
        assert!(STATIC_PAYLOAD_TYPES
            .windows(2)
            .all(|w| w[0].payload_type < w[1].payload_type));
        assert_eq!(lookup(6).unwrap().clock_rate, 16000);
        assert_eq!(lookup(10).unwrap().channels, Some(2));
        assert_eq!(lookup(33).unwrap().kind, MediaKind::AudioVideo);
        for reserved in [1, 2, 19, 20, 24, 27, 29, 30, 35, 72, 95] {
            assert!(lookup(reserved).is_none(), "{reserved}");
        }
        assert_eq!(by_name("dvi4").unwrap().payload_type, 5);
        assert!(by_name("opus").is_none());
        assert!(!is_dynamic(95) && is_dynamic(127) && !is_dynamic(128));
    }
}
