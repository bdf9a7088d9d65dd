//! The data meets its own shapes: what `isnad ingest` writes passes
//! `isnad validate` against ontology/shapes.ttl with no violation, and a
//! graph that breaks them is reported, one line per violation, exit 1.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_isnad");

fn isnad(store: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--store")
        .arg(store)
        .env_remove("ISNAD_STORE")
        .env_remove("ISNAD_REFERENCE")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn show(o: &Output) -> String {
    format!("{}{}", text(&o.stdout), text(&o.stderr))
}

/// The Arabic string literals of the extraction tests: sentences chosen to
/// exercise every extractor (roles by date, counterparts, claims, events).
fn extraction_fixtures() -> Vec<String> {
    let src = include_str!("extraction.rs");
    let mut out = Vec::new();
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut s = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let Some(n) = chars.next() {
                        s.push(if n == 'n' { '\n' } else { n });
                    }
                }
                '"' => break,
                c => s.push(c),
            }
        }
        let arabic = s
            .chars()
            .filter(|c| ('\u{0600}'..='\u{06ff}').contains(c))
            .count();
        if arabic >= 20 && !s.contains("#[test]") {
            out.push(s);
        }
    }
    out
}

/// Articles written for this test: a dated claim chain, an event with a
/// place and a date, quotes of both kinds, an undated article.
const ARTICLES: &[(&str, Option<&str>)] = &[
    (
        "طهران - وكالات\n\nقال وزير الخارجية الإيراني حسين أمير عبد اللهيان، يوم الثلاثاء، إن بلاده ترفض أي تدخل أجنبي. وأضاف: «نحن جيران منذ زمن طويل». ونقلت وكالة رويترز عن مصدر أمني باكستاني قوله إن الضربات اقتصرت على مخابئ المسلحين.",
        Some("2024-01-17"),
    ),
    (
        "التقى الرئيس الأمريكي دونالد ترامب، اليوم الأربعاء في الرياض، الرئيس السوري أحمد الشرع. واتهم مكتب رئيس الوزراء الإسرائيلي حركة حماس بالتراجع عن أجزاء من التفاهمات. وقتل ثلاثة في انفجارات هزت قرية قرب مدينة سراوان الحدودية أمس.",
        Some("2025-05-14"),
    ),
    (
        "وأعلن حزب الله موقفه. وقال الأمين العام للحزب إن المقاومة انتصرت، فيما نفى الجيش الباكستاني أن تكون الضربة استهدفت مدنيين.",
        None,
    ),
];

#[test]
fn what_ingest_writes_meets_the_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let mut jsonl = String::new();
    let fixtures = extraction_fixtures();
    assert!(fixtures.len() >= 20, "{}", fixtures.len());
    for (i, body) in fixtures.iter().enumerate() {
        let r =
            serde_json::json!({"id": format!("fixture-{i}"), "date": "2024-01-17", "body": body});
        jsonl.push_str(&format!("{r}\n"));
    }
    for (i, (body, date)) in ARTICLES.iter().enumerate() {
        let mut r = serde_json::json!({"id": format!("written-{i}"), "title": "خبر", "body": body});
        if let Some(d) = date {
            r["date"] = serde_json::json!(d);
        }
        jsonl.push_str(&format!("{r}\n"));
    }
    let articles = dir.path().join("articles.jsonl");
    std::fs::write(&articles, jsonl).unwrap();
    let o = isnad(&store)
        .args(["ingest", "data/000_818cbd4057805db6.txt"])
        .arg(&articles)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", show(&o));

    let o = isnad(&store).arg("validate").output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert!(text(&o.stdout).is_empty(), "{}", show(&o));
    assert!(
        text(&o.stderr).contains(": 0 violations on 0 nodes"),
        "{}",
        show(&o)
    );

    // The store holds something the shapes look at.
    let o = isnad(&store)
        .args([
            "query",
            "--format",
            "tsv",
            "SELECT (COUNT(*) AS ?n) WHERE { ?m a isn:Mention } ",
        ])
        .output()
        .unwrap();
    let out = text(&o.stdout);
    let v = out.lines().nth(1).expect("one row");
    let n: u64 = v.split('"').nth(1).unwrap_or(v).parse().unwrap();
    assert!(n > 50, "{n} mentions");

    // The same data exported and checked as a file; and what `extract`
    // prints (offsets as xsd:nonNegativeInteger) too.
    let export = dir.path().join("all.trig");
    let o = isnad(&store)
        .args(["export", "--format", "trig", "-o"])
        .arg(&export)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", show(&o));
    let o = isnad(&store).arg("validate").arg(&export).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let extracted = dir.path().join("extracted.ttl");
    let o = isnad(&store)
        .args(["extract"])
        .arg(&articles)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", show(&o));
    assert!(text(&o.stdout).contains("^^xsd:nonNegativeInteger"));
    std::fs::write(&extracted, &o.stdout).unwrap();
    let o = isnad(&store)
        .arg("validate")
        .arg(&extracted)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
}

