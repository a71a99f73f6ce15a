"""One declaration of an event's fields: the JSON Schema editors use, the field dictionary, the
frame's and the spreadsheets' columns all follow from `alliance.schema.event_spec`."""

from __future__ import annotations

import datetime as dt
import json
import re

import jsonschema
import pytest
import yaml

from alliance.__main__ import main
from alliance.event_schema import event_file_schema
from alliance.record import FRAME_COLUMNS, load_record, read_vocabulary
from alliance.schema import EVENT_FIELDS, Event, field_table
from alliance.spreadsheet import COLUMNS, csv_bytes

from .conftest import ROOT
from .test_validation import BAD_INPUTS

SHIPPED = ROOT / "schema" / "event.schema.json"
EVENTS = ROOT / "events"

# Bad inputs the schema cannot see, by design, and why: the validator (`alliance validate`) reports them.
LEFT_TO_THE_VALIDATOR = {
    "yaml syntax": "not YAML, so no document to check",
    "not utf-8": "not text",
    "empty file": "no document",
    "comments only": "no document",
    "duplicate key": "YAML loaders keep the last value",
    "impossible date": "JSON Schema has no calendar",
    "end before start": "compares two fields",
    "file name mismatch": "needs the file name",
    "related to itself": "compares two fields",
    "related id missing": "needs the other files",
    "billion laughs": "the loader expands aliases first",
    "custom tag": "the safe loader refuses it first",
    "local custom tag": "the safe loader refuses it first",
    "deep nesting": "the loader's own limit",
}


def as_editors_see(document):
    """The document as a YAML 1.2 editor hands it to a JSON Schema checker: dates are text."""
    if isinstance(document, dict):
        return {key: as_editors_see(value) for key, value in document.items()}
    if isinstance(document, list):
        return [as_editors_see(value) for value in document]
    if isinstance(document, dt.date):
        return document.isoformat()
    return document


@pytest.fixture(scope="module")
def validator():
    vocab, problems = read_vocabulary(EVENTS)
    assert problems == []
    schema = event_file_schema(vocab)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_shipped_schema_is_the_current_one(capsys):
    assert main(["schema", str(EVENTS), "--check", str(SHIPPED)]) == 0, capsys.readouterr().err
    assert json.loads(SHIPPED.read_text(encoding="utf-8")) == event_file_schema(read_vocabulary(EVENTS)[0])


def test_a_stale_schema_is_reported(tmp_path, capsys):
    stale = tmp_path / "event.schema.json"
    stale.write_text(SHIPPED.read_text(encoding="utf-8").replace('"maxLength": 120', '"maxLength": 999'))
    assert main(["schema", str(EVENTS), "--check", str(stale)]) == 1
    assert "run `python -m alliance schema" in capsys.readouterr().err


def test_every_event_file_in_the_record_passes_the_schema(validator):
    files = sorted(p for p in EVENTS.glob("*.yaml") if not p.name.startswith("_"))
    assert len(files) >= 600
    failures = {p.name: [e.message for e in validator.iter_errors(as_editors_see(yaml.safe_load(p.read_text("utf-8"))))]
                for p in files}
    assert {name: errors for name, errors in failures.items() if errors} == {}


def test_the_template_passes_the_schema_once_filled_in(validator):
    template = yaml.safe_load((EVENTS / "_template.yaml").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(as_editors_see(template))) == []


@pytest.mark.parametrize("case, name, content", [row[:3] for row in BAD_INPUTS if row[0] not in LEFT_TO_THE_VALIDATOR],
                         ids=[row[0] for row in BAD_INPUTS if row[0] not in LEFT_TO_THE_VALIDATOR])
def test_the_schema_rejects_the_bad_input_table(validator, case, name, content):
    document = yaml.safe_load(content)
    errors = list(validator.iter_errors(as_editors_see(document)))
    assert errors, f"the schema accepts the bad input {case!r}"


def test_the_schema_leaves_only_what_it_cannot_say_to_the_validator():
    assert set(LEFT_TO_THE_VALIDATOR) <= {row[0] for row in BAD_INPUTS}, "a case named here is not in the table"


def test_the_schema_says_each_field_in_the_field_dictionarys_words():
    event = event_file_schema(read_vocabulary(EVENTS)[0])["$defs"]["event"]
    assert list(event["properties"]) == list(EVENT_FIELDS)
    assert event["required"] == [name for name, required, _, _ in field_table() if required == "yes"]
    assert "shareable links" in event["properties"]["id"]["description"]


def readme_field_rows() -> list[tuple[str, str, str, str]]:
    text = (EVENTS / "README.md").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if re.match(r"^\| `[a-z_]+` \|", line):
            name, *cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            rows.append((name.strip("`"), *cells))
    return rows


def test_the_field_dictionary_is_the_declaration():
    assert readme_field_rows() == field_table(), "events/README.md's field table must say what alliance/schema.py declares"


def test_every_declared_field_reaches_the_typed_event_the_frame_and_the_spreadsheet():
    typed = set(Event.__dataclass_fields__)
    assert set(EVENT_FIELDS) <= typed
    frame_and_cells = set(FRAME_COLUMNS) | {c.name for c in COLUMNS}
    covered = {"date": {"start", "date_text"}, "end_date": {"end", "end_date_text"}}
    for name in EVENT_FIELDS:
        assert covered.get(name, {name}) <= frame_and_cells, f"{name} has no frame column or spreadsheet cell"
    assert [c.name for c in COLUMNS if c.name in EVENT_FIELDS] == [n for n in EVENT_FIELDS if n in {c.name for c in COLUMNS}]


def test_a_labelled_event_shows_its_label_in_the_csv():
    record = load_record(EVENTS)
    labelled = next(e for e in record.events if e.label)
    from alliance.query import Query

    text = csv_bytes(record, Query(q=labelled.title[:40])).decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert "label" in header and labelled.label in text
