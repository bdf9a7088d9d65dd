//! Sentences and quotations of a normalised text.

use crate::text::is_word_char;

/// A sentence: normalised byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub b: usize,
    pub e: usize,
}

/// The most words a sentence holds: a longer stretch (a book without full
/// stops, a list with no punctuation, a quotation left open to the end) is
/// cut after every this many words. Claims and events look for their words
/// within one sentence, so this bounds the work for each verb and trigger,
/// and with it keeps extraction linear in the text's length. News
/// sentences stay far below it (the longest of the development articles and
/// of a 2,000-article generated corpus has 62 words).
pub const MAX_SENTENCE_WORDS: usize = 400;

/// Splits at . ! ? ؟ and paragraph breaks, never inside a quotation, and
/// after every [`MAX_SENTENCE_WORDS`] words of a longer stretch.
pub fn sentences(t: &str) -> Vec<Sentence> {
    let quotes = quotations(t);
    // Quotations are sorted and disjoint, and `i` only grows: the one that
    // may hold `i` is at or after the cursor.
    let mut q = 0;
    let mut inside = |i: usize| {
        while q < quotes.len() && quotes[q].1 <= i {
            q += 1;
        }
        q < quotes.len() && quotes[q].0 < i
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev = '\0';
    for (i, c) in t.char_indices() {
        let end = match c {
            '.' | '!' | '?' | '؟' => !prev.is_ascii_digit() && !inside(i),
            '\n' => prev == '\n' || !inside(i),
            _ => false,
        };
        if end {
            let e = i + c.len_utf8();
            if t[start..e].trim().len() > 1 {
                push_capped(t, trim(t, start, e), &mut out);
            }
            start = e;
        }
        prev = c;
    }
    if t[start..].trim().len() > 1 {
        push_capped(t, trim(t, start, t.len()), &mut out);
    }
    out
}

/// Pushes a sentence, cut after every [`MAX_SENTENCE_WORDS`] words.
fn push_capped(t: &str, s: Sentence, out: &mut Vec<Sentence>) {
    // Each word takes a byte and a separator: a shorter sentence cannot
    // hold that many words.
    if s.e - s.b < 2 * MAX_SENTENCE_WORDS {
        out.push(s);
        return;
    }
    let mut b = s.b;
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in t[s.b..s.e].char_indices() {
        let w = is_word_char(c);
        if w && !in_word {
            words += 1;
            if words > MAX_SENTENCE_WORDS {
                let at = s.b + i;
                if t[b..at].trim().len() > 1 {
                    out.push(trim(t, b, at));
                }
                b = at;
                words = 1;
            }
        }
        in_word = w;
    }
    if t[b..s.e].trim().len() > 1 {
        out.push(trim(t, b, s.e));
    }
}

fn trim(t: &str, b: usize, e: usize) -> Sentence {
    let s = &t[b..e];
    let lead = s.len() - s.trim_start().len();
    let tail = s.len() - s.trim_end().len();
    Sentence {
        b: b + lead,
        e: e - tail,
    }
}

/// Quotations: byte ranges of the text *inside* "…", «…», “…” (closing
/// at the matching mark, or at the paragraph's end when it is missing).
pub fn quotations(t: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(char, usize)> = None;
    for (i, c) in t.char_indices() {
        match open {
            None => {
                let close = match c {
                    '"' => '"',
                    '«' => '»',
                    '“' => '”',
                    _ => continue,
                };
                open = Some((close, i + c.len_utf8()));
            }
            Some((close, b)) => {
                if c == close || (c == '\n' && t[i..].starts_with("\n\n")) {
                    out.push((b, i));
                    open = None;
                }
            }
        }
    }
    if let Some((_, b)) = open {
        out.push((b, t.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_do_not_break_inside_quotes() {
        let t = "قال: \"جملة أولى. جملة ثانية\". ثم انتهى.\n\nفقرة";
        let s: Vec<&str> = sentences(t).iter().map(|s| &t[s.b..s.e]).collect();
        assert_eq!(s, ["قال: \"جملة أولى. جملة ثانية\".", "ثم انتهى.", "فقرة"]);
        assert_eq!(quotations(t).len(), 1);
    }

    #[test]
    fn a_sentence_holds_at_most_max_sentence_words_words() {
        // 1,000 words and no full stop: cut after every 400 words, and
        // nothing lost between the pieces
        let t = "قال الوزير إن ".repeat(333) + "كلمة";
        let s = sentences(&t);
        let words = |s: &Sentence| t[s.b..s.e].split_whitespace().count();
        assert_eq!(
            s.iter().map(words).collect::<Vec<_>>(),
            [
                MAX_SENTENCE_WORDS,
                MAX_SENTENCE_WORDS,
                1000 - 2 * MAX_SENTENCE_WORDS
            ]
        );
        assert_eq!(s[0].b, 0);
        assert_eq!(s[2].e, t.len());
        assert!(s.windows(2).all(|w| t[w[0].e..w[1].b].trim().is_empty()));
        // a sentence of exactly that many words stays whole
        let t = "كلمة ".repeat(MAX_SENTENCE_WORDS) + ".";
        assert_eq!(sentences(&t).len(), 1);
    }

    #[test]
    fn a_quotation_left_open_is_cut_like_any_long_sentence() {
        // "قال" and 400 words in the open quotation: 401 words
        let t = format!("قال: «{}", "نص طويل ".repeat(MAX_SENTENCE_WORDS / 2));
        assert_eq!(sentences(&t).len(), 2);
    }
}
