"""The record: `events/` read, validated as a whole, and turned into one typed pandas frame.

`read_record` never raises on bad data: it returns a `LoadResult`, either `Loaded(record)` or
`Failed(problems)` with every problem found in one pass (per-file checks, then cross-file checks:
duplicate ids, dangling `related` links, narratives naming unknown events). Callers tell the two
apart with `isinstance` or `match`, so no code path can use a record that failed to load. It always
reads and validates everything; `load_record(root, cache=True)` and `read_record_cached` (in
`alliance.cache`) are the entry points the app and exports use, which serve an unchanged valid
record from the load cache.

Each file is read once per load (`RecordFiles`): the same bytes are parsed and hashed into the
version. The garbage collector is paused while a load builds its many small objects (`paused_gc`).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol, TypedDict, cast

import pandas as pd
from pandas.api.typing import NaTType

from . import fields as f
from .problems import Problem, RecordError
from .safeio import read_regular
from .schema import ERA_SPEC, EVENT_FIELDS, KIND_SPEC, TOPIC_SPEC, Era, Event, Kind, Topic, event_spec
from .yamlsafe import MAX_BYTES, LocatedList, LocatedMap, parse_yaml_bytes, unreadable

FIRST_YEAR = 1948  # the first year of the time axis: the record begins with the Republic's founding
VOCABULARY_DIR = "vocabulary"
NARRATIVE_DIR = "narratives"


@dataclass(frozen=True)
class Vocabulary:
    topics: tuple[Topic, ...]
    kinds: tuple[Kind, ...]
    eras: tuple[Era, ...]

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)

    def kind(self, kind_id: str) -> Kind:
        return next(k for k in self.kinds if k.id == kind_id)


@dataclass(frozen=True)
class NarrativeStep:
    event: str
    note: str


@dataclass(frozen=True)
class Narrative:
    id: str
    title: str
    framing: str
    steps: tuple[NarrativeStep, ...]


@dataclass(frozen=True)
class Record:
    events: tuple[Event, ...]
    vocab: Vocabulary
    narratives: tuple[Narrative, ...]
    frame: pd.DataFrame = field(repr=False)
    version: str  # content hash of every file, so a quoted chart can be traced to its record

    @property
    def label(self) -> str:
        return f"{len(self.events)} events, record {self.version}"

    @functools.cached_property
    def ids(self) -> frozenset[str]:
        """Every event id, computed once: URL parsing checks against it on every request."""
        return frozenset(self.frame["id"])

    @functools.cached_property
    def actors(self) -> frozenset[str]:
        return frozenset(self.frame["actors"].explode().dropna())

    @functools.cached_property
    def positions(self) -> dict[str, int]:
        """Event id → row of the frame: opening one event must not scan every row."""
        return {event_id: i for i, event_id in enumerate(self.frame["id"])}

    @functools.cached_property
    def span(self) -> tuple[int, int]:
        """(first, last) year of the time axis, fixed once per loaded record: see `record_span`."""
        return record_span(self.frame, date.today())


def record_span(frame: pd.DataFrame, today: date) -> tuple[int, int]:
    """The years the time axis covers: from FIRST_YEAR (or an earlier first event) to the later of `today`'s year and the record's
    last date (an end date included). Taking the clock as an argument keeps this testable; the record
    asks the clock once, when it is loaded, and every figure is then drawn from that value."""
    first, last = FIRST_YEAR, today.year
    if len(frame):
        first = min(first, int(frame["start"].min().year))
        last = max(last, int(frame["end"].fillna(frame["date_last"]).max().year))
    return first, last


def shown_path(path: Path) -> str:
    """A path as a curator would type it: relative to the working directory when possible."""
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)


def event_files(root: Path) -> list[Path]:
    """Event files: every *.yaml directly in the record folder, except `_template.yaml` and kin."""
    root = Path(root)
    return [root / name for name in _event_names(root)]


def _event_names(root: Path) -> list[str]:
    """The event files' names, sorted: the files `sorted(root.glob("*.yaml"))` finds, minus `_*`, from
    one scandir with no per-file pattern matching or Path objects (it matters at 50,000 files)."""
    return _yaml_names(root, [], missing_ok=True)


def _yaml_names(folder: Path, problems: list[Problem], *, missing_ok: bool = False) -> list[str]:
    """The sorted `*.yaml` names in `folder`, minus `_*`. A folder that exists but cannot be listed is
    a problem (else its files would silently count as missing, or as none)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries if e.name.endswith(".yaml") and not e.name.startswith("_"))
    except FileNotFoundError:
        if not missing_ok:
            problems.append(Problem(shown_path(folder), 1, "file", "missing folder"))
        return []
    except OSError as error:
        problems.append(Problem(shown_path(folder), 1, "file", f"cannot read the folder: {error.strerror or error}"))
        return []


