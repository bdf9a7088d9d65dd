//! A Turtle/TriG writer for people and for git: only the prefixes used are
//! declared, all triples of a subject are grouped (sorted, `a` first), and
//! the output is deterministic so that exports diff cleanly.

use super::vocab;
use oxigraph::model::{GraphName, Literal, NamedOrBlankNode, Quad, Term};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, BufRead, Seek, Write};
use std::path::Path;

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
    let graphs = blocks(quads, opts, &mut used);
    write_prefixes(&mut out, &used, opts.prefixes)?;
    write_blocks(&mut out, &graphs)?;
    Ok(out)
}

/// TriG of graphs that come one batch of quads at a time, in any order
/// (an export graph by graph, `isnad extract` article by article): the
/// same text as [`write_turtle`] with `trig` when no graph comes twice. A
/// graph that comes again replaces what came before, as a re-ingest
/// does. Each graph's block goes to a scratch file in `scratch_dir` (the
/// prefixes to declare are known only at the end); then the prefixes, and
/// the blocks copied in the order of their graph names.
pub fn write_trig_streamed<W: Write, E: From<io::Error>>(
    graphs: impl IntoIterator<Item = Result<Vec<Quad>, E>>,
    prefixes: &[(String, String)],
    scratch_dir: &Path,
    mut out: W,
) -> Result<W, E> {
    let opts = TurtleOptions {
        prefixes,
        trig: true,
    };
    let mut used = BTreeSet::new();
    let scratch = scratch(scratch_dir)?;
    let mut body = io::BufWriter::new(&scratch);
    // Graph name → where its block sits in the scratch file.
    let mut at: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut end = 0u64;
    let mut text = Vec::new();
    for quads in graphs {
        for (name, block) in blocks(quads?, &opts, &mut used) {
            text.clear();
            write_block(&mut text, &name, &block)?;
            body.write_all(&text)?;
            let len = text.len() as u64;
            at.insert(name, (end, len));
            end += len;
        }
    }
    body.flush()?;
    drop(body);
    write_prefixes(&mut out, &used, prefixes)?;
    let mut file = &scratch;
    for (start, len) in at.into_values() {
        file.seek(io::SeekFrom::Start(start))?;
        io::copy(&mut io::Read::take(file, len), &mut out)?;
    }
    Ok(out)
}

/// Turtle of a dataset too big to hold: the same text as [`write_turtle`]
/// (every graph merged, subjects grouped and sorted, repeats dropped), by
/// an external sort. Each quad becomes one line `subject TAB key TAB
/// object` whose byte order is the document's order; up to `chunk` bytes
/// of lines are sorted in memory, more go to sorted runs in `scratch_dir`
/// (removed at the end) that are merged while the document is written.
pub fn write_turtle_sorted<W: Write, E: From<io::Error>>(
    quads: impl IntoIterator<Item = Result<Quad, E>>,
    prefixes: &[(String, String)],
    scratch_dir: &Path,
    chunk: usize,
    mut out: W,
) -> Result<W, E> {
    let mut used = BTreeSet::new();
    let mut runs = Runs::new(scratch_dir);
    let mut lines: Vec<String> = Vec::new();
    let mut bytes = 0;
    for q in quads {
        let q = q?;
        let s = subject(&q.subject, prefixes, &mut used);
        let p = iri(q.predicate.as_str(), prefixes, &mut used);
        let o = term_to_string(&q.object, prefixes, &mut used);
        // `a` first, then the predicates in order (as `write_turtle`).
        let key = if p == "a" { '0' } else { '1' };
        let line = format!("{s}\t{key}{p}\t{o}");
        bytes += line.len() + 24;
        lines.push(line);
        if bytes >= chunk {
            runs.write(&mut lines)?;
            bytes = 0;
        }
    }
    write_prefixes(&mut out, &used, prefixes)?;
    let mut doc = Document::default();
    if runs.files.is_empty() {
        lines.sort_unstable();
        lines.dedup();
        for l in &lines {
            doc.line(&mut out, l)?;
        }
    } else {
        runs.write(&mut lines)?;
        runs.merge(|l| doc.line(&mut out, l))?;
    }
    doc.finish(&mut out)?;
    Ok(out)
}

