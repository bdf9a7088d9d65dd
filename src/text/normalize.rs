//! Normalisation for matching (charabia's "lossy normalisers", kept apart):
//! diacritics and tatweel dropped, alef forms folded to ا, ى → ي, ة → ه,
//! Persian ک → ك and ی → ي, presentation forms through NFKC, Arabic-Indic
//! digits to ASCII, Latin lower-cased.

use unicode_normalization::UnicodeNormalization;

/// Whether `c` is an Arabic diacritic or tatweel (dropped for matching).
pub fn is_diacritic(c: char) -> bool {
    matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{0640}')
}

fn fold(c: char) -> char {
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => 'ا',
        'ى' | 'ی' | 'ې' => 'ي',
        'ة' => 'ه',
        'ک' => 'ك',
        'ۀ' => 'ه',
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        '\u{00A0}' | '\u{200B}'..='\u{200F}' | '\u{2066}'..='\u{2069}' => ' ',
        _ => c,
    }
}

/// Normalised text with a map back to the original.
#[derive(Debug, Clone, Default)]
pub struct NormText {
    /// The normalised text.
    pub text: String,
    /// For every byte of `text` that starts a char: the original char index
    /// it came from (other bytes hold the same value as their char's start).
    origin: Vec<u32>,
    /// The original text as chars (offsets count code points).
    pub original: Vec<char>,
}

/// Normalises `original` for matching.
pub fn normalize(original: &str) -> NormText {
    let chars: Vec<char> = original.chars().collect();
    let mut text = String::with_capacity(original.len());
    let mut origin = Vec::with_capacity(original.len());
    let mut buf = [0u8; 4];
    for (i, &c) in chars.iter().enumerate() {
        if is_diacritic(c) {
            continue;
        }
        let mut push = |c: char| {
            let c = fold(c);
            if c.is_ascii() || ('\u{0600}'..='\u{06FF}').contains(&c) {
                let lc = c.to_ascii_lowercase();
                let s = lc.encode_utf8(&mut buf);
                text.push_str(s);
                origin.extend(std::iter::repeat_n(i as u32, s.len()));
                return;
            }
            for lc in c.to_lowercase() {
                let s = lc.encode_utf8(&mut buf);
                text.push_str(s);
                origin.extend(std::iter::repeat_n(i as u32, s.len()));
            }
        };
        if ('\u{FB50}'..='\u{FDFF}').contains(&c) || ('\u{FE70}'..='\u{FEFF}').contains(&c) {
            for d in std::iter::once(c).nfkc() {
                if !is_diacritic(d) {
                    push(d);
                }
            }
        } else {
            push(c);
        }
    }
    NormText {
        text,
        origin,
        original: chars,
    }
}

impl NormText {
    /// The original char index where normalised byte `b` starts.
    pub fn orig_start(&self, b: usize) -> usize {
        self.origin
            .get(b)
            .map(|&i| i as usize)
            .unwrap_or(self.original.len())
    }

    /// The original char index (exclusive) where a normalised span ending at
    /// byte `b` ends, taking in the diacritics that follow its last letter.
    pub fn orig_end(&self, b: usize) -> usize {
        if b == 0 {
            return 0;
        }
        let mut end = self.origin[b - 1] as usize + 1;
        while end < self.original.len() && is_diacritic(self.original[end]) {
            end += 1;
        }
        end
    }

    /// The original text between two char indexes.
    pub fn slice(&self, begin: usize, end: usize) -> String {
        self.original[begin.min(end)..end.min(self.original.len())]
            .iter()
            .collect()
    }
}

/// Normalises a pattern or a name (no offset map).
pub fn key(s: &str) -> String {
    let n = normalize(s).text;
    n.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        assert_eq!(normalize(input).text, expect, "normalising {input:?}");
    }

    #[test]
    fn folds_what_matching_must_ignore() {
        check("أكَّد", "اكد");
        check("إيران", "ايران");
        check("آصف", "اصف");
        check("مصطفى", "مصطفي");
        check("الإسلاميّة", "الاسلاميه");
        check("إرهابيًا", "ارهابيا");
        check("تـــحـــرير", "تحرير");
        check("ﻻ", "لا");
        check("کابل", "كابل");
        check("ایران", "ايران");
        check("٢٠٢٤", "2024");
        check("Reuters", "reuters");
    }

    #[test]
    fn offsets_map_back_to_the_original() {
        let n = normalize("أكَّد وزيرُ الخارجية");
        let b = n.text.find("وزير").unwrap();
        let e = b + "وزير".len();
        let (ob, oe) = (n.orig_start(b), n.orig_end(e));
        assert_eq!(n.slice(ob, oe), "وزيرُ");
        let lam = normalize("ﻻ بد");
        assert_eq!(lam.orig_start(0), 0);
        assert_eq!(lam.orig_end("لا".len()), 1);
    }
}
