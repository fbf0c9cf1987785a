"""Applying fixes: choose non-overlapping fixes, apply them, repeat until the
text is stable, and write the result back atomically in the file's own
encoding, byte order mark and line endings."""

from __future__ import annotations

import bisect
import contextlib
import difflib
import errno
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import BinaryIO

import regex

from reportlint.core.diagnostics import Diagnostic, Edit, Fix
from reportlint.core.document import Document
from reportlint.core.errors import InputError
from reportlint.engine.suppression import honours_suppressions
from reportlint.inputs import registry
from reportlint.inputs.plain import decode_bytes, encode_text
from reportlint.support.atomicfile import write_atomically

# Fixes that touched each other are skipped in one pass and applied in the next;
# a few passes reach a fixed point, the cap only guards against a rule whose fix
# keeps producing new findings.
MAX_FIX_PASSES = 10


def fixable_path(path: str) -> bool:
    """Whether ``--fix`` may rewrite ``path``: standard input (``"-"``), or a file whose
    suffix a fixable reader declares (.txt, .md; see :mod:`reportlint.inputs.registry`)."""
    return path == "-" or path.lower().endswith(registry.fixable_suffixes())


def fixable_document(doc: Document) -> bool:
    """Whether ``--fix`` could rewrite the file ``doc`` was read from: its reader's format is
    fixable (plain text; Word and PDF files are not edited in place)."""
    return any(r.name == doc.source_format and r.fixable for r in registry.readers())


def unfixable_note() -> str:
    """What ``--fix`` says of a file it cannot rewrite that has fixable findings."""
    fixable = registry.chinese_list(registry.fixable_suffixes())
    others = "、".join(r.label for r in registry.readers() if not r.fixable and r.label)
    return f"只能自动修正 {fixable} 文件；{others} 文件中的问题请按提示在原文件中修改"


# A Markdown suppression comment: a fix must leave it and the line it silences as they are.
_SUPPRESSION = regex.compile(r"<!--\s*reportlint-(?P<directive>disable-next-line|disable|enable)\b[^\n]*?-->")


def _protected_spans(text: str) -> list[tuple[int, int]]:
    """What no fix may touch in a Markdown text: each suppression comment, and the line break
    after a ``disable-next-line`` comment (joining the silenced line onto the comment's line
    would take it out of the comment's reach, and silence the line after it instead)."""
    spans = []
    for match in _SUPPRESSION.finditer(text):
        spans.append((match.start(), match.end()))
        if match["directive"] == "disable-next-line":
            newline = text.find("\n", match.end())
            if newline != -1:
                spans.append((newline, newline + 1))
    return spans


def _touches(fix: Fix, spans: Sequence[tuple[int, int]]) -> bool:
    return any(edit.start < end and start < max(edit.end, edit.start + 1) for edit in fix.edits for start, end in spans)


def applicable_fixes(diagnostics: Iterable[Diagnostic], unsafe: bool = False, text: str | None = None) -> list[Fix]:
    """The fixes to apply in one pass: in document order, none overlapping an earlier one.
    With the document's ``text``, a fix that would change a Markdown suppression comment or
    what it silences is left out."""
    chosen: list[Fix] = []
    last_end = -1
    diagnostics = list(diagnostics)
    candidates = [d.fix for d in diagnostics if d.fix and (d.fix.safe or unsafe)]
    if text is not None and candidates and "reportlint-" in text and honours_suppressions(diagnostics[0].path):
        spans = _protected_spans(text)
        candidates = [fix for fix in candidates if not _touches(fix, spans)]
    # Whole fixes only: a fix whose edits would partly collide is skipped entirely.
    for fix in sorted(candidates, key=lambda f: (min(e.start for e in f.edits), max(e.end for e in f.edits))):
        edits = sorted(fix.edits, key=lambda e: (e.start, e.end))
        if edits[0].start < last_end or any(a.end > b.start for a, b in pairwise(edits)):
            continue
        chosen.append(fix)
        last_end = max(e.end for e in edits)
    return chosen


