//! `sipcat`: print SIP messages readably or as JSON.
//!
//! ```text
//! sipcat [--json] [--stream] [--check] [FILE ...]
//! ```
//!
//! Reads each FILE (or standard input when there is none or for `-`). A file holds one
//! datagram, or with `--stream` a stream of messages framed by Content-Length (CRLF
//! keep-alives skipped). `--json` prints one JSON object per message; `--check` also applies
//! the validation a UAS does before acting (RFC 3261 §8.2). Any error is printed (as
//! `{"error":"..."}` with `--json`) and makes the exit status 1.

use std::io::{self, IsTerminal, Read, Write};
use std::process::ExitCode;

use bytes::{Bytes, BytesMut};
use clap::Parser;
use sip_message::validate::{self, Policy};
use sip_message::{Message, StreamFramer, StreamItem};

/// Print SIP messages readably (colour on a terminal) or as JSON.
#[derive(Parser, Debug)]
#[command(name = "sipcat", version)]
struct Args {
    /// Print one JSON object per message.
    #[arg(long)]
    json: bool,
    /// Each input is a stream of messages (TCP style, Content-Length framing).
    #[arg(long)]
    stream: bool,
    /// Also validate each message (RFC 3261 §8.2.1–8.2.3 for requests).
    #[arg(long)]
    check: bool,
    /// Input files; standard input when none (or `-`).
    files: Vec<String>,
}

struct Printer {
    json: bool,
    check: bool,
    colour: bool,
    failed: bool,
    printed: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut printer = Printer {
        json: args.json,
        check: args.check,
        colour: io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        failed: false,
        printed: 0,
    };
    let files = if args.files.is_empty() {
        vec!["-".to_owned()]
    } else {
        args.files.clone()
    };
    let mut out = io::stdout().lock();
    for file in &files {
        let data = match read(file) {
            Ok(d) => d,
            Err(e) => {
                printer.error(&mut out, &format!("{file}: {e}"));
                continue;
            }
        };
        if args.stream {
            printer.stream(&mut out, file, data);
        } else {
            match Message::parse(data) {
                Ok(m) => printer.message(&mut out, &m),
                Err(e) => printer.error(&mut out, &format!("{file}: {e}")),
            }
        }
    }
    let _ = out.flush();
    if printer.failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn read(file: &str) -> io::Result<Bytes> {
    let mut buf = Vec::new();
    if file == "-" {
        io::stdin().lock().read_to_end(&mut buf)?;
    } else {
        buf = std::fs::read(file)?;
    }
    Ok(Bytes::from(buf))
}

impl Printer {
    fn stream(&mut self, out: &mut impl Write, file: &str, data: Bytes) {
        let mut framer = StreamFramer::default();
        let mut buf = BytesMut::from(&data[..]);
        loop {
            match framer.decode(&mut buf) {
                Ok(Some(StreamItem::Message(m))) => self.message(out, &m),
                Ok(Some(StreamItem::KeepAlive { .. })) => {}
                Ok(None) => {
                    if !buf.is_empty() {
                        self.error(
                            out,
                            &format!(
                                "{file}: stream ends inside a message ({} bytes left)",
                                buf.len()
                            ),
                        );
                    }
                    return;
                }
                Err(e) => {
                    // Framing is lost after an error: stop reading this stream.
                    self.error(out, &format!("{file}: {e}"));
                    return;
                }
            }
        }
    }

    fn message(&mut self, out: &mut impl Write, m: &Message) {
        if self.check {
            let checked = if m.is_request() {
                validate::check_request(m, &Policy::default())
            } else {
                validate::check_response(m)
            };
            if let Err(r) = checked {
                let header = r.header.map(|h| format!(" ({h})")).unwrap_or_default();
                self.error(
                    out,
                    &format!(
                        "validation failed: {} {}: {}{header}",
                        r.status,
                        r.status.reason_phrase(),
                        r.detail
                    ),
                );
                return;
            }
        }
        let result = if self.json {
            writeln!(out, "{}", json(m))
        } else {
            self.readable(out, m)
        };
        if result.is_err() {
            self.failed = true;
        }
        self.printed += 1;
    }

