use super::*;
use crate::rtcp::{Compound, RtcpPacket};

const MS: Duration = Duration::from_millis(1);

fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([192, 0, 2, 1], port))
}

fn config(seed: u8) -> SessionConfig {
    SessionConfig {
        rng_seed: Some([seed; 32]),
        ..SessionConfig::default()
    }
}

fn transmits(s: &mut Session) -> Vec<Transmit> {
    std::iter::from_fn(|| s.poll_transmit()).collect()
}

fn events(s: &mut Session) -> Vec<Event> {
    std::iter::from_fn(|| s.poll_event()).collect()
}

/// Runs `s` alone until `until`, returning the times RTCP went out.
fn rtcp_times(s: &mut Session, t0: Instant, until: Instant) -> Vec<Duration> {
    let mut out = Vec::new();
    while let Some(t) = s.poll_timeout() {
        if t > until {
            break;
        }
        s.handle_timeout(t);
        for x in transmits(s) {
            if x.channel == Channel::Rtcp {
                out.push(t - t0);
            }
        }
    }
    out
}

fn rtp(seq: u16, ts: u32, ssrc: u32) -> Bytes {
    RtpPacketBuilder::new(0, seq, ts, ssrc)
        .payload(&[0xFF; 160])
        .to_bytes()
        .unwrap()
}

#[test]
fn seeded_start_is_deterministic() {
    let t0 = Instant::now();
    let a = Session::new(config(9), t0);
    let b = Session::new(config(9), t0);
    let c = Session::new(config(10), t0);
    assert_eq!(
        (a.ssrc(), a.sequence_number(), a.timestamp(), a.cname()),
        (b.ssrc(), b.sequence_number(), b.timestamp(), b.cname())
    );
    assert_ne!(a.ssrc(), c.ssrc());
    assert_eq!(a.poll_timeout(), b.poll_timeout());
    assert!(a.cname().starts_with(b"rtp-"));
}

#[test]
fn sender_sequence_and_timestamps() {
    let t0 = Instant::now();
    let mut s = Session::new(config(1), t0);
    let (seq0, ts0) = (s.sequence_number(), s.timestamp());
    for i in 0..3u32 {
        s.send_rtp(t0 + i * 20 * MS, &[0xFF; 160], i == 0).unwrap();
    }
    s.advance_timestamp(320);
    s.send_rtp(t0 + 100 * MS, &[0xFF; 160], true).unwrap();
    let sent: Vec<_> = transmits(&mut s);
    let parsed: Vec<_> = sent
        .iter()
        .map(|t| RtpPacket::parse(&t.payload).unwrap())
        .collect();
    let fields: Vec<_> = parsed
        .iter()
        .map(|p| (p.sequence_number(), p.timestamp(), p.marker(), p.ssrc()))
        .collect();
    assert_eq!(
        fields,
        [
            (seq0, ts0, true, s.ssrc()),
            (seq0.wrapping_add(1), ts0.wrapping_add(160), false, s.ssrc()),
            (seq0.wrapping_add(2), ts0.wrapping_add(320), false, s.ssrc()),
            (seq0.wrapping_add(3), ts0.wrapping_add(800), true, s.ssrc()),
        ]
    );
}

#[test]
fn rtcp_schedule_follows_a7() {
    let t0 = Instant::now();
    let mut s = Session::new(config(3), t0);
    let times = rtcp_times(&mut s, t0, t0 + Duration::from_secs(120));
    // First report: 2.5 s minimum (initial), times [0.5, 1.5) / (e - 1.5).
    let c = core::f64::consts::E - 1.5;
    let first = times[0].as_secs_f64();
    assert!(first >= 2.5 * 0.5 / c && first < 2.5 * 1.5 / c, "{first}");
    // Later: 5 s minimum randomised the same way; the second interval is still computed
    // with `initial` set (A.7 clears it after scheduling).
    for w in times[1..].windows(2) {
        let gap = (w[1] - w[0]).as_secs_f64();
        assert!(gap >= 5.0 * 0.5 / c - 1e-6 && gap < 5.0 * 1.5 / c, "{gap}");
    }
    assert!(
        times.len() >= 120 / 7 && times.len() <= 120 / 2,
        "{}",
        times.len()
    );
    // Randomised: not all intervals equal.
    let gaps: Vec<_> = times.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.iter().any(|g| *g != gaps[0]));
}

