"""Output for programs: ``json`` (a stable schema, see README) and ``lsp`` (LSP
Diagnostic objects per file; the language server publishes the same objects)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any

from reportlint.app.results import Results, diagnostic_json
from reportlint.core.diagnostics import Diagnostic
from reportlint.core.document import Document
from reportlint.output.base import OutputFormat

__all__ = ["FORMATS", "JSON_SCHEMA_VERSION", "format_json", "format_lsp", "lsp_diagnostic"]

JSON_SCHEMA_VERSION = 1


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


def _lsp_range(doc: Document, start: int, end: int) -> dict[str, Any]:
    a, b = doc.lsp_position(start), doc.lsp_position(end)
    return {
        "start": {"line": a.line, "character": a.character},
        "end": {"line": b.line, "character": b.character},
    }


def lsp_diagnostic(
    doc: Document, diag: Diagnostic, range_of: Callable[[int, int], dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A finding as an LSP Diagnostic object (the ``lsp`` format's, and what the language
    server publishes).  ``range_of(start, end)``: the LSP range of two offsets (by default
    the Document's UTF-16 positions; the server counts a BOM that its buffer still has)."""
    if range_of is None:
        range_of = partial(_lsp_range, doc)
    item: dict[str, Any] = {
        "range": range_of(diag.start, diag.end),
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
            "edits": [{"range": range_of(e.start, e.end), "newText": e.new_text} for e in diag.fix.edits],
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


FORMATS = (OutputFormat("json", format_json), OutputFormat("lsp", format_lsp))
