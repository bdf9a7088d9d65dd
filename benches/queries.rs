//! Times the saved analyst queries (`ontology/queries/*.rq`) on a store,
//! inside one process: the store is opened once, then every query runs
//! `--runs` times after one warm-up run, its results read to the end, with
//! the contract prefixes and the union default graph, as `isnad query`.
//!
//!   cargo bench --bench queries -- --store DIR [--runs N] [--limit SECS]
//!                                  [--queries DIR] [--seed N] [--unbound]
//!                                  [--count] [--trace] [--explain] [--warm]
//!
//! Parameters are bound the way an analyst binds them in the shell
//! (`.run claims_by_speaker person:araghchi 2024-01-17`), with values drawn
//! from the store itself. First the pools: the publication days of the
//! store, and, in the articles of a sample of those days, how often each
//! speaker, claim topic, mentioned entity and event class occurs. Then three
//! series per query:
//!
//! - `sample`: every run draws afresh: an entity with a probability
//!   proportional to how often it occurs (analysts ask about the entities
//!   the news is about), a day uniformly (paging through the days); a
//!   day's pages are often on disk still, so this is the cost with reads;
//! - `again`: the same draws once more, their pages now cached: the
//!   query's own cost (the gap to `sample` is the disk's);
//! - `top`: the most frequent entity on the busiest day, the worst case.
//!
//! `--warm` reads the store's files through first, as the interactive
//! shell does in the background (`isnad warm`): `sample` then measures
//! queries on a store whose pages the system holds, not the disk. `--count`
//! prints the number of quads in the store first (a scan of the whole
//! store: 12 s at 100,000 articles). `--trace` prints every run
//! (bindings, rows, milliseconds) to stderr; `--explain` prints, after each
//! query's series, Oxigraph's plan for the last run with the rows and time
//! of every step (JSON, to stderr). Rows are labelled with the query file's
//! name, so versions of one query can sit side by side in a `--queries`
//! folder. `--unbound` adds a series with no parameter bound (every entity,
//! every day). Prints one line per query and series: median rows, p50, p95
//! and max in milliseconds. A run longer than `--limit` seconds (default 30)
//! is cancelled and the series reported as `timeout`. Exits 1 if a query
//! fails. `scripts/bench.sh` runs it on the benchmark store.

// The binary's allocator (src/main.rs), so that the figures are those of
// `isnad query` and the shell.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use isnad::rdf::contract_prefixes;
use isnad::shell::queries;
use isnad::store::{warm, Store};
use oxigraph::model::{Term, Variable};
use oxigraph::sparql::{CancellationToken, PreparedSparqlQuery, QueryResults, SparqlEvaluator};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Args {
    store: PathBuf,
    runs: usize,
    limit: Duration,
    queries: PathBuf,
    seed: u64,
    unbound: bool,
    /// Print every run (bindings, rows, time) to stderr.
    trace: bool,
    /// Print the evaluated plan of each series' last run to stderr.
    explain: bool,
    /// Count the store's quads for the header.
    count: bool,
    /// Read the store's files through first, as the shell does.
    warm: bool,
}

fn args() -> Result<Args, String> {
    let mut store = std::env::var_os("ISNAD_STORE").map(PathBuf::from);
    let mut runs = 20;
    let mut limit = 30.0;
    let mut seed = 1;
    let mut unbound = false;
    let mut trace = false;
    let mut explain = false;
    let mut count = false;
    let mut warm = false;
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
            "--seed" => {
                seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--unbound" => unbound = true,
            "--trace" => trace = true,
            "--explain" => explain = true,
            "--count" => count = true,
            "--warm" => warm = true,
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
        seed,
        unbound,
        trace,
        explain,
        count,
        warm,
    })
}

enum Outcome {
    Rows(usize),
    Timeout,
    Failed(String),
}

/// Runs a query with variables bound and reads every result, cancelling
/// it after `limit`.
fn run(
    store: &Store,
    q: &str,
    bindings: &[(Variable, Term)],
    prefixes: &[(String, String)],
    limit: Duration,
) -> Outcome {
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
    let rows = evaluate(store, q, bindings, prefixes, token);
    let _ = done.send(());
    let timed_out = watchdog.join().unwrap_or(false);
    match rows {
        Ok(n) => Outcome::Rows(n),
        Err(_) if timed_out => Outcome::Timeout,
        Err(e) => Outcome::Failed(e),
    }
}

