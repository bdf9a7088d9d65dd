//! A multi-pattern matcher over normalised text (Aho-Corasick), leftmost-
//! longest, at word boundaries, that lets a word carry clitics in front.
//!
//! A pattern of kind [`PatternKind::Name`] may be preceded, inside its word,
//! by و ف and one of ب ل ك (وباكستان, لطهران, فبغداد); a name that begins
//! with ال also matches after ل as لل (للعراق). A [`PatternKind::Word`]
//! (adjectives, titles, triggers) may in addition take the article: ال,
//! وال, بال, فال, كال, لل (الإيراني, للإيرانية). Hits never start inside a
//! word otherwise, and always end at a word's end, so البانيا is not ب+انيا
//! unless that is the only reading that ends a word.

use super::{is_word_char, key, NormText};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use rustc_hash::FxHashMap as HashMap;

/// How a pattern may be preceded by clitics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternKind {
    /// A proper name: conjunction and preposition clitics only.
    Name,
    /// A common word: also the definite article.
    Word,
    /// A verb: conjunction clitics in front, object pronouns behind
    /// (وصفها, تلقاه).
    Verb,
    /// A noun that names a happening: like [`PatternKind::Word`], and it
    /// may carry a possessive pronoun (لقائه, زيارته with ة written ت).
    Noun,
}

const OBJECT_SUFFIXES: &[&str] = &["ه", "ها", "هم", "هما", "هن", "ني", "نا", "كم"];

/// Clitics before a name. Not ك ("like, as"): before a name it is rare,
/// and a short name after it is mostly the end of a common word (كبيرا,
/// "big", is no ك + بيرا, the port of Beira).
const NAME_PREFIXES: &[&str] = &["", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"];
/// Clitics before a title or a noun: a name's, and ك (كوسيط, "as a mediator").
const WORD_PREFIXES: &[&str] = &[
    "", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك",
];
const ARTICLE_PREFIXES: &[&str] = &[
    "ال", "وال", "فال", "بال", "كال", "وبال", "وكال", "فبال", "لل", "ولل", "فلل",
];
const LIL_PREFIXES: &[&str] = &["", "و", "ف"];

/// The longest clitic run before a pattern and object pronoun after one,
/// in letters: the letters around a hit are read no further than this, so
/// a word of any length costs the same for each hit inside it.
const MAX_PREFIX_CHARS: usize = 4;
const MAX_SUFFIX_CHARS: usize = 3;

/// One match in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit<'a, T> {
    pub payloads: &'a [T],
    /// The pattern as normalised.
    pub pattern: &'a str,
    /// Original char offsets of the match, clitics excluded.
    pub begin: usize,
    pub end: usize,
    /// Normalised byte offsets of the match, clitics excluded.
    pub nbegin: usize,
    pub nend: usize,
    /// The clitics in front, normalised ("" when none).
    pub prefix: &'a str,
}

/// Collects patterns, then [`MatcherBuilder::build`]s a [`Matcher`].
pub struct MatcherBuilder<T> {
    keys: Vec<String>,
    index: HashMap<String, usize>,
    kinds: Vec<PatternKind>,
    payloads: Vec<Vec<T>>,
}

impl<T> Default for MatcherBuilder<T> {
    fn default() -> Self {
        MatcherBuilder {
            keys: Vec::new(),
            index: HashMap::default(),
            kinds: Vec::new(),
            payloads: Vec::new(),
        }
    }
}

