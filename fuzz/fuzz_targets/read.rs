//! Bytes of a file → decoding (UTF-8, BOMs, UTF-16, Windows-1256) → the
//! scraped-page reader (or JSON, by what the text looks like) → extraction
//! of every article read. Never panics; offsets stay inside the body.
use isnad_fuzz::article::{decode, read_text, Format};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(text) = decode(data) else { return };
        for format in [Format::sniff(&text), Format::Scraped] {
            for a in read_text(&text, format, "fuzz").into_iter().flatten() {
                isnad_fuzz::check_extraction(&a);
            }
        }
    });
}