/// Parses a query as `isnad query` does (the contract prefixes, the union
/// default graph) with the variables bound as the shell's `.run` binds
/// them: each argument replaces its variable.
fn prepare(
    mut ev: SparqlEvaluator,
    q: &str,
    bindings: &[(Variable, Term)],
    prefixes: &[(String, String)],
) -> Result<PreparedSparqlQuery, String> {
    for (p, ns) in prefixes {
        ev = ev
            .with_prefix(p.as_str(), ns.as_str())
            .map_err(|e| e.to_string())?;
    }
    let mut prepared = ev.parse_query(q).map_err(|e| e.to_string())?;
    prepared.dataset_mut().set_default_graph_as_union();
    for (v, t) in bindings {
        prepared = prepared.substitute_variable(v.clone(), t.clone());
    }
    Ok(prepared)
}

/// Runs a query once with statistics and returns Oxigraph's plan, each
/// step with its rows and time, as JSON.
fn explain(
    store: &Store,
    q: &str,
    bindings: &[(Variable, Term)],
    prefixes: &[(String, String)],
) -> Result<String, String> {
    let (results, explanation) = prepare(SparqlEvaluator::new(), q, bindings, prefixes)?
        .on_store(store.oxigraph())
        .compute_statistics()
        .explain();
    match results.map_err(|e| e.to_string())? {
        QueryResults::Solutions(rows) => rows.for_each(drop),
        QueryResults::Graph(triples) => triples.for_each(drop),
        QueryResults::Boolean(_) => {}
    }
    let mut json = Vec::new();
    explanation
        .write_in_json(&mut json)
        .map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&json).into_owned())
}

fn evaluate(
    store: &Store,
    q: &str,
    bindings: &[(Variable, Term)],
    prefixes: &[(String, String)],
    token: CancellationToken,
) -> Result<usize, String> {
    let ev = SparqlEvaluator::new().with_cancellation_token(token);
    let mut n = 0;
    match prepare(ev, q, bindings, prefixes)?
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

/// (value, weight) rows of a two-column query.
fn weighted(store: &Store, q: &str, prefixes: &[(String, String)]) -> Vec<(Term, u64)> {
    let mut out = Vec::new();
    if let QueryResults::Solutions(rows) = store.query(q, prefixes).expect("pool query runs") {
        for r in rows.flatten() {
            let (Some(v), Some(Term::Literal(n))) = (r.get("v"), r.get("n")) else {
                continue;
            };
            out.push((v.clone(), n.value().parse().unwrap_or(0)));
        }
    }
    // Heaviest first; equal weights by value, so a seed gives the same draws.
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.to_string().cmp(&b.0.to_string())));
    out
}

/// A small deterministic generator (xorshift64*), so that runs with the
/// same seed draw the same parameters.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Draws one value, with probability proportional to its weight.
fn draw<'a>(pool: &'a [(Term, u64)], rng: &mut Rng) -> Option<&'a Term> {
    let total: u64 = pool.iter().map(|(_, w)| *w).sum();
    let mut x = rng.below(total);
    for (v, w) in pool {
        if x < *w {
            return Some(v);
        }
        x -= w;
    }
    pool.last().map(|(v, _)| v)
}

/// The pools of parameter values, by kind, drawn from the store.
struct Pools {
    /// Every publication day with its number of articles.
    days: Vec<(Term, u64)>,
    /// Values found in the articles of a sample of days, by kind.
    kinds: HashMap<&'static str, Vec<(Term, u64)>>,
}

/// What kind of value a parameter of a saved query takes: the pattern it
/// stands in, counted over the sampled days' articles.
fn kind_of(param: &str, query: &str) -> Option<&'static str> {
    match param {
        "day" => Some("day"),
        "speaker" => Some("speaker"),
        "eventClass" => Some("eventClass"),
        "story" => Some("story"),
        "entity" if query.contains("isn:about $entity") => Some("about"),
        "entity" => Some("mentioned"),
        _ => None,
    }
}

