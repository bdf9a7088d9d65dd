//! `isnad serve`: the store over HTTP. A SPARQL 1.1 endpoint at Oxigraph's
//! own paths (`/query`, `/update`, `/store`), `POST /articles` for new
//! articles, and a web explorer at `/` (search, entity, article and query
//! pages).
//!
//! Owns: the listening socket, the worker threads, routing, the write
//! token, and the file that tells other isnad processes the store is
//! served. Requests are parsed by `tiny_http`; every query runs on a
//! worker thread with a cancellation token that the watchdog fires at
//! `--timeout`.
//!
//! Architecture invariants: binds to loopback unless `--bind` names
//! another address (and then says so); nothing is written without
//! `--write-token` and the matching `Authorization: Bearer` header; writes
//! go one at a time (the store's article replacement reads then writes);
//! a request body, a query's time and an answer's size are all bounded;
//! every string from the store reaches a page escaped (`html`).

mod articles;
mod assets;
mod explorer;
pub mod html;
pub mod http;
pub mod limits;
mod sparql;

use crate::extract::Knowledge;
use crate::store::{Store, StoreError};
use http::{bearer_matches, BodyError, Req, Resp};
use limits::Watchdog;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};
use tiny_http::Method;

/// The default address: loopback only.
pub const DEFAULT_BIND: &str = "127.0.0.1:7878";

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub bind: SocketAddr,
    /// Writes are allowed with this bearer token; `None`: read-only.
    pub write_token: Option<String>,
    /// The time limit of one query or update.
    pub timeout: Duration,
    /// The largest request body, in bytes.
    pub max_body: usize,
    /// The largest answer, in bytes.
    pub max_result: usize,
    /// Worker threads answering requests.
    pub threads: usize,
    /// No line per request on standard error.
    pub quiet: bool,
}

/// What every request handler shares.
pub struct State {
    /// Itself, for the threads queries run on.
    me: Weak<State>,
    /// Queries evaluating on threads of their own (some may have been
    /// left behind at their deadline).
    evaluating: AtomicUsize,
    pub store: Store,
    pub prefixes: Vec<(String, String)>,
    pub opts: Options,
    pub watchdog: Watchdog,
    writing: Mutex<()>,
    /// Reference data for `POST /articles` (loaded when writes are allowed).
    pub knowledge: Option<Knowledge>,
    /// Bumped by every write: caches built from the store check it.
    pub generation: AtomicU64,
    search: Mutex<Option<(u64, Arc<explorer::SearchIndex>)>>,
}

/// Why a query got no answer from its evaluation.
pub enum Unfinished {
    /// Past the time limit (plus a second's grace for the evaluation to
    /// notice its cancelled token); the evaluation is left to stop.
    Expired,
    /// Too many evaluations still running.
    Busy,
}

/// Decrements the count of running evaluations when dropped.
struct Evaluating(Arc<State>);

impl Drop for Evaluating {
    fn drop(&mut self) {
        self.0.evaluating.fetch_sub(1, Ordering::SeqCst);
    }
}

