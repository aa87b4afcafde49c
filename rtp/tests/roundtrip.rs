#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! proptest round trips: build -> serialize -> parse -> equal, for RTP, RTCP compounds and
//! RFC 4733 payloads.

use proptest::prelude::*;
use rtp::dtmf::DtmfPayload;
use rtp::packet::{encode_extension_elements, ExtensionElement};
use rtp::rtcp::{
    App, Compound, CompoundBuilder, FirEntry, NackPair, PictureLossIndication, ReportBlock,
    RtcpPacket, SdesItem, SdesItemType, SenderInfo,
};
use rtp::{RtpPacket, RtpPacketBuilder};

#[derive(Debug, Clone)]
struct RtpSpec {
    marker: bool,
    pt: u8,
    seq: u16,
    ts: u32,
    ssrc: u32,
    csrcs: Vec<u32>,
    elements: Option<Vec<(u8, Vec<u8>)>>,
    payload: Vec<u8>,
    padding: u8,
}

fn elements() -> impl Strategy<Value = Vec<(u8, Vec<u8>)>> {
    prop_oneof![
        prop::collection::vec((1u8..=14, prop::collection::vec(any::<u8>(), 1..=16)), 0..6),
        prop::collection::vec((1u8..=255, prop::collection::vec(any::<u8>(), 0..40)), 0..6),
    ]
}

fn rtp_spec() -> impl Strategy<Value = RtpSpec> {
    (
        any::<bool>(),
        0u8..128,
        any::<u16>(),
        any::<u32>(),
        any::<u32>(),
        prop::collection::vec(any::<u32>(), 0..=15),
        prop::option::of(elements()),
        prop::collection::vec(any::<u8>(), 0..300),
        any::<u8>(),
    )
        .prop_map(
            |(marker, pt, seq, ts, ssrc, csrcs, elements, payload, padding)| RtpSpec {
                marker,
                pt,
                seq,
                ts,
                ssrc,
                csrcs,
                elements,
                payload,
                padding,
            },
        )
}

proptest! {
    #[test]
    fn rtp_round_trip(s in rtp_spec()) {
        let element_refs: Vec<ExtensionElement<'_>> = s
            .elements
            .iter()
            .flatten()
            .map(|(id, data)| ExtensionElement { id: *id, data })
            .collect();
        let mut ext = Vec::new();
        let profile = encode_extension_elements(&element_refs, &mut ext).unwrap();
        let mut b = RtpPacketBuilder::new(s.pt, s.seq, s.ts, s.ssrc)
            .marker(s.marker)
            .csrcs(&s.csrcs)
            .payload(&s.payload)
            .padding(s.padding);
        if s.elements.is_some() {
            b = b.extension(profile, &ext);
        }
        let bytes = b.to_bytes().unwrap();
        let mut buf = vec![0u8; b.encoded_len()];
        prop_assert_eq!(b.write_to_slice(&mut buf).unwrap(), bytes.len());
        prop_assert_eq!(&buf[..], &bytes[..]);
        let p = RtpPacket::parse(&bytes).unwrap();
        prop_assert_eq!(p.marker(), s.marker);
        prop_assert_eq!(p.payload_type(), s.pt);
        prop_assert_eq!(p.sequence_number(), s.seq);
        prop_assert_eq!(p.timestamp(), s.ts);
        prop_assert_eq!(p.ssrc(), s.ssrc);
        prop_assert_eq!(p.csrcs().collect::<Vec<_>>(), s.csrcs.clone());
        prop_assert_eq!(p.payload(), &s.payload[..]);
        prop_assert_eq!(p.padding_len(), s.padding);
        match &s.elements {
            None => prop_assert!(p.extension().is_none()),
            Some(_) => {
                let ext = p.extension().unwrap();
                prop_assert!(ext.validate().is_ok());
                prop_assert_eq!(ext.elements().collect::<Vec<_>>(), element_refs);
            }
        }
        // Rebuilding from the parsed view gives the same bytes.
        let mut again = RtpPacketBuilder::new(p.payload_type(), p.sequence_number(), p.timestamp(), p.ssrc())
            .marker(p.marker())
            .csrcs(&s.csrcs)
            .payload(p.payload())
            .padding(p.padding_len());
        if let Some(e) = p.extension() {
            again = again.extension(e.profile, e.data);
        }
        prop_assert_eq!(again.to_bytes().unwrap(), bytes);
    }

    #[test]
    fn dtmf_payload_round_trip(event in any::<u8>(), end in any::<bool>(), volume in 0u8..64, duration in any::<u16>()) {
        let p = DtmfPayload { event, end, volume, duration };
        prop_assert_eq!(DtmfPayload::parse(&p.to_bytes()).unwrap(), p);
    }
}

