//! Beyond one machine: send each article's graph to a SPARQL 1.1 Graph
//! Store Protocol endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso,
//! Neptune…), replacing the graph so that re-runs are idempotent.
//!
//! Architecture invariant: one HTTP PUT per article graph; the request
//! body is N-Triples of that graph only. Nothing is written locally.

use crate::article::ReadError;
use crate::extract::Knowledge;
use crate::pipeline;
use crate::store::{Store, StoreError};
use oxigraph::io::RdfFormat;
use std::path::PathBuf;

/// What a push did.
#[derive(Debug, Default)]
pub struct PushReport {
    pub loaded: usize,
    pub failures: Vec<ReadError>,
}

/// The URL that addresses one graph at a Graph Store endpoint.
pub fn graph_url(endpoint: &str, graph: &str) -> String {
    let sep = if endpoint.contains('?') { '&' } else { '?' };
    let enc: String = graph
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("{endpoint}{sep}graph={enc}")
}

/// Extracts the articles under `paths` and PUTs each graph; with a
/// `token`, each request carries `Authorization: Bearer <token>` (as
/// `isnad serve --write-token` asks).
pub fn push(
    endpoint: &str,
    paths: &[PathBuf],
    k: &Knowledge,
    token: Option<&str>,
) -> Result<PushReport, StoreError> {
    if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
        return Err(StoreError(format!(
            "--endpoint {endpoint}: expected an http:// or https:// URL"
        )));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut report = PushReport::default();
    pipeline::for_each_batch(paths, 64, |batch| {
        for r in pipeline::extract_batch(batch, k) {
            let (g, _) = match r {
                Ok(x) => x,
                Err(e) => {
                    report.failures.push(e);
                    continue;
                }
            };
            let body = Store::serialize(&g.quads, RdfFormat::NTriples, Vec::new())?;
            let url = graph_url(endpoint, g.iri.as_str());
            let mut put = agent
                .put(&url)
                .header("Content-Type", "application/n-triples");
            if let Some(t) = token {
                put = put.header("Authorization", &format!("Bearer {t}"));
            }
            let resp = put
                .send(&body[..])
                .map_err(|e| StoreError(format!("{endpoint}: cannot reach the endpoint: {e}")))?;
            let status = resp.status().as_u16();
            if status == 401 || status == 403 {
                return Err(StoreError(format!(
                    "{endpoint}: the endpoint refused the write (HTTP {status}){}",
                    if token.is_some() {
                        ": check the token"
                    } else {
                        ": it may need a token (--token or $ISNAD_PUSH_TOKEN)"
                    }
                )));
            }
            if !(200..300).contains(&status) {
                return Err(StoreError(format!(
                    "{endpoint}: the endpoint answered HTTP {status} for graph {}",
                    g.iri.as_str()
                )));
            }
            report.loaded += 1;
        }
        Ok(())
    })?;
    Ok(report)
}
