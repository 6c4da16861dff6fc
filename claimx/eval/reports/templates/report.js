"use strict";
(function () {
  // --- one system's evidence at a time: the best one first ------------------------
  const tabs = [...document.querySelectorAll(".tabs .tab")];
  const panels = [...document.querySelectorAll("section.system")];
  function showSystem(anchor, focus) {
    if (!panels.some((p) => p.dataset.system === anchor)) return;
    panels.forEach((p) => { p.hidden = p.dataset.system !== anchor; });
    tabs.forEach((t) => {
      const on = t.dataset.system === anchor;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      if (on && focus) t.focus();
    });
  }
  // The first panel in the page is the best system's (or the first system's).
  if (panels.length) showSystem(panels[0].dataset.system, false);
  tabs.forEach((t, i) => {
    t.addEventListener("click", () => showSystem(t.dataset.system, false));
    t.addEventListener("keydown", (ev) => {
      const step = ev.key === "ArrowRight" ? 1 : ev.key === "ArrowLeft" ? -1 : 0;
      if (step) showSystem(tabs[(i + step + tabs.length) % tabs.length].dataset.system, true);
    });
  });
  // A system named in the summary opens its tab, then the page goes there.
  document.querySelectorAll(".system-link").forEach((a) => {
    a.addEventListener("click", () => showSystem(a.dataset.system, false));
  });

  // --- a highlight's claims, side by side --------------------------------------------
  // Wide screens: the table beside the text shows only the claims under the highlight.
  // Narrow screens (the table is under the text, one column): they open under the
  // highlight itself, not a screen or ten below it.
  const narrow = window.matchMedia("(max-width: 60rem)");
  const foldTables = () => document.querySelectorAll(".claims-list").forEach((d) => { d.open = !narrow.matches; });
  foldTables();
  narrow.addEventListener("change", foldTables);
  function closeInline(article) {
    article.querySelectorAll(".inline-cmp").forEach((c) => c.remove());
  }
  function sideBlock(name, cell) {
    const div = document.createElement("div");
    div.className = "cmp-side";
    const label = document.createElement("div");
    label.className = "side-name";
    label.textContent = name;
    div.append(label, ...[...cell.childNodes].map((n) => n.cloneNode(true)));
    return div;
  }
  function openInline(seg, rows) {
    const article = seg.closest("details.article");
    closeInline(article);
    const card = document.createElement("div");
    card.className = "inline-cmp";
    card.setAttribute("role", "region");
    card.setAttribute("aria-label", "the claims under this highlight");
    const head = document.createElement("div");
    head.className = "cmp-head";
    const title = document.createElement("span");
    title.className = "dim small";
    title.textContent = rows.length === 1 ? "Under this highlight:" : `Under this highlight: ${rows.length} claims`;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "cmp-close";
    close.textContent = "close";
    close.addEventListener("click", () => showAll(article));
    head.append(title, close);
    card.append(head);
    for (const row of rows) {
      const cells = row.querySelectorAll("td");
      const item = document.createElement("div");
      item.className = "cmp-item";
      const status = document.createElement("div");
      status.className = "cmp-status";
      status.append(...[...cells[0].childNodes].map((n) => n.cloneNode(true)));
      const sides = document.createElement("div");
      sides.className = "cmp-sides";
      sides.append(sideBlock("gold", cells[1]), sideBlock("predicted", cells[2]));
      item.append(status, sides);
      card.append(item);
    }
    // After the whole highlight, so the text it covers stays readable.
    seg.closest("mark.hl").after(card);
    card.scrollIntoView({ block: "nearest" });
  }
  function choose(seg) {
    const article = seg.closest("details.article");
    const ids = new Set(seg.dataset.items.split(" "));
    article.querySelectorAll(".seg.selected").forEach((s) => s.classList.remove("selected"));
    seg.classList.add("selected");
    const rows = [...article.querySelectorAll("tr.item")];
    rows.forEach((row) => {
      const on = ids.has(row.id);
      row.hidden = !on;
      row.classList.toggle("chosen", on);
    });
    const chosen = rows.filter((r) => !r.hidden);
    article.querySelector(".showing .count").textContent =
      `${chosen.length} of ${rows.length} claims: those under the highlight you clicked.`;
    article.querySelector(".show-all").hidden = false;
    if (narrow.matches) openInline(seg, chosen);
    else closeInline(article);
  }
  function showAll(article) {
    const rows = article.querySelectorAll("tr.item");
    rows.forEach((row) => { row.hidden = false; row.classList.remove("chosen"); });
    article.querySelectorAll(".seg.selected").forEach((s) => s.classList.remove("selected"));
    article.querySelector(".showing .count").textContent = `All ${rows.length} claims of this article.`;
    article.querySelector(".show-all").hidden = true;
    closeInline(article);
  }
  document.addEventListener("click", (ev) => {
    const seg = ev.target.closest(".seg");
    if (seg) { choose(seg); return; }
    const btn = ev.target.closest(".show-all");
    if (btn) showAll(btn.closest("details.article"));
  });
  document.addEventListener("keydown", (ev) => {
    const seg = ev.target.closest && ev.target.closest(".seg");
    if (seg && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); choose(seg); }
  });

  // --- printing shows every system, article, table and claim --------------------------
  let closed = [];
  window.addEventListener("beforeprint", () => {
    closed = [...document.querySelectorAll("details:not([open])")];
    closed.forEach((d) => { d.open = true; });
    document.querySelectorAll("details.article").forEach(showAll);
  });
  window.addEventListener("afterprint", () => { closed.forEach((d) => { d.open = false; }); });
})();
