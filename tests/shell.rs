//! `isnad shell` as people use it: scripts (`-f`, piped standard input,
//! `.read`) with their exit codes and line numbers, and the interactive
//! shell driven through a pseudo-terminal (multi-line input, Tab, Ctrl-C,
//! tables, errors with a caret, history).

use assert_cmd::Command;
use rexpect::reader::Options;
use rexpect::session::{spawn_with_options, PtySession};
use std::path::PathBuf;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_isnad");

const DATA: &str = r#"
@prefix isn: <https://w3id.org/isnad/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix itsrdf: <http://www.w3.org/2005/11/its/rdf#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix country: <https://w3id.org/isnad/id/country/> .
@prefix article: <https://w3id.org/isnad/id/article/> .

country:IR a isn:Country, isn:Actor ;
  rdfs:label "إيران"@ar, "Iran"@en ;
  skos:altLabel "الجمهورية الإسلامية"@ar ;
  isn:countryCode "IR" ;
  isn:mentionedIn article:a1 .
country:QA a isn:Country, isn:Actor ;
  rdfs:label "قطر"@ar, "Qatar"@en ;
  isn:countryCode "QA" .
article:a1 a isn:Article ;
  schema:headline "إيران: المفاوضات مستمرة"@ar ;
  schema:datePublished "2024-01-02"^^xsd:date .
<https://w3id.org/isnad/id/article/a1#m1> a isn:Mention ;
  nif:anchorOf "إيران" ;
  nif:beginIndex "0"^^xsd:nonNegativeInteger ;
  nif:endIndex "5"^^xsd:nonNegativeInteger ;
  nif:referenceContext article:a1 ;
  itsrdf:taIdentRef country:IR .
<https://w3id.org/isnad/id/article/a1#c1> a isn:Claim ;
  isn:speaker country:IR ;
  isn:text "المفاوضات مستمرة" ;
  isn:quoteKind isn:DirectQuote ;
  isn:reportingVerb "قال" ;
  isn:statedIn article:a1 .
"#;

/// A temp dir with a store filled with [`DATA`], and a home for history.
struct Fixture {
    dir: TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let ttl = dir.path().join("data.ttl");
        std::fs::write(&ttl, DATA).unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        let f = Fixture { dir };
        f.cmd()
            .args(["load", "--graph", "https://w3id.org/isnad/id/article/a1"])
            .arg(&ttl)
            .assert()
            .success();
        f
    }

    fn store(&self) -> PathBuf {
        self.dir.path().join("db")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn env(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("HOME", self.dir.path().join("home")),
            ("XDG_DATA_HOME", self.dir.path().join("home/data")),
        ]
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new(BIN);
        c.arg("--store").arg(self.store());
        for (k, v) in self.env() {
            c.env(k, v);
        }
        c.env_remove("ISNAD_STORE");
        c
    }

    /// Runs a script file; (exit code, stdout, stderr).
    fn script(&self, text: &str) -> (i32, String, String) {
        let p = self.write("script.rq", text);
        let out = self
            .cmd()
            .args(["shell", "-f"])
            .arg(&p)
            .current_dir(self.dir.path())
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// The interactive shell in a pseudo-terminal.
    fn pty(&self) -> PtySession {
        self.pty_with_timeout(15_000)
    }

    /// The same, waiting at most `timeout_ms` for each expected output.
    fn pty_with_timeout(&self, timeout_ms: u64) -> PtySession {
        self.pty_with(timeout_ms, &[])
    }

    /// The same, with more arguments to `isnad shell`.
    fn pty_with(&self, timeout_ms: u64, args: &[&str]) -> PtySession {
        let mut c = std::process::Command::new(BIN);
        c.arg("--store").arg(self.store()).arg("shell").args(args);
        for (k, v) in self.env() {
            c.env(k, v);
        }
        c.env("TERM", "xterm")
            .env("NO_COLOR", "1")
            .env("PAGER", "cat")
            .env("COLUMNS", "120")
            .env("LINES", "60")
            .env_remove("ISNAD_STORE")
            .current_dir(self.dir.path());
        let options = Options::new()
            .timeout_ms(Some(timeout_ms))
            .strip_ansi_escape_codes(true);
        let mut p = spawn_with_options(c, options).unwrap();
        p.exp_string("db> ").unwrap();
        p
    }
}

