"""Alliance Timeline: the Dash app.

`python app.py [--host H] [--port P] [--debug] [--events DIR] [--log-level L]` (or `alliance serve`,
the same options) serves the dashboard with the development server on http://127.0.0.1:8050 by
default. It validates the record first and refuses to start on an invalid one, printing every
problem. `app:server` is the WSGI entry point for gunicorn; it reads the record folder from
$ALLIANCE_EVENTS (default: ./events) and logs through gunicorn's error log (`alliance.logs`). Both
load the record through the load cache (`alliance.cache`; `ALLIANCE_CACHE_DIR=off` disables it): a
start with an unchanged valid record skips validation, an invalid record is always checked in full.
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

from dash import Dash

from alliance import logs
from alliance.cache import read_record_cached
from alliance.problems import RecordError
from alliance.record import Failed, Record, load_record
from alliance.settings import add_server_options, events_folder
from components import callbacks, embed, errors, exports, guard, layout, security

ASSETS = Path(__file__).resolve().parent / "assets"
# Largest request body accepted (413 beyond, before it is read). Callbacks need kilobytes: a filter
# change with all 288 actors of the real record selected is 8 KB, with 10,000 actors 210 KB.
MAX_REQUEST_BYTES = 1024 * 1024


def create_app(record: Record) -> Dash:
    """A Dash app serving `record`. Each call builds an independent app (tests build several)."""
    app = Dash(__name__, title="Alliance Timeline", assets_folder=str(ASSETS),
               update_title="", serve_locally=True)  # "" (as None): the tab title never says "Updating..."
    app.index_string = app.index_string.replace("<html>", '<html lang="en">')
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.layout = layout.page(record)
    callbacks.register(app, record)
    exports.register(app, record)
    embed.register(app.server, record)
    security.install(app, record)
    guard.install(app)
    errors.install(app)
    # Per-record plot data and table rows are built now, not by the first visitor's request (seconds at 100k events).
    callbacks.render(record, "")
    return app


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Serve the Alliance Timeline dashboard (development server).")
    add_server_options(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logs.configure(args.log_level)
    return serve(events_folder(args.events), host=args.host, port=args.port, debug=args.debug)


def serve(events: Path, *, host: str = "127.0.0.1", port: int = 8050, debug: bool = False) -> int:
    """Validate the record in `events`, then run the development server until stopped (`alliance serve`)."""
    result = read_record_cached(events)
    if isinstance(result, Failed):
        print("Not starting: the record has problems.", file=sys.stderr)
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print(f"{len(result.problems)} problem(s). Fix them, then run `python -m alliance validate`.", file=sys.stderr)
        return 1
    record = result.record
    print(f"Alliance Timeline: {record.label}; serving http://{host}:{port}/", file=sys.stderr)
    create_app(record).run(host=host, port=port, debug=debug)
    return 0


@functools.cache
def _production_app() -> Dash:
    logs.follow_gunicorn()  # under gunicorn: its log format, file and level; elsewhere logging is left alone
    try:
        return create_app(load_record(events_folder(), cache=True))
    except RecordError as error:
        raise SystemExit(f"Not starting: the record has problems.\n{error}") from None


def __getattr__(name: str):
    """`app.server` / `app.app` for gunicorn, built on first access so importing this module is cheap."""
    if name == "server":
        return _production_app().server
    if name == "app":
        return _production_app()
    raise AttributeError(name)


if __name__ == "__main__":
    sys.exit(main())
