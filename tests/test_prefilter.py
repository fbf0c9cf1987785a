"""The prefilter (required literals, search windows) and the 顿号-chain search must
never change what a rule finds: they only skip text that cannot match."""

from __future__ import annotations

import random

import pytest
import regex

from conftest import REPORTS
from reportlint.checks.citation import ITEM_RUN, item_runs
from reportlint.checks.context import LintContext, Span
from reportlint.checks.text import _leftmost
from reportlint.core.document import Document
from reportlint.engine.lint import literal_scanner, load_ruleset
from reportlint.support.prefilter import (
    LiteralIndex,
    LiteralScanner,
    _char_class,
    analyse_pattern,
    pattern_reach,
    required_literals,
)


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
        for index, search in enumerate(getattr(rule.check, "searches", ())):
            found.append((f"{rule.code}.pattern[{index}]", search.pattern.pattern))
        for name in ("allow", "unless", "unless_before", "contains"):
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
        if facts.reach is not None:
            windows = index.windows(facts.literals, facts.reach)
        elif facts.line_local:
            windows = index.line_windows(facts.literals)
        else:
            continue
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


def test_enumerators_equal_the_lookbehind_search() -> None:
    """find_enumerators searches without the look-behind and checks it afterwards."""
    from reportlint.core.document import Document
    from reportlint.outline.parser import _ENUMERATOR, find_enumerators

    rng = random.Random(8)
    alphabet = [
        "一",
        "二",
        "十",
        "三",
        "九",
        "是",
        "要",
        "，",
        "。",
        "；",
        "）",
        "”",
        "\n",
        " ",
        "\u3000",
        "\t",
        "学",
        "x",
    ]
    for _ in range(6000):
        doc = Document.from_text("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))))
        expected = [(m.start(), m.end()) for m in _ENUMERATOR.finditer(doc.text)]
        assert [(e.start, e.end) for e in find_enumerators(doc)] == expected, doc.text


def test_line_windows_equal_full_search_on_random_text() -> None:
    """Patterns that never cross a line break are searched in the lines holding their
    literals; multi-line anchors, look-arounds and unbounded repeats near line ends."""
    rng = random.Random(10)
    patterns = [
        r"(?<=[\p{Han}“”])[ \t]*[,;:?!][ \t]*|[ \t]*[,;:?!][ \t]*(?=[\p{Han}“（])",
        r"(?m)(?<=[\p{Han}，])(?<!^[ \t]*(?:[一二]、))[ \t]+(?=[0-9])",
        r"(?m)^[ \t]*(?:法制|宣传)$",
        r"[(（](?=[^()\n]*\p{Han})[^()\n,;]+[)）]",
    ]
    alphabet = ["法制", "宣传", "一、", "二、", "，", ",", ";", "(", ")", "“", "（", " ", "\t", "\n", "2", "x", "字"]
    for pattern in patterns:
        facts = analyse_pattern(pattern)
        assert facts.literals is not None and facts.line_local, pattern
        compiled = regex.compile(pattern)
        for _ in range(1500):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
            index = LiteralIndex(text)
            full = [m.span() for m in compiled.finditer(text)]
            if not index.any_in(facts.literals):
                assert [s for s in full if s[0] != s[1]] == [], (pattern, text)
                continue
            windows = index.line_windows(facts.literals)
            if windows is not None:
                found = [m.span() for a, b in windows for m in compiled.finditer(text, a, b)]
                assert [s for s in found if s[0] != s[1]] == [s for s in full if s[0] != s[1]], (pattern, text)


def test_allow_lists_searched_by_line_decide_like_a_whole_text_search() -> None:
    from reportlint.checks.context import LintContext
    from reportlint.core.document import Document

    rules = [rule for rule in load_ruleset().rules if getattr(rule.check, "allow", None) is not None]
    assert rules
    for text in _texts():
        ctx = LintContext(Document.from_text(text))
        for rule in rules:
            check = rule.check
            whole = [m.span() for m in check.allow.finditer(ctx.text)]
            cache: dict[int, list[tuple[int, int]]] = {}
            for match in (m for search in check.searches for m in search.pattern.finditer(ctx.text)):
                start, end = match.span()
                expected = any(a <= start and end <= b for a, b in whole)
                assert check.is_allowed(ctx, start, end, cache) == expected, (rule.code, text[:40])


def test_scanner_index_answers_like_one_search_per_literal() -> None:
    """The Aho–Corasick scanner (one pass for all literals) gives the same presence tests
    and windows as searching for each literal on its own."""
    rng = random.Random(11)
    literals = [frozenset({"法制", "法治"}), frozenset({"宣传", "宣传日", "传日"}), frozenset({"中全会", "届"})]
    scanner = LiteralScanner(literal for group in literals for literal in group)
    alphabet = ["法", "制", "治", "宣", "传", "日", "中全会", "届", "\n", " ", "x"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 90)))
        plain, scanned = LiteralIndex(text), LiteralIndex(text, scanner)
        for group in literals:
            assert scanned.any_in(group) == plain.any_in(group), text
            for reach in (0, 3):
                assert scanned.windows(group, reach) == plain.windows(group, reach), text
            assert scanned.line_windows(group) == plain.line_windows(group), text


