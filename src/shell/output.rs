//! Where and how results are written: the formats of `.format`, table
//! fitting to the terminal width, the pager, and `.output` redirection.
//!
//! Owns: turning collected query results into text, and sending text to
//! the screen (through a pager when it is taller than the screen) or to a
//! file.
//!
//! Must not: run queries or read input. Tables themselves (display widths,
//! bidi isolation) are `crate::render`'s; this module only decides how wide
//! columns may be.

use super::commands::Format;
use crate::rdf::{write_turtle, TurtleOptions};
use crate::render;
use crate::store::{Store, StoreError};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QuerySolution, Variable};
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn io_err(e: std::io::Error) -> StoreError {
    StoreError(format!("cannot write output: {e}"))
}

/// The terminal's size (columns, rows) when standard output is one.
pub fn terminal_size() -> Option<(usize, usize)> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    #[cfg(unix)]
    {
        // SAFETY: TIOCGWINSZ fills a winsize struct we own.
        let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
        let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
        if ok && ws.ws_col > 0 && ws.ws_row > 0 {
            return Some((ws.ws_col as usize, ws.ws_row as usize));
        }
    }
    let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse().ok());
    Some((env("COLUMNS").unwrap_or(80), env("LINES").unwrap_or(24)))
}

/// The widest a cell may be so that the table fits in `total` columns:
/// narrow columns keep their width, the wide ones share the rest. `None`
/// when the table fits as it is.
pub fn fit_columns(headers: &[String], rows: &[Vec<String>], total: usize) -> Option<usize> {
    let n = headers.len();
    if n == 0 {
        return None;
    }
    let mut widths: Vec<usize> = headers.iter().map(|h| render::width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            let c = c.replace(['\n', '\r', '\t'], " ");
            widths[i] = widths[i].max(render::width(&c));
        }
    }
    // Borders and padding: "│ " before each cell, " " after, "│" at the end.
    let frame = 3 * n + 1;
    let avail = total.saturating_sub(frame).max(4 * n);
    if widths.iter().sum::<usize>() <= avail {
        return None;
    }
    let (mut lo, mut hi) = (4, widths.iter().copied().max().unwrap_or(4));
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if widths.iter().map(|w| (*w).min(mid)).sum::<usize>() <= avail {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Some(lo)
}

