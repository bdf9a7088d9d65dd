//! The saved analyst queries of `ontology/queries/`, built into the binary
//! so `.queries` and `.run` work from any directory.
//!
//! Owns: the embedded list and the reading of each file's `# name:`,
//! `# description:` and `# param:` header lines.
//!
//! Must not: run queries (the shell binds parameters and runs them). A new
//! `.rq` file needs one line in [`FILES`]; a unit test fails until it has it.

/// (file name, text) of every saved query.
pub const FILES: &[(&str, &str)] = &[
    (
        "aliases_by_outlet.rq",
        include_str!("../../ontology/queries/aliases_by_outlet.rq"),
    ),
    (
        "claims_about.rq",
        include_str!("../../ontology/queries/claims_about.rq"),
    ),
    (
        "claims_by_speaker.rq",
        include_str!("../../ontology/queries/claims_by_speaker.rq"),
    ),
    (
        "entity_mentions.rq",
        include_str!("../../ontology/queries/entity_mentions.rq"),
    ),
    (
        "events_timeline.rq",
        include_str!("../../ontology/queries/events_timeline.rq"),
    ),
    (
        "phone_calls.rq",
        include_str!("../../ontology/queries/phone_calls.rq"),
    ),
    (
        "stories.rq",
        include_str!("../../ontology/queries/stories.rq"),
    ),
    ("story.rq", include_str!("../../ontology/queries/story.rq")),
    (
        "who_reported_whom.rq",
        include_str!("../../ontology/queries/who_reported_whom.rq"),
    ),
];

/// A saved query with what its header says.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub name: String,
    pub description: String,
    /// (variable name without `$`/`?`, what to pass)
    pub params: Vec<(String, String)>,
    pub text: &'static str,
}

/// Reads a query's header lines.
pub fn parse(file: &str, text: &'static str) -> Saved {
    let mut s = Saved {
        name: file.trim_end_matches(".rq").to_string(),
        description: String::new(),
        params: Vec::new(),
        text,
    };
    for line in text.lines() {
        let Some(h) = line.trim().strip_prefix('#') else {
            if line.trim().is_empty() {
                continue;
            }
            break;
        };
        let h = h.trim();
        if let Some(v) = h.strip_prefix("name:") {
            s.name = v.trim().to_string();
        } else if let Some(v) = h.strip_prefix("description:") {
            s.description = v.trim().to_string();
        } else if let Some(v) = h.strip_prefix("param:") {
            let v = v.trim();
            let (name, doc) = v.split_once(char::is_whitespace).map_or((v, ""), |(n, d)| {
                (n, d.trim().trim_start_matches(['—', '-', ':']).trim())
            });
            s.params.push((
                name.trim_start_matches(['$', '?']).to_string(),
                doc.to_string(),
            ));
        }
    }
    s
}

/// Every saved query, by name.
pub fn all() -> Vec<Saved> {
    let mut v: Vec<Saved> = FILES.iter().map(|(f, t)| parse(f, t)).collect();
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v
}

/// The saved query called `name`.
pub fn find(name: &str) -> Option<Saved> {
    all().into_iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_file_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ontology/queries");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".rq"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = FILES.iter().map(|(f, _)| f.to_string()).collect();
        embedded.sort();
        assert_eq!(
            on_disk, embedded,
            "add new .rq files to shell::queries::FILES"
        );
    }

    #[test]
    fn headers_give_name_description_and_params() {
        let s = find("claims_by_speaker").unwrap();
        assert!(s.description.starts_with("Every claim"));
        assert_eq!(s.params.len(), 2);
        assert_eq!(s.params[0].0, "speaker");
        assert_eq!(s.params[1].0, "day");
        assert!(
            s.params[0].1.starts_with("IRI of an actor"),
            "{:?}",
            s.params
        );
        let s = parse(
            "x.rq",
            "# name: q\n# param: $a — first\n# param: b\nSELECT * {}\n# param: late\n",
        );
        assert_eq!(
            s.params,
            vec![("a".into(), "first".into()), ("b".into(), String::new())]
        );
    }

    #[test]
    fn every_saved_query_parses() {
        for s in all() {
            assert!(!s.description.is_empty(), "{} has no description", s.name);
            spargebra::SparqlParser::new()
                .parse_query(s.text)
                .unwrap_or_else(|e| panic!("{}: {e}", s.name));
        }
    }
}
