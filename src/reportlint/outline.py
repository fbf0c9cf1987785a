"""The outline of a report: title, heading tree (公文 levels), inline enumerations.

Heading levels follow GB/T 9704—2012 7.3.3: 1 = ``一、``, 2 = ``（一）``,
3 = ``1.``, 4 = ``（1）``.  Wrongly written markers (``(一)``, ``1、``,
``（一）、``, ``一.`` …) are still recognised at their level so rules can report
them; ``Heading.canonical`` is the form the standard asks for.

CONTRACT (used by checks; keep these names stable):
    build_outline(doc: Document) -> Outline

How the outline is found (heuristics, tuned on real 2024 reports):

* Headings: a line whose start parses with ``grammar/outline.lark`` (only lines
  passing a cheap prefilter are parsed) and whose rest is a real title: not
  empty, not "1.5亿元" / "3、4月" (level-3 marker followed by a digit), not
  "二、三季度" (level-1 marker followed by another numeral in a list).  A bare
  marker (``一、`` / ``1.`` forms) right after a long line broken mid-sentence
  is a continuation, not a heading.  The level comes from the marker form only.
* Run-in: the title is followed on the same line by 。！？ and more text.
* Title: the leading block of short, unpunctuated, non-heading lines
  (版头 + title); the title is its last line containing 报告, joined backwards
  with lines it continues ("…人民政府" + "关于…报告", "…建设" + "情况报告").
* Paragraphs: non-empty lines, joined across blank lines when the earlier line
  is broken (no sentence-final punctuation) and is not a stand-alone heading,
  header line, date line or short unpunctuated line (an unnumbered heading),
  and the later line is not a heading, enumeration start or date line.  A
  run-in heading line carries body text, so it may be continued.
* Enumerations: 一是/二要… at a line start or after 。；：，！？ or a closing
  bracket/quote; grouped into runs per innermost section, a new run at each
  ordinal 1.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

import regex

from reportlint.document import Document
from reportlint.lark_regex import FALLBACK, FlatGrammar, LiteToken, LiteTree
from reportlint.numerals import canonical_marker, cn_to_int
from reportlint.resources import grammar_path
from reportlint.rxcache import LazyPattern


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 1..4
    ordinal: int  # numeric value of the marker: 一 -> 1, 十二 -> 12, (3) -> 3
    marker: str  # the marker as written, without surrounding whitespace, e.g. "(一）", "1、"
    canonical: str  # the standard marker for this level and ordinal, e.g. "（一）", "1."
    line: int  # 1-based line of the heading
    start: int  # offset of the first character of the marker
    marker_end: int  # offset just past the marker (before any whitespace after it)
    title: str  # the heading's own words (run-in: up to the first sentence end)
    title_start: int
    title_end: int  # offset just past the title (excluding its closing punctuation)
    run_in: bool  # body text follows on the same line ("（一）标题。正文……")

    @property
    def well_formed(self) -> bool:
        return self.marker == self.canonical


@dataclass(eq=False)
class Section:
    """A heading and everything up to the next heading of the same or a higher level."""

    heading: Heading | None  # None for the document root
    level: int  # 0 for the root
    start: int  # offset of the start of the heading's line (root: 0)
    end: int  # offset just past the section's last character
    start_line: int
    end_line: int  # last line of the section (inclusive)
    children: list[Section] = field(default_factory=list)
    parent: Section | None = field(default=None, repr=False)

    @property
    def title(self) -> str:
        return self.heading.title if self.heading else ""

    @property
    def body_start(self) -> int:
        """Offset where the section's own text starts (after the heading title for run-ins,
        after the heading line otherwise)."""
        if self.heading is None:
            return self.start
        return self.heading.title_end

    def walk(self) -> Iterator[Section]:
        """This section and all its descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True, slots=True)
