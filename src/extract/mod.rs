//! Extraction: an article's text → plain annotations (entities with their
//! mentions, claims, events), all with offsets into the article body.
//!
//! Architecture invariant: no I/O and no RDF here. Input is an
//! [`Article`](crate::article::Article) and the compiled [`Knowledge`];
//! output is [`Annotations`]. The same input always gives the same output,
//! so extraction can run anywhere, in any order, on any number of machines.

mod claims;
mod context;
mod dates;
mod entities;
mod events;
mod knowledge;
mod sentences;

pub use dates::resolve_relative;
pub use knowledge::Knowledge;
pub use sentences::{sentences, Sentence};

use crate::article::Article;
use crate::reference::Class;
use chrono::NaiveDate;

/// An entity an article refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityInfo {
    /// Path under the instance namespace (`country/IR`, `person/trump`,
    /// `org/pk-mofa`, `actor/…` for minted ones).
    pub id: String,
    pub class: Class,
    pub label_ar: String,
    pub label_en: Option<String>,
    /// Other names the article used for it.
    pub alt_labels: Vec<String>,
    /// ISO code of the country it belongs to (its own for countries).
    pub country: Option<String>,
    /// Positions (key, of) it holds on the article's date, where known.
    pub positions: Vec<(String, String)>,
}

/// How a mention was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    /// A name from the reference data.
    Name,
    /// A short name, once the entity was named.
    Short,
    /// A title resolved to its holder on the article's date.
    Role,
    /// "نظيره الباكستاني": the counterpart of the other party.
    Counterpart,
    /// Found by a pattern (a title before an unknown name, جماعة + name…).
    Pattern,
    /// A nationality adjective standing for its country (الرئيس الإيراني).
    Nisba,
    /// A definite head noun standing for the organisation of that kind
    /// named last (الوزارة after وزارة الخارجية الإيرانية).
    Anaphor,
}

impl MentionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MentionKind::Name => "name",
            MentionKind::Short => "short",
            MentionKind::Role => "role",
            MentionKind::Counterpart => "counterpart",
            MentionKind::Pattern => "pattern",
            MentionKind::Nisba => "nisba",
            MentionKind::Anaphor => "anaphor",
        }
    }
}

/// A span of the body that names an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Index into [`Annotations::entities`].
    pub entity: usize,
    /// Code point offsets into the body, end exclusive.
    pub begin: usize,
    pub end: usize,
    pub anchor: String,
    pub kind: MentionKind,
}

/// Something an actor stated.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub speakers: Vec<usize>,
    pub text: String,
    pub begin: usize,
    pub end: usize,
    pub direct: bool,
    pub verb: String,
    /// Code point offsets of the reporting verb.
    pub verb_begin: usize,
    pub verb_end: usize,
    pub act: String,
    pub about: Vec<usize>,
    pub date: Option<NaiveDate>,
    pub reported_by: Vec<usize>,
    /// The claim this one is reported inside.
    pub within: Option<usize>,
}

/// Something that happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub class: String,
    pub cameo: String,
    pub trigger: String,
    pub begin: usize,
    pub end: usize,
    pub agents: Vec<usize>,
    pub targets: Vec<usize>,
    pub participants: Vec<usize>,
    pub places: Vec<usize>,
    pub date: Option<NaiveDate>,
    /// The claim it is known through, when only through one.
    pub reported_by: Option<usize>,
}

/// What extraction found in one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotations {
    pub entities: Vec<EntityInfo>,
    pub mentions: Vec<Mention>,
    pub claims: Vec<Claim>,
    pub events: Vec<Event>,
}

/// Extracts everything from one article.
pub fn extract(article: &Article, k: &Knowledge) -> Annotations {
    let doc = entities::recognise(article, k);
    let mut ann = doc.annotations;
    // The words, sentences and quotations are read once; events see the
    // claims too.
    let cx = context::Context::new(&doc.text, &ann, doc.toks);
    let (claims, unnamed) =
        claims::extract(article, k, &cx, &doc.scan, &doc.titled, &doc.person_titles);
    let layout = cx.into_layout();
    ann.claims = claims;
    let cx = if unnamed.is_empty() {
        context::Context::with_layout(&doc.text, &ann, layout)
    } else {
        entities::mint_holders(&doc.text, &mut ann, &unnamed);
        context::Context::new(&doc.text, &ann, layout.toks)
    };
    ann.events = events::extract(article, k, &cx, &doc.scan);
    ann
}
