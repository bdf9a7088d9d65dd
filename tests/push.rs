//! `isnad push` against a real Oxigraph server on loopback: the article's
//! graph arrives whole, and pushing again changes nothing.
//!
//! The server is PyPI's `oxigraph` package (`pip install oxigraph`, which
//! `.ci/run` does). Without the `oxigraph` command the test says so and
//! passes without running.

use assert_cmd::Command;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const SEED: &str = "data/000_818cbd4057805db6.txt";
const ARTICLE_CLASS: &str = "https://w3id.org/isnad/ontology#Article";
const ARTICLE_PREFIX: &str = "https://w3id.org/isnad/id/article/";

/// An Oxigraph server process, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `oxigraph serve` on a free loopback port; None when the
    /// command is not installed.
    fn start() -> Option<Server> {
        let installed = std::process::Command::new("oxigraph")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !installed {
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        // Ask the system for a free port, then hand it to the server.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new("oxigraph")
            .arg("serve")
            .arg("--location")
            .arg(dir.path().join("db"))
            .arg("--bind")
            .arg(format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("oxigraph serve");
        let mut server = Server {
            child,
            port,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("oxigraph serve exited before listening: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "oxigraph serve did not listen on port {port} within 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(server)
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// A SELECT over HTTP; rows of variable → lexical value.
    fn select(&self, q: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
        let mut resp = ureq::get(&self.url("/query"))
            .query("query", q)
            .header("Accept", "application/sparql-results+json")
            .call()
            .expect("query the server");
        let body = resp.body_mut().read_to_string().expect("read the answer");
        let json: serde_json::Value = serde_json::from_str(&body).expect("SPARQL results JSON");
        json["results"]["bindings"]
            .as_array()
            .expect("bindings")
            .iter()
            .map(|row| {
                row.as_object()
                    .expect("a row")
                    .iter()
                    .map(|(k, v)| (k.clone(), v["value"].clone()))
                    .collect()
            })
            .collect()
    }

    /// (graph, quads in it) for every named graph.
    fn graphs(&self) -> Vec<(String, u64)> {
        self.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
        )
        .into_iter()
        .map(|row| {
            let g = row["g"].as_str().unwrap().to_string();
            let n = row["n"].as_str().unwrap().parse().unwrap();
            (g, n)
        })
        .collect()
    }
}

fn isnad() -> Command {
    let mut c = Command::cargo_bin("isnad").unwrap();
    c.env_remove("ISNAD_STORE").env_remove("ISNAD_REFERENCE");
    c
}

/// The number of quads `isnad extract` gives for the seed.
fn extracted_quads() -> u64 {
    let out = isnad()
        .args(["extract", "--format", "nquads", SEED])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count() as u64
}

fn push(server: &Server) {
    isnad()
        .args(["push", "--endpoint", &server.url("/store"), SEED])
        .assert()
        .success()
        .stderr(predicates::str::contains("pushed 1 article graph(s)"));
}

#[test]
fn push_puts_the_article_graph_and_is_idempotent() {
    assert!(Path::new(SEED).exists(), "{SEED} is missing");
    let Some(server) = Server::start() else {
        eprintln!(
            "note: skipping the push test: the `oxigraph` server command is not installed (pip install oxigraph)"
        );
        return;
    };
    assert!(server.graphs().is_empty(), "a fresh server holds no graphs");

    push(&server);
    let graphs = server.graphs();
    assert_eq!(graphs.len(), 1, "one article graph: {graphs:?}");
    let (graph, quads) = graphs[0].clone();
    assert!(
        graph.starts_with(ARTICLE_PREFIX),
        "article graph IRI: {graph}"
    );
    assert_eq!(
        quads,
        extracted_quads(),
        "the graph holds exactly what extract gives"
    );
    let typed = server.select(&format!(
        "SELECT ?a WHERE {{ GRAPH <{graph}> {{ ?a a <{ARTICLE_CLASS}> }} }}"
    ));
    assert_eq!(typed.len(), 1, "one article in its graph");
    assert_eq!(
        typed[0]["a"].as_str(),
        Some(graph.as_str()),
        "the graph is named after its article"
    );

    // Again: the graph is replaced, not added to.
    push(&server);
    assert_eq!(server.graphs(), graphs, "pushing twice changes nothing");
}
