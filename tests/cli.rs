//! The command line as users meet it: real binary, real files, temp stores.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const SEED: &str = "data/000_818cbd4057805db6.txt";

/// A temp dir with a store path, and a command factory bound to it.
struct Env {
    dir: TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn store(&self) -> PathBuf {
        self.dir.path().join("store")
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p
    }
    fn isnad(&self) -> Command {
        let mut c = Command::cargo_bin("isnad").unwrap();
        c.arg("--store")
            .arg(self.store())
            .env_remove("ISNAD_STORE")
            .env_remove("ISNAD_REFERENCE");
        c
    }
    fn ingest(&self, paths: &[&Path]) -> assert_cmd::assert::Assert {
        self.isnad().arg("ingest").args(paths).assert()
    }
    /// One SELECT's rows as TSV lines (header dropped).
    fn select(&self, q: &str) -> Vec<String> {
        let out = self
            .isnad()
            .args(["query", "--format", "tsv", q])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .skip(1)
            .map(String::from)
            .collect()
    }
    fn count(&self, q: &str) -> u64 {
        let rows = self.select(q);
        let v = rows.first().expect("one row");
        v.split('"').nth(1).unwrap_or(v).parse().unwrap()
    }
    fn quads(&self) -> u64 {
        // Article data: the ontology, and the summary and stories derived
        // from the articles, are left out.
        self.count("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g NOT IN (<https://w3id.org/isnad/ontology>, <https://w3id.org/isnad/summary>, <https://w3id.org/isnad/stories>)) }")
    }
}

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED)
}

mod article_reading {
    use super::*;

    #[test]
    fn the_seed_keeps_its_metadata_and_exactly_its_paragraphs() {
        let env = Env::new();
        env.ingest(&[&seed()]).success();
        let rows = env.select(
            "SELECT ?t ?d ?s ?body WHERE { ?a a isn:Article ; schema:headline ?t ; schema:datePublished ?d ; schema:articleSection ?s ; schema:articleBody ?body }",
        );
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert!(row.contains("إيران وباكستان: علاقاتنا أخوية ونتعاون ضدّ الإرهاب"));
        assert!(row.contains("\"2024-01-19\"^^<http://www.w3.org/2001/XMLSchema#date>"));
        assert!(row.contains("الخليج والعالم"));
        let body = row.split('\t').nth(3).unwrap();
        assert!(body.starts_with("\"أكَّد وزير الخارجية الإيراني"), "{body}");
        assert!(
            body.trim_end_matches('"')
                .ends_with("لزيارة رسمية إلى إسلام آباد."),
            "{body}"
        );
        assert!(!body.contains("إقرأ المزيد"));
        assert!(!body.contains("معركة أولي البأس"));
    }

