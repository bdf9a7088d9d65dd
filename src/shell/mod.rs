//! The interactive SPARQL shell (`isnad shell`) and its script runner
//! (`isnad shell -f SCRIPT`, a script on standard input, `.read`).
//!
//! Owns: the read–run loop, the shell's settings (prefixes, format, timer,
//! default limit, bail, output), running SPARQL queries and updates with
//! cancellation, the dot-commands' effects, and error reports that point
//! at the script line or the statement's line and column.
//!
//! Must not: change what the store, the pipeline or the renderer do; it
//! calls them. The submodules split the rest: [`lexer`] (where statements
//! end), [`commands`] (the dot-command definitions and `.help`),
//! [`complete`] (completion, highlighting, validation), [`output`] (formats,
//! pager, `.output`) and [`queries`] (the embedded saved queries).

pub mod commands;
pub mod complete;
pub mod lexer;
pub mod output;
pub mod queries;

use crate::extract::Knowledge;
use crate::pipeline::{self, IngestOptions};
use crate::rdf::vocab;
use crate::render;
use crate::store::limits::{self, Collected, QueryError, QueryLimits};
use crate::store::{format_of_path, Store, StoreError};
use commands::{Dot, Format};
use output::Output;
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term, TermRef};
use oxigraph::sparql::{CancellationToken, QueryResults, Variable};
use rustyline::config::Config;
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{CompletionType, Editor};
use spargebra::algebra::GraphPattern;
use spargebra::SparqlParser;
use std::cell::RefCell;
use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the shell and its line-editor helper share.
pub struct Shared {
    /// The store; `.reopen` replaces it.
    pub store: RefCell<Store>,
    /// The declared prefixes: the contract's, then `.prefix` ones.
    pub prefixes: RefCell<Vec<(String, String)>>,
    /// IRIs offered by completion (computed on first use).
    terms: RefCell<Option<Rc<Vec<String>>>>,
}

impl Shared {
    fn new(store: Store) -> Shared {
        Shared {
            store: RefCell::new(store),
            prefixes: RefCell::new(crate::rdf::contract_prefixes()),
            terms: RefCell::new(None),
        }
    }

    /// The first column of a query's rows as text (empty on any error).
    pub fn strings(&self, q: &str) -> Vec<String> {
        let Ok(QueryResults::Solutions(rows)) = self
            .store
            .borrow()
            .query(q, &crate::rdf::contract_prefixes())
        else {
            return Vec::new();
        };
        rows.filter_map(Result::ok)
            .filter_map(|r| {
                r.values().first().cloned().flatten().map(|t| match t {
                    Term::NamedNode(n) => n.into_string(),
                    Term::Literal(l) => l.value().to_string(),
                    other => other.to_string(),
                })
            })
            .collect()
    }

    /// Classes, properties and other terms of the ontology, classes and
    /// predicates used in the store, and mentioned entities.
    pub fn terms(&self) -> Rc<Vec<String>> {
        if let Some(t) = self.terms.borrow().as_ref() {
            return t.clone();
        }
        let mut t = self.strings(&format!(
            "SELECT DISTINCT ?t WHERE {{
               {{ GRAPH <{}> {{ ?t ?p ?o }} FILTER(isIRI(?t)) }}
               UNION {{ {{ SELECT ?t WHERE {{ [] a ?t }} LIMIT 200000 }} }}
               UNION {{ {{ SELECT ?t WHERE {{ ?s ?t ?o }} LIMIT 200000 }} }}
               UNION {{ {{ SELECT DISTINCT ?t WHERE {{ ?t isn:mentionedIn ?a }} LIMIT 20000 }} }}
             }}",
            vocab::ONTOLOGY_GRAPH
        ));
        t.sort();
        t.dedup();
        let t = Rc::new(t);
        *self.terms.borrow_mut() = Some(t.clone());
        t
    }

    /// Forgets the completion terms (after the store changed).
    pub fn invalidate(&self) {
        *self.terms.borrow_mut() = None;
    }
}

/// Set by the SIGINT handler while the shell runs a statement.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
extern "C" fn on_sigint(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Ctrl-C outside the line editor cancels the running statement instead
/// of ending the shell (the line editor installs and restores its own).
fn install_sigint() {
    #[cfg(unix)]
    // SAFETY: the handler only stores to an atomic.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_sigint as *const () as usize;
        sa.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(libc::SIGINT, &sa, std::ptr::null_mut());
    }
}

