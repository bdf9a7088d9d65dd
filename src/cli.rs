//! The command line: flags → library calls → exit codes. `main.rs` only
//! calls [`run`]. Exit status: 0 success, 1 failure (one clear line), 2
//! usage error (clap's own).

use crate::extract::Knowledge;
use crate::pipeline::{self, IngestOptions};
use crate::rdf::{
    contract_prefixes, write_trig_streamed, write_turtle, write_turtle_sorted, TurtleOptions,
};
use crate::reference::Reference;
use crate::render;
use crate::store::limits::{self, QueryError, QueryLimits};
use crate::store::{format_of_path, Store, StoreError};
use clap::{Parser, Subcommand, ValueEnum};
use oxigraph::io::RdfFormat;
use oxigraph::model::Quad;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::QueryResults;
use rayon::prelude::*;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Arabic news articles into a knowledge graph you can query with SPARQL.
#[derive(Parser, Debug)]
#[command(name = "isnad", version, about, long_about = None)]
pub struct Cli {
    /// The on-disk store [default: $ISNAD_STORE, else ./isnad.db]
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Extra reference data folders (also $ISNAD_REFERENCE, colon-separated)
    #[arg(long = "reference", global = true, value_name = "DIR")]
    pub reference: Vec<PathBuf>,
    /// No progress bars or warnings
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read articles (files, folders, - for stdin), extract, and load them
    Ingest {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Articles per transaction
        #[arg(long, default_value_t = 256)]
        batch: usize,
    },
    /// Run a SPARQL query (the default graph is the union of all graphs)
    Query {
        /// Output format [default: table on a terminal, else tsv; turtle for graphs]
        #[arg(long, value_enum)]
        format: Option<OutFormat>,
        /// Read the query from a file (- for stdin)
        #[arg(
            short = 'f',
            long = "file",
            value_name = "FILE",
            conflicts_with = "query"
        )]
        file: Option<PathBuf>,
        #[arg(value_name = "QUERY", required_unless_present = "file")]
        query: Option<String>,
        /// Cancel the query after SECS seconds [default: no limit]
        #[arg(long, value_name = "SECS", value_parser = parse_secs)]
        timeout: Option<std::time::Duration>,
        /// Rows an aligned table (or pretty Turtle) may hold in memory;
        /// csv, tsv, json, xml and ntriples stream without a limit
        #[arg(long, value_name = "N", default_value_t = crate::store::limits::TABLE_ROWS)]
        max_rows: usize,
    },
    /// Run a SPARQL update
    Update {
        #[arg(
            short = 'f',
            long = "file",
            value_name = "FILE",
            conflicts_with = "update"
        )]
        file: Option<PathBuf>,
        #[arg(value_name = "UPDATE", required_unless_present = "file")]
        update: Option<String>,
        /// Cancel the update after SECS seconds; nothing is changed [default: no limit]
        #[arg(long, value_name = "SECS", value_parser = parse_secs)]
        timeout: Option<std::time::Duration>,
    },
    /// Load RDF files (Turtle, TriG, N-Triples, N-Quads, RDF/XML; by extension)
    Load {
        /// Put triples into this named graph
        #[arg(long, value_name = "IRI")]
        graph: Option<String>,
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Write the store (or one graph) out
    Export {
        #[arg(long, value_enum, default_value = "turtle")]
        format: RdfOut,
        #[arg(long, value_name = "IRI")]
        graph: Option<String>,
        /// Output file [default: stdout]
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Include the ontology graph
        #[arg(long)]
        with_ontology: bool,
    },
    /// Print what `ingest` would load, without a store
    Extract {
        #[arg(long, value_enum, default_value = "turtle")]
        format: RdfOut,
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Counts: articles, graphs, quads, entities by class
    Stats,
    /// Compact the store after a large ingest: fewer, sorted files, faster
    /// lookups (minutes on a store of 100,000 articles)
    Optimize,
    /// The interactive SPARQL shell; with -f (or a script on stdin) runs it
    Shell {
        #[arg(short = 'f', long = "file", value_name = "SCRIPT")]
        file: Option<PathBuf>,
        /// At a terminal the shell reads the store's files in the background
        /// so the first queries answer from memory; this leaves them be
        #[arg(long)]
        no_warm: bool,
    },
    /// Read the store's files once so the system keeps them in memory: the
    /// first queries after it answer from memory, not from disk (at most
    /// half the available memory; takes no lock)
    Warm {
        /// Read at most this many megabytes [default: half the available memory]
        #[arg(long, value_name = "MB")]
        max_mb: Option<u64>,
    },
    /// Send each article's graph to a SPARQL 1.1 Graph Store Protocol endpoint
    Push {
        /// The Graph Store endpoint (e.g. http://127.0.0.1:7878/store)
        #[arg(long, value_name = "URL")]
        endpoint: String,
        /// Send `Authorization: Bearer TOKEN` (e.g. to `isnad serve --write-token`)
        #[arg(
            long,
            env = "ISNAD_PUSH_TOKEN",
            hide_env_values = true,
            value_name = "TOKEN"
        )]
        token: Option<String>,
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Check the reference data for dangling ids and bad tenures
    CheckData,
    /// Serve the store over HTTP: a SPARQL 1.1 endpoint (/query, /update,
    /// /store, POST /articles) and a web explorer at /
    Serve {
        /// The address to listen on; other than loopback only when named here
        #[arg(long, value_name = "ADDR:PORT", default_value = crate::serve::DEFAULT_BIND)]
        bind: std::net::SocketAddr,
        /// Allow writes (update, Graph Store writes, POST /articles) with
        /// this bearer token [also $ISNAD_WRITE_TOKEN]
        #[arg(
            long,
            env = "ISNAD_WRITE_TOKEN",
            hide_env_values = true,
            value_name = "TOKEN"
        )]
        write_token: Option<String>,
        /// The time limit of one query or update, in seconds
        #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
        timeout: f64,
        /// The largest request body, in megabytes
        #[arg(long, default_value_t = 64, value_name = "MB")]
        max_body_mb: usize,
        /// The largest answer, in megabytes
        #[arg(long, default_value_t = 64, value_name = "MB")]
        max_result_mb: usize,
        /// Requests answered at once
        #[arg(long, default_value_t = 16, value_name = "N")]
        threads: usize,
    },
    /// Check the store (or an RDF file) against the SHACL shapes of
    /// ontology/shapes.ttl: one line per violation, exit 1 if any
    Validate {
        /// An RDF file to check instead of the store
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
        /// Shapes to check against [default: the bundled ontology/shapes.ttl]
        #[arg(long, value_name = "FILE")]
        shapes: Option<PathBuf>,
    },
}

