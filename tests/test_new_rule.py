"""``reportlint new-rule`` scaffolds a rule file that loads and whose examples pass, and
refuses a code that is taken; ``reportlint schema`` prints the JSON Schemas."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from conftest import NEUTRAL_PACK
from reportlint.app.fixes import applicable_edits, apply_edits
from reportlint.app.scaffold import TEMPLATES
from reportlint.engine.lint import lint_text
from reportlint.engine.loader import load_pack
from reportlint.frontends.cli import main
from reportlint.rules.model import Rule


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A copy of the neutral test pack (codes NT…), to add rules to."""
    return Path(shutil.copytree(NEUTRAL_PACK, tmp_path / "neutral"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _findings(rule: Rule, text: str) -> list:
    _, diagnostics = lint_text(text, path="example.txt", rules=[rule])
    return [d for d in diagnostics if d.code == rule.code]


def _examples_pass(rule: Rule) -> None:
    """The checks tests/test_rule_examples.py makes of every rule's examples."""
    assert rule.bad and rule.good and rule.basis.strip()
    for example in rule.bad:
        start = example.text.index("«")
        end = example.text.index("»") - 1
        text = example.text.replace("«", "").replace("»", "")
        found = _findings(rule, text)
        assert (start, end) in {(d.start, d.end) for d in found}, (rule.code, example.text, found)
        if example.fixed is not None:
            fixed = apply_edits(text, applicable_edits(found, unsafe=True))
            assert fixed == example.fixed
            assert not _findings(rule, fixed)
    for example in rule.good:
        assert not _findings(rule, example.text), (rule.code, example.text)


@pytest.mark.parametrize(("kind", "code"), [("forbid", "NT901"), ("require", "NT902"), ("substitute", "NT903")])
def test_a_scaffolded_rule_loads_and_its_examples_pass(
    pack: Path, capsys: pytest.CaptureFixture[str], kind: str, code: str
) -> None:
    status, out, err = run(capsys, "new-rule", code, "--name", "toy-rule", "--pack", str(pack), "--kind", kind)
    assert (status, err) == (0, "")
    path = pack / f"{code}-toy-rule.toml"
    assert out.startswith(f"已生成规则文件：{path}\n")
    rule = next(r for r in load_pack(pack).rules if r.code == code)
    assert (rule.name, rule.check_kind, rule.severity.label, rule.category) == ("toy-rule", kind, "warning", "formulation")
    _examples_pass(rule)


def test_every_template_is_tested() -> None:
    assert set(TEMPLATES) == {"forbid", "require", "substitute"}


def test_an_existing_code_is_refused(pack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.name for p in pack.iterdir())
    status, out, err = run(capsys, "new-rule", "NT201", "--name", "another", "--pack", str(pack))
    assert (status, out) == (2, "")
    assert err == f"reportlint: 规则代码 NT201 已被使用：{pack / 'NT201-space-between-chinese-and-digits.toml'}；请换一个代码\n"
    status, _, err = run(capsys, "new-rule", "RL001", "--name", "another", "--pack", str(pack))  # reportlint's own
    assert (status, err) == (2, "reportlint: 规则代码 RL001 已被使用；请换一个代码\n")
    assert sorted(p.name for p in pack.iterdir()) == before


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["nt9x1", "--name", "x"], "规则代码“NT9X1”格式不对：应为 1 至 4 个大写字母加 3 位数字，如 FZ512"),
        (["NT904", "--name", "Bad_Name"], "规则名称“Bad_Name”格式不对：应为小写英文单词，用连字符连接，如 extra-space"),
        (["XY904", "--name", "x"], "规则包 neutral 的规则代码以 NT 开头，不是 XY904"),
        (["NT904", "--name", "x", "--kind", "section"], "没有 section 类检查的规则模板（可用：forbid、require、substitute）；可复制同类规则文件修改"),
    ],
)
def test_mistakes_are_refused(pack: Path, capsys: pytest.CaptureFixture[str], argv: list[str], problem: str) -> None:
    status, out, err = run(capsys, "new-rule", *argv, "--pack", str(pack))
    assert (status, out, err) == (2, "", f"reportlint: {problem}\n")


def test_an_unknown_pack_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "new-rule", "NT904", "--name", "x", "--pack", "no-such-pack")
    assert status == 2
    assert err.startswith("reportlint: 没有规则包 no-such-pack（已安装：")


@pytest.mark.parametrize("what", ["rule", "pack"])
def test_schema_prints_a_json_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path, what: str) -> None:
    status, out, _ = run(capsys, "schema", what)
    assert status == 0
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert run(capsys, "schema", what, "-o", str(tmp_path / "s.json"))[:2] == (0, "")
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8")) == schema


def test_a_scaffolded_rule_validates_against_the_schema(pack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import tomllib

    _, out, _ = run(capsys, "schema", "rule")
    validator = jsonschema.Draft202012Validator(json.loads(out))
    for kind, code in (("forbid", "NT901"), ("require", "NT902"), ("substitute", "NT903")):
        run(capsys, "new-rule", code, "--name", "toy-rule", "--pack", str(pack), "--kind", kind)
        data = tomllib.loads((pack / f"{code}-toy-rule.toml").read_text(encoding="utf-8"))
        assert [e.message for e in validator.iter_errors(data)] == []
