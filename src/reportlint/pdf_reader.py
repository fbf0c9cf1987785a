"""Read PDF reports into Documents, keeping the way back to pages and lines.

pdfminer.six lays out each page's characters into text lines; these are the
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

from reportlint.document import Document, SourceMap
from reportlint.reading import InputError

__all__ = ["MAX_CHARACTERS", "MAX_INFLATED", "MAX_PAGES", "PhysicalLine", "pdf_document", "read_pdf"]

MAX_PAGES = 1000
MAX_CHARACTERS = 2_000_000  # about 1000 dense pages
MAX_INFLATED = 256 * 1024 * 1024  # bytes that compressed streams may inflate to, per file

PROBLEM_NEEDS_PDF = '读取 .pdf 文件需要安装 pdfminer.six：pip install "reportlint[pdf]"'
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


def _line_text(line: Any, anno_type: type) -> str:
    """A pdfminer text line's text, without the spaces pdfminer guesses between
    widely spaced Chinese characters (justified text)."""
    parts: list[tuple[str, bool]] = []  # (text, is a guessed space)
    for item in line:
        text = item.get_text()
        parts.append((text, isinstance(item, anno_type)))
    out = []
    for index, (text, guessed) in enumerate(parts):
        if guessed:
            if text != " ":
                continue
            before = parts[index - 1][0][-1:] if index else ""
            after = parts[index + 1][0][:1] if index + 1 < len(parts) else ""
            if not before or not after or _WIDE.match(before) or _WIDE.match(after):
                continue
        out.append(text)
    return "".join(out).replace("\n", "").strip()


def _text_lines(layout: Any, line_type: type) -> Iterator[Any]:
    for item in layout:
        if isinstance(item, line_type):
            yield item
        elif hasattr(item, "__iter__"):
            yield from _text_lines(item, line_type)


def _page_lines(layout: Any, page: int) -> list[PhysicalLine]:
    from pdfminer.layout import LTAnno, LTChar, LTTextLineHorizontal

    pieces = []
    for line in _text_lines(layout, LTTextLineHorizontal):
        text = _line_text(line, LTAnno)
        if not text:
            continue
        sizes = [ch.size for ch in line if isinstance(ch, LTChar)]
        size = statistics.median(sizes) if sizes else line.height
        pieces.append(PhysicalLine(page, 0, text, line.x0, line.x1, line.y1, line.y0, size))
    # Top to bottom; pieces on the same baseline (a name and a date on one line) are one line.
    pieces.sort(key=lambda p: (-p.top, p.x0))
    merged: list[PhysicalLine] = []
    for piece in pieces:
        last = merged[-1] if merged else None
        if last is not None:
            overlap = min(last.top, piece.top) - max(last.bottom, piece.bottom)
            if overlap > 0.5 * min(last.top - last.bottom, piece.top - piece.bottom):
                first, second = (last, piece) if last.x0 <= piece.x0 else (piece, last)
                last.text = f"{first.text} {second.text}"
                last.x0, last.x1 = min(last.x0, piece.x0), max(last.x1, piece.x1)
                last.top, last.bottom = max(last.top, piece.top), min(last.bottom, piece.bottom)
                continue
        merged.append(piece)
    for number, line in enumerate(merged, start=1):
        line.number = number
    return merged


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
    from pdfminer.layout import LAParams
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    class CountingAggregator(PDFPageAggregator):
        characters = 0

        def render_char(self, *args: Any, **kwargs: Any) -> float:
            self.characters += 1
            if self.characters > MAX_CHARACTERS:
                raise InputError(path, f"PDF 文字过多（超过 {MAX_CHARACTERS} 个字符），不像是一份报告", "too-large")
            return super().render_char(*args, **kwargs)

    # boxes_flow=None: no hierarchical grouping of text boxes (quadratic in their number);
    # lines are put in reading order by position below.
    laparams = LAParams(all_texts=True, boxes_flow=None)
    resources = PDFResourceManager(caching=True)
    device = CountingAggregator(resources, laparams=laparams)
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
        self.right = max(line.x1 for line in body if line.x1 <= usual)
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
