//! The embedded Oxigraph store: opening (with clear lock errors), atomic
//! article replacement, SPARQL, loading, exporting and statistics.
//!
//! Architecture invariant: this module knows nothing of Arabic or of
//! extraction. It stores graphs it is given; each article graph is written
//! in one atomic commit (a transaction, or one bulk-loader ingestion for
//! graphs the store does not hold yet), so readers see an article fully or
//! not at all.

pub mod fault;
pub mod limits;
mod stories;
pub mod warm;

use crate::rdf::lines;
use crate::rdf::vocab::{self, term};
use crate::rdf::ArticleGraph;
use crate::summary::{self, Tally};
use fault::{Doing, Fault};
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad};
use oxigraph::sparql::{CancellationToken, QueryResults, SparqlEvaluator};
use oxigraph::store::{StorageError, Store as OxStore};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// The ontology, loaded into its own named graph.
pub const ONTOLOGY_TTL: &str = include_str!("../ontology/isnad.ttl");

/// A failure with one clear line for the user.
#[derive(Debug)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// Writing output is the only I/O that reaches a caller unwrapped.
impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> StoreError {
        StoreError(format!("cannot write output: {e}"))
    }
}

fn storage(path: &Path, e: StorageError) -> StoreError {
    let fault = Fault::of(path, &e, Doing::Opening);
    if let (Fault::Locked { .. }, Some(url)) = (&fault, served_by(path)) {
        return StoreError(format!(
            "the store {} is served by `isnad serve` at {url}: add articles through it (POST {url}/articles with the article file as the body and the header Authorization: Bearer <write token>), query it at {url}/query, or stop the server first",
            path.display()
        ));
    }
    fault.into()
}

/// The file in a store's folder that says which `isnad serve` holds it:
/// its process id and address, one per line.
pub const SERVER_MARK: &str = "isnad-serve";

/// Records that this process serves the store at `url`.
pub fn mark_served(path: &Path, url: &str) -> std::io::Result<()> {
    std::fs::write(
        path.join(SERVER_MARK),
        format!("{}\n{url}\n", std::process::id()),
    )
}

/// Removes the mark of [`mark_served`].
pub fn unmark_served(path: &Path) {
    let _ = std::fs::remove_file(path.join(SERVER_MARK));
}

/// The address of the running server that marked the store, if any (a
/// mark left by a server that died is ignored).
fn served_by(path: &Path) -> Option<String> {
    let mark = std::fs::read_to_string(path.join(SERVER_MARK)).ok()?;
    let mut lines = mark.lines();
    let pid: i32 = lines.next()?.trim().parse().ok()?;
    let url = lines.next()?.trim().to_string();
    #[cfg(unix)]
    {
        // SAFETY: signal 0 only asks whether the process exists.
        if unsafe { libc::kill(pid, 0) } != 0 {
            return None;
        }
    }
    #[cfg(not(unix))]
    let _ = pid;
    Some(url)
}

/// The error for a store that is not there.
pub fn no_store_at(path: &Path) -> StoreError {
    StoreError(format!(
        "no store at {} (run `isnad ingest` first, or pass --store)",
        path.display()
    ))
}

/// An open store.
pub struct Store {
    inner: OxStore,
    path: PathBuf,
    /// Opened read-only, and why (see [`Store::open_reader`]).
    read_only: Option<ReadOnly>,
    /// Articles bulk-loaded (marked pending) and not counted yet: their
    /// tally and their graphs.
    uncounted: std::sync::Mutex<(Tally, Vec<NamedNode>)>,
    /// The same articles' facts, for their stories (`store/stories.rs`).
    unstoried: std::sync::Mutex<Vec<crate::stories::ArticleFacts>>,
    stories_on: bool,
}

/// How many bulk-loaded articles wait for one summary count.
const COUNT_EVERY: usize = 16_384;

impl Drop for Store {
    fn drop(&mut self) {
        // Best effort: what is not counted here is counted on the next open.
        let _ = self.count_pending();
    }
}

/// Why a store is open read-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOnly {
    /// Another isnad process holds it for writing.
    Writer,
    /// Its folder cannot be written (permissions, a read-only mount, a
    /// full disk).
    Unwritable,
}

/// Counts for `isnad stats`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub articles: u64,
    pub graphs: u64,
    pub quads: u64,
    pub mentions: u64,
    pub claims: u64,
    pub events: u64,
    /// (class local name, distinct entities)
    pub entities: Vec<(String, u64)>,
    /// (event class local name, events)
    pub event_classes: Vec<(String, u64)>,
    /// Stories (one happening reported by several articles) and claims
    /// echoed in another article.
    pub stories: u64,
    pub echoed_claims: u64,
}

impl Store {
    /// Opens the store at `path`, creating it if `create` and it is missing.
    pub fn open(path: &Path, create: bool) -> Result<Store, StoreError> {
        if !Store::holds_store(path)? && !create && !path.exists() {
            return Err(no_store_at(path));
        }
        let inner = OxStore::open(path).map_err(|e| storage(path, e))?;
        let store = Store::handle(inner, path.to_path_buf(), None);
        store.repair()?;
        Ok(store)
    }

