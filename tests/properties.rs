//! Property tests: the readers, the date parser, the whole extractor and the
//! shell's lexer and script runner on arbitrary and hostile input. Each
//! property holds for every input: no panic, offsets inside the text and
//! on its characters, extraction ends. The runs here are short (a few
//! seconds each); `scripts/fuzz.sh` runs the same stages under AFL++ for
//! as long as one likes.

use assert_cmd::Command;
use isnad::article::{decode, parse_date, read_text, Article, Format};
use isnad::extract::{extract, resolve_relative, Knowledge};
use isnad::reference::Reference;
use isnad::shell::lexer;
use proptest::prelude::*;
use std::sync::OnceLock;

fn knowledge() -> &'static Knowledge {
    static K: OnceLock<Knowledge> = OnceLock::new();
    K.get_or_init(|| Knowledge::new(Reference::bundled().expect("bundled reference data parses")))
}

/// Words that set the extractor's rules going: names, titles, reporting
/// verbs, "that", triggers, times, prepositions, anaphors.
const WORDS: &[&str] = &[
    "قال",
    "وقال",
    "أكد",
    "أعلن",
    "أعلنت",
    "نفى",
    "حذر",
    "دعا",
    "نقلت",
    "عن",
    "إن",
    "أن",
    "أنّ",
    "بأن",
    "قائلا",
    "الرئيس",
    "الإيراني",
    "الباكستاني",
    "وزير",
    "الخارجية",
    "وزارة",
    "الوزارة",
    "نظيره",
    "المتحدث",
    "باسم",
    "مصادر",
    "مطلعة",
    "إيران",
    "باكستان",
    "طهران",
    "عمان",
    "حركة",
    "حماس",
    "جماعة",
    "عباس",
    "عراقجي",
    "محمد",
    "علي",
    "عبد",
    "هجوم",
    "غارة",
    "غارات",
    "اجتماع",
    "التقى",
    "اتفاق",
    "البلدين",
    "الجانبان",
    "زيارة",
    "اليوم",
    "أمس",
    "الأحد",
    "الماضي",
    "منذ",
    "عام",
    "العام",
    "في",
    "على",
    "إلى",
    "من",
    "بين",
    "ضد",
    "كان",
    "قد",
    "التي",
    "فيما",
    "بحسب",
    "مدينة",
    "منطقة",
    "٢٠٢٤",
    "19",
    "يناير",
    "abc",
    "Iran",
];

/// What stands between words: spaces, commas, sentence ends, quotation
/// marks of every kind, colons, line breaks (LF, CR LF, lone CR), zero-width
/// and bidi marks, diacritics, tatweel.
const GLUE: &[&str] = &[
    " ", " ", " ", "، ", ", ", ". ", "؟ ", "! ", ": ", "؛ ", "\n", "\n\n", "\r\n", "\r", " «",
    "» ", " \"", "\" ", " “", "” ", "\u{200B}", "\u{200C}", "\u{200D}", "\u{200F}", "\u{202B}",
    "\u{202C}", "\u{FEFF}", "\u{064E}", "\u{0651}", "\u{0640}", "\t", "(", ")", "-", "…",
];

/// Text built from the extractor's words and glue, with stretches of any
/// Unicode, sometimes repeated many times over.
fn arabic_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => prop::sample::select(WORDS).prop_map(str::to_string),
        4 => prop::sample::select(GLUE).prop_map(str::to_string),
        1 => any::<String>(),
        1 => "[\\u0600-\\u06FF]{1,8}",
    ];
    (prop::collection::vec(piece, 0..80), 1usize..4, 0usize..3).prop_map(
        |(pieces, copies, huge)| {
            let one = pieces.concat();
            // now and then one snippet a thousand times over
            let times = if huge == 0 { copies * 300 } else { copies };
            one.repeat(times)
        },
    )
}

/// Checks an extraction's offsets: inside the body (in characters), each
/// anchor, claim text and trigger exactly the body's characters there.
fn check_extraction(a: &Article) -> Result<(), TestCaseError> {
    let ann = extract(a, knowledge());
    let chars: Vec<char> = a.body.chars().collect();
    let n = chars.len();
    let slice = |b: usize, e: usize| chars[b..e].iter().collect::<String>();
    for m in &ann.mentions {
        prop_assert!(m.begin <= m.end && m.end <= n, "mention {m:?} outside {n}");
        prop_assert_eq!(&slice(m.begin, m.end), &m.anchor);
        prop_assert!(m.entity < ann.entities.len());
    }
    for c in &ann.claims {
        prop_assert!(c.begin <= c.end && c.end <= n, "claim {c:?} outside {n}");
        prop_assert!(c.verb_begin <= c.verb_end && c.verb_end <= n);
        prop_assert_eq!(&slice(c.begin, c.end), &c.text);
        prop_assert!(c.speakers.iter().all(|&s| s < ann.entities.len()));
        prop_assert!(c.within.is_none_or(|w| w < ann.claims.len()));
    }
    for e in &ann.events {
        prop_assert!(e.begin <= e.end && e.end <= n, "event {e:?} outside {n}");
        prop_assert_eq!(&slice(e.begin, e.end), &e.trigger);
        let known = |v: &[usize]| v.iter().all(|&x| x < ann.entities.len());
        prop_assert!(known(&e.agents) && known(&e.targets) && known(&e.places));
    }
    Ok(())
}

