//! The line editor's helper: Tab completion, syntax highlighting and the
//! multi-line validator of the interactive shell.
//!
//! Owns: what Tab offers (keywords, prefixes, `prefix:name` terms from the
//! ontology and the store, variables, entity labels inside strings,
//! dot-commands and their arguments, file paths), the ANSI colours of the
//! input line, and when Enter submits a recalled multi-line statement.
//!
//! Must not: run statements or write to the store; it reads the store only
//! to find names to offer. It uses the same lexer as the statement splitter
//! so colours, completion and `;` handling agree.

use super::commands;
use super::lexer::{self, Kind};
use super::Shared;
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

const RESET: &str = "\x1b[0m";

/// The ANSI colour of a token kind, if it has one.
fn colour(kind: Kind, text: &str) -> Option<&'static str> {
    Some(match kind {
        Kind::Word if lexer::is_keyword(text) => "\x1b[1;34m",
        Kind::Str | Kind::LangTag => "\x1b[32m",
        Kind::Iri => "\x1b[36m",
        Kind::Prefixed => "\x1b[33m",
        Kind::Var => "\x1b[35m",
        Kind::Comment => "\x1b[90m",
        Kind::Number => "\x1b[31m",
        _ => return None,
    })
}

/// Colours `line`, which continues `pending` (earlier lines of the same
/// statement, so a string opened there stays a string here).
pub fn highlight(pending: &str, line: &str) -> String {
    if lexer::is_blank(pending) && line.trim_start().starts_with('.') {
        let start = line.len() - line.trim_start().len();
        let end = line[start..]
            .find(char::is_whitespace)
            .map_or(line.len(), |i| start + i);
        return format!(
            "{}\x1b[1m{}{RESET}{}",
            &line[..start],
            &line[start..end],
            &line[end..]
        );
    }
    let text = format!("{pending}{line}");
    let off = pending.len();
    let mut out = String::with_capacity(line.len() * 2);
    for t in lexer::tokenize(&text) {
        if t.end <= off {
            continue;
        }
        let s = &text[t.start.max(off)..t.end];
        match colour(t.kind, &text[t.range()]) {
            Some(c) => {
                out.push_str(c);
                out.push_str(s);
                out.push_str(RESET);
            }
            None => out.push_str(s),
        }
    }
    out
}

/// The rustyline helper of the shell.
pub struct ShellHelper {
    shared: Rc<Shared>,
    /// Earlier lines of the statement being typed.
    pending: RefCell<String>,
    color: bool,
    files: FilenameCompleter,
}

impl ShellHelper {
    pub fn new(shared: Rc<Shared>, color: bool) -> ShellHelper {
        ShellHelper {
            shared,
            pending: RefCell::new(String::new()),
            color,
            files: FilenameCompleter::new(),
        }
    }

    /// Tells the helper what the statement so far is.
    pub fn set_pending(&self, pending: &str) {
        *self.pending.borrow_mut() = pending.to_string();
    }

    fn pair(s: String) -> Pair {
        Pair {
            display: s.clone(),
            replacement: s,
        }
    }

    /// Keywords and prefixes for a bare word; terms for `prefix:local`.
    fn words(&self, word: &str) -> Vec<Pair> {
        let prefixes = self.shared.prefixes.borrow().clone();
        let mut out = Vec::new();
        if let Some((p, local)) = word.split_once(':') {
            if let Some((_, ns)) = prefixes.iter().find(|(q, _)| q == p) {
                for iri in self.shared.terms().iter() {
                    if let Some(rest) = iri.strip_prefix(ns.as_str()) {
                        if rest.starts_with(local)
                            && crate::rdf::vocab::is_pn_local(rest)
                            && !rest.is_empty()
                        {
                            out.push(Self::pair(format!("{p}:{rest}")));
                        }
                    }
                }
            }
        } else {
            let lower = word.chars().all(|c| !c.is_uppercase()) && !word.is_empty();
            for k in lexer::KEYWORDS {
                if k.len() >= word.len() && k[..word.len()].eq_ignore_ascii_case(word) {
                    out.push(Self::pair(if lower {
                        k.to_lowercase()
                    } else {
                        k.to_string()
                    }));
                }
            }
            for (p, _) in &prefixes {
                if p.starts_with(word) {
                    out.push(Self::pair(format!("{p}:")));
                }
            }
        }
        out.sort_by(|a, b| a.replacement.cmp(&b.replacement));
        out.dedup_by(|a, b| a.replacement == b.replacement);
        out
    }

    fn complete_dot(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = &line[..pos];
        let lead = before.len() - before.trim_start().len();
        let body = &before[lead + 1..];
        if !body.contains(char::is_whitespace) {
            let mut c: Vec<Pair> = commands::names()
                .into_iter()
                .filter(|n| n.starts_with(body))
                .map(|n| Self::pair(format!("{n} ")))
                .collect();
            c.dedup_by(|a, b| a.replacement == b.replacement);
            return Ok((lead + 1, c));
        }
        let cmd = body.split_whitespace().next().unwrap_or("");
        let start = before.rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let word = &before[start..];
        // How many words (the command included) come before the one completed.
        let prior = before[lead + 1..start].split_whitespace().count();
        let pick = |opts: &[&str]| -> Vec<Pair> {
            opts.iter()
                .filter(|o| o.starts_with(word))
                .map(|o| Self::pair(o.to_string()))
                .collect()
        };
        let cands = match cmd {
            "load" | "ingest" | "export" | "read" | "output" => {
                return self.files.complete(line, pos, ctx)
            }
            "format" => pick(&[
                "table", "csv", "tsv", "json", "xml", "markdown", "turtle", "ntriples",
            ]),
            "timer" | "bail" | "wide" | "pager" => pick(&["on", "off"]),
            "help" => commands::names()
                .into_iter()
                .filter(|n| n.starts_with(word))
                .map(Self::pair)
                .collect(),
            "run" if prior == 1 => super::queries::all()
                .into_iter()
                .filter(|q| q.name.starts_with(word))
                .map(|q| Self::pair(q.name))
                .collect(),
            "run" | "describe" if word.contains(':') => self.words(word),
            _ => Vec::new(),
        };
        Ok((start, cands))
    }