#[test]
fn rtcp_bandwidth_share_scales_interval() {
    // 5 % of 8 kbit/s = 50 octets/s; a ~60-octet report + 28 needs ~1.8 s of the receiver
    // share per member... with many members the interval exceeds the 5 s minimum.
    let t0 = Instant::now();
    let mut cfg = config(4);
    cfg.session_bandwidth = 8000;
    let mut s = Session::new(cfg, t0);
    // 20 members heard in RTCP.
    for i in 0..19u32 {
        let mut b = CompoundBuilder::new();
        b.receiver_report(1000 + i, &[]).unwrap();
        s.handle_rtcp(t0, addr(9000), b.finish());
    }
    assert_eq!(s.members(), 20);
    let td = s.deterministic_interval(t0).as_secs_f64();
    // Receivers share 75 % of 50 octets/s: avg * 20 / 37.5.
    let expected = s.avg_rtcp_size * 20.0 / 37.5;
    assert!(
        (td - expected).abs() < 1e-6 && td > 5.0,
        "{td} vs {expected}"
    );
}

#[test]
fn sender_report_then_receiver_report_when_silent() {
    let t0 = Instant::now();
    let mut s = Session::new(config(5), t0);
    s.send_rtp(t0, &[0xFF; 160], true).unwrap();
    transmits(&mut s);
    let mut kinds = Vec::new();
    let mut now = t0;
    while kinds.len() < 4 {
        now = s.poll_timeout().unwrap();
        s.handle_timeout(now);
        for t in transmits(&mut s) {
            let c = Compound::parse(&t.payload).unwrap();
            let p: Vec<_> = c.packets().collect();
            match p[0] {
                RtcpPacket::SenderReport(sr) => {
                    assert_eq!(sr.sender_info.packet_count, 1);
                    assert_eq!(sr.sender_info.octet_count, 160);
                    kinds.push("SR");
                }
                RtcpPacket::ReceiverReport(_) => kinds.push("RR"),
                _ => panic!("first packet must be SR or RR"),
            }
            let RtcpPacket::SourceDescription(sdes) = p[1] else {
                panic!("SDES second")
            };
            assert_eq!(sdes.chunks().next().unwrap().cname(), Some(s.cname()));
        }
    }
    // §6.3.8: we_sent holds until two reports have gone out since the last RTP.
    assert_eq!(kinds, ["SR", "SR", "RR", "RR"]);
    assert!(now > t0);
}

#[test]
fn receiver_report_carries_loss_and_jitter() {
    let t0 = Instant::now();
    let mut s = Session::new(config(6), t0);
    let remote = 0xABCD;
    // Probation packet 10, valid from 11; 14 and 15 lost of 11..=20.
    for seq in (10u16..=20).filter(|s| *s != 14 && *s != 15) {
        let at = t0 + u32::from(seq) * 20 * MS;
        s.handle_rtp(at, addr(5004), rtp(seq, u32::from(seq) * 160, remote));
    }
    assert_eq!(events(&mut s), [Event::NewSource { ssrc: remote }]);
    let st = s.source_statistics(remote).unwrap();
    assert_eq!(
        (
            st.expected(),
            st.received(),
            st.cumulative_lost(),
            st.jitter()
        ),
        (10, 8, 2, 0)
    );
    let now = s.poll_timeout().unwrap().max(t0 + Duration::from_secs(3));
    s.handle_timeout(now);
    let t = transmits(&mut s)
        .into_iter()
        .find(|t| t.channel == Channel::Rtcp)
        .unwrap();
    let c = Compound::parse(&t.payload).unwrap();
    let Some(RtcpPacket::ReceiverReport(rr)) = c.packets().next() else {
        panic!()
    };
    let block = rr.reports.iter().next().unwrap();
    assert_eq!(block.ssrc, remote);
    assert_eq!(block.fraction_lost, 51); // (2 << 8) / 10
    assert_eq!(block.cumulative_lost, 2);
    assert_eq!(block.extended_highest_sequence, 20);
    assert_eq!(block.jitter, 0);
    assert_eq!(
        (
            block.last_sender_report,
            block.delay_since_last_sender_report
        ),
        (0, 0)
    );
}

