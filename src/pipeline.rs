//! The ingest pipeline: paths → articles → annotations → graphs → store,
//! extraction in parallel across cores, one writer, batches of whole
//! articles per transaction. A broken file or record loses only itself.
//!
//! Architecture invariant: the pipeline holds at most two batches of
//! articles in memory (one being extracted, one being written), never the
//! corpus; every article is written whole or not at all.

use crate::article::{self, Article, ReadError};
use crate::extract::{self, Knowledge};
use crate::rdf::{article_lines, article_quads, ArticleGraph};
use crate::store::{Store, StoreError};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::{BufRead, BufReader, IsTerminal};
use std::path::{Path, PathBuf};

/// Files bigger than this are read as a stream (JSON Lines only).
const STREAM_ABOVE: u64 = 32 << 20;

/// How an ingest runs.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Articles per transaction.
    pub batch: usize,
    /// No progress bar, no warnings.
    pub quiet: bool,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            batch: 256,
            quiet: false,
        }
    }
}

/// What an ingest did.
#[derive(Debug, Default)]
pub struct IngestReport {
    pub loaded: usize,
    pub quads: usize,
    pub failures: Vec<ReadError>,
    pub warnings: Vec<String>,
}

/// Reads articles from paths in batches and hands each batch to `sink`.
/// Big JSON Lines files are streamed line by line. Files that hold one
/// article each (scraped pages) are read and parsed in parallel; the
/// batches and their order are the same as reading them one by one.
pub fn for_each_batch(
    paths: &[PathBuf],
    batch: usize,
    mut sink: impl FnMut(Vec<Result<Article, ReadError>>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut pending: Vec<Result<Article, ReadError>> = Vec::with_capacity(batch);
    // One-article files not read yet; they come after everything in `pending`.
    let mut unread: Vec<PathBuf> = Vec::new();
    let read_unread = |unread: &mut Vec<PathBuf>, pending: &mut Vec<_>| {
        let read: Vec<_> = unread.par_iter().map(|p| article::read_path(p)).collect();
        pending.extend(read.into_iter().flatten());
        unread.clear();
    };
    for p in article::expand_paths(paths) {
        let p = match p {
            Ok(p) => p,
            Err(e) => {
                read_unread(&mut unread, &mut pending);
                pending.push(Err(e));
                continue;
            }
        };
        let format = article::Format::of_path(&p);
        if format == article::Format::Scraped && p.as_os_str() != "-" {
            unread.push(p);
            if pending.len() + unread.len() >= batch {
                read_unread(&mut unread, &mut pending);
                sink(std::mem::take(&mut pending))?;
            }
            continue;
        }
        read_unread(&mut unread, &mut pending);
        let big_jsonl = format == article::Format::JsonLines
            && std::fs::metadata(&p).is_ok_and(|m| m.len() > STREAM_ABOVE);
        if big_jsonl {
            stream_jsonl(&p, |r| {
                pending.push(r);
                if pending.len() >= batch {
                    sink(std::mem::take(&mut pending))?;
                }
                Ok(())
            })?;
        } else {
            pending.extend(article::read_path(&p));
        }
        if pending.len() >= batch {
            sink(std::mem::take(&mut pending))?;
        }
    }
    read_unread(&mut unread, &mut pending);
    if !pending.is_empty() {
        sink(pending)?;
    }
    Ok(())
}

fn stream_jsonl(
    p: &Path,
    mut each: impl FnMut(Result<Article, ReadError>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let origin = p.display().to_string();
    let f =
        std::fs::File::open(p).map_err(|e| StoreError(format!("{origin}: cannot read: {e}")))?;
    for (i, line) in BufReader::new(f).split(b'\n').enumerate() {
        let line = line.map_err(|e| StoreError(format!("{origin}: cannot read: {e}")))?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let at = format!("{origin}:{}", i + 1);
        match String::from_utf8(line) {
            Ok(text) => {
                for r in article::read_text(&text, article::Format::JsonLines, &at) {
                    // read_text numbers lines from 1 inside the one line
                    each(
                        r.map_err(|mut e| {
                            e.origin = at.clone();
                            e
                        })
                        .map(|mut a| {
                            a.origin = at.clone();
                            a
                        }),
                    )?;
                }
            }
            Err(_) => each(Err(ReadError {
                origin: at,
                message: "is not valid UTF-8".into(),
            }))?,
        }
    }
    Ok(())
}

/// Extracts a batch in parallel: graphs for the good, errors for the bad.
pub fn extract_batch(
    batch: Vec<Result<Article, ReadError>>,
    k: &Knowledge,
) -> Vec<Result<(ArticleGraph, Vec<String>), ReadError>> {
    batch
        .into_par_iter()
        .map(|r| r.and_then(|a| graph_of(a, k)))
        .collect()
}

/// One article's graph. A fault in extraction loses that article only and
/// is reported against it, never as a crash.
pub fn graph_of(a: Article, k: &Knowledge) -> Result<(ArticleGraph, Vec<String>), ReadError> {
    guarded(a, k, article_quads)
}

/// One article's N-Quads (or, without `with_graph`, N-Triples) lines,
/// written straight from its annotations; faults as in [`graph_of`].
pub fn lines_of(
    a: Article,
    k: &Knowledge,
    with_graph: bool,
) -> Result<(Vec<u8>, Vec<String>), ReadError> {
    guarded(a, k, |a, ann| article_lines(a, ann, with_graph))
}

fn guarded<T>(
    a: Article,
    k: &Knowledge,
    map: impl FnOnce(&Article, &extract::Annotations) -> T,
) -> Result<(T, Vec<String>), ReadError> {
    let run = std::panic::AssertUnwindSafe(|| {
        let ann = extract::extract(&a, k);
        map(&a, &ann)
    });
    match std::panic::catch_unwind(run) {
        Ok(g) => Ok((g, a.warnings)),
        Err(_) => Err(ReadError {
            origin: a.origin.clone(),
            message:
                "internal error while extracting this article (please report it); it was skipped"
                    .into(),
        }),
    }
}

/// The progress line of a long ingest, on a terminal only: a bar with
/// articles per second and the time left when the number of articles can
/// be known beforehand, else a counter.
fn progress(quiet: bool, paths: &[PathBuf]) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    match expected_articles(paths) {
        Some(n) => styled(
            ProgressBar::new(n),
            "{bar:30} {pos}/{len} articles  {rate}  {elapsed_precise}, about {eta} left",
        ),
        None => counter("articles"),
    }
}

/// A running count of `unit` with its rate, for work of unknown size (an
/// ingest from standard input, an export). The caller decides whether it
/// is shown at all.
pub fn counter(unit: &str) -> ProgressBar {
    styled(
        ProgressBar::new_spinner(),
        &format!("{{spinner}} {{pos}} {unit}  {{rate}}  {{elapsed_precise}}"),
    )
}

fn styled(pb: ProgressBar, template: &str) -> ProgressBar {
    pb.set_style(
        ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_spinner())
            .with_key(
                "rate",
                |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}/s", s.per_sec());
                },
            ),
    );
    // Shown at once: the work has started.
    pb.tick();
    pb
}

