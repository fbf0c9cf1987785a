"""The Document: decoded text plus a position map back to the original file.

Line endings are normalised to ``\\n`` (CRLF and lone CR each count as one line
break), so line numbers in the normalised text equal the original file's line
numbers, and columns are unaffected.  Offsets are indices into ``text``
(code points).  Human positions are 1-based line and 1-based code-point column;
LSP positions are 0-based line and UTF-16 code units.
"""

from __future__ import annotations

import bisect
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

    @classmethod
    def from_text(cls, text: str, path: str = "<text>", **kwargs: object) -> Document:
        """Build a Document from text that may still contain CR/CRLF."""
        if text.startswith("\ufeff"):
            text = text[1:]
            kwargs.setdefault("bom", True)
        normalised, newline = normalise_newlines(text)
        kwargs.setdefault("newline", newline)
        return cls(path=path, text=normalised, **kwargs)  # type: ignore[arg-type]

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