/// Alice sends media and SRs to Bob over a link with `one_way` delay; Bob's RR comes back.
#[test]
fn round_trip_time_from_lsr_and_dlsr() {
    let t0 = Instant::now();
    let mut alice = Session::new(config(7), t0);
    let mut bob = Session::new(config(8), t0);
    let one_way = 25 * MS;
    let mut in_flight: Vec<(Instant, bool, Transmit)> = Vec::new(); // (arrival, to_bob, packet)
    let mut rtts = Vec::new();
    let mut now = t0;
    let mut next_media = t0;
    while now < t0 + Duration::from_secs(30) {
        if now >= next_media {
            alice.send_rtp(now, &[0xFF; 160], false).unwrap();
            next_media += 20 * MS;
        }
        alice.handle_timeout(now);
        bob.handle_timeout(now);
        while let Some(t) = alice.poll_transmit() {
            in_flight.push((now + one_way, true, t));
        }
        while let Some(t) = bob.poll_transmit() {
            in_flight.push((now + one_way, false, t));
        }
        let (due, later): (Vec<_>, Vec<_>) =
            in_flight.into_iter().partition(|(at, _, _)| *at <= now);
        in_flight = later;
        for (_, to_bob, t) in due {
            let (dst, from) = if to_bob {
                (&mut bob, addr(1))
            } else {
                (&mut alice, addr(2))
            };
            match t.channel {
                Channel::Rtp => dst.handle_rtp(now, from, t.payload),
                Channel::Rtcp => dst.handle_rtcp(now, from, t.payload),
            }
        }
        for e in events(&mut alice) {
            if let Event::ReceptionReport {
                round_trip_time: Some(rtt),
                reporter,
                ..
            } = e
            {
                assert_eq!(reporter, bob.ssrc());
                rtts.push(rtt);
            }
        }
        while bob.poll_playout(now).is_some() {}
        let next = [alice.poll_timeout(), bob.poll_timeout(), Some(next_media)]
            .into_iter()
            .flatten()
            .chain(in_flight.iter().map(|f| f.0))
            .min()
            .unwrap();
        now = next.max(now + Duration::from_micros(1));
    }
    assert!(!rtts.is_empty());
    for rtt in rtts {
        // 50 ms round trip, within the 1/65536 s resolution of LSR/DLSR.
        let err = rtt.as_secs_f64() - 0.050;
        assert!(err.abs() < 0.0002, "{rtt:?}");
    }
}

#[test]
fn bye_on_close() {
    let t0 = Instant::now();
    let mut alice = Session::new(config(11), t0);
    let mut bob = Session::new(config(12), t0);
    alice.send_rtp(t0, &[0; 160], false).unwrap();
    transmits(&mut alice);
    alice.close(t0 + MS, Some("hanging up"));
    assert!(alice.is_closed());
    assert_eq!(alice.poll_timeout(), None);
    assert_eq!(alice.send_rtp(t0, &[], false), Err(Error::Closed));
    let t = transmits(&mut alice);
    assert_eq!(t.len(), 1);
    let c = Compound::parse(&t[0].payload).unwrap();
    let kinds: Vec<_> = c.packets().map(|p| std::mem::discriminant(&p)).collect();
    assert_eq!(kinds.len(), 3);
    let Some(RtcpPacket::Goodbye(bye)) = c.packets().last() else {
        panic!()
    };
    assert_eq!(bye.sources().collect::<Vec<_>>(), [alice.ssrc()]);
    assert_eq!(bye.reason(), Some(&b"hanging up"[..]));
    bob.handle_rtcp(t0, addr(1), t[0].payload.clone());
    let ev = events(&mut bob);
    assert!(
        ev.contains(&Event::Goodbye {
            ssrc: alice.ssrc(),
            reason: Some(Bytes::from_static(b"hanging up"))
        }),
        "{ev:?}"
    );
    assert_eq!(bob.members(), 1);
    // A session that never sent anything leaves silently.
    let mut quiet = Session::new(config(13), t0);
    quiet.close(t0, None);
    assert!(quiet.is_closed() && quiet.poll_transmit().is_none());
}

#[test]
fn ssrc_collision_changes_ssrc_and_sends_bye() {
    let t0 = Instant::now();
    let mut s = Session::new(config(14), t0);
    s.send_rtp(t0, &[0; 160], false).unwrap();
    transmits(&mut s);
    let old = s.ssrc();
    s.handle_rtp(t0 + MS, addr(7000), rtp(1, 1, old));
    let ev = events(&mut s);
    let [Event::SsrcCollision { old: o, new }] = ev[..] else {
        panic!("{ev:?}")
    };
    assert_eq!(o, old);
    assert_ne!(new, old);
    assert_eq!(s.ssrc(), new);
    let t = transmits(&mut s);
    let c = Compound::parse(&t[0].payload).unwrap();
    let Some(RtcpPacket::Goodbye(bye)) = c.packets().last() else {
        panic!()
    };
    assert_eq!(bye.sources().collect::<Vec<_>>(), [old]);
    // The same address again (e.g. our own packets looping back): no second change.
    s.handle_rtp(t0 + 2 * MS, addr(7000), rtp(2, 2, new));
    assert!(events(&mut s).is_empty());
    assert_eq!(s.ssrc(), new);
    assert_eq!(s.stats().loops, 1);
    // Our SSRC in an RTCP SR from elsewhere is a collision too.
    let mut b = CompoundBuilder::new();
    b.sender_report(new, SenderInfo::default(), &[]).unwrap();
    s.handle_rtcp(t0 + 3 * MS, addr(7002), b.finish());
    assert!(matches!(events(&mut s)[..], [Event::SsrcCollision { .. }]));
}