class RecordFiles:
    """The files one load reads, listed once; each file's bytes are read at most once.

    `all` is the set `record_version` hashes (and the load cache keys on): event files, then
    `vocabulary/*.yaml`, then `narratives/*.yaml`; `names` the same, relative to the folder and
    `/`-separated. A read error is remembered and raised again.
    """

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []  # folders that could not be listed
        self.event_names = _yaml_names(root, self.problems)
        self.vocabulary = [root / VOCABULARY_DIR / name
                           for name in _yaml_names(root / VOCABULARY_DIR, self.problems, missing_ok=True)]
        self.narratives = [root / NARRATIVE_DIR / name
                           for name in _yaml_names(root / NARRATIVE_DIR, self.problems, missing_ok=True)]
        self._read: dict[Path, bytes | OSError] = {}

    @functools.cached_property
    def events(self) -> list[Path]:
        return [self.root / name for name in self.event_names]

    @functools.cached_property
    def all(self) -> list[Path]:
        return self.events + self.vocabulary + self.narratives

    @functools.cached_property
    def names(self) -> list[str]:
        return (self.event_names + [f"{VOCABULARY_DIR}/{path.name}" for path in self.vocabulary]
                + [f"{NARRATIVE_DIR}/{path.name}" for path in self.narratives])

    def read(self, path: Path) -> bytes:
        data = self._read.get(path)
        if data is None:
            try:  # regular files only, never more than the parser would take, no link out of the record
                data = read_regular(path, MAX_BYTES, inside=self.root)
            except OSError as error:
                data = error
            self._read[path] = data
        if isinstance(data, OSError):
            raise data
        return data

    def read_yaml(self, path: Path, shown: str) -> tuple[list, list[Problem]]:
        """`yamlsafe.read_yaml`, through this load's bytes."""
        try:
            raw = self.read(path)
        except OSError as exc:
            return [], [unreadable(shown, exc)]
        return parse_yaml_bytes(raw, shown)

    def version(self) -> str:
        return _version((path, self.read(path)) for path in self.all)


@contextlib.contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while a load allocates its hundreds of thousands of small,
    long-lived objects (otherwise collections keep re-walking everything built so far: about 15% of a
    10k-event load).

    On resuming, what survived is moved straight to the oldest generation (`gc.freeze()` then
    `gc.unfreeze()`, two constant-time list splices) instead of being walked once more by the first
    young collection; skipped if something else froze objects on purpose (a pre-fork server may).
    Only the caller that paused the collector resumes it, so nesting and threads are safe.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _read_entries(path: Path, spec: dict, problems: list[Problem], make, files: RecordFiles) -> list:
    """Read a vocabulary-style file: a YAML list of mappings checked against `spec`."""
    shown = shown_path(path)
    if not path.exists():
        problems.append(Problem(shown, 1, "file", "missing vocabulary file"))
        return []
    documents, file_problems = files.read_yaml(path, shown)
    problems.extend(file_problems)
    entries = documents[0] if len(documents) == 1 else None
    if not isinstance(entries, LocatedList):
        if not file_problems:  # else the file's own problems say why there is no list
            problems.append(Problem(shown, 1, "file", "expected one YAML list of entries"))
        return []
    made = []
    for index, raw in enumerate(entries):
        report = f.Reporter(problems, shown, f"[{index}]", entries.line_of(index))
        clean = f.check_mapping(raw, spec, report)
        if clean is not None:
            made.append(make(clean))
    return made


