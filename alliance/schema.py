"""What an event, a source and a vocabulary entry are: field tables and the typed records they make.

The field order of `EVENT_FIELDS` is also the canonical key order written by `alliance format`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import fields as f
from .dates import PartialDate

TITLE_MAX = 120
LABEL_MAX = 40
NOTE_MAX = 1200
SUMMARY_MAX = 1200
COUNTRIES = ["US", "ROK"]


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str | None = None
    url: str | None = None
    date: PartialDate | None = None


@dataclass(frozen=True)
class Event:
    id: str
    date: PartialDate
    end_date: PartialDate | None
    title: str
    summary: str
    topics: tuple[str, ...]
    kind: str
    actors: tuple[str, ...]
    importance: int
    sources: tuple[Source, ...]
    related: tuple[str, ...]
    path: str
    line: int
    label: str | None = None  # the short form drawn on the timeline; derived from the title when absent
    note: str | None = None  # a curator's word on sources or disputed dates, shown under the sources
    lines: dict = field(default_factory=dict, compare=False, hash=False, repr=False)  # field -> line

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    colour: str
    description: str


@dataclass(frozen=True)
class Kind:
    id: str
    label: str
    symbol: str
    description: str


@dataclass(frozen=True)
class Era:
    name: str
    country: str
    start: PartialDate
    end: PartialDate | None
    acting: bool
    sources: tuple[Source, ...]
    short: str | None = None

    @property
    def id(self) -> str:
        """Stable id (`rok-1948-07-24`): country and start date, unique because one term starts per day and
        country. Bands, presets and matrix cells all name a term by it, never by a position in a list."""
        return f"{self.country.lower()}-{self.start.text}"

    @property
    def label(self) -> str:
        """Band label: the family name (last in U.S. names, first in Korean ones) unless `short` says."""
        return self.short or (self.name.split()[-1] if self.country == "US" else self.name.split()[0])


SOURCE_SPEC = {
    "title": f.Field(f.text(300), required=True),
    "publisher": f.Field(f.text(200, shared=True)),
    "url": f.Field(f.url),
    "date": f.Field(f.partial_date),
}


def sources(value, report):
    """A non-empty list of source mappings, each checked at its own line."""
    def one(item, item_report):
        clean = f.check_mapping(item, SOURCE_SPEC, item_report, prefix=f"{item_report.field}.")
        return Source(**clean) if clean else None
    return f.list_of(one, min_items=1, unique=False)(value, report)


sources.json_schema = {"type": "array", "minItems": 1, "items": f.mapping_schema(SOURCE_SPEC)}  # type: ignore[attr-defined]


def event_spec(topic_ids: list[str], kind_ids: list[str]) -> dict[str, f.Field]:
    """The one declaration of an event's fields: the validator's table, the canonical key order
    (`alliance format`), the frame's and the spreadsheets' columns, the field dictionary in
    events/README.md and the JSON Schema of an event file all follow from it. Topics and kinds come
    from the record's own vocabularies."""
    return {
        "id": f.Field(f.slug, required=True, form="lowercase slug: `a-z`, `0-9`, single hyphens; at most 80 characters",
                      doc="unique across the record and stable: it appears in shareable links. In a one-event file it "
                          "must match the file name after the date."),
        "date": f.Field(f.partial_date, required=True, form="`YYYY-MM-DD`, `YYYY-MM` or `YYYY`",
                        doc="the form *is* the precision (day, month, year). Write only what is certain; use the local "
                            "date of the place where it happened."),
        "end_date": f.Field(f.partial_date, form="same forms",
                            doc="for spans (a war, a negotiation, a working group); may not end before `date` begins."),
        "title": f.Field(f.text(TITLE_MAX), required=True, form=f"plain text, one line, at most {TITLE_MAX} characters"),
        "label": f.Field(f.text(LABEL_MAX), form=f"plain text, one line, at most {LABEL_MAX} characters",
                         doc="the short form drawn beside the marker on the timeline (\"THAAD deployed\"); without it, "
                             "the title is cut at a word boundary (at most 32 characters, with \"…\"). Landmark events "
                             "have one: keep it short enough to sit beside its marker."),
        "summary": f.Field(f.text(SUMMARY_MAX, single_line=False), required=True,
                           form=f"1–4 sentences in your own words, at most {SUMMARY_MAX:,} characters",
                           doc="neutral; what happened and why it mattered to the alliance. Quotes are short and in "
                               "double quotes. Plain text: it is always shown as text, never as HTML."),
        "topics": f.Field(f.list_of(f.one_of(topic_ids, "topic"), min_items=1), required=True,
                          form="list of one or more ids from `vocabulary/topics.yaml`",
                          doc="the issue areas (timeline lanes)."),
        "kind": f.Field(f.one_of(kind_ids, "kind"), required=True, form="one id from `vocabulary/kinds.yaml`",
                        doc="sets the marker shape."),
        "actors": f.Field(f.list_of(f.text(120, shared=True)), default=(), form="list of names",
                          doc="people and institutions involved, spelled as a reader would search for them."),
        "importance": f.Field(f.integer_in(1, 3), default=2, form="1, 2 or 3",
                              doc="3 = landmark (gets its own slide in exported decks); default 2."),
        "sources": f.Field(sources, required=True, form="list of one or more mappings",
                           doc="each: `title` (required), `publisher`, `url` (http or https only), `date` (same forms "
                               "as `date`). Cite only what you actually read."),
        "note": f.Field(f.text(NOTE_MAX, single_line=False), form=f"plain text, at most {NOTE_MAX:,} characters",
                        doc="a curator's word on the sources or a disputed date (\"U.S. usage gives 17 November 1954, "
                            "Korean sources 18 November\"); shown under the sources, never in the summary."),
        "related": f.Field(f.list_of(f.slug), default=(), form="list of event ids",
                           doc="other steps of the same story; every id must exist, and links go both ways: if A lists "
                               "B, B lists A (`python -m alliance links --fix` adds the missing back-links)."),
    }


