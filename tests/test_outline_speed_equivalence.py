"""The outline built by the optimised code equals the one the straightforward code builds.

``build_outline``, ``parse_heading_line`` and ``find_enumerators`` were rewritten for speed
(the heading marker read from the compiled grammar's match without building a tree, the
enumerators found from their 是/要 with str.find, headings and records built with fewer
passes and cheaper constructors).  The implementation they replaced is kept here, as it
was, as the reference, and both are run on the sample reports and on random texts made of
the pieces the heuristics look at.
"""

from __future__ import annotations

import bisect
import pickle
import random
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import regex

from reportlint.core.document import Document
from reportlint.outline import parser as O
from reportlint.outline.lark_regex import FALLBACK, LiteToken, LiteTree, compile_lark
from reportlint.zh.numerals import CN_NUMERAL, CN_NUMERAL_CHARS, canonical_marker, circled_value, cn_numerals, cn_to_int

REPORTS = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "reports").glob("*.txt"))

# --- the reference: the implementation before the speed work, unchanged ---------------------

_LEADING_DIGIT = regex.compile(r"[0-9０-９]")


def ref_parse_heading_line(text: str, line: int = 1, offset: int = 0) -> O.Heading | None:
    if not O._PREFILTER.match(text):
        return None
    tree = O._parse_marker_line(text)
    if tree is None:
        return None
    marker_tree = tree.children[0]
    assert isinstance(marker_tree, LiteTree)
    tokens = [tok for tok in marker_tree.children if isinstance(tok, LiteToken)]
    level = int(str(marker_tree.data)[-1])
    number = next(tok for tok in tokens if tok.type in ("CN_NUM", "DIGITS", "CIRCLED"))
    if number.type == "CN_NUM":
        ordinal = cn_to_int(number.value)
    elif number.type == "DIGITS":
        ordinal = int(number.value)
    else:
        ordinal = circled_value(number.value)
    marker_start = tokens[0].start_pos
    marker_end = tokens[-1].end_pos
    rest = text[marker_end:]
    if level == 3 and _LEADING_DIGIT.match(rest):
        return None
    if level == 1 and O._NUMERAL_LIST.match(rest):
        return None
    body = rest.lstrip(O._SPACE).rstrip()
    title_start = marker_end + (len(rest) - len(rest.lstrip(O._SPACE)))
    found = O._SENTENCE_END.search(body)
    if found is not None and body[found.end() :].strip(O._SPACE):
        run_in = True
        title = body[: found.start()]
    else:
        run_in = False
        title = body.rstrip(O._TITLE_TRAILING)
    if not O._MEANINGFUL.search(title):
        return None
    return O.Heading(
        level=level,
        ordinal=ordinal,
        marker=text[marker_start:marker_end],
        canonical=canonical_marker(level, ordinal),
        line=line,
        start=offset + marker_start,
        marker_end=offset + marker_end,
        title=title,
        title_start=offset + title_start,
        title_end=offset + title_start + len(title),
        run_in=run_in,
    )


def ref_is_date(stripped: str) -> bool:
    return O._DATE_LINE.fullmatch(stripped) is not None


def ref_find_enumerators(doc: Document) -> list[O.Enumerator]:
    found = []
    text = doc.text
    for match in O._ENUMERATOR_CANDIDATE.finditer(text):
        if not O._enumerator_may_start(text, match.start()):
            continue
        found.append(
            O.Enumerator(
                ordinal=cn_to_int(match.group("num")),
                marker=match.group(),
                word=match.group("word"),
                start=match.start(),
                end=match.end(),
                line=doc.line_of(match.start()),
            )
        )
    return found


