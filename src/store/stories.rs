//! The store's side of stories (`crate::stories` decides, this writes):
//! the look-up keys and pending marks loaded with new articles, stories
//! formed after their load or in the same transaction as replaced
//! articles, a rebuild when the stories graph does not cover the store.
//!
//! `ISNAD_STORIES=off` in the environment leaves stories out (for a
//! measurement of what they cost); the next open without it rebuilds them.

use super::{Store, StoreError};
use crate::rdf::ArticleGraph;
use crate::stories::{self, ArticleFacts, Source};
use oxigraph::model::{NamedNode, NamedNodeRef, Quad, Term, TermRef};

/// Articles read at once when stories are formed from the store.
const CHUNK: usize = 1024;

impl Source for Store {
    type Error = StoreError;
    fn quads(
        &self,
        s: Option<NamedNodeRef<'_>>,
        p: Option<NamedNodeRef<'_>>,
        o: Option<TermRef<'_>>,
        g: NamedNodeRef<'_>,
    ) -> Result<Vec<Quad>, StoreError> {
        self.inner
            .quads_for_pattern(s.map(Into::into), p, o, Some(g.into()))
            .map(|q| q.map_err(|e| self.err(e)))
            .collect()
    }

    fn first_quads(
        &self,
        s: Option<NamedNodeRef<'_>>,
        p: Option<NamedNodeRef<'_>>,
        o: Option<TermRef<'_>>,
        g: NamedNodeRef<'_>,
        n: usize,
    ) -> Result<Vec<Quad>, StoreError> {
        self.inner
            .quads_for_pattern(s.map(Into::into), p, o, Some(g.into()))
            .take(n)
            .map(|q| q.map_err(|e| self.err(e)))
            .collect()
    }
}

/// Whether stories are kept (`ISNAD_STORIES=off` turns them off).
pub(super) fn enabled() -> bool {
    !std::env::var("ISNAD_STORIES").is_ok_and(|v| v.eq_ignore_ascii_case("off") || v == "0")
}

/// What of an article stories need: events and claims that can meet
/// others (a day, an entity or a speaker).
fn facts_of(iri: &str, quads: &[Quad]) -> ArticleFacts {
    let mut f = ArticleFacts::from_quads(iri, quads.iter().map(Quad::as_ref));
    f.events
        .retain(|e| e.date.or(e.published).is_some() && !e.class.is_empty());
    f.claims
        .retain(|c| c.day.is_some() && !c.speakers.is_empty() && !c.words.is_empty());
    f
}

impl Store {
    /// Stories of replaced articles, added to the transaction that
    /// replaces them: their old keys out, the new in, stories re-formed.
    pub(super) fn stories_replaced(
        &self,
        old: &[(NamedNode, Vec<Quad>)],
        new: &[&ArticleGraph],
    ) -> Result<(Vec<Quad>, Vec<Quad>), StoreError> {
        if !self.stories_on {
            return Ok(Default::default());
        }
        let removed: Vec<ArticleFacts> = old
            .iter()
            .map(|(iri, quads)| {
                ArticleFacts::from_quads(iri.as_str(), quads.iter().map(Quad::as_ref))
            })
            .collect();
        let added: Vec<ArticleFacts> = new
            .iter()
            .filter(|g| !g.quads.is_empty())
            .map(|g| facts_of(g.iri.as_str(), &g.quads))
            .collect();
        let (mut out, mut into) = stories::changes(self, &removed, &added)?;
        // Keys: the old out, the new in (one quad in both stays).
        for a in &removed {
            out.extend(stories::index_quads(a));
        }
        for a in &added {
            into.extend(stories::index_quads(a));
        }
        Ok((out, into))
    }

