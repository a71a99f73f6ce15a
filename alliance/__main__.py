"""Command line: `alliance validate | format | links | stats | schema | export | serve` (or `python -m alliance`).

Thin by design: each command parses its options, calls one core function, prints, and exits
0 (clean), 1 (the record or the files have problems, or a file could not be made) or 2 (bad command
line). Every command reads the record from `--events DIR`, else $ALLIANCE_EVENTS, else ./events
(`alliance.settings`), and takes `--log-level`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

from . import logs, settings
from .canonical import format_record
from .record import Failed, read_record, shown_path
from .safeio import refuse_unless_regular, write_atomic


def _validate(args) -> int:
    result = read_record(args.events)
    if isinstance(result, Failed):
        problems = result.problems
        for problem in problems:
            print(problem)
        files = len({p.path for p in problems})
        print(f"{len(problems)} problem{'s' * (len(problems) != 1)} in {files} file{'s' * (files != 1)}", file=sys.stderr)
        return 1
    record = result.record
    print(f"OK: {len(record.events)} events, {len(record.vocab.topics)} issue areas, {len(record.vocab.kinds)} kinds, "
          f"{len(record.vocab.eras)} administrations, {len(record.narratives)} narratives (record {record.version})")
    return 0


def _format(args) -> int:
    changed, skipped = format_record(args.events, check=args.check)
    for item in changed:
        print(item)
    for reason in skipped:
        print(reason, file=sys.stderr)
    if args.check:
        print(f"{len(changed)} file(s) not in canonical form; run `alliance format`" if changed
              else "All event files are in canonical form.", file=sys.stderr)
        return 1 if changed or skipped else 0
    print(f"Formatted {len(changed)} file(s).", file=sys.stderr)
    return 1 if skipped else 0


def _links(args) -> int:
    from .links import add_back_links
    from .record import one_way_links, read_events

    if args.fix:
        changed, by_hand = add_back_links(args.events)
        for path in changed:
            print(path)
        for path in by_hand:
            print(f"{path}: add the back-links by hand (its related list is not one line)", file=sys.stderr)
        print(f"Added back-links in {len(changed)} file(s).", file=sys.stderr)
        return 1 if by_hand else 0
    missing = one_way_links(read_events(args.events))
    for event, target in missing:
        print(f"{target}: add {event.id!r} to related ({shown_path(args.events / event.path)} links to it)")
    print(f"{len(missing)} one-way link(s)" + ("; run with --fix to add them" if missing else ""), file=sys.stderr)
    return 1 if missing else 0


def _stats(args) -> int:
    from .stats import render_stats

    result = read_record(args.events)
    if isinstance(result, Failed):
        hint = f"alliance validate --events {shown_path(args.events)}"
        print(f"The record has {len(result.problems)} problem(s); run `{hint}`.", file=sys.stderr)
        return 1
    print(render_stats(result.record))
    return 0


def _export(args) -> int:
    from .batch import PlanError, plan_exports
    from .cache import read_record_cached
    from .export import DEFAULT_SIZE, WHOLE_VIEW_FORMATS, ExportError, ExportOptionError, build_export, filename_for
    from .query import MAX_TEXT_CHARS, Query

    raw = {**_filter_options(args), **{name: v for name in ("mode", "matrix") if (v := getattr(args, name))}}
    listed = tuple(dict.fromkeys(i.strip() for i in (args.events_list or "").split(",") if i.strip()))
    deck_options = tuple(name for name, given in (("--narrative", args.narrative), ("--events-list", listed)) if given)
    try:
        jobs = plan_exports(args.view or (), args.format, size_given=bool(args.size), deck_options=deck_options,
                            filters_given=any(raw.values()) or bool(args.event), listed=bool(listed))
    except PlanError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if len(raw.get("q", "")) > MAX_TEXT_CHARS:
        print(f"error: --q is {len(raw['q'])} characters long; at most {MAX_TEXT_CHARS}", file=sys.stderr)
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
    loaded = read_record_cached(args.events)
    if isinstance(loaded, Failed):
        print(f"The record has {len(loaded.problems)} problem(s); run `alliance validate`.", file=sys.stderr)
        return 1
    record = loaded.record
    search = {**raw, "event": args.event or "", "narrative": args.narrative or ""}
    query = Query.from_url(urlencode({k: v for k, v in search.items() if v}), topics={t.id for t in record.vocab.topics},
                           kinds={k.id for k in record.vocab.kinds}, actors=record.actors, events=record.ids)
    dropped = _dropped_options(raw, query) + _unknown_ids(record, args.event, args.narrative, listed)
    if dropped:
        print(f"error: not understood: {', '.join(dropped)} (see --help for the forms)", file=sys.stderr)
        return 2
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    for job in jobs:
        # --out and --out-dir are a required exclusive pair: no folder means --out names the file.
        out = folder / filename_for(record, query, job.view, job.fmt, events=listed) if folder is not None else Path(args.out)
        try:
            result = build_export(record, query, job.view, job.fmt, args.size or DEFAULT_SIZE, events=listed)
        except ExportError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2 if isinstance(error, ExportOptionError) else 1  # a bad option, or a failure to make the file
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


def _schema(args) -> int:
    """Print the JSON Schema of an event file, write it (--out), or check a shipped copy (--check)."""
    from .event_schema import schema_text
    from .record import read_vocabulary

    vocab, problems = read_vocabulary(args.events)
    if problems:
        for problem in problems:
            print(problem)
        return 1
    text = schema_text(vocab)
    if args.check:
        target = Path(args.check)
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != text:
            print(f"{args.check} is not the schema of this record's fields; run `python -m alliance schema "
                  f"--out {args.check}`", file=sys.stderr)
            return 1
        print(f"{args.check} is up to date.", file=sys.stderr)
        return 0
    if args.out:
        try:
            refuse_unless_regular(Path(args.out))
            write_atomic(Path(args.out), text.encode("utf-8"))
        except OSError as exc:
            print(f"cannot write {args.out}: {exc}", file=sys.stderr)
            return 2
        print(f"Wrote {args.out}", file=sys.stderr)
        return 0
    sys.stdout.write(text)
    return 0


def _filter_options(args) -> dict[str, str]:
    """The filter options given, by URL parameter name (`--from 1990` -> {"from": "1990"})."""
    from .filters import FILTERS

    return {name: value for flt in FILTERS for name in flt.names if (value := getattr(args, f"filter_{name}"))}


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
    from .filters import FILTERS

    dropped = []
    for flt in FILTERS:
        for name, field in flt.params:
            if name not in raw:
                continue
            kept = getattr(query, field)
            given = [v.strip() for v in raw[name].split(",") if v.strip()] if isinstance(kept, tuple) else [raw[name]]
            if not kept or (isinstance(kept, tuple) and len(kept) != len(given)):
                dropped.append(f"--{name} {raw[name]!r}")
    for name in ("mode", "matrix"):
        if raw.get(name) and not getattr(query, name):
            dropped.append(f"--{name} {raw[name]!r}")
    return dropped


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="alliance", description="Alliance Timeline record tools and dashboard.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, handler, text in (("validate", _validate, "check the whole record; print every problem"),
                                ("format", _format, "rewrite event files in canonical form"),
                                ("links", _links, "list related links that do not go both ways (--fix adds them)"),
                                ("stats", _stats, "counts by issue area, decade, kind and importance; gaps"),
                                ("schema", _schema, "print the JSON Schema of an event file (for editors)")):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("folder", nargs="?", type=Path, metavar="DIR", help="record folder (the same as --events)")
        _add_common_options(command)
        command.set_defaults(handler=handler)
        if name == "format":
            command.add_argument("--check", action="store_true", help="change nothing; print diffs and exit 1 on drift")
        if name == "schema":
            command.add_argument("--out", help="write the schema to this file instead of printing it")
            command.add_argument("--check", metavar="FILE", help="exit 1 if FILE is not the current schema")
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
    from .filters import FILTERS

    for flt in FILTERS:  # one option per URL parameter of every filter, as the dashboard's links name them
        for name, text in zip(flt.names, flt.help, strict=True):
            export.add_argument(f"--{name}", dest=f"filter_{name}", help=text)
    export.add_argument("--mode", choices=["hide", "dim"])
    export.add_argument("--matrix", choices=["us", "rok"], help="the matrix's columns: U.S. (default) or ROK presidents")
    export.add_argument("--event", help="an event id: ringed on the timeline; the deck gives it a slide")
    export.add_argument("--narrative", help="a narrative id: the deck tells it, one slide per step (pptx)")
    export.add_argument("--events-list", help="event ids, comma-separated: a deck with one slide per event, "
                                              "in this order (pptx)")
    _add_common_options(export)
    where = export.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", help="the file to write (one view in one format)")
    where.add_argument("--out-dir", help="the folder to write into (made if missing); files are named after the view")
    export.set_defaults(handler=_export)
    serve = commands.add_parser("serve", help="serve the dashboard (development server; see README for gunicorn)",
                                description="Serve the dashboard with Dash's development server.")
    settings.add_server_options(serve)
    serve.set_defaults(handler=_serve)
    return parser


def _add_common_options(command: argparse.ArgumentParser) -> None:
    settings.add_events_option(command)
    settings.add_log_level_option(command)


def _serve(args) -> int:
    import app  # the Dash app, installed beside this package (which itself imports no Dash)

    return app.serve(args.events, host=args.host, port=args.port, debug=args.debug)


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
    parser = build_parser()
    args = parser.parse_args(argv)
    given = getattr(args, "folder", None)
    if given is not None and args.events is not None and given != args.events:
        parser.error(f"two record folders ({given} and --events {args.events}); give one")
    args.events, source = settings.events_source(args.events or given)
    logs.configure(args.log_level)
    if not args.events.is_dir():
        print(f"error: no record folder at {args.events} ({source}); give --events DIR or set "
              f"{settings.EVENTS_ENV}", file=sys.stderr)
        return 2
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