impl State {
    /// Runs a read-only evaluation on a thread of its own, with a
    /// cancellation token the watchdog fires at `--timeout`. Oxigraph
    /// checks the token at every read from the store, so a query that
    /// keeps reading stops there and frees its thread. One that computes
    /// long in memory without reading (a transitive path open at both
    /// ends, a large cartesian product) does not see the token: a second
    /// after the deadline the caller answers anyway, and the evaluation is
    /// left to finish at the lowest priority. At most four per worker
    /// thread evaluate at once; past that, queries are refused as busy.
    pub fn bounded<T: Send + 'static>(
        &self,
        work: impl FnOnce(&State, &oxigraph::sparql::CancellationToken) -> T + Send + 'static,
    ) -> Result<T, Unfinished> {
        let Some(me) = self.me.upgrade() else {
            return Err(Unfinished::Busy);
        };
        if self.evaluating.fetch_add(1, Ordering::SeqCst) >= 4 * self.opts.threads.max(1) {
            self.evaluating.fetch_sub(1, Ordering::SeqCst);
            return Err(Unfinished::Busy);
        }
        let guard = Evaluating(me);
        let (tx, rx) = std::sync::mpsc::channel();
        // The evaluating thread's id, to lower its priority if it is left
        // behind.
        let tid = Arc::new(std::sync::atomic::AtomicI64::new(0));
        let its_tid = tid.clone();
        let spawned = std::thread::Builder::new()
            .name("isnad-query".into())
            .spawn(move || {
                #[cfg(target_os = "linux")]
                // SAFETY: gettid has no preconditions.
                its_tid.store(unsafe { libc::gettid() } as i64, Ordering::SeqCst);
                #[cfg(not(target_os = "linux"))]
                let _ = its_tid;
                let st = &guard.0;
                let watch = st.watchdog.watch(st.opts.timeout);
                let out = work(st, &watch.token);
                drop(watch);
                let _ = tx.send(out);
                drop(guard);
            });
        if spawned.is_err() {
            return Err(Unfinished::Busy);
        }
        rx.recv_timeout(self.opts.timeout + Duration::from_secs(1))
            .map_err(|_| {
                // Left behind: it goes on at the lowest priority, so that
                // the queries still answered come first.
                #[cfg(target_os = "linux")]
                {
                    let t = tid.load(Ordering::SeqCst);
                    if t > 0 {
                        // SAFETY: setpriority on one of this process's threads.
                        unsafe {
                            libc::setpriority(libc::PRIO_PROCESS, t as libc::id_t, 19);
                        }
                    }
                }
                Unfinished::Expired
            })
    }

    /// One writer at a time.
    pub fn write_lock(&self) -> MutexGuard<'_, ()> {
        self.writing.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The store changed: caches are stale.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The search index, built again after a write.
    fn search_index(&self) -> Result<Arc<explorer::SearchIndex>, StoreError> {
        let generation = self.generation.load(Ordering::SeqCst);
        let mut cached = self.search.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((g, idx)) = cached.as_ref() {
            if *g == generation {
                return Ok(idx.clone());
            }
        }
        let idx = Arc::new(explorer::SearchIndex::build(&self.store)?);
        *cached = Some((generation, idx.clone()));
        Ok(idx)
    }
}

/// Set by SIGINT/SIGTERM: stop taking requests and shut down.
static STOP: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

fn install_signals() {
    #[cfg(unix)]
    // SAFETY: the handler only stores to an atomic.
    unsafe {
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            libc::signal(sig, on_signal as *const () as libc::sighandler_t);
        }
    }
}

/// Serves the store at `store_at` until Ctrl-C (or SIGTERM).
pub fn run(
    store_at: &Path,
    opts: Options,
    knowledge: impl FnOnce() -> Result<Knowledge, StoreError>,
) -> Result<i32, StoreError> {
    if opts
        .write_token
        .as_deref()
        .is_some_and(|t| t.trim().is_empty())
    {
        return Err(StoreError(
            "--write-token is empty: give a token, or leave it out for a read-only server".into(),
        ));
    }
    // Writes may start from an empty store; a read-only server needs one.
    let store = Store::open(store_at, opts.write_token.is_some())?;
    let knowledge = match opts.write_token {
        Some(_) => Some(knowledge()?),
        None => None,
    };
    let server = tiny_http::Server::http(opts.bind)
        .map_err(|e| StoreError(format!("cannot listen on {}: {e}", opts.bind)))?;
    let addr = server.server_addr().to_ip().unwrap_or(opts.bind);
    let url = format!("http://{addr}");
    crate::store::mark_served(store_at, &url).map_err(|e| {
        StoreError(format!(
            "{}: cannot write the server mark: {e}",
            store_at.display()
        ))
    })?;
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: serving on {addr}, which other machines can reach: anyone who can connect reads the whole store{}",
            if opts.write_token.is_some() {
                ", and the write token crosses the network in clear (plain HTTP)"
            } else {
                ""
            }
        );
    }
    eprintln!(
        "isnad serve: {url}/ (explorer), {url}/query, {url}/update, {url}/store, {url}/articles; store {}; {}; Ctrl-C stops",
        store_at.display(),
        if opts.write_token.is_some() {
            "writes need the bearer token"
        } else {
            "read-only"
        }
    );
    install_signals();
    let st = Arc::new_cyclic(|me| State {
        me: me.clone(),
        evaluating: AtomicUsize::new(0),
        store,
        prefixes: crate::rdf::contract_prefixes(),
        opts,
        watchdog: Watchdog::default(),
        writing: Mutex::new(()),
        knowledge,
        generation: AtomicU64::new(0),
        search: Mutex::new(None),
    });
    std::thread::scope(|s| {
        s.spawn(|| st.watchdog.run());
        let workers: Vec<_> = (0..st.opts.threads.max(1))
            .map(|_| {
                s.spawn(|| {
                    while !STOP.load(Ordering::SeqCst) {
                        match server.recv_timeout(Duration::from_millis(200)) {
                            Ok(Some(rq)) => handle(&st, rq),
                            Ok(None) => {}
                            Err(_) => std::thread::sleep(Duration::from_millis(50)),
                        }
                    }
                })
            })
            .collect();
        while !STOP.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(100));
        }
        // Running queries are cancelled; workers finish what they hold.
        st.watchdog.stop();
        for w in workers {
            let _ = w.join();
        }
    });
    drop(server);
    // Evaluations left behind at their deadline had their tokens fired;
    // most stop at their next read from the store.
    let quiet = st.opts.quiet;
    let deadline = Instant::now() + Duration::from_secs(5);
    while Arc::strong_count(&st) > 1 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    if Arc::strong_count(&st) > 1 {
        // One still computes: RocksDB aborts when a thread still holding it
        // outlives the store, so the process ends now, without destructors
        // (every write was committed; nothing is lost).
        crate::store::unmark_served(store_at);
        eprintln!("isnad serve: stopped (a cancelled query was still computing)");
        // SAFETY: _exit ends the process without running destructors.
        unsafe { libc::_exit(0) }
    }
    drop(st);
    crate::store::unmark_served(store_at);
    if !quiet {
        eprintln!("isnad serve: stopped");
    }
    Ok(0)
}