/// `cases` per property, or `PROPTEST_CASES` for a longer run.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// The whole extractor, on any text, dated or not: no panic, every
    /// offset inside the body on its characters, and it ends.
    #[test]
    fn extraction_never_panics_and_keeps_offsets_in_the_body(
        body in arabic_text(),
        dated in any::<bool>(),
    ) {
        let a = Article {
            origin: "prop".into(),
            body,
            date: dated.then(|| "2024-01-19".parse().unwrap()),
            ..Article::default()
        };
        check_extraction(&a)?;
    }

    /// The scraped-page reader takes any text: one article or one error
    /// naming the file, and an article it reads extracts cleanly.
    #[test]
    fn the_scraped_page_reader_reads_anything(
        header in prop::sample::select(&["", "عنوان\n19/01/2024\n\n", "بانر\n\nقسم\n\nعنوان\n2024-01-19\n\nعنوان\n\n", "عنوان\r\nالسبت 12 نيسان 2025\r\n\r\n"][..]),
        body in arabic_text(),
    ) {
        let text = format!("{header}{body}");
        let out = read_text(&text, Format::Scraped, "page.txt");
        prop_assert_eq!(out.len(), 1);
        match &out[0] {
            Ok(a) => {
                prop_assert!(!a.body.is_empty());
                prop_assert!(!a.body.contains('\r'));
                check_extraction(a)?;
            }
            Err(e) => prop_assert_eq!(&e.origin, "page.txt"),
        }
    }

    /// JSON and JSON Lines: good records load, each bad one is an error
    /// naming the file (and, for JSON Lines, its line); never a panic.
    #[test]
    fn json_readers_name_every_bad_record(
        records in prop::collection::vec(
            prop_oneof![
                arabic_text().prop_map(|b| serde_json::json!({"body": b, "date": "2024-01-19"}).to_string()),
                arabic_text().prop_map(|b| serde_json::json!({"title": b}).to_string()),
                any::<String>().prop_map(|s| s.replace(['\n', '\r'], " ")),
                "[\\[\\]{}\":,0-9a-z ]{0,40}",
                Just("[".repeat(5000)),
                Just("{\"body\": 7}".to_string()),
            ],
            0..12,
        ),
    ) {
        let text = records.join("\n");
        for r in read_text(&text, Format::JsonLines, "f.jsonl") {
            match r {
                Ok(a) => prop_assert!(!a.body.trim().is_empty() && a.origin.starts_with("f.jsonl:")),
                // a file of blank lines holds no articles: the file is named
                Err(e) if e.origin == "f.jsonl" => {
                    prop_assert!(records.iter().all(|r| r.trim().is_empty()), "{}", e.message);
                }
                Err(e) => {
                    let line: usize = e.origin.strip_prefix("f.jsonl:").and_then(|l| l.parse().ok()).unwrap_or(0);
                    prop_assert!(line >= 1 && line <= records.len(), "{}", e.origin);
                }
            }
        }
        for r in read_text(&text, Format::Json, "f.json") {
            if let Err(e) = r {
                prop_assert!(e.origin.starts_with("f.json"), "{}", e.origin);
            }
        }
    }

    /// Any bytes decode or are refused with a reason; UTF-8 text without
    /// NUL comes back unchanged (unless every other byte is 0x00 or 0x06:
    /// that is UTF-16 without a byte-order mark), and so does any text
    /// behind a UTF-16 or UTF-8 byte-order mark.
    #[test]
    fn decoding_takes_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400), text in any::<String>()) {
        let utf16_like = |first: usize| bytes.len().is_multiple_of(2)
            && bytes.iter().skip(first).step_by(2).all(|&b| b == 0 || b == 6);
        match decode(&bytes) {
            Ok(t) => if let Ok(s) = std::str::from_utf8(&bytes) {
                if !bytes.starts_with(&[0xEF, 0xBB, 0xBF]) && !utf16_like(0) && !utf16_like(1) {
                    prop_assert_eq!(t, s);
                }
            },
            Err(reason) => prop_assert!(!reason.is_empty()),
        }
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        prop_assert_eq!(decode(&le).unwrap(), text.clone());
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        prop_assert_eq!(decode(&be).unwrap(), text.clone());
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend(text.as_bytes());
        prop_assert_eq!(decode(&bom).unwrap(), text);
    }

    /// Dates in any form, and relative dates against any day (the ends of
    /// the calendar included): no panic, no overflow.
    #[test]
    fn dates_parse_without_panic(
        parts in prop::collection::vec(
            prop_oneof![
                "[0-9٠-٩]{1,12}",
                prop::sample::select(&["/", "-", " ", ".", "،", "T", ":", "Z", "+"][..]).prop_map(str::to_string),
                prop::sample::select(&["يناير", "كانون الثاني", "نيسان", "السبت", "الأحد", "أمس", "اليوم", "غدا", "الماضي", "المقبل", "قبل", "بعد", "يومين", "أيام", "أسبوع", "شهر", "عام", "منذ"][..]).prop_map(str::to_string),
                any::<String>(),
            ],
            0..10,
        ),
        year in prop_oneof![Just(1i32), Just(2024), Just(9999), Just(262_000), -5000i32..5000],
    ) {
        let s = parts.concat();
        if let Some(d) = parse_date(&s) {
            prop_assert!(d.to_string().len() >= 10);
        }
        for day in [chrono::NaiveDate::from_ymd_opt(year, 1, 1), chrono::NaiveDate::MAX.into(), chrono::NaiveDate::MIN.into()] {
            let _ = resolve_relative(&s, day);
        }
    }

    /// The shell's lexer: its tokens tile the input on character
    /// boundaries, and the statements it splits lie inside it.
    #[test]
    fn the_lexer_tiles_any_input(
        src in prop::collection::vec(
            prop_oneof![
                prop::sample::select(&["SELECT", "*", "{", "}", "(", ")", "[", "]", ";", "?s", "$o", "<http://e/x>", "<", ">", "\"", "'", "\"\"\"", "'''", "#", "\n", " ", "isn:Claim", "@ar", "^^", "1.5e3", "\\", "PREFIX", "INSERT DATA", "\u{200F}", "«قال»"][..]).prop_map(str::to_string),
                any::<String>(),
            ],
            0..60,
        ).prop_map(|v| v.concat()),
    ) {
        let toks = lexer::tokenize(&src);
        let mut at = 0;
        for t in &toks {
            prop_assert_eq!(t.start, at);
            prop_assert!(t.end > t.start && src.is_char_boundary(t.end));
            at = t.end;
        }
        prop_assert_eq!(at, src.len());
        let split = lexer::split(&src);
        prop_assert!(split.rest <= src.len() && src.is_char_boundary(split.rest));
        for r in &split.statements {
            prop_assert!(r.start <= r.end && r.end < split.rest.max(1));
            prop_assert!(src.is_char_boundary(r.start) && src.is_char_boundary(r.end));
        }
        let _ = (lexer::is_blank(&src), lexer::is_incomplete(&src), lexer::first_token_start(&src));
        let _ = (lexer::leading_keyword(&src), lexer::is_update(&src));
    }
}

