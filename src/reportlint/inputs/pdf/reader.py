"""Read PDF reports into Documents, keeping the way back to pages and lines.

pdfminer.six reads each page's characters with their boxes, and characters on one
baseline make a text line, in the order of their x positions; these are the
*physical* lines, numbered from 1 at the top of each page, as
``reportlint text report.pdf`` prints them.  Before the rules run, layout
breaks are undone: a line that fills the column and does not end a sentence
continues in the next line (unless that one starts a new, indented paragraph),
so one line of the Document's text is one paragraph, even across a page break.
Page numbers ("- 3 -", "第 3 页 共 9 页") and running headers or footers
repeated on several pages are left out of the text.  A :class:`SourceMap`
records where every piece of text was printed, so findings are shown as
``report.pdf:p3:12:4`` (page 3, line 12 of that page, column 4).

pdfminer is imported only when a PDF is read.  While it reads, the zlib and
LZW decoders it uses are replaced by bounded ones, so a small file cannot
inflate to gigabytes; pages and characters are limited too, and pdfminer's
log messages about damaged files are kept off the terminal.
"""

from __future__ import annotations

import bisect
import io
import logging
import statistics
import warnings
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import regex

from reportlint.core.document import Document, SourceMap
from reportlint.core.errors import MISSING_DEPENDENCY, InputError

__all__ = ["MAX_CHARACTERS", "MAX_INFLATED", "MAX_PAGES", "PhysicalLine", "pdf_document", "read_pdf"]

MAX_PAGES = 1000
MAX_CHARACTERS = 2_000_000  # about 1000 dense pages
MAX_INFLATED = 256 * 1024 * 1024  # bytes that compressed streams may inflate to, per file

PROBLEM_NEEDS_PDF = "读取 .pdf 文件需要 pdfminer.six" + MISSING_DEPENDENCY
PROBLEM_CORRUPT = "PDF 文件已损坏或不完整，无法读取"
PROBLEM_ENCRYPTED = "PDF 文件设有打开密码，无法读取；请提供未加密的文件"
PROBLEM_NO_TEXT = "PDF 中没有可提取的文字（可能是扫描件），请用文字版 PDF 或 Word 文件"
PROBLEM_NO_UNICODE = "PDF 的字体缺少文字编码，提取不出文字；请用 Word 文件，或从 Word 重新导出 PDF"
PROBLEM_BOMB = "PDF 内容解压后过大，可能是恶意构造的文件，已停止读取"

# A sentence (or a clause that may close a paragraph) ends here; closing quotes
# and brackets after the mark are looked through.
_SENTENCE_END = set("。！？；：…!?;:")
_CLOSERS = set("”’」』）》)]】")
# The start of a numbered heading: 一、 （一） 1. （1） ①
_HEADING_START = regex.compile(
    r"[一二三四五六七八九十]{1,3}[、.．，,]|[（(][一二三四五六七八九十]{1,3}[）)]|[0-9０-９]{1,2}[.．、](?![0-9０-９])"
    r"|[（(][0-9０-９]{1,2}[）)]|[\u2460-\u2473]"
)
# Page numbers as printed at the head or foot of a page; a bare number only on the very
# first or last line.
_BARE_PAGE_NUMBER = regex.compile(r"[0-9]{1,3}")
_PAGE_NUMBER = regex.compile(
    r"[-—–－_·•\s]*[-—–－_·•][-—–－_·•\s]*[0-9]{1,4}[-—–－_·•\s]*"
    r"|第\s*[0-9一二三四五六七八九十百]+\s*页(?:\s*[,，/／]?\s*共\s*[0-9一二三四五六七八九十百]+\s*页)?"
    r"|共\s*[0-9]+\s*页\s*[,，]?\s*第\s*[0-9]+\s*页"
    r"|[0-9]{1,4}\s*[/／]\s*[0-9]{1,4}"
    r"|(?i:page)\s*[0-9]{1,4}(?:\s*(?:of|/)\s*[0-9]{1,4})?"
)
# A list number or bullet alone at the start of a line.
_LIST_MARKER = regex.compile(_HEADING_START.pattern + r"|[•●○◦■□◆◇▪▫►▶✓✔※*·\-–]")
_CID = regex.compile(r"\(cid:\d+\)")
_WIDE = regex.compile(r"[\p{Han}\p{InCJK_Symbols_and_Punctuation}\p{InHalfwidth_and_Fullwidth_Forms}“”‘’…—]")


