//! Queries that end: a time limit on a query or update, and a bound on how
//! much of a result is held in memory, for every front end (the command
//! line, the shell, an HTTP server).
//!
//! A query is cancelled through Oxigraph's [`CancellationToken`], which the
//! evaluator checks at every quad it reads. Some evaluations (a cross
//! product joined in memory) read nothing for a long time and notice late,
//! so the caller never waits on them: the evaluation runs on its own
//! thread, and past the limit the caller gets its answer while the thread
//! is left to stop on its own ([`join_left_behind`]).
//!
//! Architecture invariant: this module runs queries the store gives it and
//! bounds them; it formats nothing and knows no command-line flag (the
//! front end says how to raise a limit in its own words).

use oxigraph::model::{Term, Triple};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, QuerySolution, SparqlEvaluator, Variable,
};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a query may run and how much of its result may be collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryLimits {
    /// Cancel the query past this time (none: no limit).
    pub timeout: Option<Duration>,
    /// At most this many rows (or triples) collected in memory.
    pub max_rows: Option<usize>,
    /// At most about this many bytes of values collected in memory.
    pub max_bytes: Option<usize>,
}

/// Rows an aligned table collects by default (the command line).
pub const TABLE_ROWS: usize = 1_000_000;
/// Bytes of values an aligned table collects by default.
pub const TABLE_BYTES: usize = 512 << 20;

impl QueryLimits {
    /// No limit at all.
    pub const NONE: QueryLimits = QueryLimits {
        timeout: None,
        max_rows: None,
        max_bytes: None,
    };

    /// The command line's and the shell's: no time limit; what is collected
    /// to be aligned or pretty-printed stops at [`TABLE_ROWS`] rows or
    /// [`TABLE_BYTES`] of values.
    pub const fn interactive() -> QueryLimits {
        QueryLimits {
            timeout: None,
            max_rows: Some(TABLE_ROWS),
            max_bytes: Some(TABLE_BYTES),
        }
    }

    /// For a server that answers anyone: 30 s, 100,000 rows, 64 MB.
    pub const fn server() -> QueryLimits {
        QueryLimits {
            timeout: Some(Duration::from_secs(30)),
            max_rows: Some(100_000),
            max_bytes: Some(64 << 20),
        }
    }

    /// The same limits with another time limit.
    pub fn with_timeout(self, timeout: Option<Duration>) -> QueryLimits {
        QueryLimits { timeout, ..self }
    }
}

/// Why a query under limits did not give its result.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// Past the time limit.
    #[error("query cancelled after {} s (time limit)", secs(.after))]
    TimedOut { after: Duration },
    /// Cancelled by the caller (Ctrl-C).
    #[error("query cancelled")]
    Cancelled,
    /// The result has more rows than may be collected.
    #[error("the result has more than {limit} rows, more than may be held in memory")]
    TooManyRows { limit: usize },
    /// The result's values pass the bytes that may be collected.
    #[error("the result's values pass {} MB, more than may be held in memory", .limit >> 20)]
    TooLarge { limit: usize },
    /// The evaluation failed (its message).
    #[error("{0}")]
    Failed(String),
}

/// Whole seconds, or tenths under ten seconds ("1 s", "2.5 s").
fn secs(d: &Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 10.0 || (s - s.round()).abs() < 0.05 {
        format!("{}", s.round() as u64)
    } else {
        format!("{s:.1}")
    }
}

impl QueryError {
    fn of(e: QueryEvaluationError) -> QueryError {
        match e {
            QueryEvaluationError::Cancelled => QueryError::Cancelled,
            e => QueryError::Failed(format!("query failed: {e}")),
        }
    }
}

/// A result read into memory.
pub enum Collected {
    Rows(Vec<Variable>, Vec<QuerySolution>),
    Ask(bool),
    Graph(Vec<Triple>),
}

/// Counts what is collected against the limits.
#[derive(Debug)]
pub struct Budget {
    rows: usize,
    bytes: usize,
    limits: QueryLimits,
}

impl Budget {
    pub fn new(limits: &QueryLimits) -> Budget {
        Budget {
            rows: 0,
            bytes: 0,
            limits: *limits,
        }
    }

    /// Takes one more row of about `bytes`; an error past a limit.
    pub fn take(&mut self, bytes: usize) -> Result<(), QueryError> {
        self.rows += 1;
        self.bytes += bytes;
        if let Some(limit) = self.limits.max_rows {
            if self.rows > limit {
                return Err(QueryError::TooManyRows { limit });
            }
        }
        if let Some(limit) = self.limits.max_bytes {
            if self.bytes > limit {
                return Err(QueryError::TooLarge { limit });
            }
        }
        Ok(())
    }
}

