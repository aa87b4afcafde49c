#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! RFC 3264 offer/answer scenarios between two engines, over the wire format.

mod common;

use std::net::IpAddr;

use common::{alice, audio, bob, exchange, parse, session, v4};
use sdp::{
    Codec, CodecOrder, Direction, Error, OfferAnswer, Sdp, SessionConfig, SignalingState,
    StreamConfig,
};

fn g711() -> Vec<Codec> {
    vec![Codec::pcmu(), Codec::pcma()]
}

#[test]
fn audio_only_call() {
    let mut a = alice(vec![audio(v4(1), 49170, g711())]);
    let mut b = bob(vec![audio(v4(2), 3456, g711())]);
    let (offer, answer) = exchange(&mut a, &mut b);
    assert_eq!(
        offer,
        "v=0\r\no=alice 1000 1000 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n\
         m=audio 49170 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n\
         a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n"
    );
    assert_eq!(
        answer,
        "v=0\r\no=bob 2000 2000 IN IP4 192.0.2.2\r\ns=-\r\nc=IN IP4 192.0.2.2\r\nt=0 0\r\n\
         m=audio 3456 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n\
         a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n"
    );
    assert_eq!(a.state(), SignalingState::Stable);
    assert_eq!(b.state(), SignalingState::Stable);
    let at = session(&a).streams[0].active().unwrap();
    assert_eq!(
        (at.remote_address, at.remote_port, at.local_port),
        (v4(2), 3456, 49170)
    );
    assert_eq!((at.codec.payload_type, &*at.codec.name), (0, "PCMU"));
    assert_eq!(at.codecs.len(), 2);
    assert_eq!(at.telephone_event.as_ref().unwrap().payload_type, 101);
    assert_eq!(at.direction, Direction::SendRecv);
    assert_eq!(at.ptime, Some(20));
    let bt = session(&b).streams[0].active().unwrap();
    assert_eq!((bt.remote_address, bt.remote_port), (v4(1), 49170));
    assert_eq!(bt.codec.payload_type, 0);
    assert!(bt.sends() && bt.receives());
}

#[test]
fn audio_and_video_with_video_rejected() {
    let mut a = alice(vec![
        audio(v4(1), 49170, g711()),
        StreamConfig::video(
            v4(1),
            51372,
            vec![Codec::new("H264", 90000).with_fmtp("packetization-mode=1")],
        ),
    ]);
    let mut b = bob(vec![audio(v4(2), 3456, g711())]);
    let (offer, answer) = exchange(&mut a, &mut b);
    assert!(offer.contains(
        "m=video 51372 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\n"
    ));
    assert!(answer.contains("m=video 0 RTP/AVP 96\r\n"), "{answer}");
    let answer = parse(&answer);
    assert_eq!(answer.media.len(), 2);
    assert!(answer.media[1].attributes.is_empty());
    for e in [&a, &b] {
        let s = session(e);
        assert!(s.streams[0].active().is_some());
        assert!(s.streams[1].active().is_none());
        assert_eq!(s.streams[1].media(), "video");
    }
}

#[test]
fn codec_reduction_in_offerer_order() {
    let offered = vec![Codec::g729(), Codec::pcmu(), Codec::pcma(), Codec::g722()];
    let mut a = alice(vec![audio(v4(1), 49170, offered.clone())]);
    let mut b = bob(vec![audio(v4(2), 3456, vec![Codec::pcma(), Codec::pcmu()])]);
    let (offer, answer) = exchange(&mut a, &mut b);
    assert!(offer.contains("m=audio 49170 RTP/AVP 18 0 8 9 101\r\n"));
    assert!(
        answer.contains("m=audio 3456 RTP/AVP 0 8 101\r\n"),
        "{answer}"
    );
    assert!(!answer.contains("G729") && !answer.contains("G722"));
    assert_eq!(session(&a).streams[0].active().unwrap().codec.name, "PCMU");

    // The answerer's preference instead.
    let mut a = alice(vec![audio(v4(1), 49170, offered.clone())]);
    let mut config = SessionConfig::new("bob", 2000, v4(2));
    config.codec_order = CodecOrder::Answerer;
    let mut b = OfferAnswer::new(
        config,
        vec![audio(v4(2), 3456, vec![Codec::pcma(), Codec::pcmu()])],
    );
    let (_, answer) = exchange(&mut a, &mut b);
    assert!(
        answer.contains("m=audio 3456 RTP/AVP 8 0 101\r\n"),
        "{answer}"
    );
    assert_eq!(
        session(&a).streams[0].active().unwrap().codec.payload_type,
        8
    );

    // Only one codec in the answer.
    let mut a = alice(vec![audio(v4(1), 49170, offered)]);
    let mut config = SessionConfig::new("bob", 2000, v4(2));
    config.single_codec_answer = true;
    let mut b = OfferAnswer::new(
        config,
        vec![audio(v4(2), 3456, vec![Codec::pcma(), Codec::pcmu()])],
    );
    let (_, answer) = exchange(&mut a, &mut b);
    assert!(
        answer.contains("m=audio 3456 RTP/AVP 0 101\r\n"),
        "{answer}"
    );
    assert_eq!(session(&a).streams[0].active().unwrap().codecs.len(), 1);
}

