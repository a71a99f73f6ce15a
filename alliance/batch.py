"""Several exports in one run: which files a `python -m alliance export` command line asks for.

A presenter building slides wants the timeline and events per year as PNG and SVG plus the deck;
run one by one, each run pays the image browser's start (5-8 s) again, while in one run the warm
browser draws them all. `plan_exports` turns the requested views and formats into one job per
file, refusing what does not apply the way a single export does: a chart choice or a pixel size
when no requested format draws a chart, a deck option without a deck, a narrative and a list at
once. Pure: the CLI prints its errors, writes the files, and names them with `filename_for`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .export import VIEWS, WHOLE_VIEW_FORMATS


class PlanError(ValueError):
    """A combination of options that does not apply; the message says which and why."""


@dataclass(frozen=True)
class Job:
    view: str
    fmt: str


def plan_exports(views: tuple[str, ...], formats: tuple[str, ...], *, size_given: bool = False,
                 deck_options: tuple[str, ...] = (), filters_given: bool = False, listed: bool = False) -> list[Job]:
    """One job per file, in the order asked: each chart format for each view, each whole-view format once.

    `views` empty means the default (the timeline) and is never refused. `deck_options` names
    the given options that only a deck uses (`--narrative`, `--events-list`); `listed` says a list
    deck was asked for, which shows the listed events whatever the filters.
    """
    charts = [f for f in formats if f not in WHOLE_VIEW_FORMATS]
    whole = [f for f in formats if f in WHOLE_VIEW_FORMATS]
    if not charts:
        ignored = [name for name, given in (("--view", bool(views)), ("--size", size_given)) if given]
        if ignored:
            raise PlanError(f"{' and '.join(ignored)} {'do' if len(ignored) > 1 else 'does'} not apply to --format "
                            f"{','.join(formats)} (a "
                            f"{'/'.join(formats)} holds the whole view); leave them out")
    if size_given and set(charts) <= {"html"} and charts:  # an HTML page fills the window it opens in
        raise PlanError("--size does not apply to --format html (the page fills the browser window); leave it out")
    if deck_options and "pptx" not in formats:
        raise PlanError(f"{' and '.join(deck_options)} only {'shape' if len(deck_options) > 1 else 'shapes'} a deck; "
                        "add pptx to --format or leave it out")
    if len(deck_options) > 1:
        raise PlanError("a deck is either a narrative (--narrative) or a list of events (--events-list), not both")
    if listed and filters_given and formats == ("pptx",):
        raise PlanError("the filters do not apply to a deck of listed events (it shows the events listed); "
                        "leave them out")
    jobs = [Job(view, fmt) for fmt in charts for view in (views or ("timeline",))]
    return jobs + [Job("timeline", fmt) for fmt in whole]


def parse_list(text: str, allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
    """`timeline,topics` as a tuple, duplicates dropped, each checked against `allowed`."""
    items = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [item for item in items if item not in allowed]
    if unknown or not items:
        shown = ", ".join(map(repr, unknown)) or repr(text)
        raise PlanError(f"invalid choice: {shown} for {what} (choose from {', '.join(allowed)}; several: a,b)")
    return items


__all__ = ["Job", "PlanError", "VIEWS", "parse_list", "plan_exports"]
