//! The summary graph: per-entity and per-alias tallies of the article
//! graphs, so that corpus-wide counts (the most-mentioned entities, which
//! outlet calls an entity what) are a look-up instead of a scan of every
//! mention in the store.
//!
//! What it holds, in the graph `<https://w3id.org/isnad/summary>`:
//! - for every mentioned entity: `isn:articleCount`, `isn:mentionCount`,
//!   and `isn:tallyLabel` / `isn:tallyClass`: its Arabic label and classes
//!   as the latest article that mentions it states them;
//! - for every (entity, alias, outlet): a tally `…/id/alias/<hash>` with
//!   `isn:aliasOf`, `isn:alias` (the mention's exact text), `isn:outlet`
//!   (the articles' publisher, when known), `isn:mentionCount`,
//!   `isn:articleCount`;
//! - `isn:pending` links to article graphs written but not counted yet, and
//!   an `owl:versionInfo` marker once the summary covers the store.
//!
//! The summary uses predicates of its own only, so that queries over the
//! union of all graphs (`?e rdfs:label ?l`, `?x a isn:Country`) see the
//! articles alone.
//!
//! Architecture invariant: this module reads article graphs as quads and
//! computes tallies; it never looks at text or extraction, and only the
//! store writes what it computes. Counts are kept in step by the store in
//! the same transaction as the articles (replacements), or, for new
//! articles, by a count after their bulk load (every few thousand articles
//! and at the end of an ingest), with `isn:pending` marks loaded with the
//! articles so that a crash before the count is repaired on the next open.

use crate::rdf::vocab::{self, term};
use oxigraph::model::{
    GraphNameRef, Literal, LiteralRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, QuadRef,
    TermRef,
};
use rustc_hash::FxHashMap as HashMap;
use spargebra::GraphUpdateOperation;
use std::collections::BTreeSet;

use term::{
    ALIAS, ALIAS_OF, ARTICLE_COUNT, MENTION_COUNT, OUTLET, PENDING, TALLY_CLASS, TALLY_LABEL,
    VERSION_INFO,
};
use vocab::ALIAS_NS;

/// The marker value of a summary that covers every article graph.
pub const VERSION: &str = "isnad-summary-2";

pub fn graph() -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked(vocab::SUMMARY_GRAPH)
}

/// Whether a graph is an article's (minted by the mapping).
pub fn is_article_graph(iri: &str) -> bool {
    iri.strip_prefix(vocab::ID)
        .is_some_and(|rest| rest.starts_with("article/"))
}

/// Mentions and articles, signed: a delta or a total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Counts {
    mentions: i64,
    articles: i64,
}

#[derive(Debug, Default)]
struct EntityTally {
    counts: Counts,
    /// The Arabic label and classes of the latest article added, if any.
    label: Option<String>,
    classes: Option<BTreeSet<String>>,
    /// The same, as the latest article taken out stated them: a replaced
    /// article that says the same again changes nothing.
    removed: Option<(Option<String>, BTreeSet<String>)>,
}

/// (entity, alias, outlet)
type AliasKey = (String, String, Option<String>);

/// Changes to the summary, summed over article graphs added (+) and
/// removed (−).
#[derive(Debug, Default)]
pub struct Tally {
    entities: HashMap<String, EntityTally>,
    aliases: HashMap<AliasKey, Counts>,
}

impl Tally {
    /// Adds another tally to this one (its labels and classes win).
    pub fn merge(&mut self, other: Tally) {
        for (e, t) in other.entities {
            let mine = self.entities.entry(e).or_default();
            mine.counts = add(mine.counts, t.counts);
            if t.classes.is_some() {
                mine.label = t.label;
                mine.classes = t.classes;
            }
            if t.removed.is_some() {
                mine.removed = t.removed;
            }
        }
        for (k, c) in other.aliases {
            let mine = self.aliases.entry(k).or_default();
            *mine = add(*mine, c);
        }
    }

    /// The predicates a tally looks at.
    pub const PREDICATES: [&'static str; 5] = [
        term::TA_IDENT_REF,
        term::ANCHOR_OF,
        term::PUBLISHER,
        term::RDFS_LABEL,
        term::RDF_TYPE,
    ];