#[test]
fn no_common_codec_rejects_the_stream() {
    let mut a = alice(vec![audio(v4(1), 49170, vec![Codec::g729()])]);
    let mut b = bob(vec![audio(v4(2), 3456, g711())]);
    let (_, answer) = exchange(&mut a, &mut b);
    assert!(answer.contains("m=audio 0 RTP/AVP 18 101\r\n"), "{answer}");
    assert!(session(&a).streams[0].active().is_none());
    assert!(session(&b).streams[0].active().is_none());
}

fn directions(a: &OfferAnswer, b: &OfferAnswer) -> (Direction, Direction) {
    (
        session(a).streams[0].active().unwrap().direction,
        session(b).streams[0].active().unwrap().direction,
    )
}

fn version(text: &str) -> u64 {
    parse(text).origin.session_version
}

#[test]
fn hold_and_resume_both_directions() {
    let mut a = alice(vec![audio(v4(1), 49170, g711())]);
    let mut b = bob(vec![audio(v4(2), 3456, g711())]);
    exchange(&mut a, &mut b);

    // Alice holds Bob (RFC 3264 §8.4): sendonly offered, recvonly answered.
    a.hold(0).unwrap();
    let (offer, answer) = exchange(&mut a, &mut b);
    assert!(offer.contains("a=sendonly\r\n"));
    assert!(answer.contains("a=recvonly\r\n"));
    assert_eq!((version(&offer), version(&answer)), (1001, 2001));
    assert_eq!(
        directions(&a, &b),
        (Direction::SendOnly, Direction::RecvOnly)
    );

    // Bob holds Alice too, in his own re-offer: Alice's answer to a sendonly offer while she
    // holds is inactive (RFC 6337 §5.3).
    b.hold(0).unwrap();
    let (offer, answer) = exchange(&mut b, &mut a);
    assert!(offer.contains("a=sendonly\r\n"), "{offer}");
    assert!(answer.contains("a=inactive\r\n"), "{answer}");
    assert_eq!(
        directions(&a, &b),
        (Direction::Inactive, Direction::Inactive)
    );

    // Alice resumes: she offers sendrecv, Bob (still holding) answers sendonly.
    a.resume(0).unwrap();
    let (offer, answer) = exchange(&mut a, &mut b);
    assert!(offer.contains("a=sendrecv\r\n"));
    assert!(answer.contains("a=sendonly\r\n"));
    assert_eq!(
        directions(&a, &b),
        (Direction::RecvOnly, Direction::SendOnly)
    );

    // Bob resumes.
    b.resume(0).unwrap();
    let (offer, answer) = exchange(&mut b, &mut a);
    assert!(offer.contains("a=sendrecv\r\n") && answer.contains("a=sendrecv\r\n"));
    assert_eq!(
        directions(&a, &b),
        (Direction::SendRecv, Direction::SendRecv)
    );
}

#[test]
fn recvonly_stream_held_becomes_inactive() {
    let mut listener = audio(v4(1), 49170, g711());
    listener.direction = Direction::RecvOnly;
    let mut a = alice(vec![listener]);
    let mut b = bob(vec![audio(v4(2), 3456, g711())]);
    let (_, answer) = exchange(&mut a, &mut b);
    assert!(answer.contains("a=sendonly\r\n"));
    a.hold(0).unwrap();
    let (offer, answer) = exchange(&mut a, &mut b);
    assert!(offer.contains("a=inactive\r\n") && answer.contains("a=inactive\r\n"));
}

