"""Reading report files: plain text, Word and PDF."""
