//! Publication dates as news sites write them.
//!
//! Accepts `dd/mm/yyyy`, `yyyy-mm-dd` (also with a time), `d Month yyyy` with
//! Arabic month names of both the Levantine (كانون الثاني) and the
//! Egyptian/Gulf (يناير) series or English names, an optional leading
//! weekday, Arabic-Indic digits and the combined `تشرين الثاني/نوفمبر` form.

use chrono::NaiveDate;

/// Month names, Levantine series first, then Egyptian/Gulf and English.
const MONTHS: &[(&str, u32)] = &[
    ("كانون الثاني", 1),
    ("شباط", 2),
    ("آذار", 3),
    ("اذار", 3),
    ("نيسان", 4),
    ("أيار", 5),
    ("ايار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("آب", 8),
    ("اب", 8),
    ("أيلول", 9),
    ("ايلول", 9),
    ("تشرين الأول", 10),
    ("تشرين الاول", 10),
    ("تشرين الثاني", 11),
    ("كانون الأول", 12),
    ("كانون الاول", 12),
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("أبريل", 4),
    ("ابريل", 4),
    ("إبريل", 4),
    ("مايو", 5),
    ("ماي", 5),
    ("يونيو", 6),
    ("يونيه", 6),
    ("يوليو", 7),
    ("يوليه", 7),
    ("أغسطس", 8),
    ("اغسطس", 8),
    ("سبتمبر", 9),
    ("أكتوبر", 10),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

/// Weekday names that may precede a date.
pub const WEEKDAYS: &[(&str, u32)] = &[
    ("الاثنين", 0),
    ("الإثنين", 0),
    ("الثلاثاء", 1),
    ("الأربعاء", 2),
    ("الاربعاء", 2),
    ("الخميس", 3),
    ("الجمعة", 4),
    ("السبت", 5),
    ("الأحد", 6),
    ("الاحد", 6),
];

/// Arabic month name → month number, for the claim/event date resolver too.
pub fn month_number(name: &str) -> Option<u32> {
    let name = name.trim().to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == name).map(|(_, m)| *m)
}

/// Replaces Arabic-Indic and Persian digits with ASCII ones.
pub fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            _ => c,
        })
        .collect()
}

/// Parses a whole line or field as a date; `None` when it is not one.
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    let s = ascii_digits(input);
    let s = s.trim().trim_end_matches(['.', '،']).trim();
    if s.is_empty() {
        return None;
    }
    // ISO, possibly with a time: 2024-01-19, 2024-01-19T10:00:00Z, 2024/01/19
    let head: String = s.chars().take(10).collect();
    if head.len() == 10 && s.chars().nth(4).is_some_and(|c| c == '-' || c == '/') {
        let rest = &s[head.len()..];
        if rest.is_empty() || rest.starts_with(['T', ' ', 't']) {
            let h = head.replace('/', "-");
            if let Ok(d) = NaiveDate::parse_from_str(&h, "%Y-%m-%d") {
                return Some(d);
            }
        }
    }
    // dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy
    for sep in ['/', '-', '.'] {
        let parts: Vec<&str> = s.split(sep).map(str::trim).collect();
        if parts.len() == 3 && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
            let (d, m, y) = (parts[0].parse().ok()?, parts[1].parse().ok()?, parts[2]);
            if y.len() == 4 {
                return NaiveDate::from_ymd_opt(y.parse().ok()?, m, d);
            }
        }
    }
    parse_worded(s)
}

/// `[weekday[،]] d Month[/Month] yyyy` or `Month d, yyyy`.
fn parse_worded(s: &str) -> Option<NaiveDate> {
    let mut rest = s.trim();
    for (w, _) in WEEKDAYS.iter().chain(&[("يوم", 9)]) {
        if let Some(r) = rest.strip_prefix(w) {
            rest = r.trim_start_matches([' ', '،', ',']).trim();
        }
    }
    let mut rest = rest.to_string();
    for (w, _) in WEEKDAYS {
        if let Some(r) = rest.strip_prefix(w) {
            rest = r.trim_start_matches([' ', '،', ',']).trim().to_string();
        }
    }
    let tokens: Vec<&str> = rest
        .split(|c: char| c.is_whitespace() || c == ',' || c == '،')
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.len() < 3 {
        return None;
    }
    let year_tok = tokens.last()?;
    let year: i32 = year_tok.trim_end_matches('م').parse().ok()?;
    if !(1900..=2100).contains(&year) {
        return None;
    }
    let is_num = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let (day, month_words) = if is_num(tokens[0]) {
        (tokens[0].parse::<u32>().ok()?, &tokens[1..tokens.len() - 1])
    } else if is_num(tokens[tokens.len() - 2]) {
        (
            tokens[tokens.len() - 2].parse::<u32>().ok()?,
            &tokens[..tokens.len() - 2],
        )
    } else {
        return None;
    };
    let month_text = month_words.join(" ");
    // "تشرين الثاني/نوفمبر" or "نوفمبر (تشرين الثاني)": any recognised part.
    let month = month_text
        .split(['/', '(', ')', '-'])
        .map(str::trim)
        .find_map(month_number)?;
    NaiveDate::from_ymd_opt(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: Option<&str>) {
        let got = parse_date(input).map(|d| d.to_string());
        assert_eq!(got.as_deref(), expect, "parsing {input:?}");
    }

    #[test]
    fn date_forms_news_sites_use() {
        check("19/01/2024", Some("2024-01-19"));
        check("2024-01-18", Some("2024-01-18"));
        check("2024-01-18T08:30:00Z", Some("2024-01-18"));
        check("22 أبريل 2024", Some("2024-04-22"));
        check("8 ديسمبر 2024", Some("2024-12-08"));
        check("الأربعاء 27 تشرين الثاني 2024", Some("2024-11-27"));
        check("الخميس 03 تشرين الأول 2024", Some("2024-10-03"));
        check("السبت 12 نيسان 2025", Some("2025-04-12"));
        check("الأربعاء، 7 مايو 2025", Some("2025-05-07"));
        check("١٩/٠١/٢٠٢٤", Some("2024-01-19"));
        check("27 تشرين الثاني/نوفمبر 2024", Some("2024-11-27"));
        check("12 January 2024", Some("2024-01-12"));
        check("January 12, 2024", Some("2024-01-12"));
    }

    #[test]
    fn what_is_not_a_date() {
        check("", None);
        check("إيران وباكستان: علاقاتنا أخوية", None);
        check("31/02/2024", None);
        check("12 فلان 2024", None);
        check("غدا", None);
    }
}
