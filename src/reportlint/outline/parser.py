"""The outline of a report: title, heading tree (公文 levels), inline enumerations.

Heading levels follow GB/T 9704—2012 7.3.3: 1 = ``一、``, 2 = ``（一）``,
3 = ``1.``, 4 = ``（1）``.  Wrongly written markers (``(一)``, ``1、``,
``（一）、``, ``一.`` …) are still recognised at their level so rules can report
them; ``Heading.canonical`` is the form the standard asks for.

CONTRACT (used by checks; keep these names stable):
    build_outline(doc: Document, masked: frozenset[int] = frozenset()) -> Outline

``masked``: lines (1-based) the outline leaves out: the lines of a table found in the
report (a row label such as "一、本年新收政府信息公开申请数量" is no heading).  Such a line is
never a heading, a bare heading or part of the header, and is a paragraph of its own.

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
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

import regex

from reportlint.core.document import Document
from reportlint.outline.lark_regex import FALLBACK, FlatGrammar, LiteToken, LiteTree, Template
from reportlint.support.records import fast_constructor
from reportlint.support.resources import grammar_path
from reportlint.support.rxcache import LazyPattern
from reportlint.zh.numerals import (
    CN_NUMERAL,
    CN_NUMERAL_CHARS,
    MARKER_LINE_FIRST,
    MARKER_LINE_START,
    MARKER_SPACE,
    canonical_marker,
    circled_value,
    cn_numerals,
    cn_to_int,
)


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


_new_heading = fast_constructor(Heading)
_new_enumerator = fast_constructor(Enumerator)
_new_paragraph = fast_constructor(Paragraph)


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
    addressee_line: int | None = None  # the 主送机关 line (市委、市政府：), not part of the body
    annex_line: int | None = None  # first line of an 附件 after the 落款 (tables): outside every section
    body_end: int = -1  # offset where the 附件 begins (the text's length if there is none)
    masked_lines: frozenset[int] = frozenset()  # lines left out (a table's): see build_outline

    def sections(self) -> Iterator[Section]:
        """All sections except the root, in document order."""
        return iter(self.section_list)

    @cached_property
    def section_list(self) -> list[Section]:
        """All sections except the root, in document order (computed once)."""
        return list(self.root.walk())[1:]


# -- heading lines ---------------------------------------------------------------------------

_SPACE = MARKER_SPACE
# Cheap superset of what the grammar accepts: only lines matching this are given to lark.
_PREFILTER = LazyPattern(MARKER_LINE_START)
# The first character of every line passing the prefilter (checked in the tests): most
# lines are rejected on it without running the pattern.
_PREFILTER_FIRST = MARKER_LINE_FIRST
_SENTENCE_END = LazyPattern(r"[。！？]")
_TITLE_TRAILING = "。！？；，、：.!?;,:．" + _SPACE
_MEANINGFUL = LazyPattern(r"[\p{L}\p{N}]")
# A level-3 marker followed by one of these is a number ("1.5亿元"), not a marker.
_DIGIT_CHARS = frozenset("0123456789０１２３４５６７８９")
# "二、三季度", "一、二月份": a list of numerals, not a level-1 heading.
_NUMERAL_LIST = LazyPattern(r"[一二三四五六七八九十]+[、，,季月]")


@cache
def outline_parser() -> Any:
    """The heading-marker parser, built once per process (its tables cached on disk)."""
    from lark import Lark  # deferred: only documents with a candidate heading line need it

    from reportlint.support.cache import lark_cache_file

    return Lark.open(
        str(grammar_path("outline.lark")),
        parser="lalr",
        lexer="contextual",
        cache=lark_cache_file("outline.lark"),
    )


@cache
def heading_grammar() -> FlatGrammar | None:
    """``outline.lark`` compiled into one regular expression that parses exactly as lark
    does (see :mod:`reportlint.outline.lark_regex`; checked against lark in the tests), cached
    on disk so most runs never import lark.  None: the grammar cannot be compiled, and
    lark parses each line."""
    from reportlint.outline.lark_regex import FlatGrammar, Unsupported, compile_lark
    from reportlint.support.cache import derived_cache_key, read_cached, write_cached

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

    from reportlint.outline.lark_regex import lark_tree_as_lite

    try:
        tree = lark_tree_as_lite(outline_parser().parse(text))
    except UnexpectedInput:
        return None
    return tree if isinstance(tree, LiteTree) else None


# A heading marker found on a line: level, ordinal, and its start and end in the line.
_Marker = tuple[int, int, int, int]
# What to read from the groups of a grammar leaf: level, number terminal, and the numbers
# of the groups of the number and of the first and last marker tokens.
_MarkerPlan = tuple[int, str, int, int, int]
_NUMBER_TERMINALS = ("CN_NUM", "DIGITS", "CIRCLED")


def _ordinal(terminal: str, value: str) -> int:
    if terminal == "CN_NUM":
        known = cn_numerals().get(value)
        return known if known is not None else cn_to_int(value)
    if terminal == "DIGITS":
        return int(value)  # int() reads full-width digits too
    return circled_value(value)


def _marker_of_tree(tree: LiteTree | None) -> _Marker | None:
    """The marker in lark's tree for a line (the general path, for lines the compiled
    grammar leaves to lark and leaves of a shape :func:`_marker_plan` does not expect)."""
    if tree is None:
        return None
    marker_tree = tree.children[0]
    assert isinstance(marker_tree, LiteTree)
    tokens = [tok for tok in marker_tree.children if isinstance(tok, LiteToken)]
    level = int(str(marker_tree.data)[-1])
    number = next(tok for tok in tokens if tok.type in _NUMBER_TERMINALS)
    marker_start = tokens[0].start_pos
    marker_end = tokens[-1].end_pos
    assert marker_start is not None and marker_end is not None
    return level, _ordinal(number.type, number.value), marker_start, marker_end


def _marker_plan(template: Template, groups: dict[str, int]) -> _MarkerPlan | None:
    """What :func:`_marker_of_tree` would read from the tree a leaf builds, as group numbers,
    so a line's marker is read from the match without building the tree.  None for a
    template of another shape: lines ending at such a leaf take the general path (which
    fails, if at all, only for the lines that reach it, as before)."""
    try:
        if template[0] != "tree" or template[2][0][0] != "tree":
            return None
        _, name, children = template[2][0]
        tokens = [child for child in children if child[0] == "tok"]
        number = next(token for token in tokens if token[2] in _NUMBER_TERMINALS)
        return int(str(name)[-1]), number[2], groups[number[1]], groups[tokens[0][1]], groups[tokens[-1][1]]
    except (TypeError, ValueError, IndexError, KeyError, StopIteration):
        return None


def _find_marker(text: str) -> _Marker | None:
    """The heading marker that ``text`` (a line passing the prefilter) starts with."""
    grammar = heading_grammar()
    if grammar is not None:
        found = grammar.compiled.match(text)
        if found is None:
            return None
        plan = grammar.leaf_table(_marker_plan)[found.lastgroup]  # type: ignore[index]
        if plan is None:
            return _marker_of_tree(grammar.parse(text))
        if plan is not FALLBACK:
            level, terminal, number, first, last = plan
            return level, _ordinal(terminal, found.group(number)), found.start(first), found.end(last)
    return _marker_of_tree(_parse_marker_line(text))


def parse_heading_line(text: str, line: int = 1, offset: int = 0) -> Heading | None:
    """The heading that physical line ``text`` starts with, or None.

    ``line`` and ``offset`` (the line's start in the document) place the result.
    Only the line itself is looked at; context rules live in :func:`build_outline`.
    """
    if not _PREFILTER.match(text):
        return None
    return _heading_of_candidate(text, line, offset)


def _heading_of_candidate(text: str, line: int, offset: int) -> Heading | None:
    """:func:`parse_heading_line` for a line known to pass the prefilter."""
    marker = _find_marker(text)
    if marker is None:
        return None
    level, ordinal, marker_start, marker_end = marker
    rest = text[marker_end:]
    if level == 3 and rest[:1] in _DIGIT_CHARS:
        return None  # "1.5亿元", "3、4月", "1，2": a number, not a marker
    if level == 1 and _NUMERAL_LIST.match(rest):
        return None
    unindented = rest.lstrip(_SPACE)
    body = unindented.rstrip()
    title_start = marker_end + len(rest) - len(unindented)
    found = _SENTENCE_END.search(body)
    if found is not None and body[found.end() :].strip(_SPACE):
        run_in = True
        title = body[: found.start()]
    else:
        run_in = False
        title = body.rstrip(_TITLE_TRAILING)
    if not _MEANINGFUL.search(title):
        return None
    return _new_heading(
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
_ENUM_START = LazyPattern(CN_NUMERAL + "[是要]")
_BROKEN_LONG = 40  # a body line at least this long, broken mid-sentence, is a wrapped line
_SHORT_UNPUNCTUATED = 30  # unnumbered headings ("强化思想引领，深入学习…") are short
_HEADER_MAX = 60
_TITLE_TAIL = 12  # "情况报告": a short continuation of the previous title line


def _is_date(stripped: str) -> bool:
    # A date line ends in 日: checked first, as most lines are not dates.
    return stripped[-1:] == "日" and _DATE_LINE.fullmatch(stripped) is not None


# A title line ends the title once it names the document type (报告, or the 总结/汇报/情况 a
# real title may end in instead); the lines after it may be a bracketed date or subtitle,
# the author and the date.
_TITLE_END = LazyPattern(r"报告|(?:总结|汇报|情况)$")
_DOCUMENT_TYPE = LazyPattern(r"报告|(?:总结|汇报)$")
_AFTER_TITLE_LINES = 3
# An organ name on a line of its own (the author under the title, a joint issuer).
_ORGAN_LINE = LazyPattern(
    r"[\p{Han}（）()\u3000 ]{2,30}?"
    r"(?:委员会|委|人民政府|政府|办公室|办公厅|办事处|办|局|厅|部|院|会|党组|党委|党工委|处|署|中心|街道|镇|乡)"
)
# The 主送机关 line: organ names joined by 、，并报 …, ending in a colon
# (市委、市政府： / 中共红河州委、红河州人民政府： / 市政府并报市委：).
_ADDRESSEE_ORGAN = (
    r"[\p{Han}（）()]{1,24}?"
    r"(?:委员会|委|人民政府|政府|办公室|办公厅|办事处|办|局|厅|部|院|会|党组|党委|党工委|处|科|署|中心|所|街道|镇|乡|中央)"
)
_ADDRESSEE = LazyPattern(
    _ADDRESSEE_ORGAN + r"(?:(?:、|，|,|\s|并报|并抄送|并|和|及)+" + _ADDRESSEE_ORGAN + r")*\s*[：:]"
)
_ADDRESSEE_MAX = 50
_FRONT_LINES = 8  # the front matter (版头, title, author, date, addressee) is at most this long


def is_addressee(stripped: str) -> bool:
    """Whether a line is a 主送机关 line (organ names and a colon, nothing else)."""
    return (
        len(stripped) <= _ADDRESSEE_MAX
        and stripped[-1:] in "：:"
        and _ADDRESSEE.fullmatch(stripped) is not None
    )


def _after_title(text: str) -> bool:
    """A line that may follow the title in the header: a bracketed subtitle or date, a
    date, or the author's name."""
    return (
        (text[0] in "（(" and text[-1] in "）)")
        or _is_date(text)
        or (len(text) <= 30 and _ORGAN_LINE.fullmatch(text) is not None)
    )


def _find_header(stripped: list[str], candidates: Container[int]) -> tuple[list[int], list[int], int | None]:
    """0-based indices of the header block (版头, title, the lines under the title), of the
    title lines within it, and of the 主送机关 line (None if there is none).

    The block is the leading run of short lines without sentence punctuation that are no
    heading; once a line names the document type (报告) only a bracketed line, a date or an
    author line may follow.  The title is the block's last line naming the document type,
    joined backwards with lines it continues (a line starting with 关于, or a short tail
    such as 情况报告, continues the line above).  An addressee line (市委、市政府：) right
    after the block, or first in a report without a title, is neither title nor body."""
    block: list[int] = []
    title_last: int | None = None  # position in block of the line naming the document type
    addressee: int | None = None
    for index, text in enumerate(stripped):
        if not text:
            continue
        if index in candidates or (_is_date(text) and title_last is None):
            break
        if is_addressee(text):
            addressee = index
            break
        if len(block) >= _FRONT_LINES or len(text) > _HEADER_MAX or text[-1] in _HEADER_STOP:
            break
        if title_last is not None and (len(block) - title_last > _AFTER_TITLE_LINES or not _after_title(text)):
            break
        block.append(index)
        if title_last is None and _DOCUMENT_TYPE.search(text):
            title_last = len(block) - 1
    if addressee is None:
        addressee = _addressee_after(stripped, block[-1] + 1 if block else 0)
    if not block:
        return [], [], addressee
    candidates_of_title = block if title_last is None else block[: title_last + 1]
    titled = [k for k, index in enumerate(candidates_of_title) if _TITLE_END.search(stripped[index])]
    last = titled[-1] if titled else len(candidates_of_title) - 1
    first = last
    while first > 0:
        current, previous = stripped[candidates_of_title[first]], stripped[candidates_of_title[first - 1]]
        if "报告" in previous:
            break
        continues = (
            current.startswith("关于")
            or len(current) <= _TITLE_TAIL
            or previous.endswith("关于")
            or (current.startswith("20") and len(previous) <= 30 and _ORGAN_LINE.fullmatch(previous) is not None)
        )
        if not continues:
            break
        first -= 1
    return block, candidates_of_title[first : last + 1], addressee


def _addressee_after(stripped: list[str], start: int) -> int | None:
    """The addressee line, if the first non-empty line from ``start`` is one."""
    for index in range(start, min(len(stripped), start + _FRONT_LINES)):
        text = stripped[index]
        if text:
            return index if is_addressee(text) else None
    return None


# An 附件 (annex) after the 落款: a line "附件", "附件1", "附件：题目" or "附表2" of its own.
_ANNEX = LazyPattern(r"附\s*[件表]\s*[0-9０-９一二三四五六七八九十]{0,2}(?:\s*[：:]\s*[^\n]{0,60})?")
_ANNEX_ALONE = LazyPattern(r"附\s*[件表]\s*[0-9０-９一二三四五六七八九十]{0,2}\s*[：:]?")
_LIST_ITEM = LazyPattern(r"[：:]\s*[0-9０-９]+[.．、]")


def find_annex(stripped: list[str]) -> int | None:
    """0-based index of the line where an 附件 after the 落款 begins, or None.

    The annex begins at an 附件/附表 line that comes right after a date line (the 成文日期,
    within the two non-empty lines above), or at a bare "附件"/"附件1" line.  "附件：1.……"
    before the 落款 is the 附件说明, part of the body."""
    recent: list[int] = []
    for index, text in enumerate(stripped):
        if not text:
            continue
        if (
            text[0] == "附"
            and len(text) <= 64
            and _ANNEX.fullmatch(text)
            and not _LIST_ITEM.search(text)
            and (_ANNEX_ALONE.fullmatch(text) or any(_is_date(stripped[k]) for k in recent))
        ):
            return index
        recent = [*recent[-1:], index]
    return None


# -- enumerators -----------------------------------------------------------------------------

# A numeral + 是/要 at a line start or right after a clause end or closing bracket/quote.
_ENUMERATOR = LazyPattern(
    r"(?<=(?:^|[。；：，！？;:,!?）)”’」』】〕])[ \t\u3000\u00a0]*)"
    r"(?P<num>" + CN_NUMERAL + r")(?P<word>[是要])",
    regex.MULTILINE,
)


# The same without the look-behind (which the matcher would try at every position),
# checked afterwards: a numeral run never starts right after a numeral, so no match can
# be hidden inside a rejected candidate, and the matches are the same.  find_enumerators
# finds this pattern's matches without running it (see there); the tests compare.
_ENUMERATOR_CANDIDATE = LazyPattern(r"(?P<num>" + CN_NUMERAL + r")(?P<word>[是要])")
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
    # The matches of _ENUMERATOR_CANDIDATE, found from their last character: the regex
    # module scans slowly for a pattern that starts with an alternation, str.find fast.
    # A match is a numeral run of one to three characters and the 是/要 right after it,
    # so matches for different 是/要 never overlap, and the match ending at one is the
    # leftmost suffix of the numerals before it that CN_NUMERAL matches in full.
    text = doc.text
    ends = []
    for word in "是要":
        at = text.find(word)
        while at != -1:
            ends.append(at)
            at = text.find(word, at + 1)
    ends.sort()
    numerals = cn_numerals()
    line_starts = doc.line_starts
    found = []
    for end in ends:
        if end == 0 or text[end - 1] not in CN_NUMERAL_CHARS:
            continue
        if end == 1 or text[end - 2] not in CN_NUMERAL_CHARS:
            start = end - 1  # the usual case; any one numeral character is a numeral
        else:
            for start in (end - 3, end - 2, end - 1):  # the leftmost start, as the search finds
                if start >= 0 and text[start:end] in numerals:
                    break
            else:
                continue
        if not _enumerator_may_start(text, start):
            continue
        found.append(
            _new_enumerator(
                ordinal=numerals[text[start:end]],
                marker=text[start : end + 1],
                word=text[end],
                start=start,
                end=end + 1,
                line=bisect.bisect_right(line_starts, start),
            )
        )
    return found


# -- the outline -----------------------------------------------------------------------------


# A Markdown ATX heading's markers: up to three spaces, one to six #, then a space or
# the line's end; and an optional closing run of # (CommonMark 4.2).
_ATX_OPENING = LazyPattern(r"^ {0,3}(#{1,6})(?=[ \t]|$)")
_ATX_CLOSING = LazyPattern(r"[ \t]+(#+)[ \t]*$")
# Bold markup around the start of a line ("**一、主要举措和成效**", "__（一）完善制度。__正文"):
# the opening pair at the line start (after any #) and the first closing pair after it.
_BOLD_OPENING = LazyPattern(r"^[ \t\u3000]*(\*\*|__)(?=[^\s*_])")


def _blank(line: str, start: int, end: int) -> str:
    return line[:start] + " " * (end - start) + line[end:]


def _without_heading_markup(line: str, markdown: bool) -> str:
    """``line`` with the markup around a heading blanked out (same length, so offsets stay
    those of the document): "## 一、总体情况" (Markdown files) and "**一、总体情况**" are read
    as the heading "一、总体情况".  The markup itself is FZ109's to report."""
    if markdown:
        opening = _ATX_OPENING.match(line)
        if opening is not None:
            start, end = opening.span(1)
            line = _blank(line, start, end)
            closing = _ATX_CLOSING.search(line, end)
            if closing is not None:
                line = _blank(line, *closing.span(1))
    bold = _BOLD_OPENING.match(line)
    if bold is not None:
        pair = bold.group(1)
        closing_at = line.find(pair, bold.end())
        if closing_at != -1:
            line = _blank(_blank(line, *bold.span(1)), closing_at, closing_at + 2)
    return line


def outline_lines(doc: Document) -> list[str]:
    """The document's lines as the outline reads them (heading markup blanked out)."""
    markdown = doc.is_markdown
    text = doc.text
    if "*" not in text and "_" not in text and not (markdown and "#" in text):
        return doc.lines
    return [
        _without_heading_markup(line, markdown) if ("*" in line or "_" in line or (markdown and "#" in line)) else line
        for line in doc.lines
    ]


def build_outline(doc: Document, masked: frozenset[int] = frozenset()) -> Outline:
    """The outline of ``doc``; ``masked``: lines (1-based) left out (see the module's doc)."""
    lines = outline_lines(doc)
    starts = doc.line_starts
    stripped = [line.strip() for line in lines]

    annex = find_annex(stripped)
    main_lines = len(lines) if annex is None else annex  # the lines before the 附件
    candidates: dict[int, Heading] = {}
    prefilter = _PREFILTER.match
    for index in range(main_lines):
        line = lines[index]
        if line[:1] in _PREFILTER_FIRST and prefilter(line) and not (masked and index + 1 in masked):
            heading = _heading_of_candidate(line, index + 1, starts[index])
            if heading is not None:
                candidates[index] = heading

    stops: Container[int] = candidates.keys() | {line - 1 for line in masked} if masked else candidates
    block, title_block, addressee = _find_header(stripped, stops)
    header = set(block)
    if addressee is not None:
        header.add(addressee)  # no paragraph continues into or out of it

    headings, paragraphs = _build_headings_and_paragraphs(doc, stripped, candidates, header, main_lines, masked)

    body_end = len(doc.text) if annex is None else starts[annex]
    root, sections = _build_sections(doc, headings, body_end, main_lines)
    enumerators = find_enumerators(doc)
    if annex is not None:
        enumerators = [e for e in enumerators if e.start < body_end]
    enumerations = _group_enumerators(enumerators, sections)

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
        addressee_line=None if addressee is None else addressee + 1,
        annex_line=None if annex is None else annex + 1,
        body_end=body_end,
        masked_lines=masked,
    )