/// SELECT results as text in a format; `width` fits tables to a terminal.
pub fn solutions(
    vars: &[Variable],
    rows: &[QuerySolution],
    format: Format,
    prefixes: &[(String, String)],
    width: Option<usize>,
) -> Result<String, StoreError> {
    let rformat = match format {
        Format::Csv => Some(QueryResultsFormat::Csv),
        Format::Tsv => Some(QueryResultsFormat::Tsv),
        Format::Json => Some(QueryResultsFormat::Json),
        Format::Xml => Some(QueryResultsFormat::Xml),
        _ => None,
    };
    if let Some(f) = rformat {
        let mut w = QueryResultsSerializer::from_format(f)
            .serialize_solutions_to_writer(Vec::new(), vars.to_vec())
            .map_err(io_err)?;
        for s in rows {
            w.serialize(s).map_err(io_err)?;
        }
        let bytes = w.finish().map_err(io_err)?;
        let mut s = String::from_utf8_lossy(&bytes).into_owned();
        if !s.ends_with('\n') {
            s.push('\n');
        }
        return Ok(s);
    }
    let headers: Vec<String> = vars.iter().map(|v| v.as_str().to_string()).collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|s| {
            vars.iter()
                .map(|v| {
                    s.get(v)
                        .map(|t| render::display_term(t, prefixes))
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    if format == Format::Markdown {
        return Ok(render::markdown(&headers, &cells));
    }
    let cap = width.and_then(|w| fit_columns(&headers, &cells, w));
    Ok(render::table(&headers, &cells, cap))
}

/// CONSTRUCT/DESCRIBE results: Turtle with the shell's prefixes (or
/// N-Triples).
pub fn graph(
    triples: Vec<Triple>,
    format: Format,
    prefixes: &[(String, String)],
) -> Result<String, StoreError> {
    let quads: Vec<_> = triples
        .into_iter()
        .map(|t| t.in_graph(GraphName::DefaultGraph))
        .collect();
    let bytes = if format == Format::Ntriples {
        Store::serialize(&quads, RdfFormat::NTriples, Vec::new())?
    } else {
        write_turtle(
            quads,
            &TurtleOptions {
                prefixes,
                trig: false,
            },
            Vec::new(),
        )
        .map_err(io_err)?
    };
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// An ASK result.
pub fn boolean(b: bool, format: Format) -> Result<String, StoreError> {
    let f = match format {
        Format::Json => QueryResultsFormat::Json,
        Format::Xml => QueryResultsFormat::Xml,
        Format::Csv => QueryResultsFormat::Csv,
        Format::Tsv => QueryResultsFormat::Tsv,
        _ => return Ok(format!("{b}\n")),
    };
    let bytes = QueryResultsSerializer::from_format(f)
        .serialize_boolean_to_writer(Vec::new(), b)
        .map_err(io_err)?;
    let mut s = String::from_utf8_lossy(&bytes).into_owned();
    if !s.ends_with('\n') {
        s.push('\n');
    }
    Ok(s)
}

/// "3 rows", "1 row".
pub fn count(n: usize, noun: &str) -> String {
    format!(
        "{} {noun}{}",
        crate::cli::group(n),
        if n == 1 { "" } else { "s" }
    )
}

/// Where results go: the screen (paged when tall) or a file.
pub struct Output {
    file: Option<(PathBuf, BufWriter<File>)>,
    /// Page results taller than the screen.
    pub pager: bool,
}

impl Output {
    pub fn new(pager: bool) -> Output {
        Output { file: None, pager }
    }

    /// Whether results go to a terminal (so tables are fitted and paged).
    pub fn is_terminal(&self) -> bool {
        self.file.is_none() && std::io::stdout().is_terminal()
    }

    /// The file results go to, if any.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_ref().map(|(p, _)| p.as_path())
    }

    /// `.output FILE` (created or truncated) or `.output` (the screen).
    pub fn redirect(&mut self, path: Option<&Path>) -> Result<(), StoreError> {
        if let Some((p, mut w)) = self.file.take() {
            w.flush()
                .map_err(|e| StoreError(format!("{}: cannot write: {e}", p.display())))?;
        }
        if let Some(p) = path {
            let f = File::create(p)
                .map_err(|e| StoreError(format!("{}: cannot write: {e}", p.display())))?;
            self.file = Some((p.to_path_buf(), BufWriter::new(f)));
        }
        Ok(())
    }

    /// Writes text where results go; on a terminal, through the pager when
    /// it is taller (or, with `-S`, wider) than the screen.
    pub fn emit(&mut self, text: &str) -> Result<(), StoreError> {
        if let Some((p, w)) = &mut self.file {
            return w
                .write_all(text.as_bytes())
                .and_then(|_| w.flush())
                .map_err(|e| StoreError(format!("{}: cannot write: {e}", p.display())));
        }
        if self.pager && std::io::stdout().is_terminal() {
            if let Some((cols, rows)) = terminal_size() {
                let tall = text.lines().count() + 1 >= rows;
                let wide = text.lines().any(|l| render::width(l) > cols);
                if (tall || wide) && page(text) {
                    return Ok(());
                }
            }
        }
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())
            .and_then(|_| out.flush())
            .map_err(io_err)
    }

    /// Flushes a redirected file.
    pub fn finish(&mut self) -> Result<(), StoreError> {
        self.redirect(None)
    }
}

/// Shows text through `$PAGER` (or `less -SR`); false when no pager ran.
fn page(text: &str) -> bool {
    let cmd = std::env::var("PAGER")
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "less -SR".to_string());
    let child = Command::new("sh")
        .arg("-c")
        .arg(&cmd)
        .env("LESSCHARSET", "utf-8")
        .stdin(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        return false;
    };
    if let Some(mut stdin) = child.stdin.take() {
        // The user may quit the pager before reading everything.
        let _ = stdin.write_all(text.as_bytes());
    }
    // 127: the shell found no such pager; show the text directly.
    matches!(child.wait(), Ok(s) if s.code() != Some(127))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode, Term};

    fn rows(data: &[&[&str]]) -> (Vec<Variable>, Vec<QuerySolution>) {
        let vars: Vec<Variable> = (0..data[0].len())
            .map(|i| Variable::new_unchecked(format!("v{i}")))
            .collect();
        let sols = data
            .iter()
            .map(|r| {
                let vals: Vec<Option<Term>> = r
                    .iter()
                    .map(|c| {
                        Some(if c.starts_with("http") {
                            NamedNode::new_unchecked(*c).into()
                        } else {
                            Literal::new_simple_literal(*c).into()
                        })
                    })
                    .collect();
                QuerySolution::from((vars.clone(), vals))
            })
            .collect();
        (vars, sols)
    }

    #[test]
    fn tables_fit_the_terminal_and_stay_aligned() {
        let long = "وزير الخارجية الإيراني عباس عراقجي يقول إن المفاوضات مستمرة ".repeat(3);
        let (vars, sols) = rows(&[
            &["https://w3id.org/isnad/ontology#Claim", &long],
            &["https://w3id.org/isnad/id/country/IR", "short"],
        ]);
        let p = crate::rdf::contract_prefixes();
        let t = solutions(&vars, &sols, Format::Table, &p, Some(60)).unwrap();
        assert!(t.contains("isn:Claim") && t.contains("country:IR"), "{t}");
        let widths: Vec<usize> = t
            .lines()
            .map(|l| render::width(&l.replace(['\u{2068}', '\u{2069}'], "")))
            .collect();
        assert!(
            widths.iter().all(|w| *w == widths[0] && *w <= 60),
            "{widths:?}\n{t}"
        );
        assert!(t.contains('…'));
        // Wide: nothing is cut.
        let t = solutions(&vars, &sols, Format::Table, &p, None).unwrap();
        assert!(t.contains(long.trim_end()), "{t}");
    }

    #[test]
    fn narrow_columns_keep_their_width() {
        let h = vec!["a".to_string(), "b".to_string()];
        let r = vec![vec!["xx".to_string(), "y".repeat(100)]];
        let cap = fit_columns(&h, &r, 40).unwrap();
        assert_eq!(cap, 40 - 7 - 2);
        assert_eq!(fit_columns(&h, &r, 200), None);
    }

    #[test]
    fn csv_json_and_markdown_have_full_values_and_no_marks() {
        let long = "ب".repeat(300);
        let (vars, sols) = rows(&[&[&long]]);
        let p = crate::rdf::contract_prefixes();
        for f in [Format::Csv, Format::Tsv, Format::Json, Format::Markdown] {
            let t = solutions(&vars, &sols, f, &p, Some(40)).unwrap();
            assert!(t.contains(&long), "{f:?}");
            assert!(!t.contains('\u{2068}'), "{f:?}");
        }
        assert!(solutions(&vars, &sols, Format::Json, &p, None)
            .unwrap()
            .contains("\"bindings\""));
    }

    #[test]
    fn graphs_are_turtle_with_prefixes() {
        let t = Triple::new(
            NamedNode::new_unchecked("https://w3id.org/isnad/id/country/IR"),
            NamedNode::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            NamedNode::new_unchecked("https://w3id.org/isnad/ontology#Country"),
        );
        let p = crate::rdf::contract_prefixes();
        let s = graph(vec![t.clone()], Format::Table, &p).unwrap();
        assert!(s.contains("country:IR") && s.contains("isn:Country"), "{s}");
        let s = graph(vec![t], Format::Ntriples, &p).unwrap();
        assert!(s.contains("<https://w3id.org/isnad/id/country/IR>"), "{s}");
    }

    #[test]
    fn counts_read_naturally() {
        assert_eq!(count(1, "row"), "1 row");
        assert_eq!(count(12345, "row"), "12,345 rows");
    }
}
