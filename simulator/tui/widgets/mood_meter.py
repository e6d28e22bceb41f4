"""A mood meter: a bar, the band word, and what the last turn did to it.

The widget owns its display state as typed reactives; the play screen just assigns
`meter.value = 72` and `meter.change = +5`. The band only toggles a CSS class, and
`mood_meter.tcss` decides the colour, so themes and NO_COLOR work unchanged. The
band word and the arrow carry the meaning without colour; assessment mode hides
the numbers, leaving words, the bar and the arrow. When a poor reply could make the
customer walk out now, the band word says so ("angry ⚠ may hang up"), in both modes:
a real caller's tone warns you too.
"""

from __future__ import annotations

from typing import Literal

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from simulator.engine.bands import ANGER_BANDS, TRUST_BANDS, anger_band, trust_band

Kind = Literal["anger", "trust"]
_LABEL_WIDTH = 6
_BAND_WIDTH = 12


class MoodMeter(Widget):
    """One of the customer's two meters (anger or trust), 0..100."""

    value: reactive[int] = reactive(0)
    change: reactive[int | None] = reactive(None)
    """The last turn's change, or None before the first turn."""
    numbers: reactive[bool] = reactive(True)
    """False in assessment mode: words and bar only."""
    warning: reactive[str | None] = reactive(None)
    """A few words when one poor reply could end the call now (`walkout.WalkoutRule`)."""

    def __init__(self, kind: Kind, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.kind: Kind = kind
        self.add_class(f"-{kind}")

    @property
    def band(self) -> str:
        return anger_band(self.value) if self.kind == "anger" else trust_band(self.value)

    def watch_value(self, value: int) -> None:
        bands = ANGER_BANDS if self.kind == "anger" else TRUST_BANDS
        for _, word in bands:
            self.set_class(word == self.band, f"-{word}")

    def render(self) -> Content:
        label = ("Anger" if self.kind == "anger" else "Trust").ljust(_LABEL_WIDTH)
        tail = self._tail()
        width = self.size.width or 40
        bar_width = max(4, width - _LABEL_WIDTH - len(tail) - 1)
        filled = round(bar_width * max(0, min(100, self.value)) / 100)
        return Content.assemble(
            (label, "bold"),
            ("█" * filled, "not dim"),
            ("░" * (bar_width - filled), "dim"),
            " ",
            tail,
        )

    def _tail(self) -> str:
        """The number, the band word and the arrow, padded so bars line up."""
        number = f"{self.value:>3} " if self.numbers else ""
        band = f"{self.band} ⚠ {self.warning} " if self.warning else self.band.ljust(_BAND_WIDTH)
        if self.change is None:
            arrow = "      " if self.numbers else " "
        elif self.change > 0:
            arrow = f"▲ {self.change:+d}".ljust(6) if self.numbers else "▲"
        elif self.change < 0:
            arrow = f"▼ {self.change:+d}".ljust(6) if self.numbers else "▼"
        else:
            arrow = "= 0".ljust(6) if self.numbers else "="
        return f"{number}{band}{arrow}"