const BROKEN: &str = r#"
@prefix isn: <https://w3id.org/isnad/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix itsrdf: <http://www.w3.org/2005/11/its/rdf#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix art: <https://w3id.org/isnad/id/article/> .

art:broken a isn:Article ; schema:articleBody "نص" .
<https://w3id.org/isnad/id/article/broken#m1> a isn:Mention ;
  nif:anchorOf "نص" ;
  nif:beginIndex -3 ;
  nif:endIndex "2"^^xsd:string ;
  nif:referenceContext art:broken ;
  itsrdf:taIdentRef <https://w3id.org/isnad/id/country/IR> .
<https://w3id.org/isnad/id/article/broken#c1> a isn:Claim ;
  isn:text "شيء" ;
  isn:quoteKind isn:DirectQuote ;
  isn:statedIn art:broken .
<https://w3id.org/isnad/id/article/broken#e1> a isn:Event, isn:Meeting ;
  isn:reportedIn art:broken ;
  isn:cameoCode "A1" ;
  isn:trigger "التقى" .
"#;

#[test]
fn a_graph_that_breaks_the_shapes_is_reported_line_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let ttl = dir.path().join("broken.ttl");
    std::fs::write(&ttl, BROKEN).unwrap();
    let o = isnad(&store)
        .args([
            "load",
            "--graph",
            "https://w3id.org/isnad/id/article/broken",
        ])
        .arg(&ttl)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", show(&o));
    let o = isnad(&store).arg("validate").output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let out = text(&o.stdout);
    let line = |focus: &str, path: &str, component: &str| {
        out.lines().any(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            f.len() >= 4
                && f[0].trim_end_matches('>').ends_with(focus)
                && f[1] == path
                && f[2] == format!("sh:{component}ConstraintComponent")
        })
    };
    assert!(line("broken#m1", "nif:beginIndex", "MinInclusive"), "{out}");
    assert!(line("broken#m1", "nif:endIndex", "Or"), "{out}");
    assert!(line("broken#m1", "nif:beginIndex", "LessThan"), "{out}");
    assert!(line("broken#c1", "isn:speaker", "MinCount"), "{out}");
    assert!(line("broken#e1", "isn:cameoCode", "Pattern"), "{out}");
    assert_eq!(out.lines().count(), 6, "{out}");
    assert!(
        out.contains("A claim needs at least one isn:speaker"),
        "{out}"
    );
    assert!(
        text(&o.stderr).contains(": 6 violations on 3 nodes"),
        "{}",
        show(&o)
    );

    // The same file checked without a store.
    let o = Command::new(BIN)
        .arg("validate")
        .arg(&ttl)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(text(&o.stdout).lines().count(), 6, "{}", show(&o));
}

#[test]
fn shapes_it_cannot_read_are_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let shapes = dir.path().join("shapes.ttl");
    std::fs::write(
        &shapes,
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ; sh:equals <urn:q> ] .\n",
    )
    .unwrap();
    let data = dir.path().join("d.ttl");
    std::fs::write(&data, "<urn:a> <urn:b> <urn:c> .\n").unwrap();
    let o = Command::new(BIN)
        .arg("validate")
        .arg(&data)
        .arg("--shapes")
        .arg(&shapes)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("sh:equals") && err.contains("not supported"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}
