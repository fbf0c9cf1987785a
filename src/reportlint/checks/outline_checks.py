"""Kinds that look at the outline: ``section`` (a part must exist / must contain
terms), ``sequence`` (ordinals run 1, 2, 3 … per parent; enumerators keep one
word; no level skipped), ``heading-marker`` (GB/T 9704 marker forms),
``heading-punctuation`` (no 。 at the end of a stand-alone heading) and
``broken-line`` (sentences broken across lines by extraction)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any, ClassVar

from reportlint.checks.base import Check, Finding
from reportlint.checks.context import LintContext
from reportlint.checks.text import literal_alternation, report_location
from reportlint.core.diagnostics import Edit
from reportlint.outline.parser import Heading, Section
from reportlint.rules.model import (
    INTEGER,
    PART_NAME,
    REGEX,
    REGEXES,
    SEVERITY,
    TEXT,
    TEXTS,
    Field,
    compile_pattern,
    unknown_part,
)
from reportlint.support.rxcache import LazyPattern
from reportlint.zh.numerals import canonical_marker, to_chinese

DOCUMENT_ONLY = frozenset({"document"})
ParamTypes = dict[str, Field]
LEVELS = Field(list, items=Field(int, choices=(1, 2, 3, 4)))  # heading levels: 一、 （一） 1. （1）


class SectionCheck(Check):
    """A part of the report (``part`` from pack.toml, or heading ``aliases``) must exist;
    with ``contains``/``contains_pattern`` each matching section must also mention them
    (in its heading, body or either: ``where``).  ``if_heading`` limits the contains
    check to sections whose heading matches; ``unless_heading`` skips those that do."""

    kind = "section"
    scopes = DOCUMENT_ONLY
    params: ClassVar[ParamTypes] = {
        "part": PART_NAME,
        "aliases": REGEXES,
        "level": INTEGER,
        "contains": TEXTS,
        "contains_pattern": REGEX,
        "where": Field(str, choices=("any", "heading", "body")),
        "if_heading": REGEX,
        "unless_heading": REGEX,
    }
    placeholders = frozenset({"part", "where", "heading"})

    def compile(self, params: dict[str, Any]) -> None:
        pack = self.rule.pack
        if "part" in params:
            if params["part"] not in pack.parts:
                raise self.fail("part", unknown_part(params["part"], pack))
            part = pack.parts[params["part"]]
            self.pattern = part.pattern
            self.level = params.get("level", part.level)
            self.label = part.label
            # Without a level of its own, the part is found as every rule finds it
            # (LintContext.part_sections: one level down when there are no level-1 headings).
            self.part = None if "level" in params else part
        elif params.get("aliases"):
            self.pattern = compile_pattern(self.rule, "check.aliases", "|".join(f"(?:{a})" for a in params["aliases"]))
            self.level = params.get("level")
            self.label = params["aliases"][0]
            self.part = None
        else:
            raise self.fail("kind", "检查类型“section”需要参数“part”或非空的“aliases”")
        contains = params.get("contains_pattern")
        if contains is None and params.get("contains"):
            contains = literal_alternation(params["contains"])
        self.contains = compile_pattern(self.rule, "check.contains", contains) if contains else None
        self.where = params.get("where", "any")
        self.if_heading = (
            compile_pattern(self.rule, "check.if_heading", params["if_heading"]) if "if_heading" in params else None
        )
        self.unless_heading = (
            compile_pattern(self.rule, "check.unless_heading", params["unless_heading"])
            if "unless_heading" in params
            else None
        )

    def run(self, ctx: LintContext) -> Iterator[Finding]:
        if self.part is not None:
            sections = ctx.part_sections(self.part, self.rule.pack)
        else:
            sections = ctx.matching_sections(self.pattern, self.level)
        values = {"part": self.label}
        if self.contains is None:
            if not sections:
                start, end = report_location(ctx, [], "title")
                values["where"] = self._where(ctx)
                yield Finding(start, end, values)
            return
        checked = [
            section
            for section in sections
            if section.heading is not None
            and (self.if_heading is None or self.if_heading.search(section.heading.title, timeout=ctx.regex_timeout))
            and (
                self.unless_heading is None
                or not self.unless_heading.search(section.heading.title, timeout=ctx.regex_timeout)
            )
        ]
        missing = [section for section in checked if not self._contains(ctx, section)]
        if self.part is not None and len(missing) < len(checked):
            return  # a part in several sections (三、存在的问题 四、原因分析) holds it in one of them
        for section in missing:
            heading = section.heading
            assert heading is not None
            yield Finding(heading.start, heading.title_end, {**values, "heading": heading.title})

    def _contains(self, ctx: LintContext, section: Section) -> bool:
        heading = section.heading
        assert heading is not None and self.contains is not None
        if self.where == "heading":
            start, end = heading.start, heading.title_end
        elif self.where == "body":
            start, end = section.body_start, section.end
        else:
            start, end = section.start, section.end
        return self.contains.search(ctx.text, start, end, timeout=ctx.regex_timeout) is not None


    def _where(self, ctx: LintContext) -> str:
        """Where the missing part belongs: after the nearest required part before it in the
        pack's order that the report has, else before the nearest one after it."""
        if self.part is None:
            return ""
        pack = self.rule.pack
        order = [p for p in pack.parts.values() if p.required]
        if self.part not in order:
            return ""
        at = order.index(self.part)
        for other in reversed(order[:at]):
            found = ctx.part_sections(other, pack)
            if found and found[-1].heading is not None:
                return f"，应放在“{_heading_text(found[-1].heading)}”部分之后"
        for other in order[at + 1 :]:
            found = ctx.part_sections(other, pack)
            if found and found[0].heading is not None:
                return f"，应放在“{_heading_text(found[0].heading)}”部分之前"
        return ""


