// The search page: query the edition's Pagefind bundles and link each hit to its paragraph.
// Reading never depends on this script; the search page is the only one that loads it.
(function () {
  "use strict";
  var box = document.getElementById("ed-search");
  var form = document.getElementById("ed-search-form");
  var status = document.getElementById("ed-search-status");
  var list = document.getElementById("ed-search-results");
  var bundles = (box.getAttribute("data-bundles") || "").split(" ").filter(Boolean);
  var root = box.getAttribute("data-root") || "";
  var CONTEXT = 12; // words either side of a hit in a paragraph's excerpt
  var MAX_RESULTS = 50;

  if (location.protocol === "file:") {
    document.getElementById("ed-search-file").hidden = false;
    return;
  }
  if (!bundles.length) {
    document.getElementById("ed-search-none").hidden = false;
    return;
  }

  var engine = null;
  function load() {
    if (!engine) {
      var first = new URL(root + bundles[0] + "pagefind.js", location.href).href;
      engine = import(first).then(function (pagefind) {
        // Hits' addresses from the site's root ("/d-003/index.html", made relative to this
        // page by pageHref), wherever the site is hosted: by default Pagefind prefixes the
        // path its bundle is served from (a site under /repo/ gave "/repo/d-003/…"), and a
        // merged bundle's whole origin ("http://host/d-003/…").
        var fromRoot = { baseUrl: "/" };
        return pagefind.options({ excerptLength: 30, baseUrl: fromRoot.baseUrl }).then(function () {
          // All at once: Pagefind keeps the bundles in the order merged, each fetching its own.
          return Promise.all(bundles.slice(1).map(function (bundle) {
            return pagefind.mergeIndex(new URL(root + bundle, location.href).href, fromRoot);
          }));
        }).then(function () { return pagefind; });
      });
    }
    return engine;
  }

  function say(text) {
    status.textContent = text;
  }

  // The document's address relative to this page: "/d-003/index.html" → "../d-003/index.html".
  function pageHref(url) {
    return root + url.replace(/^\/+/, "");
  }

  // Each hit's place: the last anchor at or before it. Returns [{anchor, locations}] in order.
  function places(data) {
    var anchors = (data.anchors || []).filter(function (a) { return a.id; });
    var found = [];
    var byId = {};
    (data.locations || []).slice().sort(function (a, b) { return a - b; }).forEach(function (at) {
      var anchor = null;
      anchors.forEach(function (a) { if (a.location <= at) { anchor = a; } });
      var key = anchor ? anchor.id : "";
      if (!(key in byId)) {
        byId[key] = { anchor: anchor, locations: [] };
        found.push(byId[key]);
      }
      byId[key].locations.push(at);
    });
    return found;
  }

  function label(id) {
    var m = /^([a-z]+)(\d.*)$/.exec(id);
    if (!m) { return id; }
    if (m[1] === "p") { return "\u00b6 " + m[2]; }
    if (m[1] === "n") { return "note " + m[2]; }
    if (m[1] === "pb") { return "p. " + m[2]; }
    if (m[1] === "h") { return "heading " + m[2]; }
    if (m[1] === "i") { return "item " + m[2]; }
    return id;
  }

  // Words around the first hit, the hits marked; built as text nodes, so nothing is markup.
  function excerpt(words, hits, from, to) {
    var out = document.createElement("span");
    out.className = "excerpt";
    var first = hits[0];
    var start = Math.max(from, first - CONTEXT);
    var end = Math.min(to, first + CONTEXT + 1);
    var marked = {};
    hits.forEach(function (h) { marked[h] = true; });
    if (start > from) { out.appendChild(document.createTextNode("\u2026 ")); }
    for (var i = start; i < end; i++) {
      if (i > start) { out.appendChild(document.createTextNode(" ")); }
      if (marked[i]) {
        var mark = document.createElement("mark");
        mark.textContent = words[i];
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(words[i]));
      }
    }
    if (end < to) { out.appendChild(document.createTextNode(" \u2026")); }
    return out;
  }

  function show(data) {
    var item = document.createElement("li");
    item.className = "search-result";
    var words = (data.content || "").split(/\s+/);
    var anchors = (data.anchors || []).filter(function (a) { return a.id; });
    var hitsAt = places(data);
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    var best = hitsAt.length && hitsAt[0].anchor ? "#" + hitsAt[0].anchor.id : "";
    link.href = pageHref(data.url) + best;
    link.textContent = (data.meta && data.meta.title) || data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    if (data.meta && data.meta.byline) {
      var by = document.createElement("p");
      by.className = "byline";
      by.textContent = data.meta.byline;
      item.appendChild(by);
    }
    var where = document.createElement("ul");
    where.className = "search-places";
    hitsAt.forEach(function (place) {
      var li = document.createElement("li");
      var from = place.anchor ? place.anchor.location : 0;
      var next = anchors.filter(function (a) { return a.location > from; })[0];
      var to = next ? next.location : words.length;
      if (place.anchor) {
        var go = document.createElement("a");
        go.className = "search-place";
        go.href = pageHref(data.url) + "#" + place.anchor.id;
        go.textContent = label(place.anchor.id);
        li.appendChild(go);
        li.appendChild(document.createTextNode(" "));
      }
      li.appendChild(excerpt(words, place.locations, from, to));
      where.appendChild(li);
    });
    item.appendChild(where);
    return item;
  }

  function read() {
    var params = new URLSearchParams(location.search);
    form.elements.q.value = params.get("q") || "";
    form.elements.person.value = params.get("person") || "";
    form.elements.document.value = params.get("document") || "";
  }

  var runs = 0;  // a search finished after a newer one started shows nothing

  function run() {
    var mine = ++runs;
    var q = form.elements.q.value.trim();
    var filters = {};
    if (form.elements.person.value) { filters.person = form.elements.person.value; }
    if (form.elements.document.value) { filters.document = form.elements.document.value; }
    list.textContent = "";
    if (!q && !Object.keys(filters).length) {
      say("");
      box.setAttribute("data-state", "ready");
      return Promise.resolve();
    }
    say("Searching\u2026");
    box.setAttribute("data-state", "searching");  // not "done" from the search before
    return load().then(function (pagefind) {
      return pagefind.search(q || null, { filters: filters });
    }).then(function (search) {
      var shown = search.results.slice(0, MAX_RESULTS);
      return Promise.all(shown.map(function (r) { return r.data(); })).then(function (all) {
        if (mine !== runs) { return; }
        all.forEach(function (data) { list.appendChild(show(data)); });
        var n = search.results.length;
        say(n === 0 ? "No document matches." :
          (n === 1 ? "1 document matches." : n + " documents match.") +
          (n > shown.length ? " The first " + shown.length + " are shown." : ""));
        box.setAttribute("data-state", "done");
      });
    }).catch(function (problem) {
      if (mine !== runs) { return; }
      say("Search failed: " + problem);
      box.setAttribute("data-state", "failed");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var params = new URLSearchParams();
    ["q", "person", "document"].forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value) { params.set(name, value); }
    });
    history.replaceState(null, "", "?" + params.toString());
    run();
  });
  read();
  run();
})();
