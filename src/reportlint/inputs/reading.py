"""Read report files: find them and build Documents, through the reader registry.

Which reader reads a file is decided by its content first (a PDF, or a Word archive,
is read as such whatever its name: a .doc that is really a .docx is common), then by
its suffix (:mod:`reportlint.inputs.registry`); a file that no reader claims is read as
plain text (:mod:`reportlint.inputs.plain`).  Older office formats (.doc, .wps, .odt,
.rtf …) are refused with a message saying what to save the file as.  Everything that
goes wrong while reading is raised (or yielded) as an
:class:`~reportlint.core.errors.InputError` carrying a short Chinese description, so
the CLI can report it on one line next to the file name instead of showing a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from reportlint.core.document import Document
from reportlint.core.errors import InputError
from reportlint.inputs import registry
from reportlint.inputs.base import suffix_of
from reportlint.inputs.plain import PROBLEM_EMPTY, read_plain, read_text

__all__ = [
    "DEFAULT_MAX_BYTES",
    "STDIN_PATH",
    "iter_report_files",
    "read_bytes",
    "read_path",
    "read_stdin",
    "text_listing",
    "unsupported_problem",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# The name shown for standard input in documents and error messages.
STDIN_PATH = "<stdin>"

# Problem phrases, shared so callers and tests need not repeat the wording.
PROBLEM_NOT_FOUND = "文件不存在"
PROBLEM_PERMISSION = "无法读取：权限不足"
PROBLEM_IS_DIRECTORY = "是目录"
PROBLEM_RTF = "是 RTF 格式文件，请另存为 .docx 或 .txt 后再检查"
PROBLEM_OLE = "是旧版 Word/WPS 文件（.doc/.wps 格式），请在 Word 或 WPS 中另存为 .docx 或 .txt 后再检查"

# Formats that cannot be read, with what the file is and where to convert it.
# Word-processor formats are also reported when found in a directory walk, so a
# folder of reports is never silently half-checked; the rest only when named.
_WORD_PROCESSOR_FORMATS = {
    ".doc": "旧版 Word 格式",
    ".wps": "WPS 文字格式",
    ".docm": "含宏的 Word 文档",
    ".dot": "Word 模板",
    ".dotx": "Word 模板",
    ".dotm": "Word 模板",
    ".wpt": "WPS 模板",
    ".odt": "OpenDocument 文本格式",
    ".rtf": "RTF 格式",
    ".pages": "Pages 格式",
    ".uot": "UOF 文本格式",
    ".ofd": "OFD 版式文件",
}
_OTHER_FORMATS = {
    ".xls": "表格文件",
    ".xlsx": "表格文件",
    ".et": "表格文件",
    ".ods": "表格文件",
    ".ppt": "演示文稿",
    ".pptx": "演示文稿",
    ".dps": "演示文稿",
    ".odp": "演示文稿",
}
# The magic numbers of the legacy formats that are refused whatever their name.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .wps, .xls: Compound File Binary
_RTF_MAGIC = b"{\\rtf"
# Refused suffixes whose files are often other formats renamed: their content is looked into.
_RENAMED = (".doc", ".wps")


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


def unsupported_problem(path: str) -> str | None:
    """The one-line problem for a format reportlint cannot read (by extension), else None."""
    ext = suffix_of(path)
    if ext in _WORD_PROCESSOR_FORMATS:
        label = _WORD_PROCESSOR_FORMATS[ext]
        if ext in (".doc", ".wps", ".wpt"):
            how = "请在 Word 或 WPS 中另存为 .docx 或 .txt 后再检查"
        elif ext == ".pages":
            how = "请在 Pages 中导出为 .docx 或 .txt 后再检查"
        elif ext == ".ofd":
            how = "请用 OFD 阅读器另存为 PDF，或提供 .docx、.txt 文件"
        else:
            how = "请另存为 .docx 或 .txt 后再检查"
        return f"不支持{label}（{ext}），{how}"
    if ext in _OTHER_FORMATS:
        return f"是{_OTHER_FORMATS[ext]}（{ext}），不是报告正文：请把报告另存为 .docx 或 .txt 后再检查"
    return None


def read_bytes(data: bytes, path: str) -> Document:
    """Build a Document from a file's bytes, by content and extension.

    In this order: a file whose content a reader claims (a PDF, a Word archive: read as
    such whatever its name, a .doc that is really a .docx is common) is read by it; a
    legacy binary Office or RTF file is refused with a message saying what to convert
    it to; a file whose suffix a reader declares is read by it; a suffix naming a
    format that cannot be read is refused; anything else is decoded as text.
    """
    if not data:
        raise InputError(path, PROBLEM_EMPTY, "empty")
    ext = suffix_of(path)
    named = registry.reader_for_suffix(ext)
    problem = None if named is not None else unsupported_problem(path)
    # A deeper look into the content (a zip that is a Word document) only for names that
    # promise nothing else: not for .docm, .xlsx, .odt … (zips of their own kind).
    reader = registry.reader_for_content(data, sniff=problem is None or ext in _RENAMED)
    if reader is not None:
        return reader.read(data, path)
    if data.startswith(_OLE_MAGIC):
        # A legacy binary Office file, whatever it is named (a renamed .doc is common).
        raise InputError(path, problem or PROBLEM_OLE, "unsupported")
    if data.startswith(_RTF_MAGIC):
        raise InputError(path, problem or PROBLEM_RTF, "unsupported")
    if named is not None:
        return named.read(data, path)
    if problem:
        raise InputError(path, problem, "unsupported")
    return read_plain(data, path)


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
    return read_bytes(data, name)


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
        return read_text(data, STDIN_PATH)
    return read_bytes(data, STDIN_PATH)


def _normalise_extensions(extensions: Iterable[str]) -> tuple[str, ...]:
    return tuple(ext.lower() if ext.startswith(".") else "." + ext.lower() for ext in extensions)


# Reported (as unsupported) when found in a directory walk: reports saved in a
# format that cannot be read.  Templates, spreadsheets and the like are not.
_WALK_REPORTED = (".doc", ".wps", ".docm", ".odt", ".rtf", ".pages", ".uot", ".ofd")


def _walk(top: str, extensions: tuple[str, ...], report_unsupported: bool = True) -> Iterator[str | InputError]:
    """Files under ``top`` with a wanted extension, in sorted order, and an
    InputError for each report in a format that cannot be read."""
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
            # Hidden files are editor lock/backup files (e.g. Emacs ".#a.txt"),
            # and "~$报告.docx" is the owner file Word keeps beside an open document.
            if name.startswith((".", "~$")):
                continue
            lower = name.lower()
            if lower.endswith(extensions):
                file = os.path.join(dirpath, name)
                if os.path.islink(file):
                    # A link that loops or dangles is reported here, where it is found.
                    try:
                        os.stat(file)
                    except OSError as exc:
                        yield _error_from_oserror(file, exc)
                        continue
                yield file
            elif report_unsupported and lower.endswith(_WALK_REPORTED):
                file = os.path.join(dirpath, name)
                yield InputError(file, unsupported_problem(file) or PROBLEM_OLE, "unsupported")
    for exc in errors:
        yield _error_from_oserror(exc.filename or top, exc)


def iter_report_files(
    paths: list[str], extensions: Iterable[str] | None = None, report_unsupported: bool = True
) -> Iterator[str | InputError]:
    """Expand command-line paths into the report files to lint.

    Directories are searched recursively in sorted order (hidden entries, Word
    lock files "~$…" and symlinked directories skipped) for files whose
    extension is in ``extensions`` (case-insensitive; by default every suffix of the
    reader registry: .txt, .md, .docx, .pdf and any registered by a plug-in); with
    ``report_unsupported``, a report saved as .doc, .wps, .odt, .rtf … yields an
    InputError saying what to convert it to.  A file named explicitly is yielded
    whatever its extension, ``"-"`` (stdin) is passed through, and a path that
    does not exist yields an InputError instead of raising.  Each file is
    yielded once, at its first occurrence.
    """
    wanted = _normalise_extensions(registry.suffixes() if extensions is None else extensions)
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
            for item in _walk(path, wanted, report_unsupported):
                if isinstance(item, InputError) or first_time(item):
                    yield item
        elif first_time(path):
            yield path


def text_listing(doc: Document) -> str:
    """The text of ``doc`` with the line numbers that lint output refers to.

    Text and Word files: ``  12  text`` (line N of a .docx is its paragraph N).
    PDF files: one physical line per row, ``p3:12  text``; page headers and
    footers left out of the check are marked.
    """
    source_map = doc.source_map
    if source_map is None:
        lines = doc.lines[:-1] if doc.text.endswith("\n") else doc.lines
        width = len(str(len(lines)))
        return "".join(f"{number:>{width}}  {line}\n" for number, line in enumerate(lines, start=1))
    keys = sorted(source_map.lines)
    width = max((len(f"p{page}:{line}") for page, line in keys), default=0)
    rows = []
    for key in keys:
        label = f"p{key[0]}:{key[1]}"
        text = source_map.lines[key]
        if key in source_map.skipped:
            text += "    （页眉页脚，不检查）"
        rows.append(f"{label:<{width}}  {text}\n")
    return "".join(rows)
