"""Where a rule is described rather than a finding (``reportlint explain``, LSP hover, the
dashboard's chart), its message is shown as its first bad example renders it, never as the
template with ``{placeholders}`` (issue 14, item 9)."""

from __future__ import annotations

import dataclasses
import html
import json
from pathlib import Path

import pytest
import regex

from reportlint.app.dashboard import Dashboard, ReportRow, part_columns
from reportlint.app.rule_docs import explain_text
from reportlint.core.diagnostics import Diagnostic
from reportlint.core.document import Document
from reportlint.engine.config import Config
from reportlint.engine.lint import lint_text, load_ruleset
from reportlint.frontends.cli import main
from reportlint.frontends.lsp import analyse, hover
from reportlint.output.dashboard import CHART_TOP, render_html
from reportlint.rules.model import Example, Rule

RULESET = load_ruleset(Config())
RULES = RULESET.rules
PLACEHOLDER = regex.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
BAR = regex.compile(
    r'<g class="bar" data-code="([^"]*)" data-count="\d+"><title>([^<]*)</title>.*?'
    r'<tspan font-weight="600">[^<]*</tspan> ([^<]*)</text>',
    regex.S,
)
TIP = regex.compile(r"^(?P<code>[A-Z]+[0-9]+)：(?P<text>.*)（\d+ 处，\d+ 份报告）$", regex.S)
DATA_BLOCK = regex.compile(r'<script type="application/json" id="reportlint-data">(.*?)</script>', regex.S)


def _example(rule: Rule) -> tuple[Document, list[Diagnostic]]:
    """The rule's first bad example (without its «» markers), linted with that rule alone."""
    text = rule.bad[0].text.replace("«", "").replace("»", "")
    doc, diagnostics = lint_text(text, path="example.txt", rules=[rule])
    return doc, [d for d in diagnostics if d.code == rule.code]


def expected_message(rule: Rule) -> str:
    """The first finding's message on the rule's first bad example.  An example is an excerpt
    that looks like an unfinished report, so the pack's note saying so is not part of it."""
    _, found = _example(rule)
    assert found, f"{rule.code}: its first bad example yields no finding"
    message = found[0].message
    note = rule.pack.settings.get("unfinished_note", "")
    return message.removesuffix(note) if rule.if_unfinished and note else message


def _params(rules: list[Rule]) -> list[object]:
    return [pytest.param(rule, id=rule.code) for rule in rules]


def _no_placeholder(text: str) -> None:
    assert not PLACEHOLDER.search(text), PLACEHOLDER.findall(text)


# -- reportlint explain ------------------------------------------------------------------------


@pytest.mark.parametrize("rule", _params(RULES))
def test_explain_shows_the_rendered_message(rule: Rule) -> None:
    text = explain_text(rule)
    assert f"## 检查什么\n{expected_message(rule)}\n" in text
    _no_placeholder(text)


def test_explain_command_renders_fz701(capsys: pytest.CaptureFixture[str]) -> None:
    rule = RULESET.by_code("FZ701")
    assert rule is not None
    assert main(["explain", "FZ701"]) == 0
    out = capsys.readouterr().out
    assert expected_message(rule) in out
    assert "{heading_year}" not in out and "{report_year}" not in out
    assert "## 依据" in out and "## 错误示例" in out


def test_unfinished_note_of_an_excerpt_is_not_shown() -> None:
    rule = RULESET.by_code("FZ107")
    assert rule is not None and rule.if_unfinished
    _, found = _example(rule)
    note = rule.pack.settings["unfinished_note"]
    assert found[0].message.endswith(note)  # what the excerpt reports …
    assert note not in explain_text(rule)  # … is not what the rule checks


# -- LSP hover ---------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", _params(RULES))
def test_hover_describes_the_rule_with_the_rendered_message(rule: Rule) -> None:
    text = rule.bad[0].text.replace("«", "").replace("»", "")
    analysis = analyse(text, "example.txt", Config(), [rule])
    index = next(i for i, d in enumerate(analysis.diagnostics) if d.code == rule.code)
    result = hover(analysis, analysis.lsp_diagnostics[index].range.start, [rule])
    assert result is not None
    value = result.contents.value  # type: ignore[union-attr]
    # The finding's own message heads the hover; the rule's description follows it.
    assert f"#### 检查什么\n{expected_message(rule)}\n" in value
    _no_placeholder(value)


# -- the dashboard -----------------------------------------------------------------------------


