"""Plant one defect into a correct 政府信息公开工作年度报告, deterministically, with its label.

The correct reports are ``fixtures/gongkai/reports/`` (tables as TAB rows, one cell per
line, or Markdown).  Each :class:`Defect` makes one change that reviewers return reports
for (``../shared/reference/gov-info-disclosure-catalogue.md``, GK92x and GK94x, and the
defect lists of ``gov-info-disclosure/``): a wrong 总计, a wrong cell, a wrong 结转下年度, two
cells swapped between columns, a row left out, a 复议 total that does not add up, a prose
figure that disagrees with the table, a "未收到申请" claim over a table with applications.
The tables are edited as text, by their labels, without the product's table reader, so the
planter cannot plant only what the reader already understands.

``python bench/planter_gongkai.py --write DIR`` writes the planted reports and
``labels.jsonl`` to DIR for a look; ``bench/accuracy.py`` plants them in memory.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "fixtures" / "gongkai" / "reports"

# What a cell's text may be: a number, or a blank (the format's fill-ins for "none").
NUMBER = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*$")


@dataclass
class Planted:
    name: str
    text: str
    labels: list[dict[str, Any]]
    source: str
    defect: str


@dataclass(frozen=True)
class Row:
    """The number cells of one table row as (line index, start, end) in the report's lines."""

    label_line: int
    cells: list[tuple[int, int, int]]


def _normal(text: str) -> str:
    return text.replace("(", "（").replace(")", "）").replace(" ", "").replace("\u00a0", "")


def find_row(lines: list[str], label: str, count: int, after: int = 0) -> Row | None:
    """The row whose label cell is ``label`` (matched without spaces and bracket widths),
    with its last ``count`` number cells: on the label's own line (TAB, ``|`` or Markdown),
    else on the following non-empty lines (one cell per line)."""
    wanted = _normal(label)
    for index in range(after, len(lines)):
        line = lines[index]
        cells = _split_cells(line)
        if cells is not None:
            texts = [_normal(line[a:b]) for a, b in cells]
            if wanted not in texts:
                continue
            numbers = [(index, a, b) for a, b in cells if NUMBER.match(line[a:b])]
            if len(numbers) >= count:
                return Row(index, numbers[-count:])
            continue
        if _normal(line) != wanted:
            continue
        numbers: list[tuple[int, int, int]] = []
        for following in range(index + 1, len(lines)):
            text = lines[following]
            if not text.strip():
                continue
            if not NUMBER.match(text):
                break
            start = len(text) - len(text.lstrip())
            numbers.append((following, start, len(text.rstrip())))
            if len(numbers) == count:
                return Row(index, numbers)
        return None
    return None


def _split_cells(line: str) -> list[tuple[int, int]] | None:
    """The cells of a line with TABs or ``|`` between them, as (start, end); None otherwise."""
    separator = "\t" if "\t" in line else "|" if "|" in line else None
    if separator is None:
        return None
    cells, start = [], 0
    for match in re.finditer(re.escape(separator), line):
        cells.append((start, match.start()))
        start = match.end()
    cells.append((start, len(line)))
    return [(a + len(line[a:b]) - len(line[a:b].lstrip()), a + len(line[a:b].rstrip())) for a, b in cells]


def _value(lines: list[str], cell: tuple[int, int, int]) -> float:
    index, start, end = cell
    return float(lines[index][start:end])


def _put(lines: list[str], cell: tuple[int, int, int], value: int) -> None:
    index, start, end = cell
    lines[index] = lines[index][:start] + str(value) + lines[index][end:]


def _label(name: str, line: int, category: str, severity: str = "error", **extra: Any) -> dict[str, Any]:
    return {"file": name, "line": line + 1, "category": category, "severity": severity, **extra}


# -- the defects ---------------------------------------------------------------------------------
# Each takes the report's lines and its name and returns the changed lines and labels, or None
# where the report does not hold what the defect changes.

Plant = Callable[[list[str], str], tuple[list[str], list[dict[str, Any]]] | None]