    fn readable(&self, out: &mut impl Write, m: &Message) -> io::Result<()> {
        if self.printed > 0 {
            writeln!(out, "{}", self.paint("2", "--"))?;
        }
        let start = match (m.method_str(), m.uri(), m.status(), m.reason()) {
            (Some(method), Some(uri), _, _) => {
                format!("{} {uri} {}", self.paint("1;33", method), m.version())
            }
            (_, _, Some(status), Some(reason)) => {
                let colour = if status.is_success() || status.is_provisional() {
                    "1;32"
                } else {
                    "1;31"
                };
                format!(
                    "{} {}",
                    m.version(),
                    self.paint(colour, &format!("{status} {reason}"))
                )
            }
            _ => String::new(),
        };
        writeln!(out, "{start}")?;
        for (name, value) in entries(m) {
            writeln!(out, "{}: {value}", self.paint("36", name))?;
        }
        let body = m.body();
        if !body.is_empty() {
            writeln!(out)?;
            match std::str::from_utf8(body) {
                Ok(text) => {
                    let text = text.replace("\r\n", "\n");
                    write!(out, "{text}")?;
                    if !text.ends_with('\n') {
                        writeln!(out)?;
                    }
                }
                Err(_) => writeln!(
                    out,
                    "{}",
                    self.paint("2", &format!("[{} bytes of binary body]", body.len()))
                )?,
            }
        }
        Ok(())
    }

    fn error(&mut self, out: &mut impl Write, text: &str) {
        self.failed = true;
        if self.json {
            let _ = writeln!(out, "{{\"error\":{}}}", json_string(text));
        } else {
            let _ = out.flush();
            eprintln!("{}", self.paint("1;31", &format!("sipcat: {text}")));
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// One (canonical name, value) per header field value: comma lists split, folding replaced
/// by one space, outer whitespace trimmed, invalid UTF-8 as U+FFFD.
fn entries(m: &Message) -> Vec<(&str, String)> {
    let mut out = Vec::new();
    for field in m.headers() {
        let name = field.canonical_name();
        let mut any = false;
        for v in field.values() {
            out.push((name, unfold(v)));
            any = true;
        }
        if !any {
            out.push((name, String::new()));
        }
    }
    out
}

fn unfold(v: &[u8]) -> String {
    let text = String::from_utf8_lossy(v);
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut in_break = false;
    for c in text.chars() {
        match c {
            '\r' | '\n' => {
                in_break = true;
                pending_space = true;
            }
            ' ' | '\t' if in_break => {}
            _ => {
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                in_break = false;
                out.push(c);
            }
        }
    }
    out.trim().to_owned()
}

fn json(m: &Message) -> String {
    let mut s = String::with_capacity(512);
    match (m.method_str(), m.uri(), m.status(), m.reason()) {
        (Some(method), Some(uri), _, _) => {
            s.push_str("{\"type\":\"request\",\"method\":");
            s.push_str(&json_string(method));
            s.push_str(",\"uri\":");
            s.push_str(&json_string(uri));
        }
        (_, _, Some(status), Some(reason)) => {
            s.push_str("{\"type\":\"response\",\"status\":");
            s.push_str(&status.to_string());
            s.push_str(",\"reason\":");
            s.push_str(&json_string(reason));
        }
        _ => s.push('{'),
    }
    s.push_str(",\"version\":");
    s.push_str(&json_string(m.version()));
    s.push_str(",\"headers\":[");
    for (i, (name, value)) in entries(m).iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push('[');
        s.push_str(&json_string(name));
        s.push(',');
        s.push_str(&json_string(value));
        s.push(']');
    }
    s.push_str("],\"body_len\":");
    s.push_str(&m.body().len().to_string());
    s.push('}');
    s
}

fn json_string(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c if (c as u32) < 0x20 => s.push_str(&format!("\\u{:04x}", c as u32)),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}