    /// Whether a tally looks at quads with this predicate.
    pub fn reads(p: NamedNodeRef<'_>) -> bool {
        Self::PREDICATES.contains(&p.as_str())
    }

    /// Counts one article graph's quads in (`sign` 1) or out (`sign` −1).
    pub fn add_graph<'a>(&mut self, quads: impl IntoIterator<Item = QuadRef<'a>>, sign: i64) {
        let mut refs: HashMap<&str, &str> = HashMap::default();
        let mut anchors: HashMap<&str, &str> = HashMap::default();
        let mut labels: HashMap<&str, &str> = HashMap::default();
        let mut classes: HashMap<&str, BTreeSet<String>> = HashMap::default();
        let mut publisher = None;
        for q in quads {
            let NamedOrBlankNodeRef::NamedNode(s) = q.subject else {
                continue;
            };
            let (s, p) = (s.as_str(), q.predicate.as_str());
            match (p, q.object) {
                (term::TA_IDENT_REF, TermRef::NamedNode(e)) => {
                    refs.insert(s, e.as_str());
                }
                (term::ANCHOR_OF, TermRef::Literal(l)) => {
                    anchors.insert(s, l.value());
                }
                (term::PUBLISHER, TermRef::Literal(l)) if is_article_graph(s) => {
                    publisher = Some(l.value());
                }
                (term::RDFS_LABEL, TermRef::Literal(l)) if l.language() == Some("ar") => {
                    labels.insert(s, l.value());
                }
                (term::RDF_TYPE, TermRef::NamedNode(c)) if c.as_str().starts_with(vocab::ISN) => {
                    classes.entry(s).or_default().insert(c.as_str().to_string());
                }
                _ => {}
            }
        }
        let mut per_entity: HashMap<&str, i64> = HashMap::default();
        let mut per_alias: HashMap<(&str, &str), i64> = HashMap::default();
        for (m, e) in &refs {
            *per_entity.entry(e).or_default() += 1;
            if let Some(a) = anchors.get(m) {
                *per_alias.entry((e, a)).or_default() += 1;
            }
        }
        for (e, n) in per_entity {
            let t = self.entities.entry(e.to_string()).or_default();
            t.counts.mentions += sign * n;
            t.counts.articles += sign;
            let label = labels.get(e).map(|l| l.to_string());
            let cls = classes.remove(e).unwrap_or_default();
            if sign > 0 {
                t.label = label;
                t.classes = Some(cls);
            } else {
                t.removed = Some((label, cls));
            }
        }
        for ((e, a), n) in per_alias {
            let key = (e.to_string(), a.to_string(), publisher.map(str::to_string));
            let c = self.aliases.entry(key).or_default();
            c.mentions += sign * n;
            c.articles += sign;
        }
    }

    /// What to remove from and insert into the summary graph to apply this
    /// tally, given `current`: the summary's quads about a subject.
    pub fn changes<E>(
        &self,
        mut current: impl FnMut(NamedNodeRef<'_>) -> Result<Vec<Quad>, E>,
    ) -> Result<(Vec<Quad>, Vec<Quad>), E> {
        let g = graph();
        let (mut removals, mut insertions) = (Vec::new(), Vec::new());
        let mut diff = |now: Vec<Quad>, wanted: Vec<Quad>| {
            for q in &now {
                if !wanted.contains(q) {
                    removals.push(q.clone());
                }
            }
            for q in wanted {
                if !now.contains(&q) {
                    insertions.push(q);
                }
            }
        };
        for (e, t) in &self.entities {
            let restated = match (&t.classes, &t.removed) {
                (Some(c), Some((l, rc))) => c == rc && t.label == *l,
                (None, _) => t.label.is_none(),
                _ => false,
            };
            if t.counts == Counts::default() && restated {
                continue;
            }
            let subject = NamedNode::new_unchecked(e.as_str());
            let now = current(subject.as_ref())?;
            let total = add(counts_of(&now), t.counts);
            let mut wanted = Vec::new();
            if total.articles > 0 {
                push_counts(&mut wanted, subject.as_ref(), total);
                let label = t.label.as_deref().map(Some).unwrap_or_else(|| {
                    now.iter().find_map(|q| match (&q.predicate, &q.object) {
                        (p, oxigraph::model::Term::Literal(l)) if p.as_str() == TALLY_LABEL => {
                            Some(l.value())
                        }
                        _ => None,
                    })
                });
                if let Some(l) = label {
                    wanted.push(Quad::new(
                        subject.clone(),
                        NamedNode::new_unchecked(TALLY_LABEL),
                        Literal::new_language_tagged_literal_unchecked(l, "ar"),
                        g,
                    ));
                }
                match &t.classes {
                    Some(classes) => {
                        for c in classes {
                            wanted.push(Quad::new(
                                subject.clone(),
                                NamedNode::new_unchecked(TALLY_CLASS),
                                NamedNode::new_unchecked(c.as_str()),
                                g,
                            ));
                        }
                    }
                    None => wanted.extend(
                        now.iter()
                            .filter(|q| q.predicate.as_str() == TALLY_CLASS)
                            .cloned(),
                    ),
                }
            }
            diff(now, wanted);
        }
        for ((e, alias, publisher), delta) in &self.aliases {
            if *delta == Counts::default() {
                continue;
            }
            let subject = alias_iri(e, alias, publisher.as_deref());
            let now = current(subject.as_ref())?;
            let total = add(counts_of(&now), *delta);
            let mut wanted = Vec::new();
            if total.articles > 0 {
                push_counts(&mut wanted, subject.as_ref(), total);
                let q = |p: &str, o: TermRef<'_>| {
                    QuadRef::new(subject.as_ref(), NamedNodeRef::new_unchecked(p), o, g)
                        .into_owned()
                };
                wanted.push(q(ALIAS_OF, NamedNodeRef::new_unchecked(e).into()));
                wanted.push(q(ALIAS, LiteralRef::new_simple_literal(alias).into()));
                if let Some(p) = publisher {
                    wanted.push(q(OUTLET, LiteralRef::new_simple_literal(p).into()));
                }
            }
            diff(now, wanted);
        }
        Ok((removals, insertions))
    }
}

