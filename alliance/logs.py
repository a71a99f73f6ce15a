"""Logging set-up, chosen by who runs the code: the CLI and the development server, or gunicorn.

Every module logs to `logging.getLogger(__name__)`, so each message is named by its module under
one of `PACKAGES` (`alliance.cache`, `components.exports`, ...). Importing never configures logging:

- The CLI and `python app.py` call `configure(level)` (their `--log-level`): a stderr handler on each
  of our packages' loggers, at `level`. The root logger is left alone, so other libraries log as they
  would anyway (Dash's and werkzeug's banner and request lines, once each), and `--log-level debug`
  shows our decisions, not every library's chatter.
- Under gunicorn, `follow_gunicorn()` leaves the root logger alone and hands our packages' loggers
  to gunicorn's error log: its handlers (its format, its `--error-logfile`) and its `--log-level`.
"""

from __future__ import annotations

import logging

PACKAGES = ("alliance", "components", "app")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
GUNICORN_ERROR_LOG = "gunicorn.error"
HANDLER = "alliance-stderr"


def configure(level: str) -> None:
    """Logging for a command run in a terminal: our messages at `level` and above, on stderr.

    Calling it again replaces its handlers (a test may run several commands in one process)."""
    for name in PACKAGES:
        logger = logging.getLogger(name)
        handler = logging.StreamHandler()  # the stderr of now
        handler.set_name(HANDLER)
        handler.setFormatter(logging.Formatter(FORMAT))
        logger.handlers = [h for h in logger.handlers if h.get_name() != HANDLER] + [handler]
        logger.setLevel(level.upper())


def follow_gunicorn() -> bool:
    """Send our packages' messages where gunicorn sends its own, in its format and at its level.

    True when running under gunicorn (its error log has handlers), else False and nothing changes."""
    error_log = logging.getLogger(GUNICORN_ERROR_LOG)
    if not error_log.handlers:
        return False
    for name in PACKAGES:
        logger = logging.getLogger(name)
        logger.handlers = list(error_log.handlers)
        logger.setLevel(error_log.level)
        logger.propagate = False  # no second copy through whatever the root logger holds
    return True
