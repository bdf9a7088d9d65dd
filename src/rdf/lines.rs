//! N-Quads and N-Triples written straight into a byte buffer.
//!
//! The same bytes as Oxigraph's serialisers (one statement a line, the same
//! string escapes), without going through `fmt::Display` term by term:
//! `isnad extract` spends most of its writing time there.

use oxigraph::model::{GraphNameRef, LiteralRef, NamedOrBlankNodeRef, QuadRef, TermRef};

/// Appends one N-Quads line; a quad in the default graph has no fourth term.
pub fn push_nquad(buf: &mut Vec<u8>, q: QuadRef<'_>) {
    push_subject(buf, q.subject);
    buf.push(b' ');
    push_iri(buf, q.predicate.as_str());
    buf.push(b' ');
    push_term(buf, q.object);
    match q.graph_name {
        GraphNameRef::NamedNode(n) => {
            buf.push(b' ');
            push_iri(buf, n.as_str());
        }
        GraphNameRef::BlankNode(b) => {
            buf.extend_from_slice(b" _:");
            buf.extend_from_slice(b.as_str().as_bytes());
        }
        GraphNameRef::DefaultGraph => {}
    }
    buf.extend_from_slice(b" .\n");
}

/// Appends one N-Triples line: the quad without its graph.
pub fn push_ntriple(buf: &mut Vec<u8>, q: QuadRef<'_>) {
    push_nquad(
        buf,
        QuadRef::new(q.subject, q.predicate, q.object, GraphNameRef::DefaultGraph),
    );
}

fn push_iri(buf: &mut Vec<u8>, iri: &str) {
    buf.push(b'<');
    buf.extend_from_slice(iri.as_bytes());
    buf.push(b'>');
}

fn push_subject(buf: &mut Vec<u8>, s: NamedOrBlankNodeRef<'_>) {
    match s {
        NamedOrBlankNodeRef::NamedNode(n) => push_iri(buf, n.as_str()),
        NamedOrBlankNodeRef::BlankNode(b) => {
            buf.extend_from_slice(b"_:");
            buf.extend_from_slice(b.as_str().as_bytes());
        }
    }
}

fn push_term(buf: &mut Vec<u8>, t: TermRef<'_>) {
    match t {
        TermRef::NamedNode(n) => push_subject(buf, n.into()),
        TermRef::BlankNode(b) => push_subject(buf, b.into()),
        TermRef::Literal(l) => push_literal(buf, l),
        #[allow(unreachable_patterns)]
        other => {
            // Terms this crate never makes (quoted triples): Oxigraph's form.
            buf.extend_from_slice(other.to_string().as_bytes());
        }
    }
}

fn push_literal(buf: &mut Vec<u8>, l: LiteralRef<'_>) {
    push_quoted(buf, l.value());
    if let Some(lang) = l.language() {
        buf.push(b'@');
        buf.extend_from_slice(lang.as_bytes());
    } else if l.datatype() != oxigraph::model::vocab::xsd::STRING {
        buf.extend_from_slice(b"^^");
        push_iri(buf, l.datatype().as_str());
    }
}

/// A quoted string with N-Triples escapes, as `oxrdf` prints it.
fn push_quoted(buf: &mut Vec<u8>, s: &str) {
    buf.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let esc: &[u8] = match c {
            '\u{8}' => b"\\b",
            '\t' => b"\\t",
            '\n' => b"\\n",
            '\u{C}' => b"\\f",
            '\r' => b"\\r",
            '"' => b"\\\"",
            '\\' => b"\\\\",
            '\0'..='\u{1F}' | '\u{7F}' | '\u{FFFE}' | '\u{FFFF}' => b"",
            _ => continue,
        };
        buf.extend_from_slice(&bytes[start..i]);
        if esc.is_empty() {
            buf.extend_from_slice(format!("\\u{:04X}", u32::from(c)).as_bytes());
        } else {
            buf.extend_from_slice(esc);
        }
        start = i + c.len_utf8();
    }
    buf.extend_from_slice(&bytes[start..]);
    buf.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfSerializer};
    use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode, Quad};

    fn oxigraph_bytes(quads: &[Quad], format: RdfFormat) -> Vec<u8> {
        let mut s = RdfSerializer::from_format(format).for_writer(Vec::new());
        for q in quads {
            if format.supports_datasets() {
                s.serialize_quad(q).unwrap();
            } else {
                s.serialize_triple(q.as_ref()).unwrap();
            }
        }
        s.finish().unwrap()
    }

    #[test]
    fn same_bytes_as_oxigraph() {
        let s = NamedNode::new("https://example.org/s/1").unwrap();
        let p = NamedNode::new("https://example.org/p#x").unwrap();
        let g = GraphName::NamedNode(NamedNode::new("https://example.org/g").unwrap());
        let tricky = "قال \"إن\" \\ سطر\nثان\r\tوب\u{8}\u{C}\u{1}\u{1F}\u{7F}\u{FFFE}\u{FFFF}\u{0}؛ ٢٠٢٤ é 😀";
        let objects: Vec<oxigraph::model::Term> = vec![
            NamedNode::new("https://example.org/o").unwrap().into(),
            BlankNode::new("b0").unwrap().into(),
            Literal::new_simple_literal(tricky).into(),
            Literal::new_simple_literal("").into(),
            Literal::new_language_tagged_literal("اسم", "ar")
                .unwrap()
                .into(),
            Literal::new_language_tagged_literal("Name", "en-GB")
                .unwrap()
                .into(),
            Literal::new_typed_literal(
                "12",
                NamedNode::new("http://www.w3.org/2001/XMLSchema#nonNegativeInteger").unwrap(),
            )
            .into(),
            Literal::new_typed_literal(
                "2024-01-17",
                NamedNode::new("http://www.w3.org/2001/XMLSchema#date").unwrap(),
            )
            .into(),
            Literal::new_typed_literal(
                "x",
                NamedNode::new("http://www.w3.org/2001/XMLSchema#string").unwrap(),
            )
            .into(),
        ];
        let mut quads = Vec::new();
        for o in objects {
            quads.push(Quad::new(s.clone(), p.clone(), o.clone(), g.clone()));
            quads.push(Quad::new(
                BlankNode::new("s").unwrap(),
                p.clone(),
                o.clone(),
                GraphName::DefaultGraph,
            ));
            quads.push(Quad::new(
                s.clone(),
                p.clone(),
                o,
                BlankNode::new("g").unwrap(),
            ));
        }
        let mut nq = Vec::new();
        let mut nt = Vec::new();
        for q in &quads {
            push_nquad(&mut nq, q.as_ref());
            push_ntriple(&mut nt, q.as_ref());
        }
        assert_eq!(
            String::from_utf8(nq).unwrap(),
            String::from_utf8(oxigraph_bytes(&quads, RdfFormat::NQuads)).unwrap()
        );
        assert_eq!(
            String::from_utf8(nt).unwrap(),
            String::from_utf8(oxigraph_bytes(&quads, RdfFormat::NTriples)).unwrap()
        );
    }
}