EVENT_FIELDS = tuple(event_spec([], []))


def field_table() -> list[tuple[str, str, str, str]]:
    """The field dictionary's rows (field, required, form, notes), as events/README.md prints them."""
    return [(name, "yes" if field.required else "no", field.form, field.doc) for name, field in event_spec([], []).items()]


# Symbols drawn as lines only, with no fill: on the timeline "hollow" means "known only to the month or year".
_UNFILLED = ("-open", "-thin", "asterisk", "hash", "y-", "line-")


def _plotly_symbol(value, report):
    from plotly.graph_objs.scatter import Marker

    try:
        Marker(symbol=value)
    except ValueError:
        report(f"{value!r} is not a plotly marker symbol (see plotly's scatter marker symbols)")
        return value
    name = str(value)
    if any(part in name for part in _UNFILLED):
        report(f"{value!r} is hollow or drawn with lines only; a kind needs a filled symbol "
               "(hollow marks a month- or year-only date)")
    return value


TOPIC_SPEC = {
    "id": f.Field(f.slug, required=True),
    "label": f.Field(f.text(40), required=True),
    "colour": f.Field(f.colour, required=True),
    "description": f.Field(f.text(400), required=True),
}
KIND_SPEC = {
    "id": f.Field(f.slug, required=True),
    "label": f.Field(f.text(40), required=True),
    "symbol": f.Field(_plotly_symbol, required=True),
    "description": f.Field(f.text(400), required=True),
}
ERA_SPEC = {
    "name": f.Field(f.text(80), required=True),
    "country": f.Field(f.one_of(COUNTRIES, "country"), required=True),
    "start": f.Field(f.partial_date, required=True),
    "end": f.Field(f.partial_date),
    "acting": f.Field(f.flag, default=False),
    "sources": f.Field(sources, default=()),
    "short": f.Field(f.text(30)),
}
