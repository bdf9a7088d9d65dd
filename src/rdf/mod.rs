//! The ontology's mapping: articles and their annotations → quads, stable
//! IRI minting, and a Turtle writer that diffs cleanly.
//!
//! Architecture invariant: this module turns plain values into RDF and back
//! into text; it does no extraction and no store I/O.

pub mod lines;
mod mapping;
mod turtle;
pub mod vocab;

pub use mapping::{
    article_iri, article_lines, article_quads, entity_iri, hash16, map_article, ArticleGraph,
    LineSink, QuadSink,
};
pub use turtle::{
    contract_prefixes, term_to_string, write_trig_streamed, write_turtle, write_turtle_sorted,
    TurtleOptions,
};
