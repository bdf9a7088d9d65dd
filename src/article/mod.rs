//! Source formats → [`Article`]s: scraped page text, JSON and JSON Lines.
//!
//! Architecture invariant: this module only reads and splits. It knows
//! nothing of RDF, of Arabic normalisation or of the store; the body it
//! returns is the exact text that every offset downstream counts into.

mod date;
mod encoding;
mod json;
mod scraped;

pub use date::{ascii_digits, month_number, parse_date, WEEKDAYS};
pub use encoding::decode;

use chrono::NaiveDate;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One news article, as read from its source.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    /// Where it came from: `path` or `path:line` for JSON Lines.
    pub origin: String,
    pub id: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub section: Option<String>,
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    /// The article text: its paragraphs separated by blank lines.
    pub body: String,
    /// Things worth telling the user that did not stop the read.
    pub warnings: Vec<String>,
}

/// A source that could not be read, with where and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadError {
    pub origin: String,
    pub message: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.message)
    }
}

impl std::error::Error for ReadError {}

/// The formats articles come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Scraped page text (`.txt` and anything unrecognised).
    Scraped,
    /// One JSON object or an array of objects (`.json`).
    Json,
    /// One JSON object per line (`.jsonl`, `.ndjson`).
    JsonLines,
}

impl Format {
    /// The format a path's extension implies.
    pub fn of_path(path: &Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("json") => Format::Json,
            Some("jsonl") | Some("ndjson") => Format::JsonLines,
            _ => Format::Scraped,
        }
    }

    /// Guesses the format of text without a name (standard input).
    pub fn sniff(text: &str) -> Format {
        let t = text.trim_start();
        if t.starts_with('[') {
            Format::Json
        } else if t.starts_with('{') {
            let first_line = t.lines().next().unwrap_or("");
            if serde_json::from_str::<serde_json::Value>(first_line).is_ok() {
                Format::JsonLines
            } else {
                Format::Json
            }
        } else {
            Format::Scraped
        }
    }
}

/// Whether a file in a walked folder is an article source.
pub fn is_article_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with('.') || name.ends_with(".gold.json") {
        return false;
    }
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("txt" | "json" | "jsonl" | "ndjson")
    )
}

/// Expands the command line's paths: folders are walked recursively (sorted,
/// article files only), `-` stands for standard input. Missing paths are
/// reported as errors in place.
pub fn expand_paths(paths: &[PathBuf]) -> Vec<Result<PathBuf, ReadError>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Ok(p.clone()));
        } else if p.is_dir() {
            walk(p, &mut out);
        } else if p.exists() {
            out.push(Ok(p.clone()));
        } else {
            out.push(Err(ReadError {
                origin: p.display().to_string(),
                message: "no such file or folder".into(),
            }));
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<Result<PathBuf, ReadError>>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.push(Err(ReadError {
                origin: dir.display().to_string(),
                message: format!("cannot read folder: {e}"),
            }));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, out);
        } else if is_article_file(&p) {
            out.push(Ok(p));
        }
    }
}

/// Reads every article of one path (`-` is standard input). A JSON Lines
/// file yields one result per record, so a broken line loses only itself.
pub fn read_path(path: &Path) -> Vec<Result<Article, ReadError>> {
    let origin = if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let fail = |message: String| {
        vec![Err(ReadError {
            origin: origin.clone(),
            message,
        })]
    };
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut buf) {
            return fail(format!("cannot read standard input: {e}"));
        }
        buf
    } else {
        match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => return fail(format!("cannot read: {e}")),
        }
    };
    let text = match decode(&bytes) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let format = if path.as_os_str() == "-" {
        Format::sniff(&text)
    } else {
        Format::of_path(path)
    };
    read_text(&text, format, &origin)
}

/// Reads articles from decoded text in a known format.
/// A source with no article at all (an empty JSON Lines file, `[]`) is
/// one error naming it.
pub fn read_text(text: &str, format: Format, origin: &str) -> Vec<Result<Article, ReadError>> {
    let read = match format {
        Format::Scraped => vec![scraped::parse(text, origin)],
        Format::Json => json::parse_document(text, origin),
        Format::JsonLines => json::parse_lines(text, origin),
    };
    if read.is_empty() {
        return vec![Err(ReadError {
            origin: origin.into(),
            message: "holds no articles".into(),
        })];
    }
    read
}

/// Collapses runs of whitespace inside paragraphs and drops empty ones;
/// paragraphs are joined by one blank line.
pub(crate) fn join_paragraphs<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> String {
    let mut body = String::new();
    for p in paragraphs {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        body.push_str(p);
    }
    body
}
