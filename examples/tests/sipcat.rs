#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::process::{Command, Stdio};

fn sipcat(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sipcat"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn json_is_exactly_the_documented_shape() {
    let wire = b"INVITE sip:bob@biloxi.com SIP/2.0\r\n\
        Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n\
        Max-Forwards: 70\r\n\
        v:  SIP/2.0/TCP a.example ,\r\n SIP/2.0/UDP b.example \r\n\
        Subject: caf\xc3\xa9 \xff folded\r\n\tline\r\n\
        Content-Length: 3\r\n\r\nabc";
    let (code, out, _) = sipcat(&["--json"], wire);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "{\"type\":\"request\",\"method\":\"INVITE\",\"uri\":\"sip:bob@biloxi.com\",\"version\":\"SIP/2.0\",\
         \"headers\":[[\"Via\",\"SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\"],[\"Max-Forwards\",\"70\"],\
         [\"Via\",\"SIP/2.0/TCP a.example\"],[\"Via\",\"SIP/2.0/UDP b.example\"],\
         [\"Subject\",\"caf\u{e9} \u{fffd} folded line\"],[\"Content-Length\",\"3\"]],\"body_len\":3}\n"
    );
}

#[test]
fn responses_streams_and_errors() {
    let (code, out, _) = sipcat(&["--json", "data/response.sip"], b"");
    assert_eq!(code, 0);
    assert!(out.starts_with("{\"type\":\"response\",\"status\":200,\"reason\":\"OK\",\"version\":\"SIP/2.0\",\"headers\":[[\"Via\","));
    let (code, out, _) = sipcat(&["--json", "--stream", "data/stream.sip"], b"");
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 2);
    let (code, out, _) = sipcat(&["--json", "data/bad.sip"], b"");
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "{\"error\":\"data/bad.sip: unsupported SIP version at byte 16\"}\n"
    );
    let (code, out, err) = sipcat(&["data/bad.sip"], b"");
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("unsupported SIP version"));
    let (code, out, _) = sipcat(&["data/invite.sip"], b"");
    assert_eq!(code, 0);
    assert!(out.starts_with("INVITE sip:bob@biloxi.com SIP/2.0\nVia: "));
    assert!(!out.contains('\x1b'), "no colour when not a terminal");
}

#[test]
fn check_applies_validation() {
    let no_cseq = b"OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:c@d>;tag=1\r\n\
        To: <sip:a@b>\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n";
    let (code, _, _) = sipcat(&["--json"], no_cseq);
    assert_eq!(code, 0);
    let (code, out, _) = sipcat(&["--json", "--check"], no_cseq);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "{\"error\":\"validation failed: 400 Bad Request: missing CSeq (CSeq)\"}\n"
    );
    let (code, _, _) = sipcat(&["--check", "data/invite.sip", "data/response.sip"], b"");
    assert_eq!(code, 0);
}
