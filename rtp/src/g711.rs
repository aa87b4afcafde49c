//! ITU-T G.711 µ-law (PCMU) and A-law (PCMA), bit exact with the ITU-T G.191 reference
//! implementation (`ulaw_compress`, `ulaw_expand`, `alaw_compress`, `alaw_expand`).
//!
//! Samples are 16-bit linear PCM. µ-law uses the top 14 bits of a sample, A-law the top 13;
//! both encoders are one lookup in a table built at compile time from the G.191 algorithm,
//! the decoders one lookup in a 256-entry table.
//!
//! ```
//! use rtp::g711;
//!
//! assert_eq!(g711::ulaw_encode(0), 0xFF);
//! assert_eq!(g711::alaw_encode(0), 0xD5);
//! assert_eq!(g711::ulaw_decode(0x80), 32124);
//! assert_eq!(g711::alaw_decode(0xAA), 32256);
//! let mut codes = [0u8; 4];
//! g711::encode_ulaw(&[0, 1000, -1000, 32767], &mut codes);
//! let mut back = [0i16; 4];
//! g711::decode_ulaw(&codes, &mut back);
//! assert_eq!(back, [0, 988, -988, 32124]);
//! ```

/// Encodes one sample to µ-law.
#[inline]
pub fn ulaw_encode(sample: i16) -> u8 {
    let index = usize::from((sample as u16) >> 2);
    ULAW_ENCODE.get(index).copied().unwrap_or(0)
}

/// Decodes one µ-law code.
#[inline]
pub fn ulaw_decode(code: u8) -> i16 {
    ULAW_DECODE.get(usize::from(code)).copied().unwrap_or(0)
}

/// Encodes one sample to A-law.
#[inline]
pub fn alaw_encode(sample: i16) -> u8 {
    let index = usize::from((sample as u16) >> 4);
    ALAW_ENCODE.get(index).copied().unwrap_or(0)
}

/// Decodes one A-law code.
#[inline]
pub fn alaw_decode(code: u8) -> i16 {
    ALAW_DECODE.get(usize::from(code)).copied().unwrap_or(0)
}

/// Encodes `samples` to µ-law into `out`; converts `min(samples.len(), out.len())` samples.
pub fn encode_ulaw(samples: &[i16], out: &mut [u8]) {
    for (o, s) in out.iter_mut().zip(samples) {
        *o = ulaw_encode(*s);
    }
}

/// Decodes µ-law `codes` into `out`; converts `min(codes.len(), out.len())` codes.
pub fn decode_ulaw(codes: &[u8], out: &mut [i16]) {
    for (o, c) in out.iter_mut().zip(codes) {
        *o = ulaw_decode(*c);
    }
}

/// Encodes `samples` to A-law into `out`; converts `min(samples.len(), out.len())` samples.
pub fn encode_alaw(samples: &[i16], out: &mut [u8]) {
    for (o, s) in out.iter_mut().zip(samples) {
        *o = alaw_encode(*s);
    }
}

/// Decodes A-law `codes` into `out`; converts `min(codes.len(), out.len())` codes.
pub fn decode_alaw(codes: &[u8], out: &mut [i16]) {
    for (o, c) in out.iter_mut().zip(codes) {
        *o = alaw_decode(*c);
    }
}

/// G.191 `ulaw_compress` for one 14-bit sample (the 16-bit sample shifted right by 2).
const fn ulaw_compress(x14: i16) -> u8 {
    // G.191: magnitude of a negative sample is its one's complement, then the 33 bias.
    let mut absno = if x14 < 0 {
        (!x14) as i32 + 33
    } else {
        x14 as i32 + 33
    };
    if absno > 0x1FFF {
        absno = 0x1FFF;
    }
    let mut i = absno >> 6;
    let mut segno = 1;
    while i != 0 {
        segno += 1;
        i >>= 1;
    }
    let high = 8 - segno;
    let low = 0x0F - ((absno >> segno) & 0x0F);
    let mut code = (high << 4) | low;
    if x14 >= 0 {
        code |= 0x80;
    }
    code as u8
}

/// G.191 `ulaw_expand` for one code.
const fn ulaw_expand(code: u8) -> i16 {
    let sign: i32 = if code < 0x80 { -1 } else { 1 };
    let inverted = !(code as i32);
    let exponent = (inverted >> 4) & 0x07;
    let segment = exponent + 1;
    let mantissa = inverted & 0x0F;
    let step = 4 << segment;
    (sign * ((0x80 << exponent) + step * mantissa + step / 2 - 4 * 33)) as i16
}