impl<T: PartialEq> MatcherBuilder<T> {
    /// Adds a pattern (normalised here); several payloads may share one.
    pub fn add(&mut self, pattern: &str, kind: PatternKind, payload: T) {
        let k = key(pattern);
        if k.chars().count() < 2 {
            return;
        }
        let i = *self.index.entry(k.clone()).or_insert_with(|| {
            self.keys.push(k);
            self.kinds.push(kind);
            self.payloads.push(Vec::new());
            self.keys.len() - 1
        });
        if kind != PatternKind::Name {
            self.kinds[i] = kind;
        }
        if !self.payloads[i].contains(&payload) {
            self.payloads[i].push(payload);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// A matcher with an automaton of its own.
    pub fn build(self) -> Matcher<T> {
        let mut patterns = self.patterns();
        let scanner = Scanner::shared(&mut [&mut patterns]);
        Matcher { patterns, scanner }
    }

    /// The patterns without an automaton, to be searched together with
    /// others through one [`Scanner`] (see [`Scanner::shared`]).
    pub fn patterns(self) -> Patterns<T> {
        let mut patterns = Vec::new();
        let mut strings = Vec::new();
        for (i, k) in self.keys.iter().enumerate() {
            strings.push(k.clone());
            patterns.push(Pattern {
                entry: i,
                kind: self.kinds[i],
                lil: false,
                construct: false,
            });
            if self.kinds[i] == PatternKind::Noun {
                if let Some(stem) = k.strip_suffix('ه') {
                    strings.push(format!("{stem}ت"));
                    patterns.push(Pattern {
                        entry: i,
                        kind: PatternKind::Noun,
                        lil: false,
                        construct: true,
                    });
                }
            }
            if let Some(rest) = k.strip_prefix("ال") {
                if self.kinds[i] == PatternKind::Name && !rest.is_empty() {
                    strings.push(format!("لل{rest}"));
                    patterns.push(Pattern {
                        entry: i,
                        kind: PatternKind::Name,
                        lil: true,
                        construct: false,
                    });
                }
            }
        }
        Patterns {
            patterns,
            strings,
            base: 0,
            keys: self.keys,
            index: self.index,
            payloads: self.payloads,
        }
    }
}

/// One automaton over the patterns of one or more [`Patterns`]: a text is
/// scanned once, and each set reads its own hits from the [`Scan`].
pub struct Scanner {
    ac: AhoCorasick,
}

/// Every place in one text where some pattern of a [`Scanner`] occurs,
/// overlapping, in the automaton's pattern numbering.
pub struct Scan {
    /// (start, end, pattern) in normalised bytes.
    raw: Vec<(usize, usize, usize)>,
}

/// A set of patterns that can share a [`Scanner`].
pub trait Shared {
    /// Takes the place `base` in the shared automaton's numbering and
    /// hands over this set's strings, in its own numbering.
    fn share(&mut self, base: usize) -> Vec<String>;
}

impl<T> Shared for Patterns<T> {
    fn share(&mut self, base: usize) -> Vec<String> {
        self.base = base;
        std::mem::take(&mut self.strings)
    }
}

impl Scanner {
    fn build(strings: &[String]) -> Scanner {
        // Small per-article matchers skip the DFA that would take longer to
        // build than to run.
        let kind = (strings.len() < 100).then_some(AhoCorasickKind::ContiguousNFA);
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(kind)
            .build(strings)
            .expect("patterns are plain strings");
        Scanner { ac }
    }

    /// One automaton for several pattern sets, each told where its patterns
    /// start in it.
    pub fn shared(sets: &mut [&mut dyn Shared]) -> Scanner {
        let mut all: Vec<String> = Vec::new();
        for set in sets.iter_mut() {
            let strings = set.share(all.len());
            all.extend(strings);
        }
        Scanner::build(&all)
    }

    /// Every occurrence of every pattern in the text, overlapping.
    pub fn scan(&self, text: &NormText) -> Scan {
        let raw = self
            .ac
            .find_overlapping_iter(text.text.as_str())
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        Scan { raw }
    }
}

struct Pattern {
    entry: usize,
    kind: PatternKind,
    /// The لل variant of an ال-initial name.
    lil: bool,
    /// The ة→ت variant of a noun: only before a pronoun (زيارت+ه).
    construct: bool,
}

/// Patterns with payloads, searched through a [`Scan`]. Build once, share
/// across threads.
pub struct Patterns<T> {
    patterns: Vec<Pattern>,
    /// The automaton's strings, one per entry of `patterns`, until a
    /// scanner takes them.
    strings: Vec<String>,
    /// Where `patterns` start in the scanner's numbering.
    base: usize,
    keys: Vec<String>,
    index: HashMap<String, usize>,
    payloads: Vec<Vec<T>>,
}

/// Patterns with an automaton of their own.
pub struct Matcher<T> {
    patterns: Patterns<T>,
    scanner: Scanner,
}

impl<T> Matcher<T> {
    pub fn builder() -> MatcherBuilder<T> {
        MatcherBuilder::default()
    }

    /// Leftmost-longest, non-overlapping hits at word boundaries.
    pub fn find<'a>(&'a self, text: &'a NormText) -> Vec<Hit<'a, T>> {
        self.patterns.find(&self.scanner.scan(text), text)
    }

    /// The payloads of an exact (normalised) pattern, if any.
    pub fn lookup(&self, pattern: &str) -> Option<&[T]> {
        self.patterns.lookup(pattern)
    }
}

impl<T> Patterns<T> {
    /// The payloads of an exact (normalised) pattern, if any.
    pub fn lookup(&self, pattern: &str) -> Option<&[T]> {
        self.index
            .get(&key(pattern))
            .map(|&i| self.payloads[i].as_slice())
    }

    /// Leftmost-longest, non-overlapping hits at word boundaries, read from
    /// a scan of `text` by a scanner that holds these patterns.
    pub fn find<'a>(&'a self, scan: &Scan, text: &'a NormText) -> Vec<Hit<'a, T>> {
        let t = text.text.as_str();
        let mut cands: Vec<(usize, usize, usize, &Pattern)> = Vec::new(); // word start, s, e
        let mine = self.base..self.base + self.patterns.len();
        for &(s, e, pid) in &scan.raw {
            if !mine.contains(&pid) {
                continue;
            }
            let p = &self.patterns[pid - self.base];
            let suffixed = matches!(p.kind, PatternKind::Verb | PatternKind::Noun);
            if t[e..].chars().next().is_some_and(is_word_char) {
                // the rest of the word, if it may be a pronoun
                let (mut n, mut len) = (0, 0);
                for c in t[e..].chars().take_while(|&c| is_word_char(c)) {
                    if n == MAX_SUFFIX_CHARS {
                        n += 1;
                        break;
                    }
                    n += 1;
                    len += c.len_utf8();
                }
                let rest = if n > MAX_SUFFIX_CHARS {
                    ""
                } else {
                    &t[e..e + len]
                };
                // ه from ة (taa marbuta) is no pronoun: وزارة is not و+زار+ه.
                let marbuta = text.original.get(text.orig_start(e)) == Some(&'ة');
                if !(suffixed && OBJECT_SUFFIXES.contains(&rest) && !marbuta) {
                    continue;
                }
            } else if p.construct {
                continue;
            }
            let mut ws = s;
            let mut n = 0;
            for (i, c) in t[..s].char_indices().rev() {
                if !is_word_char(c) || n > MAX_PREFIX_CHARS {
                    break;
                }
                ws = i;
                n += 1;
            }
            if n > MAX_PREFIX_CHARS {
                // no clitic is that long: inside a longer word
                continue;
            }
            let prefix = &t[ws..s];
            let ok = if p.lil {
                LIL_PREFIXES.contains(&prefix)
            } else {
                let verb_ok = ["", "و", "ف"].contains(&prefix);
                match p.kind {
                    PatternKind::Verb => verb_ok,
                    PatternKind::Name => NAME_PREFIXES.contains(&prefix),
                    PatternKind::Word | PatternKind::Noun => {
                        WORD_PREFIXES.contains(&prefix) || ARTICLE_PREFIXES.contains(&prefix)
                    }
                }
            };
            if ok {
                cands.push((ws, s, e, p));
            }
        }
        // Leftmost (by word start), then longest.
        cands.sort_by(|a, b| a.0.cmp(&b.0).then(b.2.cmp(&a.2)));
        let mut out = Vec::new();
        let mut last_end = 0;
        for (ws, s, e, p) in cands {
            if ws < last_end {
                continue;
            }
            last_end = e;
            // A لل variant's pattern starts with لل, so the span keeps it.
            out.push(Hit {
                payloads: &self.payloads[p.entry],
                pattern: &self.keys[p.entry],
                begin: text.orig_start(s),
                end: text.orig_end(e),
                nbegin: s,
                nend: e,
                prefix: &t[ws..s],
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize;

    fn hits(patterns: &[(&str, PatternKind)], text: &str) -> Vec<String> {
        let mut b = Matcher::builder();
        for (i, (p, k)) in patterns.iter().enumerate() {
            b.add(p, *k, i);
        }
        let m = b.build();
        let n = normalize(text);
        m.find(&n).iter().map(|h| n.slice(h.begin, h.end)).collect()
    }

    use PatternKind::{Name, Noun, Verb, Word};

    #[test]
    fn clitics_attach_to_names_and_stay_outside_the_span() {
        let pats = [
            ("باكستان", Name),
            ("طهران", Name),
            ("السعودية", Name),
            ("الولايات المتحدة", Name),
            ("لبنان", Name),
            ("بيروت", Name),
            ("ألبانيا", Name),
            ("كابول", Name),
            ("فلسطين", Name),
        ];
        let check =
            |text: &str, expect: &[&str]| assert_eq!(hits(&pats, text), expect, "in {text:?}");
        check("وباكستان", &["باكستان"]);
        check("لطهران", &["طهران"]);
        check("بالسعودية", &["السعودية"]);
        check("للولايات المتحدة", &["للولايات المتحدة"]);
        check("لبنان وبيروت", &["لبنان", "بيروت"]);
        check("ألبانيا", &["ألبانيا"]);
        check("كابول وفلسطين", &["كابول", "فلسطين"]);
        check("باكستاني", &[]);
        check("الباكستان", &[]);
    }

    #[test]
    fn a_name_takes_no_kaf_of_likeness_but_a_word_does() {
        // كبيرا is "big", not ك + بيرا (Beira); كوسيط is "as a mediator".
        let pats = [("بيرا", Name), ("وسيط", Word)];
        assert_eq!(hits(&pats, "انتصارا كبيرا"), Vec::<String>::new());
        assert_eq!(hits(&pats, "وصل إلى بيرا"), ["بيرا"]);
        assert_eq!(hits(&pats, "تعمل كوسيط"), ["وسيط"]);
    }

    #[test]
    fn words_also_take_the_article() {
        let pats = [("إيراني", Word), ("وزير الخارجية", Word)];
        assert_eq!(hits(&pats, "الإيراني"), ["إيراني"]);
        assert_eq!(hits(&pats, "للإيراني"), ["إيراني"]);
        assert_eq!(hits(&pats, "ووزير الخارجية"), ["وزير الخارجية"]);
    }

    #[test]
    fn verbs_take_object_pronouns_but_no_prepositions() {
        let pats = [("وصف", Verb), ("تلقى", Verb)];
        assert_eq!(hits(&pats, "ووصفها"), ["وصف"]);
        assert_eq!(
            hits(&pats, "تلقاه"),
            Vec::<String>::new(),
            "ى→ي, then ا+ه is no suffix"
        );
        assert_eq!(hits(&pats, "بوصف"), Vec::<String>::new());
    }

    #[test]
    fn happening_nouns_take_possessives_with_taa_as_ta() {
        let pats = [("زيارة", Noun), ("لقاء", Noun)];
        assert_eq!(hits(&pats, "زيارته"), ["زيارت"]);
        assert_eq!(hits(&pats, "الزيارة"), ["زيارة"]);
        assert_eq!(hits(&pats, "زيارت"), Vec::<String>::new());
    }

    #[test]
    fn clitics_and_pronouns_fit_the_letters_read_around_a_hit() {
        let chars = |l: &[&str]| l.iter().map(|p| p.chars().count()).max().unwrap();
        for l in [NAME_PREFIXES, WORD_PREFIXES, ARTICLE_PREFIXES, LIL_PREFIXES] {
            assert!(chars(l) <= MAX_PREFIX_CHARS);
        }
        assert_eq!(chars(ARTICLE_PREFIXES), MAX_PREFIX_CHARS);
        assert_eq!(chars(OBJECT_SUFFIXES), MAX_SUFFIX_CHARS);
        // a name deep inside a long run of letters is no hit, and costs no
        // more than one at a word's start
        let long = format!("{}ايران{}", "ب".repeat(100_000), "ه".repeat(100_000));
        assert!(hits(&[("ايران", PatternKind::Name)], &long).is_empty());
        assert_eq!(
            hits(&[("ايران", PatternKind::Name)], "وبايران قالت"),
            ["ايران"]
        );
    }

    #[test]
    fn longest_match_wins() {
        let pats = [("عبد اللهيان", Name), ("حسين أمير عبد اللهيان", Name)];
        assert_eq!(
            hits(&pats, "حسين أمير عبد اللهيان"),
            ["حسين أمير عبد اللهيان"]
        );
    }
}
