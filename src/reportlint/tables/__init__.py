"""Tables of a report: their schemas (pack data) and the numbers read from the text."""
