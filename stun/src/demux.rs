//! Telling STUN apart from RTP, RTCP, DTLS and others on a shared port (RFC 7983 §7,
//! RFC 5764 §5.1.2, RFC 5761 §4, RFC 5626 §8).

use crate::message::{Message, HEADER_LEN, MAGIC_COOKIE};

/// What a packet on a multiplexed port is, by its first byte (RFC 7983 §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PacketKind {
    /// First byte 0..=3: STUN.
    Stun,
    /// First byte 16..=19: ZRTP.
    Zrtp,
    /// First byte 20..=63: DTLS.
    Dtls,
    /// First byte 64..=79: TURN channel data.
    TurnChannel,
    /// First byte 128..=191 and a payload type outside 192..=223: RTP.
    Rtp,
    /// First byte 128..=191 and a payload type in 192..=223 (RFC 5761 §4): RTCP.
    Rtcp,
    /// Anything else (including an empty packet).
    Other,
}

/// Classifies a packet by its first bytes (RFC 7983 §7).
///
/// # Examples
/// ```
/// use stun::{classify, PacketKind};
/// assert_eq!(classify(&[0x00, 0x01]), PacketKind::Stun);
/// assert_eq!(classify(&[0x80, 0x00]), PacketKind::Rtp);
/// assert_eq!(classify(&[0x80, 0xc8]), PacketKind::Rtcp);
/// assert_eq!(classify(&[0x16, 0xfe]), PacketKind::Dtls);
/// assert_eq!(classify(b"SIP/2.0 200 OK"), PacketKind::Other);
/// // SIP requests starting with 'A'..='O' fall in the TURN channel range: a SIP port that
/// // carries STUN (RFC 5626 §8) only needs "first byte 0 or 1 means STUN".
/// assert_eq!(classify(b"INVITE sip:a@b SIP/2.0"), PacketKind::TurnChannel);
/// ```
pub fn classify(packet: &[u8]) -> PacketKind {
    let Some(&first) = packet.first() else {
        return PacketKind::Other;
    };
    match first {
        0..=3 => PacketKind::Stun,
        16..=19 => PacketKind::Zrtp,
        20..=63 => PacketKind::Dtls,
        64..=79 => PacketKind::TurnChannel,
        128..=191 => match packet.get(1).map(|b| b & 0x7f) {
            Some(64..=95) => PacketKind::Rtcp,
            _ => PacketKind::Rtp,
        },
        _ => PacketKind::Other,
    }
}

/// Whether `packet` looks like an RFC 5389/8489 STUN message: first byte range, a length field
/// matching the packet, a multiple of 4, and the magic cookie (RFC 8489 §5, §7). Cheap: the
/// attributes are not walked.
pub fn is_stun(packet: &[u8]) -> bool {
    let Some(&[t0, _, l0, l1, c0, c1, c2, c3]) = packet.first_chunk::<8>() else {
        return false;
    };
    let length = usize::from(u16::from_be_bytes([l0, l1]));
    t0 & 0xC0 == 0
        && length % 4 == 0
        && packet.len() == HEADER_LEN + length
        && u32::from_be_bytes([c0, c1, c2, c3]) == MAGIC_COOKIE
}

/// [`is_stun`] plus a present and correct FINGERPRINT (RFC 8489 §7): what an agent that uses
/// the FINGERPRINT mechanism checks before treating a packet as STUN.
pub fn is_stun_with_fingerprint(packet: &[u8]) -> bool {
    is_stun(packet) && Message::decode(packet).is_ok_and(|m| m.verify_fingerprint().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_byte_ranges() {
        let cases: &[(u8, PacketKind)] = &[
            (0, PacketKind::Stun),
            (3, PacketKind::Stun),
            (4, PacketKind::Other),
            (15, PacketKind::Other),
            (16, PacketKind::Zrtp),
            (19, PacketKind::Zrtp),
            (20, PacketKind::Dtls),
            (63, PacketKind::Dtls),
            (64, PacketKind::TurnChannel),
            (79, PacketKind::TurnChannel),
            (80, PacketKind::Other),
            (127, PacketKind::Other),
            (128, PacketKind::Rtp),
            (191, PacketKind::Rtp),
            (192, PacketKind::Other),
            (255, PacketKind::Other),
        ];
        for &(b, kind) in cases {
            assert_eq!(classify(&[b, 0]), kind, "first byte {b}");
        }
        assert_eq!(classify(&[]), PacketKind::Other);
        assert_eq!(classify(&[0x80]), PacketKind::Rtp);
        assert_eq!(classify(&[0x81, 200]), PacketKind::Rtcp);
        assert_eq!(classify(&[0x81, 223]), PacketKind::Rtcp);
        assert_eq!(classify(&[0x81, 224]), PacketKind::Rtp);
        assert_eq!(classify(&[0x80, 0x80 | 96]), PacketKind::Rtp);
    }

    #[test]
    fn stun_checks() {
        let mut m = vec![0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42];
        m.extend_from_slice(&[0; 12]);
        assert!(is_stun(&m));
        assert!(!is_stun_with_fingerprint(&m));
        let mut bad = m.clone();
        bad[4] = 0;
        assert!(!is_stun(&bad));
        let mut long = m.clone();
        long.push(0);
        assert!(!is_stun(&long));
        assert!(!is_stun(&m[..7]));
        let mut rtp = m;
        rtp[0] = 0x80;
        assert!(!is_stun(&rtp));
    }
}