/// An SDES chunk: SSRC and (item type, value) pairs.
type Chunk = (u32, Vec<(u8, Vec<u8>)>);

#[derive(Debug, Clone)]
enum PacketSpec {
    Sr(u32, SenderInfo, Vec<ReportBlock>),
    Rr(u32, Vec<ReportBlock>),
    Sdes(Vec<Chunk>),
    Bye(Vec<u32>, Option<Vec<u8>>),
    App(u8, u32, [u8; 4], Vec<u8>),
    Nack(u32, u32, Vec<(u16, u16)>),
    Pli(u32, u32),
    Fir(u32, Vec<(u32, u8)>),
}

fn block() -> impl Strategy<Value = ReportBlock> {
    (
        any::<u32>(),
        any::<u8>(),
        -0x80_0000i32..=0x7F_FFFF,
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
    )
        .prop_map(
            |(
                ssrc,
                fraction_lost,
                cumulative_lost,
                extended_highest_sequence,
                jitter,
                last_sender_report,
                delay_since_last_sender_report,
            )| {
                ReportBlock {
                    ssrc,
                    fraction_lost,
                    cumulative_lost,
                    extended_highest_sequence,
                    jitter,
                    last_sender_report,
                    delay_since_last_sender_report,
                }
            },
        )
}

fn info() -> impl Strategy<Value = SenderInfo> {
    (any::<u64>(), any::<u32>(), any::<u32>(), any::<u32>()).prop_map(
        |(ntp_timestamp, rtp_timestamp, packet_count, octet_count)| SenderInfo {
            ntp_timestamp,
            rtp_timestamp,
            packet_count,
            octet_count,
        },
    )
}

fn report() -> impl Strategy<Value = PacketSpec> {
    prop_oneof![
        (any::<u32>(), info(), prop::collection::vec(block(), 0..=31))
            .prop_map(|(s, i, b)| PacketSpec::Sr(s, i, b)),
        (any::<u32>(), prop::collection::vec(block(), 0..=31))
            .prop_map(|(s, b)| PacketSpec::Rr(s, b)),
    ]
}

fn other() -> impl Strategy<Value = PacketSpec> {
    prop_oneof![
        prop::collection::vec(
            (
                any::<u32>(),
                prop::collection::vec((1u8..=255, prop::collection::vec(any::<u8>(), 0..40)), 0..5)
            ),
            0..5
        )
        .prop_map(PacketSpec::Sdes),
        (
            prop::collection::vec(any::<u32>(), 0..=31),
            prop::option::of(prop::collection::vec(any::<u8>(), 0..=255))
        )
            .prop_map(|(s, r)| PacketSpec::Bye(s, r)),
        (
            0u8..32,
            any::<u32>(),
            any::<[u8; 4]>(),
            prop::collection::vec(any::<u32>(), 0..8)
        )
            .prop_map(|(st, s, n, d)| PacketSpec::App(
                st,
                s,
                n,
                d.iter().flat_map(|w| w.to_be_bytes()).collect()
            )),
        (
            any::<u32>(),
            any::<u32>(),
            prop::collection::vec((any::<u16>(), any::<u16>()), 1..10)
        )
            .prop_map(|(a, b, p)| PacketSpec::Nack(a, b, p)),
        (any::<u32>(), any::<u32>()).prop_map(|(a, b)| PacketSpec::Pli(a, b)),
        (
            any::<u32>(),
            prop::collection::vec((any::<u32>(), any::<u8>()), 1..5)
        )
            .prop_map(|(a, e)| PacketSpec::Fir(a, e)),
    ]
}