#[test]
fn rfc2543_hold_address_means_do_not_send() {
    let offer = "v=0\r\no=old 1 2 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
    let mut b = bob(vec![audio(v4(2), 3456, g711())]);
    b.set_remote_offer(&parse(offer)).unwrap();
    let answer = b.create_answer().unwrap().to_vec();
    assert!(String::from_utf8(answer)
        .unwrap()
        .contains("a=recvonly\r\n"));
    let s = session(&b).streams[0].active().unwrap();
    assert!(!s.sends() && s.receives());
}

#[test]
fn version_changes_only_with_content() {
    let mut a = alice(vec![audio(v4(1), 49170, g711())]);
    let mut b = bob(vec![audio(v4(2), 3456, g711())]);
    let (o1, a1) = exchange(&mut a, &mut b);
    let (o2, a2) = exchange(&mut a, &mut b);
    assert_eq!(
        (o1.clone(), a1.clone()),
        (o2, a2),
        "a refresh re-offer is identical"
    );
    a.stream_mut(0).unwrap().ptime = Some(30);
    let (o3, a3) = exchange(&mut a, &mut b);
    assert_eq!(version(&o3), version(&o1) + 1);
    assert_eq!(version(&a3), version(&a1), "the answer did not change");
    assert_eq!(session(&b).streams[0].active().unwrap().ptime, Some(30));
}

#[test]
fn reoffer_with_new_port_and_address() {
    let mut a = alice(vec![audio(v4(1), 49170, g711())]);
    let mut b = bob(vec![audio(v4(2), 3456, g711())]);
    exchange(&mut a, &mut b);
    {
        let s = a.stream_mut(0).unwrap();
        s.port = 50000;
        s.address = v4(9);
    }
    let (offer, _) = exchange(&mut a, &mut b);
    assert!(
        offer.contains("m=audio 50000 RTP/AVP 0 8 101\r\nc=IN IP4 192.0.2.9\r\n"),
        "{offer}"
    );
    assert_eq!(version(&offer), 1001);
    let bt = session(&b).streams[0].active().unwrap();
    assert_eq!((bt.remote_address, bt.remote_port), (v4(9), 50000));
    // Bob moves too, in his answer to a refresh.
    b.stream_mut(0).unwrap().port = 7000;
    let (_, answer) = exchange(&mut a, &mut b);
    assert_eq!(version(&answer), 2001);
    assert_eq!(session(&a).streams[0].active().unwrap().remote_port, 7000);
}

#[test]
fn stream_added_disabled_and_reenabled() {
    let mut a = alice(vec![audio(v4(1), 49170, g711())]);
    let mut b = bob(vec![audio(v4(2), 3456, g711())]);
    exchange(&mut a, &mut b);

    // Alice adds video; Bob has no video: rejected, but the m-line stays in the session.
    let vp8 = || vec![Codec::new("VP8", 90000)];
    a.add_stream(StreamConfig::video(v4(1), 51372, vp8()));
    let (offer, answer) = exchange(&mut a, &mut b);
    assert_eq!(parse(&offer).media.len(), 2);
    assert!(answer.contains("m=video 0 RTP/AVP 96\r\n"));
    assert!(session(&a).streams[1].active().is_none());

    // Bob's own re-offer keeps both m-lines (RFC 3264 §8), the video one disabled.
    let (offer, _) = exchange(&mut b, &mut a);
    assert_eq!(parse(&offer).media.len(), 2);
    assert_eq!(parse(&offer).media[1].port, 0);

    // Alice offers video again; this time Bob accepts it by adding a local stream.
    let offer = a.create_offer().unwrap().to_vec();
    b.set_remote_offer(&Sdp::parse(&offer).unwrap()).unwrap();
    *b.stream_mut(1).unwrap() = StreamConfig::video(v4(2), 6000, vp8());
    let answer = b.create_answer().unwrap().to_vec();
    a.set_remote_answer(&Sdp::parse(&answer).unwrap()).unwrap();
    let v = session(&a).streams[1].active().unwrap();
    assert_eq!(
        (v.remote_port, &*v.codec.name, v.codec.payload_type),
        (6000, "VP8", 96)
    );

    // Alice disables video, then re-enables it on another port.
    a.disable_stream(1).unwrap();
    let (offer, answer) = exchange(&mut a, &mut b);
    assert!(offer.contains("m=video 0 RTP/AVP 96\r\n"));
    assert!(answer.contains("m=video 0 RTP/AVP 96\r\n"));
    assert!(session(&b).streams[1].active().is_none());
    a.enable_stream(1, 52000).unwrap();
    exchange(&mut a, &mut b);
    assert_eq!(session(&b).streams[1].active().unwrap().remote_port, 52000);
    assert!(matches!(a.enable_stream(1, 0), Err(Error::Config { .. })));
    assert!(matches!(a.hold(7), Err(Error::Config { .. })));
}

