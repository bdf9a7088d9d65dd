//! The web explorer: pages built on the server from the store, Arabic
//! first (right to left), plain HTML and CSS with one small script for the
//! query page. Search by name (Arabic or English), an entity page (names
//! by outlet, positions by date, claims, events on a timeline, the actors
//! most often beside it as a network picture), an article page (the body
//! with mentions, claims and event triggers marked from the stored
//! offsets) and a query page.
//!
//! Owns: what the pages show and the SPARQL that reads it. Must not: put
//! a string from the store on a page except through `html::Html` (escaped)
//! and `svg` text nodes (escaped), nor link outside except to http(s).

use super::assets;
use super::html::{internal_href, Html};
use super::http::{Req, Resp};
use super::State;
use crate::rdf::vocab::{self, term};
use crate::store::StoreError;
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Rows of a SELECT: variable → term.
type Row = HashMap<String, Term>;

/// Runs one of the explorer's own SELECT queries under the time limit.
fn select(st: &State, q: &str) -> Result<Vec<Row>, StoreError> {
    let q = q.to_string();
    st.bounded(move |st, token| select_now(st, &q, token))
        .unwrap_or_else(|_| {
            Err(StoreError(format!(
                "the page took longer than the time limit of {} s (--timeout)",
                st.opts.timeout.as_secs_f64()
            )))
        })
}

fn select_now(
    st: &State,
    q: &str,
    token: &oxigraph::sparql::CancellationToken,
) -> Result<Vec<Row>, StoreError> {
    let mut ev = SparqlEvaluator::new().with_cancellation_token(token.clone());
    for (p, ns) in &st.prefixes {
        if let Ok(e) = ev.clone().with_prefix(p.as_str(), ns.as_str()) {
            ev = e;
        }
    }
    let mut prepared = ev
        .parse_query(q)
        .map_err(|e| StoreError(format!("explorer query: {e}")))?;
    prepared.dataset_mut().set_default_graph_as_union();
    let failed =
        |e: oxigraph::sparql::QueryEvaluationError| StoreError(format!("query failed: {e}"));
    let mut out = Vec::new();
    if let QueryResults::Solutions(rows) = prepared
        .on_store(st.store.oxigraph())
        .execute()
        .map_err(failed)?
    {
        for row in rows {
            let row = row.map_err(failed)?;
            out.push(
                row.iter()
                    .map(|(v, t)| (v.as_str().to_string(), t.clone()))
                    .collect(),
            );
        }
    }
    Ok(out)
}