def read_vocabulary(root: Path) -> tuple[Vocabulary, list[Problem]]:
    """The record's vocabularies alone (what the event file schema is made from), and their problems."""
    problems: list[Problem] = []
    files = RecordFiles(Path(root))
    return _read_vocabulary(Path(root), problems, files), problems


def _read_vocabulary(root: Path, problems: list[Problem], files: RecordFiles) -> Vocabulary:
    folder = root / VOCABULARY_DIR
    topics = _read_entries(folder / "topics.yaml", TOPIC_SPEC, problems, lambda c: Topic(**c), files)
    kinds = _read_entries(folder / "kinds.yaml", KIND_SPEC, problems, lambda c: Kind(**c), files)
    eras = _read_entries(folder / "eras.yaml", ERA_SPEC, problems, lambda c: Era(**c), files)
    for noun, items in (("topic", topics), ("kind", kinds)):
        ids = [item.id for item in items]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(Problem(shown_path(folder / f"{noun}s.yaml"), 1, "id", f"{noun} {dup!r} is defined twice"))
    return Vocabulary(tuple(topics), tuple(kinds), tuple(eras))


def _shown_in(folder: Path) -> Callable[[str], str]:
    """How a curator sees the file `name` (relative to `folder`): `shown_path(folder / name)`, without one
    `relpath` per file."""
    try:
        base = os.path.relpath(folder)
    except ValueError:  # pragma: no cover - other drive on Windows
        base = os.pardir
    if base == os.curdir:
        return lambda name: name
    if all(part == os.pardir for part in base.split(os.sep)):
        return lambda name: shown_path(folder / name)  # the working directory is inside `folder`: relpath's own answer
    return lambda name: os.path.join(base, name)


def _read_event_file(path: Path, spec: dict, problems: list[Problem], files: RecordFiles, shown: str) -> list[Event]:
    """The valid events of one file. Problems name the file as `shown` (from the working directory); the
    events carry its name relative to the record folder, so a loaded record is the same from any folder."""
    documents, file_problems = files.read_yaml(path, shown)
    problems.extend(file_problems)
    if file_problems:
        return []
    if len(documents) != 1:
        problems.append(Problem(shown, 1, "file", f"holds {len(documents)} YAML documents; use one (a list for many events)"))
        return []
    document = documents[0]
    is_list = isinstance(document, LocatedList)
    # (where in the file, line, value) of each event the file holds
    raws = ([(f"[{index}]", document.line_of(index), raw) for index, raw in enumerate(document)] if is_list
            else [("event", getattr(document, "line", 1), document)])
    events = []
    for where, line, raw in raws:
        report = f.Reporter(problems, shown, where, line)
        clean = f.check_mapping(raw, spec, report)
        if clean is None or not isinstance(raw, LocatedMap):  # a checked mapping read from YAML is a LocatedMap
            continue
        lines = dict(raw.lines)
        related = raw.get("related")
        if isinstance(related, LocatedList):
            lines.update({sys.intern(f"related[{i}]"): related.line_of(i) for i in range(len(related))})
        event = Event(**clean, path=path.name, line=line, lines=lines)
        if not _check_event_rules(event, raw, path, is_list, report):
            continue
        events.append(event)
    return events


def _check_event_rules(event: Event, raw: LocatedMap, path: Path, in_list: bool, report: f.Reporter) -> bool:
    """Rules that need several fields at once. Returns False if the event must be dropped."""
    ok = True
    if event.end_date and event.end_date.last < event.date.first:
        report.at("end_date", raw.line_of("end_date"))(
            f"{event.end_date.text} is before the start date {event.date.text}")
        ok = False
    expected = f"{event.date.text}-{event.id}.yaml"
    if not in_list and path.name != expected:
        report.at("id", raw.line_of("id"))(f"file name should be {expected} (date, then id)")
        ok = False
    if event.id in event.related:
        report.at("related", raw.line_of("related"))("an event cannot be related to itself")
        ok = False
    return ok