def _prose_mentions(lines: list[str], words: str, number: int) -> list[int]:
    """Prose lines (not table rows) that state ``number``件 after one of ``words`` in the same
    clause: once the table's cell changes, the prose disagrees with it, and a reviewer
    returns that too."""
    pattern = re.compile(rf"(?:{words})[^。；，,;|\t]{{0,16}}?(?<![0-9]){number}\s*件")
    return [i for i, line in enumerate(lines) if _split_cells(line) is None and pattern.search(line)]


def _change_cell(label: str, column: int, delta: int, words: str = "") -> Plant:
    """Change the ``column``-th of the 7 number cells of 表三's row ``label`` by ``delta``
    (upwards from 0); ``words``: how the prose states that figure."""

    def plant(lines: list[str], name: str) -> tuple[list[str], list[dict[str, Any]]] | None:
        row = find_row(lines, label, 7)
        if row is None:
            return None
        changed = list(lines)
        cell = row.cells[column]
        old = int(_value(lines, cell))
        _put(changed, cell, old + (delta if old + delta >= 0 else abs(delta)))
        labels = [_label(name, cell[0], "table_arithmetic")]
        if words:
            labels += [_label(name, i, "prose_table", "warning") for i in _prose_mentions(lines, words, old)]
        if old == 0 and "收到" in words:  # "未收到政府信息公开申请" over a table that now has one
            none = re.compile(r"未(?:收到|受理)[^。；，]{0,8}?(?:政府信息公开|依申请公开)?申请")
            labels += [_label(name, i, "prose_table") for i, line in enumerate(lines) if none.search(line)]
        return changed, labels

    return plant


def _swap_columns(lines: list[str], name: str) -> tuple[list[str], list[dict[str, Any]]] | None:
    """Two cells of the 予以公开 row written in each other's column (自然人 ↔ 商业企业)."""
    row = find_row(lines, "（一）予以公开", 7)
    if row is None:
        return None
    first, second = row.cells[0], row.cells[1]
    a, b = int(_value(lines, first)), int(_value(lines, second))
    if a == b:
        return None
    changed = list(lines)
    if first[0] == second[0]:  # one line: replace the later cell first, the offsets stay valid
        _put(changed, second, a)
        _put(changed, first, b)
    else:
        _put(changed, first, b)
        _put(changed, second, a)
    # The row's 总计 still adds up; the two columns' （七）总计 do not: that is where the sums
    # fail, and where a reviewer (and any arithmetic) can point.
    total = find_row(lines, "（七）总计", 7)
    if total is None:
        return None
    return changed, [_label(name, total.cells[i][0], "table_arithmetic") for i in (0, 1)]


def _drop_row(lines: list[str], name: str) -> tuple[list[str], list[dict[str, Any]]] | None:
    """The row "4.无正当理由大量反复申请" left out (an older or hand-made table)."""
    row = find_row(lines, "4.无正当理由大量反复申请", 7)
    if row is None or any(_value(lines, cell) for cell in row.cells):
        return None  # (only a row of zeros: leaving out a number would also break the sums)
    last = row.cells[-1][0]
    changed = lines[: row.label_line] + lines[last + 1 :]
    if row.label_line != last:  # one cell per line: also the blank line after the last cell
        while row.label_line < len(changed) and not changed[row.label_line].strip():
            del changed[row.label_line]
    return changed, [_label(name, row.label_line, "table_shape", scope="document")]


def _review_total(lines: list[str], name: str) -> tuple[list[str], list[dict[str, Any]]] | None:
    """表四's 行政复议 总计 one more than its four results."""
    for index, line in enumerate(lines):
        cells = _split_cells(line)
        if cells is None:
            continue
        numbers = [(index, a, b) for a, b in cells if NUMBER.match(line[a:b])]
        if len(numbers) == 15 and len(numbers) == len(cells) - (1 if not line.strip("|").strip() else 0):
            changed = list(lines)
            old = int(_value(lines, numbers[4]))
            _put(changed, numbers[4], old + 1)
            labels = [_label(name, index, "table_arithmetic")]
            mentions = _prose_mentions(lines, "行政复议", old)
            return changed, labels + [_label(name, i, "prose_table", "warning") for i in mentions]
    return None


