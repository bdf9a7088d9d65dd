//! The scraped-page text format of `data/000_818cbd4057805db6.txt`:
//!
//! ```text
//! [site banner]            optional
//! [section]                optional
//! title
//! date                     dd/mm/yyyy, yyyy-mm-dd or worded
//! [title, repeated]        optional
//! paragraph …
//! [إقرأ المزيد في: …]      optional footer
//! ```

use super::{join_paragraphs, parse_date, Article, ReadError};

/// How far down the date line may be (banner, section, title and blanks).
const HEADER_LINES: usize = 12;

pub fn parse(text: &str, origin: &str) -> Result<Article, ReadError> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let nonblank: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_empty()).collect();
    if nonblank.is_empty() {
        return Err(ReadError {
            origin: origin.into(),
            message: "is empty: no article text".into(),
        });
    }
    let mut article = Article {
        origin: origin.into(),
        ..Article::default()
    };

    // The date line anchors the header: the line above it is the title.
    let date_at = nonblank
        .iter()
        .take(HEADER_LINES)
        .position(|&i| i > 0 && parse_date(lines[i]).is_some());
    let body_from = match date_at {
        Some(k) if k >= 1 => {
            let title_line = nonblank[k - 1];
            article.title = Some(lines[title_line].to_string());
            article.date = parse_date(lines[nonblank[k]]);
            let before: Vec<&str> = nonblank[..k - 1].iter().map(|&i| lines[i]).collect();
            match before.as_slice() {
                [] => {}
                [section] => article.section = Some(section.to_string()),
                [.., banner, section] => {
                    article.source = Some(banner.to_string());
                    article.section = Some(section.to_string());
                }
            }
            let mut next = k + 1;
            if nonblank
                .get(next)
                .is_some_and(|&i| same_title(lines[i], lines[title_line]))
            {
                next += 1;
            }
            next
        }
        _ => {
            // No date line: a short first line followed by more text is the title.
            article.warnings.push(format!(
                "{origin}: no publication date line found; date recorded as unknown"
            ));
            if nonblank.len() > 1 && lines[nonblank[0]].chars().count() <= 200 {
                article.title = Some(lines[nonblank[0]].to_string());
                1
            } else {
                0
            }
        }
    };

    // Paragraphs: blocks of consecutive non-blank lines after the header.
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let start_line = nonblank.get(body_from).copied().unwrap_or(lines.len());
    for line in &lines[start_line..] {
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join("\n"));
    }
    if paragraphs.last().is_some_and(|p| is_footer(p)) {
        paragraphs.pop();
    }
    article.body = join_paragraphs(paragraphs.iter().map(String::as_str));
    if article.body.is_empty() {
        return Err(ReadError {
            origin: origin.into(),
            message: "has a header but no body paragraphs".into(),
        });
    }
    Ok(article)
}

fn same_title(a: &str, b: &str) -> bool {
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    squash(a) == squash(b)
}

/// `إقرأ المزيد في: …` and its spelling variants.
fn is_footer(p: &str) -> bool {
    let p = p.trim_start();
    [
        "إقرأ المزيد",
        "اقرأ المزيد",
        "أقرأ المزيد",
        "اقرا المزيد",
        "إقرأ أيضا",
        "اقرأ أيضا",
    ]
    .iter()
    .any(|f| p.starts_with(f))
        && p.chars().count() < 200
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_layout_splits_into_header_and_body() {
        let text = "بانر الموقع\n\nالخليج والعالم\n\nعنوان الخبر\n19/01/2024\n\nعنوان الخبر\n\nفقرة أولى.\n\nفقرة ثانية.\n\nإقرأ المزيد في: الخليج والعالم";
        let a = parse(text, "t.txt").unwrap();
        assert_eq!(a.source.as_deref(), Some("بانر الموقع"));
        assert_eq!(a.section.as_deref(), Some("الخليج والعالم"));
        assert_eq!(a.title.as_deref(), Some("عنوان الخبر"));
        assert_eq!(a.date.unwrap().to_string(), "2024-01-19");
        assert_eq!(a.body, "فقرة أولى.\n\nفقرة ثانية.");
    }

    #[test]
    fn banner_repeat_and_footer_may_be_missing() {
        let a = parse("آسيا\n\nعنوان\n2024-01-18\n\nنص الخبر.", "t.txt").unwrap();
        assert_eq!(a.source, None);
        assert_eq!(a.section.as_deref(), Some("آسيا"));
        assert_eq!(a.body, "نص الخبر.");
        let b = parse("عنوان\nالسبت 12 نيسان 2025\n\nنص.", "t.txt").unwrap();
        assert_eq!(b.section, None);
        assert_eq!(b.date.unwrap().to_string(), "2025-04-12");
    }

    #[test]
    fn no_date_is_a_warning_not_an_error() {
        let a = parse("عنوان\n\nنص الخبر الأول.", "t.txt").unwrap();
        assert_eq!(a.date, None);
        assert_eq!(a.title.as_deref(), Some("عنوان"));
        assert_eq!(a.warnings.len(), 1);
        assert!(parse("\n\n  \n", "t.txt").is_err());
    }
}
