// harmonize review: keyboard shortcuts and small conveniences. No build step, no deps.
(function () {
  "use strict";
  var page = document.body.getAttribute("data-page");
  var named = document.body.getAttribute("data-reviewer") !== "";

  function typing(e) {
    var t = e.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  function say(text) {
    var box = document.getElementById("client-msg");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
  }
  function askName() {
    say("Type your name or ORCID iD first (top right, then Enter): every decision is someone's.");
    var who = document.getElementById("reviewer");
    if (who) who.focus();
  }
  function copyShared(form) {
    var box = document.getElementById("comment");
    var pred = document.getElementById("predicate");
    if (box) form.querySelectorAll(".comment-copy").forEach(function (el) { el.value = box.value; });
    if (pred) form.querySelectorAll(".predicate-copy").forEach(function (el) { el.value = pred.value; });
  }
  function submit(form) {
    if (!form) return;
    if (!named && form.id !== "who-form") { askName(); return; }
    copyShared(form);
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }
  // every decision form: the comment and predicate go along; no decision without a name
  document.querySelectorAll("form.decide, #undo-form, #bulk-form").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!named) { e.preventDefault(); askName(); return; }
      copyShared(form);
      if (form.id === "multi-form" && !document.querySelector("input[name=terms][form=multi-form]:checked")) {
        e.preventDefault();
        say("Check the terms the value maps to first (the boxes beside the candidates or search hits).");
      }
    });
  });

  // -- item page: candidates keep their numbers; a rejected one stays, struck out ------
  var cands = Array.prototype.slice.call(document.querySelectorAll("li.cand"));
  var sel = -1;
  function live(n) { return n >= 0 && n < cands.length && !cands[n].classList.contains("rejected"); }
  function select(i, step) {
    var n = i;
    while (n >= 0 && n < cands.length && !live(n)) n += step || 1;
    if (!live(n)) return;
    sel = n;
    cands.forEach(function (li, k) { li.classList.toggle("selected", k === sel); });
    cands[sel].scrollIntoView({ block: "nearest" });
  }
  select(0, 1);
  cands.forEach(function (li, n) {
    li.addEventListener("click", function (e) {
      if (e.target.tagName !== "BUTTON" && e.target.tagName !== "INPUT" && live(n)) select(n);
    });
  });

  // -- queue page -------------------------------------------------------------------
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
  function itemKey(k) {
    if (k >= "1" && k <= "9") {
      var n = parseInt(k, 10) - 1;
      if (n >= cands.length) return true;
      if (!live(n)) { say("Candidate " + k + " was rejected: it keeps its number, so no other term moves under your keys."); return true; }
      select(n);
      submit(cands[n].querySelector("form.accept-form"));
      return true;
    }
    var actions = {
      a: function () { if (sel >= 0) submit(cands[sel].querySelector("form.accept-form")); },
      r: function () { if (sel >= 0) submit(cands[sel].querySelector("form.reject-form")); },
      j: function () { select(sel + 1, 1); },
      k: function () { select(sel - 1, -1); },
      " ": function () { var box = sel >= 0 && cands[sel].querySelector("input[name=terms]"); if (box) box.checked = !box.checked; },
      m: function () { submit(document.getElementById("multi-form")); },
      x: function () { submit(document.getElementById("none-form")); },
      d: function () { submit(document.getElementById("defer-form")); },
      o: function () { submit(document.getElementById("second-form")); },
      n: function () { var nx = document.getElementById("next-link"); if (nx) location.href = nx.href; },
      "/": function () { var s = document.getElementById("search"); if (s) { s.focus(); s.select(); } },
      c: function () { var c = document.getElementById("comment"); if (c) c.focus(); }
    };
    actions.ArrowDown = actions.j;
    actions.ArrowUp = actions.k;
    if (!actions[k]) return false;
    actions[k]();
    return true;
  }
  function queueKey(k) {
    if (k === "j" || k === "ArrowDown") { selectRow(rsel + 1); return true; }
    if (k === "k" || k === "ArrowUp") { selectRow(rsel - 1); return true; }
    if ((k === "Enter" || k === "o") && rsel >= 0) { location.href = rows[rsel].getAttribute("data-href"); return true; }
    if (k === "n") {
      var first = document.querySelector("tr.row.open");
      if (first) location.href = first.getAttribute("data-href");
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (typing(e)) {
      if (e.key === "Escape") e.target.blur();
      return;
    }
    var k = e.key;
    var done = false;
    if (k === "?") { toggleHelp(); done = true; }
    else if (k === "u") { submit(document.getElementById("undo-form")); done = true; }
    else if (page === "item") done = itemKey(k);
    else if (page === "queue") done = queueKey(k);
    if (done) e.preventDefault();
  });

  // reviewer name: saved on change (Enter submits the form too)
  var who = document.getElementById("reviewer");
  if (who) who.addEventListener("change", function () { if (who.value.trim()) who.form.submit(); });

  // bulk: select all / none
  var all = document.getElementById("all");
  if (all) all.addEventListener("change", function () {
    document.querySelectorAll("#preview input[name=pick]").forEach(function (box) { box.checked = all.checked; });
  });
})();