fn add(a: Counts, b: Counts) -> Counts {
    Counts {
        mentions: a.mentions + b.mentions,
        articles: a.articles + b.articles,
    }
}

fn counts_of(quads: &[Quad]) -> Counts {
    let mut c = Counts::default();
    for q in quads {
        if let oxigraph::model::Term::Literal(l) = &q.object {
            let n = l.value().parse().unwrap_or(0);
            match q.predicate.as_str() {
                ARTICLE_COUNT => c.articles = n,
                MENTION_COUNT => c.mentions = n,
                _ => {}
            }
        }
    }
    c
}

fn push_counts(out: &mut Vec<Quad>, s: NamedNodeRef<'_>, c: Counts) {
    let int =
        |n: i64| Literal::new_typed_literal(n.to_string(), oxigraph::model::vocab::xsd::INTEGER);
    for (p, n) in [(ARTICLE_COUNT, c.articles), (MENTION_COUNT, c.mentions)] {
        out.push(Quad::new(
            s,
            NamedNodeRef::new_unchecked(p),
            int(n),
            graph(),
        ));
    }
}

/// The tally of one (entity, alias, outlet): a stable IRI.
pub fn alias_iri(entity: &str, alias: &str, publisher: Option<&str>) -> NamedNode {
    let basis = format!("{entity}\n{alias}\n{}", publisher.unwrap_or(""));
    NamedNode::new_unchecked(format!("{ALIAS_NS}{}", crate::rdf::hash16(&basis)))
}

