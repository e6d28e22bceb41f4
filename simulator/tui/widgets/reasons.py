"""The rule arithmetic of one turn, in words, adding up to the change the meters show.

Behind `d` on the play screen and inside each turn of the turn-by-turn review. Every
line is one engine effect with its technique's human name, the rule and why, and the
titles of the articles it comes from; the last line is their sum, which is the net
change, so a bullet can never seem to say the opposite of what happened.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from simulator.engine.mood import Effect
from simulator.engine.story import Reason, net, reasons
from simulator.tui.safe import clean


def _amounts(anger: int, trust: int) -> str:
    parts = [f"{name} {value:+d}" for name, value in (("anger", anger), ("trust", trust)) if value]
    return ", ".join(parts) if parts else "no change"


def reason_lines(found: Sequence[Reason]) -> list[Content]:
    lines = []
    for item in found:
        rule = f"{item.rule}: " if item.rule else ""
        sources = f"; from {'; '.join(clean(s) for s in item.sources)}" if item.sources else ""
        lines.append(
            Content.assemble(
                "• ",
                (clean(item.what), "bold"),
                f" {_amounts(item.anger, item.trust)} — ",
                clean(f"{rule}{item.why}"),
                (sources, "dim italic"),
            )
        )
    return lines


def arithmetic(effects: Sequence[Effect]) -> Content:
    """Every effect as a line, then the net that the meters show."""
    from simulator.engine.catalog import load_catalog
    from simulator.engine.glossary import load_glossary

    lines = reason_lines(reasons(effects, load_catalog(), load_glossary()))
    anger, trust = net(effects)
    lines.append(Content.assemble(("= net: ", "bold"), _amounts(anger, trust)))
    return Content("\n").join(lines)
