// isnad explorer: the query page. Every value from the store is written
// with textContent or as an attribute set through the DOM, never as markup.
"use strict";
(function () {
  var ID = "https://w3id.org/isnad/id/";
  var ARTICLE = ID + "article/";

  // Where an IRI is shown in the explorer: articles and their parts on the
  // article page (at the claim or event), entities on the entity page.
  function explorerHref(iri) {
    if (iri.indexOf(ARTICLE) === 0) {
      var rest = iri.slice(ARTICLE.length).split("/");
      var article = ARTICLE + rest[0];
      var href = "/article?iri=" + encodeURIComponent(article);
      if (rest.length >= 3 && (rest[1] === "claim" || rest[1] === "event")) {
        href += "#" + rest[1] + "-" + encodeURIComponent(rest[2]);
      }
      return href;
    }
    if (iri.indexOf(ID) === 0) {
      return "/entity?iri=" + encodeURIComponent(iri);
    }
    return null;
  }

  function cell(term) {
    var td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      var href = explorerHref(term.value);
      if (href) {
        var a = document.createElement("a");
        a.setAttribute("href", href);
        a.textContent = term.value.slice(ID.length);
        td.appendChild(a);
        return td;
      }
    }
    td.textContent = term.value;
    return td;
  }

  function setDownloads(query) {
    var q = encodeURIComponent(query);
    [["dl-csv", "csv"], ["dl-json", "json"], ["dl-turtle", "turtle"]].forEach(function (p) {
      var a = document.getElementById(p[0]);
      if (a) {
        a.setAttribute("href", "/query?format=" + p[1] + "&query=" + q);
        a.setAttribute("download", "isnad-results." + (p[1] === "turtle" ? "ttl" : p[1]));
      }
    });
  }

  function run() {
    var text = document.getElementById("sparql").value;
    var status = document.getElementById("status");
    var out = document.getElementById("results");
    status.textContent = "…";
    out.textContent = "";
    setDownloads(text);
    var started = Date.now();
    fetch("/query", {
      method: "POST",
      headers: {
        "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9"
      },
      body: text
    }).then(function (resp) {
      var type = resp.headers.get("Content-Type") || "";
      return resp.text().then(function (body) {
        if (!resp.ok) {
          status.textContent = "خطأ " + resp.status;
          var pre = document.createElement("pre");
          pre.className = "error";
          pre.textContent = body;
          out.appendChild(pre);
          return;
        }
        var secs = ((Date.now() - started) / 1000).toFixed(2);
        if (type.indexOf("sparql-results+json") >= 0) {
          var json = JSON.parse(body);
          if (typeof json.boolean === "boolean") {
            status.textContent = String(json.boolean);
            return;
          }
          var vars = json.head.vars;
          var rows = json.results.bindings;
          var table = document.createElement("table");
          table.id = "result-table";
          var thead = table.createTHead().insertRow();
          vars.forEach(function (v) {
            var th = document.createElement("th");
            th.textContent = v;
            thead.appendChild(th);
          });
          var tbody = table.createTBody();
          rows.forEach(function (row) {
            var tr = tbody.insertRow();
            vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
          });
          out.appendChild(table);
          status.textContent = rows.length + " صف · " + secs + " ث";
        } else {
          var pre = document.createElement("pre");
          pre.className = "graph";
          pre.textContent = body;
          out.appendChild(pre);
          status.textContent = secs + " ث";
        }
      });
    }).catch(function (e) {
      status.textContent = "تعذّر الاتصال: " + e;
    });
  }

  function initQueries() {
    var select = document.getElementById("saved");
    var editor = document.getElementById("sparql");
    if (!select || !editor) return;
    document.getElementById("run").addEventListener("click", run);
    editor.addEventListener("keydown", function (e) {
      if ((e.ctrlKey || e.metaKey) && e.key === "Enter") run();
    });
    setDownloads(editor.value);
    fetch("/explorer/saved-queries.json").then(function (r) { return r.json(); }).then(function (list) {
      var byName = {};
      list.forEach(function (q) {
        byName[q.name] = q;
        var opt = document.createElement("option");
        opt.value = q.name;
        opt.textContent = q.name;
        select.appendChild(opt);
      });
      select.addEventListener("change", function () {
        var q = byName[select.value];
        if (!q) return;
        editor.value = q.text;
        document.getElementById("saved-description").textContent = q.description;
        setDownloads(q.text);
      });
      // /queries?saved=NAME picks a saved query; &run=1 runs it too.
      var params = new URLSearchParams(location.search);
      var wanted = params.get("saved");
      if (wanted && byName[wanted]) {
        select.value = wanted;
        select.dispatchEvent(new Event("change"));
        if (params.get("run")) run();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initQueries();
    var q = document.getElementById("q");
    var current = new URLSearchParams(location.search).get("q");
    if (q && current && location.pathname === "/search") q.value = current;
  });
})();