fn write(b: &mut CompoundBuilder, p: &PacketSpec) {
    match p {
        PacketSpec::Sr(s, i, blocks) => drop(b.sender_report(*s, *i, blocks).unwrap()),
        PacketSpec::Rr(s, blocks) => drop(b.receiver_report(*s, blocks).unwrap()),
        PacketSpec::Sdes(chunks) => {
            let items: Vec<Vec<SdesItem<'_>>> = chunks
                .iter()
                .map(|(_, items)| {
                    items
                        .iter()
                        .map(|(k, v)| SdesItem::new(SdesItemType::from_u8(*k), v))
                        .collect()
                })
                .collect();
            let refs: Vec<(u32, &[SdesItem<'_>])> = chunks
                .iter()
                .zip(&items)
                .map(|((s, _), i)| (*s, &i[..]))
                .collect();
            b.source_descriptions(&refs).unwrap();
        }
        PacketSpec::Bye(s, r) => drop(b.goodbye(s, r.as_deref()).unwrap()),
        PacketSpec::App(st, s, n, d) => drop(b.app(*st, *s, *n, d).unwrap()),
        PacketSpec::Nack(a, m, pairs) => {
            let pairs: Vec<NackPair> = pairs
                .iter()
                .map(|(p, l)| NackPair {
                    packet_id: *p,
                    lost_bitmask: *l,
                })
                .collect();
            b.nack(*a, *m, &pairs).unwrap();
        }
        PacketSpec::Pli(a, m) => drop(b.picture_loss_indication(*a, *m).unwrap()),
        PacketSpec::Fir(a, e) => {
            let e: Vec<FirEntry> = e
                .iter()
                .map(|(s, n)| FirEntry {
                    ssrc: *s,
                    sequence_number: *n,
                })
                .collect();
            b.full_intra_request(*a, &e).unwrap();
        }
    }
}

fn check(spec: &PacketSpec, p: &RtcpPacket<'_>) -> Result<(), TestCaseError> {
    match (spec, p) {
        (PacketSpec::Sr(s, i, b), RtcpPacket::SenderReport(sr)) => {
            prop_assert_eq!((*s, *i), (sr.ssrc, sr.sender_info));
            prop_assert_eq!(b, &sr.reports.iter().collect::<Vec<_>>());
        }
        (PacketSpec::Rr(s, b), RtcpPacket::ReceiverReport(rr)) => {
            prop_assert_eq!(*s, rr.ssrc);
            prop_assert_eq!(b, &rr.reports.iter().collect::<Vec<_>>());
        }
        (PacketSpec::Sdes(chunks), RtcpPacket::SourceDescription(sdes)) => {
            let got: Vec<Chunk> = sdes
                .chunks()
                .map(|c| {
                    (
                        c.ssrc,
                        c.items()
                            .map(|i| (i.kind.to_u8(), i.value.to_vec()))
                            .collect(),
                    )
                })
                .collect();
            prop_assert_eq!(chunks, &got);
        }
        (PacketSpec::Bye(s, r), RtcpPacket::Goodbye(bye)) => {
            prop_assert_eq!(s, &bye.sources().collect::<Vec<_>>());
            prop_assert_eq!(r.as_deref(), bye.reason());
        }
        (PacketSpec::App(st, s, n, d), RtcpPacket::App(app)) => {
            prop_assert_eq!(
                &App {
                    subtype: *st,
                    ssrc: *s,
                    name: *n,
                    data: d
                },
                app
            );
        }
        (PacketSpec::Nack(a, m, pairs), RtcpPacket::Nack(n)) => {
            prop_assert_eq!((*a, *m), (n.sender_ssrc, n.media_ssrc));
            let got: Vec<(u16, u16)> = n
                .pairs
                .iter()
                .map(|p| (p.packet_id, p.lost_bitmask))
                .collect();
            prop_assert_eq!(pairs, &got);
        }
        (PacketSpec::Pli(a, m), RtcpPacket::PictureLossIndication(p)) => {
            prop_assert_eq!(
                &PictureLossIndication {
                    sender_ssrc: *a,
                    media_ssrc: *m
                },
                p
            );
        }
        (PacketSpec::Fir(a, e), RtcpPacket::FullIntraRequest(f)) => {
            prop_assert_eq!(*a, f.sender_ssrc);
            let got: Vec<(u32, u8)> = f
                .entries
                .iter()
                .map(|e| (e.ssrc, e.sequence_number))
                .collect();
            prop_assert_eq!(e, &got);
        }
        _ => prop_assert!(false, "packet kind differs: {spec:?} vs {p:?}"),
    }
    Ok(())
}

proptest! {
    #[test]
    fn rtcp_compound_round_trip(first in report(), rest in prop::collection::vec(other(), 0..6)) {
        let mut b = CompoundBuilder::new();
        write(&mut b, &first);
        for p in &rest {
            write(&mut b, p);
        }
        let bytes = b.finish();
        let compound = Compound::parse(&bytes).unwrap();
        prop_assert_eq!(compound.len(), 1 + rest.len());
        let parsed: Vec<_> = compound.packets().collect();
        check(&first, &parsed[0])?;
        for (spec, p) in rest.iter().zip(&parsed[1..]) {
            check(spec, p)?;
        }
    }

    #[test]
    fn reduced_size_round_trip(rest in prop::collection::vec(other(), 1..4)) {
        let mut b = CompoundBuilder::new();
        for p in &rest {
            write(&mut b, p);
        }
        let bytes = b.finish();
        let compound = Compound::parse_reduced_size(&bytes).unwrap();
        prop_assert!(compound.is_reduced_size());
        prop_assert!(Compound::parse(&bytes).is_err());
        for (spec, p) in rest.iter().zip(compound.packets()) {
            check(spec, &p)?;
        }
    }
}