#[test]
fn second_address_for_a_source_is_dropped() {
    let t0 = Instant::now();
    let mut s = Session::new(config(15), t0);
    s.handle_rtp(t0, addr(1), rtp(1, 0, 77));
    s.handle_rtp(t0 + 20 * MS, addr(1), rtp(2, 160, 77));
    s.handle_rtp(t0 + 40 * MS, addr(2), rtp(3, 320, 77));
    assert_eq!(s.stats().address_conflicts, 1);
    assert_eq!(s.source_statistics(77).unwrap().extended_max(), 2);
}

#[test]
fn malformed_input_is_counted_not_fatal() {
    let t0 = Instant::now();
    let mut s = Session::new(config(16), t0);
    s.handle_rtp(t0, addr(1), Bytes::from_static(&[0x80, 0, 1]));
    s.handle_rtcp(t0, addr(1), Bytes::from_static(&[0x80, 201, 0, 9]));
    assert_eq!(s.stats().malformed, 2);
    assert!(events(&mut s).is_empty());
}

#[test]
fn member_timeout_after_five_intervals() {
    let t0 = Instant::now();
    let mut s = Session::new(config(17), t0);
    let mut b = CompoundBuilder::new();
    b.receiver_report(99, &[]).unwrap();
    s.handle_rtcp(t0, addr(1), b.finish());
    assert_eq!(events(&mut s), [Event::NewSource { ssrc: 99 }]);
    let mut timed_out_at = None;
    while let Some(t) = s.poll_timeout() {
        if t > t0 + Duration::from_secs(60) {
            break;
        }
        s.handle_timeout(t);
        transmits(&mut s);
        if events(&mut s).contains(&Event::SourceTimeout { ssrc: 99 }) {
            timed_out_at = Some(t - t0);
            break;
        }
    }
    // Td = 5 s here, so 25 s of silence, noticed at the next report timer.
    let at = timed_out_at.expect("timed out").as_secs_f64();
    assert!((25.0..25.0 + 6.2).contains(&at), "{at}");
    assert_eq!(s.members(), 1);
}

#[test]
fn dtmf_through_the_session() {
    let t0 = Instant::now();
    let mut alice = Session::new(config(18), t0);
    let mut bob = Session::new(config(19), t0);
    // Some audio first so that Bob validates Alice.
    for i in 0..3u32 {
        alice
            .send_rtp(t0 + i * 20 * MS, &[0xFF; 160], false)
            .unwrap();
    }
    let ts = alice.timestamp();
    alice
        .send_dtmf(t0 + 60 * MS, 5, Duration::from_millis(120))
        .unwrap();
    let mut now = t0 + 60 * MS;
    let mut sent = Vec::new();
    while now < t0 + Duration::from_millis(500) {
        alice.handle_timeout(now);
        for t in transmits(&mut alice) {
            if t.channel == Channel::Rtp {
                sent.push(t.payload.clone());
                // Every packet twice: duplicates must not repeat the digit.
                bob.handle_rtp(now, addr(1), t.payload.clone());
                bob.handle_rtp(now, addr(1), t.payload);
            }
        }
        now += 10 * MS;
    }
    let dtmf: Vec<_> = sent
        .iter()
        .map(|b| RtpPacket::parse(b).unwrap())
        .filter(|p| p.payload_type() == 101)
        .collect();
    // 120 ms at 50 ms: updates at 50, 100; end x3.
    assert_eq!(dtmf.len(), 5);
    assert!(dtmf.iter().all(|p| p.timestamp() == ts));
    assert!(dtmf[0].marker() && dtmf[1..].iter().all(|p| !p.marker()));
    let digits: Vec<_> = events(&mut bob)
        .into_iter()
        .filter_map(|e| match e {
            Event::Dtmf { event, .. } => event.digit(),
            _ => None,
        })
        .collect();
    assert_eq!(digits, ['5']);
}

