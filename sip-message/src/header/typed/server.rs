//! `Server` (RFC 3261 §20.35).

use crate::header::typed::product::product_header;

product_header! {
    /// `Server: server-val *(LWS server-val)` (§20.35): the software of the UAS, as product tokens and
    /// comments. The text is kept (folds removed); [`Server::items`] iterates over it.
    ///
    /// ```
    /// use sip_message::{header::{ProductItem, Server}, TypedHeader};
    /// let v = Server::parse_str("Softphone/1.2 (Linux) libsip").unwrap();
    /// let items: Vec<_> = v.items().collect();
    /// assert_eq!(items[0], ProductItem::Product { name: "Softphone", version: Some("1.2") });
    /// assert_eq!(items[1], ProductItem::Comment("Linux"));
    /// assert_eq!(items[2], ProductItem::Product { name: "libsip", version: None });
    /// assert_eq!(v.to_string(), "Softphone/1.2 (Linux) libsip");
    /// ```
    Server, Server, "Server"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::ProductItem;
    use crate::{Error, TypedHeader};

    #[test]
    fn valid() {
        let v = Server::parse_str("  A / 1 (c (nested) \\) x)\r\n B(comment)(two)  ").unwrap();
        assert_eq!(v.as_str(), "A / 1 (c (nested) \\) x) B(comment)(two)");
        let items: Vec<_> = v.items().collect();
        assert_eq!(
            items,
            [
                ProductItem::Product {
                    name: "A",
                    version: Some("1")
                },
                ProductItem::Comment("c (nested) \\) x"),
                ProductItem::Product {
                    name: "B",
                    version: None
                },
                ProductItem::Comment("comment"),
                ProductItem::Comment("two"),
            ]
        );
        assert_eq!(
            Server::parse_str("(only a comment)")
                .unwrap()
                .items()
                .count(),
            1
        );
    }

    #[test]
    fn invalid() {
        for (bad, offset) in [
            ("", 0),
            ("\r a", 0),
            ("a\rb", 1),
            ("a\n", 1),
            ("a/", 2),
            ("/1", 0),
            ("a (open", 7),
            ("a,b", 1),
            ("\"q\"", 0),
            ("a/1/2", 3),
        ] {
            match Server::parse_str(bad) {
                Err(Error::Header {
                    name: "Server",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
