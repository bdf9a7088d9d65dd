//! Relative and explicit date expressions, resolved against the article's
//! date: أمس، اليوم، أول أمس، الأسبوع الماضي، يوم الثلاثاء (the most recent
//! Tuesday), "16 كانون الثاني", "التاسع من كانون الثاني/يناير المقبل" (an
//! ordinal day; المقبل/القادم the next such date, الماضي the last one).
//! Nothing is guessed: no expression, no date.

use crate::article::{month_number, WEEKDAYS};
use crate::text::key;
use chrono::{Datelike, Duration, NaiveDate};
use std::sync::OnceLock;

/// Weekday names as normalised keys, computed once.
fn weekdays() -> &'static [(String, u32)] {
    static W: OnceLock<Vec<(String, u32)>> = OnceLock::new();
    W.get_or_init(|| WEEKDAYS.iter().map(|(n, d)| (key(n), *d)).collect())
}

/// Ordinal day names as normalised keys (التاسع → 9, الحادي والعشرين →
/// 21), longest first, computed once.
fn ordinal_days() -> &'static [(Vec<String>, u32)] {
    static O: OnceLock<Vec<(Vec<String>, u32)>> = OnceLock::new();
    O.get_or_init(|| {
        const UNITS: [&str; 9] = [
            "الأول",
            "الثاني",
            "الثالث",
            "الرابع",
            "الخامس",
            "السادس",
            "السابع",
            "الثامن",
            "التاسع",
        ];
        let mut out: Vec<(String, u32)> = Vec::new();
        for (i, u) in UNITS.iter().enumerate() {
            let n = i as u32 + 1;
            out.push((u.to_string(), n));
            // "الحادي عشر", "الحادي والعشرين": one is الحادي in compounds.
            let head = if n == 1 { "الحادي" } else { u };
            out.push((format!("{head} عشر"), n + 10));
            out.push((format!("{head} والعشرين"), n + 20));
        }
        out.push(("العاشر".into(), 10));
        out.push(("العشرين".into(), 20));
        out.push(("الثلاثين".into(), 30));
        out.push(("الحادي والثلاثين".into(), 31));
        let mut v: Vec<(Vec<String>, u32)> = out
            .into_iter()
            .map(|(s, n)| (key(&s).split(' ').map(String::from).collect(), n))
            .collect();
        v.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        v
    })
}

/// The day of month written at `words[i..]`, in digits or as an ordinal,
/// with the number of words it takes.
fn day_at(words: &[&str], i: usize) -> Option<(u32, usize)> {
    let w = strip_conj(words[i]);
    if let Ok(day) = w.parse::<u32>() {
        return (1..=31).contains(&day).then_some((day, 1));
    }
    // "كانون الأول/ديسمبر": the ordinal is the month's own second word.
    if i > 0 && matches!(words[i - 1], "كانون" | "تشرين" | "ربيع" | "جمادي") {
        return None;
    }
    ordinal_days().iter().find_map(|(ws, n)| {
        let fits = ws.iter().enumerate().all(|(k, o)| {
            words
                .get(i + k)
                .is_some_and(|x| (if k == 0 { strip_conj(x) } else { x }) == o)
        });
        fits.then_some((*n, ws.len()))
    })
}

/// The month named at `words[i..]` (one or two words), with its length.
fn month_at(words: &[&str], i: usize) -> Option<(u32, usize)> {
    let one = words.get(i)?;
    if let Some(m) = month_number(&unkey(one)) {
        return Some((m, 1));
    }
    let two = format!("{one} {}", words.get(i + 1)?);
    month_number(&unkey(&two)).map(|m| (m, 2))
}