#[test]
fn reduced_size_feedback_is_reported() {
    let t0 = Instant::now();
    let mut s = Session::new(config(20), t0);
    let mut b = CompoundBuilder::new();
    b.picture_loss_indication(5, s.ssrc()).unwrap();
    s.handle_rtcp(t0, addr(1), b.finish());
    let mut b = CompoundBuilder::new();
    b.nack(
        5,
        s.ssrc(),
        &[crate::rtcp::NackPair {
            packet_id: 100,
            lost_bitmask: 0b101,
        }],
    )
    .unwrap();
    s.handle_rtcp(t0, addr(1), b.finish());
    let ev = events(&mut s);
    assert!(ev.contains(&Event::PictureLossIndication { sender_ssrc: 5 }));
    assert!(ev.contains(&Event::Nack {
        sender_ssrc: 5,
        sequence_numbers: vec![100, 101, 103]
    }));
    let mut strict = config(21);
    strict.accept_reduced_size = false;
    let mut s = Session::new(strict, t0);
    let mut b = CompoundBuilder::new();
    b.picture_loss_indication(5, s.ssrc()).unwrap();
    s.handle_rtcp(t0, addr(1), b.finish());
    assert_eq!(s.stats().malformed, 1);
}

#[test]
fn bye_reconsideration_with_many_members() {
    let t0 = Instant::now();
    let mut cfg = config(22);
    cfg.max_sources = 100;
    let mut s = Session::new(cfg, t0);
    s.send_rtp(t0, &[0; 160], false).unwrap();
    transmits(&mut s);
    for i in 0..60u32 {
        let mut b = CompoundBuilder::new();
        b.receiver_report(5000 + i, &[]).unwrap();
        s.handle_rtcp(t0, addr(1), b.finish());
    }
    events(&mut s);
    s.close(t0 + MS, Some("bye"));
    // More than 50 members: the BYE waits for reconsideration.
    assert!(!s.is_closed());
    assert!(s.poll_transmit().is_none());
    let due = s.poll_timeout().unwrap();
    assert!(due > t0 + MS);
    s.handle_timeout(due);
    // Possibly rescheduled once more; run until it goes.
    while !s.is_closed() {
        let t = s.poll_timeout().unwrap();
        s.handle_timeout(t);
    }
    let t = transmits(&mut s);
    assert_eq!(t.len(), 1);
    let c = Compound::parse(&t[0].payload).unwrap();
    assert!(matches!(c.packets().last(), Some(RtcpPacket::Goodbye(_))));
}

#[test]
fn sender_restart_resets_the_jitter_buffer() {
    let t0 = Instant::now();
    let mut s = Session::new(config(23), t0);
    let mut played = Vec::new();
    let mut now = t0;
    // 20 packets from 1000, then the sender restarts at 40000 (A.1 needs two in sequence).
    let seqs: Vec<u16> = (1000..1020).chain(40000..40020).collect();
    for (i, seq) in seqs.iter().enumerate() {
        now = t0 + (i as u32) * 20 * MS;
        s.handle_rtp(now, addr(1), rtp(*seq, (i as u32) * 160, 42));
        while let Some((_, p)) = s.poll_playout(now) {
            played.push(p);
        }
    }
    while let Some((_, p)) = s.poll_playout(now + Duration::from_secs(2)) {
        played.push(p);
    }
    // No flood of losses for the 39 000 skipped numbers. The first packet after the jump is
    // dropped by A.1 (unconfirmed jump); the old stream's last frames, still buffered at the
    // restart, are dropped with it; the new stream plays whole.
    let lost = played
        .iter()
        .filter(|p| matches!(p, Playout::Lost { .. }))
        .count();
    assert_eq!(lost, 0, "{played:?}");
    let seqs: Vec<u16> = played
        .iter()
        .filter_map(|p| match p {
            Playout::Packet(m) => Some(m.sequence_number),
            Playout::Lost { .. } => None,
        })
        .collect();
    let new: Vec<u16> = seqs.iter().copied().filter(|s| *s >= 40000).collect();
    assert_eq!(new, (40001..40020).collect::<Vec<_>>());
    let old: Vec<u16> = seqs.iter().copied().filter(|s| *s < 40000).collect();
    assert!(
        old.len() >= 16 && old == (1000..1000 + old.len() as u16).collect::<Vec<_>>(),
        "{old:?}"
    );
    let st = s.source_statistics(42).unwrap();
    assert_eq!((st.expected(), st.received()), (19, 19));
}
