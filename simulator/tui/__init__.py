"""The Textual game: sign-in, scenario picker, live play, debrief, history.

Importing this package pulls in Textual; the core packages never do (see
tests/test_core_is_headless.py), so the plain front end and the tools stay light.
"""