/// Answers one request (a fault in a handler is a 500, never a crash).
fn handle(st: &State, mut rq: tiny_http::Request) {
    let started = Instant::now();
    let method = rq.method().clone();
    let url = rq.url().to_string();
    let resp = match Req::read(&mut rq, st.opts.max_body) {
        Ok(req) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| route(st, &req)))
            .unwrap_or_else(|_| {
                Resp::error(500, "internal error while answering (please report it)")
            }),
        Err(BodyError::TooLarge) => Resp::error(
            413,
            format!(
                "the request body is larger than {} MB (--max-body-mb)",
                st.opts.max_body >> 20
            ),
        ),
        Err(BodyError::Io(e)) => Resp::error(400, format!("cannot read the request body: {e}")),
    };
    if !st.opts.quiet {
        let path = url.split('?').next().unwrap_or("");
        eprintln!(
            "{method} {path} {} {} ms",
            resp.status,
            started.elapsed().as_millis()
        );
    }
    let _ = rq.respond(resp.into_tiny());
}

/// Checks the write token: `None` lets the write through.
fn refused(st: &State, req: &Req) -> Option<Resp> {
    match &st.opts.write_token {
        None => Some(Resp::error(
            403,
            "this server is read-only: start it with --write-token (or $ISNAD_WRITE_TOKEN) to allow writes",
        )),
        Some(t) if bearer_matches(req.header("Authorization"), t) => None,
        Some(_) => Some(
            Resp::error(
                401,
                "writes need the header Authorization: Bearer <the server's write token>",
            )
            .with_header("WWW-Authenticate", "Bearer realm=\"isnad\""),
        ),
    }
}

fn route(st: &State, req: &Req) -> Resp {
    if req.method == Method::Options {
        return Resp::no_content()
            .with_header(
                "Access-Control-Allow-Methods",
                "GET, HEAD, POST, PUT, DELETE, OPTIONS",
            )
            .with_header(
                "Access-Control-Allow-Headers",
                "Authorization, Content-Type, Accept",
            )
            .with_header("Access-Control-Max-Age", "86400")
            .with_header("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS");
    }
    let write = |f: fn(&State, &Req) -> Resp| refused(st, req).unwrap_or_else(|| f(st, req));
    match (req.path.as_str(), &req.method) {
        ("/query", _) => sparql::query(st, req),
        ("/update", _) => write(sparql::update),
        ("/store", Method::Get | Method::Head) => sparql::store_get(st, req),
        ("/store", Method::Put | Method::Post | Method::Delete) => write(sparql::store_write),
        ("/store", _) => Resp::error(405, "/store takes GET, HEAD, PUT, POST or DELETE"),
        ("/articles", Method::Post) => write(articles::post),
        ("/articles", _) => Resp::error(405, "/articles takes POST (an article file as the body)")
            .with_header("Allow", "POST, OPTIONS"),
        (path, Method::Get | Method::Head) => explorer::page(st, req, path),
        _ => Resp::error(404, format!("no such path: {}", req.path)),
    }
}
