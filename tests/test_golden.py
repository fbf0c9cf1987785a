"""Golden tests: the exact diagnostics (line, column, code, severity) of each sample
report with the default rule set.  ``fixtures/expected/<sample>.txt`` was reviewed by
hand against the rule catalogue's per-sample defect table; see
``fixtures/expected/REVIEW.md`` for the line-by-line review.

To see a difference in full: ``reportlint check fixtures/reports/<file>``.
To rewrite after a reviewed change: ``REPORTLINT_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py``
(then read the diff line by line before committing).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reportlint.core.diagnostics import Severity
from reportlint.engine.config import Config
from reportlint.engine.lint import lint_document, load_ruleset
from reportlint.inputs.reading import read_path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = sorted((ROOT / "fixtures" / "reports").glob("*.txt"))
EXPECTED = ROOT / "fixtures" / "expected"
CLEAN = sorted((ROOT / "fixtures" / "clean").glob("*.txt"))


def actual_lines(path: Path) -> list[str]:
    config = Config()
    doc = read_path(path)
    rules = load_ruleset(config).select(config, str(path))
    lines = []
    for diag in lint_document(doc, rules, config):
        pos = doc.position(diag.start)
        lines.append(f"{pos.line}:{pos.column} {diag.code} {diag.severity.label}")
    return lines


def expected_lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [line.split("#")[0].strip() for line in text.splitlines() if line.split("#")[0].strip()]


@pytest.mark.parametrize("report", REPORTS, ids=[r.name[:3] for r in REPORTS])
def test_sample_matches_golden(report: Path) -> None:
    golden = EXPECTED / f"{report.stem}.txt"
    actual = actual_lines(report)
    if os.environ.get("REPORTLINT_UPDATE_GOLDEN"):
        golden.write_text("\n".join(actual) + "\n", encoding="utf-8")
    assert actual == expected_lines(golden)


@pytest.mark.parametrize("report", CLEAN, ids=[r.name for r in CLEAN])
def test_clean_report_has_no_warning_or_error(report: Path) -> None:
    config = Config()
    doc = read_path(report)
    rules = load_ruleset(config).select(config, str(report))
    serious = [d for d in lint_document(doc, rules, config) if d.severity >= Severity.WARNING]
    assert serious == []


@pytest.mark.parametrize("report", [*REPORTS, *CLEAN], ids=[r.name[:3] for r in [*REPORTS, *CLEAN]])
def test_report_saved_as_markdown_gets_the_same_findings(report: Path, tmp_path: Path) -> None:
    """The same report with Markdown # headings (title: #, level-n headings: n+1 #): the
    same codes on the same lines, no missing-part false alarms.  (Stray spaces before a
    title or heading, FZ112, are behind the # in the Markdown copy: not compared there.)"""
    from reportlint.outline.parser import build_outline

    doc = read_path(report)
    outline = build_outline(doc)
    hashes = {h.line: "#" * (h.level + 1) + " " for h in outline.headings}
    hashes.update({line: "# " for line in outline.title_lines})
    markdown = tmp_path / f"{report.stem}.md"
    markdown.write_text("\n".join(hashes.get(n, "") + text for n, text in enumerate(doc.lines, 1)), encoding="utf-8")

    def codes_by_line(path: Path) -> list[tuple[int, str, str]]:
        found = []
        for entry in actual_lines(path):
            position, code, severity = entry.split(" ")
            line = int(position.split(":")[0])
            if not (code == "FZ112" and line in hashes):
                found.append((line, code, severity))
        return found

    assert codes_by_line(markdown) == codes_by_line(report)


@pytest.mark.parametrize("report", [*REPORTS, *CLEAN], ids=[r.name[:3] for r in [*REPORTS, *CLEAN]])
def test_report_with_unnumbered_part_headings_gets_the_same_findings(report: Path, tmp_path: Path) -> None:
    """The same report with its level-1 markers (一、二、…) removed, so that its parts are
    headed by bare lines: the same codes on the same lines, no missing-part false alarms.
    (Findings about the removed markers themselves, FZ601/FZ602, are not compared.)"""
    import regex

    from reportlint.outline.parser import build_outline

    doc = read_path(report)
    level_1 = {h.line for h in build_outline(doc).headings if h.level == 1}
    marker = regex.compile(r"^(\s*)[一二三四五六七八九十]+[、.．，,]\s*")
    lines = [marker.sub(r"\1", text) if n in level_1 else text for n, text in enumerate(doc.lines, 1)]
    bare = tmp_path / f"{report.stem}.txt"
    bare.write_text("\n".join(lines), encoding="utf-8")

    def codes_by_line(path: Path) -> list[tuple[int, str]]:
        found = [(int(entry.split(":")[0]), entry.split(" ")[1]) for entry in actual_lines(path)]
        return [(line, code) for line, code in found if not (code in ("FZ601", "FZ602") and line in level_1)]

    assert codes_by_line(bare) == codes_by_line(report)
