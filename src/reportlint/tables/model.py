"""The table model: what a pack declares about a table (``TableSchema``) and what was read
from one report (``Table`` of ``Cell``).

A pack declares its tables in ``tables.toml`` beside its ``pack.toml`` (read by
``reportlint.tables.schema``): the rows and columns by key, each with its canonical label
and the variants real reports write, and the anchors that tell the table is there.
``reportlint.tables.extract`` finds each table in a ``Document`` (text renderings,
Markdown, a .docx grid) and reads one ``Cell`` per (row, column) it can place.

Values: a number cell holds an ``int`` (or a ``float`` where the column allows decimals);
a blank cell (empty, "/", "-", "—", "无", "不适用", NBSP) counts as 0 in arithmetic and is
reported once per table as info; a cell whose row could not be aligned with certainty is
UNCERTAIN and its value is unknown (``None``), as is a TEXT cell and a cell of a row the
report lacks.  Arithmetic over an unknown value is unknown: no identity is reported on it.
"0" is a number, not a blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class CellStatus(Enum):
    NUMBER = "number"  # a number was read
    BLANK = "blank"  # empty, "/", "-", "—", "无", "不适用", NBSP: counts as 0
    TEXT = "text"  # something else ("若干", "3.5" in a column of counts): unknown
    UNCERTAIN = "uncertain"  # the row's values could not be aligned with its columns: unknown


@dataclass(frozen=True, slots=True)
class AxisItem:
    """A row, column or row group of a schema: its key (``NEW``, ``SUM``, ``R3``), its
    canonical label (the 2021 format's wording) and the other wordings that mean it (regular
    expressions, matched in full against a cell after normalisation: widths of brackets,
    digits and punctuation, spaces, the label's own number such as "（一）" or "1.")."""

    key: str
    label: str
    variants: tuple[str, ...] = ()
    group: str = ""  # e.g. "R3" for （三）不予公开 1.…8.; "" for none
    # Rows only: the column keys this row has, when not all of the table's (表二's blocks:
    # 规章 has 本年制发件数/本年废止件数/现行有效件数, 行政许可 only 本年处理决定数量).
    columns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TableSchema:
    """One table a pack declares (``[tables.<name>]`` in tables.toml)."""

    name: str  # "T3": how rules refer to it
    title: str  # "收到和处理政府信息公开申请情况": how messages name it
    anchors: tuple[str, ...]  # regular expressions that must all occur for the table to be there
    rows: tuple[AxisItem, ...]
    columns: tuple[AxisItem, ...]
    decimals: tuple[str, ...] = ()  # column keys whose values may have decimals (万元)
    version: str = ""  # e.g. "2021", "2019-trial": which format the schema belongs to
    # The table this schema is a version of ("T3" for T3 and T3-2019; "" = its name): a
    # report holds at most one table of a family, read by the schema that fits it best.
    family: str = ""
    # Regular expressions for the header and caption cells that are neither a row nor a
    # column label ("申请人情况", the caption "（本列数据的勾稽关系为…）"), matched in full
    # like labels: the lines above the first row that hold only such cells (and column
    # labels) belong to the table.
    header: tuple[str, ...] = ()
    # "rows": each row's label is followed by its values.  "wide": the rows may also stand
    # side by side, their labels in the header and one run of rows × columns values after
    # it, row by row (表四: 行政复议 | 行政诉讼·未经复议直接起诉 | 行政诉讼·复议后起诉).
    layout: str = "rows"
    groups: tuple[AxisItem, ...] = ()  # the row groups rows name in ``group`` (label cells only)
    signed: tuple[str, ...] = ()  # column keys whose values may be negative (本年增/减)
    units: tuple[str, ...] = ()  # units a value may carry ("元" in "251000元")

    def row(self, key: str) -> AxisItem:
        return next(item for item in self.rows if item.key == key)

    def column(self, key: str) -> AxisItem:
        return next(item for item in self.columns if item.key == key)

    def group(self, key: str) -> AxisItem:
        return next(item for item in self.groups if item.key == key)

    @property
    def row_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.rows)

    @property
    def column_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.columns)

    @property
    def family_name(self) -> str:
        return self.family or self.name

    def row_columns(self, key: str) -> tuple[str, ...]:
        """The column keys of row ``key``: its own, else all the table's."""
        return self.row(key).columns or self.column_keys

    def group_rows(self, group: str) -> tuple[str, ...]:
        """The keys of the rows in ``group``, in order (``R3`` → ``R3_1`` … ``R3_8``)."""
        return tuple(item.key for item in self.rows if item.group == group)


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell read from a report.  ``start``/``end``: offsets into ``Document.text`` of
    the cell's text (for a blank cell with nothing written, an empty range where the cell
    is: after the previous separator on its line, else at the start of the line of the
    separator that closes it, or a Word cell's start).  The cells of an UNCERTAIN row all
    span the values read after its label (an empty range after the label when none)."""

    row: str
    column: str
    status: CellStatus
    value: int | float | None  # None unless NUMBER (BLANK counts as 0 through Table.value)
    raw: str
    start: int
    end: int


@dataclass(eq=False)
class Table:
    """One table found in a report, by its schema."""

    schema: TableSchema
    # Offsets into Document.text of the whole table: its first header or label cell to its
    # last cell (a Word table: the whole grid).
    start: int
    end: int
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    # Row key -> (start, end) of its label in the text, for the rows that were found.
    row_labels: dict[str, tuple[int, int]] = field(default_factory=dict)
    uncertain_rows: frozenset[str] = frozenset()
    # Text lines the table covers (1-based): structure rules skip them (a row label such as
    # "一、本年新收政府信息公开申请数量" is not a heading).
    lines: frozenset[int] = frozenset()

    @property
    def name(self) -> str:
        return self.schema.name

    @property
    def missing_rows(self) -> tuple[str, ...]:
        """The rows the report lacks: not found, and not merely unreadable (uncertain)."""
        return tuple(
            key for key in self.schema.row_keys if key not in self.row_labels and key not in self.uncertain_rows
        )

    def cell(self, row: str, column: str) -> Cell | None:
        return self.cells.get((row, column))

    def value(self, row: str, column: str) -> int | float | None:
        """The number in (row, column); 0 for a blank cell; None when unknown (uncertain or
        missing row, text in the cell)."""
        found = self.cells.get((row, column))
        if found is None or row in self.uncertain_rows:
            return None
        if found.status is CellStatus.BLANK:
            return 0
        return found.value if found.status is CellStatus.NUMBER else None

    @property
    def blank_cells(self) -> list[Cell]:
        return [c for c in self.cells.values() if c.status is CellStatus.BLANK]
