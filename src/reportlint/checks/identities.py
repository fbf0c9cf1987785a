"""The ``identity`` kind: an equation over the cells of a pack's tables that must hold, for
each key of a ``for`` (``T3[NEW, c] + T3[CARRY_IN, c] == T3[TOTAL, c] + T3[CARRY_OUT, c]
for c in columns``), and the solver that puts one finding on one wrong cell instead of a
cascade of broken sums (GK925).

How the culprit is found.  The identity rules of a pack that run on the document (those the
user selected whose conditions hold: ``LintContext.rules``) are expanded into instances,
one per key of their ``for``.  Each instance is linear in the cells, left minus right
= Σ aᵢ·xᵢ + k.  An instance with an unknown cell (a row not aligned, text in a cell, a
missing table) is skipped; the others are satisfied or broken.  Changing a cell that a
satisfied instance contains would break it, so only the other cells of broken instances
are *free*: they may be wrong.  Broken instances that share a free cell form a group, and
for each group the solver looks for the smallest set of free cells (one; else two, else
three in a small group) whose change satisfies every instance of the group, with whole
(where they are whole), non-negative numbers.  When exactly one such set exists, each of its
cells gets one finding, from the rule of lowest code among the broken identities that
contain it (and no other culprit), showing that identity's arithmetic solved for the cell
("总计应为 58+7+0+0+1+0 = 66，表中为 67").  Otherwise (no set, or several that fit equally) each broken instance is
reported at the first cell of its left-hand side: write the total an identity defines on
its left.

A blank cell that is the whole left-hand side of an instance (a 总计 left blank, as some
reports leave the whole 总计 column) is computed from its right-hand side instead of being
read as 0 (``blank_left = "compute"``, the default): that instance is not checked, and the
others use the computed value.  Every other blank cell counts as 0.

Limits: only sums and differences of cells and whole numbers; a group whose explanation
needs more than three cells, or has more free cells than the search takes, is reported
instance by instance.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Any

from reportlint.checks.base import Check, Finding
from reportlint.checks.cells import Cells, Equation, Key, Term, cells_of, expand
from reportlint.checks.conditions import condition_holds, parse_error_reason, parse_program
from reportlint.checks.context import LintContext
from reportlint.rules.model import CONDITION, Field, Rule
from reportlint.tables.model import CellStatus, TableSchema

_MAX_PAIRS = 40  # free cells of a group for which pairs of culprits are tried
_MAX_TRIPLES = 12  # … and triples
_LONG_SUM = 8  # terms of a sum shown with its zeros


def row_name(schema: TableSchema, row: str) -> str:
    """A row as messages name it: its label, after its group's ("（三）不予公开 1.属于国家秘密")."""
    item = next((r for r in schema.rows if r.key == row), None)
    if item is None:
        return row
    group = next((g.label for g in schema.groups if g.key == item.group), "") if item.group else ""
    return f"{group} {item.label}" if group else item.label


def cell_name(schema: TableSchema, row: str, column: str) -> str:
    """A cell as messages name it: its row's name and its column's label ("（七）总计·总计")."""
    column_label = next((c.label for c in schema.columns if c.key == column), column)
    return f"{row_name(schema, row)}·{column_label}"