/// rexpect reads the terminal byte by byte, one char per byte: what
/// non-ASCII text looks like to it.
fn raw(s: &str) -> String {
    s.bytes().map(char::from).collect()
}

/// Types text without Enter.
fn typed(p: &mut PtySession, s: &str) {
    p.send(s).unwrap();
    p.flush().unwrap();
}

fn quit(mut p: PtySession) {
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
    // A normal exit with status 0, also when a cancelled query still runs.
    let status = format!("{:?}", p.process().wait().unwrap());
    assert!(
        status.starts_with("Exited(") && status.ends_with(", 0)"),
        "{status}"
    );
}

// ----- scripts -------------------------------------------------------------

#[test]
fn script_runs_statements_and_a_trailing_one_without_semicolon() {
    let f = Fixture::new();
    let (code, out, err) = f.script(
        ".format csv\n\
         # countries, in order\n\
         SELECT ?code WHERE {\n  ?c isn:countryCode ?code .\n} ORDER BY ?code;\n\
         SELECT ?l WHERE { country:QA rdfs:label ?l FILTER(lang(?l) = \"en\") }\n",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "code\r\nIR\r\nQA\r\nl\r\nQatar\r\n", "{err}");
    assert!(!out.contains("> "), "no prompts in scripts: {out}");
}

#[test]
fn a_failing_statement_names_the_script_line_and_stops_with_1() {
    let f = Fixture::new();
    let (code, out, err) =
        f.script(".format csv\nASK { };\n\nSELECT ?x\nWHERE { ?x ?p };\nSELECT ?never WHERE {};\n");
    assert_eq!(code, 1);
    assert!(
        err.contains("script.rq:5: SPARQL syntax error at column"),
        "{err}"
    );
    assert!(
        err.contains("WHERE { ?x ?p }"),
        "the faulty line is shown: {err}"
    );
    assert!(err.contains('^'), "a caret points at the fault: {err}");
    assert!(out.contains("true"), "{out}");
    assert!(!out.contains("never"), "the script stopped: {out}");
}

#[test]
fn bail_off_continues_after_errors_but_still_fails() {
    let f = Fixture::new();
    let (code, out, err) = f.script(
        ".bail off\n.format csv\n.nope\nSELECT ?x { ?x ?p };\nSELECT ?code { country:IR isn:countryCode ?code };\n",
    );
    assert_eq!(code, 1, "a script with errors exits 1");
    assert!(err.contains("script.rq:3: unknown command .nope"), "{err}");
    assert!(err.contains("script.rq:4: SPARQL syntax error"), "{err}");
    assert!(out.contains("IR"), "kept going after the errors: {out}");
}

#[test]
fn evaluation_errors_name_the_statement_line() {
    let f = Fixture::new();
    let (code, _, err) =
        f.script("ASK {};\nSELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } };\n");
    assert_eq!(code, 1);
    assert!(err.contains("script.rq:2: query failed"), "{err}");
}

#[test]
fn a_script_on_standard_input_runs_the_same_language() {
    let f = Fixture::new();
    let out = f
        .cmd()
        .arg("shell")
        .write_stdin(".format tsv\nSELECT ?code { country:IR isn:countryCode ?code }")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "?code\n\"IR\"\n");

    let out = f
        .cmd()
        .arg("shell")
        .write_stdin("ASK {};\n\nASK { ?s ?p };\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("<stdin>:3: SPARQL syntax error"));
}

