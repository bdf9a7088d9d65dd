//! `isnad validate`: the store (or an RDF file) checked against SHACL
//! shapes — by default the bundled `ontology/shapes.ttl`.
//!
//! The shapes are read at run time and each constraint becomes a SPARQL
//! query that selects its violations; nothing here is written per shape.
//! The SHACL Core subset understood: node shapes with `sh:targetClass`
//! (instances of its sub-classes included, through `rdfs:subClassOf` in the
//! data), property shapes with an IRI `sh:path`, and `sh:minCount`,
//! `sh:maxCount`, `sh:datatype`, `sh:nodeKind`, `sh:class`, `sh:minLength`,
//! `sh:maxLength`, `sh:pattern` (with `sh:flags`), `sh:in`, `sh:lessThan`,
//! `sh:minInclusive`, `sh:maxInclusive`, `sh:minExclusive`,
//! `sh:maxExclusive` and `sh:or` of shapes made of these. Shapes that use
//! anything else are refused with the term named, never half-checked.
//!
//! Architecture invariant: this module reads shapes and asks the store
//! queries; it never writes the store.

use crate::render;
use crate::store::{Store, StoreError};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Literal, Term};
use oxigraph::sparql::QueryResults;
use std::collections::HashMap;
use std::path::Path;

/// The bundled shapes.
pub const SHAPES_TTL: &str = include_str!("../ontology/shapes.ttl");

const SH: &str = "http://www.w3.org/ns/shacl#";
const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// One constraint on the values of a path.
#[derive(Debug, Clone, PartialEq)]
enum Check {
    MinCount(u64),
    MaxCount(u64),
    /// A test of one value: the SPARQL expression true when `?v` conforms.
    Value {
        expr: String,
    },
    /// `sh:lessThan`: every value below every value of another path.
    LessThan(String),
}

/// A constraint of a shape, ready to run.
#[derive(Debug, Clone)]
pub struct Constraint {
    /// The target class (or, with `subjects_of`, the property whose
    /// subjects are the targets: `sh:targetSubjectsOf`).
    pub class: String,
    /// Whether `class` is a `sh:targetSubjectsOf` property.
    pub subjects_of: bool,
    /// The property.
    pub path: String,
    /// The SHACL constraint component (`sh:MinCountConstraintComponent`).
    pub component: String,
    /// The shape's message (or one said for it).
    pub message: String,
    check: Check,
}

/// One value that breaks one constraint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    pub focus: String,
    pub path: String,
    pub component: String,
    pub message: String,
    pub value: Option<String>,
}

/// The shapes as triples grouped by subject.
struct Shapes {
    by_subject: HashMap<String, Vec<(String, Term)>>,
}

impl Shapes {
    fn parse(ttl: &str, name: &str) -> Result<Shapes, StoreError> {
        let mut by_subject: HashMap<String, Vec<(String, Term)>> = HashMap::new();
        for t in RdfParser::from_format(RdfFormat::Turtle).for_slice(ttl.as_bytes()) {
            let q = t.map_err(|e| StoreError(format!("{name}: {e}")))?;
            by_subject
                .entry(q.subject.to_string())
                .or_default()
                .push((q.predicate.into_string(), q.object));
        }
        Ok(Shapes { by_subject })
    }

    fn props(&self, s: &str) -> &[(String, Term)] {
        self.by_subject.get(s).map_or(&[], Vec::as_slice)
    }

    fn list(&self, head: &Term) -> Result<Vec<Term>, String> {
        let mut out = Vec::new();
        let mut at = head.clone();
        for _ in 0..10_000 {
            if matches!(&at, Term::NamedNode(n) if n.as_str() == RDF_NIL) {
                return Ok(out);
            }
            let p = self.props(&at.to_string());
            let first = p.iter().find(|(k, _)| k == RDF_FIRST);
            let rest = p.iter().find(|(k, _)| k == RDF_REST);
            match (first, rest) {
                (Some((_, f)), Some((_, r))) => {
                    out.push(f.clone());
                    at = r.clone();
                }
                _ => return Err(format!("{at} is not an RDF list")),
            }
        }
        Err("an RDF list too long".into())
    }
}

fn sh(local: &str) -> String {
    format!("{SH}{local}")
}

fn iri_of(t: &Term, what: &str) -> Result<String, String> {
    match t {
        Term::NamedNode(n) => Ok(n.as_str().to_string()),
        other => Err(format!("{what} must be an IRI, not {other}")),
    }
}

