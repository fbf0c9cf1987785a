"""Read report files: find them, decode their bytes, and build Documents.

Reports come from many offices and editors, so the bytes may be UTF-8 (with or
without a BOM), UTF-16 written by Notepad, or GBK saved by an older Windows
setup.  Everything that goes wrong while reading is raised (or yielded) as an
:class:`InputError` carrying a short Chinese description, so the CLI can report
it on one line next to the file name instead of showing a traceback.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from reportlint.document import Document

__all__ = [
    "DEFAULT_EXTENSIONS",
    "DEFAULT_MAX_BYTES",
    "STDIN_PATH",
    "InputError",
    "decode_bytes",
    "encode_text",
    "iter_report_files",
    "read_path",
    "read_stdin",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_EXTENSIONS = (".txt", ".md")
# The name shown for standard input in documents and error messages.
STDIN_PATH = "<stdin>"

# Problem phrases, shared so callers and tests need not repeat the wording.
PROBLEM_EMPTY = "文件为空"
PROBLEM_BINARY = "不是文本文件（含二进制数据）"
PROBLEM_UNDECODABLE = "无法识别文件编码"
PROBLEM_NOT_FOUND = "文件不存在"
PROBLEM_PERMISSION = "无法读取：权限不足"
PROBLEM_IS_DIRECTORY = "是目录"

# A decoded text whose share of control characters exceeds this is treated as
# binary.  Real reports have almost none; a stray form feed or a Word manual
# line break (\x0b) in a long text stays far below it.
_CONTROL_SHARE_LIMIT = 0.10

# C0 controls other than tab, LF, CR and FF, plus DEL: these do not occur in
# text that a person typed.  Used with str.translate / bytes.translate to count
# them quickly even in a 20 MB file.
_CONTROL_CODES = [c for c in range(0x20) if chr(c) not in "\t\n\r\f"] + [0x7F]
_CONTROL_BYTES = bytes(_CONTROL_CODES)
# C1 controls (U+0080..U+009F) only appear in decoded text when bytes were
# really something else (e.g. binary that happened to be valid UTF-8).
_CONTROL_CHARS_TABLE = dict.fromkeys([*_CONTROL_CODES, *range(0x80, 0xA0)])

# Longest first: the UTF-32-LE BOM starts with the UTF-16-LE BOM.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class InputError(Exception):
    """A report could not be read or decoded.

    ``path`` is the file as the user named it, ``problem`` a short Chinese
    phrase saying what is wrong and ``kind`` a stable machine-readable tag
    ("empty", "binary", "encoding", "not-found", "permission", "directory",
    "too-large", "io").
    """

    def __init__(self, path: str, problem: str, kind: str = "io") -> None:
        super().__init__(path, problem, kind)
        self.path = path
        self.problem = problem
        self.kind = kind

    def __str__(self) -> str:
        # One line, whatever odd characters a path or an OS message contains.
        text = f"{self.path}: {self.problem}"
        return text.replace("\r", "\\r").replace("\n", "\\n")


def _control_share_text(text: str) -> float:
    if not text:
        return 0.0
    return (len(text) - len(text.translate(_CONTROL_CHARS_TABLE))) / len(text)


def _looks_binary_text(text: str) -> bool:
    return "\x00" in text or _control_share_text(text) > _CONTROL_SHARE_LIMIT


def _looks_binary_bytes(data: bytes) -> bool:
    if b"\x00" in data:
        # Without a BOM, NUL bytes mean binary data (UTF-16 text without a BOM
        # is possible in theory, but the editors used for reports write one).
        return True
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return controls / len(data) > _CONTROL_SHARE_LIMIT


def _checked(text: str, encoding: str, bom: bool, path: str) -> tuple[str, str, bool]:
    """Reject binary-looking or blank text; return the decode_bytes result."""
    # Notepad can leave a second BOM when a BOM-carrying file is re-saved.
    text = text.lstrip("\ufeff")
    if _looks_binary_text(text):
        raise InputError(path, PROBLEM_BINARY, "binary")
    if not text.strip():
        raise InputError(path, PROBLEM_EMPTY, "empty")
    return text, encoding, bom


def decode_bytes(data: bytes, *, path: str = "<bytes>") -> tuple[str, str, bool]:
    """Decode a report's bytes; return ``(text, encoding, had_bom)``.

    Tries, in order: a byte order mark, strict UTF-8, binary detection, strict
    GB18030 (a superset of the GBK that Chinese Windows writes), and finally
    charset_normalizer's best guess.  The returned text never starts with a
    BOM; its newlines are left as they are.  ``path`` is only used in errors.
    """
    if not data:
        raise InputError(path, PROBLEM_EMPTY, "empty")

    for mark, encoding in _BOMS:
        if data.startswith(mark):
            try:
                text = data[len(mark) :].decode(encoding)
            except UnicodeDecodeError:
                # FF FE 00 00 is also a UTF-16-LE BOM followed by U+0000; the
                # UTF-16 entry below gets its chance (and then fails as binary).
                if encoding.startswith("utf-32"):
                    continue
                problem = f"{PROBLEM_UNDECODABLE}（有 {encoding.upper()} 字节序标记，但内容不符）"
                raise InputError(path, problem, "encoding") from None
            return _checked(text, encoding, True, path)

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # NUL and other controls are valid UTF-8, so binary is checked after.
        return _checked(text, "utf-8", False, path)

    if _looks_binary_bytes(data):
        raise InputError(path, PROBLEM_BINARY, "binary")

    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        # GB18030 has a BOM of its own (84 31 95 33, i.e. U+FEFF); keep it
        # for the round trip through encode_text.
        return _checked(text, "gb18030", text.startswith("\ufeff"), path)

    # Imported late: it is slow to import and rarely needed.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        try:
            encoding = codecs.lookup(best.encoding).name
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            return _checked(text, encoding, False, path)
    raise InputError(path, PROBLEM_UNDECODABLE, "encoding")


def encode_text(text: str, encoding: str, bom: bool, newline: str) -> bytes:
    """Turn a Document's text back into file bytes (the inverse of reading).

    ``text`` uses ``\\n`` only; each becomes ``newline``.  ``bom`` writes the
    byte order mark of a UTF encoding or of GB18030; asking for a BOM with any
    other encoding is a ValueError.  Characters the encoding cannot hold raise
    UnicodeEncodeError rather than being silently replaced.  ``encoding`` is a
    name as returned by decode_bytes; "utf-8-sig", "utf-16" and "utf-32" are
    refused because they write a BOM of their own, whatever ``bom`` says.
    """
    name = codecs.lookup(encoding).name
    if name in ("utf-8-sig", "utf-16", "utf-32"):
        raise ValueError(f"use an encoding without an implicit BOM, not {encoding!r}")
    if newline not in ("\n", "\r\n", "\r"):
        raise ValueError(f"unsupported newline {newline!r}")
    if newline != "\n":
        text = text.replace("\n", newline)
    if bom:
        if not (name.startswith("utf") or name == "gb18030"):
            raise ValueError(f"encoding {encoding!r} has no byte order mark")
        # U+FEFF encoded in the target encoding is exactly that encoding's BOM.
        text = "\ufeff" + text
    return text.encode(encoding)


def _size_text(max_bytes: int) -> str:
    mib = 1024 * 1024
    if max_bytes >= mib:
        return f"{max_bytes / mib:g} MB"
    if max_bytes >= 1024:
        return f"{max_bytes / 1024:g} KB"
    return f"{max_bytes} 字节"


def _too_large(path: str, max_bytes: int) -> InputError:
    return InputError(path, f"文件过大（超过 {_size_text(max_bytes)}）", "too-large")


def _error_from_oserror(path: str, exc: OSError) -> InputError:
    """Map an OSError to an InputError with a Chinese description."""
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return InputError(path, PROBLEM_NOT_FOUND, "not-found")
    if isinstance(exc, IsADirectoryError):
        return InputError(path, PROBLEM_IS_DIRECTORY, "directory")
    if isinstance(exc, PermissionError):
        # Windows reports opening a directory as "permission denied".
        if os.path.isdir(path):
            return InputError(path, PROBLEM_IS_DIRECTORY, "directory")
        return InputError(path, PROBLEM_PERMISSION, "permission")
    if exc.errno == errno.ELOOP:
        return InputError(path, "无法读取：符号链接循环", "io")
    reason = exc.strerror or str(exc) or type(exc).__name__
    return InputError(path, f"无法读取：{reason}", "io")


def _document(data: bytes, path: str) -> Document:
    text, encoding, bom = decode_bytes(data, path=path)
    return Document.from_text(text, path=path, encoding=encoding, bom=bom)


def read_path(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read and decode one report file into a Document.

    ``"-"`` reads standard input.  Raises InputError for anything that stops
    the file from being linted (missing, unreadable, too big, binary, empty).
    """
    name = str(path)
    if name == "-":
        return read_stdin(max_bytes=max_bytes)
    try:
        with open(path, "rb") as handle:
            # Read one byte past the limit instead of trusting st_size, which
            # is 0 for pipes and /proc files.
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise _error_from_oserror(name, exc) from exc
    if len(data) > max_bytes:
        raise _too_large(name, max_bytes)
    return _document(data, name)