/// `--timeout SECS`: a positive number of seconds.
fn parse_secs(s: &str) -> Result<std::time::Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x > 0.0 && x.is_finite() && x < 1e9 => Ok(std::time::Duration::from_secs_f64(x)),
        _ => Err(format!("{s}: not a positive number of seconds")),
    }
}

/// Result formats of `query`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutFormat {
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
    Markdown,
    Turtle,
    Ntriples,
    Nquads,
    Trig,
}

/// RDF formats of `export` and `extract`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RdfOut {
    Turtle,
    Trig,
    Ntriples,
    Nquads,
}

/// Where an export's scratch files go: beside the output (same disk), else
/// the temporary folder.
fn scratch_dir(output: Option<&Path>) -> PathBuf {
    output
        .and_then(Path::parent)
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(std::env::temp_dir, Path::to_path_buf)
}

/// Writes the store, or one graph, to `output` (standard output when
/// `None`) in flat memory whatever its size: N-Quads and N-Triples stream,
/// TriG of the whole store goes graph by graph, Turtle of the whole store
/// is sorted in runs on disk beside the output. `progress` counts quads.
/// Returns the number of quads read.
pub fn export(
    store: &Store,
    format: RdfOut,
    graph: Option<&str>,
    with_ontology: bool,
    output: Option<&Path>,
    progress: &indicatif::ProgressBar,
) -> Result<u64, StoreError> {
    let n = std::cell::Cell::new(0u64);
    let count = |k: u64| {
        let before = n.get();
        n.set(before + k);
        // Redrawn every 4,096 quads, not on each.
        if before >> 12 != (before + k) >> 12 {
            progress.set_position(before + k);
        }
    };
    match (format, graph) {
        (RdfOut::Trig, None) => {
            let names = store.export_graphs(with_ontology)?;
            let graph = |g: &oxigraph::model::GraphName| {
                let quads = store.quads_of(g)?;
                count(quads.len() as u64);
                Ok::<_, StoreError>(quads)
            };
            to_output(output, |out| {
                let prefixes = contract_prefixes();
                write_trig_streamed(
                    names.iter().map(graph),
                    &prefixes,
                    &scratch_dir(output),
                    out,
                )?;
                Ok(())
            })?;
        }
        (RdfOut::Turtle, None) => {
            let quads = store.quads_iter(None, with_ontology)?.inspect(|_| count(1));
            to_output(output, |out| {
                let dir = scratch_dir(output);
                write_turtle_sorted(quads, &contract_prefixes(), &dir, TURTLE_CHUNK, out)?;
                Ok(())
            })?;
        }
        _ => {
            let quads = store
                .quads_iter(graph, with_ontology)?
                .inspect(|_| count(1));
            to_output(output, |out| {
                write_rdf(quads, format, out)?;
                Ok(())
            })?;
        }
    }
    Ok(n.get())
}

