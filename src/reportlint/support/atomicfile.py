"""Writing a file atomically: a temporary file in the same folder, then a rename,
so a reader (or a crash) never sees half a file.  Used for reports rewritten by
``--fix`` and for the on-disk caches."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(
    target: Path,
    data: bytes,
    *,
    mode: int | None = None,
    durable: bool = False,
    before_replace: Callable[[str], None] | None = None,
) -> None:
    """Replace ``target`` with ``data``.  ``mode`` sets the permission bits; ``durable``
    flushes the data to disk before the rename (for users' files, not for caches);
    ``before_replace`` is called with the temporary file's path just before the rename
    (to copy attributes, or to make a last check: whatever it raises stops the write).
    Raises OSError; the temporary file never outlives a failure."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        if before_replace is not None:
            before_replace(temporary)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
