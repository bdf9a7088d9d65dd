//! Stories and echoes: what lives between articles. A story is one
//! real-world happening (a strike, a call, a summit) as several articles
//! report it, each with its own event; an echo links two claims of one
//! speaker, worded much the same, in two articles.
//!
//! What it holds, in the graph `<https://w3id.org/isnad/stories>`:
//! - every story: `?s a isn:Story ; isn:event ?e1, ?e2 ; isn:eventClass ;
//!   isn:date ; isn:participant ; isn:place ; isn:articleCount ;
//!   isn:outletCount ; isn:firstReported ; isn:lastReported` — the events
//!   themselves stay in their articles' graphs, untouched;
//! - `?c1 isn:echoes ?c2` both ways between echoed claims;
//! - the look-up keys that let a new event meet the few stored events it
//!   could match: `?e isn:storyKey "family|day|entity"` for every event
//!   and `?c isn:echoKey "day|speaker"` for every claim;
//! - `isn:pending` marks of articles loaded but not matched yet, and an
//!   `owl:versionInfo` marker once the stories cover the store.
//!
//! Same happening (see [`matches`]): classes of one family
//! (`data/lexicon/story_classes.tsv`), at least one entity in common
//! (agent, target, participant or place, by IRI; anonymous sources never
//! count), the same day (an event's own date, resolved against its own
//! article's day; an undated event happened on its article's day or the
//! day before), places that agree (the same place, one inside the other's
//! country, or unknown), no two reports of one article, and no actor on
//! each side that the other does not know (the Iranian minister's call
//! with Pakistan is not his call with Turkey on the same day). Directed
//! classes also keep their doers apart: who struck whom.
//!
//! Architecture invariant: this module reads quads and decides; it never
//! looks at text or extraction and never writes. The store writes what it
//! decides, in the same transaction as replaced articles, or, for new
//! articles, after their bulk load, like the summary graph.

use crate::rdf::vocab::{self, term};
use chrono::{Days, NaiveDate};
use oxigraph::model::{
    GraphNameRef, Literal, LiteralRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, QuadRef,
    Term, TermRef,
};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// The marker value of a stories graph that covers every article graph.
pub const VERSION: &str = "isnad-stories-1";

/// Two claims echo each other when the Jaccard overlap of their content
/// word sets is at least this (measured on tests/fixtures/stories: the
/// same quote reworded by two outlets scores 0.5–0.9, two statements of
/// one minister on one day 0.0–0.2).
pub const ECHO_THRESHOLD: f64 = 0.5;

/// How many days apart two echoed claims may be said (or reported).
pub const ECHO_DAYS: u64 = 3;

/// At most this many stored events or claims are read under one key: a
/// key that busy (one entity, one day, hundreds of reports) says little,
/// and reading it all would make ingest quadratic.
pub const KEY_CAP: usize = 32;

/// A new event joins through its best few matches only.
const PARTNERS: usize = 8;

/// A story stops growing at this many events.
pub const MAX_STORY: usize = 128;

/// The class table, bundled.
const CLASSES_TSV: &str = include_str!("../data/lexicon/story_classes.tsv");

pub fn graph() -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked(vocab::STORIES_GRAPH)
}

fn g() -> GraphNameRef<'static> {
    GraphNameRef::NamedNode(graph())
}

fn nn(s: &str) -> NamedNodeRef<'_> {
    NamedNodeRef::new_unchecked(s)
}

/// (family, directed) of each event class, by local name.
fn classes() -> &'static HashMap<String, (String, bool)> {
    static T: OnceLock<HashMap<String, (String, bool)>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = HashMap::default();
        for line in CLASSES_TSV.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            if let [class, family, directed, ..] = cols[..] {
                t.insert(class.to_string(), (family.to_string(), directed == "yes"));
            }
        }
        t
    })
}

/// The family of an event class: classes the table does not know are a
/// family of their own.
fn family(class: &str) -> &str {
    classes().get(class).map_or(class, |(f, _)| f.as_str())
}

fn directed(class: &str) -> bool {
    classes().get(class).is_none_or(|(_, d)| *d)
}

/// What a story needs to know of one event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventFacts {
    pub iri: String,
    pub article: String,
    /// The event's sub-class, local name (`PhoneCall`).
    pub class: String,
    pub trigger: Option<String>,
    /// The event's own date, when the article fixes it.
    pub date: Option<NaiveDate>,
    /// Its article's publication day and publisher.
    pub published: Option<NaiveDate>,
    pub publisher: Option<String>,
    pub agents: Vec<String>,
    pub targets: Vec<String>,
    pub participants: Vec<String>,
    pub places: Vec<String>,
    /// The country of each entity above that is not a country itself, as
    /// its article states it.
    pub country_of: Vec<(String, String)>,
    /// The places above that are regions (a province, a strip, a sea).
    pub regions: Vec<String>,
    /// Every entity its article mentions, sorted: what the article knows
    /// of, beyond the event's own arguments.
    pub mentioned: std::sync::Arc<[String]>,
}

/// What an echo needs to know of one claim.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimFacts {
    pub iri: String,
    pub article: String,
    pub speakers: Vec<String>,
    /// When said, else the article's day.
    pub day: Option<NaiveDate>,
    /// Hashes of the content words, sorted, each once.
    pub words: Vec<u64>,
}

/// One article's events and claims.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleFacts {
    pub iri: String,
    pub events: Vec<EventFacts>,
    pub claims: Vec<ClaimFacts>,
}

/// The predicates stories read in article graphs: an update that touches
/// none of them in an article graph leaves the stories as they are.
pub const PREDICATES: [&str; 15] = [
    term::TA_IDENT_REF,
    term::RDF_TYPE,
    term::AGENT,
    term::TARGET,
    term::PARTICIPANT,
    term::EVENT_PLACE,
    term::DATE,
    term::TRIGGER,
    term::REPORTED_IN,
    term::DATE_PUBLISHED,
    term::PUBLISHER,
    term::COUNTRY_OF,
    term::SPEAKER,
    term::TEXT,
    term::STATED_IN,
];

pub fn reads(p: NamedNodeRef<'_>) -> bool {
    PREDICATES.contains(&p.as_str())
}

/// Whether a SPARQL update may change what stories read in article graphs.
pub fn update_may_change_stories(update: &spargebra::Update) -> bool {
    crate::summary::update_touches(update, reads)
}

