//! `isnad serve` as SPARQL clients see it: the real binary on a free
//! loopback port, spoken to over HTTP (ureq), by Python's rdflib and
//! SPARQLWrapper, and by another isnad's `push`.

mod support;

use std::time::{Duration, Instant};
use support::*;

const ARTICLE_CLASS: &str = "https://w3id.org/isnad/ontology#Article";
const ARAGHCHI: &str = "https://w3id.org/isnad/id/person/araghchi";

fn served(extra: &[&str]) -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_articles(dir.path());
    let server = Server::start(&store, extra);
    (dir, server)
}

/// Rows of a SELECT answered as SPARQL JSON: variable → value.
fn select(server: &Server, q: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let (status, _, body) = read(
        agent()
            .get(&server.url("/query"))
            .query("query", q)
            .header("Accept", "application/sparql-results+json")
            .call()
            .unwrap(),
    );
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).expect("SPARQL JSON");
    json["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row.as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v["value"].clone()))
                .collect()
        })
        .collect()
}

fn count_articles(server: &Server) -> usize {
    select(server, "SELECT ?a WHERE { ?a a isn:Article }").len()
}

#[test]
fn queries_answer_by_get_and_post_in_the_format_asked_for() {
    let (_dir, server) = served(&[]);
    // The contract prefixes are known and the default graph is the union.
    let q = "SELECT ?a WHERE { ?a a isn:Article } ORDER BY ?a";
    let a = agent();
    let get = |accept: &str| {
        read(
            a.get(&server.url("/query"))
                .query("query", q)
                .header("Accept", accept)
                .call()
                .unwrap(),
        )
    };
    let (s, t, json) = get("application/sparql-results+json");
    assert_eq!((s, t.as_str()), (200, "application/sparql-results+json"));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        json["results"]["bindings"].as_array().unwrap().len(),
        4,
        "the seed and three fixtures"
    );
    let (s, t, xml) = get("application/sparql-results+xml");
    assert_eq!((s, t.as_str()), (200, "application/sparql-results+xml"));
    assert!(
        xml.contains("<sparql") && xml.matches("<result>").count() == 4,
        "{xml}"
    );
    let (s, t, csv) = get("text/csv");
    assert_eq!((s, t.as_str()), (200, "text/csv; charset=utf-8"));
    assert_eq!(csv.lines().count(), 5, "header and four rows: {csv}");
    let (s, t, tsv) = get("text/tab-separated-values;q=0.9, text/csv;q=0.1");
    assert_eq!(
        (s, t.as_str()),
        (200, "text/tab-separated-values; charset=utf-8")
    );
    assert!(
        tsv.starts_with("?a\n<https://w3id.org/isnad/id/article/"),
        "{tsv}"
    );
    // No Accept: JSON.
    let (s, t, _) = read(
        a.get(&server.url("/query"))
            .query("query", q)
            .call()
            .unwrap(),
    );
    assert_eq!((s, t.as_str()), (200, "application/sparql-results+json"));
    // format= wins over Accept.
    let (s, t, _) = read(
        a.get(&server.url("/query"))
            .query("query", q)
            .query("format", "csv")
            .header("Accept", "application/sparql-results+json")
            .call()
            .unwrap(),
    );
    assert_eq!((s, t.as_str()), (200, "text/csv; charset=utf-8"));
    // POST, form-encoded and direct.
    let (s, _, form) = read(
        a.post(&server.url("/query"))
            .header("Accept", "text/csv")
            .send_form([("query", q)])
            .unwrap(),
    );
    assert_eq!(s, 200);
    assert_eq!(form, csv, "a form POST answers as GET does");
    let (s, _, direct) = read(
        a.post(&server.url("/query"))
            .header("Content-Type", "application/sparql-query")
            .header("Accept", "text/csv")
            .send(q)
            .unwrap(),
    );
    assert_eq!((s, direct), (200, csv.clone()));
    // ASK.
    let (s, _, ask) = read(
        a.get(&server.url("/query"))
            .query("query", "ASK { ?a a isn:Article }")
            .call()
            .unwrap(),
    );
    assert_eq!(s, 200);
    assert!(ask.contains("\"boolean\":true"), "{ask}");
    // A type nobody offers, and a bad query, say so.
    assert_eq!(get("image/png").0, 406);
    let (s, _, err) = read(
        a.get(&server.url("/query"))
            .query("query", "SELECT ?a WHERE {\n  ?a a\n}")
            .call()
            .unwrap(),
    );
    assert_eq!(s, 400);
    assert!(
        err.contains("line 3"),
        "the error points at the line: {err}"
    );
}

