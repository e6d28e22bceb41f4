"""Untrusted text turned into Textual content that can only ever be shown, never run.

Scenario lines, names and feedback are data written by trainers and trainees. A
plain `str` handed to a Textual widget is parsed as markup (a `[@click=…]` link
runs an action, a stray `[/x]` crashes the app), and control characters would reach
the terminal. Everything untrusted goes through here: control characters and bidi
overrides stripped by the one shared rule (`simulator.text.literal`), wrapped in
`Content` so no markup is parsed.
"""

from __future__ import annotations

from textual.content import Content

from simulator.text import literal


def clean(text: str | None) -> str:
    """The text without control or bidi characters or surrounding whitespace."""
    return literal(text or "").strip()


def shown(text: str | None, style: str = "") -> Content:
    """Literal content for untrusted text, optionally styled as a whole."""
    content = Content(clean(text))
    return content.stylize(style) if style else content


def words(identifier: str) -> str:
    """An id as words for people: `follow_up` becomes `follow up`."""
    return identifier.replace("_", " ").replace("-", " ")
