"""The ``law-title`` kind: checks the titles cited in 《》 against official title lists.

``mode = "short"``: a short title (《政府信息公开条例》) whose official full title differs
(《中华人民共和国政府信息公开条例》), unless declared with （以下简称《…》） or the full
title was cited earlier.  ``mode = "unknown"``: a title that looks like a national
law or regulation but is in no list; a near-miss of a national title (same stem,
different ending) is reported at the rule's severity, anything else (e.g. local
rules of provinces the lists do not cover) at ``unverified_severity``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import regex

from reportlint.checks import Check, Finding
from reportlint.context import LintContext
from reportlint.diagnostics import Edit

BOOK_TITLE = regex.compile(r"《([^《》\n]{2,80})》")
VERSION_NOTE = regex.compile(r"[（(][^（）()]*(?:修订|修正|修改)[^（）()]*[）)]$")
LAW_ENDING = regex.compile(r"(?:法|条例|规定|办法|细则|规则)$")
# Province-level and lower place names that start a local rule's title.
PLACE_PREFIX = regex.compile(
    r"^(?:北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|"
    r"广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门)"
    r"|^[\p{Han}]{2,8}?(?:省|市|自治区|自治州|自治县|县|区|州|盟|旗)"
)
DECLARED_SHORT = regex.compile(r"[（(]以下简称[“《\"]?([^”》\"）)]{1,30})[”》\"]?[）)]")


@cache
def _read_lines(path: Path) -> frozenset[str]:
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


@cache
def _read_short_full(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row[0]: row[1] for row in csv.reader(handle, delimiter="\t") if len(row) >= 2}


def _stem(title: str) -> str:
    return LAW_ENDING.sub("", regex.sub(r"(?:暂行|试行|实施)", "", title))


class LawTitle(Check):
    kind = "law-title"
    scopes = frozenset({"document", "body"})
    params = {
        "mode": str,
        "titles": list,
        "short_full": str,
        "local": list,
        "lenient": list,
        "unverified_severity": str,
    }
    required = ("mode",)

    def compile(self, params: dict[str, Any]) -> None:
        self.mode = params["mode"]
        if self.mode not in ("short", "unknown"):
            raise self.fail("mode", "'mode' must be 'short' or 'unknown'")
        pack = self.rule.pack
        try:
            self.titles: frozenset[str] = frozenset().union(
                *(_read_lines(pack.data_path(p)) for p in params.get("titles", []))
            )
            self.local: frozenset[str] = frozenset().union(
                *(_read_lines(pack.data_path(p)) for p in params.get("local", []))
            )
            self.short_full = _read_short_full(pack.data_path(params["short_full"])) if "short_full" in params else {}
        except OSError as exc:
            raise self.fail("titles", f"cannot read title list: {exc}") from None
        self.lenient = frozenset(params.get("lenient", []))
        self.unverified = params.get("unverified_severity", "info")
        # Index national titles by stem for near-miss lookups.
        self.by_stem: dict[str, list[str]] = {}
        for title in self.titles:
            self.by_stem.setdefault(_stem(title), []).append(title)

    def run(self, ctx: LintContext) -> Iterator[Finding]:
        spans = ctx.spans(self.rule.scope, self.rule.pack)
        declared = {m.group(1) for m in DECLARED_SHORT.finditer(ctx.text)}
        seen: set[str] = set()
        for span in spans:
            for match in BOOK_TITLE.finditer(ctx.text, span.start, span.end):
                title = VERSION_NOTE.sub("", match.group(1))
                finding = self.short(match, title, declared, seen) if self.mode == "short" else self.unknown(match, title)
                seen.add(title)
                if finding is not None:
                    yield finding

    def short(self, match: regex.Match[str], title: str, declared: set[str], seen: set[str]) -> Finding | None:
        full = self.short_full.get(title)
        if full is None or full == title or title in declared or full in seen:
            return None
        start, end = match.start(1), match.start(1) + len(title)
        severity = "info" if title in self.lenient else None
        return Finding(match.start(), match.end(), {"title": title, "full": full}, (Edit(start, end, full),), severity)

    def unknown(self, match: regex.Match[str], title: str) -> Finding | None:
        if not LAW_ENDING.search(title) or title in self.titles or title in self.local:
            return None
        if title in self.short_full or title.startswith("中华人民共和国") and title[7:] in self.short_full:
            return None
        values: dict[str, Any] = {"title": title}
        if PLACE_PREFIX.match(title):
            values["reason"] = "地方性法规或规章，无法核对"
            return Finding(match.start(), match.end(), values, (), self.unverified)
        candidates = self.by_stem.get(_stem(title), [])
        if candidates:
            values["suggestion"] = "》或《".join(sorted(candidates))
            values["reason"] = f"应为《{values['suggestion']}》"
            return Finding(match.start(), match.end(), values)
        values["reason"] = "不在国家法律法规名录中，请核对名称"
        return Finding(match.start(), match.end(), values, (), self.unverified)
