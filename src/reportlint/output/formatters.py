"""Output formats: ``text`` (Ruff-like concise lines), ``full`` (with the source
line, basis and fix, for a person), ``json`` (stable schema, see README) and
``lsp`` (LSP Diagnostic objects per file)."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from reportlint.core.diagnostics import Diagnostic, Severity
from reportlint.core.document import Document

JSON_SCHEMA_VERSION = 1


@dataclass
class FileResult:
    document: Document
    diagnostics: list[Diagnostic]
    fail_severity: Severity = Severity.WARNING  # findings at or above it fail the file (--fail-on)


@dataclass
class Results:
    files: list[FileResult] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, one-line problem)
    rules: list[Any] = field(default_factory=list)  # the Rules that ran, for formats that describe them
    fixed: int = 0  # fixes applied by --fix (or shown by --diff)
    written: int = 0  # files --fix wrote back
    unwritten: int = 0  # files checked whose fixes could not be written (their errors are in ``errors``)
    unsafe_fixes: bool = False  # --unsafe-fixes: fixes that need a look count as applicable
    bad_config: int = 0  # files not checked because their configuration is bad (in ``errors`` too)

    @cached_property
    def _titles(self) -> dict[str, str]:
        from reportlint.core.internal import INTERNAL_CODES

        titles = {code: item.title for code, item in INTERNAL_CODES.items()}
        return titles | {rule.code: rule.title for rule in self.rules if getattr(rule, "title", "")}

    def title(self, diag: Diagnostic) -> str:
        """The Chinese title of the finding's rule (``rules`` given), else its name."""
        return self._titles.get(diag.code) or diag.name

    def applicable(self, diag: Diagnostic) -> bool:
        """Whether --fix (with the options given) would apply the finding's fix."""
        return diag.fix is not None and (diag.fix.safe or self.unsafe_fixes)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for f in self.files for d in f.diagnostics]


def _range(doc: Document, diag: Diagnostic, pages: bool = True) -> dict[str, int | None]:
    # For a PDF: the page and the line on that page (physical lines, see Document.source_position).
    start, end = doc.source_position(diag.start), doc.source_position(diag.end)
    if not pages:  # fix edits: positions in the text that --fix rewrites
        return {"line": start.line, "column": start.column, "end_line": end.line, "end_column": end.column}
    return {
        "page": start.page,
        "line": start.line,
        "column": start.column,
        "end_page": end.page,
        "end_line": end.line,
        "end_column": end.column,
    }


def _context(doc: Document, diag: Diagnostic) -> str:
    """`` （位置：“首几个字…”）`` for Word documents, whose lines are paragraphs a reader cannot count."""
    context = doc.context(diag.start)
    return f"（位置：{context}）" if context else ""


def _lsp_range(doc: Document, start: int, end: int) -> dict[str, Any]:
    a, b = doc.lsp_position(start), doc.lsp_position(end)
    return {
        "start": {"line": a.line, "character": a.character},
        "end": {"line": b.line, "character": b.character},
    }


def summary_line(results: Results) -> str:
    """One line on what was checked and found.  It never says 未发现问题 of files that were
    not checked: the files that could not be read are counted apart."""
    counts = Counter(d.severity.chinese for d in results.diagnostics)
    total = sum(counts.values())
    files = len(results.files)
    unread = len(results.errors) - results.unwritten - results.bad_config
    unchecked = unread + results.bad_config
    if total:
        parts = "，".join(f"{name} {counts[name]}" for name in ("错误", "警告", "提示", "建议") if counts[name])
        line = f"发现 {total} 个问题（{parts}），检查 {files} 个文件"
    elif not files:
        line = "没有检查任何文件"
    elif unchecked:
        line = f"已检查的 {files} 个文件未发现问题"
    else:
        line = f"未发现问题（检查 {files} 个文件）"
    if unread:
        line += f"；{unread} 个文件无法读取，没有检查"
    if results.bad_config:
        line += f"；{results.bad_config} 个文件的配置有误，没有检查"
    if results.written:
        line += f"；已自动修正 {results.fixed} 个问题，写回 {results.written} 个文件"
    if results.unwritten:
        line += f"；{results.unwritten} 个文件无法写回，修正没有保存"
    return line


def format_text(results: Results) -> str:
    lines = []
    for result in results.files:
        doc = result.document
        for diag in result.diagnostics:
            pos = doc.source_position(diag.start)
            fixable = " [*]" if results.applicable(diag) and doc.source_format == "text" else ""
            lines.append(
                f"{doc.path}:{pos}: {diag.code}{fixable} [{diag.severity.chinese}] {diag.message}{_context(doc, diag)}"
            )
    lines.append(summary_line(results))
    hint = fix_hint(results)
    if hint:
        lines.append(hint)
    return "\n".join(lines) + "\n"


def fix_hint(results: Results) -> str:
    """As Ruff's "[*] N fixable with the --fix option (M hidden fixes can be enabled with
    the --unsafe-fixes option)": what --fix would apply, and what it would leave."""
    fixes = [d.fix for f in results.files if f.document.source_format == "text" for d in f.diagnostics if d.fix]
    applicable = sum(1 for fix in fixes if fix.safe or results.unsafe_fixes)
    hidden = len(fixes) - applicable
    parts = []
    if applicable:
        parts.append(f"标有 [*] 的 {applicable} 个问题可用 --fix 自动修正")
    if hidden:
        parts.append(f"另有 {hidden} 个修正需人工确认，加 --unsafe-fixes 可一并应用")
    return "；".join(parts) + "。" if parts else ""


