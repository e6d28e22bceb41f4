"""A terminal training simulator for handling difficult customers."""

__version__ = "0.1.0"
