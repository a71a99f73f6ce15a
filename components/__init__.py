"""Dash layer: layout factories and the callbacks that belong to them.

Components receive the record as an argument and register their callbacks on the app they are
given, so no module holds global state and several apps can live in one process (tests do).
"""