def applicable_edits(diagnostics: Iterable[Diagnostic], unsafe: bool = False, text: str | None = None) -> list[Edit]:
    """Edits of the fixable diagnostics that do not overlap an earlier one (see applicable_fixes)."""
    return [edit for fix in applicable_fixes(diagnostics, unsafe, text) for edit in fix.edits]


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
        fixes = applicable_fixes(remaining, unsafe, current.text)
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


# Said after the file's name when --fix leaves a file as it was.
CHANGED_DURING_CHECK = "检查期间文件已被修改，未写入修正，请重新运行"
WOULD_EMPTY = "修正后文件将不剩任何文字（原文只有排版标记或空白），为免丢失内容，未写入修正；请在原文件中手工修改"
_WRITE_PROBLEMS = {
    errno.ENOSPC: "磁盘空间已满",
    getattr(errno, "EDQUOT", errno.ENOSPC): "磁盘空间已满",
    errno.EACCES: "没有写入权限（文件或所在文件夹不可写）",
    errno.EPERM: "没有写入权限（文件或所在文件夹不可写）",
    errno.EROFS: "文件所在的磁盘是只读的",
    errno.ENOENT: "文件已不存在（检查期间被删除或移走）",
}


def before_rename(target: Path) -> None:
    """Called between the last check that ``target`` is unchanged and the rename that replaces
    it; does nothing.  Tests replace it to play another program writing to the file at the
    worst moment: the change must then be detected, and the other program's bytes kept."""


def check_not_emptied(path: str, original: Document, result: FixResult) -> None:
    """FixWriteError if the fixes leave nothing of a text that had some (a file holding only
    markup residue, say): a fix never empties a file."""
    if original.text.strip() and not result.document.text.strip():
        raise FixWriteError(path, WOULD_EMPTY)


def _refusal(status: os.stat_result) -> str | None:
    """Why the file must not be replaced by a new one: the rename gives it a new inode, which
    other hard links do not follow, which belongs to whoever runs --fix, and which ignores a
    read-only flag."""
    if status.st_nlink > 1:
        return f"有 {status.st_nlink} 个硬链接，改写后其他链接仍是旧内容，不自动修正；请在原文件中手工修改"
    if hasattr(os, "geteuid") and status.st_uid != os.geteuid():
        return "属于其他用户，改写会把文件所有者变成当前用户，不自动修正；请由文件所有者运行 --fix"
    if not status.st_mode & stat.S_IWUSR:
        return "是只读文件，不自动修正；如需修正，请先取消只读"
    return None


def write_fixed(path: str, original: Document, result: FixResult) -> None:
    """Write the fixed text over ``path`` atomically (temporary file + rename), in the original
    encoding, BOM and line endings, keeping the permission bits and extended attributes (a
    symlink stays a link: the file it points to is rewritten).

    Refused: a result with no text left; a file with other hard links, owned by another user
    or read-only; a file whose bytes are no longer those that were linted (compared when
    writing starts and again just before the rename; a change that lands between that last
    comparison and the rename is found after it, in the old file, and put back).  Raises
    FixWriteError; the file is then left as it was."""
    check_not_emptied(path, original, result)
    try:
        resolved = Path(path).resolve()
        with open(resolved, "rb") as handle:
            _write_checked(path, resolved, handle, original, result)
    except OSError as exc:
        reason = _WRITE_PROBLEMS.get(exc.errno or 0) or exc.strerror or str(exc) or type(exc).__name__
        raise FixWriteError(path, f"无法写回修正：{reason}；文件未改动") from None


