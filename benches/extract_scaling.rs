//! How extraction time grows with an article's length: one article of
//! 100,000, 200,000, 400,000, 800,000 and 1,600,000 characters (a book, a
//! dump pasted as one file), each timed once after a warm-up, in three
//! shapes — paragraphs as written, all line breaks removed, and no sentence
//! punctuation at all (one endless sentence) — with the ratio of each
//! doubling. Linear extraction doubles its time when the text doubles; the
//! bar is at most ~2.2x (the last column).
//!
//!   cargo bench --bench extract_scaling -- [--from FILE...] [--max CHARS]
//!                                           [--shape normal|nonl|nopunct]
//!
//! The text is the bodies of `data/*.txt` (or of the `--from` files: the
//! scraped-page layout, or any text) repeated to each length. Prints one
//! line per shape and length: characters, seconds, ratio to the half
//! length, and the annotations found.

use isnad::article::{read_path, Article};
use isnad::extract::{extract, Knowledge};
use isnad::reference::Reference;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut from: Vec<PathBuf> = Vec::new();
    let mut max = 1_600_000usize;
    let mut shapes = vec!["normal", "nonl", "nopunct"];
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--from" => from.push(args.next().expect("--from FILE").into()),
            "--max" => max = args.next().and_then(|v| v.parse().ok()).expect("--max N"),
            "--shape" => {
                let s = args.next().expect("--shape NAME");
                shapes.retain(|x| *x == s);
            }
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    if from.is_empty() {
        let mut files: Vec<PathBuf> = std::fs::read_dir("data")
            .expect("data/")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        from = files;
    }
    let mut base = String::new();
    for p in &from {
        for a in read_path(p).into_iter().flatten() {
            base.push_str(&a.body);
            base.push_str("\n\n");
        }
    }
    assert!(!base.is_empty(), "no article text in {from:?}");
    let k = Knowledge::new(Reference::bundled().expect("bundled reference data"));
    println!(
        "{:<8} {:>10} {:>9} {:>7} {:>9} {:>7} {:>7}",
        "shape", "chars", "seconds", "ratio", "mentions", "claims", "events"
    );
    for shape in shapes {
        let mut last: Option<f64> = None;
        let mut len = 100_000;
        // warm-up: the first run pays for page faults and caches
        let _ = extract(&article(&text(&base, 50_000, shape)), &k);
        while len <= max {
            let a = article(&text(&base, len, shape));
            let start = Instant::now();
            let ann = extract(&a, &k);
            let secs = start.elapsed().as_secs_f64();
            let ratio = last.map_or("-".to_string(), |l| format!("{:.2}", secs / l));
            println!(
                "{shape:<8} {len:>10} {secs:>9.3} {ratio:>7} {:>9} {:>7} {:>7}",
                ann.mentions.len(),
                ann.claims.len(),
                ann.events.len()
            );
            last = Some(secs);
            len *= 2;
        }
    }
}

/// `base` repeated to `len` characters, in a shape.
fn text(base: &str, len: usize, shape: &str) -> String {
    let mut t: String = base.chars().cycle().take(len).collect();
    match shape {
        "nonl" => t = t.split_whitespace().collect::<Vec<_>>().join(" "),
        "nopunct" => {
            t = t
                .chars()
                .map(|c| match c {
                    '.' | '!' | '?' | '؟' | '\n' => ' ',
                    c => c,
                })
                .collect()
        }
        _ => {}
    }
    t
}

fn article(body: &str) -> Article {
    Article {
        origin: "bench".into(),
        body: body.to_string(),
        date: "2024-01-19".parse().ok(),
        ..Article::default()
    }
}
