//! Publication dates in every written form, and relative dates against an
//! article's day: never a panic, whatever the digits or month names.
use isnad_fuzz::article::parse_date;
use isnad_fuzz::extract::resolve_relative;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let text = String::from_utf8_lossy(data);
        let _ = parse_date(&text);
        let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 19);
        let _ = resolve_relative(&text, day);
        let _ = resolve_relative(&text, chrono::NaiveDate::from_ymd_opt(9999, 12, 31));
    });
}