#[test]
fn construct_and_describe_come_as_turtle_ntriples_or_json_ld() {
    let (_dir, server) = served(&[]);
    let q = format!(
        "CONSTRUCT {{ <{ARAGHCHI}> rdfs:label ?l }} WHERE {{ <{ARAGHCHI}> rdfs:label ?l }}"
    );
    let a = agent();
    let ask = |accept: &str| {
        read(
            a.get(&server.url("/query"))
                .query("query", &q)
                .header("Accept", accept)
                .call()
                .unwrap(),
        )
    };
    let (s, t, ttl) = ask("text/turtle");
    assert_eq!((s, t.as_str()), (200, "text/turtle; charset=utf-8"));
    assert!(
        ttl.contains("@prefix rdfs:") && ttl.contains("عباس عراقجي"),
        "{ttl}"
    );
    let (s, t, nt) = ask("application/n-triples");
    assert_eq!((s, t.as_str()), (200, "application/n-triples"));
    assert!(
        nt.contains(&format!(
            "<{ARAGHCHI}> <http://www.w3.org/2000/01/rdf-schema#label> \"عباس عراقجي\"@ar ."
        )),
        "{nt}"
    );
    let (s, t, jsonld) = ask("application/ld+json");
    assert_eq!((s, t.as_str()), (200, "application/ld+json"));
    let parsed: serde_json::Value = serde_json::from_str(&jsonld).expect("JSON-LD is JSON");
    assert!(parsed.to_string().contains("عباس عراقجي"));
    // Default for graphs: Turtle; format=ntriples works too.
    let (_, t, _) = ask("*/*");
    assert_eq!(t, "text/turtle; charset=utf-8");
    let (s, t, _) = read(
        a.get(&server.url("/query"))
            .query("query", format!("DESCRIBE <{ARAGHCHI}>"))
            .query("format", "ntriples")
            .call()
            .unwrap(),
    );
    assert_eq!((s, t.as_str()), (200, "application/n-triples"));
}

#[test]
fn the_graph_store_gives_one_graph_and_the_endpoint_describes_itself() {
    let (_dir, server) = served(&[]);
    let graph = select(
        &server,
        "SELECT ?g WHERE { GRAPH ?g { ?g a isn:Article } } LIMIT 1",
    )[0]["g"]
        .as_str()
        .unwrap()
        .to_string();
    let a = agent();
    let (s, t, nt) = read(
        a.get(&server.url("/store"))
            .query("graph", &graph)
            .header("Accept", "application/n-triples")
            .call()
            .unwrap(),
    );
    assert_eq!((s, t.as_str()), (200, "application/n-triples"));
    assert!(nt.contains(&format!(
        "<{graph}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{ARTICLE_CLASS}> ."
    )));
    let quads_in_graph = select(
        &server,
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"),
    )[0]["n"]
        .as_str()
        .unwrap()
        .parse::<usize>()
        .unwrap();
    assert_eq!(
        nt.lines().count(),
        quads_in_graph,
        "exactly the graph's triples"
    );
    let (s, _, _) = read(
        a.get(&server.url("/store"))
            .query("graph", "https://w3id.org/isnad/id/article/missing")
            .call()
            .unwrap(),
    );
    assert_eq!(s, 404);
    // The service description, by GET /query without a query.
    let (s, t, sd) = read(
        a.get(&server.url("/query"))
            .header("Accept", "text/turtle")
            .call()
            .unwrap(),
    );
    assert_eq!((s, t.as_str()), (200, "text/turtle; charset=utf-8"));
    assert!(
        sd.contains("http://www.w3.org/ns/sparql-service-description#Service"),
        "{sd}"
    );
    assert!(sd.contains(&server.url("/query")), "{sd}");
}

