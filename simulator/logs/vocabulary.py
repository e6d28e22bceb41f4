"""The words the session filters use: kinds of session and modes of play.

No imports: `report --help`, `export --help` and `send --help` offer these as choices,
and building the parser must not load the log readers.
"""

from __future__ import annotations

KINDS = ("play", "branch", "scripted", "test")
"""play: a trainee at the keyboard; branch: a rewind of an earlier session (still the
trainee playing); scripted: `play --choices`; test: SIMULATOR_SESSION_KIND=test."""
REAL_KINDS = frozenset({"play", "branch"})
"""What History, reports and exports count unless asked for more."""
MODES = ("practice", "assessment")
