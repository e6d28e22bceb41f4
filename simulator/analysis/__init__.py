"""The checker: lint, exhaustive analysis, self-tests, graphs and scaffolding."""

DEFAULT_MAX_STATES = 250_000
"""Merged states the exhaustive analysis explores per scenario before it reports bounds.

Room for the largest bundled scenario (customs-invoice: 173,815 states, a few seconds)
with headroom; memory stays bounded (about 400 bytes a state).

Here, not in `explore`, so `simulator check --help` can show it without importing
the analysis (and the loader behind it).
"""
