#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Round trips: build → serialize → parse → equal, for descriptions and SAP packets, and the
//! peer benchmark corpus byte for byte.

use std::borrow::Cow;

use bytes::Bytes;
use proptest::prelude::*;
use sdp::sap::{MessageType, SapPacket};
use sdp::{
    Attribute, Bandwidth, Candidate, Connection, Crypto, Direction, Fingerprint, Fmtp, Group,
    MediaDescription, Origin, Repeat, Rtcp, RtpMap, Sdp, SessionDescription, Setup, Ssrc, TimeUnit,
    Timing, TypedTime, ZoneAdjustment,
};

const SMALL: &[u8] = include_bytes!("data/alice.sdp");
const WEBRTC: &[u8] = include_bytes!("data/webrtc.sdp");

#[test]
fn corpus_round_trips_byte_for_byte() {
    for input in [SMALL, WEBRTC] {
        let sdp = Sdp::parse(input).unwrap();
        assert_eq!(sdp.to_vec(), input);
        let model = sdp.into_description();
        assert_eq!(model.to_vec(), input, "re-rendered model");
        assert_eq!(model.clone().into_owned(), model);
    }
    let webrtc = Sdp::parse(WEBRTC).unwrap();
    assert_eq!(webrtc.media.len(), 3);
    let typed = webrtc.media[0]
        .attributes
        .iter()
        .filter(|a| !matches!(**a, Attribute::Other { .. }))
        .count();
    assert_eq!(typed, 24, "rtcp, 3 candidates, 3 ice, fingerprint, setup, mid, sendrecv, rtcp-mux, 8 rtpmap, 2 fmtp, 2 ssrc");
    assert!(webrtc.media[0]
        .attributes
        .iter()
        .any(|a| matches!(&*a, Attribute::Candidate(c) if c.kind == "srflx")));
    assert!(webrtc
        .attributes
        .iter()
        .any(|a| matches!(&*a, Attribute::Group(g) if g.mids.len() == 3)));
}

#[test]
fn lazily_typed_and_typed_models_agree() {
    for input in [SMALL, WEBRTC] {
        let model = Sdp::parse(input).unwrap().into_description();
        let mut typed = model.clone();
        let session_attributes = typed.attributes.to_mut().len();
        assert_eq!(session_attributes, model.attributes.len());
        for m in &mut typed.media {
            m.attributes.to_mut();
            m.formats.to_mut();
        }
        assert_eq!(typed, model);
        assert_eq!(format!("{typed:?}"), format!("{model:?}"));
        assert_eq!(typed.to_vec(), input, "typed model renders the same lines");
        for (a, b) in typed.media.iter().zip(&model.media) {
            assert!(a.attributes.iter().eq(b.attributes.iter()));
            assert!(a.formats.iter().eq(b.formats.iter()));
            for pt in 0..128 {
                assert_eq!(a.codec(pt), b.codec(pt));
                assert_eq!(a.fmtp(&pt.to_string()), b.fmtp(&pt.to_string()));
            }
            assert_eq!(
                (a.ptime(), a.mid(), a.direction()),
                (b.ptime(), b.mid(), b.direction())
            );
        }
    }
    // A change re-renders the section from its typed attributes.
    let mut sdp = Sdp::parse(SMALL).unwrap();
    sdp.media[0].set_direction(Direction::Inactive);
    sdp.media[0].attributes.push(Attribute::RtcpMux);
    let text = String::from_utf8(sdp.to_vec()).unwrap();
    assert!(
        text.ends_with("a=ptime:20\r\na=inactive\r\na=rtcp-mux\r\n"),
        "{text}"
    );
    assert!(!text.contains("sendrecv"));
}

fn token() -> impl Strategy<Value = Cow<'static, str>> {
    "[a-zA-Z0-9+_.-]{1,10}".prop_map(Cow::Owned)
}

fn text() -> impl Strategy<Value = Cow<'static, str>> {
    "[ -~äé€]{0,16}".prop_map(Cow::Owned)
}

fn typed_time() -> impl Strategy<Value = TypedTime> {
    let unit = prop_oneof![
        Just(None),
        Just(Some(TimeUnit::Days)),
        Just(Some(TimeUnit::Hours)),
        Just(Some(TimeUnit::Minutes)),
        Just(Some(TimeUnit::Seconds)),
    ];
    (any::<u32>(), unit).prop_map(|(v, unit)| TypedTime {
        value: u64::from(v),
        unit,
    })
}

fn connection() -> impl Strategy<Value = Connection<'static>> {
    (
        prop_oneof![Just("IP4"), Just("IP6"), Just("X")],
        token(),
        any::<Option<u8>>(),
        any::<Option<u32>>(),
    )
        .prop_map(|(addrtype, address, ttl, count)| Connection {
            nettype: Cow::Borrowed("IN"),
            addrtype: Cow::Borrowed(addrtype),
            address,
            ttl: if addrtype == "IP4" { ttl } else { None },
            count: if addrtype == "IP4" && ttl.is_none() {
                None
            } else {
                count
            },
        })
}