fn s(row: &Row, k: &str) -> String {
    match row.get(k) {
        Some(Term::Literal(l)) => l.value().to_string(),
        Some(Term::NamedNode(n)) => n.as_str().to_string(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

fn n(row: &Row, k: &str) -> i64 {
    s(row, k).parse().unwrap_or(0)
}

/// The part of an IRI after its last `#` or `/`.
fn local(iri: &str) -> &str {
    iri.rsplit(['#', '/']).next().unwrap_or(iri)
}

/// Arabic names of the classes shown.
fn class_ar(c: &str) -> &str {
    match c {
        "Person" => "شخص",
        "Organization" => "منظمة",
        "Country" => "دولة",
        "City" => "مدينة",
        "Region" => "منطقة",
        "Place" => "مكان",
        "AnonymousSource" => "مصدر مجهول",
        "Actor" => "فاعل",
        "PhoneCall" => "اتصال هاتفي",
        "Meeting" => "لقاء",
        "Visit" => "زيارة",
        "Invitation" => "دعوة",
        "MilitaryOperation" => "عملية عسكرية",
        "Attack" => "هجوم",
        "Killing" => "قتل",
        "Agreement" => "اتفاق",
        "Protest" => "احتجاج",
        "Arrest" => "اعتقال",
        "Sanction" => "عقوبة",
        "Election" => "انتخابات",
        "Negotiation" => "مفاوضات",
        "Aid" => "مساعدة",
        "Threat" => "تهديد",
        "Accusation" => "اتهام",
        "DirectQuote" => "اقتباس مباشر",
        "IndirectQuote" => "نقل غير مباشر",
        other => other,
    }
}

/// The Arabic name of a position the store records by its key
/// (`foreign-minister` → وزير الخارجية), from the bundled reference data.
fn position_ar(key: &str) -> String {
    static NAMES: std::sync::OnceLock<HashMap<String, String>> = std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| {
        include_str!("../../data/reference/positions.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (k, phrases) = l.split_once('\t')?;
                Some((k.to_string(), phrases.split('|').next()?.trim().to_string()))
            })
            .collect()
    });
    names.get(key).cloned().unwrap_or_else(|| key.to_string())
}

// ---------------------------------------------------------------- pages

/// Serves the explorer's paths.
pub fn page(st: &State, req: &Req, path: &str) -> Resp {
    let page = match path {
        "/" => home(st),
        "/search" => search(st, req.param("q").unwrap_or("")),
        "/entity" => match iri_param(req) {
            Ok(iri) => entity(st, &iri),
            Err(r) => return r,
        },
        "/article" => match iri_param(req) {
            Ok(iri) => article(st, &iri),
            Err(r) => return r,
        },
        "/queries" => Ok(queries_page()),
        "/explorer/saved-queries.json" => return saved_queries_json(),
        p => match assets::get(p) {
            Some((ctype, body)) => {
                return Resp::new(200, ctype, body.as_bytes().to_vec())
                    .with_header("Cache-Control", "max-age=300")
            }
            None => {
                return html_resp(
                    404,
                    layout("غير موجود", |h| {
                        h.raw("<h1>الصفحة غير موجودة</h1><p>").text(p).raw("</p>");
                    }),
                )
            }
        },
    };
    match page {
        Ok((status, body)) => html_resp(status, body),
        Err(e) => html_resp(
            500,
            layout("خطأ", |h| {
                h.raw("<h1>تعذّر عرض الصفحة</h1><p class=\"error\">")
                    .text(&e.0)
                    .raw("</p>");
            }),
        ),
    }
}

type Page = Result<(u16, String), StoreError>;

fn iri_param(req: &Req) -> Result<NamedNode, Resp> {
    let v = req.param("iri").unwrap_or("");
    NamedNode::new(v).map_err(|_| {
        html_resp(
            400,
            layout("خطأ", |h| {
                h.raw("<h1>معرّف غير صالح</h1><p>").text(v).raw("</p>");
            }),
        )
    })
}

fn html_resp(status: u16, body: String) -> Resp {
    Resp::new(status, "text/html; charset=utf-8", body)
        // Defence in depth: even markup that slipped through could run no
        // script of its own, load nothing from elsewhere, and no page may
        // frame this one.
        .with_header(
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        )
        .with_header("Referrer-Policy", "no-referrer")
}

/// The frame of every page: head, navigation with the search box, `body`.
fn layout(title: &str, body: impl FnOnce(&mut Html)) -> String {
    let mut h = Html::new();
    h.raw("<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
        .text(title)
        .raw(" · isnad</title><link rel=\"stylesheet\" href=\"/assets/style.css\"></head><body>")
        .raw("<header class=\"top\"><a class=\"brand\" href=\"/\">إسناد <small>isnad</small></a>")
        .raw("<form class=\"search\" action=\"/search\" method=\"get\" role=\"search\"><input id=\"q\" name=\"q\" type=\"search\" placeholder=\"ابحث عن اسم… / search a name\" aria-label=\"بحث\"><button type=\"submit\">بحث</button></form>")
        .raw("<nav><a href=\"/queries\" id=\"nav-queries\">الاستعلامات</a></nav></header><main>");
    body(&mut h);
    h.raw("</main><footer>isnad · <a href=\"/query\">SPARQL</a> · <a href=\"/queries\">استعلامات محفوظة</a></footer><script src=\"/assets/app.js\"></script></body></html>\n");
    h.finish()
}

/// An entity link with its label (bidi-isolated: Latin names inside
/// Arabic text keep their order).
fn entity_link(h: &mut Html, iri: &str, label: &str) {
    let text = if label.is_empty() { local(iri) } else { label };
    h.open("bdi", &[])
        .internal_link("/entity", iri, None, text, "entity")
        .close("bdi");
}

/// A link to an article (to an anchor in it).
fn article_link(h: &mut Html, iri: &str, fragment: Option<&str>, text: &str) {
    let text = if text.trim().is_empty() {
        local(iri)
    } else {
        text
    };
    h.internal_link("/article", iri, fragment, text, "article");
}

// ---------------------------------------------------------------- home

fn home(st: &State) -> Page {
    let counts = select(
        st,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?a a isn:Article } }",
    )?;
    let articles = counts.first().map_or(0, |r| n(r, "n"));
    let top = select(
        st,
        "SELECT ?e ?label ?articles (SAMPLE(?c) AS ?class) WHERE { GRAPH <https://w3id.org/isnad/summary> { ?e isn:articleCount ?articles ; isn:tallyClass ?c . OPTIONAL { ?e isn:tallyLabel ?label } } } GROUP BY ?e ?label ?articles ORDER BY DESC(?articles) ?label LIMIT 40",
    )?;
    let recent = select(
        st,
        "SELECT ?a ?headline ?date ?publisher WHERE { GRAPH ?a { ?a a isn:Article . OPTIONAL { ?a schema:headline ?headline } OPTIONAL { ?a schema:datePublished ?date } OPTIONAL { ?a schema:publisher ?publisher } } } ORDER BY DESC(?date) ?a LIMIT 25",
    )?;
    Ok((
        200,
        layout("إسناد", |h| {
            h.raw("<h1>إسناد: من قال ماذا، ومن فعل ماذا</h1><p class=\"lead\">")
                .num(articles)
                .raw(" مقالة في المخزن. ابحث عن شخص أو منظمة أو دولة بالعربية أو بالإنجليزية.</p>");
            h.raw("<section><h2>الأكثر ذكرًا</h2><ul class=\"chips\" id=\"top-entities\">");
            for r in &top {
                h.raw("<li>");
                entity_link(h, &s(r, "e"), &s(r, "label"));
                h.raw(" <span class=\"count\">")
                    .num(n(r, "articles"))
                    .raw("</span></li>");
            }
            h.raw("</ul></section><section><h2>أحدث المقالات</h2><ul class=\"articles\">");
            for r in &recent {
                h.raw("<li>");
                article_link(h, &s(r, "a"), None, &s(r, "headline"));
                h.raw(" <span class=\"meta\"><time dir=\"ltr\">")
                    .text(&s(r, "date"))
                    .raw("</time> · ")
                    .text(&s(r, "publisher"))
                    .raw("</span></li>");
            }
            h.raw("</ul></section>");
        }),
    ))
}

// ---------------------------------------------------------------- search

/// One searchable entity.
struct Entry {
    iri: String,
    label: String,
    class: String,
    articles: i64,
    /// Normalised names (Arabic folded, Latin lower-cased).
    keys: Vec<String>,
    /// Other names shown in the results.
    names: Vec<String>,
}

/// Every entity's names, from the summary graph (labels and aliases by
/// outlet) and the English labels of the article graphs.
pub struct SearchIndex {
    entries: Vec<Entry>,
}