def _heading_text(heading: Heading) -> str:
    return (heading.marker + heading.title) if len(heading.title) <= 30 else heading.marker + heading.title[:28] + "…"


def _children_by_level(section: Section, level: int) -> list[Heading]:
    return [c.heading for c in section.children if c.heading is not None and c.heading.level == level]


_SUB_HEADING_MAX = 60


def _sub_heading_between(ctx: LintContext, after: int, before: int) -> bool:
    """Whether an unnumbered sub-heading lies strictly between two lines: a short line of its
    own without sentence punctuation ("原因分析"), or ending in a colon ("整改情况：")."""
    doc = ctx.doc
    numbered = ctx.heading_lines
    for line in range(after + 1, before):
        if line in numbered:
            continue
        text = doc.line_text(line).strip().strip("*#_ ")
        if not text or len(text) > _SUB_HEADING_MAX:
            continue
        body = text[:-1] if text[-1] in "：:" else text
        if body and not any(char in "。！？；：!?;:" for char in body):
            return True
    return False


def _problem(ordinal: int, expected: int, previous: int) -> str:
    if ordinal == previous or (ordinal == 1 and previous >= 1):
        return "重复"
    return "缺少" if ordinal > expected else "顺序错误"


def _detail(problem: str, expected: str, missing_last: str, previous: str) -> str:
    """A readable description of a deviation: 前缺少“（一）”, 与上一个序号重复 …"""
    if problem == "重复":
        return "与前面的序号重复"
    if problem == "缺少":
        missing = f"“{expected}”" if missing_last == expected else f"“{expected}”至“{missing_last}”"
        return f"前缺少{missing}"
    return f"排在“{previous}”之后，顺序颠倒"