#[test]
fn semicolons_in_strings_iris_and_comments_do_not_end_statements() {
    let f = Fixture::new();
    let (code, out, err) = f.script(
        ".format csv\n\
         INSERT DATA { <http://ex.org/a#b;c> rdfs:label \"one; two\" ; # a comment; with a semicolon\n\
         rdfs:comment \"\"\"long;\ntext\"\"\" };\n\
         SELECT ?l { <http://ex.org/a#b;c> rdfs:label ?l };\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("one; two"), "{out}");
}

#[test]
fn load_update_export_and_read_run_from_a_script() {
    let f = Fixture::new();
    f.write(
        "more.ttl",
        "<http://ex.org/s> <http://ex.org/p> \"loaded\" .\n",
    );
    f.write(
        "inner.rq",
        ".format csv\nSELECT ?o { <http://ex.org/s> <http://ex.org/p> ?o };\nASK { ?s };\n",
    );
    let (code, out, err) = f.script(
        ".load more.ttl <http://ex.org/g>\n\
         INSERT DATA { GRAPH <http://ex.org/g> { <http://ex.org/s> <http://ex.org/p> \"inserted\" } };\n\
         .export out.nt <http://ex.org/g>\n\
         .read inner.rq\n\
         SELECT ?never {};\n",
    );
    assert_eq!(code, 1, "the nested script failed: {err}");
    assert!(err.contains("loaded 1 quad from more.ttl"), "{err}");
    assert!(err.contains("inner.rq:3: SPARQL syntax error"), "{err}");
    assert!(out.contains("loaded") && out.contains("inserted"), "{out}");
    assert!(!out.contains("never"));
    let nt = std::fs::read_to_string(f.path("out.nt")).unwrap();
    assert_eq!(nt.lines().count(), 2, "{nt}");
    assert!(nt.contains("\"inserted\""));
}

#[test]
fn prefixes_apply_to_queries_and_results() {
    let f = Fixture::new();
    let (code, out, err) = f.script(
        ".prefix ex: <http://ex.org/>\n\
         INSERT DATA { ex:a a isn:Claim ; ex:p country:IR };\n\
         SELECT ?s ?c ?o { ?s a ?c ; ex:p ?o };\n\
         .prefixes\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("│ ex:a │ isn:Claim │ country:IR │"), "{out}");
    assert!(out.contains("1 row"), "{out}");
    assert!(
        out.contains("ex:") && out.contains("<http://ex.org/>"),
        "{out}"
    );
    assert!(
        out.contains("isn:") && out.contains("<https://w3id.org/isnad/ontology#>"),
        "{out}"
    );
}

#[test]
fn tables_stay_aligned_with_arabic_text() {
    let f = Fixture::new();
    let (code, out, _) =
        f.script("SELECT ?c ?l { ?c isn:countryCode [] ; rdfs:label ?l } ORDER BY ?c ?l;\n");
    assert_eq!(code, 0);
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with(['│', '┌', '├', '└']))
        .collect();
    assert_eq!(lines.len(), 4 + 4, "{out}");
    let w = |l: &str| unicode_width(l);
    assert!(lines.iter().all(|l| w(l) == w(lines[0])), "{out}");
    assert!(out.contains("\u{2068}إيران\u{2069}"), "{out}");
    assert!(out.contains("4 rows"));
}

fn unicode_width(s: &str) -> usize {
    // Box drawing and Arabic letters are one column each; isolation marks none.
    s.chars()
        .filter(|c| !matches!(c, '\u{2068}' | '\u{2069}'))
        .count()
}

#[test]
fn construct_results_are_turtle_with_prefixes_and_ask_is_a_boolean() {
    let f = Fixture::new();
    let (code, out, err) = f.script(
        "CONSTRUCT { ?c a isn:Country } WHERE { ?c isn:countryCode \"IR\" };\nASK { country:QA a isn:Country };\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("@prefix isn:"), "{out}");
    assert!(out.contains("country:IR a isn:Country"), "{out}");
    assert!(out.trim_end().ends_with("true"), "{out}");
}

#[test]
fn the_default_limit_is_shown_when_it_applies() {
    let f = Fixture::new();
    let (code, out, _) = f.script(".limit 1\nSELECT ?c { ?c isn:countryCode [] };\nSELECT ?c { ?c isn:countryCode [] } LIMIT 5;\n");
    assert_eq!(code, 0);
    assert!(
        out.contains("1 row · stopped at the default LIMIT 1"),
        "{out}"
    );
    assert!(out.contains("2 rows\n"), "an explicit LIMIT wins: {out}");
}

#[test]
fn the_shell_always_exits_with_its_own_status_never_a_signal() {
    // Each query runs on a thread of its own; one still letting go of the
    // store while the process exited made RocksDB abort now and then (a
    // few runs in a hundred on a busy machine). Many short runs, side by
    // side, give that race its chances.
    let fixtures: Vec<Fixture> = (0..4).map(|_| Fixture::new()).collect();
    for _ in 0..10 {
        std::thread::scope(|s| {
            for f in &fixtures {
                s.spawn(|| {
                    let (code, _, err) =
                        f.script(".format csv\n.run claims_by_speaker country:IR\n");
                    assert_eq!(code, 0, "{err}");
                });
            }
        });
    }
}

#[test]
fn saved_queries_are_listed_and_run_with_arguments() {
    let f = Fixture::new();
    let (code, out, err) = f.script(".queries\n.format csv\n.run claims_by_speaker country:IR\n");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("claims_by_speaker") && out.contains("speaker"),
        "{out}"
    );
    assert!(out.contains("المفاوضات مستمرة"), "{out}");
    assert!(out.contains("DirectQuote"), "{out}");

    let (code, out, _) = f.script(".format csv\n.run claims_by_speaker country:QA\n");
    assert_eq!(code, 0);
    assert!(
        !out.contains("المفاوضات"),
        "the argument binds the speaker: {out}"
    );

    // The second argument is the day of publication: the page.
    let (code, out, err) = f.script(".format csv\n.run claims_by_speaker country:IR 2024-01-02\n");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("المفاوضات مستمرة"), "{out}");
    let (code, out, _) = f.script(".format csv\n.run claims_by_speaker country:IR 2024-01-03\n");
    assert_eq!(code, 0);
    assert!(!out.contains("المفاوضات"), "the day binds the page: {out}");

    let (code, _, err) = f.script(".run claims_by_speaker a b c\n");
    assert_eq!(code, 1);
    assert!(
        err.contains("script.rq:1: claims_by_speaker takes 2 arguments"),
        "{err}"
    );
}