def _build_sections(
    doc: Document, headings: list[Heading], size: int | None = None, last_line: int | None = None
) -> tuple[Section, list[Section]]:
    """The section tree and its sections in document order (the root first); the sections
    end at ``size`` (the 附件's start: an annex belongs to no section)."""
    size = len(doc.text) if size is None else size
    last_line = doc.line_count if last_line is None else last_line
    line_starts = doc.line_starts
    root = Section(heading=None, level=0, start=0, end=size, start_line=1, end_line=last_line)
    sections = [root]
    stack = [root]
    for heading in headings:
        line_start = line_starts[heading.line - 1]
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
        sections.append(section)
    return root, sections


def _build_headings_and_paragraphs(
    doc: Document,
    stripped: list[str],
    candidates: dict[int, Heading],
    header: set[int],
    main_lines: int | None = None,
    masked: frozenset[int] = frozenset(),
) -> tuple[list[Heading], list[Paragraph]]:
    """The headings (the candidates, less bare markers that continue a sentence broken
    mid-way) and the paragraphs, in one pass: a candidate is judged by the paragraph
    it would continue, so the decision is the same whether that paragraph's lines are
    broken (as extracted) or joined (as FZ111's fix leaves them)."""

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

    headings: list[Heading] = []
    heading_at: dict[int, Heading] = {}
    groups: list[list[int]] = []
    group: list[int] = []
    group_chars = 0  # characters of the paragraph ``group`` so far
    # Whether the paragraph ``group`` looks broken at its last line, so the next line may
    # continue it.  A run-in heading line carries body text and may be broken; a
    # stand-alone one not.  (The checks are cheapest first; none has side effects.)
    may_continue = False
    main_lines = len(stripped) if main_lines is None else main_lines
    for index, text in enumerate(stripped):
        if not text:
            continue
        if index >= main_lines or (masked and index + 1 in masked):
            # an 附件 (tables), or a table's line: each line a paragraph of its own
            groups.append([index])
            may_continue = False
            continue
        candidate = candidates.get(index)
        if candidate is not None:
            last = group[-1] if group else -1
            # A 一、 or 1. marker after a paragraph of 40+ characters that stops mid-sentence
            # continues that sentence: it is no heading.
            continues = (
                candidate.level in (1, 3)
                and not _stands_alone(candidate)
                and last >= 0
                and (last not in heading_at or heading_at[last].run_in)
                and last not in header
                and group_chars >= _BROKEN_LONG
                and stripped[last][-1] not in _FINAL
                and _MEANINGFUL.match(stripped[last][-1]) is not None
            )
            if not continues:
                headings.append(candidate)
                heading_at[index] = candidate
        if may_continue and not (
            index in heading_at
            or index in header
            or (text[0] in CN_NUMERAL_CHARS and _ENUM_START.match(text))
            or _is_date(text)
            or _is_table_row(text)
        ):
            group.append(index)
            group_chars += len(text)
        else:
            group = [index]
            group_chars = len(text)
            groups.append(group)
        heading = heading_at.get(index)
        may_continue = not (
            text[-1] in _FINAL
            or (text[-1] in "*_" and text.rstrip("*_")[-1:] in _FINAL)  # "**一是……。**"
            or _is_table_row(text)
            or index in header
            or (heading is not None and not heading.run_in)
            or _is_date(text)
            or short_unpunctuated(group)
        )
    starts = doc.line_starts
    lines = doc.lines
    paragraphs = [
        _new_paragraph(
            starts[group[0]],
            starts[group[-1]] + len(lines[group[-1]]),
            tuple([index + 1 for index in group]),
        )
        for group in groups
    ]
    return headings, paragraphs


