//! Names that come with no title, the shape of short texts (a forum post, a
//! caption, one sentence of a report): people by a given name and the
//! name-shaped words after it, or by the ending of a foreign family name;
//! institutions by their head noun and a place or a closing adjective;
//! sites (airports, crossings, dams) by their head noun.
//!
//! Each rule wants two signs, never one: a name standing alone (إبراهيم)
//! or a head with a common noun after it (شركة طيران) names nothing.

use super::{mint, Builder, Tok};
use crate::extract::knowledge::{Cue, NameRef};
use crate::reference::Class;
use crate::text::{is_word_char, Hit};
use rustc_hash::FxHashMap as HashMap;

/// The words a family name is joined by (محمد بن سلمان, عمر أبو ليلى).
const JOINERS: &[&str] = &["بن", "ابن", "بنت", "ابو", "ابي", "عبد"];

/// A sound plural's ending (ـات، ـين، ـون): a common noun's, not a name's.
fn plural_ending(w: &str) -> bool {
    ["ات", "ين", "ون"].iter().any(|s| w.ends_with(s))
}

/// What the scanner found, by the start of the word (clitics included).
pub(super) struct Found<'a, 'h> {
    pub cue_at: &'a HashMap<usize, usize>,
    pub cues: &'a [Hit<'h, Cue>],
    pub name_at: &'a HashMap<usize, usize>,
    pub names: &'a [Hit<'h, NameRef>],
    /// Where reporting verbs start.
    pub verb_at: &'a HashMap<usize, usize>,
}

impl Builder<'_> {
    /// The word's last original character is ة (a feminine noun or
    /// adjective: منطقة، كبيرة), which normalisation folds into ه.
    fn ends_in_taa(&self, t: usize) -> bool {
        let end = self.text.orig_end(self.toks[t].e);
        end > 0 && self.text.original.get(end - 1) == Some(&'ة')
    }

    fn span_is_free(&self, t: usize) -> bool {
        let Tok { b, e } = self.toks[t];
        !self.overlaps(b, e)
    }

    /// Nothing but the end of the text, punctuation, a function word, a
    /// reporting verb or a word with و (a new coordinate) after byte `e`.
    fn clear_end(&self, e: usize, f: &Found) -> bool {
        let after = self.text.text[e..].trim_start();
        if after.chars().next().is_none_or(|c| !is_word_char(c)) {
            return true;
        }
        let Some(n) = self.next_word(e, false) else {
            return true;
        };
        let w = self.word(n);
        self.k.stopwords.contains(w)
            || f.verb_at.contains_key(&self.toks[n].b)
            || self.k.lexicon_words.contains(w)
            || (w.starts_with('و') && w.chars().count() > 3)
    }

    /// A word that may stand inside a person's name: no function word, cue,
    /// known name, number, verb of the lexicons, pious formula or present
    /// tense verb (يعمل، تقول).
    fn name_shaped(&self, t: usize, f: &Found) -> bool {
        let w = self.word(t);
        let start = self.toks[t].b;
        let n = w.chars().count();
        if n < 2
            || self.k.stopwords.contains(w)
            || self.k.not_names.contains(w)
            || self.k.lexicon_words.contains(w)
            || f.cue_at.contains_key(&start)
            || f.name_at.contains_key(&start)
            || f.verb_at.contains_key(&start)
            || w.chars().any(|c| c.is_ascii_digit())
        {
            return false;
        }
        let present_tense = w.starts_with(['ي', 'ت', 'ن']) && (4..=5).contains(&n);
        !present_tense || self.k.given_names.contains(w)
    }

    /// A definite word that may end a name as a family name (الرشق,
    /// الحوثي): not a feminine or plural noun (الحكومة، المسلمين).
    fn family_name(&self, t: usize, f: &Found) -> bool {
        let w = self.word(t);
        w.starts_with("ال")
            && w.chars().count() > 3
            && self.name_shaped(t, f)
            && !self.ends_in_taa(t)
            && !plural_ending(w)
    }
}

/// People with no title: a given name, then one to three name-shaped words
/// (مونيك لودير, عزت عبد الكريم الرشق). A given name that is also a
/// common word (أمل, نور, عادل) names a person only before another given
/// name or a joiner (عادل عبد المهدي) or before a verb of saying.
pub(super) fn people(b: &mut Builder, f: &Found) {
    let mut t = 0;
    while t < b.toks.len() {
        match person_at(b, t, f) {
            Some((last, full)) => {
                let (nb, ne) = (b.toks[t].b, b.toks[last].e);
                let nb = nb + clitic_len(b, t);
                let id = mint("person", &[&full, ""]);
                b.pattern_entity(id, Class::Person, (nb, ne), None, Vec::new());
                t = last + 1;
            }
            None => t += 1,
        }
    }
}