/// "16 كانون الثاني 2024", "التاسع من كانون الثاني/يناير المقبل": a day
/// and a month, then a year, المقبل/القادم (the next such date) or الماضي
/// (the last one); with neither, the last such date up to the article's
/// month.
fn day_and_month(words: &[&str], i: usize, base: NaiveDate) -> Option<NaiveDate> {
    let (day, len) = day_at(words, i)?;
    let mut j = i + len;
    // "التاسع من كانون الثاني", "16 من آذار".
    if words.get(j) == Some(&"من") {
        j += 1;
    }
    let (m, mlen) = month_at(words, j)?;
    j += mlen;
    // "كانون الثاني/يناير": the month's other name.
    if let Some((m2, l2)) = month_at(words, j) {
        if m2 == m {
            j += l2;
        }
    }
    let after = &words[j.min(words.len())..(j + 3).min(words.len())];
    let year_word = after
        .iter()
        .find_map(|y| y.parse::<i32>().ok().filter(|y| (1990..2100).contains(y)));
    let qualifier = after.first().map(|w| strip_conj(w));
    let this_year = NaiveDate::from_ymd_opt(base.year(), m, day);
    match (year_word, qualifier) {
        (Some(y), _) => NaiveDate::from_ymd_opt(y, m, day),
        (None, Some("المقبل" | "القادم")) => match this_year {
            Some(d) if d > base => Some(d),
            _ => NaiveDate::from_ymd_opt(base.year() + 1, m, day),
        },
        (None, Some("الماضي")) => match this_year {
            Some(d) if d < base => Some(d),
            _ => NaiveDate::from_ymd_opt(base.year() - 1, m, day),
        },
        _ => {
            let y = if m > base.month() {
                base.year() - 1
            } else {
                base.year()
            };
            NaiveDate::from_ymd_opt(y, m, day)
        }
    }
}

/// Finds the first date expression in normalised `text` and resolves it.
pub fn resolve_relative(text: &str, article: Option<NaiveDate>) -> Option<NaiveDate> {
    let base = article?;
    let words = words(text);
    for (i, w) in words.iter().enumerate() {
        let w = strip_conj(w);
        let next = words.get(i + 1).map(|n| strip_conj(n)).unwrap_or("");
        if let Some(d) = day_and_month(&words, i, base) {
            return Some(d);
        }
        match w {
            "امس" => {
                if i > 0 && strip_conj(words[i - 1]) == "اول" {
                    return base.checked_sub_signed(Duration::days(2));
                }
                return base.checked_sub_signed(Duration::days(1));
            }
            "اليوم" if !matches!(next, "الذي" | "التالي") => return Some(base),
            "غدا" => return base.checked_add_signed(Duration::days(1)),
            "الاسبوع" if next == "الماضي" => {
                return base.checked_sub_signed(Duration::days(7))
            }
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
                    return base
                        .checked_add_signed(Duration::days(((wd + 7 - today) % 7).max(1) as i64));
                } else if back == 0 && next == "الماضي" {
                    7
                } else {
                    back
                };
                return base.checked_sub_signed(Duration::days(back as i64));
            }
        }
    }
    None
}

/// The words of normalised `text`.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !crate::text::is_word_char(c))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether normalised `text` names a time that is not a day: a month or a
/// year (انتخابات تشرين الثاني الماضي, عام 2006, هذا العام), or a time before or after
/// (الماضي, المقبل, السابق). Such a happening has a time of its own, one
/// a day cannot state.
pub fn names_other_time(text: &str) -> bool {
    let words = words(text);
    (0..words.len()).any(|i| {
        let w = strip_conj(words[i]);
        // عام/العام is a year only after a word of time (منذ عام, هذا العام);
        // elsewhere it is "general" (الأمين العام, مدير عام, الرأي العام).
        let year = matches!(w, "عام" | "العام")
            && i.checked_sub(1).is_some_and(|p| {
                matches!(
                    strip_conj(words[p]),
                    "هذا"
                        | "منذ"
                        | "قبل"
                        | "بعد"
                        | "خلال"
                        | "طوال"
                        | "مطلع"
                        | "منتصف"
                        | "نهايه"
                        | "بدايه"
                        | "اواخر"
                        | "اوائل"
                )
            });
        year || month_at(&words, i).is_some()
            || (w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()))
            || matches!(
                w,
                "الماضي"
                    | "الماضيه"
                    | "المقبل"
                    | "المقبله"
                    | "القادم"
                    | "القادمه"
                    | "السابق"
                    | "السابقه"
                    | "سابق"
            )
    })
}

