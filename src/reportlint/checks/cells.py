"""The cells of a report's tables as the condition language and the table kinds read them.

A rule names a table by its name in tables.toml (``T3``); the report's table of that name is
read, or else its table of that family in another format version (``T3-2019``).  A cell is
a number, 0 when blank, unknown (None) when its row is missing or not aligned or it holds
text.  A blank cell that is the whole left-hand side of one of the pack's identities (a
总计 left blank: ``T3[r, SUM] == sum(T3[r, NP..OTH])``) is computed from the right-hand side
instead (``blank_left = "compute"``, the identity kind's default): a report that leaves its
总计 column blank is read as if it had written the sums (上海 2019), by the identities, by
``table-prose`` and by conditions alike.

The identities' programs are parsed by :mod:`reportlint.checks.conditions`; their cells are
calls of two functions a rule cannot name, ``$cell`` and ``$sum`` (see there).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from reportlint.checks.context import LintContext
from reportlint.tables.model import CellStatus, Table, TableSchema

Program = tuple[Any, ...]
# The functions cells and sums compile to: not names a rule can write.
CELL, SUM = "$cell", "$sum"
TABLE_FUNCTIONS = frozenset({CELL, SUM})
Key = tuple[str, str, str]  # (table, row, column)
SHAPE = "应为一个等式“左边 == 右边”，两边是单元格（T3[NEW, SUM]）、sum(…) 和整数的加减"


def single_term(program: Program) -> Program:
    """``program`` without the one-operand or/and/arith nodes around a single term."""
    while program[0] in ("or", "and", "arith") and len(program[1]) == 1:
        program = program[1][0]
    return program


def _table_calls(program: Any) -> Iterator[Program]:
    """The cell and sum calls anywhere in ``program``."""
    if not isinstance(program, tuple) or not program:
        return
    if program[0] == "call" and program[1] in TABLE_FUNCTIONS:
        yield program
        return
    for part in program if not isinstance(program[0], str) else program[1:]:  # (a node, or a tuple of nodes)
        if isinstance(part, tuple):
            yield from _table_calls(part)


def cell_uses(program: Program) -> Iterator[tuple[str, str, Program]]:
    """(table, axis, span program) of each row and column of each cell and sum of ``program``."""
    for call in _table_calls(program):
        arguments = call[2]
        yield arguments[0][1], "row", arguments[1]
        yield arguments[0][1], "column", arguments[2]


def find_table(tables: dict[str, Table], name: str) -> Table | None:
    """The table ``name`` of a report's ``tables`` (LintContext.tables), else its table of
    the family ``name`` in another format version (tables.toml ``family``: T3-2019 for T3):
    the rows and columns both versions share are read alike."""
    found = tables.get(name)
    if found is None:
        found = next((table for table in tables.values() if table.schema.family_name == name), None)
    return found


def span_keys(keys: Sequence[str], span: Any) -> tuple[str, ...]:
    """The keys ``span`` names among ``keys`` (a schema's row or column keys, in order): one
    key, or ``(first, last)`` and the keys between them; () when it names none."""
    if isinstance(span, str):
        return (span,) if span in keys else ()
    if isinstance(span, tuple) and len(span) == 2 and span[0] in keys and span[1] in keys:
        first, last = keys.index(span[0]), keys.index(span[1])
        return tuple(keys[first : last + 1]) if first <= last else ()
    return ()


def has_cell(schema: TableSchema, row: str, column: str) -> bool:
    """Whether the schema's row has the column (a row may have only some of the table's)."""
    item = next((r for r in schema.rows if r.key == row), None)
    return item is not None and column in schema.column_keys and (not item.columns or column in item.columns)


def exact(value: int | float) -> Fraction:
    """A cell's number as an exact fraction (4068.208 is 4068208/1000, not its float)."""
    return Fraction(value) if isinstance(value, int) else Fraction(str(value))


def plain(value: Fraction) -> int | float:
    """An exact number as the language's values are: an int when whole."""
    return value.numerator if value.denominator == 1 else float(value)


# -- identities -----------------------------------------------------------------------------------