def ref_build_sections(
    doc: Document, headings: list[O.Heading], size: int | None = None, last_line: int | None = None
) -> O.Section:
    size = len(doc.text) if size is None else size
    last_line = doc.line_count if last_line is None else last_line
    root = O.Section(heading=None, level=0, start=0, end=size, start_line=1, end_line=last_line)
    stack = [root]
    for heading in headings:
        line_start = doc.line_starts[heading.line - 1]
        while stack[-1].level >= heading.level:
            closed = stack.pop()
            closed.end = line_start
            closed.end_line = heading.line - 1
        parent = stack[-1]
        section = O.Section(
            heading=heading,
            level=heading.level,
            start=line_start,
            end=size,
            start_line=heading.line,
            end_line=last_line,
            parent=parent,
        )
        parent.children.append(section)
        stack.append(section)
    return root


def ref_build_paragraphs(
    doc: Document, stripped: list[str], heading_at: dict[int, O.Heading], header: set[int], main_lines: int | None = None
) -> list[O.Paragraph]:
    main_lines = len(stripped) if main_lines is None else main_lines

    def short_unpunctuated(group: list[int]) -> bool:
        total = 0
        for index in reversed(group):
            total += len(stripped[index])
            if total > O._SHORT_UNPUNCTUATED:
                return False
        return not any(O._SENTENCE_PUNCT.search(stripped[index]) for index in group)

    def may_continue(group: list[int]) -> bool:
        index = group[-1]
        text = stripped[index]
        heading = heading_at.get(index)
        return not (
            index >= main_lines
            or (heading is not None and not heading.run_in)
            or index in header
            or text[-1] in O._FINAL
            or text.rstrip("*_")[-1:] in O._FINAL
            or "\t" in text
            or (text[0] == "|" and text[-1] == "|")
            or short_unpunctuated(group)
            or ref_is_date(text)
        )

    def may_be_continuation(index: int) -> bool:
        text = stripped[index]
        return not (
            index >= main_lines
            or index in heading_at
            or index in header
            or O._ENUM_START.match(text)
            or ref_is_date(text)
            or "\t" in text
            or (text[0] == "|" and text[-1] == "|")
        )

    groups: list[list[int]] = []
    for index, text in enumerate(stripped):
        if not text:
            continue
        if groups and may_continue(groups[-1]) and may_be_continuation(index):
            groups[-1].append(index)
        else:
            groups.append([index])
    starts = doc.line_starts
    lines = doc.lines
    return [
        O.Paragraph(
            start=starts[group[0]],
            end=starts[group[-1]] + len(lines[group[-1]]),
            lines=tuple(index + 1 for index in group),
        )
        for group in groups
    ]


def ref_group_enumerators(enumerators: list[O.Enumerator], root: O.Section) -> list[tuple[O.Enumerator, ...]]:
    sections = list(root.walk())
    section_starts = [section.start for section in sections]
    runs: list[list[O.Enumerator]] = []
    current: O.Section | None = None
    for enumerator in enumerators:
        section = sections[bisect.bisect_right(section_starts, enumerator.start) - 1]
        if section is not current or enumerator.ordinal == 1 or not runs:
            runs.append([])
            current = section
        runs[-1].append(enumerator)
    return [tuple(run) for run in runs]


