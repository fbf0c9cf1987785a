"""``junit``: JUnit XML, one test case per report, for GitLab and Jenkins."""

from __future__ import annotations

from reportlint.app.results import Results
from reportlint.core.diagnostics import Diagnostic
from reportlint.core.document import Document
from reportlint.output.base import OutputFormat

__all__ = ["FORMATS", "format_junit"]


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


FORMATS = (OutputFormat("junit", format_junit),)
