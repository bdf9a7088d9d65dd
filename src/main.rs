//! The `isnad` binary: parse flags, run, map the outcome to an exit code.

use clap::Parser;
use std::process::ExitCode;

// mimalloc serves every allocation of the process, Rust's and RocksDB's C++
// alike (its `override` feature): its per-thread free lists reuse the many
// small blocks of extraction and of a query's look-ups where glibc's malloc
// spent a fifth of a saved query's time, and freed memory is kept for reuse
// rather than faulted in again (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A fault is one clear line, never a backtrace; the pipeline also
    // reports it against the article it happened in.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("error: internal error: {what}");
    }));
    let cli = match isnad::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match isnad::cli::run(cli) {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            let msg = e.to_string();
            // A closed pipe (`| head`) is not an error worth a message.
            if msg.contains("Broken pipe") {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}
