//! Reference data compiled for matching: built once per process, shared
//! read-only by every extraction thread.

use crate::reference::{Class, Reference};
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
    /// نظيره / نظيرته / نظراؤه: the counterpart.
    Counterpart,
    /// An anonymous-source head noun.
    Anonymous(usize),
    /// A generic title before a person's name (السفير, اللواء, الدكتور).
    Title,
    /// A head noun before an organization's name (جماعة, حركة, حزب).
    OrgHead,
    /// A head noun before a place's name (مدينة, بلدة, محافظة).
    PlaceHead(bool),
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
}

/// Generic titles that precede a person's name.
const TITLES: &[&str] = &[
    "السفير",
    "السفيرة",
    "اللواء",
    "العميد",
    "العقيد",
    "الفريق",
    "الفريق أول",
    "المشير",
    "الجنرال",
    "الدكتور",
    "الدكتورة",
    "د.",
    "الشيخ",
    "السيد",
    "السيدة",
    "الأستاذ",
    "المهندس",
    "القاضي",
    "النائب",
    "النائبة",
    "الوزير",
    "الوزيرة",
    "المتحدث",
    "المتحدثة",
    "الناطق",
    "الناطقة",
    "المتحدث باسم",
    "المتحدثة باسم",
    "الناطق باسم",
    "الناطقة باسم",
    "محافظ",
    "محافظة",
    "قائد",
    "قائدة",
    "مدير",
    "مديرة",
    "رئيس",
    "رئيسة",
    "نائب رئيس",
    "عضو",
    "المبعوث",
    "المبعوثة",
    "المبعوث الخاص",
    "الممثل",
    "المستشار",
    "المستشارة",
    "عميد",
    "رئيس بلدية",
    "رئيس بلدية",
    "المفتي",
    "الإمام",
    "الصحفي",
    "الصحفية",
    "المحلل",
    "الباحث",
    "الباحثة",
    "الأمين العام",
    "الأمين العام المساعد",
    "القائم بالأعمال",
    "المندوب",
    "مندوب",
    "المدير العام",
    "زعيم",
    "الزعيم",
    "القيادي",
    "القيادية",
    "المسؤول",
    "مسؤول",
    "الناشط",
    "الناشطة",
    "المراسل",
    "مراسل",
    "أستاذ",
    "الأستاذ الجامعي",
    "البروفيسور",
    "الكاتب",
    "الكاتبة",
    "الخبير",
];

/// Heads of organization names.
const ORG_HEADS: &[&str] = &[
    "جماعة",
    "حركة",
    "حزب",
    "تنظيم",
    "ميليشيا",
    "ميليشيات",
    "مليشيا",
    "فصيل",
    "فصائل",
    "كتائب",
    "سرايا",
    "ألوية",
    "لواء",
    "جبهة",
    "هيئة",
    "مجلس",
    "منظمة",
    "جمعية",
    "اتحاد",
    "شركة",
    "مؤسسة",
    "جامعة",
    "وكالة",
    "صحيفة",
    "قناة",
    "موقع",
    "تحالف",
    "ائتلاف",
    "تيار",
    "جيش",
];

/// Heads of place names: (word, is a region).
const PLACE_HEADS: &[(&str, bool)] = &[
    ("مدينة", false),
    ("بلدة", false),
    ("قرية", false),
    ("مخيم", false),
    ("حي", false),
    ("ضاحية", false),
    ("محافظة", true),
    ("منطقة", true),
    ("إقليم", true),
    ("ولاية", true),
    ("مقاطعة", true),
    ("قضاء", true),
    ("ناحية", true),
    ("مديرية", true),
    ("جزيرة", true),
];

const COUNTERPART: &[&str] = &[
    "نظيره",
    "نظيرته",
    "نظيرها",
    "نظيريه",
    "نظراؤه",
    "نظرائه",
    "نظيرهم",
    "نظيرتها",
];

/// Words that end a name: prepositions, particles, pronouns, time words.
const STOPWORDS: &[&str] = &[
    "في",
    "على",
    "إلى",
    "الى",
    "من",
    "عن",
    "مع",
    "أن",
    "إن",
    "أنه",
    "إنه",
    "أنها",
    "إنها",
    "أنّ",
    "إنّ",
    "الذي",
    "التي",
    "الذين",
    "اللذين",
    "خلال",
    "بعد",
    "قبل",
    "بين",
    "حول",
    "ضد",
    "ضدّ",
    "لدى",
    "عند",
    "منذ",
    "حتى",
    "اليوم",
    "أمس",
    "غدا",
    "الأحد",
    "الاثنين",
    "الثلاثاء",
    "الأربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "هو",
    "هي",
    "هم",
    "كان",
    "كانت",
    "قد",
    "لقد",
    "لم",
    "لن",
    "لا",
    "ما",
    "ماذا",
    "كما",
    "أو",
    "أي",
    "أيّ",
    "إذ",
    "إذا",
    "ثم",
    "حيث",
    "بأن",
    "بأنّ",
    "لأن",
    "كل",
    "جميع",
    "عبر",
    "أيضا",
    "صباح",
    "مساء",
    "فجر",
    "ظهر",
    "ليل",
    "يوم",
    "الماضي",
    "المقبل",
    "الحالي",
    "نفسه",
    "بشأن",
    "تجاه",
    "نحو",
    "وفق",
    "وفقا",
    "إثر",
    "عقب",
    "لدعوة",
    "بحضور",
    "رسمية",
    "رسمي",
    "الرسمية",
    "الخاص",
    "الخاصة",
    "السابق",
    "السابقة",
    "الجديد",
    "الجديدة",
    "الأول",
    "الأولى",
    "إلا",
    "غير",
    "سوى",
    "ليس",
    "بل",
    "لكن",
    "لكنّ",
    "ولكن",
    "عندما",
    "بينما",
    "فيما",
    "لما",
    "مما",
    "ممن",
    "عما",
    "به",
    "بها",
    "له",
    "لها",
    "لهم",
    "عليه",
    "عليها",
    "إليه",
    "إليها",
    "منه",
    "منها",
    "فيه",
    "فيها",
    "اليمني",
];

/// Common given names (a sign that a person's name starts here).
const GIVEN_NAMES: &str = include_str!("../../data/lexicon/given_names.tsv");

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
        for c in COUNTERPART {
            cues.add(c, PatternKind::Word, Cue::Counterpart);
        }
        for (i, a) in reference.anonymous.iter().enumerate() {
            cues.add(&a.head, PatternKind::Word, Cue::Anonymous(i));
        }
        for t in TITLES {
            cues.add(t, PatternKind::Word, Cue::Title);
        }
        for h in ORG_HEADS {
            cues.add(h, PatternKind::Word, Cue::OrgHead);
        }
        for (h, region) in PLACE_HEADS {
            cues.add(h, PatternKind::Word, Cue::PlaceHead(*region));
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
        let stopwords = STOPWORDS.iter().map(|s| key(s)).collect();
        let given_names = GIVEN_NAMES
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#') && l.trim() != "name")
            .map(key)
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
