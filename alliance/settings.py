"""Where the record is, and the options every command and the app share: declared once, here.

The record folder is `--events DIR`, else `$ALLIANCE_EVENTS`, else `./events` (relative to the
working directory, never to where the code is installed): the same rule for every `alliance`
command, `python app.py` and the WSGI app gunicorn serves.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from pathlib import Path

EVENTS_ENV = "ALLIANCE_EVENTS"
DEFAULT_EVENTS = Path("events")
LOG_LEVELS = ("debug", "info", "warning", "error")
DEFAULT_LOG_LEVEL = "warning"


def events_folder(given: Path | str | None = None, environ: Mapping[str, str] = os.environ) -> Path:
    """The record folder: `given` (the --events option), else $ALLIANCE_EVENTS, else ./events."""
    return events_source(given, environ)[0]


def events_source(given: Path | str | None = None, environ: Mapping[str, str] = os.environ) -> tuple[Path, str]:
    """(the record folder, which rule chose it, in words for a message)."""
    if given is not None and str(given).strip():
        return Path(given), "--events"
    configured = environ.get(EVENTS_ENV, "").strip()
    if configured:
        return Path(configured), f"${EVENTS_ENV}"
    return DEFAULT_EVENTS, "the default, ./events"


def add_events_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--events", type=Path, metavar="DIR",
                        help=f"record folder (default: ${EVENTS_ENV}, else ./events)")


def add_log_level_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--log-level", choices=LOG_LEVELS, default=DEFAULT_LOG_LEVEL,
                        help=f"least severe log messages shown on stderr (default {DEFAULT_LOG_LEVEL}; "
                             "debug shows the load cache's decisions)")


def add_server_options(parser: argparse.ArgumentParser) -> None:
    """The development server's options (`alliance serve`, `python app.py`); gunicorn has its own."""
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    parser.add_argument("--debug", action="store_true", help="Dash debug mode with hot reload (never in production)")
    add_events_option(parser)
    add_log_level_option(parser)
