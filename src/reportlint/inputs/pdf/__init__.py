"""PDF reports: the format's declaration.

The reading itself is :mod:`reportlint.inputs.pdf.reader`, imported when the first PDF
is read (checking text files never loads it, nor pdfminer).
"""

from __future__ import annotations

from reportlint.core.document import Document
from reportlint.inputs.base import Reader

__all__ = ["PDF_MAGIC", "READER", "read_pdf"]

PDF_MAGIC = b"%PDF-"


def read_pdf(data: bytes, path: str) -> Document:
    """A PDF file's Document (see :func:`reportlint.inputs.pdf.reader.read_pdf`)."""
    from reportlint.inputs.pdf.reader import read_pdf as read

    return read(data, path)


READER = Reader("pdf", (".pdf",), read_pdf, label="PDF", magic=(PDF_MAGIC,), listing="按页和行")