class Enumerator:
    """An inline enumeration marker such as 一是 / 二要 / 三是."""

    ordinal: int
    marker: str  # as written, e.g. "二要"
    word: str  # the word after the numeral: "是", "要", …
    start: int
    end: int
    line: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A logical paragraph: one or more physical lines; more than one when a
    sentence was broken across lines by extraction."""

    start: int
    end: int
    lines: tuple[int, ...]  # physical 1-based line numbers that make it up


@dataclass(eq=False)
class Outline:
    title: str  # the report title (split title lines joined), "" if none found
    title_lines: tuple[int, ...]  # physical lines that make up the title
    title_start: int  # offset of the title's first character (0 if none)
    title_end: int
    header_lines: tuple[int, ...]  # lines before the body: 版头 (issuer) and title lines
    root: Section
    headings: list[Heading]
    enumerations: list[tuple[Enumerator, ...]]  # runs: each starts at ordinal 1 within one section
    paragraphs: list[Paragraph]

    def sections(self) -> Iterator[Section]:
        """All sections except the root, in document order."""
        return iter(self.section_list)

    @cached_property
    def section_list(self) -> list[Section]:
        """All sections except the root, in document order (computed once)."""
        return list(self.root.walk())[1:]

    def section_at(self, offset: int) -> Section:
        """The innermost section containing ``offset``."""
        current = self.root
        while True:
            for child in current.children:
                if child.start <= offset < child.end:
                    current = child
                    break
            else:
                return current


# -- numerals --------------------------------------------------------------------------------

_CN_NUM = "(?:[二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])"


def _circled_value(char: str) -> int:
    code = ord(char)
    if code <= 0x2473:
        return code - 0x2460 + 1  # ①..⑳
    if code <= 0x325F:
        return code - 0x3251 + 21  # ㉑..㉟
    return code - 0x32B1 + 36  # ㊱..㊿


# -- heading lines ---------------------------------------------------------------------------

_SPACE = " \t\u3000\u00a0"
# Cheap superset of what the grammar accepts: only lines matching this are given to lark.
_PREFILTER = LazyPattern(
    r"[ \t\u3000\u00a0]*(?:[（(\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]"
    r"|[一二三四五六七八九十]{1,3}[、.．，,]|[0-9０-９]{1,2}[、.．，,])"
)
_SENTENCE_END = LazyPattern(r"[。！？]")
_TITLE_TRAILING = "。！？；，、：.!?;,:．" + _SPACE
_MEANINGFUL = LazyPattern(r"[\p{L}\p{N}]")
_LEADING_DIGIT = LazyPattern(r"[0-9０-９]")
# "二、三季度", "一、二月份": a list of numerals, not a level-1 heading.
_NUMERAL_LIST = LazyPattern(r"[一二三四五六七八九十]+[、，,季月]")


@cache
def outline_parser() -> Any:
    """The heading-marker parser, built once per process (its tables cached on disk)."""
    from lark import Lark  # deferred: only documents with a candidate heading line need it

    from reportlint.rulecache import lark_cache_file

    return Lark.open(
        str(grammar_path("outline.lark")),
        parser="lalr",
        lexer="contextual",
        cache=lark_cache_file("outline.lark"),
    )


@cache
def heading_grammar() -> FlatGrammar | None:
    """``outline.lark`` compiled into one regular expression that parses exactly as lark
    does (see :mod:`reportlint.lark_regex`; checked against lark in the tests), cached
    on disk so most runs never import lark.  None: the grammar cannot be compiled, and
    lark parses each line."""
    from reportlint.lark_regex import FlatGrammar, Unsupported, compile_lark
    from reportlint.rulecache import derived_cache_key, read_cached, write_cached

    path = grammar_path("outline.lark")
    name = f"outline-grammar-{derived_cache_key(path.read_bytes())}.json"
    cached = read_cached(name)
    if cached is not None:
        grammar = FlatGrammar.from_json(cached)
        if grammar is not None:
            return grammar
    try:
        grammar = compile_lark(outline_parser())
    except Unsupported:
        return None
    write_cached(name, grammar.to_json())
    return grammar


def _parse_marker_line(text: str) -> LiteTree | None:
    grammar = heading_grammar()
    if grammar is not None:
        tree = grammar.parse(text)
        if tree is not FALLBACK:
            return tree
    from lark.exceptions import UnexpectedInput

    from reportlint.lark_regex import lark_tree_as_lite

    try:
        tree = lark_tree_as_lite(outline_parser().parse(text))
    except UnexpectedInput:
        return None
    return tree if isinstance(tree, LiteTree) else None


def parse_heading_line(text: str, line: int = 1, offset: int = 0) -> Heading | None:
    """The heading that physical line ``text`` starts with, or None.

    ``line`` and ``offset`` (the line's start in the document) place the result.
    Only the line itself is looked at; context rules live in :func:`build_outline`.
    """
    if not _PREFILTER.match(text):
        return None
    tree = _parse_marker_line(text)
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
        ordinal = int(number.value)  # int() reads full-width digits too
    else:
        ordinal = _circled_value(number.value)
    marker_start = tokens[0].start_pos
    marker_end = tokens[-1].end_pos
    assert marker_start is not None and marker_end is not None
    rest = text[marker_end:]
    if level == 3 and _LEADING_DIGIT.match(rest):
        return None  # "1.5亿元", "3、4月", "1，2": a number, not a marker
    if level == 1 and _NUMERAL_LIST.match(rest):
        return None
    body = rest.lstrip(_SPACE).rstrip()
    title_start = marker_end + (len(rest) - len(rest.lstrip(_SPACE)))
    found = _SENTENCE_END.search(body)
    if found is not None and body[found.end() :].strip(_SPACE):
        run_in = True
        title = body[: found.start()]
    else:
        run_in = False
        title = body.rstrip(_TITLE_TRAILING)
    if not _MEANINGFUL.search(title):
        return None
    return Heading(
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


# -- line classes ----------------------------------------------------------------------------

# A line ending in one of these is complete; any other ending means it may be broken.
_FINAL = frozenset("。！？；：…”’」』）)】〕]!?;:.")
_HEADER_STOP = frozenset("。！？；：，、!?;:,")
_SENTENCE_PUNCT = LazyPattern(r"[。！？；：!?;:]")
_DATE_LINE = LazyPattern(
    r"[0-9０-９〇○零一二三四五六七八九]{4}\s*年\s*[0-9０-９〇○零一二三四五六七八九十]{1,2}\s*月"
    r"\s*[0-9０-９〇○零一二三四五六七八九十]{1,3}\s*日"
)
_ENUM_START = LazyPattern(_CN_NUM + "[是要]")
_BROKEN_LONG = 40  # a body line at least this long, broken mid-sentence, is a wrapped line
_SHORT_UNPUNCTUATED = 30  # unnumbered headings ("强化思想引领，深入学习…") are short
_HEADER_MAX = 60
_HEADER_LINES = 4
_TITLE_TAIL = 12  # "情况报告": a short continuation of the previous title line


def _is_date(stripped: str) -> bool:
    return _DATE_LINE.fullmatch(stripped) is not None


def _find_header(stripped: list[str], candidates: dict[int, Heading]) -> tuple[list[int], list[int]]:
    """0-based indices of the header block and of the title lines within it."""
    block: list[int] = []
    seen_report = False
    for index, text in enumerate(stripped):
        if not text:
            continue
        if (
            len(block) >= _HEADER_LINES
            or index in candidates
            or len(text) > _HEADER_MAX
            or text[-1] in _HEADER_STOP
            or _is_date(text)
        ):
            break
        if seen_report and not (text[0] in "（(" and text[-1] in "）)"):
            break  # after the title only a bracketed subtitle or date belongs to the header
        block.append(index)
        seen_report = seen_report or "报告" in text
    if not block:
        return [], []
    with_report = [k for k, index in enumerate(block) if "报告" in stripped[index]]
    last = with_report[-1] if with_report else len(block) - 1
    first = last
    while first > 0:
        current, previous = stripped[block[first]], stripped[block[first - 1]]
        if "报告" in previous:
            break
        if current.startswith("关于") or len(current) <= _TITLE_TAIL:
            first -= 1
        else:
            break
    return block, block[first : last + 1]


# -- enumerators -----------------------------------------------------------------------------

# A numeral + 是/要 at a line start or right after a clause end or closing bracket/quote.
_ENUMERATOR = LazyPattern(
    r"(?<=(?:^|[。；：，！？;:,!?）)”’」』】〕])[ \t\u3000\u00a0]*)"
    r"(?P<num>" + _CN_NUM + r")(?P<word>[是要])",
    regex.MULTILINE,
)


# The same, searched without the look-behind (which the matcher would try at every
# position) and checked afterwards: a numeral run never starts right after a numeral,
# so no match can be hidden inside a rejected candidate, and the matches are the same.
_ENUMERATOR_CANDIDATE = LazyPattern(r"(?P<num>" + _CN_NUM + r")(?P<word>[是要])")
_ENUMERATOR_AFTER = frozenset("。；：，！？;:,!?）)”’」』】〕")
_ENUMERATOR_SPACE = frozenset(" \t\u3000\u00a0")


def _enumerator_may_start(text: str, start: int) -> bool:
    """The look-behind of _ENUMERATOR at ``start``: spaces back to a line start or a mark."""
    before = start
    while before > 0 and text[before - 1] in _ENUMERATOR_SPACE:
        before -= 1
    return before == 0 or text[before - 1] == "\n" or text[before - 1] in _ENUMERATOR_AFTER


def find_enumerators(doc: Document) -> list[Enumerator]:
    """All inline enumerators (一是, 二要 …) in document order."""
    found = []
    line_of = doc.line_of
    text = doc.text
    for match in _ENUMERATOR_CANDIDATE.finditer(text):
        if not _enumerator_may_start(text, match.start()):
            continue
        found.append(
            Enumerator(
                ordinal=cn_to_int(match.group("num")),
                marker=match.group(),
                word=match.group("word"),
                start=match.start(),
                end=match.end(),
                line=line_of(match.start()),
            )
        )
    return found


# -- the outline -----------------------------------------------------------------------------


def build_outline(doc: Document) -> Outline:
    lines = doc.lines
    starts = doc.line_starts
    stripped = [line.strip() for line in lines]

    candidates: dict[int, Heading] = {}
    prefilter = _PREFILTER.match
    for index, line in enumerate(lines):
        if prefilter(line):
            heading = parse_heading_line(line, index + 1, starts[index])
            if heading is not None:
                candidates[index] = heading

    block, title_block = _find_header(stripped, candidates)
    header = set(block)

    # Headings, dropping bare markers that continue a line broken mid-sentence.
    headings: list[Heading] = []
    heading_at: dict[int, Heading] = {}
    previous = -1
    for index, current in enumerate(stripped):
        if not current:
            continue
        heading = candidates.get(index)
        if (
            heading is not None
            and heading.level in (1, 3)
            and previous >= 0
            and (previous not in heading_at or heading_at[previous].run_in)
            and previous not in header
            and len(stripped[previous]) >= _BROKEN_LONG
            and stripped[previous][-1] not in _FINAL
            and _MEANINGFUL.match(stripped[previous][-1])
        ):
            heading = None
        if heading is not None:
            headings.append(heading)
            heading_at[index] = heading
        previous = index

    root = _build_sections(doc, headings)
    paragraphs = _build_paragraphs(doc, stripped, heading_at, header)
    enumerations = _group_enumerators(find_enumerators(doc), root)

    if title_block:
        first, last = title_block[0], title_block[-1]
        title = "".join(stripped[index] for index in title_block)
        title_start = starts[first] + len(lines[first]) - len(lines[first].lstrip())
        title_end = starts[last] + len(lines[last].rstrip())
    else:
        title, title_start, title_end = "", 0, 0
    return Outline(
        title=title,
        title_lines=tuple(index + 1 for index in title_block),
        title_start=title_start,
        title_end=title_end,
        header_lines=tuple(index + 1 for index in block),
        root=root,
        headings=headings,
        enumerations=enumerations,
        paragraphs=paragraphs,
    )


def _build_sections(doc: Document, headings: list[Heading]) -> Section:
    size = len(doc.text)
    last_line = doc.line_count
    root = Section(heading=None, level=0, start=0, end=size, start_line=1, end_line=last_line)
    stack = [root]
    for heading in headings:
        line_start = doc.line_starts[heading.line - 1]
        while stack[-1].level >= heading.level:
            closed = stack.pop()
            closed.end = line_start
            closed.end_line = heading.line - 1
        parent = stack[-1]
        section = Section(
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


def _build_paragraphs(
    doc: Document, stripped: list[str], heading_at: dict[int, Heading], header: set[int]
) -> list[Paragraph]:
    def short_unpunctuated(group: list[int]) -> bool:
        """Whether the paragraph so far, joined, is short and unpunctuated (an unnumbered
        heading).  Judged on the joined text, not the last line alone: a short line that
        continues a sentence is no heading, and joining it (FZ111's fix) must not change
        whether the next line continues the paragraph."""
        total = 0
        for index in reversed(group):
            total += len(stripped[index])
            if total > _SHORT_UNPUNCTUATED:
                return False
        return not any(_SENTENCE_PUNCT.search(stripped[index]) for index in group)

    def may_continue(group: list[int]) -> bool:
        """Whether the paragraph ``group`` (line indexes) looks broken at its last line, so the
        next line may continue it.  A run-in heading line carries body text and may be broken;
        a stand-alone one not."""
        index = group[-1]
        text = stripped[index]
        heading = heading_at.get(index)
        return not (
            (heading is not None and not heading.run_in)
            or index in header
            or text[-1] in _FINAL
            or short_unpunctuated(group)
            or _is_date(text)
        )

    def may_be_continuation(index: int) -> bool:
        text = stripped[index]
        return not (index in heading_at or index in header or _ENUM_START.match(text) or _is_date(text))

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
        Paragraph(
            start=starts[group[0]],
            end=starts[group[-1]] + len(lines[group[-1]]),
            lines=tuple(index + 1 for index in group),
        )
        for group in groups
    ]


def _group_enumerators(enumerators: list[Enumerator], root: Section) -> list[tuple[Enumerator, ...]]:
    sections = list(root.walk())  # document order; the innermost section is the last started
    section_starts = [section.start for section in sections]
    runs: list[list[Enumerator]] = []
    current: Section | None = None
    for enumerator in enumerators:
        section = sections[bisect.bisect_right(section_starts, enumerator.start) - 1]
        if section is not current or enumerator.ordinal == 1 or not runs:
            runs.append([])
            current = section
        runs[-1].append(enumerator)
    return [tuple(run) for run in runs]
