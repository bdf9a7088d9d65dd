//! Arabic text for matching: normalisation with an offset map, tokens with
//! clitics, and a multi-pattern matcher that respects both.
//!
//! Architecture invariant: normalised text is a matching key, never a label.
//! Everything this module returns carries offsets into the *original* text
//! (Unicode code points), and never changes that text.

pub mod matcher;
mod normalize;

pub use matcher::{Hit, Matcher, PatternKind};
pub use normalize::{is_diacritic, key, normalize, NormText};

/// Whether `c` belongs to a word (Arabic letters, Latin letters, digits).
#[inline]
pub fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '\u{0621}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}' => true,
        _ if c.is_ascii() => false,
        '\u{0600}'..='\u{06FF}' => false,
        _ => c.is_alphanumeric(),
    }
}
