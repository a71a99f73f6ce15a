"""Derived data (figure arrays, table rows) is kept beside a record, never inside it, and goes with it."""

from __future__ import annotations

import gc
import weakref
from dataclasses import fields

import numpy as np

from alliance.figures import plot_data_of
from alliance.record import Record, read_record
from components.detail import all_table_rows, table_rows

from .conftest import event, make_record, record_of


def test_the_record_holds_no_dashboard_cache_and_its_derived_data_goes_with_it(tmp_path):
    record = record_of(read_record(make_record(tmp_path / "events", {"2000-01-02-test-event.yaml": event()})))
    rows, plot = table_rows(record, np.ones(1, bool)), plot_data_of(record)
    assert rows[0]["title"] == "A test event" and plot is plot_data_of(record)  # computed once
    assert table_rows(record, np.ones(1, bool))[0] is rows[0]
    cached_properties = {"ids", "actors", "positions", "span"}
    assert set(vars(record)) <= {f.name for f in fields(Record)} | cached_properties  # nothing the UI put there
    gc.collect()  # records other tests left unreachable go now, so only this one can go below
    before = all_table_rows.entries(), plot_data_of.entries()
    gone = weakref.ref(record)
    del record, rows, plot
    gc.collect()
    assert gone() is None  # the memos do not keep a record alive
    assert (all_table_rows.entries(), plot_data_of.entries()) == (before[0] - 1, before[1] - 1)
