//! Reference data: gazetteers, role tenures and lexicons, read from the
//! tab-separated files under `data/` (bundled into the binary) and from the
//! user's own folders (`--reference DIR`, `$ISNAD_REFERENCE`).
//!
//! Architecture invariant: this module parses files into plain structs and
//! checks their integrity; it does no matching and knows nothing of RDF.

mod tsv;

use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
pub use tsv::Table;

/// The entity classes of the ontology that reference data can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    Person,
    Organization,
    Country,
    City,
    Region,
    Place,
    /// An anonymous source ("مصدر أمني"): an actor without a name.
    AnonymousSource,
}

impl Class {
    pub fn parse(s: &str) -> Option<Class> {
        Some(match s {
            "Person" => Class::Person,
            "Organization" => Class::Organization,
            "Country" => Class::Country,
            "City" => Class::City,
            "Region" => Class::Region,
            "Place" => Class::Place,
            _ => return None,
        })
    }
    /// The ontology's local name.
    pub fn local_name(self) -> &'static str {
        match self {
            Class::Person => "Person",
            Class::Organization => "Organization",
            Class::Country => "Country",
            Class::City => "City",
            Class::Region => "Region",
            Class::Place => "Place",
            Class::AnonymousSource => "AnonymousSource",
        }
    }
    pub fn is_place(self) -> bool {
        matches!(
            self,
            Class::City | Class::Region | Class::Place | Class::Country
        )
    }
    pub fn is_actor(self) -> bool {
        matches!(
            self,
            Class::Person | Class::Organization | Class::Country | Class::AnonymousSource
        )
    }
}

/// A canonical entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// Path under the instance namespace: `country/IR`, `person/trump`.
    pub id: String,
    pub class: Class,
    /// ISO alpha-2 of the country it belongs to (its own code for countries).
    pub country: Option<String>,
    pub ar: String,
    pub en: Option<String>,
    /// Names that identify it anywhere.
    pub aliases: Vec<String>,
    /// Names safe only once it is named in the same article.
    pub short: Vec<String>,
    /// Organization kind (`ministry`, `armed-group`, `media`…).
    pub kind: Option<String>,
    /// For countries: nationality adjectives in all forms.
    pub nisba: Vec<String>,
    /// For countries: the capital's entity id.
    pub capital: Option<String>,
}

/// A position held over a tenure.
#[derive(Debug, Clone, PartialEq)]
pub struct Tenure {
    pub person: String,
    pub position: String,
    /// `IR` or `org:hezbollah`.
    pub of: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// Held alongside another holder by a rival government (the `note`
    /// says "rival"): not a clash for `check-data`.
    pub rival: bool,
}

/// How a position is named.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    pub key: String,
    pub phrases: Vec<String>,
}

/// An institution every country has (وزارة الخارجية + nisba).
#[derive(Debug, Clone, PartialEq)]
pub struct NationalBody {
    pub suffix: String,
    pub kind: String,
    pub phrases: Vec<String>,
    pub en: String,
}

/// A reporting verb form.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportingVerb {
    pub form: String,
    pub lemma: String,
    pub act: String,
    /// Adverbial participles (مشيرا) continue the current speaker.
    pub adverbial: bool,
}

/// An event trigger.
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    pub form: String,
    pub class: String,
    pub cameo: String,
    /// A verb (its subject follows it, its speaker may be the agent).
    pub verb: bool,
    /// A phrase that makes the statement containing it an event done by
    /// whoever states it ("لن يمر دون رد": a threat by the speaker).
    pub cue: bool,
}

/// The event classes of the ontology, the values `class` may take in the
/// trigger lexicon.
pub const EVENT_CLASSES: [&str; 16] = [
    "PhoneCall",
    "Meeting",
    "Visit",
    "Invitation",
    "MilitaryOperation",
    "Attack",
    "Killing",
    "Agreement",
    "Protest",
    "Arrest",
    "Sanction",
    "Election",
    "Negotiation",
    "Aid",
    "Threat",
    "Accusation",
];

/// Anonymous-source head noun and the qualifiers that make it one.
#[derive(Debug, Clone, PartialEq)]
pub struct AnonymousHead {
    pub head: String,
    pub qualifiers: Vec<String>,
}

