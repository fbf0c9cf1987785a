"""The accuracy harness (bench/accuracy.py) on the corpus of tests/corpus/: its matching
rules, and the floors CI holds the rules to."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import accuracy  # noqa: E402
import variants  # noqa: E402


def _case(findings: list[tuple[int, str, str]], labels: list[dict[str, object]], **record: object) -> accuracy.Case:
    from reportlint.core.document import Document

    case = accuracy.Case("r.txt", "real", Document.from_text("x\n" * 20, path="r.txt"))
    case.findings = [accuracy.Finding("r.txt", line, 1, code, severity, "") for line, code, severity in findings]
    case.labels = [accuracy._label({"file": "r.txt", **label}) for label in labels]
    case.sections = dict(record.get("sections", {}))  # type: ignore[arg-type]
    case.truncated_at = record.get("truncated_at")  # type: ignore[assignment]
    case.ignore_lines = set(record.get("ignore_lines", set()))  # type: ignore[arg-type]
    return case


TABLE = accuracy.Table(
    codes={"FZ303": ["fazhi_term"], "FZ202": ["problems"], "FZ503": ["digit_space"]},
    absence={"FZ202": "problems"},
)


def test_a_finding_matches_a_label_of_its_category_one_line_away() -> None:
    case = _case(
        [(5, "FZ303", "warning"), (9, "FZ303", "warning"), (5, "FZ503", "warning")],
        [{"line": 4, "category": "fazhi_term", "severity": "warning"}],
    )
    accuracy.judge(case, TABLE)
    assert [f.verdict for f in case.findings] == ["true", "false", "false"]
    assert case.labels[0].matched_any and case.labels[0].matched_serious


def test_an_info_finding_counts_for_recall_but_not_at_error_and_warning() -> None:
    case = _case([(4, "FZ303", "info")], [{"line": 4, "category": "fazhi_term", "severity": "warning"}])
    accuracy.judge(case, TABLE)
    figures = accuracy.figures([case])
    assert (figures.judged, figures.matched, figures.matched_serious) == (0, 1, 0)


def test_truncated_heads_judge_neither_the_cut_nor_parts_after_it() -> None:
    case = _case(
        [(1, "FZ202", "error"), (12, "FZ503", "warning"), (7, "FZ503", "warning")],
        [],
        sections={"problems": False},
        truncated_at=12,
        ignore_lines={7},
    )
    accuracy.judge(case, TABLE)
    assert [f.verdict for f in case.findings] == ["unjudged", "unjudged", "unjudged"]


def test_a_part_the_head_has_reported_missing_is_a_false_alarm() -> None:
    case = _case([(1, "FZ202", "error")], [], sections={"problems": True}, truncated_at=12)
    accuracy.judge(case, TABLE)
    assert case.findings[0].verdict == "false"


def test_every_rule_is_in_the_category_table() -> None:
    from reportlint.engine.lint import load_ruleset

    table = accuracy.Table.load()
    codes = {rule.code for rule in load_ruleset().rules}
    assert codes <= set(table.codes), sorted(codes - set(table.codes))
    assert set(table.codes) <= codes, sorted(set(table.codes) - codes)


def test_the_variants_on_disk_are_the_renderings_of_the_specs() -> None:
    assert variants.main(["--check"]) == 0


@pytest.mark.parametrize("spec", variants.load_specs(), ids=lambda spec: spec.id)
def test_every_spec_is_rendered_in_several_shapes(spec: variants.Spec) -> None:
    shapes = variants.shapes_for(spec)
    assert len({shape.name for shape in shapes}) == len(shapes) >= 6


def test_the_corpus_is_above_the_floors(capsys: pytest.CaptureFixture[str]) -> None:
    """The rules against bench/accuracy-floors.json (what CI also runs)."""
    code = accuracy.main(["--quiet"])
    out = capsys.readouterr().out
    assert code == 0, out
