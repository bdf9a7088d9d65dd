//! The store under abuse, as users meet it through the real binary: readers
//! beside a running ingest, queries that must end, a disk that fills, a
//! folder that cannot be written, files that are damaged. Each ends in one
//! clear line and exit 1, never a panic and never a silent empty answer.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_isnad");
const SEED: &str = "data/000_818cbd4057805db6.txt";

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED)
}

/// `isnad --store STORE ARGS…` with a clean environment.
fn isnad(store: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--store")
        .arg(store)
        .env_remove("ISNAD_STORE")
        .env_remove("ISNAD_REFERENCE");
    c
}

fn run(store: &Path, args: &[&str]) -> Output {
    isnad(store).args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The one number a counting SELECT prints (TSV).
fn count(store: &Path, q: &str) -> u64 {
    let o = run(store, &["query", "--format", "tsv", q]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let v = out.lines().nth(1).expect("one row");
    v.split('"').nth(1).unwrap_or(v).parse().unwrap()
}

const ARTICLES: &str = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a isn:Article }";

/// `n` articles as JSON Lines: the seed article's body under `n` ids, each
/// with a line of its own so that no two are the same.
fn corpus(dir: &Path, name: &str, n: usize) -> PathBuf {
    let body = std::fs::read_to_string(seed()).unwrap();
    let mut text = String::new();
    for i in 0..n {
        let record = serde_json::json!({
            "id": format!("{name}-{i}"),
            "title": format!("مقال رقم {i}"),
            "date": "2024-01-17",
            "body": format!("{body}\n\nفقرة {i}."),
        });
        text.push_str(&record.to_string());
        text.push('\n');
    }
    let p = dir.join(format!("{name}.jsonl"));
    std::fs::write(&p, text).unwrap();
    p
}

/// Whether this process may mount file systems (tests of a full disk and
/// a read-only mount need it; CI runs as root).
fn root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A tmpfs of `mb` megabytes mounted on a fresh folder, unmounted on drop.
struct Tmpfs {
    dir: TempDir,
}

impl Tmpfs {
    fn mount(mb: u32) -> Option<Tmpfs> {
        if !root() {
            eprintln!("SKIPPED: mounting a tmpfs needs root (CI runs as root)");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mb}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            // Root in a container without the right to mount.
            eprintln!("SKIPPED: mount -t tmpfs was refused (a container without CAP_SYS_ADMIN?)");
            return None;
        }
        Some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount(&self, opts: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,{opts}")])
            .arg(self.path())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "mount -o remount,{opts} failed");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.path()).status();
    }
}

mod readers_beside_a_writer {
    use super::*;

