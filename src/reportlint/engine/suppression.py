"""Suppression comments in Markdown reports.

``<!-- reportlint-disable FZ301 FZ302 -->`` … ``<!-- reportlint-enable FZ301 -->``
silence codes over a stretch of text (to the end of the file if never enabled
again; placed above all text, over the whole file, findings about the report
as a whole included), ``<!-- reportlint-disable-next-line FZ503 -->`` the next non-blank line.
Without codes a comment applies to every rule.  HTML comments are invisible
in rendered Markdown, which is why only ``.md`` files honour them: in a plain
text report the comment would be printed with the report.

A suppression that silences nothing is itself reported (RL002, info), so stale
comments do not pile up, as with Ruff's unused ``noqa``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import regex

from reportlint.core.diagnostics import Diagnostic
from reportlint.core.document import Document
from reportlint.core.internal import (
    INTERNAL_CODES,
    UNKNOWN_SUPPRESSION,
    UNUSED_SUPPRESSION,
    UnknownCodeError,
    check_selector,
)

SUPPRESSIBLE_SUFFIXES = (".md", ".markdown")
UNUSED_CODE = UNUSED_SUPPRESSION

_DIRECTIVE = regex.compile(
    r"<!--\s*reportlint-(?P<kind>disable-next-line|disable|enable)(?P<codes>(?:[\s,]+[A-Za-z][A-Za-z0-9]*)*)[\s,]*-->"
)
_CODE = regex.compile(r"[A-Za-z][A-Za-z0-9]*")


@dataclass
class _Suppression:
    start: int  # the comment's offsets, where an unused suppression is reported
    end: int
    codes: tuple[str, ...]  # empty: every code
    region: tuple[int, int]  # offsets of the text it silences
    used: set[str] = field(default_factory=set)

    def covers(self, diag: Diagnostic) -> bool:
        if self.codes and not any(diag.code.startswith(code) for code in self.codes):
            return False
        low, high = self.region
        return low <= diag.start < high


def honours_suppressions(path: str) -> bool:
    return path.lower().endswith(SUPPRESSIBLE_SUFFIXES)


def _next_nonblank_line(doc: Document, line: int) -> int | None:
    for candidate in range(line + 1, doc.line_count + 1):
        if doc.line_text(candidate).strip():
            return candidate
    return None


def parse_suppressions(doc: Document) -> list[_Suppression]:
    """The suppressions of ``doc`` with the region each one covers."""
    found: list[_Suppression] = []
    open_ranges: dict[str, _Suppression] = {}  # code ("" = all) → its open disable
    for match in _DIRECTIVE.finditer(doc.text):
        kind = match["kind"]
        codes = tuple(code.upper() for code in _CODE.findall(match["codes"]))
        if kind == "disable-next-line":
            line = _next_nonblank_line(doc, doc.line_of(match.end()))
            region = (doc.line_start(line), doc.line_end(line) + 1) if line else (match.end(), match.end())
            found.append(_Suppression(match.start(), match.end(), codes, region))
        elif kind == "disable":
            # A disable above all text covers the whole file, including findings
            # about the report as a whole (a missing part is reported at its start).
            at_top = not _DIRECTIVE.sub("", doc.text[: match.start()]).strip()
            begin = 0 if at_top else match.end()
            suppression = _Suppression(match.start(), match.end(), codes, (begin, len(doc.text) + 1))
            found.append(suppression)
            for code in codes or ("",):
                open_ranges[code] = suppression
        else:
            for code in codes or tuple(open_ranges):
                opened = open_ranges.pop(code, None)
                if opened is not None:
                    opened.region = (opened.region[0], match.start())
    return found


def apply_suppressions(
    doc: Document,
    diagnostics: Sequence[Diagnostic],
    known_codes: Collection[str],
    all_codes: Collection[str] = (),
) -> list[Diagnostic]:
    """Drop suppressed diagnostics; add an RL002 for each suppression that
    silenced nothing.  ``known_codes`` are the codes of the rules that ran: a
    suppression naming a rule that did not run is not called unused, because
    another configuration may run it.  A code that names no rule at all
    (``all_codes``: every installed rule and reportlint's own) is an RL003 warning
    at the comment, with the closest real codes, as Ruff warns of an unknown code
    in a ``noqa``."""
    suppressions = parse_suppressions(doc)
    if not suppressions:
        return list(diagnostics)
    kept = []
    for diag in diagnostics:
        covering = [s for s in suppressions if s.covers(diag)]
        for suppression in covering:
            suppression.used.add(diag.code)
        if not covering:
            kept.append(diag)
    kept.extend(_unused(doc, suppressions, known_codes))
    if all_codes:
        kept.extend(_unknown(doc, suppressions, all_codes))
    kept.sort(key=Diagnostic.sort_key)
    return kept


def _unknown(doc: Document, suppressions: Sequence[_Suppression], all_codes: Collection[str]) -> list[Diagnostic]:
    found = []
    for suppression in suppressions:
        for code in suppression.codes:
            try:
                check_selector(code, all_codes)
            except UnknownCodeError as exc:
                found.append(
                    INTERNAL_CODES[UNKNOWN_SUPPRESSION].diagnostic(
                        doc.path,
                        suppression.start,
                        suppression.end,
                        f"抑制注释中{exc}（这条注释因此不起作用）",
                        "reportlint 抑制注释：写明要关闭的规则代码",
                    )
                )
    return found


def _unused(doc: Document, suppressions: Sequence[_Suppression], known_codes: Collection[str]) -> list[Diagnostic]:
    unused = []
    for suppression in suppressions:
        if suppression.codes:
            idle = [
                code
                for code in suppression.codes
                if any(k.startswith(code) for k in known_codes)
                and not any(used.startswith(code) for used in suppression.used)
            ]
        else:
            idle = [] if suppression.used else ["全部规则"]
        if idle:
            unused.append(
                INTERNAL_CODES[UNUSED_CODE].diagnostic(
                    doc.path,
                    suppression.start,
                    suppression.end,
                    f"抑制注释没有抑制任何问题（{'、'.join(idle)}），可以删除。",
                    "reportlint 抑制注释：只在确有需要的地方关闭规则",
                )
            )
    return unused
