#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The SDP examples of RFC 3264 §10, RFC 4317 and RFC 8866, extracted from the RFC texts into
//! `tests/data/rfc/`: every one parses (some only with `allow_unordered_lines`: RFC 3264
//! writes `c=` after `t=`), serializes back byte for byte (verbatim, and rendered when in RFC
//! order), and gets a well-formed answer from the engine.

mod common;

use common::{audio, bob, v4};
use sdp::{Codec, ParserConfig, Sdp, SessionDescription, StreamConfig};

const RELAXED: ParserConfig = ParserConfig {
    max_size: 65536,
    max_lines: 2048,
    max_media: 64,
    max_attributes: 1024,
    allow_unordered_lines: true,
};

fn examples() -> Vec<(String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/rfc");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sdp"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn rfc_examples_parse_and_round_trip() {
    let all = examples();
    assert!(all.len() >= 60, "{} examples", all.len());
    let mut strict = 0;
    for (name, bytes) in &all {
        let sdp = Sdp::parse_with(bytes, &RELAXED).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(sdp.to_vec(), *bytes, "{name}: verbatim");
        let model = sdp.into_description();
        let rendered = model.to_vec();
        assert_eq!(
            SessionDescription::parse(&rendered).unwrap(),
            model,
            "{name}: rendered"
        );
        if Sdp::parse(bytes).is_ok() {
            strict += 1;
            assert_eq!(rendered, *bytes, "{name}: rendered");
        }
    }
    // RFC 4317 and RFC 8866 keep the order; RFC 3264's examples do not.
    assert!(
        strict >= all.len() - 9,
        "{strict} of {} in RFC order",
        all.len()
    );
}

#[test]
fn rfc_examples_get_well_formed_answers() {
    for (name, bytes) in examples() {
        let offer = Sdp::parse_with(&bytes, &RELAXED).unwrap();
        let mut engine = bob(vec![
            audio(
                v4(2),
                3456,
                vec![
                    Codec::pcmu(),
                    Codec::pcma(),
                    Codec::g729(),
                    Codec::new("iLBC", 8000),
                ],
            ),
            StreamConfig::video(
                v4(2),
                3458,
                vec![Codec::new("H261", 90000), Codec::new("H263", 90000)],
            ),
        ]);
        engine.set_remote_offer(&offer).unwrap();
        let answer = engine.create_answer().unwrap().to_vec();
        let answer = Sdp::parse(&answer).unwrap_or_else(|e| panic!("{name}: answer: {e}"));
        assert_eq!(answer.media.len(), offer.media.len(), "{name}");
    }
}
