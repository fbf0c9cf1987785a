"""Applying fixes to text: edits sorted by position, overlapping edits skipped
(the next run picks them up), so text is never corrupted."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from reportlint.diagnostics import Diagnostic, Edit


def applicable_edits(diagnostics: Iterable[Diagnostic], unsafe: bool = False) -> list[Edit]:
    """Edits of the fixable diagnostics that do not overlap an earlier one."""
    chosen: list[Edit] = []
    last_end = -1
    candidates = [d.fix for d in diagnostics if d.fix and (d.fix.safe or unsafe)]
    # Whole fixes only: a fix whose edits would partly collide is skipped entirely.
    for fix in sorted(candidates, key=lambda f: (f.edits[0].start, f.edits[0].end)):
        edits = sorted(fix.edits, key=lambda e: (e.start, e.end))
        if edits[0].start < last_end or any(a.end > b.start for a, b in pairwise(edits)):
            continue
        chosen.extend(edits)
        last_end = max(e.end for e in edits)
    return chosen


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (offsets into ``text``)."""
    pieces = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        pieces.append(text[position : edit.start])
        pieces.append(edit.new_text)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)
