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
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !matches!(c, '\u{0660}'..='\u{0669}')
}
