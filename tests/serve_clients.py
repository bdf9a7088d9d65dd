"""Python's SPARQL clients against `isnad serve` (run by tests/serve.rs).

Usage: python3 tests/serve_clients.py http://127.0.0.1:PORT
Prints one line per check; exits non-zero on the first failure.
"""
import sys
from urllib.parse import quote

import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

base = sys.argv[1].rstrip("/")
ISN = "https://w3id.org/isnad/ontology#"
ARAGHCHI = rdflib.URIRef("https://w3id.org/isnad/id/person/araghchi")
LABEL = rdflib.RDFS.label

# rdflib: a SPARQLStore-backed graph, SELECT (XML results by default).
store = SPARQLStore(query_endpoint=base + "/query")
rows = list(store.query(f"SELECT ?a WHERE {{ ?a a <{ISN}Article> }}"))
assert len(rows) == 4, rows
print(f"rdflib select: {len(rows)} articles")

# rdflib: CONSTRUCT gives a graph.
g = store.query(f"CONSTRUCT {{ <{ARAGHCHI}> <{LABEL}> ?l }} WHERE {{ <{ARAGHCHI}> <{LABEL}> ?l }}").graph
labels = {str(o) for o in g.objects(ARAGHCHI, LABEL)}
assert "عباس عراقجي" in labels, labels
print("rdflib graph: araghchi labelled عباس عراقجي")

# rdflib: one article graph straight from the Graph Store.
article = str(rows[0][0])
graph = rdflib.Graph()
graph.parse(base + "/store?graph=" + quote(article, safe=""), format="turtle")
assert (rdflib.URIRef(article), rdflib.RDF.type, rdflib.URIRef(ISN + "Article")) in graph
print(f"rdflib graph store: {len(graph)} triples in one article graph")

# SPARQLWrapper: JSON and XML results, POST and GET.
sw = SPARQLWrapper(base + "/query")
sw.setQuery(f"SELECT ?a ?h WHERE {{ ?a a <{ISN}Article> OPTIONAL {{ ?a <https://schema.org/headline> ?h }} }}")
sw.setReturnFormat(JSON)
res = sw.query().convert()
assert len(res["results"]["bindings"]) == 4, res
print(f"sparqlwrapper json: {len(res['results']['bindings'])} articles")
sw.setMethod("POST")
sw.setReturnFormat(XML)
doc = sw.query().convert()
assert len(doc.getElementsByTagName("result")) == 4
print("sparqlwrapper xml (POST): 4 results")

# SPARQLWrapper: CONSTRUCT as Turtle, parsed into an rdflib graph.
sw = SPARQLWrapper(base + "/query")
sw.setQuery(f"CONSTRUCT {{ ?e <{LABEL}> ?l }} WHERE {{ ?e <{ISN}mentionedIn> ?a ; <{LABEL}> ?l }}")
sw.setReturnFormat(TURTLE)
data = sw.query().convert()
g2 = rdflib.Graph().parse(data=data, format="turtle")
assert (ARAGHCHI, LABEL, rdflib.Literal("عباس عراقجي", lang="ar")) in g2, len(g2)
print(f"sparqlwrapper turtle graph: {len(g2)} triples")