    #[test]
    fn every_date_form_is_read() {
        let env = Env::new();
        let forms = [
            (
                "a.txt",
                "الخليج\n\nعنوان أ\n19/01/2024\n\nنص أول.",
                "2024-01-19",
            ),
            ("b.txt", "عنوان ب\n2024-01-18\n\nنص ثان.", "2024-01-18"),
            ("c.txt", "عنوان ج\n22 أبريل 2024\n\nنص ثالث.", "2024-04-22"),
            (
                "d.txt",
                "عنوان د\nالخميس 03 تشرين الأول 2024\n\nنص رابع.",
                "2024-10-03",
            ),
            (
                "e.txt",
                "عنوان هـ\nالأربعاء، 7 مايو 2025\n\nنص خامس.",
                "2025-05-07",
            ),
        ];
        for (name, text, _) in forms {
            env.write(&format!("in/{name}"), text);
        }
        env.ingest(&[&env.path("in")]).success();
        let dates = env.select("SELECT ?d WHERE { ?a schema:datePublished ?d } ORDER BY ?d");
        let got: Vec<&str> = dates.iter().map(|d| &d[1..11]).collect();
        let mut want: Vec<&str> = forms.iter().map(|f| f.2).collect();
        want.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn encodings_utf8_bom_utf16_and_windows_1256_are_decoded() {
        let env = Env::new();
        let text = "عنوان الخبر\n19/01/2024\n\nأكد وزير الخارجية أن العلاقات جيدة.";
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        env.write("in/bom.txt", bom);
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        env.write("in/utf16.txt", &le);
        let other = text.replace("عنوان الخبر", "عنوان آخر");
        let (cp, _, _) = encoding_rs::WINDOWS_1256.encode(&other);
        env.write("in/cp1256.txt", cp.as_ref());
        env.ingest(&[&env.path("in")]).success();
        let titles = env.select("SELECT ?t WHERE { ?a schema:headline ?t } ORDER BY ?t");
        assert_eq!(
            titles.len(),
            2,
            "BOM and UTF-16 copies are the same article: {titles:?}"
        );
        assert!(titles.iter().any(|t| t.contains("عنوان آخر")));
    }

    #[test]
    fn an_unknown_encoding_is_a_clear_error_naming_the_file() {
        let env = Env::new();
        let bad = env.write("bad.txt", [0x00u8, 0xff, 0x00, 0x81, 0x9f, 0x00]);
        env.ingest(&[&bad]).code(1).stderr(
            predicate::str::contains("bad.txt")
                .and(predicate::str::contains("encoding").or(predicate::str::contains("binary"))),
        );
    }

    #[test]
    fn json_and_json_lines_with_optional_fields() {
        let env = Env::new();
        env.write(
            "one.json",
            r#"{"id": "x-1", "title": "عنوان", "date": "2024-01-12", "source": "موقع", "section": "اليمن", "body": "قال المتحدث إن الوضع هادئ."}"#,
        );
        env.write(
            "many.jsonl",
            "{\"url\": \"https://example.org/a\", \"body\": \"نص أ.\"}\n{\"body\": \"نص ب.\", \"date\": \"not a date\"}\n",
        );
        env.isnad()
            .arg("ingest")
            .arg(env.path("one.json"))
            .arg(env.path("many.jsonl"))
            .assert()
            .success()
            .stderr(
                predicate::str::contains("many.jsonl:2")
                    .and(predicate::str::contains("unrecognised date")),
            );
        assert_eq!(
            env.count("SELECT (COUNT(?a) AS ?n) WHERE { ?a a isn:Article }"),
            3
        );
        assert_eq!(
            env.count("SELECT (COUNT(?a) AS ?n) WHERE { ?a schema:publisher \"موقع\" }"),
            1
        );
        assert_eq!(
            env.count("SELECT (COUNT(?a) AS ?n) WHERE { ?a schema:url <https://example.org/a> }"),
            1
        );
    }

    #[test]
    fn standard_input_is_read_with_a_dash() {
        let env = Env::new();
        env.isnad()
            .args(["ingest", "-"])
            .write_stdin("{\"body\": \"نص من المدخل القياسي.\"}\n")
            .assert()
            .success();
        assert_eq!(
            env.count("SELECT (COUNT(?a) AS ?n) WHERE { ?a a isn:Article }"),
            1
        );
    }
}

mod failures {
    use super::*;

    #[test]
    fn a_broken_record_loses_only_itself_and_is_named_with_its_line() {
        let env = Env::new();
        let mut lines = String::new();
        for i in 0..5 {
            lines.push_str(&format!("{{\"id\": \"{i}\", \"body\": \"نص رقم {i}.\"}}\n"));
        }
        lines.push_str("{\"id\": \"broken\", \"body\": \n");
        lines.push_str("{\"id\": \"nobody\"}\n");
        let f = env.write("dump.jsonl", lines);
        env.write("dir/good.txt", "عنوان\n19/01/2024\n\nنص جيد.");
        env.write("dir/bad.json", "{ not json");
        env.isnad()
            .arg("ingest")
            .arg(&f)
            .arg(env.path("dir"))
            .assert()
            .code(1)
            .stderr(
                predicate::str::contains("dump.jsonl:6")
                    .and(predicate::str::contains("dump.jsonl:7"))
                    .and(predicate::str::contains("bad.json"))
                    .and(predicate::str::contains("loaded 6 articles"))
                    .and(predicate::str::contains("3 failed")),
            );
        assert_eq!(
            env.count("SELECT (COUNT(?a) AS ?n) WHERE { ?a a isn:Article }"),
            6
        );
    }

    #[test]
    fn broken_sparql_names_line_and_column() {
        let env = Env::new();
        env.ingest(&[&seed()]).success();
        env.isnad()
            .args([
                "query",
                "SELECT ?x WHERE {\n  ?x a isn:Claim \n  FILTER(?x = ) }",
            ])
            .assert()
            .code(1)
            .stderr(
                predicate::str::contains("line 3")
                    .and(predicate::str::contains("column"))
                    .and(predicate::str::contains("^")),
            );
    }

