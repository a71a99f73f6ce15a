"""Command line: `python -m alliance validate | format | links | stats | export`.

Thin by design: each command parses its options, calls one core function, prints, and exits
0 (clean), 1 (the record or the files have problems) or 2 (bad command line).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

from .canonical import format_record
from .record import DEFAULT_ROOT, read_record, shown_path
from .safeio import refuse_unless_regular, write_atomic


def _validate(args) -> int:
    record, problems = read_record(args.root)
    if problems:
        for problem in problems:
            print(problem)
        files = len({p.path for p in problems})
        print(f"{len(problems)} problem{'s' * (len(problems) != 1)} in {files} file{'s' * (files != 1)}", file=sys.stderr)
        return 1
    print(f"OK: {len(record.events)} events, {len(record.vocab.topics)} issue areas, {len(record.vocab.kinds)} kinds, "
          f"{len(record.vocab.eras)} administrations, {len(record.narratives)} narratives (record {record.version})")
    return 0


def _format(args) -> int:
    changed, skipped = format_record(args.root, check=args.check)
    for item in changed:
        print(item)
    for reason in skipped:
        print(reason, file=sys.stderr)
    if args.check:
        print(f"{len(changed)} file(s) not in canonical form; run `python -m alliance format`" if changed
              else "All event files are in canonical form.", file=sys.stderr)
        return 1 if changed or skipped else 0
    print(f"Formatted {len(changed)} file(s).", file=sys.stderr)
    return 1 if skipped else 0


def _links(args) -> int:
    from .links import add_back_links
    from .record import one_way_links, read_events

    if args.fix:
        changed, by_hand = add_back_links(args.root)
        for path in changed:
            print(path)
        for path in by_hand:
            print(f"{path}: add the back-links by hand (its related list is not one line)", file=sys.stderr)
        print(f"Added back-links in {len(changed)} file(s).", file=sys.stderr)
        return 1 if by_hand else 0
    missing = one_way_links(read_events(args.root))
    for event, target in missing:
        print(f"{target}: add {event.id!r} to related ({event.path} links to it)")
    print(f"{len(missing)} one-way link(s)" + ("; run with --fix to add them" if missing else ""), file=sys.stderr)
    return 1 if missing else 0


def _stats(args) -> int:
    from .stats import render_stats

    record, problems = read_record(args.root)
    if problems:
        hint = f"python -m alliance validate {shown_path(args.root)}"
        print(f"The record has {len(problems)} problem(s); run `{hint}`.", file=sys.stderr)
        return 1
    print(render_stats(record))
    return 0


def _export(args) -> int:
    from .batch import PlanError, plan_exports
    from .cache import read_record_cached
    from .export import DEFAULT_SIZE, WHOLE_VIEW_FORMATS, ExportError, build_export, filename_for
    from .query import MAX_TEXT_CHARS, Query

    raw = {"topics": args.topics, "kinds": args.kinds, "actors": args.actors, "q": args.q, "from": args.start,
           "to": args.end, "importance": args.importance, "mode": args.mode, "matrix": args.matrix}
    listed = tuple(dict.fromkeys(i.strip() for i in (args.events_list or "").split(",") if i.strip()))
    deck_options = tuple(name for name, given in (("--narrative", args.narrative), ("--events-list", listed)) if given)
    try:
        jobs = plan_exports(args.view or (), args.format, size_given=bool(args.size), deck_options=deck_options,
                            filters_given=any(raw.values()) or bool(args.event), listed=bool(listed))
    except PlanError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.q and len(args.q) > MAX_TEXT_CHARS:
        print(f"error: --q is {len(args.q)} characters long; at most {MAX_TEXT_CHARS}", file=sys.stderr)
        return 2
    folder, refused = _output_folder(args.out_dir) if args.out_dir is not None else (None, None)
    if args.out is not None and len(jobs) > 1:
        refused = f"--out names one file, and this run writes {len(jobs)}; give --out-dir instead"
    elif args.out is not None:
        _, why = _output_path(args.out)
        refused = why and f"--out {args.out!r}: {why}"
    if refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2
    record, problems = read_record_cached(args.events)
    if problems:
        print(f"The record has {len(problems)} problem(s); run `python -m alliance validate`.", file=sys.stderr)
        return 1
    search = {**{k: v for k, v in raw.items() if v}, "event": args.event or "", "narrative": args.narrative or ""}
    query = Query.from_url(urlencode({k: v for k, v in search.items() if v}), topics={t.id for t in record.vocab.topics},
                           kinds={k.id for k in record.vocab.kinds}, actors=record.actors)
    dropped = _dropped_options(raw, query) + _unknown_ids(record, args.event, args.narrative, listed)
    if dropped:
        print(f"error: not understood: {', '.join(dropped)} (see --help for the forms)", file=sys.stderr)
        return 2
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    for job in jobs:
        out = Path(args.out) if args.out is not None else folder / filename_for(record, query, job.view, job.fmt,
                                                                                  events=listed)
        try:
            result = build_export(record, query, job.view, job.fmt, args.size or DEFAULT_SIZE, events=listed)
        except ExportError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2 if "unknown" in str(error) else 1
        try:
            refuse_unless_regular(out)
            write_atomic(out, result.content)  # a fresh temporary file renamed over: whole or not at all
        except OSError as error:
            print(f"error: cannot write {out}: {error.strerror or error}", file=sys.stderr)
            return 1
        what = job.fmt if job.fmt in WHOLE_VIEW_FORMATS else f"{job.view}, {job.fmt}"
        print(f"Wrote {out} ({len(result.content):,} bytes): {what}, {query.to_url() or 'no filters'}")
    if not listed and not query.narrative and not query.mask(record.frame).any():
        print("warning: no events match these filters; the files say so", file=sys.stderr)
    return 0


def _output_path(given: str) -> tuple[Path, str | None]:
    """The file `--out` names, or why it names none: empty, a folder, or something that is not a
    regular file (a device, a FIFO, a symbolic link), which an export must never replace."""
    if not given.strip():
        return Path(), "give a file name"
    out = Path(given)
    if given.endswith(("/", os.sep)) or out.is_dir() or out.name in ("", ".", ".."):
        return out, "is a folder; give a file name"
    try:
        refuse_unless_regular(out)
    except OSError as error:
        return out, f"is {error.strerror}"
    return out, None


def _output_folder(given: str) -> tuple[Path, str | None]:
    """The folder `--out-dir` names (made if missing), or why it cannot hold the files."""
    folder = Path(given)
    if not given.strip():
        return folder, "--out-dir: give a folder name"
    if folder.exists() and not folder.is_dir():
        return folder, f"--out-dir {given!r} is not a folder"
    return folder, None


def _unknown_ids(record, event: str | None, narrative: str | None, listed: tuple[str, ...]) -> list[str]:
    """`--event`, `--narrative` and `--events-list` ids the record does not know (an id is never guessed)."""
    unknown = [f"--event {event!r}"] if event and event not in record.ids else []
    if narrative and narrative not in {n.id for n in record.narratives}:
        unknown.append(f"--narrative {narrative!r}")
    missing = [i for i in listed if i not in record.ids]
    return unknown + ([f"--events-list {', '.join(missing)}"] if missing else [])


def _dropped_options(raw: dict, query) -> list[str]:
    """Options given but not honoured by the parsed query: tell the user instead of ignoring them."""
    kept = {"topics": query.topics, "kinds": query.kinds, "actors": query.actors, "q": query.q, "from": query.start,
            "to": query.end, "importance": query.importance, "mode": query.mode if raw.get("mode") else None,
            "matrix": query.matrix if raw.get("matrix") else None}
    dropped = []
    for name, value in raw.items():
        if not value:
            continue
        given = [v.strip() for v in value.split(",") if v.strip()] if name in ("topics", "kinds", "actors", "importance") \
            else [value]
        if not kept[name] or (isinstance(kept[name], tuple) and len(kept[name]) != len(given)):
            dropped.append(f"--{'from' if name == 'from' else name} {value!r}")
    return dropped


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m alliance", description="Alliance Timeline record tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, handler, text in (("validate", _validate, "check the whole record; print every problem"),
                                ("format", _format, "rewrite event files in canonical form"),
                                ("links", _links, "list related links that do not go both ways (--fix adds them)"),
                                ("stats", _stats, "counts by issue area, decade, kind and importance; gaps")):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("root", nargs="?", type=Path, default=DEFAULT_ROOT, help="record folder (default: events/)")
        command.set_defaults(handler=handler)
        if name == "format":
            command.add_argument("--check", action="store_true", help="change nothing; print diffs and exit 1 on drift")
        if name == "links":
            command.add_argument("--fix", action="store_true", help="add every missing back-link to the target files")
    from .export import DEFAULT_SIZE, FORMATS, SIZES, VIEWS

    export = commands.add_parser("export", help="export views as png, svg, pdf, html, pptx, csv or xlsx",
                                 description="Export views with the same filters as the dashboard URL: several views "
                                             "and formats in one run share one image browser.")
    export.add_argument("--view", type=_listed(VIEWS, "--view"),
                        help="the charts, comma-separated (default timeline); not for pptx, csv, xlsx alone")
    export.add_argument("--format", type=_listed(FORMATS, "--format"), required=True,
                        help=f"formats, comma-separated: {', '.join(FORMATS)}")
    export.add_argument("--size", choices=list(SIZES), help=f"pixels (slides: 16:9 or 4:3; default {DEFAULT_SIZE}); "
                        "not for pptx, csv, xlsx")
    export.add_argument("--topics", help="issue areas, comma-separated (e.g. security,trade)")
    export.add_argument("--kinds", help="kinds, comma-separated")
    export.add_argument("--actors", help="actors, comma-separated")
    export.add_argument("--importance", help="1, 2 and/or 3, comma-separated")
    export.add_argument("--from", dest="start", help="YYYY[-MM[-DD]]")
    export.add_argument("--to", dest="end", help="YYYY[-MM[-DD]]")
    export.add_argument("--q", help="free text")
    export.add_argument("--mode", choices=["hide", "dim"])
    export.add_argument("--matrix", choices=["us", "rok"], help="the matrix's columns: U.S. (default) or ROK presidents")
    export.add_argument("--event", help="an event id: ringed on the timeline; the deck gives it a slide")
    export.add_argument("--narrative", help="a narrative id: the deck tells it, one slide per step (pptx)")
    export.add_argument("--events-list", help="event ids, comma-separated: a deck with one slide per event, "
                                              "in this order (pptx)")
    export.add_argument("--events", type=Path, default=DEFAULT_ROOT, help="record folder (default: events/)")
    where = export.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", help="the file to write (one view in one format)")
    where.add_argument("--out-dir", help="the folder to write into (made if missing); files are named after the view")
    export.set_defaults(handler=_export)
    return parser


def _listed(allowed: tuple[str, ...], option: str):
    """An argparse type for a comma-separated list of `allowed` values (a bad one: exit 2 with the choices)."""
    from .batch import PlanError, parse_list

    def parse(text: str) -> tuple[str, ...]:
        try:
            return parse_list(text, allowed, option)
        except PlanError as error:
            raise argparse.ArgumentTypeError(str(error)) from error

    return parse


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
