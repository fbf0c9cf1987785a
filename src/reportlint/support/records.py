"""Fast constructors for the frozen dataclasses built in bulk (headings, paragraphs,
enumerators of every report; the diagnostics).

The ``__init__`` that ``dataclasses`` generates for a frozen class calls
``object.__setattr__`` once per field, which made building these records cost more
than finding what they describe.  :func:`fast_constructor` returns a function that
makes the same object (same class, still frozen) by filling the slots, or the instance
dictionary, directly.  Fields are given positionally or by name, all of them (defaults
are not applied), and ``__post_init__`` is not supported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any, TypeVar

_Record = TypeVar("_Record")


def fast_constructor(cls: type[_Record]) -> Callable[..., _Record]:
    """A constructor for the frozen dataclass ``cls`` taking every field (see module doc)."""
    names = [item.name for item in fields(cls)]  # type: ignore[arg-type]
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has a __post_init__ that the constructor would skip")
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    if "__slots__" in cls.__dict__:
        namespace.update({f"_set_{name}": cls.__dict__[name].__set__ for name in names})
        body = "".join(f"    _set_{name}(self, {name})\n" for name in names)
    else:
        body = "    self.__dict__.update({" + ", ".join(f"{name!r}: {name}" for name in names) + "})\n"
    # Generated source, as dataclasses itself does: a loop over the fields would cost
    # most of what is saved.
    exec(f"def build({', '.join(names)}):\n    self = _new(_cls)\n{body}    return self\n", namespace)
    return namespace["build"]  # type: ignore[no-any-return]
