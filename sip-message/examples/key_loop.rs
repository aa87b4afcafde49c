#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

//! Runs one operation over the benchmark corpus N times, for instruction counts:
//!
//! ```sh
//! cargo build --profile bench -p sip-message --example key_loop
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/key_loop key_parts 2000
//! ```
//!
//! Instructions per message = (Ir at N − Ir at 0) / (N × 9); a third argument `issue` swaps
//! in the issue's corpus (10 Via / 10 Record-Route INVITE instead of the 7/6 one). Modes: `index`, `key_parts`,
//! `typed` (the key as the peer harness's adapter reads it: `typed::<Via>()` branch,
//! `typed::<CSeq>()` number and method, `typed::<CallId>()` text, `from_tag()`, `to_tag()`),
//! `typed_from_to` (the same with `typed::<From>()` and `typed::<To>()` for the tags).

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use std::hint::black_box;

use sip_message::header::typed::{From, To};
use sip_message::{CSeq, CallId, Message, Via};

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "key_parts".into());
    let n: usize = args.next().map_or(1000, |s| s.parse().unwrap());
    let mut cases = corpus::peer_corpus();
    if args.next().as_deref() == Some("issue") {
        // The issue's corpus: the 10 Via / 10 Record-Route INVITE instead of the 7/6 one.
        cases.pop();
        cases.push(corpus::ten_via_ten_record_route());
    }
    let msgs: Vec<_> = cases
        .into_iter()
        .map(|c| {
            let b = c.bytes;
            // Share the buffer once, as a socket read would, so slicing does not allocate.
            let _ = b.clone();
            b
        })
        .collect();
    let mut sink = 0usize;
    for _ in 0..n {
        for m in &msgs {
            let msg = Message::parse(black_box(m.clone())).unwrap();
            match mode.as_str() {
                "index" => sink += black_box(&msg).encoded_len(),
                "key_parts" => {
                    let k = msg.key_parts().unwrap();
                    sink += black_box(k).call_id.len();
                }
                "typed" => {
                    // What the peer harness's adapter reads.
                    let via = msg.typed::<Via>().unwrap().unwrap();
                    let cseq = msg.typed::<CSeq>().unwrap().unwrap();
                    let call_id = msg.typed::<CallId>().unwrap().unwrap();
                    let k = (
                        black_box(via.branch()),
                        black_box(cseq.seq),
                        black_box(cseq.method.as_str()),
                        black_box(call_id.as_str()),
                        black_box(msg.from_tag()),
                        black_box(msg.to_tag()),
                    );
                    sink += k.3.len();
                }
                "typed_from_to" => {
                    let via = msg.typed::<Via>().unwrap().unwrap();
                    let cseq = msg.typed::<CSeq>().unwrap().unwrap();
                    let call_id = msg.typed::<CallId>().unwrap().unwrap();
                    let from = msg.typed::<From>().unwrap().unwrap();
                    let to = msg.typed::<To>().unwrap().unwrap();
                    let k = (
                        via.branch().map(str::len),
                        cseq.seq,
                        call_id.as_str().len(),
                        from.tag().map(str::len),
                        to.tag().map(str::len),
                    );
                    sink += black_box(k).2;
                }
                other => panic!("unknown mode {other}"),
            }
        }
    }
    black_box(sink);
}