/// Writes sorted `subject TAB key TAB object` lines as grouped Turtle.
#[derive(Default)]
struct Document {
    subject: Option<String>,
    predicate: String,
}

impl Document {
    fn line(&mut self, out: &mut impl Write, line: &str) -> io::Result<()> {
        let mut f = line.splitn(3, '\t');
        let (Some(s), Some(p), Some(o)) = (f.next(), f.next(), f.next()) else {
            return Ok(());
        };
        let p = &p[1..];
        if self.subject.as_deref() == Some(s) {
            if p == self.predicate {
                write!(out, " , {o}")?;
            } else {
                write!(out, " ;\n    {p} {o}")?;
            }
        } else {
            if self.subject.is_some() {
                writeln!(out, " .")?;
            }
            write!(out, "{s} {p} {o}")?;
            self.subject = Some(s.to_string());
        }
        self.predicate.clear();
        self.predicate.push_str(p);
        Ok(())
    }

    fn finish(&self, out: &mut impl Write) -> io::Result<()> {
        if self.subject.is_some() {
            writeln!(out, " .")?;
            writeln!(out)?;
        }
        Ok(())
    }
}

/// A scratch file of an export: nameless (on Linux never named at all,
/// elsewhere removed at once or on close), so an export killed midway
/// leaves nothing behind.
fn scratch(dir: &Path) -> io::Result<File> {
    tempfile::tempfile_in(dir)
}

/// Reads what was written to a scratch file, from the start.
fn reread(file: &File) -> io::Result<io::BufReader<&File>> {
    let mut f = file;
    f.seek(io::SeekFrom::Start(0))?;
    Ok(io::BufReader::new(file))
}

/// Sorted runs of lines in scratch files.
struct Runs<'a> {
    dir: &'a Path,
    files: Vec<File>,
}

impl<'a> Runs<'a> {
    fn new(dir: &'a Path) -> Runs<'a> {
        Runs {
            dir,
            files: Vec::new(),
        }
    }

    fn write(&mut self, lines: &mut Vec<String>) -> io::Result<()> {
        lines.sort_unstable();
        lines.dedup();
        let run = scratch(self.dir)?;
        let mut w = io::BufWriter::new(&run);
        for l in lines.drain(..) {
            w.write_all(l.as_bytes())?;
            w.write_all(b"\n")?;
        }
        w.flush()?;
        drop(w);
        self.files.push(run);
        Ok(())
    }

    /// Hands every line of all runs to `each` once, in order.
    fn merge(&self, mut each: impl FnMut(&str) -> io::Result<()>) -> io::Result<()> {
        use std::cmp::Reverse;
        let mut readers = self
            .files
            .iter()
            .map(reread)
            .collect::<io::Result<Vec<_>>>()?;
        let mut heap = std::collections::BinaryHeap::new();
        let next = |r: &mut io::BufReader<&File>| -> io::Result<Option<String>> {
            let mut l = String::new();
            Ok((r.read_line(&mut l)? > 0).then(|| {
                l.pop();
                l
            }))
        };
        for (i, r) in readers.iter_mut().enumerate() {
            if let Some(l) = next(r)? {
                heap.push(Reverse((l, i)));
            }
        }
        let mut last: Option<String> = None;
        while let Some(Reverse((l, i))) = heap.pop() {
            if let Some(n) = next(&mut readers[i])? {
                heap.push(Reverse((n, i)));
            }
            if last.as_deref() != Some(l.as_str()) {
                each(&l)?;
                last = Some(l);
            }
        }
        Ok(())
    }
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
        write_block(out, g, block)?;
    }
    Ok(())
}

