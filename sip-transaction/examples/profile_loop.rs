#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! A loop of complete transactions (the bench's `Pair`), for instruction counts:
//! `valgrind --tool=callgrind target/release/examples/profile_loop tcp 20000`
//! (kinds: `tcp`, `udp`, `invite2xx`, `invite486`).

use std::time::Duration;

use sip_message::{Method, StatusCode};
use sip_transaction::TransportKind;

#[path = "../benches/common/mod.rs"]
mod common;
use common::Pair;

fn main() {
    let mut args = std::env::args().skip(1);
    let kind = args.next().unwrap_or_else(|| "tcp".to_owned());
    let n: u64 = args.next().map_or(20_000, |s| s.parse().unwrap());
    let mut pair = Pair::new();
    let step = Duration::from_millis(1);
    for _ in 0..n {
        match kind.as_str() {
            "tcp" => {
                pair.transaction_over(TransportKind::Tcp, &Method::Options, StatusCode::OK, step)
            }
            "udp" => pair.transaction(&Method::Options, StatusCode::OK, step),
            "invite2xx" => pair.transaction(&Method::Invite, StatusCode::OK, step),
            "invite486" => pair.transaction(&Method::Invite, StatusCode::BUSY_HERE, step),
            _ => panic!("unknown kind {kind}"),
        }
    }
    println!(
        "{} live transactions",
        pair.client.len() + pair.server.len()
    );
}
