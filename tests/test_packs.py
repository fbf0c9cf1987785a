"""Packs as data: which reports a pack applies to, its report kinds and deadlines, its part
labels and basis texts (pack.toml), per-pack profiles in the configuration, and check kinds
plugged in from outside the package.  With the 法治 pack and the neutral test pack both
installed, each report is checked by the pack that applies to it; a report no pack applies
to gets one RL005."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import BUILTIN_HIDDEN, FIXTURES, NEUTRAL_PACK, PACKS
from reportlint.checks.base import KINDS, Check, Finding, register_kind
from reportlint.checks.context import LintContext
from reportlint.core.document import Document
from reportlint.core.internal import INTERNAL_CODES, NO_PACK
from reportlint.engine import loader
from reportlint.engine.config import Config, config_from_mapping
from reportlint.engine.lint import lint_document, lint_text, load_ruleset
from reportlint.engine.loader import load_pack, load_packs
from reportlint.rules.model import RuleError

NEUTRAL = Config(builtin_rules=False, rule_dirs=(NEUTRAL_PACK,))
NEUTRAL_REPORT = (
    "某区档案馆2024年工作总结\n\n2024年，我馆开展“质量提升年”活动。\n\n"
    "一、主要工作和成绩\n\n全年接收档案12批次，办件300件。\n\n"
    "二、存在的问题\n\n数字化进度滞后，原因是经费不足。\n\n"
    "三、2025年工作计划\n\n明确目标，落实措施。\n\n某区档案馆\n\n2025年1月20日\n"
)
MEMO = "关于召开春季运动会的通知\n\n各科室：\n\n定于4月10日召开春季运动会，请做好准备。\n\n办公室\n\n2025年3月1日\n"
needs_builtin = pytest.mark.skipif(BUILTIN_HIDDEN, reason="needs the 法治 pack")


def codes(text: str, config: Config, path: str = "r.txt") -> list[str]:
    _, found = lint_text(text, path=path, config=config)
    return [d.code for d in found]


# -- applicability -------------------------------------------------------------------------


def test_a_pack_alone_applies_to_every_report() -> None:
    found = codes(MEMO, NEUTRAL)
    assert NO_PACK not in found
    assert "NT402" in found  # the memo is checked as a work summary: the only pack there is


@needs_builtin
def test_with_two_packs_each_report_is_checked_by_its_own(tmp_path: Path) -> None:
    fazhi_report = FIXTURES / "reports" / "004_de61297b1667e9da.txt"
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copyfile(fazhi_report, folder / "fazhi.txt")
    (folder / "summary.txt").write_text(NEUTRAL_REPORT, encoding="utf-8")
    (folder / "memo.txt").write_text(MEMO, encoding="utf-8")
    config = Config(rule_dirs=(NEUTRAL_PACK,))
    ruleset = load_ruleset(config)
    assert [pack.name for pack in ruleset.packs] == ["fazhi", "gongkai", "neutral"]
    found = {}
    for path in sorted(folder.iterdir()):
        doc = Document.from_text(path.read_text(encoding="utf-8"), path=str(path))
        found[path.name] = [d.code for d in lint_document(doc, ruleset.select(config, str(path)), config)]
    assert found["fazhi.txt"] and all(code.startswith("FZ") for code in found["fazhi.txt"])
    assert found["summary.txt"] and all(code.startswith("NT") for code in found["summary.txt"])
    assert found["memo.txt"] == [NO_PACK]
    # The 法治 pack alone checks the fazhi report exactly as before.
    doc = Document.from_text(fazhi_report.read_text(encoding="utf-8"))
    alone = load_ruleset(Config()).select(Config(), "r.txt")
    assert [d.code for d in lint_document(doc, alone, Config())] == found["fazhi.txt"]


@needs_builtin
def test_the_installed_packs_decide_not_the_selected_rules() -> None:
    """With only 法治 rules selected, a work summary is still not a 法治 report."""
    config = Config(rule_dirs=(NEUTRAL_PACK,), select=("FZ503",))
    rules = load_ruleset(config).select(config, "r.txt")
    assert {rule.pack.name for rule in rules} == {"fazhi"}
    summary = Document.from_text(NEUTRAL_REPORT.replace("12批次", "12 批次"))
    assert lint_document(summary, rules, config) == []
    assert [d.code for d in lint_document(Document.from_text(MEMO), rules, config)] == [NO_PACK]
    report = Document.from_text("某区司法局2024年度法治政府建设情况报告\n\n全年共 5 条。\n")
    assert [d.code for d in lint_document(report, rules, config)] == ["FZ503", "FZ503"]


@needs_builtin
def test_the_command_line_checks_a_mixed_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reportlint.frontends.cli import main

    (tmp_path / "summary.txt").write_text(NEUTRAL_REPORT.replace("12批次", "12 批次"), encoding="utf-8")
    (tmp_path / "memo.txt").write_text(MEMO, encoding="utf-8")
    main(["check", "--exit-zero", "--rules", str(NEUTRAL_PACK), str(tmp_path)])
    lines = capsys.readouterr().out.splitlines()
    memo = [line for line in lines if line.startswith(str(tmp_path / "memo.txt"))]
    summary = [line for line in lines if line.startswith(str(tmp_path / "summary.txt"))]
    assert len(memo) == 1 and " RL005 " in memo[0]
    assert any(" NT201 " in line for line in summary) and not any(" FZ" in line for line in summary)


@needs_builtin
def test_a_draft_without_a_title_is_told_by_its_signals() -> None:
    config = Config(rule_dirs=(NEUTRAL_PACK,))
    draft = "一、主要举措和成效\n\n深入推进法治政府建设，严格落实重大行政决策程序。\n"
    assert {code[:2] for code in codes(draft, config)} == {"FZ"}
    summary = "一、本年度主要工作情况\n\n完成任务5项。\n\n二、下一年度工作计划\n\n明确目标，落实措施。\n"
    assert {code[:2] for code in codes(summary, config)} == {"NT"}


@needs_builtin
def test_a_title_another_pack_claims_outweighs_body_signals() -> None:
    """A work summary that mentions 法治政府, 依法行政 and 行政执法 (the 法治 pack's body
    signals) is still a work summary: its title decides."""
    config = Config(rule_dirs=(NEUTRAL_PACK,))
    body = "2024年，我馆推进法治政府建设，坚持依法行政，规范行政执法。\n\n"
    summary = NEUTRAL_REPORT.replace("2024年，我馆开展“质量提升年”活动。\n\n", body)
    assert body in summary
    assert {code[:2] for code in codes(summary, config)} == {"NT"}
    # Without the title, the same body is told by its signals, which the 法治 pack's meet.
    untitled = summary.split("\n", 2)[2]
    assert "FZ" in {code[:2] for code in codes(untitled, config)}


@needs_builtin
def test_the_configuration_can_force_a_pack() -> None:
    config = Config(rule_dirs=(NEUTRAL_PACK,), pack="neutral")
    assert {code[:2] for code in codes(MEMO, config)} == {"NT"}
    fazhi = (FIXTURES / "reports" / "004_de61297b1667e9da.txt").read_text(encoding="utf-8")
    assert {code[:2] for code in codes(fazhi, config)} == {"NT"}


@needs_builtin
def test_the_command_line_can_force_a_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reportlint.frontends.cli import main

    memo = tmp_path / "memo.txt"
    memo.write_text(MEMO, encoding="utf-8")
    assert main(["check", "--exit-zero", "--rules", str(NEUTRAL_PACK), str(memo)]) == 0
    assert " RL005 " in capsys.readouterr().out
    main(["check", "--exit-zero", "--rules", str(NEUTRAL_PACK), "--pack", "neutral", str(memo)])
    out = capsys.readouterr().out
    assert " NT402 " in out and " RL005 " not in out and " FZ" not in out
    assert main(["check", "--rules", str(NEUTRAL_PACK), "--pack", "neutrl", str(memo)]) == 2
    err = capsys.readouterr().err
    assert "参数 --pack：无效的取值“neutrl”（可选：fazhi、gongkai、neutral）" in err


@needs_builtin
def test_rl005_is_one_info_finding_and_can_be_ignored() -> None:
    config = Config(rule_dirs=(NEUTRAL_PACK,))
    _doc, found = lint_text(MEMO, config=config)
    (finding,) = found
    assert (finding.code, finding.severity.label, finding.start) == (NO_PACK, "info", 0)
    assert "fazhi、gongkai、neutral" in finding.message and 'pack = "<规则包名称>"' in finding.message
    assert codes(MEMO, replace(config, ignore=("RL005",))) == []
    assert INTERNAL_CODES[NO_PACK].name == "no-applicable-pack"


def test_applies_to_is_checked(tmp_path: Path) -> None:
    pack = tmp_path / "p"
    shutil.copytree(NEUTRAL_PACK, pack)
    settings = pack / "pack.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("min_signals = 2", "min_signals = 9"), encoding="utf-8")
    with pytest.raises(RuleError, match=r"min_signals.*应在 1 到 signals 的项数之间"):
        load_pack(pack)
    settings.write_text(text.replace("titles = ['工作总结|述职报告']", "titles = ['(']"), encoding="utf-8")
    with pytest.raises(RuleError, match="正则表达式有误"):
        load_pack(pack)


# -- report kinds, deadlines, profiles -----------------------------------------------------


def test_report_kinds_are_inferred_by_the_packs_own_patterns() -> None:
    pack = load_pack(NEUTRAL_PACK)
    assert pack.report_kinds == ("单位", "个人")
    assert pack.infer_report_kind("张三2024年个人工作总结", []) == "个人"
    assert pack.infer_report_kind("某局2024年工作总结", ["述职人：张三", "2025年1月10日"]) == "个人"
    assert pack.infer_report_kind("某局2024年工作总结", ["某局", "2025年1月10日"]) == "单位"
    assert pack.deadline("个人") == "01-15" and pack.deadline("单位") == "01-31"


def late(kind_text: str, config: Config) -> list[str]:
    text = f"{kind_text}\n\n全年完成任务5项。\n\n某局\n\n2025年1月20日\n"
    _, found = lint_text(text, config=replace(config, select=("NT702",)))
    return [d.message for d in found]


def test_the_deadline_follows_the_report_kind() -> None:
    assert late("某局2024年工作总结", NEUTRAL) == []  # 单位: by 01-31
    assert late("张三2024年个人工作总结", NEUTRAL) == ["成文日期2025年1月20日晚于报送期限2025年1月15日（个人总结）。"]


def test_a_pack_profile_in_the_configuration() -> None:
    config = replace(NEUTRAL, pack_profiles={"neutral": {"kind": "个人"}})
    assert late("某局2024年工作总结", config) == ["成文日期2025年1月20日晚于报送期限2025年1月15日（个人总结）。"]
    config = replace(NEUTRAL, pack_profiles={"neutral": {"deadline": "01-10"}})
    assert late("某局2024年工作总结", config) == ["成文日期2025年1月20日晚于报送期限2025年1月10日（单位总结）。"]
    # The old global [profile] is the 法治 pack's: it does not touch this pack.
    assert late("某局2024年工作总结", replace(NEUTRAL, profile={"kind": "个人"})) == []


def test_packs_profiles_are_read_from_a_configuration_table() -> None:
    config = config_from_mapping({"pack": "neutral", "packs": {"neutral": {"profile": {"kind": "个人"}}}})
    assert config.pack == "neutral"
    assert config.profile_for("neutral") == {"kind": "个人"}
    assert config_from_mapping({"profile": {"kind": "部门"}}).profile_for("fazhi") == {"kind": "部门"}


def test_report_kinds_of_a_rule_set_and_a_kind_given_on_the_command_line() -> None:
    ruleset = load_ruleset(NEUTRAL)
    assert ruleset.report_kinds() == ("单位", "个人")
    config = NEUTRAL.with_report_kind("个人", ruleset.packs)
    assert config.pack_profiles == {"neutral": {"kind": "个人"}}
    assert late("某局2024年工作总结", config) == ["成文日期2025年1月20日晚于报送期限2025年1月15日（个人总结）。"]


def test_a_report_kind_the_pack_does_not_know_is_a_config_error() -> None:
    ruleset = load_ruleset(NEUTRAL)
    from reportlint.engine.config import ConfigError

    with pytest.raises(ConfigError) as caught:
        ruleset.check_config(config_from_mapping({"packs": {"neutral": {"profile": {"kind": "部门"}}}}))
    assert str(caught.value) == (
        "配置项 packs.neutral.profile.kind: packs.neutral.profile 设置项“kind”的值“部门”无效，应为 单位、个人 之一"
    )


@needs_builtin
def test_the_fazhi_pack_declares_its_kinds_parts_and_basis() -> None:
    fazhi = load_ruleset(Config()).pack_named("fazhi")
    assert fazhi is not None
    assert fazhi.report_kinds == ("部门", "政府", "乡镇街道")
    assert fazhi.default_report_kind == "部门"
    assert fazhi.infer_report_kind("某镇人民政府关于2024年度法治政府建设情况的报告", []) == "乡镇街道"
    assert fazhi.infer_report_kind("广州市天河区2023年度法治政府建设情况报告", []) == "政府"
    assert fazhi.infer_report_kind("某区司法局2024年法治政府建设情况报告", ["中共某区委员会", "某区人民政府"]) == "政府"
    assert {name: part.short for name, part in fazhi.parts.items()} == {
        "achievements": "举措成效",
        "shortcomings": "不足原因",
        "responsibility": "第一责任人",
        "plan": "下年安排",
        "other": "其他需要报告的情况",
    }
    assert "督察工作规定" in (fazhi.basis("duplicate") or "")
    assert "督察" not in INTERNAL_CODES["RL101"].explanation.split("## 依据")[1].split("规则包")[0]


def test_basis_texts_and_short_labels_of_a_pack() -> None:
    ruleset = load_ruleset(NEUTRAL)
    assert ruleset.basis("duplicate", "通用") == "测试依据：工作总结应写本单位当年的实际工作"
    assert ruleset.basis("nothing", "通用") == "通用"
    pack = ruleset.packs[0]
    assert pack.parts["problems"].short == "问题"
    assert pack.parts["leaders"].short == pack.parts["leaders"].label  # none given: the label


# -- check kinds from outside the package --------------------------------------------------


def test_a_pack_plugs_in_a_check_kind_of_its_own() -> None:
    pack = load_pack(PACKS / "plugin")
    assert "paragraph-length" in KINDS
    long = "全年围绕中心工作，扎实推进各项任务落实，完成年初确定的目标任务，做到与本单位工作职责同部署、同推进。\n"
    _, found = lint_text("短段落。\n\n" + long, rules=pack.rules)
    assert [(d.code, d.start, d.message) for d in found] == [("PL101", 6, "这一段有 50 个字，超过 40 字。")]


def test_a_pack_with_an_outside_check_kind_is_cached_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPORTLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("REPORTLINT_NO_CACHE", raising=False)  # (--no-cache in an earlier test sets it)
    first = loader.load_packs_cached([PACKS / "plugin"])
    second = loader.load_packs_cached([PACKS / "plugin"])
    assert type(second[0].rules[0].check).__name__ == "ParagraphLength"
    assert first is not second
    assert list((tmp_path / "cache").glob("rules-*.pickle"))


def test_a_check_kind_module_that_cannot_be_imported_is_a_rule_error(tmp_path: Path) -> None:
    pack = tmp_path / "p"
    shutil.copytree(PACKS / "plugin", pack)
    settings = pack / "pack.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("packs.plugin.paragraph_length", "no_such_kinds"),
        encoding="utf-8",
    )
    with pytest.raises(RuleError) as caught:
        load_pack(pack)
    assert str(caught.value) == (
        f"{settings}:4: 无法导入检查类型模块“no_such_kinds”：ModuleNotFoundError: No module named 'no_such_kinds'"
    )


def test_register_kind_adds_a_check_kind_at_run_time(tmp_path: Path) -> None:
    class Shout(Check):
        params = {}
        placeholders = frozenset()

        def compile(self, params: dict[str, object]) -> None:
            pass

        def run(self, ctx: LintContext) -> Iterator[Finding]:
            if "！！" in ctx.text:
                yield Finding(ctx.text.index("！！"), ctx.text.index("！！") + 2)

    Shout.kind = "test-shout"  # (set after the class: defining it registers nothing)
    assert "test-shout" not in KINDS
    register_kind(Shout)
    pack = tmp_path / "shout"
    pack.mkdir()
    (pack / "SH101-shout.toml").write_text(
        textwrap.dedent(
            """\
            code = "SH101"
            name = "shout"
            category = "punctuation"
            severity = "info"
            message = "连用感叹号。"
            basis = "测试依据"

            [check]
            kind = "test-shout"
            """
        ),
        encoding="utf-8",
    )
    (rules,) = [p.rules for p in load_packs([pack])]
    _, found = lint_text("好！！\n", rules=rules)
    assert [(d.code, d.start) for d in found] == [("SH101", 1)]
    del KINDS["test-shout"]