impl SearchIndex {
    pub fn build(store: &crate::store::Store) -> Result<SearchIndex, StoreError> {
        let ox = store.oxigraph();
        let summary = NamedNodeRef::new_unchecked(vocab::SUMMARY_GRAPH);
        let g = Some(GraphNameRef::NamedNode(summary));
        let err = |e: oxigraph::store::StorageError| StoreError(e.to_string());
        let lit = |t: &Term| match t {
            Term::Literal(l) => Some(l.value().to_string()),
            _ => None,
        };
        let mut by_iri: BTreeMap<String, Entry> = BTreeMap::new();
        let pred = |iri: &'static str| Some(NamedNodeRef::new_unchecked(iri));
        let subj = |q: &oxigraph::model::Quad| match &q.subject {
            oxigraph::model::NamedOrBlankNode::NamedNode(n) => n.as_str().to_string(),
            other => other.to_string(),
        };
        for q in ox.quads_for_pattern(None, pred(term::TALLY_LABEL), None, g) {
            let q = q.map_err(err)?;
            let label = lit(&q.object).unwrap_or_default();
            let iri = subj(&q);
            by_iri.entry(iri.clone()).or_insert_with(|| Entry {
                iri,
                label: label.clone(),
                class: String::new(),
                articles: 0,
                keys: vec![crate::text::key(&label)],
                names: Vec::new(),
            });
        }
        for q in ox.quads_for_pattern(None, pred(term::ARTICLE_COUNT), None, g) {
            let q = q.map_err(err)?;
            let iri = subj(&q);
            if let Some(e) = by_iri.get_mut(&iri) {
                e.articles = lit(&q.object).and_then(|v| v.parse().ok()).unwrap_or(0);
            }
        }
        for q in ox.quads_for_pattern(None, pred(term::TALLY_CLASS), None, g) {
            let q = q.map_err(err)?;
            let iri = subj(&q);
            if let (Some(e), Term::NamedNode(c)) = (by_iri.get_mut(&iri), &q.object) {
                let c = local(c.as_str());
                // The most specific class shown: a person over an actor.
                if e.class.is_empty() || e.class == "Actor" || e.class == "Place" {
                    e.class = c.to_string();
                }
            }
        }
        // Aliases: tally nodes with isn:aliasOf and isn:alias.
        let mut alias_of: HashMap<String, String> = HashMap::new();
        for q in ox.quads_for_pattern(None, pred(term::ALIAS_OF), None, g) {
            let q = q.map_err(err)?;
            if let Term::NamedNode(e) = &q.object {
                alias_of.insert(subj(&q), e.as_str().to_string());
            }
        }
        for q in ox.quads_for_pattern(None, pred(term::ALIAS), None, g) {
            let q = q.map_err(err)?;
            if let (Some(e), Some(a)) = (alias_of.get(&subj(&q)), lit(&q.object)) {
                if let Some(entry) = by_iri.get_mut(e) {
                    let k = crate::text::key(&a);
                    if !entry.keys.contains(&k) {
                        entry.keys.push(k);
                        entry.names.push(a);
                    }
                }
            }
        }
        // English labels, in the article graphs.
        for q in ox.quads_for_pattern(None, pred(term::RDFS_LABEL), None, None) {
            let q = q.map_err(err)?;
            if let Term::Literal(l) = &q.object {
                if l.language() != Some("en") {
                    continue;
                }
                let iri = subj(&q);
                if let Some(entry) = by_iri.get_mut(&iri) {
                    let k = crate::text::key(l.value());
                    if !entry.keys.contains(&k) {
                        entry.keys.push(k);
                        entry.names.push(l.value().to_string());
                    }
                }
            }
        }
        Ok(SearchIndex {
            entries: by_iri.into_values().collect(),
        })
    }

    /// Entities whose names hold the query (folded as names are matched):
    /// exact names first, then names that start with it, then the rest;
    /// more articles first within each.
    fn find(&self, q: &str, max: usize) -> Vec<&Entry> {
        let k = crate::text::key(q);
        if k.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(u8, &Entry)> = self
            .entries
            .iter()
            .filter_map(|e| {
                let rank = e
                    .keys
                    .iter()
                    .filter_map(|n| {
                        if *n == k {
                            Some(0)
                        } else if n.starts_with(&k) || n.split(' ').any(|w| w.starts_with(&k)) {
                            Some(1)
                        } else if n.contains(&k) {
                            Some(2)
                        } else {
                            None
                        }
                    })
                    .min()?;
                Some((rank, e))
            })
            .collect();
        hits.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(b.1.articles.cmp(&a.1.articles))
                .then(a.1.label.cmp(&b.1.label))
        });
        hits.into_iter().take(max).map(|(_, e)| e).collect()
    }
}

fn search(st: &State, q: &str) -> Page {
    let idx = st.search_index()?;
    let hits = idx.find(q, 100);
    Ok((
        200,
        layout(&format!("بحث: {q}"), |h| {
            h.raw("<h1>نتائج البحث عن <bdi class=\"query\">")
                .text(q)
                .raw("</bdi></h1>");
            if hits.is_empty() {
                h.raw("<p class=\"empty\">لا نتائج.</p>");
            }
            h.raw("<ol class=\"results\" id=\"results\">");
            for e in hits {
                h.raw("<li>");
                entity_link(h, &e.iri, &e.label);
                h.raw(" <span class=\"class\">")
                    .text(class_ar(&e.class))
                    .raw("</span> <span class=\"count\">")
                    .num(e.articles)
                    .raw(" مقالة</span>");
                if !e.names.is_empty() {
                    h.raw("<div class=\"names\">");
                    for (i, name) in e.names.iter().take(8).enumerate() {
                        if i > 0 {
                            h.raw(" · ");
                        }
                        h.elem("bdi", &[], name);
                    }
                    h.raw("</div>");
                }
                h.raw("</li>");
            }
            h.raw("</ol>");
        }),
    ))
}

// ---------------------------------------------------------------- entity

/// The sentence of `body` (in code points) around `begin..end`.
fn sentence_around(body: &[char], begin: usize, end: usize) -> String {
    let stop = |c: char| matches!(c, '.' | '!' | '?' | '؟' | '\n');
    let begin = begin.min(body.len());
    let end = end.clamp(begin, body.len());
    let mut b = begin;
    while b > 0 && !stop(body[b - 1]) {
        b -= 1;
    }
    let mut e = end;
    while e < body.len() && !stop(body[e]) {
        e += 1;
    }
    if e < body.len() {
        e += 1;
    }
    body[b..e].iter().collect::<String>().trim().to_string()
}

