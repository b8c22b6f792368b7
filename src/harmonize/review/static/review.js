// harmonize review: keyboard shortcuts and small conveniences. No build step, no deps.
(function () {
  "use strict";
  var page = document.body.getAttribute("data-page");

  function typing(e) {
    var t = e.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  function copyShared(form) {
    var box = document.getElementById("comment");
    var pred = document.getElementById("predicate");
    if (box) form.querySelectorAll(".comment-copy").forEach(function (el) { el.value = box.value; });
    if (pred) form.querySelectorAll(".predicate-copy").forEach(function (el) { el.value = pred.value; });
  }
  function submit(form) {
    if (!form) return;
    copyShared(form);
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }
  // copy the comment and predicate into every decision form on submit (mouse clicks too)
  document.querySelectorAll("form.decide").forEach(function (form) {
    form.addEventListener("submit", function () { copyShared(form); });
  });

  // -- item page -------------------------------------------------------------------
  var cands = Array.prototype.slice.call(document.querySelectorAll("li.cand"));
  var sel = 0;
  function select(i) {
    if (!cands.length) return;
    sel = Math.max(0, Math.min(cands.length - 1, i));
    cands.forEach(function (li, n) { li.classList.toggle("selected", n === sel); });
    cands[sel].scrollIntoView({ block: "nearest" });
  }
  cands.forEach(function (li, n) { li.addEventListener("click", function (e) { if (e.target.tagName !== "BUTTON") select(n); }); });

  // -- queue page -----------------------------------------------------------------
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.queue tr.row"));
  var rsel = -1;
  function selectRow(i) {
    if (!rows.length) return;
    rsel = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (tr, n) { tr.classList.toggle("selected", n === rsel); });
    rows[rsel].scrollIntoView({ block: "nearest" });
  }
  rows.forEach(function (tr) {
    tr.addEventListener("dblclick", function () { location.href = tr.getAttribute("data-href"); });
  });

  function toggleHelp() {
    var keys = document.querySelector("div.keys");
    if (keys) keys.classList.toggle("big");
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (typing(e)) {
      if (e.key === "Escape") e.target.blur();
      return;
    }
    var k = e.key;
    if (k === "?") { toggleHelp(); e.preventDefault(); return; }
    if (k === "u") { submit(document.getElementById("undo-form")); e.preventDefault(); return; }
    if (page === "item") {
      if (k >= "1" && k <= "9") {
        var n = parseInt(k, 10) - 1;
        if (n < cands.length) { select(n); submit(cands[n].querySelector("form.accept-form")); }
        e.preventDefault(); return;
      }
      if (k === "a" && cands.length) { submit(cands[sel].querySelector("form.accept-form")); e.preventDefault(); return; }
      if (k === "r" && cands.length) { submit(cands[sel].querySelector("form.reject-form")); e.preventDefault(); return; }
      if (k === "j" || k === "ArrowDown") { select(sel + 1); e.preventDefault(); return; }
      if (k === "k" || k === "ArrowUp") { select(sel - 1); e.preventDefault(); return; }
      if (k === "x") { submit(document.getElementById("none-form")); e.preventDefault(); return; }
      if (k === "d") { submit(document.getElementById("defer-form")); e.preventDefault(); return; }
      if (k === "n") { var nx = document.getElementById("next-link"); if (nx) location.href = nx.href; e.preventDefault(); return; }
      if (k === "/") { var s = document.getElementById("search"); if (s) { s.focus(); s.select(); } e.preventDefault(); return; }
      if (k === "c") { var c = document.getElementById("comment"); if (c) c.focus(); e.preventDefault(); return; }
    }
    if (page === "queue") {
      if (k === "j" || k === "ArrowDown") { selectRow(rsel + 1); e.preventDefault(); return; }
      if (k === "k" || k === "ArrowUp") { selectRow(rsel - 1); e.preventDefault(); return; }
      if ((k === "Enter" || k === "o") && rsel >= 0) { location.href = rows[rsel].getAttribute("data-href"); e.preventDefault(); return; }
      if (k === "n") {
        var first = document.querySelector("tr.status-pending, tr.status-requeued, tr.status-deferred");
        if (first) location.href = first.getAttribute("data-href");
        e.preventDefault(); return;
      }
    }
  });

  // reviewer name: save on change
  var who = document.getElementById("reviewer");
  if (who) who.addEventListener("change", function () { who.form.submit(); });

  // bulk: select all / none
  var all = document.getElementById("all");
  if (all) all.addEventListener("change", function () {
    document.querySelectorAll("#preview input[name=pick]").forEach(function (box) { box.checked = all.checked; });
  });
})();
