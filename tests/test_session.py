"""One application session: every front end checks a report with the same configuration
and rules (the command line, the Python API, the language server, the web page, the
dashboard), and front ends hand their arguments over as RunOptions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import reportlint
from conftest import NEUTRAL_PACK
from reportlint.app.dashboard import collect
from reportlint.app.session import RunOptions, Session, session_for
from reportlint.core.document import Document
from reportlint.engine.config import ConfigError
from reportlint.frontends.cli import build_parser, main

REPORT = "某单位2025年度工作总结\n\n一、主要工作\n\n全年完成任务共 5项，培训 3次。\n"


@pytest.fixture
def report(tmp_path: Path) -> Path:
    """A report beside a configuration that selects NT201 of the neutral pack only."""
    config = f"builtin-rules = false\nrules = ['{NEUTRAL_PACK.as_posix()}']\nselect = ['NT2']\nignore = ['NT202']\n"
    (tmp_path / "reportlint.toml").write_text(config, encoding="utf-8")
    path = tmp_path / "总结.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def test_every_front_end_checks_with_the_same_configuration(
    report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--format", "json", str(report)]) == 1
    (checked,) = json.loads(capsys.readouterr().out)["files"]
    expected = [(d["code"], d["line"], d["column"]) for d in checked["diagnostics"]]
    assert [code for code, _, _ in expected] == ["NT201", "NT201"]

    api = [(f.code, f.line, f.column) for f in reportlint.lint_path(report)]

    from reportlint.frontends.lsp import ReportServer, analyse

    settings, problem = ReportServer().settings_for(str(report))
    analysis = analyse(REPORT, str(report), settings.config, settings.rules)
    lsp = [(d.code, d.range.start.line + 1, d.range.start.character + 1) for d in analysis.lsp_diagnostics]

    from reportlint.frontends.serve import Linter

    linter = Linter.from_directory(report.parent)
    doc = Document.from_text(REPORT, path=report.name)
    page = [(d.code, doc.position(d.start).line, doc.position(d.start).column) for d in linter.lint(doc)]

    (row,) = collect([str(report)]).rows
    at = row.document.position
    dashboard = [(d.code, at(d.start).line, at(d.start).column) for d in row.diagnostics]

    assert problem is None
    assert api == lsp == page == dashboard == expected


def test_run_options_from_command_line_arguments(tmp_path: Path) -> None:
    args = build_parser().parse_args(
        ["report", "--select", "NT2", "--kind", "单位", "--rules", str(tmp_path), "--config", "c.toml", "--jobs", "3"]
    )
    options = RunOptions.from_arguments(vars(args))
    assert options == RunOptions(
        config_path=Path("c.toml"), select=("NT2",), report_kind="单位", rule_dirs=(tmp_path,)
    )
    assert RunOptions.from_arguments({}) == RunOptions()


def test_one_session_per_options() -> None:
    options = RunOptions(select=("FZ5",))
    assert session_for(options) is session_for(RunOptions(select=("FZ5",)))
    assert session_for(options) is not session_for(RunOptions())


def test_unknown_codes_in_the_configuration(report: Path) -> None:
    (report.parent / "reportlint.toml").write_text(
        f"builtin-rules = false\nrules = ['{NEUTRAL_PACK.as_posix()}']\nignore = ['NT2O1']\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="NT2O1"):
        Session().rules(str(report))  # as on the command line
    config, rules = Session(check_codes=False).rules(str(report))  # the language server goes on
    assert config.ignore == ("NT2O1",) and rules


def test_the_session_reads_within_the_configured_size(report: Path) -> None:
    (report.parent / "reportlint.toml").write_text("max-file-size = 0.00001\n", encoding="utf-8")
    with pytest.raises(reportlint.LintError, match="文件过大"):
        reportlint.lint_path(report)
    assert Session(RunOptions(max_file_size=1)).read(str(report)).text == REPORT
