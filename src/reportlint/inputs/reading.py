"""Read report files: find them, decode their bytes, and build Documents.

Reports come from many offices and editors, so the bytes may be UTF-8 (with or
without a BOM), UTF-16 written by Notepad, or GBK saved by an older Windows
setup.  Word (.docx) and PDF files are read by :mod:`reportlint.inputs.docx`
and :mod:`reportlint.inputs.pdf`, imported only when such a file is read (so
checking text files never loads python-docx or pdfminer).  Older office formats
(.doc, .wps, .odt, .rtf …) are refused with a message saying what to save the
file as.  Everything that goes wrong while reading is raised (or yielded) as an
:class:`InputError` carrying a short Chinese description, so the CLI can report
it on one line next to the file name instead of showing a traceback.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from reportlint.core.document import Document

__all__ = [
    "DEFAULT_EXTENSIONS",
    "DEFAULT_MAX_BYTES",
    "STDIN_PATH",
    "Decoded",
    "InputError",
    "decode_bytes",
    "decode_report",
    "encode_text",
    "iter_report_files",
    "read_bytes",
    "read_path",
    "read_stdin",
    "text_listing",
    "unsupported_problem",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_EXTENSIONS = (".txt", ".md", ".docx", ".pdf")
# The name shown for standard input in documents and error messages.
STDIN_PATH = "<stdin>"

# Problem phrases, shared so callers and tests need not repeat the wording.
PROBLEM_EMPTY = "文件为空"
PROBLEM_BINARY = "不是文本文件（含二进制数据）"
PROBLEM_UNDECODABLE = "无法识别文件编码"
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
# The magic numbers of the containers reports arrive in.
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .wps, .xls: Compound File Binary
_PDF_MAGIC = b"%PDF-"
_RTF_MAGIC = b"{\\rtf"

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


# After the name of a dependency that cannot be imported (all are ordinary dependencies
# now, imported only when used: a missing one means a broken install).
MISSING_DEPENDENCY = "（reportlint 的依赖），安装不完整：请在同一 Python 环境中重新安装 reportlint"


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


# A file that is valid text in one encoding but for a few damaged spots (a character cut
# in two by a copy, a byte flipped in transfer) is read, each spot replaced by U+FFFD and
# reported (RL004); beyond this much damage the guess of the encoding itself is in doubt,
# and mis-decoded text must never be linted as if it were the report.
MAX_DAMAGED_SPOTS = 8
MAX_DAMAGED_SHARE = 0.001  # of the file's bytes


@dataclass(frozen=True)
class Decoded:
    """A text file's decoded text, encoding, BOM, and the spots that did not decode:
    (offset in ``text``, the raw bytes) each, where ``text`` holds U+FFFD."""

    text: str
    encoding: str
    bom: bool
    damage: tuple[tuple[int, bytes], ...] = ()


def _decode_damaged(data: bytes, encoding: str) -> tuple[str, list[tuple[int, bytes]]] | None:
    """``data`` decoded with each undecodable spot as U+FFFD, if the damage is small."""
    view = memoryview(data)  # slices without copying the rest of the file each time
    budget = MAX_DAMAGED_SHARE * len(data)
    parts: list[str] = []
    damage: list[tuple[int, bytes]] = []
    length, position, damaged = 0, 0, 0
    while True:
        try:
            tail = codecs.decode(view[position:], encoding)
        except UnicodeDecodeError as exc:
            good = codecs.decode(view[position : position + exc.start], encoding)
            raw = data[position + exc.start : position + exc.end]
            position += exc.end
            damaged += len(raw)
            if damaged > budget:
                return None
            if damage and not good:  # one damaged character is one spot (FF 95 88), not three
                damage[-1] = (damage[-1][0], damage[-1][1] + raw)
                continue
            if len(damage) == MAX_DAMAGED_SPOTS:
                return None
            parts += [good, "\ufffd"]
            damage.append((length + len(good), raw))
            length += len(good) + 1
            continue
        parts.append(tail)
        break
    text = "".join(parts)
    # The encoding must have proved itself on the rest: plenty of non-ASCII text decoded
    # well (a GBK file with three Chinese characters is not UTF-8 with three bad spots).
    if sum(1 for ch in text if ord(ch) > 0x7F) < 20 * len(damage):
        return None
    return text, damage


def _damaged(data: bytes, encoding: str, path: str) -> Decoded | None:
    found = _decode_damaged(data, encoding)
    if found is None:
        return None
    text, damage = found
    checked, encoding, bom = _checked(text, encoding, False, path)
    shift = len(text) - len(checked)  # leading BOMs stripped
    return Decoded(checked, encoding, bom, tuple((offset - shift, raw) for offset, raw in damage))


def decode_report(data: bytes, *, path: str = "<bytes>") -> Decoded:
    """Decode a report's bytes.

    Tries, in order: a byte order mark, strict UTF-8, binary detection, UTF-8 with a few
    damaged spots, strict GB18030 (a superset of the GBK that Chinese Windows writes),
    GB18030 with a few damaged spots, and finally charset_normalizer's best guess.  The
    text never starts with a BOM; its newlines are left as they are.  ``path`` is only
    used in errors.
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
            return Decoded(*_checked(text, encoding, True, path))

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # NUL and other controls are valid UTF-8, so binary is checked after.
        return Decoded(*_checked(text, "utf-8", False, path))

    if _looks_binary_bytes(data):
        raise InputError(path, PROBLEM_BINARY, "binary")

    # A UTF-8 file with a few bad bytes: before GB18030, which would take UTF-8's bytes
    # for pairs of Chinese characters (mojibake) more often than it fails on them.
    damaged = _damaged(data, "utf-8", path)
    if damaged is not None:
        return damaged

    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        # GB18030 has a BOM of its own (84 31 95 33, i.e. U+FEFF); keep it
        # for the round trip through encode_text.
        return Decoded(*_checked(text, "gb18030", text.startswith("\ufeff"), path))

    damaged = _damaged(data, "gb18030", path)
    if damaged is not None:
        return damaged

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
            return Decoded(*_checked(text, encoding, False, path))
    raise InputError(path, PROBLEM_UNDECODABLE, "encoding")


