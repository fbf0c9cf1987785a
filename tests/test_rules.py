"""The rule loader: every mistake in a rule file is ``path:line: message``."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportlint.cli import main
from reportlint.rules import RuleError, load_pack

GOOD = """code = "XX101"
name = "no-foo"
category = "formulation"
severity = "warning"
message = "不要写“{match}”。"
basis = "测试"

[check]
kind = "forbid"
pattern = '甲乙'

[[bad]]
text = "甲乙"

[[good]]
text = "丙丁"
"""


def pack_with(tmp_path: Path, text: str, name: str = "XX101-no-foo.toml") -> Path:
    directory = tmp_path / "pack"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")
    return directory


def error_of(directory: Path) -> str:
    with pytest.raises(RuleError) as caught:
        load_pack(directory)
    return str(caught.value)


def test_good_rule_loads(tmp_path: Path) -> None:
    pack = load_pack(pack_with(tmp_path, GOOD))
    (rule,) = pack.rules
    assert (rule.code, rule.check_kind, rule.severity.label) == ("XX101", "forbid", "warning")


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ('kind = "forbid"', 'kind = "forbidd"', 9, "unknown check kind 'forbidd'"),
        ("pattern = '甲乙'", "pattern = '甲(乙'", 10, "bad regular expression"),
        ('message = "不要写“{match}”。"\n', "", 1, "missing required field 'message'"),
        ('severity = "warning"', 'severity = "warn"', 4, "unknown severity 'warn'"),
        ('basis = "测试"', 'basis = "测试"\nsevirity = "x"', 7, "unknown field 'sevirity'"),
        (
            "pattern = '甲乙'",
            "pattern = '甲乙'\nmax_count = 3",
            11,
            "unknown parameter 'max_count'",
        ),
        ('code = "XX101"', 'code = "xx-1"', 1, "bad rule code 'xx-1'"),
        ('name = "no-foo"', 'name = "No Foo"', 2, "rule name must be kebab-case"),
        ('category = "formulation"', 'category = "misc"', 3, "unknown category 'misc'"),
        ("[[good]]", "[[good]\n", 15, "invalid TOML"),
    ],
)
def test_broken_rule_file_reports_file_and_line(tmp_path: Path, old: str, new: str, line: int, message: str) -> None:
    text = GOOD.replace(old, new)
    directory = pack_with(tmp_path, text)
    error = error_of(directory)
    assert error.startswith(f"{directory / 'XX101-no-foo.toml'}:{line}: "), error
    assert message in error


def test_bad_expression_is_reported(tmp_path: Path) -> None:
    text = GOOD.replace("kind = \"forbid\"\npattern = '甲乙'", 'kind = "expr"\nwhen = \'mentions("甲") and\'')
    directory = pack_with(tmp_path, text)
    assert error_of(directory).startswith(f"{directory / 'XX101-no-foo.toml'}:10: cannot parse expression")
    text = GOOD.replace("kind = \"forbid\"\npattern = '甲乙'", 'kind = "expr"\nwhen = \'mentionz("甲")\'')
    directory = pack_with(tmp_path, text)
    assert "unknown function 'mentionz'" in error_of(directory)


def test_duplicate_code(tmp_path: Path) -> None:
    directory = pack_with(tmp_path, GOOD)
    pack_with(tmp_path, GOOD, "XX102-copy.toml")
    error = error_of(directory)
    assert error.startswith(f"{directory / 'XX102-copy.toml'}:1: duplicate rule code XX101")


def test_cli_reports_broken_rule_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = pack_with(tmp_path, GOOD.replace('kind = "forbid"', 'kind = "nope"'))
    report = tmp_path / "r.txt"
    report.write_text("甲乙\n", encoding="utf-8")
    code = main(["check", str(report), "--rules", str(directory)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().startswith(f"reportlint: {directory / 'XX101-no-foo.toml'}:9: unknown check kind 'nope'")


def test_extra_pack_from_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = pack_with(tmp_path, GOOD)
    report = tmp_path / "r.txt"
    report.write_text("第一行\n写了甲乙。\n", encoding="utf-8")
    code = main(["check", str(report), "--rules", str(directory), "--select", "XX"])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines()[0] == f"{report}:2:3: XX101 [warning] 不要写“甲乙”。"


