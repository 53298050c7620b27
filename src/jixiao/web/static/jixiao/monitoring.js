// Monitoring report form: as values are typed, the server lights the entry with the same
// core code that stores it (POST /api/monitoring/rounds/{r}/projects/{p}/lights) and this
// script only shows each light and its reason.  Without script the "重新亮灯" button does
// the same with a page load.  No external library.
(function () {
  "use strict";
  var form = document.getElementById("monitoring");
  if (!form) { return; }
  var url = form.getAttribute("data-lights-url");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var status = document.getElementById("live-status");
  var timer = null;
  var labels = { red: "红灯", yellow: "黄灯", green: "绿灯", blue: "蓝灯", none: "无法判断" };
  var severities = { error: "错误", warning: "警告", info: "提示" };

  function value(name) {
    var field = form.elements.namedItem(name);
    return field ? field.value : "";
  }

  function entry() {
    var budget = {};
    ["total", "fiscal", "other"].forEach(function (line) {
      budget[line] = {};
      ["planned", "executed", "predicted", "reason"].forEach(function (key) {
        budget[line][key] = value(line + "-" + key);
      });
    });
    var rows = [];
    form.querySelectorAll("#rows tbody tr").forEach(function (row) {
      var n = row.getAttribute("data-row");
      var reasons = [];
      row.querySelectorAll("input[name='row-" + n + "-reasons']:checked").forEach(function (box) {
        reasons.push(box.value);
      });
      rows.push({
        achieved: value("row-" + n + "-achieved"),
        predicted: value("row-" + n + "-predicted"),
        likelihood: value("row-" + n + "-likelihood"),
        reasons: reasons,
        reason: value("row-" + n + "-reason"),
        measures: value("row-" + n + "-measures")
      });
    });
    return {
      budget: budget, goal_progress: value("goal_progress"), reason: value("reason"),
      measures: value("measures"), indicators: rows
    };
  }

  function light(node, color) {
    node.className = "light " + color;
    node.textContent = labels[color] || color;
  }

  function show(data) {
    var report = data.report;
    var project = document.getElementById("project-light");
    if (project) { light(project, report.light); }
    var execution = document.getElementById("execution");
    if (execution) {
      execution.textContent = "";
      var mark = document.createElement("span");
      light(mark, report.execution.light);
      execution.append(mark, " " + report.execution.reason);
    }
    report.indicators.forEach(function (signal, n) {
      var mark = form.querySelector("[data-light='" + n + "']");
      var why = form.querySelector("[data-why='" + n + "']");
      if (mark) { light(mark, signal.light); }
      if (why) { why.textContent = signal.reason; }
    });
    var list = document.getElementById("findings");
    list.textContent = "";
    data.findings.forEach(function (finding) {
      var item = document.createElement("li");
      item.className = finding.severity;
      var label = document.createElement("b");
      label.textContent = severities[finding.severity] || finding.severity;
      var rule = document.createElement("code");
      rule.textContent = finding.rule;
      item.append(label, " ", rule, " " + finding.message);
      list.appendChild(item);
    });
    status.textContent = "预警灯已按当前填写重新计算（尚未保存）。";
    status.className = "hint";
  }

  function lights() {
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
        status.textContent = (result.data.error && result.data.error.message) || "无法计算预警灯。";
        status.className = "hint error";
      })
      .catch(function () { status.textContent = "无法连接服务器，预警灯未更新。"; });
  }

  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lights, 300); });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(lights, 50); });
})();