def ref_build_outline(doc: Document) -> O.Outline:
    lines = doc.lines
    starts = doc.line_starts
    stripped = [line.strip() for line in lines]

    # The header and the annex are found once per document by the outline's own functions
    # (not part of what the speed pass rewrote): the reference uses them as they are.
    annex = O.find_annex(stripped)
    main_lines = len(lines) if annex is None else annex
    candidates: dict[int, O.Heading] = {}
    for index, line in enumerate(lines[:main_lines]):
        if O._PREFILTER.match(line):
            heading = ref_parse_heading_line(line, index + 1, starts[index])
            if heading is not None:
                candidates[index] = heading

    block, title_block, addressee = O._find_header(stripped, candidates)
    header = set(block) | ({addressee} if addressee is not None else set())

    # A bare 一、/1. marker is dropped when the paragraph before it (the paragraphs of the
    # text above it, with the headings decided so far) holds 40+ characters and its last
    # line stops mid-sentence, unless it is a short stand-alone heading.  Straightforward
    # and quadratic: the paragraphs are built again for every candidate.
    headings: list[O.Heading] = []
    heading_at: dict[int, O.Heading] = {}
    previous = -1
    for index, current in enumerate(stripped):
        if not current:
            continue
        heading = candidates.get(index)
        if heading is not None and heading.level in (1, 3) and previous >= 0 and not O._stands_alone(heading):
            above = ref_build_paragraphs(doc, stripped[:index], heading_at, header)
            paragraph_chars = sum(len(stripped[line - 1]) for line in above[-1].lines)
            if (
                (previous not in heading_at or heading_at[previous].run_in)
                and previous not in header
                and paragraph_chars >= O._BROKEN_LONG
                and stripped[previous][-1] not in O._FINAL
                and O._MEANINGFUL.match(stripped[previous][-1])
            ):
                heading = None
        if heading is not None:
            headings.append(heading)
            heading_at[index] = heading
        previous = index

    body_end = len(doc.text) if annex is None else starts[annex]
    root = ref_build_sections(doc, headings, body_end, main_lines)
    paragraphs = ref_build_paragraphs(doc, stripped, heading_at, header, main_lines)
    enumerators = [e for e in ref_find_enumerators(doc) if e.start < body_end]
    enumerations = ref_group_enumerators(enumerators, root)

    if title_block:
        first, last = title_block[0], title_block[-1]
        title = "".join(stripped[index] for index in title_block)
        title_start = starts[first] + len(lines[first]) - len(lines[first].lstrip())
        title_end = starts[last] + len(lines[last].rstrip())
    else:
        title, title_start, title_end = "", 0, 0
    return O.Outline(
        title=title,
        title_lines=tuple(index + 1 for index in title_block),
        title_start=title_start,
        title_end=title_end,
        header_lines=tuple(index + 1 for index in block),
        root=root,
        headings=headings,
        enumerations=enumerations,
        paragraphs=paragraphs,
        addressee_line=None if addressee is None else addressee + 1,
        annex_line=None if annex is None else annex + 1,
        body_end=body_end,
    )


# --- comparing -------------------------------------------------------------------------------


def records(items: Any) -> Any:
    """Frozen records with their exact types and field values (== alone ignores the type
    of ints vs bools and would accept equal-looking subclasses)."""
    if isinstance(items, list | tuple):
        return type(items).__name__, [records(item) for item in items]
    if items is None:
        return None
    return type(items).__name__, tuple(
        (f.name, type(v).__name__, v) for f in fields(items) for v in [getattr(items, f.name)]
    )


def facts(outline: O.Outline) -> tuple[Any, ...]:
    sections = list(outline.root.walk())
    position = {id(section): k for k, section in enumerate(sections)}
    tree = [
        (
            records(section.heading),
            section.level,
            section.start,
            section.end,
            section.start_line,
            section.end_line,
            None if section.parent is None else position[id(section.parent)],
            [position[id(child)] for child in section.children],
        )
        for section in sections
    ]
    return (
        outline.title,
        outline.title_lines,
        outline.title_start,
        outline.title_end,
        outline.header_lines,
        outline.addressee_line,
        outline.annex_line,
        outline.body_end,
        records(outline.headings),
        records(outline.paragraphs),
        records(outline.enumerations),
        tree,
        [section.title for section in outline.section_list],
    )


def assert_same(doc: Document) -> None:
    assert facts(O.build_outline(doc)) == facts(ref_build_outline(doc)), doc.text
    assert records(O.find_enumerators(doc)) == records(ref_find_enumerators(doc)), doc.text


# --- random texts ------------------------------------------------------------------------------

