"""The version of reportlint (one place: pyproject.toml reads the same number)."""

__version__ = "0.5.0"
