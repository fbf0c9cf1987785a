"""A time limit for each rule, so that one pathological pattern cannot hang a run.

The ``regex`` module can enforce a limit itself (``timeout=``), but it reads the
process's CPU clock every 256 steps of a search, a system call each time; over the
few hundred searches of one report that is some 8 % of the lint.  Where it can, the
engine instead runs its rules under :class:`RuleWatch`: a timer of the process's CPU
time (``ITIMER_VIRTUAL``, as ``regex`` measures CPU time too) sends ``SIGVTALRM``
every :data:`TICK` seconds, and the handler raises ``TimeoutError`` once the rule
that is running has had more than :data:`RULE_TIMEOUT` seconds of ticks.  ``regex``
checks for signals every 256 steps too (a flag test, no system call), so a runaway
match is stopped just as it would be by its own timeout, and the searches run
without one.

The timer is used only where it cannot disturb anything: in the main thread (only
there does Python run signal handlers), on a platform with ``setitimer``, and when
nobody else has a ``SIGVTALRM`` handler or a virtual timer set.  Everywhere else the
watch stays inactive and the checks pass :data:`RULE_TIMEOUT` to each search, as
before.  The handler raises only while a rule runs and only in reportlint's own
code (a rule's search), never in the middle of a library (jieba loading its
dictionary, say), which would leave that library half set up; ticks that land in a
library do not count towards the rule's limit (the searches' own timeout counted
only the search).
"""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType

RULE_TIMEOUT = 2.0  # CPU seconds one rule may run (each search, where the watch is inactive)
TICK = 0.1  # CPU seconds between the timer's looks at the running rule


class RuleWatch:
    """``with RuleWatch() as watch``: while inside, ``watch.active`` tells whether the
    timer runs; around each rule, ``watch.rule = rule`` before and ``watch.rule = None``
    after (no clock is read per rule).  Leaving restores the previous handler and timer."""

    __slots__ = ("_previous", "_seen", "_ticks", "active", "rule")

    def __init__(self) -> None:
        self.active = False
        self.rule: object = None  # the rule running, None between rules
        self._seen: object = None  # the rule the ticks below were counted for
        self._ticks = 0
        self._previous: object = None

    def __enter__(self) -> RuleWatch:
        if _can_arm():
            self._previous = signal.signal(signal.SIGVTALRM, self._tick)
            signal.setitimer(signal.ITIMER_VIRTUAL, TICK, TICK)
            self.active = True
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.rule = None
        if self.active:
            self.active = False
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)  # disarmed first: no tick after the handler goes
            signal.signal(signal.SIGVTALRM, self._previous)  # type: ignore[arg-type]

    def _tick(self, signum: int, frame: FrameType | None) -> None:
        rule = self.rule
        if rule is None:
            return
        if frame is None or not frame.f_globals.get("__name__", "").startswith("reportlint."):
            return  # inside a library: not counted, and never interrupted
        if rule is not self._seen:
            self._seen, self._ticks = rule, 0
        self._ticks += 1
        if self._ticks * TICK <= RULE_TIMEOUT:
            return
        self.rule = None  # one exception per rule
        raise TimeoutError(f"a rule ran for more than {RULE_TIMEOUT} s")


def _can_arm() -> bool:
    """Whether the timer can run without disturbing anyone (see the module's doc)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    if signal.getsignal(signal.SIGVTALRM) is not signal.SIG_DFL:
        return False  # the application handles SIGVTALRM itself
    return signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)