def linear_terms(program: Program, sign: int = 1) -> Iterator[tuple[int, Program]]:
    """The signed terms of one side: cells, sums and whole numbers; ValueError otherwise."""
    program = single_term(program)
    op = program[0]
    if op == "arith":
        operators = ("+", *program[2])
        for operand, operator_ in zip(program[1], operators, strict=True):
            yield from linear_terms(operand, sign if operator_ == "+" else -sign)
    elif (op == "call" and program[1] in TABLE_FUNCTIONS) or (op == "const" and type(program[1]) is int):
        yield sign, program
    else:
        raise ValueError(SHAPE)


@dataclass(frozen=True)
class Equation:
    """An identity's equation: its loop (variable and keys: ("axis", "columns"), ("names",
    keys) or None) and the signed terms of each side."""

    loop: str | None
    over: tuple[Any, ...] | None
    left: tuple[tuple[int, Program], ...]
    right: tuple[tuple[int, Program], ...]

    @classmethod
    def of(cls, program: Program) -> Equation:
        """The equation of a parsed ``identity`` (ValueError: not an equation of cells)."""
        loop = over = None
        if program[0] == "for":
            loop, over, program = program[1], program[2], program[3]
        program = single_term(program)
        if program[0] != "compare" or program[2] != "==":
            raise ValueError(SHAPE)
        left, right = tuple(linear_terms(program[1])), tuple(linear_terms(program[3]))
        if not any(term[1][0] == "call" for term in (*left, *right)):
            raise ValueError(SHAPE)
        return cls(loop, over, left, right)

    def keys(self, tables: dict[str, Table]) -> list[Any]:
        """The values of the loop variable in this document ([None] without a loop): the
        rows or columns of the first table the variable indexes ([] when it is not found)."""
        if self.loop is None or self.over is None:
            return [None]
        if self.over[0] == "names":
            return list(self.over[1])
        axis = "row" if self.over[1] == "rows" else "column"
        for _, program in (*self.left, *self.right):
            for table, where, span in cell_uses(program):
                found = find_table(tables, table) if where == axis and span == ("var", self.loop) else None
                if found is not None:
                    return list(found.schema.row_keys if axis == "row" else found.schema.column_keys)
        return []


@dataclass(eq=False)
class Term:
    """One term of a side of an identity's instance: a cell (``key``) or a whole number."""

    sign: int
    key: Key | None
    value: Fraction | None  # None: unknown


def _bound(program: Program, loop: str | None, value: Any) -> Any:
    return value if program[0] == "var" and program[1] == loop else program[1]


def expand(
    terms: Sequence[tuple[int, Program]], loop: str | None, key: Any, tables: dict[str, Table]
) -> list[Term] | None:
    """The terms of one side for one loop key, a sum's cells one by one (their values as
    read: blank 0); None when a table is missing or a span names nothing."""
    found: list[Term] = []
    for sign, program in terms:
        if program[0] == "const":
            found.append(Term(sign, None, Fraction(program[1])))
            continue
        table_name, rows, columns = (_bound(argument, loop, key) for argument in program[2])
        spanned = _spanned(tables, table_name, rows, columns)
        if spanned is None:
            return None
        table, row_keys, column_keys = spanned
        schema = table.schema
        for row in row_keys:
            for column in column_keys:
                if not has_cell(schema, row, column):
                    if program[1] == SUM:
                        continue  # (a row without this column: not part of the sum)
                    found.append(Term(sign, (table.name, row, column), None))
                    continue
                number = table.value(row, column)
                found.append(Term(sign, (table.name, row, column), None if number is None else exact(number)))
    return found


Linear = tuple[dict[Key, int], Fraction | None, bool]  # combination of read cells, value, a blank among them


