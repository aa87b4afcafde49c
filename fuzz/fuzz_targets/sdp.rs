#![no_main]
//! Parse arbitrary bytes, strictly and with unordered lines allowed; whatever parses must
//! serialize back byte for byte, and its re-rendered model must parse (strictly) to the same
//! model.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let relaxed = sdp::ParserConfig {
        allow_unordered_lines: true,
        ..sdp::ParserConfig::default()
    };
    let strict = sdp::Sdp::parse(data);
    let Ok(parsed) = sdp::Sdp::parse_with(data, &relaxed) else {
        assert!(
            strict.is_err(),
            "relaxed parsing refuses what strict parsing accepts"
        );
        return;
    };
    if let Ok(strict) = strict {
        assert_eq!(*strict, *parsed);
    }
    assert_eq!(parsed.to_vec(), data);
    let model = parsed.into_description();
    let wire = model.to_vec();
    let again = sdp::SessionDescription::parse(&wire).expect("rendered description parses");
    assert_eq!(again, model);
});