/// What a cue word of entity recognition does (`name_cues.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueRole {
    /// A title before a person's name (السفير, اللواء, الدكتور).
    Title,
    /// A head noun before an organization's name (جماعة, حزب).
    OrgHead,
    /// A head noun before a town's or site's name (مدينة, قرية).
    PlaceHead,
    /// A head noun before a region's name (محافظة, إقليم).
    RegionHead,
    /// نظيره and its forms: the counterpart of the last position named.
    Counterpart,
    /// A function word that ends a name and never starts one.
    Stopword,
    /// A head noun before a site's name (مطار, معبر, سد): a place.
    SiteHead,
    /// An adjective that closes an institution's name after its head and
    /// one noun (معاهد الصحة القومية, شركة النفط الوطنية).
    OrgAdjective,
    /// A word that never belongs to a person's name without a title
    /// (الله, صلى, رضي): the formulae that follow a name in pious text.
    NotName,
    /// How a foreign family name ends (ـوف, ـسكي, ـيتش): with two or three
    /// name-shaped words, a person even without a title or a given name.
    SurnameEnding,
}

impl CueRole {
    const NAMES: [(&'static str, CueRole); 10] = [
        ("title", CueRole::Title),
        ("org-head", CueRole::OrgHead),
        ("place-head", CueRole::PlaceHead),
        ("region-head", CueRole::RegionHead),
        ("counterpart", CueRole::Counterpart),
        ("stopword", CueRole::Stopword),
        ("site-head", CueRole::SiteHead),
        ("org-adjective", CueRole::OrgAdjective),
        ("not-name", CueRole::NotName),
        ("surname-ending", CueRole::SurnameEnding),
    ];

    pub fn parse(s: &str) -> Option<CueRole> {
        Self::NAMES.iter().find(|(n, _)| *n == s).map(|(_, r)| *r)
    }
}

/// A cue word and its role.
#[derive(Debug, Clone, PartialEq)]
pub struct NameCue {
    pub form: String,
    pub role: CueRole,
}

/// Everything isnad knows.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    pub entities: Vec<Entity>,
    pub tenures: Vec<Tenure>,
    pub positions: Vec<Position>,
    pub national_bodies: Vec<NationalBody>,
    pub verbs: Vec<ReportingVerb>,
    pub triggers: Vec<Trigger>,
    pub anonymous: Vec<AnonymousHead>,
    /// Titles, head nouns and name-ending words, in file order.
    pub name_cues: Vec<NameCue>,
    /// Given names: a strong sign that a person's name starts.
    pub given_names: Vec<String>,
    /// The given names that are also common words (أمل, سلام, نور): a
    /// name without a title needs more than one of them.
    pub word_names: Vec<String>,
    index: HashMap<String, usize>,
}

/// The bundled files, by name.
const BUNDLED: &[(&str, &str)] = &[
    (
        "countries.tsv",
        include_str!("../../data/reference/countries.tsv"),
    ),
    (
        "places.tsv",
        include_str!("../../data/reference/places.tsv"),
    ),
    (
        "organizations.tsv",
        include_str!("../../data/reference/organizations.tsv"),
    ),
    (
        "people.tsv",
        include_str!("../../data/reference/people.tsv"),
    ),
    ("roles.tsv", include_str!("../../data/reference/roles.tsv")),
    (
        "positions.tsv",
        include_str!("../../data/reference/positions.tsv"),
    ),
    (
        "national_bodies.tsv",
        include_str!("../../data/reference/national_bodies.tsv"),
    ),
    // The world's office holders (generated by scripts/refdata/build_officials.py)
    // and the titles, bodies and organizations they need.
    (
        "people-world.tsv",
        include_str!("../../data/reference/people-world.tsv"),
    ),
    (
        "roles-world.tsv",
        include_str!("../../data/reference/roles-world.tsv"),
    ),
    (
        "positions-world.tsv",
        include_str!("../../data/reference/positions-world.tsv"),
    ),
    (
        "organizations-world.tsv",
        include_str!("../../data/reference/organizations-world.tsv"),
    ),
    (
        "national_bodies-world.tsv",
        include_str!("../../data/reference/national_bodies-world.tsv"),
    ),
    (
        "reporting_verbs.tsv",
        include_str!("../../data/lexicon/reporting_verbs.tsv"),
    ),
    (
        "event_triggers.tsv",
        include_str!("../../data/lexicon/event_triggers.tsv"),
    ),
    (
        "anonymous_sources.tsv",
        include_str!("../../data/lexicon/anonymous_sources.tsv"),
    ),
    (
        "name_cues.tsv",
        include_str!("../../data/lexicon/name_cues.tsv"),
    ),
    (
        "given_names.tsv",
        include_str!("../../data/lexicon/given_names.tsv"),
    ),
];

