//! Reference data compiled for matching: built once per process, shared
//! read-only by every extraction thread.

use crate::reference::{Class, CueRole, Reference};
use crate::text::matcher::{MatcherBuilder, Patterns, Scanner};
use crate::text::{key, Matcher, PatternKind};
use chrono::NaiveDate;
use std::collections::HashMap;

/// What a name pattern stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameRef {
    pub entity: usize,
    /// A short name, safe only once the entity is named.
    pub short: bool,
}

/// What a role-layer pattern stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// A title of a position (`positions.tsv`).
    Position(usize),
    /// A nationality adjective of a country.
    Nisba(usize),
    /// An institution head phrase (`national_bodies.tsv`).
    Body(usize),
    /// نظيره / نظيرته / نظراؤه: the counterpart (`name_cues.tsv`).
    Counterpart,
    /// An anonymous-source head noun.
    Anonymous(usize),
    /// A generic title before a person's name (السفير, اللواء, الدكتور;
    /// `name_cues.tsv`).
    Title,
    /// A head noun before an organization's name (جماعة, حركة, حزب;
    /// `name_cues.tsv`).
    OrgHead,
    /// A head noun before a place's name (مدينة, بلدة, محافظة;
    /// `name_cues.tsv`).
    PlaceHead(bool),
    /// A head noun before a site's name (مطار, معبر, سد; `name_cues.tsv`).
    SiteHead,
}

/// A tenure, resolved to entity indexes.
#[derive(Debug, Clone, Copy)]
pub struct Holder {
    pub person: usize,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

/// A tenure seen from its holder: (position, of-entity, start, end).
pub type TenureOf = (String, usize, Option<NaiveDate>, Option<NaiveDate>);

/// The compiled reference data.
pub struct Knowledge {
    pub reference: Reference,
    /// Searches an article for all four pattern sets below at once.
    pub scanner: Scanner,
    pub names: Patterns<NameRef>,
    pub cues: Patterns<Cue>,
    pub verbs: Patterns<usize>,
    pub triggers: Patterns<usize>,
    /// (position key, of-entity index) → holders.
    holders: HashMap<(String, usize), Vec<Holder>>,
    /// Person index → (position key, of-entity index) of every tenure.
    pub tenures_of: HashMap<usize, Vec<TenureOf>>,
    /// Normalised function words that never start or continue a name.
    pub stopwords: std::collections::HashSet<String>,
    /// Normalised given names: a strong sign that a person's name starts.
    pub given_names: std::collections::HashSet<String>,
    /// Normalised given names that are also common words (أمل, نور).
    pub word_names: std::collections::HashSet<String>,
    /// Normalised adjectives that close an institution's name (الوطنية).
    pub org_adjectives: std::collections::HashSet<String>,
    /// Normalised words never in a person's name without a title (الله).
    pub not_names: std::collections::HashSet<String>,
    /// Normalised endings of foreign family names (وف, سكي).
    pub surname_endings: Vec<String>,
    /// Normalised one-word reporting verbs and event triggers (طلب, زيارة):
    /// after ل or ب (لطلب, "to ask for") no unknown name starts with one.
    pub lexicon_words: std::collections::HashSet<String>,
}

impl Knowledge {
    /// Compiles reference data. Tenures naming unknown people are skipped.
    pub fn new(reference: Reference) -> Knowledge {
        let mut names: MatcherBuilder<NameRef> = Matcher::builder();
        for (i, e) in reference.entities.iter().enumerate() {
            names.add(
                &e.ar,
                PatternKind::Name,
                NameRef {
                    entity: i,
                    short: false,
                },
            );
            for a in &e.aliases {
                names.add(
                    a,
                    PatternKind::Name,
                    NameRef {
                        entity: i,
                        short: false,
                    },
                );
            }
            for s in &e.short {
                names.add(
                    s,
                    PatternKind::Name,
                    NameRef {
                        entity: i,
                        short: true,
                    },
                );
            }
        }
        let mut cues: MatcherBuilder<Cue> = Matcher::builder();
        for (i, p) in reference.positions.iter().enumerate() {
            for ph in &p.phrases {
                cues.add(ph, PatternKind::Word, Cue::Position(i));
            }
        }
        for (i, e) in reference.entities.iter().enumerate() {
            for n in &e.nisba {
                cues.add(n, PatternKind::Word, Cue::Nisba(i));
            }
        }
        for (i, b) in reference.national_bodies.iter().enumerate() {
            for ph in &b.phrases {
                cues.add(ph, PatternKind::Word, Cue::Body(i));
            }
        }
        let cue_words = |roles: &'static [CueRole]| {
            reference
                .name_cues
                .iter()
                .filter(move |c| roles.contains(&c.role))
        };
        for c in cue_words(&[CueRole::Counterpart]) {
            cues.add(&c.form, PatternKind::Word, Cue::Counterpart);
        }
        for (i, a) in reference.anonymous.iter().enumerate() {
            cues.add(&a.head, PatternKind::Word, Cue::Anonymous(i));
        }
        for c in cue_words(&[CueRole::Title]) {
            cues.add(&c.form, PatternKind::Word, Cue::Title);
        }
        for c in cue_words(&[CueRole::OrgHead]) {
            cues.add(&c.form, PatternKind::Word, Cue::OrgHead);
        }
        for c in cue_words(&[CueRole::PlaceHead, CueRole::RegionHead]) {
            let region = c.role == CueRole::RegionHead;
            cues.add(&c.form, PatternKind::Word, Cue::PlaceHead(region));
        }
        for c in cue_words(&[CueRole::SiteHead]) {
            cues.add(&c.form, PatternKind::Word, Cue::SiteHead);
        }
        let mut verbs: MatcherBuilder<usize> = Matcher::builder();
        for (i, v) in reference.verbs.iter().enumerate() {
            verbs.add(
                &v.form,
                if v.adverbial {
                    PatternKind::Name
                } else {
                    PatternKind::Verb
                },
                i,
            );
        }
        let mut triggers: MatcherBuilder<usize> = Matcher::builder();
        for (i, t) in reference.triggers.iter().enumerate() {
            let kind = if t.cue {
                PatternKind::Word
            } else if t.verb {
                PatternKind::Verb
            } else {
                PatternKind::Noun
            };
            triggers.add(&t.form, kind, i);
        }
        let mut holders: HashMap<(String, usize), Vec<Holder>> = HashMap::new();
        let mut tenures_of: HashMap<usize, Vec<_>> = HashMap::new();
        for t in &reference.tenures {
            let (Some(person), Some(of)) = (
                reference.index_of(&t.person),
                reference.index_of(&Reference::of_entity(&t.of)),
            ) else {
                continue;
            };
            holders
                .entry((t.position.clone(), of))
                .or_default()
                .push(Holder {
                    person,
                    start: t.start,
                    end: t.end,
                });
            tenures_of
                .entry(person)
                .or_default()
                .push((t.position.clone(), of, t.start, t.end));
        }
        let stopwords = cue_words(&[CueRole::Stopword])
            .map(|c| key(&c.form))
            .collect();
        let given_names = reference.given_names.iter().map(|n| key(n)).collect();
        let word_names = reference.word_names.iter().map(|n| key(n)).collect();
        let words_of = |role: CueRole| {
            reference
                .name_cues
                .iter()
                .filter(|c| c.role == role)
                .map(|c| key(&c.form))
                .collect::<std::collections::HashSet<String>>()
        };
        let org_adjectives = words_of(CueRole::OrgAdjective);
        let not_names = words_of(CueRole::NotName);
        let surname_endings = words_of(CueRole::SurnameEnding).into_iter().collect();
        let lexicon_words = reference
            .verbs
            .iter()
            .map(|v| &v.form)
            .chain(reference.triggers.iter().map(|t| &t.form))
            .filter(|f| !f.trim().contains(' '))
            .map(|f| key(f))
            .collect();
        // One automaton for all four sets: an article is scanned once.
        let (mut names, mut cues, mut verbs, mut triggers) = (
            names.patterns(),
            cues.patterns(),
            verbs.patterns(),
            triggers.patterns(),
        );
        let scanner = Scanner::shared(&mut [&mut names, &mut cues, &mut verbs, &mut triggers]);
        Knowledge {
            reference,
            scanner,
            names,
            cues,
            verbs,
            triggers,
            holders,
            tenures_of,
            stopwords,
            given_names,
            word_names,
            org_adjectives,
            not_names,
            surname_endings,
            lexicon_words,
        }
    }

