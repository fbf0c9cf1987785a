"""``sarif``: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reportlint.app.fixes import fixable_document
from reportlint.app.results import FileResult, Results
from reportlint.app.rule_docs import explain_text
from reportlint.app.rule_examples import example_message
from reportlint.core.diagnostics import Diagnostic, Severity
from reportlint.core.document import Document
from reportlint.core.version import __version__
from reportlint.output.base import OutputFormat

__all__ = ["FORMATS", "format_sarif"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.HINT: "note"}
INFORMATION_URI = "https://github.com/reportlint/reportlint"


def _relative_uri(path: str) -> str:
    """A repository-relative URI where possible: code scanning matches files by it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _region(doc: Document, start: int, end: int) -> dict[str, Any]:
    a, b = doc.source_position(start), doc.source_position(end)
    # SARIF columns count code points here (columnKind below); endColumn is exclusive, as ours is.
    region: dict[str, Any] = {"startLine": a.line, "startColumn": a.column, "endLine": b.line, "endColumn": b.column}
    if a.page is not None:  # a PDF: lines are counted on the page
        region["properties"] = {"page": a.page, "endPage": b.page}
    return region


def _sarif_rule(rule: Any) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.title or rule.name},
        "fullDescription": {"text": example_message(rule)},  # as on its first bad example
        "help": {"text": explain_text(rule), "markdown": explain_text(rule)},
        "defaultConfiguration": {"level": SARIF_LEVELS[rule.severity], "enabled": rule.enabled},
        "properties": {"category": rule.category, "basis": rule.basis, "tags": [rule.category]},
    }


def _sarif_rule_from_diagnostic(diag: Diagnostic) -> dict[str, Any]:
    # Findings of reportlint itself (RL…) have no rule file.
    return {
        "id": diag.code,
        "name": diag.name,
        "shortDescription": {"text": diag.name},
        "help": {"text": diag.basis},
        "properties": {"category": diag.category, "basis": diag.basis},
    }


def _fingerprint(doc: Document, diag: Diagnostic) -> str:
    # Stable across edits elsewhere in the file: code plus the text it points at.
    import hashlib  # here: OpenSSL is loaded only when SARIF is written (some 3 ms of a start)

    text = doc.text[diag.start : diag.end] or diag.message
    return hashlib.sha256(f"{diag.code}\0{text}".encode()).hexdigest()[:32]


def _sarif_result(result: FileResult, diag: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
    doc = result.document
    uri = _relative_uri(doc.path)
    item: dict[str, Any] = {
        "ruleId": diag.code,
        "ruleIndex": index[diag.code],
        "level": SARIF_LEVELS[diag.severity],
        "message": {"text": diag.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {
                        **_region(doc, diag.start, diag.end),
                        "snippet": {"text": doc.text[diag.start : diag.end]},
                    },
                }
            }
        ],
        "partialFingerprints": {"reportlint/v1": _fingerprint(doc, diag)},
        "properties": {"basis": diag.basis, "category": diag.category},
    }
    if diag.fix and fixable_document(doc):  # Word and PDF files are not edited in place
        item["fixes"] = [
            {
                "description": {"text": diag.fix.title},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": uri},
                        "replacements": [
                            {"deletedRegion": _region(doc, e.start, e.end), "insertedContent": {"text": e.new_text}}
                            for e in diag.fix.edits
                        ],
                    }
                ],
            }
        ]
    return item


def format_sarif(results: Results) -> str:
    rules = {rule.code: _sarif_rule(rule) for rule in results.rules}
    for diag in results.diagnostics:
        rules.setdefault(diag.code, _sarif_rule_from_diagnostic(diag))
    descriptors = [rules[code] for code in sorted(rules)]
    index = {descriptor["id"]: i for i, descriptor in enumerate(descriptors)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "reportlint",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": [_sarif_result(r, d, index) for r in results.files for d in r.diagnostics],
        "invocations": [
            {
                "executionSuccessful": not results.errors,
                "toolExecutionNotifications": [
                    {
                        "level": "error",
                        "message": {"text": problem},
                        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _relative_uri(path)}}}],
                    }
                    for path, problem in results.errors
                ],
            }
        ],
    }
    payload = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


FORMATS = (OutputFormat("sarif", format_sarif, describes_rules=True),)
