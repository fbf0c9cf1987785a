"""The command line, the language server, the self-check page and the dashboard."""
