//! Stories and echoes as a specification, on a corpus of real-world-like
//! happenings, each reported by several outlets in their own words
//! (tests/fixtures/stories/corpus.jsonl), with the traps of the trade:
//! the same ministers' call a month later, another strike on the same city
//! another day, the same leaders at another summit, the same minister's
//! call with another counterpart on the same day, a statement of the same
//! spokesman on another subject. `labels.tsv` says which events report
//! which happening.

use isnad::article::{read_text, Article, Format};
use isnad::extract::{extract, Knowledge};
use isnad::rdf::{article_iri, article_quads, vocab, ArticleGraph};
use isnad::reference::Reference;
use isnad::store::Store;
use oxigraph::model::{NamedNodeRef, Quad, Term};
use oxigraph::sparql::QueryResults;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

fn knowledge() -> &'static Knowledge {
    static K: OnceLock<Knowledge> = OnceLock::new();
    K.get_or_init(|| Knowledge::new(Reference::bundled().expect("bundled reference data parses")))
}

const CORPUS: &str = include_str!("fixtures/stories/corpus.jsonl");
const LABELS: &str = include_str!("fixtures/stories/labels.tsv");

fn articles() -> Vec<Article> {
    read_text(CORPUS, Format::JsonLines, "corpus.jsonl")
        .into_iter()
        .map(|a| a.unwrap())
        .collect()
}

fn graph(a: &Article) -> ArticleGraph {
    article_quads(a, &extract(a, knowledge()))
}

/// The corpus's articles whose id is in `ids` (all when empty).
fn graphs(ids: &[&str]) -> Vec<ArticleGraph> {
    articles()
        .iter()
        .filter(|a| ids.is_empty() || ids.contains(&a.id.as_deref().unwrap()))
        .map(graph)
        .collect()
}

/// A store holding `graphs`, bulk-loaded as ingest does, stories formed.
fn store_with(graphs: &[ArticleGraph]) -> Store {
    let store = Store::in_memory().unwrap();
    store.replace_articles(graphs).unwrap();
    store.count_pending().unwrap();
    store
}

fn select(store: &Store, q: &str) -> Vec<Vec<String>> {
    let QueryResults::Solutions(rows) = store.query(q, &isnad::rdf::contract_prefixes()).unwrap()
    else {
        panic!("not a SELECT")
    };
    let vars: Vec<_> = rows.variables().to_vec();
    rows.map(|r| {
        let r = r.unwrap();
        vars.iter()
            .map(|v| match r.get(v) {
                Some(Term::NamedNode(n)) => n.as_str().to_string(),
                Some(Term::Literal(l)) => l.value().to_string(),
                Some(t) => t.to_string(),
                None => String::new(),
            })
            .collect()
    })
    .collect()
}

/// (story, event) of every story.
fn members(store: &Store) -> Vec<(String, String)> {
    select(
        store,
        "SELECT ?s ?e WHERE { GRAPH <https://w3id.org/isnad/stories> { ?s isn:event ?e } }",
    )
    .into_iter()
    .map(|r| (r[0].clone(), r[1].clone()))
    .collect()
}

/// The stories as sets of article ids (their names aside).
fn partition(store: &Store) -> BTreeSet<BTreeSet<String>> {
    let ids = ids_by_iri();
    let mut by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (s, e) in members(store) {
        let art = e.rsplit_once("/event/").unwrap().0.to_string();
        by.entry(s).or_default().insert(format!(
            "{}#{}",
            ids.get(&art).cloned().unwrap_or(art),
            e.rsplit_once("/event/").unwrap().1
        ));
    }
    by.into_values().collect()
}

fn ids_by_iri() -> HashMap<String, String> {
    articles()
        .iter()
        .map(|a| (article_iri(a).as_str().to_string(), a.id.clone().unwrap()))
        .collect()
}

/// Article ids that share a story with article `id`.
fn storied_with(store: &Store, id: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for story in partition(store) {
        if story.iter().any(|m| m.starts_with(&format!("{id}#"))) {
            for m in story {
                let other = m.split('#').next().unwrap().to_string();
                if other != id {
                    out.insert(other);
                }
            }
        }
    }
    out
}

