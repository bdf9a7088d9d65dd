//! The server's limits: a watchdog that cancels every query or update
//! still running at its deadline (through Oxigraph's cancellation token,
//! so the evaluation itself stops and frees its thread), and a writer that
//! refuses to grow past the result-size limit.
//!
//! Owns: deadlines and the size cap. Must not: know about HTTP.

use oxigraph::sparql::CancellationToken;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How often the watchdog looks at the clock.
const TICK: Duration = Duration::from_millis(50);

/// Cancels tokens whose deadline has passed.
#[derive(Default)]
pub struct Watchdog {
    running: Mutex<Vec<(u64, Instant, CancellationToken)>>,
    next: AtomicU64,
    stopped: AtomicBool,
}

/// One watched evaluation; stops being watched when dropped.
pub struct Watch<'a> {
    pub token: CancellationToken,
    id: u64,
    dog: &'a Watchdog,
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        let mut r = self.dog.running.lock().unwrap_or_else(|e| e.into_inner());
        r.retain(|(id, _, _)| *id != self.id);
    }
}

impl Watchdog {
    /// A token cancelled `timeout` from now (or at shutdown).
    pub fn watch(&self, timeout: Duration) -> Watch<'_> {
        let token = CancellationToken::new();
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        if self.stopped.load(Ordering::SeqCst) {
            token.cancel();
        }
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((id, Instant::now() + timeout, token.clone()));
        Watch {
            token,
            id,
            dog: self,
        }
    }

    /// Cancels what is past its deadline; returns how many were cancelled.
    pub fn tick(&self, now: Instant) -> usize {
        let mut r = self.running.lock().unwrap_or_else(|e| e.into_inner());
        let mut n = 0;
        r.retain(|(_, deadline, token)| {
            if *deadline <= now {
                token.cancel();
                n += 1;
                false
            } else {
                true
            }
        });
        n
    }

    /// Runs the clock until [`Watchdog::stop`].
    pub fn run(&self) {
        while !self.stopped.load(Ordering::SeqCst) {
            std::thread::sleep(TICK);
            self.tick(Instant::now());
        }
    }

    /// Cancels everything running and everything to come.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        let r = self.running.lock().unwrap_or_else(|e| e.into_inner());
        for (_, _, t) in r.iter() {
            t.cancel();
        }
    }
}

/// A byte buffer that fails once it would hold more than `max` bytes.
pub struct Capped {
    pub buf: Vec<u8>,
    max: usize,
}

/// The error message [`Capped`] fails with.
pub const TOO_LARGE: &str = "isnad: result larger than the limit";

impl Capped {
    pub fn new(max: usize) -> Capped {
        Capped {
            buf: Vec::new(),
            max,
        }
    }
}

impl std::io::Write for Capped {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        if self.buf.len() + b.len() > self.max {
            return Err(std::io::Error::other(TOO_LARGE));
        }
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether an error message comes from [`Capped`].
pub fn is_too_large(msg: &str) -> bool {
    msg.contains(TOO_LARGE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_token_is_cancelled_at_its_deadline_and_not_before() {
        let dog = Watchdog::default();
        let short = dog.watch(Duration::from_millis(10));
        let long = dog.watch(Duration::from_secs(60));
        assert_eq!(dog.tick(Instant::now()), 0);
        assert!(!short.token.is_cancelled());
        assert_eq!(dog.tick(Instant::now() + Duration::from_millis(20)), 1);
        assert!(short.token.is_cancelled());
        assert!(!long.token.is_cancelled());
        drop(long);
        assert_eq!(dog.tick(Instant::now() + Duration::from_secs(120)), 0);
        dog.stop();
        assert!(dog.watch(Duration::from_secs(60)).token.is_cancelled());
    }

    #[test]
    fn the_capped_buffer_refuses_to_pass_its_limit() {
        let mut c = Capped::new(4);
        c.write_all(b"abcd").unwrap();
        let e = c.write_all(b"e").unwrap_err();
        assert!(is_too_large(&e.to_string()));
        assert_eq!(c.buf, b"abcd");
    }
}
