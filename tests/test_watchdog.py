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

from reportlint import watchdog
from reportlint.engine import lint_text
from reportlint.rules import Rule, load_pack

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
