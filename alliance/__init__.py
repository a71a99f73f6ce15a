"""Alliance Timeline core: the event record, its validation, queries, figures and exports.

Nothing in this package imports Dash, so every function here is testable without a browser and
usable from the command line (`python -m alliance`).
"""
