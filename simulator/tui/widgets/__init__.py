"""Widgets of the game, one idea per module, each styled by the `.tcss` beside it."""
