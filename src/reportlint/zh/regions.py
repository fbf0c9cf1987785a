"""Regions of Chinese text that rules and the duplicate finder treat apart: titles in 《》
and quotations in “”, as one definition (regular expressions, within one line)."""

from __future__ import annotations

import regex

# The paired regions rules can skip (``skip_inside = ["book", "quote"]``): a title in 《…》
# and a quotation in “…”, without a nested opening mark or a line break.
PAIRS = {"book": ("《", "》"), "quote": ("“", "”")}
PAIRED_REGIONS = {
    name: regex.escape(opening) + "[^" + opening + closing + "\n]*" + regex.escape(closing)
    for name, (opening, closing) in PAIRS.items()
}
# Quotations and titles as the duplicate finder leaves them out of passages (quoted central
# formulas, slogans, law and document titles), with the other quotation marks in use.
QUOTATIONS = (
    r"“[^“”\n]{0,200}”|《[^《》\n]{0,120}》|〈[^〈〉\n]{0,120}〉|「[^「」\n]{0,200}」|『[^『』\n]{0,200}』"
    r'|‘[^‘’\n]{0,120}’|"[^"\n]{0,200}"'
)
