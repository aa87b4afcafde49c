#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Hostile input: every case must end in a value (description or error), never a panic, and
//! never allocate past the configured limits.

mod common;

use bytes::Bytes;
use common::{audio, bob, v4};
use sdp::sap::SapPacket;
use sdp::{Codec, Error, ParserConfig, Sdp, SessionDescription};

const HEAD: &str = "v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n";

fn err(text: &[u8]) -> Error {
    Sdp::parse(text).unwrap_err()
}

#[test]
fn size_and_count_limits() {
    let huge = vec![b'a'; 1 << 20];
    assert_eq!(
        err(&huge),
        Error::LimitExceeded {
            line: 0,
            what: "bytes",
            limit: 65536
        }
    );

    let many_attributes = format!("{HEAD}{}", "a=x\r\n".repeat(5000));
    assert!(matches!(
        err(many_attributes.as_bytes()),
        Error::LimitExceeded {
            what: "attributes",
            line: 1030,
            ..
        }
    ));

    let many_media = format!("{HEAD}{}", "m=audio 1 RTP/AVP 0\r\n".repeat(100));
    assert!(matches!(
        err(many_media.as_bytes()),
        Error::LimitExceeded {
            what: "media sections",
            line: 70,
            ..
        }
    ));

    let many_lines = format!("{HEAD}{}", "r=1 1\r\n".repeat(3000));
    assert!(matches!(
        err(many_lines.as_bytes()),
        Error::LimitExceeded {
            what: "lines",
            line: 2049,
            ..
        }
    ));

    let limits = ParserConfig {
        max_size: 1 << 20,
        max_lines: 100_000,
        max_media: 10_000,
        max_attributes: 100_000,
        allow_unordered_lines: false,
    };
    let many = format!(
        "{HEAD}{}",
        "m=audio 1 RTP/AVP 0\r\na=sendonly\r\n".repeat(10_000)
    );
    assert_eq!(
        Sdp::parse_with(many.as_bytes(), &limits)
            .unwrap()
            .media
            .len(),
        10_000
    );
}

#[test]
fn malformed_lines() {
    let cases: &[(&str, usize)] = &[
        ("o=- 99999999999999999999999 1 IN IP4 h", 2),
        ("o=- 1 1 IN IP4 h extra", 2),
        ("o=- -1 1 IN IP4 h", 2),
        ("t=1 +2", 5),
        ("t=1", 5),
        ("r=7x 1h 0", 6),
        ("z=1", 6),
        ("m=audio -1 RTP/AVP 0", 6),
        ("m=audio +5 RTP/AVP 0", 6),
        ("m=audio 65536 RTP/AVP 0", 6),
        ("m=audio 1/x RTP/AVP 0", 6),
        ("m=audio 1  RTP/AVP 0", 6),
        ("c=IN IP4 1.2.3.4/255/4294967296", 6),
        ("c=IN IP4 1.2.3.4/256", 6),
        ("c=IN IP4", 6),
        ("c=IN IP4 /3", 6),
        ("b=AS", 6),
        ("b=AS:-1", 6),
        ("a=:x", 6),
        ("a= x", 6),
        ("=x", 6),
        ("x", 6),
        ("\u{0}=x", 6),
    ];
    for (line, at) in cases {
        let text = if line.starts_with('o') {
            format!("v=0\r\n{line}\r\n")
        } else if line.starts_with('t') {
            format!("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\n{line}\r\n")
        } else if line.starts_with('r')
            || line.starts_with('z')
            || line.starts_with('m')
            || line.starts_with('a')
            || !line.starts_with(['b', 'c'])
        {
            format!("{HEAD}{line}\r\n")
        } else {
            format!("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\ni=x\r\nu=y\r\n{line}\r\n")
        };
        let e = err(text.as_bytes());
        let line_no = match e {
            Error::Syntax { line, .. }
            | Error::UnexpectedLine { line, .. }
            | Error::UnknownLineType { line, .. } => line,
            other => panic!("{line:?}: {other}"),
        };
        assert_eq!(line_no, *at, "{line:?}: {e}");
    }
}