class Sequence(Check):
    """Ordinals of one heading ``level`` under each parent (``target = "headings"``), or of
    inline enumerators 一是/二是 in each run (``target = "enumerations"``), must run
    1, 2, 3 … with no gap or repeat (``aspect = "order"``); enumerators of one run must
    use one word, 一是…二是 not 一是…二要 (``aspect = "word"``); a heading must not sit
    two levels below its parent (``aspect = "nesting"``).

    Headings: a list that starts again at 1 under the same parent is a new list (lists
    under an unnumbered sub-heading, or paragraphs that each open with （1）), not a repeat;
    after a deviation the count continues from the ordinal found, so one wrong marker
    gives one finding.  Enumerations: only the first deviation of a run is reported,
    since the items after it usually just follow the wrong number (五是、五是、六是)."""

    kind = "sequence"
    scopes = DOCUMENT_ONLY
    params: ClassVar[ParamTypes] = {
        "target": Field(str, choices=("headings", "enumerations")),
        "level": Field(int, choices=(1, 2, 3, 4)),
        "aspect": Field(str, choices=("order", "word", "nesting")),
    }
    required = ("target",)
    placeholders = frozenset({"found", "expected", "problem", "detail", "first", "skipped", "parent"})

    def compile(self, params: dict[str, Any]) -> None:
        self.target = params["target"]
        self.level = params.get("level")
        self.aspect = params.get("aspect", "order")
        if self.aspect == "word" and self.target != "enumerations":
            raise self.fail("aspect", "参数“aspect”为“word”时，“target”应为“enumerations”")
        if self.aspect == "nesting" and self.target != "headings":
            raise self.fail("aspect", "参数“aspect”为“nesting”时，“target”应为“headings”")

    def run(self, ctx: LintContext) -> Iterator[Finding]:
        if self.target == "headings" and self.aspect == "nesting":
            yield from self._nesting(ctx)
        elif self.target == "headings":
            yield from self._headings(ctx)
        elif self.aspect == "order":
            yield from self._enumeration_order(ctx)
        else:
            yield from self._enumeration_words(ctx)

    def _headings(self, ctx: LintContext) -> Iterator[Finding]:
        levels = (self.level,) if self.level else (1, 2, 3, 4)
        for section in ctx.outline.root.walk():
            for level in levels:
                previous = 0
                last_line = section.start_line
                siblings = _children_by_level(section, level)
                for index, heading in enumerate(siblings):
                    expected = previous + 1
                    restart = heading.ordinal == 1 and previous >= 1
                    wrong = heading.ordinal not in (expected, 1) or (
                        # 一、…一、 or （一）…（一） under one parent: a number not updated, not a
                        # new list (which needs a sub-heading of its own to start it)
                        restart and level <= 2 and not _sub_heading_between(ctx, last_line, heading.line)
                    )
                    if wrong:
                        yield self._finding(heading, expected, previous)
                        following = siblings[index + 1].ordinal if index + 1 < len(siblings) else None
                        # This marker alone is wrong when the next one follows the expected
                        # number ((一)(三)(三)(四), (一)(一)(三)): count on from the expected
                        # one, so one wrong marker gives one finding.
                        previous = expected if following == expected + 1 else heading.ordinal
                    else:
                        previous = heading.ordinal
                    last_line = heading.line

    def _nesting(self, ctx: LintContext) -> Iterator[Finding]:
        """A heading two levels below its parent (一、 then 1. with no （一）); reported once
        per parent, at its first such child."""
        for parent in ctx.outline.root.walk():
            if parent.level < 1 or parent.heading is None:
                continue
            for section in parent.children:
                heading = section.heading
                assert heading is not None
                if heading.level > parent.level + 1:
                    values = {
                        "found": heading.marker,
                        "parent": parent.heading.marker,
                        "skipped": canonical_marker(parent.level + 1, 1),
                    }
                    yield Finding(heading.start, heading.marker_end, values)
                    break

    def _finding(self, heading: Heading, expected: int, previous: int) -> Finding:
        level = heading.level
        problem = _problem(heading.ordinal, expected, previous)
        expected_marker = canonical_marker(level, expected)
        values = {
            "found": heading.marker,
            "expected": expected_marker,
            "problem": problem,
            "detail": _detail(
                problem,
                expected_marker,
                canonical_marker(level, heading.ordinal - 1) if heading.ordinal > 1 else expected_marker,
                canonical_marker(level, previous) if previous else "",
            ),
        }
        return Finding(heading.start, heading.marker_end, values)

    def _enumeration_order(self, ctx: LintContext) -> Iterator[Finding]:
        for run in ctx.outline.enumerations:
            previous = 0
            for item in run:
                expected = previous + 1
                if item.ordinal != expected:
                    problem = _problem(item.ordinal, expected, previous)
                    word = item.word
                    expected_marker = to_chinese(expected) + word
                    missing_last = to_chinese(item.ordinal - 1) + word if item.ordinal > 1 else expected_marker
                    values = {
                        "found": item.marker,
                        "expected": expected_marker,
                        "problem": problem,
                        "detail": _detail(problem, expected_marker, missing_last, to_chinese(previous) + word),
                    }
                    yield Finding(item.start, item.end, values)
                    break  # the rest of the run follows the wrong number: one finding per run
                previous = item.ordinal

    def _enumeration_words(self, ctx: LintContext) -> Iterator[Finding]:
        for run in ctx.outline.enumerations:
            if len(run) < 2:
                continue
            word = run[0].word
            for item in run[1:]:
                if item.word != word:
                    right = to_chinese(item.ordinal) + word
                    values = {"found": item.marker, "expected": right, "first": run[0].marker}
                    yield Finding(item.start, item.end, values, (Edit(item.start, item.end, right),))


