"""Start-up caches: the pickled rule set, the compiled-regex record and the outline
grammar compiled from lark's tables must behave exactly like what they replace."""

from __future__ import annotations

import itertools
import os
import pickle
import random
from pathlib import Path

import pytest

from conftest import ROOT
from reportlint.core.document import Document
from reportlint.engine import loader
from reportlint.engine.config import Config
from reportlint.engine.lint import lint_document
from reportlint.engine.loader import load_packs
from reportlint.outline.lark_regex import compile_lark, lark_tree_as_lite
from reportlint.outline.parser import heading_grammar, outline_parser
from reportlint.rules.model import RuleError
from reportlint.support import cache as rulecache
from reportlint.support import rxcache
from reportlint.support.resources import builtin_rules_dir


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("REPORTLINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("REPORTLINT_NO_CACHE", raising=False)
    return folder


def _lint_all(packs: list) -> list[tuple[str, int, int, str]]:
    rules = [rule for pack in packs for rule in pack.rules if rule.enabled]
    found = []
    for path in sorted((ROOT / "fixtures" / "reports").glob("*.txt")):
        doc = Document.from_text(path.read_text(encoding="utf-8"), path=path.name)
        found += [(d.code, d.start, d.end, d.message) for d in lint_document(doc, rules, Config())]
    return found


def test_cached_rule_set_lints_like_a_fresh_load(cache_dir: Path) -> None:
    directories = [builtin_rules_dir()]
    first = loader.load_packs_cached(directories)  # loads and writes the cache
    written = list(cache_dir.glob("rules-*.pickle"))
    assert len(written) == 1
    second = loader.load_packs_cached(directories)  # read back
    assert second is not first
    assert [r.code for p in second for r in p.rules] == [r.code for p in first for r in p.rules]
    assert _lint_all(second) == _lint_all(load_packs(directories))


def test_corrupt_cache_is_rebuilt(cache_dir: Path) -> None:
    directories = [builtin_rules_dir()]
    loader.load_packs_cached(directories)
    (path,) = cache_dir.glob("rules-*.pickle")
    path.write_bytes(b"\x80\x05not a pickle")
    packs = loader.load_packs_cached(directories)
    assert packs and packs[0].rules
    assert pickle.loads(path.read_bytes())  # rewritten whole


def test_editing_a_rule_misses_the_cache(cache_dir: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    rule = pack / "XX001-demo.toml"
    body = (
        'code = "XX001"\nname = "demo"\ncategory = "formulation"\nseverity = "warning"\n'
        'message = "不要写“{match}”。"\nbasis = "测试"\n[check]\nkind = "forbid"\nterms = ["%s"]\n'
    )
    rule.write_text(body % "甲", encoding="utf-8")
    assert loader.load_packs_cached([pack])[0].rules[0].params["terms"] == ["甲"]
    rule.write_text(body % "乙乙", encoding="utf-8")
    assert loader.load_packs_cached([pack])[0].rules[0].params["terms"] == ["乙乙"]


def test_a_bad_rule_is_reported_every_time_and_never_cached(cache_dir: Path, tmp_path: Path) -> None:
    pack = tmp_path / "bad"
    pack.mkdir()
    (pack / "XX001-bad.toml").write_text('code = "XX001"\nname = "bad"\n', encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RuleError):
            loader.load_packs_cached([pack])
    assert not list(cache_dir.glob("rules-*.pickle"))


def test_no_cache_when_disabled(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTLINT_NO_CACHE", "1")
    assert loader.load_packs_cached([builtin_rules_dir()])
    assert not cache_dir.exists()


def test_regex_record_round_trip(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rxcache, "_table", None)
    monkeypatch.setattr(rxcache, "_new", {})
    pattern = r"(?<=[，。])\p{Han}{2,4}?公司"
    first = rxcache.compile(pattern)
    rxcache.save()
    monkeypatch.setattr(rxcache, "_table", None)
    again = rxcache.compile(pattern)
    assert again is not first and again.pattern == pattern
    text = "，某某有限公司，甲乙公司。"
    assert [m.span() for m in again.finditer(text)] == [m.span() for m in first.finditer(text)]
    # A damaged record is ignored.
    (record,) = cache_dir.glob("regex-*.pickle")
    record.write_bytes(b"garbage")
    monkeypatch.setattr(rxcache, "_table", None)
    assert rxcache.compile(pattern).pattern == pattern


def _lark_or_none(line: str):  # type: ignore[no-untyped-def]
    from lark.exceptions import UnexpectedInput

    try:
        return lark_tree_as_lite(outline_parser().parse(line))
    except UnexpectedInput:
        return None


def test_compiled_outline_grammar_parses_exactly_like_lark() -> None:
    """Every line of the fixtures, every combination of marker parts, and random lines
    built from the characters the grammar cares about."""
    grammar = compile_lark(outline_parser())
    lines = [line for path in (ROOT / "fixtures").rglob("*.txt") for line in path.read_text("utf-8").split("\n")]
    for combo in itertools.product(
        ["", " ", "\u3000", "\t"],
        ["一", "十二", "二十三", "1", "12", "１", "（一）", "(二)", "（3）", "(4)", "①", "㉑", "一、二"],
        ["、", ".", "．", "，", ",", "", ")", "）、", "）."],
        ["", "标题", "1.5亿元", "二季度", "。正文", " 空格"],
    ):
        lines.append("".join(combo))
    rng = random.Random(9)
    pieces = [
        "",
        " ",
        "\u3000",
        "一",
        "十",
        "九十九",
        "1",
        "12",
        "123",
        "（",
        "(",
        "）",
        ")",
        "、",
        ".",
        "，",
        "①",
        "标题",
    ]
    lines += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(5000)]
    for line in lines:
        assert grammar.parse(line) == _lark_or_none(line), repr(line)


def test_outline_grammar_is_cached_and_used(cache_dir: Path) -> None:
    heading_grammar.cache_clear()
    try:
        assert heading_grammar() is not None
        assert list(cache_dir.glob("outline-grammar-*.json"))
        heading_grammar.cache_clear()
        assert heading_grammar() is not None  # read back from the file
    finally:
        heading_grammar.cache_clear()


def test_cache_files_are_private(cache_dir: Path) -> None:
    loader.load_packs_cached([builtin_rules_dir()])
    if os.name == "posix":
        assert (cache_dir.stat().st_mode & 0o077) == 0
        for path in cache_dir.glob("rules-*.pickle"):
            assert (path.stat().st_mode & 0o077) == 0, path


def test_a_repetition_is_unrolled_and_longer_lines_go_to_lark() -> None:
    from lark import Lark
    from lark.exceptions import UnexpectedInput

    from reportlint.outline.lark_regex import FALLBACK

    grammar = r"""
        start: _INDENT? marker REST?
        ?marker: level1 | level2
        level1: NUM SEP
        level2: OPEN NUM CLOSE SEP*
        _INDENT: /[ \t]+/
        NUM: /[一二三]/
        OPEN: "（"
        CLOSE: "）"
        SEP.2: /[、.]/
        REST: /.+/
    """
    parser = Lark(grammar, parser="lalr", lexer="contextual")
    compiled = compile_lark(parser)
    rng = random.Random(11)
    pieces = ["一", "二", "（", "）", "、", ".", " ", "x"]
    fallbacks = 0
    for _ in range(4000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        try:
            expected = lark_tree_as_lite(parser.parse(line))
        except UnexpectedInput:
            expected = None
        got = compiled.parse(line)
        if got is FALLBACK:
            fallbacks += 1
            assert line.count("、") + line.count(".") >= 3, line  # only long runs of separators
            continue
        assert got == expected, repr(line)
    assert compiled.parse("（一）、、标题") == lark_tree_as_lite(parser.parse("（一）、、标题"))
    assert compiled.parse("（一）、、、、、、标题") is FALLBACK
    assert fallbacks < 40  # random lines rarely repeat that much


def test_every_kind_of_cache_file_is_pruned_to_its_newest(cache_dir: Path) -> None:
    """Each new reportlint, rule edit, grammar or regex version writes a new file; old ones go."""
    cache_dir.mkdir()
    families = {"rules-{}.pickle": 8, "outline-grammar-{}.json": 8, "regex-{}.pickle": 2}
    for index in range(12):
        for name in families:
            path = cache_dir / name.format(index)
            path.write_bytes(b"x")
            os.utime(path, (1_000_000 + index, 1_000_000 + index))
    (cache_dir / "lark-outline.lark.cache").write_bytes(b"x")
    rulecache.prune(cache_dir)
    for name, keep in families.items():
        left = sorted(cache_dir.glob(name.format("*")), key=lambda p: p.stat().st_mtime)
        assert [p.name for p in left] == [name.format(i) for i in range(12 - keep, 12)]
    assert (cache_dir / "lark-outline.lark.cache").exists()


def test_writing_a_grammar_or_regex_record_prunes(cache_dir: Path) -> None:
    cache_dir.mkdir()
    for index in range(10):
        stale = cache_dir / f"outline-grammar-old{index}.json"
        stale.write_text("{}", encoding="utf-8")
        os.utime(stale, (1_000_000 + index, 1_000_000 + index))
    rulecache.write_cached("outline-grammar-new.json", "{}")
    names = {p.name for p in cache_dir.glob("outline-grammar-*.json")}
    assert len(names) == 8 and "outline-grammar-new.json" in names and "outline-grammar-old0.json" not in names


def test_no_cache_option_writes_nothing(cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--no-cache``: a run that neither reads nor writes the cache directory."""
    import subprocess
    import sys

    report = cache_dir.parent / "r.txt"
    report.write_text("某区司法局2024年度法治政府建设情况报告\n\n全年共 5 条。\n", encoding="utf-8")
    env = {**os.environ, "REPORTLINT_CACHE_DIR": str(cache_dir)}
    env.pop("REPORTLINT_NO_CACHE", None)
    run = [sys.executable, "-m", "reportlint", "check", str(report), "--select", "FZ503"]
    assert subprocess.run([*run, "--no-cache"], env=env, capture_output=True).returncode == 1
    assert not cache_dir.exists()
    assert subprocess.run(run, env=env, capture_output=True).returncode == 1
    assert list(cache_dir.glob("rules-*.pickle"))  # the same run without the option does cache


def test_the_fuzz_campaign_keeps_out_of_the_users_cache(tmp_path: Path) -> None:
    import subprocess
    import sys

    home = tmp_path / "xdg"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("REPORTLINT_CACHE_DIR", "REPORTLINT_NO_CACHE")}
    env["XDG_CACHE_HOME"] = str(home)
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "fuzz" / "run.py"), "--minutes", "0.01", "--seed", "1",
         "--examples", "3", "--only", "lint"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert list(home.iterdir()) == []
