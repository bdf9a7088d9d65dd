//! The SPARQL 1.1 Protocol at Oxigraph's own paths: `/query` (GET, POST
//! form-encoded or direct), `/update`, `/store` (the Graph Store
//! Protocol), and the service description.
//!
//! Owns: reading the protocol's parameters, choosing result formats by
//! `Accept` or `format=`, and running queries under the time and size
//! limits. Must not: write without the caller having checked the token,
//! or change an article graph except through the store's article
//! replacement (which keeps the summary graph right).

use super::http::{negotiate, parse_form, Req, Resp};
use super::limits::{is_too_large, Capped};
use super::{State, Unfinished};
use crate::rdf::vocab;
use crate::rdf::ArticleGraph;
use crate::store::syntax_message;
use crate::summary;
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator};

/// Media types of SELECT/ASK results, the default first.
const SOLUTION_TYPES: &[&str] = &[
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
    "text/xml",
];

/// Media types of graphs, the default first.
const GRAPH_TYPES: &[&str] = &[
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/json",
    "text/plain",
];

/// Media types of a whole dataset, the default first.
const DATASET_TYPES: &[&str] = &["application/n-quads", "application/trig"];

/// `format=` short names → media types.
fn format_param(f: &str) -> Option<&'static str> {
    Some(match f.trim().to_ascii_lowercase().as_str() {
        "json" | "srj" | "application/sparql-results+json" | "application/json" => {
            "application/sparql-results+json"
        }
        "xml" | "srx" | "application/sparql-results+xml" | "application/xml" => {
            "application/sparql-results+xml"
        }
        "csv" | "text/csv" => "text/csv",
        "tsv" | "text/tab-separated-values" => "text/tab-separated-values",
        "turtle" | "ttl" | "text/turtle" => "text/turtle",
        "ntriples" | "n-triples" | "nt" | "application/n-triples" => "application/n-triples",
        "jsonld" | "json-ld" | "application/ld+json" => "application/ld+json",
        "rdfxml" | "rdf" | "application/rdf+xml" => "application/rdf+xml",
        "nquads" | "n-quads" | "nq" | "application/n-quads" => "application/n-quads",
        "trig" | "application/trig" => "application/trig",
        _ => return None,
    })
}

/// The media type to answer in: `format=` first, else `Accept`.
fn choose(
    accept: Option<&str>,
    params: &[(String, String)],
    offered: &[&'static str],
) -> Result<&'static str, Resp> {
    let format = params
        .iter()
        .rev()
        .find(|(k, _)| k == "format")
        .map(|(_, v)| v.as_str());
    if let Some(f) = format {
        let Some(mt) = format_param(f) else {
            return Err(Resp::error(
                400,
                format!("format={f}: unknown (json, xml, csv, tsv for results; turtle, ntriples, jsonld, rdfxml for graphs)"),
            ));
        };
        // `format=json` asks for JSON of whatever kind the answer is.
        let mt = match (mt, offered.contains(&mt)) {
            (_, true) => mt,
            ("application/sparql-results+json", false)
                if offered.contains(&"application/ld+json") =>
            {
                "application/ld+json"
            }
            ("application/sparql-results+xml", false)
                if offered.contains(&"application/rdf+xml") =>
            {
                "application/rdf+xml"
            }
            _ => {
                return Err(Resp::error(
                    406,
                    format!(
                        "format={f} does not fit this answer; it comes as {}",
                        offered.join(", ")
                    ),
                ))
            }
        };
        return Ok(mt);
    }
    negotiate(accept, offered).ok_or_else(|| {
        Resp::error(
            406,
            format!(
                "none of the types in Accept: {} fits; this answer comes as {}",
                accept.unwrap_or(""),
                offered.join(", ")
            ),
        )
    })
}

/// The protocol's parameters from the URL and, for a form, the body.
fn protocol_params(req: &Req) -> Vec<(String, String)> {
    let mut p = req.params.clone();
    if req.media_type() == "application/x-www-form-urlencoded" {
        p.extend(parse_form(&String::from_utf8_lossy(&req.body)));
    }
    p
}