fn bandwidth() -> impl Strategy<Value = Bandwidth<'static>> {
    (token(), any::<u64>()).prop_map(|(bwtype, bandwidth)| Bandwidth { bwtype, bandwidth })
}

fn attribute() -> impl Strategy<Value = Attribute<'static>> {
    let direction = prop_oneof![
        Just(Direction::SendRecv),
        Just(Direction::SendOnly),
        Just(Direction::RecvOnly),
        Just(Direction::Inactive)
    ];
    let setup = prop_oneof![
        Just(Setup::Active),
        Just(Setup::Passive),
        Just(Setup::ActPass),
        Just(Setup::HoldConn)
    ];
    let candidate = (
        (
            token(),
            any::<u32>(),
            token(),
            any::<u32>(),
            token(),
            any::<u16>(),
            token(),
        ),
        (
            proptest::option::of(token()),
            any::<Option<u16>>(),
            proptest::collection::vec(("x[a-z]{1,5}", token()), 0..3),
        ),
    )
        .prop_map(
            |(
                (foundation, component, transport, priority, address, port, kind),
                (raddr, rport, ext),
            )| {
                let extensions = ext
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                Attribute::Candidate(Box::new(Candidate {
                    foundation,
                    component,
                    transport,
                    priority,
                    address,
                    port,
                    kind,
                    related_address: raddr,
                    related_port: rport,
                    extensions: Cow::Owned(extensions),
                }))
            },
        );
    prop_oneof![
        (
            0u8..128,
            "[a-zA-Z0-9-]{1,10}",
            any::<u32>(),
            any::<Option<u16>>()
        )
            .prop_map(|(payload_type, e, clock_rate, channels)| {
                Attribute::RtpMap(RtpMap {
                    payload_type,
                    encoding: Cow::Owned(e),
                    clock_rate,
                    channels,
                })
            }),
        (token(), text())
            .prop_map(|(format, parameters)| Attribute::Fmtp(Fmtp { format, parameters })),
        any::<u32>().prop_map(Attribute::Ptime),
        any::<u32>().prop_map(Attribute::MaxPtime),
        direction.prop_map(Attribute::Direction),
        (
            any::<u16>(),
            proptest::option::of((token(), token(), token()))
        )
            .prop_map(|(port, address)| Attribute::Rtcp(Box::new(Rtcp { port, address }))),
        Just(Attribute::RtcpMux),
        token().prop_map(Attribute::Mid),
        (token(), proptest::collection::vec(token(), 0..4))
            .prop_map(|(semantics, mids)| Attribute::Group(Group { semantics, mids })),
        (any::<u32>(), "[a-z]{1,8}", proptest::option::of(text())).prop_map(|(ssrc, a, value)| {
            Attribute::Ssrc(Ssrc {
                ssrc,
                attribute: Cow::Owned(a),
                value,
            })
        }),
        candidate,
        token().prop_map(Attribute::IceUfrag),
        token().prop_map(Attribute::IcePwd),
        proptest::collection::vec(token(), 1..4)
            .prop_map(|v| Attribute::IceOptions(Cow::Owned(v.join(" ")))),
        (token(), token()).prop_map(|(hash_function, fingerprint)| Attribute::Fingerprint(
            Fingerprint {
                hash_function,
                fingerprint
            }
        )),
        setup.prop_map(Attribute::Setup),
        (
            any::<u32>(),
            token(),
            token(),
            proptest::option::of("[!-~][ -~]{0,10}")
        )
            .prop_map(|(tag, suite, key_params, s)| {
                Attribute::Crypto(Box::new(Crypto {
                    tag,
                    suite,
                    key_params,
                    session_params: s.map(Cow::Owned),
                }))
            }),
        ("x-[a-z]{1,8}", proptest::option::of(text())).prop_map(|(name, value)| Attribute::Other {
            name: Cow::Owned(name),
            value
        }),
    ]
}

fn media() -> impl Strategy<Value = MediaDescription<'static>> {
    (
        (
            token(),
            any::<u16>(),
            any::<Option<u32>>(),
            token(),
            proptest::collection::vec(token(), 1..5),
        ),
        (
            proptest::option::of(text()),
            proptest::collection::vec(connection(), 0..3),
            proptest::collection::vec(bandwidth(), 0..2),
            proptest::option::of(text()),
            proptest::collection::vec(attribute(), 0..8),
        ),
    )
        .prop_map(
            |(
                (media, port, port_count, protocol, formats),
                (information, connections, bandwidths, key, attributes),
            )| {
                MediaDescription {
                    media,
                    port,
                    port_count,
                    protocol,
                    formats: formats.into(),
                    information,
                    connections,
                    bandwidths,
                    key,
                    attributes: attributes.into(),
                }
            },
        )
}

fn timing() -> impl Strategy<Value = Timing> {
    let repeat = (
        typed_time(),
        typed_time(),
        proptest::collection::vec(typed_time(), 0..3),
    )
        .prop_map(|(interval, duration, offsets)| Repeat {
            interval,
            duration,
            offsets,
        });
    let zone = (any::<u64>(), any::<bool>(), typed_time()).prop_map(|(time, negative, offset)| {
        ZoneAdjustment {
            time,
            negative,
            offset,
        }
    });
    (
        any::<u64>(),
        any::<u64>(),
        proptest::collection::vec(repeat, 0..2),
        proptest::collection::vec(zone, 0..3),
    )
        .prop_map(|(start, stop, repeats, zone_adjustments)| Timing {
            start,
            stop,
            repeats,
            zone_adjustments,
        })
}

