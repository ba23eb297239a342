/*
 * Praxisatlas – catalogue page: full-text search, filters, sorting, compare selection.
 *
 * Plain JavaScript, no framework, no build step. Data: faelle.json (loaded with the page:
 * cases and facet values) and suchindex.json (a prebuilt lunr index, loaded with lunr.js and
 * lunr-languages' German files once somebody is about to search: points at or focuses the
 * search field, or arrives with ?q=). All state lives in the URL
 * query, so a view can be shared and the back button works. Contributed text is only ever
 * inserted with textContent, never as HTML.
 */
(function () {
  "use strict";

  var root = document.getElementById("pa-katalog");
  if (!root) return;

  /* The list of all cases sits in <noscript> (a browser running scripts does not build
   * 1,000s of list items it would replace at once). Whenever the interactive catalogue
   * cannot start, show that list instead; its markup comes from our own build with every
   * title escaped, so parsing it as HTML creates no element a contributor wrote. */
  function showStaticList() {
    var fallback = document.getElementById("pa-alle-faelle");
    var target = document.getElementById("pa-liste");
    if (!fallback || !target) return;
    var template = document.createElement("template");
    template.innerHTML = fallback.textContent;
    target.parentNode.replaceChild(template.content, target);
    fallback.parentNode.removeChild(fallback);
  }

  if (!window.fetch || !window.URLSearchParams || !window.history.pushState ||
      !("content" in document.createElement("template"))) {
    if ("content" in document.createElement("template")) showStaticList();
    return;
  }

  // Search field and filters are shown only now: without JavaScript they could not work.
  root.classList.remove("pa-ohne-skript");

  var PAGE_SIZE = 25;
  var VISIBLE_TERMS = 8; // long facets show this many values until expanded
  var MAX_COMPARE = 3;
  var SORTS = ["relevanz", "neu", "titel", "geprueft"];
  var LUNR_SCRIPTS = ["lunr.js", "lunr.stemmer.support.js", "lunr.de.js"];

  var form = document.getElementById("pa-form");
  var input = document.getElementById("pa-q");
  var sortSelect = document.getElementById("pa-sort");
  var list = document.getElementById("pa-liste");
  var countEl = document.getElementById("pa-anzahl");
  var moreButton = document.getElementById("pa-mehr");
  var activeList = document.getElementById("pa-aktiv");
  var panel = document.getElementById("pa-filter");
  var panelToggle = document.getElementById("pa-filter-umschalter");
  var compareBar = document.getElementById("pa-vergleich-leiste");
  var compareText = document.getElementById("pa-vergleich-text");
  var compareLink = document.getElementById("pa-vergleich-link");
  var base = root.getAttribute("data-basis") || "../";

  var data = null; // faelle.json
  var facetNames = [];
  var termPosition = {}; // facet name -> value -> position
  var boxes = {}; // facet name -> position -> {input, count, item}
  var casePosition = {}; // case id -> position
  var index = null;
  var indexLoading = null;
  var state = emptyState();
  var visibleCount = PAGE_SIZE;
  var lastQuery = { text: null, scores: null };

  function emptyState() {
    return { q: "", sort: "relevanz", topicsAll: false, filters: {}, compare: [] };
  }

  /* Thousands with a dot, written out: the first toLocaleString() loads the browser's
   * locale data, about 10 ms before the first result. */
  function casesWord(n) {
    return n === 1 ? "1 Fall" : String(n).replace(/\B(?=(\d{3})+$)/g, ".") + " Fälle";
  }

  // --- URL state -------------------------------------------------------------------------

  function stateFromUrl() {
    var params = new URLSearchParams(window.location.search);
    var s = emptyState();
    s.q = params.get("q") || "";
    var sort = params.get("sort");
    if (SORTS.indexOf(sort) >= 0) s.sort = sort;
    s.topicsAll = params.get("thema-verknuepfung") === "alle";
    facetNames.forEach(function (name) {
      var values = params.getAll(name).filter(function (v, i, all) {
        return termPosition[name][v] !== undefined && all.indexOf(v) === i;
      });
      if (values.length) s.filters[name] = values;
    });
    var compare = params.get("vergleich");
    if (compare) {
      s.compare = compare.split(",").filter(function (id, i, all) {
        return casePosition[id] !== undefined && all.indexOf(id) === i;
      }).slice(0, MAX_COMPARE);
    }
    return s;
  }

  function urlFromState(s) {
    var params = new URLSearchParams();
    if (s.q) params.set("q", s.q);
    facetNames.forEach(function (name) {
      (s.filters[name] || []).forEach(function (v) { params.append(name, v); });
    });
    if (s.topicsAll) params.set("thema-verknuepfung", "alle");
    if (s.sort !== "relevanz") params.set("sort", s.sort);
    if (s.compare.length) params.set("vergleich", s.compare.join(","));
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function commit(replace) {
    var url = urlFromState(state);
    if (url !== window.location.pathname + window.location.search) {
      window.history[replace ? "replaceState" : "pushState"](null, "", url);
    }
  }

  // --- UI <-> state ------------------------------------------------------------------------

  function stateToUi() {
    if (document.activeElement !== input || input.value.trim() !== state.q.trim()) {
      input.value = state.q;
    }
    sortSelect.value = state.sort;
    form.querySelector('input[name="thema-verknuepfung"][value="' +
      (state.topicsAll ? "alle" : "eines") + '"]').checked = true;
    facetNames.forEach(function (name) {
      var selected = state.filters[name] || [];
      boxes[name].forEach(function (box) {
        box.input.checked = selected.indexOf(box.input.value) >= 0;
      });
      updateFacetVisibility(name);
    });
  }

  function filtersFromUi() {
    var filters = {};
    facetNames.forEach(function (name) {
      var values = [];
      boxes[name].forEach(function (box) { if (box.input.checked) values.push(box.input.value); });
      if (values.length) filters[name] = values;
    });
    return filters;
  }

  // --- search ------------------------------------------------------------------------------

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false; // download in parallel, run in order (lunr.js first)
      script.onload = resolve;
      script.onerror = function () { reject(new Error(src)); };
      document.head.appendChild(script);
    });
  }

  var lunrLoading = null;

  /* lunr.js and the German files (about 30 KB gzip): fetched when the browser is idle after
   * the first render, so that a search does not wait for them to compile. */
  function ensureLunr() {
    if (!lunrLoading) {
      lunrLoading = Promise.all(LUNR_SCRIPTS.map(loadScript));
      lunrLoading.catch(function () { lunrLoading = null; });
    }
    return lunrLoading;
  }

  /* suchindex.json is lunr's serialised index without the postings, which fieldVectors
   * imply (see index.py, compact_lunr_index). This gives lunr.Index.load the full form
   * back: terms sorted, and per term a posting {_index, field: {ref: {}}} as lunr writes
   * it. A posting's fields are built on first read: a query reads the postings of a few
   * terms, and building all of them would cost more than parsing them did. */
  var NO_METADATA = Object.freeze({}); // lunr.MatchData copies metadata, never writes it

  function expandIndex(compact) {
    var fields = compact.fields;
    var terms = compact.terms;
    var vectors = compact.fieldVectors;
    var fieldCount = fields.length;
    var fieldNumber = {};
    fields.forEach(function (field, f) { fieldNumber[field] = f; });
    // Which vectors (field of a case) hold each term × field, in the layout of a sparse
    // matrix (compressed rows): two passes over typed arrays, no array per posting.
    var vectorField = new Int32Array(vectors.length);
    var refs = new Array(vectors.length);
    var starts = new Int32Array(terms.length * fieldCount + 1);
    var v, i, elements;
    for (v = 0; v < vectors.length; v++) {
      var name = vectors[v][0];
      var slash = name.indexOf("/"); // lunr.FieldRef: field "/" ref
      vectorField[v] = fieldNumber[name.slice(0, slash)];
      refs[v] = name.slice(slash + 1);
      elements = vectors[v][1];
      for (i = 0; i < elements.length; i += 2) starts[elements[i] * fieldCount + vectorField[v] + 1]++;
    }
    for (i = 1; i < starts.length; i++) starts[i] += starts[i - 1];
    var next = starts.slice(0, -1);
    var holders = new Int32Array(starts[starts.length - 1]);
    for (v = 0; v < vectors.length; v++) {
      elements = vectors[v][1];
      for (i = 0; i < elements.length; i += 2) holders[next[elements[i] * fieldCount + vectorField[v]]++] = v;
    }
    function Posting(termIndex) { this._index = termIndex; }
    fields.forEach(function (field, f) {
      Object.defineProperty(Posting.prototype, field, {
        get: function () {
          var posting = {};
          var key = this._index * fieldCount + f;
          for (var h = starts[key]; h < starts[key + 1]; h++) posting[refs[holders[h]]] = NO_METADATA;
          Object.defineProperty(this, field, { value: posting, enumerable: true });
          return posting;
        },
      });
    });
    var order = terms.map(function (term, i) { return i; });
    order.sort(function (a, b) { return terms[a] < terms[b] ? -1 : terms[a] > terms[b] ? 1 : 0; });
    return {
      version: compact.version,
      fields: fields,
      fieldVectors: vectors,
      invertedIndex: order.map(function (i) { return [terms[i], new Posting(i)]; }),
      pipeline: compact.pipeline,
    };
  }
  // For the browser tests, which compare the rebuilt index with the build's full one.
  window.PraxisatlasKatalog = { expandIndex: expandIndex };

  /* The full-text index: fetched only once someone points at or focuses the search field,
   * or arrives with a query; browsing and filtering never need it. */
  function ensureIndex() {
    if (!indexLoading) {
      var json = fetch(root.getAttribute("data-index")).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
      indexLoading = Promise.all([json, ensureLunr()]).then(function (results) {
        index = window.lunr.Index.load(expandIndex(results[0]));
      });
      indexLoading.catch(function () {
        indexLoading = null;
        countEl.textContent = "Der Suchindex konnte nicht geladen werden. Filter funktionieren weiter.";
      });
    }
    return indexLoading;
  }

  function queryTerms(text) {
    if (!window.lunr || !window.lunr.de) return [];
    var pipeline = new window.lunr.Pipeline();
    pipeline.add(window.lunr.de.trimmer, window.lunr.de.stopWordFilter);
    return pipeline.run(window.lunr.tokenizer(text)).map(String).filter(function (t, i, all) {
      return t && all.indexOf(t) === i;
    });
  }

  /* Case positions -> score for the current query, or null for "no query" (browse).
   * Every word must match: its stem exactly, or (from three letters on) as the beginning
   * of a longer term, so "Verwaltungs" finds "Verwaltungsgericht" while typing. The
   * prefix uses the typed word with umlauts folded as the stemmer folds them. */
  function queryScores() {
    var text = state.q.trim();
    if (!text) return null;
    if (!index) return undefined;
    if (lastQuery.text === text) return lastQuery.scores;
    var terms = queryTerms(text);
    var scores = null;
    terms.forEach(function (term) {
      var stem = window.lunr.de.stemmer(term);
      var prefix = term.replace(/ä/g, "a").replace(/ö/g, "o").replace(/ü/g, "u").replace(/ß/g, "ss");
      var hits = [];
      try {
        hits = index.query(function (q) {
          q.term(stem, { usePipeline: false, boost: 10 });
          if (prefix.length >= 3) {
            q.term(prefix, { usePipeline: false, boost: 1, wildcard: window.lunr.Query.wildcard.TRAILING });
          }
        });
      } catch (error) {
        hits = []; // a word lunr cannot handle matches nothing
      }
      var next = {};
      hits.forEach(function (hit) {
        if (scores === null) next[hit.ref] = hit.score;
        else if (scores[hit.ref] !== undefined) next[hit.ref] = scores[hit.ref] + hit.score;
      });
      scores = next;
    });
    lastQuery = { text: text, scores: terms.length ? scores : null };
    return lastQuery.scores;
  }

  // --- filtering and counting ----------------------------------------------------------------

  function compute(scores) {
    var selected = facetNames.map(function (name) {
      return (state.filters[name] || []).map(function (v) { return termPosition[name][v]; });
    });
    var counts = data.facets.map(function (facet) {
      return facet.terms.map(function () { return 0; });
    });
    var topicFacet = facetNames.indexOf("thema");
    var results = [];
    data.cases.forEach(function (doc, position) {
      if (scores && scores[position] === undefined) return;
      var values = doc[5];
      var failed = -1;
      for (var f = 0; f < selected.length; f++) {
        if (!selected[f].length) continue;
        var ok = f === topicFacet && state.topicsAll
          ? selected[f].every(function (p) { return values[f].indexOf(p) >= 0; })
          : selected[f].some(function (p) { return values[f].indexOf(p) >= 0; });
        if (!ok) {
          if (failed >= 0) return;
          failed = f;
        }
      }
      if (failed < 0) {
        results.push(position);
        values.forEach(function (terms, f) {
          terms.forEach(function (p) { counts[f][p] += 1; });
        });
      } else if (!(failed === topicFacet && state.topicsAll)) {
        // Fails only this facet: counts what choosing one of its values would add.
        values[failed].forEach(function (p) { counts[failed][p] += 1; });
      }
    });
    sortResults(results, scores);
    return { results: results, counts: counts };
  }

  function byNewest(a, b) {
    var x = data.cases[a], y = data.cases[b];
    if (x[3] !== y[3]) return x[3] < y[3] ? 1 : -1;
    if (x[4] !== y[4]) return x[4] < y[4] ? 1 : -1;
    return x[0] < y[0] ? -1 : 1;
  }

  // faelle.json lists the cases in German title order (the build sorts them).
  function byTitle(a, b) {
    return a - b;
  }

  function sortResults(results, scores) {
    var order;
    if (state.sort === "titel") order = byTitle;
    else if (state.sort === "geprueft") {
      order = function (a, b) {
        var x = data.cases[a][4], y = data.cases[b][4];
        return x !== y ? (x < y ? 1 : -1) : byTitle(a, b);
      };
    } else if (state.sort === "relevanz" && scores) {
      order = function (a, b) { return scores[b] - scores[a] || byTitle(a, b); };
    } else order = byNewest;
    results.sort(order);
  }

  // --- rendering ----------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function labels(doc, name) {
    var f = facetNames.indexOf(name);
    return doc[5][f].map(function (p) { return data.facets[f].terms[p].l; });
  }

  function periodLabel(start) {
    var parts = start.split("-");
    return parts.length > 1 ? "seit " + parts[1] + "/" + parts[0] : "seit " + parts[0];
  }

  function renderCase(position) {
    var doc = data.cases[position];
    var item = el("li", "pa-treffer");
    var heading = el("h3", "pa-treffer__titel");
    var link = el("a", null, doc[1]);
    link.href = base + "faelle/" + doc[0] + "/";
    heading.appendChild(link);
    item.appendChild(heading);
    // A city-state is its own Land: "Berlin", not "Berlin · Berlin".
    var kreise = labels(doc, "kreis");
    var laender = labels(doc, "land").filter(function (l) { return kreise.indexOf(l) < 0; });
    var meta = kreise.concat(laender, labels(doc, "status"), [periodLabel(doc[3])]);
    item.appendChild(el("p", "pa-treffer__meta", meta.join(" · ")));
    item.appendChild(el("p", "pa-treffer__text", doc[2]));
    var topicFacet = facetNames.indexOf("thema");
    var topics = doc[5][topicFacet].filter(function (p) {
      return data.facets[topicFacet].terms[p].p !== undefined;
    }).map(function (p) { return data.facets[topicFacet].terms[p].l; });
    if (topics.length) item.appendChild(el("p", "pa-treffer__themen", "Themen: " + topics.join(", ")));
    var label = el("label", "pa-treffer__vergleich");
    var box = el("input");
    box.type = "checkbox";
    box.value = doc[0];
    box.setAttribute("data-vergleich", "");
    box.checked = state.compare.indexOf(doc[0]) >= 0;
    box.disabled = !box.checked && state.compare.length >= MAX_COMPARE;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" Vergleichen"));
    label.appendChild(el("span", "pa-sr", ": " + doc[1]));
    item.appendChild(label);
    return item;
  }

  function renderResults(results) {
    var fragment = document.createDocumentFragment();
    results.slice(0, visibleCount).forEach(function (p) { fragment.appendChild(renderCase(p)); });
    list.textContent = "";
    list.appendChild(fragment);
    var rest = results.length - Math.min(visibleCount, results.length);
    moreButton.hidden = rest <= 0;
    moreButton.textContent = "Weitere " + Math.min(rest, PAGE_SIZE) + " von " + rest +
      " verbleibenden Fällen anzeigen";
  }

  function renderCounts(counts) {
    facetNames.forEach(function (name, f) {
      boxes[name].forEach(function (box, p) {
        box.count.textContent = counts[f][p];
        box.item.classList.toggle("pa-wert--leer", counts[f][p] === 0 && !box.input.checked);
      });
    });
  }

  function renderActive() {
    activeList.textContent = "";
    var any = false;
    facetNames.forEach(function (name, f) {
      (state.filters[name] || []).forEach(function (value) {
        any = true;
        var term = data.facets[f].terms[termPosition[name][value]];
        var item = el("li");
        var button = el("button", "pa-chip", data.facets[f].label + ": " + term.l);
        button.type = "button";
        button.setAttribute("data-entferne-facette", name);
        button.setAttribute("data-entferne-wert", value);
        button.appendChild(el("span", "pa-sr", " – Filter entfernen"));
        button.appendChild(el("span", "pa-chip__x", "×")).setAttribute("aria-hidden", "true");
        item.appendChild(button);
        activeList.appendChild(item);
      });
    });
    activeList.hidden = !any;
    var active = facetNames.reduce(function (n, name) { return n + (state.filters[name] || []).length; }, 0);
    var open = panelToggle.getAttribute("aria-expanded") === "true";
    panelToggle.textContent = (open ? "Filter ausblenden" : "Filter anzeigen") +
      (active ? " (" + active + " aktiv)" : "");
  }

  function renderCompare() {
    var n = state.compare.length;
    compareBar.hidden = n === 0;
    compareText.textContent = n === 1
      ? "1 Fall zum Vergleich gewählt – wählen Sie mindestens einen weiteren."
      : n + " Fälle zum Vergleich gewählt" + (n >= MAX_COMPARE ? " (höchstens " + MAX_COMPARE + ")." : ".");
    compareLink.hidden = n < 2;
    compareLink.href = "vergleich/?ids=" + state.compare.map(encodeURIComponent).join(",");
    list.querySelectorAll("input[data-vergleich]").forEach(function (box) {
      box.checked = state.compare.indexOf(box.value) >= 0;
      box.disabled = !box.checked && n >= MAX_COMPARE;
    });
  }

  function countMessage(total, scores) {
    var text = state.q.trim();
    var found = total === 0 ? "Keine Fälle gefunden" : casesWord(total) + " gefunden";
    if (text && scores) found += " für „" + text + "“";
    var active = facetNames.some(function (name) { return (state.filters[name] || []).length; });
    if (active) found += " (mit Filtern)";
    return found + ".";
  }

  var waitingForIndex = false;

  function update() {
    var scores = queryScores();
    if (scores === undefined) {
      countEl.textContent = "Suchindex wird geladen …";
      if (!waitingForIndex) {
        waitingForIndex = true; // one update once it is there, however often someone typed
        ensureIndex().then(function () { waitingForIndex = false; update(); },
          function () { waitingForIndex = false; });
      }
      return;
    }
    var outcome = compute(scores);
    renderResults(outcome.results);
    renderCounts(outcome.counts);
    renderActive();
    renderCompare();
    var message = countMessage(outcome.results.length, scores);
    document.getElementById("pa-filter-fertig").textContent =
      outcome.results.length ? casesWord(outcome.results.length) + " anzeigen" : "Zu den Ergebnissen";
    if (countEl.textContent !== message) countEl.textContent = message;
    root.setAttribute("data-bereit", "");
  }

  // --- facet panel ----------------------------------------------------------------------------

  function updateFacetVisibility(name) {
    var fieldset = document.getElementById("pa-facette-" + name);
    var expanded = fieldset.classList.contains("pa-facette--offen");
    var filterBox = fieldset.querySelector("[data-facette-suche]");
    var needle = filterBox ? filterBox.value.trim().toLocaleLowerCase("de") : "";
    var checkedParents = {};
    boxes[name].forEach(function (box) { if (box.input.checked) checkedParents[box.input.value] = true; });
    boxes[name].forEach(function (box) {
      var visible;
      if (needle) {
        visible = box.label.toLocaleLowerCase("de").indexOf(needle) >= 0 || box.input.checked;
      } else {
        visible = !box.collapsible || expanded || box.input.checked ||
          (box.parent && checkedParents[box.parent] === true);
      }
      box.item.hidden = !visible;
    });
  }

  /* Builds the filter panel from faelle.json: per facet a <fieldset> with a <legend> and a
   * labelled checkbox per value. Long facets show their most used values until expanded;
   * Unterthemen show under their Handlungsfeld; the Kreis facet has a filter box. */
  function buildFacet(facet, totals) {
    var name = facet.name;
    var fieldset = el("fieldset", "pa-facette");
    fieldset.id = "pa-facette-" + name;
    fieldset.appendChild(el("legend", "pa-facette__titel", facet.label));
    if (name === "thema") {
      var mode = el("fieldset", "pa-verknuepfung");
      mode.appendChild(el("legend", null, "Mehrere Themen verknüpfen"));
      [["eines", "mindestens eines (oder)"], ["alle", "alle zugleich (und)"]].forEach(function (o) {
        var label = el("label");
        var radio = el("input");
        radio.type = "radio";
        radio.name = "thema-verknuepfung";
        radio.value = o[0];
        label.appendChild(radio);
        label.appendChild(document.createTextNode(" " + o[1]));
        mode.appendChild(label);
      });
      fieldset.appendChild(mode);
    }
    var shown = {};
    if (name === "thema") {
      facet.terms.forEach(function (t, p) { if (t.p === undefined) shown[p] = true; });
    } else if (facet.terms.length > VISIBLE_TERMS + 2) {
      facet.terms.map(function (t, p) { return p; })
        .sort(function (a, b) { return totals[b] - totals[a] || a - b; })
        .slice(0, VISIBLE_TERMS)
        .forEach(function (p) { shown[p] = true; });
    } else {
      facet.terms.forEach(function (t, p) { shown[p] = true; });
    }
    var collapsible = Object.keys(shown).length < facet.terms.length;
    if (name === "kreis" && facet.terms.length > VISIBLE_TERMS) {
      var filterLabel = el("label", "pa-facette__suche-label", facet.label + " eingrenzen");
      filterLabel.htmlFor = "pa-facette-suche-" + name;
      var filterBox = el("input", "pa-facette__suche");
      filterBox.type = "text";
      filterBox.id = "pa-facette-suche-" + name;
      filterBox.autocomplete = "off";
      filterBox.setAttribute("data-facette-suche", name);
      filterBox.addEventListener("input", function () { updateFacetVisibility(name); });
      filterBox.addEventListener("keydown", function (event) {
        if (event.key === "Enter") event.preventDefault();
      });
      fieldset.appendChild(filterLabel);
      fieldset.appendChild(filterBox);
    }
    var list = el("ul", "pa-werte");
    list.id = "pa-werte-" + name;
    boxes[name] = facet.terms.map(function (term, p) {
      var item = el("li", "pa-wert" + (term.p !== undefined ? " pa-wert--unter" : ""));
      var label = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.name = name;
      box.value = term.v;
      var count = el("span", "pa-wert__anzahl", String(totals[p]));
      count.setAttribute("data-anzahl", "");
      label.appendChild(box);
      label.appendChild(el("span", "pa-wert__name", term.l));
      label.appendChild(count);
      item.appendChild(label);
      list.appendChild(item);
      return {
        input: box,
        count: count,
        item: item,
        label: term.l,
        collapsible: !shown[p],
        parent: term.p !== undefined ? facet.terms[term.p].v : "",
      };
    });
    fieldset.appendChild(list);
    if (collapsible) {
      var more = el("button", "pa-link-knopf pa-facette__mehr");
      var moreText = name === "thema" ? "Unterthemen anzeigen" : "Alle " + facet.terms.length + " anzeigen";
      var lessText = name === "thema" ? "Unterthemen ausblenden" : "Weniger anzeigen";
      more.type = "button";
      more.textContent = moreText;
      more.setAttribute("aria-expanded", "false");
      more.setAttribute("aria-controls", list.id);
      more.setAttribute("data-mehr", name);
      more.addEventListener("click", function () {
        var open = fieldset.classList.toggle("pa-facette--offen");
        more.setAttribute("aria-expanded", open ? "true" : "false");
        more.textContent = open ? lessText : moreText;
        updateFacetVisibility(name);
      });
      fieldset.appendChild(more);
    }
    return fieldset;
  }

  function setupFacets() {
    var container = document.getElementById("pa-facetten");
    data.facets.forEach(function (facet, f) {
      var name = facet.name;
      facetNames.push(name);
      termPosition[name] = {};
      facet.terms.forEach(function (term, p) { termPosition[name][term.v] = p; });
      var totals = facet.terms.map(function () { return 0; });
      data.cases.forEach(function (doc) {
        doc[5][f].forEach(function (p) { totals[p] += 1; });
      });
      container.appendChild(buildFacet(facet, totals));
    });
  }

  // --- events -----------------------------------------------------------------------------

  /* Typing: the first keystroke searches at once; keystrokes in the following 80 ms are
   * taken together into one more search at the end of that time. */
  var TYPING_PAUSE = 80;
  var typingTimer = null;
  var typedDuringPause = false;

  function searchTyped() {
    var previous = state.q;
    state.q = input.value;
    visibleCount = PAGE_SIZE;
    // A new search gets its own history entry; refining it replaces that entry.
    commit(previous.trim() !== "" && state.q.trim() !== "");
    update();
  }

  function endTypingPause() {
    typingTimer = null;
    if (!typedDuringPause) return;
    typedDuringPause = false;
    searchTyped();
    typingTimer = window.setTimeout(endTypingPause, TYPING_PAUSE);
  }

  function onFilterChange(event) {
    var target = event.target;
    if (target.name === "thema-verknuepfung") {
      state.topicsAll = target.value === "alle";
    } else if (target === sortSelect) {
      state.sort = sortSelect.value;
    } else if (target.type === "checkbox" && termPosition[target.name]) {
      state.filters = filtersFromUi();
      updateFacetVisibility(target.name);
    } else {
      return;
    }
    visibleCount = PAGE_SIZE;
    commit(false);
    update();
  }

  /* Bound as soon as the script runs, before faelle.json has arrived: a visitor may type
   * right away, and the index starts loading on the first focus of the field. */
  function bindSearch() {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(typingTimer);
      typingTimer = null;
      typedDuringPause = false;
      state.q = input.value;
      if (!data) return;
      visibleCount = PAGE_SIZE;
      commit(false);
      update();
    });
    ["pointerenter", "focus"].forEach(function (type) {
      input.addEventListener(type, function () { ensureIndex(); }, { once: true });
    });
    input.addEventListener("input", function () {
      if (!data) {
        state.q = input.value;
        ensureIndex();
        return;
      }
      if (typingTimer !== null) {
        typedDuringPause = true;
        return;
      }
      searchTyped();
      typingTimer = window.setTimeout(endTypingPause, TYPING_PAUSE);
    });
  }

  function bind() {
    form.addEventListener("change", onFilterChange);
    document.getElementById("pa-zuruecksetzen").addEventListener("click", function () {
      state.filters = {};
      state.topicsAll = false;
      facetNames.forEach(function (name) {
        var box = document.querySelector('[data-facette-suche="' + name + '"]');
        if (box) box.value = "";
      });
      visibleCount = PAGE_SIZE;
      stateToUi();
      commit(false);
      update();
    });
    activeList.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-entferne-facette]");
      if (!button) return;
      var name = button.getAttribute("data-entferne-facette");
      var value = button.getAttribute("data-entferne-wert");
      state.filters[name] = (state.filters[name] || []).filter(function (v) { return v !== value; });
      if (!state.filters[name].length) delete state.filters[name];
      stateToUi();
      commit(false);
      update();
      input.focus();
    });
    moreButton.addEventListener("click", function () {
      var first = visibleCount;
      visibleCount += PAGE_SIZE;
      update();
      var next = list.children[first];
      if (next) next.querySelector("a").focus();
    });
    list.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.hasAttribute("data-vergleich")) return;
      event.stopPropagation();
      state.compare = state.compare.filter(function (id) { return id !== box.value; });
      if (box.checked && state.compare.length < MAX_COMPARE) state.compare.push(box.value);
      commit(true);
      renderCompare();
    });
    document.getElementById("pa-vergleich-leeren").addEventListener("click", function () {
      state.compare = [];
      commit(true);
      renderCompare();
    });
    document.getElementById("pa-filter-fertig").addEventListener("click", function () {
      panelToggle.setAttribute("aria-expanded", "false");
      panel.classList.add("pa-filter--zu");
      renderActive();
      document.getElementById("pa-ergebnisse-titel").focus();
    });
    panelToggle.addEventListener("click", function () {
      var open = panelToggle.getAttribute("aria-expanded") !== "true";
      panelToggle.setAttribute("aria-expanded", open ? "true" : "false");
      panel.classList.toggle("pa-filter--zu", !open);
      renderActive();
    });
    window.addEventListener("popstate", function () {
      state = stateFromUrl();
      visibleCount = PAGE_SIZE;
      stateToUi();
      update();
    });
  }

  function start(json) {
    data = json;
    data.cases.forEach(function (doc, p) { casePosition[doc[0]] = p; });
    setupFacets();
    var typed = input.value;
    state = stateFromUrl();
    if (typed.trim() && typed !== state.q) {
      state.q = typed; // typed while the page was loading
      commit(true);
    }
    document.getElementById("pa-ohne-js").hidden = true;
    panel.hidden = false;
    panel.classList.add("pa-filter--zu");
    panelToggle.hidden = false;
    sortSelect.closest(".pa-sortierung").hidden = false;
    stateToUi();
    bind();
    update();
    var idle = window.requestIdleCallback || function (fn) { window.setTimeout(fn, 500); };
    idle(function () { ensureLunr(); });
  }

  bindSearch();
  // Arriving with a query (e.g. from the header search): the index loads alongside the cases.
  if ((new URLSearchParams(window.location.search).get("q") || "").trim()) ensureIndex();
  fetch(root.getAttribute("data-faelle"))
    .then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    })
    .then(start)
    .catch(function () {
      root.classList.add("pa-ohne-skript");
      document.getElementById("pa-ohne-js").hidden = false;
      showStaticList();
      countEl.textContent = "Die Falldaten konnten nicht geladen werden; unten stehen alle Fälle.";
    });

  // --- link to the map (/karte/, issue 21) ---------------------------------------------------
  /* The map reads the same URL parameters as this page (facet names, thema-verknuepfung;
   * it ignores the rest), so the link carries the current query as it is, refreshed
   * whenever someone is about to follow or copy it. */
  var mapLink = document.getElementById("pa-karte-link");
  if (mapLink) {
    var syncMapLink = function () { mapLink.href = base + "karte/" + window.location.search; };
    ["focus", "mouseenter", "pointerdown", "contextmenu", "click"].forEach(function (type) {
      mapLink.addEventListener(type, syncMapLink);
    });
    syncMapLink();
  }
})();
