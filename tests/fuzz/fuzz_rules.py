"""Fuzzing rule packs: random rule files and pack.toml built from the loader's own field
tables (reportlint.rules.model: RULE_FIELDS, SCOPE_FIELDS, PACK_FIELDS …, and each check kind's
``params``) with values of the right and of every wrong type, junk keys, placeholders
with format specs, broken and catastrophic regular expressions, odd conditions, data files
inside and outside the pack, line breaks and NULs in strings, broken TOML.  Whatever the
pack, ``reportlint check --rules <pack>`` must exit 0, 1 or 2 without an exception; on exit
2 say one ``reportlint: `` line per error; finish within ~10 s; and a pack that loads must
also lint in another thread (as serve and the language server do) without an exception.

A case is (files, arguments): the pack's TOML files by name, and extra command-line
arguments.  Its regression file (``regressions/rules-*.toml``) holds the files one after
another, each under a ``# reportlint-fuzz-rules: <name>`` line, the arguments on the first
line; :func:`decode` reads it back.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from toml_text import Raw, toml_key, toml_value

from reportlint.checks.base import KINDS
from reportlint.engine.loader import load_builtin_kinds
from reportlint.frontends.cli import main
from reportlint.rules.model import PACK_FIELDS, PART_FIELDS, RULE_FIELDS, Field
from reportlint.support import watchdog

Case = tuple[dict[str, str], tuple[str, ...]]
HEADER = "# reportlint-fuzz-rules:"
ARGS = "# reportlint-fuzz-args:"
TIME_LIMIT = 10.0  # seconds one case may take (the rules' own limit is lowered below)
RULE_TIMEOUT = 0.5  # the per-rule limit during the fuzz (catastrophic patterns are expected)
ARGUMENTS = [(), (), ("--diff",), ("--format", "json"), ("--statistics",), ("--unsafe-fixes", "--diff")]

load_builtin_kinds()

# The report linted: a title with the year, parts, headings of each level, enumerations,
# citations, a 落款, and a heading and a line that catastrophic patterns choke on.
REPORT = (
    "某区司法局2024年度法治政府建设情况报告\n\n"
    "区委、区政府：\n\n"
    "2024年以来，我局坚持以习近平法治思想为指导，学习二十届三中全会精神。\n\n"
    "一、主要举措和成效\n\n"
    "（一）健全制度\n\n一是完善制度，二要加强培训。依据《行政处罚法》和《中华人民共和国行政许可法》，"
    "开展培训 3 次,处理案件5件。甲乙丙丁。\n\n"
    "（三）" + "法" * 28 + "x\n\n"
    "二、存在的不足和原因\n\n制度不够健全。\n\n"
    "三、2025年主要安排\n\n1.加强学习。\n\n" + "法" * 30 + "x\n\n"
    "某区司法局\n2025年1月20日\n"
)

# -- TOML text ----------------------------------------------------------------------------




def toml_document(entries: dict[str, Any], sections: frozenset[str] = frozenset()) -> str:
    """A table as TOML: the keys in ``sections`` holding a table as a ``[key]`` section,
    holding a list of tables as ``[[key]]`` sections; the rest as ``key = value``."""
    top, tail = [], []
    for key, value in entries.items():
        if key in sections and isinstance(value, dict):
            body = "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in value.items())
            tail.append(f"\n[{toml_key(key)}]\n{body}")
        elif key in sections and isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for item in value:
                body = "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in item.items())
                tail.append(f"\n[[{toml_key(key)}]]\n{body}")
        else:
            top.append(f"{toml_key(key)} = {toml_value(value)}\n")
    return "".join(top) + "".join(tail)


def pack_toml(entries: dict[str, Any]) -> str:
    """pack.toml: ``parts``, ``years`` and ``profiles`` tables as [parts.<name>] sections."""
    top = {k: v for k, v in entries.items() if not (k in ("parts", "years", "profiles") and isinstance(v, dict))}
    text = toml_document(top)
    for section in ("parts", "years", "profiles"):
        value = entries.get(section)
        if not isinstance(value, dict):
            continue
        for name, table in value.items():
            if isinstance(table, dict):
                body = "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in table.items())
                text += f"\n[{toml_key(section)}.{toml_key(name)}]\n{body}"
            else:
                text += f"\n[{toml_key(section)}]\n{toml_key(name)} = {toml_value(table)}\n"
    return text


# -- strategies -----------------------------------------------------------------------------

printable = st.characters(exclude_categories=("Cs",))
junk_text = st.one_of(
    st.text(printable, max_size=10),
    st.sampled_from(["", "\n", "a\nb", "a\u0000b", "\u2028", "\r", "{", "}", "很" * 200, "甲\n乙"]),
)
floats = st.sampled_from([float("nan"), float("inf"), 1.5, -0.0, 1e300])
dates = st.sampled_from([Raw("2025-03-01"), Raw("1979-05-27T07:32:00Z"), Raw("07:32:00")])
junk_keys = st.one_of(st.text(printable, min_size=1, max_size=8), st.sampled_from(["a\nb", '"', "kind", "x.y"]))
any_value = st.recursive(
    st.one_of(junk_text, st.integers(-5, 5), st.sampled_from([2**63 - 1, -(2**63)]), floats, st.booleans(), dates),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(junk_keys, inner, max_size=2),
    max_leaves=6,
)

REGEXES = [
    "甲乙", "(?P<g>甲)乙", "法", "^一、", "安排", "不足", "举措|成效", "(", "[", "甲|", "a{2,1}", "\\",
    "(?P<match>甲)", "(?P<context>丙)", "(?i)abc", ".*", "", "(?<=甲)乙", "\\p{Han}+", "x\ny", "(?m)^\\s*$",
    "[^\\n]", "\\d{1,3}", "(?r)年", "(?x) 甲 乙 # c", "\u0000", "(?P<a>甲)(?P=a)", "(?:(?i)甲)", "\\g<1>",
    "^(法|法法)+$", "(?m)^(法|法法)+$", "(x+x+)+y", "(?P<g>甲)|(?P<g>乙)", "《[^》]+》", "<next_year>年", "\\K甲",
]  # fmt: skip
FIXES = ["", "\\g<g>", "\\1", "\\g<0>", "\\g<nope>", "\\", "{match}", "乙", "\\n", "\\2", "\\g<match>"]
CONDITIONS = [
    "report_year >= 2021", 'mentions("甲")', 'section("plan")', 'section("(")', 'matches("(")', "mentions()",
    "count(report_year) > 1", "kind + 1 > 2", 'report_year - "1" > 2', "not", "", "heading_year() != report_year + 1",
    "signature_date() > deadline()", "(" * 30 + "1" + ")" * 30, 'lead_year() == report_year and lead_matches("将")',
    'title_matches("法治")', "x", "mentions(report_year)", 'header_matches("[0-9]{4}")', "1 + true > 0",
    "mentions(kind)", 'count("甲") + report_year > 3', 'matches("(?m)^(法|法法)+$")', 'section("^(法|法法)+$")',
    "has_title() and title_lines() > 1", 'kind == "部门"', "deadline()", "report_year + 1",
]  # fmt: skip
PLACEHOLDERS = [
    "{match}", "{report_year}", "{next_year}", "{title}", "{0}", "{}", "{context:>2000000000}", "{match!r}",
    "{a.b}", "{x[0]}", "{", "}", "{{", "}}", "{heading}", "{wrong}", "{right}", "{part}", "{found}", "{g}", "\n",
    "{\n}", "{terms}", "{missing}", "{fix}", "{title:}", "{kind}", "{reason}", "{mark}", "{joined}", "{ match }",
]  # fmt: skip
PATHS = [
    "data/ok.tsv", "data/binary.bin", "data/short.tsv", "data/titles.txt", "data/docs.tsv", "data/nul.tsv",
    "../outside.txt", "/etc/passwd", "data", "", "a\u0000b", "data/missing.tsv", "./data/ok.tsv", "data/../data/ok.tsv",
    "data/link-out.tsv",
]  # fmt: skip
PART_NAMES = ["plan", "shortcomings", "nope", ""]
YEAR_NAMES = ["plenums", "x"]
MONTH_DAYS = ["03-01", "3-1", "13-01", "02-30", "3/1", "", "03-01\n"]
INTS = st.one_of(st.integers(-2, 5), st.sampled_from([0, 1, 2, 3, 4, 2**63 - 1]), st.booleans())


def _mostly(strategy: st.SearchStrategy[Any], odds: int = 10) -> st.SearchStrategy[Any]:
    """Mostly ``strategy``; one time in ``odds`` any value at all (a wrong type, usually)."""
    return st.integers(1, odds).flatmap(lambda n: any_value if n == odds else strategy)


@st.composite
def templates(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.one_of(st.sampled_from(PLACEHOLDERS), st.sampled_from(["应为", "“", "。", "甲"])), max_size=4))
    return "".join(pieces) or "问题。"


def strings_for(field: Field) -> st.SearchStrategy[str]:
    if field.choices is not None:
        valid = st.sampled_from([c for c in field.choices if isinstance(c, str)] or [""])
        return st.integers(1, 5).flatmap(lambda n: junk_text if n == 5 else valid)
    pools: dict[str, st.SearchStrategy[str]] = {
        "regex": st.one_of(st.sampled_from(REGEXES), junk_text),
        "condition": st.one_of(st.sampled_from(CONDITIONS), junk_text),
        "template": templates(),
        "fix": st.sampled_from(FIXES),
        "path": st.sampled_from(PATHS),
        "part": st.sampled_from(PART_NAMES),
        "month-day": st.sampled_from(MONTH_DAYS),
    }
    if field.format in pools:
        return pools[field.format]
    return st.one_of(st.sampled_from(["甲", "乙", "plenums", "XX101", "测试", "structure", "dates"]), junk_text)


def value_for(field: Field, name_pool: list[str] | None = None) -> st.SearchStrategy[Any]:
    """A value ``field`` takes (of one of its types), now and then any value at all."""
    types = field.types if isinstance(field.types, tuple) else (field.types,)
    options = []
    for kind in types:
        if kind is str:
            options.append(strings_for(field))
        elif kind is bool:
            options.append(st.booleans())
        elif kind is int:
            ints = st.sampled_from([c for c in field.choices if isinstance(c, int)]) if field.choices else INTS
            options.append(st.one_of(ints, INTS))
        elif kind is list:
            item = value_for(field.items) if field.items is not None else any_value
            options.append(st.lists(item, max_size=3))
        elif kind is dict:
            if field.fields is not None:
                options.append(table_for(field.fields, field.required))
            elif field.values is not None:
                names = st.sampled_from(name_pool or ["甲", ",", "x"])
                options.append(st.dictionaries(names, value_for(field.values), max_size=2))
            else:
                options.append(st.dictionaries(junk_keys, any_value, max_size=2))
    return _mostly(st.one_of(options))


@st.composite
def table_for(draw: st.DrawFn, fields: dict[str, Field], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """A table of some of ``fields`` (its required keys, mostly), now and then a junk key."""
    names = sorted(fields)
    keys = [k for k in required if draw(st.integers(1, 12)) > 1]
    keys += draw(st.lists(st.sampled_from(names), max_size=3, unique=True)) if names else []
    table: dict[str, Any] = {}
    for key in dict.fromkeys(keys):
        table[key] = draw(value_for(fields[key]))
    if draw(st.integers(1, 10)) == 10:
        table[draw(junk_keys)] = draw(any_value)
    return table


KIND_NAMES = sorted(KINDS)
# A rule of each kind that loads and finds something in REPORT (message, check parameters);
# the cases are these with a few of their fields changed.
KIND_BASICS: dict[str, tuple[str, dict[str, Any]]] = {
    "require": ("缺少“{terms}”。", {"any": ["全面依法治国"]}),
    "forbid": ("不要写“{match}”。", {"pattern": "甲乙", "fix": "乙甲"}),
    "substitute": ("“{wrong}”应为“{right}”。", {"pairs": [{"wrong": "丙丁", "right": "丁丙"}]}),
    "section": ("缺少{part}。", {"part": "shortcomings", "contains": ["原因"]}),
    "sequence": ("{found}应为{expected}。", {"target": "headings"}),
    "heading-marker": ("{found}应为{expected}。", {}),
    "heading-punctuation": ("删去“{mark}”。", {}),
    "broken-line": ("“{joined}”断行。", {}),
    "law-title": ("《{title}》{reason}。", {"mode": "unknown", "titles": ["data/titles.txt"]}),
    "expr": ("{report_year}年。", {"when": "report_year >= 2021"}),
    # (the table kinds read the pack's tables.toml, a toy table: see DATA_FILES)
    "identity": ("{cell}应为{expected}。", {"identity": "T[r, SUM] == sum(T[r, A..B]) for r in rows"}),
    "table": ("缺少{table}。", {"table": "T", "check": "missing"}),
    "table-prose": ("{number}件。", {"pattern": "(?P<n>[0-9]+)件", "equals": ["T[IN, SUM]"]}),
}
BASE_PACK: dict[str, Any] = {
    "name": "fuzz",
    "closing_parts": ["plan"],
    "unfinished_note": "（未写完）",
    "assumed_year": 2025,
    "words": ["法治政府"],
    "parts": {
        "achievements": {"label": "举措", "aliases": ["举措|成效"], "unclaimed": True},
        "shortcomings": {"label": "不足", "aliases": ["不足"], "strong": ["存在.*问题"]},
        "plan": {"label": "安排", "aliases": ["安排", "<next_year>年"]},
    },
    "years": {"2024": {"plenums": [{"label": "三中全会", "pattern": "二十届[一二三中]*三中全会"}, "二十届"]}},
    "profiles": {"部门": {"deadline": "03-01"}},
}


@st.composite
def _changed(draw: st.DrawFn, table: dict[str, Any], fields: dict[str, Field], pools: dict[str, list[str]]) -> None:
    """Change ``table`` in place once: a field set to a new value (mostly of its type), a key
    removed, or a junk key added."""
    what = draw(st.sampled_from(["set"] * 8 + ["remove", "junk"]))
    if what == "remove" and table:
        del table[draw(st.sampled_from(sorted(table)))]
    elif what == "junk":
        table[draw(junk_keys)] = draw(any_value)
    elif fields:
        key = draw(st.sampled_from(sorted(fields)))
        table[key] = draw(value_for(fields[key], pools.get(key)))


@st.composite
def rule_files(draw: st.DrawFn, code: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(KIND_NAMES))
    message, params = KIND_BASICS[kind]
    check: dict[str, Any] = {"kind": kind, **params}
    rule: dict[str, Any] = {
        "code": code,
        "name": f"rule-{code.lower()}",
        "category": "formulation",
        "severity": "warning",
        "message": message,
        "basis": "测试",
    }
    rule_fields = {k: v for k, v in RULE_FIELDS.items() if k != "check"}
    for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2, 2, 3]))):
        if draw(st.booleans()):
            draw(_changed(rule, rule_fields, {}))
        else:
            draw(_changed(check, {"kind": Field(str, choices=(*KIND_NAMES, "forbidd")), **KINDS[kind].params}, {}))
    rule["check"] = check
    return rule


@st.composite
def pack_settings(draw: st.DrawFn) -> dict[str, Any]:
    import copy

    settings = copy.deepcopy(BASE_PACK)
    pools = {"parts": PART_NAMES, "years": ["2024", "2025", "x202"], "profiles": ["部门", "政府", "x"]}
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2]))):
        where = draw(st.sampled_from(["pack", "part", "year"]))
        if where == "pack":
            # (not check_kinds: a random module name must never be imported)
            fields = {key: field for key, field in PACK_FIELDS.items() if key != "check_kinds"}
            draw(_changed(settings, fields, pools))
        elif where == "part" and isinstance(settings.get("parts"), dict) and settings["parts"]:
            part = settings["parts"][draw(st.sampled_from(sorted(settings["parts"])))]
            if isinstance(part, dict):
                draw(_changed(part, PART_FIELDS, {}))
        elif where == "year" and isinstance(settings.get("years"), dict) and settings["years"]:
            year = settings["years"][draw(st.sampled_from(sorted(settings["years"])))]
            if isinstance(year, dict):
                values = PACK_FIELDS["years"].values
                assert values is not None and values.values is not None
                year[draw(st.sampled_from(YEAR_NAMES))] = draw(value_for(values.values))
    return settings


@st.composite
def rule_packs(draw: st.DrawFn) -> Case:
    files: dict[str, str] = {}
    if draw(st.integers(1, 6)) > 1:
        files["pack.toml"] = pack_toml(draw(pack_settings()))
    for index in range(draw(st.integers(1, 3))):
        code = f"XX1{index:02d}" if draw(st.integers(1, 20)) > 1 else draw(st.sampled_from(["XX100", "xx1"]))
        rule = draw(rule_files(code))
        sections = frozenset(draw(st.sets(st.sampled_from(["check", "bad", "good", "scope"]))))
        text = toml_document(rule, sections)
        damage = draw(st.sampled_from(["none"] * 30 + ["truncate", "junk", "nesting", "crlf", "bom"]))
        if damage == "truncate" and text:
            text = text[: draw(st.integers(0, len(text) - 1))]
        elif damage == "junk":
            text += draw(st.sampled_from(["=\n", "[\n", "a = \n", 'x = """\n', "[[check]]\n", "\u0000\n", "code = 1\n"]))
        elif damage == "nesting":
            depth = draw(st.sampled_from([10, 900, 5000, 100_000]))
            text += f"x = {'[' * depth}{']' * depth}\n"
        elif damage == "crlf":
            text = text.replace("\n", "\r\n")
        elif damage == "bom":
            text = "\ufeff" + text
        files[f"{code}-r{index}.toml"] = text
    return files, draw(st.sampled_from(ARGUMENTS))