/// Reads the articles of `paths` in batches, turns each into output in
/// parallel (`make`), and hands them to `put` in input order; prints each
/// failure and warning (unless `quiet`) and returns how many failed.
fn extract_each<T: Send>(
    paths: &[PathBuf],
    quiet: bool,
    make: impl Fn(crate::article::Article) -> Result<(T, Vec<String>), crate::article::ReadError> + Sync,
    mut put: impl FnMut(T) -> Result<(), StoreError>,
) -> Result<usize, StoreError> {
    let mut failures = 0;
    pipeline::for_each_batch(paths, 512, |batch| {
        let done: Vec<_> = batch.into_par_iter().map(|r| r.and_then(&make)).collect();
        for r in done {
            match r {
                Ok((done, warnings)) => {
                    if !quiet {
                        for w in warnings {
                            eprintln!("warning: {w}");
                        }
                    }
                    put(done)?;
                }
                Err(e) => {
                    failures += 1;
                    eprintln!("error: {e}");
                }
            }
        }
        Ok(())
    })?;
    Ok(failures)
}

/// Runs `write` on the output file or on standard output, and flushes it;
/// a failure names the file. A file is written under a hidden name beside
/// it and renamed over it only once complete: an export that fails leaves
/// the file as it was (an earlier export stays whole) and no partial copy.
fn to_output(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    match output {
        Some(p) => {
            let cannot =
                |e: std::io::Error| StoreError(format!("{}: cannot write: {e}", p.display()));
            let dir = scratch_dir(Some(p));
            if !dir.is_dir() {
                return Err(StoreError(format!(
                    "{}: cannot write: no folder {}",
                    p.display(),
                    dir.display()
                )));
            }
            let prefix = format!(".{}.", p.file_name().unwrap_or_default().to_string_lossy());
            // The file keeps its mode when it is replaced; a new one gets
            // the usual rw-r--r-- (a scratch file's own would be rw-------).
            #[cfg(unix)]
            let mode = {
                use std::os::unix::fs::PermissionsExt;
                std::fs::metadata(p).map_or_else(
                    |_| std::fs::Permissions::from_mode(0o644),
                    |m| m.permissions(),
                )
            };
            // The name is registered for the signal handlers before the
            // file exists: a signal at any moment finds it.
            let partial = tempfile::Builder::new()
                .prefix(&prefix)
                .suffix(".partial")
                .make_in(&dir, |path| {
                    interrupt::remove_on_signal(Some(path));
                    let file = std::fs::File::options()
                        .write(true)
                        .create_new(true)
                        .open(path)?;
                    #[cfg(unix)]
                    file.set_permissions(mode.clone())?;
                    Ok(file)
                })
                .map_err(cannot)?;
            let written = (|| {
                let mut w = std::io::BufWriter::new(partial);
                write(&mut w)?;
                w.flush().map_err(cannot)?;
                let partial = w.into_inner().map_err(|e| cannot(e.into_error()))?;
                partial.persist(p).map_err(|e| cannot(e.error))?;
                Ok(())
            })();
            // Renamed into place, or removed on the way out of a failure.
            interrupt::remove_on_signal(None);
            written
        }
        None => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            write(&mut w)?;
            w.flush().map_err(StoreError::from)
        }
    }
}

/// What a Ctrl-C (or `kill`) during `isnad export -o FILE` leaves: nothing.
/// The export writes a hidden file beside FILE; a signal that ends the
/// process would leave it behind, so while the command runs SIGINT, SIGTERM
/// and SIGHUP first remove the hidden file in progress, then end the
/// process as they would have.
///
/// Only `isnad export` installs the handler: the shell keeps its own Ctrl-C
/// (it cancels the running command), and a registered path is then simply
/// never used.
mod interrupt {
    use std::path::Path;
    #[cfg(unix)]
    use std::sync::atomic::{AtomicPtr, Ordering};

