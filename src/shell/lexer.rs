//! A small SPARQL-aware lexer and the statement splitter built on it.
//!
//! Owns: cutting shell input into tokens (strings, `<IRI>`s, `#` comments,
//! variables, names, brackets, `;`) and into statements that end with a `;`
//! outside strings, IRIs, comments and brackets. The interactive validator,
//! the highlighter, the completer, scripts and `.read` all use it, so they
//! agree on where a statement ends.
//!
//! Must not: parse SPARQL (Oxigraph does that), touch the store, or print.
//!
//! `<` starts an IRI only when the characters up to the next `>` contain no
//! whitespace and none of `<"{}|^`\``; otherwise it is the less-than
//! operator. A `<` whose IRI runs to the end of the input is an unfinished
//! IRI (the user is still typing it).

use std::ops::Range;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Spaces, tabs and newlines.
    Space,
    /// `# …` to the end of the line.
    Comment,
    /// A string literal (`"…"`, `'…'`, `"""…"""`, `'''…'''`).
    Str,
    /// An `<IRI>`.
    Iri,
    /// `?name` or `$name`.
    Var,
    /// A word without a colon: a keyword, `a`, `true`, a function name.
    Word,
    /// A prefixed name or a bare prefix (`isn:Claim`, `isn:`).
    Prefixed,
    /// A number.
    Number,
    /// `@en`.
    LangTag,
    /// `{`, `(` or `[`.
    Open,
    /// `}`, `)` or `]`.
    Close,
    /// `;`.
    Semi,
    /// Any other punctuation (`.`, `,`, `*`, `=`, `<`, `^^`, …).
    Punct,
}

/// One token: its kind, its byte range, and whether it was closed (strings
/// and IRIs may run off the end of the input).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub closed: bool,
}

impl Token {
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// Whitespace or a comment.
    pub fn is_trivia(&self) -> bool {
        matches!(self.kind, Kind::Space | Kind::Comment)
    }
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-' || c == '\u{B7}'
}

/// Cuts `src` into tokens that cover it completely.
pub fn tokenize(src: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let off = |i: usize| chars.get(i).map_or(src.len(), |&(o, _)| o);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let start = i;
        let mut closed = true;
        let kind = if c.is_whitespace() {
            while at(i).is_some_and(char::is_whitespace) {
                i += 1;
            }
            Kind::Space
        } else if c == '#' {
            while at(i).is_some_and(|c| c != '\n') {
                i += 1;
            }
            Kind::Comment
        } else if c == '"' || c == '\'' {
            let long = at(i + 1) == Some(c) && at(i + 2) == Some(c);
            i += if long { 3 } else { 1 };
            closed = false;
            while let Some(d) = at(i) {
                if d == '\\' {
                    i += 2;
                    continue;
                }
                if long {
                    if d == c && at(i + 1) == Some(c) && at(i + 2) == Some(c) {
                        i += 3;
                        closed = true;
                        break;
                    }
                } else if d == c {
                    i += 1;
                    closed = true;
                    break;
                } else if d == '\n' {
                    // A short string cannot span lines: stop here and let
                    // the parser report it, instead of swallowing the script.
                    break;
                }
                i += 1;
            }
            i = i.min(chars.len());
            Kind::Str
        } else if c == '<' {
            let mut j = i + 1;
            let mut iri = None;
            loop {
                match at(j) {
                    None => {
                        iri = Some(false);
                        break;
                    }
                    Some('>') => {
                        iri = Some(true);
                        break;
                    }
                    Some(d) if d.is_whitespace() || "<\"{}|^`".contains(d) => break,
                    Some(_) => j += 1,
                }
            }
            match iri {
                Some(done) => {
                    closed = done;
                    i = if done { j + 1 } else { j };
                    Kind::Iri
                }
                None => {
                    i += 1;
                    if at(i) == Some('=') {
                        i += 1;
                    }
                    Kind::Punct
                }
            }
        } else if (c == '?' || c == '$') && at(i + 1).is_some_and(|d| is_name_char(d) && d != '-') {
            i += 1;
            while at(i).is_some_and(is_name_char) {
                i += 1;
            }
            Kind::Var
        } else if c == '@' && at(i + 1).is_some_and(|d| d.is_ascii_alphabetic()) {
            i += 1;
            while at(i).is_some_and(|d| d.is_ascii_alphanumeric() || d == '-') {
                i += 1;
            }
            Kind::LangTag
        } else if c.is_ascii_digit() || (c == '.' && at(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            while at(i).is_some_and(|d| d.is_ascii_digit() || d == '.') {
                // A trailing '.' ends a triple, it is not part of the number.
                if at(i) == Some('.') && !at(i + 1).is_some_and(|d| d.is_ascii_digit()) {
                    break;
                }
                i += 1;
            }
            if at(i).is_some_and(|d| d == 'e' || d == 'E') {
                let mut j = i + 1;
                if at(j).is_some_and(|d| d == '+' || d == '-') {
                    j += 1;
                }
                if at(j).is_some_and(|d| d.is_ascii_digit()) {
                    i = j;
                    while at(i).is_some_and(|d| d.is_ascii_digit()) {
                        i += 1;
                    }
                }
            }
            Kind::Number
        } else if is_name_start(c) || c == ':' {
            let mut colon = false;
            while let Some(d) = at(i) {
                if d == ':' {
                    colon = true;
                } else if d == '.' {
                    // Dots inside local names, never at their end.
                    if !(colon && at(i + 1).is_some_and(|e| is_name_char(e) || e == ':')) {
                        break;
                    }
                } else if !(is_name_char(d) || (colon && d == '%')) {
                    break;
                }
                i += 1;
            }
            if colon {
                Kind::Prefixed
            } else {
                Kind::Word
            }
        } else {
            i += 1;
            match c {
                '{' | '(' | '[' => Kind::Open,
                '}' | ')' | ']' => Kind::Close,
                ';' => Kind::Semi,
                '^' if at(i) == Some('^') => {
                    i += 1;
                    Kind::Punct
                }
                _ => Kind::Punct,
            }
        };
        out.push(Token {
            kind,
            start: off(start),
            end: off(i),
            closed,
        });
    }
    out
}

