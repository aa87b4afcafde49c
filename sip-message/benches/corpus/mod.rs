//! The benchmark corpus: the nine messages of the peer benchmark
//! (`shared/bench/peers/src/corpus.rs`, same bytes so figures compare) plus a message with
//! 10 Via and 10 Record-Route values. Built in code: exact CRLF, computed Content-Length.
#![allow(missing_docs, unreachable_pub, dead_code)]

use bytes::Bytes;

pub struct Case {
    pub name: &'static str,
    pub bytes: Bytes,
}

const SDP_ALICE: &str = "v=0\r\n\
o=alice 2890844526 2890844526 IN IP4 192.0.2.101\r\n\
s=-\r\n\
c=IN IP4 192.0.2.101\r\n\
t=0 0\r\n\
m=audio 49170 RTP/AVP 0 8 101\r\n\
a=rtpmap:0 PCMU/8000\r\n\
a=rtpmap:8 PCMA/8000\r\n\
a=rtpmap:101 telephone-event/8000\r\n\
a=fmtp:101 0-16\r\n\
a=ptime:20\r\n\
a=sendrecv\r\n";

const SDP_BOB: &str = "v=0\r\n\
o=bob 2808844564 2808844564 IN IP4 198.51.100.20\r\n\
s=-\r\n\
c=IN IP4 198.51.100.20\r\n\
t=0 0\r\n\
m=audio 3456 RTP/AVP 0 101\r\n\
a=rtpmap:0 PCMU/8000\r\n\
a=rtpmap:101 telephone-event/8000\r\n\
a=fmtp:101 0-16\r\n\
a=ptime:20\r\n\
a=sendrecv\r\n";

fn sip(lines: &[&str], body: &str) -> Bytes {
    let mut s = String::with_capacity(1024 + body.len());
    for l in lines {
        if *l == "Content-Length: @" {
            s.push_str(&format!("Content-Length: {}", body.len()));
        } else {
            s.push_str(l);
        }
        s.push_str("\r\n");
    }
    s.push_str("\r\n");
    s.push_str(body);
    // A shared (not promotable) buffer, as a network read gives: slicing never allocates.
    bytes::BytesMut::from(s.as_bytes()).freeze()
}

