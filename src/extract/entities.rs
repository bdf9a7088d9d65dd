//! Entity recognition: gazetteer names, titles resolved to their holders on
//! the article's date, counterparts, national institutions, anonymous
//! sources, and patterns for the people, groups and places that no
//! reference file names. Every mention keeps its offsets into the body.

use super::knowledge::{Cue, Knowledge, NameRef};
use super::{Annotations, EntityInfo, Mention, MentionKind};
use crate::article::Article;
use crate::reference::Class;
use crate::text::matcher::Scan;
use crate::text::{is_word_char, key, normalize, Hit, Matcher, NormText, PatternKind};
use rustc_hash::FxHashMap as HashMap;
use sha2::{Digest, Sha256};

/// The recognised entities with the normalised text they were found in.
pub struct Doc {
    pub text: NormText,
    /// Where the reference data's patterns occur in `text`.
    pub scan: Scan,
    /// The words of `text`.
    pub(crate) toks: Vec<Tok>,
    pub annotations: Annotations,
    /// Byte ranges of title and institution phrases (clitics included).
    pub titled: Vec<(usize, usize)>,
}

/// A word of the normalised text: byte range.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub b: usize,
    pub e: usize,
}

/// The words of a normalised text.
pub(crate) fn tokenize(t: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in t.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Tok { b: s, e: i });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Tok { b: s, e: t.len() });
    }
    out
}

fn mint(kind: &str, parts: &[&str]) -> String {
    let d = Sha256::digest(parts.join("\u{1f}").as_bytes());
    let h: String = d.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("{kind}/m-{h}")
}

/// Where a title ends: (byte, the country it names, (position, of)).
type PersonStart = (usize, Option<String>, Option<(usize, usize)>);

struct Builder<'k> {
    k: &'k Knowledge,
    text: &'k NormText,
    toks: Vec<Tok>,
    /// word start byte → token index
    tok_at: HashMap<usize, usize>,
    ann: Annotations,
    index: HashMap<String, usize>,
    /// reference entity index → annotation entity index
    by_ref: HashMap<usize, usize>,
    /// normalised byte ranges already claimed by a person/org/place name
    taken: Vec<(usize, usize)>,
}

impl Builder<'_> {
    fn overlaps(&self, b: usize, e: usize) -> bool {
        self.taken.iter().any(|&(x, y)| b < y && x < e)
    }

    /// The entity slot for a reference entity.
    fn reference_entity(&mut self, r: usize, date: Option<chrono::NaiveDate>) -> usize {
        if let Some(&i) = self.by_ref.get(&r) {
            return i;
        }
        let e = &self.k.reference.entities[r];
        let positions = self
            .k
            .positions_on(r, date)
            .into_iter()
            .map(|(p, of)| (p, self.k.reference.entities[of].id.clone()))
            .collect();
        let info = EntityInfo {
            id: e.id.clone(),
            class: e.class,
            label_ar: e.ar.clone(),
            label_en: e.en.clone(),
            alt_labels: Vec::new(),
            country: e.country.clone(),
            positions,
        };
        let i = self.entity(info);
        self.by_ref.insert(r, i);
        i
    }

    /// The slot for an entity by id (minted or reference), created if new.
    fn entity(&mut self, info: EntityInfo) -> usize {
        if let Some(&i) = self.index.get(&info.id) {
            return i;
        }
        self.index.insert(info.id.clone(), self.ann.entities.len());
        self.ann.entities.push(info);
        self.ann.entities.len() - 1
    }

    /// Records a mention over normalised bytes `nb..ne`.
    fn mention(&mut self, entity: usize, nb: usize, ne: usize, kind: MentionKind) {
        let begin = self.text.orig_start(nb);
        let end = self.text.orig_end(ne);
        if self
            .ann
            .mentions
            .iter()
            .any(|m| m.begin == begin && m.end == end && m.entity == entity)
        {
            return;
        }
        let anchor = self.text.slice(begin, end);
        let e = &mut self.ann.entities[entity];
        if !matches!(
            kind,
            MentionKind::Role
                | MentionKind::Counterpart
                | MentionKind::Nisba
                | MentionKind::Anaphor
        ) && anchor != e.label_ar
            && !e.alt_labels.contains(&anchor)
        {
            e.alt_labels.push(anchor.clone());
        }
        self.ann.mentions.push(Mention {
            entity,
            begin,
            end,
            anchor,
            kind,
        });
    }

    /// An entity found by a pattern over normalised bytes `span`: minted,
    /// labelled with the span's original text, mentioned and claimed.
    fn pattern_entity(
        &mut self,
        id: String,
        class: Class,
        (nb, ne): (usize, usize),
        country: Option<String>,
        positions: Vec<(String, String)>,
    ) -> usize {
        let label_ar = self
            .text
            .slice(self.text.orig_start(nb), self.text.orig_end(ne));
        let e = self.entity(EntityInfo {
            id,
            class,
            label_ar,
            label_en: None,
            alt_labels: Vec::new(),
            country,
            positions,
        });
        self.mention(e, nb, ne, MentionKind::Pattern);
        self.taken.push((nb, ne));
        e
    }

    fn tok_index_at(&self, b: usize) -> Option<usize> {
        self.tok_at.get(&b).copied()
    }

    /// The next word after byte `e`, if only spaces (and, with `comma`, one
    /// comma) lie between.
    fn next_word(&self, e: usize, comma: bool) -> Option<usize> {
        let rest = &self.text.text[e..];
        let mut commas = 0;
        for (i, c) in rest.char_indices() {
            if c.is_whitespace() {
                continue;
            }
            if comma && (c == '،' || c == ',') && commas == 0 {
                commas += 1;
                continue;
            }
            return if is_word_char(c) {
                self.tok_index_at(e + i)
            } else {
                None
            };
        }
        None
    }

    fn word(&self, t: usize) -> &str {
        let Tok { b, e } = self.toks[t];
        &self.text.text[b..e]
    }
}