/// The bytes of a clitic before the given name at word `t`: و or ف; ل or
/// ب only before a name of four letters or more that is no common word
/// (لجان, "committees", is no ل + جان).
fn clitic_len(b: &Builder, t: usize) -> usize {
    let w = b.word(t);
    if b.k.given_names.contains(w) {
        return 0;
    }
    ["و", "ف", "ل", "ب"]
        .iter()
        .find(|p| {
            w.strip_prefix(**p).is_some_and(|r| {
                let n = r.chars().count();
                b.k.given_names.contains(r)
                    && n > 2
                    && (matches!(**p, "و" | "ف") || (n >= 4 && !b.k.word_names.contains(r)))
            })
        })
        .map_or(0, |p| p.len())
}

/// The last word and the normalised text of an untitled person's name
/// starting at word `t`.
fn person_at(b: &Builder, t: usize, f: &Found) -> Option<(usize, String)> {
    if !b.span_is_free(t) {
        return None;
    }
    let w = b.word(t);
    let cl = clitic_len(b, t);
    let given = &w[cl..];
    if !b.k.given_names.contains(given) {
        return None;
    }
    // A title just before: the title rules had their say.
    if t > 0 && f.cue_at.contains_key(&b.toks[t - 1].b) {
        return None;
    }
    // علي is also على once normalised: only the spelling with ي.
    let ali = given == "علي" && {
        let end = b.text.orig_end(b.toks[t].e);
        end > 0 && b.text.original.get(end - 1) != Some(&'ي')
    };
    if ali {
        return None;
    }
    let weak = b.k.word_names.contains(given) || given == "علي";
    let mut words = vec![t];
    let mut cur = t;
    let mut strong = false;
    while words.len() < 4 {
        let Some(n) = b.next_word(b.toks[cur].e, false) else {
            break;
        };
        if !b.span_is_free(n) {
            break;
        }
        let nw = b.word(n);
        let prev = b.word(cur);
        let joined = JOINERS.contains(&prev);
        if nw.starts_with('و') && !b.k.given_names.contains(nw) {
            break;
        }
        // عبد الكريم: the article inside a compound name.
        if joined && nw.starts_with("ال") && nw.chars().count() > 3 {
            if !b.name_shaped(n, f) && !b.k.not_names.contains(nw) {
                break;
            }
            words.push(n);
            cur = n;
            strong = true;
            continue;
        }
        if nw.starts_with("ال") {
            if b.family_name(n, f) && !joined {
                words.push(n);
            }
            break;
        }
        if JOINERS.contains(&nw) {
            words.push(n);
            cur = n;
            strong = true;
            continue;
        }
        if !b.name_shaped(n, f) || (b.ends_in_taa(n) && !b.k.given_names.contains(nw)) {
            break;
        }
        if words.len() == 1 && b.k.given_names.contains(nw) && !b.k.word_names.contains(nw) {
            strong = true;
        }
        words.push(n);
        cur = n;
    }
    // A joiner needs what it joins.
    while words.len() > 1 && JOINERS.contains(&b.word(*words.last()?)) {
        words.pop();
    }
    // عبد الرحمن is one given name: a name needs a word more (عبد اللهيان
    // alone is the end of a longer name).
    let needed = if given == "عبد" { 3 } else { 2 };
    if words.len() < needed {
        return None;
    }
    let last = *words.last()?;
    if !b.clear_end(b.toks[last].e, f) {
        return None;
    }
    let said = b
        .next_word(b.toks[last].e, false)
        .is_some_and(|n| f.verb_at.contains_key(&b.toks[n].b));
    if weak && !strong && !said {
        return None;
    }
    let nb = b.toks[t].b + cl;
    Some((last, b.text.text[nb..b.toks[last].e].to_string()))
}

/// People named by a foreign family name's ending with no given name
/// known: two or three name-shaped words, the last ending like لافروف or
/// زيلينسكي, none a feminine noun.
pub(super) fn foreign_people(b: &mut Builder, f: &Found) {
    // Arabic nouns of the shapes مفعول and تفاعيل end like Russian names
    // (معروف, تكاليف): a surname in وف or يف is longer and starts otherwise.
    let ends_like_surname = |w: &str| {
        let n = w.chars().count();
        b.k.surname_endings.iter().any(|s| {
            w.ends_with(s.as_str())
                && if matches!(s.as_str(), "وف" | "يف") {
                    n >= 6 && !w.starts_with(['م', 'ت', 'ا'])
                } else {
                    n >= 5
                }
        })
    };
    let mut found = Vec::new();
    for t in 0..b.toks.len() {
        let w = b.word(t);
        // وفوتشيتش: a name coordinated with the one before, not its end.
        if !ends_like_surname(w)
            || w.starts_with("ال")
            || w.starts_with('و')
            || !b.name_shaped(t, f)
        {
            continue;
        }
        // Back over one or two name-shaped words.
        let mut first = t;
        for _ in 0..2 {
            if first == 0 {
                break;
            }
            let p = first - 1;
            let gap = &b.text.text[b.toks[p].e..b.toks[first].b];
            let pw = b.word(p);
            if !gap.trim().is_empty()
                || !b.name_shaped(p, f)
                || pw.starts_with("ال")
                || pw.starts_with('و')
                || b.ends_in_taa(p)
                || plural_ending(pw)
            {
                break;
            }
            first = p;
        }
        if first == t || !(first..=t).all(|i| b.span_is_free(i)) {
            continue;
        }
        if !b.clear_end(b.toks[t].e, f) {
            continue;
        }
        found.push((b.toks[first].b, b.toks[t].e));
    }
    for (nb, ne) in found {
        if b.overlaps(nb, ne) {
            continue;
        }
        let full = b.text.text[nb..ne].to_string();
        let id = mint("person", &[&full, ""]);
        b.pattern_entity(id, Class::Person, (nb, ne), None, Vec::new());
    }
}

