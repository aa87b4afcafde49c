use super::*;

fn sample_block(ssrc: u32) -> ReportBlock {
    ReportBlock {
        ssrc,
        fraction_lost: 64,
        cumulative_lost: -3,
        extended_highest_sequence: 0x0001_0005,
        jitter: 17,
        last_sender_report: 0xAABB_CCDD,
        delay_since_last_sender_report: 65536,
    }
}

#[test]
fn sender_report_bytes_match_rfc_layout() {
    let mut b = CompoundBuilder::new();
    b.sender_report(
        0x0102_0304,
        SenderInfo {
            ntp_timestamp: 0x1122_3344_5566_7788,
            rtp_timestamp: 0x99,
            packet_count: 2,
            octet_count: 320,
        },
        &[sample_block(9)],
    )
    .unwrap();
    let bytes = b.finish();
    assert_eq!(bytes.len(), 52);
    assert_eq!(&bytes[..4], &[0x81, 200, 0, 12]);
    assert_eq!(&bytes[4..8], &[1, 2, 3, 4]);
    assert_eq!(
        &bytes[8..16],
        &[0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]
    );
    // fraction 64, cumulative -3 as 24-bit two's complement.
    assert_eq!(&bytes[32..36], &[64, 0xFF, 0xFF, 0xFD]);
    let c = Compound::parse(&bytes).unwrap();
    let Some(RtcpPacket::SenderReport(sr)) = c.packets().next() else {
        panic!()
    };
    assert_eq!(sr.ssrc, 0x0102_0304);
    assert_eq!(sr.sender_info.octet_count, 320);
    assert_eq!(sr.reports.iter().collect::<Vec<_>>(), [sample_block(9)]);
}

#[test]
fn full_compound_round_trip() {
    let mut b = CompoundBuilder::new();
    b.receiver_report(1, &[sample_block(2), sample_block(3)])
        .unwrap();
    let items = [
        SdesItem::new(SdesItemType::Cname, b"user@example.com"),
        SdesItem::new(SdesItemType::Name, b"User"),
        SdesItem::new(SdesItemType::Email, b"u@e"),
        SdesItem::new(SdesItemType::Phone, b"+1"),
        SdesItem::new(SdesItemType::Location, b"here"),
        SdesItem::new(SdesItemType::Tool, b"rtp"),
        SdesItem::new(SdesItemType::Note, b"busy"),
        SdesItem::new(SdesItemType::Private, b"\x03abcvalue"),
    ];
    let items2 = [SdesItem::new(SdesItemType::Cname, b"x")];
    b.source_descriptions(&[(1, &items), (7, &items2)]).unwrap();
    b.goodbye(&[1, 7], Some(b"bye now")).unwrap();
    b.app(3, 1, *b"TEST", &[1, 2, 3, 4]).unwrap();
    b.nack(1, 2, &NackPair::from_sequence_numbers([10, 11, 26, 27]))
        .unwrap();
    b.picture_loss_indication(1, 2).unwrap();
    b.full_intra_request(
        1,
        &[FirEntry {
            ssrc: 2,
            sequence_number: 9,
        }],
    )
    .unwrap();
    let bytes = b.finish();
    let c = Compound::parse(&bytes).unwrap();
    assert_eq!(c.len(), 7);
    assert!(!c.is_reduced_size());
    let p: Vec<_> = c.packets().collect();
    let RtcpPacket::ReceiverReport(rr) = p[0] else {
        panic!()
    };
    assert_eq!(rr.reports.len(), 2);
    let RtcpPacket::SourceDescription(sdes) = p[1] else {
        panic!()
    };
    let chunks: Vec<_> = sdes.chunks().collect();
    assert_eq!(chunks.len(), 2);
    assert_eq!(chunks[0].items().collect::<Vec<_>>(), items);
    assert_eq!(
        chunks[0].items().last().unwrap().private_parts(),
        Some((&b"abc"[..], &b"value"[..]))
    );
    assert_eq!(chunks[1].ssrc, 7);
    assert_eq!(chunks[1].cname(), Some(&b"x"[..]));
    let RtcpPacket::Goodbye(bye) = p[2] else {
        panic!()
    };
    assert_eq!(bye.sources().collect::<Vec<_>>(), [1, 7]);
    assert_eq!(bye.reason(), Some(&b"bye now"[..]));
    assert_eq!(
        p[3],
        RtcpPacket::App(App {
            subtype: 3,
            ssrc: 1,
            name: *b"TEST",
            data: &[1, 2, 3, 4]
        })
    );
    let RtcpPacket::Nack(nack) = p[4] else {
        panic!()
    };
    let lost: Vec<u16> = nack
        .pairs
        .iter()
        .flat_map(|p| p.lost_sequence_numbers().collect::<Vec<_>>())
        .collect();
    assert_eq!(lost, [10, 11, 26, 27]);
    assert_eq!(nack.pairs.len(), 2); // 27 is 17 after 10: a second entry
    assert_eq!(
        p[5],
        RtcpPacket::PictureLossIndication(PictureLossIndication {
            sender_ssrc: 1,
            media_ssrc: 2
        })
    );
    let RtcpPacket::FullIntraRequest(fir) = p[6] else {
        panic!()
    };
    assert_eq!(
        fir.entries.iter().collect::<Vec<_>>(),
        [FirEntry {
            ssrc: 2,
            sequence_number: 9
        }]
    );
}