def _write_checked(path: str, resolved: Path, handle: BinaryIO, original: Document, result: FixResult) -> None:
    status = os.fstat(handle.fileno())
    refusal = _refusal(status)
    if refusal:
        raise FixWriteError(path, refusal)
    data = handle.read()
    expected = original.source_bytes
    if expected is None:  # a Document not read from the file: the file must still hold its text
        expected = data
        try:
            unchanged = _LINE_BREAK.sub("\n", decode_bytes(data, path=path)[0]) == original.text
        except InputError:
            unchanged = False
        if not unchanged:
            raise FixWriteError(path, CHANGED_DURING_CHECK)
    elif data != expected:  # bytes, not text: a re-save in another encoding is a change too
        raise FixWriteError(path, CHANGED_DURING_CHECK)
    payload = _payload(path, expected, original, result)
    mode = stat.S_IMODE(status.st_mode)
    if os.name == "nt":  # Windows renames nothing over an open file
        handle.close()

    def last_check(temporary: str) -> None:
        _copy_xattrs(resolved if handle.closed else handle.fileno(), temporary)
        if not _unchanged(resolved, handle, status, expected):
            raise FixWriteError(path, CHANGED_DURING_CHECK)
        before_rename(resolved)

    write_atomically(resolved, payload, mode=mode, durable=True, before_replace=last_check)
    # No rename is conditional: what another program wrote to the file between the last
    # comparison and the rename went to the old file, which this handle still reads.
    late = expected if handle.closed else _read_from_start(handle)
    if late != expected:
        raise FixWriteError(path, _put_back(resolved, late, payload, mode))


def _payload(path: str, data: bytes, original: Document, result: FixResult) -> bytes:
    """The fixed file's bytes: the fix passes replayed on the file's own text (``data``
    decoded), in its encoding and BOM."""
    try:
        raw = decode_bytes(data, path=path)[0]
    except InputError as exc:
        raise FixWriteError(path, f"无法写回修正：{exc.problem}") from None
    text = restore_line_endings(raw, original, result.edits)
    # A U+FEFF that the fixes brought to the very start (a stray one after leading blank lines
    # that were removed) would be read back as a byte order mark: dropped, as reading drops it.
    text = text.lstrip("\ufeff")
    try:
        # The text already carries the file's own line breaks: newline "\n" converts nothing.
        return encode_text(text, original.encoding, original.bom, "\n")
    except UnicodeEncodeError:
        raise FixWriteError(path, f"修正后的文字无法用原编码 {original.encoding} 保存，未写入") from None


def _read_from_start(handle: BinaryIO) -> bytes:
    handle.seek(0)
    return handle.read()


def _unchanged(resolved: Path, handle: BinaryIO, status: os.stat_result, expected: bytes) -> bool:
    """Whether ``resolved`` is still the file open as ``handle``, holding ``expected``."""
    try:
        now = os.stat(resolved)
    except OSError:
        return False
    if (now.st_dev, now.st_ino) != (status.st_dev, status.st_ino):
        return False  # replaced: an editor that saves through a rename of its own
    return (resolved.read_bytes() if handle.closed else _read_from_start(handle)) == expected


def _copy_xattrs(source: int | str | Path, destination: str) -> None:
    """Copy the extended attributes (ACLs, security labels, tags) where the system has them;
    those that cannot be read or set here are skipped."""
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(source)
    except OSError:
        return
    for name in names:
        with contextlib.suppress(OSError):
            os.setxattr(destination, name, os.getxattr(source, name))


def _put_back(resolved: Path, late: bytes, payload: bytes, mode: int) -> str:
    """Another program wrote ``late`` to the file between the last comparison and the rename:
    put its bytes back if the file still holds the fix, else keep them beside it.  Returns the
    problem to report."""
    try:
        if resolved.read_bytes() == payload:
            write_atomically(resolved, late, mode=mode, durable=True, before_replace=partial(_copy_xattrs, resolved))
            return CHANGED_DURING_CHECK
    except OSError:
        pass
    for number in range(1, 100):
        beside = resolved.with_name(f"{resolved.name}.conflict-{number}")
        try:
            with open(beside, "xb") as out:
                out.write(late)
        except FileExistsError:
            continue
        except OSError:
            break
        return f"检查期间文件被另一程序修改，其写入的内容已另存为 {beside.name}；未写入修正，请核对后重新运行"
    return "检查期间文件被另一程序修改，未写入修正；另一程序写入的内容可能未保存，请核对文件"