    /// A handle on an opened Oxigraph store; a read-only view (`read_only`)
    /// never writes, stories included.
    fn handle(inner: OxStore, path: PathBuf, read_only: Option<ReadOnly>) -> Store {
        Store {
            inner,
            path,
            stories_on: read_only.is_none() && stories::enabled(),
            read_only,
            uncounted: Default::default(),
            unstoried: Default::default(),
        }
    }

    /// What a writer does on opening: drops a failed bulk load's scratch
    /// files, loads a newer ontology, counts what an interrupted ingest
    /// left pending, and forms its stories.
    fn repair(&self) -> Result<(), StoreError> {
        self.sweep_bulk_files();
        self.ensure_ontology()?;
        self.ensure_summary()?;
        self.ensure_stories()
    }

    /// Whether `path` holds a store: false when nothing is there yet (no
    /// such path, or an empty folder), an error when something else is.
    pub fn holds_store(path: &Path) -> Result<bool, StoreError> {
        if !path.exists() {
            return Ok(false);
        }
        if !path.is_dir() {
            return Err(StoreError(format!(
                "{} is not an isnad store (it is a file, not a folder)",
                path.display()
            )));
        }
        if path.join("CURRENT").exists() {
            return Ok(true);
        }
        let is_empty = std::fs::read_dir(path)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if is_empty {
            Ok(false)
        } else {
            Err(StoreError(format!(
                "{} is not an isnad store (a folder without a store in it)",
                path.display()
            )))
        }
    }

    /// An in-memory store (for `extract`, tests and benchmarks).
    pub fn in_memory() -> Result<Store, StoreError> {
        let inner = OxStore::new().map_err(|e| StoreError(e.to_string()))?;
        Ok(Store::handle(inner, PathBuf::from(":memory:"), None))
    }

    /// Opens the store for reading: for writing when it can (so that a
    /// reader on a free store repairs what an interrupted ingest left, as
    /// [`Store::open`] does), else read-only, as the store is at this
    /// moment, when another isnad process is writing it or the folder
    /// cannot be written (a read-only mount, a full disk). The caller says
    /// so with [`Store::read_only_note`]. With `create`, a missing store is
    /// created (the shell).
    ///
    /// A read-only view never writes: it neither loads a newer ontology nor
    /// counts articles an ingest left pending (its summary counts may lag
    /// behind its articles until the writer counts them).
    pub fn open_reader(path: &Path, create: bool) -> Result<Store, StoreError> {
        if !Store::holds_store(path)? && !create && !path.exists() {
            return Err(no_store_at(path));
        }
        let why = match OxStore::open(path) {
            Ok(inner) => {
                let store = Store::handle(inner, path.to_path_buf(), None);
                // A repair that cannot be written (a full disk) leaves the
                // store to be read as it is.
                match store.repair() {
                    Ok(()) => return Ok(store),
                    Err(e) => {
                        drop(store);
                        match Store::open_read_only(path, ReadOnly::Unwritable) {
                            Ok(s) => return Ok(s),
                            Err(_) => return Err(e),
                        }
                    }
                }
            }
            Err(e) => {
                let fault = Fault::of(path, &e, Doing::Opening);
                if !fault.allows_read_only() || !Store::holds_store(path)? {
                    return Err(fault.into());
                }
                match fault {
                    Fault::Locked { .. } => ReadOnly::Writer,
                    _ => ReadOnly::Unwritable,
                }
            }
        };
        Store::open_read_only(path, why)
    }

