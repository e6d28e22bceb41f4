"""The training room: the real game served to a class of browsers (`simulator serve`)."""