fn count_of(t: &Term, what: &str) -> Result<u64, String> {
    match t {
        Term::Literal(l) => l
            .value()
            .parse()
            .map_err(|_| format!("{what}: not a count: {t}")),
        _ => Err(format!("{what}: not a count: {t}")),
    }
}

/// The SPARQL expression true when `?v` meets one value constraint, or
/// `None` when `p` is not one.
fn value_expr(
    shapes: &Shapes,
    p: &str,
    o: &Term,
    flags: Option<&str>,
) -> Result<Option<(&'static str, String)>, String> {
    let local = p.strip_prefix(SH).unwrap_or("");
    Ok(Some(match local {
        "datatype" => (
            "DatatypeConstraintComponent",
            format!("(isLiteral(?v) && datatype(?v) = <{}>)", iri_of(o, "sh:datatype")?),
        ),
        "nodeKind" => {
            let k = iri_of(o, "sh:nodeKind")?;
            let e = match k.strip_prefix(SH).unwrap_or("") {
                "IRI" => "isIRI(?v)",
                "Literal" => "isLiteral(?v)",
                "BlankNode" => "isBlank(?v)",
                "BlankNodeOrIRI" => "(isBlank(?v) || isIRI(?v))",
                "BlankNodeOrLiteral" => "(isBlank(?v) || isLiteral(?v))",
                "IRIOrLiteral" => "(isIRI(?v) || isLiteral(?v))",
                _ => return Err(format!("sh:nodeKind <{k}> is not a node kind")),
            };
            ("NodeKindConstraintComponent", e.to_string())
        }
        "class" => (
            "ClassConstraintComponent",
            format!(
                "EXISTS {{ ?v <{RDF_TYPE}>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{}> }}",
                iri_of(o, "sh:class")?
            ),
        ),
        "minLength" => (
            "MinLengthConstraintComponent",
            format!("(!isBlank(?v) && STRLEN(STR(?v)) >= {})", count_of(o, "sh:minLength")?),
        ),
        "maxLength" => (
            "MaxLengthConstraintComponent",
            format!("(!isBlank(?v) && STRLEN(STR(?v)) <= {})", count_of(o, "sh:maxLength")?),
        ),
        "pattern" => {
            let Term::Literal(l) = o else {
                return Err(format!("sh:pattern must be a string, not {o}"));
            };
            let pat = Literal::new_simple_literal(l.value());
            let flags = Literal::new_simple_literal(flags.unwrap_or(""));
            (
                "PatternConstraintComponent",
                format!("(!isBlank(?v) && REGEX(STR(?v), {pat}, {flags}))"),
            )
        }
        "in" => {
            let items = shapes.list(o)?;
            let tests: Vec<String> = items.iter().map(|t| format!("sameTerm(?v, {t})")).collect();
            (
                "InConstraintComponent",
                if tests.is_empty() {
                    "false".into()
                } else {
                    format!("({})", tests.join(" || "))
                },
            )
        }
        "minInclusive" | "maxInclusive" | "minExclusive" | "maxExclusive" => {
            let op = match local {
                "minInclusive" => ">=",
                "maxInclusive" => "<=",
                "minExclusive" => ">",
                _ => "<",
            };
            let component = match local {
                "minInclusive" => "MinInclusiveConstraintComponent",
                "maxInclusive" => "MaxInclusiveConstraintComponent",
                "minExclusive" => "MinExclusiveConstraintComponent",
                _ => "MaxExclusiveConstraintComponent",
            };
            (component, format!("(?v {op} {o})"))
        }
        "or" => {
            let mut alternatives = Vec::new();
            for shape in shapes.list(o)? {
                let mut all = Vec::new();
                for (k, v) in shapes.props(&shape.to_string()) {
                    if is_annotation(k) {
                        continue;
                    }
                    match value_expr(shapes, k, v, None)? {
                        Some((_, e)) => all.push(e),
                        None => return Err(format!("sh:or: {} is not supported in an alternative", short(k))),
                    }
                }
                alternatives.push(if all.is_empty() {
                    "true".to_string()
                } else {
                    format!("({})", all.join(" && "))
                });
            }
            ("OrConstraintComponent", format!("({})", alternatives.join(" || ")))
        }
        _ => return Ok(None),
    }))
}