    #[test]
    fn missing_files_unknown_formats_and_usage_errors() {
        let env = Env::new();
        env.isnad()
            .args(["query", "SELECT * WHERE { ?s ?p ?o }"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("no store"));
        env.isnad()
            .args(["ingest", "/no/such/file.txt"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("/no/such/file.txt"));
        let x = env.write("data.xyz", "x");
        env.isnad()
            .arg("load")
            .arg(&x)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("unknown RDF format"));
        env.isnad().arg("frobnicate").assert().code(2);
        env.isnad().args(["query"]).assert().code(2);
    }

    #[test]
    fn a_store_in_use_by_another_process_is_a_clear_error() {
        let env = Env::new();
        env.ingest(&[&seed()]).success();
        // Hold the store open: an ingest waiting on a standard input that
        // stays open. A probe may win the race for the lock while the holder
        // starts, so a holder that lost it is started again.
        let spawn = || {
            std::process::Command::new(env!("CARGO_BIN_EXE_isnad"))
                .arg("--store")
                .arg(env.store())
                .args(["ingest", "-"])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        };
        let mut holder = spawn();
        let mut locked = false;
        for _ in 0..60 {
            std::thread::sleep(std::time::Duration::from_millis(250));
            if holder.try_wait().unwrap().is_some() {
                holder = spawn();
                continue;
            }
            // A writer: readers open a held store read-only instead.
            let out = env
                .isnad()
                .args(["update", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"])
                .output()
                .unwrap();
            if !out.status.success() {
                let err = String::from_utf8_lossy(&out.stderr).to_string();
                assert!(err.contains("in use by another isnad process"), "{err}");
                assert_eq!(out.status.code(), Some(1));
                locked = true;
                break;
            }
        }
        holder.kill().ok();
        holder.wait().ok();
        assert!(locked, "the second process never saw the lock");
    }

    #[test]
    fn a_folder_that_is_not_a_store_is_refused() {
        let env = Env::new();
        let d = env.path("notastore");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("file"), "x").unwrap();
        Command::cargo_bin("isnad")
            .unwrap()
            .arg("--store")
            .arg(&d)
            .args(["query", "ASK {}"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("not an isnad store"));
    }
}

mod store_commands {
    use super::*;

    #[test]
    fn warm_reads_every_data_file_even_while_the_store_is_in_use() {
        let env = Env::new();
        env.ingest(&[&seed()]).success();
        let sst: u64 = std::fs::read_dir(env.store())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "sst"))
            .map(|p| std::fs::metadata(p).unwrap().len())
            .sum();
        assert!(sst > 0, "an ingested store has data files");
        // Warming reads files and takes no lock: the store stays open here.
        let held = isnad::store::Store::open(&env.store(), false).unwrap();
        let out = env.isnad().arg("warm").output().unwrap();
        drop(held);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(
            err.starts_with("warmed ") && err.contains(" file(s) in "),
            "{err}"
        );
        assert!(!err.contains("stopped"), "all of it is read: {err}");

        let out = env
            .isnad()
            .args(["warm", "--max-mb", "0"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(
            err.contains("read 0 B of") && err.contains("stopped at the --max-mb limit"),
            "{err}"
        );

        env.isnad()
            .args(["warm", "--quiet"])
            .assert()
            .success()
            .stderr("");
    }

    #[cfg(unix)]
    #[test]
    fn an_export_stopped_by_ctrl_c_leaves_no_hidden_file_behind() {
        use std::os::unix::process::ExitStatusExt;
        let env = Env::new();
        let text = std::fs::read_to_string(seed()).unwrap();
        for i in 0..150 {
            env.write(
                &format!("corpus/a{i:03}.txt"),
                format!("{text}\n\nفقرة {i}\n"),
            );
        }
        env.ingest(&[&env.path("corpus")]).success();
        let out = env.path("exports/all.ttl");
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        let hidden = || {
            std::fs::read_dir(env.path("exports"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".all.ttl."))
                .count()
        };
        // Ctrl-C once the hidden file exists; an export that wins the race
        // and finishes first is tried again.
        let mut caught = 0;
        for _ in 0..20 {
            let _ = std::fs::remove_file(&out);
            let mut export = std::process::Command::new(env!("CARGO_BIN_EXE_isnad"))
                .arg("--store")
                .arg(env.store())
                .args(["export", "--format", "turtle", "-o"])
                .arg(&out)
                .spawn()
                .unwrap();
            let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
            while hidden() == 0 && export.try_wait().unwrap().is_none() {
                assert!(std::time::Instant::now() < until, "no hidden file appeared");
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
            if export.try_wait().unwrap().is_none() {
                // SAFETY: a signal to a child of this test.
                unsafe { libc::kill(export.id() as libc::pid_t, libc::SIGINT) };
            }
            let status = export.wait().unwrap();
            if status.signal() == Some(libc::SIGINT) {
                caught += 1;
                assert_eq!(hidden(), 0, "the hidden file is removed");
                assert!(!out.exists(), "no half-written export");
                if caught == 3 {
                    break;
                }
            } else {
                assert!(status.success(), "{status:?}");
                assert_eq!(hidden(), 0);
            }
        }
        assert!(caught > 0, "never interrupted an export midway");
    }

    #[test]
    fn warm_without_a_store_says_so() {
        let env = Env::new();
        env.isnad()
            .arg("warm")
            .assert()
            .code(1)
            .stderr(predicate::str::contains("no store at"));
        std::fs::create_dir_all(env.store()).unwrap();
        env.isnad()
            .arg("warm")
            .assert()
            .code(1)
            .stderr(predicate::str::contains("is not an isnad store"));
    }

    #[test]
    fn re_ingesting_replaces_and_never_duplicates() {
        let env = Env::new();
        env.ingest(&[&seed()]).success();
        let first = env.quads();
        assert!(first > 100);
        env.ingest(&[&seed()]).success();
        assert_eq!(env.quads(), first);
        assert_eq!(
            env.count("SELECT (COUNT(?a) AS ?n) WHERE { ?a a isn:Article }"),
            1
        );
    }

    #[test]
    fn export_then_load_round_trips_in_every_format() {
        let env = Env::new();
        env.ingest(&[&seed()]).success();
        let total = env.quads();
        for (fmt, ext) in [("trig", "trig"), ("nquads", "nq")] {
            let out = env.path(&format!("dump.{ext}"));
            env.isnad()
                .args(["export", "--format", fmt, "-o"])
                .arg(&out)
                .assert()
                .success();
            let other = Env::new();
            other.isnad().arg("load").arg(&out).assert().success();
            assert_eq!(other.quads(), total, "{fmt}");
        }
        // Triples-only formats: one graph in, one graph out.
        let g = env.select("SELECT ?g WHERE { GRAPH ?g { ?a a isn:Article } }")[0]
            .trim_matches(|c| c == '<' || c == '>')
            .to_string();
        let in_graph = env.count(&format!(
            "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"
        ));
        for (fmt, ext) in [("turtle", "ttl"), ("ntriples", "nt")] {
            let out = env.path(&format!("one.{ext}"));
            env.isnad()
                .args(["export", "--format", fmt, "--graph", &g, "-o"])
                .arg(&out)
                .assert()
                .success();
            let other = Env::new();
            other
                .isnad()
                .args(["load", "--graph", &g])
                .arg(&out)
                .assert()
                .success();
            assert_eq!(other.quads(), in_graph, "{fmt}");
        }
    }

    #[test]
    fn turtle_export_declares_only_used_prefixes_and_is_stable() {
        let env = Env::new();
        env.ingest(&[&seed()]).success();
        let a = env.isnad().args(["export"]).output().unwrap().stdout;
        let b = env.isnad().args(["export"]).output().unwrap().stdout;
        assert_eq!(a, b);
        let text = String::from_utf8(a).unwrap();
        assert!(text.contains("@prefix isn: <https://w3id.org/isnad/ontology#> ."));
        assert!(!text.contains("@prefix owl:"), "unused prefix declared");
    }

    #[test]
    fn trig_of_the_whole_store_is_written_graph_by_graph_with_its_prefixes_first() {
        let env = Env::new();
        env.ingest(&[&seed()]).success();
        let ttl = env.write(
            "extra.ttl",
            "<http://example.org/a> <http://example.org/b> \"c\" .\n",
        );
        env.isnad().arg("load").arg(&ttl).assert().success();
        let out = env.path("out/all.trig");
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        env.isnad()
            .args(["export", "--format", "trig", "-o"])
            .arg(&out)
            .assert()
            .success();
        let text = std::fs::read_to_string(&out).unwrap();
        // Prefixes before any graph, only those used; the default graph's
        // triple first, then each graph in its own block.
        let first_block = text.find(" {\n").unwrap();
        assert!(text[..first_block].contains("@prefix isn: <https://w3id.org/isnad/ontology#> ."));
        assert!(!text.contains("@prefix owl:"), "unused prefix declared");
        let default = text
            .find("<http://example.org/a> <http://example.org/b> \"c\" .")
            .unwrap();
        assert!(default < first_block, "{text}");
        // Nothing is left beside the output.
        let left: Vec<_> = std::fs::read_dir(out.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["all.trig"]);
        // The same text on standard output.
        let piped = env
            .isnad()
            .args(["export", "--format", "trig"])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8(piped.stdout).unwrap(), text);
    }

    #[test]
    fn query_result_formats() {
        let env = Env::new();
        env.ingest(&[&seed()]).success();
        let q = "SELECT ?t WHERE { ?a schema:headline ?t }";
        for (fmt, needle) in [
            ("json", "\"bindings\""),
            ("xml", "<sparql"),
            ("csv", "t\r\n"),
            ("tsv", "?t"),
            ("table", "1 row"),
        ] {
            env.isnad()
                .args(["query", "--format", fmt, q])
                .assert()
                .success()
                .stdout(predicate::str::contains(needle));
        }
        env.isnad()
            .args([
                "query",
                "CONSTRUCT { ?a a isn:Article } WHERE { ?a a isn:Article }",
            ])
            .assert()
            .success()
            .stdout(predicate::str::contains("a isn:Article"));
        env.isnad()
            .args([
                "query",
                "--format",
                "ntriples",
                "CONSTRUCT { ?a a isn:Article } WHERE { ?a a isn:Article }",
            ])
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "<https://w3id.org/isnad/ontology#Article> .",
            ));
    }

    #[test]
    fn update_and_stats() {
        let env = Env::new();
        env.ingest(&[&seed()]).success();
        env.isnad()
            .args(["update", "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> rdfs:label \"x\" } }"])
            .assert()
            .success();
        assert_eq!(
            env.count(
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/g> { ?s ?p ?o } }"
            ),
            1
        );
        env.isnad().arg("stats").assert().success().stdout(
            predicate::str::contains("articles  1").and(predicate::str::contains("Country")),
        );
    }