fn entity(st: &State, iri: &NamedNode) -> Page {
    let e = iri.as_str();
    let head = select(
        st,
        &format!(
            "SELECT ?label ?articles ?mentions ?class WHERE {{ GRAPH <https://w3id.org/isnad/summary> {{ <{e}> isn:tallyLabel ?label . OPTIONAL {{ <{e}> isn:articleCount ?articles }} OPTIONAL {{ <{e}> isn:mentionCount ?mentions }} OPTIONAL {{ <{e}> isn:tallyClass ?class }} }} }}"
        ),
    )?;
    let labels = select(
        st,
        &format!("SELECT DISTINCT ?l WHERE {{ <{e}> rdfs:label ?l }} LIMIT 20"),
    )?;
    if head.is_empty() && labels.is_empty() {
        return Ok((
            404,
            layout("غير موجود", |h| {
                h.raw("<h1>لا يعرف المخزن هذا الكيان</h1><p><bdi>")
                    .text(e)
                    .raw("</bdi></p>");
            }),
        ));
    }
    let label = head
        .first()
        .map(|r| s(r, "label"))
        .or_else(|| labels.first().map(|r| s(r, "l")))
        .unwrap_or_default();
    let english: Vec<String> = labels
        .iter()
        .filter_map(|r| match r.get("l") {
            Some(Term::Literal(l)) if l.language() == Some("en") => Some(l.value().to_string()),
            _ => None,
        })
        .collect();
    let classes: Vec<String> = {
        let mut c: Vec<String> = head
            .iter()
            .map(|r| local(&s(r, "class")).to_string())
            .collect();
        c.sort();
        c.dedup();
        c.retain(|c| !c.is_empty());
        c
    };
    let aliases = select(
        st,
        &format!(
            "SELECT ?alias ?publisher ?mentions ?articles WHERE {{ GRAPH <https://w3id.org/isnad/summary> {{ ?t isn:aliasOf <{e}> ; isn:alias ?alias ; isn:mentionCount ?mentions ; isn:articleCount ?articles . OPTIONAL {{ ?t isn:outlet ?publisher }} }} }} ORDER BY DESC(?mentions) ?alias ?publisher LIMIT 200"
        ),
    )?;
    let positions = select(
        st,
        &format!(
            "SELECT ?position (MIN(?date) AS ?first) (MAX(?date) AS ?last) (COUNT(DISTINCT ?a) AS ?n) WHERE {{ GRAPH ?a {{ <{e}> isn:holdsPosition ?position . OPTIONAL {{ ?a schema:datePublished ?date }} }} }} GROUP BY ?position ORDER BY ?first ?position"
        ),
    )?;
    let claims = select(
        st,
        &format!(
            "SELECT ?claim ?a ?text ?qk ?verb ?begin ?end ?date ?headline WHERE {{ GRAPH ?a {{ ?claim isn:speaker <{e}> ; isn:text ?text . OPTIONAL {{ ?claim isn:quoteKind ?qk }} OPTIONAL {{ ?claim isn:reportingVerb ?verb }} OPTIONAL {{ ?claim nif:beginIndex ?begin }} OPTIONAL {{ ?claim nif:endIndex ?end }} OPTIONAL {{ ?claim isn:date ?cd }} OPTIONAL {{ ?a schema:datePublished ?pd }} OPTIONAL {{ ?a schema:headline ?headline }} BIND(COALESCE(?cd, ?pd) AS ?date) }} }} ORDER BY DESC(?date) ?a ?begin LIMIT 200"
        ),
    )?;
    // The sentence of each claim, from its article's body.
    let mut bodies: HashMap<String, Vec<char>> = HashMap::new();
    for r in &claims {
        let a = s(r, "a");
        if let (std::collections::hash_map::Entry::Vacant(slot), Ok(a_iri)) =
            (bodies.entry(a.clone()), NamedNode::new(a.as_str()))
        {
            let b = select(
                st,
                &format!(
                    "SELECT ?body WHERE {{ GRAPH <{0}> {{ <{0}> schema:articleBody ?body }} }}",
                    a_iri.as_str()
                ),
            )?;
            slot.insert(
                b.first()
                    .map(|r| s(r, "body").chars().collect())
                    .unwrap_or_default(),
            );
        }
    }
    let events = select(
        st,
        &format!(
            "SELECT ?ev ?a ?class ?trigger ?date ?role (GROUP_CONCAT(DISTINCT STR(?agent); separator=\" \") AS ?agents) (GROUP_CONCAT(DISTINCT STR(?target); separator=\" \") AS ?targets) ?headline WHERE {{ GRAPH ?a {{ ?ev isn:participant <{e}> ; a ?class ; isn:trigger ?trigger . FILTER(?class != isn:Event) OPTIONAL {{ ?ev isn:agent ?agent }} OPTIONAL {{ ?ev isn:target ?target }} OPTIONAL {{ ?ev isn:date ?ed }} OPTIONAL {{ ?a schema:datePublished ?pd }} OPTIONAL {{ ?a schema:headline ?headline }} BIND(COALESCE(?ed, ?pd) AS ?date) BIND(IF(EXISTS {{ ?ev isn:agent <{e}> }}, \"agent\", IF(EXISTS {{ ?ev isn:target <{e}> }}, \"target\", \"participant\")) AS ?role) }} }} GROUP BY ?ev ?a ?class ?trigger ?date ?role ?headline ORDER BY DESC(?date) ?ev LIMIT 200"
        ),
    )?;
    let neighbours = select(
        st,
        &format!(
            "SELECT ?o (COUNT(DISTINCT ?a) AS ?n) WHERE {{ GRAPH ?a {{ <{e}> isn:mentionedIn ?a . ?o isn:mentionedIn ?a ; a ?k . FILTER(?k IN (isn:Person, isn:Organization, isn:Country) && ?o != <{e}>) }} }} GROUP BY ?o ORDER BY DESC(?n) ?o LIMIT 12"
        ),
    )?;
    // Labels of everyone named on the page, from the summary graph.
    let mut others: HashSet<String> = neighbours.iter().map(|r| s(r, "o")).collect();
    for r in &events {
        for k in ["agents", "targets"] {
            others.extend(
                s(r, k)
                    .split(' ')
                    .filter(|x| !x.is_empty())
                    .map(str::to_string),
            );
        }
    }
    let names = labels_of(st, others.iter())?;
    let edges = if neighbours.len() > 1 {
        let values: String = neighbours
            .iter()
            .map(|r| format!("<{}> ", s(r, "o")))
            .collect();
        select(
            st,
            &format!(
                "SELECT ?x ?y (COUNT(DISTINCT ?a) AS ?n) WHERE {{ VALUES ?x {{ {values} }} VALUES ?y {{ {values} }} GRAPH ?a {{ ?x isn:mentionedIn ?a . ?y isn:mentionedIn ?a . <{e}> isn:mentionedIn ?a }} FILTER(STR(?x) < STR(?y)) }} GROUP BY ?x ?y"
            ),
        )?
    } else {
        Vec::new()
    };
    let name_of = |iri: &str| {
        names
            .get(iri)
            .cloned()
            .unwrap_or_else(|| local(iri).to_string())
    };

    Ok((
        200,
        layout(&label, |h| {
            h.raw("<article class=\"entity\"><h1 id=\"entity-label\">")
                .text(&label)
                .raw("</h1><p class=\"meta\">");
            for c in &classes {
                h.raw("<span class=\"class\">")
                    .text(class_ar(c))
                    .raw("</span> ");
            }
            for en in &english {
                h.raw("<bdi class=\"en\" dir=\"ltr\">")
                    .text(en)
                    .raw("</bdi> ");
            }
            if let Some(r) = head.first() {
                h.raw("· ")
                    .num(n(r, "articles"))
                    .raw(" مقالة · ")
                    .num(n(r, "mentions"))
                    .raw(" ذكر");
            }
            h.raw("</p><p class=\"iri\" dir=\"ltr\"><code>")
                .text(e)
                .raw("</code></p>");

            h.raw("<div class=\"grid\"><section id=\"names\"><h2>الأسماء حسب المصدر</h2>");
            if aliases.is_empty() {
                h.raw("<p class=\"empty\">—</p>");
            } else {
                h.raw("<table><thead><tr><th>الاسم</th><th>المصدر</th><th>مرات الذكر</th><th>مقالات</th></tr></thead><tbody>");
                for r in &aliases {
                    h.raw("<tr><td>")
                        .elem("bdi", &[], &s(r, "alias"))
                        .raw("</td><td>")
                        .elem("bdi", &[], &s(r, "publisher"))
                        .raw("</td><td>")
                        .num(n(r, "mentions"))
                        .raw("</td><td>")
                        .num(n(r, "articles"))
                        .raw("</td></tr>");
                }
                h.raw("</tbody></table>");
            }
            h.raw("</section><section id=\"positions\"><h2>المناصب حسب التاريخ</h2>");
            if positions.is_empty() {
                h.raw("<p class=\"empty\">—</p>");
            } else {
                h.raw("<table><thead><tr><th>المنصب</th><th>من</th><th>إلى</th><th>مقالات</th></tr></thead><tbody>");
                for r in &positions {
                    let key = s(r, "position");
                    h.raw("<tr><td>")
                        .open("span", &[("title", &key)])
                        .text(&position_ar(&key))
                        .close("span")
                        .raw("</td><td dir=\"ltr\">")
                        .text(&s(r, "first"))
                        .raw("</td><td dir=\"ltr\">")
                        .text(&s(r, "last"))
                        .raw("</td><td>")
                        .num(n(r, "n"))
                        .raw("</td></tr>");
                }
                h.raw("</tbody></table>");
            }
            h.raw("</section></div>");

            h.raw("<section id=\"network\"><h2>الأكثر حضورًا معه</h2>");
            if neighbours.is_empty() {
                h.raw("<p class=\"empty\">—</p>");
            } else {
                network_svg(h, e, &label, &neighbours, &edges, &name_of);
            }
            h.raw("</section>");

            h.raw("<section id=\"claims\"><h2>ما قاله</h2>");
            if claims.is_empty() {
                h.raw("<p class=\"empty\">لا تصريحات منسوبة.</p>");
            }
            h.raw("<ol class=\"claims\">");
            for r in &claims {
                let claim = s(r, "claim");
                let a = s(r, "a");
                let fragment = format!("claim-{}", local(&claim));
                let kind = local(&s(r, "qk")).to_string();
                h.raw("<li class=\"claim\"><blockquote>")
                    .text(&s(r, "text"))
                    .raw("</blockquote>");
                let sentence = bodies
                    .get(&a)
                    .map(|b| sentence_around(b, n(r, "begin") as usize, n(r, "end") as usize))
                    .unwrap_or_default();
                if !sentence.is_empty() {
                    h.raw("<p class=\"sentence\">").text(&sentence).raw("</p>");
                }
                h.raw("<p class=\"meta\"><span class=\"kind\">")
                    .text(class_ar(&kind))
                    .raw("</span> · <span class=\"verb\">")
                    .text(&s(r, "verb"))
                    .raw("</span> · <time dir=\"ltr\">")
                    .text(&s(r, "date"))
                    .raw("</time> · ");
                article_link(h, &a, Some(&fragment), &s(r, "headline"));
                h.raw("</p></li>");
            }
            h.raw("</ol></section>");

            h.raw("<section id=\"events\"><h2>الأحداث</h2>");
            if events.is_empty() {
                h.raw("<p class=\"empty\">لا أحداث.</p>");
            }
            h.raw("<ol class=\"timeline\">");
            let mut last_date = None;
            for r in &events {
                let date = s(r, "date");
                if last_date.as_ref() != Some(&date) {
                    h.raw("<li class=\"day\"><time dir=\"ltr\">")
                        .text(if date.is_empty() {
                            "بلا تاريخ"
                        } else {
                            date.as_str()
                        })
                        .raw("</time></li>");
                    last_date = Some(date);
                }
                let class = local(&s(r, "class")).to_string();
                let role = match s(r, "role").as_str() {
                    "agent" => "فاعل",
                    "target" => "مفعول به",
                    _ => "مشارك",
                };
                h.raw("<li class=\"event\"><span class=\"class\">")
                    .text(class_ar(&class))
                    .raw("</span> <span class=\"role\">")
                    .text(role)
                    .raw("</span> «")
                    .text(&s(r, "trigger"))
                    .raw("» ");
                let agents = s(r, "agents");
                let targets = s(r, "targets");
                for (i, x) in agents.split(' ').filter(|x| !x.is_empty()).enumerate() {
                    if i > 0 {
                        h.raw("، ");
                    }
                    entity_link(h, x, &name_of(x));
                }
                if !targets.is_empty() {
                    h.raw(" ← ");
                    for (i, x) in targets.split(' ').filter(|x| !x.is_empty()).enumerate() {
                        if i > 0 {
                            h.raw("، ");
                        }
                        entity_link(h, x, &name_of(x));
                    }
                }
                h.raw(" · ");
                let ev = s(r, "ev");
                article_link(
                    h,
                    &s(r, "a"),
                    Some(&format!("event-{}", local(&ev))),
                    &s(r, "headline"),
                );
                h.raw("</li>");
            }
            h.raw("</ol></section></article>");
        }),
    ))
}