/// Hits indexed by the start of their word (clitics included).
fn by_word_start<'a, T>(hits: &'a [Hit<'a, T>]) -> HashMap<usize, usize> {
    hits.iter()
        .enumerate()
        .map(|(i, h)| (h.nbegin - h.prefix.len(), i))
        .collect()
}

/// Picks one reference entity when a name is shared (عمان: Oman, Amman).
fn choose(k: &Knowledge, refs: &[NameRef], present: &HashMap<usize, usize>) -> Option<NameRef> {
    let rank = |c: Class| match c {
        Class::Country => 0,
        Class::Organization => 1,
        Class::Person => 2,
        Class::City => 3,
        Class::Region => 4,
        Class::Place => 5,
        Class::AnonymousSource => 6,
    };
    refs.iter()
        .copied()
        .min_by_key(|r| (!present.contains_key(&r.entity), rank(k.class_of(r.entity))))
}

pub fn recognise(article: &Article, k: &Knowledge) -> Doc {
    let owned = normalize(&article.body);
    let scan = k.scanner.scan(&owned);
    let (annotations, titled, toks) = recognise_in(article, k, &owned, &scan);
    Doc {
        text: owned,
        scan,
        toks,
        annotations,
        titled,
    }
}

fn recognise_in(
    article: &Article,
    k: &Knowledge,
    text: &NormText,
    scan: &Scan,
) -> (Annotations, Vec<(usize, usize)>, Vec<Tok>) {
    let toks = tokenize(&text.text);
    let tok_at = toks.iter().enumerate().map(|(i, t)| (t.b, i)).collect();
    let mut b = Builder {
        k,
        text,
        toks,
        tok_at,
        ann: Annotations::default(),
        index: HashMap::default(),
        by_ref: HashMap::default(),
        taken: Vec::new(),
    };
    let date = article.date;
    let names = k.names.find(scan, text);
    let cues = k.cues.find(scan, text);
    // Short names (حيدر) do not end an unknown person's name.
    let full_names: Vec<usize> = (0..names.len())
        .filter(|&i| names[i].payloads.iter().any(|r| !r.short))
        .collect();
    let name_at: HashMap<usize, usize> = full_names
        .iter()
        .map(|&i| (names[i].nbegin - names[i].prefix.len(), i))
        .collect();
    let cue_at = by_word_start(&cues);

    // A name inside a longer title is a word of the title: القائم بالأعمال
    // (the chargé d'affaires) is not the town of القائم.
    let titles: Vec<(usize, usize)> = cues
        .iter()
        .filter(|h| h.payloads.contains(&Cue::Title))
        .map(|h| (h.nbegin, h.nend))
        .collect();
    let in_title = |nb: usize, ne: usize| {
        titles
            .iter()
            .any(|&(tb, te)| tb <= nb && ne <= te && te - tb > ne - nb)
    };

    // 1. Full names from the reference data, and the country a longer name
    //    ends with (إقليم كردستان العراق → Iraq too).
    let mut media: Vec<(usize, usize)> = Vec::new();
    for h in &names {
        let full: Vec<NameRef> = h.payloads.iter().copied().filter(|r| !r.short).collect();
        if full.is_empty() || in_title(h.nbegin, h.nend) {
            continue;
        }
        if let Some(r) = choose(k, &full, &b.by_ref) {
            let e = b.reference_entity(r.entity, date);
            b.mention(e, h.nbegin, h.nend, MentionKind::Name);
            b.taken.push((h.nbegin, h.nend));
            let ent = &k.reference.entities[r.entity];
            if ent.kind.as_deref() == Some("media") {
                media.push((h.nbegin, h.nend));
            }
            if ent.class != Class::Country {
                country_suffix(&mut b, k, h.nbegin, h.nend, date);
            }
        }
    }
    // Nationality adjectives stand for their country (الرئيس العراقي),
    // except inside the name of a foreign outlet (وكالة الصحافة الفرنسية),
    // and inside the name of a person the article names, where they are a
    // family name (محمد شياع السوداني, then السوداني) unless they qualify a
    // title (الرئيس السوداني).
    let named_people: Vec<(usize, usize)> = names
        .iter()
        .filter(|h| {
            h.payloads
                .iter()
                .any(|r| k.class_of(r.entity) == Class::Person && b.by_ref.contains_key(&r.entity))
        })
        .map(|h| (h.nbegin, h.nend))
        .collect();
    // Titles, positions, bodies and other cues, nationality adjectives
    // left out: (start with clitics, end).
    let titled: Vec<(usize, usize)> = cues
        .iter()
        .filter(|h| !h.payloads.iter().all(|p| matches!(p, Cue::Nisba(_))))
        .map(|h| (h.nbegin - h.prefix.len(), h.nend))
        .collect();
    let mut title_adjectives: Vec<(usize, usize)> = Vec::new();
    for h in &cues {
        if let Some(Cue::Nisba(c)) = h.payloads.iter().find(|p| matches!(p, Cue::Nisba(_))) {
            if media.iter().any(|&(x, y)| x <= h.nbegin && h.nend <= y) {
                continue;
            }
            let start = h.nbegin - h.prefix.len();
            let qualifies_title = right_after(&b.text.text, titled.iter().map(|t| t.1), start);
            let in_name = named_people
                .iter()
                .any(|&(x, y)| x <= h.nbegin && h.nend <= y);
            if in_name && !qualifies_title {
                continue;
            }
            if qualifies_title {
                title_adjectives.push((h.nbegin, h.nend));
            }
            let e = b.reference_entity(*c, date);
            b.mention(e, h.nbegin, h.nend, MentionKind::Nisba);
        }
    }

    // What follows a cue: a country (by nisba or name) or an organization.
    let complement = |b: &Builder, end: usize| -> Option<(usize, usize)> {
        let t = b.next_word(end, false)?;
        let start = b.toks[t].b;
        if let Some(&ci) = cue_at.get(&start) {
            let h = &cues[ci];
            if let Some(Cue::Nisba(c)) = h.payloads.iter().find(|p| matches!(p, Cue::Nisba(_))) {
                return Some((*c, h.nend));
            }
        }
        if let Some(&ni) = name_at.get(&start) {
            let h = &names[ni];
            let refs: Vec<NameRef> = h.payloads.iter().copied().filter(|r| !r.short).collect();
            if let Some(r) = refs
                .iter()
                .find(|r| matches!(k.class_of(r.entity), Class::Country | Class::Organization))
            {
                return Some((r.entity, h.nend));
            }
        }
        None
    };

    // 2. Titles: resolve to the holder on the article's date; or name the
    //    unknown person who follows; counterparts; institutions.
    let mut last_position: Option<usize> = None;
    let mut person_starts: Vec<PersonStart> = Vec::new();
    // Where a name may follow "title في body" (القيادي في الحركة عزت الرشق).
    let mut member_starts: Vec<usize> = Vec::new();
    for h in &cues {
        let span_end;
        for p in h.payloads {
            match *p {
                Cue::Position(pi) => {
                    let position = &k.reference.positions[pi].key;
                    let comp = complement(&b, h.nend);
                    // الرئيس الأمريكي المنتخب: the next holder, not today's.
                    let elect = comp
                        .and_then(|(_, end)| b.next_word(end, false))
                        .filter(|&t| matches!(b.word(t), "المنتخب" | "المنتخبه"));
                    span_end = match elect {
                        Some(t) => b.toks[t].e,
                        None => comp.map_or(h.nend, |c| c.1),
                    };
                    let holder = comp.and_then(|(of, _)| match elect {
                        Some(_) => k.holder_elect(position, of, date),
                        None => k.holder(position, of, date),
                    });
                    let country = comp.and_then(|(of, _)| k.reference.entities[of].country.clone());
                    if let Some(person) = holder {
                        let e = b.reference_entity(person, date);
                        b.mention(e, h.nbegin, span_end, MentionKind::Role);
                        last_position = Some(pi);
                    } else {
                        person_starts.push((span_end, country, comp.map(|(of, _)| (pi, of))));
                    }
                    break;
                }
                Cue::Counterpart => {
                    let comp = complement(&b, h.nend);
                    span_end = comp.map_or(h.nend, |c| c.1);
                    if let (Some((of, end)), Some(pi)) = (comp, last_position) {
                        let position = &k.reference.positions[pi].key;
                        if let Some(person) = k.holder(position, of, date) {
                            let e = b.reference_entity(person, date);
                            b.mention(e, h.nbegin, end, MentionKind::Counterpart);
                            break;
                        }
                    }
                    let country = comp.and_then(|(of, _)| k.reference.entities[of].country.clone());
                    person_starts.push((span_end, country, None));
                    break;
                }
                Cue::Body(bi) => {
                    if let Some((of, end)) = complement(&b, h.nend) {
                        let ofe = &k.reference.entities[of];
                        if ofe.class != Class::Country || b.overlaps(h.nbegin, h.nend) {
                            break;
                        }
                        let body = &k.reference.national_bodies[bi];
                        let cc = ofe.country.clone().unwrap_or_default();
                        let id = format!("org/{}-{}", cc.to_lowercase(), body.suffix);
                        let e = match k.reference.index_of(&id) {
                            Some(r) => b.reference_entity(r, date),
                            None => {
                                let anchor = b
                                    .text
                                    .slice(b.text.orig_start(h.nbegin), b.text.orig_end(end));
                                b.entity(EntityInfo {
                                    id,
                                    class: Class::Organization,
                                    label_ar: anchor,
                                    label_en: ofe
                                        .en
                                        .as_ref()
                                        .map(|c| body.en.replace("{country}", c)),
                                    alt_labels: Vec::new(),
                                    country: Some(cc),
                                    positions: Vec::new(),
                                })
                            }
                        };
                        b.mention(e, h.nbegin, end, MentionKind::Pattern);
                        b.taken.push((h.nbegin, end));
                    }
                    break;
                }
                Cue::Anonymous(ai) => {
                    anonymous(&mut b, k, ai, h, &cue_at, &cues, &name_at, &names);
                    break;
                }
                Cue::Title => {
                    let comp = complement(&b, h.nend);
                    let end = comp.map_or(h.nend, |c| c.1);
                    let country = comp.and_then(|(of, _)| k.reference.entities[of].country.clone());
                    person_starts.push((end, country, None));
                    if comp.is_none() {
                        member_starts.extend(member_of(&b, h.nend, &name_at, &names));
                    }
                    break;
                }
                Cue::OrgHead => {
                    quoted_org(&mut b, h.nend);
                    break;
                }
                Cue::PlaceHead(region) => {
                    if h.prefix.is_empty() || !h.prefix.ends_with("ال") {
                        pattern_place(&mut b, h.nend, region, &names, &name_at, &cue_at);
                    }
                    break;
                }
                Cue::Nisba(_) => {}
            }
        }
    }

    // 3. Unknown people after titles: a run of name-like words.
    for (end, country, role) in person_starts {
        if let Some((nb, ne, full)) = name_run(&b, end, &cue_at, &name_at, false) {
            if b.overlaps(nb, ne) {
                continue;
            }
            let id = mint("person", &[&full, country.as_deref().unwrap_or("")]);
            let positions = role
                .map(|(pi, of)| {
                    vec![(
                        k.reference.positions[pi].key.clone(),
                        k.reference.entities[of].id.clone(),
                    )]
                })
                .unwrap_or_default();
            b.pattern_entity(id, Class::Person, (nb, ne), country, positions);
        }
    }

    // After "title في body", only a name that opens with a given name: the
    // body may run on (القيادي في الحركة الإسلامية).
    for end in member_starts {
        if let Some((nb, ne, full)) = name_run(&b, end, &cue_at, &name_at, true) {
            if !b.overlaps(nb, ne) {
                let id = mint("person", &[&full, ""]);
                b.pattern_entity(id, Class::Person, (nb, ne), None, Vec::new());
            }
        }
    }

    // People named in apposition: "، غلام سرور دهواري،".
    let commas: Vec<usize> = b
        .text
        .text
        .char_indices()
        .filter(|(_, c)| *c == '،' || *c == ',')
        .map(|(i, c)| i + c.len_utf8())
        .collect();
    for at in commas {
        let Some((nb, ne, full)) = name_run(&b, at, &cue_at, &name_at, true) else {
            continue;
        };
        let closed = b.text.text[ne..].trim_start().starts_with(['،', ',']);
        if !closed || b.overlaps(nb, ne) {
            continue;
        }
        let id = mint("person", &[&full, ""]);
        b.pattern_entity(id, Class::Person, (nb, ne), None, Vec::new());
    }

    // 4. Short names of the people and groups already named; not a title's
    //    adjective that is also a family name (الرئيس السوداني).
    let adjective =
        |nb: usize, ne: usize| title_adjectives.iter().any(|&(x, y)| nb <= x && y <= ne);
    let present: HashMap<usize, usize> = b.by_ref.clone();
    for h in &names {
        if b.overlaps(h.nbegin, h.nend) || adjective(h.nbegin, h.nend) {
            continue;
        }
        if let Some(r) = h
            .payloads
            .iter()
            .find(|r| r.short && present.contains_key(&r.entity))
        {
            let e = present[&r.entity];
            b.mention(e, h.nbegin, h.nend, MentionKind::Short);
            b.taken.push((h.nbegin, h.nend));
        }
    }
    surnames(&mut b, adjective);
    b.ann.mentions.sort_by_key(|m| (m.begin, m.end));
    let title_ends: Vec<usize> = cues.iter().map(|h| h.nend).collect();
    anaphors(&mut b, &title_ends);

    b.ann.mentions.sort_by_key(|m| (m.begin, m.end));
    (b.ann, titled, b.toks)
}

