"""The input formats reportlint reads: the built-in ones and any registered by a plug-in.

A format is a :class:`~reportlint.inputs.base.Reader`.  The built-in formats are
declared by :mod:`reportlint.inputs.plain` (.txt, .md), :mod:`reportlint.inputs.docx`
and :mod:`reportlint.inputs.pdf`; another one is added with :func:`register_reader`,
from any module, with no edit to reportlint::

    from reportlint.inputs.base import Reader
    from reportlint.inputs.registry import register_reader

    register_reader(Reader("rtxt", (".rtxt",), read_rtxt, label="玩具格式"))

From then on ``reportlint check`` (directories included), ``lint_path``, ``reportlint
text``, the language server and the web page read such files.  Registration is per
process: worker processes started by fork (``--jobs`` on Linux) inherit it; elsewhere
register the reader in a module that the workers import too.

Every list of suffixes in reportlint comes from here: the directory walk's
(:func:`suffixes`), ``--fix``'s (:func:`fixable_suffixes`), the language server's
(:func:`editable_suffixes`), the web page's and the command line's help.
"""

from __future__ import annotations

from reportlint.inputs import docx, pdf, plain
from reportlint.inputs.base import Reader, suffix_of

__all__ = [
    "BUILTIN_READERS",
    "chinese_list",
    "editable_suffixes",
    "fixable_suffixes",
    "reader_for_content",
    "reader_for_suffix",
    "readers",
    "register_reader",
    "suffixes",
    "unregister_reader",
]

# In the order their suffixes are listed; a later one is asked first.
BUILTIN_READERS: tuple[Reader, ...] = (plain.READER, docx.READER, pdf.READER)

_readers: list[Reader] = list(BUILTIN_READERS)


def register_reader(reader: Reader) -> Reader:
    """Add an input format (or replace the one of the same ``name``); returns ``reader``.

    A reader registered later is asked first: it takes over the suffixes and the magic
    bytes it declares from the readers before it."""
    unregister_reader(reader.name)
    _readers.append(reader)
    return reader


def unregister_reader(name: str) -> None:
    """Remove the format ``name`` (a plug-in's, or a built-in one)."""
    _readers[:] = [r for r in _readers if r.name != name]


def readers() -> tuple[Reader, ...]:
    """Every input format, built-in ones first."""
    return tuple(_readers)


def reader_for_suffix(path_or_suffix: str) -> Reader | None:
    """The reader of files with this suffix (or of this file name), if any."""
    suffix = path_or_suffix.lower() if path_or_suffix.startswith(".") else suffix_of(path_or_suffix)
    return next((r for r in reversed(_readers) if suffix in r.suffixes), None)


def reader_for_content(data: bytes, *, sniff: bool = True) -> Reader | None:
    """The reader whose magic bytes ``data`` starts with (and whose ``sniff`` confirms it;
    with ``sniff=False``, readers that need one are not asked)."""
    for reader in reversed(_readers):
        if reader.sniff is not None and not sniff:
            continue
        if reader.claims_content(data):
            return reader
    return None


def _suffixes(wanted: bool | None = None, field: str = "") -> tuple[str, ...]:
    found: dict[str, None] = {}
    for reader in _readers:
        if wanted is None or getattr(reader, field) == wanted:
            found.update(dict.fromkeys(s for s in reader.suffixes if reader_for_suffix(s) is reader))
    return tuple(found)


def suffixes() -> tuple[str, ...]:
    """Every suffix reportlint reads, in the order of the readers (.txt, .md, .docx, .pdf …)."""
    return _suffixes()


def fixable_suffixes() -> tuple[str, ...]:
    """The suffixes of the files ``--fix`` may rewrite."""
    return _suffixes(True, "fixable")


def editable_suffixes() -> tuple[str, ...]:
    """The suffixes of the files editors edit as text (the language server lints their buffers)."""
    return _suffixes(True, "editable")


def chinese_list(items: list[str] | tuple[str, ...], last: str = "和") -> str:
    """``a、b 和 c``: a list in a Chinese sentence (``last`` joins the final item)."""
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + f" {last} " + items[-1]
