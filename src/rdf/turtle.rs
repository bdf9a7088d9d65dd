//! A Turtle/TriG writer for people and for git: only the prefixes used are
//! declared, all triples of a subject are grouped (sorted, `a` first), and
//! the output is deterministic so that exports diff cleanly.

use super::vocab;
use oxigraph::model::{GraphName, Literal, NamedOrBlankNode, Quad, Term};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

/// What to write.
pub struct TurtleOptions<'a> {
    /// Prefixes that may be used (name, namespace).
    pub prefixes: &'a [(String, String)],
    /// TriG: keep named graphs; Turtle: merge everything into one graph.
    pub trig: bool,
}

/// Renders a term with the prefixes (for tables too).
pub fn term_to_string(
    t: &Term,
    prefixes: &[(String, String)],
    used: &mut BTreeSet<usize>,
) -> String {
    match t {
        Term::NamedNode(n) => iri(n.as_str(), prefixes, used),
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        Term::Literal(l) => literal(l, prefixes, used),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

fn iri(s: &str, prefixes: &[(String, String)], used: &mut BTreeSet<usize>) -> String {
    if s == vocab::term::RDF_TYPE {
        return "a".into();
    }
    let best = prefixes
        .iter()
        .enumerate()
        .filter(|(_, (_, ns))| s.starts_with(ns.as_str()) && vocab::is_pn_local(&s[ns.len()..]))
        .max_by_key(|(_, (_, ns))| ns.len());
    match best {
        Some((i, (p, ns))) => {
            used.insert(i);
            format!("{p}:{}", &s[ns.len()..])
        }
        None => format!("<{s}>"),
    }
}

fn literal(l: &Literal, prefixes: &[(String, String)], used: &mut BTreeSet<usize>) -> String {
    let mut out = String::with_capacity(l.value().len() + 2);
    out.push('"');
    for c in l.value().chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    if let Some(lang) = l.language() {
        out.push('@');
        out.push_str(lang);
    } else if l.datatype().as_str() != "http://www.w3.org/2001/XMLSchema#string" {
        out.push_str("^^");
        let dt = iri(l.datatype().as_str(), prefixes, used);
        out.push_str(&dt);
    }
    out
}

fn subject(
    s: &NamedOrBlankNode,
    prefixes: &[(String, String)],
    used: &mut BTreeSet<usize>,
) -> String {
    match s {
        NamedOrBlankNode::NamedNode(n) => iri(n.as_str(), prefixes, used),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

type Block = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// Writes quads as Turtle (or TriG) to `out`.
pub fn write_turtle<W: Write>(
    quads: impl IntoIterator<Item = Quad>,
    opts: &TurtleOptions<'_>,
    mut out: W,
) -> io::Result<W> {
    let mut used = BTreeSet::new();
    // graph → subject → predicate → objects, all as rendered text.
    let mut graphs: BTreeMap<String, Block> = BTreeMap::new();
    for q in quads {
        let g = if opts.trig {
            match &q.graph_name {
                GraphName::DefaultGraph => String::new(),
                GraphName::NamedNode(n) => iri(n.as_str(), opts.prefixes, &mut used),
                GraphName::BlankNode(b) => format!("_:{}", b.as_str()),
            }
        } else {
            String::new()
        };
        let s = subject(&q.subject, opts.prefixes, &mut used);
        let p = iri(q.predicate.as_str(), opts.prefixes, &mut used);
        let o = term_to_string(&q.object, opts.prefixes, &mut used);
        graphs
            .entry(g)
            .or_default()
            .entry(s)
            .or_default()
            .entry(p)
            .or_default()
            .insert(o);
    }
    for i in &used {
        let (p, ns) = &opts.prefixes[*i];
        writeln!(out, "@prefix {p}: <{ns}> .")?;
    }
    if !used.is_empty() {
        writeln!(out)?;
    }
    for (g, block) in &graphs {
        let indent = if g.is_empty() {
            ""
        } else {
            writeln!(out, "{g} {{")?;
            "    "
        };
        for (s, preds) in block {
            write!(out, "{indent}{s}")?;
            // `a` first, then the others in order.
            let mut order: Vec<(&String, &BTreeSet<String>)> = preds.iter().collect();
            order.sort_by_key(|(p, _)| (p.as_str() != "a", p.as_str()));
            for (i, (p, objs)) in order.iter().enumerate() {
                let sep = if i == 0 { " " } else { " ;\n" };
                let pad = if i == 0 {
                    String::new()
                } else {
                    format!("{indent}    ")
                };
                let objs: Vec<&str> = objs.iter().map(String::as_str).collect();
                write!(out, "{sep}{pad}{p} {}", objs.join(" , "))?;
            }
            writeln!(out, " .")?;
        }
        if !g.is_empty() {
            writeln!(out, "}}")?;
        }
        writeln!(out)?;
    }
    Ok(out)
}

/// The contract prefixes as owned pairs.
pub fn contract_prefixes() -> Vec<(String, String)> {
    vocab::PREFIXES
        .iter()
        .map(|(p, n)| (p.to_string(), n.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{GraphName, Literal, NamedNode, Quad};

    #[test]
    fn groups_subjects_declares_only_used_prefixes_and_is_deterministic() {
        let s = NamedNode::new_unchecked("https://w3id.org/isnad/id/country/IR");
        let label = NamedNode::new_unchecked(vocab::term::RDFS_LABEL);
        let ty = NamedNode::new_unchecked(vocab::term::RDF_TYPE);
        let country = NamedNode::new_unchecked(vocab::term::COUNTRY);
        let quads = vec![
            Quad::new(
                s.clone(),
                label.clone(),
                Literal::new_language_tagged_literal_unchecked("إيران", "ar"),
                GraphName::DefaultGraph,
            ),
            Quad::new(
                NamedNode::new_unchecked("http://example.org/x"),
                label.clone(),
                Literal::new_simple_literal("x \"q\""),
                GraphName::DefaultGraph,
            ),
            Quad::new(s.clone(), ty, country, GraphName::DefaultGraph),
        ];
        let prefixes = contract_prefixes();
        let opts = TurtleOptions {
            prefixes: &prefixes,
            trig: false,
        };
        let a = String::from_utf8(write_turtle(quads.clone(), &opts, Vec::new()).unwrap()).unwrap();
        let mut rev = quads;
        rev.reverse();
        let b = String::from_utf8(write_turtle(rev, &opts, Vec::new()).unwrap()).unwrap();
        assert_eq!(a, b);
        assert!(
            a.contains("country:IR a isn:Country ;\n    rdfs:label \"إيران\"@ar ."),
            "{a}"
        );
        assert!(
            a.contains("<http://example.org/x> rdfs:label \"x \\\"q\\\"\" ."),
            "{a}"
        );
        assert!(!a.contains("@prefix schema:"));
    }
}
