//! The `isnad` binary: parse flags, run, map the outcome to an exit code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // glibc hands every freed block over its dynamic thresholds back to the
    // kernel, so each article's buffers (a few hundred kB) came back as fresh
    // zeroed pages: a fifth of `isnad extract`'s time was page faults. Fixed
    // thresholds keep that memory for the next article (docs/performance.md).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; called before any thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 20);
    }
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
