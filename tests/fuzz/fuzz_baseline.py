"""Fuzzing baseline files: random JSON texts and raw bytes (baselines of the wrong shape,
wrong element types, NaN/Infinity, huge numbers, deep nesting, BOMs, truncation, bytes
that are no UTF-8) given to ``--baseline`` must never crash ``reportlint check``: exit 0,
1 or 2, on exit 2 only ``reportlint: `` lines, each one line; the reports are left as they
were, and a run that fails writes no ``--write-baseline`` file.

A case is the baseline file's bytes; its regression file is ``regressions/baseline-*.json``.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from fuzz_config import REPORTS, check_outcome, run_cli, snapshot
from hypothesis import strategies as st


class Raw(str):
    """JSON written as is (``NaN``, a 5,000-digit number)."""


def json_text(value: Any, ascii_only: bool) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{json_text(str(k), ascii_only)}: {json_text(v, ascii_only)}" for k, v in value.items())
            + "}"
        )
    if isinstance(value, list):
        return "[" + ", ".join(json_text(v, ascii_only) for v in value) + "]"
    return json.dumps(value, ensure_ascii=ascii_only, allow_nan=True)


texts = st.one_of(
    st.text(max_size=10),  # (lone surrogates too: escaped, or bytes that are no UTF-8)
    st.sampled_from(["a.txt", "b.md", "FZ503", "FZ501", "全年共 5 条,依", "", "a\nb", "\u2028", "\ufeff"]),
)
numbers = st.one_of(
    st.integers(-3, 5),
    st.sampled_from([2**63, 10**12, 1_000_000_000, 1_000_000_001]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [Raw("NaN"), Raw("Infinity"), Raw("-Infinity"), Raw("1e400"), Raw("9" * 5000), Raw("-0"), Raw("1E2")]
    ),
)
scalars = st.one_of(texts, numbers, st.booleans(), st.none())
any_json = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


def _or_any(strategy: st.SearchStrategy[Any], odds: int = 8) -> st.SearchStrategy[Any]:
    """Mostly ``strategy``; one time in ``odds`` any JSON value at all."""
    return st.integers(1, odds).flatmap(lambda n: any_json if n == odds else strategy)


def _mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any], odds: int = 6) -> st.SearchStrategy[Any]:
    return st.integers(1, odds).flatmap(lambda n: bad if n == odds else good)


@st.composite
def entries(draw: st.DrawFn) -> Any:
    entry: dict[str, Any] = {}
    for key, values in (
        ("path", st.sampled_from(["a.txt", "b.md", "../a.txt", "A.TXT"])),
        ("code", st.sampled_from(["FZ503", "FZ501", "FZ101", "RL002", ""])),
        ("text", st.sampled_from(["全年共 5 条,依据《", "5 条,依据", "", "某区司法局"])),
        ("count", _mostly(st.integers(1, 3), numbers)),
    ):
        if draw(st.integers(0, 19)) > 0:  # sometimes missing
            entry[key] = draw(_or_any(values))
    if draw(st.integers(0, 5)) == 0:
        entry[draw(st.text(max_size=4))] = draw(any_json)
    return entry


@st.composite
def baseline_values(draw: st.DrawFn) -> Any:
    payload: dict[str, Any] = {}
    if draw(st.integers(0, 9)) > 0:
        payload["version"] = draw(_mostly(st.just(1), st.sampled_from([2, 0, Raw("1.0"), True, "1"])))
    if draw(st.booleans()):
        payload["tool"] = draw(_or_any(st.just("reportlint")))
    if draw(st.integers(0, 9)) > 0:
        payload["findings"] = draw(_or_any(st.lists(_or_any(entries()), max_size=4)))
    return payload if draw(st.integers(0, 9)) > 0 else draw(any_json)


@st.composite
def baseline_files(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["json"] * 10 + ["nesting", "bytes", "truncated"]))
    if kind == "nesting":
        depth = draw(st.sampled_from([10, 900, 990, 5000, 100_000]))
        opener, closer = draw(st.sampled_from([("[", "]"), ('{"a": ', "}")]))
        inner = '{"version": 1, "findings": ' + opener * depth + closer * depth + "}"
        text = draw(st.sampled_from([opener * depth, opener * depth + closer * depth, inner]))
    elif kind == "bytes":
        return draw(st.binary(max_size=64))
    else:
        text = json_text(draw(baseline_values()), draw(st.booleans()))
        if kind == "truncated" and text:
            text = text[: draw(st.integers(0, len(text) - 1))]
    data = text.encode("utf-8", "surrogatepass")
    prefix = draw(
        st.sampled_from([b""] * 8 + [b"\xef\xbb\xbf"] * 3 + [b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe", b" \n"])
    )
    return prefix + data


def check(data: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="reportlint-fuzz-baseline-") as tmp:
        root = Path(tmp).resolve()
        baseline = root / "baseline.json"
        baseline.write_bytes(data)
        for report, content in REPORTS.items():
            (root / report).write_text(content, encoding="utf-8")
        reports = [str(root / report) for report in REPORTS]
        before = snapshot(root)
        argv = ["check", "--baseline", str(baseline), *reports]
        code, _, err = run_cli(argv)
        check_outcome(argv, code, err)
        assert snapshot(root) == before, f"files changed by {argv}"
        written = root / "new.json"
        argv = ["check", "--baseline", str(baseline), "--write-baseline", str(written), *reports]
        code, _, err = run_cli(argv)
        check_outcome(argv, code, err)
        if code == 2:
            assert snapshot(root) == before, f"files changed by {argv}, which failed"
        else:
            after = snapshot(root)
            assert set(after) == {*before, "new.json"}, f"files other than new.json made by {argv}"
            assert all(after[name] == old for name, old in before.items()), f"files changed by {argv}"
            code, _, err = run_cli(["check", "--baseline", str(written), *reports])
            assert code in (0, 1) and not err, f"a baseline just written cannot be read: {err[:300]!r}"


def encode(data: bytes) -> bytes:
    return data


FUZZ_PROPERTIES = [("baseline", baseline_files(), check, encode, ".json")]
