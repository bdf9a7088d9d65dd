//! Every IRI isnad writes or reads, in one place.
//!
//! Architecture invariant: no other module spells out an ontology IRI; they
//! use these constants (or [`Prefixes::CONTRACT`]) so that the contract in
//! one file is the contract everywhere.

/// The isnad ontology namespace (`isn:`).
pub const ISN: &str = "https://w3id.org/isnad/ontology#";
/// Where instances live (`…/id/country/IR`).
pub const ID: &str = "https://w3id.org/isnad/id/";
/// The named graph that holds the ontology itself.
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/isnad/ontology";
/// The named graph of corpus-wide tallies (see `crate::summary`).
pub const SUMMARY_GRAPH: &str = "https://w3id.org/isnad/summary";
/// The named graph of stories and echoes (see `crate::stories`).
pub const STORIES_GRAPH: &str = "https://w3id.org/isnad/stories";
/// Where the summary's alias tallies live.
pub const ALIAS_NS: &str = "https://w3id.org/isnad/id/alias/";

pub const SCHEMA: &str = "https://schema.org/";
pub const NIF: &str = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#";
pub const ITSRDF: &str = "http://www.w3.org/2005/11/its/rdf#";
pub const PROV: &str = "http://www.w3.org/ns/prov#";
pub const SEM: &str = "http://semanticweb.cs.vu.nl/2009/11/sem/";
pub const ORG: &str = "http://www.w3.org/ns/org#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const DCTERMS: &str = "http://purl.org/dc/terms/";

/// The contract's prefixes, in the order they are printed.
pub const PREFIXES: &[(&str, &str)] = &[
    ("isn", ISN),
    ("schema", SCHEMA),
    ("nif", NIF),
    ("itsrdf", ITSRDF),
    ("prov", PROV),
    ("sem", SEM),
    ("org", ORG),
    ("skos", SKOS),
    ("rdfs", RDFS),
    ("rdf", RDF),
    ("owl", OWL),
    ("xsd", XSD),
    ("dcterms", DCTERMS),
    ("article", "https://w3id.org/isnad/id/article/"),
    ("country", "https://w3id.org/isnad/id/country/"),
    ("person", "https://w3id.org/isnad/id/person/"),
    ("organization", "https://w3id.org/isnad/id/org/"),
    ("place", "https://w3id.org/isnad/id/place/"),
    ("actor", "https://w3id.org/isnad/id/actor/"),
];