#[test]
fn odd_bytes() {
    // Invalid UTF-8 names its line.
    let mut bad = HEAD.as_bytes().to_vec();
    bad.extend_from_slice(b"a=tool:\xc3\x28\r\n");
    assert_eq!(err(&bad), Error::InvalidUtf8 { line: 6 });
    // CR-only line ends are one long v= line.
    assert!(matches!(
        err(b"v=0\ro=- 1 1 IN IP4 h\rs=-\rt=0 0\r"),
        Error::Syntax { line: 1, .. }
    ));
    // NUL and control bytes inside free text are kept as they are.
    let text = format!("{HEAD}a=tool:x\u{0}\u{7}y\r\n");
    let sdp = Sdp::parse(text.as_bytes()).unwrap();
    assert_eq!(sdp.clone().into_description().to_vec(), text.as_bytes());
    // A CR in the middle of a line, and a doubled CR at its end.
    let text = format!("{HEAD}i=a\rb\r\r\n");
    assert!(matches!(err(text.as_bytes()), Error::UnexpectedLine { .. }));
    let text = format!("{HEAD}a=x:a\rb\r\r\n");
    let model = Sdp::parse(text.as_bytes()).unwrap().into_description();
    assert_eq!(SessionDescription::parse(&model.to_vec()).unwrap(), model);
    // A 60 kB attribute is fine within the size limit.
    let long = format!("{HEAD}a=x:{}\r\n", "y".repeat(60_000));
    assert!(Sdp::parse(long.as_bytes()).is_ok());
}

#[test]
fn hostile_offers_get_well_formed_answers() {
    let offers = [
        // Payload types out of range, unknown formats, rtpmap for a type not listed.
        format!("{HEAD}m=audio 4000 RTP/AVP 999 x 0\r\na=rtpmap:200 PCMU/8000\r\na=rtpmap:77 PCMU/8000\r\n"),
        // Telephone-event flood with absurd event lists.
        format!(
            "{HEAD}m=audio 4000 RTP/AVP 0 {}\r\n{}",
            (96..128).map(|p| p.to_string()).collect::<Vec<_>>().join(" "),
            (96..128).map(|p| format!("a=rtpmap:{p} telephone-event/8000\r\na=fmtp:{p} 0-99999,,-,5-1,300\r\n")).collect::<String>()
        ),
        // Many m-lines of every kind.
        format!("{HEAD}{}", "m=audio 4000 RTP/AVP 0\r\nm=video 0 RTP/AVP 31\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n".repeat(20)),
        // No connection line anywhere.
        "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n".to_string(),
        // Multicast and odd address types.
        format!("{HEAD}m=audio 4000 RTP/AVP 0\r\nc=IN IP4 233.252.0.1/127/2\r\nm=audio 4000 RTP/AVP 0\r\nc=IN X25 foo\r\n"),
    ];
    for offer in &offers {
        let mut b = bob(vec![audio(v4(2), 3456, vec![Codec::pcmu(), Codec::g729()])]);
        let parsed = Sdp::parse(offer.as_bytes()).unwrap();
        let count = parsed.media.len();
        b.set_remote_offer(&parsed).unwrap();
        let answer = b.create_answer().unwrap().to_vec();
        let answer = Sdp::parse(&answer).unwrap();
        assert_eq!(answer.media.len(), count);
        assert_eq!(b.negotiated().unwrap().streams.len(), count);
    }
}

#[test]
fn hostile_sap_packets() {
    let cases: &[&[u8]] = &[
        &[0x20, 0xff, 0, 1, 192, 0, 2, 1], // auth length past the end
        &[0x30, 0, 0, 1, 192, 0, 2, 1],    // IPv6 flag with an IPv4-sized address
        &[0x20, 0, 0, 1, 192, 0, 2, 1, b'a', b'b'], // payload type without NUL
        &[0x20, 0, 0, 1, 192, 0, 2, 1, 0x01, 0, b'x'], // control byte in payload type
        &[0xe0, 0, 0, 1, 192, 0, 2, 1],    // version 7
    ];
    for c in cases {
        assert!(
            matches!(
                SapPacket::decode(&Bytes::copy_from_slice(c)),
                Err(Error::Sap { .. })
            ),
            "{c:?}"
        );
    }
    // Encrypted payloads are not inspected.
    let p = SapPacket::decode(&Bytes::from_static(&[
        0x22, 0, 0, 1, 192, 0, 2, 1, 0xff, 0x00,
    ]))
    .unwrap();
    assert!(p.encrypted && p.payload_type.is_none() && p.sdp().is_none());
    // An SDP payload that does not parse reports the SDP error.
    let p = SapPacket::decode(&Bytes::from_static(
        b"\x20\x00\x00\x01\xc0\x00\x02\x01application/sdp\x00v=1",
    ))
    .unwrap();
    assert!(p.sdp().unwrap().is_err());
}
