"""Fuzzing configuration files: random reportlint.toml / pyproject.toml texts (the real
settings with values of every type and shape, junk keys, nested tables, huge and NaN
numbers, newlines and NULs in strings, broken TOML, deep nesting) must never crash
``reportlint check``: exit 0, 1 or 2, on exit 2 only ``reportlint: `` lines, each one
line, and the reports left as they were.

A case is (TOML text, config file name, extra arguments); its regression file
(``regressions/config-*.toml``) is the text under a first line naming the other two,
which :func:`decode` reads back.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from toml_text import Raw, toml_key, toml_value

from reportlint.engine.config import DUPLICATE_FIELDS, FIELDS, PROFILE_FIELDS, find_config
from reportlint.frontends.cli import main

Case = tuple[str, str, tuple[str, ...]]
HEADER = "# reportlint-fuzz:"
REPORTS = {
    "a.txt": "某区司法局2024年度法治政府建设情况报告\n\n全年共 5 条,依据《行政处罚法》处理。\n",
    "b.md": "# 某县人民政府2024年度法治政府建设情况报告\n\n一、主要举措\n\n开展培训3次。\n",
}
ARGUMENTS = [
    (),
    ("--format", "json"),
    ("--statistics",),
    ("--duplicates",),
    ("--format", "sarif"),
    ("--fail-on", "hint"),
]

# -- running the command line in-process --------------------------------------------------


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``reportlint.frontends.cli.main(argv)`` with its output captured; AssertionError for an
    exception that escapes it (SystemExit included)."""
    out, err = io.StringIO(), io.StringIO()
    find_config.cache_clear()  # a temporary folder's name may come again
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except BaseException as exc:  # anything escaping main is the failure looked for
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise AssertionError(f"exception escaped reportlint {argv[0]}: {type(exc).__name__}: {exc}"[:2000]) from exc
    return code, out.getvalue(), err.getvalue()


def check_outcome(argv: list[str], code: int, err: str) -> None:
    """Exit 0, 1 or 2; on 2, something said, every line ``reportlint: …`` and truly one line."""
    assert code in (0, 1, 2), f"exit code {code!r} for {argv}"
    if code != 2:
        return
    assert err, f"exit 2 without a word on stderr for {argv}"
    assert err.endswith("\n"), f"stderr does not end a line: {err[-200:]!r}"
    lines = err[:-1].split("\n")
    for line in lines:
        assert line.startswith("reportlint: "), f"stderr line without 'reportlint: ': {line[:300]!r}"
        assert line.splitlines() == [line], f"stderr line splits: {line[:300]!r}"


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- TOML text ----------------------------------------------------------------------------




def toml_document(entries: list[tuple[str, Any, str]], prefix: tuple[str, ...]) -> str:
    """Settings as TOML: a table value as an inline table, a ``[section]`` or dotted keys."""
    top: list[str] = []
    sections: list[str] = []
    base = ".".join(toml_key(p) for p in prefix)
    for key, value, style in entries:
        if isinstance(value, dict) and style == "section":
            header = f"{base}.{toml_key(key)}" if base else toml_key(key)
            body = "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in value.items())
            sections.append(f"\n[{header}]\n{body}")
        elif isinstance(value, dict) and style == "dotted" and value:
            top.extend(f"{toml_key(key)}.{toml_key(k)} = {toml_value(v)}\n" for k, v in value.items())
        else:
            top.append(f"{toml_key(key)} = {toml_value(value)}\n")
    head = f"[{base}]\n" if base else ""
    return head + "".join(top) + "".join(sections)


# -- strategies ---------------------------------------------------------------------------