/// Every event of the corpus: (event IRI, article id, class local name).
fn events(store: &Store) -> Vec<(String, String, String)> {
    let ids = ids_by_iri();
    select(
        store,
        "SELECT ?e ?a ?c WHERE { GRAPH ?a { ?e a isn:Event , ?c ; isn:reportedIn ?a FILTER(?c != isn:Event) } }",
    )
    .into_iter()
    .map(|r| {
        (
            r[0].clone(),
            ids[&r[1]].clone(),
            r[2].trim_start_matches(vocab::ISN).to_string(),
        )
    })
    .collect()
}

/// labels.tsv: (article id, family) → (happening, distractor?)
fn labels() -> HashMap<(String, String), (String, bool)> {
    LABELS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (
                (c[0].to_string(), c[1].to_string()),
                (c[2].to_string(), c.get(3) == Some(&"distractor")),
            )
        })
        .collect()
}

/// The family of a class as the story table has it.
fn family(class: &str) -> String {
    include_str!("../data/lexicon/story_classes.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c.len() >= 2 && c[0] == class).then(|| c[1].to_string())
        })
        .unwrap_or_else(|| class.to_string())
}

struct Score {
    precision: f64,
    recall: f64,
    f1: f64,
    /// Pairs merged across a distractor and another happening.
    distractor_merges: Vec<(String, String)>,
}

