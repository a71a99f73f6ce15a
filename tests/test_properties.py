"""Property-based tests: whatever the bytes or the URL, only validation errors or a valid view come back."""

from __future__ import annotations

import functools
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.query import Query
from alliance.yamlsafe import parse_yaml_bytes
from components.state import parse

from .conftest import make_record

SETTINGS = settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
YAML_ALPHABET = string.ascii_letters + string.digits + " :-[]{}&*!|>'\"#%@`,?\n\t\\"


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_give_problems_never_exceptions(data):
    documents, problems = parse_yaml_bytes(data, "random.yaml")
    assert all(p.path == "random.yaml" and p.line >= 1 for p in problems)


@SETTINGS
@given(st.text(alphabet=YAML_ALPHABET, max_size=300))
def test_random_yaml_like_text_gives_problems_never_exceptions(text):
    parse_yaml_bytes(text.encode(), "random.yaml")


def yaml_values():
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30), st.dates().map(str))
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
                        max_leaves=12)


@settings(max_examples=150, deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["id", "date", "end_date", "title", "summary", "topics", "kind", "actors",
                                        "importance", "sources", "related", "titel"]), yaml_values(), max_size=11))
def test_random_event_documents_give_problems_never_exceptions(tmp_path_factory, document):
    import yaml

    from alliance.record import read_record

    folder = make_record(tmp_path_factory.mktemp("p") / "events",
                         {"2000-01-02-x.yaml": yaml.safe_dump(document, allow_unicode=True)})
    record, problems = read_record(folder)
    assert (record is None) == bool(problems)


@SETTINGS
@given(st.text(max_size=400))
def test_any_query_string_gives_a_valid_view(search):
    query = Query.from_url(search)
    assert Query.from_url(query.to_url()) == query
    assert query.mode in ("hide", "dim") and len(query.q) <= 200


@settings(max_examples=200, deadline=2000)
@given(st.dictionaries(st.sampled_from(["topics", "kinds", "actors", "q", "from", "to", "importance", "event",
                                        "narrative", "mode", "x"]), st.text(max_size=40), max_size=8))
def test_any_parameters_parse_against_a_record(params):
    from urllib.parse import urlencode

    record = real_record()
    query = parse(record, "?" + urlencode(params))
    assert query.event is None or query.event in set(record.frame["id"])


@functools.cache
def real_record():
    from alliance.record import load_record

    from .conftest import REAL_EVENTS

    return load_record(REAL_EVENTS)
