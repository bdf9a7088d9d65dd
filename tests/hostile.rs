//! Hostile files, made by the tests themselves: every encoding we take
//! (UTF-16 with and without a byte-order mark, Windows-1256, UTF-8 with a
//! BOM), CR LF and lone CR line ends, zero-width and bidi marks, a huge
//! article, deep and broken JSON, JSON Lines mixing good and bad records,
//! empty files and binary garbage. Every good one loads (`isnad ingest` into
//! a temp store) and reads as the text it holds; every bad one makes the
//! ingest exit 1 with a line naming the file (and the line, for JSON Lines),
//! never a panic.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const TEXT: &str = "عنوان الخبر\n19/01/2024\n\nقال وزير الخارجية الإيراني إن إيران تدعم باكستان في مواجهة الإرهاب.\n\nوأضاف أن طهران ستواصل الحوار مع إسلام آباد.\n";

fn isnad(store: &Path) -> Command {
    let mut c = Command::cargo_bin("isnad").unwrap();
    c.arg("--store")
        .arg(store)
        .env_remove("ISNAD_STORE")
        .env_remove("ISNAD_REFERENCE")
        .timeout(Duration::from_secs(120));
    c
}

struct Run {
    code: Option<i32>,
    stderr: String,
    stdout: String,
}

/// `isnad ingest FILE` into a fresh store beside it.
fn ingest(dir: &TempDir, file: &Path) -> Run {
    let store = dir.path().join(format!(
        "store-{}",
        file.file_name().unwrap().to_string_lossy()
    ));
    let out = isnad(&store).arg("ingest").arg(file).output().unwrap();
    Run {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    }
}

/// `isnad extract FILE`: the quads, to see what was read.
fn extract(dir: &TempDir, file: &Path) -> Run {
    let out = isnad(&dir.path().join("unused"))
        .arg("extract")
        .arg(file)
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    }
}

fn write(dir: &TempDir, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend(if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
    }
    for u in text.encode_utf16() {
        out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

/// Asserts a good file loads as one article whose text is `TEXT`'s: the
/// ingest exits 0 and extraction finds Iran and Pakistan in it.
#[track_caller]
fn assert_loads(dir: &TempDir, name: &str, bytes: impl AsRef<[u8]>, articles: usize) {
    let p = write(dir, name, bytes);
    let r = ingest(dir, &p);
    let loaded = format!(
        "loaded {articles} article{}",
        if articles == 1 { "" } else { "s" }
    );
    assert!(
        r.code == Some(0) && r.stderr.contains(&loaded),
        "{name}: {:?} {}",
        r.code,
        r.stderr
    );
    let x = extract(dir, &p);
    assert_eq!(x.code, Some(0), "{name}: {}", x.stderr);
    for code in ["IR", "PK"] {
        assert!(
            x.stdout.contains(&format!("country:{code} "))
                || x.stdout.contains(&format!("country/{code}>")),
            "{name}: no country {code} in what was read"
        );
    }
    assert!(
        !x.stdout.contains('\u{FFFD}'),
        "{name}: replacement characters"
    );
}

/// Asserts a bad file makes the ingest exit 1 with an error line that
/// names `origin` (the file, or file:line), and no panic.
#[track_caller]
fn assert_refused(dir: &TempDir, name: &str, bytes: impl AsRef<[u8]>, origins: &[String]) {
    let p = write(dir, name, bytes);
    let r = ingest(dir, &p);
    assert_eq!(r.code, Some(1), "{name}: {}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{name}: {}", r.stderr);
    for o in origins {
        let line = format!("error: {}", dir.path().join(o).display());
        assert!(
            r.stderr.lines().any(|l| l.starts_with(&line)),
            "{name}: no error line for {o} in:\n{}",
            r.stderr
        );
    }
    assert!(r.stdout.is_empty());
}

#[test]
fn every_encoding_we_take_loads_as_the_text_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    assert_loads(&dir, "utf8.txt", TEXT, 1);
    assert_loads(&dir, "utf8-bom.txt", format!("\u{FEFF}{TEXT}"), 1);
    assert_loads(&dir, "utf16le-bom.txt", utf16(TEXT, true, true), 1);
    assert_loads(&dir, "utf16be-bom.txt", utf16(TEXT, false, true), 1);
    assert_loads(&dir, "utf16le.txt", utf16(TEXT, true, false), 1);
    assert_loads(&dir, "utf16be.txt", utf16(TEXT, false, false), 1);
    let (cp1256, _, unmappable) = encoding_rs::WINDOWS_1256.encode(TEXT);
    assert!(!unmappable);
    assert_loads(&dir, "cp1256.txt", cp1256, 1);
    let record = serde_json::json!({"body": TEXT, "date": "2024-01-19"}).to_string();
    assert_loads(&dir, "bom.json", format!("\u{FEFF}{record}"), 1);
    assert_loads(
        &dir,
        "utf16.jsonl",
        utf16(&format!("{record}\n{record}\n"), true, true),
        2,
    );
}

#[test]
fn line_ends_and_invisible_marks_do_not_change_what_is_read() {
    let dir = tempfile::tempdir().unwrap();
    assert_loads(&dir, "crlf.txt", TEXT.replace('\n', "\r\n"), 1);
    assert_loads(&dir, "cr.txt", TEXT.replace('\n', "\r"), 1);
    // zero-width (non-)joiners, marks of direction and embedding, a BOM
    // inside the text, around and between the words
    let marked = TEXT
        .replace("إيران", "\u{200F}إيران\u{200E}")
        .replace("باكستان", "\u{202B}باكستان\u{202C}")
        .replace(" إن ", " إن\u{200C} ")
        .replace("طهران", "طه\u{200D}ران\u{FEFF}");
    assert_loads(&dir, "marks.txt", marked, 1);
    let record = serde_json::json!({"body": TEXT.replace('\n', "\r\n"), "date": "19/01/2024"});
    assert_loads(&dir, "crlf.jsonl", format!("{record}\r\n{record}\r\n"), 2);
}

#[test]
fn deep_json_inside_a_good_record_loads_and_beyond_the_limit_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let nested = |depth: usize| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let ok = format!(
        "{{\"body\": {}, \"extra\": {}}}",
        serde_json::to_string(TEXT).unwrap(),
        nested(100)
    );
    assert_loads(&dir, "nested.json", &ok, 1);
    // Far past any sensible depth: an error naming the file, not a crash.
    assert_refused(
        &dir,
        "deep.json",
        "[".repeat(200_000),
        &["deep.json".into()],
    );
    let deep_record = format!("{{\"body\": \"نص\", \"x\": {}}}", nested(100_000));
    let jsonl = format!("{ok}\n{deep_record}\n{ok}\n");
    assert_refused(&dir, "deep.jsonl", jsonl, &["deep.jsonl:2".into()]);
}

