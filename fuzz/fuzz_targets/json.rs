//! JSON documents and JSON Lines: every record is an article or an error
//! naming where it is; never a panic.
use isnad_fuzz::article::{read_text, Format};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let text = String::from_utf8_lossy(data);
        for format in [Format::Json, Format::JsonLines] {
            for r in read_text(&text, format, "f.jsonl") {
                match r {
                    Ok(a) => assert!(!a.body.trim().is_empty()),
                    Err(e) => assert!(e.origin.starts_with("f.jsonl")),
                }
            }
        }
    });
}
