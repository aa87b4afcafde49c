#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Arbitrary sequences of local changes and exchanges in either direction keep the two
//! engines consistent: same m-lines, mirrored directions, versions that only grow.

mod common;

use common::{alice, audio, bob, exchange, parse, session, v4};
use proptest::prelude::*;
use sdp::{Codec, Direction, OfferAnswer, StreamConfig};

#[derive(Debug, Clone)]
enum Step {
    Hold(bool, usize),
    Resume(bool, usize),
    Disable(bool, usize),
    Enable(bool, usize, u16),
    Port(bool, usize, u16),
    AddVideo(bool),
    Exchange(bool),
    Rollback(bool),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (any::<bool>(), 0usize..3).prop_map(|(s, i)| Step::Hold(s, i)),
        (any::<bool>(), 0usize..3).prop_map(|(s, i)| Step::Resume(s, i)),
        (any::<bool>(), 0usize..3).prop_map(|(s, i)| Step::Disable(s, i)),
        (any::<bool>(), 0usize..3, 1024u16..2048).prop_map(|(s, i, p)| Step::Enable(s, i, p)),
        (any::<bool>(), 0usize..3, 1024u16..2048).prop_map(|(s, i, p)| Step::Port(s, i, p)),
        any::<bool>().prop_map(Step::AddVideo),
        any::<bool>().prop_map(Step::Exchange),
        any::<bool>().prop_map(Step::Exchange),
        any::<bool>().prop_map(Step::Rollback),
    ]
}

fn pick<'e>(a: &'e mut OfferAnswer, b: &'e mut OfferAnswer, first: bool) -> &'e mut OfferAnswer {
    if first {
        a
    } else {
        b
    }
}

proptest! {
    #[test]
    fn engines_stay_consistent(steps in proptest::collection::vec(step(), 1..25)) {
        let mut a = alice(vec![audio(v4(1), 1000, vec![Codec::pcmu(), Codec::pcma()])]);
        let mut b = bob(vec![audio(v4(2), 2000, vec![Codec::pcma(), Codec::g729()])]);
        let mut versions = (None::<u64>, None::<u64>);
        for s in steps {
            match s {
                Step::Hold(f, i) => { let _ = pick(&mut a, &mut b, f).hold(i); }
                Step::Resume(f, i) => { let _ = pick(&mut a, &mut b, f).resume(i); }
                Step::Disable(f, i) => { let _ = pick(&mut a, &mut b, f).disable_stream(i); }
                Step::Enable(f, i, p) => { let _ = pick(&mut a, &mut b, f).enable_stream(i, p); }
                Step::Port(f, i, p) => {
                    if let Ok(st) = pick(&mut a, &mut b, f).stream_mut(i) { st.port = p; }
                }
                Step::AddVideo(f) => {
                    let e = pick(&mut a, &mut b, f);
                    if e.streams().len() < 3 {
                        e.add_stream(StreamConfig::video(v4(9), 3000, vec![Codec::new("VP8", 90000)]));
                    }
                }
                Step::Rollback(f) => { let _ = pick(&mut a, &mut b, f).rollback(); }
                Step::Exchange(a_offers) => {
                    let (offer, answer) = if a_offers { exchange(&mut a, &mut b) } else { exchange(&mut b, &mut a) };
                    let (offer, answer) = (parse(&offer), parse(&answer));
                    prop_assert_eq!(offer.media.len(), answer.media.len());
                    // o= versions never go down.
                    let (ov, av) = (offer.origin.session_version, answer.origin.session_version);
                    let (va, vb) = if a_offers { (ov, av) } else { (av, ov) };
                    prop_assert!(versions.0.is_none_or(|v| va == v || va == v + 1));
                    prop_assert!(versions.1.is_none_or(|v| vb == v || vb == v + 1));
                    versions = (Some(va), Some(vb));
                    let (sa, sb) = (session(&a), session(&b));
                    prop_assert_eq!(sa.streams.len(), sb.streams.len());
                    for (i, (x, y)) in sa.streams.iter().zip(&sb.streams).enumerate() {
                        prop_assert_eq!(x.media(), y.media());
                        match (x.active(), y.active()) {
                            (Some(x), Some(y)) => {
                                prop_assert_eq!(x.direction, y.direction.reverse());
                                prop_assert_eq!(x.remote_port, y.local_port);
                                prop_assert_eq!(y.remote_port, x.local_port);
                                prop_assert_eq!(&x.codec.name, &y.codec.name);
                                prop_assert_eq!(x.codec.payload_type, y.codec.payload_type);
                                // A side that holds a stream does not receive on it (RFC 3264 §8.4).
                                prop_assert!(!(a.streams()[i].held && x.receives()));
                                prop_assert!(!(b.streams()[i].held && y.receives()));
                                prop_assert!(x.direction != Direction::SendRecv || !(a.streams()[i].held || b.streams()[i].held));
                            }
                            (None, None) => {}
                            _ => prop_assert!(false, "one side thinks the stream is active"),
                        }
                    }
                }
            }
        }
    }
}
