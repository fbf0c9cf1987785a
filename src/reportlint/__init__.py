"""reportlint: lint Chinese government reports against declarative compliance rules."""

__version__ = "0.1.0"