def _is_table_row(text: str) -> bool:
    """A table row copied as text: cells separated by tabs, or a Markdown table row."""
    return "\t" in text or (text[0] == "|" and text[-1] == "|")


def _stands_alone(heading: Heading) -> bool:
    """A short stand-alone heading without punctuation in its words ("一、工作开展情况"): a
    heading even after a paragraph that stops mid-sentence (which then lacks its final 。)."""
    title = heading.title
    return (
        not heading.run_in
        and len(title) <= _SHORT_UNPUNCTUATED
        and not any(char in _BARE_HEADING_PUNCT or char in "，、" for char in title)
    )


def _group_enumerators(enumerators: list[Enumerator], sections: list[Section]) -> list[tuple[Enumerator, ...]]:
    # ``sections`` in document order: the innermost section at an offset is the last started
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


# -- headings without a marker -----------------------------------------------------------------

# A bare heading holds no sentence punctuation and does not stop mid-clause; it may be as
# long as a title (the official name of the responsibility part alone is 24 characters).
_BARE_HEADING_PUNCT = frozenset("。！？；：!?;:")
_BARE_HEADING_OPEN_END = frozenset("，、,")


def bare_headings(doc: Document, outline: Outline) -> list[Heading]:
    """Lines that may be headings written without a marker ("存在的问题"): a paragraph of
    one line of at most _HEADER_MAX characters without sentence punctuation, not ending in
    a comma, outside the header, not a numbered heading or a date, with text after it.

    They are not headings of the outline (a short line is as often a 落款 or a slogan);
    a required part missing from the numbered headings is looked for among them
    (:meth:`LintContext.part_sections`).  Their level is 1 and their marker empty."""
    header = set(outline.header_lines)
    numbered = {heading.line for heading in outline.headings}
    masked = outline.masked_lines
    lines = outline_lines(doc)
    found = []
    for paragraph in outline.paragraphs[:-1]:  # the last paragraph has nothing after it
        if len(paragraph.lines) != 1:
            continue
        line = paragraph.lines[0]
        if line in header or line in numbered or (masked and line in masked):
            continue
        text = lines[line - 1]
        title = text.strip()
        if not title or len(title) > _HEADER_MAX or _is_date(title) or title[-1] in _BARE_HEADING_OPEN_END:
            continue
        if any(char in _BARE_HEADING_PUNCT for char in title):
            continue
        start = doc.line_starts[line - 1] + len(text) - len(text.lstrip())
        end = start + len(title)
        found.append(_new_heading(1, 0, "", "", line, start, start, title, start, end, False))
    return found