#[test]
fn describe_shows_a_card_with_labels_types_links_and_mentions() {
    let f = Fixture::new();
    let (code, out, err) = f.script(".describe country:IR\n.describe قطر\n");
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("country:IR  إيران"), "{out}");
    assert!(
        out.contains("Iran @en") && out.contains("الجمهورية الإسلامية"),
        "{out}"
    );
    assert!(out.contains("isn:Country"), "{out}");
    assert!(out.contains("isn:countryCode"), "{out}");
    assert!(out.contains("isn:speaker"), "links in: {out}");
    assert!(
        out.contains("mentions (1)") && out.contains("0..5") && out.contains("article:a1"),
        "{out}"
    );
    assert!(out.contains("country:QA  قطر"), "by label: {out}");
}

#[test]
fn listings_and_output_redirection() {
    let f = Fixture::new();
    let (code, out, err) =
        f.script(".output listing.txt\n.graphs\n.classes\n.properties\n.stats\n.output\n.help\n");
    assert_eq!(code, 0, "{err}");
    let listing = std::fs::read_to_string(f.path("listing.txt")).unwrap();
    assert!(listing.contains("article:a1"), "{listing}");
    assert!(listing.contains("isn:Country"), "{listing}");
    assert!(listing.contains("isn:countryCode"), "{listing}");
    assert!(listing.contains("articles"), "{listing}");
    assert!(
        out.contains(".describe TERM…") && out.contains(".bail on|off"),
        "{out}"
    );
    assert!(
        !out.contains("isn:Country"),
        "listings went to the file: {out}"
    );
}

// ----- the interactive shell -----------------------------------------------

#[test]
fn interactive_multi_line_query_shows_a_table() {
    let f = Fixture::new();
    let mut p = f.pty();
    p.send_line("SELECT ?code").unwrap();
    p.exp_string("...> ").unwrap();
    p.send_line("WHERE { ?c isn:countryCode ?code }").unwrap();
    p.exp_string("...> ").unwrap();
    p.send_line("ORDER BY ?code;").unwrap();
    p.exp_string(&raw("│ code │")).unwrap();
    p.exp_string(&raw("│ QA   │")).unwrap();
    p.exp_regex(r"2 rows \([0-9.]+ ms\)").unwrap();
    p.exp_string("db> ").unwrap();
    quit(p);
}

