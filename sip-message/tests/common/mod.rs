#![allow(
    dead_code,
    missing_docs,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

use bytes::Bytes;

/// The files of `tests/data/<dir>`, sorted, with their contents.
pub fn corpus(dir: &str) -> Vec<(String, Bytes)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(dir);
    let mut out: Vec<(String, Bytes)> = std::fs::read_dir(&path)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                Bytes::from(std::fs::read(e.path()).unwrap()),
            )
        })
        .collect();
    out.sort();
    out
}

/// A message from text with `\n` line ends turned into CRLF.
pub fn crlf(text: &str) -> Bytes {
    Bytes::from(text.replace('\n', "\r\n"))
}
