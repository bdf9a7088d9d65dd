//! Sentences and quotations of a normalised text.

/// A sentence: normalised byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub b: usize,
    pub e: usize,
}

/// Splits at . ! ? ؟ and paragraph breaks, never inside a quotation.
pub fn sentences(t: &str) -> Vec<Sentence> {
    let quotes = quotations(t);
    let inside = |i: usize| quotes.iter().any(|&(b, e)| b < i && i < e);
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev = '\0';
    for (i, c) in t.char_indices() {
        let end = match c {
            '.' | '!' | '?' | '؟' => !inside(i) && !prev.is_ascii_digit(),
            '\n' => prev == '\n' || !inside(i),
            _ => false,
        };
        if end {
            let e = i + c.len_utf8();
            if t[start..e].trim().len() > 1 {
                out.push(trim(t, start, e));
            }
            start = e;
        }
        prev = c;
    }
    if t[start..].trim().len() > 1 {
        out.push(trim(t, start, t.len()));
    }
    out
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
}
