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
    match prefix_of(s, prefixes) {
        Some(i) => {
            used.insert(i);
            let (p, ns) = &prefixes[i];
            format!("{p}:{}", &s[ns.len()..])
        }
        None => format!("<{s}>"),
    }
}

/// The prefix an IRI is written with: the longest namespace it starts with
/// whose rest is a valid local name.
fn prefix_of(s: &str, prefixes: &[(String, String)]) -> Option<usize> {
    prefixes
        .iter()
        .enumerate()
        .filter(|(_, (_, ns))| s.starts_with(ns.as_str()) && vocab::is_pn_local(&s[ns.len()..]))
        .max_by_key(|(_, (_, ns))| ns.len())
        .map(|(i, _)| i)
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
    let graphs = blocks(quads, opts, &mut used);
    write_prefixes(&mut out, &used, opts.prefixes)?;
    write_blocks(&mut out, &graphs)?;
    Ok(out)
}

/// TriG for a dataset too big to hold: the same text as [`write_turtle`]
/// with `trig`, one graph at a time. `graph` gives a graph's quads. The
/// graphs' blocks go to `scratch` first (the prefixes to declare are known
/// only at the end), then the prefixes and the blocks to `out`.
pub fn write_trig_by_graph<W: Write, S: io::Read + Write + io::Seek, E: From<io::Error>>(
    names: &[GraphName],
    graph: impl Fn(&GraphName) -> Result<Vec<Quad>, E>,
    prefixes: &[(String, String)],
    scratch: &mut S,
    mut out: W,
) -> Result<W, E> {
    let opts = TurtleOptions {
        prefixes,
        trig: true,
    };
    let mut order: Vec<(String, &GraphName)> = names
        .iter()
        .map(|g| (graph_label(g, prefixes, &mut BTreeSet::new()), g))
        .collect();
    order.sort_by(|a, b| a.0.cmp(&b.0));
    let mut used = BTreeSet::new();
    {
        let mut body = io::BufWriter::new(&mut *scratch);
        for (_, g) in order {
            write_blocks(&mut body, &blocks(graph(g)?, &opts, &mut used))?;
        }
        body.flush()?;
    }
    write_prefixes(&mut out, &used, prefixes)?;
    scratch.seek(io::SeekFrom::Start(0))?;
    io::copy(scratch, &mut out)?;
    Ok(out)
}

fn graph_label(g: &GraphName, prefixes: &[(String, String)], used: &mut BTreeSet<usize>) -> String {
    match g {
        GraphName::DefaultGraph => String::new(),
        GraphName::NamedNode(n) => iri(n.as_str(), prefixes, used),
        GraphName::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

/// graph → subject → predicate → objects, all as rendered text.
fn blocks(
    quads: impl IntoIterator<Item = Quad>,
    opts: &TurtleOptions<'_>,
    used: &mut BTreeSet<usize>,
) -> BTreeMap<String, Block> {
    let mut graphs: BTreeMap<String, Block> = BTreeMap::new();
    for q in quads {
        let g = if opts.trig {
            graph_label(&q.graph_name, opts.prefixes, used)
        } else {
            String::new()
        };
        let s = subject(&q.subject, opts.prefixes, used);
        let p = iri(q.predicate.as_str(), opts.prefixes, used);
        let o = term_to_string(&q.object, opts.prefixes, used);
        graphs
            .entry(g)
            .or_default()
            .entry(s)
            .or_default()
            .entry(p)
            .or_default()
            .insert(o);
    }
    graphs
}

fn write_prefixes(
    out: &mut impl Write,
    used: &BTreeSet<usize>,
    prefixes: &[(String, String)],
) -> io::Result<()> {
    for i in used {
        let (p, ns) = &prefixes[*i];
        writeln!(out, "@prefix {p}: <{ns}> .")?;
    }
    if !used.is_empty() {
        writeln!(out)?;
    }
    Ok(())
}

fn write_blocks(out: &mut impl Write, graphs: &BTreeMap<String, Block>) -> io::Result<()> {
    for (g, block) in graphs {
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
    Ok(())
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
