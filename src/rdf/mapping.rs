//! Articles and annotations → quads in the article's own named graph.

use super::lines;
use super::vocab::{self, term};
use crate::article::Article;
use crate::extract::Annotations;
use crate::reference::Class;
use oxigraph::model::{LiteralRef, NamedNode, NamedNodeRef, Quad, QuadRef, TermRef};
use sha2::{Digest, Sha256};

/// An article's graph: its IRI (also the graph name) and its quads.
#[derive(Debug, Clone)]
pub struct ArticleGraph {
    pub iri: NamedNode,
    pub quads: Vec<Quad>,
}

/// A stable short hash (16 hex digits of SHA-256) for minted IRIs.
pub fn hash16(s: &str) -> String {
    let d = Sha256::digest(s.as_bytes());
    d.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The article's stable IRI: from its URL, else its id, else a hash of its
/// normalised content (title, date, body with whitespace squashed).
pub fn article_iri(a: &Article) -> NamedNode {
    let basis = if let Some(u) = &a.url {
        format!("url:{}", u.trim())
    } else if let Some(id) = &a.id {
        format!("id:{}", id.trim())
    } else {
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        format!(
            "content:{}\n{}\n{}",
            squash(a.title.as_deref().unwrap_or("")),
            a.date.map(|d| d.to_string()).unwrap_or_default(),
            squash(&a.body)
        )
    };
    NamedNode::new_unchecked(format!("{}article/{}", vocab::ID, hash16(&basis)))
}

/// The IRI of an entity from its id path (`country/IR`).
pub fn entity_iri(id: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{}{}", vocab::ID, id))
}

/// Where the mapping puts its quads: owned [`Quad`]s for the store, or
/// N-Quads/N-Triples lines for `isnad extract`, with no `Quad` in between.
pub trait QuadSink {
    fn quad(&mut self, q: QuadRef<'_>);
}

/// Owned quads, repeats dropped (the first of each kept).
#[derive(Default)]
struct QuadVec {
    quads: Vec<Quad>,
}

impl QuadSink for QuadVec {
    fn quad(&mut self, q: QuadRef<'_>) {
        self.quads.push(q.into_owned());
    }
}

impl QuadVec {
    fn into_unique(mut self) -> Vec<Quad> {
        let keep: Vec<bool> = {
            let mut seen = rustc_hash::FxHashSet::default();
            seen.reserve(self.quads.len());
            self.quads.iter().map(|q| seen.insert(q.as_ref())).collect()
        };
        let mut keep = keep.into_iter();
        self.quads.retain(|_| keep.next().unwrap_or(true));
        self.quads
    }
}

/// N-Quads (or N-Triples) lines in a byte buffer, repeated lines dropped
/// (the first of each kept), in the order they were made.
pub struct LineSink {
    pub bytes: Vec<u8>,
    with_graph: bool,
    /// Line hash → where the first line with that hash starts.
    seen: rustc_hash::FxHashMap<u64, Vec<usize>>,
}

impl LineSink {
    /// N-Quads when `with_graph`, else N-Triples.
    pub fn new(with_graph: bool) -> Self {
        LineSink {
            bytes: Vec::with_capacity(64 << 10),
            with_graph,
            seen: Default::default(),
        }
    }
}

impl QuadSink for LineSink {
    fn quad(&mut self, q: QuadRef<'_>) {
        use std::hash::BuildHasher;
        let start = self.bytes.len();
        if self.with_graph {
            lines::push_nquad(&mut self.bytes, q);
        } else {
            lines::push_ntriple(&mut self.bytes, q);
        }
        let line = &self.bytes[start..];
        let h = rustc_hash::FxBuildHasher.hash_one(line);
        let starts = self.seen.entry(h).or_default();
        let bytes = &self.bytes;
        // Lines hold no raw newline, so equal bytes from a line's start
        // are the same line.
        let repeat = starts
            .iter()
            .any(|&s| bytes.get(s..s + line.len()) == Some(line));
        if repeat {
            self.bytes.truncate(start);
        } else {
            starts.push(start);
        }
    }
}

fn nn(iri: &str) -> NamedNodeRef<'_> {
    NamedNodeRef::new_unchecked(iri)
}

/// Writes the quads of one graph into a sink.
struct Mapper<'g, S> {
    graph: NamedNodeRef<'g>,
    sink: &'g mut S,
}

