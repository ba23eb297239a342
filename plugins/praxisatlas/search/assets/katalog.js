/*
 * Praxisatlas – catalogue page: full-text search, filters, sorting, compare selection.
 *
 * Plain JavaScript, no framework; minified when the site is built (page.py). Loaded
 * deferred. Data: faelle.json (loaded with the page: cases and facet values), and for a
 * search suchindex.json (terms, synonyms, stop words; index.py) with lunr.js and
 * lunr-languages' German files (tokenizer, stemmer) plus the shards of postings the query
 * needs (suchindex/<k>.json). The page's inline script (katalog.html) starts those
 * downloads early, when the page is opened with ?q= or somebody is about to type; this
 * script takes them over (window.praxisatlasVorab). All state lives in the URL
 * query, so a view can be shared and the back button works. Contributed text is only ever
 * inserted with textContent, never as HTML.
 */
(function () {
  "use strict";

  var root = document.getElementById("pa-katalog");
  if (!root) return;

  /* Without the interactive catalogue (no fetch, or faelle.json fails to load) the page
   * keeps its paragraph with links to the static index pages, which list every case. */
  function showStaticList() {
    document.getElementById("pa-ohne-js").hidden = false;
    var list = document.getElementById("pa-liste");
    if (list) list.hidden = true;
  }

  if (!window.fetch || !window.URLSearchParams || !window.history.pushState || !window.Promise) {
    showStaticList();
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
  var waysOn = document.getElementById("pa-weiter");
  var activeList = document.getElementById("pa-aktiv");
  var panel = document.getElementById("pa-filter");
  var panelToggle = document.getElementById("pa-filter-umschalter");
  var compareBar = document.getElementById("pa-vergleich-leiste");
  var compareText = document.getElementById("pa-vergleich-text");
  var compareLink = document.getElementById("pa-vergleich-link");
  var base = root.getAttribute("data-basis") || "../";
  // Downloads the inline script of katalog.html started before this script ran.
  var early = window.praxisatlasVorab || { shards: {} };
  early.taken = true; // from now on this script starts the downloads itself

  var data = null; // faelle.json
  var facetNames = [];
  var termPosition = {}; // facet name -> value -> position
  var boxes = {}; // facet name -> position -> {input, count, item}
  var casePosition = {}; // case id -> position
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
    if (!facetsBuilt) return; // buildFacets() applies the state when it runs
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

  /* lunr.js and the German files (about 30 KB gzip) supply the tokenizer, trimmer, stop
   * list and Snowball stemmer the index was built with (german.py mirrors them). Fetched
   * when the browser is idle after the first render. */
  function ensureLunr() {
    if (!lunrLoading) {
      lunrLoading = early.lunr || Promise.all(LUNR_SCRIPTS.map(loadScript));
      early.lunr = null;
      lunrLoading.catch(function () { lunrLoading = null; });
    }
    return lunrLoading;
  }

  /* suchindex.json: the sorted terms, a word form per term, synonyms, extra stop words and
   * the shard count; suchindex/<k>.json: the postings of the terms of shard k (index.py).
   * Only the shards a query needs are fetched. */
  var search = null;
  var shardData = {}; // shard -> postings (array aligned with shardTerms[shard])
  var shardLoading = {};
  var postingCache = {}; // term -> {position: score}

  function ensureIndex() {
    if (!indexLoading) {
      var json = early.meta || fetch(root.getAttribute("data-index")).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
      early.meta = null; // a failed download is retried by the next call
      indexLoading = Promise.all([json, ensureLunr()]).then(function (results) {
        setUpSearch(results[0]);
      });
      indexLoading.catch(function () {
        indexLoading = null;
        countEl.textContent = "Der Suchindex konnte nicht geladen werden. Filter funktionieren weiter.";
      });
    }
    return indexLoading;
  }

  function setUpSearch(meta) {
    var s = {
      meta: meta,
      termIndex: Object.create(null),
      vocabulary: Object.create(null),
      shardOfTerm: new Int32Array(meta.terms.length),
      rank: new Int32Array(meta.terms.length),
      stop: Object.create(null),
      stems: Object.create(null),
      trimStart: new RegExp("^[^" + window.lunr.de.wordCharacters + "]+"),
      trimEnd: new RegExp("[^" + window.lunr.de.wordCharacters + "]+$"),
    };
    var counts = [];
    meta.terms.forEach(function (term, i) {
      s.termIndex[term] = i;
      if (term.length >= PART_MIN && term.indexOf(" ") < 0) s.vocabulary[term] = true;
      var k = shardOf(term, meta.shards);
      s.shardOfTerm[i] = k;
      s.rank[i] = counts[k] = (counts[k] || 0) + 1;
      s.rank[i] -= 1;
    });
    meta.stopwords.forEach(function (w) { s.stop[w] = true; });
    s.optional = Object.create(null);
    (meta.optional || []).forEach(function (t) { s.optional[t] = true; });
    search = s;
    early.ready = true;
  }

  function letter(term, i) {
    var c = i < term.length ? term.charCodeAt(i) : 0;
    return c >= 97 && c <= 122 ? c - 96 : 0;
  }

  /* index.py, shard_of: by the first two letters, so a prefix lives in one shard. */
  function shardOf(term, shards) {
    return Math.floor((letter(term, 0) * 27 + letter(term, 1)) * shards / 729);
  }

  function loadShards(shards) {
    return Promise.all(shards.map(function (k) {
      if (shardData[k]) return shardData[k];
      if (!shardLoading[k]) {
        var url = root.getAttribute("data-index").replace(/\.json$/, "/") + k + ".json";
        var loading = early.shards[k] || fetch(url).then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        });
        delete early.shards[k];
        shardLoading[k] = loading.then(function (postings) {
          shardData[k] = postings;
          return postings;
        });
        shardLoading[k].catch(function () { delete shardLoading[k]; });
      }
      return shardLoading[k];
    }));
  }

  function stem(word) {
    var known = search.stems[word];
    if (known === undefined) known = search.stems[word] = window.lunr.de.stemmer(word);
    return known;
  }

  /* german.py: tokenizer, trimmer, both stop lists; returns [{word, stem}]. */
  function analyse(text) {
    var result = [];
    window.lunr.tokenizer(text).forEach(function (token) {
      var word = String(token).replace(search.trimStart, "").replace(search.trimEnd, "");
      if (!word || search.stop[word] || !window.lunr.de.stopWordFilter(word)) return;
      result.push({ word: word, stem: stem(word) });
    });
    return result;
  }

  /* german.py, split_compound: a line-by-line copy (tests/browser checks both agree). */
  var COMPOUND_MIN = 7, PART_MIN = 3, LINKING = ["", "s", "es", "n", "en"], MAX_PARTS = 4;

  function splitCompound(word) {
    var parts = splitPart(word, 0);
    return parts.length > 1 ? parts : [];
  }

  function splitPart(word, depth) {
    if (word.length >= COMPOUND_MIN && depth < MAX_PARTS - 1) {
      for (var i = PART_MIN; i < word.length - PART_MIN + 1; i++) {
        var head = word.slice(0, i), tail = word.slice(i);
        if (!search.vocabulary[stem(tail)]) continue;
        for (var l = 0; l < LINKING.length; l++) {
          var link = LINKING[l];
          if (link && head.slice(-link.length) !== link) continue;
          var base = head.slice(0, head.length - link.length);
          if (base.length >= PART_MIN && search.vocabulary[stem(base)]) {
            return splitPart(base, depth + 1).concat(splitPart(tail, depth + 1)).slice(0, MAX_PARTS);
          }
        }
      }
    }
    return [stem(word)];
  }

  /* Optimal string alignment distance, stopping early above 1. */
  function withinOneEdit(a, b) {
    if (Math.abs(a.length - b.length) > 1 || a === b) return a === b;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (a.length === b.length) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  function editDistance(a, b) {
    var previous = [], current, i, j;
    for (j = 0; j <= b.length; j++) previous.push(j);
    for (i = 1; i <= a.length; i++) {
      current = [i];
      for (j = 1; j <= b.length; j++) {
        current.push(Math.min(previous[j] + 1, current[j - 1] + 1,
          previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
      }
      previous = current;
    }
    return previous[b.length];
  }

  function fold(word) {
    return word.replace(/ä/g, "a").replace(/ö/g, "o").replace(/ü/g, "u").replace(/ß/g, "ss");
  }

  /* Weights of the ways a query word can match: its own stem ranks first, then its
   * synonyms and compound parts, then longer words it begins (while typing), then words
   * one typo away. */
  var EXACT = 1, SYNONYM = 0.9, PARTS = 0.8, PREFIX = 0.5, TYPO = 0.3, MAX_EXPANSIONS = 40;

  /* A query as slots (one per word, or per synonym phrase), each a list of clauses: terms
   * that must all be in a case, and a weight. */
  function planQuery(text) {
    var words = analyse(text);
    var meta = search.meta;
    var slots = [];
    var pairs = [];
    for (var i = 0; i < words.length;) {
      var matched = 0;
      for (var n = Math.min(4, words.length - i); n >= 1 && !matched; n--) {
        var key = words.slice(i, i + n).map(function (w) { return w.stem; }).join(" ");
        if (n === 1 && !meta.synonyms[key]) key = inflectedKey(key);
        if (meta.synonyms[key]) {
          matched = n;
          var synonymClauses = meta.synonyms[key].map(function (alt) {
            return { terms: alt.split(" "), weight: alt === key ? EXACT : SYNONYM };
          });
          if (n === 1) {
            synonymClauses.push({ terms: [words[i].stem], weight: EXACT });
            var split = splitCompound(words[i].word);
            if (split.length) synonymClauses.push({ terms: split, weight: PARTS });
          }
          slots.push({
            label: words.slice(i, i + n).map(function (w) { return w.word; }).join(" "),
            clauses: synonymClauses,
          });
        }
      }
      if (matched) {
        i += matched;
        continue;
      }
      var w = words[i];
      var clauses = [{ terms: [w.stem], weight: EXACT }];
      var parts = splitCompound(w.word);
      if (parts.length) clauses.push({ terms: parts, weight: PARTS });
      var exact = search.termIndex[w.stem] !== undefined;
      if (w.word.length >= 3) {
        var prefixes = [fold(w.word), w.stem];
        var expansions = 0;
        for (var t = lowerBound(meta.terms, w.stem.slice(0, 3)); t < meta.terms.length && expansions < MAX_EXPANSIONS; t++) {
          var term = meta.terms[t];
          if (term.slice(0, 3) !== w.stem.slice(0, 3)) break;
          if (term === w.stem || term.indexOf(" ") >= 0) continue;
          if (term.indexOf(prefixes[0]) === 0 || term.indexOf(prefixes[1]) === 0) {
            addCorrection(clauses, term, PREFIX);
            expansions++;
          }
        }
      }
      if (!exact && !parts.length && w.word.length >= 5) {
        // One typo away from a term, or from the word form that term stands for.
        meta.terms.forEach(function (term, t) {
          if (term.length < 4 || term.indexOf(" ") >= 0) return;
          if (withinOneEdit(w.stem, term) || withinOneEdit(w.word, meta.forms[t] || term)) {
            addCorrection(clauses, term, TYPO);
          }
        });
      }
      var last = slots[slots.length - 1];
      if (last && last.stem === words[i - 1].stem) pairs.push(last.stem + " " + w.stem);
      slots.push({ label: w.word, stem: w.stem, clauses: clauses, optional: !!search.optional[w.stem] });
      i++;
    }
    // Optional words ("kostet") are looked for, not required; alone they count as usual.
    var required = slots.filter(function (slot) { return !slot.optional; }).length;
    if (!required) {
      slots.forEach(function (slot) { slot.optional = false; });
      required = slots.length;
    }
    var needed = {};
    slots.forEach(function (slot) {
      slot.clauses = slot.clauses.filter(function (clause) {
        return clause.terms.every(function (term) { return search.termIndex[term] !== undefined; });
      });
      slot.clauses.forEach(function (clause) {
        clause.terms.forEach(function (term) { needed[search.shardOfTerm[search.termIndex[term]]] = true; });
      });
    });
    pairs = pairs.filter(function (pair) { return search.termIndex[pair] !== undefined; });
    pairs.forEach(function (pair) { needed[search.shardOfTerm[search.termIndex[pair]]] = true; });
    return {
      text: text,
      slots: slots,
      required: required,
      pairs: pairs,
      shards: Object.keys(needed).map(Number).sort(function (a, b) { return a - b; }),
    };
  }

  /* A term reached by a prefix or a typo, and the synonyms of that term (a typo of "Rufbus"
   * also finds "On-Demand-Verkehr"), at the weight of the correction. */
  function addCorrection(clauses, term, weight) {
    clauses.push({ terms: [term], weight: weight });
    (search.meta.synonyms[term] || []).forEach(function (alt) {
      if (alt !== term) clauses.push({ terms: alt.split(" "), weight: weight * SYNONYM });
    });
  }

  /* "Rufbusse" stems to "rufbuss", not to the synonym "rufbus": a synonym that the stem
   * begins with, one or two letters shorter, stands for it. */
  function inflectedKey(stemmed) {
    for (var cut = 1; cut <= 2 && stemmed.length - cut >= 3; cut++) {
      var key = stemmed.slice(0, stemmed.length - cut);
      if (search.meta.synonyms[key]) return key;
    }
    return stemmed;
  }

  function lowerBound(terms, value) {
    var lo = 0, hi = terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (terms[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  function postings(term) {
    var cached = postingCache[term];
    if (cached) return cached;
    var i = search.termIndex[term];
    var flat = shardData[search.shardOfTerm[i]][search.rank[i]];
    var result = {};
    var position = 0;
    for (var p = 0; p < flat.length; p += 2) {
      position += flat[p];
      result[position] = flat[p + 1];
    }
    postingCache[term] = result;
    return result;
  }

  /* position -> {matched slots, how many of them required, score}: a case's best clause
   * per slot; title/summary pairs of adjacent query words add to the score. */
  function scorePlan(plan) {
    var matches = {};
    plan.slots.forEach(function (slot, s) {
      var best = {};
      slot.clauses.forEach(function (clause) {
        var lists = clause.terms.map(postings);
        Object.keys(lists[0]).forEach(function (position) {
          var total = 0;
          for (var l = 0; l < lists.length; l++) {
            var score = lists[l][position];
            if (score === undefined) return;
            total += score;
          }
          total = total * clause.weight / lists.length;
          if (!(best[position] >= total)) best[position] = total;
        });
      });
      Object.keys(best).forEach(function (position) {
        var m = matches[position] || (matches[position] = { slots: [], required: 0, score: 0 });
        m.slots.push(s);
        if (!slot.optional) m.required++;
        m.score += best[position];
      });
    });
    plan.pairs.forEach(function (pair) {
      var list = postings(pair);
      Object.keys(list).forEach(function (position) {
        if (matches[position]) matches[position].score += list[position];
      });
    });
    return matches;
  }

  /* Case positions -> {slots, score} for the current query; null for "no query" (browse);
   * undefined while the index or a shard the query needs is still loading. */
  function queryScores() {
    var text = state.q.trim();
    if (!text) return null;
    if (!search) return undefined;
    if (lastQuery.text === text) return lastQuery.scores;
    var plan = planQuery(text);
    if (plan.shards.some(function (k) { return !shardData[k]; })) return undefined;
    lastQuery = { text: text, plan: plan, scores: plan.slots.length ? scorePlan(plan) : null };
    return lastQuery.scores;
  }

  /* What the next update() waits for: the index, then the shards of the current query. */
  function loadForQuery() {
    return ensureIndex().then(function () {
      return loadShards(planQuery(state.q.trim()).shards);
    });
  }

  // For the browser tests: the same analysis and compound splitting as german.py.
  window.PraxisatlasKatalog = {
    ready: function () { return ensureIndex(); },
    analyse: function (text) { return analyse(text); },
    splitCompound: function (word) { return splitCompound(word); },
  };

  // --- "Meinten Sie …" and other ways on from an empty result -----------------------------

  /* The closest word form of the index (two edits at most) for a word without hits. */
  function suggestion(word) {
    var meta = search.meta, best = null, bestDistance = 3;
    for (var i = 0; i < meta.terms.length; i++) {
      var term = meta.terms[i];
      if (term.indexOf(" ") >= 0) continue;
      var form = meta.forms[i] || term;
      if (Math.abs(form.length - word.length) >= bestDistance) continue;
      var d = editDistance(word, form);
      if (d < bestDistance && d > 0) {
        best = form;
        bestDistance = d;
      }
    }
    return best;
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
    var order = sortOrder(scores);
    if (scores) {
      // Cases matching every required word of the query come first, whatever the sort.
      results.sort(function (a, b) {
        return scores[b].required - scores[a].required || order(a, b);
      });
    } else results.sort(order);
  }

  function sortOrder(scores) {
    var order;
    if (state.sort === "titel") order = byTitle;
    else if (state.sort === "geprueft") {
      order = function (a, b) {
        var x = data.cases[a][4], y = data.cases[b][4];
        return x !== y ? (x < y ? 1 : -1) : byTitle(a, b);
      };
    } else if (state.sort === "relevanz" && scores) {
      order = function (a, b) { return scores[b].score - scores[a].score || byTitle(a, b); };
    } else order = byNewest;
    return order;
  }

  function isPartial(position) {
    var scores = lastQuery.scores;
    return !!(state.q.trim() && scores && scores[position] &&
      scores[position].required < lastQuery.plan.required);
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
    if (isPartial(position)) {
      var slots = lastQuery.plan.slots;
      var found = lastQuery.scores[position].slots.map(function (s) { return "„" + slots[s].label + "“"; });
      item.classList.add("pa-treffer--teilweise");
      item.appendChild(el("p", "pa-treffer__teilweise",
        "Treffer für einzelne Suchwörter: " + found.join(", ")));
    }
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
    lastCounts = counts;
    if (!facetsBuilt) return;
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

  function countMessage(results, scores) {
    var total = results.length;
    var text = state.q.trim();
    var found = total === 0 ? "Keine Fälle gefunden" : casesWord(total) + " gefunden";
    if (text && scores) found += " für „" + text + "“";
    var partial = scores ? results.filter(isPartial).length : 0;
    if (partial === total && total) found += ", nur mit einzelnen Suchwörtern";
    else if (partial) found += ", davon " + partial + " nur mit einzelnen Suchwörtern";
    var active = facetNames.some(function (name) { return (state.filters[name] || []).length; });
    if (active) found += " (mit Filtern)";
    return found + ".";
  }

  var waitingForIndex = false;

  function link(text, href) {
    var a = el("a", null, text);
    a.href = href;
    return a;
  }

  /* An empty result is no dead end: a spelling the index knows, topics, Kreise and Länder
   * whose names contain a query word, and the way to propose a case. */
  function renderWaysOn(empty) {
    waysOn.textContent = "";
    waysOn.hidden = !empty;
    if (!empty) return;
    var text = state.q.trim();
    waysOn.appendChild(el("h3", "pa-weiter__titel", "So kommen Sie weiter"));
    var items = el("ul", "pa-weiter__liste");
    if (text && search) {
      var words = analyse(text);
      var changed = false;
      var corrected = text;
      words.forEach(function (w) {
        if (search.termIndex[w.stem] !== undefined) return;
        var better = suggestion(w.word);
        if (better) {
          corrected = corrected.replace(new RegExp(w.word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i"), better);
          changed = true;
        }
      });
      if (changed && corrected !== text) {
        var mean = el("li", "pa-weiter__meinten");
        mean.appendChild(document.createTextNode("Meinten Sie "));
        var a = link("„" + corrected + "“", urlFromState(Object.assign({}, state, { q: corrected })));
        a.setAttribute("data-meinten", corrected);
        mean.appendChild(a);
        mean.appendChild(document.createTextNode("?"));
        items.appendChild(mean);
      }
      var needles = text.toLocaleLowerCase("de").split(/[\s,]+/).filter(function (w) { return w.length >= 3; });
      var stems = words.map(function (w) { return w.stem; });
      [["thema", "themen/", "Thema"], ["kreis", "kreise/", "Kreis"], ["land", "laender/", "Land"]].forEach(function (spec) {
        var f = facetNames.indexOf(spec[0]);
        if (f < 0) return;
        data.facets[f].terms.forEach(function (term) {
          var label = term.l.toLocaleLowerCase("de");
          var hit = needles.some(function (n) { return label.indexOf(n) >= 0; }) ||
            analyse(term.l).some(function (w) { return stems.indexOf(w.stem) >= 0; });
          if (!hit) return;
          var li = el("li", "pa-weiter__eintrag");
          li.appendChild(document.createTextNode(spec[2] + ": "));
          li.appendChild(link(term.l, base + spec[1] + term.v + "/"));
          items.appendChild(li);
        });
      });
    }
    var active = facetNames.some(function (name) { return (state.filters[name] || []).length; });
    if (active) items.appendChild(el("li", null, "Entfernen Sie einzelne Filter oder setzen Sie alle Filter zurück."));
    // The line under the results (#pa-vorschlag) already offers to propose a case.
    if (!document.getElementById("pa-vorschlag")) {
      var propose = el("li", "pa-weiter__vorschlagen");
      propose.appendChild(document.createTextNode("Sie kennen einen passenden Fall? "));
      propose.appendChild(link("Fall vorschlagen", base + "mitmachen/"));
      items.appendChild(propose);
    }
    if (!items.children.length) {
      waysOn.hidden = true;
      return;
    }
    waysOn.appendChild(items);
  }


  function update() {
    var scores = queryScores();
    if (scores === undefined) {
      countEl.textContent = "Suchindex wird geladen …";
      if (!waitingForIndex) {
        waitingForIndex = true; // one update once it is there, however often someone typed
        loadForQuery().then(function () { waitingForIndex = false; update(); },
          function () {
            waitingForIndex = false;
            countEl.textContent = "Der Suchindex konnte nicht geladen werden. Filter funktionieren weiter.";
          });
      }
      return;
    }
    var outcome = compute(scores);
    renderResults(outcome.results);
    renderCounts(outcome.counts);
    renderActive();
    renderCompare();
    var message = countMessage(outcome.results, scores);
    renderWaysOn(outcome.results.length === 0);
    document.getElementById("pa-filter-fertig").textContent =
      outcome.results.length ? casesWord(outcome.results.length) + " anzeigen" : "Zu den Ergebnissen";
    if (countEl.textContent !== message) countEl.textContent = message;
    rendered = true;
    markReady();
  }

  /* Ready (for tests and the reserved space in katalog.css) once results and filters
   * are drawn. */
  function markReady() {
    if (rendered && facetsBuilt) root.setAttribute("data-bereit", "");
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
    data.facets.forEach(function (facet) {
      var name = facet.name;
      facetNames.push(name);
      termPosition[name] = {};
      facet.terms.forEach(function (term, p) { termPosition[name][term.v] = p; });
    });
  }

  /* The filter panel (hundreds of checkboxes at a few thousand cases) is built right
   * after the first results are drawn: the first answer does not wait for it, and on
   * phones the panel starts closed. */
  var facetsBuilt = false, rendered = false, lastCounts = null;

  function buildFacets() {
    if (facetsBuilt) return;
    var container = document.getElementById("pa-facetten");
    var fragment = document.createDocumentFragment();
    data.facets.forEach(function (facet, f) {
      var totals = facet.terms.map(function () { return 0; });
      data.cases.forEach(function (doc) {
        doc[5][f].forEach(function (p) { totals[p] += 1; });
      });
      fragment.appendChild(buildFacet(facet, totals));
    });
    container.appendChild(fragment);
    facetsBuilt = true;
    stateToUi();
    if (lastCounts) renderCounts(lastCounts);
    markReady();
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
    // Form, filter button and sorting are shown from the first frame (katalog.css).
    stateToUi();
    bind();
    update();
    // After the browser has drawn the first results (a frame, then a task).
    window.requestAnimationFrame(function () { window.setTimeout(buildFacets, 0); });
    window.setTimeout(buildFacets, 200); // in case no frame is drawn (a hidden tab)
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
