//! Publication dates as news sites write them.
//!
//! Accepts `dd/mm/yyyy`, `yyyy-mm-dd` (also ISO with a time and zone),
//! `d Month yyyy` with Arabic month names of the Levantine (كانون الثاني),
//! Egyptian/Gulf (يناير) and Maghreb (نونبر, جوان) series or English names,
//! an optional leading label (نشر في:) and weekday, a time of day before or
//! after the date (`10 نوفمبر 2016 - 09:40`), the era marks م and هـ with a
//! Hijri date beside the Gregorian one, Arabic-Indic digits and the
//! combined `تشرين الثاني/نوفمبر` form.

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
    // Written without the article too (تشرين ثاني).
    ("كانون ثاني", 1),
    ("تشرين أول", 10),
    ("تشرين اول", 10),
    ("تشرين ثاني", 11),
    ("كانون أول", 12),
    ("كانون اول", 12),
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
    // Morocco (يوليوز، غشت، شتنبر، نونبر، دجنبر) and Algeria and Tunisia
    // (جانفي، فيفري، أفريل، جوان، جويلية، أوت), from the French names.
    ("جانفي", 1),
    ("فيفري", 2),
    ("أفريل", 4),
    ("افريل", 4),
    ("جوان", 6),
    ("يوليوز", 7),
    ("جويلية", 7),
    ("غشت", 8),
    ("أوت", 8),
    ("اوت", 8),
    ("شتنبر", 9),
    ("نونبر", 11),
    ("دجنبر", 12),
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

/// English weekday names that may precede a date.
const ENGLISH_WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
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

/// Labels that may open a date line: "نشر في: 10 نوفمبر 2016".
const LABELS: &[&str] = &[
    "تاريخ النشر",
    "نشر بتاريخ",
    "نشر في",
    "نُشر في",
    "نشر",
    "نُشر",
    "آخر تحديث",
    "اخر تحديث",
    "تم التحديث",
    "بتاريخ",
    "التاريخ",
    "published on",
    "published",
    "posted on",
    "updated",
];

/// Words that may follow a time of day: ص/م (a.m./p.m.), a zone.
const AFTER_TIME: &[&str] = &[
    "ص",
    "م",
    "صباحا",
    "صباحاً",
    "مساء",
    "مساءً",
    "مساءا",
    "ظهرا",
    "ظهراً",
    "am",
    "pm",
    "a.m.",
    "p.m.",
    "gmt",
    "utc",
    "ت.غ",
    "ت.غ.",
    "بتوقيت",
];

/// Parses a whole line or field as a date; `None` when it is not one.
///
/// Besides the date itself the line may hold a label (نشر في:), a weekday,
/// a time of day with its separator, a.m./p.m. and zone
/// (`10 نوفمبر 2016 - 09:40`, `الساعة 10:30 صباحاً`, `2016-11-10T09:40:00+03:00`),
/// the era marks م and هـ, and a Hijri date beside the Gregorian one
/// (`10 صفر 1438 هـ الموافق 10 نوفمبر 2016 م`). Nothing else: a headline
/// that mentions a date is not a date line.
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    let s = ascii_digits(input);
    let mut s = s.trim().trim_end_matches(['.', '،']).trim();
    let lower = s.to_lowercase();
    for l in LABELS {
        if lower.starts_with(l) && lower.len() == s.len() {
            s = s[l.len()..].trim_start_matches([' ', ':', '،', ',']).trim();
            break;
        }
    }
    if s.is_empty() {
        return None;
    }
    // ISO with a time and zone: 2024-01-19T10:00:00Z, 2024-01-19T10:00+03:00.
    if let Some((day, time)) = s.split_once(['T', 't']) {
        if time.starts_with(|c: char| c.is_ascii_digit()) {
            if let Some(d) = numeric(day) {
                return Some(d);
            }
        }
    }
    let s = without_times(s);
    if let Some(d) = numeric(&s).or_else(|| parse_worded(&s)) {
        return Some(d);
    }
    // A Hijri date beside the Gregorian one: the Gregorian part alone.
    if s.contains("الموافق") || s.contains("هـ") {
        return s
            .split(['|', '/', '،', ',', '(', ')', '-', '–', '—'])
            .flat_map(|p| p.split("الموافق"))
            .map(str::trim)
            .find_map(|p| numeric(p).or_else(|| parse_worded(p)));
    }
    None
}

/// `yyyy-mm-dd`, `yyyy/m/d`, `dd/mm/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`.
fn numeric(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    for sep in ['/', '-', '.'] {
        let parts: Vec<&str> = s.split(sep).map(str::trim).collect();
        let digits =
            |p: &&str| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit());
        if parts.len() != 3 || !parts.iter().all(digits) {
            continue;
        }
        let n = |i: usize| parts[i].parse::<u32>().ok();
        if parts[0].len() == 4 {
            return NaiveDate::from_ymd_opt(n(0)? as i32, n(1)?, n(2)?);
        }
        if parts[2].len() == 4 {
            return NaiveDate::from_ymd_opt(n(2)? as i32, n(1)?, n(0)?);
        }
    }
    None
}

/// Whether a word is a time of day: 09:40, 9:40:15, 21:05Z, 10:30+03:00.
fn is_time(w: &str) -> bool {
    let core = w.trim_end_matches(['Z', 'z']);
    let core = match core.find(['+', '-']) {
        Some(i) if i > 0 => &core[..i],
        _ => core,
    };
    let parts: Vec<&str> = core.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()))
}