/// How many articles `paths` hold, as far as can be told without parsing
/// them: one per page or JSON file, one per non-empty line of JSON Lines
/// (counted by a scan for line ends). `None` with standard input.
pub fn expected_articles(paths: &[PathBuf]) -> Option<u64> {
    let mut n = 0u64;
    for p in article::expand_paths(paths).into_iter().flatten() {
        if p.as_os_str() == "-" {
            return None;
        }
        n += match article::Format::of_path(&p) {
            article::Format::JsonLines => count_lines(&p).unwrap_or(0),
            _ => 1,
        };
    }
    Some(n)
}

/// Non-empty lines of a file.
fn count_lines(p: &Path) -> std::io::Result<u64> {
    use std::io::Read;
    let mut f = std::fs::File::open(p)?;
    let mut buf = vec![0u8; 1 << 20];
    let (mut lines, mut last) = (0u64, b'\n');
    loop {
        let got = f.read(&mut buf)?;
        if got == 0 {
            break;
        }
        let chunk = &buf[..got];
        // A line counts when its first byte follows a line end.
        lines += chunk
            .iter()
            .zip(std::iter::once(&last).chain(chunk.iter()))
            .filter(|(b, prev)| **prev == b'\n' && !matches!(b, b'\n' | b'\r'))
            .count() as u64;
        last = chunk[got - 1];
    }
    Ok(lines)
}

/// Ingests paths into the store. Extraction of the next batch overlaps
/// the writing of the previous one: a writer thread takes each batch of
/// graphs through a rendezvous channel, so at most two batches are alive
/// (one being extracted, one being written).
pub fn ingest(
    store: &Store,
    paths: &[PathBuf],
    k: &Knowledge,
    opts: &IngestOptions,
) -> Result<IngestReport, StoreError> {
    let mut report = IngestReport::default();
    let pb = progress(opts.quiet, paths);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<ArticleGraph>>(0);
    let (loaded, quads) = std::thread::scope(|s| {
        let writer = s.spawn(|| -> Result<(usize, usize), StoreError> {
            let (mut loaded, mut quads) = (0, 0);
            for graphs in rx {
                store.replace_articles(&graphs)?;
                loaded += graphs.len();
                quads += graphs.iter().map(|g| g.quads.len()).sum::<usize>();
                pb.inc(graphs.len() as u64);
            }
            // The summary counts what was loaded, before anyone reads it.
            store.count_pending()?;
            Ok((loaded, quads))
        });
        let read = for_each_batch(paths, opts.batch.max(1), |batch| {
            let mut graphs = Vec::with_capacity(batch.len());
            for r in extract_batch(batch, k) {
                match r {
                    Ok((g, w)) => {
                        report.warnings.extend(w);
                        graphs.push(g);
                    }
                    Err(e) => {
                        report.failures.push(e);
                        pb.inc(1);
                    }
                }
            }
            // A closed channel means the writer stopped on an error, which
            // its join below reports.
            tx.send(graphs)
                .map_err(|_| StoreError("the store writer stopped".into()))
        });
        drop(tx);
        let wrote = writer
            .join()
            .unwrap_or_else(|_| Err(StoreError("the store writer panicked".into())));
        match (read, wrote) {
            (_, Err(e)) | (Err(e), Ok(_)) => Err(e),
            (Ok(()), Ok(counts)) => Ok(counts),
        }
    })?;
    report.loaded = loaded;
    report.quads = quads;
    pb.finish_and_clear();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_articles_to_come_are_counted_from_files_and_lines() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("a.txt"), "page").unwrap();
        std::fs::write(d.join("b.json"), "{}").unwrap();
        // Three records, a blank line, no line end after the last one.
        std::fs::write(d.join("c.jsonl"), "{}\n{}\r\n\n{}").unwrap();
        std::fs::create_dir(d.join("sub")).unwrap();
        std::fs::write(d.join("sub/d.txt"), "page").unwrap();
        assert_eq!(expected_articles(&[d.to_path_buf()]), Some(6));
        assert_eq!(expected_articles(&[d.join("c.jsonl")]), Some(3));
        assert_eq!(expected_articles(&[PathBuf::from("-")]), None);
    }
}