# A narrative as read: with the mapping it came from (for the lines of its steps) and its file as shown.
ReadNarrative = tuple[Narrative, LocatedMap, str]


def _read_narratives(root: Path, problems: list[Problem], files: RecordFiles) -> list[ReadNarrative]:
    spec = {
        "id": f.Field(f.slug, required=True),
        "title": f.Field(f.text(120), required=True),
        "framing": f.Field(f.text(2000, single_line=False), required=True),
        "steps": f.Field(f.list_of(_narrative_step, min_items=2, unique=False), required=True),
    }
    narratives = []
    for path in files.narratives:
        shown = shown_path(path)
        documents, file_problems = files.read_yaml(path, shown)
        problems.extend(file_problems)
        if file_problems:
            continue
        document = documents[0] if len(documents) == 1 else None
        report = f.Reporter(problems, shown, "narrative", getattr(document, "line", 1))
        clean = f.check_mapping(document, spec, report)
        if clean is not None and isinstance(document, LocatedMap):
            narratives.append((Narrative(**clean), document, shown))
    return narratives


def _narrative_step(value, report):
    clean = f.check_mapping(value, {"event": f.Field(f.slug, required=True),
                                    "note": f.Field(f.text(300), required=True)},
                            report, prefix=f"{report.field}.")
    return NarrativeStep(**clean) if clean else None


def _cross_check(events: list[Event], narratives: list[ReadNarrative], problems: list[Problem],
                 shown: Callable[[str], str]) -> list[Event]:
    """Duplicate ids (both places named), and links to ids that do not exist. `shown` turns an event's
    path (relative to the record folder) into the path a curator sees."""
    first_seen: dict[str, Event] = {}
    for event in events:
        other = first_seen.setdefault(event.id, event)
        if other is not event:
            here, there = shown(event.path), shown(other.path)
            problems.append(Problem(here, event.line_of("id"), "id",
                                    f"duplicate id {event.id!r}: also used at {there}:{other.line_of('id')}"))
            problems.append(Problem(there, other.line_of("id"), "id",
                                    f"duplicate id {event.id!r}: also used at {here}:{event.line_of('id')}"))
    known = set(first_seen)
    for event in events:
        for index, target in enumerate(event.related):
            if target not in known:
                problems.append(Problem(shown(event.path), event.line_of(f"related[{index}]"), f"related[{index}]",
                                        f"no event has id {target!r}{f.suggest(target, known)}"))
    _check_links_go_both_ways([first_seen[i] for i in first_seen], problems, shown)
    for narrative, raw, narrative_path in narratives:
        for index, step in enumerate(narrative.steps):
            if step.event not in known:
                problems.append(Problem(narrative_path, raw["steps"].line_of(index), f"steps[{index}].event",
                                        f"no event has id {step.event!r}{f.suggest(step.event, known)}"))
    return list(first_seen.values())


def one_way_links(events: list[Event]) -> list[tuple[Event, str]]:
    """(event, target) for every `related` link whose target does not list the event back.

    Links are symmetric: a step of a story names its neighbours and they name it, so the detail
    panel shows the whole chain from any step and a story can be followed in both directions.
    """
    related = {event.id: set(event.related) for event in events}
    return [(event, target) for event in events for target in event.related
            if target in related and event.id not in related[target]]


def _check_links_go_both_ways(events: list[Event], problems: list[Problem], shown: Callable[[str], str]) -> None:
    by_id = {event.id: event for event in events}
    for event, target in one_way_links(events):
        other, source = by_id[target], f"{shown(event.path)}:{event.line_of('related')}"
        problems.append(Problem(shown(other.path), other.line_of("related") if other.related else other.line_of("id"),
                                "related", f"{event.id!r} lists this event as related, but this event does not list "
                                f"it back: add {event.id!r} (links go both ways; {source})"))


def record_version(paths: list[Path]) -> str:
    """A short content hash of every file of the record (names and bytes), stable across machines."""
    return _version((path, path.read_bytes()) for path in paths)


