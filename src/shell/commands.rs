//! The dot-commands: one clap definition from which parsing, `.help` and
//! command-name completion are all derived.
//!
//! Owns: the list of dot-commands, their arguments and their one-line help,
//! and turning a `.command args…` line into a [`Dot`] value.
//!
//! Must not: run anything. Executing a command is the shell's job
//! (`mod.rs`); this module only says what was asked for.

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Formats of results.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Aligned table (CONSTRUCT/DESCRIBE as Turtle)
    Table,
    Csv,
    Tsv,
    /// W3C SPARQL 1.1 Query Results JSON
    Json,
    Xml,
    Markdown,
    /// Turtle with prefixes, for CONSTRUCT/DESCRIBE
    Turtle,
    Ntriples,
}

/// `on` or `off`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Switch {
    On,
    Off,
}

impl Switch {
    pub fn on(self) -> bool {
        self == Switch::On
    }
}

/// A dot-command line, parsed (`.format csv` → `Dot::Format { .. }`).
#[derive(Parser, Debug)]
#[command(
    name = "",
    multicall = true,
    disable_help_flag = true,
    disable_help_subcommand = true,
    disable_version_flag = true
)]
pub struct DotLine {
    #[command(subcommand)]
    pub command: Dot,
}

/// The shell's dot-commands, in the order `.help` lists them.
#[derive(Subcommand, Debug, PartialEq)]
pub enum Dot {
    /// Show this help (or one command's)
    Help { command: Option<String> },
    /// List the declared prefixes
    Prefixes,
    /// Declare a prefix for queries and results: .prefix ex: <http://example.org/>
    Prefix {
        #[arg(value_name = "NAME:")]
        name: String,
        #[arg(value_name = "<IRI>")]
        iri: String,
    },
    /// Set the result format
    Format { format: Format },
    /// Show query times
    Timer { switch: Switch },
    /// A default LIMIT for SELECTs that have none (0 = off)
    Limit { n: usize },
    /// Show full values instead of cutting them to the terminal width
    Wide { switch: Option<Switch> },
    /// Page results taller than the screen ($PAGER or less -SR)
    Pager { switch: Switch },
    /// Write results to FILE (no FILE: back to the screen)
    Output { file: Option<PathBuf> },
    /// Stop a script at the first error
    Bail { switch: Switch },
    /// Cancel a statement running longer than SECS seconds (off: no limit, the default)
    Timeout {
        #[arg(value_name = "SECS|off")]
        secs: String,
    },
    /// Open the store again: see what an ingest running beside the shell has
    /// added since (the shell reads a store another process writes as it was
    /// when opened)
    Reopen,
    /// The named graphs, with their sizes
    Graphs,
    /// Classes, with their instance counts
    Classes,
    /// Properties, with their usage counts
    Properties,
    /// A readable card of an entity: .describe country:IR (or a label)
    Describe {
        #[arg(required = true, num_args = 1.., value_name = "TERM")]
        term: Vec<String>,
    },
    /// Read articles (files, folders), extract and load them
    Ingest {
        #[arg(required = true, num_args = 1.., value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Load an RDF file (by extension), into GRAPH if given
    Load {
        file: PathBuf,
        graph: Option<String>,
    },
    /// Write the store (or GRAPH) to FILE (.ttl, .trig, .nt, .nq)
    Export {
        file: PathBuf,
        graph: Option<String>,
    },
    /// Run a script of statements and dot-commands
    Read { script: PathBuf },
    /// Counts: articles, graphs, quads, entities by class
    Stats,
    /// Read the store's files into memory for fast first queries (at a
    /// terminal this runs in the background from the start: how far it got)
    Warm,
    /// List the saved analyst queries
    Queries,
    /// Run a saved query; ARGS bind its parameters in order
    Run {
        name: String,
        #[arg(value_name = "ARGS")]
        args: Vec<String>,
    },
    /// Leave the shell
    #[command(alias = "exit")]
    Quit,
}

/// A `.timeout` argument: seconds, or `off` / `0` for none.
pub fn timeout(s: &str) -> Result<Option<std::time::Duration>, String> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    match s.parse::<f64>() {
        Ok(0.0) => Ok(None),
        Ok(x) if x > 0.0 && x.is_finite() && x < 1e9 => {
            Ok(Some(std::time::Duration::from_secs_f64(x)))
        }
        _ => Err(format!("{s}: .timeout takes seconds, or off")),
    }
}

/// Splits a dot-command line into words; '…' and "…" group words.
pub fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                any = true;
            }
            None if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            None => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Parses `.name args…`; the error is clap's message, ready to print.
pub fn parse(line: &str) -> Result<Dot, String> {
    let line = line.trim_start().strip_prefix('.').unwrap_or(line);
    let words = words(line);
    if words.is_empty() {
        return Err("a dot-command needs a name; try .help".into());
    }
    DotLine::try_parse_from(&words)
        .map(|d| d.command)
        .map_err(|e| {
            let msg = e.render().to_string();
            let msg = msg.trim_end().trim_start_matches("error: ").to_string();
            if msg.contains("unrecognized subcommand") {
                format!("unknown command .{}; try .help", words[0])
            } else {
                msg.replace("Usage: ", "usage: .")
                    .replace("\n\nFor more information, try '--help'.", "")
            }
        })
}

