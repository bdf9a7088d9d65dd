//! Warming: reading a store's data files through once, so that the
//! operating system keeps their pages in memory and the first queries of a
//! session answer from memory rather than from disk.
//!
//! A query touches pages all over the store: every claim's text and IRI is
//! kept under a hash of its string, so one day's listing reads hundreds of
//! scattered pages. The first time, each is a read from disk; once cached,
//! the same listing takes a fraction of the time (docs/performance.md).
//! Databases do the same at start-up (PostgreSQL's `pg_prewarm`, Neo4j's
//! page-cache warm-up).
//!
//! Architecture invariant: this only reads the store's files, with plain
//! reads, never through RocksDB and never writing; it takes no lock, so it
//! can run beside another process that has the store open. A file that
//! disappears meanwhile (a compaction) is skipped.

use indicatif::HumanBytes;
use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a warm-up read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Warmed {
    /// Bytes read.
    pub bytes: u64,
    /// Data files read through (a file cut short by the budget included).
    pub files: usize,
    /// Bytes of data files the store holds.
    pub total: u64,
}

/// Why a warm-up with [`default_budget`] stopped short, for [`Warmed::describe`].
pub const AT_DEFAULT_BUDGET: &str = "stopped at half the available memory";

/// The error for a store whose files cannot be read.
pub fn read_error(dir: &Path, e: std::io::Error) -> super::StoreError {
    super::StoreError(format!("{}: cannot read: {e}", dir.display()))
}

/// Bytes read at a time; the stop flag is looked at between reads.
const CHUNK: usize = 1 << 20;

/// The store's data files (RocksDB's `*.sst`), in name order (older
/// files first), with their sizes.
fn data_files(dir: &Path) -> std::io::Result<Vec<(PathBuf, u64)>> {
    let mut files = vec![];
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "sst") {
            // Gone since the listing: a compaction replaced it.
            if let Ok(meta) = entry.metadata() {
                files.push((path, meta.len()));
            }
        }
    }
    files.sort();
    Ok(files)
}

/// How much to warm by default: half the memory the system has available
/// (Linux's `MemAvailable`), leaving the rest to what other programs are
/// using; no limit where that figure is unknown.
pub fn default_budget() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemAvailable:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(u64::MAX, |kb| kb * 1024 / 2)
}