/// The summary's label of each IRI.
fn labels_of<'a>(
    st: &State,
    iris: impl Iterator<Item = &'a String>,
) -> Result<HashMap<String, String>, StoreError> {
    let values: String = iris
        .filter(|i| NamedNode::new(i.as_str()).is_ok())
        .map(|i| format!("<{i}> "))
        .collect();
    if values.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(select(
        st,
        &format!("SELECT ?e ?label WHERE {{ VALUES ?e {{ {values} }} GRAPH <https://w3id.org/isnad/summary> {{ ?e isn:tallyLabel ?label }} }}"),
    )?
    .iter()
    .map(|r| (s(r, "e"), s(r, "label")))
    .collect())
}

/// The co-occurrence network: the entity in the middle, the actors most
/// often in the same articles around it (line width by shared articles),
/// and lines between those that share articles with it too. Drawn on the
/// server as SVG; every label is an escaped text node.
fn network_svg(
    h: &mut Html,
    center: &str,
    label: &str,
    neighbours: &[Row],
    edges: &[Row],
    name_of: &dyn Fn(&str) -> String,
) {
    const W: f64 = 720.0;
    const H: f64 = 460.0;
    let (cx, cy, r) = (W / 2.0, H / 2.0, 170.0);
    let max = neighbours
        .iter()
        .map(|r| n(r, "n"))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let pos: Vec<(String, f64, f64, i64)> = neighbours
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let angle = -std::f64::consts::FRAC_PI_2
                + i as f64 * std::f64::consts::TAU / neighbours.len() as f64;
            (
                s(row, "o"),
                cx + r * angle.cos(),
                cy + r * angle.sin(),
                n(row, "n"),
            )
        })
        .collect();
    let at: HashMap<&str, (f64, f64)> = pos
        .iter()
        .map(|(i, x, y, _)| (i.as_str(), (*x, *y)))
        .collect();
    let f = |v: f64| format!("{v:.1}");
    h.open(
        "svg",
        &[
            ("class", "network"),
            ("viewBox", "0 0 720 460"),
            ("role", "img"),
            ("aria-label", "شبكة الفاعلين"),
            ("xmlns", "http://www.w3.org/2000/svg"),
        ],
    );
    for row in edges {
        if let (Some(a), Some(b)) = (at.get(s(row, "x").as_str()), at.get(s(row, "y").as_str())) {
            let w = 0.5 + 4.0 * n(row, "n") as f64 / max;
            h.open(
                "line",
                &[
                    ("x1", &f(a.0)),
                    ("y1", &f(a.1)),
                    ("x2", &f(b.0)),
                    ("y2", &f(b.1)),
                    ("class", "edge2"),
                    ("stroke-width", &f(w)),
                ],
            )
            .close("line");
        }
    }
    for (_, x, y, k) in &pos {
        let w = 1.0 + 7.0 * *k as f64 / max;
        h.open(
            "line",
            &[
                ("x1", &f(cx)),
                ("y1", &f(cy)),
                ("x2", &f(*x)),
                ("y2", &f(*y)),
                ("class", "edge"),
                ("stroke-width", &f(w)),
            ],
        )
        .open("title", &[])
        .num(k)
        .raw(" مقالة مشتركة")
        .close("title")
        .close("line");
    }
    for (iri, x, y, k) in &pos {
        let href = internal_href("/entity", iri, None);
        let rad = 6.0 + 10.0 * *k as f64 / max;
        h.open("a", &[("href", &href), ("class", "node")])
            .open("circle", &[("cx", &f(*x)), ("cy", &f(*y)), ("r", &f(rad))])
            .close("circle")
            .open(
                "text",
                &[
                    ("x", &f(*x)),
                    ("y", &f(*y + rad + 16.0)),
                    ("text-anchor", "middle"),
                ],
            )
            .text(&name_of(iri))
            .close("text")
            .close("a");
    }
    h.open("g", &[("class", "center")])
        .open("circle", &[("cx", &f(cx)), ("cy", &f(cy)), ("r", "18")])
        .close("circle")
        .open(
            "text",
            &[
                ("x", &f(cx)),
                ("y", &f(cy + 36.0)),
                ("text-anchor", "middle"),
            ],
        )
        .text(if label.is_empty() {
            local(center)
        } else {
            label
        })
        .close("text")
        .close("g")
        .close("svg");
}

