// Adapter for shared/bench/peers/src/adapters/ours.rs (not compiled here): replace that file's
// commented template with this, add to its Cargo.toml
//     sip-message = { path = "<path to>/sip-message", optional = true }
// and set `ours = ["dep:sip-message"]`; then see BENCHMARKS.md for the commands.

//! Adapters for our own crates (sip-message, sdp, rtp, stun). Compiled only with
//! `--features ours`. README.md, "Adding our crate", has the steps; in short:
//!
//! 1. Cargo.toml: add optional path dependencies, e.g.
//!        sip-message = { path = "<relative path to our crates>/sip-message", optional = true }
//!    and list them in the `ours` feature: `ours = ["dep:sip-message", ...]`.
//! 2. Uncomment the adapter(s) below, fix the calls to match our real API.
//! 3. Uncomment the matching `v.<suite>::<...>()` line in `visit`.
//! 4. `cargo run --release --features ours -- /ours` (ours only) or without a filter
//!    (everyone), and `cargo run --release --features ours -- callgrind /ours`.
//!
//! The harness validates every adapter before timing it (same extracted transaction key,
//! byte-exact RTP/STUN encodings, SDP media count, serialize -> re-parse round trip), so a
//! wrong adapter shows up under "Validation failures" instead of producing a number.

#![allow(unused_imports)]

use crate::corpus::{RtpInfo, RtpSpec, StunInfo, StunSpec};
use crate::harness::{unsupported, Res, RtpPeer, SdpPeer, SipPeer, StunPeer, TxnKey, Visitor};
use bytes::Bytes;

pub fn visit(_v: &mut impl Visitor) {
    _v.sip::<OursSip>();
    _v.sip::<OursSipKeyParts>();
    // _v.sdp::<OursSdp>();
    // _v.rtp::<OursRtp>();
    // _v.stun::<OursStun>();
}

// ---------------------------------------------------------------------------- SIP
// pub struct OursSip;
//
// impl SipPeer for OursSip {
//     const NAME: &'static str = "ours";
//     const CRATE: &'static str = "sip-message (path)";
//     const NOTE: &'static str = "";
//     type Msg<'a> = sip_message::Message<'a>;          // zero-copy: borrow `buf`
//
//     fn parse(buf: &Bytes) -> Res<Self::Msg<'_>> {
//         sip_message::Message::parse(buf).map_err(|e| e.to_string())
//     }
//
//     fn extract(m: &Self::Msg<'_>, k: &mut TxnKey) -> Res<()> {
//         k.branch.set_str(m.top_via()?.branch().ok_or("no branch")?);
//         k.from_tag.set_str(m.from()?.tag().ok_or("no from tag")?);
//         k.to_tag.set_str(m.to()?.tag().unwrap_or(""));
//         k.call_id.set_str(m.call_id()?);
//         let c = m.cseq()?;
//         k.cseq = c.seq;
//         k.cseq_method.set_str(c.method.as_str());
//         Ok(())
//     }
//
//     fn serialize(m: &Self::Msg<'_>, out: &mut Vec<u8>) -> Res<()> {
//         m.write_to(out).map_err(|e| e.to_string())
//     }
// }

// ---------------------------------------------------------------------------- SDP
// pub struct OursSdp;
//
// impl SdpPeer for OursSdp {
//     const NAME: &'static str = "ours";
//     const CRATE: &'static str = "sdp (path)";
//     type Sess<'a> = sdp::Session<'a>;
//     fn parse<'a>(text: &'a str, _raw: &'a Bytes) -> Res<Self::Sess<'a>> { todo!() }
//     fn media_count(s: &Self::Sess<'_>) -> usize { todo!() }
//     fn serialize(s: &Self::Sess<'_>, out: &mut Vec<u8>) -> Res<()> { todo!() }
// }

// ---------------------------------------------------------------------------- RTP
// pub struct OursRtp;
//
// impl RtpPeer for OursRtp {
//     const NAME: &'static str = "ours";
//     const CRATE: &'static str = "rtp (path)";
//     fn parse(pkt: &Bytes) -> Res<RtpInfo> { todo!() }                 // fill every field
//     fn build(s: &RtpSpec, out: &mut [u8]) -> Res<usize> { todo!() }   // must equal reference bytes
// }

// ---------------------------------------------------------------------------- STUN
// pub struct OursStun;
//
// impl StunPeer for OursStun {
//     const NAME: &'static str = "ours";
//     const CRATE: &'static str = "stun (path)";
//     fn encode_request(s: &StunSpec, out: &mut Vec<u8>) -> Res<()> { todo!() }
//     fn encode_response(s: &StunSpec, out: &mut Vec<u8>) -> Res<()> { todo!() }
//     fn decode(buf: &[u8], key: &str) -> Res<StunInfo> { todo!() }      // verify MI + FP
// }

pub struct OursSip;

impl SipPeer for OursSip {
    const NAME: &'static str = "ours";
    const CRATE: &'static str = "sip-message (path)";
    const NOTE: &'static str = "indexes; typed headers parsed on access";
    type Msg<'a> = sip_message::Message;

    fn parse(buf: &Bytes) -> Res<Self::Msg<'_>> {
        sip_message::Message::parse(buf.clone()).map_err(|e| e.to_string())
    }

    fn extract(m: &Self::Msg<'_>, k: &mut TxnKey) -> Res<()> {
        use sip_message::{CSeq, CallId, Via};
        let via = m.typed::<Via>().ok_or("no Via")?.map_err(|e| e.to_string())?;
        k.branch.set_str(via.branch().ok_or("no branch")?);
        k.from_tag.set_str(m.from_tag().ok_or("no from tag")?);
        k.to_tag.set_str(m.to_tag().unwrap_or(""));
        let call_id = m.typed::<CallId>().ok_or("no Call-ID")?.map_err(|e| e.to_string())?;
        k.call_id.set_str(call_id.as_str());
        let c = m.typed::<CSeq>().ok_or("no CSeq")?.map_err(|e| e.to_string())?;
        k.cseq = c.seq;
        k.cseq_method.set_str(c.method.as_str());
        Ok(())
    }

    fn serialize(m: &Self::Msg<'_>, out: &mut Vec<u8>) -> Res<()> {
        m.write_to(out);
        Ok(())
    }
}

pub struct OursSipKeyParts;

impl SipPeer for OursSipKeyParts {
    const NAME: &'static str = "ours-key_parts";
    const CRATE: &'static str = "sip-message (path)";
    const NOTE: &'static str = "key via Message::key_parts (borrowed, typed fallback)";
    type Msg<'a> = sip_message::Message;

    fn parse(buf: &Bytes) -> Res<Self::Msg<'_>> {
        sip_message::Message::parse(buf.clone()).map_err(|e| e.to_string())
    }

    fn extract(m: &Self::Msg<'_>, k: &mut TxnKey) -> Res<()> {
        let p = m.key_parts().map_err(|e| e.to_string())?;
        k.branch.set_str(p.branch.ok_or("no branch")?);
        k.from_tag.set_str(p.from_tag.ok_or("no from tag")?);
        k.to_tag.set_str(p.to_tag.unwrap_or(""));
        k.call_id.set_str(p.call_id);
        k.cseq = p.cseq;
        k.cseq_method.set_str(p.cseq_method);
        Ok(())
    }

    fn serialize(m: &Self::Msg<'_>, out: &mut Vec<u8>) -> Res<()> {
        m.write_to(out);
        Ok(())
    }
}
