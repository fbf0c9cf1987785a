"""Caches, regular expressions, the literal index, the watchdog, atomic writes."""