fn description() -> impl Strategy<Value = SessionDescription<'static>> {
    let origin = (
        token(),
        any::<u64>(),
        any::<u64>(),
        token(),
        token(),
        token(),
    )
        .prop_map(
            |(username, session_id, session_version, nettype, addrtype, unicast_address)| Origin {
                username,
                session_id,
                session_version,
                nettype,
                addrtype,
                unicast_address,
            },
        );
    (
        (
            any::<u32>(),
            origin,
            text(),
            proptest::option::of(text()),
            proptest::option::of(text()),
        ),
        (
            proptest::collection::vec(text(), 0..2),
            proptest::collection::vec(text(), 0..2),
            proptest::option::of(connection()),
            proptest::collection::vec(bandwidth(), 0..2),
            proptest::collection::vec(timing(), 1..3),
        ),
        (
            proptest::option::of(text()),
            proptest::collection::vec(attribute(), 0..6),
            proptest::collection::vec(media(), 0..4),
        ),
    )
        .prop_map(
            |(
                (version, origin, session_name, information, uri),
                (emails, phones, connection, bandwidths, times),
                (key, attributes, media),
            )| {
                SessionDescription {
                    version,
                    origin,
                    session_name,
                    information,
                    uri,
                    emails,
                    phones,
                    connection,
                    bandwidths,
                    times,
                    key,
                    attributes: attributes.into(),
                    media,
                }
            },
        )
}

proptest! {
    #[test]
    fn build_serialize_parse_equal(d in description()) {
        let wire = d.to_vec();
        let parsed = Sdp::parse(&wire).map_err(|e| TestCaseError::fail(format!("{e}: {}", String::from_utf8_lossy(&wire))))?;
        prop_assert_eq!(parsed.to_vec(), wire.clone());
        prop_assert_eq!(parsed.into_description(), d.clone());
        // LF-only line ends parse to the same model.
        let lf = String::from_utf8(wire).unwrap().replace("\r\n", "\n");
        prop_assert_eq!(SessionDescription::parse(lf.as_bytes()).unwrap(), d);
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(sdp) = Sdp::parse(&data) {
            prop_assert_eq!(sdp.to_vec(), data.clone());
            let model = sdp.into_description();
            let again = model.to_vec();
            prop_assert_eq!(SessionDescription::parse(&again).unwrap(), model);
        }
        let _ = SapPacket::decode(&Bytes::from(data.clone()));
    }

    #[test]
    fn arbitrary_lines_never_panic(lines in proptest::collection::vec("[vosiuepcbtrzkam]=[ -~]{0,40}", 0..30)) {
        let text = lines.join("\r\n");
        let strict = Sdp::parse(text.as_bytes());
        let relaxed = sdp::ParserConfig { allow_unordered_lines: true, ..sdp::ParserConfig::default() };
        match Sdp::parse_with(text.as_bytes(), &relaxed) {
            Ok(sdp) => {
                if let Ok(strict) = strict {
                    prop_assert_eq!(&*strict, &*sdp);
                }
                prop_assert_eq!(sdp.to_vec(), text.as_bytes());
                let model = sdp.into_description();
                let wire = model.to_vec();
                prop_assert_eq!(SessionDescription::parse(&wire).unwrap(), model);
            }
            Err(_) => prop_assert!(strict.is_err()),
        }
    }

    #[test]
    fn sap_round_trip(
        deletion in any::<bool>(),
        hidden in 0u8..4,
        hash in any::<u16>(),
        v6 in any::<bool>(),
        addr in any::<[u8; 16]>(),
        auth_words in 0usize..4,
        mime in proptest::option::of("[a-z]{1,8}/[a-z]{1,8}"),
        payload in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let encrypted = hidden & 1 != 0;
        let compressed = hidden & 2 != 0;
        let origin = if v6 {
            std::net::IpAddr::from(addr)
        } else {
            std::net::IpAddr::from([addr[0], addr[1], addr[2], addr[3]])
        };
        let (payload_type, payload) = if encrypted || compressed {
            (None, payload)
        } else if let Some(m) = mime {
            (Some(Bytes::from(m)), payload)
        } else {
            let mut p = b"v=0\r\n".to_vec();
            p.extend_from_slice(&payload);
            (None, p)
        };
        let packet = SapPacket {
            message_type: if deletion { MessageType::Deletion } else { MessageType::Announcement },
            encrypted,
            compressed,
            message_id_hash: hash,
            origin,
            authentication: Bytes::from(vec![7u8; auth_words * 4]),
            payload_type,
            payload: Bytes::from(payload),
        };
        let wire = packet.to_bytes().unwrap();
        prop_assert_eq!(SapPacket::decode(&wire).unwrap(), packet);
    }
}
