"""Plain text reports (.txt, .md, standard input): decode their bytes, and write text back.

Reports come from many offices and editors, so the bytes may be UTF-8 (with or
without a BOM), UTF-16 written by Notepad, or GBK saved by an older Windows
setup.  :func:`decode_report` finds out which; :func:`encode_text` is its inverse,
used by ``--fix`` to write a file back in its own encoding, BOM and line endings.
Anything that cannot be decoded is an :class:`~reportlint.core.errors.InputError`.
Any file that no other reader claims is read as plain text.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

from reportlint.core.document import Document
from reportlint.core.errors import InputError
from reportlint.inputs.base import Reader

__all__ = [
    "PROBLEM_BINARY",
    "PROBLEM_EMPTY",
    "PROBLEM_UNDECODABLE",
    "READER",
    "Decoded",
    "decode_bytes",
    "decode_report",
    "encode_text",
    "read_plain",
    "read_text",
]

# Problem phrases, shared so callers and tests need not repeat the wording.
PROBLEM_EMPTY = "文件为空"
PROBLEM_BINARY = "不是文本文件（含二进制数据）"
PROBLEM_UNDECODABLE = "无法识别文件编码"

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


class Decoded(NamedTuple):
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


def read_plain(data: bytes, path: str) -> Document:
    """A text file's Document: its bytes decoded (:func:`decode_report`), newlines normalised."""
    decoded = decode_report(data, path=path)
    doc = Document.from_text(decoded.text, path=path, encoding=decoded.encoding, bom=decoded.bom)
    doc.source_bytes = data
    if decoded.damage:
        # Offsets in the normalised text: each CRLF before a spot became one character.
        doc.undecodable = tuple(
            (offset - decoded.text.count("\r\n", 0, offset), raw) for offset, raw in decoded.damage
        )
    return doc


def read_text(text: str, path: str) -> Document:
    """A Document of text that arrived already decoded (a text stream, a pasted text),
    checked like a file's: not binary-looking, not blank."""
    text = text.lstrip("\ufeff")
    _checked(text, "utf-8", False, path)
    return Document.from_text(text, path=path, encoding="utf-8", bom=False)


READER = Reader("text", (".txt", ".md"), read_plain, label="文本", fixable=True, editable=True)
