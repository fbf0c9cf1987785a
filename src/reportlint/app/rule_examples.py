"""A rule's message as users should read it where the rule is described (``reportlint
explain``, LSP hover, the dashboard's chart): rendered on the rule's first ``bad``
example, never the raw template with its ``{placeholders}``.

Rendering lints a small example text, so it is done on demand and remembered per rule:
``reportlint check`` never pays for it.
"""

from __future__ import annotations

import string
import weakref

from reportlint.engine.lint import lint_text
from reportlint.rules.model import Rule

# Keyed weakly: the language server reloads its rules when the configuration changes.
_MESSAGES: weakref.WeakKeyDictionary[Rule, str] = weakref.WeakKeyDictionary()


def example_text(rule: Rule) -> str | None:
    """The text of the rule's first bad example without its «» span markers."""
    if not rule.bad:
        return None
    return rule.bad[0].text.replace("«", "").replace("»", "")


def example_message(rule: Rule) -> str:
    """The rule's message as its first bad example renders it (the template with "…" for
    each placeholder if the example yields no finding)."""
    message = _MESSAGES.get(rule)
    if message is None:
        message = _MESSAGES[rule] = _render(rule)
    return message


def _render(rule: Rule) -> str:
    text = example_text(rule)
    if text is not None:
        _, diagnostics = lint_text(text, path="example.txt", rules=[rule])
        found = next((d.message for d in diagnostics if d.code == rule.code), None)
        if found is not None:
            return _without_unfinished_note(rule, found)
    return template_gist(rule.message)


def _without_unfinished_note(rule: Rule, message: str) -> str:
    # An example is an excerpt, with neither 落款 nor closing parts, so a rule with
    # ``if_unfinished`` takes it for an unfinished report and appends the pack's note: that
    # note is about the excerpt, not what the rule checks.
    note = rule.pack.settings.get("unfinished_note", "")
    if rule.if_unfinished and note and message.endswith(note) and message != note:
        return message[: -len(note)]
    return message


def template_gist(template: str) -> str:
    """A message template with "…" in place of each ``{placeholder}``."""
    try:
        pieces = list(string.Formatter().parse(template))
    except ValueError:  # a malformed template: show it as it is rather than fail
        return template
    return "".join(literal + ("…" if field is not None else "") for literal, field, _, _ in pieces)