class _Inflated(Exception):
    """Raised inside pdfminer when the inflation budget is spent."""


@dataclass
class PhysicalLine:
    """One printed line of a page."""

    page: int
    number: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    skipped: bool = False  # a page header or footer, left out of the text


# --- bounded decoders ---------------------------------------------------------------------


class _Budget:
    def __init__(self, limit: int) -> None:
        self.left = limit

    def spend(self, amount: int) -> None:
        self.left -= amount
        if self.left < 0:
            raise _Inflated


class _BoundedDecompressor:
    def __init__(self, inner: Any, budget: _Budget) -> None:
        self._inner, self._budget = inner, budget

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out = self._inner.decompress(data, max_length)
        self._budget.spend(len(out))
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _BoundedZlib:
    """Stands in for the zlib module inside pdfminer.pdftypes: the same API, but
    output beyond the file's budget raises instead of filling memory."""

    error = zlib.error

    def __init__(self, budget: _Budget) -> None:
        self._budget = budget

    def decompress(self, data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = zlib.DEF_BUF_SIZE) -> bytes:
        inner = zlib.decompressobj(wbits)
        out = inner.decompress(data, self._budget.left + 1)
        self._budget.spend(len(out))
        if inner.unconsumed_tail:  # more output is waiting than the budget allows
            raise _Inflated
        out += inner.flush()
        if not inner.eof:
            raise zlib.error("incomplete or truncated stream")
        return out

    def decompressobj(self, *args: Any, **kwargs: Any) -> _BoundedDecompressor:
        return _BoundedDecompressor(zlib.decompressobj(*args, **kwargs), self._budget)

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


@contextmanager
def _bounded_decoders(limit: int) -> Iterator[None]:
    from pdfminer import pdftypes
    from pdfminer.lzw import LZWDecoder

    budget = _Budget(limit)

    def lzwdecode(data: bytes) -> bytes:
        out = []
        for chunk in LZWDecoder(io.BytesIO(data)).run():
            budget.spend(len(chunk))
            out.append(chunk)
        return b"".join(out)

    saved = pdftypes.zlib, pdftypes.lzwdecode
    pdftypes.zlib, pdftypes.lzwdecode = _BoundedZlib(budget), lzwdecode  # type: ignore[assignment]
    try:
        yield
    finally:
        pdftypes.zlib, pdftypes.lzwdecode = saved  # type: ignore[assignment]


# --- pages to physical lines --------------------------------------------------------------
#
# The text of a line comes from the characters' own boxes, not from pdfminer's layout
# analysis: pdfminer groups characters into lines in the order they are drawn and
# guesses spaces (LTAnno) wherever a gap is wider than a tenth of a character.  Producers
# draw a line in several pieces (LibreOffice and Word draw each font's run on its own,
# a quote or a digit in the Latin font apart from the Chinese around it), so a piece
# drawn out of order became a line of its own, and a font change became a "space".
# Here the characters on one baseline are put in order by their x position, and a space
# is only a space character the PDF holds, or a word gap between two Latin characters.


# Between two Latin letters or digits, a gap this much wider than the line's usual gap
# between characters is a word space the producer did not write as a character.
_WORD_GAP = 0.15  # em
# A gap this much wider than usual is no longer text flow: table cells, a name and a
# date set apart on one line.  It is written as a tab (as a table row copied as text).
_COLUMN_GAP = 0.8  # em, next to a Chinese character
_LATIN_COLUMN_GAP = 2.0  # em, between Latin characters (justified Latin text has wide spaces)
_USUAL_GAP_CAP = 0.5  # em: a line spread wider than this (one-character table cells) is not text
_BLANKS = frozenset(" \t\u00a0\u3000\u2002\u2003\u2009")


@dataclass(slots=True)
class _Glyph:
    text: str
    x0: float
    x1: float
    bottom: float
    top: float
    size: float


def _glyphs(layout: Any, char_type: type) -> Iterator[Any]:
    for item in layout:
        if isinstance(item, char_type):
            yield item
        elif hasattr(item, "__iter__"):  # figures (form XObjects) hold characters too
            yield from _glyphs(item, char_type)