    /// The hidden file being written, as a C string (leaked: a handler may
    /// read it at any moment; one path per export).
    #[cfg(unix)]
    static PARTIAL: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());

    #[cfg(unix)]
    extern "C" fn on_signal(sig: libc::c_int) {
        let p = PARTIAL.load(Ordering::SeqCst);
        // SAFETY: unlink, signal and raise are async-signal-safe; `p` is
        // null or a leaked, never freed C string.
        unsafe {
            if !p.is_null() {
                libc::unlink(p);
            }
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }

    /// Installs the handlers (for the rest of the process).
    pub fn install() {
        #[cfg(unix)]
        // SAFETY: the handler only does async-signal-safe calls.
        unsafe {
            for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                libc::signal(sig, on_signal as *const () as libc::sighandler_t);
            }
        }
    }

    /// The hidden file a signal should remove from now on (none once it
    /// has been renamed into place).
    pub fn remove_on_signal(path: Option<&Path>) {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let c = path.and_then(|p| std::ffi::CString::new(p.as_os_str().as_bytes()).ok());
            PARTIAL.store(
                c.map_or(std::ptr::null_mut(), |c| c.into_raw()),
                Ordering::SeqCst,
            );
        }
        #[cfg(not(unix))]
        let _ = path;
    }
}

/// The store path from flag, environment, or default.
pub fn store_path(flag: &Option<PathBuf>) -> PathBuf {
    flag.clone()
        .or_else(|| std::env::var_os("ISNAD_STORE").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("isnad.db"))
}

/// Reference folders from flags and `$ISNAD_REFERENCE`.
pub fn reference_dirs(flags: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var("ISNAD_REFERENCE")
        .map(|v| {
            v.split(':')
                .filter(|s| !s.is_empty())
                .map(PathBuf::from)
                .collect()
        })
        .unwrap_or_default();
    dirs.extend(flags.iter().cloned());
    dirs
}

/// Loads and compiles reference data (bundled + user folders).
pub fn knowledge(flags: &[PathBuf]) -> Result<Knowledge, StoreError> {
    Reference::load(&reference_dirs(flags))
        .map(Knowledge::new)
        .map_err(StoreError)
}

fn read_arg(text: &Option<String>, file: &Option<PathBuf>) -> Result<String, StoreError> {
    if let Some(t) = text {
        return Ok(t.clone());
    }
    let f = file.as_ref().expect("clap requires one");
    if f.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| StoreError(format!("cannot read standard input: {e}")))?;
        return Ok(s);
    }
    std::fs::read_to_string(f).map_err(|e| StoreError(format!("{}: cannot read: {e}", f.display())))
}

/// Bytes of rendered Turtle lines sorted in memory before a whole-store
/// Turtle export sorts in runs on disk.
const TURTLE_CHUNK: usize = 256 << 20;

/// Articles in one ingest from which `isnad optimize` is worth suggesting
/// (at 100,000 it took 4 minutes; the saved queries then ran 1.2-2.7x
/// faster).
const LARGE_INGEST: usize = 50_000;

