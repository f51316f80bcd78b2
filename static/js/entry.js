// Numeric entry of ballot papers (docs/domain.md, Elections: numeric entry). This script only previews what the
// typed keys mean and asks before an empty paper or a write-in is saved; the server parses the keys again and
// judges (elections/services/voting.py: parse_keys), so the two must read the keys the same way.
(function () {
  "use strict";

  function posts() {
    var el = document.getElementById("entry-numbers");
    return el ? JSON.parse(el.textContent) : [];
  }

  // {spoiled, error, rows: [{post, names, writeIns, bad}]} for the typed keys.
  function read(list, keys) {
    // "?" and the issue after the marks: a disputed paper (疑难选票), as record_keys reads it.
    var at = keys.replace(/？/g, "?").indexOf("?");
    var issue = at < 0 ? null : keys.slice(at + 1).trim();
    if (at >= 0) { keys = keys.slice(0, at); }
    keys = keys.replace(/\u3000/g, " ").replace(/＋/g, "+").trim();
    if (keys === "*") { return {spoiled: true, issue: issue, rows: []}; }
    var groups = keys ? keys.split(/\s+/) : [];
    var result = {spoiled: false, issue: issue, tooMany: groups.length > list.length, rows: []};
    list.forEach(function (post, i) {
      var parts = (groups[i] || "0").split("+");
      var digits = parts.shift();
      var width = post.names.length <= 9 ? 1 : 2;
      var row = {post: post, names: [], writeIns: [], bad: false};
      if (!/^\d*$/.test(digits) || digits.length % width) {
        row.bad = true;
      } else if (!(digits === "0" && !parts.length)) {
        for (var at = 0; at < digits.length; at += width) {
          var n = parseInt(digits.slice(at, at + width), 10);
          if (n < 1 || n > post.names.length) { row.bad = true; break; }
          if (row.names.indexOf(post.names[n - 1]) < 0) { row.names.push(post.names[n - 1]); }
        }
      }
      parts.forEach(function (name) {
        name = name.trim();
        if (!name || row.names.indexOf(name) >= 0) { return; }
        if (post.names.indexOf(name) >= 0) { row.names.push(name); } else { row.writeIns.push(name); }
      });
      result.rows.push(row);
    });
    return result;
  }

  function show(preview, paper) {
    preview.textContent = "";
    var text = preview.dataset;
    function line(cls, words) {
      var li = document.createElement("li");
      li.className = cls;
      li.textContent = words;
      preview.appendChild(li);
    }
    if (paper.issue !== null) { line(paper.issue ? "disputed" : "bad", text.disputed + "：" + paper.issue); }
    if (paper.spoiled) { line("spoiled", text.spoiled); return; }
    if (paper.tooMany) { line("bad", text.tooMany); }
    paper.rows.forEach(function (row) {
      var all = row.names.concat(row.writeIns.map(function (n) { return "+" + n; }));
      var title = row.post.title + "：";
      if (row.bad) { line("bad", title + text.bad); return; }
      if (!all.length) { line("blank", title + text.blank); return; }
      var over = all.length > row.post.seats;
      line((over ? "over" : "") + (row.writeIns.length ? " write-in" : ""), title + all.join("、") +
        (over ? "　" + text.over : "") + (row.writeIns.length ? "　" + text.writeIn : ""));
    });
  }

  function update() {
    var input = document.getElementById("keys");
    var preview = document.getElementById("entry-preview");
    if (input && preview) { show(preview, read(posts(), input.value)); }
  }

  document.addEventListener("input", function (event) {
    if (event.target.id === "keys") { update(); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.target.id !== "keys" || event.key !== "Enter" || event.isComposing) { return; }
    var preview = document.getElementById("entry-preview");
    var paper = read(posts(), event.target.value);
    var bad = paper.tooMany || paper.issue === "" || paper.rows.some(function (row) { return row.bad; });
    var empty = !paper.spoiled && paper.rows.every(function (row) {
      return !row.names.length && !row.writeIns.length;
    });
    var writeIns = paper.rows.some(function (row) { return row.writeIns.length; });
    if (bad || (empty && !window.confirm(preview.dataset.askEmpty)) ||
        (writeIns && !window.confirm(preview.dataset.askWriteIn))) {
      event.preventDefault();
    }
  });

  // The next paper is typed into the fresh form at once, without reaching for the mouse.
  document.addEventListener("htmx:afterSettle", function () {
    var input = document.getElementById("keys");
    if (input) { input.focus(); update(); }
  });
  document.addEventListener("DOMContentLoaded", update);
})();
