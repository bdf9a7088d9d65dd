//! Times the saved analyst queries (`ontology/queries/*.rq`) on a store,
//! inside one process: the store is opened once, then every query runs
//! `--runs` times after one warm-up run, its results read to the end.
//!
//!   cargo bench --bench queries -- --store DIR [--runs N] [--queries DIR]
//!
//! Prints one line per query: rows, median, p95 and max in milliseconds;
//! exits 1 if a query fails. `scripts/bench.sh` runs it on the benchmark
//! store.

use isnad::rdf::contract_prefixes;
use isnad::store::Store;
use oxigraph::sparql::QueryResults;
use std::path::PathBuf;
use std::time::{Duration, Instant};

struct Args {
    store: PathBuf,
    runs: usize,
    queries: PathBuf,
}

fn args() -> Result<Args, String> {
    let mut store = std::env::var_os("ISNAD_STORE").map(PathBuf::from);
    let mut runs = 20;
    let mut queries = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/ontology/queries"));
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--store" => store = Some(value("--store")?.into()),
            "--runs" => {
                runs = value("--runs")?
                    .parse()
                    .map_err(|e| format!("--runs: {e}"))?
            }
            "--queries" => queries = value("--queries")?.into(),
            // cargo bench passes --bench to every bench target
            "--bench" => {}
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let store = store.ok_or("--store DIR (or $ISNAD_STORE) is required")?;
    Ok(Args {
        store,
        runs: runs.max(1),
        queries,
    })
}

/// Runs a query and reads every result; returns the number of rows.
fn run(store: &Store, q: &str, prefixes: &[(String, String)]) -> Result<usize, String> {
    let mut n = 0;
    match store.query(q, prefixes).map_err(|e| e.to_string())? {
        QueryResults::Solutions(rows) => {
            for r in rows {
                r.map_err(|e| e.to_string())?;
                n += 1;
            }
        }
        QueryResults::Graph(triples) => {
            for t in triples {
                t.map_err(|e| e.to_string())?;
                n += 1;
            }
        }
        QueryResults::Boolean(_) => n = 1,
    }
    Ok(n)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The value below which `p` of the sorted samples fall (nearest rank).
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn main() {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("queries bench: {e}");
            std::process::exit(2);
        }
    };
    let store = match Store::open(&a.store, false) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("queries bench: {e}");
            std::process::exit(1);
        }
    };
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&a.queries) {
        Ok(d) => d
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "rq"))
            .collect(),
        Err(e) => {
            eprintln!("queries bench: {}: {e}", a.queries.display());
            std::process::exit(1);
        }
    };
    files.sort();
    let prefixes = contract_prefixes();
    let quads = store.len().unwrap_or(0);
    println!(
        "# {} queries on {} ({quads} quads), {} runs each after a warm-up",
        files.len(),
        a.store.display(),
        a.runs
    );
    println!(
        "{:<22} {:>8} {:>10} {:>10} {:>10}",
        "query", "rows", "p50_ms", "p95_ms", "max_ms"
    );
    let mut failed = false;
    for f in &files {
        let name = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let q = match std::fs::read_to_string(f) {
            Ok(q) => q,
            Err(e) => {
                eprintln!("{}: {e}", f.display());
                failed = true;
                continue;
            }
        };
        let mut times = Vec::with_capacity(a.runs);
        let mut rows = 0;
        let mut error = None;
        for i in 0..=a.runs {
            let t = Instant::now();
            match run(&store, &q, &prefixes) {
                Ok(n) => rows = n,
                Err(e) => {
                    error = Some(e);
                    break;
                }
            }
            if i > 0 {
                times.push(t.elapsed());
            }
        }
        if let Some(e) = error {
            eprintln!("{name}: {e}");
            failed = true;
            continue;
        }
        times.sort();
        println!(
            "{:<22} {:>8} {:>10.1} {:>10.1} {:>10.1}",
            name,
            rows,
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95)),
            ms(*times.last().unwrap_or(&Duration::ZERO))
        );
    }
    if failed {
        std::process::exit(1);
    }
}