#[test]
fn broken_json_and_bad_records_are_named_by_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    assert_refused(
        &dir,
        "broken.json",
        "{\"body\": \"نص\", ",
        &["broken.json:1:".into()],
    );
    let good = serde_json::json!({"body": TEXT, "date": "2024-01-19"}).to_string();
    let lines = [
        good.clone(),
        "{\"body\": \"نص مقطوع".to_string(),
        good.clone(),
        "{\"title\": \"بلا نص\"}".to_string(),
        String::new(),
        "{\"body\": 42}".to_string(),
        "[1, 2]".to_string(),
        "\u{1}\u{2}garbage".to_string(),
        good,
    ];
    let p = write(&dir, "mixed.jsonl", lines.join("\n"));
    let r = ingest(&dir, &p);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("loaded 3 articles"), "{}", r.stderr);
    for line in [2, 4, 6, 7, 8] {
        let at = format!("error: {}:{line}: ", p.display());
        assert!(
            r.stderr.lines().any(|l| l.starts_with(&at)),
            "no error for line {line}:\n{}",
            r.stderr
        );
    }
    assert_eq!(r.stderr.matches("error: ").count(), 5, "{}", r.stderr);
}

#[test]
fn empty_and_binary_files_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["empty.txt", "empty.json", "empty.jsonl"] {
        assert_refused(&dir, name, "", &[name.into()]);
    }
    assert_refused(&dir, "blank.txt", " \n\r\n\t\n", &["blank.txt".into()]);
    assert_refused(&dir, "blank.jsonl", "\n\n  \n", &["blank.jsonl".into()]);
    assert_refused(&dir, "nothing.json", "[]", &["nothing.json".into()]);
    // bytes of every value, NUL included, in a fixed pseudo-random order
    let mut x: u32 = 0x9E37_79B9;
    let garbage: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect();
    assert_refused(&dir, "garbage.txt", &garbage, &["garbage.txt".into()]);
    assert_refused(&dir, "garbage.json", &garbage, &["garbage.json".into()]);
    // no NUL, every byte high: not UTF-8, and no text in Windows-1256
    let high: Vec<u8> = garbage.iter().map(|b| b | 0x80).collect();
    assert_refused(&dir, "high.txt", &high, &["high.txt".into()]);
}

/// A book or a dump pasted as one article (3 MB: paragraphs, one line, no
/// sentence punctuation at all) loads within a minute: extraction takes
/// time linear in the length (see `benches/extract_scaling.rs`).
#[test]
fn a_huge_article_loads_within_a_minute() {
    let dir = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string("data/000_818cbd4057805db6.txt").unwrap();
    let body: String = seed.lines().skip(6).collect::<Vec<_>>().join("\n");
    let mut text = String::from("كتاب طويل\n2024-01-19\n\n");
    while text.len() < 3_000_000 {
        text.push_str(&body);
        text.push_str("\n\n");
    }
    let header = "كتاب طويل\n2024-01-19\n\n";
    let flat = body.replace('\n', " ").repeat(text.len() / body.len());
    let one_line = format!("{header}{flat}");
    // no sentence ends at all: one endless sentence
    let no_stops = format!("{header}{}", flat.replace(['.', '!', '?', '؟'], " "));
    for (name, t) in [
        ("huge.txt", text),
        ("huge-one-line.txt", one_line),
        ("huge-no-stops.txt", no_stops),
    ] {
        let p = write(&dir, name, t);
        let start = Instant::now();
        let r = ingest(&dir, &p);
        let took = start.elapsed();
        assert!(
            r.code == Some(0) && r.stderr.contains("loaded 1 article"),
            "{name}: {}",
            r.stderr
        );
        assert!(took < Duration::from_secs(60), "{name} took {took:?}");
    }
}
