"""Every rule's own examples, run as tests (semgrep/LanguageTool style), for the built-in
packs and the test packs (tests/packs/).

A ``bad`` example must trigger its rule; when it marks a span with «…», the
finding must cover exactly that span; when it gives ``fixed``, applying the
rule's fixes must produce that text and the fixed text must be clean.  A
``good`` example must not trigger the rule.  Every rule needs at least one of each.

A rule may also have annotated documents beside its file: ``FZ602-heading-sequence.txt``,
a whole realistic report, and ``FZ602-heading-sequence.expect``, the findings expected in
it, one a line as ``line:column CODE`` (the column may be left out; ``#`` starts a
comment).  The report is linted with its pack's rules, as a user would lint it; the
findings of the rule, and of every other code the file lists, must be exactly those
listed.  So section-scoped rules are tested on whole reports, not only on short snippets.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import BUILTIN_HIDDEN, PACKS
from reportlint.app.fixes import applicable_edits, apply_edits
from reportlint.engine.config import Config
from reportlint.engine.lint import lint_text, load_ruleset
from reportlint.engine.loader import load_pack
from reportlint.rules.model import Example, Pack, Rule

BUILTIN = [] if BUILTIN_HIDDEN else load_ruleset(Config()).packs
TEST_PACKS = [load_pack(path) for path in sorted(PACKS.iterdir()) if (path / "pack.toml").is_file()]
PACK_LIST: list[Pack] = [*BUILTIN, *TEST_PACKS]
RULES = [rule for pack in PACK_LIST for rule in pack.rules]


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


# -- annotated documents -------------------------------------------------------------------


def annotated_documents(pack: Pack) -> list[tuple[Rule, Path]]:
    """(rule, document) for each ``<rule file stem>.txt`` in the pack's folder."""
    by_stem = {rule.path.stem: rule for rule in pack.rules}
    return [(by_stem[path.stem], path) for path in sorted(pack.directory.glob("*.txt")) if path.stem in by_stem]


def read_expect(path: Path) -> list[tuple[int, int | None, str]]:
    """The findings an .expect file lists: (line, column or None, code)."""
    found = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where, _, code = line.partition(" ")
        row, _, column = where.partition(":")
        assert row.isdigit() and (not column or column.isdigit()) and code.strip(), f"{path}:{number}: {raw!r}"
        found.append((int(row), int(column) if column else None, code.strip()))
    return found


DOCUMENTS = [
    pytest.param(pack, rule, path, id=f"{pack.name}-{path.stem}")
    for pack in PACK_LIST
    for rule, path in annotated_documents(pack)
]


def test_the_fazhi_pack_has_annotated_documents_of_section_rules() -> None:
    if BUILTIN_HIDDEN:
        pytest.skip("the built-in packs are hidden")
    fazhi = next(pack for pack in BUILTIN if pack.name == "fazhi")
    documented = [rule for rule, _ in annotated_documents(fazhi)]
    assert len(documented) >= 3
    assert {"FZ202", "FZ207", "FZ602"} <= {rule.code for rule in documented}


@pytest.mark.parametrize("pack", [pytest.param(p, id=p.name) for p in PACK_LIST])
def test_every_document_beside_a_rule_has_its_expectations(pack: Pack) -> None:
    stems = {rule.path.stem for rule in pack.rules}
    for path in [*pack.directory.glob("*.txt"), *pack.directory.glob("*.expect")]:
        assert path.stem in stems, f"{path.name} is beside no rule file (name it <rule file>.txt / .expect)"
        partner = path.with_suffix(".expect" if path.suffix == ".txt" else ".txt")
        assert partner.is_file(), f"{path.name} has no {partner.name} beside it"


@pytest.mark.parametrize(("pack", "rule", "path"), DOCUMENTS)
def test_annotated_document_has_exactly_the_expected_findings(pack: Pack, rule: Rule, path: Path) -> None:
    expected = read_expect(path.with_suffix(".expect"))
    codes = {rule.code} | {code for _, _, code in expected}
    assert rule.code in {code for _, _, code in expected}, f"{path.name}: list the findings of {rule.code}"
    rules = [r for r in pack.rules if r.enabled or r.code in codes]
    doc, diagnostics = lint_text(path.read_text(encoding="utf-8"), path=path.name, rules=rules)
    found = [d for d in diagnostics if d.code in codes]
    with_columns = Counter(
        (doc.position(d.start).line, doc.position(d.start).column, d.code) for d in found
    )
    without_columns = Counter((doc.position(d.start).line, d.code) for d in found)
    wanted_columns = Counter((line, column, code) for line, column, code in expected if column is not None)
    wanted_lines = Counter((line, code) for line, column, code in expected if column is None)
    shown = sorted(f"{line}:{column} {code}" for line, column, code in with_columns.elements())
    assert wanted_columns <= with_columns, shown
    rest = without_columns - Counter((line, code) for line, _, code in wanted_columns.elements())
    assert rest == wanted_lines, shown


def test_a_wrong_expectation_fails(tmp_path: Path) -> None:
    """The check of an annotated document fails on a finding missing, moved or extra."""
    neutral = next(pack for pack in TEST_PACKS if pack.name == "neutral")
    rule, document = next((r, p) for r, p in annotated_documents(neutral) if r.code == "NT404")
    for expect in ("12:1 NT404\n", "11:2 NT404\n", "11 NT404\n11 NT404\n", "# nothing\n"):
        copy = tmp_path / document.name
        copy.write_bytes(document.read_bytes())
        copy.with_suffix(".expect").write_text(expect, encoding="utf-8")
        with pytest.raises(AssertionError):
            test_annotated_document_has_exactly_the_expected_findings(neutral, rule, copy)
    copy.with_suffix(".expect").write_text("11 NT404  # the column may be left out\n", encoding="utf-8")
    test_annotated_document_has_exactly_the_expected_findings(neutral, rule, copy)