    /// Opens the store read-only (see [`Store::open_reader`]).
    fn open_read_only(path: &Path, why: ReadOnly) -> Result<Store, StoreError> {
        // The writer may replace a file this open reads (its manifest, a
        // log) between the listing and the reading: a few more tries.
        let mut tries = 0;
        let inner = loop {
            match OxStore::open_read_only(path) {
                Ok(s) => break s,
                Err(_) if tries < 5 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100 * tries));
                }
                Err(e) => return Err(Fault::of(path, &e, Doing::Opening).into()),
            }
        };
        Ok(Store::handle(inner, path.to_path_buf(), Some(why)))
    }

    /// Removes the scratch files of a bulk load that failed or was
    /// interrupted (`bulk-*.sst`; one that fails while writing its file
    /// leaves it): they are never part of the store, and on a full disk
    /// they hold the room a retry needs. Only a process that holds the
    /// store for writing calls this, so no bulk load is under way.
    fn sweep_bulk_files(&self) {
        if self.read_only.is_some() || self.path.as_os_str() == ":memory:" {
            return;
        }
        if let Ok(dir) = std::fs::read_dir(&self.path) {
            for e in dir.flatten() {
                let name = e.file_name();
                let name = name.to_string_lossy();
                if name.starts_with("bulk-") && name.ends_with(".sst") {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }

    /// Why the store is open read-only, if it is.
    pub fn read_only(&self) -> Option<ReadOnly> {
        self.read_only
    }

    /// The line a reader prints when the store is open read-only.
    pub fn read_only_note(&self) -> Option<String> {
        let at = chrono::Local::now().format("%H:%M:%S");
        self.read_only.map(|why| match why {
            ReadOnly::Writer => format!(
                "isnad: {} is being written by another isnad process; reading it read-only, as it was at {at}",
                self.path.display()
            ),
            ReadOnly::Unwritable => format!(
                "isnad: {} cannot be written here; reading it read-only, as it was at {at}",
                self.path.display()
            ),
        })
    }

    /// An error unless the store may be written.
    fn writable(&self) -> Result<(), StoreError> {
        match self.read_only {
            None => Ok(()),
            Some(ReadOnly::Writer) => Err(StoreError(format!(
                "the store {} is open read-only: another isnad process is writing it (wait for it to finish, then reopen)",
                self.path.display()
            ))),
            Some(ReadOnly::Unwritable) => Err(StoreError(format!(
                "the store {} is open read-only: its folder cannot be written",
                self.path.display()
            ))),
        }
    }

    /// The error for a failed read of the store or of a query over it, by
    /// cause. In a read-only view a file gone missing means the writer has
    /// compacted it away since the view was opened.
    pub fn read_fault(&self, e: impl fmt::Display) -> StoreError {
        self.err(e)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn oxigraph(&self) -> &OxStore {
        &self.inner
    }

    /// A failed read, by cause (see [`Store::read_fault`]).
    fn err(&self, e: impl fmt::Display) -> StoreError {
        let f = Fault::of_text(&self.path, &e.to_string(), Doing::Reading);
        if self.read_only == Some(ReadOnly::Writer) && matches!(f, Fault::Corrupt { .. }) {
            return StoreError(format!(
                "the store {} changed under this read-only view (the process writing it rewrote its files); run it again (in the shell: .reopen)",
                self.path.display()
            ));
        }
        f.into()
    }

    /// A failed write, by cause.
    fn werr(&self, e: impl fmt::Display) -> StoreError {
        Fault::of_text(&self.path, &e.to_string(), Doing::Writing).into()
    }

    /// Loads the ontology into its graph when it is missing or outdated.
    fn ensure_ontology(&self) -> Result<(), StoreError> {
        let g = NamedNodeRef::new_unchecked(vocab::ONTOLOGY_GRAPH);
        let marker = oxigraph::model::Literal::new_simple_literal(ontology_version());
        let version = NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#versionIRI");
        let has = self
            .inner
            .quads_for_pattern(
                Some(g.into()),
                Some(version),
                Some(marker.as_ref().into()),
                Some(g.into()),
            )
            .next()
            .is_some();
        if has {
            return Ok(());
        }
        let mut t = self.inner.start_transaction().map_err(|e| self.werr(e))?;
        t.clear_graph(g).map_err(|e| self.werr(e))?;
        let parser = RdfParser::from_format(RdfFormat::Turtle).with_default_graph(g.into_owned());
        for q in parser.for_slice(ONTOLOGY_TTL) {
            let q = q.map_err(|e| StoreError(format!("ontology/isnad.ttl: {e}")))?;
            t.insert(&q);
        }
        t.insert(oxigraph::model::QuadRef::new(
            g,
            version,
            marker.as_ref(),
            g,
        ));
        t.commit().map_err(|e| self.werr(e))
    }

    /// Replaces articles' graphs, each completely. For graphs the store
    /// already holds, one transaction removes the quads that went away and
    /// inserts the new ones; new graphs go in
    /// through Oxigraph's bulk loader, whose commit is one atomic ingestion
    /// of sorted files (no per-quad transaction bookkeeping). Either way
    /// each article is fully in or fully out. When the same graph comes
    /// twice, the last one wins.
    pub fn replace_articles(&self, graphs: &[ArticleGraph]) -> Result<(), StoreError> {
        self.writable()?;
        let mut last: HashMap<&str, usize> = HashMap::with_capacity(graphs.len());
        for (i, g) in graphs.iter().enumerate() {
            last.insert(g.iri.as_str(), i);
        }
        let (mut known, mut fresh) = (Vec::new(), Vec::new());
        for (i, g) in graphs.iter().enumerate() {
            if last[g.iri.as_str()] != i {
                continue;
            }
            let present = self
                .inner
                .contains_named_graph(g.iri.as_ref())
                .map_err(|e| self.err(e))?;
            if present || g.quads.is_empty() {
                known.push(g);
            } else {
                fresh.push(g);
            }
        }
        if !known.is_empty() {
            // Articles loaded earlier are counted first: a graph loaded and
            // replaced before its count would otherwise be counted twice by
            // a repair.
            self.count_pending()?;
            // The summary's tallies change in the same transaction.
            let mut tally = Tally::default();
            // Only the difference is written: re-ingesting an unchanged
            // article writes nothing. The old quads are read before the
            // transaction starts (this process is the only writer), so the
            // transaction itself never reads. Removals go first: a quad
            // removed and inserted again (same stored form, other spelling)
            // stays.
            let mut removals = Vec::new();
            let mut insertions = Vec::new();
            let mut olds = Vec::new();
            for g in &known {
                let mut old = HashSet::new();
                for q in self
                    .inner
                    .quads_for_pattern(None, None, None, Some(g.iri.as_ref().into()))
                {
                    old.insert(q.map_err(|e| self.err(e))?);
                }
                tally.add_graph(old.iter().map(Quad::as_ref), -1);
                tally.add_graph(g.quads.iter().map(Quad::as_ref), 1);
                let new: HashSet<Quad> = g.quads.iter().map(stored_form).collect();
                removals.extend(old.iter().filter(|q| !new.contains(*q)).cloned());
                insertions.extend(g.quads.iter().filter(|q| !old.contains(&stored_form(q))));
                olds.push((g.iri.clone(), old.into_iter().collect::<Vec<_>>()));
            }
            // Stories change in the same transaction too.
            let (stories_out, stories_in) = self.stories_replaced(&olds, &known)?;
            removals.extend(stories_out);
            insertions.extend(&stories_in);
            let (summary_out, summary_in) = tally.changes(|s| self.summary_of(s))?;
            removals.extend(summary_out);
            insertions.extend(&summary_in);
            if !removals.is_empty() || !insertions.is_empty() {
                let mut t = self.inner.start_transaction().map_err(|e| self.werr(e))?;
                for q in &removals {
                    t.remove(q);
                }
                t.extend(insertions);
                t.commit().map_err(|e| self.werr(e))?;
            }
        }
        if !fresh.is_empty() {
            // Loaded with their pending marks in one bulk load, counted
            // later (`count_pending`): a transaction between two bulk loads
            // makes RocksDB flush its memtable before the next ingestion,
            // and on a large store those flushes and their compactions
            // doubled the time of an ingest. A crash before the count leaves
            // the marks, and the next open counts those articles.
            let mut marks: Vec<Quad> = fresh
                .iter()
                .map(|g| summary::pending(g.iri.as_ref()).into_owned())
                .collect();
            // Stories' look-up keys and marks go in with the articles.
            marks.extend(self.stories_loaded(&fresh));
            let mut loader = self.inner.bulk_loader().with_num_threads(1);
            let loaded = loader
                .load_quads(
                    fresh
                        .iter()
                        .flat_map(|g| g.quads.iter().map(Quad::as_ref))
                        .chain(marks.iter().map(Quad::as_ref)),
                )
                .map_err(|e| self.werr(e))
                .and_then(|()| loader.commit().map_err(|e| self.werr(e)));
            if loaded.is_err() {
                self.sweep_bulk_files();
            }
            loaded?;
            let full = {
                let mut uncounted = self.uncounted.lock().unwrap_or_else(|e| e.into_inner());
                for g in &fresh {
                    uncounted.0.add_graph(g.quads.iter().map(Quad::as_ref), 1);
                    uncounted.1.push(g.iri.clone());
                }
                uncounted.1.len() >= COUNT_EVERY
            };
            if full {
                self.count_pending()?;
            }
        }
        Ok(())
    }

    /// Counts the articles bulk-loaded by this process and not counted yet
    /// into the summary graph, and clears their pending marks, in one
    /// transaction. Ingest calls it every few thousand articles and at its
    /// end; dropping the store calls it too.
    pub fn count_pending(&self) -> Result<(), StoreError> {
        let (tally, articles) = {
            let mut uncounted = self.uncounted.lock().unwrap_or_else(|e| e.into_inner());
            std::mem::take(&mut *uncounted)
        };
        if articles.is_empty() {
            return Ok(());
        }
        let counted: Vec<NamedNodeRef<'_>> = articles.iter().map(NamedNode::as_ref).collect();
        // The same articles' stories, in the same transaction.
        let stories = self.stories_pending()?;
        self.count_in(&tally, &counted, stories)
    }

    /// The summary graph's quads about one subject.
    fn summary_of(&self, s: NamedNodeRef<'_>) -> Result<Vec<Quad>, StoreError> {
        self.inner
            .quads_for_pattern(Some(s.into()), None, None, Some(summary::graph().into()))
            .map(|q| q.map_err(|e| self.err(e)))
            .collect()
    }

    /// The tally of article graphs as the store holds them.
    fn tally_of(&self, articles: &[NamedNode]) -> Result<Tally, StoreError> {
        let mut tally = Tally::default();
        for a in articles {
            let quads = self.summary_input(a.as_ref())?;
            tally.add_graph(quads.iter().map(Quad::as_ref), 1);
        }
        Ok(tally)
    }

    /// Applies a tally to the summary and clears the pending marks of the
    /// articles it counted, in one transaction.
    fn count_in(
        &self,
        tally: &Tally,
        counted: &[NamedNodeRef<'_>],
        (also_out, also_in): (Vec<Quad>, Vec<Quad>),
    ) -> Result<(), StoreError> {
        let (mut out, mut into) = tally.changes(|s| self.summary_of(s))?;
        out.extend(also_out);
        into.extend(also_in);
        let mut t = self.inner.start_transaction().map_err(|e| self.werr(e))?;
        for q in &out {
            t.remove(q);
        }
        for a in counted {
            t.remove(summary::pending(*a));
        }
        t.extend(&into);
        t.commit().map_err(|e| self.werr(e))
    }

    /// Brings the summary graph in step with the article graphs: counts the
    /// articles left pending by an interrupted ingest, and recounts
    /// everything when the summary is missing (a store written by an older
    /// isnad, or article graphs changed by `load` or `update`).
    fn ensure_summary(&self) -> Result<(), StoreError> {
        let g = summary::graph();
        let marker = summary::version_marker();
        if !self.inner.contains(&marker).map_err(|e| self.err(e))? {
            return self.rebuild_summary();
        }
        let pending_p = NamedNodeRef::new_unchecked(term::PENDING);
        let mut pending = Vec::new();
        for q in self
            .inner
            .quads_for_pattern(Some(g.into()), Some(pending_p), None, Some(g.into()))
        {
            if let oxigraph::model::Term::NamedNode(a) = q.map_err(|e| self.err(e))?.object {
                pending.push(a);
            }
        }
        if pending.is_empty() {
            return Ok(());
        }
        let tally = self.tally_of(&pending)?;
        let counted: Vec<NamedNodeRef<'_>> = pending.iter().map(NamedNode::as_ref).collect();
        self.count_in(&tally, &counted, Default::default())
    }

    /// What the summary reads of one article graph (nothing if it is gone):
    /// one index range per predicate a tally looks at.
    fn summary_input(&self, article: NamedNodeRef<'_>) -> Result<Vec<Quad>, StoreError> {
        let mut out = Vec::new();
        for p in Tally::PREDICATES {
            for q in self.inner.quads_for_pattern(
                None,
                Some(NamedNodeRef::new_unchecked(p)),
                None,
                Some(article.into()),
            ) {
                out.push(q.map_err(|e| self.err(e))?);
            }
        }
        Ok(out)
    }

    /// Counts the summary graph again from every article graph, reading
    /// them in parallel.
    pub fn rebuild_summary(&self) -> Result<(), StoreError> {
        self.writable()?;
        use rayon::prelude::*;
        let articles = self.article_graphs()?;
        // Minutes on a large store: say so on a terminal, never in a pipe.
        if articles.len() >= 10_000 && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            eprintln!(
                "isnad: counting the summary graph of {} over {} articles (once)…",
                self.path.display(),
                articles.len()
            );
        }
        let tally = articles
            .par_chunks(256)
            .map(|chunk| self.tally_of(chunk))
            .try_reduce(Tally::default, |mut a, b| {
                a.merge(b);
                Ok(a)
            })?;
        let (_, mut into) = tally.changes(|_| Ok::<_, StoreError>(Vec::new()))?;
        into.push(summary::version_marker());
        let mut t = self.inner.start_transaction().map_err(|e| self.werr(e))?;
        t.clear_graph(summary::graph()).map_err(|e| self.werr(e))?;
        t.commit().map_err(|e| self.werr(e))?;
        // The marker goes in with the counts: an interrupted rebuild is
        // started again on the next open.
        let mut loader = self.inner.bulk_loader().with_num_threads(1);
        loader
            .load_quads(into.iter().map(Quad::as_ref))
            .map_err(|e| self.werr(e))?;
        loader.commit().map_err(|e| self.werr(e))
    }

    /// Every article graph of the store.
    fn article_graphs(&self) -> Result<Vec<NamedNode>, StoreError> {
        let mut articles = Vec::new();
        for g in self.inner.named_graphs() {
            if let NamedOrBlankNode::NamedNode(g) = g.map_err(|e| self.err(e))? {
                if summary::is_article_graph(g.as_str()) {
                    articles.push(g);
                }
            }
        }
        Ok(articles)
    }

    /// Marks the summary as no longer covering the store (article graphs
    /// were changed outside ingest); the next open counts it again.
    fn summary_outdated(&self) -> Result<(), StoreError> {
        let mut t = self.inner.start_transaction().map_err(|e| self.werr(e))?;
        t.remove(&summary::version_marker());
        t.commit().map_err(|e| self.werr(e))
    }

    /// Runs a SPARQL query; the default graph is the union of all graphs.
    pub fn query(
        &self,
        query: &str,
        prefixes: &[(String, String)],
    ) -> Result<QueryResults<'static>, StoreError> {
        self.query_cancellable(query, prefixes, CancellationToken::new())
    }

    /// [`Store::query`], cancelled through `token` (see [`limits`]).
    pub fn query_cancellable(
        &self,
        query: &str,
        prefixes: &[(String, String)],
        token: CancellationToken,
    ) -> Result<QueryResults<'static>, StoreError> {
        let mut ev = SparqlEvaluator::new().with_cancellation_token(token);
        for (p, ns) in prefixes {
            ev = ev
                .with_prefix(p.as_str(), ns.as_str())
                .map_err(|e| StoreError(format!("prefix {p}: {e}")))?;
        }
        let mut prepared = ev
            .parse_query(query)
            .map_err(|e| StoreError(syntax_message(&e.to_string(), query)))?;
        prepared.dataset_mut().set_default_graph_as_union();
        prepared
            .on_store(&self.inner)
            .execute()
            .map_err(|e| self.eval_err("query failed", e))
    }

    /// A failed query or update: the store's own failure by cause (a full
    /// disk, a damaged file), else "`what`: …".
    pub fn eval_err(&self, what: &str, e: impl fmt::Display) -> StoreError {
        let text = e.to_string();
        // Only the storage's own reports; a query's words are its own.
        if !text.contains("IO error") && !text.contains("Corruption") {
            return StoreError(format!("{what}: {text}"));
        }
        match Fault::of_text(&self.path, &text, Doing::Reading) {
            Fault::Other { .. } | Fault::Read { .. } => StoreError(format!("{what}: {text}")),
            _ if what.starts_with("update") => self.werr(text),
            _ => self.err(text),
        }
    }

    /// Runs a SPARQL update inside one transaction. When it may have
    /// changed what the summary graph counts, the summary is marked to be
    /// recounted on the next open.
    pub fn update(&self, update: &str, prefixes: &[(String, String)]) -> Result<(), StoreError> {
        self.update_cancellable(update, prefixes, CancellationToken::new())
    }

    /// [`Store::update`], cancelled through `token`: a cancelled update
    /// changes nothing.
    pub fn update_cancellable(
        &self,
        update: &str,
        prefixes: &[(String, String)],
        token: CancellationToken,
    ) -> Result<(), StoreError> {
        let mut parser = spargebra::SparqlParser::new();
        for (p, ns) in prefixes {
            parser = parser
                .with_prefix(p.as_str(), ns.as_str())
                .map_err(|e| StoreError(format!("prefix {p}: {e}")))?;
        }
        let parsed = parser
            .parse_update(update)
            .map_err(|e| StoreError(syntax_message(&e.to_string(), update)))?;
        self.run_update(parsed, token)
    }

    /// Runs a parsed SPARQL update, cancellable, as [`Store::update`] does.
    pub fn run_update(
        &self,
        update: spargebra::Update,
        token: CancellationToken,
    ) -> Result<(), StoreError> {
        self.writable()?;
        let outdates = summary::update_may_change_tallies(&update);
        let restory = crate::stories::update_may_change_stories(&update);
        SparqlEvaluator::new()
            .with_cancellation_token(token)
            .for_update(update)
            .on_store(&self.inner)
            .execute()
            .map_err(|e| self.eval_err("update failed", e))?;
        if outdates {
            self.summary_outdated()?;
        }
        if restory {
            self.stories_outdated()?;
        }
        Ok(())
    }

    /// Loads an RDF file (format by extension) atomically; returns the
    /// number of quads read. `graph` puts triples into that named graph.
    /// Loading into article graphs marks the summary graph to be recounted
    /// on the next open.
    pub fn load_file(&self, file: &Path, graph: Option<&str>) -> Result<u64, StoreError> {
        self.writable()?;
        let format = format_of_path(file)?;
        let bytes = std::fs::read(file)
            .map_err(|e| StoreError(format!("{}: cannot read: {e}", file.display())))?;
        let mut parser = RdfParser::from_format(format);
        if let Some(g) = graph {
            let g = NamedNode::new(g)
                .map_err(|e| StoreError(format!("--graph {g}: not an IRI: {e}")))?;
            parser = parser.with_default_graph(g);
        }
        let mut t = self.inner.start_transaction().map_err(|e| self.werr(e))?;
        let mut n = 0;
        let mut articles = false;
        for q in parser.for_slice(&bytes) {
            let q = q.map_err(|e| StoreError(format!("{}: {e}", file.display())))?;
            articles |= matches!(&q.graph_name, GraphName::NamedNode(g) if summary::is_article_graph(g.as_str()));
            t.insert(&q);
            n += 1;
        }
        if articles {
            // Article graphs changed outside ingest: recounted on next open.
            t.remove(&summary::version_marker());
            t.remove(&crate::stories::version_marker());
        }
        t.commit().map_err(|e| self.werr(e))?;
        Ok(n)
    }

    /// All quads, or those of one graph (ontology included only when asked
    /// for by name or when `with_ontology`; the summary graph, derived from
    /// the others, only when asked for by name), read from the store as
    /// they are taken: an export of any size holds none of them for long.
    pub fn quads_iter(
        &self,
        graph: Option<&str>,
        with_ontology: bool,
    ) -> Result<impl Iterator<Item = Result<Quad, StoreError>> + '_, StoreError> {
        let g = match graph {
            Some(g) => {
                Some(GraphName::NamedNode(NamedNode::new(g).map_err(|e| {
                    StoreError(format!("graph {g}: not an IRI: {e}"))
                })?))
            }
            None => None,
        };
        let whole = graph.is_none();
        Ok(self
            .inner
            .quads_for_pattern(None, None, None, g.as_ref().map(GraphName::as_ref))
            .filter_map(move |q| match q {
                Err(e) => Some(Err(self.err(e))),
                Ok(q)
                    if whole
                        && (is_summary_graph(q.graph_name.as_ref())
                            || !with_ontology && is_ontology_graph(q.graph_name.as_ref())) =>
                {
                    None
                }
                Ok(q) => Some(Ok(q)),
            }))
    }

    /// Writes quads in a format of Oxigraph's serializers (not pretty
    /// Turtle); N-Quads and N-Triples through `rdf::lines`, the same bytes.
    pub fn serialize<W: std::io::Write>(
        quads: &[Quad],
        format: RdfFormat,
        out: W,
    ) -> Result<W, StoreError> {
        Self::serialize_stream(quads.iter().map(Ok), format, out)
    }

    /// [`Store::serialize`] over quads as they come (from
    /// [`Store::quads_iter`]): the first error stops the writing.
    pub fn serialize_stream<W: std::io::Write, Q: std::borrow::Borrow<Quad>>(
        quads: impl IntoIterator<Item = Result<Q, StoreError>>,
        format: RdfFormat,
        mut out: W,
    ) -> Result<W, StoreError> {
        let line: Option<fn(&mut Vec<u8>, oxigraph::model::QuadRef<'_>)> = match format {
            RdfFormat::NQuads => Some(lines::push_nquad),
            RdfFormat::NTriples => Some(lines::push_ntriple),
            _ => None,
        };
        if let Some(line) = line {
            let cannot = |e: std::io::Error| StoreError(format!("cannot write: {e}"));
            let mut buf = Vec::with_capacity(1 << 16);
            for q in quads {
                line(&mut buf, q?.borrow().as_ref());
                if buf.len() >= 1 << 16 {
                    out.write_all(&buf).map_err(cannot)?;
                    buf.clear();
                }
            }
            out.write_all(&buf).map_err(cannot)?;
            return Ok(out);
        }
        let mut s = RdfSerializer::from_format(format).for_writer(out);
        for q in quads {
            let q = q?;
            let q = q.borrow();
            if format.supports_datasets() {
                s.serialize_quad(q)
            } else {
                s.serialize_triple(q.as_ref())
            }
            .map_err(|e| StoreError(format!("cannot write: {e}")))?;
        }
        s.finish()
            .map_err(|e| StoreError(format!("cannot write: {e}")))
    }

    /// The graphs an export of the whole store writes, each with its quads
    /// read only when taken: the default graph when it holds anything, the
    /// named graphs (the ontology's when asked), never the summary.
    pub fn export_graphs(&self, with_ontology: bool) -> Result<Vec<GraphName>, StoreError> {
        let mut out = Vec::new();
        if self
            .inner
            .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
            .next()
            .is_some()
        {
            out.push(GraphName::DefaultGraph);
        }
        for g in self.inner.named_graphs() {
            let g = g.map_err(|e| self.err(e))?;
            let g = GraphName::from(g);
            if !is_summary_graph(g.as_ref()) && (with_ontology || !is_ontology_graph(g.as_ref())) {
                out.push(g);
            }
        }
        Ok(out)
    }

    /// The quads of one graph.
    pub fn quads_of(&self, graph: &GraphName) -> Result<Vec<Quad>, StoreError> {
        self.inner
            .quads_for_pattern(None, None, None, Some(graph.as_ref()))
            .map(|q| q.map_err(|e| self.err(e)))
            .collect()
    }

    /// The named graphs (articles and others), ontology and summary excluded.
    pub fn graphs(&self) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        for g in self.inner.named_graphs() {
            match g.map_err(|e| self.err(e))? {
                NamedOrBlankNode::NamedNode(n)
                    if n.as_str() != vocab::ONTOLOGY_GRAPH
                        && n.as_str() != vocab::SUMMARY_GRAPH
                        && n.as_str() != vocab::STORIES_GRAPH =>
                {
                    out.push(n.into_string())
                }
                NamedOrBlankNode::BlankNode(b) => out.push(format!("_:{}", b.as_str())),
                _ => {}
            }
        }
        Ok(out)
    }

    /// The number of quads.
    pub fn len(&self) -> Result<usize, StoreError> {
        self.inner.len().map_err(|e| self.err(e))
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.len()? == 0)
    }

    fn count(&self, q: &str) -> Result<Vec<(String, u64)>, StoreError> {
        let mut out = Vec::new();
        if let QueryResults::Solutions(rows) = self.query(q, &crate::rdf::contract_prefixes())? {
            for row in rows {
                let row = row.map_err(|e| StoreError(format!("query failed: {e}")))?;
                let key = row.get("k").map(|t| match t {
                    oxigraph::model::Term::NamedNode(n) => {
                        n.as_str().trim_start_matches(vocab::ISN).to_string()
                    }
                    other => other.to_string(),
                });
                let n = row
                    .get("n")
                    .and_then(|t| match t {
                        oxigraph::model::Term::Literal(l) => l.value().parse().ok(),
                        _ => None,
                    })
                    .unwrap_or(0);
                out.push((key.unwrap_or_default(), n));
            }
        }
        Ok(out)
    }

    /// Articles, graphs, quads, and entities by class.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        let one =
            |q: &str| -> Result<u64, StoreError> { Ok(self.count(q)?.first().map_or(0, |r| r.1)) };
        let isn_class = |q: &str| format!("FILTER(STRSTARTS(STR({q}), STR(isn:)))");
        Ok(Stats {
            articles: one("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a isn:Article }")?,
            graphs: self.graphs()?.len() as u64,
            quads: self.len()? as u64,
            mentions: one("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a isn:Mention }")?,
            claims: one("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a isn:Claim }")?,
            events: one("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a isn:Event }")?,
            entities: self.count(&format!(
                "SELECT ?k (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e isn:mentionedIn ?a ; a ?k . {} FILTER(?k NOT IN (isn:Actor)) }} GROUP BY ?k ORDER BY DESC(?n) ?k",
                isn_class("?k")
            ))?,
            event_classes: self.count(
                "SELECT ?k (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a isn:Event ; a ?k . FILTER(?k != isn:Event) } GROUP BY ?k ORDER BY DESC(?n) ?k",
            )?,
            stories: one("SELECT (COUNT(?s) AS ?n) WHERE { GRAPH <https://w3id.org/isnad/stories> { ?s a isn:Story } }")?,
            echoed_claims: one("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH <https://w3id.org/isnad/stories> { ?c isn:echoes ?d } }")?,
        })
    }

    /// Flushes to disk (RocksDB writes are durable on commit; this also
    /// compacts the write-ahead log).
    pub fn flush(&self) -> Result<(), StoreError> {
        self.writable()?;
        self.inner.flush().map_err(|e| self.werr(e))
    }

    /// Compacts every index into sorted runs (RocksDB full compaction):
    /// after a bulk ingest each lookup otherwise visits many files.
    pub fn optimize(&self) -> Result<(), StoreError> {
        self.writable()?;
        self.inner.optimize().map_err(|e| self.werr(e))
    }
}