    /// Labels that begin with `partial` (inside a string literal).
    fn labels(&self, partial: &str) -> Vec<String> {
        if partial.is_empty() {
            return Vec::new();
        }
        let lit = oxigraph::model::Literal::new_simple_literal(partial);
        self.shared.strings(&format!(
            "SELECT DISTINCT ?l WHERE {{ ?e rdfs:label|skos:altLabel ?l FILTER(STRSTARTS(STR(?l), {lit})) }} ORDER BY ?l LIMIT 50"
        ))
    }
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let pending = self.pending.borrow().clone();
        if lexer::is_blank(&pending) && line[..pos].trim_start().starts_with('.') {
            return self.complete_dot(line, pos, ctx);
        }
        let text = format!("{pending}{}", &line[..pos]);
        let off = pending.len();
        let toks = lexer::tokenize(&text);
        let Some(last) = toks
            .last()
            .filter(|t| t.end == text.len() && t.start >= off)
        else {
            return Ok((pos, Vec::new()));
        };
        let word = &text[last.range()];
        let start = last.start - off;
        match last.kind {
            Kind::Word | Kind::Prefixed => Ok((start, self.words(word))),
            Kind::Var => {
                let mut vars: Vec<String> = toks
                    .iter()
                    .filter(|t| t.kind == Kind::Var && t.end != text.len())
                    .map(|t| text[t.range()].to_string())
                    .filter(|v| v[1..].starts_with(&word[1..]) && v.len() > word.len())
                    .collect();
                let full = format!("{pending}{line}");
                for t in lexer::tokenize(&full) {
                    let v = &full[t.range()];
                    if t.kind == Kind::Var && v[1..].starts_with(&word[1..]) && v.len() > word.len()
                    {
                        vars.push(v.to_string());
                    }
                }
                vars.sort();
                vars.dedup();
                Ok((start, vars.into_iter().map(Self::pair).collect()))
            }
            Kind::Str if !last.closed => {
                let q = word.chars().next().unwrap_or('"');
                let qlen = if word.starts_with(&q.to_string().repeat(3)) {
                    3
                } else {
                    1
                };
                let partial = &word[qlen..];
                let close = q.to_string().repeat(qlen);
                let cands = self
                    .labels(partial)
                    .into_iter()
                    .map(|l| Pair {
                        display: l.clone(),
                        replacement: format!("{l}{close}"),
                    })
                    .collect();
                Ok((start + qlen, cands))
            }
            _ => Ok((pos, Vec::new())),
        }
    }
}

impl Highlighter for ShellHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.color {
            return Cow::Borrowed(line);
        }
        Cow::Owned(highlight(&self.pending.borrow(), line))
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.color
    }
}

impl Hinter for ShellHelper {
    type Hint = String;
}

impl Validator for ShellHelper {
    /// A single typed line is always accepted (the shell shows a
    /// continuation prompt itself); a multi-line buffer — a recalled or
    /// pasted statement — is submitted only once its `;` ends it.
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        let input = ctx.input();
        if !input.contains('\n') {
            return Ok(ValidationResult::Valid(None));
        }
        let pending = self.pending.borrow();
        if lexer::is_blank(&pending) && input.trim_start().starts_with('.') {
            return Ok(ValidationResult::Valid(None));
        }
        if lexer::is_incomplete(&format!("{pending}{input}\n")) {
            Ok(ValidationResult::Incomplete)
        } else {
            Ok(ValidationResult::Valid(None))
        }
    }
}

impl Helper for ShellHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(s: &str) -> String {
        let mut out = String::new();
        let mut esc = false;
        for c in s.chars() {
            if c == '\x1b' {
                esc = true;
            } else if esc {
                if c == 'm' {
                    esc = false;
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn highlighting_colours_tokens_and_keeps_the_text() {
        let line = "SELECT ?s { ?s a isn:Claim ; isn:text \"قال\"@ar } # note <http://x#y>";
        let h = highlight("", line);
        assert_eq!(strip(&h), line);
        assert!(h.contains("\x1b[1;34mSELECT"));
        assert!(h.contains("\x1b[33misn:Claim"));
        assert!(h.contains("\x1b[32m\"قال\""));
        assert!(h.contains("\x1b[90m# note <http://x#y>"));
        let h = highlight("", "?s ?p <http://x#y> .");
        assert!(h.contains("\x1b[36m<http://x#y>"), "{h}");
    }

    #[test]
    fn a_string_opened_on_an_earlier_line_stays_a_string() {
        let h = highlight(
            "INSERT DATA { <a:b> <a:c> \"\"\"first;\n",
            "SELECT still text\"\"\" }",
        );
        assert!(h.starts_with("\x1b[32mSELECT still text\"\"\""), "{h}");
    }

    #[test]
    fn dot_commands_are_bold() {
        assert_eq!(highlight("", ".format csv"), "\x1b[1m.format\x1b[0m csv");
    }
}