def _horizontal(char: Any) -> bool:
    a, b = char.matrix[0], char.matrix[1]
    return a > 0 and abs(b) <= 0.02 * a


def _page_glyphs(layout: Any) -> list[_Glyph]:
    from pdfminer.layout import LTChar

    chars = list(_glyphs(layout, LTChar))
    level = [char for char in chars if _horizontal(char)]
    # Rotated characters beside horizontal text are a watermark or a note in the margin.
    if len(level) * 2 >= len(chars):
        chars = level
    return [
        _Glyph(char.get_text(), char.x0, char.x1, char.y0, char.y1, char.size or char.height)
        for char in chars
        if char.get_text()
    ]


def _rows(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    """Characters grouped by baseline: boxes that overlap vertically by at least half the
    smaller height, against the first box of the row (so rows do not chain)."""
    rows: list[list[_Glyph]] = []
    core: tuple[float, float] | None = None
    for glyph in sorted(glyphs, key=lambda g: -(g.top + g.bottom)):
        if core is not None:
            overlap = min(core[1], glyph.top) - max(core[0], glyph.bottom)
            if overlap > 0.5 * min(core[1] - core[0], glyph.top - glyph.bottom):
                rows[-1].append(glyph)
                continue
        rows.append([glyph])
        core = (glyph.bottom, glyph.top)
    return rows


def _row_text(row: list[_Glyph]) -> tuple[str, list[_Glyph]]:
    """A row's text in x order, with spaces only where the PDF has them (or Latin words are
    set apart), and its visible characters."""
    row.sort(key=lambda g: g.x0)  # stable: characters at one x stay in drawing order
    ink: list[_Glyph] = []
    for glyph in row:
        if glyph.text in _BLANKS:
            ink.append(glyph)
            continue
        last = next((g for g in reversed(ink[-2:]) if g.text not in _BLANKS), None)
        if last is not None and last.text == glyph.text and abs(glyph.x0 - last.x0) < 0.2 * glyph.size:
            continue  # drawn twice at one place (bold made by overprinting)
        ink.append(glyph)
    visible = [g for g in ink if g.text not in _BLANKS]
    if not visible:
        return "", []
    em = statistics.median(g.size for g in visible) or 1.0
    gaps = [b.x0 - a.x1 for a, b in pairwise(visible)]
    usual = min(max(statistics.median(gaps), 0.0), _USUAL_GAP_CAP * em) if gaps else 0.0
    out: list[str] = []
    prev: _Glyph | None = None
    for glyph in ink:
        if glyph.text in _BLANKS:
            out.append(glyph.text)
            prev = None
            continue
        if prev is not None:
            extra = (glyph.x0 - prev.x1 - usual) / em
            latin = not _WIDE.match(prev.text[-1]) and not _WIDE.match(glyph.text[0])
            if extra >= (_LATIN_COLUMN_GAP if latin else _COLUMN_GAP):
                gap = "\t"
            elif latin and extra >= _WORD_GAP:
                gap = " "
            else:
                gap = ""
            # The gap after a list number ("一、", "（一）", "1." set by Word, then a tab) is
            # layout, as the .docx reader has it.
            if gap and not (len(out) <= 8 and _LIST_MARKER.fullmatch("".join(out).strip())):
                out.append(gap)
        out.append(glyph.text)
        prev = glyph
    return "".join(out).replace("\n", "").strip(), visible


def _page_lines(layout: Any, page: int) -> list[PhysicalLine]:
    lines = []
    for row in _rows(_page_glyphs(layout)):
        text, visible = _row_text(row)
        if not text:
            continue
        lines.append(
            PhysicalLine(
                page,
                len(lines) + 1,
                text,
                min(g.x0 for g in visible),
                max(g.x1 for g in visible),
                max(g.top for g in visible),
                min(g.bottom for g in visible),
                statistics.median(g.size for g in visible),
            )
        )
    return lines


@contextmanager
def _quiet() -> Iterator[None]:
    """Keep pdfminer's log messages and warnings about damaged files off the user's terminal:
    reportlint reports a file it cannot read on one line of its own."""
    logger = logging.getLogger("pdfminer")
    saved = logger.level, logger.propagate
    logger.setLevel(logging.CRITICAL + 1)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def _layouts(data: bytes, path: str) -> Iterator[Any]:
    """pdfminer's page layouts, with a limit on characters (each costs pdfminer about 1 KB)."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    class CountingAggregator(PDFPageAggregator):
        characters = 0

        def render_char(self, *args: Any, **kwargs: Any) -> float:
            self.characters += 1
            if self.characters > MAX_CHARACTERS:
                raise InputError(path, f"PDF 文字过多（超过 {MAX_CHARACTERS} 个字符），不像是一份报告", "too-large")
            return super().render_char(*args, **kwargs)

    # No layout analysis (laparams=None): the page's characters as drawn, which
    # _page_lines puts into lines by their boxes.
    resources = PDFResourceManager(caching=True)
    device = CountingAggregator(resources, laparams=None)
    interpreter = PDFPageInterpreter(resources, device)
    for page in PDFPage.get_pages(io.BytesIO(data), maxpages=MAX_PAGES + 1, caching=True):
        interpreter.process_page(page)
        yield device.get_result()


def extract_lines(data: bytes, path: str) -> list[list[PhysicalLine]]:
    """The physical lines of every page (raises InputError for an unreadable PDF)."""
    try:
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    except ImportError:
        raise InputError(path, PROBLEM_NEEDS_PDF, "missing-dependency") from None
    pages: list[list[PhysicalLine]] = []
    try:
        with _quiet(), _bounded_decoders(MAX_INFLATED):
            for number, layout in enumerate(_layouts(data, path), start=1):
                if number > MAX_PAGES:
                    raise InputError(path, f"PDF 页数过多（超过 {MAX_PAGES} 页），不像是一份报告", "too-large")
                pages.append(_page_lines(layout, number))
    except InputError:
        raise
    except (_Inflated, MemoryError):
        raise InputError(path, PROBLEM_BOMB, "pdf-bomb") from None
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError(path, PROBLEM_ENCRYPTED, "encrypted") from None
    except Exception:  # pdfminer raises many kinds of errors on a damaged file
        raise InputError(path, PROBLEM_CORRUPT, "corrupt") from None
    return pages


# --- headers, footers and paragraphs ------------------------------------------------------


def _mark_headers_and_footers(pages: list[list[PhysicalLine]]) -> None:
    """Mark page numbers and running headers/footers (first or last lines of a page)."""
    for lines in pages:
        for line in lines[:2] + lines[-2:]:
            if _PAGE_NUMBER.fullmatch(line.text):
                line.skipped = True
        for line in lines[:1] + lines[-1:]:
            if _BARE_PAGE_NUMBER.fullmatch(line.text):
                line.skipped = True
    if len(pages) < 2:
        return
    # The same text (numbers aside) as the first or last line of at least half the pages.
    for edge in (0, -1):
        shapes = Counter()
        for lines in pages:
            body = [line for line in lines if not line.skipped]
            if body:
                shapes[regex.sub(r"[0-9]+", "#", body[edge].text)] += 1
        for lines in pages:
            body = [line for line in lines if not line.skipped]
            if not body:
                continue
            count = shapes[regex.sub(r"[0-9]+", "#", body[edge].text)]
            if count >= 2 and count * 2 >= len(pages):
                body[edge].skipped = True


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _right_edge(ends: list[float], size: float) -> float | None:
    """Where most long lines end, of those ending within three characters of the rightmost:
    the column's edge.  A line whose last "，" or "。" hangs in the margin (LibreOffice and
    Word do that rather than start a line with it) ends a character further right; taking
    the rightmost end would make the full lines short of it look unfinished."""
    ends = sorted(ends)
    if not ends:
        return None
    near = ends[bisect.bisect_left(ends, ends[-1] - 3 * size) :]
    best, best_count = near[-1], 0
    for index, start in enumerate(near):
        stop = bisect.bisect_right(near, start + size / 2, lo=index)
        if stop - index >= best_count:  # ties: the one further right
            best, best_count = near[stop - 1], stop - index
    return best


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip()
    while stripped and stripped[-1] in _CLOSERS:
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in _SENTENCE_END


class _Layout:
    """Column edges and line spacing of the body text, for deciding what continues."""

    def __init__(self, body: list[PhysicalLine]) -> None:
        long_lines = [line for line in body if len(line.text) >= 5] or body
        self.size = statistics.median(line.size for line in body)
        self.left = _percentile([line.x0 for line in long_lines], 0.1)
        # The column's right edge: the longest lines, ignoring a few that stick out far
        # beyond the rest (a wide table row, a long web address).
        usual = _percentile([line.x1 for line in long_lines], 0.9) + 2 * self.size
        self.right = _right_edge([line.x1 for line in long_lines if line.x1 <= usual], self.size) or max(
            line.x1 for line in body if line.x1 <= usual
        )
        indents = [line.x0 - self.left for line in body]
        # First-line indentation (左空二字) marks paragraph starts in this document.
        self.indented_paragraphs = any(1.5 * self.size <= d <= 2.6 * self.size for d in indents)
        gaps = [a.bottom - b.top for lines in _by_page(body) for a, b in pairwise(lines) if a.bottom > b.top]
        self.gap = statistics.median(gaps) if gaps else self.size

    def full(self, line: PhysicalLine) -> bool:
        return line.x1 >= self.right - self.size - 1

    def indented(self, line: PhysicalLine) -> bool:
        return line.x0 >= self.left + 0.8 * self.size

    def continues(self, prev: PhysicalLine, line: PhysicalLine) -> bool:
        """Does ``line`` continue the paragraph that ``prev`` is part of?"""
        if not self.full(prev) or self.indented(line) or _HEADING_START.match(line.text):
            return False
        if prev.page == line.page and prev.bottom - line.top > self.gap + 0.8 * self.size:
            return False  # most of a blank line's worth of extra space: a new paragraph
        # Without first-line indentation, only the punctuation tells where a paragraph ends.
        return not (_ends_sentence(prev.text) and not self.indented_paragraphs)


def _by_page(lines: list[PhysicalLine]) -> list[list[PhysicalLine]]:
    pages: dict[int, list[PhysicalLine]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    return list(pages.values())


def _joiner(before: str, after: str) -> str:
    """What goes between two physical lines joined into one paragraph."""
    if before[-1:].isascii() and before[-1:].isalpha() and after[:1].isascii() and after[:1].isalpha():
        return " "  # a Latin word broke at a space
    return ""


def pdf_document(pages: list[list[PhysicalLine]], path: str) -> Document:
    """Join physical lines into paragraphs and build the Document with its SourceMap."""
    all_lines = [line for lines in pages for line in lines]
    if not any(line.text.strip() for line in all_lines):
        raise InputError(path, PROBLEM_NO_TEXT, "no-text")
    text_chars = sum(len(line.text) for line in all_lines)
    cid_chars = sum(len(m.group()) for line in all_lines for m in _CID.finditer(line.text))
    if cid_chars * 2 > text_chars:
        raise InputError(path, PROBLEM_NO_UNICODE, "no-text")
    _mark_headers_and_footers(pages)
    body = [line for line in all_lines if not line.skipped]
    if not body:
        raise InputError(path, PROBLEM_NO_TEXT, "no-text")
    layout = _Layout(body)
    chunks: list[str] = []
    starts: list[int] = []
    places: list[tuple[int, int, int]] = []
    offset = 0
    prev: PhysicalLine | None = None
    for line in body:
        if prev is not None:
            sep = _joiner(prev.text, line.text) if layout.continues(prev, line) else "\n"
            chunks.append(sep)
            offset += len(sep)
        starts.append(offset)
        places.append((line.page, line.number, 1))
        chunks.append(line.text)
        offset += len(line.text)
        prev = line
    chunks.append("\n")
    source_map = SourceMap(
        starts=tuple(starts),
        places=tuple(places),
        lines={(line.page, line.number): line.text for line in all_lines},
        skipped=frozenset((line.page, line.number) for line in all_lines if line.skipped),
        page_count=len(pages),
    )
    return Document(path=path, text="".join(chunks), encoding="utf-8", source_format="pdf", source_map=source_map)


def read_pdf(data: bytes, path: str) -> Document:
    """Read a PDF file's bytes into a Document (raises InputError for anything unreadable)."""
    return pdf_document(extract_lines(data, path), path)
