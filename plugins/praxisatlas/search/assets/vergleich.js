/*
 * Praxisatlas – compare page: 2–3 cases side by side (/katalog/vergleich/?ids=a,b,c).
 * Rows are facts, columns are cases; the table is built with textContent only.
 */
(function () {
  "use strict";

  var root = document.getElementById("pa-vergleich");
  if (!root || !window.fetch || !window.URLSearchParams) return;
  var status = document.getElementById("pa-vergleich-status");
  var target = document.getElementById("pa-vergleich-tabelle");
  var base = root.getAttribute("data-basis") || "../../";
  var MAX = 3;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function requestedIds() {
    var raw = new URLSearchParams(window.location.search).get("ids") || "";
    return raw.split(",").map(function (id) { return id.trim(); }).filter(function (id, i, all) {
      return id && all.indexOf(id) === i;
    });
  }

  function withoutUrl(ids, id) {
    var rest = ids.filter(function (other) { return other !== id; });
    return "?ids=" + rest.map(encodeURIComponent).join(",");
  }

  function render(data) {
    var ids = requestedIds();
    var unknown = ids.filter(function (id) { return !data.cases[id]; });
    ids = ids.filter(function (id) { return data.cases[id]; }).slice(0, MAX);
    var messages = [];
    if (unknown.length) messages.push("Nicht gefunden: " + unknown.join(", ") + ".");
    if (ids.length < 2) {
      messages.push("Wählen Sie im Katalog zwei oder drei Fälle mit „Vergleichen“ aus.");
    } else {
      messages.push(ids.length + " Fälle im Vergleich.");
    }
    status.textContent = messages.join(" ");
    target.textContent = "";
    if (!ids.length) return;

    var frame = el("div", "pa-tabelle-rahmen");
    frame.setAttribute("role", "region");
    frame.setAttribute("aria-labelledby", "pa-vergleich-titel");
    frame.tabIndex = 0;
    var table = el("table", "pa-vergleichstabelle");
    var caption = el("caption", null, "Vergleich von " + ids.length + (ids.length === 1 ? " Fall" : " Fällen"));
    caption.id = "pa-vergleich-titel";
    table.appendChild(caption);
    var head = el("thead");
    var row = el("tr");
    row.appendChild(el("th", null, "Angabe")).setAttribute("scope", "col");
    ids.forEach(function (id) {
      var th = el("th");
      th.setAttribute("scope", "col");
      var link = el("a", null, data.cases[id].t);
      link.href = base + data.cases[id].u;
      th.appendChild(link);
      var remove = el("a", "pa-entfernen", "Aus dem Vergleich entfernen");
      remove.href = withoutUrl(ids, id);
      remove.appendChild(el("span", "pa-sr", ": " + data.cases[id].t));
      th.appendChild(remove);
      row.appendChild(th);
    });
    head.appendChild(row);
    table.appendChild(head);
    var body = el("tbody");
    data.rows.forEach(function (label, r) {
      var tr = el("tr");
      tr.appendChild(el("th", null, label)).setAttribute("scope", "row");
      ids.forEach(function (id) {
        var value = data.cases[id].f[r];
        tr.appendChild(value ? el("td", null, value) : el("td", "pa-leer", "keine Angabe"));
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    frame.appendChild(table);
    target.appendChild(frame);
  }

  fetch(root.getAttribute("data-daten"))
    .then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    })
    .then(render)
    .catch(function () {
      status.textContent = "Die Vergleichsdaten konnten nicht geladen werden.";
    });
})();
