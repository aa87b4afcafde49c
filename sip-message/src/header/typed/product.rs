//! `server-val *(LWS server-val)` (RFC 3261 §20.35, §20.41, §25.1): the product tokens and
//! comments of Server and User-Agent.

use crate::grammar::{self, Cursor, TOKEN};
use crate::header::typed::support::{comment_len, unfolded_text};
use crate::{ByteStr, Error, Result};

/// One `server-val`: a product with an optional version, or a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductItem<'a> {
    /// `product = token [SLASH product-version]`.
    Product {
        /// The product name.
        name: &'a str,
        /// The version after `/`.
        version: Option<&'a str>,
    },
    /// A `comment`: the text between the outer parentheses, as written.
    Comment(&'a str),
}

impl core::fmt::Display for ProductItem<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Product {
                name,
                version: Some(v),
            } => write!(f, "{name}/{v}"),
            Self::Product {
                name,
                version: None,
            } => f.write_str(name),
            Self::Comment(c) => write!(f, "({c})"),
        }
    }
}

/// The items of a Server or User-Agent value, in order (see [`ProductItem`]).
#[derive(Debug, Clone)]
pub struct ProductItems<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> ProductItems<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self { text, pos: 0 }
    }
}

impl<'a> Iterator for ProductItems<'a> {
    type Item = ProductItem<'a>;

    fn next(&mut self) -> Option<ProductItem<'a>> {
        match next_item(self.text, self.pos) {
            Ok(Some((item, end))) => {
                self.pos = end;
                Some(item)
            }
            _ => {
                self.pos = self.text.len();
                None
            }
        }
    }
}

/// Skips SP / HTAB (and folds, which stored text no longer has) from `pos`.
fn skip_ws(raw: &[u8], mut pos: usize) -> usize {
    while let Some(&b) = raw.get(pos) {
        if matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
            pos += 1;
        } else {
            break;
        }
    }
    pos
}

fn token_end(raw: &[u8], pos: usize) -> usize {
    let n = raw
        .get(pos..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| grammar::is(b, TOKEN))
        .count();
    pos + n
}

/// The item starting at or after `pos` (after whitespace) and where it ends; `Ok(None)` at
/// the end; `Err(offset)` where the text is not a `server-val`.
fn next_item(
    text: &str,
    pos: usize,
) -> core::result::Result<Option<(ProductItem<'_>, usize)>, usize> {
    let raw = text.as_bytes();
    let start = skip_ws(raw, pos);
    let Some(&first) = raw.get(start) else {
        return Ok(None);
    };
    if first == b'(' {
        let rest = raw.get(start..).unwrap_or_default();
        let len = comment_len(rest).map_err(|e| start + e)?;
        let inner = text.get(start + 1..start + len - 1).ok_or(start)?;
        return Ok(Some((ProductItem::Comment(inner), start + len)));
    }
    let name_end = token_end(raw, start);
    if name_end == start {
        return Err(start);
    }
    let name = text.get(start..name_end).ok_or(start)?;
    let after = skip_ws(raw, name_end);
    if raw.get(after) != Some(&b'/') {
        return Ok(Some((
            ProductItem::Product {
                name,
                version: None,
            },
            name_end,
        )));
    }
    let v_start = skip_ws(raw, after + 1);
    let v_end = token_end(raw, v_start);
    if v_end == v_start {
        return Err(v_start);
    }
    let version = text.get(v_start..v_end).ok_or(v_start)?;
    Ok(Some((
        ProductItem::Product {
            name,
            version: Some(version),
        },
        v_end,
    )))
}

/// Parses and checks a whole `server-val *(LWS server-val)` at the cursor; returns it as
/// text with folds removed. Items are separated by whitespace (not needed next to a
/// comment's parentheses).
pub(crate) fn parse_products(cur: &mut Cursor<'_>) -> Result<ByteStr> {
    let start = cur.pos();
    let rest_len = cur.rest().len();
    let (s, e) = (start, start.saturating_add(rest_len));
    let raw = cur.bytes(s, e);
    // A line break is only allowed as a fold: CRLF or LF followed by SP or HTAB.
    for (i, &b) in raw.iter().enumerate() {
        let ok = match b {
            b'\r' => raw.get(i + 1) == Some(&b'\n') && matches!(raw.get(i + 2), Some(b' ' | b'\t')),
            b'\n' => matches!(raw.get(i + 1), Some(b' ' | b'\t')),
            _ => true,
        };
        if !ok {
            cur.set_pos(s.saturating_add(i));
            return Err(cur.error("folded line break (CRLF followed by whitespace)"));
        }
    }
    // Trailing LWS is not part of the value.
    let trimmed = raw.len()
        - raw
            .iter()
            .rev()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .count();
    let text = unfolded_text(cur, s, s.saturating_add(trimmed))?;
    let base = cur.offset();
    let mut pos = 0usize;
    let mut count = 0usize;
    let mut prev_comment = true;
    loop {
        let ws_end = skip_ws(text.as_bytes(), pos);
        match next_item(&text, pos) {
            Ok(None) => break,
            Ok(Some((item, end))) => {
                let is_comment = matches!(item, ProductItem::Comment(_));
                if ws_end == pos && !prev_comment && !is_comment {
                    return Err(syntax(base, pos, "whitespace between products"));
                }
                prev_comment = is_comment;
                pos = end;
                count += 1;
            }
            Err(at) => return Err(syntax(base, at, "product token or comment")),
        }
    }
    if count == 0 {
        return Err(cur.error("product token or comment"));
    }
    cur.set_pos(e);
    Ok(text)
}

/// An error at `at` in the unfolded text: offsets past a removed fold are approximate.
fn syntax(base: usize, at: usize, expected: &'static str) -> Error {
    Error::Syntax {
        offset: base.saturating_add(at),
        expected,
    }
}

/// Generates a header whose value is product tokens and comments (Server, User-Agent).
macro_rules! product_header {
    ($(#[$doc:meta])* $ty:ident, $variant:ident, $name:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $ty(pub $crate::ByteStr);

        impl $ty {
            /// A value from text, which must be `server-val *(LWS server-val)`.
            pub fn new(text: impl Into<$crate::ByteStr>) -> Self {
                Self(text.into())
            }

            /// The whole value.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The products and comments, in order.
            pub fn items(&self) -> $crate::header::ProductItems<'_> {
                $crate::header::ProductItems::new(&self.0)
            }
        }

        impl $crate::TypedHeader for $ty {
            const NAME: $crate::HeaderName = $crate::HeaderName::$variant;

            fn parse(value: &bytes::Bytes) -> $crate::Result<Self> {
                $crate::header::typed::support::parse_value(
                    value,
                    $name,
                    $crate::header::typed::product::parse_products,
                )
                .map(Self)
            }
        }

        impl core::fmt::Display for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                $crate::header::typed::support::NoBreaks(&self.0).fmt(f)
            }
        }
    };
}
pub(crate) use product_header;
