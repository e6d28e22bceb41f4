"""One screen per module, each with a same-named `.tcss` beside it."""
