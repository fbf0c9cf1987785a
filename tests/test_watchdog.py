"""The per-rule time limit: a pathological pattern is reported as RL001 and the other
rules still run, whether the engine's timer (main thread) or the searches' own limit
(any other thread, or an application that uses SIGVTALRM itself) stops it."""

from __future__ import annotations

import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from reportlint.engine.lint import lint_text
from reportlint.engine.loader import load_pack
from reportlint.rules.model import Rule
from reportlint.support import watchdog

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="POSIX interval timers")

RULE = """code = "{code}"
name = "rule-{name}"
category = "formulation"
severity = "warning"
message = "不要写“{{match}}”。"
basis = "测试"

[check]
kind = "forbid"
pattern = '{pattern}'
"""
TEXT = "x" * 5000 + "\n甲乙\n"


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Rule]:
    """A catastrophic pattern (XX101) and an ordinary one after it (XX102)."""
    monkeypatch.setattr(watchdog, "RULE_TIMEOUT", 0.3)
    directory = tmp_path / "pack"
    directory.mkdir()
    for code, pattern in (("XX101", "(x+x+)+y"), ("XX102", "甲乙")):
        (directory / f"{code}.toml").write_text(RULE.format(code=code, name=code[-1], pattern=pattern), encoding="utf-8")
    return load_pack(directory).rules


def codes_and_lines(rules: list[Rule]) -> list[tuple[str, int]]:
    doc, diagnostics = lint_text(TEXT, rules=rules)
    return [(d.code, doc.line_of(d.start)) for d in diagnostics]


def test_the_timer_stops_a_runaway_rule_in_the_main_thread(rules: list[Rule], monkeypatch: pytest.MonkeyPatch) -> None:
    armed: list[bool] = []  # whether each watch was active inside
    enter = watchdog.RuleWatch.__enter__
    monkeypatch.setattr(watchdog.RuleWatch, "__enter__", lambda self: (armed.append(enter(self).active), self)[1])
    started = time.perf_counter()
    assert codes_and_lines(rules) == [("RL001", 1), ("XX102", 2)]
    assert armed == [True]  # the searches ran without a limit of their own
    assert time.perf_counter() - started < 0.3 + 2.0  # the limit and a generous margin
    # Nothing is left behind: the default handler is back and no timer is set.
    assert signal.getsignal(signal.SIGVTALRM) is signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)


def test_the_searches_limit_themselves_outside_the_main_thread(rules: list[Rule]) -> None:
    result: list[Any] = []
    worker = threading.Thread(target=lambda: result.append(codes_and_lines(rules)))
    worker.start()
    worker.join(timeout=30)
    assert result == [[("RL001", 1), ("XX102", 2)]]


def test_an_application_handler_is_left_alone(rules: list[Rule], monkeypatch: pytest.MonkeyPatch) -> None:
    armed: list[bool] = []  # whether each watch was active inside
    enter = watchdog.RuleWatch.__enter__
    monkeypatch.setattr(watchdog.RuleWatch, "__enter__", lambda self: (armed.append(enter(self).active), self)[1])
    called: list[int] = []
    previous = signal.signal(signal.SIGVTALRM, lambda signum, frame: called.append(signum))
    try:
        assert codes_and_lines(rules) == [("RL001", 1), ("XX102", 2)]
        assert armed == [False]  # the searches' own timeout stopped the rule
        assert signal.getsignal(signal.SIGVTALRM) is not signal.SIG_DFL
        assert called == []
    finally:
        signal.signal(signal.SIGVTALRM, previous)


def test_the_timer_is_active_only_where_it_disturbs_nobody() -> None:
    with watchdog.RuleWatch() as watch:
        assert watch.active
        assert signal.getitimer(signal.ITIMER_VIRTUAL)[1] == watchdog.TICK
    assert not watch.active
    signal.setitimer(signal.ITIMER_VIRTUAL, 60)  # somebody else's timer
    try:
        with watchdog.RuleWatch() as watch:
            assert not watch.active
        assert signal.getitimer(signal.ITIMER_VIRTUAL)[0] > 50
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)