/// A country that a longer name ends with: its own mention, nested.
fn country_suffix(
    b: &mut Builder,
    k: &Knowledge,
    nb: usize,
    ne: usize,
    date: Option<chrono::NaiveDate>,
) {
    let span = b.text.text[nb..ne].to_string();
    let mut offset = 0;
    for (i, w) in span.split(' ').enumerate() {
        if i > 0 {
            let rest = &span[offset..];
            if let Some(refs) = k.names.lookup(rest) {
                if let Some(r) = refs
                    .iter()
                    .find(|r| !r.short && k.class_of(r.entity) == Class::Country)
                {
                    let e = b.reference_entity(r.entity, date);
                    b.mention(e, nb + offset, ne, MentionKind::Name);
                    return;
                }
            }
        }
        offset += w.len() + 1;
    }
}

/// Head nouns that, made definite, stand for the organisation of that kind
/// named last: "وقالت الوزارة" after "وزارة الخارجية الإيرانية".
const ORG_HEADS: &[&str] = &[
    "منظمه",
    "وزاره",
    "وكاله",
    "حركه",
    "جماعه",
    "هيئه",
    "حزب",
    "صحيفه",
    "شركه",
    "لجنه",
    "رئاسه",
    "جبهه",
    "مفوضيه",
    "سفاره",
    "قناه",
    "مؤسسه",
];