/// Runs the command; returns the exit code.
pub fn run(cli: Cli) -> Result<i32, StoreError> {
    let store_at = store_path(&cli.store);
    match &cli.command {
        Command::Ingest { paths, batch } => {
            let k = knowledge(&cli.reference)?;
            let store = Store::open(&store_at, true)?;
            let opts = IngestOptions {
                batch: *batch,
                quiet: cli.quiet,
            };
            let report = pipeline::ingest(&store, paths, &k, &opts)?;
            store.flush()?;
            if !cli.quiet {
                for w in &report.warnings {
                    eprintln!("warning: {w}");
                }
            }
            for f in &report.failures {
                eprintln!("error: {f}");
            }
            let summary = format!(
                "loaded {} article{} ({} quads) into {}",
                group(report.loaded),
                if report.loaded == 1 { "" } else { "s" },
                group(report.quads),
                store_at.display()
            );
            if report.failures.is_empty() {
                if !cli.quiet {
                    eprintln!("{summary}");
                    // Bulk loads leave many overlapping files behind.
                    if report.loaded >= LARGE_INGEST && std::io::stderr().is_terminal() {
                        eprintln!(
                            "hint: `isnad optimize` compacts the store: smaller, and queries read fewer files"
                        );
                    }
                }
                Ok(0)
            } else {
                eprintln!("{summary}; {} failed", group(report.failures.len()));
                Ok(1)
            }
        }
        Command::Query {
            format,
            file,
            query,
            timeout,
            max_rows,
        } => {
            let q = read_arg(query, file)?;
            let store = std::sync::Arc::new(Store::open_reader(&store_at, false)?);
            say_read_only(&store, cli.quiet);
            let prefixes = contract_prefixes();
            let limits = QueryLimits {
                timeout: *timeout,
                max_rows: Some(*max_rows),
                ..QueryLimits::interactive()
            };
            let format = *format;
            let terminal = std::io::stdout().is_terminal();
            let done = limits::within(limits.timeout, &Default::default(), move |token| {
                let results = store
                    .query_cancellable(&q, &prefixes, token)
                    .map_err(|e| QueryError::Failed(e.0))?;
                let stdout = std::io::stdout();
                write_results_limited(results, format, &prefixes, stdout.lock(), terminal, &limits)
                    .and_then(|mut w| w.flush().map_err(StoreError::from))
                    .map_err(|e| QueryError::Failed(e.0))
            });
            finish_limited(done, "query")
        }
        Command::Update {
            file,
            update,
            timeout,
        } => {
            let u = read_arg(update, file)?;
            let store = std::sync::Arc::new(Store::open(&store_at, true)?);
            let done = limits::within(*timeout, &Default::default(), move |token| {
                store
                    .update_cancellable(&u, &contract_prefixes(), token)
                    .map_err(|e| QueryError::Failed(e.0))
            });
            finish_limited(done, "update")
        }
        Command::Load { graph, files } => {
            for f in files {
                format_of_path(f)?;
                if !f.exists() {
                    return Err(StoreError(format!("{}: no such file", f.display())));
                }
            }
            let store = Store::open(&store_at, true)?;
            let mut total = 0;
            for f in files {
                total += store.load_file(f, graph.as_deref())?;
            }
            if !cli.quiet {
                eprintln!(
                    "loaded {} quads from {} file(s)",
                    group(total as usize),
                    files.len()
                );
            }
            Ok(0)
        }
        Command::Export {
            format,
            graph,
            output,
            with_ontology,
        } => {
            let store = Store::open_reader(&store_at, false)?;
            say_read_only(&store, cli.quiet);
            if output.is_some() {
                interrupt::install();
            }
            // A counter on a terminal, unless the quads themselves go there.
            let pb = if cli.quiet
                || !std::io::stderr().is_terminal()
                || (output.is_none() && std::io::stdout().is_terminal())
            {
                indicatif::ProgressBar::hidden()
            } else {
                pipeline::counter("quads")
            };
            export(
                &store,
                *format,
                graph.as_deref(),
                *with_ontology,
                output.as_deref(),
                &pb,
            )?;
            pb.finish_and_clear();
            Ok(0)
        }
        Command::Extract { format, paths } => {
            let k = knowledge(&cli.reference)?;
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            let failures = match format {
                // Line formats are written article by article, straight
                // from the annotations.
                RdfOut::Ntriples | RdfOut::Nquads => {
                    let with_graph = *format == RdfOut::Nquads;
                    extract_each(
                        paths,
                        cli.quiet,
                        |a| pipeline::lines_of(a, &k, with_graph),
                        |lines| out.write_all(&lines).map_err(StoreError::from),
                    )?
                }
                // Turtle and TriG are sorted documents: the articles' quads
                // go from the extracting thread to a writer that keeps them
                // on disk (sorted runs, graph blocks), never all in memory.
                RdfOut::Turtle | RdfOut::Trig => {
                    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Quad>>(256);
                    let (failures, written) = std::thread::scope(|s| {
                        let extracting = s.spawn(|| {
                            let tx = tx;
                            extract_each(
                                paths,
                                cli.quiet,
                                |a| pipeline::graph_of(a, &k).map(|(g, w)| (g.quads, w)),
                                |quads| {
                                    tx.send(quads)
                                        .map_err(|_| StoreError("output closed".into()))
                                },
                            )
                        });
                        let prefixes = contract_prefixes();
                        let dir = std::env::temp_dir();
                        let written = if *format == RdfOut::Trig {
                            write_trig_streamed(
                                rx.iter().map(Ok::<_, StoreError>),
                                &prefixes,
                                &dir,
                                &mut out,
                            )
                        } else {
                            let quads = rx.iter().flatten().map(Ok::<_, StoreError>);
                            write_turtle_sorted(quads, &prefixes, &dir, TURTLE_CHUNK, &mut out)
                        };
                        // A failed writer stops the extraction at its next article.
                        drop(rx);
                        let failures = extracting
                            .join()
                            .unwrap_or_else(|_| Err(StoreError("extraction failed".into())));
                        (failures, written.map(|_| ()))
                    });
                    written?;
                    failures?
                }
            };
            out.flush().map_err(StoreError::from)?;
            Ok(if failures > 0 { 1 } else { 0 })
        }
        Command::Optimize => {
            let store = Store::open(&store_at, false)?;
            let t0 = std::time::Instant::now();
            store.optimize()?;
            if !cli.quiet {
                eprintln!(
                    "optimized {} in {:.1} s",
                    store_at.display(),
                    t0.elapsed().as_secs_f64()
                );
            }
            Ok(0)
        }
        Command::Stats => {
            let store = Store::open_reader(&store_at, false)?;
            say_read_only(&store, cli.quiet);
            let s = store.stats()?;
            let mut out = String::new();
            out.push_str(&format!("store     {}\n", store_at.display()));
            out.push_str(&format!("articles  {}\n", group(s.articles as usize)));
            out.push_str(&format!("graphs    {}\n", group(s.graphs as usize)));
            out.push_str(&format!("quads     {}\n", group(s.quads as usize)));
            out.push_str(&format!("mentions  {}\n", group(s.mentions as usize)));
            out.push_str(&format!("claims    {}\n", group(s.claims as usize)));
            out.push_str(&format!("events    {}\n", group(s.events as usize)));
            out.push_str(&format!("stories   {}\n", group(s.stories as usize)));
            out.push_str(&format!(
                "echoed    {} claims\n",
                group(s.echoed_claims as usize)
            ));
            out.push_str("entities by class\n");
            for (c, n) in &s.entities {
                out.push_str(&format!("  {:<16}{}\n", c, group(*n as usize)));
            }
            if !s.event_classes.is_empty() {
                out.push_str("events by class\n");
                for (c, n) in &s.event_classes {
                    out.push_str(&format!("  {:<18}{}\n", c, group(*n as usize)));
                }
            }
            print!("{out}");
            Ok(0)
        }
        Command::Shell { file, no_warm } => {
            let k = || knowledge(&cli.reference);
            crate::shell::run(&store_at, file.as_deref(), !no_warm, k)
        }
        Command::Warm { max_mb } => warm(&store_at, *max_mb, cli.quiet),
        Command::Push {
            endpoint,
            token,
            paths,
        } => {
            let k = knowledge(&cli.reference)?;
            let report = crate::push::push(endpoint, paths, &k, token.as_deref())?;
            for f in &report.failures {
                eprintln!("error: {f}");
            }
            if !cli.quiet || !report.failures.is_empty() {
                eprintln!(
                    "pushed {} article graph(s) to {endpoint}{}",
                    group(report.loaded),
                    if report.failures.is_empty() {
                        String::new()
                    } else {
                        format!("; {} failed", report.failures.len())
                    }
                );
            }
            Ok(if report.failures.is_empty() { 0 } else { 1 })
        }
        Command::Serve {
            bind,
            write_token,
            timeout,
            max_body_mb,
            max_result_mb,
            threads,
        } => {
            let timeout = std::time::Duration::try_from_secs_f64(*timeout)
                .ok()
                .filter(|t| !t.is_zero())
                .ok_or_else(|| {
                    StoreError(format!(
                        "--timeout {timeout}: expected a number of seconds above 0"
                    ))
                })?;
            let opts = crate::serve::Options {
                bind: *bind,
                write_token: write_token.clone(),
                timeout,
                max_body: max_body_mb.saturating_mul(1 << 20),
                max_result: max_result_mb.saturating_mul(1 << 20),
                threads: *threads,
                quiet: cli.quiet,
            };
            crate::serve::run(&store_at, opts, || knowledge(&cli.reference))
        }
        Command::CheckData => {
            let r = Reference::load(&reference_dirs(&cli.reference)).map_err(StoreError)?;
            let problems = r.check();
            for p in &problems {
                eprintln!("{p}");
            }
            println!(
                "{} entities, {} tenures, {} positions, {} reporting verbs, {} triggers, {} name cues, {} given names; {} problem(s)",
                r.entities.len(),
                r.tenures.len(),
                r.positions.len(),
                r.verbs.len(),
                r.triggers.len(),
                r.name_cues.len(),
                r.given_names.len(),
                problems.len()
            );
            Ok(if problems.is_empty() { 0 } else { 1 })
        }
        Command::Validate { file, shapes } => {
            crate::validate::run_cli(&store_at, file.as_deref(), shapes.as_deref(), cli.quiet)
        }
    }
}