def _frame_in(module: str) -> FrameType:
    """A frame whose code belongs to ``module``."""
    namespace: dict[str, Any] = {"__name__": module, "sys": sys}
    exec("frame = sys._getframe()", namespace)
    return namespace["frame"]  # type: ignore[no-any-return]


def test_the_tick_raises_only_in_a_long_rule_and_in_reportlint_code() -> None:
    watch = watchdog.RuleWatch()
    in_rule, in_library = _frame_in("reportlint.checks.text"), _frame_in("jieba")
    limit = round(watchdog.RULE_TIMEOUT / watchdog.TICK)  # ticks a rule may run
    watch._tick(signal.SIGVTALRM, in_rule)  # no rule running: nothing counted
    watch.rule = first = object()
    for _ in range(limit - 1):
        watch._tick(signal.SIGVTALRM, in_rule)
    watch.rule = second = object()  # the next rule starts from nothing
    for _ in range(limit):
        watch._tick(signal.SIGVTALRM, in_rule)
        watch._tick(signal.SIGVTALRM, in_library)  # inside a library: not counted, not raised
    assert watch.rule is second and first is not second
    with pytest.raises(TimeoutError):
        watch._tick(signal.SIGVTALRM, in_rule)
    assert watch.rule is None  # one exception per rule


# --- issue 15: every pattern of a pack runs under the limit, on every surface and thread ---

SLOW = "^(法|法法)+$"  # exponential on a long run of 法 that does not end the line
SLOW_PACK = {
    "pack.toml": f"""name = "slow"
closing_parts = ["plan"]

[parts.plan]
label = "安排"
aliases = ['{SLOW}']
""",
    "SL101-scope.toml": f"""code = "SL101"
name = "slow-scope"
category = "formulation"
severity = "warning"
message = "不要写“{{match}}”。"
basis = "测试"
scope = {{ section = ['{SLOW}'] }}

[check]
kind = "forbid"
pattern = '甲'
""",
    "SL102-part.toml": """code = "SL102"
name = "slow-part"
category = "structure"
severity = "warning"
message = "缺少{part}。"
basis = "测试"

[check]
kind = "section"
part = "plan"
""",
    "SL103-unfinished.toml": """code = "SL103"
name = "unfinished"
category = "formulation"
severity = "warning"
message = "不要写“{match}”。"
basis = "测试"
if_unfinished = "info"

[check]
kind = "forbid"
pattern = '丙'
""",
    "SL104-hint.toml": f"""code = "SL104"
name = "slow-hint"
category = "formulation"
severity = "warning"
message = "不要写“{{match}}”。"
basis = "测试"
info_if = 'matches("(?m){SLOW}")'

[check]
kind = "forbid"
pattern = '丁'
""",
    "SL105-fine.toml": """code = "SL105"
name = "fine"
category = "formulation"
severity = "warning"
message = "不要写“{match}”。"
basis = "测试"

[check]
kind = "forbid"
pattern = '乙'
""",
}
SLOW_TEXT = "一、" + "法" * 40 + "乙\n\n甲乙丙。\n\n二、" + "法" * 45 + "x\n\n甲。\n\n" + "法" * 45 + "x丁\n"
SLOW_FOUND = [("RL001", "SL101"), ("RL001", "SL102"), ("RL001", "SL103"), ("RL001", "SL104"), ("SL105", ""), ("SL105", "")]


@pytest.fixture
def slow_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A pack whose section scope, part alias (also a closing part) and info_if condition
    backtrack catastrophically on the report's headings and lines."""
    monkeypatch.setattr(watchdog, "RULE_TIMEOUT", 0.3)
    directory = tmp_path / "slow"
    directory.mkdir()
    for name, text in SLOW_PACK.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def _found(diagnostics: Any) -> list[tuple[str, str]]:
    return sorted((d.code, d.message.split()[1] if d.code == "RL001" else "") for d in diagnostics)


