//! What claims and events read: the normalised text, its words, sentences,
//! quotations and the entity mentions, with quick look-ups between them.

use super::entities::{tokenize, Tok};
use super::sentences::{quotations, sentences, Sentence};
use super::Annotations;
use crate::reference::Class;
use crate::text::NormText;
use rustc_hash::FxHashMap as HashMap;

pub(crate) struct Context<'a> {
    pub text: &'a NormText,
    pub ann: &'a Annotations,
    layout: Layout,
}

/// What a [`Context`] reads off the text and the mentions, kept when the
/// annotations grow (claims, then events).
pub(crate) struct Layout {
    pub toks: Vec<Tok>,
    pub sents: Vec<Sentence>,
    /// Long quotations (speech), normalised byte ranges inside the marks.
    pub quotes: Vec<(usize, usize)>,
    /// Every quotation, short ones (names, slogans) included.
    pub all_quotes: Vec<(usize, usize)>,
    /// mention index by the normalised byte where its word starts
    mention_at: HashMap<usize, Vec<usize>>,
    /// normalised byte span of every mention
    pub spans: Vec<(usize, usize)>,
    /// mention indexes by (span start, index) and by (span end, index), for
    /// look-ups by position that cost the mentions found, not all of them
    by_start: Vec<usize>,
    by_end: Vec<usize>,
    /// whether mentions in their order start in order too (they are
    /// sorted by where they begin): then `by_start` is that order
    starts_sorted: bool,
}

impl std::ops::Deref for Context<'_> {
    type Target = Layout;
    fn deref(&self) -> &Layout {
        &self.layout
    }
}