def show(value: Fraction) -> str:
    """A number as a report writes it: 66, 4068.208."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.6f}".rstrip("0").rstrip(".")


# -- instances -----------------------------------------------------------------------------------


@dataclass(eq=False)
class Instance:
    """One identity for one key of its ``for``: its sides' terms as written (a sum's cells
    one by one), and, in the cells read, left minus right."""

    rule: Rule
    order: int  # the loop key's position
    left: list[Term]
    right: list[Term]
    defines: Key | None = None  # a blank total computed from the right side (not checked)
    coefficients: dict[Key, int] = field(default_factory=dict)  # left minus right, in cells read
    residual: Fraction | None = None  # left minus right; None: unknown
    blank: bool = False  # a blank cell (counted as 0) takes part

    @property
    def broken(self) -> bool:
        return self.residual is not None and self.residual != 0 and self.defines is None

    @property
    def satisfied(self) -> bool:
        return self.residual == 0 and self.defines is None


class Solver:
    """The instances of a pack's identity rules on one document, and their findings."""

    def __init__(self, cells: Cells, rules: Sequence[Rule]) -> None:
        self.cells = cells
        self.tables = cells.tables
        self.instances: list[Instance] = []
        for rule in rules:
            equation: Equation = rule.check.equation
            for order, key in enumerate(equation.keys(self.tables)):
                left = expand(equation.left, equation.loop, key, self.tables)
                right = expand(equation.right, equation.loop, key, self.tables)
                if left is None or right is None or not any(t.key for t in (*left, *right)):
                    continue  # (a table missing, or no cell at all: nothing to check)
                instance = Instance(rule, order, left, right)
                alone = left[0].key if len(left) == 1 and left[0].sign == 1 else None
                if alone is not None and cells.definitions.get(alone, ((), []))[0] == (rule.code, order):
                    instance.defines = alone  # (the instance that defines a blank total)
                self._resolve(instance)
                self.instances.append(instance)

    def status(self, key: Key) -> CellStatus | None:
        return self.cells.status(key)

    def value(self, key: Key) -> Fraction | None:
        """A cell's value (a computed blank total's too)."""
        return self.cells.value(key)

    def _resolve(self, instance: Instance) -> None:
        for term in (*instance.left, *instance.right):
            if term.key is not None:
                term.value = self.value(term.key)
        if instance.defines is not None:
            return
        left, left_value, left_blank = self.cells.combine(instance.left)
        right, right_value, right_blank = self.cells.combine(instance.right)
        coefficients = dict(left)
        for key, coefficient in right.items():
            coefficients[key] = coefficients.get(key, 0) - coefficient
        instance.coefficients = {k: c for k, c in coefficients.items() if c}
        if left_value is not None and right_value is not None:
            instance.residual = left_value - right_value
        instance.blank = left_blank or right_blank

    # -- the culprits ------------------------------------------------------------------------------
    def findings(self) -> dict[str, list[Finding]]:
        """The findings of each rule (by code): one per culprit cell, else per broken instance."""
        broken = [i for i in self.instances if i.broken]
        held = {key for i in self.instances if i.satisfied for key in i.coefficients}
        found: dict[str, list[Finding]] = {}
        for group in self._groups(broken, held):
            free = sorted({key for i in group for key in i.coefficients if key not in held})
            explained = self._explain(group, free)
            if explained is None:
                for instance in group:
                    found.setdefault(instance.rule.code, []).append(self._at_left(instance))
                continue
            for key, wanted in explained.items():
                rule_code, finding = self._at_culprit(group, key, wanted, set(explained))
                found.setdefault(rule_code, []).append(finding)
        return found

    @staticmethod
    def _groups(broken: list[Instance], held: set[Key]) -> list[list[Instance]]:
        """The broken instances in groups linked by the free cells they share."""
        parent = list(range(len(broken)))

        def root(index: int) -> int:
            while parent[index] != index:
                parent[index] = parent[parent[index]]
                index = parent[index]
            return index

        first: dict[Key, int] = {}
        for index, instance in enumerate(broken):
            for key in instance.coefficients:
                if key in held:
                    continue
                if key in first:
                    parent[root(index)] = root(first[key])
                else:
                    first[key] = index
        groups: dict[int, list[Instance]] = {}
        for index, instance in enumerate(broken):
            groups.setdefault(root(index), []).append(instance)
        return list(groups.values())

    def _explain(self, group: list[Instance], free: list[Key]) -> dict[Key, Fraction] | None:
        """The one smallest set of free cells whose new values satisfy every instance of
        ``group`` (cell -> its value); None when there is none or more than one."""
        for size in (1, 2, 3):
            if (size == 2 and len(free) > _MAX_PAIRS) or (size == 3 and len(free) > _MAX_TRIPLES):
                return None
            solutions: list[dict[Key, Fraction]] = []
            for cells in combinations(free, size):
                if not all(any(key in i.coefficients for key in cells) for i in group):
                    continue
                solved = self._solve(group, cells)
                if solved is False:
                    continue
                if solved is True or solutions:  # (several fixes fit: no culprit can be named)
                    return None
                solutions.append(solved)
            if solutions:
                return solutions[0]
        return None

    def _solve(self, group: list[Instance], cells: tuple[Key, ...]) -> dict[Key, Fraction] | bool:
        """New values of ``cells`` satisfying ``group``: the values; False when none fit (or
        one would be negative outside a ``signed`` column, fractional for a whole number, or
        unchanged); True when many do."""
        rows = [[Fraction(i.coefficients.get(key, 0)) for key in cells] + [-(i.residual or 0)] for i in group]
        changes = _gauss(rows, len(cells))
        if changes is None or changes is True:
            return changes is True
        solved: dict[Key, Fraction] = {}
        for key, change in zip(cells, changes, strict=True):
            current = self.value(key)
            if change == 0 or current is None:
                return False
            wanted = current + change
            signed = key[2] in self.tables[key[0]].schema.signed  # (a column of changes: 本年增/减)
            if (wanted < 0 and not signed) or (current.denominator == 1 and wanted.denominator != 1):
                return False
            solved[key] = wanted
        return solved

    # -- the findings ------------------------------------------------------------------------------
    def _location(self, key: Key) -> tuple[int, int]:
        table = self.tables[key[0]]
        found = table.cell(key[1], key[2])
        return (found.start, found.end) if found is not None else (table.start, table.start)

    def _name(self, key: Key) -> str:
        return cell_name(self.tables[key[0]].schema, key[1], key[2])

    def _shown(self, key: Key) -> str:
        if key not in self.cells.definitions and self.status(key) is CellStatus.BLANK:
            return "空白"
        value = self.value(key)
        return "未知" if value is None else show(value)

    def _values(self, key: Key, expected: str, actual: str, difference: Fraction, blank: bool) -> dict[str, Any]:
        return {
            "table": self.tables[key[0]].schema.title,
            "cell": self._name(key),
            "expected": expected,
            "actual": actual,
            "difference": show(difference),
            "blank_note": "（空白单元格按 0 计算）" if blank else "",
        }

    def _at_culprit(self, group: list[Instance], key: Key, wanted: Fraction, culprits: set[Key]) -> tuple[str, Finding]:
        """The finding at one culprit cell: from the broken identity of lowest code containing
        it (among those that contain no other culprit, when there are such), showing its
        arithmetic solved for the cell."""
        containing = [i for i in group if key in i.coefficients]

        def others(instance: Instance) -> bool:
            return any(k in culprits and k != key for k in instance.coefficients)

        def preference(instance: Instance) -> tuple[Any, ...]:
            return (others(instance), instance.rule.code, _solved_for(instance, key) is None, instance.order)

        instance = min(containing, key=preference)
        expected = show(wanted)
        terms = _solved_for(instance, key)
        if terms is not None and not others(instance):
            expected = _arithmetic(terms, wanted)
        current = self.value(key) or Fraction(0)
        start, end = self._location(key)
        values = self._values(key, expected, self._shown(key), current - wanted, instance.blank)
        return instance.rule.code, Finding(start, end, values)

    def _at_left(self, instance: Instance) -> Finding:
        """A broken instance no single fix explains, at the first cell of its left side."""
        cells = [term for term in instance.left if term.key is not None] or [
            term for term in instance.right if term.key is not None
        ]
        key = cells[0].key
        assert key is not None
        start, end = self._location(key)
        left_value = _side_value(instance.left)
        right_value = _side_value(instance.right)
        if len(instance.left) == 1 and instance.left[0].key is not None:
            actual = self._shown(instance.left[0].key)
        else:
            actual = _arithmetic([(t.sign, t.value) for t in instance.left], left_value)
        expected = _arithmetic([(t.sign, t.value) for t in instance.right], right_value)
        values = self._values(key, expected, actual, left_value - right_value, instance.blank)
        if len(instance.left) > 1:
            names = [(t.sign, self._name(t.key) if t.key else show(t.value or Fraction(0))) for t in instance.left]
            values["cell"] = _joined(names)
        return Finding(start, end, values)