def _version(files) -> str:
    digest = hashlib.sha256()
    for path, data in sorted(files, key=lambda item: item[0]):
        digest.update(path.name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Loaded:
    """A load that succeeded: the whole record was read and every check passed.

    It has no problem list: any problem rejects the record (the loader has no warnings).
    """

    record: Record


@dataclass(frozen=True)
class Failed:
    """A load that found problems: every one of them, sorted and capped per file (`capped`); never empty."""

    problems: tuple[Problem, ...]


LoadResult = Loaded | Failed  # what every load (`read_record`, `read_files`, `read_record_cached`) answers


def read_record(root: Path) -> LoadResult:
    """Validate the whole record: `Loaded(record)` when clean, else `Failed(every problem)`.

    Always reads and checks every file (no cache): this is the reference load.
    """
    root = Path(root)
    if not root.is_dir():
        return Failed((Problem(shown_path(root), 1, "file", "not a folder"),))
    with paused_gc():
        return read_files(RecordFiles(root))


def _read_parts(files: RecordFiles, problems: list[Problem]):
    """Vocabulary, the events that are valid on their own, and narratives; problems appended."""
    root = files.root
    problems.extend(files.problems)
    vocab = _read_vocabulary(root, problems, files)
    spec = event_spec([t.id for t in vocab.topics], [k.id for k in vocab.kinds])
    shown = _shown_in(root)
    events = [event for path in files.events for event in _read_event_file(path, spec, problems, files, shown(path.name))]
    if not files.events:
        problems.append(Problem(shown_path(root), 1, "file", "no event files (*.yaml) in the record"))
    return vocab, events, _read_narratives(root, problems, files)


def read_events(root: Path) -> list[Event]:
    """The events that are valid on their own, even when the record as a whole is not (for tools
    that repair cross-file problems, such as missing back-links)."""
    with paused_gc():
        return _read_parts(RecordFiles(Path(root)), [])[1]


def read_files(files: RecordFiles) -> LoadResult:
    """`read_record` over a listing (and, if already read, the bytes) of a record folder."""
    problems: list[Problem] = []
    vocab, events, narratives = _read_parts(files, problems)
    events = _cross_check(events, narratives, problems, _shown_in(files.root))
    if problems:
        return Failed(tuple(capped(sorted(set(problems)))))
    events.sort(key=lambda e: (e.date.first, e.id))
    return Loaded(Record(
        events=tuple(events),
        vocab=vocab,
        narratives=tuple(n for n, _, _ in narratives),
        frame=build_frame(events),
        version=files.version(),
    ))


MAX_PROBLEMS_PER_FILE = 100


def capped(problems: list[Problem]) -> list[Problem]:
    """The first `MAX_PROBLEMS_PER_FILE` problems of each file, then one line counting the rest (at the
    line of the first one left out): a file of a million broken entries must not print a million lines."""
    kept: list[Problem] = []
    counts: dict[str, int] = {}
    cut: dict[str, int] = {}  # path -> index in `kept` of its count line
    for problem in problems:
        counts[problem.path] = seen = counts.get(problem.path, 0) + 1
        if seen <= MAX_PROBLEMS_PER_FILE:
            kept.append(problem)
        elif seen == MAX_PROBLEMS_PER_FILE + 1:
            cut[problem.path] = len(kept)
            kept.append(problem)
    for path, index in cut.items():
        more = counts[path] - MAX_PROBLEMS_PER_FILE
        kept[index] = Problem(path, kept[index].line, "file", f"… and {more:,} more problem{'s' * (more != 1)} in this file")
    return kept


def load_record(root: Path, *, cache: bool = False) -> Record:
    """The record, or RecordError listing every problem.

    With `cache=True` an unchanged valid record comes from the load cache (see `alliance.cache`);
    an invalid one is always read and checked again, so every problem is reported.
    """
    if cache:
        from .cache import read_record_cached

        result = read_record_cached(root)
    else:
        result = read_record(root)
    if isinstance(result, Failed):
        raise RecordError(result.problems)
    return result.record


def date_label(event: Event) -> str:
    """`1 October 1953`, `November 2018 – June 2021`: the precision shows in the words."""
    label = event.date.label()
    return f"{label} – {event.end_date.label()}" if event.end_date else label


def _dates(events: list[Event]) -> dict:
    return {"start": pd.to_datetime([e.date.first for e in events]),
            "date_last": pd.to_datetime([e.date.last for e in events]),
            "precision": pd.Categorical([e.date.precision for e in events], categories=["day", "month", "year"]),
            "date_text": [e.date.text for e in events]}


def _end_dates(events: list[Event]) -> dict:
    # pandas reads None as NaT; pandas-stubs' to_datetime allows no missing values in a list
    return {"end": pd.to_datetime([e.end_date.last if e.end_date else None for e in events]),  # type: ignore[arg-type]
            "end_date_text": [e.end_date.text if e.end_date else None for e in events]}


class SourceCell(TypedDict):
    """A source as the frame's `sources` column holds it: plain values, its date as written."""

    title: str
    publisher: str | None
    url: str | None
    date: str | None


def _sources(events: list[Event]) -> dict:
    cells: list[list[SourceCell]] = [[{"title": s.title, "publisher": s.publisher, "url": s.url,
                                       "date": s.date.text if s.date else None} for s in e.sources] for e in events]
    return {"sources": cells}


# Fields whose frame columns are not a plain copy of the value (typed dates, categories, small ints).
_FRAME_OF_FIELD = {
    "date": _dates,
    "end_date": _end_dates,
    "kind": lambda events: {"kind": pd.Categorical([e.kind for e in events])},
    "importance": lambda events: {"importance": pd.array([e.importance for e in events], dtype="int8")},
    "sources": _sources,
}


def _copied(name: str):
    def columns(events: list[Event]) -> dict:
        values = [getattr(event, name) for event in events]
        return {name: [list(v) if isinstance(v, tuple) else v for v in values]}
    return columns


def build_frame(events: list[Event]) -> pd.DataFrame:
    """One row per event, typed for filtering and plotting: the columns of every event field, in the
    order `EVENT_FIELDS` declares them (a new field gets its column without touching this), then
    what is computed from them.

    `start`/`date_last` are the first and last day the `date` may stand for (equal for a dated
    event); `end` is the last day of `end_date` for spans. `search_text` is precomputed once so
    free-text search is one vectorised `str.contains`.
    """
    columns: dict = {}
    for name in EVENT_FIELDS:
        columns.update(_FRAME_OF_FIELD.get(name, _copied(name))(events))
    columns.update({
        "date_label": [date_label(e) for e in events],
        "year": pd.array([e.date.first.year for e in events], dtype="int16"),
        "search_text": [" ".join([e.title, e.summary, *e.actors]).casefold() for e in events],
        "path": [e.path for e in events],
    })
    return pd.DataFrame(columns)


FRAME_COLUMNS = tuple(build_frame([]).columns)


class EventRow(Protocol):
    """One row of `Record.frame` as `frame.itertuples()` gives it: the columns `build_frame` makes.

    pandas' types cannot know a frame's columns, so this says once what each holds (tests/test_record.py
    checks it against the frame). A missing text (`end_date_text`, `label`, `note`) is NaN, or None when
    the column has no text at all (pandas' choice): test it with `isinstance(value, str)`.
    """

    id: str
    start: pd.Timestamp
    date_last: pd.Timestamp
    precision: str
    date_text: str
    end: pd.Timestamp | NaTType  # NaT unless the event is a span
    end_date_text: str | float | None
    title: str
    label: str | float | None
    summary: str
    topics: list[str]
    kind: str
    actors: list[str]
    importance: int
    sources: list[SourceCell]
    note: str | float | None
    related: list[str]
    date_label: str
    year: int
    search_text: str
    path: str


def event_rows(frame: pd.DataFrame) -> Iterator[EventRow]:
    """The rows of `frame` (the record's frame or a part of it), typed as `EventRow`."""
    return cast(Iterator[EventRow], frame.itertuples())
