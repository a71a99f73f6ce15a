"""The loader: a valid record becomes one typed frame, ordered, with precision kept."""

from __future__ import annotations

import pandas as pd
import pytest

from alliance.dates import parse_partial_date
from alliance.problems import RecordError
from alliance.record import FRAME_COLUMNS, EventRow, event_rows, load_record

from .conftest import event, make_record


@pytest.fixture
def record(tmp_path):
    return load_record(make_record(tmp_path / "events", {
        "2018-11-20-group.yaml": event(id="group", date="2018-11-20", end_date="2021-06",
                                       topics="[north-korea, alliance-politics]", kind="institution",
                                       actors="[Stephen Biegun, Lee Do-hoon]", related="[treaty]"),
        "1953-10-01-treaty.yaml": event(id="treaty", date="1953-10-01", importance="3", related="[group]"),
        "1958-nukes.yaml": event(id="nukes", date="1958", kind="military"),
        "2018-11-launch.yaml": event(id="launch", date="2018-11"),
    }))


def test_events_are_sorted_by_date(record):
    assert list(record.frame["id"]) == ["treaty", "nukes", "launch", "group"]


def test_frame_is_typed(record):
    frame = record.frame
    assert pd.api.types.is_datetime64_any_dtype(frame["start"])
    assert pd.api.types.is_datetime64_any_dtype(frame["end"])
    assert frame.set_index("id").loc["group", "topics"] == ["north-korea", "alliance-politics"]
    assert frame.set_index("id").loc["treaty", "importance"] == 3
    assert frame.set_index("id").loc["nukes", "importance"] == 2  # the default


@pytest.mark.parametrize("event_id, precision, first, last, label", [
    ("treaty", "day", "1953-10-01", "1953-10-01", "1 October 1953"),
    ("launch", "month", "2018-11-01", "2018-11-30", "November 2018"),
    ("nukes", "year", "1958-01-01", "1958-12-31", "1958"),
    ("group", "day", "2018-11-20", "2018-11-20", "20 November 2018 – June 2021"),
])
def test_precision_is_kept(record, event_id, precision, first, last, label):
    row = record.frame.set_index("id").loc[event_id]
    assert row["precision"] == precision
    assert row["start"] == pd.Timestamp(first) and row["date_last"] == pd.Timestamp(last)
    assert row["date_label"] == label


def test_span_ends_on_the_last_day_of_its_end_date(record):
    assert record.frame.set_index("id").loc["group", "end"] == pd.Timestamp("2021-06-30")


# What each annotation of `EventRow` allows a cell to be (NaN is a float; NaT is its own type).
_CELL_TYPES = {"str": str, "int": int, "float": float, "None": type(None), "pd.Timestamp": pd.Timestamp, "NaTType": type(pd.NaT),
               "list[str]": list, "list[SourceCell]": list}


def test_the_typed_row_is_what_the_frame_holds(record):
    """`EventRow` is what the type checker believes a frame row holds: a column added, dropped or
    retyped in the frame must change it too, or the checker vouches for code that breaks."""
    assert tuple(EventRow.__annotations__) == FRAME_COLUMNS
    allowed = {name: tuple(_CELL_TYPES[part] for part in annotation.split(" | "))
               for name, annotation in EventRow.__annotations__.items()}
    for row in event_rows(record.frame):  # a span and not, a label and not, several precisions
        wrong = {name: type(getattr(row, name)).__name__ for name in FRAME_COLUMNS
                 if not isinstance(getattr(row, name), allowed[name])}
        assert wrong == {}, row.id


def test_sources_are_kept_whole(record):
    sources = record.frame.set_index("id").loc["treaty", "sources"]
    assert sources == [{"title": "A source", "publisher": None, "url": "https://example.org/a", "date": None}]


def test_version_changes_when_any_file_changes(tmp_path):
    folder = make_record(tmp_path / "events", {"2000-01-02-test-event.yaml": event()})
    before = load_record(folder).version
    (folder / "2000-01-02-test-event.yaml").write_text(event(title="Another title"))
    assert load_record(folder).version != before


def test_load_record_raises_with_every_problem(tmp_path):
    folder = make_record(tmp_path / "events", {"2000-01-02-test-event.yaml": event(kind="x", importance="9")})
    with pytest.raises(RecordError) as caught:
        load_record(folder)
    assert {p.field for p in caught.value.problems} == {"kind", "importance"}


@pytest.mark.parametrize("text, message", [("2021-02-29", "February 2021 has 28 days"), ("2020-13", "no month 13"),
                                           ("1799", "outside"), ("21-01-01", "not a date")])
def test_impossible_dates_are_explained(text, message):
    with pytest.raises(ValueError, match=message):
        parse_partial_date(text)


def test_leap_day_is_a_date():
    assert parse_partial_date("2020-02-29").label() == "29 February 2020"