// ---------------------------------------------------------------- article

/// A marked span of the body, in code points.
struct Span {
    begin: usize,
    end: usize,
    kind: Kind,
}

enum Kind {
    /// A mention of an entity.
    Mention { entity: String, label: String },
    /// A claim's text: its number, speakers' names.
    Claim { n: usize, speakers: String },
    /// An event's trigger: its number and class.
    Trigger { n: usize, class: String },
}

fn article(st: &State, iri: &NamedNode) -> Page {
    let a = iri.as_str();
    let meta = select(
        st,
        &format!(
            "SELECT ?headline ?date ?publisher ?section ?url ?body ?file WHERE {{ GRAPH <{a}> {{ <{a}> a isn:Article ; schema:articleBody ?body . OPTIONAL {{ <{a}> schema:headline ?headline }} OPTIONAL {{ <{a}> schema:datePublished ?date }} OPTIONAL {{ <{a}> schema:publisher ?publisher }} OPTIONAL {{ <{a}> schema:articleSection ?section }} OPTIONAL {{ <{a}> schema:url ?url }} OPTIONAL {{ <{a}> isn:sourceFile ?file }} }} }} LIMIT 1"
        ),
    )?;
    let Some(m) = meta.first() else {
        return Ok((
            404,
            layout("غير موجود", |h| {
                h.raw("<h1>لا يعرف المخزن هذه المقالة</h1><p><bdi>")
                    .text(a)
                    .raw("</bdi></p>");
            }),
        ));
    };
    let body: Vec<char> = s(m, "body").chars().collect();
    let mentions = select(
        st,
        &format!(
            "SELECT ?e ?b ?x WHERE {{ GRAPH <{a}> {{ ?m a isn:Mention ; itsrdf:taIdentRef ?e ; nif:beginIndex ?b ; nif:endIndex ?x }} }}"
        ),
    )?;
    let claims = select(
        st,
        &format!(
            "SELECT ?c ?b ?x ?text ?verb ?qk (GROUP_CONCAT(DISTINCT STR(?sp); separator=\" \") AS ?speakers) WHERE {{ GRAPH <{a}> {{ ?c a isn:Claim ; isn:text ?text . OPTIONAL {{ ?c nif:beginIndex ?b ; nif:endIndex ?x }} OPTIONAL {{ ?c isn:speaker ?sp }} OPTIONAL {{ ?c isn:reportingVerb ?verb }} OPTIONAL {{ ?c isn:quoteKind ?qk }} }} }} GROUP BY ?c ?b ?x ?text ?verb ?qk ORDER BY ?b"
        ),
    )?;
    let events = select(
        st,
        &format!(
            "SELECT ?ev ?b ?x ?trigger ?class ?date (GROUP_CONCAT(DISTINCT STR(?ag); separator=\" \") AS ?agents) (GROUP_CONCAT(DISTINCT STR(?tg); separator=\" \") AS ?targets) WHERE {{ GRAPH <{a}> {{ ?ev a isn:Event ; a ?class ; isn:trigger ?trigger . FILTER(?class != isn:Event) OPTIONAL {{ ?ev nif:beginIndex ?b ; nif:endIndex ?x }} OPTIONAL {{ ?ev isn:date ?date }} OPTIONAL {{ ?ev isn:agent ?ag }} OPTIONAL {{ ?ev isn:target ?tg }} }} }} GROUP BY ?ev ?b ?x ?trigger ?class ?date ORDER BY ?b"
        ),
    )?;
    let mut everyone: HashSet<String> = mentions.iter().map(|r| s(r, "e")).collect();
    for r in claims.iter() {
        everyone.extend(
            s(r, "speakers")
                .split(' ')
                .filter(|x| !x.is_empty())
                .map(str::to_string),
        );
    }
    for r in events.iter() {
        for k in ["agents", "targets"] {
            everyone.extend(
                s(r, k)
                    .split(' ')
                    .filter(|x| !x.is_empty())
                    .map(str::to_string),
            );
        }
    }
    let names = labels_of(st, everyone.iter())?;
    let name_of = |iri: &str| {
        names
            .get(iri)
            .cloned()
            .unwrap_or_else(|| local(iri).to_string())
    };

    let len = body.len();
    let mut spans = Vec::new();
    for r in &mentions {
        let (b, x) = (n(r, "b") as usize, n(r, "x") as usize);
        if b < x && x <= len {
            let e = s(r, "e");
            spans.push(Span {
                begin: b,
                end: x,
                kind: Kind::Mention {
                    label: name_of(&e),
                    entity: e,
                },
            });
        }
    }
    for r in &claims {
        let (b, x) = (n(r, "b") as usize, n(r, "x") as usize);
        if b < x && x <= len {
            let speakers: Vec<String> = s(r, "speakers")
                .split(' ')
                .filter(|x| !x.is_empty())
                .map(&name_of)
                .collect();
            let num = local(&s(r, "c")).parse().unwrap_or(0);
            spans.push(Span {
                begin: b,
                end: x,
                kind: Kind::Claim {
                    n: num,
                    speakers: speakers.join("، "),
                },
            });
        }
    }
    for r in &events {
        let (b, x) = (n(r, "b") as usize, n(r, "x") as usize);
        if b < x && x <= len {
            // The trigger's own words inside the event's span.
            let trigger: Vec<char> = s(r, "trigger").chars().collect();
            let (tb, tx) = find_chars(&body[b..x], &trigger)
                .map_or((b, x), |i| (b + i, b + i + trigger.len()));
            let num = local(&s(r, "ev")).parse().unwrap_or(0);
            spans.push(Span {
                begin: tb,
                end: tx,
                kind: Kind::Trigger {
                    n: num,
                    class: local(&s(r, "class")).to_string(),
                },
            });
        }
    }
    let headline = s(m, "headline");
    Ok((
        200,
        layout(
            if headline.is_empty() {
                "مقالة"
            } else {
                headline.as_str()
            },
            |h| {
                h.raw("<article class=\"article\"><h1 id=\"headline\">")
                    .text(&headline)
                    .raw("</h1><p class=\"meta\">");
                h.open("time", &[("dir", "ltr")])
                    .text(&s(m, "date"))
                    .close("time")
                    .raw(" · ")
                    .elem("bdi", &[], &s(m, "publisher"));
                let section = s(m, "section");
                if !section.is_empty() {
                    h.raw(" · ").text(&section);
                }
                // Only an http(s) URL becomes a link; any other is left out.
                let url = s(m, "url");
                if crate::serve::html::safe_url(&url).is_some() {
                    h.raw(" · ");
                    h.external_link(&url, "المصدر");
                }
                h.raw("</p><p class=\"legend\"><span class=\"mention\">اسم</span> <span class=\"claim\">تصريح</span> <mark class=\"trigger\">حدث</mark></p>");
                h.raw("<div class=\"body\" id=\"body\">");
                marked_body(h, &body, &spans);
                h.raw("</div>");

                h.raw("<section id=\"article-claims\"><h2>التصريحات</h2><ol class=\"claims\">");
                for r in &claims {
                    let c = s(r, "c");
                    h.open(
                        "li",
                        &[
                            ("id", &format!("claim-{}-info", local(&c))),
                            ("class", "claim"),
                        ],
                    );
                    for (i, sp) in s(r, "speakers")
                        .split(' ')
                        .filter(|x| !x.is_empty())
                        .enumerate()
                    {
                        if i > 0 {
                            h.raw("، ");
                        }
                        entity_link(h, sp, &name_of(sp));
                    }
                    h.raw(" <span class=\"verb\">")
                        .text(&s(r, "verb"))
                        .raw("</span> <span class=\"kind\">")
                        .text(class_ar(local(&s(r, "qk"))))
                        .raw("</span><blockquote>")
                        .text(&s(r, "text"))
                        .raw("</blockquote></li>");
                }
                h.raw("</ol></section><section id=\"article-events\"><h2>الأحداث</h2><ol class=\"events\">");
                for r in &events {
                    let ev = s(r, "ev");
                    h.open(
                        "li",
                        &[
                            ("id", &format!("event-{}-info", local(&ev))),
                            ("class", "event"),
                        ],
                    )
                    .raw("<span class=\"class\">")
                    .text(class_ar(local(&s(r, "class"))))
                    .raw("</span> «")
                    .text(&s(r, "trigger"))
                    .raw("» ");
                    for (i, x) in s(r, "agents")
                        .split(' ')
                        .filter(|x| !x.is_empty())
                        .enumerate()
                    {
                        if i > 0 {
                            h.raw("، ");
                        }
                        entity_link(h, x, &name_of(x));
                    }
                    let targets = s(r, "targets");
                    if !targets.is_empty() {
                        h.raw(" ← ");
                        for (i, x) in targets.split(' ').filter(|x| !x.is_empty()).enumerate() {
                            if i > 0 {
                                h.raw("، ");
                            }
                            entity_link(h, x, &name_of(x));
                        }
                    }
                    h.raw(" <time dir=\"ltr\">")
                        .text(&s(r, "date"))
                        .raw("</time></li>");
                }
                h.raw("</ol></section><p class=\"iri\" dir=\"ltr\"><code>")
                    .text(a)
                    .raw("</code> · ")
                    .text(&s(m, "file"))
                    .raw("</p></article>");
            },
        ),
    ))
}