/// The dot-command names (for completion).
pub fn names() -> Vec<String> {
    DotLine::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

/// The usage of one command: `.load FILE [GRAPH]`.
fn usage(c: &clap::Command) -> String {
    let mut s = format!(".{}", c.get_name());
    for a in c.get_positionals() {
        let name = a
            .get_value_names()
            .and_then(|v| v.first().map(|n| n.to_string()))
            .unwrap_or_else(|| a.get_id().as_str().to_uppercase());
        let pv = a.get_possible_values();
        let name = if pv.is_empty() {
            name
        } else {
            pv.iter()
                .map(|p| p.get_name().to_string())
                .collect::<Vec<_>>()
                .join("|")
        };
        let many = matches!(a.get_action(), clap::ArgAction::Append);
        let dots = if many { "…" } else { "" };
        if a.is_required_set() {
            s.push_str(&format!(" {name}{dots}"));
        } else {
            s.push_str(&format!(" [{name}{dots}]"));
        }
    }
    s
}

/// `.help`: every command with its usage and one line, from the definition.
pub fn help(only: Option<&str>) -> Result<String, String> {
    let cmd = DotLine::command();
    let subs: Vec<&clap::Command> = cmd
        .get_subcommands()
        .filter(|c| only.is_none_or(|o| c.get_name() == o.trim_start_matches('.')))
        .collect();
    if subs.is_empty() {
        return Err(format!(
            "unknown command .{}; try .help",
            only.unwrap_or("").trim_start_matches('.')
        ));
    }
    let rows: Vec<(String, String)> = subs
        .iter()
        .map(|c| {
            (
                usage(c),
                c.get_about().map(|a| a.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    let w = rows
        .iter()
        .map(|(u, _)| crate::render::width(u))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (u, about) in rows {
        let pad = w - crate::render::width(&u);
        out.push_str(&format!("{u}{}  {about}\n", " ".repeat(pad)));
    }
    if only.is_none() {
        out.push_str(
            "\nSPARQL statements end with ';' (Enter continues otherwise). Ctrl-C clears the input or cancels a query;\nCtrl-D or .quit leaves. Tab completes keywords, prefixes, terms, commands and paths.\n",
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_with_their_arguments() {
        assert_eq!(
            parse(".format csv").unwrap(),
            Dot::Format {
                format: Format::Csv
            }
        );
        assert_eq!(
            parse(".timer off").unwrap(),
            Dot::Timer {
                switch: Switch::Off
            }
        );
        assert_eq!(parse(".limit 10").unwrap(), Dot::Limit { n: 10 });
        assert_eq!(parse(".reopen").unwrap(), Dot::Reopen);
        assert_eq!(
            timeout("2.5").unwrap(),
            Some(std::time::Duration::from_millis(2500))
        );
        assert_eq!(timeout("off").unwrap(), None);
        assert!(timeout("soon").is_err());
        assert_eq!(parse(".wide").unwrap(), Dot::Wide { switch: None });
        assert_eq!(parse(".exit").unwrap(), Dot::Quit);
        assert_eq!(
            parse(".load 'my file.ttl' <http://g>").unwrap(),
            Dot::Load {
                file: "my file.ttl".into(),
                graph: Some("<http://g>".into())
            }
        );
        assert_eq!(
            parse(".run claims_by_speaker country:IR").unwrap(),
            Dot::Run {
                name: "claims_by_speaker".into(),
                args: vec!["country:IR".into()]
            }
        );
        assert_eq!(
            parse(".describe وزير الخارجية").unwrap(),
            Dot::Describe {
                term: vec!["وزير".into(), "الخارجية".into()]
            }
        );
    }

    #[test]
    fn mistakes_get_one_clear_message() {
        assert_eq!(
            parse(".nope").unwrap_err(),
            "unknown command .nope; try .help"
        );
        let e = parse(".format yaml").unwrap_err();
        assert!(e.contains("yaml") && e.contains("table"), "{e}");
        assert!(parse(".limit").unwrap_err().contains("usage: .limit"));
    }

    #[test]
    fn help_lists_every_command_from_the_definition() {
        let h = help(None).unwrap();
        for n in names() {
            assert!(h.contains(&format!(".{n}")), "{n} missing from\n{h}");
        }
        assert!(h.contains(".format table|csv|tsv|json|xml|markdown|turtle|ntriples"));
        assert!(h.contains(".load FILE [GRAPH]"));
        assert!(h.contains(".ingest PATH…"));
        assert!(
            h.contains(".timeout SECS|off") && h.contains(".reopen"),
            "{h}"
        );
        assert!(help(Some("load")).unwrap().starts_with(".load"));
        assert!(help(Some("zzz")).is_err());
    }
}
