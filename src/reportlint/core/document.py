"""The Document: decoded text plus a position map back to the original file.

Line endings are normalised to ``\\n`` (CRLF and lone CR each count as one line
break), so line numbers in the normalised text equal the original file's line
numbers, and columns are unaffected.  Offsets are indices into ``text``
(code points).  Human positions are 1-based line and 1-based code-point column;
LSP positions are 0-based line and UTF-16 code units.  This is reportlint's only
mapping to UTF-16 (the language server's positions, the web pages' JavaScript string
indices): :meth:`Document.lsp_position`, :meth:`Document.lsp_offset` and
:meth:`Document.utf16_offset`.

Documents read from Word or PDF files carry more: ``source_format`` says where
the text came from, ``line_labels`` hold a short human context per line (the
paragraph's first words, or the table cell), and a PDF's ``source_map`` maps
offsets back to the physical page and line the text was printed on (layout
line breaks inside a paragraph are joined before the rules run, so one line of
``text`` may span several physical lines).  A Word file's tables are flattened to one
line per cell paragraph; ``grids`` keeps their rows, columns and merged cells, each
cell with its offsets into ``text``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True, slots=True)
class Position:
    """1-based line and 1-based code-point column."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class LspPosition:
    """0-based line and 0-based UTF-16 code-unit character."""

    line: int
    character: int


@dataclass(frozen=True, slots=True)
class SourcePosition:
    """A position in the original file: 1-based line and column, and the page for a PDF.

    ``str()`` gives the form used in lint output: ``12:4`` or ``p3:12:4``.
    """

    line: int
    column: int
    page: int | None = None

    def __str__(self) -> str:
        if self.page is None:
            return f"{self.line}:{self.column}"
        return f"p{self.page}:{self.line}:{self.column}"


@dataclass(frozen=True)
class SourceMap:
    """Where each stretch of a Document's text was printed in a paged source (a PDF).

    The text is cut into pieces, each the (stripped) text of one physical line:
    piece ``i`` starts at offset ``starts[i]`` of the Document's text and at
    ``places[i]`` = (page, line, column) in the source, and runs on character by
    character until the next piece starts.  ``lines`` holds every physical line
    of the source by (page, line), including the ``skipped`` ones (page headers
    and footers) that are not part of the Document's text.
    """

    starts: tuple[int, ...]
    places: tuple[tuple[int, int, int], ...]
    lines: Mapping[tuple[int, int], str]
    skipped: frozenset[tuple[int, int]] = frozenset()
    page_count: int = 0

    def locate(self, offset: int) -> SourcePosition:
        if not self.starts:
            return SourcePosition(1, 1, 1)
        index = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        page, line, column = self.places[index]
        return SourcePosition(line, column + max(offset - self.starts[index], 0), page)


@dataclass(frozen=True, slots=True)
class GridCell:
    """One cell of a real table (a Word table): its top-left place in the grid (0-based row
    and column), how many rows and grid columns it spans (a merged cell is one GridCell),
    and ``start``/``end``, the offsets into the Document's text of what it holds (all its
    paragraphs; an empty range at its place for a cell that holds nothing)."""

    row: int
    column: int
    start: int
    end: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True, slots=True)
class Grid:
    """A real table of a structured input, besides its flattened text: ``start``/``end``
    are the offsets of its text (first cell to last), ``rows`` and ``columns`` its size in
    grid rows and columns, ``cells`` its cells in row order (a place covered by a merged
    cell has no cell of its own)."""

    start: int
    end: int
    rows: int
    columns: int
    cells: tuple[GridCell, ...] = ()


# Characters outside the Basic Multilingual Plane: two UTF-16 code units each.
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def _utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def normalise_newlines(text: str) -> tuple[str, str]:
    """Return ``(text with \\n only, the file's dominant newline)``."""
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    if crlf == 0 and cr == 0:
        return text, "\n"
    counts = {"\r\n": crlf, "\r": cr, "\n": lf}
    newline = max(counts, key=lambda k: counts[k])
    return text.replace("\r\n", "\n").replace("\r", "\n"), newline