fn is_annotation(p: &str) -> bool {
    [
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://www.w3.org/2000/01/rdf-schema#comment",
        RDF_TYPE,
    ]
    .contains(&p)
        || [
            "message",
            "name",
            "description",
            "order",
            "group",
            "severity",
        ]
        .iter()
        .any(|l| p == sh(l))
}

fn short(iri: &str) -> String {
    iri.strip_prefix(SH)
        .map_or_else(|| format!("<{iri}>"), |l| format!("sh:{l}"))
}

/// Reads the constraints of shapes written in Turtle.
pub fn constraints(ttl: &str, name: &str) -> Result<Vec<Constraint>, StoreError> {
    let shapes = Shapes::parse(ttl, name)?;
    let bad = |m: String| StoreError(format!("{name}: {m}"));
    let mut out = Vec::new();
    let mut subjects: Vec<&String> = shapes.by_subject.keys().collect();
    subjects.sort();
    for s in subjects {
        let props = shapes.props(s);
        let is_node_shape = props.iter().any(|(p, o)| {
            p == RDF_TYPE && matches!(o, Term::NamedNode(n) if n.as_str() == sh("NodeShape"))
        });
        if !is_node_shape {
            continue;
        }
        let mut classes = Vec::new();
        let mut properties = Vec::new();
        for (p, o) in props {
            match p.strip_prefix(SH) {
                Some("targetClass") => {
                    classes.push((iri_of(o, "sh:targetClass").map_err(bad)?, false))
                }
                Some("targetSubjectsOf") => {
                    classes.push((iri_of(o, "sh:targetSubjectsOf").map_err(bad)?, true))
                }
                Some("property") => properties.push(o.clone()),
                _ if is_annotation(p) => {}
                _ => {
                    return Err(bad(format!(
                        "{} on the node shape {s} is not supported by isnad validate",
                        short(p)
                    )))
                }
            }
        }
        if classes.is_empty() {
            return Err(bad(format!(
                "the node shape {s} has no sh:targetClass or sh:targetSubjectsOf (the targets isnad validate reads)"
            )));
        }
        for ps in properties {
            let pprops = shapes.props(&ps.to_string());
            let path = pprops
                .iter()
                .find(|(p, _)| *p == sh("path"))
                .ok_or_else(|| bad(format!("a property shape of {s} has no sh:path")))?;
            let path =
                iri_of(&path.1, "sh:path (a property, not a path expression)").map_err(bad)?;
            let message = pprops
                .iter()
                .find(|(p, _)| *p == sh("message"))
                .map(|(_, o)| match o {
                    Term::Literal(l) => l.value().to_string(),
                    other => other.to_string(),
                });
            let flags = pprops
                .iter()
                .find(|(p, _)| *p == sh("flags"))
                .map(|(_, o)| match o {
                    Term::Literal(l) => l.value().to_string(),
                    other => other.to_string(),
                });
            let mut checks = Vec::new();
            for (p, o) in pprops {
                if *p == sh("path") || *p == sh("flags") || is_annotation(p) {
                    continue;
                }
                let check = match p.strip_prefix(SH).unwrap_or("") {
                    "minCount" => (
                        "MinCountConstraintComponent",
                        Check::MinCount(count_of(o, "sh:minCount").map_err(bad)?),
                    ),
                    "maxCount" => (
                        "MaxCountConstraintComponent",
                        Check::MaxCount(count_of(o, "sh:maxCount").map_err(bad)?),
                    ),
                    "lessThan" => (
                        "LessThanConstraintComponent",
                        Check::LessThan(iri_of(o, "sh:lessThan").map_err(bad)?),
                    ),
                    _ => match value_expr(&shapes, p, o, flags.as_deref()).map_err(bad)? {
                        Some((component, expr)) => (component, Check::Value { expr }),
                        None => {
                            return Err(bad(format!(
                                "{} on a property shape of {s} is not supported by isnad validate",
                                short(p)
                            )))
                        }
                    },
                };
                checks.push(check);
            }
            for (class, subjects_of) in &classes {
                for (component, check) in &checks {
                    out.push(Constraint {
                        class: class.clone(),
                        subjects_of: *subjects_of,
                        path: path.clone(),
                        component: format!("sh:{component}"),
                        message: message.clone().unwrap_or_else(|| {
                            format!("{} of {}", short(&format!("{SH}{component}")), path)
                        }),
                        check: check.clone(),
                    });
                }
            }
        }
    }
    Ok(out)
}

