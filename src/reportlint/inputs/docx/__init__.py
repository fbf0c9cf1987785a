"""Word (.docx) reports: the format's declaration.

The reading itself is :mod:`reportlint.inputs.docx.reader`, imported when the first
.docx is read (checking text files never loads it, nor python-docx).
"""

from __future__ import annotations

import io

from reportlint.core.document import Document
from reportlint.inputs.base import Reader

__all__ = ["READER", "ZIP_MAGIC", "is_word_archive", "read_docx"]

ZIP_MAGIC = b"PK\x03\x04"


def read_docx(data: bytes, path: str) -> Document:
    """A .docx file's Document (see :func:`reportlint.inputs.docx.reader.read_docx`)."""
    from reportlint.inputs.docx.reader import read_docx as read

    return read(data, path)


def is_word_archive(data: bytes) -> bool:
    """Whether a zip archive holds a Word document (a ``word/`` part), whatever its name."""
    import zipfile  # only for files that start like a zip archive

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(name.startswith("word/") for name in archive.namelist())
    # NotImplementedError: a (damaged) directory entry claiming a zip version above 6.3.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return False


READER = Reader(
    "docx", (".docx",), read_docx, label="Word", magic=(ZIP_MAGIC,), sniff=is_word_archive, listing="按段落"
)