#[test]
fn offered_port_zero_is_answered_with_port_zero() {
    let offer = "v=0\r\no=x 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\nm=audio 4000 RTP/AVP 0\r\n";
    let mut b = bob(vec![audio(v4(2), 3456, g711()), audio(v4(2), 3458, g711())]);
    b.set_remote_offer(&parse(offer)).unwrap();
    let answer = b.create_answer().unwrap();
    assert_eq!(answer.media[0].port, 0);
    assert_eq!(answer.media[1].port, 3458);
}

#[test]
fn telephone_event_negotiation() {
    // Events are intersected; dynamic payload types follow the offer.
    let offer = "v=0\r\no=x 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n\
                 m=audio 4000 RTP/AVP 109 0 96 97\r\na=rtpmap:109 opus/48000/2\r\n\
                 a=rtpmap:96 telephone-event/48000\r\na=fmtp:96 0-15\r\n\
                 a=rtpmap:97 telephone-event/8000\r\na=fmtp:97 0-11\r\n";
    let mut b = bob(vec![audio(v4(2), 3456, vec![Codec::opus(), Codec::pcmu()])]);
    b.set_remote_offer(&parse(offer)).unwrap();
    let answer = String::from_utf8(b.create_answer().unwrap().to_vec()).unwrap();
    assert!(
        answer.contains("m=audio 3456 RTP/AVP 109 0 96\r\n"),
        "{answer}"
    );
    assert!(answer.contains("a=rtpmap:109 opus/48000/2\r\n"));
    assert!(
        answer.contains("a=rtpmap:96 telephone-event/48000\r\na=fmtp:96 0-15\r\n"),
        "{answer}"
    );
    let t = session(&b).streams[0]
        .active()
        .unwrap()
        .telephone_event
        .clone()
        .unwrap();
    assert_eq!(
        (t.payload_type, t.clock_rate, &*t.events),
        (96, 48000, "0-15")
    );

    // Bob's next offer keeps the agreed dynamic numbers (RFC 3264 §8.3.2).
    let reoffer = String::from_utf8(b.create_offer().unwrap().to_vec()).unwrap();
    assert!(
        reoffer.contains("m=audio 3456 RTP/AVP 109 0 96\r\n"),
        "{reoffer}"
    );
    assert!(
        reoffer.contains("a=rtpmap:96 telephone-event/8000\r\n"),
        "{reoffer}"
    );

    // No common events: no telephone-event in the answer.
    let offer = "v=0\r\no=x 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n\
                 m=audio 4000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 32-40\r\n";
    let mut b = bob(vec![audio(v4(2), 3456, g711())]);
    b.set_remote_offer(&parse(offer)).unwrap();
    let answer = b.create_answer().unwrap();
    assert!(answer.media[0].formats.iter().eq(["0"]));
    assert!(session(&b).streams[0]
        .active()
        .unwrap()
        .telephone_event
        .is_none());

    // Without fmtp the events default to 0-15 (RFC 4733 §2.4.1); without local support none.
    let offer = "v=0\r\no=x 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n\
                 m=audio 4000 RTP/AVP 8 100\r\na=rtpmap:100 telephone-event/8000\r\n";
    let mut b = bob(vec![audio(v4(2), 3456, g711())]);
    b.set_remote_offer(&parse(offer)).unwrap();
    b.create_answer().unwrap();
    let t = session(&b).streams[0]
        .active()
        .unwrap()
        .telephone_event
        .clone()
        .unwrap();
    assert_eq!((t.payload_type, &*t.events), (100, "0-15"));
    let mut plain = audio(v4(2), 3456, g711());
    plain.telephone_event = None;
    let mut b = bob(vec![plain]);
    b.set_remote_offer(&parse(offer)).unwrap();
    assert!(b.create_answer().unwrap().media[0].formats.iter().eq(["8"]));
}

