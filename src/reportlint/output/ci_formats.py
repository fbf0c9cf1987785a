"""Output formats for CI: ``sarif`` (SARIF 2.1.0, for GitHub code scanning and
other SARIF viewers), ``github`` (workflow commands that become annotations on a
pull request) and ``junit`` (one test case per report, for GitLab and Jenkins)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlint.app.rule_docs import explain_text
from reportlint.app.rule_examples import example_message
from reportlint.core.diagnostics import Diagnostic, Severity
from reportlint.core.document import Document
from reportlint.core.version import __version__
from reportlint.output.formatters import FileResult, Results, summary_line

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.HINT: "note"}
GITHUB_COMMANDS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
    Severity.HINT: "notice",
}
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
    if diag.fix and doc.source_format == "text":  # Word and PDF files are not edited in place
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


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(results: Results) -> str:
    """GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=CODE::message``."""
    lines = []
    for result in results.files:
        doc = result.document
        for diag in result.diagnostics:
            a, b = doc.source_position(diag.start), doc.source_position(diag.end)
            message = diag.message if a.page is None else f"（第 {a.page} 页）{diag.message}"
            properties = ",".join(
                f"{key}={_escape_property(str(value))}"
                for key, value in (
                    ("file", doc.path),
                    ("line", a.line),
                    ("endLine", b.line),
                    ("col", a.column),
                    ("endColumn", b.column),
                    ("title", f"{diag.code} {diag.name}"),
                )
            )
            lines.append(f"::{GITHUB_COMMANDS[diag.severity]} {properties}::{_escape_data(message)}")
    for path, problem in results.errors:
        lines.append(f"::error file={_escape_property(path)},title=reportlint::{_escape_data(problem)}")
    lines.append(summary_line(results))
    return "\n".join(lines) + "\n"


def _diagnostic_line(doc: Document, diag: Diagnostic) -> str:
    return f"{doc.path}:{doc.source_position(diag.start)}: {diag.code} [{diag.severity.chinese}] {diag.message}"


def format_junit(results: Results) -> str:
    """JUnit XML: one test case per report; it fails on findings at or above the fail level."""
    from xml.etree import ElementTree

    cases = []
    failures = 0
    for result in results.files:
        case = ElementTree.Element("testcase", classname="reportlint", name=result.document.path)
        case.set("file", result.document.path)
        failing = [d for d in result.diagnostics if d.severity >= result.fail_severity]
        if failing:
            failures += 1
            codes = sorted({d.code for d in failing})
            failure = ElementTree.SubElement(
                case, "failure", message=f"{len(failing)} 个问题：{'、'.join(codes)}", type="reportlint"
            )
            failure.text = "\n".join(_diagnostic_line(result.document, d) for d in failing)
        below = [d for d in result.diagnostics if d.severity < result.fail_severity]
        if below:
            ElementTree.SubElement(case, "system-out").text = "\n".join(
                _diagnostic_line(result.document, d) for d in below
            )
        cases.append(case)
    for path, problem in results.errors:
        case = ElementTree.Element("testcase", classname="reportlint", name=path)
        ElementTree.SubElement(case, "error", message=problem, type="input-error").text = f"{path}: {problem}"
        cases.append(case)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": str(len(results.errors))}
    suites = ElementTree.Element("testsuites", name="reportlint", **counts)
    suite = ElementTree.SubElement(suites, "testsuite", name="reportlint", **counts)
    suite.extend(cases)
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"


CI_FORMATTERS: dict[str, Callable[[Results], str]] = {
    "sarif": format_sarif,
    "github": format_github,
    "junit": format_junit,
}
