/* The self-check page: send the text or file to the local API, show the findings,
 * apply the safe fixes and offer the corrected text for download. */
"use strict";
(function () {
  var MAX_BYTES = Number(document.querySelector('meta[name="reportlint-max-bytes"]').content) || 5242880;
  var fileInput = document.getElementById("file");
  // The suffixes the server reads, and those it can fix (whose text is the file's), from the page.
  var SUFFIXES = fileInput.accept.split(",");
  var FIXABLE = (fileInput.getAttribute("data-fixable") || "").split(",");
  var textArea = document.getElementById("text");
  var message = document.getElementById("message");
  var result = document.getElementById("result");
  var inputSection = document.getElementById("input-section");
  var fixButton = document.getElementById("fix");
  var download = document.getElementById("download");
  var fixSummary = document.getElementById("fix-summary");
  var state = { filename: "", text: "", newline: "\n", fixed: false };
  var downloadUrl = null;

  function say(text, isError) {
    message.hidden = !text;
    message.textContent = text || "";
    message.className = isError ? "error" : "";
  }

  function post(path, body) {
    say("正在检查，请稍候……");
    return fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return { error: "服务返回了无法识别的内容（" + response.status + "）" }; })
        .then(function (data) {
          if (!response.ok || data.error) throw new Error(data.error || ("请求失败（" + response.status + "）"));
          say("");
          return data;
        });
    }).catch(function (error) {
      say(error.message === "Failed to fetch" ? "无法连接自检服务：请确认 reportlint serve 仍在运行。" : error.message, true);
      throw error;
    });
  }

  function base64(buffer) {
    var bytes = new Uint8Array(buffer);
    var chunks = [];
    for (var i = 0; i < bytes.length; i += 0x8000) {
      chunks.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)));
    }
    return btoa(chunks.join(""));
  }

  function suffixOf(name) {
    var found = /\.[^.\\/]*$/.exec(name);
    return found ? found[0].toLowerCase() : "";
  }

  function counts(summary) {
    var parts = ["error", "warning", "info", "hint"].filter(function (s) { return summary.by_severity[s]; })
      .map(function (s) { return ReportlintText.SEVERITY[s] + " " + summary.by_severity[s]; });
    return summary.diagnostics ? "发现 " + summary.diagnostics + " 个问题（" + parts.join("，") + "）。" : "未发现问题。";
  }

  function show(data, changes) {
    state.filename = data.filename;
    state.text = data.text;
    state.newline = data.newline || "\n";
    textArea.value = data.text;
    result.hidden = false;
    document.getElementById("result-title").textContent = data.filename;
    document.getElementById("summary").textContent = counts(data.summary);
    var safe = data.summary.safe_fixes;
    fixButton.textContent = safe ? "应用安全修正（" + safe + " 处）" : "没有可自动修正的问题";
    fixButton.disabled = !safe;
    ReportlintText.render(document.getElementById("doc-text"), document.getElementById("findings"),
      data.text, data.diagnostics, { changes: changes || [] });
  }

  function lintFile(file) {
    if (!file) return;
    if (SUFFIXES.indexOf(suffixOf(file.name)) < 0) {
      say("只能检查 " + fileInput.getAttribute("data-formats") + " 文件；其他格式请先另存为 .docx 或 .txt。", true);
      return;
    }
    if (file.size > MAX_BYTES) { say("文件过大：超过 " + Math.round(MAX_BYTES / 1048576) + " MB，请拆分后再检查。", true); return; }
    var reader = new FileReader();
    reader.onload = function () {
      post("/api/lint", { filename: file.name, content: base64(reader.result) }).then(function (data) {
        resetFix();
        show(data);
      }, function () {});
    };
    reader.onerror = function () { say("无法读取所选文件。", true); };
    reader.readAsArrayBuffer(file);
  }

  function resetFix() {
    state.fixed = false;
    fixSummary.hidden = true;
    download.hidden = true;
    if (downloadUrl) { URL.revokeObjectURL(downloadUrl); downloadUrl = null; }
  }

  fileInput.addEventListener("change", function () { lintFile(fileInput.files[0]); });

  document.getElementById("check").addEventListener("click", function () {
    var text = textArea.value;
    if (!text.trim()) { say("请先粘贴报告全文或选择文件。", true); return; }
    post("/api/lint", { filename: state.filename || "粘贴的文本.txt", text: text }).then(function (data) {
      resetFix();
      show(data);
    }, function () {});
  });

  document.getElementById("clear").addEventListener("click", function () {
    textArea.value = "";
    fileInput.value = "";
    state = { filename: "", text: "", newline: "\n", fixed: false };
    resetFix();
    result.hidden = true;
    say("");
  });

  document.getElementById("edit").addEventListener("click", function () {
    ReportlintText.closePopover();
    inputSection.scrollIntoView({ block: "start" });
    textArea.focus();
  });

  fixButton.addEventListener("click", function () {
    post("/api/fix", { filename: state.filename, text: state.text }).then(function (data) {
      show(data, data.changes);
      state.fixed = true;
      var codes = Object.keys(data.fixed_codes).map(function (c) { return c + " × " + data.fixed_codes[c]; });
      fixSummary.hidden = false;
      fixSummary.textContent = "已自动修正 " + data.fixed + " 处" + (codes.length ? "（" + codes.join("，") + "）" : "") +
        "，绿色标出改动的位置。其余问题请人工修改。";
      var suffix = suffixOf(state.filename);
      var name = SUFFIXES.indexOf(suffix) < 0 ? state.filename : state.filename.slice(0, -suffix.length);
      var ext = FIXABLE.indexOf(suffix) < 0 ? ".txt" : suffix;
      var body = state.newline === "\n" ? data.text : data.text.split("\n").join(state.newline);
      if (downloadUrl) URL.revokeObjectURL(downloadUrl);
      downloadUrl = URL.createObjectURL(new Blob([body], { type: "text/plain;charset=utf-8" }));
      download.href = downloadUrl;
      download.download = name + "（已修正）" + ext;
      download.hidden = false;
    }, function () {});
  });
})();
