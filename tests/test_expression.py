"""The condition language of ``expr`` rules: compiled closures agree with a tuple
interpreter (the definition, below) on every program shape and on null and type mismatches."""

from __future__ import annotations

import itertools
import random
from typing import Any

from conftest import shipped_and_test_rules
from reportlint.checks.conditions import (
    COMPARE,
    FUNCTION_NAMES,
    Program,
    compile_program,
    expression_parser,
    to_program,
)


def evaluate(program: Program, functions: dict[str, Any], variables: dict[str, Any]) -> Any:
    """Value of ``program``: ``and``/``or``/``not`` use Python truthiness, a comparison
    with null (None) or of mismatched types is false, arithmetic on null is null."""
    op = program[0]
    if op == "const":
        return program[1]
    if op == "var":
        return variables.get(program[1])
    if op == "call":
        return functions[program[1]](*[evaluate(a, functions, variables) for a in program[2]])
    if op == "not":
        return not evaluate(program[1], functions, variables)
    if op == "and":
        operands = program[1]
        if len(operands) == 1:
            return evaluate(operands[0], functions, variables)
        return all(evaluate(a, functions, variables) for a in operands)
    if op == "or":
        operands = program[1]
        if len(operands) == 1:
            return evaluate(operands[0], functions, variables)
        return any(evaluate(a, functions, variables) for a in operands)
    if op == "compare":
        left = evaluate(program[1], functions, variables)
        right = evaluate(program[3], functions, variables)
        if left is None or right is None:
            return False
        try:
            return COMPARE[program[2]](left, right)
        except TypeError:
            return False
    if op == "arith":
        values = [evaluate(a, functions, variables) for a in program[1]]
        value = values[0]
        for operator_, operand in zip(program[2], values[1:], strict=True):
            if value is None or operand is None:
                return None
            value = value + operand if operator_ == "+" else value - operand
        return value
    raise ValueError(f"unknown program node {op!r}")


CONDITIONS = [
    "heading_year() != report_year + 1",
    'report_year and not heading_year() and not heading_mentions("下一年度")',
    "signature_date() > deadline()",
    'not section("plan") or count("的") >= 3 - 1',
    'kind == "政府" and (title_lines() > 1 or has_title())',
    "report_year - 1 == 2023 or report_year + 1 < heading_year()",
    "not not true and false or 7",
    'mentions(report_year) and mentions("第一责任人")',
]

VALUES: list[Any] = [None, 0, 1, 2023, 2024, 2025, 20250301, True, False, "", "政府", "x"]


def _constant(value: Any) -> Any:
    return lambda *args: value


def _random_functions(rng: random.Random) -> dict[str, Any]:
    return {name: _constant(rng.choice(VALUES)) for name in sorted(FUNCTION_NAMES)}


def _outcome(run: Any, *args: Any) -> Any:
    """The value, or the type of the error (both raise alike, e.g. "x" + 1)."""
    try:
        return run(*args)
    except TypeError as error:
        return type(error)


def test_compiled_conditions_agree_with_the_interpreter() -> None:
    rng = random.Random(21)
    shipped = [r.params["when"] for r in shipped_and_test_rules() if r.check_kind == "expr"]
    for source in CONDITIONS + shipped:
        program = to_program(expression_parser().parse(source))
        compiled = compile_program(program)
        for _ in range(300):
            functions = _random_functions(rng)
            variables = {"report_year": rng.choice(VALUES), "kind": rng.choice(VALUES)}
            expected = _outcome(evaluate, program, functions, variables)
            assert _outcome(compiled, functions, variables) == expected, source


def test_null_and_mismatched_comparisons_are_false_and_null_arithmetic_is_null() -> None:
    for left, right in itertools.product([None, 1, "a"], repeat=2):
        program = to_program(expression_parser().parse("x < y"))
        expected = evaluate(program, {}, {"x": left, "y": right})
        assert compile_program(program)({}, {"x": left, "y": right}) == expected
    assert compile_program(to_program(expression_parser().parse("x + 1")))({}, {"x": None}) is None
    assert compile_program(to_program(expression_parser().parse("x < 1")))({}, {"x": None}) is False