    /// The keys and pending marks bulk-loaded with new articles; their
    /// facts wait for [`Store::stories_pending`].
    pub(super) fn stories_loaded(&self, fresh: &[&ArticleGraph]) -> Vec<Quad> {
        if !self.stories_on {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut waiting = self.unstoried.lock().unwrap_or_else(|e| e.into_inner());
        for g in fresh {
            let f = facts_of(g.iri.as_str(), &g.quads);
            out.extend(stories::index_quads(&f));
            out.push(stories::pending(g.iri.as_ref()).into_owned());
            if !f.events.is_empty() || !f.claims.is_empty() {
                waiting.push(f);
            } else {
                // Nothing to meet: only the mark to clear.
                waiting.push(ArticleFacts {
                    iri: f.iri,
                    ..Default::default()
                });
            }
        }
        out
    }

    /// Stories of the articles bulk-loaded and not matched yet: what to
    /// take out of and put into the stories graph, pending marks cleared.
    pub(super) fn stories_pending(&self) -> Result<(Vec<Quad>, Vec<Quad>), StoreError> {
        let added = std::mem::take(&mut *self.unstoried.lock().unwrap_or_else(|e| e.into_inner()));
        if added.is_empty() {
            return Ok(Default::default());
        }
        let (mut out, into) = stories::changes(self, &[], &added)?;
        for a in &added {
            out.push(stories::pending(NamedNodeRef::new_unchecked(&a.iri)).into_owned());
        }
        Ok((out, into))
    }

    /// What stories read of one stored article graph.
    fn stories_input(&self, article: NamedNodeRef<'_>) -> Result<Vec<Quad>, StoreError> {
        let mut out = Vec::new();
        for p in stories::PREDICATES {
            out.extend(self.quads(None, Some(NamedNodeRef::new_unchecked(p)), None, article)?);
        }
        Ok(out)
    }

    /// Forms stories for stored articles, a chunk at a time, each chunk in
    /// one transaction with its keys (when `with_keys`) and the clearing
    /// of its pending marks.
    fn stories_for(&self, articles: &[NamedNode], with_keys: bool) -> Result<(), StoreError> {
        for chunk in articles.chunks(CHUNK) {
            let mut added = Vec::with_capacity(chunk.len());
            for a in chunk {
                added.push(facts_of(a.as_str(), &self.stories_input(a.as_ref())?));
            }
            let (out, mut into) = stories::changes(self, &[], &added)?;
            if with_keys {
                for a in &added {
                    into.extend(stories::index_quads(a));
                }
            }
            let mut t = self.inner.start_transaction().map_err(|e| self.err(e))?;
            for q in &out {
                t.remove(q);
            }
            for a in chunk {
                t.remove(stories::pending(a.as_ref()));
            }
            t.extend(&into);
            t.commit().map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Brings the stories graph in step: stories for articles left pending
    /// by an interrupted ingest, and all of them again when the marker is
    /// missing (an older store, article graphs changed by `load` or
    /// `update`, an ingest with stories off).
    pub(super) fn ensure_stories(&self) -> Result<(), StoreError> {
        if !self.stories_on {
            if self
                .inner
                .contains(&stories::version_marker())
                .map_err(|e| self.err(e))?
            {
                let mut t = self.inner.start_transaction().map_err(|e| self.err(e))?;
                t.remove(&stories::version_marker());
                t.commit().map_err(|e| self.err(e))?;
            }
            return Ok(());
        }
        if !self
            .inner
            .contains(&stories::version_marker())
            .map_err(|e| self.err(e))?
        {
            return self.rebuild_stories();
        }
        let g = stories::graph();
        let mut pending = Vec::new();
        for q in self.quads(
            Some(g),
            Some(NamedNodeRef::new_unchecked(
                crate::rdf::vocab::term::PENDING,
            )),
            None,
            g,
        )? {
            if let Term::NamedNode(a) = q.object {
                pending.push(a);
            }
        }
        self.stories_for(&pending, false)
    }

    /// Forms every story and echo again from the article graphs.
    pub fn rebuild_stories(&self) -> Result<(), StoreError> {
        let articles = self.article_graphs()?;
        if articles.len() >= 10_000 && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            eprintln!(
                "isnad: forming the stories of {} over {} articles (once)…",
                self.path.display(),
                articles.len()
            );
        }
        let mut t = self.inner.start_transaction().map_err(|e| self.err(e))?;
        t.clear_graph(stories::graph()).map_err(|e| self.err(e))?;
        t.commit().map_err(|e| self.err(e))?;
        self.stories_for(&articles, true)?;
        let mut t = self.inner.start_transaction().map_err(|e| self.err(e))?;
        t.insert(&stories::version_marker());
        t.commit().map_err(|e| self.err(e))
    }

    /// Marks the stories as no longer covering the store.
    pub(super) fn stories_outdated(&self) -> Result<(), StoreError> {
        let mut t = self.inner.start_transaction().map_err(|e| self.err(e))?;
        t.remove(&stories::version_marker());
        t.commit().map_err(|e| self.err(e))
    }
}
