"""Baselines: adopt reportlint on a repository of old reports by recording
today's findings and reporting only new ones.

A finding is matched by file, rule code and the text around it (or, for a
finding about the report as a whole, its message), never by line number, so
editing text above a recorded finding does not bring it back.  Each key keeps a
count: if a file had the same wording twice and gains a third, one is new.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reportlint.core.diagnostics import Diagnostic
from reportlint.core.document import Document
from reportlint.engine.config import one_line, show, value_type
from reportlint.support.atomicfile import write_atomically

BASELINE_VERSION = 1
Key = tuple[str, str, str]
# Enough to tell two occurrences of the same wording apart, short enough that an
# edit elsewhere in the sentence does not change the key.
CONTEXT_CHARS = 8
MAX_COUNT = 1_000_000_000  # a recorded count above this is a damaged file
MAX_NUMBER_DIGITS = 20  # longer integers are never counts (and Python refuses very long ones)


class BaselineError(Exception):
    """The baseline file is missing or malformed: ``path: 问题`` on one line."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(one_line(f"{path}: {problem}"))


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


def check_baseline_target(path: Path) -> None:
    """BaselineError unless a baseline can be written at ``path``: its folder exists and it
    is not itself a folder (checked before any work, so a typo costs no run)."""
    try:
        os.stat(path)
    except FileNotFoundError:
        pass  # a new file (or a link to one)
    except OSError as exc:  # a symbolic link loop, a file taken for a folder, no permission
        raise BaselineError(path, f"无法写入基线文件：{exc.strerror or exc}") from None
    if path.is_dir():
        raise BaselineError(path, "是文件夹，无法写入基线文件")
    if not Path(os.path.realpath(path)).parent.is_dir():
        raise BaselineError(path, "所在的文件夹不存在，无法写入基线文件")


def write_baseline(path: Path, findings: Iterable[tuple[Document, Diagnostic]]) -> int:
    """Record ``findings`` in ``path`` (atomically: a failed write leaves the old file as it
    was); returns how many were recorded.  BaselineError when it cannot be written."""
    check_baseline_target(path)
    target = Path(os.path.realpath(path))  # (through a symbolic link, as an editor writes)
    base = target.parent
    counts = Counter(finding_key(doc, diag, base) for doc, diag in findings)
    entries = [
        {"path": file, "code": code, "text": text, "count": count}
        for (file, code, text), count in sorted(counts.items())
    ]
    payload = {"version": BASELINE_VERSION, "tool": "reportlint", "findings": entries}
    try:
        data = (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in a finding's text: escaped, it reads back the same
        data = (json.dumps(payload, ensure_ascii=True, indent=2) + "\n").encode("ascii")
    try:
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
        write_atomically(target, data, mode=mode, durable=True)
    except OSError as exc:
        raise BaselineError(path, f"无法写入基线文件：{exc.strerror or exc}") from None
    return sum(counts.values())


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _reject_constant(name: str) -> Any:
    raise ValueError(f"不允许 {name}")


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise ValueError("整数位数过多")
    return int(digits)


class Baseline:
    """Recorded findings, consumed as they are matched."""

    def __init__(self, path: Path, counts: Counter[Key]) -> None:
        self.base = path.resolve().parent
        self.remaining = counts

    @classmethod
    def load(cls, path: Path) -> Baseline:
        """The baseline in ``path``; BaselineError (one line) for anything but a well-formed
        version-1 file (a UTF-8 BOM is fine)."""
        try:
            source = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise BaselineError(path, "基线文件不存在（先用 --write-baseline 生成）") from None
        except IsADirectoryError:
            raise BaselineError(path, "是文件夹，不是基线文件") from None
        except UnicodeDecodeError:
            raise BaselineError(path, "不是有效的基线文件（不是 UTF-8 编码）") from None
        except OSError as exc:
            raise BaselineError(path, f"无法读取基线文件：{exc.strerror or exc}") from None
        try:
            payload = json.loads(source, parse_constant=_reject_constant, parse_int=_parse_int)
        except RecursionError:
            raise BaselineError(path, "不是有效的基线文件（嵌套层数过多）") from None
        except ValueError as exc:  # json.JSONDecodeError, NaN, Infinity, a 5,000-digit number
            raise BaselineError(path, f"不是有效的基线文件（{exc}）") from None
        if not isinstance(payload, dict) or not _is_int(payload.get("version"), BASELINE_VERSION):
            raise BaselineError(path, f"不是 reportlint 第 {BASELINE_VERSION} 版基线文件")
        findings = payload.get("findings")
        if "findings" not in payload:
            raise BaselineError(path, "缺少“findings”（记录的列表）")
        if not isinstance(findings, list):
            raise BaselineError(path, f"“findings”应为列表，而不是{_json_kind(findings)}")
        counts: Counter[Key] = Counter()
        for number, entry in enumerate(findings, 1):
            counts[_entry_key(path, number, entry)] += _entry_count(path, number, entry)
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


def _is_int(value: object, low: int, high: int | None = None) -> bool:
    return type(value) is int and low <= value <= (low if high is None else high)


def _json_kind(value: object) -> str:
    return {type(None): "null", dict: "对象", list: "数组"}.get(type(value)) or value_type(value)


def _entry_key(path: Path, number: int, entry: object) -> Key:
    if not isinstance(entry, dict):
        raise BaselineError(path, f"第 {number} 条记录应为对象，而不是{_json_kind(entry)}")
    parts = []
    for name in ("path", "code", "text"):
        if name not in entry:
            raise BaselineError(path, f"第 {number} 条记录缺少“{name}”")
        value = entry[name]
        if not isinstance(value, str):
            raise BaselineError(path, f"第 {number} 条记录的“{name}”应为字符串，而不是{_json_kind(value)}")
        parts.append(value)
    return parts[0], parts[1], parts[2]


def _entry_count(path: Path, number: int, entry: dict[str, Any]) -> int:
    count = entry.get("count", 1)
    if not _is_int(count, 1, MAX_COUNT):
        if type(count) in (int, float):
            shown = show(count)
        elif isinstance(count, str):
            shown = f"字符串“{show(count)}”"
        else:
            shown = _json_kind(count)
        raise BaselineError(path, f"第 {number} 条记录的“count”应为 1 到 {MAX_COUNT} 之间的整数，而不是{shown}")
    return count