/// A reader's one line when the store is open read-only.
fn say_read_only(store: &Store, quiet: bool) {
    if let Some(note) = store.read_only_note() {
        if !quiet {
            eprintln!("{note}");
        }
    }
}

/// The exit of a query or update run under limits: 0, or its error in the
/// command line's words; the process ends at once when the evaluation it
/// gave up on still runs.
fn finish_limited<T>(done: Result<T, QueryError>, what: &str) -> Result<i32, StoreError> {
    let msg = match done {
        Ok(_) => return Ok(0),
        Err(QueryError::TimedOut { after }) => format!(
            "{what} cancelled after {} (--timeout){}",
            seconds(after),
            if what == "update" {
                "; nothing was changed"
            } else {
                ""
            }
        ),
        Err(e) => e.to_string(),
    };
    if msg.contains("Broken pipe") {
        limits::exit_past_running_queries(0);
        return Ok(0);
    }
    eprintln!("error: {msg}");
    limits::exit_past_running_queries(1);
    Ok(1)
}

/// "1 s", "2.5 s".
fn seconds(d: std::time::Duration) -> String {
    let s = d.as_secs_f64();
    if (s - s.round()).abs() < 0.05 {
        format!("{} s", s.round() as u64)
    } else {
        format!("{s:.1} s")
    }
}