printable = st.characters(exclude_categories=("Cs",))
texts = st.one_of(
    st.text(printable, max_size=12),
    st.sampled_from(["", "\n", "a\nb", "a\u0000b", "\u2028", "\r", "x\x1b[31m", "很" * 300, "部门\n"]),
)
huge_ints = st.sampled_from([2**63 - 1, -(2**63), 10**30, -1, 0])
floats = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e300, 1e-300, -0.0, 1024.0, 1024.0001]),
)
dates = st.sampled_from([Raw("2025-03-01"), Raw("1979-05-27T07:32:00Z"), Raw("07:32:00"), Raw("2025-03-01T00:00:00")])
scalars = st.one_of(texts, st.integers(-1000, 1000), huge_ints, floats, st.booleans(), dates)
junk_keys = st.one_of(st.text(printable, min_size=1, max_size=8), st.sampled_from(["tool", "a\nb", '"', "select.x"]))
any_value = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(junk_keys, inner, max_size=3),
    max_leaves=8,
)


def _or_any(strategy: st.SearchStrategy[Any], odds: int = 8) -> st.SearchStrategy[Any]:
    """Mostly ``strategy``; one time in ``odds`` any value at all."""
    return st.integers(1, odds).flatmap(lambda n: any_value if n == odds else strategy)


def _or_junk(names: list[str]) -> st.SearchStrategy[str]:
    return st.integers(1, 10).flatmap(lambda n: junk_keys if n == 10 else st.sampled_from(names))


def _mostly(good: list[Any], bad: list[Any]) -> st.SearchStrategy[Any]:
    return st.integers(1, 6).flatmap(lambda n: st.sampled_from(bad if n == 6 else good))


codes = _mostly(
    ["FZ503", "FZ5", "FZ", "ALL", "RL002", "RL101", "FZ705"], ["FZ5O1", "", "fz503", " FZ503", "FZ503\n", "*"]
)
levels = _mostly(["error", "warning", "info", "hint"], ["loud", "", "Error", "error\n"])
code_lists = st.lists(_or_any(codes), max_size=4)
patterns = st.sampled_from(["*.txt", "a.txt", "*", "**/*.md", "", "a\nb", "[", "b.md"])
SETTING_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "select": code_lists,
    "extend-select": code_lists,
    "ignore": code_lists,
    "severity": st.dictionaries(codes, _or_any(levels), max_size=3),
    "rules": st.lists(_or_any(st.sampled_from(["rules", "missing", "", ".", "a\u0000b", "a.txt", "sub"])), max_size=2),
    "per-file-ignores": st.dictionaries(patterns, _or_any(code_lists), max_size=3),
    "profile": st.dictionaries(
        _or_junk(sorted(PROFILE_FIELDS)),
        _or_any(
            st.sampled_from(
                ["部门", "政府", "乡镇街道", "外星", "03-01", "02-29", "02-30", "3-1", "2025-03-01", "3月1日",
                 "00-00", "12-31", "13-01", "０３-０１", "广东省", ""]
            )
        ),
        max_size=3,
    ),
    "fail-on": levels,
    "builtin-rules": st.booleans(),
    "max-file-size": st.one_of(floats, huge_ints, st.integers(-5, 2000), st.sampled_from([1e-9, 0.25, 20])),
    "duplicates": st.dictionaries(
        _or_junk(sorted(DUPLICATE_FIELDS)),
        _or_any(
            st.one_of(
                floats, huge_ints, st.integers(-2, 200),
                st.sampled_from(["phrases.txt", "missing.txt", "", "a.txt", "\u0000", "sub"]),
            )
        ),
        max_size=3,
    ),
}  # fmt: skip


@st.composite
def settings_entries(draw: st.DrawFn) -> list[tuple[str, Any, str]]:
    keys = draw(st.lists(_or_junk(sorted(FIELDS)), max_size=6, unique=True))
    entries = []
    for key in keys:
        value = draw(_or_any(SETTING_VALUES[key])) if key in SETTING_VALUES else draw(any_value)
        entries.append((key, value, draw(st.sampled_from(["inline", "section", "dotted"]))))
    return entries


