"""Plug-ins for the tests, each one module, with no edit to reportlint: an input format
(:mod:`plugins.toy_reader`) and an output format (:mod:`plugins.toy_format`).  Each
registers itself through reportlint's registries when :func:`register` is called."""
