//! Times the saved analyst queries (`ontology/queries/*.rq`) on a store,
//! inside one process: the store is opened once, then every query runs
//! `--runs` times after one warm-up run, its results read to the end, with
//! the contract prefixes and the union default graph, as `isnad query`.
//!
//!   cargo bench --bench queries -- --store DIR [--runs N] [--limit SECS] [--queries DIR]
//!
//! Prints one line per query: rows, median, p95 and max in milliseconds. A
//! run longer than `--limit` seconds (default 30) is cancelled and the query
//! reported as `timeout` without further runs. Exits 1 if a query fails.
//! `scripts/bench.sh` runs it on the benchmark store.

use isnad::rdf::contract_prefixes;
use isnad::store::Store;
use oxigraph::sparql::{CancellationToken, QueryResults, SparqlEvaluator};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Args {
    store: PathBuf,
    runs: usize,
    limit: Duration,
    queries: PathBuf,
}

fn args() -> Result<Args, String> {
    let mut store = std::env::var_os("ISNAD_STORE").map(PathBuf::from);
    let mut runs = 20;
    let mut limit = 30.0;
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
            "--limit" => {
                limit = value("--limit")?
                    .parse()
                    .map_err(|e| format!("--limit: {e}"))?
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
        limit: Duration::from_secs_f64(limit),
        queries,
    })
}

enum Outcome {
    Rows(usize),
    Timeout,
    Failed(String),
}

/// Runs a query and reads every result, cancelling it after `limit`.
fn run(store: &Store, q: &str, prefixes: &[(String, String)], limit: Duration) -> Outcome {
    let token = CancellationToken::new();
    let (done, finished) = mpsc::channel::<()>();
    let watchdog = {
        let token = token.clone();
        std::thread::spawn(move || {
            if finished.recv_timeout(limit) == Err(mpsc::RecvTimeoutError::Timeout) {
                token.cancel();
                true
            } else {
                false
            }
        })
    };
    let rows = evaluate(store, q, prefixes, token);
    let _ = done.send(());
    let timed_out = watchdog.join().unwrap_or(false);
    match rows {
        Ok(n) => Outcome::Rows(n),
        Err(_) if timed_out => Outcome::Timeout,
        Err(e) => Outcome::Failed(e),
    }
}

fn evaluate(
    store: &Store,
    q: &str,
    prefixes: &[(String, String)],
    token: CancellationToken,
) -> Result<usize, String> {
    let mut ev = SparqlEvaluator::new().with_cancellation_token(token);
    for (p, ns) in prefixes {
        ev = ev
            .with_prefix(p.as_str(), ns.as_str())
            .map_err(|e| e.to_string())?;
    }
    let mut prepared = ev.parse_query(q).map_err(|e| e.to_string())?;
    prepared.dataset_mut().set_default_graph_as_union();
    let mut n = 0;
    match prepared
        .on_store(store.oxigraph())
        .execute()
        .map_err(|e| e.to_string())?
    {
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
        "# {} queries on {} ({quads} quads), {} runs each after a warm-up, limit {:.0} s",
        files.len(),
        a.store.display(),
        a.runs,
        a.limit.as_secs_f64()
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
        let mut error = false;
        for i in 0..=a.runs {
            let t = Instant::now();
            match run(&store, &q, &prefixes, a.limit) {
                Outcome::Rows(n) => rows = n,
                Outcome::Timeout => {
                    times.clear();
                    break;
                }
                Outcome::Failed(e) => {
                    eprintln!("{name}: {e}");
                    error = true;
                    times.clear();
                    break;
                }
            }
            if i > 0 {
                times.push(t.elapsed());
            }
        }
        if error {
            failed = true;
            continue;
        }
        if times.is_empty() {
            {
                println!(
                    "{:<22} {:>8} {:>10} {:>10} {:>10}",
                    name,
                    "-",
                    "timeout",
                    "timeout",
                    format!(">{:.0}s", a.limit.as_secs_f64())
                );
            }
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
