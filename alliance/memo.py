"""Values derived once from a loaded record, kept beside the record rather than inside it.

A `Record` is the validated data and nothing else: it is what the load cache stores, and it has no
slot for what the drawing code or the dashboard derive from it. Modules that derive something costly
from a record (the figures' per-lane arrays, the table's formatted rows) wrap that function with
`per_record`: it runs once per record object and its value is kept in the wrapping module until the
record itself is garbage-collected. A record never changes, so the same record gives the same value
in every worker; two threads racing on a first call may both compute it, and one value is kept.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import TypeVar

R = TypeVar("R")
T = TypeVar("T")


def per_record(derive: Callable[[R], T]) -> Callable[[R], T]:
    """`derive(record)`, computed once per record object and dropped with the record."""
    memo: dict[int, T] = {}  # id(record) -> value; an entry lives exactly as long as its record

    @functools.wraps(derive)
    def cached(record: R) -> T:
        key = id(record)
        if key in memo:
            return memo[key]
        value = derive(record)
        kept = memo.setdefault(key, value)
        if kept is value:  # this call stored it: forget it when the record goes
            weakref.finalize(record, memo.pop, key, None)
        return kept

    cached.entries = memo.__len__  # type: ignore[attr-defined]  # how many records hold a value (tests)
    return cached