    #[test]
    fn optimize_compacts_the_store_and_keeps_every_quad() {
        let env = Env::new();
        env.ingest(&[&seed()]).success();
        let before = env.quads();
        env.isnad()
            .arg("optimize")
            .assert()
            .success()
            .stderr(predicate::str::contains("optimized"));
        assert_eq!(env.quads(), before);
        // Not a store yet: refused, nothing created.
        let other = env.path("nothing-here");
        Command::cargo_bin("isnad")
            .unwrap()
            .arg("--store")
            .arg(&other)
            .arg("optimize")
            .assert()
            .failure();
        assert!(!other.exists());
    }

    #[test]
    fn long_work_shows_progress_on_a_terminal_and_never_in_a_pipe() {
        use rexpect::reader::Options;
        use rexpect::session::spawn_with_options;
        let env = Env::new();
        let text = std::fs::read_to_string(seed()).unwrap();
        for i in 0..40 {
            env.write(&format!("corpus/a{i:02}.txt"), &text);
        }
        let terminal = |args: &[&str]| {
            let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_isnad"));
            c.arg("--store").arg(env.store()).args(args);
            c.env_remove("ISNAD_STORE").env_remove("ISNAD_REFERENCE");
            let opts = Options::new()
                .timeout_ms(Some(60_000))
                .strip_ansi_escape_codes(true);
            let mut p = spawn_with_options(c, opts).unwrap();
            p.exp_eof().unwrap()
        };
        // The number of articles is known beforehand: a bar, a rate, the time left.
        let shown = terminal(&["ingest", env.path("corpus").to_str().unwrap()]);
        assert!(shown.contains("/40 articles"), "{shown}");
        assert!(shown.contains("left"), "{shown}");
        // An export to a file counts its quads.
        let out = env.path("all.nq");
        let shown = terminal(&["export", "--format", "nquads", "-o", out.to_str().unwrap()]);
        assert!(shown.contains("quads"), "{shown}");
        // In a pipe: the outcome only.
        env.isnad()
            .args(["ingest"])
            .arg(env.path("corpus"))
            .assert()
            .success()
            .stderr(predicate::str::contains("articles").count(1))
            .stderr(predicate::str::contains("left").not());
    }