# -- the property ---------------------------------------------------------------------------

DATA_FILES = {
    "data/ok.tsv": "action\tpattern\tsuggestion\trule\tseverity\tnote\tapplies_if\nflag\t甲\t乙\t\t\t\t\nallow\t甲方\t\t\t\t\t\n",
    "data/short.tsv": "action\tpattern\tsuggestion\nflag\t甲\n",
    "data/nul.tsv": "action\tpattern\tsuggestion\nflag\t\u0000甲\t乙\n",
    "data/titles.txt": "中华人民共和国行政处罚法\n中华人民共和国行政许可法\n",
    "data/docs.tsv": "title\tissuer\tverified\n法治政府建设实施纲要（2021—2025年）\t中共中央、国务院\tyes\n",
    "tables.toml": (
        "[tables.T]\ntitle = \"表\"\nanchors = ['收入']\n"
        'columns = [{ key = "A", label = "甲" }, { key = "B", label = "乙" }, { key = "SUM", label = "合计" }]\n'
        'rows = [{ key = "IN", label = "一、收入" }, { key = "OUT", label = "二、支出" }]\n'
    ),
}


def _write_pack(root: Path, files: dict[str, str]) -> Path:
    pack = root / "pack"
    (pack / "data").mkdir(parents=True)
    for name, text in DATA_FILES.items():
        (pack / name).write_text(text, encoding="utf-8")
    (pack / "data" / "binary.bin").write_bytes(bytes(range(256)) * 8)
    (root / "outside.txt").write_text("规则包外的文件\n", encoding="utf-8")
    with contextlib.suppress(OSError):
        (pack / "data" / "link-out.tsv").symlink_to(root / "outside.txt")
    for name, text in files.items():
        (pack / name).write_bytes(text.encode("utf-8", "surrogatepass"))
    return pack


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``reportlint.frontends.cli.main(argv)`` with its output captured; AssertionError for any
    exception that escapes it (SystemExit included)."""
    from reportlint.engine.config import find_config

    out, err = io.StringIO(), io.StringIO()
    find_config.cache_clear()  # a temporary folder's name may come again
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise AssertionError(f"exception escaped reportlint check: {type(exc).__name__}: {exc}"[:2000]) from exc
    return code, out.getvalue(), err.getvalue()


def check(case: Case) -> None:
    from reportlint.core.document import Document
    from reportlint.engine.lint import _load_cached, lint_document
    from reportlint.engine.loader import load_pack
    from reportlint.rules.model import RuleError

    files, extra = case
    saved_timeout, saved_cache = watchdog.RULE_TIMEOUT, os.environ.get("REPORTLINT_NO_CACHE")
    watchdog.RULE_TIMEOUT = RULE_TIMEOUT
    try:
        with tempfile.TemporaryDirectory(prefix="reportlint-fuzz-rules-") as tmp:
            root = Path(tmp).resolve()
            pack = _write_pack(root, files)
            (root / "reportlint.toml").write_text("builtin-rules = false\n", encoding="utf-8")
            report = root / "report.txt"
            report.write_text(REPORT, encoding="utf-8")
            argv = ["check", *extra, str(report), "--rules", str(pack), "--no-cache"]
            started = time.monotonic()
            code, _, err = run_cli(argv)
            elapsed = time.monotonic() - started
            assert code in (0, 1, 2), f"exit code {code!r}"
            if code == 2:
                assert err.endswith("\n"), f"stderr does not end a line: {err[-300:]!r}"
                for line in err[:-1].split("\n"):
                    assert line.startswith("reportlint: "), f"stderr line without 'reportlint: ': {line[:300]!r}"
                    assert line.splitlines() == [line], f"stderr line splits: {line[:300]!r}"
            assert elapsed < TIME_LIMIT, f"the check took {elapsed:.1f} s"
            if code != 2:  # the pack loads: it must lint in another thread too (serve, the language server)
                try:
                    rules = load_pack(pack).rules
                except RuleError as exc:
                    raise AssertionError(f"the pack loaded for check but not for load_pack: {exc}") from exc
                failures: list[BaseException] = []

                def lint() -> None:
                    try:
                        lint_document(Document.from_text(REPORT, path=str(report)), rules)
                    except BaseException as exc:  # any failure is the finding
                        failures.append(exc)

                worker = threading.Thread(target=lint)
                started = time.monotonic()
                worker.start()
                worker.join(timeout=TIME_LIMIT * 3)
                assert not worker.is_alive(), "linting in another thread did not finish"
                assert time.monotonic() - started < TIME_LIMIT, "linting in another thread took too long"
                if failures:
                    exc = failures[0]
                    raise AssertionError(f"lint in a thread raised {type(exc).__name__}: {exc}"[:2000]) from exc
    finally:
        watchdog.RULE_TIMEOUT = saved_timeout
        if saved_cache is None:
            os.environ.pop("REPORTLINT_NO_CACHE", None)
        else:
            os.environ["REPORTLINT_NO_CACHE"] = saved_cache
        _load_cached.cache_clear()  # (each case's pack is in a folder of its own)


def encode(case: Case) -> bytes:
    files, extra = case
    text = f"{ARGS} {' '.join(extra)}\n" + "".join(f"{HEADER} {name}\n{body}\n" for name, body in files.items())
    return text.encode("utf-8", "surrogatepass")


def decode(data: bytes) -> Case:
    text = data.decode("utf-8", "surrogatepass")
    first, _, rest = text.partition("\n")
    assert first.startswith(ARGS), f"not a rule-pack fuzz case: {first[:80]!r}"
    files: dict[str, str] = {}
    for chunk in rest.split(HEADER + " ")[1:]:
        name, _, body = chunk.partition("\n")
        files[name] = body[:-1] if body.endswith("\n") else body
    return files, tuple(first[len(ARGS) :].split())


FUZZ_PROPERTIES = [("rules", rule_packs(), check, encode, ".toml")]