PROSE_RECEIVED = re.compile(r"(共?(?:新)?收到?政府信息公开申请|新收政府信息公开申请)([0-9]+)(件)")


def _prose_received(lines: list[str], name: str) -> tuple[list[str], list[dict[str, Any]]] | None:
    """The prose says more applications were received than the table has."""
    for index, line in enumerate(lines):
        found = PROSE_RECEIVED.search(line)
        if found and not _split_cells(line):
            changed = list(lines)
            number = int(found.group(2)) + 7
            changed[index] = line[: found.start(2)] + str(number) + line[found.end(2) :]
            return changed, [_label(name, index, "prose_table", "warning")]
    return None


def _claims_none_received(lines: list[str], name: str) -> tuple[list[str], list[dict[str, Any]]] | None:
    """"未收到政府信息公开申请" written over a table with applications (a sentence kept from
    last year's report)."""
    row = find_row(lines, "一、本年新收政府信息公开申请数量", 7)
    if row is None or not _value(lines, row.cells[-1]):
        return None
    for index, line in enumerate(lines):
        heading = re.match(r"^\s*(#+\s*)?（二）依申请公开[^。\n]{0,8}$", line)
        run_in = re.match(r"^\s*（二）依申请公开.*。", line)
        if not (heading or run_in):
            continue
        # Added at the end of the section's first paragraph (or of a run-in heading's line):
        # never before a heading, whose number must stay at its line start.
        body = index if run_in else next((i for i in range(index + 1, len(lines)) if lines[i].strip()), None)
        if body is None:
            return None
        changed = list(lines)
        changed[body] = lines[body].rstrip() + "本年度，本机关未收到政府信息公开申请。"
        return changed, [_label(name, body, "prose_table")]
    return None


@dataclass(frozen=True)
class Defect:
    name: str
    plant: Plant


DEFECTS = (
    Defect("total-wrong", _change_cell("（七）总计", 6, 1, "办结|办理完毕|答复")),
    Defect("cell-wrong", _change_cell("（一）予以公开", 0, 2)),
    Defect("carry-out-wrong", _change_cell("四、结转下年度继续办理", 6, 1, "结转下一?年度|结转至下一?年度|顺延")),
    Defect("new-row-total-wrong", _change_cell("一、本年新收政府信息公开申请数量", 6, -1, "新收|收到|受理")),
    Defect("columns-swapped", _swap_columns),
    Defect("row-missing", _drop_row),
    Defect("review-total-wrong", _review_total),
    Defect("prose-received", _prose_received),
    Defect("claims-none-received", _claims_none_received),
)


def sources() -> list[Path]:
    return sorted(p for p in REPORTS.iterdir() if p.suffix in (".txt", ".md"))


def plant_all() -> list[Planted]:
    """Every defect planted into every correct report that holds what it changes."""
    planted = []
    for path in sources():
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        for defect in DEFECTS:
            name = f"{path.stem}.{defect.name}{path.suffix}"
            result = defect.plant(lines, name)
            if result is None:
                continue
            changed, labels = result
            planted.append(Planted(name, "\n".join(changed), labels, path.name, defect.name))
    return planted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", metavar="DIR", help="write the planted reports and labels.jsonl here")
    args = parser.parse_args(argv)
    planted = plant_all()
    if args.write:
        out = Path(args.write)
        out.mkdir(parents=True, exist_ok=True)
        with (out / "labels.jsonl").open("w", encoding="utf-8") as labels:
            for item in planted:
                (out / item.name).write_text(item.text, encoding="utf-8")
                for label in item.labels:
                    labels.write(json.dumps(label, ensure_ascii=False) + "\n")
    digest = hashlib.sha256("".join(p.text for p in planted).encode()).hexdigest()[:12]
    print(f"{len(planted)} planted reports from {len(sources())} correct ones ({digest})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