impl Constraint {
    /// The SPARQL query selecting `?focus` (and `?v`, the value at fault,
    /// where there is one) for each violation.
    pub fn query(&self) -> String {
        let focus = if self.subjects_of {
            format!(
                "{{ SELECT DISTINCT ?focus WHERE {{ ?focus <{}> ?target }} }}",
                self.class
            )
        } else {
            format!(
                "{{ SELECT DISTINCT ?focus WHERE {{ ?focus <{RDF_TYPE}>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{}> }} }}",
                self.class
            )
        };
        let p = &self.path;
        match &self.check {
            Check::MinCount(n) => format!(
                "SELECT ?focus WHERE {{ {focus} OPTIONAL {{ ?focus <{p}> ?v }} }} GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) < {n})"
            ),
            Check::MaxCount(n) => format!(
                "SELECT ?focus WHERE {{ {focus} ?focus <{p}> ?v }} GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) > {n})"
            ),
            Check::Value { expr } => format!(
                "SELECT DISTINCT ?focus ?v WHERE {{ {focus} ?focus <{p}> ?v FILTER(!COALESCE({expr}, false)) }}"
            ),
            Check::LessThan(other) => format!(
                "SELECT DISTINCT ?focus ?v WHERE {{ {focus} ?focus <{p}> ?v . ?focus <{other}> ?w FILTER(!COALESCE(?v < ?w, false)) }}"
            ),
        }
    }
}