/// Cancels a token when Ctrl-C is pressed, until dropped.
struct Watch {
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Watch {
    fn start(token: CancellationToken) -> Watch {
        INTERRUPTED.store(false, Ordering::SeqCst);
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        let handle = std::thread::spawn(move || {
            while !s.load(Ordering::SeqCst) {
                if INTERRUPTED.swap(false, Ordering::SeqCst) {
                    token.cancel();
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        Watch {
            stop,
            handle: Some(handle),
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// Ends the process at once when a cancelled evaluation still reads the
/// store: a normal exit runs RocksDB's static destructors under that
/// thread, which aborts ("pthread lock: Invalid argument"). Whatever the
/// shell wrote to the store is already in its write-ahead log.
fn exit_past_running_queries(code: &Result<i32, StoreError>) {
    if limits::join_left_behind(Duration::from_secs(1)) {
        return;
    }
    let status = match code {
        Ok(c) => *c,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    };
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: _exit ends the process without running destructors, which is
    // the point; standard output and error were flushed just before.
    unsafe { libc::_exit(status) }
}

/// Where a statement or command starts, for error messages.
#[derive(Clone, Debug)]
struct Origin {
    /// The script's name; `None` interactively.
    script: Option<Rc<str>>,
    /// The line the statement starts on (1-based).
    line: usize,
    /// The text of that line before the statement.
    lead: String,
}

/// A statement or command that failed.
#[derive(Debug)]
struct Failure {
    msg: String,
    /// (line, column) within the statement, for syntax errors.
    at: Option<(usize, usize)>,
    /// Already reported (by a nested script).
    reported: bool,
}

impl Failure {
    fn new(msg: impl Into<String>) -> Failure {
        Failure {
            msg: msg.into(),
            at: None,
            reported: false,
        }
    }

    /// From Oxigraph's "error at L:C: …".
    fn syntax(e: impl std::fmt::Display) -> Failure {
        let msg = e.to_string();
        if let Some(rest) = msg.split("error at ").nth(1) {
            let mut parts = rest.splitn(3, ':');
            if let (Some(l), Some(c), Some(tail)) = (parts.next(), parts.next(), parts.next()) {
                if let (Ok(l), Ok(c)) = (l.trim().parse::<usize>(), c.trim().parse::<usize>()) {
                    return Failure {
                        msg: shorten_expected(tail.trim()),
                        at: Some((l.max(1), c.max(1))),
                        reported: false,
                    };
                }
            }
        }
        Failure::new(format!("SPARQL syntax error: {msg}"))
    }
}

/// The parser lists everything it expected, character classes included;
/// one short line of it is enough to see the mistake.
fn shorten_expected(msg: &str) -> String {
    let first = msg.lines().next().unwrap_or("");
    if first.chars().count() <= 100 && !msg.contains('\n') {
        return msg.to_string();
    }
    let cut: String = first.chars().take(100).collect();
    match cut.rfind(", ") {
        Some(i) => format!("{}, …", &cut[..i]),
        None => format!("{cut}…"),
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        Failure::new(e.0)
    }
}

/// A complete statement taken from the input.
struct Stmt {
    text: String,
    origin: Origin,
}

/// Input that has not made a whole statement yet, with where it started.
struct Pending {
    text: String,
    /// The line `text` starts on.
    line: usize,
    /// The text of that line before `text`.
    lead: String,
}

impl Pending {
    fn new(line: usize) -> Pending {
        Pending {
            text: String::new(),
            line,
            lead: String::new(),
        }
    }

    fn is_blank(&self) -> bool {
        lexer::is_blank(&self.text)
    }

    /// Starts over at `line` (dropping whitespace and comments).
    fn reset(&mut self, line: usize) {
        self.text.clear();
        self.lead.clear();
        self.line = line;
    }

    /// Removes and returns the statements that a `;` has ended.
    fn take(&mut self, script: &Option<Rc<str>>) -> Vec<Stmt> {
        let split = lexer::split(&self.text);
        let mut out = Vec::new();
        for r in split.statements {
            let before = &self.text[..r.start];
            let lead = match before.rfind('\n') {
                Some(i) => before[i + 1..].to_string(),
                None => format!("{}{before}", self.lead),
            };
            out.push(Stmt {
                text: self.text[r].to_string(),
                origin: Origin {
                    script: script.clone(),
                    line: self.line + before.matches('\n').count(),
                    lead,
                },
            });
        }
        let consumed = &self.text[..split.rest];
        self.line += consumed.matches('\n').count();
        match consumed.rfind('\n') {
            Some(i) => self.lead = consumed[i + 1..].to_string(),
            None => self.lead.push_str(consumed),
        }
        self.text.drain(..split.rest);
        out
    }

    /// The unfinished rest as a last statement (end of a script).
    fn rest(&mut self, script: &Option<Rc<str>>) -> Option<Stmt> {
        let start = lexer::first_token_start(&self.text)?;
        let before = &self.text[..start];
        let lead = match before.rfind('\n') {
            Some(i) => before[i + 1..].to_string(),
            None => format!("{}{before}", self.lead),
        };
        let s = Stmt {
            text: self.text[start..].trim_end().to_string(),
            origin: Origin {
                script: script.clone(),
                line: self.line + before.matches('\n').count(),
                lead,
            },
        };
        self.text.clear();
        Some(s)
    }
}

/// The shell's state.
struct Shell<K> {
    shared: Rc<Shared>,
    store_path: PathBuf,
    format: Format,
    timer: bool,
    limit: usize,
    wide: bool,
    bail: bool,
    out: Output,
    /// Reading from a person at a terminal (prompts, Ctrl-C cancels).
    interactive: bool,
    /// ANSI colours on standard error.
    color: bool,
    knowledge: K,
    compiled: Option<Knowledge>,
    depth: usize,
    quit: bool,
    /// The store's files read in the background (interactive shells).
    warming: Option<crate::store::warm::Background>,
    /// Cancel a statement past this time (`.timeout`; none by default).
    timeout: Option<Duration>,
}

/// Runs the shell: the script when given, else standard input as a script
/// when it is not a terminal, else interactively. Returns the exit code.
/// With `warm`, an interactive shell reads the store's files in the
/// background while the person types ([`crate::store::warm`]).
pub fn run(
    store: &Path,
    script: Option<&Path>,
    warm: bool,
    knowledge: impl Fn() -> Result<Knowledge, StoreError>,
) -> Result<i32, StoreError> {
    let st = Store::open_reader(store, true)?;
    if let Some(note) = st.read_only_note() {
        eprintln!("{note} (.reopen to look again)");
    }
    let interactive = script.is_none() && std::io::stdin().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut shell = Shell {
        shared: Rc::new(Shared::new(st)),
        store_path: store.to_path_buf(),
        format: Format::Table,
        timer: interactive,
        limit: if interactive { 1000 } else { 0 },
        wide: false,
        bail: true,
        out: Output::new(interactive),
        interactive,
        color: interactive && !no_color && std::io::stderr().is_terminal(),
        knowledge,
        compiled: None,
        depth: 0,
        quit: false,
        // Stopped and joined with the shell (at most one read later).
        warming: (warm && interactive).then(|| {
            crate::store::warm::Background::start(store, crate::store::warm::default_budget())
        }),
        timeout: None,
    };
    let code = match script {
        Some(p) if !crate::cli::is_stdin(p) => {
            let f = std::fs::File::open(p)
                .map_err(|e| StoreError(format!("{}: cannot read: {e}", p.display())))?;
            shell.script(&p.display().to_string(), BufReader::new(f))
        }
        _ if !interactive => shell.script("<stdin>", std::io::stdin().lock()),
        _ => shell.interactive(!no_color),
    };
    let finished = shell.out.finish();
    // The shell's own handle closes first (summary counts, flush).
    drop(shell);
    let code = finished.and(code.map(|ok| if ok { 0 } else { 1 }));
    exit_past_running_queries(&code);
    code
}

/// "1 s", "2.5 s".
fn elapsed_secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if (s - s.round()).abs() < 0.05 {
        format!("{} s", s.round() as u64)
    } else {
        format!("{s:.1} s")
    }
}

fn elapsed(d: Duration) -> String {
    if d.as_secs_f64() < 1.0 {
        format!("{:.1} ms", d.as_secs_f64() * 1000.0)
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

impl<K: Fn() -> Result<Knowledge, StoreError>> Shell<K> {
    fn store(&self) -> std::cell::Ref<'_, Store> {
        self.shared.store.borrow()
    }

    fn prefixes(&self) -> Vec<(String, String)> {
        self.shared.prefixes.borrow().clone()
    }

    /// A note for the person at the terminal (standard error).
    fn note(&self, msg: &str) {
        eprintln!("{msg}");
    }

    // ----- input ---------------------------------------------------------

    /// Runs a script; false when a statement or command failed.
    fn script(&mut self, name: &str, reader: impl BufRead) -> Result<bool, StoreError> {
        let script: Option<Rc<str>> = Some(Rc::from(name));
        let mut pending = Pending::new(1);
        let mut ok = true;
        for (i, line) in reader.lines().enumerate() {
            let lineno = i + 1;
            let line =
                line.map_err(|e| StoreError(format!("{name}:{lineno}: cannot read: {e}")))?;
            if pending.is_blank() {
                pending.reset(lineno);
                if line.trim_start().starts_with('.') {
                    let origin = Origin {
                        script: script.clone(),
                        line: lineno,
                        lead: String::new(),
                    };
                    if !self.step(|s| s.dot(&line), None, &origin, &mut ok)? {
                        return Ok(false);
                    }
                    if self.quit {
                        return Ok(ok);
                    }
                    continue;
                }
            }
            pending.text.push_str(&line);
            pending.text.push('\n');
            for stmt in pending.take(&script) {
                if !self.step(
                    |s| s.statement(&stmt.text),
                    Some(&stmt.text),
                    &stmt.origin,
                    &mut ok,
                )? {
                    return Ok(false);
                }
            }
        }
        if let Some(stmt) = pending.rest(&script) {
            self.step(
                |s| s.statement(&stmt.text),
                Some(&stmt.text),
                &stmt.origin,
                &mut ok,
            )?;
        }
        Ok(ok)
    }

    /// Runs one statement or command of a script and reports its failure;
    /// false when the script must stop (`.bail on`).
    fn step(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<(), Failure>,
        text: Option<&str>,
        origin: &Origin,
        ok: &mut bool,
    ) -> Result<bool, StoreError> {
        match f(self) {
            Ok(()) => Ok(true),
            Err(e) => {
                // Nobody reads what a closed pipe would have shown.
                if e.msg.contains("Broken pipe") {
                    return Err(StoreError(e.msg));
                }
                *ok = false;
                if !e.reported {
                    self.report(&e, text, origin);
                }
                Ok(!self.bail)
            }
        }
    }

    /// Prints a failure: `SCRIPT:LINE: …` in scripts, `error: …` at the
    /// prompt; syntax errors show the line with a caret under the fault.
    fn report(&self, e: &Failure, text: Option<&str>, origin: &Origin) {
        let (red, bold, reset) = if self.color {
            ("\x1b[1;31m", "\x1b[1m", "\x1b[0m")
        } else {
            ("", "", "")
        };
        let mut line = origin.line;
        let mut body = e.msg.clone();
        if let (Some((l, c)), Some(text)) = (e.at, text) {
            let src = text.lines().nth(l - 1).unwrap_or("");
            let (full, col) = if l == 1 {
                (
                    format!("{}{src}", origin.lead),
                    origin.lead.chars().count() + c,
                )
            } else {
                (src.to_string(), c)
            };
            line = origin.line + l - 1;
            let caret: String = full
                .chars()
                .take(col - 1)
                .map(|ch| {
                    if ch == '\t' {
                        "\t".to_string()
                    } else {
                        " ".repeat(render::width(ch.encode_utf8(&mut [0; 4])))
                    }
                })
                .collect();
            body = match origin.script {
                Some(_) => format!("SPARQL syntax error at column {col}: {}", e.msg),
                None => format!(
                    "SPARQL syntax error at line {line}, column {col}: {}",
                    e.msg
                ),
            };
            body.push_str(&format!("\n  {full}\n  {caret}{red}^{reset}"));
        }
        match &origin.script {
            Some(name) => eprintln!("{bold}{name}:{line}:{reset} {body}"),
            None => eprintln!("{red}error:{reset} {body}"),
        }
    }

    /// The interactive loop.
    fn interactive(&mut self, colours: bool) -> Result<bool, StoreError> {
        let rl_err = |e: ReadlineError| StoreError(format!("line editor: {e}"));
        let config = Config::builder()
            .completion_type(CompletionType::List)
            .auto_add_history(false)
            .history_ignore_space(true)
            .max_history_size(10_000)
            .map_err(rl_err)?
            .color_mode(if colours {
                rustyline::ColorMode::Enabled
            } else {
                rustyline::ColorMode::Disabled
            })
            .build();
        let mut rl: Editor<complete::ShellHelper, DefaultHistory> =
            Editor::with_config(config).map_err(rl_err)?;
        let colour_input = colours && std::io::stdout().is_terminal();
        rl.set_helper(Some(complete::ShellHelper::new(
            self.shared.clone(),
            colour_input,
        )));
        let history = dirs::data_dir().map(|d| d.join("isnad").join("history"));
        if let Some(h) = &history {
            if let Some(dir) = h.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = rl.load_history(h);
        }
        install_sigint();
        let name = self.store_path.file_name().map_or_else(
            || self.store_path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let main = format!("{name}> ");
        let w = render::width(&name);
        let cont = format!("{}...> ", " ".repeat(w.saturating_sub(3)));
        let styled = |p: &str, c: &str| {
            if colour_input {
                format!("{c}{p}\x1b[0m")
            } else {
                p.to_string()
            }
        };
        let (main_s, cont_s) = (styled(&main, "\x1b[1;32m"), styled(&cont, "\x1b[2m"));
        self.note(&format!(
            "isnad shell · store {} · statements end with ';' · .help for commands, Ctrl-D to leave",
            self.store_path.display()
        ));
        let mut pending = Pending::new(1);
        loop {
            let blank = pending.is_blank();
            if blank {
                pending.reset(1);
            }
            if let Some(h) = rl.helper() {
                h.set_pending(&pending.text);
            }
            let prompt = if blank {
                (&main, &main_s)
            } else {
                (&cont, &cont_s)
            };
            match rl.readline(&(prompt.0.as_str(), prompt.1.as_str())) {
                Ok(line) => {
                    if blank && line.trim_start().starts_with('.') {
                        let _ = rl.add_history_entry(line.trim());
                        let origin = Origin {
                            script: None,
                            line: 1,
                            lead: String::new(),
                        };
                        if let Err(e) = self.dot(&line) {
                            if !e.reported {
                                self.report(&e, None, &origin);
                            }
                        }
                        if self.quit {
                            break;
                        }
                    } else {
                        pending.text.push_str(&line);
                        pending.text.push('\n');
                        for stmt in pending.take(&None) {
                            let _ = rl.add_history_entry(format!("{};", stmt.text.trim_end()));
                            if let Err(e) = self.statement(&stmt.text) {
                                self.report(&e, Some(&stmt.text), &stmt.origin);
                            }
                        }
                    }
                    if let Some(h) = &history {
                        let _ = rl.append_history(h);
                    }
                }
                Err(ReadlineError::Interrupted) => pending.reset(1),
                Err(ReadlineError::Eof) => break,
                Err(e) => return Err(rl_err(e)),
            }
        }
        if let Some(h) = &history {
            let _ = rl.append_history(h);
        }
        Ok(true)
    }

    // ----- SPARQL --------------------------------------------------------

    fn parser(&self) -> Result<SparqlParser, Failure> {
        let mut p = SparqlParser::new();
        for (name, ns) in self.shared.prefixes.borrow().iter() {
            p = p
                .with_prefix(name.as_str(), ns.as_str())
                .map_err(|e| Failure::new(format!("prefix {name}: {e}")))?;
        }
        Ok(p)
    }

    /// Runs one SPARQL statement: an update (by its leading keyword) or a
    /// query.
    fn statement(&mut self, text: &str) -> Result<(), Failure> {
        if lexer::is_update(text) {
            let update = self.parser()?.parse_update(text).map_err(Failure::syntax)?;
            let token = CancellationToken::new();
            let watch = self.interactive.then(|| Watch::start(token.clone()));
            let deadline = limits::Deadline::start(token.clone(), self.timeout);
            let t0 = Instant::now();
            let r = self.store().run_update(update, token.clone());
            drop(watch);
            self.shared.invalidate();
            r.map_err(|e| {
                if deadline.expired() {
                    Failure::new(format!(
                        "update cancelled after {} (.timeout); nothing was changed",
                        elapsed_secs(self.timeout.unwrap_or_default())
                    ))
                } else if token.is_cancelled() {
                    Failure::new("update cancelled; nothing was changed")
                } else {
                    Failure::from(e)
                }
            })?;
            if self.interactive {
                let t = if self.timer {
                    format!(" ({})", elapsed(t0.elapsed()))
                } else {
                    String::new()
                };
                self.note(&format!("done{t}"));
            }
            return Ok(());
        }
        let query = self.parser()?.parse_query(text).map_err(Failure::syntax)?;
        self.query(query, Vec::new())
    }

    /// Runs a parsed query with variables bound, and shows its results.
    fn query(
        &mut self,
        mut query: spargebra::Query,
        bindings: Vec<(Variable, Term)>,
    ) -> Result<(), Failure> {
        let mut limited = None;
        if self.limit > 0 {
            if let spargebra::Query::Select { pattern, .. } = &mut query {
                if !matches!(pattern, GraphPattern::Slice { .. }) {
                    let inner = std::mem::replace(
                        pattern,
                        GraphPattern::Bgp {
                            patterns: Vec::new(),
                        },
                    );
                    *pattern = GraphPattern::Slice {
                        inner: Box::new(inner),
                        start: 0,
                        length: Some(self.limit),
                    };
                    limited = Some(self.limit);
                }
            }
        }
        let cancel = CancellationToken::new();
        let watch = self.interactive.then(|| Watch::start(cancel.clone()));
        let limits = QueryLimits::interactive().with_timeout(self.timeout);
        let ox = self.store().oxigraph().clone();
        let done = limits::run_query(&ox, query, bindings, &limits, &cancel);
        drop(watch);
        let (results, took) = done.map_err(|e| {
            Failure::new(match e {
                QueryError::TimedOut { after } => {
                    format!("query cancelled after {} (.timeout)", elapsed_secs(after))
                }
                QueryError::TooManyRows { .. } | QueryError::TooLarge { .. } => format!(
                    "{e}: stopped (add a LIMIT, or .output FILE with .format tsv, csv or json)"
                ),
                QueryError::Failed(msg) => {
                    self.store()
                        .eval_err("query failed", msg.trim_start_matches("query failed: "))
                        .0
                }
                e => e.to_string(),
            })
        })?;
        let prefixes = self.prefixes();
        let format = self.format;
        // (results, footer, whether the footer belongs in the output)
        let (text, footer, inline) = match results {
            Collected::Rows(vars, rows) => {
                let width = if self.wide || !self.out.is_terminal() {
                    None
                } else {
                    output::terminal_size().map(|(c, _)| c)
                };
                let text = output::solutions(&vars, &rows, format, &prefixes, width)?;
                let mut footer = output::count(rows.len(), "row");
                if self.timer {
                    footer.push_str(&format!(" ({})", elapsed(took)));
                }
                if limited.is_some_and(|n| n == rows.len()) {
                    footer.push_str(&format!(
                        " · stopped at the default LIMIT {} (.limit N to change, .limit 0 for all)",
                        self.limit
                    ));
                }
                (text, Some(footer), format == Format::Table)
            }
            Collected::Ask(b) => {
                let footer = self.timer.then(|| format!("({})", elapsed(took)));
                (output::boolean(b, format)?, footer, false)
            }
            Collected::Graph(triples) => {
                let mut footer = output::count(triples.len(), "triple");
                if self.timer {
                    footer.push_str(&format!(" ({})", elapsed(took)));
                }
                (
                    output::graph(triples, format, &prefixes)?,
                    Some(footer),
                    false,
                )
            }
        };
        // Tables carry their row count; other formats stay pure, and the
        // count goes to the person at the terminal.
        match footer {
            Some(f) if inline => self.out.emit(&format!("{text}{f}\n"))?,
            Some(f) => {
                self.out.emit(&text)?;
                if self.interactive {
                    self.note(&f);
                }
            }
            None => self.out.emit(&text)?,
        }
        Ok(())
    }

    /// Runs a SPARQL query given as text (the listing commands).
    fn listing(&mut self, q: &str) -> Result<(), Failure> {
        let query = self.parser()?.parse_query(q).map_err(Failure::syntax)?;
        let limit = std::mem::replace(&mut self.limit, 0);
        let r = self.query(query, Vec::new());
        self.limit = limit;
        r
    }

    // ----- terms -----------------------------------------------------------

    /// `<iri>`, `prefix:local` or a bare absolute IRI.
    fn iri(&self, s: &str) -> Result<NamedNode, Failure> {
        let s = s.trim();
        if let Some(inner) = s.strip_prefix('<').and_then(|x| x.strip_suffix('>')) {
            return NamedNode::new(inner)
                .map_err(|e| Failure::new(format!("{s}: not an IRI: {e}")));
        }
        if let Some((p, local)) = s.split_once(':') {
            if let Some((_, ns)) = self.shared.prefixes.borrow().iter().find(|(q, _)| q == p) {
                return NamedNode::new(format!("{ns}{local}"))
                    .map_err(|e| Failure::new(format!("{s}: not an IRI: {e}")));
            }
            if !local.starts_with("//") {
                return Err(Failure::new(format!("unknown prefix {p}: (see .prefixes)")));
            }
        }
        NamedNode::new(s)
            .map_err(|_| Failure::new(format!("{s}: not an IRI (write <…> or prefix:name)")))
    }

    /// A `.run` argument: an IRI, a prefixed name, a number, an N-Triples
    /// literal (`"x"@ar`), or else plain text.
    fn term(&self, s: &str) -> Result<Term, Failure> {
        if s.starts_with('<')
            || s.split_once(':')
                .is_some_and(|(p, _)| self.shared.prefixes.borrow().iter().any(|(q, _)| q == p))
        {
            return self.iri(s).map(Term::from);
        }
        if let Ok(i) = s.parse::<i64>() {
            return Ok(oxigraph::model::Literal::from(i).into());
        }
        // A day (2024-01-17) is an xsd:date: the saved queries page by it.
        if s.len() == 10 && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() {
            return Ok(oxigraph::model::Literal::new_typed_literal(
                s,
                oxigraph::model::vocab::xsd::DATE,
            )
            .into());
        }
        if s.starts_with('"') {
            if let Ok(t) = s.parse::<Term>() {
                return Ok(t);
            }
        }
        Ok(oxigraph::model::Literal::new_simple_literal(s).into())
    }

    /// A term as shown on cards: prefixed IRIs, literals with their
    /// language.
    fn show(&self, t: TermRef<'_>) -> String {
        match t {
            TermRef::Literal(l) => match l.language() {
                Some(lang) => format!("{} @{lang}", l.value()),
                None => l.value().to_string(),
            },
            other => render::display_term(&other.into_owned(), &self.prefixes()),
        }
    }

    /// The best label of a node (Arabic first), if it has one.
    fn label(&self, n: &NamedOrBlankNode) -> Option<String> {
        let label = NamedNodeRef::new_unchecked(vocab::term::RDFS_LABEL);
        let mut best: Option<(bool, String)> = None;
        for q in self
            .store()
            .oxigraph()
            .quads_for_pattern(Some(n.as_ref()), Some(label), None, None)
            .flatten()
        {
            if let Term::Literal(l) = q.object {
                let ar = l.language() == Some("ar");
                if best.as_ref().is_none_or(|(b, _)| ar && !b) {
                    best = Some((ar, l.value().to_string()));
                }
            }
        }
        best.map(|(_, l)| l)
    }

    // ----- dot-commands ----------------------------------------------------

    fn dot(&mut self, line: &str) -> Result<(), Failure> {
        let cmd = commands::parse(line).map_err(Failure::new)?;
        match cmd {
            Dot::Help { command } => {
                let h = commands::help(command.as_deref()).map_err(Failure::new)?;
                self.out.emit(&h)?;
            }
            Dot::Quit => self.quit = true,
            Dot::Prefixes => {
                let p = self.prefixes();
                let w = p.iter().map(|(n, _)| render::width(n)).max().unwrap_or(0);
                let text: String = p
                    .iter()
                    .map(|(n, ns)| format!("{n}:{} <{ns}>\n", " ".repeat(w - render::width(n))))
                    .collect();
                self.out.emit(&text)?;
            }
            Dot::Prefix { name, iri } => {
                let name = name.trim_end_matches(':').to_string();
                let ok = name.chars().next().is_some_and(char::is_alphabetic)
                    && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
                    && !name.ends_with('.');
                if !ok {
                    return Err(Failure::new(format!("{name}: not a prefix name (letters, digits, _ - .)")));
                }
                let ns = iri.trim().trim_start_matches('<').trim_end_matches('>').to_string();
                NamedNode::new(&ns).map_err(|e| Failure::new(format!("<{ns}>: not an IRI: {e}")))?;
                let mut p = self.shared.prefixes.borrow_mut();
                match p.iter_mut().find(|(n, _)| *n == name) {
                    Some(entry) => entry.1 = ns,
                    None => p.push((name, ns)),
                }
            }
            Dot::Format { format } => self.format = format,
            Dot::Timer { switch } => self.timer = switch.on(),
            Dot::Limit { n } => self.limit = n,
            Dot::Wide { switch } => {
                self.wide = switch.map_or(!self.wide, |s| s.on());
                if self.interactive {
                    self.note(if self.wide { "wide: full values" } else { "wide: off (values cut to the terminal)" });
                }
            }
            Dot::Pager { switch } => self.out.pager = switch.on(),
            Dot::Output { file } => self.out.redirect(file.as_deref())?,
            Dot::Bail { switch } => self.bail = switch.on(),
            Dot::Timeout { secs } => {
                self.timeout = commands::timeout(&secs).map_err(Failure::new)?;
                if self.interactive {
                    self.note(&match self.timeout {
                        Some(t) => format!("timeout: statements are cancelled after {}", elapsed_secs(t)),
                        None => "timeout: off".to_string(),
                    });
                }
            }
            Dot::Reopen => self.reopen()?,
            Dot::Graphs => self.listing(&format!(
                "SELECT ?graph (COUNT(*) AS ?quads) WHERE {{ GRAPH ?graph {{ ?s ?p ?o }} FILTER(?graph NOT IN (<{}>, <{}>)) }} GROUP BY ?graph ORDER BY ?graph",
                vocab::ONTOLOGY_GRAPH,
                vocab::SUMMARY_GRAPH
            ))?,
            // Declared in the ontology or used in the data; instances and
            // uses are counted outside the ontology's own graph.
            Dot::Classes => self.listing(&format!(
                "SELECT ?class (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?s) AS ?instances) WHERE {{
                   {{ GRAPH <{ont}> {{ ?class a owl:Class }} FILTER(isIRI(?class)) }}
                   UNION {{ ?s a ?class FILTER NOT EXISTS {{ GRAPH <{ont}> {{ ?s a ?class }} }} }}
                   OPTIONAL {{ ?class rdfs:label ?l FILTER(langMatches(lang(?l), \"en\")) }}
                 }} GROUP BY ?class ORDER BY DESC(?instances) ?class",
                ont = vocab::ONTOLOGY_GRAPH
            ))?,
            Dot::Properties => self.listing(&format!(
                "SELECT ?property (SAMPLE(?l) AS ?label) (COUNT(?s) AS ?uses) WHERE {{
                   {{ GRAPH <{ont}> {{ VALUES ?kind {{ owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty rdf:Property }}
                                       ?property a ?kind }} }}
                   UNION {{ ?s ?property ?o FILTER NOT EXISTS {{ GRAPH <{ont}> {{ ?s ?property ?o }} }} }}
                   OPTIONAL {{ ?property rdfs:label ?l FILTER(langMatches(lang(?l), \"en\")) }}
                 }} GROUP BY ?property ORDER BY DESC(?uses) ?property",
                ont = vocab::ONTOLOGY_GRAPH
            ))?,
            Dot::Describe { term } => self.describe(&term.join(" "))?,
            Dot::Ingest { paths } => self.ingest(&paths)?,
            Dot::Load { file, graph } => {
                format_of_path(&file)?;
                if !file.exists() {
                    return Err(Failure::new(format!("{}: no such file", file.display())));
                }
                let g = graph.map(|g| self.iri(&g)).transpose()?;
                let t0 = Instant::now();
                let n = self.store().load_file(&file, g.as_ref().map(|g| g.as_str()))?;
                self.shared.invalidate();
                self.note(&format!(
                    "loaded {} from {}{}",
                    output::count(n as usize, "quad"),
                    file.display(),
                    if self.timer { format!(" ({})", elapsed(t0.elapsed())) } else { String::new() }
                ));
            }
            Dot::Export { file, graph } => {
                let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
                let format = match ext.as_str() {
                    "ttl" => crate::cli::RdfOut::Turtle,
                    "trig" => crate::cli::RdfOut::Trig,
                    "nt" => crate::cli::RdfOut::Ntriples,
                    "nq" => crate::cli::RdfOut::Nquads,
                    _ => {
                        return Err(Failure::new(format!(
                            "{}: unknown RDF format (use .ttl, .trig, .nt or .nq)",
                            file.display()
                        )))
                    }
                };
                let g = graph.map(|g| self.iri(&g)).transpose()?;
                let n = crate::cli::export(
                    &self.store(),
                    format,
                    g.as_ref().map(|g| g.as_str()),
                    false,
                    Some(&file),
                    &indicatif::ProgressBar::hidden(),
                )?;
                self.note(&format!("wrote {} to {}", output::count(n as usize, "quad"), file.display()));
            }
            Dot::Read { script } => {
                if self.depth >= 16 {
                    return Err(Failure::new(format!("{}: .read nested too deeply", script.display())));
                }
                let f = std::fs::File::open(&script)
                    .map_err(|e| Failure::new(format!("{}: cannot read: {e}", script.display())))?;
                self.depth += 1;
                let r = self.script(&script.display().to_string(), BufReader::new(f));
                self.depth -= 1;
                if !r? {
                    return Err(Failure {
                        msg: format!("{} failed", script.display()),
                        at: None,
                        reported: true,
                    });
                }
            }
            Dot::Warm => {
                use crate::store::warm;
                let line = match self.warming.as_ref().map(warm::Background::status) {
                    Some(Ok((w, took))) => {
                        let why = warm::AT_DEFAULT_BUDGET;
                        format!("warmed in the background: {}", w.describe(took, why))
                    }
                    Some(Err((read, took))) => format!(
                        "warming in the background: {} read so far, {:.1} s",
                        indicatif::HumanBytes(read),
                        took.as_secs_f64()
                    ),
                    // Here and now; Ctrl-C stops it (the shell's handler
                    // sets INTERRUPTED).
                    None => {
                        let started = Instant::now();
                        INTERRUPTED.store(false, Ordering::SeqCst);
                        let budget = warm::default_budget();
                        let w = warm::warm(&self.store_path, budget, &INTERRUPTED, |_| {})
                            .map_err(|e| warm::read_error(&self.store_path, e))?;
                        let why = if INTERRUPTED.swap(false, Ordering::SeqCst) {
                            "stopped by Ctrl-C"
                        } else {
                            warm::AT_DEFAULT_BUDGET
                        };
                        format!("warmed: {}", w.describe(started.elapsed(), why))
                    }
                };
                self.note(&line);
            }
            Dot::Stats => {
                let s = self.store().stats()?;
                let g = |n: u64| crate::cli::group(n as usize);
                let mut rows: Vec<(String, String)> = vec![
                    ("store".into(), self.store_path.display().to_string()),
                    ("articles".into(), g(s.articles)),
                    ("graphs".into(), g(s.graphs)),
                    ("quads".into(), g(s.quads)),
                    ("mentions".into(), g(s.mentions)),
                    ("claims".into(), g(s.claims)),
                    ("events".into(), g(s.events)),
                ];
                rows.extend(s.entities.iter().map(|(c, n)| (format!("  {c}"), g(*n))));
                rows.extend(s.event_classes.iter().map(|(c, n)| (format!("  {c}"), g(*n))));
                let w = rows.iter().map(|(k, _)| render::width(k)).max().unwrap_or(0);
                let text: String = rows
                    .iter()
                    .map(|(k, v)| format!("{k}{}  {v}\n", " ".repeat(w - render::width(k))))
                    .collect();
                self.out.emit(&text)?;
            }
            Dot::Queries => {
                let headers = vec!["name".to_string(), "params".to_string(), "description".to_string()];
                let rows: Vec<Vec<String>> = queries::all()
                    .into_iter()
                    .map(|q| {
                        vec![
                            q.name,
                            q.params.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(" "),
                            q.description,
                        ]
                    })
                    .collect();
                let width = if self.wide || !self.out.is_terminal() {
                    None
                } else {
                    output::terminal_size().and_then(|(c, _)| output::fit_columns(&headers, &rows, c))
                };
                let text = render::table(&headers, &rows, width);
                self.out.emit(&format!("{text}.run NAME [ARGS] runs one; ARGS bind its params in order\n"))?;
            }
            Dot::Run { name, args } => {
                let q = queries::find(&name).ok_or_else(|| {
                    Failure::new(format!("no saved query {name} (.queries lists them)"))
                })?;
                if args.len() > q.params.len() {
                    return Err(Failure::new(format!(
                        "{name} takes {} argument{} ({}), not {}",
                        q.params.len(),
                        if q.params.len() == 1 { "" } else { "s" },
                        q.params.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", "),
                        args.len()
                    )));
                }
                let mut bindings = Vec::new();
                for (a, (p, _)) in args.iter().zip(&q.params) {
                    if a == "_" || a.eq_ignore_ascii_case("UNDEF") {
                        continue;
                    }
                    bindings.push((Variable::new_unchecked(p.clone()), self.term(a)?));
                }
                let query = self.parser()?.parse_query(q.text).map_err(Failure::syntax)?;
                self.query(query, bindings)?;
            }
        }
        Ok(())
    }

    /// `.reopen`: opens the store again, to see what a writer has added
    /// since (for writing if the writer has finished).
    fn reopen(&mut self) -> Result<(), Failure> {
        // The old handle is closed first: a read-write open needs its lock.
        let fresh = {
            let mut st = self.shared.store.borrow_mut();
            let old = std::mem::replace(&mut *st, Store::in_memory()?);
            drop(old);
            match Store::open_reader(&self.store_path, true) {
                Ok(s) => s,
                Err(e) => {
                    // Still something to look at: read-only as it is now.
                    *st =
                        Store::open_reader(&self.store_path, false).unwrap_or(Store::in_memory()?);
                    return Err(e.into());
                }
            }
        };
        let note = fresh.read_only_note().unwrap_or_else(|| {
            format!(
                "reopened {} for reading and writing",
                self.store_path.display()
            )
        });
        *self.shared.store.borrow_mut() = fresh;
        self.shared.invalidate();
        self.note(&note);
        Ok(())
    }

    fn ingest(&mut self, paths: &[PathBuf]) -> Result<(), Failure> {
        if self.compiled.is_none() {
            if self.interactive {
                self.note("compiling reference data…");
            }
            self.compiled = Some((self.knowledge)()?);
        }
        let k = self.compiled.as_ref().expect("just compiled");
        let t0 = Instant::now();
        let opts = IngestOptions {
            batch: 256,
            quiet: !self.interactive,
        };
        let report = pipeline::ingest(&self.shared.store.borrow(), paths, k, &opts)?;
        self.shared.invalidate();
        if self.interactive {
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
        }
        for f in &report.failures {
            eprintln!("error: {f}");
        }
        let t = if self.timer {
            format!(" ({})", elapsed(t0.elapsed()))
        } else {
            String::new()
        };
        let summary = format!(
            "loaded {} ({}){t}",
            output::count(report.loaded, "article"),
            output::count(report.quads, "quad")
        );
        if report.failures.is_empty() {
            self.note(&summary);
            Ok(())
        } else {
            Err(Failure::new(format!(
                "{summary}; {} failed",
                output::count(report.failures.len(), "file or record")
            )))
        }
    }

    /// Finds the node a `.describe` argument names: an IRI, a prefixed
    /// name, or an exact label.
    fn resolve(&self, s: &str) -> Result<NamedNode, Failure> {
        if s.starts_with('<') || s.contains(':') && !s.contains(char::is_whitespace) {
            if let Ok(n) = self.iri(s) {
                return Ok(n);
            }
        }
        let lit = oxigraph::model::Literal::new_simple_literal(s);
        let hits = self.shared.strings(&format!(
            "SELECT DISTINCT ?e WHERE {{ ?e rdfs:label|skos:altLabel ?l FILTER(isIRI(?e) && STR(?l) = {lit}) }} ORDER BY ?e LIMIT 20"
        ));
        match hits.len() {
            0 => Err(Failure::new(format!(
                "nothing is called «{s}» (try an IRI or prefix:name)"
            ))),
            1 => Ok(NamedNode::new_unchecked(hits[0].clone())),
            _ => {
                let p = self.prefixes();
                let names: Vec<String> = hits.iter().map(|h| render::compact(h, &p)).collect();
                Err(Failure::new(format!(
                    "«{s}» names {} things: {}",
                    hits.len(),
                    names.join(", ")
                )))
            }
        }
    }

    /// `.describe`: labels, types, links out and in, and mentions.
    fn describe(&mut self, s: &str) -> Result<(), Failure> {
        let node = self.resolve(s)?;
        let subject = NamedOrBlankNode::from(node.clone());
        let p = self.prefixes();
        let st = self.shared.store.borrow();
        let ox = st.oxigraph();
        let serr = |e: oxigraph::store::StorageError| Failure::new(format!("store: {e}"));
        let rdf_type = vocab::term::RDF_TYPE;
        let labels = [vocab::term::RDFS_LABEL, vocab::term::SKOS_ALT_LABEL];
        let mention_of = vocab::term::TA_IDENT_REF;

        let mut out: Vec<(String, String)> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        let mut alts: Vec<String> = Vec::new();
        let mut types: Vec<String> = Vec::new();
        for q in ox.quads_for_pattern(Some(subject.as_ref()), None, None, None) {
            let q = q.map_err(serr)?;
            let pred = q.predicate.as_str();
            let shown = self.show(q.object.as_ref());
            let list = if pred == labels[0] {
                &mut names
            } else if pred == labels[1] {
                &mut alts
            } else if pred == rdf_type {
                &mut types
            } else {
                let mut v = shown;
                if let Term::NamedNode(n) = &q.object {
                    if let Some(l) = self.label(&n.clone().into()) {
                        v = format!("{v}  {l}");
                    }
                }
                out.push((render::compact(pred, &p), v));
                continue;
            };
            list.push(shown);
        }
        let mut incoming: Vec<(String, String)> = Vec::new();
        let mut mentions: Vec<NamedOrBlankNode> = Vec::new();
        for q in ox.quads_for_pattern(None, None, Some(node.as_ref().into()), None) {
            let q = q.map_err(serr)?;
            if q.predicate.as_str() == mention_of {
                mentions.push(q.subject);
                continue;
            }
            let mut who = self.show(TermRef::from(q.subject.as_ref()));
            if let Some(l) = self.label(&q.subject) {
                who = format!("{who}  {l}");
            } else if let Some(t) = self.text_of(&q.subject) {
                who = format!("{who}  «{t}»");
            }
            incoming.push((who, render::compact(q.predicate.as_str(), &p)));
        }
        for v in [&mut out, &mut incoming] {
            v.sort();
            v.dedup();
        }
        for v in [&mut names, &mut alts, &mut types] {
            v.sort();
            v.dedup();
        }
        mentions.sort_by_key(|m| m.to_string());
        mentions.dedup();

        let width = if self.wide || !self.out.is_terminal() {
            None
        } else {
            output::terminal_size().map(|(c, _)| c)
        };
        let cap = 25;
        // At most `cap` rows of `total`, then how many more there are.
        let table = |headers: &[&str], rows: &[Vec<String>], total: usize| -> String {
            let h: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
            let shown: Vec<Vec<String>> = rows.iter().take(cap).cloned().collect();
            let max = width.and_then(|w| output::fit_columns(&h, &shown, w));
            let mut t = render::table(&h, &shown, max);
            if total > cap {
                t.push_str(&format!("… and {} more\n", crate::cli::group(total - cap)));
            }
            t
        };
        let mut text = render::compact(node.as_str(), &p);
        if let Some(l) = self.label(&subject) {
            text.push_str(&format!("  {l}"));
        }
        text.push('\n');
        if !names.is_empty() {
            text.push_str(&format!("  labels  {}\n", names.join(" · ")));
        }
        if !alts.is_empty() {
            text.push_str(&format!("  also    {}\n", alts.join(" · ")));
        }
        if !types.is_empty() {
            text.push_str(&format!("  types   {}\n", types.join(" · ")));
        }
        if !out.is_empty() {
            text.push_str(&format!("\nlinks out ({})\n", out.len()));
            let rows: Vec<Vec<String>> = out.into_iter().map(|(a, b)| vec![a, b]).collect();
            text.push_str(&table(&["property", "value"], &rows, rows.len()));
        }
        if !incoming.is_empty() {
            text.push_str(&format!("\nlinks in ({})\n", incoming.len()));
            let rows: Vec<Vec<String>> = incoming.into_iter().map(|(a, b)| vec![a, b]).collect();
            text.push_str(&table(&["from", "property"], &rows, rows.len()));
        }
        if !mentions.is_empty() {
            text.push_str(&format!("\nmentions ({})\n", mentions.len()));
            let mut rows = Vec::new();
            let mut order = Vec::new();
            for m in mentions.iter().take(500) {
                let get = |pred: &str| -> Option<Term> {
                    ox.quads_for_pattern(
                        Some(m.as_ref()),
                        Some(NamedNodeRef::new_unchecked(pred)),
                        None,
                        None,
                    )
                    .flatten()
                    .next()
                    .map(|q| q.object)
                };
                let anchor = get(vocab::term::ANCHOR_OF)
                    .map(|t| self.show(t.as_ref()))
                    .unwrap_or_default();
                let span = match (get(vocab::term::BEGIN_INDEX), get(vocab::term::END_INDEX)) {
                    (Some(Term::Literal(b)), Some(Term::Literal(e))) => {
                        format!("{}..{}", b.value(), e.value())
                    }
                    _ => String::new(),
                };
                let article = get(vocab::term::REFERENCE_CONTEXT);
                let headline = match &article {
                    Some(Term::NamedNode(a)) => ox
                        .quads_for_pattern(
                            Some(a.as_ref().into()),
                            Some(NamedNodeRef::new_unchecked(vocab::term::HEADLINE)),
                            None,
                            None,
                        )
                        .flatten()
                        .next()
                        .map(|q| self.show(q.object.as_ref()))
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                let article = article.map(|t| self.show(t.as_ref())).unwrap_or_default();
                let begin: u64 = span
                    .split("..")
                    .next()
                    .and_then(|b| b.parse().ok())
                    .unwrap_or(0);
                order.push((article.clone(), begin, rows.len()));
                rows.push(vec![anchor, article, span, headline]);
            }
            order.sort();
            let rows: Vec<Vec<String>> =
                order.into_iter().map(|(_, _, i)| rows[i].clone()).collect();
            text.push_str(&table(
                &["anchor", "article", "span", "headline"],
                &rows,
                mentions.len(),
            ));
        }
        let story = oxigraph::model::QuadRef::new(
            node.as_ref(),
            NamedNodeRef::new_unchecked(rdf_type),
            NamedNodeRef::new_unchecked(vocab::term::STORY),
            crate::stories::graph(),
        );
        if ox.contains(story).map_err(serr)? {
            let rows = self.story_rows(&node)?;
            text.push_str(&format!("\nreported by ({})\n", rows.len()));
            text.push_str(&table(
                &[
                    "published",
                    "outlet",
                    "headline",
                    "class",
                    "names",
                    "quotes",
                ],
                &rows,
                rows.len(),
            ));
        }
        if names.is_empty() && types.is_empty() && text.lines().count() == 1 {
            text.push_str("  (nothing in the store says anything about it)\n");
        }
        self.out.emit(&text)?;
        Ok(())
    }

    /// A story's card: each article that reports it, as the saved query
    /// `story` tells it.
    fn story_rows(&self, story: &NamedNode) -> Result<Vec<Vec<String>>, Failure> {
        let q = queries::find("story").ok_or_else(|| Failure::new("no saved query story"))?;
        let text = q.text.replace("$story", &format!("<{}>", story.as_str()));
        let results = self
            .store()
            .query(&text, &crate::rdf::contract_prefixes())
            .map_err(|e| Failure::new(e.to_string()))?;
        let mut rows = Vec::new();
        if let oxigraph::sparql::QueryResults::Solutions(solutions) = results {
            for row in solutions {
                let row = row.map_err(|e| Failure::new(format!("query failed: {e}")))?;
                let get = |v: &str, max: usize| match row.get(v) {
                    Some(Term::Literal(l)) => render::truncate(l.value(), max),
                    Some(t) => self.show(t.as_ref()),
                    None => String::new(),
                };
                rows.push(vec![
                    get("published", 10),
                    get("outlet", 30),
                    get("headline", 50),
                    get("class", 20),
                    get("names", 60),
                    get("quotes", 60),
                ]);
            }
        }
        Ok(rows)
    }

    /// What a claim says (`isn:text`), for cards.
    fn text_of(&self, n: &NamedOrBlankNode) -> Option<String> {
        let t = NamedNodeRef::new_unchecked(vocab::term::TEXT);
        self.store()
            .oxigraph()
            .quads_for_pattern(Some(n.as_ref()), Some(t), None, None)
            .flatten()
            .next()
            .and_then(|q| match q.object {
                Term::Literal(l) => Some(render::truncate(l.value(), 60)),
                _ => None,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_input_yields_statements_with_their_lines() {
        let script: Option<Rc<str>> = Some(Rc::from("s.rq"));
        let mut p = Pending::new(1);
        p.text
            .push_str("# header\nSELECT *\nWHERE { ?s ?p ?o } ; ASK {};\n");
        let s = p.take(&script);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].text, "SELECT *\nWHERE { ?s ?p ?o } ");
        assert_eq!(s[0].origin.line, 2);
        assert_eq!(s[1].text, "ASK {}");
        assert_eq!(s[1].origin.line, 3);
        assert_eq!(s[1].origin.lead, "WHERE { ?s ?p ?o } ; ");
        assert!(p.is_blank());
        assert_eq!(p.line, 3);
        p.reset(4);
        p.text.push_str("ASK {}; SELECT\n");
        assert_eq!(p.take(&script).len(), 1);
        p.text.push_str("* {}\n");
        let rest = p.rest(&script).unwrap();
        assert_eq!(rest.text, "SELECT\n* {}");
        assert_eq!(rest.origin.line, 4);
        assert_eq!(rest.origin.lead, "ASK {}; ");
    }

    #[test]
    fn syntax_errors_keep_line_and_column() {
        let e = Failure::syntax("error at 2:7: expected one of Prefix, '}'");
        assert_eq!(e.at, Some((2, 7)));
        assert_eq!(e.msg, "expected one of Prefix, '}'");
        let long = format!(
            "error at 1:3: expected one of {}['0'..='9',\n 'a'..='z']",
            "\"x\", ".repeat(40)
        );
        let e = Failure::syntax(long);
        assert!(
            e.msg.ends_with(", …") && e.msg.chars().count() < 110,
            "{}",
            e.msg
        );
        let e = Failure::syntax("something else");
        assert_eq!(e.at, None);
    }
}