impl<S: QuadSink> Mapper<'_, S> {
    fn add<'a>(&mut self, s: NamedNodeRef<'_>, p: &str, o: impl Into<TermRef<'a>>) {
        self.sink.quad(QuadRef::new(s, nn(p), o.into(), self.graph));
    }
    fn str(&mut self, s: NamedNodeRef<'_>, p: &str, v: &str) {
        self.add(s, p, LiteralRef::new_simple_literal(v));
    }
    fn lang(&mut self, s: NamedNodeRef<'_>, p: &str, v: &str, lang: &str) {
        self.add(
            s,
            p,
            LiteralRef::new_language_tagged_literal_unchecked(v, lang),
        );
    }
    fn typed(&mut self, s: NamedNodeRef<'_>, p: &str, v: &str, dt: &str) {
        self.add(s, p, LiteralRef::new_typed_literal(v, nn(dt)));
    }
    fn date(&mut self, s: NamedNodeRef<'_>, p: &str, d: impl std::fmt::Display) {
        self.typed(s, p, &d.to_string(), term::XSD_DATE);
    }
    /// `nif:beginIndex` / `nif:endIndex`: code points into the body.
    fn span(&mut self, s: NamedNodeRef<'_>, begin: usize, end: usize) {
        let mut buf = itoa::Buffer::new();
        self.typed(
            s,
            term::BEGIN_INDEX,
            buf.format(begin),
            term::XSD_NON_NEGATIVE_INTEGER,
        );
        self.typed(
            s,
            term::END_INDEX,
            buf.format(end),
            term::XSD_NON_NEGATIVE_INTEGER,
        );
    }
    fn class(&mut self, s: NamedNodeRef<'_>, local: &str) {
        self.add(s, term::RDF_TYPE, nn(&vocab::isn(local)));
    }
}

/// Maps an article and what was extracted from it to quads.
pub fn article_quads(a: &Article, ann: &Annotations) -> ArticleGraph {
    let art = article_iri(a);
    let mut sink = QuadVec::default();
    map_article(a, ann, art.as_ref(), &mut sink);
    ArticleGraph {
        iri: art,
        quads: sink.into_unique(),
    }
}

/// Maps an article and what was extracted from it straight to N-Quads (or,
/// without `with_graph`, N-Triples) lines: the same statements, in the same
/// order, as [`article_quads`] serialised.
pub fn article_lines(a: &Article, ann: &Annotations, with_graph: bool) -> Vec<u8> {
    let art = article_iri(a);
    let mut sink = LineSink::new(with_graph);
    map_article(a, ann, art.as_ref(), &mut sink);
    sink.bytes
}

