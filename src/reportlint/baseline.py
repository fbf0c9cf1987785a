"""Baselines: adopt reportlint on a repository of old reports by recording
today's findings and reporting only new ones.

A finding is matched by file, rule code and the text around it (or, for a
finding about the report as a whole, its message), never by line number, so
editing text above a recorded finding does not bring it back.  Each key keeps a
count: if a file had the same wording twice and gains a third, one is new.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from reportlint.diagnostics import Diagnostic
from reportlint.document import Document

BASELINE_VERSION = 1
Key = tuple[str, str, str]
# Enough to tell two occurrences of the same wording apart, short enough that an
# edit elsewhere in the sentence does not change the key.
CONTEXT_CHARS = 8


class BaselineError(Exception):
    """The baseline file is missing or malformed: ``path: 问题`` on one line."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")


def _relative(path: str, base: Path) -> str:
    try:
        return Path(path).resolve().relative_to(base.resolve()).as_posix()
    except ValueError:  # outside the baseline's folder, or standard input
        return Path(path).as_posix()


def finding_text(doc: Document, diag: Diagnostic) -> str:
    """What identifies a finding without its line number: the text it points at
    with a few characters on either side (within its lines, so a blank line
    inserted next to it changes nothing), or the message of a finding about
    the report as a whole."""
    if diag.start == diag.end:
        return diag.message
    low = max(doc.line_start(doc.line_of(diag.start)), diag.start - CONTEXT_CHARS)
    high = min(doc.line_end(doc.line_of(diag.end)), diag.end + CONTEXT_CHARS)
    return doc.text[low:high]


def finding_key(doc: Document, diag: Diagnostic, base: Path) -> Key:
    return (_relative(doc.path, base), diag.code, finding_text(doc, diag))


def write_baseline(path: Path, findings: Iterable[tuple[Document, Diagnostic]]) -> int:
    """Record ``findings`` in ``path``; returns how many were recorded."""
    base = path.resolve().parent
    counts = Counter(finding_key(doc, diag, base) for doc, diag in findings)
    entries = [
        {"path": file, "code": code, "text": text, "count": count}
        for (file, code, text), count in sorted(counts.items())
    ]
    payload = {"version": BASELINE_VERSION, "tool": "reportlint", "findings": entries}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return sum(counts.values())


class Baseline:
    """Recorded findings, consumed as they are matched."""

    def __init__(self, path: Path, counts: Counter[Key]) -> None:
        self.base = path.resolve().parent
        self.remaining = counts

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BaselineError(path, "基线文件不存在（先用 --write-baseline 生成）") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BaselineError(path, f"不是有效的基线文件（{exc}）") from None
        if not isinstance(payload, dict) or payload.get("version") != BASELINE_VERSION:
            raise BaselineError(path, f"不是 reportlint 第 {BASELINE_VERSION} 版基线文件")
        counts: Counter[Key] = Counter()
        for entry in payload.get("findings", []):
            try:
                counts[(str(entry["path"]), str(entry["code"]), str(entry["text"]))] += int(entry.get("count", 1))
            except (KeyError, TypeError, ValueError):
                raise BaselineError(path, f"基线条目格式不对：{entry!r}") from None
        return cls(path, counts)

    def filter(self, doc: Document, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """The diagnostics of ``doc`` that the baseline does not record."""
        new = []
        for diag in diagnostics:
            key = finding_key(doc, diag, self.base)
            if self.remaining[key] > 0:
                self.remaining[key] -= 1
            else:
                new.append(diag)
        return new
