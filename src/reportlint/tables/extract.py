"""Finding a pack's tables in a report and reading their cells (see tables.model).

Tables reach the linter in many shapes (docs/writing-rules.md, "Tables"): one row per line
with TAB or "|" between cells, one cell per line (blank lines between, NBSP in empty cells,
a "|" line after each cell), Markdown tables split by an OCR or LLM converter into one table
per row group with invented headers, a Word table (``Document.grids``), PDF text.  All of
them become one stream of tokens (a cell's text, or an empty cell where separators show
one), and the tables are read from the stream by their row labels alone:

1. A schema is tried only if each of its anchors occurs in the text (their literal strings
   are looked for first, so a report without them costs a few ``in`` tests).
2. Rows are matched in the schema's order to tokens whose text, normalised (widths of
   brackets, digits and punctuation, spaces, trailing punctuation, Markdown marks), is the
   row's label or one of its variants, with or without the label's own number ("（一）",
   "1.") — never by position.  A label may come in up to three pieces ("（二）部分公开（…" /
   "…不计其他情形）").  Column labels between a row's label and its values are skipped;
   other text ends the values, so header text, invented headers and prose are never cells.
3. A row takes exactly its columns' number of values after its label; with fewer or more
   (a blank cell left without a mark in a one-cell-per-line text) the row is UNCERTAIN rather
   than a value shifted into the wrong column.  Empty cells a separator shows ("|  |",
   a "|" line) are blank cells; separators left over at the end of a row are ignored.
4. A "wide" table may lay its rows side by side: the row labels in the header and one run
   of rows × columns values (表四's one row of 15).
5. The lines above the first row that hold only header text (column labels and their
   pieces, the schema's ``header`` patterns, a row of a Markdown block) belong to the table,
   so structure rules can skip every line of it (``Table.lines``).
6. Of the schemas of one family (T3 and T3-2019), the one that reads most rows with
   certainty wins; a table needs at least two rows (or all of them).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from reportlint.core.document import Document, Grid
from reportlint.support.prefilter import required_literals
from reportlint.tables.model import AxisItem, Cell, CellStatus, Table, TableSchema

__all__ = ["find_tables", "label_key", "parse_value"]

# Full-width ASCII (digits, brackets, punctuation, letters) to half-width; NBSP and the
# ideographic space to spaces.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD.update({0xA0: 0x20, 0x3000: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: 0x20, 0xFEFF: 0x20})
# Inside a label (after its number): enumeration marks alike, quotation marks dropped
# (危及“三安全一稳定” = 危及"三安全一稳定" = 危及三安全一稳定).
_CORE_FOLD = {ord("、"): ",", ord(";"): ",", **{ord(q): None for q in "“”‘’\"'「」『』"}}
_SPACES = regex.compile(r"\s+")
_TRAILING = ".,;:。"
# A label's own number, normalised: 一、 （一） 1. 1、 （1）.
_NUMBER = regex.compile(r"([一二三四五六七八九十]+)、|\(([一二三四五六七八九十]+)\)|(\d+)[.、](?!\d)|\((\d+)\)")
_PLAIN_SPACE = " \t\r\n\f\v\u3000\u2002\u2003\u2009\u200b\ufeff"
_SEPARATORS = regex.compile(r"[\t|｜]")
_PIPES = "|｜"
_MD_DELIMITER = regex.compile(r"\s*[|｜]?\s*:?-{3,}:?\s*(?:[|｜]\s*:?-{3,}:?\s*)*[|｜]?\s*")
# How a value cell can begin (a digit of either width, a sign, a blank mark).
_VALUE_START = frozenset("0123456789０１２３４５６７８９+-－/／\\—–―\xa0\u3000 无不")
_BLANK_MARKS = frozenset({"", "/", "//", "\\", "-", "--", "—", "——", "–", "―", "无", "不适用"})
_NUMBER_VALUE = regex.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(\D{0,3})")
_WORDS = regex.compile(r"\S+")
_PDF_WORDS = regex.compile(r"\xa0|[^\s\xa0]+")
# PDF text: a number run together with the words of the cell before or after it
# ("行政规范性文件6", "行政事业性收费4068.208"; "294度办理结" in a row of cells).
_WORDS_NUMBER = regex.compile(r"(?P<words>.*\p{Han}[)）]?)(?P<number>[0-9][0-9,]*(?:\.[0-9]+)?)")
_NUMBER_WORDS = regex.compile(r"(?P<number>[0-9][0-9,]*(?:\.[0-9]+)?)(?P<words>\p{Han}.*)")
# Units a number cell may carry and still be a cell ("5件"); whether its column takes it is
# the schema's ``units`` (else the cell is TEXT).
_CELL_UNITS = frozenset({"件", "个", "项", "条", "次", "人", "元", "万元"})
_MAX_JOIN = 3  # a label may come in this many pieces
_CACHE_SIZE = 4096  # label lookups kept per schema
_GAP = 80  # tokens between two rows of one table at most
_HEADER_LINES = 60  # header lines above the first row at most
_TIMEOUT = 2.0  # seconds for an anchor's search (a pack's pattern)


# --- normalisation -------------------------------------------------------------------------


def label_key(text: str) -> tuple[str, str]:
    """``(number, words)`` of a label cell, normalised for matching: widths folded, spaces
    and Markdown marks removed, its own number ("（一）" → "(一)", "1、" → "1.") split off,
    enumeration marks alike and quotation marks dropped in the words, trailing punctuation
    removed.  ``label_key("（三）不予公开") == ("(三)", "不予公开")``."""
    folded = _SPACES.sub("", text.translate(_FOLD)).strip("#*>_`")
    number = ""
    # Two numbers: a group's label glued to its first row's ("（三）4.保护第三方合法权益",
    # PDF text of a merged cell): the row's own counts.
    for _ in range(2):
        found = _NUMBER.match(folded)
        if not found:
            break
        chinese, paren_chinese, digits, paren_digits = found.groups()
        if chinese:
            number = f"{chinese}、"
        elif paren_chinese:
            number = f"({paren_chinese})"
        elif digits:
            number = f"{int(digits)}."
        else:
            number = f"({int(paren_digits)})"
        folded = folded[found.end() :]
    return number, folded.translate(_CORE_FOLD).rstrip(_TRAILING)


def _value_text(text: str) -> str:
    return _SPACES.sub("", text.translate(_FOLD))


def parse_value(
    text: str, decimals: bool = False, signed: bool = False, units: Sequence[str] = ()
) -> tuple[CellStatus, int | float | None]:
    """What a value cell holds: BLANK (empty, "/", "-", "—", "无", "不适用", NBSP), NUMBER
    (full-width digits and thousands separators accepted; decimals only where ``decimals``,
    a sign only where ``signed``, a unit only one of ``units``) or TEXT."""
    if text.isascii() and text.isdigit():
        return CellStatus.NUMBER, int(text)
    folded = _value_text(text)
    if folded in _BLANK_MARKS:
        return CellStatus.BLANK, None
    found = _NUMBER_VALUE.fullmatch(folded)
    if found is None:
        return CellStatus.TEXT, None
    sign, whole, fraction, unit = found.groups()
    if (unit and unit not in units) or (sign == "-" and not signed) or (fraction and not decimals):
        return CellStatus.TEXT, None
    number = int(whole.replace(",", ""))
    if fraction:
        value: int | float = float(f"{number}.{fraction}")
        return CellStatus.NUMBER, -value if sign == "-" else value
    return CellStatus.NUMBER, -number if sign == "-" else number


def _is_value(text: str, units: frozenset[str]) -> bool:
    if text.isascii() and text.isdigit():
        return True
    folded = _value_text(text)  # (an NBSP folds to nothing: a blank mark)
    if folded in _BLANK_MARKS:
        return True
    found = _NUMBER_VALUE.fullmatch(folded)
    return found is not None and (not found.group(4) or found.group(4) in units)


# --- tokens --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    raw: str
    value: bool  # a value cell: a number, a blank mark, an empty cell
    line: object  # the text line (int) or Word table row (tuple) it stands on
    separated: bool = False  # on a line with cell separators, or in a Word table
    empty: bool = False  # an empty cell shown by separators (nothing written)
    prose: bool = False  # too long to be a label
    grid: int = -1  # the index of its Word table, -1 for text
    _key: tuple[str, str] | None = None

    @property
    def key(self) -> tuple[str, str]:
        if self._key is None:
            self._key = label_key(self.raw)
        return self._key


class _Tokeniser:
    """The document as a stream of cell tokens (see the module's docstring)."""

    def __init__(self, doc: Document, units: frozenset[str], prose_length: int) -> None:
        self.doc = doc
        self.units = units
        self.prose_length = prose_length
        self.tokens: list[_Token] = []
        self.glued = doc.source_format == "pdf"
        self.open_empty = False  # a separator opened a cell that holds nothing yet
        self.last_separator = -1
        self.last_separator_line = 0

    def run(self) -> list[_Token]:
        doc = self.doc
        grids = _outer_grids(doc.grids)
        grid_index = 0
        starts = doc.line_starts
        for number, line in enumerate(doc.lines, start=1):
            start = starts[number - 1]
            while grid_index < len(grids) and grids[grid_index][1].end < start:
                grid_index += 1
            if grid_index < len(grids) and grids[grid_index][1].start <= start <= grids[grid_index][1].end:
                index, grid = grids[grid_index]
                if not self.tokens or self.tokens[-1].grid != index:
                    self.grid(index, grid)
                continue
            self.line(number, start, line)
        return self.tokens

    def grid(self, index: int, grid: Grid) -> None:
        self.open_empty = False
        text = self.doc.text
        for cell in sorted(grid.cells, key=lambda c: (c.row, c.column)):
            row = ("grid", index, cell.row)
            if not self.piece(text[cell.start : cell.end], cell.start, row, separated=True, grid=index):
                self.tokens.append(_Token(cell.start, cell.start, "", True, row, True, True, grid=index))

    def line(self, number: int, start: int, line: str) -> None:
        if not _SEPARATORS.search(line):
            if self.piece(line, start, number, separated=False):
                self.open_empty = False
            return
        if _MD_DELIMITER.fullmatch(line):
            return
        position = 0
        stripped = line.lstrip(_PLAIN_SPACE)
        if stripped[:1] in _PIPES and stripped[1:].strip(_PLAIN_SPACE + _PIPES + "\t"):
            # A row with a leading border ("| a | b |"): its first pipe opens a cell.
            position = len(line) - len(stripped) + 1
            self.open_empty, self.last_separator, self.last_separator_line = True, start + position - 1, number
        for found in _SEPARATORS.finditer(line, position):
            if self.piece(line[position : found.start()], start + position, number, separated=True):
                self.open_empty = False
            self.separator(start + found.start(), start, number)
            position = found.end()
        if self.piece(line[position:], start + position, number, separated=True):
            self.open_empty = False

    def separator(self, offset: int, line_start: int, number: int) -> None:
        if self.open_empty:
            at = self.last_separator + 1 if self.last_separator_line == number else line_start
            self.tokens.append(_Token(at, at, "", True, number, True, True))
        self.open_empty, self.last_separator, self.last_separator_line = True, offset, number

    def piece(self, text: str, offset: int, line: object, separated: bool, grid: int = -1) -> bool:
        """Add the token of one cell's text (False if it holds nothing at all)."""
        left = len(text) - len(text.lstrip(_PLAIN_SPACE))
        content = text.strip(_PLAIN_SPACE)
        if not content:
            return False
        start = offset + left
        end = start + len(content)
        if not content.strip("\xa0" + _PLAIN_SPACE):  # NBSP only: an empty cell, marked
            self.tokens.append(_Token(start, end, content, True, line, separated, grid=grid))
            return True
        if " " in content or (self.glued and "\xa0" in content):
            # "705 3": numbers a space apart are cells of their own; in PDF text, so is each
            # NBSP (an empty cell) between them: "35\xa0\xa02".
            words = _PDF_WORDS if self.glued else _WORDS
            parts = [(m.start(), m.group()) for m in words.finditer(content)]
            values = [_is_value(part, self.units) for _, part in parts]
            if len(parts) > 1 and (all(values) or (self.glued and any(values))):
                for at, part in parts:
                    self.unglue(start + at, part, line, separated, grid)
                return True
        self.unglue(start, content, line, separated, grid)
        return True

    def unglue(self, start: int, content: str, line: object, separated: bool, grid: int) -> None:
        """Add a token; in PDF text, two: a number run together with the words of the cell
        before or after it."""
        glued = None
        if self.glued and len(content) <= 48:
            glued = _WORDS_NUMBER.fullmatch(content) or (separated and _NUMBER_WORDS.fullmatch(content))
        if not glued:
            self.add(start, content, line, separated, grid)
            return
        for name in sorted(("words", "number"), key=glued.start):
            self.add(start + glued.start(name), glued.group(name), line, separated, grid)

    def add(self, start: int, content: str, line: object, separated: bool, grid: int) -> None:
        value = (
            len(content) <= 24
            and (content[0] in _VALUE_START or content in _BLANK_MARKS)
            and _is_value(content, self.units)
        )
        prose = not value and len(content) > self.prose_length
        self.tokens.append(_Token(start, start + len(content), content, value, line, separated, prose=prose, grid=grid))


def _outer_grids(grids: Sequence[Grid]) -> list[tuple[int, Grid]]:
    """The Word tables that are not inside another one, by start (a nested table is read as
    the text of the cell that holds it)."""
    out: list[tuple[int, Grid]] = []
    for index, grid in sorted(enumerate(grids), key=lambda item: (item[1].start, -item[1].end)):
        if out and grid.start <= out[-1][1].end:
            continue
        out.append((index, grid))
    return out


# --- a schema, compiled ---------------------------------------------------------------------


@dataclass
class _Compiled:
    schema: TableSchema
    literals: tuple[frozenset[str] | None, ...]
    anchors: tuple[regex.Pattern[str], ...]
    exact: dict[str, list[tuple[str, int]]]  # label words -> (label number, row index)
    variants: list[tuple[regex.Pattern[str], int, str]]  # (pattern, row index, label number)
    pieces: frozenset[str]  # the beginnings of the rows' labels, for labels in pieces
    # Long beginnings of the rows' label words (half the label, six characters at least): a
    # label cut short where its cell wraps, the rest after the row's values (PDF text).
    beginnings: dict[str, list[tuple[str, int]]]
    # The rows' numbered labels whole ("1.属于国家秘密"), for a group label run together
    # with its first row's ("(三)不予公开1.属于国家秘密", PDF text of a merged cell).
    numbered: tuple[tuple[str, int], ...]
    endings: tuple[tuple[str, int], ...]  # numbered labels, and others of 4 characters or more
    columns: frozenset[str]  # normalised column labels
    column_variants: tuple[regex.Pattern[str], ...]
    header: tuple[regex.Pattern[str], ...]
    header_words: tuple[str, ...]  # labels whose pieces are header text (columns, groups)
    groups: frozenset[str]
    longest: int
    row_columns: tuple[tuple[str, ...], ...] = field(default=())
    # Lookups already made, kept across documents (texts repeat: "总计", "规章"); bounded.
    rows_cache: dict[tuple[str, str, bool], list[int]] = field(default_factory=dict)
    column_cache: dict[str, bool] = field(default_factory=dict)


@lru_cache(maxsize=64)
def _compile(schema: TableSchema) -> _Compiled:
    exact: dict[str, list[tuple[str, int]]] = {}
    variants: list[tuple[regex.Pattern[str], int, str]] = []
    pieces: set[str] = set()
    beginnings: dict[str, list[tuple[str, int]]] = {}
    for index, row in enumerate(schema.rows):
        number, words = label_key(row.label)
        exact.setdefault(words, []).append((number, index))
        for cut in range(max(6, (len(words) + 1) // 2), len(words)):
            beginnings.setdefault(words[:cut], []).append((number, index))
        for whole in (words, number + words):
            pieces.update(whole[:cut] for cut in range(1, len(whole)))
        variants.extend((regex.compile(variant), index, number) for variant in row.variants)
    columns = frozenset(label_key(column.label)[1] for column in schema.columns)
    column_variants = tuple(regex.compile(v) for column in schema.columns for v in column.variants)
    groups = frozenset(label_key(group.label)[1] for group in schema.groups)
    group_variants = tuple(regex.compile(v) for group in schema.groups for v in group.variants)
    header_words = tuple(sorted({*columns, *groups}))
    longest = max(len(item.label) for item in (*schema.rows, *schema.columns, *schema.groups))
    return _Compiled(
        schema=schema,
        literals=tuple(required_literals(anchor) for anchor in schema.anchors),
        anchors=tuple(regex.compile(anchor) for anchor in schema.anchors),
        exact=exact,
        variants=variants,
        pieces=frozenset(pieces),
        beginnings=beginnings,
        numbered=tuple(
            (number + words, index)
            for index, (number, words) in enumerate(label_key(row.label) for row in schema.rows)
            if number
        ),
        endings=tuple(
            (number + words, index)
            for index, (number, words) in enumerate(label_key(row.label) for row in schema.rows)
            if number or len(words) >= 4
        ),
        columns=columns,
        column_variants=column_variants,
        header=(*(regex.compile(p) for p in schema.header), *group_variants),
        header_words=header_words,
        groups=groups,
        longest=longest,
        row_columns=tuple(schema.row_columns(row.key) for row in schema.rows),
    )


def _present(compiled: _Compiled, text: str) -> bool:
    """Whether every anchor occurs in ``text`` (its literals first: a report without them
    costs a few ``in`` tests)."""
    for literals in compiled.literals:
        if literals is not None and not any(literal in text for literal in literals):
            return False
    try:
        return all(anchor.search(text, timeout=_TIMEOUT) for anchor in compiled.anchors)
    except TimeoutError:
        return False


# --- reading one schema ---------------------------------------------------------------------


@dataclass
class _Row:
    index: int  # the row's index in the schema
    first: int  # token index of its label's first piece
    after: int  # token index after its label
    values: list[_Token]
    end: int = 0  # token index after its values
    certain: bool = True  # False: its values are known not to align with its columns


class _Reader:
    def __init__(self, compiled: _Compiled, tokens: list[_Token], text_cells: bool = True) -> None:
        self.c = compiled
        self.schema = compiled.schema
        self.tokens = tokens
        # Whether a short text after a label may be a cell ("若干"); not in PDF text, where it
        # is as likely a piece of a merged label cell that wraps.
        self.text_cells = text_cells
        self._matches: dict[int, list[tuple[int, int]]] = {}

    # -- labels

    def _rows_of(self, number: str, words: str) -> list[int]:
        """The rows whose label is ``words`` (or a variant matches it), written without a
        number or with the label's own."""
        cache = self.c.rows_cache
        key = (number, words, self.text_cells)
        cached = cache.get(key)
        if cached is None:
            if len(cache) > _CACHE_SIZE:
                cache.clear()
            cached = cache[key] = self._lookup(number, words)
        return cached

    def _lookup(self, number: str, words: str) -> list[int]:
        found = [index for label_number, index in self.c.exact.get(words, ()) if not number or number == label_number]
        for pattern, index, label_number in self.c.variants:
            if index in found:
                continue
            own = (not number or number == label_number) and pattern.fullmatch(words)
            if own or (number and pattern.fullmatch(number + words)):
                found.append(index)
        if not found:
            rows = self.c.beginnings.get(words, ())
            found = [index for label_number, index in rows if not number or number == label_number]
        if not found and (number or not self.text_cells):
            # The end of a text is a numbered label ("(三)不1.属于国家秘密"), or in PDF text
            # any label of four characters or more ("结果维结果纠其他结尚未审总计未经复议直接起诉").
            whole = number + words
            labels = self.c.numbered if self.text_cells else self.c.endings
            found = [index for label, index in labels if len(whole) > len(label) and whole.endswith(label)]
        return found

    def label_text(self, index: int) -> bool:
        token = self.tokens[index]
        return not token.value and not token.prose

    def matches(self, index: int) -> list[tuple[int, int]]:
        """(row index, token index after the label) of each row whose label starts at token
        ``index`` (in one piece, or joined with the next ones)."""
        cached = self._matches.get(index)
        if cached is not None:
            return cached
        if not self.label_text(index):
            self._matches[index] = []
            return []
        number, words = self.tokens[index].key
        found = dict.fromkeys(self._rows_of(number, words), index + 1)
        joined, last = number + words, index
        # A label in pieces: join the next texts while they may still make up one.
        while joined in self.c.pieces and last + 1 < len(self.tokens) and last - index + 1 < _MAX_JOIN:
            last += 1
            if not self.label_text(last):
                break
            joined_number, joined_words = label_key(joined + self.tokens[last].raw)
            joined = joined_number + joined_words
            found.update(dict.fromkeys(self._rows_of(joined_number, joined_words), last + 1))
        out = sorted(found.items())
        self._matches[index] = out
        return out

    def is_column(self, token: _Token) -> bool:
        if token.value or token.prose:
            return False
        words = token.key[1]
        cache = self.c.column_cache
        found = cache.get(words)
        if found is None:
            if len(cache) > _CACHE_SIZE:
                cache.clear()
            found = cache[words] = words in self.c.columns or any(p.fullmatch(words) for p in self.c.column_variants)
        return found

    def is_label(self, index: int) -> bool:
        return bool(self.matches(index)) or self.is_column(self.tokens[index])

    # -- values

    def values(self, index: int, line: object, wanted: int) -> tuple[list[_Token], int]:
        """The run of value tokens from ``index`` (after the column labels that stand between
        a row's label and its values), and the token index after it.  A short text on the
        label's own line ("若干") is a value cell when the line holds exactly the ``wanted``
        cells (in a header row it is not)."""
        tokens = self.tokens
        while index < len(tokens) and self.is_column(tokens[index]):
            index += 1
        start = index
        out: list[_Token] = []
        limit = 3 * wanted + 2
        while index < len(tokens) and len(out) < limit:
            token = tokens[index]
            if not token.value:
                text_cell = (
                    self.text_cells
                    and token.separated
                    and token.line == line
                    and not token.prose
                    and len(token.raw) <= 8
                    and not token.key[0]
                    and not self.is_label(index)
                )
                if not text_cell:
                    break
            out.append(token)
            index += 1
        texts = [position for position, token in enumerate(out) if not token.value]
        if texts and len(self._trim(out, wanted)) != wanted:
            out = out[: texts[0]]
            index = start + len(out)
        return out, index

    def candidates(self) -> list[_Row]:
        """Every place a row's label stands with its values after it (or, when nothing but
        a later row's label follows, without any: a row left empty), in text order."""
        out: list[_Row] = []
        for index, token in enumerate(self.tokens):
            if token.value or token.prose:
                continue
            for row, after in self.matches(index):
                values, end = self.values(after, self.tokens[after - 1].line, len(self.c.row_columns[row]))
                if values:
                    out.append(_Row(row, index, after, values, end))
                    continue
                # In a text of one cell per line, a row left empty is its label right before
                # the next row's (where separators stand, its empty cells are shown).
                following = self._next_label_row(after)
                if not self.tokens[index].separated and following is not None and following > row:
                    out.append(_Row(row, index, after, [], after))
        return out

    def _weight(self, row: _Row) -> int:
        """How much a row found adds to a reading: most with exactly its values."""
        wanted = len(self.c.row_columns[row.index])
        if len(self._trim(row.values, wanted)) == wanted:
            return 3
        return 2 if row.values else 1

    def rows(self) -> dict[int, _Row]:
        """The rows found: of the places their labels stand, the chain in the schema's order
        (each within a few tokens of the one before) that reads the most rows, with their
        values, so that a column header "其他" or "总计" is not taken for a row's label."""
        candidates = self.candidates()
        if not candidates:
            return {}
        scores: list[int] = []
        previous: list[int] = []
        weights = [self._weight(candidate) for candidate in candidates]
        for i, candidate in enumerate(candidates):
            best, link = weights[i], -1
            for j in range(i - 1, -1, -1):
                before = candidates[j]
                if candidate.first - before.first > 2 * _GAP:
                    break
                if before.index < candidate.index and before.end <= candidate.first <= before.end + _GAP:
                    score = scores[j] + weights[i]
                    if score > best:
                        best, link = score, j
            scores.append(best)
            previous.append(link)
        last = max(range(len(candidates)), key=lambda i: (scores[i], -i))
        found: dict[int, _Row] = {}
        while last >= 0:
            found[candidates[last].index] = candidates[last]
            last = previous[last]
        return found

    def _next_label_row(self, index: int) -> int | None:
        while index < len(self.tokens) and self.is_column(self.tokens[index]):
            index += 1
        if index >= len(self.tokens):
            return None
        rows = [row for row, _ in self.matches(index)]
        return min(rows) if rows else None

    def wide(self) -> dict[int, _Row] | None:
        """The rows of a table whose rows stand side by side: every row's label in order in
        the header, then one run of rows × columns values."""
        tokens, total = self.tokens, len(self.schema.rows)
        width = len(self.schema.columns)
        for start in range(len(tokens)):
            if not any(row == 0 for row, _ in self.matches(start)):
                continue
            labels: list[tuple[int, int]] = []
            index, expected = start, 0
            while index < len(tokens) and index - start <= _GAP and expected < total:
                rows = dict(self.matches(index))
                if expected in rows:
                    labels.append((index, rows[expected]))
                    expected += 1
                    index = rows[expected - 1]
                    continue
                index += 1
            if expected < total:
                continue
            index = labels[-1][1]
            while index < len(tokens) and not tokens[index].value and index - start <= 2 * _GAP:
                if tokens[index].prose or (self.matches(index) and not self.is_column(tokens[index])):
                    break
                index += 1
            values = self._trim(self.values(index, None, total * width)[0], total * width)
            if len(values) != total * width:  # the table is there, its values do not align
                return {
                    row: _Row(row, first, after, values, certain=False) for row, (first, after) in enumerate(labels)
                }
            return {
                row: _Row(row, first, after, values[row * width : (row + 1) * width])
                for row, (first, after) in enumerate(labels)
            }
        return None

    def _fill_gaps(self, found: dict[int, _Row]) -> None:
        """A row missing between two rows found, where values stand that no label claims, is
        there but unreadable (its label broken up, as PDF text breaks a label that wraps in
        its cell between the cells of other columns): UNCERTAIN, not missing."""
        rows = sorted(found.values(), key=lambda row: row.index)
        for before, after in itertools.pairwise(rows):
            if after.index - before.index != 2:
                continue
            gap = self.tokens[before.end : after.first]
            texts = [index for index, token in enumerate(gap, start=before.end) if not token.value]
            if texts and any(token.value and not token.empty for token in gap):
                found[before.index + 1] = _Row(before.index + 1, texts[0], texts[0] + 1, [], texts[0] + 1)

    @staticmethod
    def _trim(values: list[_Token], wanted: int) -> list[_Token]:
        """Drop the empty cells that separators left over at the end of a run, and those a
        converter wrote after a label that spans several columns (a Markdown table padded
        for ``colspan``: ``| 一、本年新收… |  |  | 86 | …``), while there are more cells than
        columns."""
        values = list(values)
        while len(values) > wanted and values[-1].empty:
            values.pop()
        while len(values) > wanted and values[0].empty:
            values.pop(0)
        return values

    # -- the table

    def read(self) -> dict[int, _Row] | None:
        """The rows of the table, found (None: no table)."""
        schema = self.schema
        found = self.rows()
        if schema.layout == "wide":
            clean = len(found) == len(schema.rows) and all(self._weight(row) == 3 for row in found.values())
            if not clean:
                side_by_side = self.wide()
                if side_by_side is not None and (
                    all(row.certain for row in side_by_side.values()) or len(side_by_side) > len(found)
                ):
                    found = side_by_side
        if len(found) < min(2, len(schema.rows)):
            return None
        self._fill_gaps(found)
        return found

    def score(self, found: dict[int, _Row]) -> tuple[int, int]:
        """How well the schema reads the table: the rows read with certainty, then found."""
        certain = sum(1 for row in found.values() if row.certain and self._weight(row) == 3)
        return certain, len(found)

    def table(self, doc: Document, found: dict[int, _Row]) -> Table:
        schema = self.schema
        cells: dict[tuple[str, str], Cell] = {}
        labels: dict[str, tuple[int, int]] = {}
        uncertain: set[str] = set()
        for row in found.values():
            item = schema.rows[row.index]
            columns = self.c.row_columns[row.index]
            labels[item.key] = (self.tokens[row.first].start, self.tokens[row.after - 1].end)
            values = self._trim(row.values, len(columns))
            # A header word where a number belongs ("行政诉讼" of a padded two-level header) means
            # the values are not aligned with the columns: uncertain, not text the report wrote.
            misread = any(not token.empty and not token.value and self._header_like(token) for token in values)
            if row.certain and len(values) == len(columns) and not misread:
                for column, token in zip(columns, values, strict=True):
                    cells[(item.key, column)] = _cell(schema, item, column, token, doc.text)
                continue
            uncertain.add(item.key)
            label_end = labels[item.key][1]
            start = values[0].start if values else label_end
            end = values[-1].end if values else label_end
            for column in columns:
                cells[(item.key, column)] = Cell(item.key, column, CellStatus.UNCERTAIN, None, "", start, end)
        first = min(row.first for row in found.values())
        if doc.source_format == "pdf":
            # PDF text is rebuilt from glyph positions: a label wrapped round other columns'
            # cells is not found, which is no proof the report lacks the row.  Uncertain.
            at = self.tokens[first].start
            for item in schema.rows:
                if item.key not in labels:
                    uncertain.add(item.key)
                    for column in self.c.row_columns[schema.rows.index(item)]:
                        cells[(item.key, column)] = Cell(item.key, column, CellStatus.UNCERTAIN, None, "", at, at)
        last_row = max(found.values(), key=lambda row: row.after)
        end = max(last_row.values[-1].end if last_row.values else 0, self.tokens[last_row.after - 1].end)
        start = self._header_start(doc, first)
        grids = {token.grid for token in (self.tokens[first], self.tokens[last_row.after - 1]) if token.grid >= 0}
        for grid in grids:
            start, end = min(start, doc.grids[grid].start), max(end, doc.grids[grid].end)
        lines = frozenset(range(doc.line_of(start), doc.line_of(end) + 1))
        return Table(schema, start, end, cells, labels, frozenset(uncertain), lines)

    def _header_start(self, doc: Document, first: int) -> int:
        """The start of the table's header: the lines above its first row that hold only
        header text, or that continue a block of separated rows right above it."""
        tokens = self.tokens
        start = tokens[first].start
        if tokens[first].grid >= 0:
            return start
        top = doc.line_of(start)
        index = first - 1
        while index >= 0:
            line = tokens[index].line
            if not isinstance(line, int) or top - line > _HEADER_LINES:
                break
            group_start = index
            while group_start > 0 and tokens[group_start - 1].line == line:
                group_start -= 1
            group = tokens[group_start : index + 1]
            adjacent = group[0].separated and all(doc.lines[n - 1].strip() for n in range(line + 1, top))
            if not (adjacent or all(self._header_like(token) for token in group)):
                break
            start, top, index = group[0].start, line, group_start - 1
        return start

    def _header_like(self, token: _Token) -> bool:
        if token.value:
            return token.separated
        if token.prose:
            return False
        number, words = token.key
        whole = number + words
        if self.is_column(token) or words in self.c.groups or self._rows_of(number, words):
            return True
        if any(p.fullmatch(words) or p.fullmatch(whole) for p in self.c.header):
            return True
        return len(words) >= 2 and any(words in label for label in self.c.header_words)


def _cell(schema: TableSchema, row: AxisItem, column: str, token: _Token, text: str) -> Cell:
    if token.empty:
        return Cell(row.key, column, CellStatus.BLANK, None, "", token.start, token.end)
    raw = text[token.start : token.end]
    status, value = parse_value(raw, column in schema.decimals, column in schema.signed, schema.units)
    return Cell(row.key, column, status, value, raw, token.start, token.end)


# --- the entry point ------------------------------------------------------------------------


def find_tables(doc: Document, schemas: Sequence[TableSchema]) -> list[Table]:
    """The tables of ``schemas`` found in ``doc``, in text order: at most one per family
    (a schema's ``family``, else its name), read by the schema of the family that reads the
    most rows with certainty (the first declared on a tie)."""
    text = doc.text
    present = [(schema, compiled) for schema in schemas if _present(compiled := _compile(schema), text)]
    if not present:
        return []
    units = _CELL_UNITS | {unit for schema, _ in present for unit in schema.units}
    longest = max(compiled.longest for _, compiled in present)
    tokens = _Tokeniser(doc, units, 2 * longest + 16).run()
    best: dict[str, tuple[tuple[int, int], _Reader, dict[int, _Row]]] = {}
    for schema, compiled in present:
        family = schema.family_name
        if family in best and best[family][0][0] >= len(schema.rows):
            continue  # a schema of the family already read more rows than this one has
        reader = _Reader(compiled, tokens, text_cells=doc.source_format != "pdf")
        found = reader.read()
        if found is None:
            continue
        score = reader.score(found)
        if family not in best or score > best[family][0]:
            best[family] = (score, reader, found)
    tables = [reader.table(doc, found) for _, reader, found in best.values()]
    return sorted(tables, key=lambda table: table.start)
