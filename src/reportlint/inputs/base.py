"""What an input format declares: :class:`Reader`.

Each format is one module (or package) of :mod:`reportlint.inputs` that declares a
``READER``: the suffixes it is named by, the bytes its files start with, how to turn
those bytes into a :class:`~reportlint.core.document.Document`, and whether ``--fix``
may rewrite such a file.  :mod:`reportlint.inputs.registry` holds the readers; every
list of suffixes in reportlint (the directory walk, ``--fix``, the language server, the
web page, the command line's help) is derived from it.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from reportlint.core.document import Document

__all__ = ["Reader", "suffix_of"]


class Reader:
    """An input format and how to read it.

    ``name``: the format's name, also the ``source_format`` of the Documents it reads
    (only ``"text"`` Documents are rewritten by ``--fix``).  ``suffixes``: the file name
    endings it reads (with the dot; matched case-insensitively); a directory walk picks
    these files up.  ``read(data, path)``: the Document of a file's bytes, or an
    :class:`~reportlint.core.errors.InputError` with a Chinese problem; import anything
    heavy inside it, so that start-up does not pay for a format nobody reads.
    ``label``: what such files are called in messages (``"Word"``, ``"PDF"``).
    ``magic``: the bytes such files start with: a file that starts so is read by this
    reader whatever its name (a renamed file is common), once ``sniff`` (when given)
    confirms it on the whole content.  ``fixable``: ``--fix`` may rewrite the file
    (its text is the file's text).  ``editable``: editors edit it as text, so the
    language server lints the editor's buffer (other formats are read from disk on
    open and save).  ``listing``: how ``reportlint text`` numbers the lines of such a
    file (``"按段落"``), when not line by line.
    """

    # (a plain class, not a dataclass: it is made at every start, and a dataclass costs
    # half a millisecond to define)
    __slots__ = ("editable", "fixable", "label", "listing", "magic", "name", "read", "sniff", "suffixes")

    def __init__(
        self,
        name: str,
        suffixes: tuple[str, ...],
        read: Callable[[bytes, str], Document],
        *,
        label: str = "",
        magic: tuple[bytes, ...] = (),
        sniff: Callable[[bytes], bool] | None = None,
        fixable: bool = False,
        editable: bool = False,
        listing: str = "",
    ) -> None:
        self.name = name
        self.suffixes = tuple(s.lower() if s.startswith(".") else "." + s.lower() for s in suffixes)
        self.read = read
        self.label = label
        self.magic = magic
        self.sniff = sniff
        self.fixable = fixable
        self.editable = editable
        self.listing = listing

    def __repr__(self) -> str:
        return f"Reader({self.name!r}, {self.suffixes!r})"

    def claims_content(self, data: bytes) -> bool:
        """Whether ``data`` is this format by its content (its magic, confirmed by ``sniff``)."""
        if not any(data.startswith(magic) for magic in self.magic):
            return False
        return self.sniff is None or self.sniff(data)


def suffix_of(path: str) -> str:
    """The lower-case suffix of a file name, with its dot (``""`` when it has none)."""
    return os.path.splitext(path)[1].lower()