    #[test]
    fn the_ontology_is_in_the_store_and_queryable() {
        let env = Env::new();
        env.ingest(&[&seed()]).success();
        let labels =
            env.select("SELECT ?l WHERE { isn:PhoneCall rdfs:label ?l FILTER(lang(?l) = \"ar\") }");
        assert_eq!(labels.len(), 1);
    }

    #[test]
    fn extract_prints_turtle_without_a_store() {
        let env = Env::new();
        env.isnad()
            .arg("extract")
            .arg(seed())
            .assert()
            .success()
            .stdout(
                predicate::str::contains("a isn:Article")
                    .and(predicate::str::contains("isn:Claim")),
            );
        assert!(!env.store().exists());
        env.isnad()
            .args(["extract", "--format", "nquads"])
            .arg(seed().parent().unwrap())
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "<https://w3id.org/isnad/ontology#Mention>",
            ));
    }
}

mod saved_queries {
    use super::*;

    fn entity_mentions(env: &Env) -> String {
        let q = Path::new(env!("CARGO_MANIFEST_DIR")).join("ontology/queries/entity_mentions.rq");
        let out = env
            .isnad()
            .args(["query", "--format", "tsv", "-f"])
            .arg(q)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn counts_survive_export_and_load_and_follow_updates() {
        let env = Env::new();
        env.ingest(&[&seed()]).success();
        let counts = entity_mentions(&env);
        assert!(counts.contains("country/IR"), "{counts}");
        let dump = env.path("dump.nq");
        env.isnad()
            .args(["export", "--format", "nquads", "-o"])
            .arg(&dump)
            .assert()
            .success();
        let other = Env::new();
        other.isnad().arg("load").arg(&dump).assert().success();
        assert_eq!(entity_mentions(&other), counts, "counted again after load");

        other
            .isnad()
            .args([
                "update",
                "DELETE WHERE { GRAPH ?g { ?m itsrdf:taIdentRef country:IR } }",
            ])
            .assert()
            .success();
        let after = entity_mentions(&other);
        assert!(!after.contains("country/IR>"), "{after}");
        assert!(after.contains("country/PK>"), "{after}");
    }

    #[test]
    fn saved_listings_follow_speaker_date_and_the_text_of_each_article() {
        let env = Env::new();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        env.ingest(&[&root.join("data")]).success();
        let out = env
            .isnad()
            .args(["query", "--format", "tsv", "-f"])
            .arg(root.join("ontology/queries/claims_by_speaker.rq"))
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        // (speaker label, date, article, claim number), in output order.
        let keys: Vec<(String, String, String, u32)> = text
            .lines()
            .skip(1)
            .map(|row| {
                let f: Vec<&str> = row.split('\t').collect();
                let claim = f[7].trim_matches(['<', '>']);
                let (article, n) = claim.rsplit_once("/claim/").unwrap();
                (
                    f[1].to_string(),
                    f[5].to_string(),
                    article.to_string(),
                    n.parse().unwrap(),
                )
            })
            .collect();
        assert!(keys.len() > 5, "{text}");
        assert!(
            keys.windows(2).all(|w| w[0] <= w[1]),
            "ordered by speaker, date, article, then place: {text}"
        );
        // claim/10 comes after claim/9: the place in the text, not the IRI's spelling.
        let numbers: Vec<u32> = keys.iter().map(|k| k.3).collect();
        assert!(numbers.iter().any(|n| *n >= 10), "{numbers:?}");
    }

    #[test]
    fn every_saved_analyst_query_runs_and_returns_rows_on_the_sample_data() {
        let env = Env::new();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        env.ingest(&[&root.join("data")]).success();
        let mut queries: Vec<PathBuf> = std::fs::read_dir(root.join("ontology/queries"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "rq"))
            .collect();
        queries.sort();
        assert!(queries.len() >= 4, "{queries:?}");
        for q in queries {
            let out = env
                .isnad()
                .args(["query", "--format", "tsv", "-f"])
                .arg(&q)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}: {}",
                q.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            let rows = String::from_utf8(out.stdout)
                .unwrap()
                .lines()
                .count()
                .saturating_sub(1);
            // A story needs two articles: tests/stories.rs runs those.
            let needs_two = ["stories.rq", "story.rq"]
                .iter()
                .any(|n| q.file_name().is_some_and(|f| f == *n));
            assert!(rows > 0 || needs_two, "{} returned no rows", q.display());
        }
    }
}