/// A quad as the store gives it back: Oxigraph keeps integers of the
/// integer-derived XSD types (xsd:nonNegativeInteger…) as xsd:integer.
fn stored_form(q: &Quad) -> Quad {
    use oxigraph::model::{vocab::xsd, Literal, Term};
    if let Term::Literal(l) = &q.object {
        let integer = [
            xsd::NON_NEGATIVE_INTEGER,
            xsd::POSITIVE_INTEGER,
            xsd::NON_POSITIVE_INTEGER,
            xsd::NEGATIVE_INTEGER,
            xsd::LONG,
            xsd::INT,
            xsd::SHORT,
            xsd::BYTE,
            xsd::UNSIGNED_LONG,
            xsd::UNSIGNED_INT,
            xsd::UNSIGNED_SHORT,
            xsd::UNSIGNED_BYTE,
        ]
        .contains(&l.datatype());
        if integer {
            if let Ok(n) = l.value().parse::<i64>() {
                let mut c = q.clone();
                c.object = Literal::new_typed_literal(n.to_string(), xsd::INTEGER).into();
                return c;
            }
        }
    }
    q.clone()
}

/// The ontology's version marker: changes whenever the file changes.
fn ontology_version() -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(ONTOLOGY_TTL.as_bytes());
    format!(
        "isnad-ontology-{}",
        d.iter()
            .take(6)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

fn is_ontology_graph(g: GraphNameRef<'_>) -> bool {
    matches!(g, GraphNameRef::NamedNode(n) if n.as_str() == vocab::ONTOLOGY_GRAPH)
}

/// The summary and stories graphs: derived from the articles, left out of
/// whole-store exports and graph lists.
fn is_summary_graph(g: GraphNameRef<'_>) -> bool {
    matches!(g, GraphNameRef::NamedNode(n) if n.as_str() == vocab::SUMMARY_GRAPH || n.as_str() == vocab::STORIES_GRAPH)
}

/// The RDF format a file's extension names.
pub fn format_of_path(p: &Path) -> Result<RdfFormat, StoreError> {
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    RdfFormat::from_extension(&ext)
        .or(match ext.as_str() {
            "owl" | "xml" => Some(RdfFormat::RdfXml),
            _ => None,
        })
        .ok_or_else(|| {
            StoreError(format!(
                "{}: unknown RDF format (use .ttl, .trig, .nt, .nq or .rdf)",
                p.display()
            ))
        })
}

/// Rewrites Oxigraph's syntax error into "line L, column C: …" with the
/// offending line and a caret under the column.
pub fn syntax_message(msg: &str, source: &str) -> String {
    // Oxigraph says "error at 3:14: expected …".
    if let Some(rest) = msg.split("error at ").nth(1) {
        let mut parts = rest.splitn(3, ':');
        if let (Some(l), Some(c), Some(tail)) = (parts.next(), parts.next(), parts.next()) {
            if let (Ok(l), Ok(c)) = (l.trim().parse::<usize>(), c.trim().parse::<usize>()) {
                let line = source.lines().nth(l.saturating_sub(1)).unwrap_or("");
                let caret = " ".repeat(line.chars().take(c.saturating_sub(1)).count());
                return format!(
                    "SPARQL syntax error at line {l}, column {c}:{tail}\n  {line}\n  {caret}^"
                );
            }
        }
    }
    format!("SPARQL syntax error: {msg}")
}

/// The term for rdf:type (re-exported for callers that build queries).
pub const RDF_TYPE: &str = term::RDF_TYPE;