/// About how many bytes a term holds.
pub fn term_bytes(t: &Term) -> usize {
    match t {
        Term::NamedNode(n) => n.as_str().len() + 16,
        Term::BlankNode(b) => b.as_str().len() + 16,
        Term::Literal(l) => l.value().len() + l.language().map_or(0, str::len) + 24,
        #[allow(unreachable_patterns)]
        _ => 64,
    }
}

/// Reads a result into memory within the limits' rows and bytes.
pub fn collect(results: QueryResults<'_>, limits: &QueryLimits) -> Result<Collected, QueryError> {
    let mut budget = Budget::new(limits);
    Ok(match results {
        QueryResults::Solutions(s) => {
            let vars = s.variables().to_vec();
            let mut rows = Vec::new();
            for r in s {
                let r = r.map_err(QueryError::of)?;
                budget.take(r.values().iter().flatten().map(term_bytes).sum())?;
                rows.push(r);
            }
            Collected::Rows(vars, rows)
        }
        QueryResults::Boolean(b) => Collected::Ask(b),
        QueryResults::Graph(t) => {
            let mut triples = Vec::new();
            for t in t {
                let t = t.map_err(QueryError::of)?;
                budget.take(
                    t.subject.to_string().len()
                        + t.predicate.as_str().len()
                        + term_bytes(&t.object),
                )?;
                triples.push(t);
            }
            Collected::Graph(triples)
        }
    })
}

/// Cancels a token when a time limit passes, until dropped.
pub struct Deadline {
    fired: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
    started: Instant,
    timeout: Option<Duration>,
}