/// The line without its times of day (and what goes with them: الساعة
/// before, ص/م or a zone after) and without the separators left at its
/// ends: `10 نوفمبر 2016 - 09:40` → `10 نوفمبر 2016`.
fn without_times(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut keep = vec![true; words.len()];
    let mut i = 0;
    while i < words.len() {
        let w = words[i].trim_matches(['(', ')', '،', ',']);
        if !is_time(w) {
            i += 1;
            continue;
        }
        keep[i] = false;
        if i > 0 && matches!(words[i - 1], "الساعة" | "الساعه" | "at" | "في") {
            keep[i - 1] = false;
        }
        let mut j = i + 1;
        while j < words.len() {
            let a = words[j].trim_matches(['(', ')', '،', ',']).to_lowercase();
            let zone = a.starts_with("gmt")
                || a.starts_with("utc")
                || (a.starts_with(['+', '-']) && a.len() > 1);
            if AFTER_TIME.contains(&a.as_str()) || zone {
                keep[j] = false;
                // بتوقيت مكة المكرمة, بتوقيت غرينتش: the zone's name.
                if a == "بتوقيت" && j + 1 < words.len() {
                    j += 1;
                    keep[j] = false;
                    while j + 1 < words.len() && words[j + 1].starts_with("ال") {
                        j += 1;
                        keep[j] = false;
                    }
                }
                j += 1;
            } else {
                break;
            }
        }
        i = j;
    }
    let kept: Vec<&str> = words
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(w, _)| *w)
        .collect();
    let seps: &[char] = &['-', '–', '—', '|', '،', ',', '•', '/', ':', ' '];
    kept.join(" ").trim_matches(seps).to_string()
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
    let lower = rest.to_lowercase();
    let mut rest = lower.as_str();
    for w in ENGLISH_WEEKDAYS {
        if let Some(r) = rest.strip_prefix(w) {
            rest = r.trim_start_matches([' ', ',']).trim();
        }
    }
    let mut tokens: Vec<&str> = rest
        .split(|c: char| c.is_whitespace() || c == ',' || c == '،')
        .filter(|t| !t.is_empty())
        .collect();
    // The era after the year: 2016 م, 2016 ميلادي.
    while tokens
        .last()
        .is_some_and(|t| matches!(*t, "م" | "م." | "ميلادي" | "ميلادية" | "للميلاد"))
    {
        tokens.pop();
    }
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
    fn a_date_line_may_carry_a_time_label_era_and_hijri_date() {
        let table = [
            ("10 نوفمبر 2016 - 09:40", "2016-11-10"),
            ("3 نوفمبر 2022 | 14:30", "2022-11-03"),
            ("الخميس، 10 نوفمبر 2016 - 09:40 ص", "2016-11-10"),
            ("10/11/2016 الساعة 09:40 مساءً", "2016-11-10"),
            ("09:40 - 10 نوفمبر 2016", "2016-11-10"),
            ("١٠ نوفمبر ٢٠١٦ - ٠٩:٤٠", "2016-11-10"),
            ("10 نوفمبر 2016 09:40 GMT", "2016-11-10"),
            ("نشر في: 10 نوفمبر 2016 - 09:40", "2016-11-10"),
            (
                "آخر تحديث: 10/11/2016 09:40 بتوقيت مكة المكرمة",
                "2016-11-10",
            ),
            ("يوم الخميس 10 نوفمبر 2016", "2016-11-10"),
            ("10 نوفمبر 2016م", "2016-11-10"),
            ("10 نوفمبر 2016 م", "2016-11-10"),
            (
                "الخميس 10 صفر 1438 هـ الموافق 10 نوفمبر 2016 م",
                "2016-11-10",
            ),
            ("10 نوفمبر 2016م / 10 صفر 1438هـ", "2016-11-10"),
            ("2016-11-10T09:40:00+03:00", "2016-11-10"),
            ("2016-11-10T09:40:00.000Z", "2016-11-10"),
            ("2016-11-10 09:40:00 +0300", "2016-11-10"),
            ("2016/11/10", "2016-11-10"),
            ("2016-1-5", "2016-01-05"),
            ("Thursday, November 10, 2016", "2016-11-10"),
        ];
        for (line, date) in table {
            check(line, Some(date));
        }
    }

    #[test]
    fn month_names_of_every_region() {
        let table = [
            ("10 تشرين الثاني 2016", "2016-11-10"),
            ("10 تشرين ثاني 2016", "2016-11-10"),
            ("1 كانون ثاني 2020", "2020-01-01"),
            ("10 نونبر 2016", "2016-11-10"),
            ("الأربعاء 02 دجنبر 2020", "2020-12-02"),
            ("20 غشت 2019", "2019-08-20"),
            ("30 شتنبر 2021", "2021-09-30"),
            ("14 يوليوز 2022", "2022-07-14"),
            ("15 جوان 2021", "2021-06-15"),
            ("05 أوت 2019", "2019-08-05"),
            ("14 جويلية 2022", "2022-07-14"),
            ("3 جانفي 2023", "2023-01-03"),
            ("3 فيفري 2023", "2023-02-03"),
            ("3 أفريل 2023", "2023-04-03"),
        ];
        for (line, date) in table {
            check(line, Some(date));
        }
    }

    #[test]
    fn a_headline_that_mentions_a_date_is_not_a_date_line() {
        for line in [
            "ترامب يفوز في 10 نوفمبر 2016",
            "10 نوفمبر 2016 - فوز ترامب",
            "09:40",
            "10 صفر 1438 هـ",
            "2016-13-10T09:40:00Z",
            "الساعة 09:40 مساءً",
        ] {
            check(line, None);
        }
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