/// Where statements end in a piece of input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Each complete statement, from its first token (leading whitespace
    /// and comments skipped) to just before its `;`.
    pub statements: Vec<Range<usize>>,
    /// Where the unfinished rest begins (may be blank).
    pub rest: usize,
}

/// Finds the statements that a `;` outside strings, IRIs, comments and
/// brackets ends.
pub fn split(src: &str) -> Split {
    let mut statements = Vec::new();
    let mut depth: usize = 0;
    let mut first: Option<usize> = None;
    let mut rest = 0;
    for t in tokenize(src) {
        match t.kind {
            Kind::Space | Kind::Comment => continue,
            Kind::Open => depth += 1,
            Kind::Close => depth = depth.saturating_sub(1),
            Kind::Semi if depth == 0 => {
                statements.push(first.unwrap_or(t.start)..t.start);
                first = None;
                rest = t.end;
                continue;
            }
            _ => {}
        }
        first.get_or_insert(t.start);
    }
    Split { statements, rest }
}

/// Only whitespace and comments.
pub fn is_blank(src: &str) -> bool {
    tokenize(src).iter().all(Token::is_trivia)
}

/// Whether `src` still waits for a `;` (it has something besides
/// whitespace and comments after its last complete statement).
pub fn is_incomplete(src: &str) -> bool {
    let s = split(src);
    !is_blank(&src[s.rest..])
}

/// Where the first token starts (skipping whitespace and comments).
pub fn first_token_start(src: &str) -> Option<usize> {
    tokenize(src)
        .into_iter()
        .find(|t| !t.is_trivia())
        .map(|t| t.start)
}

/// The statement's leading keyword after its prologue (`PREFIX`/`BASE`
/// declarations), upper-cased: `SELECT`, `INSERT`, `WITH`, …
pub fn leading_keyword(src: &str) -> Option<String> {
    let toks = tokenize(src);
    let mut iter = toks.iter().filter(|t| !t.is_trivia());
    while let Some(t) = iter.next() {
        if t.kind != Kind::Word {
            continue;
        }
        let w = src[t.range()].to_ascii_uppercase();
        match w.as_str() {
            "PREFIX" => {
                iter.next();
                iter.next();
            }
            "BASE" => {
                iter.next();
            }
            _ => return Some(w),
        }
    }
    None
}