    /// Who held `position` of `of` on `date` (the latest start wins when
    /// tenures overlap, e.g. an acting holder). `None` without a date.
    pub fn holder(&self, position: &str, of: usize, date: Option<NaiveDate>) -> Option<usize> {
        let date = date?;
        self.holders
            .get(&(position.to_string(), of))?
            .iter()
            .filter(|h| h.start.is_none_or(|s| s <= date) && h.end.is_none_or(|e| date <= e))
            .max_by_key(|h| h.start)
            .map(|h| h.person)
    }

    /// Who is `position`-elect of `of` on `date`: the next holder, whose
    /// tenure starts on `date` (sworn in the day of the election) or after
    /// it, within a year (an election comes months, not years, before the
    /// office).
    pub fn holder_elect(
        &self,
        position: &str,
        of: usize,
        date: Option<NaiveDate>,
    ) -> Option<usize> {
        let date = date?;
        self.holders
            .get(&(position.to_string(), of))?
            .iter()
            .filter_map(|h| h.start.filter(|&s| s >= date).map(|s| (s, h.person)))
            .filter(|&(s, _)| (s - date).num_days() <= 366)
            .min_by_key(|&(s, _)| s)
            .map(|(_, person)| person)
    }

    /// The positions a person held on `date`.
    pub fn positions_on(&self, person: usize, date: Option<NaiveDate>) -> Vec<(String, usize)> {
        let Some(date) = date else { return Vec::new() };
        self.tenures_of
            .get(&person)
            .map(|ts| {
                ts.iter()
                    .filter(|(_, _, s, e)| {
                        s.is_none_or(|s| s <= date) && e.is_none_or(|e| date <= e)
                    })
                    .map(|(p, of, _, _)| (p.clone(), *of))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn class_of(&self, entity: usize) -> Class {
        self.reference.entities[entity].class
    }
}
