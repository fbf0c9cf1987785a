"""A toy input format, ``.rtxt``: a report whose every line is written backwards, after a
``RTXT`` header line.  Read as plain text it would be nonsense; read by this reader it is
the report.  One module, registered with :func:`reportlint.inputs.registry.register_reader`."""

from __future__ import annotations

from reportlint.core.document import Document
from reportlint.core.errors import InputError
from reportlint.inputs.base import Reader
from reportlint.inputs.registry import register_reader, unregister_reader

MAGIC = b"RTXT\n"


def read_rtxt(data: bytes, path: str) -> Document:
    if not data.startswith(MAGIC):
        raise InputError(path, "不是 RTXT 文件（缺少 RTXT 文件头）", "not-rtxt")
    try:
        body = data[len(MAGIC) :].decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(path, "RTXT 文件应为 UTF-8 编码", "encoding") from None
    text = "\n".join(line[::-1] for line in body.split("\n"))
    return Document.from_text(text, path=path, source_format="rtxt")


def encode(text: str) -> bytes:
    """A report as an .rtxt file."""
    return MAGIC + "\n".join(line[::-1] for line in text.split("\n")).encode("utf-8")


READER = Reader("rtxt", (".rtxt",), read_rtxt, label="RTXT", magic=(MAGIC,))


def register() -> None:
    register_reader(READER)


def unregister() -> None:
    unregister_reader(READER.name)