fn date_of(t: TermRef<'_>) -> Option<NaiveDate> {
    match t {
        TermRef::Literal(l) => NaiveDate::parse_from_str(l.value(), "%Y-%m-%d").ok(),
        _ => None,
    }
}

fn is_country(iri: &str) -> bool {
    iri.strip_prefix(vocab::ID)
        .is_some_and(|r| r.starts_with("country/"))
}

/// Anonymous sources are local to their article: never a shared actor.
fn is_anonymous(iri: &str) -> bool {
    iri.strip_prefix(vocab::ID)
        .is_some_and(|r| r.starts_with("actor/"))
}

/// The article an event or claim IRI belongs to (`…/article/x/event/3`).
fn article_of(iri: &str) -> Option<&str> {
    let i = iri.rfind("/event/").or_else(|| iri.rfind("/claim/"))?;
    Some(&iri[..i])
}

impl ArticleFacts {
    /// Reads an article graph's quads (all of them, or at least those with
    /// a predicate in [`PREDICATES`]).
    pub fn from_quads<'a>(article: &str, quads: impl IntoIterator<Item = QuadRef<'a>>) -> Self {
        let mut about: HashMap<&'a str, Vec<(&'a str, TermRef<'a>)>> = HashMap::default();
        let (mut events, mut claims) = (Vec::new(), Vec::new());
        let (mut published, mut publisher) = (None, None);
        let mut country: HashMap<&'a str, &'a str> = HashMap::default();
        let mut regions: HashSet<&'a str> = HashSet::default();
        let mut mentioned: BTreeSet<&'a str> = BTreeSet::new();
        for q in quads {
            let oxigraph::model::NamedOrBlankNodeRef::NamedNode(s) = q.subject else {
                continue;
            };
            let (s, p) = (s.as_str(), q.predicate.as_str());
            match (p, q.object) {
                (term::RDF_TYPE, TermRef::NamedNode(c)) if c.as_str() == term::EVENT => {
                    events.push(s)
                }
                (term::RDF_TYPE, TermRef::NamedNode(c)) if c.as_str() == term::CLAIM => {
                    claims.push(s)
                }
                (term::DATE_PUBLISHED, o) if s == article => published = date_of(o),
                (term::PUBLISHER, TermRef::Literal(l)) if s == article => {
                    publisher = Some(l.value().to_string())
                }
                (term::COUNTRY_OF, TermRef::NamedNode(c)) => {
                    country.insert(s, c.as_str());
                }
                (term::RDF_TYPE, TermRef::NamedNode(c)) if c.as_str() == term::REGION => {
                    regions.insert(s);
                }
                (term::TA_IDENT_REF, TermRef::NamedNode(e)) => {
                    mentioned.insert(e.as_str());
                }
                _ => {}
            }
            if reads(q.predicate) {
                about.entry(s).or_default().push((p, q.object));
            }
        }
        events.sort();
        events.dedup();
        claims.sort();
        claims.dedup();
        let none = Vec::new();
        let mentioned: std::sync::Arc<[String]> =
            mentioned.into_iter().map(str::to_string).collect();
        let mut out = ArticleFacts {
            iri: article.to_string(),
            ..Default::default()
        };
        for e in events {
            let mut f = event_from(e, article, about.get(e).unwrap_or(&none));
            f.published = published;
            f.publisher.clone_from(&publisher);
            f.mentioned = mentioned.clone();
            f.country_of = entities(&f)
                .filter_map(|x| country.get(x).map(|c| (x.to_string(), c.to_string())))
                .collect();
            f.regions = f
                .places
                .iter()
                .filter(|x| regions.contains(x.as_str()))
                .cloned()
                .collect();
            out.events.push(f);
        }
        for c in claims {
            let mut f = claim_from(c, article, about.get(c).unwrap_or(&none));
            f.day = f.day.or(published);
            out.claims.push(f);
        }
        out
    }
}