/// "غداة إعلانه", "بعد يوم من اتهام", "عشية الانتخابات", "قبل يومين من
/// القمة": how many days the happening named next lies from the clause
/// the phrase hangs it on (-1: the day before). `words` are the normalised
/// words just before the happening, nearest last; returns the offset and
/// the index in `words` where the phrase starts.
pub fn anchored_offset(words: &[&str]) -> Option<(i64, usize)> {
    const SPANS: [(&str, i64); 5] = [
        ("يوم", 1),
        ("يومين", 2),
        ("ثلاثه ايام", 3),
        ("اسبوع", 7),
        ("اسبوعين", 14),
    ];
    for start in (0..words.len()).rev() {
        let w = strip_conj(words[start]);
        let single = match w {
            "غداه" => Some(-1),
            "عشيه" => Some(1),
            _ => None,
        };
        if let Some(o) = single {
            return Some((o, start));
        }
        let sign = match w {
            "بعد" => -1,
            "قبل" => 1,
            _ => continue,
        };
        // The span's words, then من or على.
        let rest = &words[start + 1..];
        for (span, days) in SPANS {
            let n = span.split(' ').count();
            if rest.len() > n
                && span.split(' ').eq(rest[..n].iter().copied())
                && matches!(rest[n], "من" | "علي")
            {
                return Some((sign * days, start));
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

    #[test]
    fn another_time_is_a_month_a_year_or_a_before_or_after_not_a_general() {
        let other = |t: &str| names_other_time(&key(t));
        for t in [
            "في انتخابات تشرين الثاني الماضي",
            "عام 2006",
            "منذ عام",
            "هذا العام",
            "الأسبوع المقبل",
        ] {
            assert!(other(t), "{t}");
        }
        for t in ["الأمين العام للأمم المتحدة", "مدير عام الشركة", "صباح اليوم"]
        {
            assert!(!other(t), "{t}");
        }
    }

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

    #[test]
    fn phrases_that_date_a_happening_from_its_clause() {
        let at = |s: &str| {
            let n = normalize(s).text;
            anchored_offset(&n.split(' ').collect::<Vec<_>>()).map(|(o, _)| o)
        };
        assert_eq!(at("ترامب يلتقي الشرع في الرياض غداة إعلانه رفع"), Some(-1));
        assert_eq!(at("وتأتي الكلمة بعد يوم من"), Some(-1));
        assert_eq!(at("قبل يومين من"), Some(2));
        assert_eq!(at("عشية"), Some(1));
        assert_eq!(at("بعد ذلك"), None);
        assert_eq!(at("بعد أيام من"), None);
    }

    #[test]
    fn ordinal_days_and_next_or_last_month() {
        check(
            "في الجلسة التي حدَّدها في التاسع من كانون الثاني/يناير المقبل",
            "2024-11-29",
            Some("2025-01-09"),
        );
        check(
            "في الحادي والعشرين من آذار الماضي",
            "2024-03-10",
            Some("2023-03-21"),
        );
        check(
            "في الخامس عشر من أيار 2023",
            "2024-01-18",
            Some("2023-05-15"),
        );
        check("وفي 3 حزيران القادم", "2024-05-01", Some("2024-06-03"));
        check("العاشر من الشهر", "2024-05-01", None);
        check(
            "وتبنَّت في كانون الأول/ديسمبر الماضي هجومًا",
            "2024-01-17",
            None,
        );
        check(
            "في الأول من تشرين الثاني/نوفمبر",
            "2024-12-01",
            Some("2024-11-01"),
        );
        check("الثاني من الجهة", "2024-05-01", None);
    }
}