fn all<'a>(params: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> {
    params
        .iter()
        .filter(move |(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `/query`: the query from GET or POST; the service description when a
/// GET names none.
pub fn query(st: &State, req: &Req) -> Resp {
    let params = protocol_params(req);
    let text = match (&req.method, req.media_type().as_str()) {
        (tiny_http::Method::Post, "application/sparql-query") => {
            match String::from_utf8(req.body.clone()) {
                Ok(t) => Some(t),
                Err(_) => return Resp::error(400, "the query is not UTF-8"),
            }
        }
        (tiny_http::Method::Post, "application/x-www-form-urlencoded")
        | (tiny_http::Method::Get | tiny_http::Method::Head, _) => {
            all(&params, "query").next().map(str::to_string)
        }
        (tiny_http::Method::Post, other) => {
            return Resp::error(
                415,
                format!("POST /query takes application/sparql-query or application/x-www-form-urlencoded, not {other:?}"),
            )
        }
        _ => return Resp::error(405, "/query takes GET or POST").with_header("Allow", "GET, POST, OPTIONS"),
    };
    let Some(text) = text else {
        if req.method == tiny_http::Method::Post {
            return Resp::error(
                400,
                "no query: send it as the query parameter or as an application/sparql-query body",
            );
        }
        return service_description(st, req);
    };
    run_query(st, req, &text, &params)
}

/// Runs a query under the limits (see [`State::bounded`]) and serialises
/// its answer.
pub fn run_query(st: &State, req: &Req, text: &str, params: &[(String, String)]) -> Resp {
    let text = text.to_string();
    let params = params.to_vec();
    let accept = req.header("Accept").map(str::to_string);
    match st.bounded(move |st, token| evaluate(st, &text, &params, accept.as_deref(), token)) {
        Ok(resp) => resp,
        Err(Unfinished::Expired) => timed_out(st),
        Err(Unfinished::Busy) => Resp::error(
            503,
            "too many queries are still running; try again in a moment",
        )
        .with_header("Retry-After", "5"),
    }
}

fn timed_out(st: &State) -> Resp {
    Resp::error(
        503,
        format!(
            "the query was stopped at the time limit of {} s (--timeout); narrow it or add a LIMIT",
            st.opts.timeout.as_secs_f64()
        ),
    )
}

fn evaluate(
    st: &State,
    text: &str,
    params: &[(String, String)],
    accept: Option<&str>,
    token: &CancellationToken,
) -> Resp {
    let mut ev = SparqlEvaluator::new().with_cancellation_token(token.clone());
    for (p, ns) in &st.prefixes {
        if let Ok(e) = ev.clone().with_prefix(p.as_str(), ns.as_str()) {
            ev = e;
        }
    }
    let mut prepared = match ev.parse_query(text) {
        Ok(p) => p,
        Err(e) => return Resp::error(400, syntax_message(&e.to_string(), text)),
    };
    let defaults: Vec<&str> = all(params, "default-graph-uri").collect();
    let named: Vec<&str> = all(params, "named-graph-uri").collect();
    let iri =
        |s: &str| NamedNode::new(s).map_err(|e| Resp::error(400, format!("{s}: not an IRI: {e}")));
    if !defaults.is_empty() {
        let mut g = Vec::new();
        for d in defaults {
            match iri(d) {
                Ok(n) => g.push(GraphName::NamedNode(n)),
                Err(r) => return r,
            }
        }
        prepared.dataset_mut().set_default_graph(g);
    } else if prepared.dataset().is_default_dataset() {
        // As in the command line: the default graph is every graph.
        prepared.dataset_mut().set_default_graph_as_union();
    }
    if !named.is_empty() {
        let mut g = Vec::new();
        for d in named {
            match iri(d) {
                Ok(n) => g.push(NamedOrBlankNode::NamedNode(n)),
                Err(r) => return r,
            }
        }
        prepared.dataset_mut().set_available_named_graphs(g);
    }
    let results = match prepared.on_store(st.store.oxigraph()).execute() {
        Ok(r) => r,
        Err(e) => return evaluation_error(st, e),
    };
    let offered = match &results {
        QueryResults::Graph(_) => GRAPH_TYPES,
        _ => SOLUTION_TYPES,
    };
    let mt = match choose(accept, params, offered) {
        Ok(mt) => mt,
        Err(r) => return r,
    };
    let out = Capped::new(st.opts.max_result);
    let written = match results {
        QueryResults::Solutions(rows) => {
            let f = results_format(mt);
            (|| {
                let mut w = QueryResultsSerializer::from_format(f)
                    .serialize_solutions_to_writer(out, rows.variables().to_vec())
                    .map_err(Failure::Io)?;
                for row in rows {
                    w.serialize(&row.map_err(Failure::Eval)?)
                        .map_err(Failure::Io)?;
                }
                w.finish().map_err(Failure::Io)
            })()
        }
        QueryResults::Boolean(b) => QueryResultsSerializer::from_format(results_format(mt))
            .serialize_boolean_to_writer(out, b)
            .map_err(Failure::Io),
        QueryResults::Graph(triples) => (|| {
            let mut w = rdf_serializer(st, mt).for_writer(out);
            for t in triples {
                w.serialize_triple(&t.map_err(Failure::Eval)?)
                    .map_err(Failure::Io)?;
            }
            w.finish().map_err(Failure::Io)
        })(),
    };
    match written {
        Ok(out) => Resp::new(200, &content_type(mt), out.buf),
        Err(Failure::Eval(e)) => evaluation_error(st, e),
        Err(Failure::Io(e)) => io_error(st, e),
    }
}

enum Failure {
    Eval(QueryEvaluationError),
    Io(std::io::Error),
}

fn results_format(mt: &str) -> QueryResultsFormat {
    match mt {
        "text/csv" => QueryResultsFormat::Csv,
        "text/tab-separated-values" => QueryResultsFormat::Tsv,
        "application/sparql-results+xml" | "application/xml" | "text/xml" => {
            QueryResultsFormat::Xml
        }
        _ => QueryResultsFormat::Json,
    }
}

fn rdf_format(mt: &str) -> RdfFormat {
    match mt {
        "application/json" => RdfFormat::from_media_type("application/ld+json"),
        "text/plain" => Some(RdfFormat::NTriples),
        other => RdfFormat::from_media_type(other),
    }
    .unwrap_or(RdfFormat::Turtle)
}

/// The serialiser for a graph type; Turtle and TriG with the contract
/// prefixes.
fn rdf_serializer(st: &State, mt: &str) -> RdfSerializer {
    let f = rdf_format(mt);
    let mut s = RdfSerializer::from_format(f);
    if matches!(f, RdfFormat::Turtle | RdfFormat::TriG) {
        for (p, ns) in &st.prefixes {
            if let Ok(with) = s.clone().with_prefix(p.as_str(), ns.as_str()) {
                s = with;
            }
        }
    }
    s
}

/// The Content-Type header of an answer (text types say UTF-8).
fn content_type(mt: &str) -> String {
    if mt.starts_with("text/") {
        format!("{mt}; charset=utf-8")
    } else {
        mt.to_string()
    }
}

fn evaluation_error(st: &State, e: QueryEvaluationError) -> Resp {
    match e {
        QueryEvaluationError::Cancelled => timed_out(st),
        other => {
            let msg = other.to_string();
            if is_too_large(&msg) {
                too_large(st)
            } else {
                Resp::error(400, format!("query failed: {msg}"))
            }
        }
    }
}

fn io_error(st: &State, e: std::io::Error) -> Resp {
    if is_too_large(&e.to_string()) {
        too_large(st)
    } else {
        Resp::error(500, format!("cannot write the answer: {e}"))
    }
}

fn too_large(st: &State) -> Resp {
    Resp::error(
        413,
        format!(
            "the answer is larger than {} MB (--max-result-mb); add a LIMIT or ask for less",
            st.opts.max_result >> 20
        ),
    )
}

/// `/update`: SPARQL Update (the caller has checked the token).
pub fn update(st: &State, req: &Req) -> Resp {
    if req.method != tiny_http::Method::Post {
        return Resp::error(405, "/update takes POST").with_header("Allow", "POST, OPTIONS");
    }
    let params = protocol_params(req);
    let text = match req.media_type().as_str() {
        "application/sparql-update" => match String::from_utf8(req.body.clone()) {
            Ok(t) => t,
            Err(_) => return Resp::error(400, "the update is not UTF-8"),
        },
        "application/x-www-form-urlencoded" => match all(&params, "update").next() {
            Some(t) => t.to_string(),
            None => return Resp::error(400, "no update: send it as the update parameter"),
        },
        other => {
            return Resp::error(
                415,
                format!("POST /update takes application/sparql-update or application/x-www-form-urlencoded, not {other:?}"),
            )
        }
    };
    if all(&params, "using-graph-uri").next().is_some()
        || all(&params, "using-named-graph-uri").next().is_some()
    {
        return Resp::error(400, "using-graph-uri and using-named-graph-uri are not supported; write USING in the update");
    }
    let mut parser = spargebra::SparqlParser::new();
    for (p, ns) in &st.prefixes {
        if let Ok(with) = parser.clone().with_prefix(p.as_str(), ns.as_str()) {
            parser = with;
        }
    }
    let parsed = match parser.parse_update(&text) {
        Ok(u) => u,
        Err(e) => return Resp::error(400, syntax_message(&e.to_string(), &text)),
    };
    let recount = summary::update_may_change_tallies(&parsed);
    let _writing = st.write_lock();
    let watch = st.watchdog.watch(st.opts.timeout);
    if let Err(e) = st.store.run_update(parsed, watch.token.clone()) {
        if watch.token.is_cancelled() {
            return Resp::error(
                503,
                format!(
                    "the update was stopped at the time limit of {} s (--timeout); nothing was changed",
                    st.opts.timeout.as_secs_f64()
                ),
            );
        }
        return Resp::error(400, e.0);
    }
    drop(watch);
    // Article graphs changed outside ingest: the summary is counted again
    // now, so that the saved queries stay right while the server runs.
    if recount {
        if let Err(e) = st.store.rebuild_summary() {
            return Resp::error(
                500,
                format!(
                    "the update was applied, but the summary graph could not be recounted: {e}"
                ),
            );
        }
    }
    st.changed();
    Resp::no_content()
}

/// The graph a Graph Store request names: `Some(None)` the default
/// graph, `Some(Some(iri))` a named graph, `None` the whole store.
fn target(req: &Req) -> Result<Option<Option<NamedNode>>, Resp> {
    if let Some(g) = req.param("graph") {
        return NamedNode::new(g)
            .map(|n| Some(Some(n)))
            .map_err(|e| Resp::error(400, format!("graph={g}: not an IRI: {e}")));
    }
    if req.params.iter().any(|(k, _)| k == "default") {
        return Ok(Some(None));
    }
    Ok(None)
}

/// `/store` GET and HEAD: one graph, or every graph as a dataset.
pub fn store_get(st: &State, req: &Req) -> Resp {
    let target = match target(req) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let params = req.params.clone();
    let quads: Box<dyn Iterator<Item = Result<Quad, crate::store::StoreError>> + '_> = match &target
    {
        None => match st.store.quads_iter(None, true) {
            Ok(q) => Box::new(q),
            Err(e) => return Resp::error(500, e.0),
        },
        Some(g) => {
            let name = g
                .clone()
                .map_or(GraphName::DefaultGraph, GraphName::NamedNode);
            if let GraphName::NamedNode(n) = &name {
                match st.store.oxigraph().contains_named_graph(n.as_ref()) {
                    Ok(true) => {}
                    Ok(false) => {
                        return Resp::error(404, format!("no graph <{}> in this store", n.as_str()))
                    }
                    Err(e) => return Resp::error(500, e.to_string()),
                }
            }
            Box::new(
                st.store
                    .oxigraph()
                    .quads_for_pattern(None, None, None, Some(name.as_ref()))
                    .map(|q| q.map_err(|e| crate::store::StoreError(e.to_string()))),
            )
        }
    };
    let offered = if target.is_none() {
        DATASET_TYPES
    } else {
        GRAPH_TYPES
    };
    let mt = match choose(req.header("Accept"), &params, offered) {
        Ok(mt) => mt,
        Err(r) => return r,
    };
    let mut w = rdf_serializer(st, mt).for_writer(Capped::new(st.opts.max_result));
    for q in quads {
        let q = match q {
            Ok(q) => q,
            Err(e) => return Resp::error(500, e.0),
        };
        let r = if target.is_none() {
            w.serialize_quad(&q)
        } else {
            w.serialize_triple(q.as_ref())
        };
        if let Err(e) = r {
            return io_error(st, e);
        }
    }
    match w.finish() {
        Ok(out) => Resp::new(200, &content_type(mt), out.buf),
        Err(e) => io_error(st, e),
    }
}

/// `/store` PUT, POST and DELETE (the caller has checked the token). An
/// article graph is written through the store's article replacement, so
/// the summary graph follows; the summary graph itself is derived and
/// cannot be written.
pub fn store_write(st: &State, req: &Req) -> Resp {
    let target = match target(req) {
        Ok(Some(t)) => t,
        Ok(None) => return Resp::error(400, "name the graph: /store?graph=IRI or /store?default"),
        Err(r) => return r,
    };
    if target
        .as_ref()
        .is_some_and(|g| g.as_str() == vocab::SUMMARY_GRAPH)
    {
        return Resp::error(
            403,
            "the summary graph is counted from the article graphs; it cannot be written",
        );
    }
    let method = req.method.clone();
    let mut incoming = Vec::new();
    if method != tiny_http::Method::Delete {
        let mt = req.media_type();
        let Some(format) = RdfFormat::from_media_type(&mt) else {
            return Resp::error(415, format!("unknown RDF media type {mt:?} (text/turtle, application/n-triples, application/rdf+xml, application/ld+json…)"));
        };
        let graph = target
            .clone()
            .map_or(GraphName::DefaultGraph, GraphName::NamedNode);
        for q in RdfParser::from_format(format)
            .with_default_graph(graph.clone())
            .for_slice(&req.body)
        {
            match q {
                Ok(q) if q.graph_name == graph => incoming.push(q),
                Ok(_) => {
                    return Resp::error(
                        400,
                        "the body names other graphs; send one graph's triples",
                    )
                }
                Err(e) => {
                    return Resp::error(
                        400,
                        format!("the body is not valid {}: {e}", format.name()),
                    )
                }
            }
        }
    }
    let _writing = st.write_lock();
    let ox = st.store.oxigraph();
    let existed = match &target {
        Some(n) => match ox.contains_named_graph(n.as_ref()) {
            Ok(b) => b,
            Err(e) => return Resp::error(500, e.to_string()),
        },
        None => true,
    };
    if method == tiny_http::Method::Delete && !existed {
        return Resp::error(404, "no such graph in this store");
    }
    let written = match &target {
        Some(n) if summary::is_article_graph(n.as_str()) => {
            let mut quads = Vec::new();
            if method == tiny_http::Method::Post {
                for q in ox.quads_for_pattern(None, None, None, Some(n.as_ref().into())) {
                    match q {
                        Ok(q) => quads.push(q),
                        Err(e) => return Resp::error(500, e.to_string()),
                    }
                }
            }
            quads.extend(incoming);
            let g = ArticleGraph {
                iri: n.clone(),
                quads,
            };
            st.store
                .replace_articles(std::slice::from_ref(&g))
                .and_then(|()| st.store.count_pending())
                .map_err(|e| e.0)
        }
        _ => {
            let graph = target
                .clone()
                .map_or(GraphName::DefaultGraph, GraphName::NamedNode);
            (|| {
                let mut t = ox.start_transaction()?;
                if method != tiny_http::Method::Post {
                    t.clear_graph(graph.as_ref())?;
                }
                if let GraphName::NamedNode(n) = &graph {
                    if method == tiny_http::Method::Delete {
                        t.remove_named_graph(n.as_ref())?;
                    } else {
                        // An empty graph PUT is still a graph.
                        t.insert_named_graph(n.as_ref());
                    }
                }
                t.extend(incoming.iter());
                t.commit()
            })()
            .map_err(|e: oxigraph::store::StorageError| e.to_string())
        }
    };
    if let Err(e) = written {
        return Resp::error(500, format!("the graph was not written: {e}"));
    }
    st.changed();
    if method == tiny_http::Method::Put && !existed {
        Resp::new(201, "text/plain; charset=utf-8", "created\n")
    } else {
        Resp::no_content()
    }
}

/// The SPARQL 1.1 Service Description of `/query`, as Turtle (or another
/// graph type by `Accept`).
pub fn service_description(st: &State, req: &Req) -> Resp {
    let base = format!("http://{}", req.header("Host").unwrap_or("127.0.0.1"));
    let writable = st.opts.write_token.is_some();
    let mut ttl = String::new();
    ttl.push_str("@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n");
    ttl.push_str("@prefix formats: <http://www.w3.org/ns/formats/> .\n");
    ttl.push_str(&format!(
        "<{base}/query> a sd:Service ;\n  sd:endpoint <{base}/query> ;\n  sd:supportedLanguage sd:SPARQL11Query{} ;\n",
        if writable { ", sd:SPARQL11Update" } else { "" }
    ));
    ttl.push_str("  sd:feature sd:UnionDefaultGraph ;\n");
    ttl.push_str("  sd:resultFormat formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML, formats:SPARQL_Results_CSV, formats:SPARQL_Results_TSV, formats:Turtle, formats:N-Triples, formats:JSON-LD, formats:RDF_XML ;\n");
    ttl.push_str("  sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .\n");
    // Read as Turtle and written in the negotiated format.
    let mt = match choose(req.header("Accept"), &req.params, GRAPH_TYPES) {
        Ok(mt) => mt,
        Err(r) => return r,
    };
    let mut w = RdfSerializer::from_format(rdf_format(mt)).for_writer(Vec::new());
    for q in RdfParser::from_format(RdfFormat::Turtle).for_slice(ttl.as_bytes()) {
        match q {
            Ok(q) => {
                if let Err(e) = w.serialize_triple(q.as_ref()) {
                    return Resp::error(500, e.to_string());
                }
            }
            Err(e) => return Resp::error(500, format!("service description: {e}")),
        }
    }
    match w.finish() {
        Ok(body) => Resp::new(200, &content_type(mt), body),
        Err(e) => Resp::error(500, e.to_string()),
    }
}