/// Terms of the contract, as full IRIs.
pub mod term {
    macro_rules! iri {
        ($($name:ident = $ns:ident + $local:literal;)*) => {
            $(pub const $name: &str = concat_ns!($ns, $local);)*
        };
    }
    macro_rules! concat_ns {
        (ISN, $l:literal) => {
            concat!("https://w3id.org/isnad/ontology#", $l)
        };
        (SCHEMA, $l:literal) => {
            concat!("https://schema.org/", $l)
        };
        (NIF, $l:literal) => {
            concat!(
                "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
                $l
            )
        };
        (ITSRDF, $l:literal) => {
            concat!("http://www.w3.org/2005/11/its/rdf#", $l)
        };
        (SKOS, $l:literal) => {
            concat!("http://www.w3.org/2004/02/skos/core#", $l)
        };
        (RDFS, $l:literal) => {
            concat!("http://www.w3.org/2000/01/rdf-schema#", $l)
        };
        (RDF, $l:literal) => {
            concat!("http://www.w3.org/1999/02/22-rdf-syntax-ns#", $l)
        };
        (XSD, $l:literal) => {
            concat!("http://www.w3.org/2001/XMLSchema#", $l)
        };
        (PROV, $l:literal) => {
            concat!("http://www.w3.org/ns/prov#", $l)
        };
        (DCTERMS, $l:literal) => {
            concat!("http://purl.org/dc/terms/", $l)
        };
        (OWL, $l:literal) => {
            concat!("http://www.w3.org/2002/07/owl#", $l)
        };
    }
    iri! {
        RDF_TYPE = RDF + "type";
        RDFS_LABEL = RDFS + "label";
        SKOS_ALT_LABEL = SKOS + "altLabel";
        XSD_DATE = XSD + "date";
        XSD_NON_NEGATIVE_INTEGER = XSD + "nonNegativeInteger";
        // classes
        ARTICLE = ISN + "Article";
        ACTOR = ISN + "Actor";
        PERSON = ISN + "Person";
        ORGANIZATION = ISN + "Organization";
        PLACE = ISN + "Place";
        COUNTRY = ISN + "Country";
        CITY = ISN + "City";
        REGION = ISN + "Region";
        EVENT = ISN + "Event";
        CLAIM = ISN + "Claim";
        MENTION = ISN + "Mention";
        ANONYMOUS_SOURCE = ISN + "AnonymousSource";
        DIRECT_QUOTE = ISN + "DirectQuote";
        INDIRECT_QUOTE = ISN + "IndirectQuote";
        // article
        HEADLINE = SCHEMA + "headline";
        DATE_PUBLISHED = SCHEMA + "datePublished";
        ARTICLE_SECTION = SCHEMA + "articleSection";
        ARTICLE_BODY = SCHEMA + "articleBody";
        IN_LANGUAGE = SCHEMA + "inLanguage";
        URL = SCHEMA + "url";
        PUBLISHER = SCHEMA + "publisher";
        IDENTIFIER = SCHEMA + "identifier";
        SOURCE_FILE = ISN + "sourceFile";
        // entity
        COUNTRY_CODE = ISN + "countryCode";
        COUNTRY_OF = ISN + "country";
        MENTIONED_IN = ISN + "mentionedIn";
        HOLDS_POSITION = ISN + "holdsPosition";
        // mention
        ANCHOR_OF = NIF + "anchorOf";
        BEGIN_INDEX = NIF + "beginIndex";
        END_INDEX = NIF + "endIndex";
        REFERENCE_CONTEXT = NIF + "referenceContext";
        TA_IDENT_REF = ITSRDF + "taIdentRef";
        MENTION_KIND = ISN + "mentionKind";
        // claim
        SPEAKER = ISN + "speaker";
        TEXT = ISN + "text";
        QUOTE_KIND = ISN + "quoteKind";
        REPORTING_VERB = ISN + "reportingVerb";
        SPEECH_ACT = ISN + "speechAct";
        ABOUT = ISN + "about";
        STATED_IN = ISN + "statedIn";
        DATE = ISN + "date";
        REPORTED_BY = ISN + "reportedBy";
        PART_OF_CLAIM = ISN + "withinClaim";
        // event
        AGENT = ISN + "agent";
        TARGET = ISN + "target";
        PARTICIPANT = ISN + "participant";
        EVENT_PLACE = ISN + "place";
        CAMEO_CODE = ISN + "cameoCode";
        TRIGGER = ISN + "trigger";
        REPORTED_IN = ISN + "reportedIn";
        WAS_DERIVED_FROM = PROV + "wasDerivedFrom";
        // the summary graph
        ARTICLE_COUNT = ISN + "articleCount";
        MENTION_COUNT = ISN + "mentionCount";
        ALIAS_OF = ISN + "aliasOf";
        ALIAS = ISN + "alias";
        PENDING = ISN + "pending";
        TALLY_LABEL = ISN + "tallyLabel";
        TALLY_CLASS = ISN + "tallyClass";
        OUTLET = ISN + "outlet";
        VERSION_INFO = OWL + "versionInfo";
        // the stories graph
        STORY = ISN + "Story";
        STORY_EVENT = ISN + "event";
        STORY_CLASS = ISN + "eventClass";
        OUTLET_COUNT = ISN + "outletCount";
        FIRST_REPORTED = ISN + "firstReported";
        LAST_REPORTED = ISN + "lastReported";
        ECHOES = ISN + "echoes";
        STORY_KEY = ISN + "storyKey";
        ECHO_KEY = ISN + "echoKey";
        XSD_INTEGER = XSD + "integer";
        SOURCE = DCTERMS + "source";
    }
}

/// The IRI of a class of the ontology from its local name (`"PhoneCall"`).
pub fn isn(local: &str) -> String {
    format!("{ISN}{local}")
}

/// Shortens `iri` with the contract prefixes, if one applies.
pub fn compact(iri: &str) -> Option<String> {
    PREFIXES
        .iter()
        .filter(|(_, ns)| iri.starts_with(ns))
        .max_by_key(|(_, ns)| ns.len())
        .and_then(|(p, ns)| {
            let local = &iri[ns.len()..];
            is_pn_local(local).then(|| format!("{p}:{local}"))
        })
}

/// Whether `s` may stand after `prefix:` in Turtle and SPARQL unescaped.
pub fn is_pn_local(s: &str) -> bool {
    let mut chars = s.chars().peekable();
    let Some(first) = chars.next() else {
        return true;
    };
    if !(first.is_alphanumeric() || first == '_') {
        return false;
    }
    let rest: Vec<char> = s.chars().skip(1).collect();
    rest.iter()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !s.ends_with('.')
}
