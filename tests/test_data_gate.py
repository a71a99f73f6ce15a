"""The real record in events/: it validates, and every file is in canonical form."""

from __future__ import annotations

from alliance.canonical import format_record
from alliance.record import read_record

from .conftest import REAL_EVENTS, record_of

REQUIRED_EVENTS = {  # the anchors of the record, with the dates briefers quote
    "mutual-defense-treaty-signed": "1953-10-01",
    "korus-fta-signed": "2007-06-30",
    "rok-us-working-group-launched": "2018-11-20",
    "moon-biden-summit-2021": "2021-05-21",
}


def test_record_validates():
    record_of(read_record(REAL_EVENTS))  # fails listing every problem


def test_record_is_in_canonical_form():
    changed, skipped = format_record(REAL_EVENTS, check=True)
    assert (changed, skipped) == ([], []), "run `python -m alliance format`:\n" + "\n".join(changed + skipped)


def test_anchor_events_are_present_with_their_dates():
    record = record_of(read_record(REAL_EVENTS))
    dates = {e.id: e.date.text for e in record.events}
    assert {i: dates.get(i) for i in REQUIRED_EVENTS} == REQUIRED_EVENTS


def test_every_event_cites_a_source_and_urls_are_web_links():
    record = record_of(read_record(REAL_EVENTS))
    for e in record.events:
        assert e.sources, e.id
        assert all(s.url is None or s.url.startswith(("http://", "https://")) for s in e.sources), e.id


def test_eras_cover_both_countries_without_gaps_since_1948():
    record = record_of(read_record(REAL_EVENTS))
    for country in ("US", "ROK"):
        eras = sorted((e for e in record.vocab.eras if e.country == country and not e.acting), key=lambda e: e.start)
        assert eras[0].start.first.year <= 1948
        assert eras[-1].end is None  # someone is in office now


def test_record_meets_the_coverage_minimums():
    """The second edition's targets: a briefer finds every step they expect, in every decade and area."""
    record = record_of(read_record(REAL_EVENTS))
    frame = record.frame
    assert len(frame) >= 600
    per_topic = frame["topics"].explode().value_counts()
    assert all(per_topic.get(t.id, 0) >= (20 if t.id == "health-global" else 30) for t in record.vocab.topics), \
        per_topic.to_dict()
    per_decade = (frame["year"] // 10 * 10).value_counts()
    assert all(per_decade.get(decade, 0) >= 30 for decade in range(1950, 2030, 10)), per_decade.to_dict()
    assert (frame["importance"] == 3).mean() < 0.1  # landmarks kept to what truly changed the alliance
    assert frame["end"].notna().sum() >= 10  # spans: wars, negotiations, working groups
    assert len(record.narratives) >= 8


def test_stories_are_linked_step_by_step():
    record = record_of(read_record(REAL_EVENTS))
    related = {e.id: set(e.related) for e in record.events}
    assert {"mutual-defense-treaty-in-force"} <= related["mutual-defense-treaty-signed"]
    assert {"korus-fta-negotiations-launched", "korus-fta-in-force"} <= related["korus-fta-signed"]
    assert "rok-us-working-group-terminated" in related["rok-us-working-group-launched"]


def test_korean_war_and_working_group_are_spans():
    record = record_of(read_record(REAL_EVENTS))
    spans = {e.id: (e.date.text, e.end_date.text) for e in record.events if e.end_date}
    assert spans["korean-war"] == ("1950-06-25", "1953-07-27")
    assert spans["rok-us-working-group-launched"][1].startswith("2021-06")


def test_every_event_has_a_source_a_reader_can_open():
    record = record_of(read_record(REAL_EVENTS))
    offline = [e.id for e in record.events if not any(s.url for s in e.sources)]
    assert offline == [], f"{len(offline)} events cite no source with a URL: {offline}"


def test_no_source_url_has_a_trailing_dot_host():
    record = record_of(read_record(REAL_EVENTS))
    bad = [(e.id, s.url) for e in record.events for s in e.sources
           if s.url and s.url.split("/")[2].endswith(".")]
    assert bad == []
