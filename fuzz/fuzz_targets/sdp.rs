#![no_main]
//! Parse arbitrary bytes; whatever parses must serialize back byte for byte, and its
//! re-rendered model must parse to the same model.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = sdp::Sdp::parse(data) else { return };
    assert_eq!(parsed.to_vec(), data);
    let model = parsed.into_description();
    let wire = model.to_vec();
    let again = sdp::SessionDescription::parse(&wire).expect("rendered description parses");
    assert_eq!(again, model);
});