impl<'a> Context<'a> {
    /// `toks`: the words of `text`, as entity recognition split them.
    pub fn new(text: &'a NormText, ann: &'a Annotations, toks: Vec<Tok>) -> Context<'a> {
        debug_assert!(toks.len() == tokenize(&text.text).len());
        // Map original char offsets back to normalised bytes (begin and end).
        let n = text.original.len() + 1;
        let mut orig_to_norm = vec![usize::MAX; n];
        let mut ends = vec![usize::MAX; n];
        for (i, c) in text.text.char_indices() {
            let o = text.orig_start(i);
            if orig_to_norm[o] == usize::MAX {
                orig_to_norm[o] = i;
            }
            ends[text.orig_end(i + c.len_utf8()).min(n - 1)] = i + c.len_utf8();
        }
        let pick =
            |v: &[usize], i: usize| v.get(i).copied().filter(|&x| x != usize::MAX).unwrap_or(0);
        let spans: Vec<(usize, usize)> = ann
            .mentions
            .iter()
            .map(|m| (pick(&orig_to_norm, m.begin), pick(&ends, m.end)))
            .collect();
        let mut mention_at: HashMap<usize, Vec<usize>> = HashMap::default();
        for (i, &(b, _)) in spans.iter().enumerate() {
            // the word start, clitics included
            let ws = match toks.binary_search_by(|t| t.b.cmp(&b)) {
                Ok(k) => toks[k].b,
                Err(0) => b,
                Err(k) if b < toks[k - 1].e => toks[k - 1].b,
                Err(_) => b,
            };
            mention_at.entry(ws).or_default().push(i);
        }
        for v in mention_at.values_mut() {
            // longest first
            v.sort_by_key(|&i| std::cmp::Reverse(spans[i].1));
        }
        let mut by_start: Vec<usize> = (0..spans.len()).collect();
        by_start.sort_by_key(|&i| (spans[i].0, i));
        let mut by_end: Vec<usize> = (0..spans.len()).collect();
        by_end.sort_by_key(|&i| (spans[i].1, i));
        let all_quotes = quotations(&text.text);
        let quotes = all_quotes
            .iter()
            .copied()
            .filter(|&(b, e)| text.text[b..e].split_whitespace().count() >= 4)
            .collect();
        Context {
            text,
            ann,
            layout: Layout {
                sents: sentences(&text.text),
                toks,
                quotes,
                all_quotes,
                mention_at,
                spans,
                starts_sorted: by_start.iter().enumerate().all(|(k, &m)| k == m),
                by_start,
                by_end,
            },
        }
    }

    /// Gives back what was read, to read the same text with more annotations.
    pub fn into_layout(self) -> Layout {
        self.layout
    }

    /// A context over annotations that kept their mentions and added claims.
    pub fn with_layout(text: &'a NormText, ann: &'a Annotations, layout: Layout) -> Context<'a> {
        debug_assert_eq!(layout.spans.len(), ann.mentions.len());
        Context { text, ann, layout }
    }

    pub fn in_quote(&self, i: usize) -> Option<(usize, usize)> {
        span_holding(&self.quotes, i)
    }

    /// The quotation (of any length) whose text starts at or contains `i`.
    pub fn any_quote(&self, i: usize) -> Option<(usize, usize)> {
        span_holding(&self.all_quotes, i)
    }

    /// An actor mention at word `t` or the next one (after جماعة, a quote).
    pub fn actor_near(&self, t: usize) -> Option<usize> {
        self.actor_at(t).or_else(|| {
            let n = self.tok_after(self.toks[t].e)?;
            let gap = &self.text.text[self.toks[t].e..self.toks[n].b];
            gap.chars()
                .all(|c| c.is_whitespace() || matches!(c, '"' | '«' | '“'))
                .then(|| self.actor_at(n))
                .flatten()
        })
    }

    /// "وكان X … قد <verb>": the actor after the sentence's كان, if any.
    pub fn kan_subject(&self, verb_tok: usize, sent_b: usize) -> Option<usize> {
        for ti in (0..verb_tok).rev() {
            if self.toks[ti].b < sent_b {
                return None;
            }
            if matches!(
                self.word(ti),
                "كان" | "وكان" | "كانت" | "وكانت" | "فكان" | "فكانت"
            ) {
                return self
                    .tok_after(self.toks[ti].e)
                    .and_then(|n| self.actor_at(n));
            }
        }
        None
    }

    pub fn sentence_of(&self, i: usize) -> Sentence {
        // sorted and disjoint: only the last one starting at or before `i`
        // may hold it
        let k = self.sents.partition_point(|s| s.b <= i);
        k.checked_sub(1)
            .map(|k| self.sents[k])
            .filter(|s| i < s.e.max(s.b + 1))
            .unwrap_or(Sentence {
                b: 0,
                e: self.text.text.len(),
            })
    }

    /// The index of the word starting at or containing byte `i`.
    pub fn tok_at(&self, i: usize) -> Option<usize> {
        let k = self.toks.partition_point(|t| t.e <= i);
        (k < self.toks.len() && self.toks[k].b <= i).then_some(k)
    }

    /// The first word starting at or after byte `i`.
    pub fn tok_after(&self, i: usize) -> Option<usize> {
        let k = self.toks.partition_point(|t| t.b < i);
        (k < self.toks.len()).then_some(k)
    }

    pub fn word(&self, t: usize) -> &str {
        &self.text.text[self.toks[t].b..self.toks[t].e]
    }

    /// Mentions whose word starts at word `t` (longest first).
    pub fn mentions_at_word(&self, t: usize) -> &[usize] {
        self.mention_at
            .get(&self.toks[t].b)
            .map_or(&[], Vec::as_slice)
    }

    pub fn class(&self, mention: usize) -> Class {
        self.ann.entities[self.ann.mentions[mention].entity].class
    }

    pub fn entity(&self, mention: usize) -> usize {
        self.ann.mentions[mention].entity
    }

    /// Whether mention `m` is a nationality adjective (الرئيس الأوكراني):
    /// a word of a title, never the one who speaks or acts.
    pub fn is_nisba(&self, m: usize) -> bool {
        self.ann.mentions[m].kind == super::MentionKind::Nisba
    }

    /// The actor mention starting at word `t`, if any.
    pub fn actor_at(&self, t: usize) -> Option<usize> {
        self.mentions_at_word(t)
            .iter()
            .copied()
            .find(|&m| self.class(m).is_actor())
    }

    /// The longest actor mention ending in word `t`, if any.
    pub fn actor_ending_at(&self, t: usize) -> Option<usize> {
        let (b, e) = (self.toks[t].b, self.toks[t].e);
        self.mentions_ending_in(b + 1, e)
            .into_iter()
            .filter(|&m| self.class(m).is_actor())
            .min_by_key(|&m| self.spans[m].0)
    }

    /// Mentions whose span ends at a byte in `lo..=hi`, in mention order.
    pub fn mentions_ending_in(&self, lo: usize, hi: usize) -> Vec<usize> {
        let from = self.by_end.partition_point(|&m| self.spans[m].1 < lo);
        let mut out: Vec<usize> = self.by_end[from..]
            .iter()
            .copied()
            .take_while(|&m| self.spans[m].1 <= hi)
            .collect();
        out.sort_unstable();
        out
    }

    /// Mentions that end right before byte `at` (nothing but whitespace
    /// between), in mention order: those `adjacent(end, at, false)` holds for.
    pub fn mentions_ending_right_before(&self, at: usize) -> Vec<usize> {
        let t = &self.text.text[..at];
        let space = t.len() - t.trim_end_matches(char::is_whitespace).len();
        self.mentions_ending_in((at - space).max(1), at)
    }

    /// "البلدان", "الجانبين", "الوزيران": the two parties named last before
    /// byte `before` — countries for البلدان, people for the rest (countries
    /// when fewer than two people were named).
    pub fn both_parties(&self, word: &str, before: usize) -> Option<Vec<usize>> {
        let w = word.trim_start_matches(['و', 'ف']);
        if !is_both(w) {
            return None;
        }
        let last_two = |class: Class| {
            let mut seen: Vec<usize> = Vec::new();
            for m in self.mentions_in(0, before).rev() {
                if self.class(m) != class {
                    continue;
                }
                let e = self.entity(m);
                if !seen.contains(&e) {
                    seen.push(e);
                    if seen.len() == 2 {
                        return Some(seen);
                    }
                }
            }
            None
        };
        if is_both_countries(w) {
            last_two(Class::Country)
        } else {
            last_two(Class::Person).or_else(|| last_two(Class::Country))
        }
    }

    /// Mentions inside a normalised byte range.
    pub fn mentions_in(&self, b: usize, e: usize) -> impl DoubleEndedIterator<Item = usize> + '_ {
        // A span ending by `e` starts by `e`: read only the starts in b..=e.
        let from = self.by_start.partition_point(|&m| self.spans[m].0 < b);
        let to = from + self.by_start[from..].partition_point(|&m| self.spans[m].0 <= e);
        let inside = move |&m: &usize| self.spans[m].1 <= e && self.spans[m].1 > 0;
        if self.starts_sorted {
            // mention order: read lazily, from either end
            Either::Lazy(self.by_start[from..to].iter().copied().filter(inside))
        } else {
            let mut found: Vec<usize> = self.by_start[from..to]
                .iter()
                .copied()
                .filter(inside)
                .collect();
            found.sort_unstable();
            Either::Sorted(found.into_iter())
        }
    }

    /// Original char range of a normalised byte range.
    pub fn orig(&self, b: usize, e: usize) -> (usize, usize) {
        (self.text.orig_start(b), self.text.orig_end(e))
    }

    /// Whether only spaces (and optionally a comma) lie between bytes.
    pub fn adjacent(&self, a: usize, b: usize, comma: bool) -> bool {
        if a > b {
            return false;
        }
        let gap = &self.text.text[a..b];
        gap.chars()
            .all(|c| c.is_whitespace() || (comma && (c == '،' || c == ',')))
    }
}