def read_stdin(stream: BinaryIO | TextIO | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read a report from standard input (or ``stream``); its path is ``<stdin>``.

    Bytes are decoded like a file's.  A text stream (one without ``.buffer``,
    e.g. io.StringIO in tests) is taken as already decoded, reported as UTF-8.
    """
    if stream is None:
        stream = sys.stdin
        if stream is None:  # pythonw and some service hosts have no stdin
            raise InputError(STDIN_PATH, "无法读取：没有标准输入", "io")
    source = getattr(stream, "buffer", stream)
    try:
        data = source.read(max_bytes + 1)
    except OSError as exc:
        raise _error_from_oserror(STDIN_PATH, exc) from exc
    if len(data) > max_bytes:
        raise _too_large(STDIN_PATH, max_bytes)
    if isinstance(data, str):
        text = data.lstrip("\ufeff")
        _checked(text, "utf-8", False, STDIN_PATH)
        return Document.from_text(text, path=STDIN_PATH, encoding="utf-8", bom=False)
    return _document(data, STDIN_PATH)


def _normalise_extensions(extensions: Iterable[str]) -> tuple[str, ...]:
    return tuple(ext.lower() if ext.startswith(".") else "." + ext.lower() for ext in extensions)


def _walk(top: str, extensions: tuple[str, ...]) -> Iterator[str | InputError]:
    """Files under ``top`` with a wanted extension, in sorted order."""
    errors: list[OSError] = []
    # followlinks=False: a symlink to a directory is never entered, so link
    # loops cannot occur.  Symlinks to files are still listed as files.
    for dirpath, dirnames, filenames in os.walk(top, onerror=errors.append, followlinks=False):
        while errors:  # e.g. a subdirectory that cannot be listed
            exc = errors.pop(0)
            yield _error_from_oserror(exc.filename or dirpath, exc)
        # Sorting in place fixes the order os.walk descends in; hidden
        # directories (.git, .venv, ...) are pruned the same way.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            # Hidden files are editor lock/backup files (e.g. Emacs ".#a.txt").
            if name.startswith("."):
                continue
            if name.lower().endswith(extensions):
                yield os.path.join(dirpath, name)
    for exc in errors:
        yield _error_from_oserror(exc.filename or top, exc)


def iter_report_files(paths: list[str], extensions: Iterable[str] = DEFAULT_EXTENSIONS) -> Iterator[str | InputError]:
    """Expand command-line paths into the report files to lint.

    Directories are searched recursively in sorted order (hidden entries and
    symlinked directories skipped) for files whose extension is in
    ``extensions`` (case-insensitive).  A file named explicitly is yielded
    whatever its extension, ``"-"`` (stdin) is passed through, and a path that
    does not exist yields an InputError instead of raising.  Each file is
    yielded once, at its first occurrence.
    """
    wanted = _normalise_extensions(extensions)
    seen: set[str] = set()

    def first_time(file: str) -> bool:
        key = os.path.normpath(file)
        if key in seen:
            return False
        seen.add(key)
        return True

    for path in paths:
        if path == "-":
            if first_time(path):
                yield path
            continue
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            yield _error_from_oserror(path, exc)
            continue
        if stat.S_ISDIR(mode):
            for item in _walk(path, wanted):
                if isinstance(item, InputError) or first_time(item):
                    yield item
        elif first_time(path):
            yield path
