#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! G.711 against a reference written independently of the crate's shift-based code: a
//! brute-force search over the decision intervals of ITU-T G.711 Tables 1a/2a (A-law) and
//! 1b/2b (µ-law), with the input conversion of the ITU-T G.191 reference software (a
//! negative 16-bit sample `x` has magnitude `-x - 1` before the shift).

use rtp::g711;

/// µ-law segments in 14-bit magnitude units: (first decision value, step). Segment 0's
/// first interval is [0, 1) (the "-1" lower end is not reachable), then 2 wide.
const ULAW_SEGMENTS: [(i32, i32); 8] = [
    (-1, 2),
    (31, 4),
    (95, 8),
    (223, 16),
    (479, 32),
    (991, 64),
    (2015, 128),
    (4063, 256),
];
/// A-law segments in 12-bit magnitude units.
const ALAW_SEGMENTS: [(i32, i32); 8] = [
    (0, 1),
    (16, 1),
    (32, 2),
    (64, 4),
    (128, 8),
    (256, 16),
    (512, 32),
    (1024, 64),
];

/// Finds (segment, interval) whose decision interval holds `m`; clips to the last one.
fn search(segments: &[(i32, i32); 8], m: i32) -> (u8, u8) {
    for (s, &(lo, step)) in segments.iter().enumerate() {
        for q in 0..16 {
            let a = lo + q * step;
            if m >= a.max(0) && m < a + step {
                return (s as u8, q as u8);
            }
        }
    }
    (7, 15)
}

fn magnitude(x: i16, shift: u32) -> (bool, i32) {
    let x = i32::from(x);
    if x >= 0 {
        (true, x >> shift)
    } else {
        (false, (-x - 1) >> shift)
    }
}

fn ref_ulaw_encode(x: i16) -> u8 {
    let (positive, m) = magnitude(x, 2);
    let (s, q) = search(&ULAW_SEGMENTS, m);
    // µ-law transmits the complement of segment and interval; bit 7 set for positive.
    let code = 0x7F - ((s << 4) | q);
    if positive {
        code | 0x80
    } else {
        code
    }
}

fn ref_ulaw_decode(code: u8) -> i16 {
    let positive = code & 0x80 != 0;
    let v = 0x7F - (code & 0x7F);
    let (lo, step) = ULAW_SEGMENTS[usize::from(v >> 4)];
    let q = i32::from(v & 0x0F);
    // The decoder outputs the middle of the decision interval, scaled to 16 bits.
    let mid = (lo + q * step) * 4 + step * 2;
    (if positive { mid } else { -mid }) as i16
}

fn ref_alaw_encode(x: i16) -> u8 {
    let (positive, m) = magnitude(x, 4);
    let (s, q) = search(&ALAW_SEGMENTS, m);
    // A-law inverts the even bits (XOR 0x55); bit 7 set for positive.
    let code = ((s << 4) | q) | if positive { 0x80 } else { 0 };
    code ^ 0x55
}

fn ref_alaw_decode(code: u8) -> i16 {
    let v = code ^ 0x55;
    let positive = v & 0x80 != 0;
    let (lo, step) = ALAW_SEGMENTS[usize::from((v >> 4) & 7)];
    let q = i32::from(v & 0x0F);
    let mid = (lo + q * step) * 16 + step * 8;
    (if positive { mid } else { -mid }) as i16
}

#[test]
fn ulaw_all_256_codes() {
    for code in 0..=255u8 {
        assert_eq!(
            g711::ulaw_decode(code),
            ref_ulaw_decode(code),
            "code {code:#04x}"
        );
    }
    // Spot values from the G.191 tables.
    assert_eq!(ref_ulaw_decode(0x80), 32124);
    assert_eq!(ref_ulaw_decode(0xFF), 0);
    assert_eq!(ref_ulaw_decode(0x7F), 0);
}

#[test]
fn alaw_all_256_codes() {
    for code in 0..=255u8 {
        assert_eq!(
            g711::alaw_decode(code),
            ref_alaw_decode(code),
            "code {code:#04x}"
        );
    }
    assert_eq!(ref_alaw_decode(0xAA), 32256);
    assert_eq!(ref_alaw_decode(0xD5), 8);
}

#[test]
fn ulaw_full_16_bit_range() {
    for x in i16::MIN..=i16::MAX {
        assert_eq!(g711::ulaw_encode(x), ref_ulaw_encode(x), "sample {x}");
    }
}

#[test]
fn alaw_full_16_bit_range() {
    for x in i16::MIN..=i16::MAX {
        assert_eq!(g711::alaw_encode(x), ref_alaw_encode(x), "sample {x}");
    }
}

#[test]
fn slice_helpers_match_per_sample() {
    let samples: Vec<i16> = (-300..300).map(|i| (i * 109) as i16).collect();
    let mut u = vec![0u8; samples.len()];
    let mut a = vec![0u8; samples.len()];
    g711::encode_ulaw(&samples, &mut u);
    g711::encode_alaw(&samples, &mut a);
    let mut du = vec![0i16; samples.len()];
    let mut da = vec![0i16; samples.len()];
    g711::decode_ulaw(&u, &mut du);
    g711::decode_alaw(&a, &mut da);
    for i in 0..samples.len() {
        assert_eq!(u[i], ref_ulaw_encode(samples[i]));
        assert_eq!(a[i], ref_alaw_encode(samples[i]));
        assert_eq!(du[i], ref_ulaw_decode(u[i]));
        assert_eq!(da[i], ref_alaw_decode(a[i]));
    }
}