/// G.191 `alaw_compress` for one 12-bit sample (the 16-bit sample shifted right by 4).
const fn alaw_compress(x12: i16) -> u8 {
    let mut ix = if x12 < 0 { (!x12) as i32 } else { x12 as i32 };
    if ix > 15 {
        let mut iexp = 1;
        while ix > 16 + 15 {
            ix >>= 1;
            iexp += 1;
        }
        ix -= 16;
        ix += iexp << 4;
    }
    if x12 >= 0 {
        ix |= 0x80;
    }
    (ix ^ 0x55) as u8
}

/// G.191 `alaw_expand` for one code.
const fn alaw_expand(code: u8) -> i16 {
    let ix = (code ^ 0x55) as i32 & 0x7F;
    let iexp = ix >> 4;
    let mut mant = ix & 0x0F;
    if iexp > 0 {
        mant += 16;
    }
    mant = (mant << 4) + 0x08;
    if iexp > 1 {
        mant <<= iexp - 1;
    }
    (if code > 127 { mant } else { -mant }) as i16
}

// Evaluated at compile time: an index out of bounds fails the build, not a run.
#[allow(clippy::indexing_slicing)]
const fn build_ulaw_encode() -> [u8; 16384] {
    let mut t = [0u8; 16384];
    let mut i = 0;
    while i < 16384 {
        // Index = the 14-bit two's-complement sample; sign-extend it.
        t[i] = ulaw_compress(((i << 2) as u16 as i16) >> 2);
        i += 1;
    }
    t
}

// Evaluated at compile time: an index out of bounds fails the build, not a run.
#[allow(clippy::indexing_slicing)]
const fn build_alaw_encode() -> [u8; 4096] {
    let mut t = [0u8; 4096];
    let mut i = 0;
    while i < 4096 {
        t[i] = alaw_compress(((i << 4) as u16 as i16) >> 4);
        i += 1;
    }
    t
}

// Evaluated at compile time: an index out of bounds fails the build, not a run.
#[allow(clippy::indexing_slicing)]
const fn build_ulaw_decode() -> [i16; 256] {
    let mut t = [0i16; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = ulaw_expand(i as u8);
        i += 1;
    }
    t
}

// Evaluated at compile time: an index out of bounds fails the build, not a run.
#[allow(clippy::indexing_slicing)]
const fn build_alaw_decode() -> [i16; 256] {
    let mut t = [0i16; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = alaw_expand(i as u8);
        i += 1;
    }
    t
}

static ULAW_ENCODE: [u8; 16384] = build_ulaw_encode();
static ALAW_ENCODE: [u8; 4096] = build_alaw_encode();
static ULAW_DECODE: [i16; 256] = build_ulaw_decode();
static ALAW_DECODE: [i16; 256] = build_alaw_decode();

/// µ-law code of silence (positive zero).
pub const ULAW_SILENCE: u8 = 0xFF;
/// A-law code of silence (positive zero).
pub const ALAW_SILENCE: u8 = 0xD5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(ulaw_encode(0), 0xFF);
        assert_eq!(ulaw_encode(-1), 0x7F);
        assert_eq!(ulaw_encode(i16::MAX), 0x80);
        assert_eq!(ulaw_encode(i16::MIN), 0x00);
        assert_eq!(ulaw_decode(0xFF), 0);
        assert_eq!(ulaw_decode(0x00), -32124);
        assert_eq!(alaw_encode(0), 0xD5);
        assert_eq!(alaw_encode(-1), 0x55);
        assert_eq!(alaw_decode(0xD5), 8);
        assert_eq!(alaw_decode(0x55), -8);
        assert_eq!(alaw_decode(0xAA), 32256);
        assert_eq!(alaw_decode(0x2A), -32256);
    }

    #[test]
    fn decode_then_encode_is_identity_except_negative_zero() {
        for code in 0..=255u8 {
            assert_eq!(alaw_encode(alaw_decode(code)), code, "a-law {code:#04x}");
            let back = ulaw_encode(ulaw_decode(code));
            // µ-law has two zeros (0xFF, 0x7F); both decode to 0, which encodes as 0xFF.
            let expected = if code == 0x7F { 0xFF } else { code };
            assert_eq!(back, expected, "µ-law {code:#04x}");
        }
    }
}
