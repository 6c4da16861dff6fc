"use strict";
(function () {
  // Clicking (or tapping, or Enter on) a highlight shows its claims in the table beside it.
  function choose(seg) {
    const article = seg.closest("details.article");
    const ids = new Set(seg.dataset.items.split(" "));
    article.querySelectorAll(".seg.selected").forEach((s) => s.classList.remove("selected"));
    seg.classList.add("selected");
    const rows = article.querySelectorAll("tr.item");
    rows.forEach((row) => {
      const on = ids.has(row.id);
      row.hidden = !on;
      row.classList.toggle("chosen", on);
    });
    const n = [...rows].filter((r) => !r.hidden).length;
    article.querySelector(".showing .count").textContent =
      `${n} of ${rows.length} claims: those under the highlight you clicked.`;
    article.querySelector(".show-all").hidden = false;
  }
  function showAll(article) {
    const rows = article.querySelectorAll("tr.item");
    rows.forEach((row) => { row.hidden = false; row.classList.remove("chosen"); });
    article.querySelectorAll(".seg.selected").forEach((s) => s.classList.remove("selected"));
    article.querySelector(".showing .count").textContent = `All ${rows.length} claims of this article.`;
    article.querySelector(".show-all").hidden = true;
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
  // Printing shows every article and every claim.
  let closed = [];
  window.addEventListener("beforeprint", () => {
    closed = [...document.querySelectorAll("details.article:not([open])")];
    closed.forEach((d) => { d.open = true; });
    document.querySelectorAll("details.article").forEach(showAll);
  });
  window.addEventListener("afterprint", () => { closed.forEach((d) => { d.open = false; }); });
})();