def _side_value(terms: list[Term]) -> Fraction:
    return sum((t.sign * (t.value or Fraction(0)) for t in terms), Fraction(0))


def _solved_for(instance: Instance, key: Key) -> list[tuple[int, Fraction | None]] | None:
    """The terms that give ``key`` (a cell written once in the instance): the other side's,
    less the other terms of its own side; None when the cell is not one term of it."""
    sides = [(instance.left, instance.right), (instance.right, instance.left)]
    for own, other in sides:
        here = [term for term in own if term.key == key]
        if not here:
            continue
        if len(here) != 1 or any(term.key == key for term in other):
            return None
        sign = here[0].sign
        terms = [(sign * term.sign, term.value) for term in other]
        terms += [(-sign * term.sign, term.value) for term in own if term is not here[0]]
        return terms
    return None


def _joined(parts: list[tuple[int, str]]) -> str:
    text = ""
    for index, (sign, part) in enumerate(parts):
        if index == 0:
            text = part if sign > 0 else f"-{part}"
        else:
            text += ("+" if sign > 0 else "-") + part
    return text


def _arithmetic(terms: list[tuple[int, Fraction | None]], value: Fraction) -> str:
    """“58+7+0+0+1+0 = 66” (one term: its value); a long sum without its zeros:
    “2+16+1+30+4+2 = 55（其余各项为0）”."""
    if len(terms) == 1 and terms[0][0] > 0:
        return show(value)
    note = ""
    if len(terms) > _LONG_SUM and any(v == 0 for _, v in terms):
        kept = [(sign, v) for sign, v in terms if v != 0]
        terms, note = kept or terms[:1], "（其余各项为0）"
    return f"{_joined([(sign, show(v) if v is not None else '?') for sign, v in terms])} = {show(value)}{note}"