/// Pairwise scoring of "these two events are one story".
fn score(store: &Store) -> Score {
    let labels = labels();
    let evs = events(store);
    let story_of: HashMap<String, String> =
        members(store).into_iter().map(|(s, e)| (e, s)).collect();
    let gold = |a: &str, c: &str| labels.get(&(a.to_string(), family(c))).cloned();
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut distractor_merges = Vec::new();
    for (i, (e1, a1, c1)) in evs.iter().enumerate() {
        for (e2, a2, c2) in &evs[i + 1..] {
            if a1 == a2 {
                continue;
            }
            let (g1, g2) = (gold(a1, c1), gold(a2, c2));
            let same_gold = matches!((&g1, &g2), (Some(x), Some(y)) if x.0 == y.0);
            let same_pred =
                matches!((story_of.get(e1), story_of.get(e2)), (Some(x), Some(y)) if x == y);
            match (same_gold, same_pred) {
                (true, true) => tp += 1,
                (false, true) => {
                    fp += 1;
                    if g1.as_ref().is_some_and(|g| g.1) || g2.as_ref().is_some_and(|g| g.1) {
                        distractor_merges.push((format!("{a1} {c1}"), format!("{a2} {c2}")));
                    }
                }
                (true, false) => fn_ += 1,
                (false, false) => {}
            }
        }
    }
    let precision = if tp + fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let recall = if tp + fn_ == 0 {
        1.0
    } else {
        tp as f64 / (tp + fn_) as f64
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    eprintln!(
        "stories: tp {tp} fp {fp} fn {fn_}: precision {precision:.3} recall {recall:.3} F1 {f1:.3}"
    );
    Score {
        precision,
        recall,
        f1,
        distractor_merges,
    }
}

#[test]
fn stories_of_the_corpus_reach_an_f1_of_085_and_merge_no_distractor() {
    let store = store_with(&graphs(&[]));
    let s = score(&store);
    assert!(
        s.distractor_merges.is_empty(),
        "distractors merged: {:?}",
        s.distractor_merges
    );
    assert!(
        s.f1 >= 0.85,
        "F1 {:.3} (precision {:.3}, recall {:.3}); stories {:#?}",
        s.f1,
        s.precision,
        s.recall,
        partition(&store)
    );
}

#[test]
fn every_outlet_of_one_call_joins_one_story_yesterday_in_the_next_days_report_included() {
    let store = store_with(&graphs(&[]));
    let with = storied_with(&store, "call-1-manar");
    assert!(with.contains("call-1-tasnim"), "{with:?}");
    assert!(
        with.contains("call-1-jazeera"),
        "أمس in the next day's report is the same day: {:#?}",
        partition(&store)
    );
}

#[test]
fn the_same_ministers_call_a_month_later_is_another_story() {
    let store = store_with(&graphs(&[]));
    assert!(
        storied_with(&store, "call-1-next-month").is_empty(),
        "{:#?}",
        partition(&store)
    );
}

#[test]
fn the_same_ministers_call_with_another_counterpart_that_day_is_another_story() {
    let store = store_with(&graphs(&[]));
    assert!(
        storied_with(&store, "call-1-other-counterpart").is_empty(),
        "{:#?}",
        partition(&store)
    );
}

#[test]
fn another_strike_on_the_same_city_another_day_is_another_story() {
    let store = store_with(&graphs(&[]));
    let with = storied_with(&store, "strike-rafah-mayadeen");
    assert!(
        with.contains("strike-rafah-arabiya"),
        "{:#?}",
        partition(&store)
    );
    assert!(
        storied_with(&store, "strike-rafah-another-day").is_empty(),
        "{:#?}",
        partition(&store)
    );
}

#[test]
fn the_same_leaders_at_another_summit_is_another_story() {
    let store = store_with(&graphs(&[]));
    let with = storied_with(&store, "summit-cairo-ahram");
    assert!(
        with.contains("summit-cairo-anadolu"),
        "{:#?}",
        partition(&store)
    );
    assert!(
        storied_with(&store, "summit-riyadh-earlier").is_empty(),
        "{:#?}",
        partition(&store)
    );
    assert!(
        storied_with(&store, "blinken-tlv-march").is_empty(),
        "{:#?}",
        partition(&store)
    );
}

#[test]
fn a_story_counts_its_articles_and_outlets_and_its_first_and_last_report() {
    let store = store_with(&graphs(&[
        "call-1-manar",
        "call-1-tasnim",
        "call-1-jazeera",
    ]));
    let rows = select(
        &store,
        "SELECT ?d ?n ?o ?f ?l WHERE { GRAPH <https://w3id.org/isnad/stories> { ?s a isn:Story ; isn:date ?d ; isn:articleCount ?n ; isn:outletCount ?o ; isn:firstReported ?f ; isn:lastReported ?l ; isn:eventClass isn:PhoneCall } }",
    );
    assert_eq!(
        rows,
        vec![vec![
            "2024-01-19".to_string(),
            "3".into(),
            "3".into(),
            "2024-01-19".into(),
            "2024-01-20".into()
        ]],
        "{:#?}",
        partition(&store)
    );
}

#[test]
fn a_statement_picked_up_by_two_outlets_echoes_and_another_statement_does_not() {
    let store = store_with(&graphs(&[]));
    let ids = ids_by_iri();
    let pairs: BTreeSet<(String, String)> = select(
        &store,
        "SELECT ?a ?b WHERE { GRAPH <https://w3id.org/isnad/stories> { ?a isn:echoes ?b } }",
    )
    .into_iter()
    .map(|r| {
        let art = |c: &str| ids[c.rsplit_once("/claim/").unwrap().0].clone();
        (art(&r[0]), art(&r[1]))
    })
    .collect();
    assert!(
        pairs.contains(&("kanaani-presstv".into(), "kanaani-alalam".into())),
        "{pairs:?}"
    );
    assert!(
        pairs.contains(&("kanaani-alalam".into(), "kanaani-presstv".into())),
        "echoes go both ways: {pairs:?}"
    );
    for other in [
        "kanaani-other-topic",
        "ship-redsea-later",
        "call-1-next-month",
    ] {
        assert!(
            pairs.iter().all(|(a, b)| a != other && b != other),
            "{other} echoes nothing: {pairs:?}"
        );
    }
}

/// No dangling member, no event in two stories, no story of one article,
/// counts that agree with the members.
fn assert_consistent(store: &Store) {
    let m = members(store);
    let mut seen = BTreeMap::new();
    for (s, e) in &m {
        assert!(
            seen.insert(e.clone(), s.clone()).is_none(),
            "{e} is in two stories"
        );
        let there = select(
            store,
            &format!("SELECT ?a WHERE {{ GRAPH ?a {{ <{e}> a isn:Event }} }}"),
        );
        assert_eq!(there.len(), 1, "{s} holds {e}, which is gone");
    }
    for r in select(
        store,
        "SELECT ?s ?n (COUNT(DISTINCT ?a) AS ?k) WHERE { GRAPH <https://w3id.org/isnad/stories> { ?s isn:articleCount ?n ; isn:event ?e } GRAPH ?a { ?e isn:reportedIn ?a } } GROUP BY ?s ?n",
    ) {
        assert_eq!(r[1], r[2], "story {} counts {} articles, holds {}", r[0], r[1], r[2]);
        assert!(r[2].parse::<u32>().unwrap() >= 2, "a story of one: {}", r[0]);
    }
    let lone = select(
        store,
        "SELECT ?s WHERE { GRAPH <https://w3id.org/isnad/stories> { ?s ?p ?o FILTER NOT EXISTS { ?s a isn:Story } FILTER(?p IN (isn:articleCount, isn:eventClass, isn:date)) } }",
    );
    assert!(lone.is_empty(), "leftovers of a story: {lone:?}");
}

fn stories_graph(store: &Store) -> BTreeSet<String> {
    store
        .quads_of(&oxigraph::model::GraphName::NamedNode(
            oxigraph::model::NamedNode::new_unchecked(vocab::STORIES_GRAPH),
        ))
        .unwrap()
        .iter()
        .map(Quad::to_string)
        .collect()
}

#[test]
fn reingest_and_replace_keep_stories_consistent() {
    let all = graphs(&[]);
    let store = store_with(&all);
    assert_consistent(&store);
    let before = stories_graph(&store);
    assert!(!before.is_empty());

    // Re-ingesting the same articles (the replace path) changes nothing.
    store.replace_articles(&all).unwrap();
    assert_eq!(
        stories_graph(&store),
        before,
        "re-ingest changed the stories"
    );

    // One outlet's report is edited and no longer tells of the strike: the
    // story loses it; the others stay one story.
    let mut edited: Vec<Article> = articles()
        .into_iter()
        .filter(|a| a.id.as_deref() == Some("strike-rafah-arabiya"))
        .collect();
    edited[0].body = "قالت مصادر محلية إن الأوضاع في رفح هادئة اليوم.".into();
    store.replace_articles(&[graph(&edited[0])]).unwrap();
    assert_consistent(&store);
    assert!(storied_with(&store, "strike-rafah-arabiya").is_empty());
    assert!(storied_with(&store, "strike-rafah-mayadeen").contains("strike-rafah-quds"));

    // The report restored: the same stories as before.
    store
        .replace_articles(&graphs(&["strike-rafah-arabiya"]))
        .unwrap();
    assert_consistent(&store);
    assert_eq!(partition(&store), partition(&store_with(&all)));

    // Two of three reports of the call go: no story of one article is left.
    let gone: Vec<ArticleGraph> = graphs(&["call-1-tasnim", "call-1-jazeera"])
        .into_iter()
        .map(|g| ArticleGraph {
            iri: g.iri,
            quads: Vec::new(),
        })
        .collect();
    store.replace_articles(&gone).unwrap();
    assert_consistent(&store);
    assert!(storied_with(&store, "call-1-manar").is_empty());
}

#[test]
fn stories_do_not_depend_on_the_order_or_batches_of_ingest() {
    let all = graphs(&[]);
    let at_once = partition(&store_with(&all));
    let store = Store::in_memory().unwrap();
    for g in all.iter().rev() {
        store.replace_articles(std::slice::from_ref(g)).unwrap();
        store.count_pending().unwrap();
    }
    assert_consistent(&store);
    assert_eq!(partition(&store), at_once);
}

#[test]
fn an_update_or_load_that_touches_articles_has_the_stories_formed_again_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let all = graphs(&[]);
    {
        let store = Store::open(&path, true).unwrap();
        store.replace_articles(&all).unwrap();
        store.count_pending().unwrap();
        assert!(storied_with(&store, "call-1-manar").contains("call-1-tasnim"));
        // Every event of tasnim's report of the call is deleted.
        let tasnim = all
            .iter()
            .find(|g| {
                g.quads
                    .iter()
                    .any(|q| q.object.to_string().contains("اتصال هاتفي بين وزيري"))
            })
            .unwrap();
        store
            .update(
                &format!(
                    "DELETE WHERE {{ GRAPH <{g}> {{ ?e a isn:PhoneCall ; ?p ?o }} }}",
                    g = tasnim.iri.as_str()
                ),
                &isnad::rdf::contract_prefixes(),
            )
            .unwrap();
        let marker = isnad::stories::version_marker();
        assert!(!store.oxigraph().contains(&marker).unwrap());
    }
    let store = Store::open(&path, false).unwrap();
    assert_consistent(&store);
    let with = storied_with(&store, "call-1-manar");
    assert!(
        !with.contains("call-1-tasnim") && with.contains("call-1-jazeera"),
        "{with:?}"
    );
    assert!(store
        .oxigraph()
        .contains(&isnad::stories::version_marker())
        .unwrap());
}

