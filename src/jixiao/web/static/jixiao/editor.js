// Editor of a target table: add, remove and reorder indicator rows without reloading the page,
// and parse each target value as it is typed (via /api/targets/parse; the page comes with the
// values already parsed).  No external library.
(function () {
  "use strict";
  var script = document.currentScript;
  var parseUrl = script.getAttribute("data-parse-url");
  var body = document.querySelector("#rows tbody");
  var template = document.getElementById("row-template");
  var labels = { quantitative: "定量", qualitative: "定性", missing: "未填写", unrecognized: "无法识别" };
  var operators = { ">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", range: "区间" };
  var timers = new WeakMap();

  function show(cell, data) {
    var text = labels[data.kind] || data.kind;
    if (data.kind === "quantitative") {
      text += "：" + (operators[data.operator] || "") + " " + data.value + (data.upper ? "–" + data.upper : "") + " " + (data.unit || "");
    } else if (data.kind === "unrecognized" && data.problem) {
      text += "：" + data.problem;
    }
    cell.textContent = text;
    cell.className = "parsed " + (data.kind === "quantitative" ? "ok" : data.kind === "qualitative" ? "warn" : "bad");
  }

  function parse(input) {
    var cell = input.closest("tr").querySelector(".parsed");
    fetch(parseUrl + "?text=" + encodeURIComponent(input.value), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { show(cell, data); } })
      .catch(function () { cell.textContent = ""; });
  }

  function schedule(input) {
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () { parse(input); }, 200));
  }

  // 二级 choices follow the 一级 of the row: the others are hidden, a mismatch is corrected.
  var parents = JSON.parse(document.getElementById("rows").getAttribute("data-parents") || "{}");
  function fitLevel2(row) {
    var level1 = row.querySelector("select[name=level1]").value;
    var level2 = row.querySelector("select[name=level2]");
    var first = null;
    Array.prototype.forEach.call(level2.options, function (option) {
      var allowed = !parents[option.value] || parents[option.value].indexOf(level1) >= 0;
      option.hidden = !allowed;
      if (allowed && first === null && parents[option.value]) { first = option.value; }
    });
    var current = parents[level2.value];
    if (current && current.indexOf(level1) < 0 && first !== null) { level2.value = first; }
  }
  body.addEventListener("change", function (event) {
    if (event.target.name === "level1") { fitLevel2(event.target.closest("tr")); }
  });
  body.querySelectorAll("tr").forEach(function (row) {
    Array.prototype.forEach.call(row.querySelector("select[name=level2]").options, function (option) {
      var level1 = row.querySelector("select[name=level1]").value;
      option.hidden = !!parents[option.value] && parents[option.value].indexOf(level1) < 0;
    });
  });

  body.addEventListener("input", function (event) {
    if (event.target.classList.contains("target")) { schedule(event.target); }
    if (event.target.name === "indicator") { suggestLater(event.target); }
  });

  // Similar indicators already written (GET /api/search): the unit's own and those of any
  // unit's approved table; one click fills the row being edited with its name and value.
  var searchUrl = script.getAttribute("data-search-url");
  var panel = document.getElementById("suggestions");
  var list = panel ? panel.querySelector("ul") : null;
  var editing = null;
  var suggestTimer = null;
  function suggestLater(input) {
    editing = input.closest("tr");
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(function () { suggest(input.value.trim()); }, 300);
  }
  function suggest(text) {
    if (!panel || !searchUrl) { return; }
    if (text.length < 2) { panel.hidden = true; return; }
    fetch(searchUrl + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        list.textContent = "";
        var seen = {};
        (data ? data.indicators : []).forEach(function (item) {
          var key = item.name + "\u0000" + item.target;
          if (seen[key] || Object.keys(seen).length >= 8) { return; }
          seen[key] = true;
          var button = document.createElement("button");
          button.type = "button";
          button.className = "suggestion";
          button.dataset.name = item.name;
          button.dataset.target = item.target;
          button.textContent = item.name + " — " + (item.target || "（未填指标值）");
          var from = document.createElement("small");
          from.textContent = "  " + item.unit + " · " + item.year + " · " + item.project_name;
          button.appendChild(from);
          var entry = document.createElement("li");
          entry.appendChild(button);
          list.appendChild(entry);
        });
        panel.hidden = list.children.length === 0;
      })
      .catch(function () { panel.hidden = true; });
  }
  if (panel) {
    panel.addEventListener("click", function (event) {
      var button = event.target.closest("button.suggestion");
      if (!button || !editing || !editing.isConnected) { return; }
      editing.querySelector("input[name=indicator]").value = button.dataset.name;
      var target = editing.querySelector("input[name=target]");
      target.value = button.dataset.target;
      parse(target);
      panel.hidden = true;
      target.focus();
    });
  }
  body.addEventListener("click", function (event) {
    var row = event.target.closest("tr");
    if (!row) { return; }
    if (event.target.classList.contains("remove")) { row.remove(); }
    if (event.target.classList.contains("up") && row.previousElementSibling) { body.insertBefore(row, row.previousElementSibling); }
    if (event.target.classList.contains("down") && row.nextElementSibling) { body.insertBefore(row.nextElementSibling, row); }
  });
  document.getElementById("add-row").addEventListener("click", function () {
    var row = template.content.firstElementChild.cloneNode(true);
    var last = body.lastElementChild;
    if (last) {  // a new row starts in the categories of the row above it
      row.querySelector("select[name=level1]").value = last.querySelector("select[name=level1]").value;
      row.querySelector("select[name=level2]").value = last.querySelector("select[name=level2]").value;
    }
    body.appendChild(row);
    row.querySelector("input[name=indicator]").focus();
  });
  // The rows are sent as one JSON field: a table of a thousand indicators is one form
  // field, not five thousand (the server's limit on the number of fields stays low).
  var form = document.getElementById("editor");
  var fields = ["level1", "level2", "indicator", "target", "note", "extra"];
  form.addEventListener("submit", function () {
    var rows = Array.prototype.map.call(body.querySelectorAll("tr.row"), function (row) {
      var data = {};
      fields.forEach(function (name) {
        var input = row.querySelector("[name=" + name + "]");
        data[name] = input ? input.value : "";
        if (input) { input.disabled = true; }
      });
      return data;
    });
    var packed = document.createElement("input");
    packed.type = "hidden";
    packed.name = "rows_json";
    packed.value = JSON.stringify(rows);
    form.appendChild(packed);
  });
  // Coming back to the page (the browser's back button) the rows must be usable again.
  window.addEventListener("pageshow", function () {
    body.querySelectorAll("[disabled]").forEach(function (input) { input.disabled = false; });
    form.querySelectorAll("input[name=rows_json]").forEach(function (input) { input.remove(); });
  });
})();
