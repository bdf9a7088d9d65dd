//! Relative and explicit date expressions, resolved against the article's
//! date: أمس، اليوم، أول أمس، الأسبوع الماضي، يوم الثلاثاء (the most recent
//! Tuesday), "16 كانون الثاني". Nothing is guessed: no expression, no date.

use crate::article::{month_number, WEEKDAYS};
use crate::text::key;
use chrono::{Datelike, Duration, NaiveDate};
use std::sync::OnceLock;

/// Weekday names as normalised keys, computed once.
fn weekdays() -> &'static [(String, u32)] {
    static W: OnceLock<Vec<(String, u32)>> = OnceLock::new();
    W.get_or_init(|| WEEKDAYS.iter().map(|(n, d)| (key(n), *d)).collect())
}

/// Finds the first date expression in normalised `text` and resolves it.
pub fn resolve_relative(text: &str, article: Option<NaiveDate>) -> Option<NaiveDate> {
    let base = article?;
    let words: Vec<&str> = text
        .split(|c: char| !crate::text::is_word_char(c))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let w = strip_conj(w);
        let next = words.get(i + 1).map(|n| strip_conj(n)).unwrap_or("");
        // explicit day + month (+ year)
        if let Ok(day) = w.parse::<u32>() {
            if (1..=31).contains(&day) {
                let two = format!("{} {}", next, words.get(i + 2).copied().unwrap_or(""));
                let month = month_number(&unkey(next)).or_else(|| month_number(&unkey(&two)));
                if let Some(m) = month {
                    let year_word =
                        words.iter().skip(i + 2).take(3).find_map(|y| {
                            y.parse::<i32>().ok().filter(|y| (1990..2100).contains(y))
                        });
                    let mut y = year_word.unwrap_or(base.year());
                    if year_word.is_none() && m > base.month() {
                        y -= 1;
                    }
                    if let Some(d) = NaiveDate::from_ymd_opt(y, m, day) {
                        return Some(d);
                    }
                }
            }
        }
        match w {
            "امس" => {
                if i > 0 && strip_conj(words[i - 1]) == "اول" {
                    return Some(base - Duration::days(2));
                }
                return Some(base - Duration::days(1));
            }
            "اليوم" if !matches!(next, "الذي" | "التالي") => return Some(base),
            "غدا" => return Some(base + Duration::days(1)),
            "الاسبوع" if next == "الماضي" => return Some(base - Duration::days(7)),
            _ => {}
        }
        for (name, wd) in weekdays() {
            let wd = *wd;
            if name == w {
                let prev = i.checked_sub(1).map(|j| strip_conj(words[j]));
                // "اليوم الأربعاء" is today; "يوم/الثلاثاء الماضي" the last one.
                if prev == Some("اليوم") {
                    return Some(base);
                }
                let today = base.weekday().num_days_from_monday();
                let back = (today + 7 - wd) % 7;
                let back = if next == "المقبل" {
                    return Some(base + Duration::days(((wd + 7 - today) % 7).max(1) as i64));
                } else if back == 0 && next == "الماضي" {
                    7
                } else {
                    back
                };
                return Some(base - Duration::days(back as i64));
            }
        }
    }
    None
}

fn strip_conj(w: &str) -> &str {
    for p in ["و", "ف"] {
        if let Some(r) = w.strip_prefix(p) {
            if r.starts_with("ال") || r == "امس" || r == "غدا" || r.parse::<u32>().is_ok() {
                return r;
            }
        }
    }
    w
}

/// Month names are stored unnormalised: compare on normalised forms.
fn unkey(w: &str) -> String {
    static NAMES: OnceLock<Vec<(String, &'static str)>> = OnceLock::new();
    let names = NAMES.get_or_init(|| MONTH_NAMES.iter().map(|n| (key(n), *n)).collect());
    names
        .iter()
        .find(|(k, _)| k == w)
        .map_or_else(|| w.to_string(), |(_, n)| n.to_string())
}

const MONTH_NAMES: [&str; 24] = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize;

    fn check(text: &str, article: &str, expect: Option<&str>) {
        let a = NaiveDate::parse_from_str(article, "%Y-%m-%d").ok();
        let got = resolve_relative(&normalize(text).text, a).map(|d| d.to_string());
        assert_eq!(got.as_deref(), expect, "{text:?} on {article}");
    }

    #[test]
    fn relative_expressions_resolve_against_the_article_date() {
        check(
            "أعلنت باكستان، اليوم الأربعاء، استدعاء سفيرها",
            "2024-01-17",
            Some("2024-01-17"),
        );
        check("مساء أمس الثلاثاء", "2025-05-07", Some("2025-05-06"));
        check("أول أمس", "2024-01-18", Some("2024-01-16"));
        check("يوم الثلاثاء", "2024-01-18", Some("2024-01-16"));
        check("الأسبوع الماضي", "2024-01-18", Some("2024-01-11"));
        check("في السادس عشر", "2024-01-18", None);
        check("في 16 كانون الثاني", "2024-01-18", Some("2024-01-16"));
        check("في 27 ديسمبر", "2024-01-18", Some("2023-12-27"));
        check("قال أمس", "", None);
    }
}