/// One of two iterators over mention indexes.
enum Either<A, B> {
    Lazy(A),
    Sorted(B),
}

impl<A: Iterator<Item = usize>, B: Iterator<Item = usize>> Iterator for Either<A, B> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        match self {
            Either::Lazy(a) => a.next(),
            Either::Sorted(b) => b.next(),
        }
    }
}

impl<A, B> DoubleEndedIterator for Either<A, B>
where
    A: DoubleEndedIterator<Item = usize>,
    B: DoubleEndedIterator<Item = usize>,
{
    fn next_back(&mut self) -> Option<usize> {
        match self {
            Either::Lazy(a) => a.next_back(),
            Either::Sorted(b) => b.next_back(),
        }
    }
}

/// The span of a sorted, disjoint list that holds byte `i` (`b <= i < e`).
pub(super) fn span_holding(spans: &[(usize, usize)], i: usize) -> Option<(usize, usize)> {
    let k = spans.partition_point(|&(b, _)| b <= i);
    k.checked_sub(1)
        .map(|k| spans[k])
        .filter(|&(b, e)| b <= i && i < e)
}

/// Whether a sorted list of bytes holds one in `from..to`.
pub(super) fn any_between(sorted: &[usize], from: usize, to: usize) -> bool {
    let k = sorted.partition_point(|&x| x < from);
    k < sorted.len() && sorted[k] < to
}

/// Conjunction-free forms of "that": the start of reported content.
pub(super) fn is_that(w: &str) -> bool {
    matches!(
        w,
        "ان" | "انه"
            | "انها"
            | "انهم"
            | "انهما"
            | "اننا"
            | "انني"
            | "بان"
            | "بانه"
            | "بانها"
            | "وان"
            | "وانه"
            | "وانها"
            | "انما"
    )
}

/// "الجانبان", "البلدين", "الوزيران": both parties of what was just told.
pub(super) fn is_both(w: &str) -> bool {
    is_both_countries(w)
        || matches!(
            w,
            "الجانبان"
                | "الجانبين"
                | "الطرفان"
                | "الطرفين"
                | "الوزيران"
                | "الوزيرين"
                | "الرئيسان"
                | "الرئيسين"
                | "الزعيمان"
                | "الزعيمين"
        )
}

fn is_both_countries(w: &str) -> bool {
    matches!(w, "البلدان" | "البلدين" | "الدولتان" | "الدولتين")
}

/// Words that open another clause ("…، فيما أجرى ماكرون …"): what follows
/// them is not an argument of what was told before.
pub(super) fn opens_clause(word: &str) -> bool {
    matches!(
        word,
        "فيما" | "بينما" | "حين" | "عندما" | "بعدما" | "وسط" | "حيث"
    )
}