class HeadingMarker(Check):
    """Heading markers must be written as GB/T 9704—2012 7.3.3 says: 一、 （一） 1. （1）.
    The fix rewrites the marker (and drops spaces after it).  In a Markdown file a
    space after a correct ``1.`` is list syntax, not a defect."""

    kind = "heading-marker"
    scopes = DOCUMENT_ONLY
    params: ClassVar[ParamTypes] = {"levels": LEVELS, "space_severity": SEVERITY}
    placeholders = frozenset({"found", "expected"})

    def compile(self, params: dict[str, Any]) -> None:
        self.levels = set(params.get("levels", [1, 2, 3, 4]))
        self.space_severity = params.get("space_severity")

    def run(self, ctx: LintContext) -> Iterator[Finding]:
        markdown = ctx.doc.is_markdown
        for heading in ctx.outline.headings:
            if heading.level not in self.levels:
                continue
            after = heading.marker_end
            while after < heading.title_start and ctx.text[after] in " \t\u3000\u00a0":
                after += 1
            if heading.well_formed and (after == heading.marker_end or (markdown and heading.level == 3)):
                continue
            values = {"found": ctx.text[heading.start : after], "expected": heading.canonical}
            edit = Edit(heading.start, after, heading.canonical)
            # A right marker followed by a space ("1. 突出政治引领") is a typing habit, not a
            # wrong marker: a hint.
            severity = self.space_severity if heading.well_formed else None
            yield Finding(heading.start, heading.marker_end, values, (edit,), severity)


