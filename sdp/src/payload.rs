//! The static RTP payload types of RFC 3551 §6 (Tables 4 and 5).

/// A statically assigned RTP payload type: known without an `a=rtpmap` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaticPayload {
    /// Payload type number.
    pub payload_type: u8,
    /// Encoding name as RFC 3551 writes it.
    pub encoding: &'static str,
    /// Clock rate in Hz.
    pub clock_rate: u32,
    /// Channels (audio only).
    pub channels: Option<u16>,
}

impl StaticPayload {
    /// The RFC 3551 entry for a payload type, if it is statically assigned.
    ///
    /// ```
    /// let pcma = sdp::StaticPayload::from_payload_type(8).unwrap();
    /// assert_eq!((pcma.encoding, pcma.clock_rate), ("PCMA", 8000));
    /// assert!(sdp::StaticPayload::from_payload_type(96).is_none());
    /// ```
    pub fn from_payload_type(payload_type: u8) -> Option<Self> {
        TABLE
            .iter()
            .find(|p| p.payload_type == payload_type)
            .copied()
    }

    /// The static payload type for an encoding name (case-insensitive), clock rate and channel
    /// count (`None` = 1), if RFC 3551 assigns one.
    pub fn find(encoding: &str, clock_rate: u32, channels: Option<u16>) -> Option<Self> {
        TABLE
            .iter()
            .find(|p| {
                p.clock_rate == clock_rate
                    && p.channels.unwrap_or(1) == channels.unwrap_or(1)
                    && crate::text::eq_ignore_case(p.encoding, encoding)
            })
            .copied()
    }
}

const fn audio(
    payload_type: u8,
    encoding: &'static str,
    clock_rate: u32,
    ch: u16,
) -> StaticPayload {
    StaticPayload {
        payload_type,
        encoding,
        clock_rate,
        channels: Some(ch),
    }
}

const fn video(payload_type: u8, encoding: &'static str) -> StaticPayload {
    StaticPayload {
        payload_type,
        encoding,
        clock_rate: 90_000,
        channels: None,
    }
}

/// RFC 3551 §6, Tables 4 and 5.
const TABLE: &[StaticPayload] = &[
    audio(0, "PCMU", 8_000, 1),
    audio(3, "GSM", 8_000, 1),
    audio(4, "G723", 8_000, 1),
    audio(5, "DVI4", 8_000, 1),
    audio(6, "DVI4", 16_000, 1),
    audio(7, "LPC", 8_000, 1),
    audio(8, "PCMA", 8_000, 1),
    // §4.5.2: G722's RTP clock rate is 8000 although it samples at 16 kHz.
    audio(9, "G722", 8_000, 1),
    audio(10, "L16", 44_100, 2),
    audio(11, "L16", 44_100, 1),
    audio(12, "QCELP", 8_000, 1),
    audio(13, "CN", 8_000, 1),
    StaticPayload {
        payload_type: 14,
        encoding: "MPA",
        clock_rate: 90_000,
        channels: None,
    },
    audio(15, "G728", 8_000, 1),
    audio(16, "DVI4", 11_025, 1),
    audio(17, "DVI4", 22_050, 1),
    audio(18, "G729", 8_000, 1),
    video(25, "CelB"),
    video(26, "JPEG"),
    video(28, "nv"),
    video(31, "H261"),
    video(32, "MPV"),
    video(33, "MP2T"),
    video(34, "H263"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(
            StaticPayload::from_payload_type(0).unwrap().encoding,
            "PCMU"
        );
        assert_eq!(
            StaticPayload::from_payload_type(18).unwrap().encoding,
            "G729"
        );
        assert_eq!(
            StaticPayload::from_payload_type(4).unwrap().encoding,
            "G723"
        );
        assert_eq!(StaticPayload::from_payload_type(3).unwrap().encoding, "GSM");
        assert!(StaticPayload::from_payload_type(2).is_none());
        assert_eq!(
            StaticPayload::find("pcma", 8000, None)
                .unwrap()
                .payload_type,
            8
        );
        assert_eq!(
            StaticPayload::find("G722", 8000, Some(1))
                .unwrap()
                .payload_type,
            9
        );
        assert!(StaticPayload::find("G722", 16000, None).is_none());
        assert!(StaticPayload::find("opus", 48000, Some(2)).is_none());
    }
}