def _gauss(rows: list[list[Fraction]], unknowns: int) -> list[Fraction] | bool | None:
    """The solution of the linear system ``rows`` (coefficients, then the right-hand side):
    the values, None when it has none, True when it has many."""
    rows = [row[:] for row in rows]
    pivots: list[int] = []
    rank = 0
    for column in range(unknowns):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        lead = rows[rank][column]
        rows[rank] = [value / lead for value in rows[rank]]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        pivots.append(column)
        rank += 1
    if any(all(v == 0 for v in row[:unknowns]) and row[unknowns] != 0 for row in rows):
        return None
    if rank < unknowns:
        return True
    return [rows[index][unknowns] for index in range(unknowns)]


# -- the check kind --------------------------------------------------------------------------------


def _takes_part(ctx: LintContext, rule: Rule) -> bool:
    """Whether the engine runs ``rule`` on this document (as engine.lint does: not skipped
    as unfinished, its ``applies_if`` true)."""
    if rule.if_unfinished == "skip" and ctx.unfinished(rule.pack):
        return False
    return rule.condition is None or condition_holds(ctx, rule.pack, rule.condition)


def identity_findings(ctx: LintContext, rule: Rule) -> list[Finding]:
    """The findings of identity rule ``rule``, worked out for all the identity rules of its
    pack in the run at once (once per document and pack)."""
    pack = rule.pack
    key = ("identity", id(pack))
    found = ctx.memo.get(key)
    if found is None:
        fellows = [r for r in ctx.rules if r.pack is pack and r.check_kind == Identity.kind]
        # (run on its own, e.g. a rule's examples: the rule alone)
        fellows = [r for r in fellows if r is rule or _takes_part(ctx, r)] if rule in fellows else [rule]
        fellows.sort(key=lambda r: r.code)
        found = ctx.memo[key] = Solver(cells_of(ctx, pack), fellows).findings()
    return found.get(rule.code, [])


class Identity(Check):
    """``identity``: an equation over table cells, ``left == right``, each side cells,
    ``sum(…)`` and whole numbers added and subtracted, checked for each key of its ``for``.
    A broken instance is reported only when both sides are known; with the pack's other
    identity rules, one wrong cell gives one finding, at that cell (see the module's doc)."""

    kind = "identity"
    params = {"identity": CONDITION, "blank_left": Field(str, choices=("compute", "zero"))}
    required = ("identity",)
    placeholders = frozenset({"table", "cell", "expected", "actual", "difference", "blank_note"})
    scopes = frozenset({"document"})

    def compile(self, params: dict[str, Any]) -> None:
        from lark.exceptions import LarkError

        try:
            program = parse_program(params["identity"], self.rule.pack, loops=True)
            self.equation = Equation.of(program)
        except LarkError as exc:
            raise self.fail("identity", f"无法解析“identity”的等式：{parse_error_reason(exc)}") from None
        except ValueError as exc:
            raise self.fail("identity", f"“identity”{exc}") from None
        self.blank_left = params.get("blank_left", "compute")

    def run(self, ctx: LintContext) -> Iterator[Finding]:
        yield from identity_findings(ctx, self.rule)