proptest! {
    #![proptest_config(config(12))]

    /// The script runner (`isnad shell` reading a script): whatever the
    /// lines, it ends with 0 or 1 and a message, never a panic or a signal.
    #[test]
    fn the_script_runner_ends_cleanly(
        lines in prop::collection::vec(
            prop_oneof![
                prop::sample::select(&[
                    "SELECT * { ?s ?p ?o } LIMIT 2;",
                    "SELECT (COUNT(*) AS ?n) { ?s ?p ?o };",
                    "ASK { ?s a ?c };",
                    "SELECT * {",
                    "} ;",
                    "'unclosed ; string",
                    "\"\"\"long",
                    "# a comment ; with a semicolon",
                    "PREFIX ex: <http://example.org/>",
                    "INSERT DATA { <http://e/a> <http://e/b> \"ج\" };",
                    "SELECT ?x { VALUES ?x { 1 2 } } ORDER BY ?x;",
                    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1;",
                    "DESCRIBE <http://e/a>;",
                    ".format csv", ".format json", ".format turtle", ".format nope",
                    ".limit 3", ".limit x", ".bail off", ".bail on", ".timer on",
                    ".prefix ex: <http://example.org/>", ".prefixes", ".help", ".help format",
                    ".nope", ".read no-such-script.rq", ".wide", ".queries",
                    ";", ";;", "", "   ", "\u{200F}«قال» ;",
                ][..]).prop_map(str::to_string),
                "[ -~]{0,30}".prop_map(|s| s.replace('.', " ")),
            ],
            0..12,
        ),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let script = format!(".bail off\n{}\n", lines.join("\n"));
        let out = Command::cargo_bin("isnad")
            .unwrap()
            .current_dir(dir.path())
            .arg("--store")
            .arg(dir.path().join("store"))
            .env_remove("ISNAD_STORE")
            .env_remove("ISNAD_REFERENCE")
            .args(["shell", "-f", "-"])
            .write_stdin(script.clone())
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        prop_assert!(
            matches!(out.status.code(), Some(0 | 1)) && !stderr.contains("panicked"),
            "script {script:?} ended with {:?}: {stderr}",
            out.status
        );
    }
}
