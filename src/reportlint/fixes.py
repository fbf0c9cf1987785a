"""Applying fixes: choose non-overlapping fixes, apply them, repeat until the
text is stable, and write the result back atomically in the file's own
encoding, byte order mark and line endings."""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import regex

from reportlint.atomicfile import write_atomically
from reportlint.diagnostics import Diagnostic, Edit, Fix
from reportlint.document import Document
from reportlint.reading import decode_bytes, encode_text

# Fixes that touched each other are skipped in one pass and applied in the next;
# a few passes reach a fixed point, the cap only guards against a rule whose fix
# keeps producing new findings.
MAX_FIX_PASSES = 10
FIXABLE_SUFFIXES = (".txt", ".md")


def applicable_fixes(diagnostics: Iterable[Diagnostic], unsafe: bool = False) -> list[Fix]:
    """The fixes to apply in one pass: in document order, none overlapping an earlier one."""
    chosen: list[Fix] = []
    last_end = -1
    candidates = [d.fix for d in diagnostics if d.fix and (d.fix.safe or unsafe)]
    # Whole fixes only: a fix whose edits would partly collide is skipped entirely.
    for fix in sorted(candidates, key=lambda f: (min(e.start for e in f.edits), max(e.end for e in f.edits))):
        edits = sorted(fix.edits, key=lambda e: (e.start, e.end))
        if edits[0].start < last_end or any(a.end > b.start for a, b in pairwise(edits)):
            continue
        chosen.append(fix)
        last_end = max(e.end for e in edits)
    return chosen


def applicable_edits(diagnostics: Iterable[Diagnostic], unsafe: bool = False) -> list[Edit]:
    """Edits of the fixable diagnostics that do not overlap an earlier one."""
    return [edit for fix in applicable_fixes(diagnostics, unsafe) for edit in fix.edits]


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (offsets into ``text``)."""
    pieces = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        pieces.append(text[position : edit.start])
        pieces.append(edit.new_text)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)


@dataclass
class FixResult:
    document: Document  # the fixed text (same path, encoding, BOM and newline as the original)
    diagnostics: list[Diagnostic]  # what remains after fixing
    fixed: int  # number of fixes applied
    edits: list[list[Edit]]  # the edits of each pass, offsets into that pass's text


def fix_until_stable(
    document: Document,
    diagnostics: Sequence[Diagnostic],
    lint: Callable[[Document], list[Diagnostic]],
    unsafe: bool = False,
) -> FixResult:
    """Apply fixes pass after pass, re-linting in between, until none applies."""
    passes: list[list[Edit]] = []
    fixed = 0
    current, remaining = document, list(diagnostics)
    for _ in range(MAX_FIX_PASSES):
        fixes = applicable_fixes(remaining, unsafe)
        edits = [edit for fix in fixes for edit in fix.edits]
        new_text = apply_edits(current.text, edits)
        if not fixes or new_text == current.text:
            break
        passes.append(edits)
        fixed += len(fixes)
        current = Document(
            path=document.path,
            text=new_text,
            encoding=document.encoding,
            newline=document.newline,
            bom=document.bom,
        )
        remaining = lint(current)
    return FixResult(current, remaining, fixed, passes)


def unified_diff(original: Document, fixed: Document) -> str:
    """A unified diff of the normalised texts, as ``--diff`` prints it."""
    lines = difflib.unified_diff(
        original.text.splitlines(keepends=True),
        fixed.text.splitlines(keepends=True),
        fromfile=f"a/{original.path}",
        tofile=f"b/{fixed.path}",
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


class FixWriteError(Exception):
    """The fixed text could not be written back; the file is left as it was."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


_LINE_BREAK = regex.compile(r"\r\n|\r|\n")


def _raw_offsets(raw: str) -> Callable[[int], int]:
    """Map offsets of the newline-normalised text to offsets of ``raw``.

    Only a CRLF pair differs in length (two characters, one ``\\n``), so the
    raw offset is the normalised one plus the CRLF pairs that lie before it.
    """
    crlf_at = [m.start() - i for i, m in enumerate(regex.finditer(r"\r\n", raw))]
    return lambda offset: offset + bisect.bisect_left(crlf_at, offset)


def restore_line_endings(raw: str, original: Document, edit_passes: Sequence[Sequence[Edit]]) -> str:
    """Replay the fix passes on ``raw`` (the file's decoded text with its own
    line breaks), so lines no fix touched keep their exact ending even in a
    file that mixes CRLF and LF; new line breaks use the file's dominant one."""
    text = raw
    for edits in edit_passes:
        to_raw = _raw_offsets(text)
        raw_edits = [
            Edit(to_raw(e.start), to_raw(e.end), e.new_text.replace("\n", original.newline)) for e in edits
        ]
        text = apply_edits(text, raw_edits)
    return text


def write_fixed(path: str, original: Document, result: FixResult) -> None:
    """Write the fixed text over ``path`` atomically (temporary file + rename),
    in the original encoding, BOM and line endings.  Raises FixWriteError."""
    target = Path(path)
    try:
        data = target.read_bytes()
    except OSError as exc:
        raise FixWriteError(path, f"无法写回修正：{exc.strerror or exc}") from None
    raw, _encoding, _bom = decode_bytes(data, path=path)
    if _LINE_BREAK.sub("\n", raw) != original.text:
        raise FixWriteError(path, "检查期间文件已被修改，未写入修正，请重新运行")
    text = restore_line_endings(raw, original, result.edits)
    try:
        # The text already carries the file's own line breaks: newline "\n" converts nothing.
        payload = encode_text(text, original.encoding, original.bom, "\n")
    except UnicodeEncodeError:
        raise FixWriteError(path, f"修正后的文字无法用原编码 {original.encoding} 保存，未写入") from None
    _atomic_write(target, payload)


def _atomic_write(target: Path, payload: bytes) -> None:
    # Keep the file's permission bits, and never leave a half-written report behind.
    resolved = target.resolve()
    try:
        write_atomically(resolved, payload, mode=resolved.stat().st_mode & 0o7777, durable=True)
    except OSError as exc:
        raise FixWriteError(str(target), f"无法写回修正：{exc.strerror or exc}") from None
