//! # isnad
//!
//! Arabic news articles into a knowledge graph of who did what, who said
//! what, where and when — every triple traceable to the words that support
//! it — in an embedded Oxigraph store.
//!
//! ```no_run
//! use isnad::{article, extract, reference::Reference, rdf, store::Store};
//! let k = extract::Knowledge::new(Reference::bundled().unwrap());
//! let store = Store::open(std::path::Path::new("isnad.db"), true).unwrap();
//! for a in article::read_path("data/000_818cbd4057805db6.txt".as_ref()) {
//!     let a = a.unwrap();
//!     let ann = extract::extract(&a, &k);
//!     store.replace_articles(&[rdf::article_quads(&a, &ann)]).unwrap();
//! }
//! ```
//!
//! The stages, each in its own module: [`article`] (source formats →
//! articles), [`text`] (normalisation, clitics, matching), [`reference`]
//! (data files), [`extract`] (entities, claims, events), [`rdf`] (the
//! ontology mapping and Turtle), [`store`] (Oxigraph) and its [`summary`] and [`stories`] graphs, [`pipeline`]
//! (parallel ingest), [`render`] and [`shell`] (what people see).

pub mod article;
pub mod cli;
pub mod extract;
pub mod pipeline;
pub mod push;
pub mod rdf;
pub mod reference;
pub mod render;
pub mod serve;
pub mod shell;
pub mod store;
pub mod stories;
pub mod summary;
pub mod text;
pub mod validate;