#[test]
fn browsers_may_ask_from_other_origins() {
    let (_dir, server) = served(&[]);
    let a = agent();
    let (s, _, _) = {
        let r = a
            .run(
                ureq::http::Request::builder()
                    .method("OPTIONS")
                    .uri(server.url("/query"))
                    .header("Origin", "https://yasgui.example")
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "content-type, accept")
                    .body(())
                    .unwrap(),
            )
            .unwrap();
        let h = r.headers().clone();
        assert_eq!(h.get("access-control-allow-origin").unwrap(), "*");
        let methods = h
            .get("access-control-allow-methods")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            methods.contains("POST") && methods.contains("GET"),
            "{methods}"
        );
        let headers = h
            .get("access-control-allow-headers")
            .unwrap()
            .to_str()
            .unwrap()
            .to_lowercase();
        assert!(
            headers.contains("content-type") && headers.contains("authorization"),
            "{headers}"
        );
        read(r)
    };
    assert_eq!(s, 204);
    let r = a
        .get(&server.url("/query"))
        .query("query", "ASK {}")
        .header("Origin", "https://yasgui.example")
        .call()
        .unwrap();
    assert_eq!(r.headers().get("access-control-allow-origin").unwrap(), "*");
}

#[test]
fn writes_need_the_servers_token_and_a_refused_write_changes_nothing() {
    // Read-only: no token at all.
    let (_dir, server) = served(&[]);
    let before = count_articles(&server);
    let insert =
        "INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/s> a isn:Article } }";
    let (s, _, msg) = read(
        agent()
            .post(&server.url("/update"))
            .header("Content-Type", "application/sparql-update")
            .header("Authorization", &format!("Bearer {TOKEN}"))
            .send(insert)
            .unwrap(),
    );
    assert_eq!(s, 403, "{msg}");
    assert!(msg.contains("--write-token"), "{msg}");
    assert_eq!(count_articles(&server), before);
    drop(server);

    let dir = tempfile::tempdir().unwrap();
    let store = store_with_articles(dir.path());
    let server = Server::start(&store, &["--write-token", TOKEN]);
    let a = agent();
    let body = std::fs::read(XSS).unwrap();
    for auth in [
        None,
        Some("Bearer wrong"),
        Some("Basic Y29ycmVjdA=="),
        Some(&format!("Bearer {TOKEN}x")[..]),
    ] {
        let with = |r: ureq::RequestBuilder<ureq::typestate::WithBody>| match auth {
            Some(v) => r.header("Authorization", v),
            None => r,
        };
        let (s, _, msg) = read(
            with(
                a.post(&server.url("/update"))
                    .header("Content-Type", "application/sparql-update"),
            )
            .send(insert)
            .unwrap(),
        );
        assert_eq!(s, 401, "update with {auth:?}: {msg}");
        let (s, _, _) = read(
            with(
                a.put(&server.url("/store?graph=https%3A%2F%2Fexample.org%2Fg"))
                    .header("Content-Type", "application/n-triples"),
            )
            .send("<https://example.org/s> a <https://w3id.org/isnad/ontology#Article> .\n")
            .unwrap(),
        );
        assert_eq!(s, 401, "Graph Store PUT with {auth:?}");
        let (s, _, _) = read(
            with(
                a.post(&server.url("/articles"))
                    .header("Content-Type", "application/json"),
            )
            .send(&body[..])
            .unwrap(),
        );
        assert_eq!(s, 401, "POST /articles with {auth:?}");
        let (s, _, _) = read(
            match auth {
                Some(v) => a
                    .delete(&server.url("/store?default"))
                    .header("Authorization", v),
                None => a.delete(&server.url("/store?default")),
            }
            .call()
            .unwrap(),
        );
        assert_eq!(s, 401, "Graph Store DELETE with {auth:?}");
    }
    assert_eq!(count_articles(&server), before, "nothing was written");

    // The right token writes.
    let (s, _, msg) = read(
        a.post(&server.url("/update"))
            .header("Content-Type", "application/sparql-update")
            .header("Authorization", &format!("Bearer {TOKEN}"))
            .send(insert)
            .unwrap(),
    );
    assert_eq!(s, 204, "{msg}");
    assert_eq!(count_articles(&server), before + 1);
    // Graph Store: replace, add, read back, delete.
    let g = "https://example.org/notes";
    let put = |method: &str, body: &str| {
        read(
            a.run(
                ureq::http::Request::builder()
                    .method(method)
                    .uri(format!(
                        "{}?graph={}",
                        server.url("/store"),
                        "https%3A%2F%2Fexample.org%2Fnotes"
                    ))
                    .header("Authorization", format!("Bearer {TOKEN}"))
                    .header("Content-Type", "text/turtle")
                    .body(body.to_string())
                    .unwrap(),
            )
            .unwrap(),
        )
    };
    assert_eq!(
        put("PUT", "<https://example.org/a> <https://example.org/p> 1 .").0,
        201
    );
    assert_eq!(
        put(
            "POST",
            "<https://example.org/b> <https://example.org/p> 2 ."
        )
        .0,
        204
    );
    assert_eq!(
        put("PUT", "<https://example.org/c> <https://example.org/p> 3 .").0,
        204
    );
    let rows = select(
        &server,
        &format!("SELECT ?s WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"),
    );
    assert_eq!(rows.len(), 1, "PUT replaced the graph: {rows:?}");
    assert_eq!(put("DELETE", "").0, 204);
    assert!(select(
        &server,
        &format!("SELECT ?s WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
    )
    .is_empty());
    assert_eq!(put("DELETE", "").0, 404);
}

#[test]
fn an_article_posted_is_in_the_next_query_and_in_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    // An empty store: a server with a token may start from nothing.
    let server = Server::start(&dir.path().join("fresh"), &["--write-token", TOKEN]);
    assert_eq!(count_articles(&server), 0);
    let a = agent();
    let post = |path: &str, ctype: &str, body: Vec<u8>| {
        read(
            a.post(&server.url(path))
                .header("Authorization", &format!("Bearer {TOKEN}"))
                .header("Content-Type", ctype)
                .send(&body[..])
                .unwrap(),
        )
    };
    let (s, t, report) = post(
        "/articles",
        "application/x-ndjson",
        std::fs::read(ARTICLES).unwrap(),
    );
    assert_eq!((s, t.as_str()), (200, "application/json"), "{report}");
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["loaded"], 3, "{report}");
    assert_eq!(count_articles(&server), 3);
    // Scraped page text, like `isnad ingest page.txt`.
    let (s, _, report) = post(
        "/articles?name=seed.txt",
        "text/plain",
        std::fs::read(SEED).unwrap(),
    );
    assert_eq!(s, 200, "{report}");
    assert_eq!(count_articles(&server), 4);
    let source = select(&server, "SELECT ?f WHERE { ?a isn:sourceFile ?f }");
    assert!(source.iter().any(|r| r["f"] == "seed.txt"), "{source:?}");
    // The summary graph counts the new articles at once: the saved query
    // entity_mentions reads it.
    let saved = std::fs::read_to_string("ontology/queries/entity_mentions.rq").unwrap();
    let rows = select(&server, &saved);
    let araghchi = rows
        .iter()
        .find(|r| r["entity"] == ARAGHCHI)
        .unwrap_or_else(|| panic!("Araghchi in the summary: {rows:?}"));
    assert_eq!(araghchi["articles"], "3", "{araghchi:?}");
    // Posting the same file again replaces, never duplicates.
    post(
        "/articles",
        "application/x-ndjson",
        std::fs::read(ARTICLES).unwrap(),
    );
    assert_eq!(count_articles(&server), 4);
    let rows = select(&server, &saved);
    assert_eq!(
        rows.iter().find(|r| r["entity"] == ARAGHCHI).unwrap()["articles"],
        "3"
    );
    // Nothing readable: 400, and nothing written.
    let (s, _, report) = post(
        "/articles",
        "application/json",
        b"{\"title\": \"no body\"}".to_vec(),
    );
    assert_eq!(s, 400, "{report}");
    assert_eq!(count_articles(&server), 4);
}