/// Whether a statement is a SPARQL Update (by its leading keyword).
pub fn is_update(src: &str) -> bool {
    matches!(
        leading_keyword(src).as_deref(),
        Some(
            "INSERT"
                | "DELETE"
                | "LOAD"
                | "CLEAR"
                | "CREATE"
                | "DROP"
                | "COPY"
                | "MOVE"
                | "ADD"
                | "WITH"
        )
    )
}

/// SPARQL 1.1 keywords and built-in functions, for highlighting and
/// completion.
pub const KEYWORDS: &[&str] = &[
    "SELECT",
    "CONSTRUCT",
    "DESCRIBE",
    "ASK",
    "WHERE",
    "FROM",
    "NAMED",
    "PREFIX",
    "BASE",
    "DISTINCT",
    "REDUCED",
    "OPTIONAL",
    "FILTER",
    "UNION",
    "MINUS",
    "GRAPH",
    "SERVICE",
    "SILENT",
    "BIND",
    "VALUES",
    "AS",
    "GROUP",
    "BY",
    "HAVING",
    "ORDER",
    "ASC",
    "DESC",
    "LIMIT",
    "OFFSET",
    "UNDEF",
    "EXISTS",
    "NOT",
    "IN",
    "INSERT",
    "DELETE",
    "DATA",
    "WITH",
    "USING",
    "DEFAULT",
    "ALL",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "INTO",
    "TO",
    "COUNT",
    "SUM",
    "MIN",
    "MAX",
    "AVG",
    "SAMPLE",
    "GROUP_CONCAT",
    "SEPARATOR",
    "STR",
    "LANG",
    "LANGMATCHES",
    "DATATYPE",
    "BOUND",
    "IRI",
    "URI",
    "BNODE",
    "RAND",
    "ABS",
    "CEIL",
    "FLOOR",
    "ROUND",
    "CONCAT",
    "STRLEN",
    "UCASE",
    "LCASE",
    "ENCODE_FOR_URI",
    "CONTAINS",
    "STRSTARTS",
    "STRENDS",
    "STRBEFORE",
    "STRAFTER",
    "YEAR",
    "MONTH",
    "DAY",
    "HOURS",
    "MINUTES",
    "SECONDS",
    "TIMEZONE",
    "TZ",
    "NOW",
    "UUID",
    "STRUUID",
    "MD5",
    "SHA1",
    "SHA256",
    "SHA384",
    "SHA512",
    "COALESCE",
    "IF",
    "STRLANG",
    "STRDT",
    "SAMETERM",
    "ISIRI",
    "ISURI",
    "ISBLANK",
    "ISLITERAL",
    "ISNUMERIC",
    "REGEX",
    "SUBSTR",
    "REPLACE",
    "TRUE",
    "FALSE",
];