# --format full shows this many characters either side of a finding, and at most this many
# of the finding itself: a report's paragraph is often one line thousands of characters long.
WINDOW_CONTEXT = 24
WINDOW_SPAN = 48


def display_width(text: str) -> int:
    """Terminal columns of ``text``: Chinese characters and full-width forms take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def source_window(line: str, start: int, end: int) -> tuple[str, str]:
    """The part of ``line`` around characters ``start:end`` (0-based) and the caret line
    under it, as rustc and Ruff show a long line: … where text is left out."""
    end = min(max(end, start + 1), len(line)) if line else start + 1
    left = max(0, start - WINDOW_CONTEXT)
    cut = end - start > WINDOW_SPAN
    span_end = start + WINDOW_SPAN if cut else end
    right = min(len(line), span_end + WINDOW_CONTEXT)
    before, span, after = line[left:start], line[start:span_end], line[span_end:right]
    head = "…" if left > 0 else ""
    # (a span cut short ends the window: the text after it would read as the span's)
    tail = "…" if cut else after + ("…" if right < len(line) else "")
    shown = head + before + span + tail
    caret = " " * display_width(head + before) + "^" * max(1, display_width(span))
    return shown, caret


def format_full(results: Results) -> str:
    blocks = []
    for result in results.files:
        doc = result.document
        for diag in result.diagnostics:
            pos = doc.source_position(diag.start)
            end = doc.source_position(diag.end)
            source = doc.source_line_text(pos)
            same_line = (end.page, end.line) == (pos.page, pos.line)
            stop = end.column if same_line else len(source) + 1
            shown, caret = source_window(source, pos.column - 1, max(stop - 1, pos.column))
            block = [
                f"{doc.path}:{pos}: {diag.code} {results.title(diag)}（{diag.severity.chinese}）{_context(doc, diag)}",
                f"  {diag.message}",
                f"  {pos.line:>4} | {shown}",
                f"       | {caret}",
                f"  依据：{diag.basis}",
            ]
            if diag.fix:
                block.append(f"  修正：{diag.fix.title}{'' if diag.fix.safe else '（需确认）'}")
            blocks.append("\n".join(block))
    blocks.append(summary_line(results))
    return "\n\n".join(blocks) + "\n"


def diagnostic_json(doc: Document, diag: Diagnostic) -> dict[str, Any]:
    item: dict[str, Any] = {
        "code": diag.code,
        "name": diag.name,
        "category": diag.category,
        "severity": diag.severity.label,
        "message": diag.message,
        "basis": diag.basis,
        **_range(doc, diag),
        "context": doc.context(diag.start),
        "fix": None,
    }
    if diag.fix:
        item["fix"] = {
            "title": diag.fix.title,
            "safe": diag.fix.safe,
            "edits": [
                {
                    **_range(doc, Diagnostic("", "", "", diag.severity, "", e.start, e.end), pages=False),
                    "new_text": e.new_text,
                }
                for e in diag.fix.edits
            ],
        }
    return item


def format_json(results: Results) -> str:
    counts = Counter(d.severity.label for d in results.diagnostics)
    codes = Counter(d.code for d in results.diagnostics)
    payload = {
        "version": JSON_SCHEMA_VERSION,
        "tool": "reportlint",
        "files": [
            {
                "path": r.document.path,
                "format": r.document.source_format,
                "encoding": r.document.encoding,
                "diagnostics": [diagnostic_json(r.document, d) for d in r.diagnostics],
            }
            for r in results.files
        ],
        "errors": [{"path": p, "message": m} for p, m in results.errors],
        "summary": {
            "files": len(results.files),
            "diagnostics": sum(codes.values()),
            "by_severity": {k: counts[k] for k in ("error", "warning", "info", "hint") if counts[k]},
            "by_code": dict(sorted(codes.items())),
        },
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def lsp_diagnostic(doc: Document, diag: Diagnostic) -> dict[str, Any]:
    item: dict[str, Any] = {
        "range": _lsp_range(doc, diag.start, diag.end),
        "severity": diag.severity.lsp,
        "code": diag.code,
        "source": "reportlint",
        "message": diag.message,
        "data": {"name": diag.name, "basis": diag.basis},
    }
    if diag.fix:
        item["data"]["fix"] = {
            "title": diag.fix.title,
            "safe": diag.fix.safe,
            "edits": [{"range": _lsp_range(doc, e.start, e.end), "newText": e.new_text} for e in diag.fix.edits],
        }
    return item


def format_lsp(results: Results) -> str:
    payload = [
        {
            "path": r.document.path,
            "diagnostics": [lsp_diagnostic(r.document, d) for d in r.diagnostics],
        }
        for r in results.files
    ]
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def format_statistics(results: Results) -> str:
    """Counts per rule and severity, most frequent first (``--statistics``): a rule's
    findings can differ in severity (a hint in an unfinished draft, an error in the final
    report), and each is counted at the severity it was reported with."""
    counts = Counter((d.code, d.severity) for d in results.diagnostics)
    titles = {d.code: results.title(d) for d in results.diagnostics}
    fixable = {(d.code, d.severity) for f in results.files for d in f.diagnostics if results.applicable(d)}
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0], -item[0][1]))
    lines = [
        f"{count:>5}  {code:<6} {'[*]' if (code, severity) in fixable else '   '} {titles[code]}（{severity.chinese}）"
        for (code, severity), count in rows
    ]
    lines.append(summary_line(results))
    return "\n".join(lines) + "\n"


FORMATTERS: dict[str, Callable[[Results], str]] = {
    "text": format_text,
    "full": format_full,
    "json": format_json,
    "lsp": format_lsp,
}
