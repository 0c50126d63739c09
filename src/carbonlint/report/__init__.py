"""``carbonlint report`` (one self-contained HTML audit) and ``carbonlint label`` (an SVG label).

The report reads the same :class:`~carbonlint.findings.CardReport` objects every formatter
reads; only its charts need the ``report`` extra (matplotlib), and nothing here is imported by
``carbonlint check``.
"""