/// An institution by its head noun (no article on it): a known place or
/// country after it (جامعة الدمام), or one definite noun and a closing
/// adjective — a nationality or one of the lexicon's (مؤسسة الطيران
/// السورية, معاهد الصحة القومية). The span keeps the head, as the name
/// is written.
pub(super) fn head_org(b: &mut Builder, h: &Hit<Cue>, f: &Found) {
    let Some((end, country)) = named_after_head(b, h.nend, f) else {
        return;
    };
    if b.overlaps(h.nbegin, h.nend) {
        return;
    }
    let span = b.text.text[h.nbegin..end].to_string();
    let id = mint("org", &[&span]);
    b.pattern_entity(
        id,
        Class::Organization,
        (h.nbegin, end),
        country,
        Vec::new(),
    );
}

/// A site by its head noun (مطار, معبر, سد): what follows it as for an
/// institution, or one definite word (سد النهضة, معبر رفح). A place.
pub(super) fn head_site(b: &mut Builder, h: &Hit<Cue>, f: &Found) {
    if b.overlaps(h.nbegin, h.nend) {
        return;
    }
    let end = match named_after_head(b, h.nend, f) {
        Some((end, _)) => end,
        None => {
            let Some(n) = b.next_word(h.nend, false) else {
                return;
            };
            let w = b.word(n);
            let ok = w.starts_with("ال")
                && w.chars().count() > 3
                && b.span_is_free(n)
                && b.name_shaped(n, f)
                && b.clear_end(b.toks[n].e, f);
            if !ok {
                // مطار بغداد: a known place after the head.
                return;
            }
            b.toks[n].e
        }
    };
    let span = b.text.text[h.nbegin..end].to_string();
    let id = mint("place", &[&span]);
    b.pattern_entity(id, Class::Place, (h.nbegin, end), None, Vec::new());
}

/// What names an institution or a site after its head noun ending at byte
/// `end`: (where the name ends, the country of its nationality adjective).
fn named_after_head(b: &Builder, end: usize, f: &Found) -> Option<(usize, Option<String>)> {
    let n = b.next_word(end, false)?;
    let start = b.toks[n].b;
    // A known place or country: جامعة الدمام, مطار دمشق الدولي.
    if let Some(&ni) = f.name_at.get(&start) {
        let h = &f.names[ni];
        if !h.prefix.is_empty() {
            return None;
        }
        let place = h.payloads.iter().any(|r| {
            !r.short
                && matches!(
                    b.k.class_of(r.entity),
                    Class::City | Class::Country | Class::Region
                )
        });
        if !place {
            return None;
        }
        let mut e = h.nend;
        if let Some(a) = b.next_word(e, false) {
            if b.k.org_adjectives.contains(b.word(a)) {
                e = b.toks[a].e;
            }
        }
        return b.clear_end(e, f).then_some((e, None));
    }
    // A definite noun and a closing adjective: مؤسسة الطيران السورية.
    let w = b.word(n);
    if !w.starts_with("ال") || w.chars().count() <= 3 || !b.name_shaped(n, f) {
        return None;
    }
    let a = b.next_word(b.toks[n].e, false)?;
    let astart = b.toks[a].b;
    let (e, country) = if let Some(&ci) = f.cue_at.get(&astart) {
        let h = &f.cues[ci];
        let Some(Cue::Nisba(c)) = h.payloads.iter().find(|p| matches!(p, Cue::Nisba(_))) else {
            return None;
        };
        if !h.prefix.starts_with("ال") {
            return None;
        }
        (h.nend, b.k.reference.entities[*c].country.clone())
    } else if b.k.org_adjectives.contains(b.word(a)) {
        (b.toks[a].e, None)
    } else {
        return None;
    };
    // The closing adjective is the end: an object may follow (وقعت شركة
    // الكهرباء الأردنية عقدا).
    Some((e, country))
}