fn pools(store: &Store, prefixes: &[(String, String)], rng: &mut Rng) -> Pools {
    let days = weighted(
        store,
        "SELECT ?v (COUNT(?a) AS ?n) WHERE { GRAPH ?a { ?a schema:datePublished ?v } } GROUP BY ?v",
        prefixes,
    );
    // Thirty days picked uniformly stand for the whole corpus.
    let mut sample: Vec<String> = (0..30)
        .filter_map(|_| days.get(rng.below(days.len() as u64) as usize))
        .map(|(d, _)| d.to_string())
        .collect();
    sample.sort();
    sample.dedup();
    // One query a day: the day's articles are found by index.
    let count = |pattern: &str| {
        let mut n: HashMap<Term, u64> = HashMap::new();
        for day in &sample {
            let q = format!(
                "SELECT ?v (COUNT(*) AS ?n) WHERE {{ \
                 GRAPH ?a {{ ?a schema:datePublished {day} . {pattern} }} }} GROUP BY ?v"
            );
            for (v, w) in weighted(store, &q, prefixes) {
                *n.entry(v).or_default() += w;
            }
        }
        let mut v: Vec<(Term, u64)> = n.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.to_string().cmp(&b.0.to_string())));
        v
    };
    let mut kinds = HashMap::new();
    kinds.insert("speaker", count("?c isn:speaker ?v"));
    kinds.insert("about", count("?c isn:about ?v"));
    kinds.insert("mentioned", count("?m itsrdf:taIdentRef ?v"));
    kinds.insert(
        "eventClass",
        count("?e a isn:Event , ?v FILTER(?v != isn:Event)"),
    );
    // Stories, weighted by how many articles report them.
    kinds.insert(
        "story",
        weighted(
            store,
            "SELECT ?v ?n WHERE { GRAPH <https://w3id.org/isnad/stories> { ?v isn:articleCount ?n } }",
            prefixes,
        ),
    );
    Pools { days, kinds }
}

impl Pools {
    fn pool(&self, kind: &str) -> &[(Term, u64)] {
        if kind == "day" {
            &self.days
        } else {
            self.kinds.get(kind).map_or(&[], Vec::as_slice)
        }
    }

    /// A draw as in `sample`: weighted values, uniform days.
    fn sample(&self, kind: &str, rng: &mut Rng) -> Option<Term> {
        if kind == "day" {
            let i = rng.below(self.days.len() as u64) as usize;
            return self.days.get(i).map(|(d, _)| d.clone());
        }
        draw(self.pool(kind), rng).cloned()
    }