#[test]
fn g729_annexb_is_negotiated() {
    let offer = |fmtp: &str| {
        format!("v=0\r\no=x 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\nm=audio 4000 RTP/AVP 18\r\n{fmtp}")
    };
    let answer_for = |offer: &str, local: Codec| {
        let mut b = bob(vec![audio(v4(2), 3456, vec![local])]);
        b.set_remote_offer(&parse(offer)).unwrap();
        let text = String::from_utf8(b.create_answer().unwrap().to_vec()).unwrap();
        (
            text,
            session(&b).streams[0].active().unwrap().codec.fmtp.clone(),
        )
    };
    let (text, fmtp) = answer_for(&offer("a=fmtp:18 annexb=no\r\n"), Codec::g729());
    assert!(text.contains("a=fmtp:18 annexb=no\r\n"));
    assert_eq!(fmtp.as_deref(), Some("annexb=no"));
    let (text, _) = answer_for(&offer(""), Codec::g729().with_fmtp("annexb=no"));
    assert!(text.contains("a=fmtp:18 annexb=no\r\n"));
    let (text, fmtp) = answer_for(&offer(""), Codec::g729());
    assert!(!text.contains("fmtp:18"));
    assert_eq!(fmtp, None);
    let (text, _) = answer_for(&offer("a=fmtp:18 annexb=yes\r\n"), Codec::g729());
    assert!(text.contains("a=fmtp:18 annexb=yes\r\n"));
}

#[test]
fn ipv6_session() {
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    let mut a = OfferAnswer::new(
        SessionConfig::new("alice", 1, ip("2001:db8::1")),
        vec![audio(ip("2001:db8::1"), 49170, g711())],
    );
    let mut b = OfferAnswer::new(
        SessionConfig::new("bob", 2, ip("2001:db8::2")),
        vec![audio(ip("2001:db8::2"), 3456, g711())],
    );
    let (offer, answer) = exchange(&mut a, &mut b);
    assert!(offer.contains("o=alice 1 1 IN IP6 2001:db8::1\r\n"));
    assert!(offer.contains("c=IN IP6 2001:db8::1\r\n"));
    assert!(answer.contains("c=IN IP6 2001:db8::2\r\n"));
    assert_eq!(
        session(&a).streams[0].active().unwrap().remote_address,
        ip("2001:db8::2")
    );
    assert_eq!(
        session(&b).streams[0].active().unwrap().remote_address,
        ip("2001:db8::1")
    );
}

#[test]
fn different_answer_payload_types_are_used_for_sending() {
    let mut muxed = audio(v4(1), 49170, vec![Codec::opus()]);
    muxed.extra_attributes.push(sdp::Attribute::RtcpMux);
    let mut a = alice(vec![muxed]);
    let offer = String::from_utf8(a.create_offer().unwrap().to_vec()).unwrap();
    assert!(offer.contains("a=sendrecv\r\na=rtcp-mux\r\n"), "{offer}");
    assert!(
        offer.contains("m=audio 49170 RTP/AVP 96 101\r\na=rtpmap:96 opus/48000/2\r\n"),
        "{offer}"
    );
    let answer = "v=0\r\no=y 5 5 IN IP4 192.0.2.7\r\ns=-\r\nc=IN IP4 192.0.2.7\r\nt=0 0\r\n\
                  m=audio 9000 RTP/AVP 111 126\r\na=rtpmap:111 OPUS/48000/2\r\na=rtcp:9001\r\na=rtcp-mux\r\n\
                  a=rtpmap:126 telephone-event/8000\r\na=ptime:40\r\na=recvonly\r\n";
    let s = a.set_remote_answer(&parse(answer)).unwrap();
    let st = s.streams[0].active().unwrap();
    assert_eq!((st.codec.payload_type, &*st.codec.name), (111, "opus"));
    assert_eq!(st.telephone_event.as_ref().unwrap().payload_type, 126);
    assert_eq!(
        (st.remote_rtcp_port, st.rtcp_mux, st.ptime),
        (Some(9001), true, Some(40))
    );
    assert_eq!(st.direction, Direction::SendOnly);
}