MARKERS = [
    "一、",
    "二、",
    "十、",
    "十二、",
    "二十三、",
    "一.",
    "一．",
    "一，",
    "（一）",
    "(二)",
    "（三)",
    "(四）",
    "（一）、",
    "（十一）.",
    "1.",
    "2、",
    "12．",
    "3，",
    "123.",
    "（1）",
    "(2)",
    "（３）、",
    "①",
    "②、",
    "㉑.",
    "㊿",
    "１.",
]
PIECES = [
    *MARKERS,
    "一",
    "二",
    "三",
    "九",
    "十",
    "1",
    "12",
    "５",
    "是",
    "要",
    "是",
    "一是",
    "二要",
    "十二是",
    "二十三要",
    "。",
    "，",
    "；",
    "：",
    "！",
    "？",
    "、",
    ".",
    "．",
    ",",
    "）",
    ")",
    "”",
    "（",
    " ",
    "  ",
    "\u3000",
    "\t",
    "\u00a0",
    "\n",
    "\n",
    "\n\n",
    "\n \n",
    "法治建设",
    "加强组织领导",
    "报告",
    "关于",
    "人民政府",
    "情况报告",
    "2024年5月6日",
    "二〇二四年十二月三十日",
    "季",
    "月",
    "亿元",
    "x" * 20,
    "依法行政全面推进" * 5,
]


def random_text(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(0, 12)):
        line = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 7)))
        if rng.random() < 0.4:
            line = rng.choice(MARKERS) + line
        if rng.random() < 0.2:
            line = rng.choice(["", " ", "\u3000\u3000", "\t"]) + line
        lines.append(line)
    return "\n".join(lines)


# --- tests ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", REPORTS, ids=lambda path: path.name)
def test_sample_reports(path: Path) -> None:
    assert_same(Document.from_text(path.read_text(encoding="utf-8"), str(path)))


def test_the_joined_10k_report() -> None:
    sources = [Document.from_text(path.read_text(encoding="utf-8")).text for path in REPORTS]
    joined = "\n\n".join(sources)
    assert_same(Document.from_text(joined[: joined.rfind("\n", 0, 10_000)]))
    assert_same(Document.from_text(joined))


def test_random_texts() -> None:
    rng = random.Random(20240506)
    for _ in range(4000):
        assert_same(Document.from_text(random_text(rng)))


def test_random_heading_lines() -> None:
    rng = random.Random(6)
    for _ in range(6000):
        line = random_text(rng).replace("\n", "")[:60]
        offset = rng.randint(0, 50)
        assert records(O.parse_heading_line(line, 3, offset)) == records(ref_parse_heading_line(line, 3, offset)), line