def test_scanner_finds_every_occurrence_also_around_a_lone_surrogate() -> None:
    """Overlapping and nested occurrences, ascending; a text the automaton cannot take as
    UTF-8 (a lone surrogate, as an undecodable byte may leave) is searched literal by literal."""
    scanner = LiteralScanner(["法治", "法治政府", "治政", "政府建设"])
    text = "法治政府建设，法治政府。"
    expected = {"法治": [0, 7], "法治政府": [0, 7], "治政": [1, 8], "政府建设": [2]}
    assert scanner.occurrences(text) == expected
    assert scanner.occurrences(text + "\ud800") == expected
    assert scanner.occurrences("\udc80" + text) == {k: [at + 1 for at in v] for k, v in expected.items()}


def test_shipped_rules_lint_the_same_with_and_without_the_scanner() -> None:
    rules = load_ruleset().rules
    scanner = literal_scanner(rules)
    for text in _texts():
        doc = Document.from_text(text)
        with_scanner, without = LintContext(doc, scanner=scanner), LintContext(doc)
        for rule in rules:
            found = [(f.start, f.end, f.values) for f in rule.check.run(with_scanner)]
            assert found == [(f.start, f.end, f.values) for f in rule.check.run(without)], rule.code


def test_character_class_of_literals_matches_exactly_them() -> None:
    rng = random.Random(12)
    pool = [chr(c) for c in (*range(0x09, 0x0E), *range(0x20, 0x80), 0xA0, 0x3000, 0x3001, 0x300A, 0x300B, 0x4E00)]
    for _ in range(300):
        chosen = frozenset(rng.sample(pool, rng.randint(1, 40)))
        pattern = _char_class(chosen)
        assert {c for c in pool if pattern.fullmatch(c)} == chosen


def _as_alternation(patterns: list[str]) -> str:
    """One alternation of ``patterns``; a leading global flag group becomes a scoped one."""
    scoped = []
    for pattern in patterns:
        flags = regex.match(r"\(\?([a-z]+)\)", pattern)
        scoped.append(f"(?{flags.group(1)}:{pattern[flags.end() :]})" if flags else f"(?:{pattern})")
    return "|".join(scoped)


@pytest.mark.parametrize("code", [r.code for r in load_ruleset().rules if len(getattr(r.check, "searches", ())) > 1])
def test_pattern_lists_find_what_their_alternation_finds(code: str) -> None:
    """A rule's list of patterns is searched pattern by pattern (each with its own
    prefilter) and merged; the result is what one alternation of them finds."""
    rule = load_ruleset().by_code(code)
    assert rule is not None
    alternation = regex.compile(_as_alternation([search.pattern.pattern for search in rule.check.searches]))
    rng = random.Random(13)
    # Pieces of the rule's examples, one to eight characters long, and whitespace.
    examples = [example.text.replace("«", "").replace("»", "") for example in (*rule.bad, *rule.good)]
    pieces = sorted({text[i : i + n] for text in examples for n in (1, 2, 4, 8) for i in range(0, len(text), n)})
    pieces += ["\n", " ", "\t", "\u3000"]
    texts = _texts() + ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 60))) for _ in range(3000)]
    scanner = literal_scanner([rule])
    for text in texts:
        doc = Document.from_text(text)
        ctx = LintContext(doc, scanner=scanner)
        merged = [m.span() for m in _leftmost(rule.check.searches, ctx, [Span(0, len(doc.text))])]
        assert merged == [m.span() for m in alternation.finditer(doc.text) if m.end() > m.start()], repr(text)


def test_without_ahocorasick_rs_each_literal_is_searched_on_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "ahocorasick_rs", None)  # the import fails, as on a platform without the wheel
    scanner = LiteralScanner(["法制宣传", "宪法日"])
    index = LiteralIndex("开展法制宣传活动", scanner)
    assert scanner._automaton is None
    assert index.any_in(frozenset({"法制宣传"})) and not index.any_in(frozenset({"宪法日"}))