@dataclass(eq=False)
class Document:
    """Normalised text of one report and how to map offsets to positions."""

    path: str
    text: str
    encoding: str = "utf-8"
    newline: str = "\n"
    bom: bool = False
    # Optional human context per line (e.g. docx paragraph or pdf page), unused for text files.
    line_labels: dict[int, str] = field(default_factory=dict)
    # "text" (.txt, .md, stdin), "docx" or "pdf": only "text" documents can be fixed in place.
    source_format: str = "text"
    # PDF only: offsets -> physical page, line and column.
    source_map: SourceMap | None = None
    # Text files with a few bytes that did not decode: (offset of the U+FFFD put in their
    # place, the raw bytes); reported as RL004, and such a file is never rewritten.
    undecodable: tuple[tuple[int, bytes], ...] = ()
    # Text files: the bytes that were read and linted.  --fix writes the file back only while
    # it still holds exactly these bytes (a change in between, even a re-save of the same text
    # in another encoding, is never overwritten).
    source_bytes: bytes | None = field(default=None, repr=False)
    # Structured inputs (.docx): the real tables behind the flattened text, in document order.
    grids: tuple[Grid, ...] = ()

    @classmethod
    def from_text(cls, text: str, path: str = "<text>", **kwargs: object) -> Document:
        """Build a Document from text that may still contain CR/CRLF."""
        if text.startswith("\ufeff"):
            text = text[1:]
            kwargs.setdefault("bom", True)
        normalised, newline = normalise_newlines(text)
        kwargs.setdefault("newline", newline)
        return cls(path=path, text=normalised, **kwargs)  # type: ignore[arg-type]

    @property
    def is_markdown(self) -> bool:
        """A Markdown file (``#`` headings, list syntax), judged by its name."""
        return self.source_format == "text" and self.path.lower().endswith((".md", ".markdown"))

    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        find = self.text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        return starts

    @cached_property
    def lines(self) -> list[str]:
        """Lines without their newline; ``lines[0]`` is line 1."""
        return self.text.split("\n")

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_text(self, line: int) -> str:
        """Text of 1-based ``line`` without its newline."""
        return self.lines[line - 1]

    def line_start(self, line: int) -> int:
        return self.line_starts[line - 1]

    def line_end(self, line: int) -> int:
        """Offset just past the last character of 1-based ``line`` (before its newline)."""
        return self.line_starts[line - 1] + len(self.lines[line - 1])

    def line_of(self, offset: int) -> int:
        """1-based line containing ``offset`` (an offset at a newline belongs to its line)."""
        offset = min(max(offset, 0), len(self.text))
        return bisect.bisect_right(self.line_starts, offset)

    def position(self, offset: int) -> Position:
        offset = min(max(offset, 0), len(self.text))  # clamp both ends, as line_of does
        line = self.line_of(offset)
        return Position(line, offset - self.line_starts[line - 1] + 1)

    def offset(self, line: int, column: int) -> int:
        """Offset of a 1-based line and code-point column (clamped to the line)."""
        line = min(max(line, 1), self.line_count)
        return self.line_starts[line - 1] + min(max(column - 1, 0), len(self.lines[line - 1]))

    def lsp_position(self, offset: int) -> LspPosition:
        pos = self.position(offset)
        prefix = self.lines[pos.line - 1][: pos.column - 1]
        return LspPosition(pos.line - 1, _utf16_len(prefix))

    @cached_property
    def astral_offsets(self) -> tuple[int, ...]:
        """The offsets of the characters that take two UTF-16 code units (outside the BMP;
        empty for almost every report, and then UTF-16 offsets are code-point offsets)."""
        return tuple(match.start() for match in _ASTRAL.finditer(self.text))

    def utf16_offset(self, offset: int) -> int:
        """The UTF-16 offset (a JavaScript string index) of code-point ``offset`` in ``text``."""
        astral = self.astral_offsets
        return offset + bisect.bisect_left(astral, offset) if astral else offset

    def lsp_offset(self, position: LspPosition) -> int:
        """Offset of an LSP position; a character inside a surrogate pair rounds down."""
        line = min(max(position.line, 0), self.line_count - 1)
        text = self.lines[line]
        units = 0
        for index, ch in enumerate(text):
            width = 2 if ord(ch) > 0xFFFF else 1
            if units + width > position.character:
                return self.line_starts[line] + index
            units += width
        return self.line_starts[line] + len(text)

    # -- positions in the original file (Word paragraphs, PDF pages) -------------------------

    def source_position(self, offset: int) -> SourcePosition:
        """Where ``offset`` is in the original file: the physical page and line for a PDF,
        else the same line and column as :meth:`position`."""
        if self.source_map is not None:
            return self.source_map.locate(min(max(offset, 0), len(self.text)))
        pos = self.position(offset)
        return SourcePosition(pos.line, pos.column)

    def source_line_text(self, position: SourcePosition) -> str:
        """The text of the physical line ``position`` is on (for showing it under a finding)."""
        if self.source_map is not None and position.page is not None:
            return self.source_map.lines.get((position.page, position.line), "")
        if 1 <= position.line <= self.line_count:
            return self.line_text(position.line)
        return ""

    def context(self, offset: int) -> str | None:
        """A short human description of where ``offset`` is (the paragraph's first words,
        or the table cell), for documents that have one; None for plain text files."""
        return self.line_labels.get(self.line_of(offset)) or None
