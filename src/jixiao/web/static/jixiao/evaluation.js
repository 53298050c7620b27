// Self-evaluation form: as actuals, amounts and weights are typed, the server scores the
// entry with the same core code that stores it (POST /api/projects/{id}/evaluation/score)
// and this script only shows the result next to each row.  Without script the form's
// "计算得分" button does the same with a page load.  No external library.
(function () {
  "use strict";
  var form = document.getElementById("evaluation");
  if (!form) { return; }
  var url = form.getAttribute("data-score-url");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var status = document.getElementById("live-status");
  var timer = null;
  var lines = ["total", "fiscal", "carryover", "other"];
  var amounts = ["planned", "budget", "executed"];

  function value(name) {
    var field = form.elements.namedItem(name);
    return field ? field.value : "";
  }

  function entry() {
    var budget = {};
    lines.forEach(function (line) {
      budget[line] = {};
      amounts.forEach(function (key) { budget[line][key] = value(line + "-" + key); });
    });
    var rows = [];
    form.querySelectorAll("#rows tbody tr").forEach(function (row) {
      var n = row.getAttribute("data-row");
      rows.push({
        actual: value("row-" + n + "-actual"),
        weight: value("row-" + n + "-weight"),
        score: value("row-" + n + "-score"),
        deviation: value("row-" + n + "-deviation")
      });
    });
    var reported = {};
    ["rate", "execution_score", "total", "grade"].forEach(function (key) { reported[key] = value("reported-" + key); });
    return { scheme: value("scheme"), budget: budget, goal_actual: value("goal_actual"), indicators: rows, reported: reported };
  }

  function text(id, content) {
    var node = document.getElementById(id);
    if (node) { node.textContent = content; }
  }

  var severities = { error: "错误", warning: "警告", info: "提示" };

  function showFindings(findings) {
    var list = document.getElementById("findings");
    if (!list) { return; }
    list.textContent = "";
    findings.forEach(function (finding) {
      var item = document.createElement("li");
      item.className = finding.severity;
      var label = document.createElement("b");
      label.textContent = severities[finding.severity] || finding.severity;
      var rule = document.createElement("code");
      rule.textContent = finding.rule;
      var fix = document.createElement("div");
      fix.className = "fix";
      fix.textContent = "建议：" + finding.fix;
      item.append(label, " ", rule, " " + finding.message, fix);
      list.appendChild(item);
    });
    if (!findings.length) {
      var ok = document.createElement("li");
      ok.className = "ok";
      ok.textContent = "没有发现问题。";
      list.appendChild(ok);
    }
  }

  function show(data) {
    showFindings(data.findings || []);
    var card = data.card;
    text("rate", data.rate || "");
    text("execution-score", card.execution.computed || "—");
    text("execution-why", card.execution.explanation);
    card.indicators.forEach(function (row, n) {
      var computed = form.querySelector("[data-computed='" + n + "']");
      var why = form.querySelector("[data-why='" + n + "']");
      var weight = form.elements.namedItem("row-" + n + "-weight");
      if (computed) { computed.textContent = row.computed === null ? "—" : row.computed; }
      if (why) { why.textContent = row.explanation; }
      if (weight) { weight.placeholder = row.weight === null ? "" : row.weight; }
    });
    text("total", card.total.computed);
    text("grade", card.grade.computed);
    status.textContent = card.notes.join(" ") || "得分已按当前填写重新计算（尚未保存）。";
    status.className = "hint";
  }

  function score() {
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ entry: entry() })
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        if (result.ok) { show(result.data); return; }
        status.textContent = (result.data.error && result.data.error.message) || "无法计算得分。";
        status.className = "hint error";
      })
      .catch(function () { status.textContent = "无法连接服务器，得分未更新。"; });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(score, 300);
  });
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(score, 50);
  });
})();
