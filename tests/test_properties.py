"""Property-based tests: whatever the bytes or the URL, only validation errors or a valid view come back."""

from __future__ import annotations

import string

import pytest
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

    from alliance.record import Failed, Loaded, read_record

    folder = make_record(tmp_path_factory.mktemp("p") / "events",
                         {"2000-01-02-x.yaml": yaml.safe_dump(document, allow_unicode=True)})
    result = read_record(folder)
    assert isinstance(result, Loaded) or (isinstance(result, Failed) and result.problems)  # a failure always says why


@SETTINGS
@given(st.text(max_size=400))
def test_any_query_string_gives_a_valid_view(search):
    query = Query.from_url(search)
    assert Query.from_url(query.to_url()) == query
    assert query.mode in ("hide", "dim") and len(query.q) <= 200


@settings(max_examples=200, deadline=2000)
@given(st.dictionaries(st.sampled_from(["topics", "kinds", "actors", "q", "from", "to", "importance", "event",
                                        "narrative", "mode", "x"]), st.text(max_size=40), max_size=8))
def test_any_parameters_parse_against_a_record(real, params):
    from urllib.parse import urlencode

    record = real
    query = parse(record, "?" + urlencode(params))
    assert query.event is None or query.event in set(record.frame["id"])


@pytest.fixture(scope="module")
def real():
    """The real record, loaded before Hypothesis times the first example (a load is seconds, the deadline 2 s)."""
    from alliance.record import load_record

    from .conftest import REAL_EVENTS

    return load_record(REAL_EVENTS)


# ---- alliance.yamlsafe reads what yaml.safe_load reads ----------------------------------------------

class _Reference(getattr(__import__("yaml"), "CSafeLoader", None) or __import__("yaml").SafeLoader):
    """`yaml.safe_load`, with the one difference yamlsafe makes on purpose: timestamps stay text."""


_Reference.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
REFUSED = "refused"

# Plain scalars that PyYAML's resolvers read as something other than text, and near misses.
TRICKY = [".inf", "-.inf", "+.INF", ".NaN", ".nan", "010", "0o17", "0x1F", "-0x1f", "0b101", "0b_", "1:30", "-1:30:00",
          "190:20:30.15", "1_000", "+12", "-0", "0", "1e3", "6.8e+5", "1.5", ".5", "1.", "._", "yes", "No", "ON", "off",
          "y", "true", "False", "~", "null", "Null", "NULL", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2002-13-45",
          "12:00", "=", "1,000", "0.1_2", "0xG", "+", "-", ".", "a:b", "x y"]
TAGS = ["", "", "", "!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!timestamp ", "! ", "!!seq ", "!!map ", "!local "]


def plain_scalars():
    words = st.text(alphabet=string.ascii_letters + string.digits + "._:+-~ ", min_size=1, max_size=12)
    return st.tuples(st.sampled_from(TAGS), st.one_of(st.sampled_from(TRICKY), words)).map("".join)


def keys():
    return st.from_regex(r"k[a-z0-9]{0,4}", fullmatch=True)  # never resolves to anything but a distinct string


def hand_written_documents():
    """Block and flow collections of scalars as a curator might type them (tags, odd numbers included)."""
    flow_seq = st.lists(plain_scalars(), min_size=1, max_size=4).map(lambda items: "[" + ", ".join(items) + "]")
    value = st.one_of(plain_scalars(), flow_seq)
    block_map = st.dictionaries(keys(), value, min_size=1, max_size=5).map(
        lambda d: "".join(f"{k}: {v}\n" for k, v in d.items()))
    block_seq = st.lists(value, min_size=1, max_size=5).map(lambda items: "".join(f"- {v}\n" for v in items))
    nested = st.dictionaries(keys(), block_seq, min_size=1, max_size=3).map(
        lambda d: "".join(f"{k}:\n" + "".join(f"  {line}\n" for line in v.splitlines()) for k, v in d.items()))
    return st.one_of(value.map(lambda v: v + "\n"), block_map, block_seq, nested)


def dumped_documents():
    """Any JSON-like value (floats with inf and nan, any text) as PyYAML writes it, in block or flow style."""
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20), st.dates().map(str))
    values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys(), inner, max_size=4),
                          max_leaves=10)
    import yaml

    return st.tuples(values, st.booleans()).map(
        lambda pair: yaml.safe_dump(pair[0], allow_unicode=True, default_flow_style=pair[1]))


def reference(text: str):
    import yaml

    try:
        return list(yaml.load_all(text, Loader=_Reference))  # noqa: S506 - a safe loader
    except (yaml.YAMLError, ValueError, KeyError, IndexError):  # PyYAML's constructors raise these on `!!int x`
        return REFUSED


def same(ours, theirs) -> bool:
    """Equal values of equal types (True is not 1, 1 is not 1.0; NaN equals NaN)."""
    if isinstance(ours, list) and isinstance(theirs, list):
        return len(ours) == len(theirs) and all(same(a, b) for a, b in zip(ours, theirs, strict=True))
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return list(ours) == list(theirs) and all(same(ours[k], theirs[k]) for k in ours)
    if isinstance(ours, float) and isinstance(theirs, float) and ours != ours:
        return theirs != theirs
    return type(ours) is type(theirs) and ours == theirs


@settings(max_examples=400, deadline=None)
@given(st.one_of(hand_written_documents(), dumped_documents()))
def test_yamlsafe_reads_every_document_as_yaml_safe_load_does(text):
    documents, problems = parse_yaml_bytes(text.encode(), "doc.yaml")
    expected = reference(text)
    if expected == REFUSED:
        assert problems, f"yaml.safe_load refuses {text!r}, yamlsafe read {documents!r}"
    else:
        assert not problems, f"yamlsafe refuses {text!r} ({problems[0]}), yaml.safe_load reads {expected!r}"
        assert same(documents, expected), f"{text!r}: yamlsafe {documents!r}, yaml.safe_load {expected!r}"


@pytest.mark.parametrize(("text", "value"), [(".inf", float("inf")), ("-.Inf", float("-inf")), ("010", 8), ("0x1F", 31),
                                             ("1:30", 90), ("!!float 1", 1.0), ("2001-12-14", "2001-12-14")])
def test_the_values_that_used_to_differ(text, value):
    assert parse_yaml_bytes(f"v: {text}\n".encode(), "doc.yaml")[0] == [{"v": value}]


@pytest.mark.parametrize(("text", "message"), [
    ("a: &x 1\nb: *x\n", "anchors and aliases"), ("<<: {a: 1}\n", "custom tag 'tag:yaml.org,2002:merge'"),
    ("a: 1\na: 2\n", "duplicate key"), ("a: !!binary aGk=\n", "custom tag 'tag:yaml.org,2002:binary'"),
    ("a: !!int abc\n", "'abc' cannot be read as int"), ("a: !!int +\n", "'+' cannot be read as int"),
    ("a: !!str {b: 1}\n", "does not fit a mapping"),
])
def test_what_yamlsafe_refuses_on_purpose_is_a_problem_with_a_reason(text, message):
    documents, problems = parse_yaml_bytes(text.encode(), "doc.yaml")
    assert documents == [] and message in problems[0].message