#[test]
fn a2_validation() {
    let mut b = CompoundBuilder::new();
    b.receiver_report(1, &[]).unwrap();
    b.source_description(1, &[SdesItem::new(SdesItemType::Cname, b"c")])
        .unwrap();
    let good = b.finish().to_vec();
    assert!(Compound::parse(&good).is_ok());
    // Version 1 in the second packet.
    let mut v = good.clone();
    v[8] = (v[8] & 0x3F) | 0x40;
    assert!(matches!(
        Compound::parse(&v),
        Err(Error::Malformed {
            offset: 8,
            field: "version",
            ..
        })
    ));
    // Padding bit in a packet that is not the last.
    let mut p = good.clone();
    p[0] |= 0x20;
    assert!(matches!(
        Compound::parse(&p),
        Err(Error::Malformed {
            field: "padding bit",
            ..
        })
    ));
    // Length field running past the datagram.
    let mut l = good.clone();
    l[11] += 1;
    assert!(matches!(Compound::parse(&l), Err(Error::Truncated { .. })));
    // Trailing garbage that is not a packet.
    let mut t = good.clone();
    t.extend_from_slice(&[0x80, 201]);
    assert!(Compound::parse(&t).is_err());
    // SDES first: reduced-size only.
    let sdes_only = &good[8..];
    assert!(matches!(
        Compound::parse(sdes_only),
        Err(Error::Malformed {
            field: "packet type",
            ..
        })
    ));
    let c = Compound::parse_reduced_size(sdes_only).unwrap();
    assert!(c.is_reduced_size());
    assert!(Compound::parse(&[]).is_err());
}

#[test]
fn padding_in_last_packet() {
    // RR with no blocks, padded with 4 octets: length 2 words after the header.
    let bytes = [0xA0, 201, 0, 2, 0, 0, 0, 1, 0, 0, 0, 4];
    let c = Compound::parse(&bytes).unwrap();
    let Some(RtcpPacket::ReceiverReport(rr)) = c.packets().next() else {
        panic!()
    };
    assert_eq!(rr.ssrc, 1);
    assert!(rr.extension.is_empty());
    let bad = [0xA0, 201, 0, 2, 0, 0, 0, 1, 0, 0, 0, 9];
    assert!(Compound::parse(&bad).is_err());
    let zero = [0xA0, 201, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0];
    assert!(Compound::parse(&zero).is_err());
}

#[test]
fn malformed_bodies() {
    // SR claiming one block without room for it.
    assert!(Compound::parse(&[
        0x81, 200, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    ])
    .is_err());
    // SDES chunk without terminator.
    let rr = [0x80, 201, 0, 1, 0, 0, 0, 1];
    let mut s = rr.to_vec();
    s.extend_from_slice(&[0x81, 202, 0, 2, 0, 0, 0, 1, 1, 2, b'a', b'b']);
    assert!(Compound::parse(&s).is_err());
    // SDES item length running past the chunk.
    let mut s = rr.to_vec();
    s.extend_from_slice(&[0x81, 202, 0, 2, 0, 0, 0, 1, 1, 9, b'a', 0]);
    assert!(Compound::parse(&s).is_err());
    // SDES with count 2 but one chunk.
    let mut s = rr.to_vec();
    s.extend_from_slice(&[0x82, 202, 0, 2, 0, 0, 0, 1, 1, 1, b'a', 0]);
    assert!(Compound::parse(&s).is_err());
    // BYE reason longer than the packet.
    let mut s = rr.to_vec();
    s.extend_from_slice(&[0x81, 203, 0, 2, 0, 0, 0, 1, 10, b'a', b'b', b'c']);
    assert!(Compound::parse(&s).is_err());
    // NACK without FCI.
    let mut s = rr.to_vec();
    s.extend_from_slice(&[0x81, 205, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2]);
    assert!(Compound::parse(&s).is_err());
    // Unknown feedback formats and packet types are kept raw.
    let mut s = rr.to_vec();
    s.extend_from_slice(&[0x8F, 206, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0x80, 210, 0, 0]);
    let c = Compound::parse(&s).unwrap();
    let p: Vec<_> = c.packets().collect();
    assert!(matches!(
        p[1],
        RtcpPacket::Unknown(UnknownPacket {
            packet_type: 206,
            count: 15,
            ..
        })
    ));
    assert!(matches!(
        p[2],
        RtcpPacket::Unknown(UnknownPacket {
            packet_type: 210,
            body: &[],
            ..
        })
    ));
}

#[test]
fn builder_limits() {
    let mut b = CompoundBuilder::new();
    assert!(b.receiver_report(1, &[ReportBlock::default(); 32]).is_err());
    assert!(b.goodbye(&[1], Some(&[b'x'; 256])).is_err());
    assert!(b.app(32, 1, *b"ABCD", &[]).is_err());
    assert!(b.app(1, 1, *b"ABCD", &[1]).is_err());
    assert!(b.nack(1, 1, &[]).is_err());
    assert!(b
        .source_description(1, &[SdesItem::new(SdesItemType::Note, &[0; 256])])
        .is_err());
    assert!(b.is_empty());
}

#[test]
fn cumulative_loss_clamps_to_24_bits() {
    let mut b = CompoundBuilder::new();
    let block = ReportBlock {
        cumulative_lost: 10_000_000,
        ..ReportBlock::default()
    };
    b.receiver_report(1, &[block]).unwrap();
    let bytes = b.finish();
    let c = Compound::parse(&bytes).unwrap();
    let Some(RtcpPacket::ReceiverReport(rr)) = c.packets().next() else {
        panic!()
    };
    assert_eq!(rr.reports.iter().next().unwrap().cumulative_lost, 0x7F_FFFF);
}
