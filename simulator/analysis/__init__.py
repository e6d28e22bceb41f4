"""The checker: lint, exhaustive analysis, self-tests, graphs and scaffolding."""

DEFAULT_MAX_STATES = 20_000
"""States the exhaustive analysis explores per scenario before it reports bounds.

Here, not in `explore`, so `simulator check --help` can show it without importing
the analysis (and the loader behind it).
"""