/// "الوزارة", "والمنظمة": the organisation named last whose name opens
/// with that head noun, if one was named earlier in the article.
/// After a title (الأمين العام للحزب) the noun belongs to the title, which
/// names a person: no reference of its own.
fn anaphors(b: &mut Builder, title_ends: &[usize]) {
    let heads: Vec<(usize, String)> = b
        .ann
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.class == Class::Organization)
        .filter_map(|(i, e)| {
            let k = key(&e.label_ar);
            let first = k.split(' ').next()?.to_string();
            let first = first
                .strip_prefix("ال")
                .map(str::to_string)
                .unwrap_or(first);
            ORG_HEADS.contains(&first.as_str()).then_some((i, first))
        })
        .collect();
    if heads.is_empty() {
        return;
    }
    let mut found = Vec::new();
    for t in &b.toks {
        let word = &b.text.text[t.b..t.e];
        let bare = word.trim_start_matches(['و', 'ف']);
        // the span keeps the article, not the clitics before it
        let (head, keep) = if let Some(h) = bare.strip_prefix("ال") {
            (h, "ال".len())
        } else if let Some(h) = bare.strip_prefix("بال") {
            (h, "ال".len())
        } else if let Some(h) = bare.strip_prefix("لل") {
            (h, 0)
        } else {
            continue;
        };
        if !ORG_HEADS.contains(&head) {
            continue;
        }
        let nb = t.e - head.len() - keep;
        let after_title = right_after(&b.text.text, title_ends.iter().copied(), t.b);
        if b.overlaps(nb, t.e) || after_title {
            continue;
        }
        let begin = b.text.orig_start(nb);
        let last = b
            .ann
            .mentions
            .iter()
            .filter(|m| m.end <= begin)
            .filter_map(|m| {
                heads
                    .iter()
                    .find(|(e, h)| *e == m.entity && h == head)
                    .map(|_| (m.end, m.entity))
            })
            .max();
        if let Some((_, e)) = last {
            found.push((e, nb, t.e));
        }
    }
    for (e, nb, ne) in found {
        b.mention(e, nb, ne, MentionKind::Anaphor);
        b.taken.push((nb, ne));
    }
}