def decode_bytes(data: bytes, *, path: str = "<bytes>") -> tuple[str, str, bool]:
    """Decode a report's bytes exactly; return ``(text, encoding, had_bom)``.  A file with
    damaged spots is an InputError here (rewriting it would lose the bytes)."""
    decoded = decode_report(data, path=path)
    if decoded.damage:
        raise InputError(path, f"{PROBLEM_UNDECODABLE}（有 {len(decoded.damage)} 处字节无法解码）", "encoding")
    return decoded.text, decoded.encoding, decoded.bom


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
    decoded = decode_report(data, path=path)
    doc = Document.from_text(decoded.text, path=path, encoding=decoded.encoding, bom=decoded.bom)
    doc.source_bytes = data
    if decoded.damage:
        # Offsets in the normalised text: each CRLF before a spot became one character.
        doc.undecodable = tuple(
            (offset - decoded.text.count("\r\n", 0, offset), raw) for offset, raw in decoded.damage
        )
    return doc


def _suffix(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def unsupported_problem(path: str) -> str | None:
    """The one-line problem for a format reportlint cannot read (by extension), else None."""
    ext = _suffix(path)
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


def _is_word_archive(data: bytes) -> bool:
    import zipfile  # only for files that start like a zip archive

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(name.startswith("word/") for name in archive.namelist())
    # NotImplementedError: a (damaged) directory entry claiming a zip version above 6.3.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return False


def read_bytes(data: bytes, path: str) -> Document:
    """Build a Document from a file's bytes, by content and extension.

    A PDF or Word archive is read as such whatever its name (a .doc that is
    really a .docx is common); a legacy binary Office file, or a file whose
    extension names an unsupported format, is refused with a message saying
    what to convert it to; anything else is decoded as text.
    """
    if not data:
        raise InputError(path, PROBLEM_EMPTY, "empty")
    ext = _suffix(path)
    if ext == ".pdf" or data.startswith(_PDF_MAGIC):
        from reportlint.inputs.pdf import read_pdf

        return read_pdf(data, path)
    problem = unsupported_problem(path)
    if data.startswith(_OLE_MAGIC):
        # A legacy binary Office file, whatever it is named (a renamed .doc is common).
        raise InputError(path, problem or PROBLEM_OLE, "unsupported")
    if data.startswith(_RTF_MAGIC):
        raise InputError(path, problem or PROBLEM_RTF, "unsupported")
    sniff = problem is None or ext in (".doc", ".wps")  # not for .docm, .xlsx, .odt …
    if ext == ".docx" or (sniff and data.startswith(_ZIP_MAGIC) and _is_word_archive(data)):
        from reportlint.inputs.docx import read_docx

        return read_docx(data, path)
    if problem:
        raise InputError(path, problem, "unsupported")
    return _document(data, path)


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
        text = data.lstrip("\ufeff")
        _checked(text, "utf-8", False, STDIN_PATH)
        return Document.from_text(text, path=STDIN_PATH, encoding="utf-8", bom=False)
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
    paths: list[str], extensions: Iterable[str] = DEFAULT_EXTENSIONS, report_unsupported: bool = True
) -> Iterator[str | InputError]:
    """Expand command-line paths into the report files to lint.

    Directories are searched recursively in sorted order (hidden entries, Word
    lock files "~$…" and symlinked directories skipped) for files whose
    extension is in ``extensions`` (case-insensitive); with
    ``report_unsupported``, a report saved as .doc, .wps, .odt, .rtf … yields an
    InputError saying what to convert it to.  A file named explicitly is yielded
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