#[test]
fn articles_loaded_and_not_matched_before_a_crash_are_matched_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let all = graphs(&[]);
    {
        // What an ingest interrupted between its bulk load and its
        // matching leaves: articles, keys and pending marks, no stories.
        Store::open(&path, true).unwrap();
        let ox = oxigraph::store::Store::open(&path).unwrap();
        let mut quads: Vec<Quad> = Vec::new();
        for g in &all {
            quads.extend(g.quads.iter().cloned());
            let f = isnad::stories::ArticleFacts::from_quads(
                g.iri.as_str(),
                g.quads.iter().map(Quad::as_ref),
            );
            quads.extend(isnad::stories::index_quads(&f));
            quads.push(isnad::stories::pending(g.iri.as_ref()).into_owned());
            quads.push(isnad::summary::pending(g.iri.as_ref()).into_owned());
        }
        ox.extend(quads).unwrap();
    }
    let store = Store::open(&path, false).unwrap();
    assert_consistent(&store);
    assert_eq!(partition(&store), partition(&store_with(&all)));
    let pending = store
        .oxigraph()
        .quads_for_pattern(
            None,
            Some(NamedNodeRef::new_unchecked(vocab::term::PENDING)),
            None,
            Some(isnad::stories::graph().into()),
        )
        .count();
    assert_eq!(pending, 0);
}