/// One graph's block (the default graph's, `g` empty, without braces).
fn write_block(out: &mut impl Write, g: &str, block: &Block) -> io::Result<()> {
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
    writeln!(out)
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

    #[test]
    fn the_sorted_writer_gives_the_same_document_through_runs_on_disk() {
        // Subjects that prefix each other, several predicates and objects,
        // repeats across graphs, a blank node: the cases of the order.
        let n = |s: &str| NamedNode::new_unchecked(s);
        let label = n(vocab::term::RDFS_LABEL);
        let mut quads = Vec::new();
        for g in 0..7 {
            let graph = GraphName::NamedNode(n(&format!("https://w3id.org/isnad/id/article/{g}")));
            for (subject, i) in [
                ("https://w3id.org/isnad/id/country/IR", 0),
                ("https://w3id.org/isnad/id/country/IRQ", 1),
            ] {
                quads.push(Quad::new(
                    n(subject),
                    n(vocab::term::RDF_TYPE),
                    n(vocab::term::COUNTRY),
                    graph.clone(),
                ));
                quads.push(Quad::new(
                    n(subject),
                    label.clone(),
                    Literal::new_language_tagged_literal_unchecked(
                        format!("بلد {}", (g + i) % 3),
                        "ar",
                    ),
                    graph.clone(),
                ));
            }
            quads.push(Quad::new(
                oxigraph::model::BlankNode::new_unchecked(format!("b{g}")),
                label.clone(),
                Literal::new_simple_literal("tab\there"),
                graph.clone(),
            ));
        }
        let prefixes = contract_prefixes();
        let opts = TurtleOptions {
            prefixes: &prefixes,
            trig: false,
        };
        let whole = write_turtle(quads.clone(), &opts, Vec::new()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        for chunk in [1 << 20, 200, 1] {
            let sorted = write_turtle_sorted(
                quads.iter().cloned().map(Ok::<_, io::Error>),
                &prefixes,
                dir.path(),
                chunk,
                Vec::new(),
            )
            .unwrap();
            assert_eq!(
                String::from_utf8(sorted).unwrap(),
                String::from_utf8(whole.clone()).unwrap(),
                "chunk {chunk}"
            );
        }
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "runs removed"
        );
    }

    #[test]
    fn trig_streamed_graph_by_graph_is_the_whole_document_and_a_repeat_replaces() {
        let n = |s: &str| NamedNode::new_unchecked(s);
        let graph = |g: u32| {
            let name = GraphName::NamedNode(n(&format!("https://w3id.org/isnad/id/article/{g}")));
            vec![
                Quad::new(
                    n(&format!("https://w3id.org/isnad/id/article/{g}/claim/1")),
                    n(vocab::term::RDFS_LABEL),
                    Literal::new_simple_literal(format!("claim {g}")),
                    name.clone(),
                ),
                Quad::new(
                    n("https://w3id.org/isnad/id/country/IR"),
                    n(vocab::term::RDF_TYPE),
                    n(vocab::term::COUNTRY),
                    name,
                ),
            ]
        };
        let prefixes = contract_prefixes();
        let opts = TurtleOptions {
            prefixes: &prefixes,
            trig: true,
        };
        let whole: Vec<Quad> = [2, 10, 1].into_iter().flat_map(graph).collect();
        let whole = String::from_utf8(write_turtle(whole, &opts, Vec::new()).unwrap()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        // Out of order, and graph 10 twice: first with other content.
        let mut stale = graph(10);
        stale[0].object = Literal::new_simple_literal("an older reading").into();
        let arriving = [graph(2), stale, graph(1), graph(10)];
        let streamed = write_trig_streamed(
            arriving.into_iter().map(Ok::<_, io::Error>),
            &prefixes,
            dir.path(),
            Vec::new(),
        )
        .unwrap();
        assert_eq!(String::from_utf8(streamed).unwrap(), whole);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn a_scratch_file_has_no_name_on_disk_while_it_is_in_use() {
        use std::io::Read;
        let dir = tempfile::tempdir().unwrap();
        let scratch = scratch(dir.path()).unwrap();
        (&scratch).write_all(b"a run\n").unwrap();
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "nothing to leave behind if the process is killed now"
        );
        let mut back = String::new();
        reread(&scratch).unwrap().read_to_string(&mut back).unwrap();
        assert_eq!(back, "a run\n");
    }
}