    /// The most frequent value (the busiest day).
    fn top(&self, kind: &str) -> Option<Term> {
        self.pool(kind).first().map(|(v, _)| v.clone())
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The value below which `p` of the sorted samples fall (nearest rank).
fn percentile<T: Copy>(sorted: &[T], p: f64) -> T {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

#[derive(Clone, Copy, PartialEq)]
enum Series {
    Sample,
    /// The sample's draws once more, in the same order: what they read is
    /// cached now, so this is the query's own cost without the disk.
    Again,
    Top,
    Unbound,
}

impl Series {
    fn name(self) -> &'static str {
        match self {
            Series::Sample => "sample",
            Series::Again => "again",
            Series::Top => "top",
            Series::Unbound => "unbound",
        }
    }
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
    if a.warm {
        let t = Instant::now();
        let stop = std::sync::atomic::AtomicBool::new(false);
        match warm::warm(&a.store, warm::default_budget(), &stop, |_| {}) {
            Ok(w) => println!(
                "# warmed: {}",
                w.describe(t.elapsed(), warm::AT_DEFAULT_BUDGET)
            ),
            Err(e) => eprintln!("queries bench: warming: {e}"),
        }
    }
    let quads = if a.count {
        format!(" ({} quads)", store.len().unwrap_or(0))
    } else {
        String::new()
    };
    let t = Instant::now();
    let pools = pools(&store, &prefixes, &mut Rng(a.seed.max(1)));
    println!(
        "# {} queries on {}{quads}, {} runs each after a warm-up, limit {:.0} s",
        files.len(),
        a.store.display(),
        a.runs,
        a.limit.as_secs_f64()
    );
    println!(
        "# pools ({:.1} s): {} days; {}",
        t.elapsed().as_secs_f64(),
        pools.days.len(),
        ["speaker", "about", "mentioned", "eventClass"]
            .iter()
            .map(|k| {
                let p = pools.pool(k);
                format!(
                    "{k} {} (top {} ×{})",
                    p.len(),
                    p.first().map_or(String::new(), |(v, _)| v.to_string()),
                    p.first().map_or(0, |(_, w)| *w)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    );
    println!(
        "{:<22} {:<8} {:>8} {:>10} {:>10} {:>10}",
        "query", "series", "rows", "p50_ms", "p95_ms", "max_ms"
    );
    let mut failed = false;
    for f in &files {
        let text = match std::fs::read_to_string(f) {
            Ok(q) => q,
            Err(e) => {
                eprintln!("{}: {e}", f.display());
                failed = true;
                continue;
            }
        };
        let file = f
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let label = file.strip_suffix(".rq").unwrap_or(&file).to_owned();
        let saved = queries::parse(&file, Box::leak(text.into_boxed_str()));
        let params: Vec<(Variable, &'static str)> = saved
            .params
            .iter()
            .filter_map(|(p, _)| {
                Some((Variable::new_unchecked(p.clone()), kind_of(p, saved.text)?))
            })
            .collect();
        let mut series = vec![];
        if !params.is_empty() {
            series.push(Series::Sample);
            series.push(Series::Again);
            series.push(Series::Top);
        }
        if a.unbound || params.is_empty() {
            series.push(Series::Unbound);
        }
        // Every query draws the same sequence: two versions of a query
        // are timed on the same parameters.
        let mut rng = Rng(a.seed.max(1));
        let mut drawn: Vec<Vec<(Variable, Term)>> = vec![];
        for s in series {
            let mut times = Vec::with_capacity(a.runs);
            let mut rows = Vec::with_capacity(a.runs);
            let mut timeout = false;
            let mut last = vec![];
            for i in 0..=a.runs {
                let bindings: Vec<(Variable, Term)> = match s {
                    Series::Again => drawn.get(i).cloned().unwrap_or_default(),
                    Series::Unbound => vec![],
                    Series::Sample | Series::Top => params
                        .iter()
                        .filter_map(|(v, kind)| {
                            let t = if s == Series::Sample {
                                pools.sample(kind, &mut rng)
                            } else {
                                pools.top(kind)
                            }?;
                            Some((v.clone(), t))
                        })
                        .collect(),
                };
                if s == Series::Sample {
                    drawn.push(bindings.clone());
                }
                let t = Instant::now();
                let outcome = run(&store, saved.text, &bindings, &prefixes, a.limit);
                last = bindings;
                match outcome {
                    Outcome::Rows(n) => {
                        if a.trace {
                            let shown: Vec<String> =
                                last.iter().map(|(v, t)| format!("{v}={t}")).collect();
                            eprintln!(
                                "{} {} {} rows {:.1} ms",
                                label,
                                shown.join(" "),
                                n,
                                ms(t.elapsed())
                            );
                        }
                        if i > 0 {
                            times.push(t.elapsed());
                            rows.push(n);
                        }
                    }
                    Outcome::Timeout => {
                        timeout = true;
                        break;
                    }
                    Outcome::Failed(e) => {
                        eprintln!("{label}: {e}");
                        failed = true;
                        timeout = true;
                        break;
                    }
                }
            }
            if a.explain && !timeout {
                match explain(&store, saved.text, &last, &prefixes) {
                    Ok(plan) => eprintln!("# plan of {label} ({}):\n{plan}", s.name()),
                    Err(e) => eprintln!("{label}: {e}"),
                }
            }
            if timeout || times.is_empty() {
                println!(
                    "{:<22} {:<8} {:>8} {:>10} {:>10} {:>10}",
                    label,
                    s.name(),
                    "-",
                    "timeout",
                    "timeout",
                    format!(">{:.0}s", a.limit.as_secs_f64())
                );
                continue;
            }
            times.sort();
            rows.sort();
            println!(
                "{:<22} {:<8} {:>8} {:>10.1} {:>10.1} {:>10.1}",
                label,
                s.name(),
                percentile(&rows, 0.5),
                ms(percentile(&times, 0.5)),
                ms(percentile(&times, 0.95)),
                ms(*times.last().unwrap_or(&Duration::ZERO))
            );
        }
    }
    if failed {
        std::process::exit(1);
    }
}