def _dashboard_page(rules: list[Rule]) -> str:
    """A dashboard of one report per rule: the rule's first bad example with its findings."""
    rows = []
    for rule in rules:
        doc, found = _example(rule)
        rows.append(ReportRow(f"{rule.code}.txt", doc, found, title=""))
    return render_html(Dashboard(rows, part_columns(RULESET.packs), {r.code: r for r in RULES}))


def _chart_and_codes() -> tuple[dict[str, tuple[str, str]], dict[str, dict[str, str]]]:
    """Every rule's chart bar (tooltip, label) and its entry in the page's data, built from
    dashboards of at most CHART_TOP rules so that every rule gets a bar."""
    bars: dict[str, tuple[str, str]] = {}
    codes: dict[str, dict[str, str]] = {}
    for first in range(0, len(RULES), CHART_TOP):
        page = _dashboard_page(RULES[first : first + CHART_TOP])
        for code, tip, gist in BAR.findall(page):
            bars[html.unescape(code)] = (html.unescape(tip), html.unescape(gist))
        data = DATA_BLOCK.search(page)
        assert data is not None
        codes.update(json.loads(data.group(1))["codes"])
    return bars, codes


@pytest.fixture(scope="module")
def chart() -> tuple[dict[str, tuple[str, str]], dict[str, dict[str, str]]]:
    return _chart_and_codes()


def _label_core(gist: str) -> str:
    """A chart label without the ellipsis of a label cut at its 18 characters."""
    return gist[:-1] if len(gist) == 18 and gist.endswith("…") else gist


@pytest.mark.parametrize("rule", _params(RULES))
def test_chart_tooltip_and_label_are_rendered(
    rule: Rule, chart: tuple[dict[str, tuple[str, str]], dict[str, dict[str, str]]]
) -> None:
    bars, codes = chart
    tip, gist = bars[rule.code]
    match = TIP.match(tip)
    assert match is not None, tip
    assert match["code"] == rule.code
    assert match["text"] == expected_message(rule)
    assert gist and _label_core(gist) in expected_message(rule), gist
    assert codes[rule.code]["gist"] == gist
    _no_placeholder(tip + gist)


def test_missing_part_labels_name_the_part(chart: tuple[dict[str, tuple[str, str]], dict[str, dict[str, str]]]) -> None:
    bars, _ = chart
    columns = [c for c in part_columns(RULESET.packs) if c.missing_codes]
    assert {"shortcomings", "plan"} <= {c.name for c in columns}
    for column in columns:
        for code in column.missing_codes:
            tip, gist = bars[code]
            said = f"报告缺少“{column.label}”部分"
            assert said.startswith(_label_core(gist)), (code, gist)
            assert TIP.match(tip)["text"].startswith(said)  # type: ignore[index]
    assert bars["FZ202"][1] == "报告缺少“存在的不足和原因”部分"


def test_dashboard_page_shows_no_template(chart: tuple[dict[str, tuple[str, str]], dict[str, dict[str, str]]]) -> None:
    page = _dashboard_page(RULES[:CHART_TOP])
    outside_scripts = regex.sub(r"<(script|style)\b[^>]*>.*?</\1>", "", page, flags=regex.S)
    _no_placeholder(outside_scripts)
    data = DATA_BLOCK.search(page)
    assert data is not None
    for info in json.loads(data.group(1))["codes"].values():
        _no_placeholder(info["gist"])


# -- the one place that renders ----------------------------------------------------------------


def test_a_rule_whose_example_does_not_fire_shows_its_template_with_ellipses() -> None:
    from reportlint.app.rule_examples import example_message

    rule = RULESET.by_code("FZ701")
    assert rule is not None
    with_ellipses = PLACEHOLDER.sub("…", rule.message)
    assert with_ellipses != rule.message
    quiet = dataclasses.replace(rule, bad=(Example("全年开展培训3次。\n"),))
    assert example_message(quiet) == with_ellipses
    assert example_message(dataclasses.replace(rule, bad=())) == with_ellipses


def test_check_does_not_render_examples(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fixtures_dir: Path
) -> None:
    from reportlint.app import rule_examples

    def refuse(rule: Rule) -> str:
        raise AssertionError(f"reportlint check rendered the example of {rule.code}")

    monkeypatch.setattr(rule_examples, "_render", refuse)
    monkeypatch.setattr(rule_examples, "_MESSAGES", type(rule_examples._MESSAGES)())
    main(["check", "--exit-zero", str(fixtures_dir / "reports")])
    assert "发现" in capsys.readouterr().out