/// The last word of every person's name found in the article, matched
/// where it stands alone later (دهواري after غلام سرور دهواري), but not
/// where it is a title's adjective (`adjective`: الرئيس السوداني).
fn surnames(b: &mut Builder, adjective: impl Fn(usize, usize) -> bool) {
    let mut builder = Matcher::builder();
    for (i, e) in b.ann.entities.iter().enumerate() {
        if e.class != Class::Person {
            continue;
        }
        let mut labels: Vec<&String> = vec![&e.label_ar];
        labels.extend(e.alt_labels.iter());
        for l in labels {
            let k = key(l);
            let words: Vec<&str> = k.split(' ').collect();
            if words.len() < 2 {
                continue;
            }
            let last = words[words.len() - 1];
            if last.chars().count() >= 3 && !b.k.stopwords.contains(last) {
                builder.add(last, PatternKind::Name, i);
            }
        }
    }
    if builder.is_empty() {
        return;
    }
    let m = builder.build();
    let text = b.text;
    for h in m.find(text) {
        if b.overlaps(h.nbegin, h.nend) || h.payloads.len() != 1 || adjective(h.nbegin, h.nend) {
            continue;
        }
        b.mention(h.payloads[0], h.nbegin, h.nend, MentionKind::Short);
        b.taken.push((h.nbegin, h.nend));
    }
}

