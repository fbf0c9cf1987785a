"""Output formats: ``text`` (Ruff-like concise lines), ``full`` (with the source
line, basis and fix, for a person), ``json`` (stable schema, see README) and
``lsp`` (LSP Diagnostic objects per file)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlint.diagnostics import Diagnostic, Severity
from reportlint.document import Document

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
    unread = len(results.errors) - results.unwritten
    if total:
        parts = "，".join(f"{name} {counts[name]}" for name in ("错误", "警告", "提示", "建议") if counts[name])
        line = f"发现 {total} 个问题（{parts}），检查 {files} 个文件"
    elif not files:
        line = "没有检查任何文件"
    elif unread:
        line = f"检查了的 {files} 个文件没有发现问题"
    else:
        line = f"未发现问题（检查 {files} 个文件）"
    if unread:
        line += f"；{unread} 个文件无法读取，没有检查"
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
            fixable = " [*]" if diag.fix and doc.source_format == "text" else ""
            lines.append(
                f"{doc.path}:{pos}: {diag.code}{fixable} [{diag.severity.label}] {diag.message}{_context(doc, diag)}"
            )
    lines.append(summary_line(results))
    if any(d.fix for f in results.files if f.document.source_format == "text" for d in f.diagnostics):
        lines.append("标有 [*] 的问题可用 --fix 自动修正（部分需加 --unsafe-fixes）。")
    return "\n".join(lines) + "\n"


def format_full(results: Results) -> str:
    blocks = []
    for result in results.files:
        doc = result.document
        for diag in result.diagnostics:
            pos = doc.source_position(diag.start)
            end = doc.source_position(diag.end)
            source = doc.source_line_text(pos)
            same_line = (end.page, end.line) == (pos.page, pos.line)
            width = max(1, (end.column - pos.column) if same_line else len(source) - pos.column + 1)
            caret = "".join("　" if ord(c) > 0x2E80 else " " for c in source[: pos.column - 1]) + "^" * width
            block = [
                f"{doc.path}:{pos}: {diag.code} {diag.name}（{diag.severity.chinese}）{_context(doc, diag)}",
                f"  {diag.message}",
                f"  {pos.line:>4} | {source}",
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
    """Counts per rule, most frequent first (``--statistics``)."""
    counts = Counter(d.code for d in results.diagnostics)
    first = {}
    for diag in results.diagnostics:
        first.setdefault(diag.code, diag)
    fixable = {d.code for d in results.diagnostics if d.fix}
    lines = [
        f"{count:>5}  {code:<6} {'[*]' if code in fixable else '   '} "
        f"{first[code].name}（{first[code].severity.chinese}）"
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    lines.append(summary_line(results))
    return "\n".join(lines) + "\n"


FORMATTERS: dict[str, Callable[[Results], str]] = {
    "text": format_text,
    "full": format_full,
    "json": format_json,
    "lsp": format_lsp,
}
