//! A real `isnad serve` process on a free loopback port, for the endpoint
//! and explorer tests: started over a fresh store, stopped (SIGTERM, as
//! Ctrl-C would) when dropped.
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const SEED: &str = "data/000_818cbd4057805db6.txt";
pub const ARTICLES: &str = "tests/fixtures/serve/articles.jsonl";
pub const XSS: &str = "tests/fixtures/serve/xss.json";
pub const TOKEN: &str = "correct-horse-battery-staple";

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_isnad"))
}

/// `isnad --store STORE args…`, checked.
pub fn isnad(store: &Path, args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .env_remove("ISNAD_STORE")
        .env_remove("ISNAD_REFERENCE")
        .env_remove("ISNAD_WRITE_TOKEN")
        .env_remove("ISNAD_PUSH_TOKEN")
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .expect("run isnad")
}

/// A store holding the seed article and the fixtures.
pub fn store_with_articles(dir: &Path) -> PathBuf {
    let store = dir.join("store");
    let out = isnad(&store, &["--quiet", "ingest", SEED, ARTICLES]);
    assert!(
        out.status.success(),
        "ingest: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    store
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct Server {
    pub child: Child,
    pub port: u16,
    pub store: PathBuf,
    pub log: PathBuf,
}

impl Server {
    /// `isnad --store STORE serve --bind 127.0.0.1:PORT extra…`, once it
    /// accepts connections.
    pub fn start(store: &Path, extra: &[&str]) -> Server {
        let port = free_port();
        let log = store.with_extension(format!("{port}.log"));
        let child = Command::new(bin())
            .env_remove("ISNAD_STORE")
            .env_remove("ISNAD_WRITE_TOKEN")
            .arg("--store")
            .arg(store)
            .arg("serve")
            .arg("--bind")
            .arg(format!("127.0.0.1:{port}"))
            .args(extra)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("spawn isnad serve");
        let mut server = Server {
            child,
            port,
            store: store.to_path_buf(),
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!(
                    "isnad serve exited before listening ({status}): {}",
                    std::fs::read_to_string(&server.log).unwrap_or_default()
                );
            }
            assert!(
                Instant::now() < deadline,
                "isnad serve did not listen on port {port} within 60 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// What the server wrote on standard error.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Stops it as Ctrl-C would; returns its exit status.
    pub fn stop(&mut self) -> Option<std::process::ExitStatus> {
        // SAFETY: signalling our own child.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(s)) = self.child.try_wait() {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        self.child.wait().ok()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.stop();
        }
    }
}

/// An HTTP client that hands back every status instead of failing on 4xx.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

/// (status, content type, body) of a response.
pub fn read(mut r: ureq::http::Response<ureq::Body>) -> (u16, String, String) {
    let status = r.status().as_u16();
    let ctype = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = r
        .body_mut()
        .with_config()
        .limit(256 << 20)
        .read_to_string()
        .unwrap_or_default();
    (status, ctype, body)
}
