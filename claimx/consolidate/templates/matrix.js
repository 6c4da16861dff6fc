"use strict";
(function () {
  const D = JSON.parse(document.getElementById("matrix-data").textContent);
  const STANCES = D.stances;
  const MARK = { supports: "✓", refutes: "✗", uncertain: "?" };
  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) if (c != null) node.append(c);
    return node;
  };

  // Derived per group once: sources, outlets and the lower-case text the search reads.
  const outletOf = (a) => D.articles[a].outlet || D.articles[a].id;
  for (const g of D.groups) {
    g.sourceSet = new Set(g.cells.map((c) => c.s));
    g.outlets = new Set(g.a.map(outletOf));
    g.nClaims = g.cells.reduce((n, c) => n + c.ev.length, 0);
  }
  const haystack = (g) => {
    if (g.hay === undefined) {
      const parts = [g.p, ...g.variants];
      for (const c of g.cells) {
        parts.push(D.sources[c.s].name);
        for (const e of c.ev) parts.push(e[2], e[6]);
      }
      g.hay = parts.join("\n").toLowerCase();
    }
    return g.hay;
  };

  const state = {
    q: "", minArticles: D.initial.minArticles, minSources: D.initial.minSources,
    speaker: "", outlet: "", groupBy: D.initial.groupBy, maxCols: 20, page: 0, pageSize: 50,
  };

  function columnKey(s) {
    const src = D.sources[s];
    if (state.groupBy === "source") return "s:" + s;
    if (state.groupBy === "organisation") return src.org || src.country || src.name;
    return src.country || src.org || "Unaffiliated";
  }

  function filtered() {
    const terms = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    const speaker = state.speaker === "" ? null : Number(state.speaker);
    return D.groups.filter((g) =>
      g.a.length >= state.minArticles && g.cells.length >= state.minSources &&
      (speaker === null || g.sourceSet.has(speaker)) &&
      (state.outlet === "" || g.outlets.has(state.outlet)) &&
      terms.every((t) => haystack(g).includes(t)));
  }

  function columns(rows) {
    const cols = new Map();
    for (const g of rows) {
      const seen = new Set();
      for (const c of g.cells) {
        const key = columnKey(c.s);
        let col = cols.get(key);
        if (!col) {
          const label = state.groupBy === "source" ? D.sources[c.s].name : key;
          col = { key, label, members: new Map(), rows: 0 };
          cols.set(key, col);
        }
        col.members.set(c.s, (col.members.get(c.s) || 0) + 1);
        if (!seen.has(key)) { seen.add(key); col.rows += 1; }
      }
    }
    const sorted = [...cols.values()].sort((a, b) => b.rows - a.rows || a.label.localeCompare(b.label));
    const max = state.maxCols;
    if (!max || sorted.length <= max) return { shown: sorted, other: null };
    const other = { key: "\u0000other", label: `${sorted.length - max + 1} more`, members: new Map(), rows: 0, keys: new Set() };
    for (const col of sorted.slice(max - 1)) {
      other.keys.add(col.key);
      for (const [s, n] of col.members) other.members.set(s, n);
    }
    return { shown: sorted.slice(0, max - 1), other };
  }

  function cellItems(g, col) {
    return g.cells.filter((c) => (col.keys ? col.keys.has(columnKey(c.s)) : columnKey(c.s) === col.key));
  }

  function membersText(col) {
    if (state.groupBy === "source") return D.sources[[...col.members.keys()][0]].role;
    const names = [...col.members.entries()].sort((a, b) => b[1] - a[1]).map(([s]) => D.sources[s].name);
    return names.slice(0, 3).join(", ") + (names.length > 3 ? ` +${names.length - 3}` : "");
  }

  function cellButton(g, col, cells) {
    const counts = [0, 0, 0];
    for (const c of cells) for (const e of c.ev) counts[e[1]] += 1;
    const present = STANCES.filter((_, i) => counts[i] > 0);
    const kind = present.length > 1 ? "mixed" : present[0];
    const label = present.map((s) => `${s} ×${counts[STANCES.indexOf(s)]}`).join(", ");
    const btn = el("button", {
      type: "button", class: `cell cell-${kind}`, "data-stances": present.join(" "),
      "data-column": col.label, title: `${col.label}: ${label}`, "aria-label": `${col.label}: ${label}`,
    });
    if (present.length > 1) {
      // Stripes of exactly the stances taken, in the legend's colours.
      const bands = present.map((s, i) => `var(--${s}-bg) ${i * 6}px ${(i + 1) * 6}px`);
      btn.style.background = `repeating-linear-gradient(135deg, ${bands.join(", ")})`;
    }
    STANCES.forEach((s, i) => {
      if (counts[i]) btn.append(el("span", { class: `n n-${s}`, text: `${MARK[s]}${counts[i]}` }));
    });
    btn.addEventListener("click", () => openCell(g, col, cells, btn));
    return btn;
  }

  let current = [];
  function render(all) {
    const rows = filtered();
    current = rows;
    const pages = Math.max(1, Math.ceil(rows.length / state.pageSize));
    state.page = Math.min(state.page, pages - 1);
    const visible = all ? rows : rows.slice(state.page * state.pageSize, (state.page + 1) * state.pageSize);
    const { shown, other } = columns(rows);
    const cols = other ? [...shown, other] : shown;

    const head = el("tr", {}, el("th", { class: "prop", scope: "col", text: "Proposition" }));
    for (const col of cols) {
      head.append(el("th", { scope: "col", title: [...col.members.keys()].map((s) => D.sources[s].name).join(", ") },
        col.label, el("span", { class: "members", text: membersText(col) })));
    }
    const thead = $("matrix").tHead;
    thead.replaceChildren(head);

    const body = document.createDocumentFragment();
    for (const g of visible) {
      const propBtn = el("button", { type: "button", class: "prop-button" },
        el("span", { class: "prop-text", text: g.p }),
        el("span", { class: "prop-meta", text: `${g.a.length} article${g.a.length === 1 ? "" : "s"} · ${g.cells.length} source${g.cells.length === 1 ? "" : "s"} · ${g.nClaims} claim${g.nClaims === 1 ? "" : "s"}` }));
      propBtn.addEventListener("click", () => openGroup(g));
      const tr = el("tr", { id: g.id }, el("th", { scope: "row" }, propBtn));
      for (const col of cols) {
        const cells = cellItems(g, col);
        tr.append(el("td", {}, cells.length ? cellButton(g, col, cells) : null));
      }
      body.append(tr);
    }
    const tbody = $("matrix").tBodies[0];
    tbody.replaceChildren(body);
    if (!rows.length) tbody.append(el("tr", {}, el("td", { class: "empty", colspan: String(cols.length + 1), text: "No proposition matches these filters." })));

    const first = rows.length ? state.page * state.pageSize + 1 : 0;
    const last = all ? rows.length : Math.min(rows.length, (state.page + 1) * state.pageSize);
    $("status").textContent = `${rows.length} of ${D.groups.length} propositions match` +
      ` (≥${state.minArticles} articles and ≥${state.minSources} sources${state.speaker !== "" ? ", speaker " + D.sources[Number(state.speaker)].name : ""}${state.outlet ? ", outlet " + state.outlet : ""}${state.q ? `, “${state.q}”` : ""}); ` +
      `${cols.length} columns${other ? ` (the last one joins ${other.keys.size} smaller ones)` : ""}.`;
    $("page-info").textContent = `rows ${first}–${last} of ${rows.length} · page ${state.page + 1} of ${pages}`;
    $("prev").disabled = state.page === 0;
    $("next").disabled = state.page >= pages - 1;
  }

  // --- the quotes panel ---------------------------------------------------------
  let selected = null;
  function quoteBlock(e) {
    const stance = STANCES[e[1]];
    const art = D.articles[e[0]];
    const where = (art.outlet ? `${art.outlet} · ` : "") + `article ${art.id} · characters ${e[3]}–${e[4]} · ` +
      (e[5] ? "direct quotation" : "indirect (reported speech)");
    const div = el("div", { class: `quote ${stance}` },
      el("span", { class: `stance ${stance}`, text: stance }),
      " ", el("span", { class: "dim small", text: `as named: ${e[6]}` }),
      el("blockquote", { text: `“${e[2]}”` }),
      el("div", { class: "meta", text: where }));
    if (e[7]) div.append(el("div", { class: "meta", text: `worded in this article: ${e[7]}` }));
    return div;
  }
  function sourceBlock(c) {
    const src = D.sources[c.s];
    const aff = [src.role, src.org, src.country].filter(Boolean).filter((v, i, a) => a.indexOf(v) === i).join(" · ");
    const block = el("section", { class: "source-block" }, el("h3", { text: src.name }, aff ? el("span", { class: "dim small", text: ` — ${aff}` }) : null));
    for (const e of c.ev) block.append(quoteBlock(e));
    return block;
  }
  function openPanel(title, sub, cells) {
    $("panel-title").textContent = title;
    $("panel-sub").textContent = sub;
    const body = $("panel-body");
    body.replaceChildren(...cells.map(sourceBlock));
    $("panel").hidden = false;
    $("panel-close").focus();
  }
  function openCell(g, col, cells, btn) {
    if (selected) selected.classList.remove("selected");
    selected = btn; btn.classList.add("selected");
    const articles = new Set(cells.flatMap((c) => c.ev.map((e) => e[0])));
    const n = cells.reduce((k, c) => k + c.ev.length, 0);
    openPanel(g.p, `${col.label}: ${n} quote${n === 1 ? "" : "s"} from ${articles.size} article${articles.size === 1 ? "" : "s"}`, cells);
  }
  function openGroup(g) {
    const sub = `${g.nClaims} quotes from ${g.a.length} articles, ${g.cells.length} sources` +
      (g.variants.length ? `. Also worded: ${g.variants.join(" · ")}` : "");
    openPanel(g.p, sub, g.cells);
  }
  function closePanel() {
    $("panel").hidden = true;
    if (selected) { selected.classList.remove("selected"); selected.focus(); selected = null; }
  }
  $("panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape" && !$("panel").hidden) closePanel(); });

  // --- controls -----------------------------------------------------------------
  const speakerSel = $("speaker");
  D.sources.map((s, i) => [s.name, i]).sort((a, b) => a[0].localeCompare(b[0]))
    .forEach(([name, i]) => speakerSel.append(el("option", { value: String(i), text: name })));
  const outletSel = $("outlet");
  [...new Set(D.articles.map((_, i) => outletOf(i)))].sort()
    .forEach((o) => outletSel.append(el("option", { value: o, text: o })));
  $("min-articles").value = state.minArticles;
  $("min-sources").value = state.minSources;
  $("group-by").value = state.groupBy;

  const reset = () => { state.page = 0; render(false); };
  let timer = 0;
  $("q").addEventListener("input", (ev) => { clearTimeout(timer); timer = setTimeout(() => { state.q = ev.target.value.trim(); reset(); }, 120); });
  const num = (v) => Math.max(1, parseInt(v, 10) || 1);
  $("min-articles").addEventListener("input", (ev) => { state.minArticles = num(ev.target.value); reset(); });
  $("min-sources").addEventListener("input", (ev) => { state.minSources = num(ev.target.value); reset(); });
  speakerSel.addEventListener("change", (ev) => { state.speaker = ev.target.value; reset(); });
  outletSel.addEventListener("change", (ev) => { state.outlet = ev.target.value; reset(); });
  $("group-by").addEventListener("change", (ev) => { state.groupBy = ev.target.value; reset(); });
  $("max-cols").addEventListener("change", (ev) => { state.maxCols = Number(ev.target.value); render(false); });
  $("page-size").addEventListener("change", (ev) => { state.pageSize = Number(ev.target.value); reset(); });
  $("prev").addEventListener("click", () => { state.page -= 1; render(false); $("scroller").scrollTop = 0; });
  $("next").addEventListener("click", () => { state.page += 1; render(false); $("scroller").scrollTop = 0; });
  // Printing shows every matching row, not only the current page.
  window.addEventListener("beforeprint", () => render(true));
  window.addEventListener("afterprint", () => render(false));
  render(false);
})();
