"""jieba, loaded once and lazily: word boundaries for ``word = true`` rules, and the
default tokenizer for the duplicate finder (reportlint.app.duplicates).

jieba's dictionary costs about half a second to load, so it is only loaded when a rule
asks for word boundaries (``word = true``) and a candidate match actually needs
confirming, or when duplicates are looked for.  The packs' own terms are added to the
rules' tokenizer (not jieba's default one) so that a rule's term is segmented as one word
where it really is one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

_lock = threading.Lock()
_tokenizer: Any = None
_added: set[str] = set()


def load_jieba() -> Any:
    """The jieba module, imported (deferred: expensive to import) with its logging quiet."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def default_tokenizer() -> Any:
    """jieba's default tokenizer, initialised (its dictionary loaded), without the packs'
    words: what the duplicate finder segments with."""
    jieba = load_jieba()
    jieba.dt.initialize()
    return jieba.dt


def _get_tokenizer(words: Iterable[str]) -> Any:
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            _tokenizer = load_jieba().Tokenizer()
        for word in words:
            if word not in _added:
                _tokenizer.add_word(word, freq=None)
                _added.add(word)
        return _tokenizer


def boundaries(text: str, words: Iterable[str] = ()) -> frozenset[int]:
    """Offsets in ``text`` (0 and len included) where jieba puts a word boundary."""
    tokenizer = _get_tokenizer(words)
    cuts = {0}
    position = 0
    for token in tokenizer.cut(text, HMM=False):
        position += len(token)
        cuts.add(position)
    return frozenset(cuts)
