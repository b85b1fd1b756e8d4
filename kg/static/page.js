/* kg graph page. Every name and sentence goes into the DOM as text
   (textContent / createTextNode); nothing from the data is parsed as HTML. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var N = D.nodes, E = D.edges, A = D.articles;
  var FONT = getComputedStyle(document.body).fontFamily;
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }
  function span(range) {
    if (!range[0] && !range[1]) return "";
    return range[0] === range[1] || !range[1] ? (range[0] || range[1]) : (range[0] || "?") + " – " + range[1];
  }

  var colourOf = {}, typeOn = {};
  D.types.forEach(function (t) { colourOf[t.t] = t.c; typeOn[t.t] = true; });
  var adj = N.map(function () { return []; });
  E.forEach(function (e, i) { adj[e.s].push(i); if (e.t !== e.s) adj[e.t].push(i); });
  adj.forEach(function (list) { list.sort(function (a, b) { return E[b].w - E[a].w; }); });

  /* ---- vis data ---- */
  var EDGE = { color: "#b5b5b5", highlight: "#333333", hover: "#666666", opacity: 0.8 };
  var EDGE_DIM = { color: "#eeeeee", highlight: "#333333", hover: "#999999", opacity: 0.5 };
  var NODE_DIM = { background: "#e9e9e9", border: "#d5d5d5", highlight: { background: "#e9e9e9", border: "#999" }, hover: { background: "#e9e9e9", border: "#bbb" } };
  function nodeColour(t) {
    var c = colourOf[t] || "#7f7f7f";
    return { background: c, border: "#ffffff", highlight: { background: c, border: "#111111" }, hover: { background: c, border: "#444444" } };
  }
  var nodes = new vis.DataSet(N.map(function (n, i) {
    return { id: i, label: n.l, size: n.sz, color: nodeColour(n.t), font: { color: "#222222" } };
  }));
  var edges = new vis.DataSet(E.map(function (e, i) {
    return { id: i, from: e.s, to: e.t, width: e.wi, color: EDGE };
  }));

  var big = N.length > 150;
  var options = {
    autoResize: true,
    nodes: { shape: "dot", borderWidth: 1.5, borderWidthSelected: 3,
             font: { face: FONT, size: 14, strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: { smooth: big ? false : { type: "continuous" }, selectionWidth: 2, hoverWidth: 1 },
    layout: { randomSeed: 7, improvedLayout: N.length <= 100 },
    physics: {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -70, centralGravity: 0.01, springLength: 110, springConstant: 0.06, avoidOverlap: 0.4 },
      maxVelocity: 60, minVelocity: 1, timestep: 0.5,
      stabilization: { enabled: true, iterations: N.length > 1000 ? 150 : N.length > 200 ? 250 : 400, updateInterval: 25, fit: true }
    },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: E.length > 3000,
                   keyboard: false, multiselect: false, selectConnectedEdges: false }
  };
  var network = new vis.Network($("kg-graph"), { nodes: nodes, edges: edges }, options);
  window.network = network;

  function ready() {
    if (window.kgReady) return;
    network.setOptions({ physics: false });
    $("kg-progress").hidden = true;
    window.kgReady = true;
    document.body.setAttribute("data-ready", "1");
  }
  network.on("stabilizationProgress", function (p) {
    $("kg-progress").textContent = "laying out… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", ready);
  network.once("stabilized", ready);
  if (!N.length) ready();

  /* ---- tooltips: DOM elements, built on first hover ---- */
  var tipped = { n: {}, e: {} };
  function nodeTip(i) {
    var n = N[i], box = el("div");
    box.appendChild(el("div", "kg-tip-title", n.n));
    box.appendChild(el("div", null, n.t + (n.r.length ? " · " + n.r.join("、") : "")));
    box.appendChild(el("div", null, "mentions " + fmt(n.m) + " · articles " + fmt(n.a) + " · links " + fmt(adj[i].length)));
    return box;
  }
  function edgeTip(i) {
    var e = E[i], box = el("div");
    box.appendChild(el("div", "kg-tip-title", N[e.s].n + " — " + N[e.t].n));
    box.appendChild(el("div", null, "weight " + fmt(e.w) + " · articles " + fmt(e.a) + (e.p === null ? "" : " · npmi " + e.p)));
    e.ev.slice(0, 2).forEach(function (ev) {
      var s = ev.x.length > 140 ? ev.x.slice(0, 139) + "…" : ev.x;
      box.appendChild(el("div", "kg-tip-sentence", "“" + s + "”"));
    });
    return box;
  }
  network.on("hoverNode", function (p) {
    if (!tipped.n[p.node]) { tipped.n[p.node] = 1; nodes.update({ id: p.node, title: nodeTip(p.node) }); }
  });
  network.on("hoverEdge", function (p) {
    if (!tipped.e[p.edge]) { tipped.e[p.edge] = 1; edges.update({ id: p.edge, title: edgeTip(p.edge) }); }
  });

  /* ---- filters: type, minimum weight, dates ---- */
  var weights = Array.from(new Set(E.map(function (e) { return e.w; }))).sort(function (a, b) { return a - b; });
  var minW = weights.length ? weights[0] : 0;
  var dates = D.dates, dFrom = 0, dTo = Math.max(dates.length - 1, 0);
  var nodeShown = N.map(function () { return true; }), edgeShown = E.map(function () { return true; });

  function inDates(d0, d1) {
    if (dates.length < 2 || (dFrom === 0 && dTo === dates.length - 1)) return true;
    if (!d0 && !d1) return false;
    var a = d0 || d1, b = d1 || d0;
    return !(b < dates[dFrom] || a > dates[dTo]);
  }
  function applyFilters() {
    var nu = [], eu = [], hiddenN = 0, hiddenE = 0;
    N.forEach(function (n, i) {
      var show = typeOn[n.t] && inDates(n.d0, n.d1);
      if (!show) hiddenN++;
      if (show !== nodeShown[i]) { nodeShown[i] = show; nu.push({ id: i, hidden: !show }); }
    });
    E.forEach(function (e, i) {
      var show = nodeShown[e.s] && nodeShown[e.t] && e.w >= minW && inDates(e.d0, e.d1);
      if (!show) hiddenE++;
      if (show !== edgeShown[i]) { edgeShown[i] = show; eu.push({ id: i, hidden: !show }); }
    });
    if (nu.length) nodes.update(nu);
    if (eu.length) edges.update(eu);
    if ((current.n !== null && !nodeShown[current.n]) || (current.e !== null && !edgeShown[current.e])) clearSelection();
    status(hiddenN, hiddenE);
  }
  function status(hiddenN, hiddenE) {
    var s = "showing " + fmt(D.shown_nodes) + " of " + fmt(D.total_nodes) + " nodes";
    if (D.hidden_nodes) s += " (" + fmt(D.hidden_nodes) + " hidden: smaller weighted degree)";
    s += " · " + fmt(D.shown_edges) + " links";
    if (hiddenN || hiddenE) s += " · filtered out: " + fmt(hiddenN) + " nodes, " + fmt(hiddenE) + " links";
    $("kg-status").textContent = s;
  }

  var legend = $("kg-legend");
  D.types.forEach(function (t) {
    var label = el("label"), box = el("input"), sw = el("span", "kg-swatch");
    box.type = "checkbox"; box.checked = true; box.setAttribute("data-type", t.t);
    sw.style.background = t.c;
    label.appendChild(box); label.appendChild(sw); label.appendChild(el("span", "kg-name", t.t));
    label.appendChild(el("span", "kg-count", t.all > t.n ? fmt(t.n) + " / " + fmt(t.all) : fmt(t.n)));
    label.title = fmt(t.n) + " shown of " + fmt(t.all) + " in the graph";
    box.addEventListener("change", function () { typeOn[t.t] = box.checked; applyFilters(); });
    legend.appendChild(label);
  });

  var wInput = $("kg-weight");
  wInput.max = String(Math.max(weights.length - 1, 0));
  wInput.disabled = weights.length < 2;
  $("kg-weight-value").textContent = String(minW);
  wInput.addEventListener("input", function () {
    minW = weights[Number(wInput.value)] || 0;
    $("kg-weight-value").textContent = String(minW);
    applyFilters();
  });

  if (dates.length >= 2) {
    var fIn = $("kg-date-from"), tIn = $("kg-date-to");
    fIn.max = tIn.max = String(dates.length - 1);
    tIn.value = String(dates.length - 1);
    var showDates = function () { $("kg-date-value").textContent = dates[dFrom] + " – " + dates[dTo]; };
    var onDate = function (ev) {
      dFrom = Number(fIn.value); dTo = Number(tIn.value);
      if (dFrom > dTo) { if (ev.target === fIn) { dTo = dFrom; tIn.value = fIn.value; } else { dFrom = dTo; fIn.value = tIn.value; } }
      showDates(); applyFilters();
    };
    fIn.addEventListener("input", onDate); tIn.addEventListener("input", onDate);
    showDates();
    $("kg-dates-wrap").hidden = false;
  }

  /* ---- selection, dimming and the side panel ---- */
  var current = { n: null, e: null };
  var dimN = N.map(function () { return false; }), dimE = E.map(function () { return false; });
  function dim(keepN, keepE) {  /* null: undim everything */
    var nu = [], eu = [];
    N.forEach(function (n, i) {
      var d = keepN !== null && !keepN[i];
      if (d !== dimN[i]) { dimN[i] = d; nu.push({ id: i, color: d ? NODE_DIM : nodeColour(n.t), font: { color: d ? "#c4c4c4" : "#222222" } }); }
    });
    E.forEach(function (e, i) {
      var d = keepE !== null && !keepE[i];
      if (d !== dimE[i]) { dimE[i] = d; eu.push({ id: i, color: d ? EDGE_DIM : EDGE }); }
    });
    if (nu.length) nodes.update(nu);
    if (eu.length) edges.update(eu);
  }
  var panel = $("kg-panel");
  function clearPanel() {
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    panel.scrollTop = 0;
  }
  function clearSelection() {
    current.n = current.e = null;
    network.unselectAll();
    dim(null, null);
    clearPanel();
    panel.appendChild(el("p", "kg-hint", "Click a node or a link."));
  }
  function linkButton(text, onclick) {
    var b = el("button", "kg-link", text);
    b.type = "button";
    b.addEventListener("click", onclick);
    return b;
  }
  function articleItem(idx, fallbackTitle, fallbackDate) {
    var a = idx === null || idx === undefined ? null : A[idx];
    var li = el("li");
    li.appendChild(el("span", null, (a && a[1]) || fallbackTitle || (a && a[0]) || "(untitled)"));
    var d = (a && a[2]) || fallbackDate;
    if (d) li.appendChild(el("span", "kg-date", d));
    return li;
  }

  function showNode(i) {
    var n = N[i], keepN = {}, keepE = {};
    current.n = i; current.e = null;
    keepN[i] = true;
    adj[i].forEach(function (k) { keepE[k] = true; keepN[E[k].s] = true; keepN[E[k].t] = true; });
    dim(keepN, keepE);
    clearPanel();
    panel.setAttribute("data-kind", "node");
    panel.appendChild(el("h2", null, n.n));
    var meta = el("div", "kg-meta"), badge = el("span", "kg-badge", n.t);
    badge.style.background = colourOf[n.t] || "#7f7f7f";
    meta.appendChild(badge);
    if (n.b) meta.appendChild(el("span", "kg-badge", "reporter")).style.background = "#555";
    meta.appendChild(el("span", null, "mentions " + fmt(n.m) + " · articles " + fmt(n.a) + " · weighted degree " + fmt(n.wd)));
    panel.appendChild(meta);
    if (n.d0 || n.d1) panel.appendChild(el("div", "kg-meta", span([n.d0, n.d1])));
    if (n.r.length) { panel.appendChild(el("h3", null, "Roles")); panel.appendChild(el("div", null, n.r.join("、"))); }
    if (n.al.length) { panel.appendChild(el("h3", null, "Aliases")); panel.appendChild(el("div", null, n.al.join("、"))); }
    if (n.ar.length) {
      panel.appendChild(el("h3", null, "Articles" + (n.a > n.ar.length ? " (latest " + n.ar.length + " of " + fmt(n.a) + ")" : "")));
      var ul = el("ul", "kg-articles");
      n.ar.forEach(function (k) { ul.appendChild(articleItem(k)); });
      panel.appendChild(ul);
    }
    panel.appendChild(el("h3", null, "Strongest links"));
    if (!adj[i].length) panel.appendChild(el("div", "kg-hint", "No links among the nodes shown."));
    var links = el("ul", "kg-links");
    adj[i].slice(0, 12).forEach(function (k) {
      var e = E[k], j = e.s === i ? e.t : e.s, li = el("li");
      li.appendChild(linkButton(N[j].n, function () { selectNode(j, true); }));
      li.appendChild(el("span", "kg-date", N[j].t + " · weight " + fmt(e.w) + " "));
      li.appendChild(linkButton("evidence", function () { selectEdge(k); }));
      links.appendChild(li);
    });
    panel.appendChild(links);
  }

  function marked(text, terms) {
    var frag = document.createDocumentFragment(), buf = "", i = 0;
    function flush() { if (buf) { frag.appendChild(document.createTextNode(buf)); buf = ""; } }
    while (i < text.length) {
      var hit = null;
      for (var k = 0; k < terms.length; k++) if (text.startsWith(terms[k], i)) { hit = terms[k]; break; }
      if (hit) { flush(); var m = el("mark"); m.appendChild(document.createTextNode(hit)); frag.appendChild(m); i += hit.length; }
      else { buf += text[i]; i++; }
    }
    flush();
    return frag;
  }
  function showEdge(k) {
    var e = E[k], a = N[e.s], b = N[e.t], keepN = {}, keepE = {};
    current.e = k; current.n = null;
    keepN[e.s] = keepN[e.t] = true; keepE[k] = true;
    dim(keepN, keepE);
    clearPanel();
    panel.setAttribute("data-kind", "edge");
    var h = el("h2");
    h.appendChild(linkButton(a.n, function () { selectNode(e.s, true); }));
    h.appendChild(document.createTextNode(" — "));
    h.appendChild(linkButton(b.n, function () { selectNode(e.t, true); }));
    panel.appendChild(h);
    panel.appendChild(el("div", "kg-meta", a.t + " — " + b.t + " · weight " + fmt(e.w) + " · articles " + fmt(e.a) + (e.p === null ? "" : " · npmi " + e.p)));
    if (e.d0 || e.d1) panel.appendChild(el("div", "kg-meta", span([e.d0, e.d1])));
    panel.appendChild(el("h3", null, "Evidence"));
    if (!e.ev.length) panel.appendChild(el("div", "kg-hint", "No evidence sentences stored."));
    var terms = [a.n].concat(a.al, [b.n], b.al).filter(function (t, idx, all) { return t && all.indexOf(t) === idx; })
      .sort(function (x, y) { return y.length - x.length; });
    e.ev.forEach(function (ev) {
      var q = el("blockquote", "kg-evidence");
      q.appendChild(marked(ev.x, terms));
      panel.appendChild(q);
      var src = el("div", "kg-source"), item = articleItem(ev.ar, ev.ti, ev.d);
      while (item.firstChild) src.appendChild(item.firstChild);
      panel.appendChild(src);
    });
  }

  function selectNode(i, focus) {
    var n = N[i];
    if (!nodeShown[i]) {  /* reveal a node the filters hide */
      typeOn[n.t] = true;
      var box = legend.querySelector('input[data-type="' + CSS.escape(n.t) + '"]');
      if (box) box.checked = true;
      if (!inDates(n.d0, n.d1)) { dFrom = 0; dTo = Math.max(dates.length - 1, 0); $("kg-date-from").value = "0"; $("kg-date-to").value = String(dTo); }
      applyFilters();
    }
    network.selectNodes([i], false);
    showNode(i);
    if (focus) network.focus(i, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 400, easingFunction: "easeInOutQuad" } });
  }
  function selectEdge(k) {
    network.selectEdges([k]);
    showEdge(k);
  }
  network.on("click", function (p) {
    if (p.nodes.length) selectNode(p.nodes[0], false);
    else if (p.edges.length) selectEdge(p.edges[0]);
    else clearSelection();
  });

  /* ---- search: name, alias, full pinyin or initials ---- */
  function norm(s) { return String(s).toLowerCase().replace(/[\s'’·・\-_.]/g, ""); }
  var normNames = N.map(function (n) { return norm(n.n); });
  var normAliases = N.map(function (n) { return n.al.map(norm); });
  function search(query) {
    var q = norm(query), ascii = /^[a-z0-9]+$/.test(q), found = [];
    if (!q) return found;
    N.forEach(function (n, i) {
      var name = normNames[i], s = -1;
      if (name === q) s = 100;
      else if (name.startsWith(q)) s = 80;
      else if (name.indexOf(q) >= 0) s = 60;
      normAliases[i].forEach(function (al) { if (al === q) s = Math.max(s, 70); else if (al.indexOf(q) >= 0) s = Math.max(s, 45); });
      if (ascii) {
        if (n.py === q) s = Math.max(s, 95);
        else if (n.pi === q) s = Math.max(s, 90);
        else if (n.py.startsWith(q)) s = Math.max(s, 75);
        else if (n.pi.startsWith(q)) s = Math.max(s, 65);
        else if (n.py.indexOf(q) >= 0) s = Math.max(s, 40);
      }
      if (s >= 0) found.push([s, n.wd, i]);
    });
    found.sort(function (x, y) { return y[0] - x[0] || y[1] - x[1] || x[2] - y[2]; });
    return found.slice(0, 12).map(function (f) { return f[2]; });
  }
  var input = $("kg-search"), results = $("kg-results"), hits = [], active = 0;
  function renderResults() {
    while (results.firstChild) results.removeChild(results.firstChild);
    hits.forEach(function (i, k) {
      var li = el("li", k === active ? "kg-active" : null);
      li.setAttribute("role", "option");
      li.appendChild(el("span", null, N[i].n));
      li.appendChild(el("span", "kg-sub", N[i].t + " · " + N[i].py));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(i); });
      results.appendChild(li);
    });
    if (!hits.length && norm(input.value)) results.appendChild(el("li", "kg-sub", "no match among the nodes shown"));
    results.hidden = !input.value.trim();
  }
  function pick(i) {
    results.hidden = true;
    input.value = N[i].n;
    selectNode(i, true);
  }
  input.addEventListener("input", function () { hits = search(input.value); active = 0; renderResults(); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (hits.length) { active = (active + (ev.key === "ArrowDown" ? 1 : hits.length - 1)) % hits.length; renderResults(); }
      ev.preventDefault();
    } else if (ev.key === "Enter") {
      hits = search(input.value);
      if (hits.length) pick(hits[Math.min(active, hits.length - 1)]);
      ev.preventDefault();
    } else if (ev.key === "Escape") { results.hidden = true; }
  });
  input.addEventListener("blur", function () { results.hidden = true; });

  status(0, 0);
  window.kg = { data: D, search: search, selectNode: selectNode, selectEdge: selectEdge, clearSelection: clearSelection };
})();
