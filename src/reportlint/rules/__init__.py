"""The rule and pack model, parsed from TOML."""