#[test]
fn out_of_order_calls_are_refused() {
    let mut a = alice(vec![audio(v4(1), 49170, g711())]);
    let answer = parse("v=0\r\no=y 5 5 IN IP4 192.0.2.7\r\ns=-\r\nt=0 0\r\n");
    let state_err = |op, state| Error::InvalidState {
        operation: op,
        state,
    };
    assert_eq!(
        a.create_answer().unwrap_err(),
        state_err("create_answer", SignalingState::Stable)
    );
    assert_eq!(
        a.set_remote_answer(&answer).unwrap_err(),
        state_err("set_remote_answer", SignalingState::Stable)
    );
    assert_eq!(
        a.rollback().unwrap_err(),
        state_err("rollback", SignalingState::Stable)
    );
    let offer = a.create_offer().unwrap().clone();
    assert_eq!(
        a.create_offer().unwrap_err(),
        state_err("create_offer", SignalingState::HaveLocalOffer)
    );
    // Glare: a remote offer while ours is outstanding.
    assert_eq!(
        a.set_remote_offer(&offer).unwrap_err(),
        state_err("set_remote_offer", SignalingState::HaveLocalOffer)
    );
    // An answer with the wrong number of m-lines is refused and the offer stays outstanding.
    assert!(matches!(
        a.set_remote_answer(&answer),
        Err(Error::OfferAnswer { .. })
    ));
    assert_eq!(a.state(), SignalingState::HaveLocalOffer);
    a.rollback().unwrap();
    assert_eq!(a.state(), SignalingState::Stable);

    let mut b = bob(vec![audio(v4(2), 3456, g711())]);
    b.set_remote_offer(&offer).unwrap();
    assert_eq!(
        b.create_offer().unwrap_err(),
        state_err("create_offer", SignalingState::HaveRemoteOffer)
    );
    assert_eq!(
        b.set_remote_offer(&offer).unwrap_err(),
        state_err("set_remote_offer", SignalingState::HaveRemoteOffer)
    );
    b.rollback().unwrap();
    assert!(b.remote_offer().is_none());
    b.set_remote_offer(&offer).unwrap();
    b.create_answer().unwrap();
    // A later offer may not drop m-lines.
    assert!(matches!(
        b.set_remote_offer(&answer),
        Err(Error::OfferAnswer { .. })
    ));
    // Media type changes in an answer are refused.
    let mut a = alice(vec![audio(v4(1), 49170, g711())]);
    a.create_offer().unwrap();
    let video = parse("v=0\r\no=y 5 5 IN IP4 192.0.2.7\r\ns=-\r\nc=IN IP4 192.0.2.7\r\nt=0 0\r\nm=video 9 RTP/AVP 0\r\n");
    assert!(matches!(
        a.set_remote_answer(&video),
        Err(Error::OfferAnswer { .. })
    ));
}

#[test]
fn fqdn_or_unknown_protocol_is_rejected() {
    let offer = "v=0\r\no=x 1 1 IN IP4 host.example\r\ns=-\r\nc=IN IP4 host.example\r\nt=0 0\r\n\
                 m=audio 4000 RTP/AVP 0\r\nm=audio 4002 RTP/SAVP 0\r\nc=IN IP4 192.0.2.9\r\n";
    let mut b = bob(vec![audio(v4(2), 3456, g711()), audio(v4(2), 3458, g711())]);
    b.set_remote_offer(&parse(offer)).unwrap();
    let answer = b.create_answer().unwrap();
    assert_eq!((answer.media[0].port, answer.media[1].port), (0, 0));
    assert_eq!(answer.media[1].protocol, "RTP/SAVP");
}

#[test]
fn rtcp_mux_needs_both_sides() {
    let offer = "v=0\r\no=x 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n\
                 m=audio 4000 RTP/AVP 0\r\na=rtcp-mux\r\na=rtcp:4001\r\n";
    let mut b = bob(vec![audio(v4(2), 3456, g711())]);
    b.set_remote_offer(&parse(offer)).unwrap();
    let answer = String::from_utf8(b.create_answer().unwrap().to_vec()).unwrap();
    assert!(!answer.contains("rtcp-mux"));
    let s = session(&b).streams[0].active().unwrap();
    assert_eq!((s.rtcp_mux, s.remote_rtcp_port), (false, Some(4001)));

    let mut muxed = audio(v4(2), 3456, g711());
    muxed.extra_attributes.push(sdp::Attribute::RtcpMux);
    let mut b = bob(vec![muxed]);
    b.set_remote_offer(&parse(offer)).unwrap();
    let answer = String::from_utf8(b.create_answer().unwrap().to_vec()).unwrap();
    assert!(answer.contains("a=rtcp-mux\r\n"));
    assert!(session(&b).streams[0].active().unwrap().rtcp_mux);

    // Not offered: not answered, even when configured.
    let plain = offer.replace("a=rtcp-mux\r\n", "");
    b.set_remote_offer(&parse(&plain)).unwrap();
    let answer = String::from_utf8(b.create_answer().unwrap().to_vec()).unwrap();
    assert!(!answer.contains("rtcp-mux"), "{answer}");
    assert!(!session(&b).streams[0].active().unwrap().rtcp_mux);
}
