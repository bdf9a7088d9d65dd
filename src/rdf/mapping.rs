//! Articles and annotations → quads in the article's own named graph.

use super::vocab::{self, term};
use crate::article::Article;
use crate::extract::Annotations;
use crate::reference::Class;
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};
use sha2::{Digest, Sha256};

/// An article's graph: its IRI (also the graph name) and its quads.
#[derive(Debug, Clone)]
pub struct ArticleGraph {
    pub iri: NamedNode,
    pub quads: Vec<Quad>,
}

fn hash16(s: &str) -> String {
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

fn nn(iri: &str) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

struct Sink {
    graph: GraphName,
    quads: Vec<Quad>,
}

impl Sink {
    fn add(&mut self, s: &NamedNode, p: &str, o: impl Into<Term>) {
        self.quads
            .push(Quad::new(s.clone(), nn(p), o.into(), self.graph.clone()));
    }
    fn str(&mut self, s: &NamedNode, p: &str, v: &str) {
        self.add(s, p, Literal::new_simple_literal(v));
    }
    fn lang(&mut self, s: &NamedNode, p: &str, v: &str, lang: &str) {
        self.add(
            s,
            p,
            Literal::new_language_tagged_literal_unchecked(v, lang),
        );
    }
    fn typed(&mut self, s: &NamedNode, p: &str, v: impl Into<String>, dt: &str) {
        self.add(s, p, Literal::new_typed_literal(v, nn(dt)));
    }
    /// `nif:beginIndex` / `nif:endIndex`: code points into the body.
    fn span(&mut self, s: &NamedNode, begin: usize, end: usize) {
        self.typed(
            s,
            term::BEGIN_INDEX,
            begin.to_string(),
            term::XSD_NON_NEGATIVE_INTEGER,
        );
        self.typed(
            s,
            term::END_INDEX,
            end.to_string(),
            term::XSD_NON_NEGATIVE_INTEGER,
        );
    }
    fn class(&mut self, s: &NamedNode, local: &str) {
        self.add(s, term::RDF_TYPE, nn(&vocab::isn(local)));
    }
}

/// Maps an article and what was extracted from it to quads.
pub fn article_quads(a: &Article, ann: &Annotations) -> ArticleGraph {
    let art = article_iri(a);
    let mut g = Sink {
        graph: GraphName::NamedNode(art.clone()),
        quads: Vec::new(),
    };

    // The article.
    g.add(&art, term::RDF_TYPE, nn(term::ARTICLE));
    if let Some(t) = &a.title {
        g.str(&art, term::HEADLINE, t);
    }
    if let Some(d) = a.date {
        g.typed(&art, term::DATE_PUBLISHED, d.to_string(), term::XSD_DATE);
    }
    if let Some(s) = &a.section {
        g.str(&art, term::ARTICLE_SECTION, s);
    }
    g.str(&art, term::ARTICLE_BODY, &a.body);
    g.str(&art, term::IN_LANGUAGE, "ar");
    if let Some(u) = &a.url {
        match NamedNode::new(u.trim()) {
            Ok(iri) => g.add(&art, term::URL, iri),
            Err(_) => g.str(&art, term::URL, u),
        }
    }
    if let Some(p) = &a.source {
        g.str(&art, term::PUBLISHER, p);
    }
    if let Some(id) = &a.id {
        g.str(&art, term::IDENTIFIER, id);
    }
    g.str(&art, term::SOURCE_FILE, &a.origin);

    // Entities.
    let entity_iris: Vec<NamedNode> = ann.entities.iter().map(|e| entity_iri(&e.id)).collect();
    for (e, iri) in ann.entities.iter().zip(&entity_iris) {
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
                g.add(iri, term::COUNTRY_OF, entity_iri(&format!("country/{c}")));
            }
        }
        for (position, _) in &e.positions {
            g.str(iri, term::HOLDS_POSITION, position);
        }
        g.add(iri, term::MENTIONED_IN, art.clone());
    }

    // Mentions.
    for m in &ann.mentions {
        let iri = nn(&format!("{}/mention/{}-{}", art.as_str(), m.begin, m.end));
        g.add(&iri, term::RDF_TYPE, nn(term::MENTION));
        g.str(&iri, term::ANCHOR_OF, &m.anchor);
        g.span(&iri, m.begin, m.end);
        g.add(&iri, term::REFERENCE_CONTEXT, art.clone());
        g.add(&iri, term::TA_IDENT_REF, entity_iris[m.entity].clone());
        g.str(&iri, term::MENTION_KIND, m.kind.as_str());
    }

    // Claims.
    let claim_iri = |i: usize| nn(&format!("{}/claim/{}", art.as_str(), i + 1));
    for (i, c) in ann.claims.iter().enumerate() {
        let iri = claim_iri(i);
        g.add(&iri, term::RDF_TYPE, nn(term::CLAIM));
        for &s in &c.speakers {
            g.add(&iri, term::SPEAKER, entity_iris[s].clone());
        }
        g.str(&iri, term::TEXT, &c.text);
        g.add(
            &iri,
            term::QUOTE_KIND,
            nn(if c.direct {
                term::DIRECT_QUOTE
            } else {
                term::INDIRECT_QUOTE
            }),
        );
        g.str(&iri, term::REPORTING_VERB, &c.verb);
        g.add(&iri, term::SPEECH_ACT, nn(&vocab::isn(&capitalise(&c.act))));
        for &x in &c.about {
            g.add(&iri, term::ABOUT, entity_iris[x].clone());
        }
        g.add(&iri, term::STATED_IN, art.clone());
        if let Some(d) = c.date {
            g.typed(&iri, term::DATE, d.to_string(), term::XSD_DATE);
        }
        for &r in &c.reported_by {
            g.add(&iri, term::REPORTED_BY, entity_iris[r].clone());
        }
        if let Some(o) = c.within {
            g.add(&iri, term::PART_OF_CLAIM, claim_iri(o));
        }
        g.span(&iri, c.begin, c.end);
    }

    // Events.
    for (i, e) in ann.events.iter().enumerate() {
        let iri = nn(&format!("{}/event/{}", art.as_str(), i + 1));
        g.add(&iri, term::RDF_TYPE, nn(term::EVENT));
        g.class(&iri, &e.class);
        for (p, list) in [
            (term::AGENT, &e.agents),
            (term::TARGET, &e.targets),
            (term::PARTICIPANT, &e.participants),
            (term::EVENT_PLACE, &e.places),
        ] {
            for &x in list {
                g.add(&iri, p, entity_iris[x].clone());
            }
        }
        if let Some(d) = e.date {
            g.typed(&iri, term::DATE, d.to_string(), term::XSD_DATE);
        }
        g.str(&iri, term::CAMEO_CODE, &e.cameo);
        g.str(&iri, term::TRIGGER, &e.trigger);
        g.add(&iri, term::REPORTED_IN, art.clone());
        if let Some(c) = e.reported_by {
            g.add(&iri, term::REPORTED_BY, claim_iri(c));
        }
        g.span(&iri, e.begin, e.end);
    }

    // Drop repeats (an entity mentioned twice states its labels twice),
    // keeping the first of each: insertion order, no sort.
    let keep: Vec<bool> = {
        let mut seen = rustc_hash::FxHashSet::default();
        seen.reserve(g.quads.len());
        g.quads.iter().map(|q| seen.insert(q.as_ref())).collect()
    };
    let mut keep = keep.into_iter();
    g.quads.retain(|_| keep.next().unwrap_or(true));
    ArticleGraph {
        iri: art,
        quads: g.quads,
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