/// The nine messages of the peer benchmark, in its order.
pub fn peer_corpus() -> Vec<Case> {
    vec![
        Case { name: "INVITE+SDP", bytes: sip(&[
            "INVITE sip:bob@biloxi.example.com SIP/2.0",
            "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK74bf9;rport",
            "Max-Forwards: 70",
            "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=9fxced76sl",
            "To: \"Bob\" <sip:bob@biloxi.example.com>",
            "Call-ID: 3848276298220188511@atlanta.example.com",
            "CSeq: 31862 INVITE",
            "Contact: <sip:alice@192.0.2.101:5060;transport=udp>",
            "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, UPDATE",
            "Supported: replaces, timer, 100rel",
            "User-Agent: ExamplePhone/4.2.1",
            "Content-Type: application/sdp",
            "Content-Length: @",
        ], SDP_ALICE) },
        Case { name: "100 Trying", bytes: sip(&[
            "SIP/2.0 100 Trying",
            "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK74bf9;rport=5060;received=192.0.2.101",
            "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=9fxced76sl",
            "To: \"Bob\" <sip:bob@biloxi.example.com>",
            "Call-ID: 3848276298220188511@atlanta.example.com",
            "CSeq: 31862 INVITE",
            "Content-Length: @",
        ], "") },
        Case { name: "180 Ringing", bytes: sip(&[
            "SIP/2.0 180 Ringing",
            "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK74bf9;rport=5060;received=192.0.2.101",
            "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=9fxced76sl",
            "To: \"Bob\" <sip:bob@biloxi.example.com>;tag=8321234356",
            "Call-ID: 3848276298220188511@atlanta.example.com",
            "CSeq: 31862 INVITE",
            "Contact: <sip:bob@198.51.100.20:5060>",
            "Content-Length: @",
        ], "") },
        Case { name: "200 OK+SDP", bytes: sip(&[
            "SIP/2.0 200 OK",
            "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK74bf9;rport=5060;received=192.0.2.101",
            "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=9fxced76sl",
            "To: \"Bob\" <sip:bob@biloxi.example.com>;tag=8321234356",
            "Call-ID: 3848276298220188511@atlanta.example.com",
            "CSeq: 31862 INVITE",
            "Contact: <sip:bob@198.51.100.20:5060;transport=udp>",
            "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY",
            "Supported: replaces, timer",
            "Server: ExampleServer/1.9.3",
            "Content-Type: application/sdp",
            "Content-Length: @",
        ], SDP_BOB) },
        Case { name: "ACK", bytes: sip(&[
            "ACK sip:bob@198.51.100.20:5060;transport=udp SIP/2.0",
            "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK5a7c2e;rport",
            "Max-Forwards: 70",
            "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=9fxced76sl",
            "To: \"Bob\" <sip:bob@biloxi.example.com>;tag=8321234356",
            "Call-ID: 3848276298220188511@atlanta.example.com",
            "CSeq: 31862 ACK",
            "Content-Length: @",
        ], "") },
        Case { name: "BYE", bytes: sip(&[
            "BYE sip:alice@192.0.2.101:5060;transport=udp SIP/2.0",
            "Via: SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bKnashds10;rport",
            "Max-Forwards: 70",
            "From: \"Bob\" <sip:bob@biloxi.example.com>;tag=8321234356",
            "To: \"Alice\" <sip:alice@atlanta.example.com>;tag=9fxced76sl",
            "Call-ID: 3848276298220188511@atlanta.example.com",
            "CSeq: 231 BYE",
            "User-Agent: ExamplePhone/4.2.1",
            "Content-Length: @",
        ], "") },
        Case { name: "REGISTER+Auth", bytes: sip(&[
            "REGISTER sip:registrar.biloxi.example.com SIP/2.0",
            "Via: SIP/2.0/TCP 198.51.100.7:5060;branch=z9hG4bKnashd92;rport",
            "Max-Forwards: 70",
            "From: Bob <sip:bob@biloxi.example.com>;tag=ja743ks76zlflH",
            "To: Bob <sip:bob@biloxi.example.com>",
            "Call-ID: 1j9FpLxk3uxtm8tn@198.51.100.7",
            "CSeq: 2 REGISTER",
            "Contact: <sip:bob@198.51.100.7:5060;transport=tcp>;expires=3600",
            "Authorization: Digest username=\"bob\", realm=\"biloxi.example.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"sip:registrar.biloxi.example.com\", response=\"245f23415f11432b3434341c022e5f1a\", algorithm=MD5, cnonce=\"0a4f113b\", qop=auth, nc=00000001, opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"",
            "User-Agent: ExamplePhone/4.2.1",
            "Content-Length: @",
        ], "") },
        Case { name: "OPTIONS", bytes: sip(&[
            "OPTIONS sip:carol@chicago.example.com SIP/2.0",
            "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKhjhs8ass877",
            "Max-Forwards: 70",
            "To: <sip:carol@chicago.example.com>",
            "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774",
            "Call-ID: a84b4c76e66710",
            "CSeq: 63104 OPTIONS",
            "Contact: <sip:alice@pc33.atlanta.example.com>",
            "Accept: application/sdp",
            "Content-Length: @",
        ], "") },
        Case { name: "big INVITE (7 Via, 6 Record-Route)", bytes: sip(&[
            "INVITE sip:bob@198.51.100.20:5060;transport=udp SIP/2.0",
            "Via: SIP/2.0/UDP edge6.biloxi.example.com:5060;branch=z9hG4bK2d4790.6;rport",
            "Via: SIP/2.0/UDP core5.biloxi.example.com:5060;branch=z9hG4bK2d4790.5;received=203.0.113.55",
            "Via: SIP/2.0/TCP sbc4.biloxi.example.com:5060;branch=z9hG4bK2d4790.4",
            "Via: SIP/2.0/TCP 203.0.113.9:5060;branch=z9hG4bK2d4790.3;received=203.0.113.9;rport=5060",
            "Via: SIP/2.0/UDP proxy2.atlanta.example.com:5060;branch=z9hG4bK2d4790.2",
            "Via: SIP/2.0/UDP proxy1.atlanta.example.com:5060;branch=z9hG4bK2d4790.1",
            "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK74bf9;rport=5060;received=192.0.2.101",
            "Record-Route: <sip:edge6.biloxi.example.com;lr>",
            "Record-Route: <sip:core5.biloxi.example.com;lr;ftag=9fxced76sl>",
            "Record-Route: <sip:sbc4.biloxi.example.com;transport=tcp;lr>",
            "Record-Route: <sip:203.0.113.9:5060;transport=tcp;lr>",
            "Record-Route: <sip:proxy2.atlanta.example.com;lr>",
            "Record-Route: <sip:proxy1.atlanta.example.com;lr>",
            "Max-Forwards: 64",
            "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=9fxced76sl",
            "To: \"Bob\" <sip:bob@biloxi.example.com>",
            "Call-ID: 3848276298220188511@atlanta.example.com",
            "CSeq: 31862 INVITE",
            "Contact: <sip:alice@192.0.2.101:5060;transport=udp>",
            "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, UPDATE",
            "Supported: replaces, timer, 100rel",
            "User-Agent: ExamplePhone/4.2.1",
            "Content-Type: application/sdp",
            "Content-Length: @",
        ], SDP_ALICE) },
    ]
}

/// An INVITE that crossed ten proxies: 10 Via and 10 Record-Route fields (the corpus).
pub fn ten_via_ten_record_route() -> Case {
    let mut lines = vec!["INVITE sip:bob@198.51.100.20:5060;transport=udp SIP/2.0".to_owned()];
    for i in (1..=10).rev() {
        lines.push(format!(
            "Via: SIP/2.0/UDP proxy{i}.example.com:5060;branch=z9hG4bK2d4790.{i};received=203.0.113.{i};rport=5060"
        ));
    }
    for i in (1..=10).rev() {
        lines.push(format!(
            "Record-Route: <sip:proxy{i}.example.com;lr;ftag=9fxced76sl>"
        ));
    }
    for l in [
        "Max-Forwards: 60",
        "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=9fxced76sl",
        "To: \"Bob\" <sip:bob@biloxi.example.com>",
        "Call-ID: 3848276298220188511@atlanta.example.com",
        "CSeq: 31862 INVITE",
        "Contact: <sip:alice@192.0.2.101:5060;transport=udp>",
        "Content-Type: application/sdp",
        "Content-Length: @",
    ] {
        lines.push(l.to_owned());
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    Case {
        name: "INVITE (10 Via, 10 Record-Route)",
        bytes: sip(&refs, SDP_ALICE),
    }
}
