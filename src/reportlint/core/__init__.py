"""Diagnostics, documents, errors and reportlint's own codes: the bottom layer."""
