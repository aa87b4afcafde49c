#![no_main]
//! Decode arbitrary SAP packets; whatever decodes must encode back to the same bytes.

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = Bytes::copy_from_slice(data);
    let Ok(packet) = sdp::sap::SapPacket::decode(&input) else {
        return;
    };
    let wire = packet.to_bytes().expect("decoded packet encodes");
    // The R bit is ignored on decode and written as 0.
    let mut expected = data.to_vec();
    if let Some(first) = expected.first_mut() {
        *first &= !0x08;
    }
    assert_eq!(&wire[..], &expected[..]);
    if let Some(Ok(sdp)) = packet.sdp() {
        assert_eq!(sdp.to_vec(), packet.payload);
    }
});