/// `summary isn:pending <article>`: bulk-loaded with the article, removed
/// when it is counted.
pub fn pending(article: NamedNodeRef<'_>) -> QuadRef<'_> {
    QuadRef::new(
        graph(),
        NamedNodeRef::new_unchecked(PENDING),
        article,
        GraphNameRef::NamedNode(graph()),
    )
}

/// Whether a SPARQL update may change what the summary counts: quads with
/// a predicate it reads ([`Tally::reads`]) in an article graph. Unknown
/// graphs or predicates (variables, `CLEAR ALL`, `LOAD`) count as a change.
pub fn update_may_change_tallies(update: &spargebra::Update) -> bool {
    update_touches(update, Tally::reads)
}

/// Whether a SPARQL update may change quads of article graphs with a
/// predicate `reads` accepts (unknown graphs or predicates count as yes).
pub fn update_touches(
    update: &spargebra::Update,
    reads: impl Fn(NamedNodeRef<'_>) -> bool,
) -> bool {
    use spargebra::algebra::GraphTarget;
    use spargebra::term::{GraphName, GraphNamePattern, NamedNodePattern};
    let graph =
        |g: &GraphName| matches!(g, GraphName::NamedNode(n) if is_article_graph(n.as_str()));
    let read = |p: &oxigraph::model::NamedNode| reads(p.as_ref());
    let pattern = |g: &GraphNamePattern, p: &NamedNodePattern| {
        let g = match g {
            GraphNamePattern::NamedNode(n) => is_article_graph(n.as_str()),
            GraphNamePattern::DefaultGraph => false,
            GraphNamePattern::Variable(_) => true,
        };
        g && match p {
            NamedNodePattern::NamedNode(p) => read(p),
            NamedNodePattern::Variable(_) => true,
        }
    };
    update.operations.iter().any(|op| match op {
        GraphUpdateOperation::InsertData { data } => data
            .iter()
            .any(|q| graph(&q.graph_name) && read(&q.predicate)),
        GraphUpdateOperation::DeleteData { data } => data
            .iter()
            .any(|q| graph(&q.graph_name) && read(&q.predicate)),
        GraphUpdateOperation::DeleteInsert { delete, insert, .. } => {
            delete.iter().any(|q| pattern(&q.graph_name, &q.predicate))
                || insert.iter().any(|q| pattern(&q.graph_name, &q.predicate))
        }
        GraphUpdateOperation::Load { destination, .. } => graph(destination),
        GraphUpdateOperation::Clear { graph: g, .. }
        | GraphUpdateOperation::Drop { graph: g, .. } => match g {
            GraphTarget::NamedNode(n) => is_article_graph(n.as_str()),
            GraphTarget::DefaultGraph => false,
            GraphTarget::NamedGraphs | GraphTarget::AllGraphs => true,
        },
        GraphUpdateOperation::Create { .. } => false,
    })
}

/// The marker of a summary that covers the store.
pub fn version_marker() -> Quad {
    Quad::new(
        graph(),
        NamedNodeRef::new_unchecked(VERSION_INFO),
        Literal::new_simple_literal(VERSION),
        graph(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(n: u32, publisher: Option<&str>, mentions: &[(&str, &str)]) -> Vec<Quad> {
        let art = NamedNode::new_unchecked(format!("{}article/{n}", vocab::ID));
        let g = art.clone();
        let mut out = Vec::new();
        let mut q = |s: &NamedNode, p: &str, o: oxigraph::model::Term| {
            out.push(Quad::new(
                s.clone(),
                NamedNode::new_unchecked(p),
                o,
                g.clone(),
            ))
        };
        if let Some(p) = publisher {
            q(&art, term::PUBLISHER, Literal::new_simple_literal(p).into());
        }
        for (i, (e, anchor)) in mentions.iter().enumerate() {
            let m = NamedNode::new_unchecked(format!("{}/mention/{i}", art.as_str()));
            let e = NamedNode::new_unchecked(format!("{}{e}", vocab::ID));
            q(&m, term::TA_IDENT_REF, e.clone().into());
            q(
                &m,
                term::ANCHOR_OF,
                Literal::new_simple_literal(*anchor).into(),
            );
            q(
                &e,
                term::RDF_TYPE,
                NamedNode::new_unchecked(vocab::isn("Country")).into(),
            );
            q(
                &e,
                term::RDFS_LABEL,
                Literal::new_language_tagged_literal_unchecked("إسرائيل", "ar").into(),
            );
        }
        out
    }

    /// Applies a tally to an in-memory summary, as the store does.
    fn apply(summary: &mut Vec<Quad>, t: &Tally) {
        let (removals, insertions) = t
            .changes(|s| -> Result<Vec<Quad>, ()> {
                Ok(summary
                    .iter()
                .filter(|q| matches!(&q.subject, oxigraph::model::NamedOrBlankNode::NamedNode(n) if n.as_ref() == s))
                .cloned()
                .collect())
            })
            .unwrap();
        summary.retain(|q| !removals.contains(q));
        summary.extend(insertions);
    }

    fn value(summary: &[Quad], s: &str, p: &str) -> Option<String> {
        summary.iter().find_map(|q| match (&q.subject, &q.object) {
            (
                oxigraph::model::NamedOrBlankNode::NamedNode(n),
                oxigraph::model::Term::Literal(l),
            ) if n.as_str() == s && q.predicate.as_str() == p => Some(l.value().to_string()),
            _ => None,
        })
    }

    #[test]
    fn counts_add_up_over_articles_and_come_off_when_an_article_goes() {
        let il = format!("{}country/IL", vocab::ID);
        let a1 = article(
            1,
            Some("المنار"),
            &[("country/IL", "الكيان الصهيوني"), ("country/IL", "إسرائيل")],
        );
        let a2 = article(2, Some("الجزيرة"), &[("country/IL", "إسرائيل")]);
        let mut summary = Vec::new();
        let mut t = Tally::default();
        t.add_graph(a1.iter().map(Quad::as_ref), 1);
        t.add_graph(a2.iter().map(Quad::as_ref), 1);
        apply(&mut summary, &t);
        assert_eq!(value(&summary, &il, ARTICLE_COUNT).as_deref(), Some("2"));
        assert_eq!(value(&summary, &il, MENTION_COUNT).as_deref(), Some("3"));
        assert_eq!(
            value(&summary, &il, TALLY_LABEL).as_deref(),
            Some("إسرائيل")
        );
        let framing = alias_iri(&il, "الكيان الصهيوني", Some("المنار"));
        assert_eq!(
            value(&summary, framing.as_str(), MENTION_COUNT).as_deref(),
            Some("1")
        );
        assert_eq!(
            value(&summary, framing.as_str(), OUTLET).as_deref(),
            Some("المنار")
        );

        // Article 1 is replaced by a version without the framing name.
        let a1b = article(1, Some("المنار"), &[("country/IL", "إسرائيل")]);
        let mut t = Tally::default();
        t.add_graph(a1.iter().map(Quad::as_ref), -1);
        t.add_graph(a1b.iter().map(Quad::as_ref), 1);
        apply(&mut summary, &t);
        assert_eq!(value(&summary, &il, ARTICLE_COUNT).as_deref(), Some("2"));
        assert_eq!(value(&summary, &il, MENTION_COUNT).as_deref(), Some("2"));
        assert!(
            summary
                .iter()
                .all(|q| q.subject.to_string() != framing.to_string()),
            "an alias no article uses any more leaves no tally"
        );

        // Every article goes: nothing is left.
        let mut t = Tally::default();
        t.add_graph(a1b.iter().map(Quad::as_ref), -1);
        t.add_graph(a2.iter().map(Quad::as_ref), -1);
        apply(&mut summary, &t);
        assert!(summary.is_empty(), "{summary:?}");
    }

    #[test]
    fn only_updates_that_can_touch_counted_quads_of_articles_outdate_the_summary() {
        let changes = |u: &str| {
            let u = spargebra::SparqlParser::new()
                .with_prefix("itsrdf", vocab::ITSRDF)
                .unwrap()
                .with_prefix("ex", "https://example.org/")
                .unwrap()
                .parse_update(u)
                .unwrap();
            update_may_change_tallies(&u)
        };
        let article = format!("<{}article/0a1b>", vocab::ID);
        assert!(changes(
            "DELETE WHERE { GRAPH ?g { ?m itsrdf:taIdentRef ?e } }"
        ));
        assert!(changes(&format!("DELETE {{ GRAPH {article} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {article} {{ ?s ?p ?o }} }}")));
        assert!(changes(&format!(
            "INSERT DATA {{ GRAPH {article} {{ ex:m itsrdf:taIdentRef ex:e }} }}"
        )));
        assert!(changes(&format!("DROP GRAPH {article}")));
        assert!(changes("CLEAR ALL"));
        assert!(!changes(
            "INSERT DATA { GRAPH ex:notes { ex:m itsrdf:taIdentRef ex:e } }"
        ));
        assert!(!changes(&format!(
            "INSERT DATA {{ GRAPH {article} {{ ex:claim ex:checked true }} }}"
        )));
        assert!(!changes("INSERT DATA { ex:a ex:b ex:c }"));
        assert!(!changes("CLEAR DEFAULT"));
        assert!(!changes("DROP GRAPH ex:notes"));
    }
}
