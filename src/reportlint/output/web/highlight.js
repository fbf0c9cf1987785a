/* Render a report's text with its findings highlighted in place (shared by the
 * dashboard and the self-check page).  All text goes through textContent: report
 * text and messages are untrusted and never become markup.
 *
 * A diagnostic is {start, end, line, column, code, name, severity, message, basis,
 * fix: {title, safe} | null, data: {}}; start/end are UTF-16 offsets into the text
 * (JavaScript string indices), end exclusive.
 */
"use strict";
var ReportlintText = (function () {
  var SEVERITY = { error: "错误", warning: "警告", info: "提示", hint: "建议" };
  var RANK = { error: 4, warning: 3, info: 2, hint: 1 };
  // Chinese names of known diagnostic data keys (cross-report duplicates); others show as they are.
  var DATA_LABELS = { other_path: "相似的报告", other_line: "该报告中的行", similarity: "相似度", other_count: "相似报告数" };
  var popover = null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function worst(diags, ids) {
    var best = null;
    ids.forEach(function (i) {
      var s = diags[i].severity;
      if (best === null || (RANK[s] || 0) > (RANK[best] || 0)) best = s;
    });
    return best || "hint";
  }

  function hoverText(diags, ids) {
    return ids.map(function (i) {
      var d = diags[i];
      return d.code + " " + (SEVERITY[d.severity] || d.severity) + "：" + d.message;
    }).join("\n");
  }

  function closePopover() {
    if (popover) { popover.remove(); popover = null; }
    document.querySelectorAll(".doc-text mark.active, .findings li.active").forEach(function (n) {
      n.classList.remove("active");
    });
  }

  function detailItem(d, options) {
    var item = el("div", "item");
    var head = el("div");
    head.appendChild(el("span", "sev sev-" + d.severity, SEVERITY[d.severity] || d.severity));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("strong", "code", d.code));
    if (d.name) head.appendChild(el("span", "muted", " " + d.name));
    item.appendChild(head);
    item.appendChild(el("div", "message", d.message));
    if (d.basis) {
      var basis = el("div", "basis");
      basis.appendChild(el("span", "label", "依据："));
      basis.appendChild(document.createTextNode(d.basis));
      item.appendChild(basis);
    }
    var fix = el("div", "fix");
    fix.appendChild(el("span", "label", "修正："));
    if (d.fix) {
      fix.appendChild(document.createTextNode(d.fix.title + (d.fix.safe ? "（可自动修正）" : "（需人工确认）")));
    } else {
      fix.appendChild(document.createTextNode("请人工修改"));
    }
    item.appendChild(fix);
    var data = d.data || {};
    Object.keys(data).forEach(function (key) {
      var row = el("div", "data");
      row.appendChild(el("span", "label", (DATA_LABELS[key] || key) + "："));
      row.appendChild(document.createTextNode(String(data[key])));
      item.appendChild(row);
    });
    var extra = options && options.detailExtra ? options.detailExtra(d) : null;
    if (extra) item.appendChild(extra);
    item.appendChild(el("div", "where muted", "第 " + d.line + " 行第 " + d.column + " 列"));
    return item;
  }

  function showPopover(anchor, diags, ids, options) {
    closePopover();
    popover = el("div", "popover");
    popover.setAttribute("role", "dialog");
    var close = el("button", "close", "×");
    close.setAttribute("aria-label", "关闭");
    close.addEventListener("click", closePopover);
    popover.appendChild(close);
    ids.forEach(function (i) { popover.appendChild(detailItem(diags[i], options)); });
    document.body.appendChild(popover);
    var rect = anchor.getBoundingClientRect();
    var left = Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - popover.offsetWidth - 8));
    popover.style.left = left + "px";
    popover.style.top = (rect.bottom + window.scrollY + 6) + "px";
    anchor.classList.add("active");
  }

  document.addEventListener("keydown", function (e) { if (e.key === "Escape") closePopover(); });
  document.addEventListener("click", function (e) {
    if (popover && !popover.contains(e.target) && !(e.target.closest && e.target.closest("mark, .findings li"))) {
      closePopover();
    }
  });

  /* Split the text into lines and segments at every finding and change boundary. */
  function render(textEl, listEl, text, diags, options) {
    options = options || {};
    var changes = options.changes || [];
    closePopover();
    textEl.textContent = "";
    if (listEl) listEl.textContent = "";
    var order = diags.map(function (d, i) { return i; });
    var points = {};  // position -> ids of findings with nothing visible to highlight
    var ranged = [];
    order.forEach(function (i) {
      var d = diags[i];
      var start = Math.max(0, Math.min(d.start, text.length));
      var end = Math.max(start, Math.min(d.end, text.length));
      if (text.slice(start, end).replace(/\n/g, "") === "") {
        (points[start] = points[start] || []).push(i);
      } else {
        ranged.push({ i: i, start: start, end: end });
      }
    });
    ranged.sort(function (a, b) { return a.start - b.start || a.end - b.end; });
    var cuts = {};
    ranged.forEach(function (r) { cuts[r.start] = 1; cuts[r.end] = 1; });
    changes.forEach(function (c) { cuts[c.start] = 1; cuts[c.end] = 1; });
    Object.keys(points).forEach(function (p) { cuts[p] = 1; });
    var cutList = Object.keys(cuts).map(Number).sort(function (a, b) { return a - b; });
    var changeSorted = changes.slice().sort(function (a, b) { return a.start - b.start; });

    var next = 0;       // next index into ranged
    var active = [];    // ranged findings covering the current position
    var cutIndex = 0;
    var changeIndex = 0;
    var marked = {};
    var lineStart = 0;
    var lines = text.split("\n");
    var fragment = document.createDocumentFragment();
    for (var n = 0; n < lines.length; n++) {
      var lineEnd = lineStart + lines[n].length;
      var lineEl = el("div", "ln");
      lineEl.setAttribute("data-n", String(n + 1));
      lineEl.id = (options.idPrefix || "") + "L" + (n + 1);
      while (cutIndex < cutList.length && cutList[cutIndex] < lineStart) cutIndex++;
      var bounds = [lineStart];
      for (var k = cutIndex; k < cutList.length && cutList[k] <= lineEnd; k++) {
        if (cutList[k] > lineStart) bounds.push(cutList[k]);
      }
      if (bounds[bounds.length - 1] !== lineEnd) bounds.push(lineEnd);
      for (var b = 0; b < bounds.length; b++) {
        var a = bounds[b];
        if (points[a]) {
          var pt = el("mark", "pt sev-" + worst(diags, points[a]));
          pt.setAttribute("data-d", points[a].join(" "));
          pt.title = hoverText(diags, points[a]);
          points[a].forEach(function (i) { marked[i] = true; });
          delete points[a];
          lineEl.appendChild(pt);
        }
        // Deleted text leaves a zero-width change: show a thin marker.
        while (changeIndex < changeSorted.length && changeSorted[changeIndex].end <= a) {
          var ch = changeSorted[changeIndex];
          if (ch.start === ch.end && ch.start === a) {
            var del = el("ins", "changed del");
            del.title = ch.title || "此处已修改";
            lineEl.appendChild(del);
          }
          changeIndex++;
        }
        if (b === bounds.length - 1) break;
        var z = bounds[b + 1];
        while (next < ranged.length && ranged[next].start <= a) active.push(ranged[next++]);
        active = active.filter(function (r) { return r.end > a; });
        var piece = document.createTextNode(text.slice(a, z));
        var node = piece;
        for (var c = changeIndex; c < changeSorted.length && changeSorted[c].start <= a; c++) {
          if (changeSorted[c].end >= z && changeSorted[c].start < z) {
            node = el("ins", "changed");
            node.title = changeSorted[c].title || "此处已修改";
            node.appendChild(piece);
            break;
          }
        }
        if (active.length) {
          var ids = active.map(function (r) { return r.i; }).sort(function (x, y) { return x - y; });
          var mark = el("mark", "sev-" + worst(diags, ids));
          mark.setAttribute("data-d", ids.join(" "));
          mark.title = hoverText(diags, ids);
          ids.forEach(function (i) { marked[i] = true; });
          mark.appendChild(node);
          node = mark;
        }
        lineEl.appendChild(node);
      }
      fragment.appendChild(lineEl);
      lineStart = lineEnd + 1;
    }
    // Anything left (positions past the end) goes on the last line.
    Object.keys(points).forEach(function (p) {
      var pt = el("mark", "pt sev-" + worst(diags, points[p]));
      pt.setAttribute("data-d", points[p].join(" "));
      pt.title = hoverText(diags, points[p]);
      points[p].forEach(function (i) { marked[i] = true; });
      (fragment.lastChild || fragment).appendChild(pt);
    });
    textEl.appendChild(fragment);
    textEl.onclick = function (e) {
      var mark = e.target.closest ? e.target.closest("mark") : null;
      if (!mark || !textEl.contains(mark)) return;
      e.stopPropagation();
      showPopover(mark, diags, mark.getAttribute("data-d").split(" ").map(Number), options);
    };
    if (listEl) renderList(textEl, listEl, diags, options);
  }

  function renderList(textEl, listEl, diags, options) {
    diags.forEach(function (d, i) {
      var li = el("li");
      li.setAttribute("data-i", String(i));
      li.setAttribute("data-code", d.code);
      var where = el("div", "where");
      where.appendChild(el("span", "sev sev-" + d.severity, SEVERITY[d.severity] || d.severity));
      where.appendChild(document.createTextNode(" "));
      where.appendChild(el("span", "code", d.code));
      where.appendChild(document.createTextNode("　第 " + d.line + " 行第 " + d.column + " 列" + (d.fix ? (d.fix.safe ? "　可自动修正" : "　有修正建议") : "")));
      li.appendChild(where);
      li.appendChild(el("div", "message", d.message));
      li.addEventListener("click", function (e) {
        e.stopPropagation();
        var target = null;
        textEl.querySelectorAll("mark").forEach(function (m) {
          if (!target && m.getAttribute("data-d").split(" ").indexOf(String(i)) >= 0) target = m;
        });
        if (!target) return;
        target.scrollIntoView({ block: "center" });
        showPopover(target, diags, [i], options);
        li.classList.add("active");
      });
      listEl.appendChild(li);
    });
  }

  return { render: render, SEVERITY: SEVERITY, closePopover: closePopover, el: el };
})();