/// Reads the data files of the store in `dir` through, at most `budget`
/// bytes, until done or `stop` is set. `progress` hears how far it got
/// (the total known from the start) after every chunk.
pub fn warm(
    dir: &Path,
    budget: u64,
    stop: &AtomicBool,
    mut progress: impl FnMut(&Warmed),
) -> std::io::Result<Warmed> {
    let files = data_files(dir)?;
    let mut w = Warmed {
        total: files.iter().map(|(_, n)| n).sum(),
        ..Warmed::default()
    };
    let mut buf = vec![0u8; CHUNK];
    'files: for (path, _) in files {
        let mut f = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        w.files += 1;
        loop {
            if stop.load(Ordering::Relaxed) || w.bytes >= budget {
                break 'files;
            }
            let want = CHUNK.min(usize::try_from(budget - w.bytes).unwrap_or(CHUNK));
            match f.read(&mut buf[..want]) {
                Ok(0) => break,
                Ok(n) => {
                    w.bytes += n as u64;
                    progress(&w);
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(w)
}

impl Warmed {
    /// Stopped short: asked to, or the budget was spent.
    pub fn stopped(&self) -> bool {
        self.bytes < self.total
    }

    /// "read 6.61 GiB of 6.61 GiB in 114 file(s) in 17.6 s", with why it
    /// stopped short when it did ("stopped at the --max-mb limit").
    pub fn describe(&self, took: Duration, why: &str) -> String {
        format!(
            "read {} of {} in {} file(s) in {:.1} s{}",
            HumanBytes(self.bytes),
            HumanBytes(self.total),
            self.files,
            took.as_secs_f64(),
            if self.stopped() {
                format!(" ({why})")
            } else {
                String::new()
            }
        )
    }
}

/// A warm-up on a thread of its own, stopped (within one chunk's read) and
/// joined when dropped: the shell warms its store while the person at the
/// terminal types, and `.warm` asks how far it got.
pub struct Background {
    stop: Arc<AtomicBool>,
    bytes: Arc<AtomicU64>,
    /// The outcome and its time, once finished.
    outcome: Arc<Mutex<Option<(Warmed, Duration)>>>,
    started: Instant,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Background {
    pub fn start(dir: &Path, budget: u64) -> Background {
        let stop = Arc::new(AtomicBool::new(false));
        let bytes = Arc::new(AtomicU64::new(0));
        let outcome = Arc::new(Mutex::new(None));
        let started = Instant::now();
        let (dir, flag, read, done) = (
            dir.to_path_buf(),
            stop.clone(),
            bytes.clone(),
            outcome.clone(),
        );
        let handle = std::thread::Builder::new()
            .name("isnad-warm".into())
            .spawn(move || {
                // Best effort: a failed warm-up only means slower first
                // queries; `.warm` tells what was read.
                let w = warm(&dir, budget, &flag, |w| {
                    read.store(w.bytes, Ordering::Relaxed)
                });
                let w = w.unwrap_or_default();
                *done.lock().unwrap_or_else(|e| e.into_inner()) = Some((w, started.elapsed()));
            })
            .ok();
        Background {
            stop,
            bytes,
            outcome,
            started,
            handle,
        }
    }

    /// The outcome once finished, else the bytes read so far and the time
    /// since the start.
    pub fn status(&self) -> Result<(Warmed, Duration), (u64, Duration)> {
        match *self.outcome.lock().unwrap_or_else(|e| e.into_inner()) {
            Some(done) => Ok(done),
            None => Err((self.bytes.load(Ordering::Relaxed), self.started.elapsed())),
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_like(sizes: &[usize]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (i, n) in sizes.iter().enumerate() {
            std::fs::write(dir.path().join(format!("{:06}.sst", i + 1)), vec![7u8; *n]).unwrap();
        }
        // Not data: the log, the manifest, the lock.
        std::fs::write(dir.path().join("CURRENT"), "MANIFEST-000001\n").unwrap();
        std::fs::write(dir.path().join("000009.log"), vec![1u8; 5000]).unwrap();
        dir
    }

    #[test]
    fn reads_every_data_file_through_and_nothing_else() {
        let dir = store_like(&[3 * CHUNK + 5, 10, 0]);
        let mut seen = vec![];
        let w = warm(dir.path(), u64::MAX, &AtomicBool::new(false), |w| {
            seen.push(w.bytes)
        })
        .unwrap();
        let total = (3 * CHUNK + 15) as u64;
        assert_eq!(
            w,
            Warmed {
                bytes: total,
                files: 3,
                total,
            }
        );
        assert!(!w.stopped());
        assert_eq!(seen.last(), Some(&total));
        assert!(seen.windows(2).all(|p| p[0] < p[1]), "{seen:?}");
        // A budget of exactly the store is enough: nothing left unread.
        let w = warm(dir.path(), total, &AtomicBool::new(false), |_| {}).unwrap();
        assert_eq!((w.bytes, w.stopped()), (total, false));
    }

    #[test]
    fn stops_at_the_budget() {
        let dir = store_like(&[CHUNK + 100, CHUNK]);
        let w = warm(
            dir.path(),
            CHUNK as u64 + 50,
            &AtomicBool::new(false),
            |_| {},
        )
        .unwrap();
        assert_eq!(w.bytes, CHUNK as u64 + 50);
        assert_eq!(w.files, 1);
        assert!(w.stopped());
        assert_eq!(w.total, 2 * CHUNK as u64 + 100);
    }

    #[test]
    fn stops_when_asked() {
        let dir = store_like(&[CHUNK, CHUNK]);
        let w = warm(dir.path(), u64::MAX, &AtomicBool::new(true), |_| {}).unwrap();
        assert_eq!(w.bytes, 0);
        assert!(w.stopped());
    }

    #[test]
    fn a_missing_folder_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("nope");
        let e = warm(&gone, u64::MAX, &AtomicBool::new(false), |_| {}).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
    }

    #[test]
    fn a_background_warm_up_tells_how_far_it_got() {
        let dir = store_like(&[2 * CHUNK, 7]);
        let bg = Background::start(dir.path(), u64::MAX);
        let until = Instant::now() + Duration::from_secs(30);
        let (w, _) = loop {
            match bg.status() {
                Ok(done) => break done,
                Err((read, _)) => assert!(read <= 2 * CHUNK as u64 + 7),
            }
            assert!(Instant::now() < until, "never finished");
            std::thread::sleep(Duration::from_millis(5));
        };
        assert_eq!(
            (w.bytes, w.files, w.stopped()),
            (2 * CHUNK as u64 + 7, 2, false)
        );
    }

    #[test]
    fn a_description_says_what_was_read_and_why_it_stopped() {
        let w = Warmed {
            bytes: 3 << 20,
            files: 2,
            total: 8 << 20,
        };
        assert_eq!(
            w.describe(Duration::from_millis(1500), "stopped at the limit"),
            "read 3.00 MiB of 8.00 MiB in 2 file(s) in 1.5 s (stopped at the limit)"
        );
    }
}