/// `isnad warm`: reads the store's data files once (see
/// [`crate::store::warm`]), with a bar on a terminal and one line after.
fn warm(store_at: &Path, max_mb: Option<u64>, quiet: bool) -> Result<i32, StoreError> {
    use crate::store::warm;
    if !Store::holds_store(store_at)? {
        return Err(if store_at.exists() {
            StoreError(format!(
                "{} is not an isnad store (an empty folder)",
                store_at.display()
            ))
        } else {
            crate::store::no_store_at(store_at)
        });
    }
    let budget = max_mb.map_or_else(warm::default_budget, |mb| mb.saturating_mul(1 << 20));
    let bar = if quiet || !std::io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        // Its length once the files are listed.
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:30} {bytes}/{total_bytes}  {binary_bytes_per_sec}  about {eta} left",
        ) {
            bar.set_style(style);
        }
        bar
    };
    let started = std::time::Instant::now();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let w = warm::warm(store_at, budget, &stop, |w| {
        bar.set_length(w.total.min(budget));
        bar.set_position(w.bytes);
    })
    .map_err(|e| warm::read_error(store_at, e))?;
    bar.finish_and_clear();
    if !quiet {
        let limit = match max_mb {
            Some(_) => "stopped at the --max-mb limit",
            None => warm::AT_DEFAULT_BUDGET,
        };
        eprintln!(
            "warmed {}: {}",
            store_at.display(),
            w.describe(started.elapsed(), limit)
        );
    }
    Ok(0)
}

/// 12345 → "12,345".
pub fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Writes RDF in a chosen format (Turtle and TriG pretty and sorted).
pub fn write_rdf<W: Write>(
    quads: impl IntoIterator<Item = Result<Quad, StoreError>>,
    format: RdfOut,
    out: W,
) -> Result<W, StoreError> {
    let prefixes = contract_prefixes();
    match format {
        // Pretty Turtle groups by subject and declares the prefixes it
        // uses: it reads everything first. The line formats stream.
        RdfOut::Turtle | RdfOut::Trig => write_turtle(
            quads.into_iter().collect::<Result<Vec<_>, _>>()?,
            &TurtleOptions {
                prefixes: &prefixes,
                trig: format == RdfOut::Trig,
            },
            out,
        )
        .map_err(StoreError::from),
        RdfOut::Ntriples => Store::serialize_stream(quads, RdfFormat::NTriples, out),
        RdfOut::Nquads => Store::serialize_stream(quads, RdfFormat::NQuads, out),
    }
}

/// Writes query results in a chosen format.
pub fn write_results<W: Write>(
    results: QueryResults<'static>,
    format: Option<OutFormat>,
    prefixes: &[(String, String)],
    out: W,
    terminal: bool,
) -> Result<W, StoreError> {
    let limits = QueryLimits::interactive();
    write_results_limited(results, format, prefixes, out, terminal, &limits)
}

/// The error for a result too large to align or pretty-print.
fn too_large(e: QueryError) -> StoreError {
    StoreError(format!(
        "{e}: stopped (--max-rows N raises the limit; --format tsv, csv, json or ntriples streams any size; or add a LIMIT)"
    ))
}

