//! The summary graph as a specification: its tallies always equal what a
//! scan of every article graph would count — after ingest, after an
//! article is replaced, after an ingest interrupted between loading and
//! counting, and for a store that has no summary yet.

use isnad::article::{read_text, Format};
use isnad::extract::{extract, Knowledge};
use isnad::rdf::{article_quads, vocab};
use isnad::reference::Reference;
use isnad::store::Store;
use oxigraph::model::{GraphNameRef, NamedNodeRef, Quad, QuadRef};
use oxigraph::sparql::QueryResults;
use std::path::Path;
use std::sync::OnceLock;

fn knowledge() -> &'static Knowledge {
    static K: OnceLock<Knowledge> = OnceLock::new();
    K.get_or_init(|| Knowledge::new(Reference::bundled().expect("bundled reference data parses")))
}

/// JSON Lines articles → their graphs.
fn graphs(jsonl: &str) -> Vec<isnad::rdf::ArticleGraph> {
    read_text(jsonl, Format::JsonLines, "test.jsonl")
        .into_iter()
        .map(|a| {
            let a = a.unwrap();
            article_quads(&a, &extract(&a, knowledge()))
        })
        .collect()
}

const TEHRAN_NEWS: &str = r#"{"id": "a-1", "source": "وكالة تسنيم", "date": "2024-01-17", "body": "قال وزير الخارجية الإيراني حسين أمير عبد اللهيان إن الكيان الصهيوني يهدد أمن إيران. وأضاف أن طهران تتابع الوضع."}
{"id": "a-2", "source": "الجزيرة", "date": "2024-01-18", "body": "أعلنت إسرائيل أنها شنت غارات على مواقع في لبنان، فيما قالت إيران إنها تدين الهجوم."}
"#;

const TEHRAN_NEWS_EDITED: &str = r#"{"id": "a-1", "source": "وكالة تسنيم", "date": "2024-01-17", "body": "قال وزير الخارجية الإيراني حسين أمير عبد اللهيان إن بلاده تتابع الوضع."}
"#;

