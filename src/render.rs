//! Query results for people: aligned tables that survive Arabic and mixed
//! text (display widths, bidi isolation), plus the term display shared by
//! the CLI and the shell.
//!
//! Architecture invariant: rendering never touches the store; it formats
//! rows it is handed. Bidi isolation marks appear in tables only, never in
//! csv/tsv/json output.

use crate::rdf::vocab;
use oxigraph::model::Term;
use unicode_width::UnicodeWidthChar;

/// First strong-isolate and pop-directional-isolate marks.
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

/// A term as a person reads it: prefixed IRIs, literal values bare.
pub fn display_term(t: &Term, prefixes: &[(String, String)]) -> String {
    match t {
        Term::NamedNode(n) => compact(n.as_str(), prefixes),
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        Term::Literal(l) => l.value().to_string(),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// Shortens an IRI with the longest matching prefix.
pub fn compact(iri: &str, prefixes: &[(String, String)]) -> String {
    prefixes
        .iter()
        .filter(|(_, ns)| iri.starts_with(ns.as_str()) && vocab::is_pn_local(&iri[ns.len()..]))
        .max_by_key(|(_, ns)| ns.len())
        .map_or_else(
            || format!("<{iri}>"),
            |(p, ns)| format!("{p}:{}", &iri[ns.len()..]),
        )
}

/// The display width of a cell (what the terminal will use). Summed per
/// character: terminals that do not shape Arabic give لا two columns,
/// where `UnicodeWidthStr` would count the ligature as one.
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| UnicodeWidthChar::width(c).unwrap_or(0))
        .sum()
}

fn has_rtl(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
    })
}

/// Cuts `s` to at most `max` columns, ending with … when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Renders a table: header, separator, rows. `max_col` truncates cells.
pub fn table(headers: &[String], rows: &[Vec<String>], max_col: Option<usize>) -> String {
    let clean = |s: &str| s.replace(['\n', '\r', '\t'], " ");
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| {
                    let c = clean(c);
                    match max_col {
                        Some(m) => truncate(&c, m.max(4)),
                        None => c,
                    }
                })
                .collect()
        })
        .collect();
    let n = headers.len();
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for r in &cells {
        for (i, c) in r.iter().enumerate().take(n) {
            widths[i] = widths[i].max(width(c));
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, row: &[String]| {
        out.push('│');
        for (i, w) in widths.iter().enumerate() {
            let c = row.get(i).map_or("", String::as_str);
            let pad = w - width(c);
            out.push(' ');
            if has_rtl(c) {
                out.push(FSI);
                out.push_str(c);
                out.push(PDI);
            } else {
                out.push_str(c);
            }
            out.push_str(&" ".repeat(pad));
            out.push_str(" │");
        }
        out.push('\n');
    };
    let rule = |out: &mut String, l: char, m: char, r: char| {
        out.push(l);
        for (i, w) in widths.iter().enumerate() {
            out.push_str(&"─".repeat(w + 2));
            out.push(if i + 1 == widths.len() { r } else { m });
        }
        out.push('\n');
    };
    rule(&mut out, '┌', '┬', '┐');
    line(&mut out, headers);
    rule(&mut out, '├', '┼', '┤');
    for r in &cells {
        line(&mut out, r);
    }
    rule(&mut out, '└', '┴', '┘');
    out
}

/// Markdown table (no bidi marks: Markdown renderers do their own).
pub fn markdown(headers: &[String], rows: &[Vec<String>]) -> String {
    let esc = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = format!(
        "| {} |\n",
        headers
            .iter()
            .map(|h| esc(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    out.push_str(&format!("|{}\n", "---|".repeat(headers.len())));
    for r in rows {
        out.push_str(&format!(
            "| {} |\n",
            r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_cells_align_by_display_width_and_are_isolated() {
        let t = table(
            &["name".into(), "n".into()],
            &[
                vec!["مُحَمَّد".into(), "1".into()],
                vec!["ab".into(), "22".into()],
            ],
            None,
        );
        let lines: Vec<&str> = t.lines().collect();
        // Every line has the same display width once isolation marks are dropped.
        let widths: Vec<usize> = lines
            .iter()
            .map(|l| width(&l.replace([FSI, PDI], "")))
            .collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{t}");
        assert!(t.contains("\u{2068}مُحَمَّد\u{2069}"));
        assert!(!t.contains("\u{2068}ab"));
    }

    #[test]
    fn long_values_are_cut_to_the_column() {
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
        assert_eq!(truncate("abc", 5), "abc");
        assert!(width(&truncate("وزير الخارجية الإيراني", 8)) <= 8);
    }

    #[test]
    fn iris_are_shown_with_prefixes() {
        let p = crate::rdf::contract_prefixes();
        assert_eq!(
            compact("https://w3id.org/isnad/ontology#Claim", &p),
            "isn:Claim"
        );
        assert_eq!(
            compact("https://w3id.org/isnad/id/country/IR", &p),
            "country:IR"
        );
        assert_eq!(
            compact("http://example.org/x", &p),
            "<http://example.org/x>"
        );
    }
}