/// [`write_results`], holding at most `limits` of a table or of pretty
/// Turtle in memory; the other formats stream.
pub fn write_results_limited<W: Write>(
    results: QueryResults<'static>,
    format: Option<OutFormat>,
    prefixes: &[(String, String)],
    mut out: W,
    terminal: bool,
    limits: &QueryLimits,
) -> Result<W, StoreError> {
    let mut budget = limits::Budget::new(limits);
    let qerr = |e: oxigraph::sparql::QueryEvaluationError| StoreError(format!("query failed: {e}"));
    match results {
        QueryResults::Solutions(solutions) => {
            let format = format.unwrap_or(if terminal {
                OutFormat::Table
            } else {
                OutFormat::Tsv
            });
            let rformat = match format {
                OutFormat::Csv => Some(QueryResultsFormat::Csv),
                OutFormat::Tsv => Some(QueryResultsFormat::Tsv),
                OutFormat::Json => Some(QueryResultsFormat::Json),
                OutFormat::Xml => Some(QueryResultsFormat::Xml),
                OutFormat::Table | OutFormat::Markdown => None,
                _ => {
                    return Err(StoreError(format!(
                        "--format {format:?} is for CONSTRUCT/DESCRIBE results; SELECT takes table, csv, tsv, json, xml or markdown"
                    )
                    .to_lowercase()))
                }
            };
            let vars: Vec<_> = solutions.variables().to_vec();
            match rformat {
                Some(f) => {
                    let mut w = QueryResultsSerializer::from_format(f)
                        .serialize_solutions_to_writer(out, vars)
                        .map_err(StoreError::from)?;
                    for s in solutions {
                        let s = s.map_err(qerr)?;
                        w.serialize(&s).map_err(StoreError::from)?;
                    }
                    w.finish().map_err(StoreError::from)
                }
                None => {
                    let headers: Vec<String> =
                        vars.iter().map(|v| v.as_str().to_string()).collect();
                    let mut rows = Vec::new();
                    for s in solutions {
                        let s = s.map_err(qerr)?;
                        budget
                            .take(s.values().iter().flatten().map(limits::term_bytes).sum())
                            .map_err(too_large)?;
                        rows.push(
                            vars.iter()
                                .map(|v| {
                                    s.get(v)
                                        .map(|t| render::display_term(t, prefixes))
                                        .unwrap_or_default()
                                })
                                .collect::<Vec<String>>(),
                        );
                    }
                    let text = if format == OutFormat::Markdown {
                        render::markdown(&headers, &rows)
                    } else {
                        let cols =
                            terminal_width().map(|w| (w / headers.len().max(1)).saturating_sub(3));
                        format!(
                            "{}{} row{}\n",
                            render::table(&headers, &rows, if terminal { cols } else { None }),
                            rows.len(),
                            if rows.len() == 1 { "" } else { "s" }
                        )
                    };
                    out.write_all(text.as_bytes()).map_err(StoreError::from)?;
                    Ok(out)
                }
            }
        }
        QueryResults::Boolean(b) => {
            match format {
                Some(OutFormat::Json) => writeln!(out, "{{\"head\":{{}},\"boolean\":{b}}}"),
                Some(OutFormat::Xml) => {
                    let w = QueryResultsSerializer::from_format(QueryResultsFormat::Xml)
                        .serialize_boolean_to_writer(out, b)
                        .map_err(StoreError::from)?;
                    return Ok(w);
                }
                _ => writeln!(out, "{b}"),
            }
            .map_err(StoreError::from)?;
            Ok(out)
        }
        QueryResults::Graph(triples) => {
            let f = match format.unwrap_or(OutFormat::Turtle) {
                OutFormat::Turtle | OutFormat::Table => RdfOut::Turtle,
                OutFormat::Ntriples => RdfOut::Ntriples,
                OutFormat::Nquads => RdfOut::Nquads,
                OutFormat::Trig => RdfOut::Trig,
                other => {
                    return Err(StoreError(
                        format!("--format {other:?} is for SELECT results; CONSTRUCT/DESCRIBE take turtle, ntriples, nquads or trig")
                            .to_lowercase(),
                    ))
                }
            };
            let quads = triples.map(|t| {
                t.map(|t| t.in_graph(oxigraph::model::GraphName::DefaultGraph))
                    .map_err(qerr)
            });
            if matches!(f, RdfOut::Ntriples | RdfOut::Nquads) {
                return write_rdf(quads, f, out);
            }
            let mut held = Vec::new();
            for q in quads {
                let q = q?;
                budget
                    .take(
                        q.subject.to_string().len()
                            + q.predicate.as_str().len()
                            + limits::term_bytes(&q.object),
                    )
                    .map_err(too_large)?;
                held.push(q);
            }
            write_rdf(held.into_iter().map(Ok), f, out)
        }
    }
}

/// The terminal's width in columns, when known.
pub fn terminal_width() -> Option<usize> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .or(Some(120))
}

/// Whether a path is standard input.
pub fn is_stdin(p: &Path) -> bool {
    p.as_os_str() == "-"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_export_leaves_the_earlier_file_whole_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("store.nq");
        std::fs::write(&out, "an earlier export\n").unwrap();
        let failed = to_output(Some(&out), |w| {
            w.write_all(b"half of a new one")?;
            Err(StoreError("the store went away".into()))
        });
        assert!(failed.is_err());
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            "an earlier export\n"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

        to_output(Some(&out), |w| Ok(w.write_all(b"the new one\n")?)).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "the new one\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn an_exported_file_is_readable_by_others_like_any_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("store.ttl");
        to_output(Some(&out), |w| Ok(w.write_all(b"x\n")?)).unwrap();
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    #[test]
    fn an_export_into_a_missing_folder_names_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("missing").join("store.ttl");
        let err = to_output(Some(&out), |_| Ok(())).unwrap_err().0;
        assert!(
            err.starts_with(&format!("{}: cannot write", out.display())),
            "{err}"
        );
        assert!(!err.contains(".partial"), "{err}");
    }
}
