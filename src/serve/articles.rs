//! `POST /articles`: the inputs of `isnad ingest` over HTTP. The body is
//! one article file — scraped page text, JSON (an object or an array) or
//! JSON Lines — decoded as `ingest` decodes files; the format comes from
//! `?format=`, else the Content-Type, else a look at the text.
//!
//! Owns: reading the body into articles and answering with a report.
//! Must not: extract or write any other way than `ingest` does: the
//! articles go through `pipeline::extract_batch` and the store's
//! `replace_articles` and `count_pending`, so the summary graph is counted
//! before the answer is sent.

use super::http::{Req, Resp};
use super::State;
use crate::article::{self, Format};
use crate::pipeline;

/// Articles written per transaction, as `ingest`'s default batch.
const BATCH: usize = 256;

fn format_of(req: &Req, text: &str) -> Result<Format, Resp> {
    if let Some(f) = req.param("format") {
        return match f.to_ascii_lowercase().as_str() {
            "json" => Ok(Format::Json),
            "jsonl" | "ndjson" | "jsonlines" => Ok(Format::JsonLines),
            "txt" | "text" | "scraped" => Ok(Format::Scraped),
            other => Err(Resp::error(
                400,
                format!("format={other}: expected txt, json or jsonl"),
            )),
        };
    }
    Ok(match req.media_type().as_str() {
        "application/json" => Format::Json,
        "application/x-ndjson"
        | "application/jsonl"
        | "application/jsonlines"
        | "application/x-jsonlines" => Format::JsonLines,
        "text/plain" => Format::Scraped,
        _ => Format::sniff(text),
    })
}

/// Reads, extracts and stores the articles of the body.
pub fn post(st: &State, req: &Req) -> Resp {
    let Some(k) = st.knowledge.as_ref() else {
        return Resp::error(500, "the server was started without reference data");
    };
    let text = match article::decode(&req.body) {
        Ok(t) => t,
        Err(e) => return Resp::error(400, format!("the body: {e}")),
    };
    if text.trim().is_empty() {
        return Resp::error(
            400,
            "the body is empty: send an article file (page text, JSON or JSON Lines)",
        );
    }
    let format = match format_of(req, &text) {
        Ok(f) => f,
        Err(r) => return r,
    };
    // The name the articles' isn:sourceFile records.
    let origin = req
        .param("name")
        .filter(|n| !n.trim().is_empty())
        .unwrap_or("POST /articles")
        .to_string();
    let read = article::read_text(&text, format, &origin);
    let mut failures = Vec::new();
    let mut warnings = Vec::new();
    let mut graphs = Vec::new();
    for r in pipeline::extract_batch(read, k) {
        match r {
            Ok((g, w)) => {
                warnings.extend(w);
                graphs.push(g);
            }
            Err(e) => failures.push(e.to_string()),
        }
    }
    let quads: usize = graphs.iter().map(|g| g.quads.len()).sum();
    let iris: Vec<String> = graphs.iter().map(|g| g.iri.as_str().to_string()).collect();
    if !graphs.is_empty() {
        let _writing = st.write_lock();
        for chunk in graphs.chunks(BATCH) {
            if let Err(e) = st.store.replace_articles(chunk) {
                return Resp::error(500, format!("the articles were not stored: {e}"));
            }
        }
        // The summary counts them before anyone reads it, as after ingest.
        if let Err(e) = st.store.count_pending() {
            return Resp::error(500, format!("the summary graph was not counted: {e}"));
        }
        st.changed();
    }
    let report = serde_json::json!({
        "loaded": iris.len(),
        "quads": quads,
        "articles": iris,
        "failures": failures,
        "warnings": warnings,
    });
    let status = if iris.is_empty() { 400 } else { 200 };
    Resp::new(status, "application/json", report.to_string())
}