fn find_chars(hay: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()] == *needle)
}

/// The body with its spans marked: the text is cut at every span's ends,
/// and each piece is wrapped in the claim, mention and trigger that cover
/// it (in that order, so the markup nests whatever the spans do). A
/// claim's first piece carries its anchor and its speaker.
fn marked_body(h: &mut Html, body: &[char], spans: &[Span]) {
    let mut cuts: Vec<usize> = vec![0, body.len()];
    for sp in spans {
        cuts.push(sp.begin);
        cuts.push(sp.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut started: HashSet<(u8, usize)> = HashSet::new();
    for w in cuts.windows(2) {
        let (b, x) = (w[0], w[1]);
        if b >= x {
            continue;
        }
        let covering = |pred: &dyn Fn(&Kind) -> bool| {
            spans
                .iter()
                .find(|sp| sp.begin <= b && x <= sp.end && pred(&sp.kind))
        };
        let claim = covering(&|k| matches!(k, Kind::Claim { .. }));
        let mention = covering(&|k| matches!(k, Kind::Mention { .. }));
        let trigger = covering(&|k| matches!(k, Kind::Trigger { .. }));
        if let Some(Span {
            kind: Kind::Claim { n, speakers },
            begin,
            ..
        }) = claim
        {
            let title: &str = speakers;
            if started.insert((0, *begin)) {
                h.open(
                    "span",
                    &[
                        ("class", "claim"),
                        ("id", &format!("claim-{n}")),
                        ("title", title),
                    ],
                );
                h.open("sup", &[("class", "speaker")])
                    .text(speakers)
                    .close("sup");
            } else {
                h.open("span", &[("class", "claim"), ("title", title)]);
            }
        }
        if let Some(Span {
            kind: Kind::Mention { entity, label },
            ..
        }) = mention
        {
            let href = internal_href("/entity", entity, None);
            h.open(
                "a",
                &[("class", "mention"), ("href", &href), ("title", label)],
            );
        }
        if let Some(Span {
            kind: Kind::Trigger { n, class },
            begin,
            ..
        }) = trigger
        {
            if started.insert((1, *begin)) {
                h.open(
                    "mark",
                    &[
                        ("class", "trigger"),
                        ("id", &format!("event-{n}")),
                        ("title", class_ar(class)),
                    ],
                );
            } else {
                h.open("mark", &[("class", "trigger"), ("title", class_ar(class))]);
            }
        }
        let piece: String = body[b..x].iter().collect();
        h.text(&piece);
        if trigger.is_some() {
            h.close("mark");
        }
        if mention.is_some() {
            h.close("a");
        }
        if claim.is_some() {
            h.close("span");
        }
    }
}

// ---------------------------------------------------------------- queries

fn queries_page() -> (u16, String) {
    (
        200,
        layout("الاستعلامات", |h| {
            h.raw("<h1>استعلام SPARQL</h1><div class=\"editor\"><label for=\"saved\">استعلام محفوظ</label> <select id=\"saved\"><option value=\"\">—</option></select> <p id=\"saved-description\" class=\"meta\"></p>")
                .raw("<textarea id=\"sparql\" dir=\"ltr\" spellcheck=\"false\" rows=\"14\">SELECT ?entity ?label ?articles WHERE {\n  GRAPH &lt;https://w3id.org/isnad/summary&gt; { ?entity isn:tallyLabel ?label ; isn:articleCount ?articles }\n}\nORDER BY DESC(?articles)\nLIMIT 20</textarea>")
                .raw("<div class=\"actions\"><button id=\"run\" type=\"button\">تشغيل</button> <span id=\"status\" class=\"meta\"></span> <span class=\"downloads\">تنزيل: <a id=\"dl-csv\" href=\"#\">CSV</a> · <a id=\"dl-json\" href=\"#\">JSON</a> · <a id=\"dl-turtle\" href=\"#\">Turtle</a></span></div></div>")
                .raw("<div id=\"results\" class=\"results-table\"></div>");
        }),
    )
}

fn saved_queries_json() -> Resp {
    let list: Vec<serde_json::Value> = crate::shell::queries::all()
        .into_iter()
        .map(|q| {
            serde_json::json!({
                "name": q.name,
                "description": q.description,
                "text": q.text,
            })
        })
        .collect();
    Resp::new(
        200,
        "application/json",
        serde_json::Value::Array(list).to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(body: &str, spans: Vec<Span>) -> String {
        let mut h = Html::new();
        let chars: Vec<char> = body.chars().collect();
        marked_body(&mut h, &chars, &spans);
        h.finish()
    }

    #[test]
    fn offsets_count_code_points_and_every_piece_is_escaped() {
        // "قال <b>ظريف</b>": the mention is code points 9..13.
        let out = marked(
            "قال <b>ظريف</b> إن",
            vec![Span {
                begin: 7,
                end: 11,
                kind: Kind::Mention {
                    entity: "https://w3id.org/isnad/id/person/zarif".into(),
                    label: "ظريف".into(),
                },
            }],
        );
        assert!(
            out.starts_with("قال &lt;b&gt;<a class=\"mention\""),
            "{out}"
        );
        assert!(out.contains(">ظريف</a>&lt;/b&gt; إن"), "{out}");
    }

    #[test]
    fn overlapping_spans_nest_claim_then_mention_then_trigger() {
        let out = marked(
            "abcdef",
            vec![
                Span {
                    begin: 1,
                    end: 5,
                    kind: Kind::Claim {
                        n: 1,
                        speakers: "S".into(),
                    },
                },
                Span {
                    begin: 0,
                    end: 3,
                    kind: Kind::Mention {
                        entity: "https://x/e".into(),
                        label: "E".into(),
                    },
                },
                Span {
                    begin: 2,
                    end: 4,
                    kind: Kind::Trigger {
                        n: 1,
                        class: "Visit".into(),
                    },
                },
            ],
        );
        // Every opened element is closed before the next piece.
        assert_eq!(out.matches("<span").count(), out.matches("</span>").count());
        assert_eq!(out.matches("<a ").count(), out.matches("</a>").count());
        assert_eq!(out.matches("<mark").count(), out.matches("</mark>").count());
        assert_eq!(out.matches("id=\"claim-1\"").count(), 1);
        assert_eq!(out.matches("id=\"event-1\"").count(), 1);
        let text: String = {
            let mut t = String::new();
            let mut inside = false;
            let mut skip_sup = false;
            for (i, c) in out.char_indices() {
                if out[i..].starts_with("<sup") {
                    skip_sup = true;
                }
                if out[i..].starts_with("</sup>") {
                    skip_sup = false;
                }
                match c {
                    '<' => inside = true,
                    '>' => inside = false,
                    c if !inside && !skip_sup => t.push(c),
                    _ => {}
                }
            }
            t
        };
        assert_eq!(text, "abcdef");
    }

    #[test]
    fn the_sentence_around_a_claim_stops_at_sentence_ends() {
        let body: Vec<char> = "أولى. قال الوزير إن الوضع خطير. ثالثة".chars().collect();
        let b = "أولى. قال الوزير إن ".chars().count();
        assert_eq!(
            sentence_around(&body, b, b + 4),
            "قال الوزير إن الوضع خطير."
        );
    }
}
