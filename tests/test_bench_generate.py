"""The benchmark's synthetic records are valid records, in both file layouts, so benchmarks measure real work."""

from __future__ import annotations

import sys

from alliance.record import read_record

from .conftest import ROOT, record_of

sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402


def test_generated_record_validates_in_both_layouts(tmp_path):
    generate(1200, tmp_path / "events")
    record = record_of(read_record(tmp_path / "events"))
    assert len(record.frame) == 1200
    names = [p.name for p in (tmp_path / "events").glob("*.yaml")]
    assert sum(n.startswith("batch-") for n in names) == 2 and len(names) == 600 + 2
    assert record.frame["end"].notna().any() and set(record.frame["precision"]) == {"day", "month", "year"}