/// Runs every constraint on the store; the violations, sorted.
pub fn validate(store: &Store, constraints: &[Constraint]) -> Result<Vec<Violation>, StoreError> {
    let prefixes = crate::rdf::contract_prefixes();
    let mut out = Vec::new();
    for c in constraints {
        let QueryResults::Solutions(rows) = store.query(&c.query(), &[])? else {
            continue;
        };
        for row in rows {
            let row = row.map_err(|e| store.eval_err("validation query failed", e))?;
            let focus = row
                .get("focus")
                .map(|t| render::display_term(t, &prefixes))
                .unwrap_or_default();
            let value = row.get("v").map(|t| match t {
                Term::Literal(l) => l.to_string(),
                other => render::display_term(other, &prefixes),
            });
            out.push(Violation {
                focus,
                path: render::compact(&c.path, &prefixes),
                component: c.component.clone(),
                message: c.message.clone(),
                value,
            });
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// `isnad validate [FILE] [--shapes FILE]`: prints one line per violation
/// (focus, path, constraint, message, value) and a count on standard
/// error; exit 1 if any.
pub fn run_cli(
    store_at: &Path,
    file: Option<&Path>,
    shapes: Option<&Path>,
    quiet: bool,
) -> Result<i32, StoreError> {
    let (ttl, name) = match shapes {
        Some(p) => (
            std::fs::read_to_string(p)
                .map_err(|e| StoreError(format!("{}: cannot read: {e}", p.display())))?,
            p.display().to_string(),
        ),
        None => (SHAPES_TTL.to_string(), "ontology/shapes.ttl".to_string()),
    };
    let constraints = constraints(&ttl, &name)?;
    let (store, what) = match file {
        Some(f) => {
            crate::store::format_of_path(f)?;
            if !f.exists() {
                return Err(StoreError(format!("{}: no such file", f.display())));
            }
            let s = Store::in_memory()?;
            s.load_file(f, None)?;
            (s, f.display().to_string())
        }
        None => {
            let s = Store::open_reader(store_at, false)?;
            if let (Some(note), false) = (s.read_only_note(), quiet) {
                eprintln!("{note}");
            }
            (s, store_at.display().to_string())
        }
    };
    let violations = validate(&store, &constraints)?;
    let mut text = String::new();
    for v in &violations {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}{}\n",
            v.focus,
            v.path,
            v.component,
            v.message,
            v.value
                .as_ref()
                .map(|x| format!("\t(value {x})"))
                .unwrap_or_default()
        ));
    }
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    let focus: std::collections::BTreeSet<&str> =
        violations.iter().map(|v| v.focus.as_str()).collect();
    eprintln!(
        "{what}: {} violation{} on {} node{} ({} constraints of {name} checked)",
        crate::cli::group(violations.len()),
        if violations.len() == 1 { "" } else { "s" },
        crate::cli::group(focus.len()),
        if focus.len() == 1 { "" } else { "s" },
        constraints.len()
    );
    Ok(if violations.is_empty() { 0 } else { 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_shapes_are_read_whole() {
        let c = constraints(SHAPES_TTL, "shapes.ttl").unwrap();
        assert!(c.len() > 30, "{}", c.len());
        let components: std::collections::BTreeSet<&str> =
            c.iter().map(|c| c.component.as_str()).collect();
        for k in [
            "MinCount",
            "MaxCount",
            "Datatype",
            "NodeKind",
            "Class",
            "In",
            "Pattern",
            "LessThan",
            "Or",
            "MinLength",
            "MinInclusive",
        ] {
            assert!(
                components.contains(format!("sh:{k}ConstraintComponent").as_str()),
                "{k} missing: {components:?}"
            );
        }
    }

    #[test]
    fn a_constraint_it_does_not_know_is_refused_by_name() {
        let ttl = "@prefix sh: <http://www.w3.org/ns/shacl#> .
            <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ; sh:qualifiedMinCount 1 ] .";
        let e = constraints(ttl, "x.ttl").unwrap_err().0;
        assert!(e.contains("sh:qualifiedMinCount"), "{e}");
        let ttl = "@prefix sh: <http://www.w3.org/ns/shacl#> .
            <urn:s> a sh:NodeShape ; sh:targetNode <urn:n> .";
        let e = constraints(ttl, "x.ttl").unwrap_err().0;
        assert!(e.contains("sh:targetNode"), "{e}");
    }

    #[test]
    fn each_kind_of_constraint_finds_what_breaks_it() {
        let shapes = r#"@prefix sh: <http://www.w3.org/ns/shacl#> .
            @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
            <http://x/S> a sh:NodeShape ; sh:targetClass <http://x/C> ;
              sh:property [ sh:path <http://x/name> ; sh:minCount 1 ; sh:maxCount 1 ; sh:minLength 1 ] ,
                          [ sh:path <http://x/b> ; sh:datatype xsd:integer ; sh:minInclusive 0 ; sh:lessThan <http://x/e> ] ,
                          [ sh:path <http://x/kind> ; sh:in ( "a" "b" ) ] ,
                          [ sh:path <http://x/code> ; sh:pattern "^[0-9]{3}$" ] ,
                          [ sh:path <http://x/of> ; sh:nodeKind sh:IRI ; sh:class <http://x/D> ] ."#;
        let c = constraints(shapes, "t.ttl").unwrap();
        let data = r#"@prefix x: <http://x/> .
            @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            x:D2 rdfs:subClassOf x:D .
            x:good a x:C ; x:name "n" ; x:b 1 ; x:e 2 ; x:kind "a" ; x:code "123" ; x:of x:d .
            x:d a x:D2 .
            x:bad a x:C ; x:name "" , "m" ; x:b -1 , "1" ; x:e 0 ; x:kind "z" ; x:code "12" ; x:of "lit" , x:nothing .
            x:none a x:C ."#;
        let store = Store::in_memory().unwrap();
        let f = tempfile::Builder::new().suffix(".ttl").tempfile().unwrap();
        std::fs::write(f.path(), data).unwrap();
        store.load_file(f.path(), None).unwrap();
        let v = validate(&store, &c).unwrap();
        assert!(v.iter().all(|v| !v.focus.contains("good")), "{v:#?}");
        let of = |focus: &str, comp: &str| {
            v.iter()
                .filter(|x| {
                    x.focus.trim_end_matches('>').ends_with(focus)
                        && x.component == format!("sh:{comp}ConstraintComponent")
                })
                .count()
        };
        assert_eq!(of("none", "MinCount"), 1);
        assert_eq!(of("bad", "MaxCount"), 1);
        assert_eq!(of("bad", "MinLength"), 1);
        assert_eq!(of("bad", "Datatype"), 1, "the string \"1\"");
        assert_eq!(
            of("bad", "MinInclusive"),
            2,
            "-1, and \"1\" which does not compare"
        );
        assert_eq!(of("bad", "LessThan"), 1, "\"1\" does not compare with 0");
        assert_eq!(of("bad", "In"), 1);
        assert_eq!(of("bad", "Pattern"), 1);
        assert_eq!(of("bad", "NodeKind"), 1);
        assert_eq!(of("bad", "Class"), 2);
    }
}
