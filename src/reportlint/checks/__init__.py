"""Check kinds: the vocabulary rule files use in ``[check] kind = "..."``.

:mod:`reportlint.checks.base` holds the base class and the kind registry; each kind is
one module that registers its classes when imported (:mod:`.text`, :mod:`.outline_checks`,
:mod:`.citation`, :mod:`.expression`, :mod:`.tables`, :mod:`.identities`), :mod:`.conditions`
the condition language rules and kinds share, :mod:`.context` what a check sees of one
document.  The engine's loader (:mod:`reportlint.engine.loader`) imports the built-in
kinds and any a pack names.
"""
