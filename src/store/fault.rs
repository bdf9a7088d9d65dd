//! What went wrong with a store's files, by cause: another process holds
//! it, the disk is full, the folder cannot be written, the files are
//! damaged, or another read or write failed. Each cause reads as one line
//! that names the store and says what to do.
//!
//! RocksDB reports through Oxigraph as text ("IO error: While lock file:
//! …/LOCK: Resource temporarily unavailable"); [`Fault::of`] sorts it once,
//! here, so that callers decide on the cause (a reader falls back to a
//! read-only view of a store it cannot write) rather than on wording.

use super::StoreError;
use oxigraph::store::StorageError;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// A store failure, by cause. `detail` is RocksDB's own line.
#[derive(Debug, thiserror::Error)]
pub enum Fault {
    /// Another process has the store open for writing (RocksDB's LOCK).
    #[error("the store {} is in use by another isnad process (close it, or use --store to pick another)", .path.display())]
    Locked { path: PathBuf },
    /// The file system has no room left.
    #[error("no space left on device: cannot write the store {} ({detail})", .path.display())]
    NoSpace { path: PathBuf, detail: String },
    /// The folder or file system cannot be written (permissions, a
    /// read-only mount).
    #[error("the store {} cannot be written (read-only folder or file system): {detail}", .path.display())]
    ReadOnly { path: PathBuf, detail: String },
    /// A file of the store is cut short, overwritten or missing.
    #[error("the store {} is damaged: {detail} (restore it from a copy, or ingest again into a new store)", .path.display())]
    Corrupt { path: PathBuf, detail: String },
    /// Another failure reading the store.
    #[error("cannot read the store {}: {detail}", .path.display())]
    Read { path: PathBuf, detail: String },
    /// Another failure writing the store.
    #[error("cannot write the store {}: {detail}", .path.display())]
    Write { path: PathBuf, detail: String },
    /// Not an I/O failure (Oxigraph's own message).
    #[error("store {}: {detail}", .path.display())]
    Other { path: PathBuf, detail: String },
}

/// What the failing operation was doing, to tell a read from a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doing {
    Opening,
    Reading,
    Writing,
}

impl Fault {
    /// Sorts Oxigraph's error by cause.
    pub fn of(path: &Path, e: &StorageError, doing: Doing) -> Fault {
        let detail = one_line(&e.to_string());
        let kind = match e {
            StorageError::Io(io) => Some(io.kind()),
            _ => None,
        };
        Fault::classify(
            path,
            detail,
            kind,
            matches!(e, StorageError::Corruption(_)),
            doing,
        )
    }

    /// Sorts an error known only by its text (a bulk loader's, a query's).
    pub fn of_text(path: &Path, text: &str, doing: Doing) -> Fault {
        let detail = one_line(text);
        let lower = detail.to_lowercase();
        let kind = lower
            .contains("no space left")
            .then_some(ErrorKind::StorageFull);
        Fault::classify(path, detail, kind, false, doing)
    }

    /// Sorts an I/O error met outside RocksDB (reading the folder).
    pub fn of_io(path: &Path, e: &std::io::Error, doing: Doing) -> Fault {
        Fault::classify(path, one_line(&e.to_string()), Some(e.kind()), false, doing)
    }

    fn classify(
        path: &Path,
        detail: String,
        kind: Option<ErrorKind>,
        corruption: bool,
        doing: Doing,
    ) -> Fault {
        let path = path.to_path_buf();
        let lower = detail.to_lowercase();
        if kind == Some(ErrorKind::StorageFull)
            || lower.contains("no space left")
            || lower.contains("space limit reached")
        {
            return Fault::NoSpace { path, detail };
        }
        if kind == Some(ErrorKind::ReadOnlyFilesystem)
            || kind == Some(ErrorKind::PermissionDenied)
            || lower.contains("read-only file system")
            || lower.contains("permission denied")
        {
            return Fault::ReadOnly { path, detail };
        }
        // "While lock file: …/LOCK: Resource temporarily unavailable", or
        // "lock hold by current process" when this process holds it.
        if lower.contains("lock") {
            return Fault::Locked { path };
        }
        if corruption || lower.contains("corruption") || lower.contains("corrupt") {
            return Fault::Corrupt { path, detail };
        }
        // A file the manifest lists is gone, or a file that does not parse:
        // the store is not whole.
        if kind == Some(ErrorKind::NotFound)
            || lower.contains("no such file")
            || lower.contains("invalid argument")
            || lower.contains("not an sst file")
            || lower.contains("bad magic")
            || lower.contains("truncated")
        {
            return Fault::Corrupt { path, detail };
        }
        if kind.is_some() || lower.starts_with("io error") {
            return match doing {
                Doing::Writing => Fault::Write { path, detail },
                Doing::Opening | Doing::Reading => Fault::Read { path, detail },
            };
        }
        Fault::Other { path, detail }
    }

    /// Whether a reader may still look at the store read-only: someone
    /// else writes it, or this process cannot (a read-only folder, a full
    /// disk).
    pub fn allows_read_only(&self) -> bool {
        matches!(
            self,
            Fault::Locked { .. } | Fault::ReadOnly { .. } | Fault::NoSpace { .. }
        )
    }
}

impl From<Fault> for StoreError {
    fn from(f: Fault) -> StoreError {
        StoreError(f.to_string())
    }
}

/// RocksDB's message on one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn io(kind: ErrorKind, msg: &str) -> StorageError {
        StorageError::Io(std::io::Error::new(kind, msg.to_string()))
    }

    #[test]
    fn rocksdb_messages_sort_by_cause() {
        let p = Path::new("/s");
        let f = |e: StorageError| Fault::of(p, &e, Doing::Opening);
        assert!(matches!(
            f(io(
                ErrorKind::Other,
                "IO error: While lock file: /s/LOCK: Resource temporarily unavailable"
            )),
            Fault::Locked { .. }
        ));
        // The lock file of a read-only folder cannot be opened: not "in use".
        assert!(matches!(
            f(io(
                ErrorKind::Other,
                "IO error: While open a file for lock: /s/LOCK: Read-only file system"
            )),
            Fault::ReadOnly { .. }
        ));
        assert!(matches!(
            f(io(
                ErrorKind::Other,
                "IO error: While open a file for lock: /s/LOCK: Permission denied"
            )),
            Fault::ReadOnly { .. }
        ));
        assert!(matches!(
            f(io(
                ErrorKind::StorageFull,
                "IO error: No space left on device: While appending to file: /s/000012.sst"
            )),
            Fault::NoSpace { .. }
        ));
        assert!(matches!(
            f(io(ErrorKind::NotFound, "IO error: No such file or directory: While open a file for random read: /s/000009.sst")),
            Fault::Corrupt { .. }
        ));
        let e = Fault::of(p, &io(ErrorKind::Other, "IO error: EIO"), Doing::Writing);
        assert!(matches!(e, Fault::Write { .. }), "{e:?}");
        assert!(e.to_string().starts_with("cannot write the store /s: "));
    }

    #[test]
    fn a_reader_falls_back_only_when_it_cannot_write() {
        let p = PathBuf::from("/s");
        assert!(Fault::Locked { path: p.clone() }.allows_read_only());
        let detail = String::new();
        assert!(!Fault::Corrupt { path: p, detail }.allows_read_only());
    }
}