/// Whether byte `at` of `text` comes right after one of `ends` (nothing
/// but spaces between).
fn right_after(text: &str, ends: impl IntoIterator<Item = usize>, at: usize) -> bool {
    ends.into_iter()
        .any(|e| e <= at && text[e..at].trim().is_empty())
}

/// "في" and the body a title belongs to, after the title ending at byte
/// `end`: a known name (في حركة حماس) or one definite word (في الحركة).
/// The byte where the body ends.
fn member_of(
    b: &Builder,
    end: usize,
    name_at: &HashMap<usize, usize>,
    names: &[Hit<NameRef>],
) -> Option<usize> {
    let fi = b.next_word(end, false).filter(|&t| b.word(t) == "في")?;
    let body = b.next_word(b.toks[fi].e, false)?;
    if let Some(&ni) = name_at.get(&b.toks[body].b) {
        return Some(names[ni].nend);
    }
    let w = b.word(body);
    (w.starts_with("ال") && w.chars().count() > 3).then_some(b.toks[body].e)
}

/// A run of name-like words starting right after byte `end` (a comma may
/// stand between): 2–4 words, no stopwords, not a known name or cue.
fn name_run(
    b: &Builder,
    end: usize,
    cue_at: &HashMap<usize, usize>,
    name_at: &HashMap<usize, usize>,
    apposition: bool,
) -> Option<(usize, usize, String)> {
    let first = b.next_word(end, true)?;
    let mut words = Vec::new();
    let mut t = first;
    loop {
        let w = b.word(t);
        let tb = b.toks[t].b;
        // علي is also على once normalised: a name only in apposition.
        let ali = apposition && words.is_empty() && w == "علي";
        if (b.k.stopwords.contains(w) && !ali)
            || cue_at.contains_key(&tb)
            || name_at.contains_key(&tb)
        {
            break;
        }
        if w.chars().any(|c| c.is_ascii_digit()) || w.chars().count() < 2 {
            break;
        }
        // Inside a name, a word with the article only ends it (الموسوي).
        let has_article = w.starts_with("ال") && w.chars().count() > 3;
        if has_article && words.is_empty() {
            break;
        }
        // عبد الكاظم, أبو العباس: the article inside a compound name.
        let compound = has_article
            && words
                .last()
                .is_some_and(|&p| matches!(b.word(p), "عبد" | "ابو" | "ابي" | "بن"));
        if w.starts_with('و') && !words.is_empty() && !b.k.given_names.contains(w) {
            break;
        }
        words.push(t);
        if (has_article && !compound) || words.len() == 5 {
            break;
        }
        match b.next_word(b.toks[t].e, false) {
            Some(n) => t = n,
            None => break,
        }
    }
    // "عبد" needs its second half.
    if words.len() == 2 && b.word(words[1]) == "عبد" {
        return None;
    }
    let first_word = b.word(*words.first()?);
    let starts_like_name =
        b.k.given_names.contains(first_word) || (apposition && first_word == "علي");
    if apposition && !starts_like_name {
        return None;
    }
    if words.len() < 2 || (!starts_like_name && words.len() < 2) {
        return None;
    }
    if !starts_like_name {
        // Without a known given name: not a preposition and a verbal noun
        // of the lexicons (لطلب توضيحات, "to ask for explanations"),
        let purpose = ["ل", "ب"].iter().any(|p| {
            first_word
                .strip_prefix(p)
                .is_some_and(|rest| b.k.lexicon_words.contains(rest))
        });
        if purpose {
            return None;
        }
        // no pronoun suffixes (وفدها), no adjectives with the article, and
        // a clear end of the name.
        let plain = words.iter().all(|&t| {
            let w = b.word(t);
            !w.ends_with("ها") && !w.ends_with("هم") && !w.ends_with("هما") && !w.starts_with("ال")
        });
        if !plain {
            return None;
        }
        let after = &b.text.text[b.toks[*words.last()?].e..];
        let next = after.trim_start().chars().next();
        let clear = next.is_none_or(|c| !is_word_char(c))
            || b.next_word(b.toks[*words.last()?].e, false)
                .is_some_and(|n| b.k.stopwords.contains(b.word(n)));
        if !clear {
            return None;
        }
    }
    let nb = b.toks[words[0]].b;
    let ne = b.toks[*words.last()?].e;
    Some((nb, ne, b.text.text[nb..ne].to_string()))
}