/// The kinds of file, recognised by name (`people.tsv`, `people-extra.tsv`).
const KINDS: &[&str] = &[
    "countries",
    "places",
    "organizations",
    "people",
    "roles",
    "positions",
    "national_bodies",
    "reporting_verbs",
    "event_triggers",
    "anonymous_sources",
    "name_cues",
    "given_names",
];

/// Offices one person holds at a time in a country or organization: two
/// tenures of one of them overlapping is an error in the data (deputies,
/// spokespeople, envoys and ambassadors may be several at once).
const SINGLE_HOLDER: &[&str] = &[
    "president",
    "prime-minister",
    "foreign-minister",
    "defence-minister",
    "interior-minister",
    "king",
    "emir",
    "sultan",
    "emperor",
    "crown-prince",
    "supreme-leader",
    "chancellor",
    "secretary-general",
    "commission-president",
    "european-council-president",
    "high-representative",
    "high-commissioner",
    "commissioner-general",
];

fn show(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "…".to_string(), |d| d.to_string())
}

fn split(cell: &str) -> Vec<String> {
    cell.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn opt(cell: &str) -> Option<String> {
    let c = cell.trim();
    (!c.is_empty()).then(|| c.to_string())
}

fn date(cell: &str, at: &str) -> Result<Option<NaiveDate>, String> {
    let c = cell.trim();
    if c.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(c, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("{at}: bad date {c:?} (expected YYYY-MM-DD)"))
}

impl Reference {
    /// The bundled data only.
    pub fn bundled() -> Result<Reference, String> {
        let mut r = Reference::default();
        for (name, text) in BUNDLED {
            r.add_file(name, text, &format!("data/{name}"))?;
        }
        Ok(r)
    }

    /// The bundled data plus every reference file found in `dirs`.
    pub fn load(dirs: &[PathBuf]) -> Result<Reference, String> {
        let mut r = Reference::bundled()?;
        for dir in dirs {
            r.add_dir(dir)?;
        }
        Ok(r)
    }

    /// Adds the reference files of a folder (recursively) or one file.
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), String> {
        if dir.is_file() {
            return self.add_path(dir);
        }
        let entries = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: cannot read reference folder: {e}", dir.display()))?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                self.add_dir(&p)?;
            } else if p.extension().is_some_and(|e| e == "tsv") {
                self.add_path(&p)?;
            }
        }
        Ok(())
    }

    fn add_path(&mut self, p: &Path) -> Result<(), String> {
        let text =
            std::fs::read_to_string(p).map_err(|e| format!("{}: cannot read: {e}", p.display()))?;
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        self.add_file(name, &text, &p.display().to_string())
    }

    /// Adds one file's records; the kind comes from the file name.
    pub fn add_file(&mut self, name: &str, text: &str, origin: &str) -> Result<(), String> {
        let stem = name.trim_end_matches(".tsv");
        let Some(kind) = KINDS
            .iter()
            .filter(|k| {
                stem == **k
                    || stem.starts_with(&format!("{k}-"))
                    || stem.starts_with(&format!("{k}_"))
            })
            .max_by_key(|k| k.len())
        else {
            return Err(format!(
                "{origin}: unknown reference file name (expected one of {}, optionally with a -suffix)",
                KINDS.join(", ")
            ));
        };
        let table = Table::parse(text, origin)?;
        for row in table.rows() {
            let at = row.at();
            match *kind {
                "countries" => {
                    let code = row.get("code").to_ascii_uppercase();
                    self.add_entity(Entity {
                        id: format!("country/{code}"),
                        class: Class::Country,
                        country: Some(code),
                        ar: row.req("ar")?,
                        en: opt(row.get("en")),
                        aliases: split(row.get("aliases")),
                        short: Vec::new(),
                        kind: None,
                        nisba: split(row.get("nisba")),
                        capital: opt(row.get("capital")).map(|c| format!("place/{c}")),
                    });
                }
                "places" => {
                    let class = Class::parse(row.get("class"))
                        .filter(|c| c.is_place() && *c != Class::Country)
                        .ok_or_else(|| format!("{at}: class must be City, Region or Place"))?;
                    self.add_entity(Entity {
                        id: format!("place/{}", row.req("id")?),
                        class,
                        country: opt(row.get("country")).map(|c| c.to_ascii_uppercase()),
                        ar: row.req("ar")?,
                        en: opt(row.get("en")),
                        aliases: split(row.get("aliases")),
                        short: Vec::new(),
                        kind: None,
                        nisba: Vec::new(),
                        capital: None,
                    });
                }
                "organizations" => self.add_entity(Entity {
                    id: format!("org/{}", row.req("id")?),
                    class: Class::Organization,
                    country: opt(row.get("country")).map(|c| c.to_ascii_uppercase()),
                    ar: row.req("ar")?,
                    en: opt(row.get("en")),
                    aliases: split(row.get("aliases")),
                    short: split(row.get("short")),
                    kind: opt(row.get("kind")),
                    nisba: Vec::new(),
                    capital: None,
                }),
                "people" => self.add_entity(Entity {
                    id: format!("person/{}", row.req("id")?),
                    class: Class::Person,
                    country: opt(row.get("country")).map(|c| c.to_ascii_uppercase()),
                    ar: row.req("ar")?,
                    en: opt(row.get("en")),
                    aliases: split(row.get("aliases")),
                    short: split(row.get("short")),
                    kind: None,
                    nisba: Vec::new(),
                    capital: None,
                }),
                "roles" => self.tenures.push(Tenure {
                    person: format!("person/{}", row.req("person")?),
                    position: row.req("position")?,
                    of: row.req("of")?,
                    start: date(row.get("start"), &at)?,
                    end: date(row.get("end"), &at)?,
                    rival: row.get("note").to_lowercase().contains("rival"),
                }),
                "positions" => {
                    let key = row.req("position")?;
                    let phrases = split(row.get("ar"));
                    match self.positions.iter_mut().find(|p| p.key == key) {
                        Some(p) => p.phrases.extend(phrases),
                        None => self.positions.push(Position { key, phrases }),
                    }
                }
                "national_bodies" => self.national_bodies.push(NationalBody {
                    suffix: row.req("suffix")?,
                    kind: row.get("kind").to_string(),
                    phrases: split(row.get("ar")),
                    en: row.get("en").to_string(),
                }),
                "reporting_verbs" => self.verbs.push(ReportingVerb {
                    form: row.req("form")?,
                    lemma: row.get("lemma").to_string(),
                    act: opt(row.get("act")).unwrap_or_else(|| "assert".into()),
                    adverbial: row.get("kind") == "adverbial",
                }),
                "event_triggers" => self.triggers.push(Trigger {
                    form: row.req("trigger")?,
                    class: row.req("class")?,
                    cameo: row.get("cameo").to_string(),
                    verb: row.get("pos") == "verb",
                    cue: row.get("pos") == "cue",
                }),
                "anonymous_sources" => self.anonymous.push(AnonymousHead {
                    head: row.req("head")?,
                    qualifiers: split(row.get("qualifiers")),
                }),
                "name_cues" => {
                    let role = CueRole::parse(row.get("role").trim()).ok_or_else(|| {
                        let names: Vec<&str> = CueRole::NAMES.iter().map(|(n, _)| *n).collect();
                        format!("{at}: role must be one of {}", names.join(", "))
                    })?;
                    self.name_cues.push(NameCue {
                        form: row.req("form")?,
                        role,
                    });
                }
                "given_names" => {
                    let name = row.req("name")?;
                    if row.get("also") == "word" {
                        self.word_names.push(name.clone());
                    }
                    self.given_names.push(name);
                }
                _ => unreachable!("every kind is handled"),
            }
        }
        Ok(())
    }

    /// Adds an entity, or merges its names into the one with the same id.
    fn add_entity(&mut self, e: Entity) {
        if let Some(&i) = self.index.get(&e.id) {
            let old = &mut self.entities[i];
            for a in std::iter::once(e.ar.clone()).chain(e.aliases) {
                if a != old.ar && !old.aliases.contains(&a) {
                    old.aliases.push(a);
                }
            }
            old.short.extend(e.short);
            old.nisba.extend(e.nisba);
            old.en = old.en.take().or(e.en);
            old.country = old.country.take().or(e.country);
            old.capital = old.capital.take().or(e.capital);
            return;
        }
        self.index.insert(e.id.clone(), self.entities.len());
        self.entities.push(e);
    }

    /// An entity by id (`country/IR`).
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.index.get(id).map(|&i| &self.entities[i])
    }

    /// The index of an entity by id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The entity that a role's `of` names (`IR` → country, `org:x` → org).
    pub fn of_entity(of: &str) -> String {
        match of.strip_prefix("org:") {
            Some(org) => format!("org/{org}"),
            None => format!("country/{}", of.to_ascii_uppercase()),
        }
    }

    /// Two holders of a one-holder office on the same day (a handover day,
    /// the end of one tenure and the start of the next, is not a clash), or
    /// one person's tenures of the same office overlapping. Acting holders
    /// are written as tenures between their predecessor's and successor's;
    /// the heads of rival governments are marked "rival" in `note`.
    fn tenure_overlaps(&self) -> Vec<String> {
        let mut by_office: HashMap<(&str, &str), Vec<&Tenure>> = HashMap::new();
        for t in &self.tenures {
            by_office
                .entry((t.position.as_str(), t.of.as_str()))
                .or_default()
                .push(t);
        }
        let mut problems = Vec::new();
        let mut offices: Vec<_> = by_office.into_iter().collect();
        offices.sort_by_key(|(k, _)| *k);
        for ((position, of), mut ts) in offices {
            let single = SINGLE_HOLDER.contains(&position);
            ts.sort_by_key(|t| (t.start, t.end));
            for (i, a) in ts.iter().enumerate() {
                for b in &ts[i + 1..] {
                    if (a.person != b.person && !single) || a.rival || b.rival {
                        continue;
                    }
                    // Both unbounded where a date is missing; b starts no earlier than a.
                    let overlap = match (a.end, b.start) {
                        (Some(end), Some(start)) => start < end,
                        _ => a.start.is_some() && b.start.is_some() && a.end.is_none(),
                    };
                    if overlap {
                        problems.push(format!(
                            "roles: {position} of {of} held by {} and {} at once ({} to {} and {} to {})",
                            a.person,
                            b.person,
                            show(a.start),
                            show(a.end),
                            show(b.start),
                            show(b.end)
                        ));
                    }
                }
            }
        }
        problems
    }

    /// Integrity problems: dangling ids, unknown positions and country codes,
    /// inverted tenures, two holders of a one-holder office at once.
    pub fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let positions: Vec<&str> = self.positions.iter().map(|p| p.key.as_str()).collect();
        for t in &self.tenures {
            if self.entity(&t.person).is_none() {
                problems.push(format!("roles: unknown person {}", t.person));
            }
            if !positions.contains(&t.position.as_str()) {
                problems.push(format!("roles: unknown position {}", t.position));
            }
            if self.entity(&Reference::of_entity(&t.of)).is_none() {
                problems.push(format!("roles: unknown 'of' {} for {}", t.of, t.person));
            }
            if let (Some(s), Some(e)) = (t.start, t.end) {
                if s > e {
                    problems.push(format!(
                        "roles: {} {} ends before it starts",
                        t.person, t.position
                    ));
                }
            }
        }
        problems.extend(self.tenure_overlaps());
        for e in &self.entities {
            if e.class == Class::Country {
                continue;
            }
            if let Some(c) = &e.country {
                if self.entity(&format!("country/{c}")).is_none() {
                    problems.push(format!("{}: unknown country code {c}", e.id));
                }
            }
            if e.ar.trim().is_empty() {
                problems.push(format!("{}: no Arabic name", e.id));
            }
        }
        for t in &self.triggers {
            if !EVENT_CLASSES.contains(&t.class.as_str()) {
                problems.push(format!(
                    "event_triggers: {} has unknown class {}",
                    t.form, t.class
                ));
            }
        }
        for e in &self.entities {
            if let Some(c) = &e.capital {
                if self.entity(c).is_none() {
                    problems.push(format!("countries: {} has unknown capital {c}", e.id));
                }
            }
        }
        problems
    }
}
