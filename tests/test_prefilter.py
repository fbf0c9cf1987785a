"""The prefilter (required literals, search windows) and the 顿号-chain search must
never change what a rule finds: they only skip text that cannot match."""

from __future__ import annotations

import random

import pytest
import regex

from conftest import REPORTS
from reportlint.checks.citation import ITEM_RUN, item_runs
from reportlint.engine import load_ruleset
from reportlint.prefilter import LiteralIndex, analyse_pattern, pattern_reach, required_literals


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("法制宣传日|宪法日", {"法制宣传日", "宪法日"}),
        # A character class expands; lookbehind text joins the run after it.
        ("(?<=党的)(?:1[89]|20)大", {"党的18大", "党的19大", "党的20大"}),
        # The most selective part of a sequence wins.
        (r"\p{Han}{2,24}?(?:有限责任公司|集团公司)", {"有限责任公司", "集团公司"}),
        # Optional parts are not required; a required repeat keeps its body.
        ("(?:的)?新理念", {"新理念"}),
        ("(?:新){2}思想", {"新新思想"}),
        ("(?:新理念)+", {"新理念"}),
    ],
)
def test_required_literals(pattern: str, expected: set[str]) -> None:
    assert required_literals(pattern) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        r"\p{Han}+",  # no literal at all
        "(?i)wifi",  # case-insensitive: nothing is claimed
        "a|.",  # one branch without a literal
        "(?:法制)?",  # may match the empty string
        r"(?r)法制",  # reverse search
    ],
)
def test_no_literals_claimed(pattern: str) -> None:
    assert required_literals(pattern) is None


def _rule_patterns() -> list[tuple[str, str]]:
    found = []
    for rule in load_ruleset().rules:
        for name in ("pattern", "allow", "unless", "unless_before", "contains"):
            pattern = getattr(rule.check, name, None)
            if pattern is not None and hasattr(pattern, "pattern"):
                found.append((f"{rule.code}.{name}", pattern.pattern))
    return found


def _texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in REPORTS]
    for rule in load_ruleset().rules:
        texts += [example.text.replace("«", "").replace("»", "") for example in (*rule.bad, *rule.good)]
    return texts


@pytest.mark.parametrize(("name", "pattern"), _rule_patterns())
def test_every_match_holds_a_literal(name: str, pattern: str) -> None:
    """Soundness on the shipped rules: wherever a pattern matches, one of its literals
    occurs, and searching only the windows finds exactly the matches of a full search."""
    facts = analyse_pattern(pattern)
    compiled = regex.compile(pattern)
    for text in _texts():
        matches = [m.span() for m in compiled.finditer(text)]
        if facts.literals is None:
            continue
        index = LiteralIndex(text)
        if not index.any_in(facts.literals):
            assert matches == [], name
            continue
        if facts.reach is None:
            continue
        windows = index.windows(facts.literals, facts.reach)
        if windows is None:
            continue
        windowed = [m.span() for low, high in windows for m in compiled.finditer(text, low, high)]
        assert windowed == matches, name


def test_windows_equal_full_search_on_random_text() -> None:
    """Lookarounds, anchors and greedy tails near window edges: random texts over a
    small alphabet, windowed search against full search."""
    rng = random.Random(6)
    patterns = [
        r"(?<=[，。])(?!对)\p{Han}{1,3}?公司",
        r"法制(?!宣传)",
        r"(?<![0-9])(?:1[89]|20)届(?=[一二三]?中全会|中央)",
        r"^法制$",
        r"\b公司\b",
    ]
    alphabet = ["法制", "宣传", "公司", "，", "。", "对", "中全会", "届", "19", "20", "一", "中央", "\n", " ", "x"]
    for pattern in patterns:
        literals, reach = required_literals(pattern), pattern_reach(pattern)
        assert literals is not None and reach is not None, pattern
        compiled = regex.compile(pattern)
        for _ in range(1500):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
            index = LiteralIndex(text)
            full = [m.span() for m in compiled.finditer(text)]
            if not index.any_in(literals):
                assert full == [], (pattern, text)
                continue
            windows = index.windows(literals, reach)
            if windows is not None:
                assert [m.span() for a, b in windows for m in compiled.finditer(text, a, b)] == full, (pattern, text)


def test_item_runs_equal_full_search() -> None:
    rng = random.Random(7)
    alphabet = ["、"] * 3 + ["法"] * 5 + ["x"] * 5 + ["，", "《", " ", "》", "（", "y" * 38, "y" * 45]
    for _ in range(4000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        expected = [m.span() for m in ITEM_RUN.finditer(text, start, end)]
        assert [m.span() for m in item_runs(text, start, end)] == expected, (text, start, end)