impl Deadline {
    /// Starts the clock: past `timeout` the token is cancelled.
    pub fn start(token: CancellationToken, timeout: Option<Duration>) -> Deadline {
        let fired = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let started = Instant::now();
        let handle = timeout.map(|t| {
            let (fired, stop) = (fired.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let left = t.saturating_sub(started.elapsed());
                    if left.is_zero() {
                        fired.store(true, Ordering::SeqCst);
                        token.cancel();
                        return;
                    }
                    std::thread::sleep(left.min(Duration::from_millis(20)));
                }
            })
        });
        Deadline {
            fired,
            stop,
            handle,
            started,
            timeout,
        }
    }

    /// Whether the time limit has passed (and the token was cancelled).
    pub fn expired(&self) -> bool {
        self.fired.load(Ordering::SeqCst)
            || self.timeout.is_some_and(|t| self.started.elapsed() >= t)
    }

    /// The error for a query stopped by this deadline.
    pub fn error(&self) -> QueryError {
        QueryError::TimedOut {
            after: self.timeout.unwrap_or_else(|| self.started.elapsed()),
        }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// How long a cancelled evaluation is waited for before it is left behind.
const GRACE: Duration = Duration::from_millis(500);

/// Runs `work` on its own thread with a time limit, and returns its answer,
/// or [`QueryError::TimedOut`] no later than about half a second past the
/// limit, or [`QueryError::Cancelled`] soon after `cancel` is cancelled
/// (Ctrl-C). `work` gets the token to hand to the evaluator; a thread that
/// has not stopped by then is left behind ([`join_left_behind`]).
pub fn within<T: Send + 'static>(
    timeout: Option<Duration>,
    cancel: &CancellationToken,
    work: impl FnOnce(CancellationToken) -> Result<T, QueryError> + Send + 'static,
) -> Result<T, QueryError> {
    let token = CancellationToken::new();
    let deadline = Deadline::start(token.clone(), timeout);
    let (tx, rx) = std::sync::mpsc::channel();
    let worker_token = token.clone();
    let worker = std::thread::spawn(move || {
        let _ = tx.send(work(worker_token));
    });
    let mut stopping: Option<(Instant, QueryError)> = None;
    loop {
        match rx.recv_timeout(Duration::from_millis(20)) {
            Ok(r) => {
                // The thread ends (its store handle released) before the
                // answer is used: RocksDB aborts a process that exits while
                // a thread still holds its thread-local state.
                let _ = worker.join();
                // An error once stopped is the stop showing through (a
                // writer's "cancelled" in its own words).
                return match (stopping, r) {
                    (Some((_, why)), Err(_)) => Err(why),
                    (_, Err(_)) if deadline.expired() => Err(deadline.error()),
                    (_, r) => r,
                };
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                if stopping.is_none() {
                    if deadline.expired() {
                        stopping = Some((Instant::now(), deadline.error()));
                    } else if cancel.is_cancelled() {
                        token.cancel();
                        stopping = Some((Instant::now(), QueryError::Cancelled));
                    }
                }
                if stopping
                    .as_ref()
                    .is_some_and(|(since, _)| since.elapsed() >= GRACE)
                {
                    let (_, why) = stopping.take().expect("just checked");
                    LEFT_BEHIND
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(worker);
                    return Err(why);
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                let _ = worker.join();
                return Err(QueryError::Failed(
                    "query failed: the evaluation stopped unexpectedly".into(),
                ));
            }
        }
    }
}

/// Evaluates a parsed query on `store` (the default graph the union of all
/// graphs unless the query names its dataset) with variables bound, and
/// collects its result, all under `limits`; see [`within`].
pub fn run_query(
    store: &oxigraph::store::Store,
    query: spargebra::Query,
    bindings: Vec<(Variable, Term)>,
    limits: &QueryLimits,
    cancel: &CancellationToken,
) -> Result<(Collected, Duration), QueryError> {
    let store = store.clone();
    let limits = *limits;
    within(limits.timeout, cancel, move |token| {
        let t0 = Instant::now();
        let union = query.dataset().is_none();
        let mut prepared = SparqlEvaluator::new()
            .with_cancellation_token(token)
            .for_query(query);
        if union {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        for (v, t) in bindings {
            prepared = prepared.substitute_variable(v, t);
        }
        let results = prepared
            .on_store(&store)
            .execute()
            .map_err(QueryError::of)?;
        let collected = collect(results, &limits)?;
        Ok((collected, t0.elapsed()))
    })
}

/// Cancelled evaluations nobody waited for. Most stop at their next
/// cancellation check; some joins check seldom and run on for minutes.
static LEFT_BEHIND: Mutex<Vec<JoinHandle<()>>> = Mutex::new(Vec::new());

/// Waits up to `patience` for the evaluations left behind; true when all
/// have stopped.
pub fn join_left_behind(patience: Duration) -> bool {
    let workers = std::mem::take(&mut *LEFT_BEHIND.lock().unwrap_or_else(|e| e.into_inner()));
    let until = Instant::now() + patience;
    while Instant::now() < until && workers.iter().any(|w| !w.is_finished()) {
        std::thread::sleep(Duration::from_millis(10));
    }
    let done = workers.iter().all(|w| w.is_finished());
    let mut running = Vec::new();
    for w in workers {
        if w.is_finished() {
            let _ = w.join();
        } else {
            running.push(w);
        }
    }
    LEFT_BEHIND
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .extend(running);
    done
}

/// Ends the process with `code` at once when an evaluation left behind
/// still reads the store: a normal exit runs RocksDB's static destructors
/// under that thread, which aborts ("pthread lock: Invalid argument").
/// Returns when nothing is left running. Whatever was written to the store
/// is already in its write-ahead log; an update left behind never commits.
pub fn exit_past_running_queries(code: i32) {
    if join_left_behind(Duration::from_secs(1)) {
        return;
    }
    use std::io::Write;
    let _ = std::io::stderr().flush();
    // SAFETY: _exit ends the process without running destructors, which is
    // the point; standard error was flushed just before (standard output
    // may be held by the thread left behind).
    unsafe { libc::_exit(code) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_stops_past_its_rows_or_bytes() {
        let mut b = Budget::new(&QueryLimits {
            timeout: None,
            max_rows: Some(2),
            max_bytes: None,
        });
        assert!(b.take(10).is_ok() && b.take(10).is_ok());
        assert!(matches!(
            b.take(10),
            Err(QueryError::TooManyRows { limit: 2 })
        ));
        let mut b = Budget::new(&QueryLimits {
            timeout: None,
            max_rows: None,
            max_bytes: Some(100),
        });
        assert!(b.take(60).is_ok());
        assert!(matches!(b.take(60), Err(QueryError::TooLarge { .. })));
    }

    #[test]
    fn work_that_never_looks_at_its_token_still_answers_at_the_limit() {
        let t0 = Instant::now();
        let r: Result<(), _> = within(
            Some(Duration::from_millis(200)),
            &CancellationToken::new(),
            |_| {
                std::thread::sleep(Duration::from_secs(3));
                Ok(())
            },
        );
        assert!(matches!(r, Err(QueryError::TimedOut { .. })), "{r:?}");
        assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
        assert_eq!(
            QueryError::TimedOut {
                after: Duration::from_secs(1)
            }
            .to_string(),
            "query cancelled after 1 s (time limit)"
        );
    }

    #[test]
    fn work_that_ends_in_time_gives_its_answer() {
        let r = within(
            Some(Duration::from_secs(5)),
            &CancellationToken::new(),
            |_| Ok(7),
        );
        assert_eq!(r.unwrap(), 7);
    }
}