fn rows(store: &Store, q: &str) -> Vec<String> {
    let prefixes = isnad::rdf::contract_prefixes();
    let QueryResults::Solutions(solutions) = store.query(q, &prefixes).unwrap() else {
        panic!("not a SELECT");
    };
    let mut out: Vec<String> = solutions
        .map(|s| {
            let s = s.unwrap();
            s.iter()
                .map(|(v, t)| {
                    let t = match t {
                        oxigraph::model::Term::Literal(l) => l.value().to_string(),
                        other => other.to_string(),
                    };
                    format!("{v}={t}")
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    out.sort();
    out
}

/// Per entity: articles and mentions, counted by scanning every mention.
const SCANNED_ENTITIES: &str =
    "SELECT ?entity (COUNT(DISTINCT ?article) AS ?articles) (COUNT(DISTINCT ?m) AS ?mentions)
    WHERE { GRAPH ?article { ?m itsrdf:taIdentRef ?entity } } GROUP BY ?entity";
const SUMMED_ENTITIES: &str = "SELECT ?entity ?articles ?mentions
    WHERE { GRAPH <https://w3id.org/isnad/summary> { ?entity isn:articleCount ?articles ; isn:mentionCount ?mentions ; isn:tallyClass ?c } }
    GROUP BY ?entity ?articles ?mentions";
/// Per entity, alias and outlet: mentions and articles, by scanning.
const SCANNED_ALIASES: &str = "SELECT ?entity ?alias ?publisher (COUNT(DISTINCT ?m) AS ?mentions) (COUNT(DISTINCT ?article) AS ?articles)
    WHERE { GRAPH ?article { ?m itsrdf:taIdentRef ?entity ; nif:anchorOf ?alias OPTIONAL { ?article schema:publisher ?publisher } } }
    GROUP BY ?entity ?alias ?publisher";
const SUMMED_ALIASES: &str = "SELECT ?entity ?alias ?publisher ?mentions ?articles
    WHERE { GRAPH <https://w3id.org/isnad/summary> { ?t isn:aliasOf ?entity ; isn:alias ?alias ; isn:mentionCount ?mentions ; isn:articleCount ?articles OPTIONAL { ?t isn:outlet ?publisher } } }";

fn assert_in_step(store: &Store) {
    let scanned = rows(store, SCANNED_ENTITIES);
    assert!(!scanned.is_empty());
    assert_eq!(rows(store, SUMMED_ENTITIES), scanned, "entity tallies");
    assert_eq!(
        rows(store, SUMMED_ALIASES),
        rows(store, SCANNED_ALIASES),
        "alias tallies"
    );
}

fn open(dir: &Path) -> Store {
    Store::open(&dir.join("store"), true).unwrap()
}

#[test]
fn the_tallies_follow_ingest_and_replacement() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store.replace_articles(&graphs(TEHRAN_NEWS)).unwrap();
    // New articles are counted in bulk: every few thousand, at the end of
    // an ingest, or when the store is dropped.
    store.count_pending().unwrap();
    assert_in_step(&store);
    let framing = rows(
        &store,
        "SELECT ?n WHERE { GRAPH <https://w3id.org/isnad/summary> { ?t isn:alias \"الكيان الصهيوني\" ; isn:mentionCount ?n } }",
    );
    assert_eq!(framing, ["?n=1"], "one outlet's framing name is tallied");

    // The first article again, edited: its names no longer count.
    store.replace_articles(&graphs(TEHRAN_NEWS_EDITED)).unwrap();
    assert_in_step(&store);
    let framing = rows(
        &store,
        "SELECT ?t WHERE { GRAPH <https://w3id.org/isnad/summary> { ?t isn:alias \"الكيان الصهيوني\" } }",
    );
    assert!(
        framing.is_empty(),
        "an alias no article uses leaves no tally"
    );

    // The same article unchanged writes nothing and changes nothing.
    let before = store.len().unwrap();
    store.replace_articles(&graphs(TEHRAN_NEWS_EDITED)).unwrap();
    assert_eq!(store.len().unwrap(), before);
    assert_in_step(&store);
}

#[test]
fn an_ingest_interrupted_between_loading_and_counting_is_counted_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let all = graphs(TEHRAN_NEWS);
    {
        let store = open(dir.path());
        store.replace_articles(&all[..1]).unwrap();
        // The second article as a crash would leave it: marked pending and
        // loaded, never counted.
        let ox = store.oxigraph();
        let summary = NamedNodeRef::new_unchecked(vocab::SUMMARY_GRAPH);
        ox.insert(QuadRef::new(
            summary,
            NamedNodeRef::new_unchecked(vocab::term::PENDING),
            all[1].iri.as_ref(),
            GraphNameRef::NamedNode(summary),
        ))
        .unwrap();
        ox.extend(all[1].quads.iter().map(Quad::as_ref)).unwrap();
        assert_ne!(
            rows(&store, SUMMED_ENTITIES),
            rows(&store, SCANNED_ENTITIES)
        );
    }
    let store = open(dir.path());
    assert_in_step(&store);
    assert!(
        rows(&store, "SELECT ?a WHERE { GRAPH ?g { ?s isn:pending ?a } }").is_empty(),
        "the marks are cleared once counted"
    );
}

#[test]
fn a_store_without_a_summary_is_counted_on_open() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path());
        store.replace_articles(&graphs(TEHRAN_NEWS)).unwrap();
        // As a store written before the summary existed.
        store
            .oxigraph()
            .clear_graph(NamedNodeRef::new_unchecked(vocab::SUMMARY_GRAPH))
            .unwrap();
        assert!(rows(&store, SUMMED_ENTITIES).is_empty());
    }
    let store = open(dir.path());
    assert_in_step(&store);
}

#[test]
fn an_article_replaced_before_it_was_counted_is_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store.replace_articles(&graphs(TEHRAN_NEWS)).unwrap();
    store.replace_articles(&graphs(TEHRAN_NEWS_EDITED)).unwrap();
    store.count_pending().unwrap();
    assert_in_step(&store);
}
