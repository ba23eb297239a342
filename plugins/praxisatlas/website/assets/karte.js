/*
 * Praxisatlas – map page (/karte/): a caption for the Kreis under the pointer or keyboard
 * focus, zoom to a Land, a sortable table, and the catalogue's filters.
 *
 * Filters come in the URL with the catalogue's own parameter names (?thema=…&status=…,
 * thema-verknuepfung=alle); they are applied to the catalogue's data file
 * (../katalog/faelle.json, OR within a facet, AND across facets, as in the catalogue), and
 * the map, its accessible names, the legend and the table are recounted. Without
 * JavaScript the page shows every case. Text is only ever set with textContent.
 */
(function () {
  "use strict";

  var svg = document.getElementById("pa-karte-svg");
  if (!svg || !window.URLSearchParams) return;
  var info = document.getElementById("pa-karte-info");
  var table = document.getElementById("pa-karte-tabelle");
  var filterBox = document.getElementById("pa-karte-filter");
  var legendList = document.getElementById("pa-karte-legende");
  var zoom = document.getElementById("pa-karte-land");
  var SVG_NS = "http://www.w3.org/2000/svg";
  var KREIS_ID = /^k(\d{5})$/;
  var filtered = false;

  function number(n) { return String(n).replace(/\B(?=(\d{3})+$)/g, "."); }
  function casesWord(n) { return n === 1 ? "1 Fall" : number(n) + " Fälle"; }

  // --- the Kreise of the map: <a id="k…"> with cases, <path id="k…"> without -------------

  var kreise = {};
  Array.prototype.forEach.call(svg.querySelectorAll("[id]"), function (el) {
    var match = KREIS_ID.exec(el.id);
    if (!match) return;
    var title = el.querySelector("title");
    var text = title.textContent;
    var cut = text.lastIndexOf(": ");
    kreise[match[1]] = {
      path: el.tagName.toLowerCase() === "path" ? el : el.querySelector("path"),
      title: title,
      name: text.slice(0, cut),
      count: parseInt(text.slice(cut + 2).replace(/\./g, ""), 10) || 0
    };
  });

  function kreisOf(node) {
    while (node && node !== svg) {
      var match = node.id ? KREIS_ID.exec(node.id) : null;
      if (match) return match[1];
      node = node.parentNode;
    }
    return null;
  }

  // --- caption and focus outline (drawn last, so no neighbour covers it) ------------------

  function overlay(cls) {
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("class", cls);
    path.setAttribute("aria-hidden", "true");
    svg.appendChild(path);
    return path;
  }
  var outlines = [overlay("pa-karte__fokus-rand"), overlay("pa-karte__fokus")];
  var HINT = "Zeigen Sie auf einen Kreis oder gehen Sie mit der Tabulatortaste zu einem " +
    "Kreis mit Fällen: Hier steht dann sein Name und die Zahl seiner Fälle.";

  function show(ags) {
    var kreis = ags ? kreise[ags] : null;
    outlines.forEach(function (p) {
      if (kreis) p.setAttribute("d", kreis.path.getAttribute("d"));
      else p.removeAttribute("d");
    });
    info.textContent = kreis
      ? kreis.name + ": " + casesWord(kreis.count) + (filtered ? " (gefiltert)" : "")
      : HINT;
  }
  info.hidden = false;
  show(null);
  // Listeners sit on the HTML wrapper: Chromium makes an SVG element with focus listeners
  // a tab stop of its own.
  var wrapper = svg.parentNode;
  wrapper.addEventListener("mouseover", function (event) { show(kreisOf(event.target)); });
  wrapper.addEventListener("focusin", function (event) { show(kreisOf(event.target)); });
  wrapper.addEventListener("click", function (event) { show(kreisOf(event.target)); });
  svg.addEventListener("mouseleave", function () { show(kreisOf(document.activeElement)); });
  wrapper.addEventListener("focusout", function () { show(null); });

  // --- zoom to a Land -----------------------------------------------------------------------

  if (zoom) {
    zoom.parentNode.hidden = false;
    zoom.addEventListener("change", function () { svg.setAttribute("viewBox", zoom.value); });
  }

  // --- sortable table -----------------------------------------------------------------------

  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  var sortColumn = 2;
  var sortDescending = true;

  function cellValue(row, column) {
    var text = row.cells[column].textContent;
    return column === 2 ? parseInt(text.replace(/\./g, ""), 10) : text;
  }

  function sortRows() {
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, sortColumn);
      var y = cellValue(b, sortColumn);
      var order = sortColumn === 2 ? x - y : x.localeCompare(y, "de");
      if (sortDescending) order = -order;
      return order || cellValue(a, 0).localeCompare(cellValue(b, 0), "de");
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(heads, function (th, column) {
      if (column === sortColumn) {
        th.setAttribute("aria-sort", sortDescending ? "descending" : "ascending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
  }

  Array.prototype.forEach.call(heads, function (th, column) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      sortDescending = column === sortColumn ? !sortDescending : column === 2;
      sortColumn = column;
      sortRows();
    });
  });
  heads[sortColumn].setAttribute("aria-sort", "descending");

  // --- the catalogue's filters --------------------------------------------------------------

  var params = new URLSearchParams(window.location.search);
  var anyParam = false;
  params.forEach(function () { anyParam = true; });
  if (!anyParam || !window.fetch) return;

  // [low, high, level] as map_page.shades() makes them: few ranges take the darkest levels.
  function shades(maximum) {
    var result = [[0, 0, 0]];
    var steps = Math.min(4, maximum);
    var low = 1;
    for (var step = 1; step <= steps; step++) {
      var high = Math.ceil(maximum * step / steps);
      result.push([low, high, step + 4 - steps]);
      low = high + 1;
    }
    return result;
  }

  function recolour(counts) {
    var maximum = 0;
    Object.keys(kreise).forEach(function (ags) { maximum = Math.max(maximum, counts[ags] || 0); });
    var legend = shades(maximum);
    Object.keys(kreise).forEach(function (ags) {
      var kreis = kreise[ags];
      kreis.count = counts[ags] || 0;
      var level = 0;
      legend.forEach(function (range) {
        if (kreis.count >= range[0] && kreis.count <= range[1]) level = range[2];
      });
      kreis.path.setAttribute("class", "s" + level);
      kreis.title.textContent = kreis.name + ": " + casesWord(kreis.count);
    });
    Array.prototype.forEach.call(legendList.children, function (item) {
      var level = parseInt(item.getAttribute("data-stufe"), 10);
      var range = legend.filter(function (r) { return r[2] === level; })[0];
      item.hidden = !range;
      if (range) {
        item.lastChild.textContent = range[0] === range[1]
          ? casesWord(range[0])
          : number(range[0]) + " bis " + number(range[1]) + " Fälle";
      }
    });
    Array.prototype.forEach.call(body.rows, function (row) {
      var count = counts[row.getAttribute("data-ags")] || 0;
      row.cells[2].textContent = number(count);
      row.hidden = count === 0;
    });
    table.caption.textContent = "Fälle je Kreis (gefiltert; Kreise mit passenden Fällen)";
    sortRows();
  }

  function describe(labels, total, kreisCount) {
    filterBox.textContent = "";
    var text = document.createElement("p");
    text.appendChild(document.createTextNode("Gefiltert wie im Katalog – "));
    var strong = document.createElement("strong");
    strong.textContent = labels.join("; ");
    text.appendChild(strong);
    text.appendChild(document.createTextNode(
      ": " + casesWord(total) + " in " + (kreisCount === 1 ? "1 Kreis" : number(kreisCount) + " Kreisen") + "."
    ));
    var query = (params.get("q") || "").trim();
    if (query) {
      text.appendChild(document.createTextNode(
        " Der Suchbegriff „" + query + "“ wirkt nur im Katalog; die Karte zählt alle Fälle zu diesen Filtern."
      ));
    }
    filterBox.appendChild(text);
    var links = document.createElement("p");
    var all = document.createElement("a");
    all.href = window.location.pathname;
    all.textContent = "Alle Fälle zeigen";
    var back = document.createElement("a");
    back.href = "../katalog/" + window.location.search;
    back.textContent = "Diese Auswahl im Katalog öffnen";
    links.appendChild(all);
    links.appendChild(document.createTextNode(" · "));
    links.appendChild(back);
    filterBox.appendChild(links);
    filterBox.hidden = false;
  }

  function apply(data) {
    var names = data.facets.map(function (facet) { return facet.name; });
    var kreisFacet = names.indexOf("kreis");
    var topicFacet = names.indexOf("thema");
    var topicsAll = params.get("thema-verknuepfung") === "alle";
    var labels = [];
    var selected = data.facets.map(function (facet, f) {
      var position = {};
      facet.terms.forEach(function (term, i) { position[term.v] = i; });
      var values = params.getAll(facet.name).filter(function (v, i, all) {
        return position[v] !== undefined && all.indexOf(v) === i;
      });
      if (values.length) {
        labels.push(facet.label + ": " + values.map(function (v) {
          return facet.terms[position[v]].l;
        }).join(f === topicFacet && topicsAll ? " und " : " oder "));
      }
      return values.map(function (v) { return position[v]; });
    });
    if (!labels.length || kreisFacet < 0) return;
    var counts = {};
    var total = 0;
    data.cases.forEach(function (doc) {
      var values = doc[5];
      for (var f = 0; f < selected.length; f++) {
        if (!selected[f].length) continue;
        var has = function (p) { return values[f].indexOf(p) >= 0; };
        var ok = f === topicFacet && topicsAll ? selected[f].every(has) : selected[f].some(has);
        if (!ok) return;
      }
      total += 1;
      values[kreisFacet].forEach(function (p) {
        var ags = data.facets[kreisFacet].terms[p].v;
        counts[ags] = (counts[ags] || 0) + 1;
      });
    });
    filtered = true;
    recolour(counts);
    describe(labels, total, Object.keys(counts).length);
    show(null);
  }

  window.fetch("../katalog/faelle.json").then(function (response) {
    if (!response.ok) throw new Error(response.status);
    return response.json();
  }).then(apply).catch(function () {
    filterBox.textContent = "Die Filter aus dem Katalog konnten nicht geladen werden; " +
      "die Karte zeigt alle Fälle.";
    filterBox.hidden = false;
  });
})();
