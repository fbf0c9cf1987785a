"""Every rule's own ``bad``/``good`` examples, run as tests (semgrep/LanguageTool style).

A ``bad`` example must trigger its rule; when it marks a span with «…», the
finding must cover exactly that span; when it gives ``fixed``, applying the
rule's fixes must produce that text and the fixed text must be clean.  A
``good`` example must not trigger the rule.  Every rule needs at least one of each.
"""

from __future__ import annotations

import pytest

from reportlint.config import Config
from reportlint.engine import lint_text, load_ruleset
from reportlint.fixes import applicable_edits, apply_edits
from reportlint.rules import Example, Rule

RULES = load_ruleset(Config()).rules


def _cases(kind: str) -> list[object]:
    cases = []
    for rule in RULES:
        for index, example in enumerate(getattr(rule, kind)):
            cases.append(pytest.param(rule, example, id=f"{rule.code}-{kind}{index + 1}"))
    return cases


def _strip_marker(text: str) -> tuple[str, tuple[int, int] | None]:
    if "«" not in text:
        return text, None
    start = text.index("«")
    end = text.index("»") - 1
    return text.replace("«", "").replace("»", ""), (start, end)


def _lint(rule: Rule, text: str) -> list:
    _, diagnostics = lint_text(text, path="example.txt", rules=[rule])
    return [d for d in diagnostics if d.code == rule.code]


@pytest.mark.parametrize("rule", [pytest.param(r, id=r.code) for r in RULES])
def test_rule_has_examples_basis_and_chinese_message(rule: Rule) -> None:
    assert rule.bad, f"{rule.code} has no bad example"
    assert rule.good, f"{rule.code} has no good example"
    assert rule.basis.strip()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.message)


@pytest.mark.parametrize(("rule", "example"), _cases("bad"))
def test_bad_example_is_reported(rule: Rule, example: Example) -> None:
    text, span = _strip_marker(example.text)
    found = _lint(rule, text)
    assert found, f"{rule.code} missed its bad example: {text!r}"
    for diag in found:
        assert 0 <= diag.start <= diag.end <= len(text)
    if example.severity is not None:  # e.g. a weaker form of the defect, reported as a hint
        assert {d.severity.name.lower() for d in found} == {example.severity}
    if span is not None:
        assert span in {(d.start, d.end) for d in found}, [(d.start, d.end, d.message) for d in found]
    if example.fixed is not None:
        fixed = apply_edits(text, applicable_edits(found, unsafe=True))
        assert fixed == example.fixed
        assert not _lint(rule, fixed), f"{rule.code} still fires after its fix"


@pytest.mark.parametrize(("rule", "example"), _cases("good"))
def test_good_example_is_clean(rule: Rule, example: Example) -> None:
    found = _lint(rule, example.text)
    assert not found, [(d.message, d.start) for d in found]