/// An event's own quads (`s p o` with `s` the event) → its facts, without
/// what its article says (publication, publisher, countries).
fn event_from(iri: &str, article: &str, quads: &[(&str, TermRef<'_>)]) -> EventFacts {
    let mut f = EventFacts {
        iri: iri.to_string(),
        article: article.to_string(),
        class: String::new(),
        trigger: None,
        date: None,
        published: None,
        publisher: None,
        agents: Vec::new(),
        targets: Vec::new(),
        participants: Vec::new(),
        places: Vec::new(),
        country_of: Vec::new(),
        regions: Vec::new(),
        mentioned: std::sync::Arc::from(Vec::new()),
    };
    for (p, o) in quads {
        match (*p, o) {
            (term::RDF_TYPE, TermRef::NamedNode(c)) if c.as_str() != term::EVENT => {
                if let Some(local) = c.as_str().strip_prefix(vocab::ISN) {
                    if f.class.is_empty() || local < f.class.as_str() {
                        f.class = local.to_string();
                    }
                }
            }
            (term::DATE, o) => f.date = date_of(*o),
            (term::TRIGGER, TermRef::Literal(l)) => f.trigger = Some(l.value().to_string()),
            (term::AGENT, TermRef::NamedNode(x)) => f.agents.push(x.as_str().to_string()),
            (term::TARGET, TermRef::NamedNode(x)) => f.targets.push(x.as_str().to_string()),
            (term::PARTICIPANT, TermRef::NamedNode(x)) => {
                f.participants.push(x.as_str().to_string())
            }
            (term::EVENT_PLACE, TermRef::NamedNode(x)) => f.places.push(x.as_str().to_string()),
            _ => {}
        }
    }
    for v in [
        &mut f.agents,
        &mut f.targets,
        &mut f.participants,
        &mut f.places,
    ] {
        v.sort();
        v.dedup();
    }
    f
}

fn claim_from(iri: &str, article: &str, quads: &[(&str, TermRef<'_>)]) -> ClaimFacts {
    let mut f = ClaimFacts {
        iri: iri.to_string(),
        article: article.to_string(),
        speakers: Vec::new(),
        day: None,
        words: Vec::new(),
    };
    for (p, o) in quads {
        match (*p, o) {
            (term::SPEAKER, TermRef::NamedNode(x)) if !is_anonymous(x.as_str()) => {
                f.speakers.push(x.as_str().to_string())
            }
            (term::TEXT, TermRef::Literal(l)) => f.words = content_words(l.value()),
            (term::DATE, o) => f.day = date_of(*o),
            _ => {}
        }
    }
    f.speakers.sort();
    f.speakers.dedup();
    f
}

/// Every entity an event names (actors and places), anonymous sources left
/// out.
fn entities(e: &EventFacts) -> impl Iterator<Item = &str> {
    e.agents
        .iter()
        .chain(&e.targets)
        .chain(&e.participants)
        .chain(&e.places)
        .map(String::as_str)
        .filter(|x| !is_anonymous(x))
}

/// Words that carry no content of a statement.
const STOP_WORDS: &[&str] = &[
    "في",
    "من",
    "الي",
    "علي",
    "عن",
    "مع",
    "ان",
    "او",
    "ام",
    "ثم",
    "قد",
    "لقد",
    "كان",
    "كانت",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "التي",
    "الذي",
    "الذين",
    "ما",
    "لا",
    "لم",
    "لن",
    "ليس",
    "هو",
    "هي",
    "هم",
    "نحن",
    "انه",
    "انها",
    "كما",
    "بين",
    "حتي",
    "اذا",
    "بل",
    "كل",
    "غير",
    "عند",
    "منذ",
    "خلال",
    "بعد",
    "قبل",
    "اي",
    "وهو",
    "وهي",
    "فيه",
    "فيها",
    "به",
    "بها",
    "له",
    "لها",
    "الا",
    "اليوم",
    "امس",
];

/// A statement's content words, normalised (the matching form: no
/// diacritics, folded alef/ya/ta marbuta), the conjunction و and the
/// article ال taken off, stop words and words of one or two letters left
/// out; hashed, sorted, each once.
pub fn content_words(text: &str) -> Vec<u64> {
    use std::hash::BuildHasher;
    let norm = crate::text::key(text);
    let mut out: Vec<u64> = norm
        .split(|c: char| !crate::text::is_word_char(c))
        .filter_map(|w| {
            if STOP_WORDS.contains(&w) {
                return None;
            }
            let mut w = w;
            if w.chars().count() > 4 {
                w = w.strip_prefix('و').unwrap_or(w);
            }
            for p in ["وال", "بال", "فال", "لل", "ال"] {
                if w.chars().count() > p.chars().count() + 2 {
                    if let Some(rest) = w.strip_prefix(p) {
                        w = rest;
                        break;
                    }
                }
            }
            (w.chars().count() > 2 && !STOP_WORDS.contains(&w))
                .then(|| rustc_hash::FxBuildHasher.hash_one(w))
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// |a ∩ b| / |a ∪ b| of two sorted sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut both) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    both as f64 / (a.len() + b.len() - both) as f64
}

/// The day an event is filed under: its own date, else its article's.
fn day(e: &EventFacts) -> Option<NaiveDate> {
    e.date.or(e.published)
}

fn next(d: NaiveDate) -> Option<NaiveDate> {
    d.checked_add_days(Days::new(1))
}

fn prev(d: NaiveDate) -> Option<NaiveDate> {
    d.checked_sub_days(Days::new(1))
}

fn event_key(family: &str, day: NaiveDate, entity: &str) -> String {
    format!("{family}|{day}|{entity}")
}

fn claim_key(day: NaiveDate, speaker: &str) -> String {
    format!("{day}|{speaker}")
}

/// The look-up keys of one article's events and claims, for the stories
/// graph (they go in with the article, and out with it).
pub fn index_quads(a: &ArticleFacts) -> Vec<Quad> {
    let mut out = Vec::new();
    for e in &a.events {
        for k in keys_of(e) {
            out.push(Quad::new(
                nn(&e.iri),
                nn(term::STORY_KEY),
                Literal::new_simple_literal(k),
                graph(),
            ));
        }
    }
    for c in &a.claims {
        if let Some(d) = c.day {
            for s in &c.speakers {
                out.push(Quad::new(
                    nn(&c.iri),
                    nn(term::ECHO_KEY),
                    Literal::new_simple_literal(claim_key(d, s)),
                    graph(),
                ));
            }
        }
    }
    out
}

fn keys_of(e: &EventFacts) -> Vec<String> {
    let Some(d) = day(e) else {
        return Vec::new();
    };
    let mut keys: Vec<String> = entities(e)
        .map(|x| event_key(family(&e.class), d, x))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// The keys under which an event's possible matches are filed: its
/// entities on its day and the days either side.
fn lookup_keys(e: &EventFacts) -> Vec<String> {
    let Some(d) = day(e) else {
        return Vec::new();
    };
    let days = [prev(d), Some(d), next(d)];
    let mut keys: Vec<String> = entities(e)
        .flat_map(|x| {
            days.iter()
                .flatten()
                .map(move |d| event_key(family(&e.class), *d, x))
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// The actor's own IRI and, for people and bodies, their country's: a
/// report that names the army and one that names the state agree on who.
fn keys_of_actor<'a>(e: &'a EventFacts, x: &'a str) -> impl Iterator<Item = &'a str> {
    std::iter::once(x).chain(
        e.country_of
            .iter()
            .filter(move |(y, _)| y == x)
            .map(|(_, c)| c.as_str()),
    )
}

fn actors(e: &EventFacts) -> BTreeSet<&str> {
    e.agents
        .iter()
        .chain(&e.targets)
        .chain(&e.participants)
        .map(String::as_str)
        .filter(|x| !is_anonymous(x) && !e.places.iter().any(|p| p == x))
        .filter(|x| {
            // A participant that is only a place (a city) is not an actor.
            is_country(x) || !x.starts_with(&format!("{}place/", vocab::ID))
        })
        .collect()
}

fn share(a: &EventFacts, xs: &[String], b: &EventFacts, ys: &[String]) -> bool {
    let kb: HashSet<&str> = ys.iter().flat_map(|y| keys_of_actor(b, y)).collect();
    xs.iter()
        .any(|x| keys_of_actor(a, x).any(|k| kb.contains(k)))
}

/// Whether two days agree: dated events the same day; an undated event
/// happened on its article's day or the day before.
fn days_agree(a: &EventFacts, b: &EventFacts) -> bool {
    match (a.date, b.date, a.published, b.published) {
        (Some(x), Some(y), _, _) => x == y,
        (Some(x), None, _, Some(p)) | (None, Some(x), Some(p), _) => p == x || prev(p) == Some(x),
        (None, None, Some(p), Some(q)) => p == q || next(p) == Some(q) || next(q) == Some(p),
        _ => false,
    }
}

fn country_of<'a>(e: &'a EventFacts, x: &'a str) -> Option<&'a str> {
    if is_country(x) {
        return Some(x);
    }
    e.country_of
        .iter()
        .find(|(y, _)| y == x)
        .map(|(_, c)| c.as_str())
}

/// Whether two places can be one: the same, one the other's country, or a
/// region and a place of the same country.
fn places_agree(a: &EventFacts, b: &EventFacts) -> bool {
    if a.places.is_empty() || b.places.is_empty() {
        return true;
    }
    a.places.iter().any(|x| {
        b.places.iter().any(|y| {
            if x == y {
                return true;
            }
            let (cx, cy) = (country_of(a, x), country_of(b, y));
            if is_country(x) || is_country(y) {
                return cx.is_some() && cx == cy;
            }
            (a.regions.contains(x) || b.regions.contains(y)) && cx.is_some() && cx == cy
        })
    })
}

/// Whether two events could be one happening, the actors they share
/// aside: one family, agreeing days and places, no actor on
/// each side unknown to the other, and, for directed classes, the same
/// doers.
pub fn compatible(a: &EventFacts, b: &EventFacts) -> bool {
    if family(&a.class) != family(&b.class) {
        return false;
    }
    if !days_agree(a, b) || !places_agree(a, b) {
        return false;
    }
    let (xa, xb) = (actors(a), actors(b));
    let known = |e: &EventFacts, x: &str, other: &EventFacts, set: &BTreeSet<&str>| {
        let ks: HashSet<&str> = set.iter().flat_map(|y| keys_of_actor(other, y)).collect();
        keys_of_actor(e, x).any(|k| ks.contains(k))
    };
    let a_alone = xa.iter().any(|x| !known(a, x, b, &xb));
    let b_alone = xb.iter().any(|x| !known(b, x, a, &xa));
    if a_alone && b_alone {
        return false;
    }
    if directed(&a.class) || directed(&b.class) {
        let (aa, ba) = (&a.agents, &b.agents);
        let same_doers = share(a, aa, b, ba);
        if !aa.is_empty() && !ba.is_empty() && !same_doers {
            return false;
        }
        let reversed = share(a, aa, b, &b.targets) || share(b, ba, a, &a.targets);
        if reversed && !same_doers {
            return false;
        }
    }
    true
}

/// How strongly two events are one happening: `None` when they are not
/// (compatible, and at least one entity shared by IRI), else the entities
/// they share plus those of each that the other's article mentions too
/// (a report that names only the caller still names the one called
/// elsewhere in the article).
pub fn matches(a: &EventFacts, b: &EventFacts) -> Option<usize> {
    if !compatible(a, b) {
        return None;
    }
    let ea: BTreeSet<&str> = entities(a).collect();
    let eb: BTreeSet<&str> = entities(b).collect();
    let shared = ea.intersection(&eb).count();
    if shared == 0 {
        return None;
    }
    let known = |xs: &BTreeSet<&str>, m: &[String]| {
        xs.iter()
            .filter(|x| m.binary_search_by(|y| y.as_str().cmp(x)).is_ok())
            .count()
    };
    Some(shared + known(&ea, &b.mentioned) + known(&eb, &a.mentioned))
}

/// Drops the pairs that are not the one best reading: a pair (x, y) goes
/// when x also matches a z, at least as strongly, that cannot be y's
/// happening (the minister's one-sided report of a call, on a day he made
/// two calls, joins neither).
fn unambiguous(
    pairs: Vec<(usize, String, String)>,
    work: &BTreeMap<String, EventFacts>,
) -> Vec<(usize, String, String)> {
    let mut partners: HashMap<&str, Vec<(&str, usize)>> = HashMap::default();
    for (s, a, b) in &pairs {
        partners.entry(a).or_default().push((b, *s));
        partners.entry(b).or_default().push((a, *s));
    }
    let doubtful = |x: &str, y: &str, s: usize| {
        partners[x].iter().any(|&(z, sz)| {
            z != y
                && sz >= s
                && work[z].article != work[y].article
                && !compatible(&work[y], &work[z])
        })
    };
    pairs
        .iter()
        .filter(|(s, a, b)| !doubtful(a, b, *s) && !doubtful(b, a, *s))
        .cloned()
        .collect()
}

/// Whether two claims echo each other: a speaker in common, two articles,
/// days close, the same content words for the most part.
pub fn echoes(a: &ClaimFacts, b: &ClaimFacts) -> bool {
    if a.article == b.article || !a.speakers.iter().any(|s| b.speakers.contains(s)) {
        return false;
    }
    let close = match (a.day, b.day) {
        (Some(x), Some(y)) => (x - y).num_days().unsigned_abs() <= ECHO_DAYS,
        _ => false,
    };
    close && jaccard(&a.words, &b.words) >= ECHO_THRESHOLD
}

/// Where stories read the store: quads matching a pattern in one graph.
pub trait Source {
    type Error;
    fn quads(
        &self,
        s: Option<NamedNodeRef<'_>>,
        p: Option<NamedNodeRef<'_>>,
        o: Option<TermRef<'_>>,
        g: NamedNodeRef<'_>,
    ) -> Result<Vec<Quad>, Self::Error>;

    /// The first `n` of [`Source::quads`], in index order.
    fn first_quads(
        &self,
        s: Option<NamedNodeRef<'_>>,
        p: Option<NamedNodeRef<'_>>,
        o: Option<TermRef<'_>>,
        g: NamedNodeRef<'_>,
        n: usize,
    ) -> Result<Vec<Quad>, Self::Error> {
        let mut v = self.quads(s, p, o, g)?;
        v.truncate(n);
        Ok(v)
    }
}

type ArticleInfo = (Option<NaiveDate>, Option<String>, std::sync::Arc<[String]>);

/// The stories' view of the store while articles change: the articles in
/// `changed` are as `added` says (or gone), every other one as stored.
struct View<'s, S: Source> {
    src: &'s S,
    changed: HashSet<String>,
    added_events: HashMap<String, EventFacts>,
    added_claims: HashMap<String, ClaimFacts>,
    /// key → added events and claims filed under it
    added_index: HashMap<String, Vec<String>>,
    events: HashMap<String, Option<EventFacts>>,
    claims: HashMap<String, Option<ClaimFacts>>,
    /// per article: (published, publisher, entities mentioned)
    articles: HashMap<String, ArticleInfo>,
    countries: HashMap<(String, String), Option<String>>,
    regions: HashMap<(String, String), bool>,
}

impl<'s, S: Source> View<'s, S> {
    fn new(src: &'s S, removed: &[ArticleFacts], added: &[ArticleFacts]) -> Self {
        let mut v = View {
            src,
            changed: removed.iter().chain(added).map(|a| a.iri.clone()).collect(),
            added_events: HashMap::default(),
            added_claims: HashMap::default(),
            added_index: HashMap::default(),
            events: HashMap::default(),
            claims: HashMap::default(),
            articles: HashMap::default(),
            countries: HashMap::default(),
            regions: HashMap::default(),
        };
        for a in added {
            for e in &a.events {
                for k in keys_of(e) {
                    v.added_index.entry(k).or_default().push(e.iri.clone());
                }
                v.added_events.insert(e.iri.clone(), e.clone());
            }
            for c in &a.claims {
                if let Some(d) = c.day {
                    for s in &c.speakers {
                        v.added_index
                            .entry(claim_key(d, s))
                            .or_default()
                            .push(c.iri.clone());
                    }
                }
                v.added_claims.insert(c.iri.clone(), c.clone());
            }
        }
        v
    }

    /// Events or claims filed under a key, as the view sees them.
    fn filed(&self, p: &str, key: &str) -> Result<Vec<String>, S::Error> {
        let lit = LiteralRef::new_simple_literal(key);
        let mut out: Vec<String> = Vec::new();
        for q in self
            .src
            .first_quads(None, Some(nn(p)), Some(lit.into()), graph(), KEY_CAP)?
        {
            if let NamedOrBlankNode::NamedNode(s) = q.subject {
                let s = s.into_string();
                if article_of(&s).is_some_and(|a| !self.changed.contains(a)) {
                    out.push(s);
                }
            }
        }
        out.extend(
            self.added_index
                .get(key)
                .into_iter()
                .flatten()
                .take(KEY_CAP)
                .cloned(),
        );
        out.sort();
        out.dedup();
        Ok(out)
    }

    fn article(&mut self, a: &str) -> Result<ArticleInfo, S::Error> {
        if let Some(x) = self.articles.get(a) {
            return Ok(x.clone());
        }
        let mut published = None;
        let mut publisher = None;
        let mut mentioned = BTreeSet::new();
        for q in self
            .src
            .quads(None, Some(nn(term::TA_IDENT_REF)), None, nn(a))?
        {
            if let Term::NamedNode(e) = q.object {
                mentioned.insert(e.into_string());
            }
        }
        let mentioned: std::sync::Arc<[String]> = mentioned.into_iter().collect();
        for q in self.src.quads(Some(nn(a)), None, None, nn(a))? {
            match q.predicate.as_str() {
                term::DATE_PUBLISHED => published = date_of(q.object.as_ref()),
                term::PUBLISHER => {
                    if let Term::Literal(l) = &q.object {
                        publisher = Some(l.value().to_string());
                    }
                }
                _ => {}
            }
        }
        let info = (published, publisher, mentioned);
        self.articles.insert(a.to_string(), info.clone());
        Ok(info)
    }

    /// A stored event's facts (`None` when it is gone).
    fn event(&mut self, iri: &str) -> Result<Option<EventFacts>, S::Error> {
        if let Some(e) = self.added_events.get(iri) {
            return Ok(Some(e.clone()));
        }
        if let Some(e) = self.events.get(iri) {
            return Ok(e.clone());
        }
        let Some(article) = article_of(iri).filter(|a| !self.changed.contains(*a)) else {
            return Ok(None);
        };
        let article = article.to_string();
        let quads = self.src.quads(Some(nn(iri)), None, None, nn(&article))?;
        let f = if quads.is_empty() {
            None
        } else {
            let po: Vec<(&str, TermRef<'_>)> = quads
                .iter()
                .map(|q| (q.predicate.as_str(), q.object.as_ref()))
                .collect();
            let mut f = event_from(iri, &article, &po);
            (f.published, f.publisher, f.mentioned) = self.article(&article)?;
            let xs: Vec<String> = entities(&f)
                .filter(|x| !is_country(x))
                .map(str::to_string)
                .collect();
            for x in xs {
                let key = (x.clone(), article.clone());
                if !self.countries.contains_key(&key) {
                    let c = self
                        .src
                        .quads(Some(nn(&x)), Some(nn(term::COUNTRY_OF)), None, nn(&article))?
                        .into_iter()
                        .find_map(|q| match q.object {
                            Term::NamedNode(c) => Some(c.into_string()),
                            _ => None,
                        });
                    self.countries.insert(key.clone(), c);
                }
                if let Some(c) = &self.countries[&key] {
                    f.country_of.push((x.clone(), c.clone()));
                }
                if f.places.contains(&x) {
                    if !self.regions.contains_key(&key) {
                        let region = !self
                            .src
                            .quads(
                                Some(nn(&x)),
                                Some(nn(term::RDF_TYPE)),
                                Some(nn(term::REGION).into()),
                                nn(&article),
                            )?
                            .is_empty();
                        self.regions.insert(key.clone(), region);
                    }
                    if self.regions[&key] {
                        f.regions.push(x);
                    }
                }
            }
            Some(f)
        };
        self.events.insert(iri.to_string(), f.clone());
        Ok(f)
    }

    fn claim(&mut self, iri: &str) -> Result<Option<ClaimFacts>, S::Error> {
        if let Some(c) = self.added_claims.get(iri) {
            return Ok(Some(c.clone()));
        }
        if let Some(c) = self.claims.get(iri) {
            return Ok(c.clone());
        }
        let Some(article) = article_of(iri).filter(|a| !self.changed.contains(*a)) else {
            return Ok(None);
        };
        let article = article.to_string();
        let quads = self.src.quads(Some(nn(iri)), None, None, nn(&article))?;
        let f = if quads.is_empty() {
            None
        } else {
            let po: Vec<(&str, TermRef<'_>)> = quads
                .iter()
                .map(|q| (q.predicate.as_str(), q.object.as_ref()))
                .collect();
            let mut f = claim_from(iri, &article, &po);
            if f.day.is_none() {
                f.day = self.article(&article)?.0;
            }
            Some(f)
        };
        self.claims.insert(iri.to_string(), f.clone());
        Ok(f)
    }

    /// The stories an event belongs to, as stored.
    fn stories_of(&self, event: &str) -> Result<Vec<String>, S::Error> {
        Ok(self
            .src
            .quads(
                None,
                Some(nn(term::STORY_EVENT)),
                Some(nn(event).into()),
                graph(),
            )?
            .into_iter()
            .filter_map(|q| match q.subject {
                NamedOrBlankNode::NamedNode(s) => Some(s.into_string()),
                _ => None,
            })
            .collect())
    }

    fn members(&self, story: &str) -> Result<Vec<String>, S::Error> {
        Ok(self
            .src
            .quads(Some(nn(story)), Some(nn(term::STORY_EVENT)), None, graph())?
            .into_iter()
            .filter_map(|q| match q.object {
                Term::NamedNode(e) => Some(e.into_string()),
                _ => None,
            })
            .collect())
    }
}

/// What to remove from and insert into the stories graph when the
/// articles of `removed` (as they were) make way for those of `added` (as
/// they are now): their stories re-formed, their echoes re-linked. The
/// look-up keys are the caller's ([`index_quads`]); `src` may or may not
/// hold them for `added` yet.
pub fn changes<S: Source>(
    src: &S,
    removed: &[ArticleFacts],
    added: &[ArticleFacts],
) -> Result<(Vec<Quad>, Vec<Quad>), S::Error> {
    let mut view = View::new(src, removed, added);
    let (mut out, mut into) = (Vec::new(), Vec::new());
    stories(&mut view, removed, added, &mut out, &mut into)?;
    echo_changes(&mut view, removed, added, &mut out, &mut into)?;
    // A quad taken out and put back stays.
    let back: HashSet<&Quad> = into.iter().collect();
    let gone: HashSet<&Quad> = out.iter().collect();
    let out2: Vec<Quad> = out.iter().filter(|q| !back.contains(q)).cloned().collect();
    let into2: Vec<Quad> = into.iter().filter(|q| !gone.contains(q)).cloned().collect();
    Ok((dedup(out2), dedup(into2)))
}

fn dedup(mut v: Vec<Quad>) -> Vec<Quad> {
    let mut seen = HashSet::default();
    v.retain(|q| seen.insert(q.clone()));
    v
}

fn stories<S: Source>(
    view: &mut View<'_, S>,
    removed: &[ArticleFacts],
    added: &[ArticleFacts],
    out: &mut Vec<Quad>,
    into: &mut Vec<Quad>,
) -> Result<(), S::Error> {
    // The working set: every event that may change story, with the story
    // it is in now.
    let mut work: BTreeMap<String, EventFacts> = BTreeMap::new();
    let mut old_story: HashMap<String, String> = HashMap::default();
    let mut touched: BTreeSet<String> = BTreeSet::new();
    let mut pairs: Vec<(usize, String, String)> = Vec::new();
    // Stories that lose events are formed again from their pairs; the
    // others keep their events together.
    let mut lost: BTreeSet<String> = BTreeSet::new();
    for e in removed.iter().flat_map(|a| &a.events) {
        for s in view.stories_of(&e.iri)? {
            lost.insert(s);
        }
    }
    for e in removed.iter().chain(added).flat_map(|a| &a.events) {
        for s in view.stories_of(&e.iri)? {
            touched.insert(s);
        }
    }
    for a in added {
        for e in &a.events {
            work.insert(e.iri.clone(), e.clone());
        }
    }
    let mut new_events: Vec<&EventFacts> = added.iter().flat_map(|a| &a.events).collect();
    new_events.sort_by(|a, b| a.iri.cmp(&b.iri));
    for e in new_events {
        let mut found: Vec<(usize, String)> = Vec::new();
        for k in lookup_keys(e) {
            for c in view.filed(term::STORY_KEY, &k)? {
                // An added event before this one met it from its own side.
                if c == e.iri || c < e.iri && view.added_events.contains_key(&c) {
                    continue;
                }
                let Some(f) = view.event(&c)? else {
                    continue;
                };
                if let Some(score) = matches(e, &f) {
                    found.push((score, c.clone()));
                    work.insert(c, f);
                }
            }
        }
        found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        found.dedup();
        for (score, c) in found.into_iter().take(PARTNERS) {
            for s in view.stories_of(&c)? {
                touched.insert(s);
            }
            pairs.push((score, e.iri.clone().min(c.clone()), e.iri.clone().max(c)));
        }
    }
    // Every member of a touched story is in the working set; the pairs
    // among a story's members are found again.
    let mut pending: Vec<String> = touched.iter().cloned().collect();
    let mut seen_stories: HashSet<String> = HashSet::default();
    while let Some(s) = pending.pop() {
        if !seen_stories.insert(s.clone()) {
            continue;
        }
        for m in view.members(&s)? {
            old_story.insert(m.clone(), s.clone());
            if work.contains_key(&m) {
                continue;
            }
            if let Some(f) = view.event(&m)? {
                for s2 in view.stories_of(&m)? {
                    if touched.insert(s2.clone()) {
                        pending.push(s2);
                    }
                }
                work.insert(m, f);
            }
        }
    }
    let mut by_story: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (e, s) in &old_story {
        if work.contains_key(e) {
            by_story.entry(s.as_str()).or_default().push(e.as_str());
        }
    }
    for (s, members) in &by_story {
        if !lost.contains(*s) {
            continue;
        }
        for (i, a) in members.iter().enumerate() {
            for b in &members[i + 1..] {
                if let Some(score) = matches(&work[*a], &work[*b]) {
                    pairs.push((score, (*a).min(*b).to_string(), (*a).max(*b).to_string()));
                }
            }
        }
    }
    pairs.sort_by(|x, y| y.0.cmp(&x.0).then_with(|| (&x.1, &x.2).cmp(&(&y.1, &y.2))));
    pairs.dedup();
    let pairs = unambiguous(pairs, &work);

    // Greedy: the strongest pairs first; two groups join only when every
    // event of one is compatible with every event of the other.
    let ids: Vec<&str> = work.keys().map(String::as_str).collect();
    let index: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, e)| (*e, i)).collect();
    let mut group: Vec<usize> = (0..ids.len()).collect();
    let mut members: Vec<Vec<usize>> = (0..ids.len()).map(|i| vec![i]).collect();
    for (s, evs) in &by_story {
        if lost.contains(*s) {
            continue;
        }
        let keep = evs.iter().map(|e| index[e]).min().unwrap_or(0);
        for e in evs {
            let i = index[e];
            if group[i] != keep {
                let moved = std::mem::take(&mut members[group[i]]);
                for &m in &moved {
                    group[m] = keep;
                }
                members[keep].extend(moved);
            }
        }
    }
    // Groups only grow: two found apart stay apart.
    let mut apart: HashSet<(usize, usize)> = HashSet::default();
    for (_, a, b) in &pairs {
        let (ga, gb) = (group[index[a.as_str()]], group[index[b.as_str()]]);
        if ga == gb
            || members[ga].len() + members[gb].len() > MAX_STORY
            || apart.contains(&(ga.min(gb), ga.max(gb)))
        {
            continue;
        }
        let fits = members[ga].iter().all(|&x| {
            members[gb]
                .iter()
                .all(|&y| compatible(&work[ids[x]], &work[ids[y]]))
        });
        if !fits {
            apart.insert((ga.min(gb), ga.max(gb)));
            continue;
        }
        let (keep, gone) = if ga < gb { (ga, gb) } else { (gb, ga) };
        let moved = std::mem::take(&mut members[gone]);
        for &m in &moved {
            group[m] = keep;
        }
        members[keep].extend(moved);
    }

    // Names: a group keeps the story most of its events were in; a new
    // story is named after its first event.
    let mut groups: Vec<Vec<&str>> = members
        .iter()
        .filter(|m| {
            m.iter()
                .map(|&i| work[ids[i]].article.as_str())
                .collect::<BTreeSet<_>>()
                .len()
                >= 2
        })
        .map(|m| {
            let mut v: Vec<&str> = m.iter().map(|&i| ids[i]).collect();
            v.sort();
            v
        })
        .collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
    let mut used: HashSet<String> = HashSet::default();
    let mut named: Vec<(String, Vec<&str>)> = Vec::new();
    for grp in groups {
        let mut votes: BTreeMap<&str, usize> = BTreeMap::new();
        for e in &grp {
            if let Some(s) = old_story.get(*e) {
                *votes.entry(s.as_str()).or_default() += 1;
            }
        }
        let mut best: Vec<(&str, usize)> = votes.into_iter().collect();
        best.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let name = match best.iter().find(|(s, _)| !used.contains(*s)) {
            Some((s, _)) => s.to_string(),
            None => {
                let mut n = 0;
                loop {
                    let basis = if n == 0 {
                        grp[0].to_string()
                    } else {
                        format!("{}#{n}", grp[0])
                    };
                    let iri = format!("{}story/{}", vocab::ID, crate::rdf::hash16(&basis));
                    if !used.contains(&iri) && !touched.contains(&iri) {
                        break iri;
                    }
                    n += 1;
                }
            }
        };
        used.insert(name.clone());
        named.push((name, grp));
    }
    // Out: every touched story as stored; in: every story as formed now.
    for s in touched.iter().chain(named.iter().map(|(s, _)| s)) {
        out.extend(view.src.quads(Some(nn(s)), None, None, graph())?);
    }
    for (s, grp) in &named {
        let facts: Vec<&EventFacts> = grp.iter().map(|e| &work[*e]).collect();
        story_quads(s, &facts, into);
    }
    Ok(())
}

/// The quads of one story.
fn story_quads(s: &str, events: &[&EventFacts], into: &mut Vec<Quad>) {
    let s = nn(s);
    let mut add = |p: &str, o: TermRef<'_>| into.push(QuadRef::new(s, nn(p), o, g()).into_owned());
    add(term::RDF_TYPE, nn(term::STORY).into());
    let mut classes = BTreeSet::new();
    let mut entities_in = BTreeSet::new();
    let mut places = BTreeSet::new();
    let mut articles = BTreeSet::new();
    let mut outlets = BTreeSet::new();
    let (mut first, mut last): (Option<NaiveDate>, Option<NaiveDate>) = (None, None);
    for e in events {
        add(term::STORY_EVENT, nn(&e.iri).into());
        classes.insert(vocab::isn(&e.class));
        for x in e.agents.iter().chain(&e.targets).chain(&e.participants) {
            if !is_anonymous(x) {
                entities_in.insert(x.as_str());
            }
        }
        places.extend(e.places.iter().map(String::as_str));
        articles.insert(e.article.as_str());
        if let Some(p) = &e.publisher {
            outlets.insert(p.as_str());
        }
        if let Some(p) = e.published {
            first = Some(first.map_or(p, |f| f.min(p)));
            last = Some(last.map_or(p, |l| l.max(p)));
        }
    }
    let date = events
        .iter()
        .filter_map(|e| e.date)
        .min()
        .or_else(|| events.iter().filter_map(|e| day(e)).min());
    for c in &classes {
        add(term::STORY_CLASS, nn(c).into());
    }
    for x in entities_in {
        add(term::PARTICIPANT, nn(x).into());
    }
    for x in places {
        add(term::EVENT_PLACE, nn(x).into());
    }
    let xsd_date = nn(term::XSD_DATE);
    let int = nn(term::XSD_INTEGER);
    if let Some(d) = date {
        add(
            term::DATE,
            LiteralRef::new_typed_literal(&d.to_string(), xsd_date).into(),
        );
    }
    if let Some(d) = first {
        add(
            term::FIRST_REPORTED,
            LiteralRef::new_typed_literal(&d.to_string(), xsd_date).into(),
        );
    }
    if let Some(d) = last {
        add(
            term::LAST_REPORTED,
            LiteralRef::new_typed_literal(&d.to_string(), xsd_date).into(),
        );
    }
    add(
        term::ARTICLE_COUNT,
        LiteralRef::new_typed_literal(&articles.len().to_string(), int).into(),
    );
    add(
        term::OUTLET_COUNT,
        LiteralRef::new_typed_literal(&outlets.len().to_string(), int).into(),
    );
}

fn echo_changes<S: Source>(
    view: &mut View<'_, S>,
    removed: &[ArticleFacts],
    added: &[ArticleFacts],
    out: &mut Vec<Quad>,
    into: &mut Vec<Quad>,
) -> Result<(), S::Error> {
    let p = nn(term::ECHOES);
    for c in removed.iter().chain(added).flat_map(|a| &a.claims) {
        let c = nn(&c.iri);
        out.extend(view.src.quads(Some(c), Some(p), None, graph())?);
        out.extend(view.src.quads(None, Some(p), Some(c.into()), graph())?);
    }
    for a in added {
        for c in &a.claims {
            let Some(d) = c.day else { continue };
            let mut keys = Vec::new();
            for s in &c.speakers {
                for k in 0..=2 * ECHO_DAYS {
                    if let Some(day) = d
                        .checked_sub_days(Days::new(ECHO_DAYS))
                        .and_then(|x| x.checked_add_days(Days::new(k)))
                    {
                        keys.push(claim_key(day, s));
                    }
                }
            }
            keys.sort();
            keys.dedup();
            let mut met = BTreeSet::new();
            for k in keys {
                for other in view.filed(term::ECHO_KEY, &k)? {
                    if other == c.iri || !met.insert(other.clone()) {
                        continue;
                    }
                    if let Some(f) = view.claim(&other)? {
                        if echoes(c, &f) {
                            for (x, y) in [(&c.iri, &other), (&other, &c.iri)] {
                                into.push(Quad::new(nn(x), p, nn(y), graph()));
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// `stories isn:pending <article>`: loaded with the article, removed when
/// its events have met the store's.
pub fn pending(article: NamedNodeRef<'_>) -> QuadRef<'_> {
    QuadRef::new(graph(), nn(term::PENDING), article, g())
}

/// The marker of a stories graph that covers the store.
pub fn version_marker() -> Quad {
    Quad::new(
        graph(),
        nn(term::VERSION_INFO),
        Literal::new_simple_literal(VERSION),
        graph(),
    )
}

/// A story's IRI from an event's story look-up (for tests and tools).
pub fn story_iri_of<S: Source>(src: &S, event: &str) -> Result<Option<NamedNode>, S::Error> {
    Ok(src
        .quads(
            None,
            Some(nn(term::STORY_EVENT)),
            Some(nn(event).into()),
            graph(),
        )?
        .into_iter()
        .find_map(|q| match q.subject {
            NamedOrBlankNode::NamedNode(s) => Some(s),
            _ => None,
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(article: &str, class: &str, date: Option<&str>, published: &str) -> EventFacts {
        EventFacts {
            iri: format!("{}article/{article}/event/1", vocab::ID),
            article: format!("{}article/{article}", vocab::ID),
            class: class.into(),
            trigger: None,
            date: date.map(|d| d.parse().unwrap()),
            published: Some(published.parse().unwrap()),
            publisher: None,
            agents: Vec::new(),
            targets: Vec::new(),
            participants: Vec::new(),
            places: Vec::new(),
            country_of: Vec::new(),
            regions: Vec::new(),
            mentioned: std::sync::Arc::from(Vec::new()),
        }
    }

    fn id(x: &str) -> String {
        format!("{}{x}", vocab::ID)
    }

    #[test]
    fn an_undated_report_of_the_next_day_is_the_same_day_a_later_one_is_not() {
        let mut a = ev("a", "PhoneCall", Some("2024-01-17"), "2024-01-17");
        let mut b = ev("b", "PhoneCall", None, "2024-01-18");
        a.participants = vec![id("person/x")];
        b.participants = vec![id("person/x")];
        assert!(matches(&a, &b).is_some());
        b.published = Some("2024-01-19".parse().unwrap());
        assert!(matches(&a, &b).is_none());
        b.date = Some("2024-01-17".parse().unwrap());
        assert!(matches(&a, &b).is_some(), "أمس in a later report");
    }

    #[test]
    fn classes_of_one_family_meet_others_do_not() {
        let mut a = ev("a", "Attack", None, "2024-01-17");
        let mut b = ev("b", "MilitaryOperation", None, "2024-01-17");
        a.agents = vec![id("country/IL")];
        b.agents = vec![id("country/IL")];
        assert!(matches(&a, &b).is_some());
        b.class = "Visit".into();
        assert!(matches(&a, &b).is_none());
    }

    #[test]
    fn reversed_roles_of_a_directed_class_are_two_happenings() {
        let mut a = ev("a", "Attack", None, "2024-01-17");
        let mut b = ev("b", "Attack", None, "2024-01-17");
        a.agents = vec![id("country/IL")];
        a.targets = vec![id("country/LB")];
        b.agents = vec![id("country/LB")];
        b.targets = vec![id("country/IL")];
        assert!(matches(&a, &b).is_none());
    }

    #[test]
    fn each_side_with_a_counterpart_the_other_lacks_is_two_calls() {
        let mut a = ev("a", "PhoneCall", None, "2024-01-17");
        let mut b = ev("b", "PhoneCall", None, "2024-01-17");
        a.participants = vec![id("person/ir"), id("person/pk")];
        b.participants = vec![id("person/ir"), id("person/tr")];
        assert!(matches(&a, &b).is_none());
        b.participants = vec![id("person/ir")];
        assert!(matches(&a, &b).is_some(), "one report names one side only");
    }

    #[test]
    fn places_agree_when_one_is_inside_the_others_country() {
        let mut a = ev("a", "Attack", None, "2024-01-17");
        let mut b = ev("b", "Attack", None, "2024-01-17");
        a.agents = vec![id("country/IL")];
        b.agents = vec![id("country/IL")];
        a.places = vec![id("place/rafah")];
        a.country_of = vec![(id("place/rafah"), id("country/PS"))];
        b.places = vec![id("country/PS")];
        assert!(matches(&a, &b).is_some());
        b.places = vec![id("place/jenin")];
        b.country_of = vec![(id("place/jenin"), id("country/PS"))];
        assert!(matches(&a, &b).is_none(), "two cities");
    }

    #[test]
    fn content_words_ignore_clitics_diacritics_and_small_words() {
        let a = content_words("إن العلاقاتَ بين البلدين أخوية");
        let b = content_words("العلاقات بين البلدين أخوية ومتينة");
        assert_eq!(a.len(), 3, "علاقات بلدين اخويه");
        assert!((jaccard(&a, &b) - 0.75).abs() < 1e-9);
    }
}