class Cells:
    """The cells of one pack's tables in one document: the numbers read, blank cells 0,
    blank totals computed from the identities that define them (see the module's doc).
    ``definitions``: a computed cell -> (the rule code and loop position of the identity
    instance that defines it, the terms of its right-hand side)."""

    def __init__(self, tables: dict[str, Table], identities: Sequence[tuple[str, Equation, bool]]) -> None:
        self.tables = tables
        self.definitions: dict[Key, tuple[tuple[str, int], list[Term]]] = {}
        for code, equation, compute in identities:
            if not compute:
                continue
            for order, key in enumerate(equation.keys(tables)):
                left = expand(equation.left, equation.loop, key, tables)
                if left is None or len(left) != 1 or left[0].key is None or left[0].sign != 1:
                    continue
                if self.status(left[0].key) is not CellStatus.BLANK or left[0].key in self.definitions:
                    continue
                right = expand(equation.right, equation.loop, key, tables)
                if right is not None:
                    self.definitions[left[0].key] = ((code, order), right)
        self._linear: dict[Key, Linear] = {}

    def status(self, key: Key) -> CellStatus | None:
        table = self.tables.get(key[0])
        found = None if table is None else table.cell(key[1], key[2])
        return None if found is None else found.status

    def linear(self, key: Key, busy: frozenset[Key] = frozenset()) -> Linear:
        """A cell as a combination of the cells read that it stands for (itself; a computed
        total: the cells of its definition), its value, and whether a blank cell counted as
        0 is among them."""
        found = self._linear.get(key)
        if found is not None:
            return found
        definition = self.definitions.get(key)
        if definition is None or key in busy:
            table = self.tables.get(key[0])
            number = table.value(key[1], key[2]) if table is not None and has_cell(table.schema, *key[1:]) else None
            value = None if number is None or key in busy else exact(number)
            found = ({key: 1}, value, definition is None and self.status(key) is CellStatus.BLANK)
        else:
            found = self.combine(definition[1], busy | {key})
        if not busy:
            self._linear[key] = found
        return found

    def combine(self, terms: list[Term], busy: frozenset[Key] = frozenset()) -> Linear:
        """The sum of ``terms`` (each with its sign) as :meth:`linear` gives a cell's."""
        coefficients: dict[Key, int] = {}
        total: Fraction | None = Fraction(0)
        blank = False
        for term in terms:
            parts, value, is_blank = ({}, term.value, False) if term.key is None else self.linear(term.key, busy)
            for key, coefficient in parts.items():
                coefficients[key] = coefficients.get(key, 0) + term.sign * coefficient
            total = None if total is None or value is None else total + term.sign * value
            blank = blank or is_blank
        return {k: c for k, c in coefficients.items() if c}, total, blank

    def value(self, key: Key) -> Fraction | None:
        """A cell's value (a computed total's too); None when unknown."""
        return self.linear(key)[1]

    def number(self, table_name: str, row: Any, column: Any) -> int | float | None:
        """The value of one cell for the condition language (None: unknown)."""
        table = find_table(self.tables, table_name)
        if table is None or not isinstance(row, str) or not isinstance(column, str):
            return None
        value = self.value((table.name, row, column))
        return None if value is None else plain(value)

    def total(self, table_name: str, rows: Any, columns: Any) -> int | float | None:
        """The sum of the cells ``rows`` × ``columns`` (spans, see :func:`span_keys`), the
        cells a row does not have left out; None when a cell is unknown or a span names nothing."""
        spanned = _spanned(self.tables, table_name, rows, columns)
        if spanned is None:
            return None
        table, row_keys, column_keys = spanned
        keys = [(table.name, r, c) for r in row_keys for c in column_keys if has_cell(table.schema, r, c)]
        value = self.combine([Term(1, key, None) for key in keys])[1]
        return None if value is None else plain(value)


def cells_of(ctx: LintContext, pack: Any) -> Cells:
    """The cells of ``pack``'s tables in the document (once per document and pack)."""
    key = ("cells", id(pack))
    found = ctx.memo.get(key)
    if found is None:
        identities = [
            (rule.code, rule.check.equation, rule.check.blank_left == "compute")
            for rule in sorted(getattr(pack, "rules", ()), key=lambda rule: rule.code)
            if rule.check_kind == "identity" and getattr(rule.check, "equation", None) is not None
        ]
        found = ctx.memo[key] = Cells(ctx.tables(pack), identities)
    return found


def _spanned(tables: Any, table_name: str, rows: Any, columns: Any) -> tuple[Any, list[str], list[str]] | None:
    """The table named ``table_name`` (or of its family) and the row and column keys the
    spans name; None when the table is missing or a span names nothing."""
    table = find_table(tables, table_name)
    if table is None:
        return None
    row_keys = span_keys(table.schema.row_keys, rows)
    column_keys = span_keys(table.schema.column_keys, columns)
    if not row_keys or not column_keys:
        return None
    return table, row_keys, column_keys