/// The mapping itself, into any sink. Repeats (an entity mentioned twice
/// states its labels twice) are the sink's to drop.
pub fn map_article(
    a: &Article,
    ann: &Annotations,
    art: NamedNodeRef<'_>,
    sink: &mut impl QuadSink,
) {
    let mut g = Mapper { graph: art, sink };

    // The article.
    g.add(art, term::RDF_TYPE, nn(term::ARTICLE));
    if let Some(t) = &a.title {
        g.str(art, term::HEADLINE, t);
    }
    if let Some(d) = a.date {
        g.date(art, term::DATE_PUBLISHED, d);
    }
    if let Some(s) = &a.section {
        g.str(art, term::ARTICLE_SECTION, s);
    }
    g.str(art, term::ARTICLE_BODY, &a.body);
    g.str(art, term::IN_LANGUAGE, "ar");
    if let Some(u) = &a.url {
        match NamedNode::new(u.trim()) {
            Ok(iri) => g.add(art, term::URL, iri.as_ref()),
            Err(_) => g.str(art, term::URL, u),
        }
    }
    if let Some(p) = &a.source {
        g.str(art, term::PUBLISHER, p);
    }
    if let Some(id) = &a.id {
        g.str(art, term::IDENTIFIER, id);
    }
    g.str(art, term::SOURCE_FILE, &a.origin);

    // Entities.
    let entity_iris: Vec<NamedNode> = ann.entities.iter().map(|e| entity_iri(&e.id)).collect();
    for (e, iri) in ann.entities.iter().zip(&entity_iris) {
        let iri = iri.as_ref();
        g.class(iri, e.class.local_name());
        match e.class {
            Class::City | Class::Region => g.class(iri, "Place"),
            Class::AnonymousSource => g.class(iri, "Actor"),
            _ => {}
        }
        g.lang(iri, term::RDFS_LABEL, &e.label_ar, "ar");
        if let Some(en) = &e.label_en {
            g.lang(iri, term::RDFS_LABEL, en, "en");
        }
        for alt in &e.alt_labels {
            if *alt != e.label_ar {
                g.lang(iri, term::SKOS_ALT_LABEL, alt, "ar");
            }
        }
        if let Some(c) = &e.country {
            if e.class == Class::Country {
                g.str(iri, term::COUNTRY_CODE, c);
            } else {
                let country = entity_iri(&format!("country/{c}"));
                g.add(iri, term::COUNTRY_OF, country.as_ref());
            }
        }
        for (position, _) in &e.positions {
            g.str(iri, term::HOLDS_POSITION, position);
        }
        g.add(iri, term::MENTIONED_IN, art);
    }
    let entity = |i: usize| entity_iris[i].as_ref();

    // Mentions.
    let mut iri = String::new();
    let minted = |iri: &mut String, kind: &str, a: usize, b: Option<usize>| {
        use std::fmt::Write;
        iri.clear();
        let _ = match b {
            Some(b) => write!(iri, "{}/{kind}/{a}-{b}", art.as_str()),
            None => write!(iri, "{}/{kind}/{a}", art.as_str()),
        };
    };
    for m in &ann.mentions {
        minted(&mut iri, "mention", m.begin, Some(m.end));
        let s = nn(&iri);
        g.add(s, term::RDF_TYPE, nn(term::MENTION));
        g.str(s, term::ANCHOR_OF, &m.anchor);
        g.span(s, m.begin, m.end);
        g.add(s, term::REFERENCE_CONTEXT, art);
        g.add(s, term::TA_IDENT_REF, entity(m.entity));
        g.str(s, term::MENTION_KIND, m.kind.as_str());
    }

    // Claims.
    let mut other = String::new();
    for (i, c) in ann.claims.iter().enumerate() {
        minted(&mut iri, "claim", i + 1, None);
        let s = nn(&iri);
        g.add(s, term::RDF_TYPE, nn(term::CLAIM));
        for &x in &c.speakers {
            g.add(s, term::SPEAKER, entity(x));
        }
        g.str(s, term::TEXT, &c.text);
        g.add(
            s,
            term::QUOTE_KIND,
            nn(if c.direct {
                term::DIRECT_QUOTE
            } else {
                term::INDIRECT_QUOTE
            }),
        );
        g.str(s, term::REPORTING_VERB, &c.verb);
        g.add(s, term::SPEECH_ACT, nn(&vocab::isn(&capitalise(&c.act))));
        for &x in &c.about {
            g.add(s, term::ABOUT, entity(x));
        }
        g.add(s, term::STATED_IN, art);
        if let Some(d) = c.date {
            g.date(s, term::DATE, d);
        }
        for &r in &c.reported_by {
            g.add(s, term::REPORTED_BY, entity(r));
        }
        if let Some(o) = c.within {
            minted(&mut other, "claim", o + 1, None);
            g.add(s, term::PART_OF_CLAIM, nn(&other));
        }
        g.span(s, c.begin, c.end);
    }

    // Events.
    for (i, e) in ann.events.iter().enumerate() {
        minted(&mut iri, "event", i + 1, None);
        let s = nn(&iri);
        g.add(s, term::RDF_TYPE, nn(term::EVENT));
        g.class(s, &e.class);
        for (p, list) in [
            (term::AGENT, &e.agents),
            (term::TARGET, &e.targets),
            (term::PARTICIPANT, &e.participants),
            (term::EVENT_PLACE, &e.places),
        ] {
            for &x in list {
                g.add(s, p, entity(x));
            }
        }
        if let Some(d) = e.date {
            g.date(s, term::DATE, d);
        }
        g.str(s, term::CAMEO_CODE, &e.cameo);
        g.str(s, term::TRIGGER, &e.trigger);
        g.add(s, term::REPORTED_IN, art);
        if let Some(c) = e.reported_by {
            minted(&mut other, "claim", c + 1, None);
            g.add(s, term::REPORTED_BY, nn(&other));
        }
        g.span(s, e.begin, e.end);
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{extract, Knowledge};
    use crate::reference::Reference;

    /// The bundled sample article, whose entities are mentioned many times.
    fn articles() -> Vec<Article> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        crate::article::expand_paths(&[dir])
            .into_iter()
            .flatten()
            .flat_map(|p| crate::article::read_path(&p))
            .flatten()
            .collect()
    }

    #[test]
    fn lines_are_the_quads_serialised_with_repeats_dropped_once() {
        let k = Knowledge::new(Reference::bundled().unwrap());
        let articles = articles();
        assert!(!articles.is_empty());
        for a in &articles {
            let ann = extract(a, &k);
            let g = article_quads(a, &ann);
            for with_graph in [true, false] {
                let mut expected = Vec::new();
                for q in &g.quads {
                    if with_graph {
                        lines::push_nquad(&mut expected, q.as_ref());
                    } else {
                        lines::push_ntriple(&mut expected, q.as_ref());
                    }
                }
                let got = article_lines(a, &ann, with_graph);
                assert_eq!(
                    String::from_utf8(got).unwrap(),
                    String::from_utf8(expected).unwrap()
                );
            }
        }
    }

    #[test]
    fn a_line_sink_keeps_the_first_of_each_line() {
        let s = NamedNodeRef::new_unchecked("https://example.org/s");
        let p = NamedNodeRef::new_unchecked("https://example.org/p");
        let g = NamedNodeRef::new_unchecked("https://example.org/g");
        let mut sink = LineSink::new(true);
        for o in ["a", "b", "a", "ab", "b", "a"] {
            sink.quad(QuadRef::new(s, p, LiteralRef::new_simple_literal(o), g));
        }
        let text = String::from_utf8(sink.bytes).unwrap();
        let objects: Vec<&str> = text.lines().map(|l| l.split('"').nth(1).unwrap()).collect();
        assert_eq!(objects, ["a", "b", "ab"]);
    }
}
