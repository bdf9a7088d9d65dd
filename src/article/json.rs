//! JSON objects, arrays of objects, and JSON Lines.
//!
//! `body` is required; `title`, `date`, `url`, `source`, `section`, `id` are
//! optional. A date that cannot be parsed is recorded as unknown, with a
//! warning naming the file and record.

use super::{parse_date, Article, ReadError};
use serde_json::{Map, Value};

pub fn parse_document(text: &str, origin: &str) -> Vec<Result<Article, ReadError>> {
    let text = text.trim_start_matches('\u{feff}');
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| from_value(v, &format!("{origin}[{i}]")))
            .collect(),
        Ok(v) => vec![from_value(v, origin)],
        // Several objects, one per line, in a `.json` file: JSON Lines.
        Err(_) if text.trim_start().starts_with('{') && text.trim().lines().count() > 1 => {
            parse_lines(text, origin)
        }
        Err(e) => vec![Err(ReadError {
            origin: format!("{origin}:{}:{}", e.line(), e.column()),
            message: format!("malformed JSON: {e}"),
        })],
    }
}

pub fn parse_lines(text: &str, origin: &str) -> Vec<Result<Article, ReadError>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let at = format!("{origin}:{}", i + 1);
            match serde_json::from_str::<Value>(line.trim_start_matches('\u{feff}')) {
                Ok(v) => from_value(v, &at),
                Err(e) => Err(ReadError {
                    origin: at,
                    message: format!("malformed JSON at column {}: {e}", e.column()),
                }),
            }
        })
        .collect()
}

fn from_value(v: Value, origin: &str) -> Result<Article, ReadError> {
    let err = |message: String| ReadError {
        origin: origin.into(),
        message,
    };
    let Value::Object(obj) = v else {
        return Err(err("expected a JSON object with a \"body\"".into()));
    };
    let body = match obj.get("body") {
        // CR LF and a lone CR end lines as LF does (as in scraped pages)
        Some(Value::String(s)) if !s.trim().is_empty() => {
            s.replace("\r\n", "\n").replace('\r', "\n")
        }
        Some(Value::String(_)) => return Err(err("\"body\" is empty".into())),
        Some(_) => return Err(err("\"body\" must be a string".into())),
        None => return Err(err("missing required field \"body\"".into())),
    };
    let mut article = Article {
        origin: origin.into(),
        id: field(&obj, "id"),
        url: field(&obj, "url"),
        source: field(&obj, "source"),
        section: field(&obj, "section"),
        title: field(&obj, "title"),
        body: body.trim().to_string(),
        ..Article::default()
    };
    if let Some(raw) = field(&obj, "date") {
        article.date = parse_date(&raw);
        if article.date.is_none() {
            article.warnings.push(format!(
                "{origin}: unrecognised date {raw:?}; date recorded as unknown"
            ));
        }
    }
    Ok(article)
}

/// A string (or number, for ids) field; blank counts as missing.
fn field(obj: &Map<String, Value>, key: &str) -> Option<String> {
    match obj.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_keep_good_records_and_name_bad_ones() {
        let text = "{\"body\": \"نص\", \"date\": \"2024-01-12\", \"id\": 7}\n{broken\n{\"title\": \"x\"}\n{\"body\": \"ب\", \"date\": \"غدا\"}\n";
        let out = parse_lines(text, "f.jsonl");
        assert_eq!(out.len(), 4);
        let a = out[0].as_ref().unwrap();
        assert_eq!(a.id.as_deref(), Some("7"));
        assert_eq!(a.date.unwrap().to_string(), "2024-01-12");
        assert_eq!(out[1].as_ref().unwrap_err().origin, "f.jsonl:2");
        assert!(out[2].as_ref().unwrap_err().message.contains("body"));
        let d = out[3].as_ref().unwrap();
        assert_eq!(d.date, None);
        assert!(d.warnings[0].contains("f.jsonl:4"));
    }

    #[test]
    fn a_json_document_may_be_one_object_or_an_array() {
        assert_eq!(parse_document("{\"body\": \"a\"}", "f.json").len(), 1);
        assert_eq!(
            parse_document("[{\"body\": \"a\"}, {\"body\": \"b\"}]", "f.json").len(),
            2
        );
        let bad = parse_document("{\"body\": ", "f.json");
        assert!(bad[0]
            .as_ref()
            .unwrap_err()
            .message
            .contains("malformed JSON"));
    }
}
