"""What the web pages are made of: the files in ``reportlint/output/web`` (the dashboard's
and the self-check page's script, styles and page) and the findings as their scripts read
them (``--format json``'s diagnostic plus UTF-16 offsets, JavaScript's string indices)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from reportlint.app.results import diagnostic_json
from reportlint.core.diagnostics import Diagnostic
from reportlint.core.document import Document

__all__ = ["diagnostic_payload", "json_for_script", "web_asset"]

_WEB = resources.files(__package__) / "web"


def web_asset(name: str) -> str:
    """The text of a file shipped in ``reportlint/output/web``."""
    return (_WEB / name).read_text(encoding="utf-8")


def diagnostic_payload(doc: Document, diag: Diagnostic) -> dict[str, Any]:
    """``--format json``'s diagnostic plus UTF-16 ``start``/``end`` offsets for the page script."""
    item = diagnostic_json(doc, diag)
    item["start"], item["end"] = doc.utf16_offset(diag.start), doc.utf16_offset(diag.end)
    item["data"] = dict(diag.data)
    return item


def json_for_script(payload: Any) -> str:
    """JSON safe inside a <script> element whatever the strings contain."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