#[test]
fn tab_completes_prefixed_terms_keywords_and_commands() {
    let f = Fixture::new();
    let mut p = f.pty();
    typed(&mut p, "SELECT * { ?s a isn:Cla");
    typed(&mut p, "\t");
    p.exp_string("isn:Claim").unwrap();
    typed(&mut p, " } LIM\t");
    p.exp_string("LIMIT").unwrap();
    p.send_line(" 1;").unwrap();
    p.exp_string("1 row").unwrap();
    p.exp_string("db> ").unwrap();
    typed(&mut p, ".forma\t");
    p.exp_string(".format").unwrap();
    typed(&mut p, "c\t");
    p.exp_string("csv").unwrap();
    p.send_line("").unwrap();
    p.exp_string("db> ").unwrap();
    quit(p);
}

#[test]
fn ctrl_c_clears_input_and_cancels_a_query_and_the_shell_lives_on() {
    let f = Fixture::new();
    let mut p = f.pty_with_timeout(3_000);
    // Ctrl-C on a half-typed statement clears it.
    p.send_line("SELECT ?x").unwrap();
    p.exp_string("...> ").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("db> ").unwrap();
    // A query that would run for ages.
    p.send_line(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o };",
    )
    .unwrap();
    // Press Ctrl-C until the shell says the query was cancelled: a press that
    // arrives before the query starts only clears an empty line.
    let mut cancelled = false;
    for _ in 0..10 {
        p.send_control('c').unwrap();
        if p.exp_string("query cancelled").is_ok() {
            cancelled = true;
            break;
        }
    }
    assert!(cancelled);
    p.exp_string("db> ").unwrap();
    p.send_line("ASK { country:IR a isn:Country };").unwrap();
    p.exp_string("true").unwrap();
    quit(p);
}

#[test]
fn errors_point_at_the_fault_and_the_statement_stays_in_history() {
    let f = Fixture::new();
    let mut p = f.pty();
    p.send_line("SELECT ?x WHERE { ?x ?p };").unwrap();
    p.exp_string("error: SPARQL syntax error at line 1, column")
        .unwrap();
    p.exp_string("^").unwrap();
    p.exp_string("db> ").unwrap();
    // Up arrow brings the statement back for editing.
    typed(&mut p, "\x1b[A");
    p.exp_string("SELECT ?x WHERE { ?x ?p };").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("db> ").unwrap();
    quit(p);
    let history = std::fs::read_to_string(f.path("home/data/isnad/history")).unwrap();
    assert!(history.contains("SELECT ?x WHERE { ?x ?p };"), "{history}");
    assert!(history.contains(".quit"), "{history}");
}

#[test]
fn at_a_terminal_the_store_is_read_into_memory_in_the_background() {
    let f = Fixture::new();
    let mut p = f.pty();
    // A small store is read at once; `.warm` tells what was read.
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send_line(".warm").unwrap();
    p.exp_string("warmed in the background: read ").unwrap();
    p.exp_string("file(s) in ").unwrap();
    p.exp_string("db> ").unwrap();
    quit(p);
    // Left off, `.warm` reads the files there and then.
    let mut p = f.pty_with(15_000, &["--no-warm"]);
    p.send_line(".warm").unwrap();
    p.exp_string("warmed: read ").unwrap();
    p.exp_string("db> ").unwrap();
    quit(p);
    // So does a script.
    let (code, _, err) = f.script(".warm\n");
    assert_eq!(code, 0, "{err}");
    assert!(err.starts_with("warmed: read "), "{err}");
}

#[test]
fn ctrl_d_leaves_with_status_0() {
    let f = Fixture::new();
    let mut p = f.pty();
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
    let status = p.process_mut().wait().unwrap();
    assert!(
        matches!(status, rexpect::process::WaitStatus::Exited(_, 0)),
        "{status:?}"
    );
}
