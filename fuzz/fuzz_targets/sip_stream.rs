//! The stream framer over arbitrary chunking: the first byte picks the chunk size.
#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use sip_message::{Message, StreamFramer, StreamItem};

fuzz_target!(|data: &[u8]| {
    let Some((&first, stream)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(first % 64) + 1;
    let mut framer = StreamFramer::default();
    let mut buf = BytesMut::new();
    let mut consumed = 0usize;
    'feed: for piece in stream.chunks(chunk) {
        buf.extend_from_slice(piece);
        loop {
            match framer.decode(&mut buf) {
                Ok(Some(StreamItem::Message(m))) => {
                    let wire = m.to_bytes();
                    // A framed message is exactly the bytes it was cut from.
                    assert_eq!(&wire[..], &stream[consumed..consumed + wire.len()]);
                    consumed += wire.len();
                    assert!(Message::parse(wire).is_ok());
                }
                Ok(Some(StreamItem::KeepAlive { len })) => consumed += len,
                Ok(None) => break,
                Err(_) => break 'feed,
            }
        }
    }
});