def test_pack_patterns_time_out_under_the_cli(
    slow_pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reportlint.frontends.cli import main

    report = tmp_path / "r.txt"
    report.write_text(SLOW_TEXT, encoding="utf-8")
    started = time.perf_counter()
    assert main(["check", str(report), "--rules", str(slow_pack), "--select", "SL", "--no-cache"]) == 1
    assert time.perf_counter() - started < 8
    out = capsys.readouterr().out
    assert sorted(regex_code(line) for line in out.splitlines() if ": " in line) == SLOW_FOUND
    assert "请检查 slow/pack.toml 中各部分（[parts.*]）的 aliases、strong 正则表达式" in out
    assert "请检查 SL101-scope.toml 中的正则表达式" in out


def regex_code(line: str) -> tuple[str, str]:
    code = line.split()[1]
    return code, line.split("规则 ")[1].split()[0] if code == "RL001" else ""


def test_pack_patterns_time_out_in_another_thread(slow_pack: Path) -> None:
    """As serve, the language server and report --html lint: no signal timer there."""
    from reportlint.core.document import Document
    from reportlint.engine.lint import lint_document

    rules = load_pack(slow_pack).rules
    result: list[Any] = []
    started = time.perf_counter()
    worker = threading.Thread(target=lambda: result.append(lint_document(Document.from_text(SLOW_TEXT), rules)))
    worker.start()
    worker.join(timeout=60)
    assert time.perf_counter() - started < 8
    assert [_found(found) for found in result] == [SLOW_FOUND]


def test_pack_patterns_time_out_in_the_report_dashboard(
    slow_pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reportlint.frontends.cli import main

    report = tmp_path / "r.txt"
    report.write_text(SLOW_TEXT, encoding="utf-8")
    started = time.perf_counter()
    code = main(["report", str(report), "--rules", str(slow_pack), "--no-cache", "--html", str(tmp_path / "o.html")])
    assert code in (0, 1)
    assert time.perf_counter() - started < 10
    assert (tmp_path / "o.html").exists()


def test_a_part_that_timed_out_is_not_searched_again(slow_pack: Path) -> None:
    """The first rule that needs the part waits for the limit; the others are told at once."""
    from reportlint.checks.context import LintContext, PartTimeout
    from reportlint.core.document import Document

    pack = load_pack(slow_pack)
    ctx = LintContext(Document.from_text(SLOW_TEXT), regex_timeout=0.3, strict_timeouts=True)
    with pytest.raises(PartTimeout):
        ctx.part_sections(pack.parts["plan"], pack)
    started = time.perf_counter()
    for _ in range(50):
        with pytest.raises(PartTimeout):
            ctx.part_sections(pack.parts["plan"], pack)
    assert time.perf_counter() - started < 0.3
    # Elsewhere (the dashboard's part columns) the part is taken as not found.
    ctx = LintContext(Document.from_text(SLOW_TEXT), regex_timeout=0.3)
    assert ctx.part_sections(pack.parts["plan"], pack) == []


def test_a_part_is_blamed_only_when_its_own_search_took_the_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under the engine's watch the limit is the rule's: a rule that spent it on its own
    pattern and is stopped just as it asks for a part must not make the part look slow."""
    from reportlint.checks.context import LintContext, PartTimeout
    from reportlint.core.document import Document

    monkeypatch.setattr(watchdog, "RULE_TIMEOUT", 0.2)
    ctx = LintContext(Document.from_text("一、安排\n"), regex_timeout=None, strict_timeouts=True)
    calls: list[str] = []

    def stopped_at_once() -> list[Any]:
        calls.append("quick")
        raise TimeoutError("a rule ran for more than 0.2 s")

    def stopped_after_a_while() -> list[Any]:
        calls.append("slow")
        started = time.thread_time()
        while time.thread_time() - started < 0.15:
            pass
        raise TimeoutError("a rule ran for more than 0.2 s")

    for _ in range(2):
        with pytest.raises(PartTimeout):
            ctx._searched(("part", "a", 0), stopped_at_once, [], part=True)
    for _ in range(2):
        with pytest.raises(PartTimeout):
            ctx._searched(("part", "b", 0), stopped_after_a_while, [], part=True)
    assert calls == ["quick", "quick", "slow"]  # the slow search is not run again
