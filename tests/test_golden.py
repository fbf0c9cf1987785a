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

from reportlint.config import Config
from reportlint.diagnostics import Severity
from reportlint.engine import lint_document, load_ruleset
from reportlint.reading import read_path

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
