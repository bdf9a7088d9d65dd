//! The stages under fuzzing, mounted from the main crate's sources with the
//! same module paths (`crate::text`, `crate::reference`, …), and the checks
//! every target makes on what they return.
#![allow(dead_code, unused_imports)]

#[path = "../../src/article/mod.rs"]
pub mod article;
#[path = "../../src/extract/mod.rs"]
pub mod extract;
#[path = "../../src/reference/mod.rs"]
pub mod reference;
#[path = "../../src/text/mod.rs"]
pub mod text;

/// The shell's lexer (`crate::shell::lexer` in the main crate).
#[path = "../../src/shell/lexer.rs"]
pub mod lexer;

use std::sync::OnceLock;

/// The bundled reference data, compiled once per process.
pub fn knowledge() -> &'static extract::Knowledge {
    static K: OnceLock<extract::Knowledge> = OnceLock::new();
    K.get_or_init(|| {
        extract::Knowledge::new(reference::Reference::bundled().expect("bundled data parses"))
    })
}

/// Extracts an article and checks that every offset lies inside its body
/// and that every anchor and text is the body's own slice there.
pub fn check_extraction(a: &article::Article) {
    let ann = extract::extract(a, knowledge());
    let chars: Vec<char> = a.body.chars().collect();
    let n = chars.len();
    let slice = |b: usize, e: usize| -> String { chars[b..e].iter().collect() };
    for m in &ann.mentions {
        assert!(m.begin <= m.end && m.end <= n, "mention {m:?} outside {n}");
        assert_eq!(slice(m.begin, m.end), m.anchor);
        assert!(m.entity < ann.entities.len());
    }
    for c in &ann.claims {
        assert!(c.begin <= c.end && c.end <= n, "claim outside {n}");
        assert!(c.verb_begin <= c.verb_end && c.verb_end <= n);
        assert_eq!(slice(c.begin, c.end), c.text);
        assert!(c.speakers.iter().all(|&s| s < ann.entities.len()));
    }
    for e in &ann.events {
        assert!(e.begin <= e.end && e.end <= n, "event outside {n}");
        assert_eq!(slice(e.begin, e.end), e.trigger);
    }
}