class BrokenLine(Check):
    """A sentence broken across lines (PDF/Word extraction): the line stops mid-sentence and
    the paragraph goes on after a line break (the outline's paragraphs say which lines
    belong together).  The fix joins the two lines.

    A break across a blank line is always reported: it splits one sentence into two
    paragraphs.  A break between adjacent lines is reported only in a plain-text file laid
    out one paragraph per line; in Markdown adjacent lines are one paragraph by definition,
    and a hard-wrapped text (several such breaks) wraps on purpose."""

    kind = "broken-line"
    scopes = DOCUMENT_ONLY
    params: ClassVar[ParamTypes] = {}
    placeholders = frozenset({"next_line", "joined"})
    WRAPPED = 3  # this many adjacent-line breaks: the file is hard-wrapped

    def compile(self, params: dict[str, Any]) -> None:
        pass

    def run(self, ctx: LintContext) -> Iterator[Finding]:
        doc = ctx.doc
        pairs = [
            (before, after)
            for paragraph in ctx.outline.paragraphs
            for before, after in zip(paragraph.lines, paragraph.lines[1:], strict=False)
        ]
        adjacent = sum(1 for before, after in pairs if after == before + 1)
        markdown = doc.is_markdown
        report_adjacent = not markdown and adjacent < self.WRAPPED
        for before, after in pairs:
            if after == before + 1 and not report_adjacent:
                continue
            text_before = doc.line_text(before).rstrip()
            end = doc.line_start(before) + len(text_before)
            next_text = doc.line_text(after)
            next_start = doc.line_start(after) + len(next_text) - len(next_text.lstrip())
            values = {
                "next_line": after,
                "joined": text_before.lstrip()[-4:] + next_text.strip()[:4],
            }
            yield Finding(max(end - 1, 0), end, values, (Edit(end, next_start, ""),))


class HeadingPunctuation(Check):
    """A stand-alone heading line should not end with 。；，: (run-in headings, whose body
    follows on the same line, are fine).  Only headings that head some content are looked
    at: a line followed directly by its next sibling (or nothing) may be a one-sentence
    list item, where the full stop is right.  ``levels`` limits the heading levels.
    The fix removes the mark."""

    kind = "heading-punctuation"
    scopes = DOCUMENT_ONLY
    params: ClassVar[ParamTypes] = {"marks": TEXT, "levels": LEVELS}
    placeholders = frozenset({"mark"})

    def compile(self, params: dict[str, Any]) -> None:
        self.marks = params.get("marks", "。；，,;")
        self.levels = set(params.get("levels", [1, 2, 3, 4]))

    def run(self, ctx: LintContext) -> Iterator[Finding]:
        doc = ctx.doc
        last_body_line = _signature_start(ctx) - 1
        for section in ctx.outline.sections():
            heading = section.heading
            assert heading is not None
            if heading.run_in or heading.level not in self.levels:
                continue
            below = range(heading.line + 1, min(section.end_line, last_body_line) + 1)
            if not any(doc.line_text(line).strip() for line in below):
                continue  # nothing under it: a list item, not a heading over content
            tail = ctx.text[heading.title_end : doc.line_end(heading.line)]
            stripped = tail.rstrip()
            if stripped and all(ch in self.marks for ch in stripped):
                start = heading.title_end
                end = start + len(stripped)
                yield Finding(start, end, {"mark": stripped}, (Edit(start, end, ""),))


_DATE = LazyPattern(r"[0-9０-９〇○零一二三四五六七八九]{4}\s*年.{1,4}月.{1,4}日")
_SIGNATURE_MAX = 40  # a 发文机关署名 line is short and has no sentence punctuation
_CLAUSE_PUNCT = LazyPattern(r"[。！？；：，、]")


def _signature_start(ctx: LintContext) -> int:
    """First line of the closing 落款 block (署名 + 成文日期), or one past the main text's last
    line (an 附件 after the 落款 is not part of the main text)."""
    doc = ctx.doc
    annex = ctx.outline.annex_line
    last = doc.line_count if annex is None else annex - 1
    lines = list(islice((n for n in range(last, 0, -1) if doc.line_text(n).strip()), 3))
    if not lines or not _DATE.search(doc.line_text(lines[0])) or len(doc.line_text(lines[0]).strip()) > 20:
        return last + 1
    start = lines[0]
    headings = {heading.line for heading in ctx.outline.headings}
    for line in lines[1:]:
        text = doc.line_text(line).strip()
        if len(text) > _SIGNATURE_MAX or _CLAUSE_PUNCT.search(text) or line in headings:
            break
        start = line
    return start