def test_enumerators_on_dense_random_texts() -> None:
    rng = random.Random(9)
    alphabet = [*"一二三四五六七八九十是要", "，", "。", "）", "”", "\n", " ", "\u3000", "学", "x"]
    for _ in range(6000):
        doc = Document.from_text("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))))
        assert records(O.find_enumerators(doc)) == records(ref_find_enumerators(doc)), doc.text


def test_lines_without_the_compiled_grammar(monkeypatch: pytest.MonkeyPatch) -> None:
    """The general paths: lark parses each line, or the tree is built for every leaf."""
    rng = random.Random(12)
    texts = [random_text(rng) for _ in range(300)]
    expected = [facts(ref_build_outline(Document.from_text(text))) for text in texts]
    with monkeypatch.context() as patch:
        patch.setattr(O, "_marker_plan", lambda template, groups: None)
        assert [facts(O.build_outline(Document.from_text(text))) for text in texts] == expected
    with monkeypatch.context() as patch:
        patch.setattr(O, "heading_grammar", lambda: None)
        assert [facts(O.build_outline(Document.from_text(text))) for text in texts] == expected


def test_marker_plans_cover_every_leaf() -> None:
    grammar = O.heading_grammar()
    assert grammar is not None
    table = grammar.leaf_table(O._marker_plan)
    assert table.keys() == grammar.leaves.keys()
    assert all(plan is not None for plan in table.values())  # no line of outline.lark takes the slow path
    assert grammar.leaf_table(O._marker_plan) is table  # derived once


def test_leaf_table_keeps_fallback_leaves() -> None:
    from lark import Lark

    parser = Lark(
        r"""
        start: NUM SEP*
        NUM: /[一二三]/
        SEP: /[、.]/
        """,
        parser="lalr",
        lexer="contextual",
    )
    grammar = compile_lark(parser)
    table = grammar.leaf_table(lambda template, groups: template[1])
    assert table.keys() == grammar.leaves.keys()
    for leaf, template in grammar.leaves.items():
        assert table[leaf] is FALLBACK if template == FALLBACK else table[leaf] == "start"
    assert any(value is FALLBACK for value in table.values())


def test_numeral_table_is_what_the_pattern_matches() -> None:
    pattern = regex.compile(CN_NUMERAL)
    alphabet = "一二三四五六七八九十零两x"
    texts = ["", *alphabet]
    texts += [a + b for a in alphabet for b in alphabet]
    texts += [a + b + c for a in alphabet for b in alphabet for c in alphabet]
    matched = {text for text in texts if pattern.fullmatch(text)}
    assert set(cn_numerals()) == matched
    assert all(value == cn_to_int(text) for text, value in cn_numerals().items())
    assert frozenset("".join(matched)) == CN_NUMERAL_CHARS


def test_prefilter_first_characters() -> None:
    """A character that can begin a prefilter match: a space before a marker, or a marker's
    first character (brackets and circled numbers alone, numerals before a separator)."""
    prefilter = O._PREFILTER.compiled
    first = {
        char
        for code in range(0x10000)
        for char in [chr(code)]
        if prefilter.match(char + "、") or prefilter.match(char + "（")
    }
    assert first == O._PREFILTER_FIRST


def test_enumerator_lookbehind_search_still_agrees() -> None:
    rng = random.Random(13)
    for _ in range(2000):
        doc = Document.from_text(random_text(rng))
        expected = [(m.start(), m.end()) for m in O._ENUMERATOR.finditer(doc.text)]
        assert [(e.start, e.end) for e in O.find_enumerators(doc)] == expected, doc.text


@pytest.mark.parametrize(
    ("cls", "build"),
    [(O.Heading, O._new_heading), (O.Enumerator, O._new_enumerator), (O.Paragraph, O._new_paragraph)],
)
def test_fast_constructors_give_the_dataclass_objects(cls: type, build: Any) -> None:
    values = [f"{f.name}-value" if f.type == "str" else 7 for f in fields(cls)]
    made, expected = build(*values), cls(*values)
    assert type(made) is cls
    assert made == expected and hash(made) == hash(expected) and repr(made) == repr(expected)
    assert build(**{f.name: v for f, v in zip(fields(cls), values, strict=True)}) == expected
    assert pickle.loads(pickle.dumps(made)) == expected
    with pytest.raises(AttributeError):
        made.start = 1  # still frozen
    with pytest.raises(TypeError):
        build(*values[:-1])


def test_fast_diagnostic_constructor_gives_the_dataclass_object() -> None:
    from reportlint.core.diagnostics import Diagnostic, Edit, Fix, Severity
    from reportlint.support.records import fast_constructor

    values = {
        "code": "FZ999",
        "name": "n",
        "category": "c",
        "severity": Severity.WARNING,
        "message": "m",
        "start": 3,
        "end": 5,
        "basis": "b",
        "fix": Fix("t", (Edit(3, 5, "x"),)),
        "path": "p.txt",
        "data": {},
    }
    built = fast_constructor(Diagnostic)(**values)
    assert built == Diagnostic(**values) and hash(built) == hash(Diagnostic(**values))
    assert type(built) is Diagnostic and vars(built) == vars(Diagnostic(**values))
    with pytest.raises(AttributeError):
        built.code = "x"  # type: ignore[misc]
