"""Command line: `python -m alliance validate | format | stats`.

Thin by design: each command parses its options, calls one core function, prints, and exits
0 (clean), 1 (the record or the files have problems) or 2 (bad command line).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .canonical import format_record
from .record import DEFAULT_ROOT, read_record, shown_path


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
    for path in skipped:
        print(f"{path}: not formatted (it does not parse; run `python -m alliance validate`)", file=sys.stderr)
    if args.check:
        print(f"{len(changed)} file(s) not in canonical form; run `python -m alliance format`" if changed
              else "All event files are in canonical form.", file=sys.stderr)
        return 1 if changed or skipped else 0
    print(f"Formatted {len(changed)} file(s).", file=sys.stderr)
    return 1 if skipped else 0


def _stats(args) -> int:
    from .stats import render_stats

    record, problems = read_record(args.root)
    if problems:
        hint = f"python -m alliance validate {shown_path(args.root)}"
        print(f"The record has {len(problems)} problem(s); run `{hint}`.", file=sys.stderr)
        return 1
    print(render_stats(record))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m alliance", description="Alliance Timeline record tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, handler, text in (("validate", _validate, "check the whole record; print every problem"),
                                ("format", _format, "rewrite event files in canonical form"),
                                ("stats", _stats, "counts by issue area, decade, kind and importance; gaps")):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("root", nargs="?", type=Path, default=DEFAULT_ROOT, help="record folder (default: events/)")
        command.set_defaults(handler=handler)
        if name == "format":
            command.add_argument("--check", action="store_true", help="change nothing; print diffs and exit 1 on drift")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