/// An anonymous source: head noun + qualifiers (+ nationality).
#[allow(clippy::too_many_arguments)]
fn anonymous(
    b: &mut Builder,
    k: &Knowledge,
    ai: usize,
    h: &Hit<Cue>,
    cue_at: &HashMap<usize, usize>,
    cues: &[Hit<Cue>],
    name_at: &HashMap<usize, usize>,
    names: &[Hit<NameRef>],
) {
    let head = &k.reference.anonymous[ai];
    let quals: Vec<String> = head.qualifiers.iter().map(|q| key(q)).collect();
    let mut end = h.nend;
    let mut core_end = h.nend;
    // A head without qualifiers is anonymous as written (مصادر مطلعة).
    let mut qualified = quals.is_empty();
    let mut country = None;
    for _ in 0..3 {
        let Some(t) = b.next_word(end, false) else {
            break;
        };
        let w = b.word(t).to_string();
        let bare = w.strip_prefix("ال").unwrap_or(&w);
        if quals.iter().any(|q| *q == w || q == bare) {
            qualified = true;
            end = b.toks[t].e;
            core_end = end;
            continue;
        }
        if let Some(&ci) = cue_at.get(&b.toks[t].b) {
            if let Some(Cue::Nisba(c)) = cues[ci]
                .payloads
                .iter()
                .find(|p| matches!(p, Cue::Nisba(_)))
            {
                country = k.reference.entities[*c].country.clone();
                end = cues[ci].nend;
                core_end = end;
                qualified = true;
                continue;
            }
        }
        // "مصدر في الكرملين", "مصدر مقرب من حزب الله": the body it is close to.
        if matches!(w.as_str(), "في" | "من" | "داخل") {
            if let Some(n) = b.next_word(b.toks[t].e, false) {
                if let Some(&ni) = name_at.get(&b.toks[n].b) {
                    end = names[ni].nend;
                    qualified = true;
                }
            }
        }
        break;
    }
    if !qualified || b.overlaps(h.nbegin, core_end) {
        return;
    }
    let id = mint("actor", &["anonymous", &b.text.text[h.nbegin..end]]);
    b.pattern_entity(
        id,
        Class::AnonymousSource,
        (h.nbegin, end),
        country,
        Vec::new(),
    );
}