#[test]
fn ingest_into_a_served_store_points_to_post_articles() {
    let (dir, mut server) = served(&["--write-token", TOKEN]);
    let out = isnad(&server.store, &["ingest", SEED]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("POST {}/articles", server.url(""))) && err.contains("isnad serve"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    // Stopped, the server leaves the store to others.
    assert!(
        server.stop().is_some_and(|s| s.success()),
        "{}",
        server.log()
    );
    let out = isnad(&server.store, &["--quiet", "ingest", SEED]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    drop(dir);
}

/// For every statement, a scan of every statement: the store is read all
/// along (far longer than the limit below: 44 s on the test store on a
/// loaded machine).
const RUNAWAY: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c FILTER NOT EXISTS { ?d ?e ?f FILTER(STR(?f) = CONCAT(STR(?c), \"x\")) } }";

/// Every node to every node it reaches either way: Oxigraph works the
/// closure out in memory, without reading the store, so it never sees its
/// cancellation token.
const IN_MEMORY: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?x (!(<urn:isnad:none>|^<urn:isnad:none>))* ?y . ?y (!(<urn:isnad:none>|^<urn:isnad:none>))* ?z }";

/// Threads of the server process evaluating a query (Linux).
fn evaluating_threads(server: &Server) -> usize {
    let dir = format!("/proc/{}/task", server.child.id());
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|t| t.ok())
                .filter(|t| {
                    std::fs::read_to_string(t.path().join("comm"))
                        .is_ok_and(|c| c.trim() == "isnad-query")
                })
                .count()
        })
        .unwrap_or(0)
}

/// Sends `query` on a thread; its answer and how long it took.
fn in_background(
    server: &Server,
    query: &'static str,
) -> std::thread::JoinHandle<((u16, String, String), Duration)> {
    let url = server.url("/query");
    std::thread::spawn(move || {
        let started = Instant::now();
        let r = read(agent().get(&url).query("query", query).call().unwrap());
        (r, started.elapsed())
    })
}

#[test]
fn a_runaway_query_is_stopped_at_the_timeout_while_others_answer() {
    let (_dir, server) = served(&["--timeout", "3"]);
    let runaway = in_background(&server, RUNAWAY);
    std::thread::sleep(Duration::from_millis(300));
    // Meanwhile, others are answered at once.
    for _ in 0..5 {
        let started = Instant::now();
        assert_eq!(count_articles(&server), 4);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }
    let ((status, _, msg), took) = runaway.join().unwrap();
    assert_eq!(status, 503, "{msg}");
    assert!(msg.contains("time limit of 3 s"), "{msg}");
    // Stopped by its token at the deadline (the fallback would answer a
    // second later), and its thread is gone.
    assert!(
        took >= Duration::from_millis(2900) && took < Duration::from_millis(3900),
        "cut after {took:?}"
    );
    std::thread::sleep(Duration::from_millis(200));
    if cfg!(target_os = "linux") {
        assert_eq!(evaluating_threads(&server), 0, "the evaluation stopped");
    }
    assert_eq!(count_articles(&server), 4, "the server lives on");
}

#[test]
fn a_query_that_computes_in_memory_is_still_answered_by_the_deadline() {
    let (_dir, server) = served(&["--timeout", "2"]);
    let runaway = in_background(&server, IN_MEMORY);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(count_articles(&server), 4);
    let ((status, _, msg), took) = runaway.join().unwrap();
    assert_eq!(status, 503, "{msg}");
    assert!(
        // Stopped by its token while it still reads, or answered a second
        // after the deadline once it computes in memory: never later.
        took >= Duration::from_millis(1900) && took < Duration::from_secs(5),
        "answered after {took:?}"
    );
    // Its worker answers others again.
    for _ in 0..20 {
        assert_eq!(count_articles(&server), 4);
    }
}

#[test]
fn answers_past_the_size_limit_and_bodies_past_theirs_are_refused() {
    let (_dir, server) = served(&[
        "--max-result-mb",
        "1",
        "--max-body-mb",
        "1",
        "--write-token",
        TOKEN,
    ]);
    let (s, _, msg) = read(
        agent()
            .get(&server.url("/query"))
            .query(
                "query",
                "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 100000",
            )
            .call()
            .unwrap(),
    );
    assert_eq!(s, 413, "{msg}");
    assert!(msg.contains("--max-result-mb"), "{msg}");
    let big = vec![b'x'; 2 << 20];
    let (s, _, _) = read(
        agent()
            .post(&server.url("/articles"))
            .header("Authorization", &format!("Bearer {TOKEN}"))
            .header("Content-Type", "text/plain")
            .send(&big[..])
            .unwrap(),
    );
    assert_eq!(s, 413);
    assert_eq!(count_articles(&server), 4);
}

#[test]
fn two_hundred_concurrent_requests_all_succeed() {
    let (_dir, server) = served(&[]);
    let n = 200;
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(n));
    let started = Instant::now();
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let barrier = barrier.clone();
            let query = server.url("/query");
            let page = server.url("/");
            std::thread::spawn(move || {
                let a = agent();
                barrier.wait();
                let r = if i % 4 == 3 {
                    a.get(&page).call()
                } else {
                    a.get(&query)
                        .query(
                            "query",
                            "SELECT ?a ?h WHERE { ?a schema:headline ?h } ORDER BY ?a",
                        )
                        .header("Accept", "application/sparql-results+json")
                        .call()
                };
                match r {
                    Ok(r) => {
                        let (s, _, body) = read(r);
                        (s, body.len())
                    }
                    Err(e) => panic!("request {i}: {e}"),
                }
            })
        })
        .collect();
    let results: Vec<(u16, usize)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let took = started.elapsed();
    let failed: Vec<_> = results
        .iter()
        .filter(|(s, len)| *s != 200 || *len == 0)
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {n} failed: {failed:?}",
        failed.len()
    );
    eprintln!("{n} concurrent requests answered in {took:?}");
}