/// Whether a word is a SPARQL keyword (case-insensitive; `a` included).
pub fn is_keyword(word: &str) -> bool {
    word == "a" || KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stmts(src: &str) -> Vec<&str> {
        split(src).statements.into_iter().map(|r| &src[r]).collect()
    }

    #[test]
    fn a_semicolon_at_top_level_ends_a_statement() {
        assert_eq!(
            stmts("SELECT * { ?s ?p ?o };"),
            vec!["SELECT * { ?s ?p ?o }"]
        );
        assert_eq!(stmts("ASK {} ; ASK {};\n"), vec!["ASK {} ", "ASK {}"]);
        assert!(!is_incomplete("ASK {};  # done\n"));
        assert!(is_incomplete("ASK {}; SELECT"));
    }

    #[test]
    fn semicolons_in_strings_iris_comments_and_brackets_do_not() {
        assert!(is_incomplete(r#"SELECT * { ?s ?p "a;b" }"#));
        assert!(is_incomplete("SELECT * { ?s ?p 'it''s;' }"));
        assert!(is_incomplete(r#"SELECT * { ?s ?p "say \";\" now" }"#));
        assert!(is_incomplete("SELECT * { ?s <http://x/a;b> ?o }"));
        assert!(is_incomplete("SELECT * { ?s ?p ?o } # not yet;"));
        assert!(is_incomplete("SELECT * { ?s isn:speaker ?a ; isn:text ?t"));
        assert!(is_incomplete(
            "SELECT (GROUP_CONCAT(?x; SEPARATOR=\",\") AS ?y)"
        ));
        assert_eq!(
            stmts("SELECT (GROUP_CONCAT(?x; SEPARATOR=\";\") AS ?y) {};"),
            vec!["SELECT (GROUP_CONCAT(?x; SEPARATOR=\";\") AS ?y) {}"]
        );
    }

    #[test]
    fn a_hash_inside_an_iri_is_not_a_comment() {
        let src = "SELECT * { ?s a <https://w3id.org/isnad/ontology#Claim> };";
        assert_eq!(stmts(src), vec![&src[..src.len() - 1]]);
        let t = tokenize("<http://x#y> # c");
        assert_eq!(t[0].kind, Kind::Iri);
        assert_eq!(t[2].kind, Kind::Comment);
    }

    #[test]
    fn less_than_is_an_operator_when_followed_by_space() {
        let src = "SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) };";
        assert_eq!(stmts(src).len(), 1);
        let t: Vec<Kind> = tokenize("?o <3").iter().map(|t| t.kind).collect();
        assert_eq!(t, vec![Kind::Var, Kind::Space, Kind::Iri]);
        let t: Vec<Kind> = tokenize("?o<= 3").iter().map(|t| t.kind).collect();
        assert_eq!(t, vec![Kind::Var, Kind::Punct, Kind::Space, Kind::Number]);
        // A `#` after a less-than is a comment again.
        assert!(!is_incomplete("ASK { FILTER(1 < 2) } ; # x <y\n"));
    }

    #[test]
    fn multi_line_statements_and_long_strings() {
        let src = "SELECT ?s\nWHERE {\n  ?s ?p \"\"\"a;\nb\"\"\"\n}\n;\n";
        assert_eq!(stmts(src).len(), 1);
        assert!(stmts(src)[0].starts_with("SELECT"));
        assert!(is_incomplete("INSERT DATA { <a:b> <a:c> \"\"\"open;\n"));
        // A short string stops at the end of its line.
        assert_eq!(stmts("SELECT \"oops;\nASK {};\n").len(), 1);
        assert_eq!(stmts("ASK { \"x\n};").len(), 1);
    }

    #[test]
    fn leading_comments_are_skipped_and_blank_input_is_blank() {
        let src = "# list\n\nASK {};";
        assert_eq!(stmts(src), vec!["ASK {}"]);
        assert!(is_blank("  # only a comment\n\n"));
        assert!(!is_blank("a"));
        assert!(!is_incomplete("# just a comment\n"));
    }

    #[test]
    fn updates_are_told_from_queries() {
        assert!(is_update(
            "PREFIX ex: <http://ex/>\nINSERT DATA { ex:a ex:b ex:c }"
        ));
        assert!(is_update("with <g> delete { } where {}"));
        assert!(!is_update("PREFIX ex: <http://ex/> SELECT * {}"));
        assert!(!is_update("# INSERT\nASK {}"));
        assert_eq!(
            leading_keyword("BASE <http://x/> describe <a>").as_deref(),
            Some("DESCRIBE")
        );
    }

    #[test]
    fn tokens_cover_the_input() {
        let src = "SELECT ?x $y isn:Claim \"ar\"@ar 1.5e3 ?s. <http://a#b> ^^xsd:date ; :local";
        let toks = tokenize(src);
        let mut pos = 0;
        for t in &toks {
            assert_eq!(t.start, pos);
            pos = t.end;
        }
        assert_eq!(pos, src.len());
        let kinds: Vec<Kind> = toks
            .iter()
            .filter(|t| !t.is_trivia())
            .map(|t| t.kind)
            .collect();
        assert_eq!(
            kinds,
            vec![
                Kind::Word,
                Kind::Var,
                Kind::Var,
                Kind::Prefixed,
                Kind::Str,
                Kind::LangTag,
                Kind::Number,
                Kind::Var,
                Kind::Punct,
                Kind::Iri,
                Kind::Punct,
                Kind::Prefixed,
                Kind::Semi,
                Kind::Prefixed
            ]
        );
    }

    #[test]
    fn arabic_text_is_handled_by_character() {
        let src = "SELECT * { ?e rdfs:label \"إيران;\"@ar };";
        assert_eq!(stmts(src).len(), 1);
        assert!(split(src).rest == src.len());
    }
}
