/* The repository dashboard: sort and filter the matrix, show one report's text
 * with its findings (rendered on demand from the embedded JSON). */
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("reportlint-data").textContent);
  var SEVERITIES = ["error", "warning", "info", "hint"];
  var table = document.getElementById("matrix");
  var tbody = table.tBodies[0];
  var filterBox = document.getElementById("filter");
  var showSelect = document.getElementById("show");
  var countEl = document.getElementById("row-count");
  var collator = new Intl.Collator("zh-Hans-CN", { numeric: true });

  /* -- sorting ---------------------------------------------------------------- */
  function sortBy(th) {
    // A second-row header names its body column (data-col); a first-row one is its position.
    var index = th.hasAttribute("data-col") ? Number(th.getAttribute("data-col"))
      : Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.getAttribute("data-type") === "num";
    var current = th.getAttribute("aria-sort");
    // Numbers start with the largest first (the worst reports on top); text A→Z.
    var dir = current ? (current === "ascending" ? "descending" : "ascending") : (numeric ? "descending" : "ascending");
    table.querySelectorAll("thead th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
    var sign = dir === "ascending" ? 1 : -1;
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.sort(function (a, b) {
      var x = a.cells[index].getAttribute("data-v");
      var y = b.cells[index].getAttribute("data-v");
      var r = numeric ? (Number(x) - Number(y)) : collator.compare(x, y);
      return r * sign || (Number(a.getAttribute("data-i")) - Number(b.getAttribute("data-i")));
    });
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r); });
    tbody.appendChild(frag);
  }
  table.querySelectorAll("thead th[data-type] button").forEach(function (button) {
    button.addEventListener("click", function () { sortBy(button.parentNode); });
  });

  /* -- the header's second row sticks under the first, whose height changes as headers wrap -- */
  var headRows = table.tHead.rows;
  function stickHeader() {
    var height = headRows[1].getBoundingClientRect().top - headRows[0].getBoundingClientRect().top;
    table.style.setProperty("--matrix-head-top", Math.max(0, height) + "px");
  }
  if (headRows.length > 1) {
    stickHeader();
    if (window.ResizeObserver) new ResizeObserver(stickHeader).observe(table.tHead);
    else window.addEventListener("resize", stickHeader);
  }

  /* -- filtering -------------------------------------------------------------- */
  function applyFilter() {
    var terms = filterBox.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var show = showSelect.value;
    var visible = 0;
    Array.prototype.forEach.call(tbody.rows, function (row) {
      var hay = row.getAttribute("data-search");
      var ok = terms.every(function (t) { return hay.indexOf(t) >= 0; });
      if (ok && show !== "all") ok = row.getAttribute("data-flags").split(" ").indexOf(show) >= 0;
      row.hidden = !ok;
      if (ok) visible++;
    });
    countEl.textContent = "显示 " + visible + " / " + tbody.rows.length + " 份";
  }
  filterBox.addEventListener("input", applyFilter);
  showSelect.addEventListener("change", applyFilter);
  document.querySelectorAll(".chart .bar").forEach(function (bar) {
    bar.addEventListener("click", function () {
      filterBox.value = bar.getAttribute("data-code");
      applyFilter();
      table.scrollIntoView({ block: "start" });
    });
  });
  // Browsers restore form fields on reload: keep the rows in step with them.
  applyFilter();

  /* -- one report ------------------------------------------------------------- */
  var detail = document.getElementById("detail");
  var el = ReportlintText.el;
  var indexByPath = {};
  data.reports.forEach(function (r, i) { indexByPath[r.path] = i; });

  // A finding that points at another report (e.g. a duplicated passage) links to it.
  function otherReportLink(d) {
    var other = d.data && d.data.other_path;
    if (other === undefined || indexByPath[other] === undefined) return null;
    var line = Number(d.data.other_line) || 0;
    var link = el("a", "other-report", "打开 " + other + (line ? " 第 " + line + " 行" : ""));
    link.href = "#r-" + indexByPath[other] + (line ? "-L" + line : "");
    return link;
  }

  function expand(report) {
    var codes = data.codes;
    return report.diagnostics.map(function (d) {
      var info = codes[d.k] || {};
      return {
        start: d.s, end: d.e, line: d.l, column: d.c, code: d.k,
        name: info.name || "", category: info.category || "",
        severity: SEVERITIES[d.v], message: d.m,
        basis: d.b !== undefined ? d.b : (info.basis || ""),
        fix: d.f !== undefined ? { title: d.f, safe: !d.u } : null,
        data: d.x || {}
      };
    });
  }

  function showReport(index) {
    var report = data.reports[index];
    tbody.querySelectorAll("tr.selected").forEach(function (r) { r.classList.remove("selected"); });
    if (!report) { detail.hidden = true; return; }
    var row = document.getElementById("row-" + index);
    if (row) row.classList.add("selected");
    detail.hidden = false;
    detail.textContent = "";
    detail.setAttribute("data-report", String(index));
    var head = el("div", "doc-head");
    head.appendChild(el("h2", null, report.path));
    if (report.title) head.appendChild(el("span", "muted", report.title));
    detail.appendChild(head);
    if (report.error) {
      detail.appendChild(el("div", "error-box", "无法读取：" + report.error));
      return;
    }
    var diags = expand(report);
    var counts = {};
    diags.forEach(function (d) { counts[d.severity] = (counts[d.severity] || 0) + 1; });
    var parts = SEVERITIES.filter(function (s) { return counts[s]; }).map(function (s) {
      return ReportlintText.SEVERITY[s] + " " + counts[s];
    });
    var summary = el("p", "doc-summary", diags.length ? "共 " + diags.length + " 个问题（" + parts.join("，") + "）。点击高亮处查看说明、依据和修正建议。" : "未发现问题。");
    detail.appendChild(summary);
    if (report.missing.length) {
      detail.appendChild(el("p", "missing-parts", "缺少必备部分：" + report.missing.join("、")));
    }
    var view = el("div", "doc-view");
    var text = el("div", "doc-text");
    var list = el("ol", "findings");
    view.appendChild(text);
    view.appendChild(list);
    detail.appendChild(view);
    ReportlintText.render(text, list, report.text, diags, { idPrefix: "r" + index + "-", detailExtra: otherReportLink });
  }

  function fromHash() {
    var m = /^#r-(\d+)(?:-L(\d+))?$/.exec(location.hash);
    if (!m) return;
    if (detail.getAttribute("data-report") !== m[1] || detail.hidden) showReport(Number(m[1]));
    var line = m[2] ? document.getElementById("r" + m[1] + "-L" + m[2]) : null;
    if (line) {
      line.scrollIntoView({ block: "center" });
      line.classList.add("target");
      setTimeout(function () { line.classList.remove("target"); }, 2000);
    } else {
      detail.scrollIntoView({ block: "start" });
    }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