/// جماعة "X" / حركة «X»: an organization named in quotes.
fn quoted_org(b: &mut Builder, end: usize) {
    let rest = &b.text.text[end..];
    let trimmed = rest.trim_start();
    let Some(open) = trimmed.chars().next() else {
        return;
    };
    let close = match open {
        '"' => '"',
        '«' => '»',
        '“' => '”',
        _ => return,
    };
    let qb = end + (rest.len() - trimmed.len()) + open.len_utf8();
    let Some(len) = b.text.text[qb..].find(close) else {
        return;
    };
    let qe = qb + len;
    let inner = &b.text.text[qb..qe];
    let words = inner.split_whitespace().count();
    if !(1..=5).contains(&words) || b.overlaps(qb, qe) {
        return;
    }
    let id = mint("org", &[inner]);
    b.pattern_entity(id, Class::Organization, (qb, qe), None, Vec::new());
}

/// مدينة X / منطقة X: a place the gazetteer lacks (1–2 words).
fn pattern_place(
    b: &mut Builder,
    end: usize,
    region: bool,
    names: &[Hit<NameRef>],
    name_at: &HashMap<usize, usize>,
    cue_at: &HashMap<usize, usize>,
) {
    let Some(t) = b.next_word(end, false) else {
        return;
    };
    if let Some(&ni) = name_at.get(&b.toks[t].b) {
        // A known place after its head: nothing new (the name is its mention).
        let _ = &names[ni];
        return;
    }
    let mut words = Vec::new();
    let mut cur = Some(t);
    while let Some(t) = cur {
        let w = b.word(t);
        if b.k.stopwords.contains(w)
            || w.starts_with("ال")
            || cue_at.contains_key(&b.toks[t].b)
            || name_at.contains_key(&b.toks[t].b)
            || w.chars().any(|c| c.is_ascii_digit())
            || w.chars().count() < 3
            || words.len() == 2
        {
            break;
        }
        // An indefinite head's feminine adjective is no name (منطقة عازلة).
        let last = b.text.orig_end(b.toks[t].e);
        if words.is_empty() && last > 0 && b.text.original.get(last - 1) == Some(&'ة') {
            return;
        }
        if w.starts_with('و') && !words.is_empty() {
            break;
        }
        words.push(t);
        cur = b.next_word(b.toks[t].e, false);
    }
    let (Some(&f), Some(&l)) = (words.first(), words.last()) else {
        return;
    };
    let (nb, ne) = (b.toks[f].b, b.toks[l].e);
    if b.overlaps(nb, ne) {
        return;
    }
    let id = mint("place", &[&b.text.text[nb..ne]]);
    let class = if region { Class::Region } else { Class::City };
    b.pattern_entity(id, class, (nb, ne), None, Vec::new());
}