    /// An ingest of a corpus that then waits on its standard input: it
    /// holds the store for writing until the input is closed.
    fn writer(store: &Path, corpus: &Path) -> Child {
        isnad(store)
            .args(["ingest"])
            .arg(corpus)
            .arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    #[test]
    fn query_export_and_shell_read_while_an_ingest_writes_and_writers_wait() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("store");
        let assert_ok = |o: &Output| assert!(o.status.success(), "{}", stderr(o));
        assert_ok(&isnad(&store).arg("ingest").arg(seed()).output().unwrap());
        let corpus = corpus(dir.path(), "bulk", 300);
        let mut ingest = writer(&store, &corpus);
        // A reader first tries the store for writing: give the writer the
        // time to take it, or the reader could hold it at the writer's start.
        std::thread::sleep(Duration::from_secs(3));

        // The reader's note says the store is read as it was; the corpus
        // shows up once the ingest has loaded it and waits on its input.
        let started = Instant::now();
        let mut seen = 0;
        while started.elapsed() < Duration::from_secs(120) {
            let o = run(&store, &["query", "--format", "tsv", ARTICLES]);
            assert_ok(&o);
            let note = stderr(&o);
            if note.contains("being written by another isnad process") {
                assert!(note.contains("read-only"), "{note}");
                assert_eq!(note.lines().count(), 1, "one line: {note}");
                let out = stdout(&o);
                let v = out.lines().nth(1).expect("one row");
                seen = v.split('"').nth(1).unwrap_or(v).parse().unwrap();
                if seen == 301 {
                    break;
                }
            }
            if ingest.try_wait().unwrap().is_some() {
                let mut err = String::new();
                use std::io::Read;
                let _ = ingest.stderr.take().unwrap().read_to_string(&mut err);
                panic!("the ingest ended early: {err}");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        assert_eq!(seen, 301, "the reader saw the loaded corpus");

        let o = run(&store, &["export", "--format", "nquads"]);
        assert_ok(&o);
        assert!(stderr(&o).contains("read-only"), "{}", stderr(&o));
        assert!(stdout(&o).lines().count() > 1000);

        let mut shell = isnad(&store)
            .arg("shell")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        shell
            .stdin
            .take()
            .unwrap()
            .write_all(format!(".format tsv\n{ARTICLES};\n.reopen\n{ARTICLES};\n").as_bytes())
            .unwrap();
        let o = shell.wait_with_output().unwrap();
        assert_ok(&o);
        assert!(stderr(&o).contains("read-only"), "{}", stderr(&o));
        assert!(stderr(&o).contains(".reopen"), "{}", stderr(&o));
        assert_eq!(stdout(&o).matches("301").count(), 2, "{}", stdout(&o));

        let o = isnad(&store).arg("ingest").arg(seed()).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("in use by another isnad process"),
            "{}",
            stderr(&o)
        );
        let o = run(&store, &["update", "CLEAR ALL"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("in use by another isnad process"),
            "{}",
            stderr(&o)
        );

        // The writer finishes; readers open the store as usual again.
        let mut input = ingest.stdin.take().unwrap();
        input.write_all(&std::fs::read(seed()).unwrap()).unwrap();
        drop(input);
        let o = ingest.wait_with_output().unwrap();
        assert_ok(&o);
        let o = run(&store, &["query", "--format", "tsv", ARTICLES]);
        assert_ok(&o);
        assert!(!stderr(&o).contains("read-only"), "{}", stderr(&o));
        assert!(count(&store, ARTICLES) >= 301);
    }
}

mod queries_that_end {
    use super::*;

    /// Three copies of every quad joined with nothing in common, and a
    /// filter that needs all three: nothing matches, and nothing ends.
    const RUNAWAY: &str = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(CONCAT(STR(?c), STR(?f), STR(?i)) = \"never\") }";

    fn seeded() -> (TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("store");
        let o = isnad(&store).arg("ingest").arg(seed()).output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        (dir, store)
    }

    #[test]
    fn a_runaway_query_is_cancelled_at_its_timeout() {
        let (_dir, store) = seeded();
        let t0 = Instant::now();
        let o = run(&store, &["query", "--timeout", "1", RUNAWAY]);
        let took = t0.elapsed();
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(took < Duration::from_secs(10), "took {took:?}");
        assert_eq!(
            stderr(&o).trim(),
            "error: query cancelled after 1 s (--timeout)"
        );
        // The same with a streaming format.
        let o = run(
            &store,
            &["query", "--timeout", "1", "--format", "csv", RUNAWAY],
        );
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stderr(&o).contains("query cancelled after 1 s (--timeout)"),
            "{}",
            stderr(&o)
        );
    }

    #[test]
    fn a_runaway_update_is_cancelled_and_changes_nothing() {
        let (_dir, store) = seeded();
        let before = count(&store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
        let t0 = Instant::now();
        let o = run(
            &store,
            &[
                "update",
                "--timeout",
                "1",
                // An update's default graph is the store's own (empty):
                // the named graphs are read through GRAPH.
                "INSERT { GRAPH <urn:x> { ?a <urn:p> ?g } } WHERE { GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } GRAPH ?z { ?g ?h ?i } FILTER(CONCAT(STR(?c), STR(?f), STR(?i)) = \"never\") }",
            ],
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(t0.elapsed() < Duration::from_secs(10));
        assert!(
            stderr(&o).contains("update cancelled after 1 s (--timeout); nothing was changed"),
            "{}",
            stderr(&o)
        );
        assert_eq!(
            count(&store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
            before
        );
    }

    #[test]
    fn the_shell_cancels_at_its_timeout_and_goes_on() {
        let (_dir, store) = seeded();
        let mut shell = isnad(&store)
            .arg("shell")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let t0 = Instant::now();
        shell
            .stdin
            .take()
            .unwrap()
            .write_all(
                format!(".bail off\n.timeout 1\n{RUNAWAY};\n.format tsv\nSELECT (\"after\" AS ?x) {{}};\n").as_bytes(),
            )
            .unwrap();
        let o = shell.wait_with_output().unwrap();
        assert!(t0.elapsed() < Duration::from_secs(10), "{:?}", t0.elapsed());
        assert_eq!(o.status.code(), Some(1), "a statement failed");
        assert!(
            stderr(&o).contains("<stdin>:3: query cancelled after 1 s (.timeout)"),
            "{}",
            stderr(&o)
        );
        assert!(stdout(&o).contains("\"after\""), "{}", stdout(&o));
    }

    #[test]
    fn a_table_too_large_for_memory_stops_with_its_limit_while_tsv_streams() {
        let (_dir, store) = seeded();
        let all = "SELECT * WHERE { ?s ?p ?o }";
        let o = run(
            &store,
            &["query", "--format", "table", "--max-rows", "10", all],
        );
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert!(
            err.contains("more than 10 rows")
                && err.contains("--max-rows")
                && err.contains("--format tsv"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        let o = run(
            &store,
            &["query", "--format", "tsv", "--max-rows", "10", all],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).lines().count() > 100);
    }
}

mod broken_disks_and_files {
    use super::*;

    #[test]
    fn a_full_disk_stops_the_ingest_with_one_line_and_keeps_what_was_loaded() {
        let Some(fs) = Tmpfs::mount(160) else { return };
        let store = fs.path().join("store");
        let o = isnad(&store).arg("ingest").arg(seed()).output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let quads_before = count(&store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
        // Fill the disk but for a few hundred kilobytes.
        let filler = fs.path().join("filler");
        let free = |p: &Path| {
            let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
            // SAFETY: statvfs writes into the zeroed struct.
            let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
            assert_eq!(unsafe { libc::statvfs(c.as_ptr(), &mut s) }, 0);
            s.f_bavail as u64 * s.f_frsize as u64
        };
        let room = free(fs.path()).saturating_sub(300 << 10);
        std::fs::write(&filler, vec![0u8; room as usize]).unwrap();

        let dir = tempfile::tempdir().unwrap();
        let corpus = corpus(dir.path(), "more", 150);
        let o = isnad(&store).arg("ingest").arg(&corpus).output().unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            !err.contains("panick") && !err.contains("internal error"),
            "{err}"
        );
        let last = err.lines().last().unwrap_or("");
        assert!(
            err.lines()
                .any(|l| l.contains("no space left on device")
                    && l.contains(store.to_str().unwrap())),
            "{err}"
        );
        assert!(last.starts_with("error: "), "{err}");

        // A failed bulk load leaves none of its scratch files behind.
        let stray: Vec<_> = std::fs::read_dir(&store)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("bulk-"))
            .collect();
        assert!(stray.is_empty(), "{stray:?}");

        // Still full: the store opens (read-only, said so) and holds at
        // least what it held, whole.
        let o = run(&store, &["query", "--format", "tsv", ARTICLES]);
        assert!(o.status.success(), "{}", stderr(&o));
        let o = run(&store, &["validate"]);
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));

        // Room again: the store is written as before, the ingest completes.
        std::fs::remove_file(&filler).unwrap();
        assert!(count(&store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") >= quads_before);
        let o = isnad(&store).arg("ingest").arg(&corpus).output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(count(&store, ARTICLES), 151);
        let o = run(&store, &["validate"]);
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    }

    #[test]
    fn a_read_only_store_is_read_but_not_written() {
        let Some(fs) = Tmpfs::mount(64) else { return };
        let store = fs.path().join("store");
        let o = isnad(&store).arg("ingest").arg(seed()).output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let n = count(&store, ARTICLES);
        fs.remount("ro");

        let o = isnad(&store).arg("ingest").arg(seed()).output().unwrap();
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("cannot be written") && err.contains("read-only"),
            "{err}"
        );
        let o = run(&store, &["update", "CLEAR ALL"]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("cannot be written"), "{}", stderr(&o));

        let o = run(&store, &["query", "--format", "tsv", ARTICLES]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("cannot be written here; reading it read-only"),
            "{}",
            stderr(&o)
        );
        assert_eq!(count(&store, ARTICLES), n);
        fs.remount("rw");
    }

    /// A store of the seed article, flushed to its data files.
    fn store_copy() -> (TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("store");
        let o = isnad(&store).arg("ingest").arg(seed()).output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let o = run(&store, &["optimize"]);
        assert!(o.status.success(), "{}", stderr(&o));
        (dir, store)
    }

    fn files(store: &Path, pick: impl Fn(&str) -> bool) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(store)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| pick(p.file_name().unwrap().to_str().unwrap()))
            .collect();
        v.sort();
        v
    }

    /// Every reading command on a damaged store: one line naming the
    /// store, exit 1, no panic, no empty answer.
    fn assert_refused(store: &Path, what: &str) {
        for args in [
            vec!["query", "--format", "tsv", "SELECT * WHERE { ?s ?p ?o }"],
            vec!["export", "--format", "nquads"],
            vec!["ingest", SEED],
        ] {
            let o = isnad(store)
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .args(&args)
                .output()
                .unwrap();
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(1), "{what}, {args:?}: {err}");
            assert!(err.starts_with("error: "), "{what}, {args:?}: {err}");
            assert!(
                err.contains(store.to_str().unwrap()),
                "{what}, {args:?}: {err}"
            );
            assert!(
                !err.contains("panick") && !err.contains("internal error"),
                "{err}"
            );
            assert!(
                stdout(&o).lines().count() <= 1,
                "{what}: no answer from a damaged store"
            );
        }
    }

    #[test]
    fn a_truncated_data_file_is_a_damaged_store() {
        let (_dir, store) = store_copy();
        for f in files(&store, |n| n.ends_with(".sst")) {
            let len = std::fs::metadata(&f).unwrap().len();
            std::fs::OpenOptions::new()
                .write(true)
                .open(&f)
                .unwrap()
                .set_len(len / 2)
                .unwrap();
        }
        assert_refused(&store, "truncated .sst");
    }

    #[test]
    fn an_overwritten_data_file_is_a_damaged_store() {
        let (_dir, store) = store_copy();
        for f in files(&store, |n| n.ends_with(".sst")) {
            let len = std::fs::metadata(&f).unwrap().len() as usize;
            std::fs::write(&f, vec![0x5a; len]).unwrap();
        }
        assert_refused(&store, "overwritten .sst");
    }

    #[test]
    fn a_damaged_manifest_or_current_file_is_a_damaged_store() {
        let (_dir, store) = store_copy();
        for f in files(&store, |n| n.starts_with("MANIFEST")) {
            std::fs::OpenOptions::new()
                .write(true)
                .open(&f)
                .unwrap()
                .set_len(10)
                .unwrap();
        }
        assert_refused(&store, "truncated MANIFEST");

        let (_dir, store) = store_copy();
        std::fs::write(store.join("CURRENT"), "MANIFEST-999999\n").unwrap();
        assert_refused(&store, "CURRENT naming no manifest");

        let (_dir, store) = store_copy();
        std::fs::write(store.join("CURRENT"), "").unwrap();
        assert_refused(&store, "empty CURRENT");
    }
}
