"""The ``law-title`` kind finds exactly what the straightforward code found.

For speed, mode "bare" searches for 顿号 runs only in the clauses (text between two
separators other than 、) that hold a name, 、, a whole item that is a name and 、 (the
first two names of any run of three or more), finds 条例 by its 例 and tries only the
name lengths that end in the three characters before it; modes "short" and "unknown"
search for declared short titles only when a short title needs them and skip the
regular-expression substitutions that cannot change a title.  The implementation they
replaced is kept here, as it was, as the reference; both are run on the sample reports,
on random texts made of law names from the rules' data files, 、，。《》 and filler, and on
random sub-ranges of them.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
import regex

from reportlint.checks.base import Finding
from reportlint.checks.citation import (
    BOOK_TITLE,
    DECLARED_SHORT,
    LAW_ENDING,
    TRIAL_NOTE,
    VERSION_NOTE,
    LawTitle,
    _count_any,
    item_runs,
)
from reportlint.checks.context import LintContext
from reportlint.core.diagnostics import Edit
from reportlint.core.document import Document
from reportlint.engine.lint import load_ruleset

REPORTS = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "reports").glob("*.txt"))
CODES = ("FZ401", "FZ402", "FZ404")


# --- the reference: the implementation before the speed work, unchanged ---------------------


class ReferenceLawTitle(LawTitle):
    """LawTitle with the methods the speed work replaced, as they were (no ``kind``: not registered)."""

    def run(self, ctx: LintContext) -> Iterator[Finding]:
        spans = ctx.spans(self.rule.scope, self.rule.pack)
        if self.mode == "bare":
            for span in spans:
                yield from self.bare_regulations(ctx, span.start, span.end)
                yield from self.bare_lists(ctx, span.start, span.end)
            return
        declared = {m.group(1) for m in DECLARED_SHORT.finditer(ctx.text)}
        seen: set[str] = set()
        for span in spans:
            for match in BOOK_TITLE.finditer(ctx.text, span.start, span.end):
                title = VERSION_NOTE.sub("", match.group(1)).strip()
                if self.mode == "short":
                    finding = self.short(match, title, declared, seen)
                else:
                    finding = self.unknown(match, title)
                seen.add(title)
                if finding is not None:
                    yield finding

    def unknown(self, match: regex.Match[str], title: str) -> Finding | None:
        bare = TRIAL_NOTE.sub("", title).strip()
        if len(bare) < 4 or not LAW_ENDING.search(bare) or self.known(title, bare):
            return None
        # The rest of LawTitle.unknown is unchanged: run it on a title that passes the same test.
        return LawTitle.unknown(self, match, title)

    def bare_regulations(self, ctx: LintContext, start: int, end: int) -> Iterator[Finding]:
        text = ctx.text
        position = text.find("条例", start, end)
        while position != -1:
            name_end = position + 2
            name = self._longest_name_before(text, name_end, start)
            if name is not None:
                name_start = name_end - len(name)
                if not self._bare_name_excluded(ctx, name_start, name_end):
                    full = self.regulations[name]
                    values = {
                        "title": name,
                        "full": full,
                        "reason": f"是法规名称，正文引用应加书名号并写全称《{full}》",
                    }
                    edit = Edit(name_start, name_end, f"《{full}》")
                    yield Finding(name_start, name_end, values, (edit,))
            position = text.find("条例", name_end, end)

    def _longest_name_before(self, text: str, name_end: int, floor: int) -> str | None:
        for length in range(min(self.max_name, name_end - floor), 3, -1):
            candidate = text[name_end - length : name_end]
            if candidate in self.regulations:
                return candidate
        return None

    def bare_lists(self, ctx: LintContext, start: int, end: int) -> Iterator[Finding]:
        text, need = ctx.text, self.min_run - 1
        name_ends = tuple(char + "、" for char in self.law_ends)
        for found in item_runs(text, start, end, lambda low, high: _count_any(text, name_ends, low, high) >= need):
            if _count_any(text, name_ends, found.start(), found.end()) < need:
                continue
            run: list[tuple[int, int]] = []
            offset = found.start()
            for item in found.group().split("、"):
                if item in self.law_names:
                    run.append((offset, offset + len(item)))
                else:
                    head = self._name_at_start(item) if run else 0
                    if run and head:
                        run.append((offset, offset + head))
                    if len(run) >= self.min_run:
                        yield from self._report_run(ctx, run)
                    tail = self._name_at_end(item)
                    run = [(offset + len(item) - tail, offset + len(item))] if tail else []
                offset += len(item) + 1
            if len(run) >= self.min_run:
                yield from self._report_run(ctx, run)


# --- helpers ------------------------------------------------------------------------------


def _reference(check: LawTitle) -> ReferenceLawTitle:
    ref = object.__new__(ReferenceLawTitle)
    ref.__dict__.update(check.__dict__)
    return ref


@pytest.fixture(scope="module")
def checks() -> dict[str, LawTitle]:
    rules = {rule.code: rule for rule in load_ruleset().rules}
    found = {code: rules[code].check for code in CODES}
    assert all(isinstance(check, LawTitle) for check in found.values())
    return found  # type: ignore[return-value]


def _context(text: str) -> LintContext:
    return LintContext(Document.from_text(text, path="t.txt"))


def _compare(check: LawTitle, text: str, rng: random.Random | None = None) -> int:
    """Run the check and its reference on ``text`` (and, for mode "bare", on a random
    sub-range); return how many findings there were."""
    ref = _reference(check)
    new_ctx, ref_ctx = _context(text), _context(text)
    new, old = list(check.run(new_ctx)), list(ref.run(ref_ctx))
    assert new == old, (check.rule.code, text)
    if check.mode == "bare" and rng is not None:
        size = len(new_ctx.text)
        start = rng.randint(0, size)
        end = rng.randint(start, size)
        commas = [at for at, char in enumerate(new_ctx.text) if char == "、"]
        if commas and rng.random() < 0.5:  # a range that cuts a run next to a 、
            start = max(0, min(size, rng.choice(commas) + rng.randint(-2, 1)))
            end = max(start, min(size, rng.choice(commas) + rng.randint(-1, 2)))
        for name in ("bare_regulations", "bare_lists"):
            got = list(getattr(check, name)(new_ctx, start, end))
            expected = list(getattr(ref, name)(ref_ctx, start, end))
            assert got == expected, (check.rule.code, name, text, start, end)
            new += got
    return len(new)


def _pieces(checks: dict[str, LawTitle], rng: random.Random) -> list[str]:
    bare, unknown, short = checks["FZ404"], checks["FZ402"], checks["FZ401"]
    laws = sorted(bare.law_names)
    regulations = sorted(bare.regulations)
    titles = sorted(unknown.titles)
    shorts = sorted(short.prc_short)
    names = (
        rng.sample(laws, min(60, len(laws)))
        + rng.sample(regulations, min(60, len(regulations)))
        + rng.sample(titles, min(60, len(titles)))
        + rng.sample(shorts, min(30, len(shorts)))
    )
    # Near misses: heads and tails of names, a character dropped or changed.
    for name in rng.sample(names, 60):
        cut = rng.randint(1, len(name) - 1)
        names += [name[:cut], name[cut:], name[:cut] + name[cut + 1 :], name[:cut] + "仪" + name[cut + 1 :]]
    return names


FILLER = [
    "、", "、", "、", "，", "。", "《", "》", "学习", "等法律", "省", "市", "区", "实施", "细则",
    "“", "”", "（试行）", "（2023年修订）", "（以下简称《", "》）", "\n", " ", "条例", "法", "典",
    "中华人民共和国", "组织学习", "和", "及", "贯彻", "；", "（", "）", "规定", "办法",
    "认真落实习近平法治思想推进依法行政工作全面开展各项法治宣传教育活动取得明显成效",
]  # fmt: skip


def _law_list(laws: list[str], rng: random.Random) -> str:
    """Law names joined by 、, an item now and then with words before or after its name."""
    items = []
    for _ in range(rng.randint(1, 5)):
        item = rng.choice(laws)
        if rng.random() < 0.2:
            item = rng.choice(["学习", "组织学习", "省", "“", "x" * 39]) + item
        if rng.random() < 0.2:
            item += rng.choice(["等法律", "实施", "》", "学习读本", "y" * 39])
        items.append(item)
    return "、".join(items)


NOTES = ["", "", "", "（试行）", "（暂行）", "（2023年修订）", "(2021年修正)", " ", "（草案）"]


# --- the tests ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_reports(checks: dict[str, LawTitle], path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for check in checks.values():
        _compare(check, text)


def test_joined_reports(checks: dict[str, LawTitle]) -> None:
    joined = "\n\n".join(Document.from_text(path.read_text(encoding="utf-8")).text for path in REPORTS)
    total = sum(_compare(check, joined) for check in checks.values())
    assert total > 0


def test_random_texts(checks: dict[str, LawTitle]) -> None:
    rng = random.Random(401)
    names = _pieces(checks, rng)
    laws = rng.sample(sorted(checks["FZ404"].law_names), 40)
    variants = [copy.copy(checks["FZ404"]) for _ in range(2)]
    variants[0].min_run, variants[1].min_run = 2, 4  # the fallback, and a longer run
    found = dict.fromkeys(CODES, 0)
    lists = 0
    for index in range(3000):
        parts = []
        for _ in range(rng.randint(0, 40)):
            roll = rng.random()
            if roll < 0.08:
                parts.append(_law_list(laws, rng))
            elif roll < 0.15:
                parts.append("《" + rng.choice(names) + rng.choice(NOTES) + "》")
            elif roll < 0.45:
                parts.append(rng.choice(names))
            elif roll < 0.75:
                parts.append("、")
            else:
                parts.append(rng.choice(FILLER))
        text = "".join(parts)
        for code, check in checks.items():
            found[code] += _compare(check, text, rng)
        ctx = _context(text)
        lists += len(list(checks["FZ404"].bare_lists(ctx, 0, len(ctx.text))))
        _compare(variants[index % 2], text, rng)
    # The texts must exercise every mode, not only agree on finding nothing.
    assert all(count > 100 for count in found.values()), found
    assert lists > 100, lists
