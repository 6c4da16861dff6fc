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
  // An article is named by its headline (its id on hover), or by its id when no text was given.
  const articleName = (a) => D.articles[a].title || D.articles[a].id;
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

  // --- the claim box: a claim in the reader's words, matched as claimx groups wordings ---
  // contentWords mirrors claimx.text.normalize.content_words under the GROUPING policy
  // (the corpus grouping's: metonyms and near synonyms folded, light stemming), whose
  // word lists the page carries as data (D.words, written from that policy), so only
  // the steps are repeated here. The score mirrors claimx.consolidate.grouping.similarity:
  // IDF-weighted Jaccard of the two sets, smoothed IDF over the page's wordings, unknown
  // words weighing 1, and a claim about a statement ("X is lying about ...", META_STEMS)
  // never matching one that is not. Two differences, on purpose: negation is set aside
  // (as the eval's MATCHING policy does: polarity is the stance's business), so "the US
  // was not involved" finds the row "the US was involved" and the page says its stances
  // read the other way round; and the numbers-and-dates anchors that block a merge in
  // the grouping are not checked. Folding differs from Python's in rare cases (casefold
  // turns "ß" into "ss", toLowerCase does not).
  const W = D.words;
  const spellings = W.spellings.map(([p, r, flags]) => [new RegExp(p, flags), r]);
  const wordPattern = new RegExp(W.word, "g");
  const stopWords = new Set(W.stop), negations = new Set(W.negations), metaStems = new Set(W.meta);
  function stem(word) {
    let w = word;
    for (const [suffix, replacement] of W.suffixes) {
      if (w.endsWith(suffix) && w.length - suffix.length >= W.minStem) {
        w = w.slice(0, w.length - suffix.length) + replacement;
        break;
      }
    }
    return w.endsWith("e") && w.length > 4 ? w.slice(0, -1) : w;
  }
  function contentWords(text) {
    let t = text.normalize("NFKD").replace(/\p{M}/gu, "").replace(/[’‘]/g, "'");
    for (const [pattern, replacement] of spellings) t = t.replace(pattern, replacement);
    t = t.toLowerCase();
    for (const [from, to] of W.contractions) t = t.split(from).join(to);
    const out = new Set();
    for (const w of t.match(wordPattern) || []) {
      if (negations.has(w)) { if (W.negation !== null) out.add(W.negation); }
      else if (Object.hasOwn(W.lexicon, w)) out.add(W.lexicon[w]);
      else if (!stopWords.has(w) && w.length > 1) out.add(stem(w));
    }
    return out;
  }
  window.claimxContentWords = (text) => [...contentWords(text)].sort();  // for the tests
  const claimTerms = (text) => {
    const words = contentWords(text);
    const negated = W.negation !== null && words.delete(W.negation);
    return { words, negated, meta: [...words].some((w) => metaStems.has(w)) };
  };
  let wordingTerms = null, idf = null;  // built on the first claim asked
  function prepareClaims() {
    wordingTerms = new Map();
    const df = new Map();
    let n = 0;
    for (const g of D.groups) {
      const terms = [...new Set([g.p, ...g.variants])].map(claimTerms);
      wordingTerms.set(g, terms);
      for (const t of terms) { n += 1; for (const w of t.words) df.set(w, (df.get(w) || 0) + 1); }
    }
    idf = new Map([...df].map(([w, d]) => [w, Math.log((n + 1) / (d + 1)) + 1]));
  }
  function similarity(a, b) {
    if (a.meta !== b.meta) return 0;
    let inter = 0, union = 0;
    for (const w of new Set([...a.words, ...b.words])) {
      const weight = idf.get(w) ?? 1;
      union += weight;
      if (a.words.has(w) && b.words.has(w)) inter += weight;
    }
    return union ? inter / union : 0;
  }
  let claimMatches = new Map();  // group -> {score, flipped}, closest first
  let closest = null;
  function matchClaim(text) {
    claimMatches = new Map();
    closest = null;
    const query = claimTerms(text);
    if (!query.words.size) return query;
    if (!wordingTerms) prepareClaims();
    const scored = [];
    for (const g of D.groups) {
      let best = null;
      for (const t of wordingTerms.get(g)) {
        const score = similarity(query, t);
        if (!best || score > best.score) best = { score, flipped: t.negated !== query.negated };
      }
      scored.push([g, best]);
    }
    scored.sort((a, b) => b[1].score - a[1].score);
    closest = scored[0] || null;
    const top = closest ? closest[1].score : 0;
    if (top < D.claimMatch.floor) return query;
    for (const [g, m] of scored) if (m.score >= D.claimMatch.near * top) claimMatches.set(g, m);
    return query;
  }

  const state = {
    claim: "", q: "", minArticles: D.initial.minArticles, minSources: D.initial.minSources,
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
    const rows = D.groups.filter((g) => !claimMatches.has(g) &&
      g.a.length >= state.minArticles && g.cells.length >= state.minSources &&
      (speaker === null || g.sourceSet.has(speaker)) &&
      (state.outlet === "" || g.outlets.has(state.outlet)) &&
      terms.every((t) => haystack(g).includes(t)));
    // The rows that state the asked claim come first, whatever the filters say.
    return [...claimMatches.keys(), ...rows];
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
      const match = claimMatches.get(g);
      if (match) {
        propBtn.append(el("span", { class: "match-note" }, `states your claim (similarity ${match.score.toFixed(2)})`,
          match.flipped ? el("span", { class: "polarity", text: " · worded the other way round: read supports as refuting your claim" }) : null));
      }
      propBtn.addEventListener("click", () => openGroup(g));
      const tr = el("tr", { id: g.id, class: match ? "claim-match" : "" }, el("th", { scope: "row" }, propBtn));
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
    const place = state.outlet ? (hasOutlets ? ", outlet " : ", article ") + outletChoices.get(state.outlet) : "";
    $("status").textContent = `${rows.length - claimMatches.size} of ${D.groups.length} propositions match` +
      ` (≥${state.minArticles} articles and ≥${state.minSources} sources${state.speaker !== "" ? ", speaker " + D.sources[Number(state.speaker)].name : ""}${place}${state.q ? `, “${state.q}”` : ""})` +
      `${claimMatches.size ? `, after the ${claimMatches.size} that state your claim` : ""}; ` +
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
    const where = ` · characters ${e[3]}–${e[4]} · ` + (e[5] ? "direct quotation" : "indirect (reported speech)");
    const div = el("div", { class: `quote ${stance}` },
      el("span", { class: `stance ${stance}`, text: stance }),
      " ", el("span", { class: "dim small", text: `as named: ${e[6]}` }),
      el("blockquote", { text: `“${e[2]}”` }),
      el("div", { class: "meta" }, art.outlet ? `${art.outlet} · ` : "",
        el("span", { class: "article-name", title: `article ${art.id}`, "data-article": art.id, text: articleName(e[0]) }),
        where));
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
  // On a phone the filters fold away: the claim box and the matrix come first.
  if (window.matchMedia("(max-width: 48rem)").matches) $("filters").open = false;
  const speakerSel = $("speaker");
  D.sources.map((s, i) => [s.name, i]).sort((a, b) => a[0].localeCompare(b[0]))
    .forEach(([name, i]) => speakerSel.append(el("option", { value: String(i), text: name })));
  const outletSel = $("outlet");
  const hasOutlets = D.articles.some((a) => a.outlet);
  const outletChoices = new Map();  // filter key (outlet, or article id) -> what the reader sees
  D.articles.forEach((a, i) => outletChoices.set(outletOf(i), hasOutlets ? outletOf(i) : articleName(i)));
  [...outletChoices].sort((a, b) => a[1].localeCompare(b[1]))
    .forEach(([key, label]) => outletSel.append(el("option", { value: key, text: label, title: hasOutlets ? "" : `article ${key}` })));
  $("min-articles").value = state.minArticles;
  $("min-sources").value = state.minSources;
  $("group-by").value = state.groupBy;

  const reset = () => { state.page = 0; render(false); };
  function askClaim(text) {
    state.claim = text;
    const query = matchClaim(text);
    const status = $("claim-status");
    const n = claimMatches.size;
    if (!text) status.textContent = "";
    else if (!query.words.size) status.textContent = "Type a claim with a few words of content (names, actions, places).";
    else if (!n) {
      status.textContent = `No proposition states this claim: none shares enough of its content words` +
        (closest && closest[1].score > 0 ? ` (the closest, “${closest[0].p}”, scores ${closest[1].score.toFixed(2)})` : "") + ".";
    } else {
      const best = claimMatches.keys().next().value;
      status.replaceChildren(`${n} proposition${n === 1 ? " states" : "s state"} your claim, highlighted at the top` +
        `${n > 1 ? " (closest first)" : ""}: “${best.p}”`);
      if ([...claimMatches.values()].some((m) => m.flipped)) {
        status.append(" ", el("span", { class: "polarity", text: "Worded the other way round where marked: a source that supports that row refutes your claim." }));
      }
    }
    status.dataset.asked = text;  // what the status answers (the tests wait for it)
    reset();
    $("scroller").scrollTop = 0;
  }
  let claimTimer = 0;
  $("claim").addEventListener("input", (ev) => { clearTimeout(claimTimer); claimTimer = setTimeout(() => askClaim(ev.target.value.trim()), 150); });
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