@st.composite
def config_cases(draw: st.DrawFn) -> Case:
    name = draw(st.sampled_from(["reportlint.toml", "reportlint.toml", "pyproject.toml"]))
    prefix: tuple[str, ...] = ("tool", "reportlint") if name == "pyproject.toml" else ()
    text = toml_document(draw(settings_entries()), prefix)
    damage = draw(st.sampled_from(["none"] * 15 + ["truncate", "junk", "nesting", "duplicate", "tool", "crlf"]))
    if damage == "truncate" and text:
        text = text[: draw(st.integers(0, len(text) - 1))]
    elif damage == "junk":
        text += draw(
            st.sampled_from(["=\n", "[\n", "a = \n", 'x = """\n', "[[select]]\n", "\u0000\n", "a = 1\na = 2\n"])
        )
    elif damage == "nesting":
        depth = draw(st.sampled_from([10, 900, 5000, 100_000]))
        opener, closer = draw(st.sampled_from([("[", "]"), ("{a=", "}")]))
        key = draw(st.sampled_from(["select", "x", "profile"]))
        text += f"{key} = {opener * depth}{closer * depth if draw(st.booleans()) else ''}\n"
    elif damage == "duplicate" and text:
        text += text
    elif damage == "crlf":
        text = text.replace("\n", "\r\n")
    elif damage == "tool":
        text = draw(st.sampled_from(["tool = 5\n", "[tool]\nreportlint = 5\n", "[tool]\nreportlint = []\n"])) + text
    return text, name, draw(st.sampled_from(ARGUMENTS))


# -- the property ---------------------------------------------------------------------------


def check(case: Case) -> None:
    text, name, extra = case
    with tempfile.TemporaryDirectory(prefix="reportlint-fuzz-config-") as tmp:
        root = Path(tmp).resolve()
        (root / "sub").mkdir()
        (root / name).write_bytes(text.encode("utf-8", "surrogatepass"))
        for report, content in REPORTS.items():
            (root / report).write_text(content, encoding="utf-8")
        before = snapshot(root)
        reports = [str(root / report) for report in REPORTS]
        for explicit in (False, True):
            argv = ["check", *extra, *(["--config", str(root / name)] if explicit else []), *reports]
            code, _, err = run_cli(argv)
            check_outcome(argv, code, err)
            assert snapshot(root) == before, f"files changed by {argv}"
    # The same configuration for one folder only: the report outside it is always checked.
    with tempfile.TemporaryDirectory(prefix="reportlint-fuzz-config-") as tmp:
        root = Path(tmp).resolve()
        (root / "sub").mkdir()
        (root / "sub" / name).write_bytes(text.encode("utf-8", "surrogatepass"))
        outside, inside = root / "a.txt", root / "sub" / "b.md"
        outside.write_text(REPORTS["a.txt"], encoding="utf-8")
        inside.write_text(REPORTS["b.md"], encoding="utf-8")
        before = snapshot(root)
        argv = ["check", "--format", "json", str(outside), str(inside)]
        code, out, err = run_cli(argv)
        check_outcome(argv, code, err)
        assert snapshot(root) == before, f"files changed by {argv}"
        assert out, f"the run stopped, and the report outside the configuration's folder was not checked: {err[:300]!r}"
        checked = [f["path"] for f in json.loads(out)["files"]]
        assert str(outside) in checked, f"the report outside the configuration's folder was not checked: {err[:300]!r}"


def encode(case: Case) -> bytes:
    text, name, extra = case
    return f"{HEADER} file={name} args={' '.join(extra)}\n{text}".encode("utf-8", "surrogatepass")


def decode(data: bytes) -> Case:
    header, _, text = data.decode("utf-8", "surrogatepass").partition("\n")
    assert header.startswith(HEADER), f"not a config fuzz case: {header[:80]!r}"
    fields = dict(part.split("=", 1) for part in header[len(HEADER) :].split(" ", 2) if "=" in part)
    return text, fields["file"], tuple(fields.get("args", "").split())


FUZZ_PROPERTIES = [("config", config_cases(), check, encode, ".toml")]