#[test]
fn the_saved_queries_list_the_stories_and_tell_one_outlet_by_outlet() {
    let store = store_with(&graphs(&[]));
    let q = isnad::shell::queries::find("stories").unwrap();
    let rows = select(&store, q.text);
    assert!(!rows.is_empty());
    let call = rows
        .iter()
        .find(|r| r[2].contains("PhoneCall") && r[0] == "2024-01-19")
        .expect("the call of 19 January");
    assert_eq!((call[3].as_str(), call[4].as_str()), ("3", "3"), "{call:?}");
    let story = &call[1];
    let q = isnad::shell::queries::find("story").unwrap();
    let text = q.text.replace("$story", &format!("<{story}>"));
    let rows = select(&store, &text);
    assert_eq!(rows.len(), 3, "{rows:#?}");
    let outlets: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert!(outlets.contains(&"الجزيرة"), "{outlets:?}");
    assert!(
        rows.iter().any(|r| r[6].contains("عبد اللهيان")),
        "the names each outlet used: {rows:#?}"
    );
}

#[test]
fn stats_count_the_stories() {
    let store = store_with(&graphs(&[]));
    let s = store.stats().unwrap();
    assert_eq!(s.stories as usize, partition(&store).len());
    assert!(s.echoed_claims >= 2);
}