#[test]
fn push_from_one_isnad_into_another_isnads_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("remote"), &["--write-token", TOKEN]);
    let push = |token: Option<&str>| {
        let mut c = std::process::Command::new(bin());
        c.env_remove("ISNAD_PUSH_TOKEN")
            .args(["push", "--endpoint", &server.url("/store")]);
        if let Some(t) = token {
            c.args(["--token", t]);
        }
        c.arg(SEED).output().unwrap()
    };
    let refused = push(None);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("HTTP 401"));
    assert_eq!(count_articles(&server), 0);

    let out = push(Some(TOKEN));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let graphs = |server: &Server| {
        select(server, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"https://w3id.org/isnad/id/article/\")) } GROUP BY ?g")
    };
    let first = graphs(&server);
    assert_eq!(first.len(), 1, "{first:?}");
    // Exactly what `extract` gives, and the summary counts it.
    let extracted = std::process::Command::new(bin())
        .args(["extract", "--format", "nquads", SEED])
        .output()
        .unwrap();
    let lines = String::from_utf8(extracted.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .count();
    assert_eq!(
        first[0]["n"].as_str().unwrap().parse::<usize>().unwrap(),
        lines
    );
    let summary = select(
        &server,
        "SELECT ?e WHERE { GRAPH <https://w3id.org/isnad/summary> { ?e isn:articleCount 1 } }",
    );
    assert!(!summary.is_empty(), "the pushed article is counted");
    // Again: replaced, not added to.
    assert!(push(Some(TOKEN)).status.success());
    assert_eq!(graphs(&server), first);
}

#[test]
fn python_rdflib_and_sparqlwrapper_read_results_and_graphs() {
    let (_dir, server) = served(&[]);
    let out = std::process::Command::new("python3")
        .arg("tests/serve_clients.py")
        .arg(server.url(""))
        .output()
        .expect("python3 is needed for this test");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("ModuleNotFoundError"),
        "install the Python clients: python3 -m pip install rdflib SPARQLWrapper (scripts/setup.sh does)\n{stderr}"
    );
    assert!(
        out.status.success(),
        "{stderr}\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("rdflib select: 4 articles"), "{stdout}");
    assert!(
        stdout.contains("sparqlwrapper json: 4 articles"),
        "{stdout}"
    );
    assert!(
        stdout.contains("rdflib graph: araghchi labelled عباس عراقجي"),
        "{stdout}"
    );
    assert!(stdout.contains("sparqlwrapper turtle graph"), "{stdout}");
}
