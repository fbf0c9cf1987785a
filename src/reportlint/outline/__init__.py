"""The outline of a report: headings, parts and their parser."""
