"""Docs that cannot drift: every URL parameter, CLI option and event field is documented."""

from __future__ import annotations

import argparse
import re
from dataclasses import fields
from urllib.parse import parse_qs

from alliance.__main__ import build_parser
from alliance.query import Query
from alliance.schema import EVENT_FIELDS

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
EVENTS_README = (ROOT / "events" / "README.md").read_text(encoding="utf-8")


SAMPLES = {"importance": (1,), "start": "2000", "end": "2001", "mode": "dim"}


def url_parameters() -> set[str]:
    """The parameter names `Query.to_url` writes when every field holds a non-default value."""
    sample = {}
    for field in fields(Query):
        value = SAMPLES.get(field.name, ("x",) if isinstance(field.default, tuple) else "x")
        try:
            Query(**{field.name: value}).to_url()
        except (TypeError, ValueError):  # a field that refuses the sample keeps its default
            continue
        sample[field.name] = value
    return set(parse_qs(Query(**sample).to_url().lstrip("?")))


def test_every_url_parameter_is_in_the_readme():
    parameters = url_parameters()
    assert {"topics", "from", "to", "q", "event", "mode"} <= parameters  # the check itself sees the query
    missing = [p for p in sorted(parameters) if not re.search(rf"`{p}=", README)]
    assert missing == [], f"README's Share section does not explain: {missing}"


def cli_options() -> dict[str, list[str]]:
    options = {}
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in commands.choices.items():
        options[name] = [s for action in command._actions for s in action.option_strings if s.startswith("--")
                         and s != "--help"]
    return options


def test_every_cli_command_and_option_is_in_the_readme():
    options = cli_options()
    assert "export" in options and "--format" in options["export"]
    missing = [f"{name} {option}" for name, opts in options.items() for option in opts if f"`{option}" not in README]
    missing += [name for name in options if f"alliance {name}" not in README]
    assert missing == [], f"undocumented in README.md: {missing}"


def test_every_event_field_is_in_the_field_dictionary():
    table = re.findall(r"^\| `([a-z_]+)` \|", EVENTS_README, re.MULTILINE)
    assert list(EVENT_FIELDS) == table, "events/README.md's field table lists exactly the event fields, in order"


def test_the_template_shows_every_field():
    template = (ROOT / "events" / "_template.yaml").read_text(encoding="utf-8")
    missing = [name for name in EVENT_FIELDS if not re.search(rf"^#? ?{name}:", template, re.MULTILINE)]
    assert missing == []
