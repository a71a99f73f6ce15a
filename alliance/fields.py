"""Field checkers: small functions that turn one raw YAML value into a clean one or report why not.

Every checker has the signature `check(value, report) -> clean value`. It calls `report(message)`
for each problem (several if a list has several bad items, each at its own line) and returns what
it could clean. `check_mapping` applies a table of them to one mapping, so events, sources,
vocabularies and narratives share one way of being validated.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from .dates import EARLIEST_YEAR, LATEST_YEAR, parse_partial_date
from .problems import Problem
from .yamlsafe import LocatedMap

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Characters that change what a reader sees without showing themselves: C1 controls, bidirectional
# embeddings, overrides and isolates (U+202E can make "gpj.exe" read "exe.jpg"), zero-width spaces and
# joiners, the word joiner and a byte-order mark inside text.
_INVISIBLE = re.compile("[\x80-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_INVISIBLE_NAMES = {"\u200e": "a left-to-right mark", "\u200f": "a right-to-left mark", "\ufeff": "a byte-order mark"}
_HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


class Reporter:
    """Appends problems located at one field of one file; `at()` narrows to a nested field/line."""

    __slots__ = ("problems", "path", "field", "line")

    def __init__(self, problems: list[Problem], path: str, field: str, line: int):
        self.problems, self.path, self.field, self.line = problems, path, field, line

    def __call__(self, message: str) -> None:
        self.problems.append(Problem(self.path, self.line, self.field, message))

    def at(self, field: str, line: int) -> Reporter:
        return Reporter(self.problems, self.path, field, line)


Check = Callable[[object, Reporter], object]


@dataclass(frozen=True)
class Field:
    """One field of a mapping: how it is checked, and the words that document it.

    `form` and `doc` are the field dictionary's two text columns (events/README.md) and the JSON
    Schema's description, so the documentation is written once, beside the check it describes.
    """
    check: Check
    required: bool = False
    default: object = None
    form: str = ""
    doc: str = ""


def json_schema(check: Check) -> dict:
    """The JSON Schema fragment a checker accepts (what editors can check as a curator types).

    Every checker built here carries one; the schema is looser than the checker where JSON Schema
    cannot say a rule (a date that does not exist, a duplicate id), never stricter.
    """
    return dict(getattr(check, "json_schema", {}))


def _described(check: Check, schema: dict) -> Check:
    check.json_schema = schema  # type: ignore[attr-defined]
    return check


_TYPE_NAMES = {bool: "true/false", int: "a number", float: "a number", str: "text",
               dict: "a mapping", list: "a list", type(None): "nothing"}


def _type_name(value: object) -> str:
    return next((name for kind, name in _TYPE_NAMES.items() if isinstance(value, kind)), type(value).__name__)


def text(max_len: int, *, single_line: bool = True, shared: bool = False) -> Check:
    """Text up to `max_len` characters. `shared`: for names that recur across events (actors,
    publishers): equal values then share one string object in memory and in the load cache."""
    def check(value, report):
        if not isinstance(value, str):
            report(f"expected text, got {_type_name(value)}")
            return None
        clean = " ".join(value.split()) if single_line else value.strip()
        if not clean:
            report("is empty")
        elif len(clean) > max_len:
            report(f"is {len(clean)} characters long; the limit is {max_len}")
        elif _CONTROL.search(clean):
            report("contains a control character")
        elif (hidden := _INVISIBLE.search(clean)) is not None:
            report(f"contains {_invisible_name(hidden.group())} (U+{ord(hidden.group()):04X}), which changes what a "
                   "reader sees without showing itself; delete it")
        return sys.intern(clean) if shared else clean
    return _described(check, {"type": "string", "minLength": 1, "maxLength": max_len})


def _invisible_name(char: str) -> str:
    code = ord(char)
    if code <= 0x9F:
        return "a control character"
    if 0x200B <= code <= 0x200D or code == 0x2060:
        return "a zero-width character"
    return _INVISIBLE_NAMES.get(char, "a bidirectional control" if 0x202A <= code <= 0x2069 else "an invisible character")


def slug(value, report):
    if not isinstance(value, str):
        report(f"expected a lowercase slug, got {_type_name(value)}")
        return None
    if not SLUG.match(value) or len(value) > SLUG_MAX:
        report(f"{value!r} is not a slug: lowercase letters, digits and single hyphens, at most {SLUG_MAX} characters")
    return value


def partial_date(value, report):
    """`YYYY-MM-DD`, `YYYY-MM` or `YYYY`; the form is the precision."""
    try:
        return parse_partial_date(value)
    except ValueError as exc:
        report(str(exc))
        return None


def flag(value, report):
    if not isinstance(value, bool):
        report(f"expected true or false, got {_type_name(value)}")
    return bool(value)


def integer_in(low: int, high: int) -> Check:
    def check(value, report):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            report(f"expected a whole number from {low} to {high}, got {value!r}")
            return None
        return value
    return _described(check, {"type": "integer", "minimum": low, "maximum": high})


def one_of(allowed: list[str], noun: str) -> Check:
    canonical = {name: name for name in allowed}  # a known value comes back as the vocabulary's own string

    def check(value, report):
        if not isinstance(value, str):
            report(f"expected one {noun}, got {_type_name(value)}")
            return None
        known = canonical.get(value)
        if known is None:
            report(f"unknown {noun} {value!r}{suggest(value, allowed)}; known: {', '.join(allowed)}")
            return value
        return known
    return _described(check, {"type": "string", "enum": list(allowed)} if allowed else {"type": "string"})


def colour(value, report):
    if not isinstance(value, str) or not _HEX_COLOUR.match(value):
        report(f"expected a colour as #RRGGBB, got {value!r}")
    return value


def url(value, report):
    if not isinstance(value, str):
        report(f"expected a URL, got {_type_name(value)}")
        return None
    if _DOTTED_HOST.match(value):
        report(f"{value[:80]!r}: the host ends with a dot; drop it (readers' browsers and link checkers may not)")
        return None
    if _PLAIN_URL.match(value):  # the common case, and one the general check below always accepts
        return value
    try:
        parts = urlsplit(value.strip()) if not _CONTROL.search(value) else None
    except ValueError:  # e.g. "Invalid IPv6 URL" for an unbalanced [ in the host
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc or " " in value.strip():
        report(f"{value[:80]!r} is not an http(s) URL; only http:// and https:// links are allowed")
        return None
    return value.strip()


# http(s)://host[:/?#rest]: ASCII host, then printable ASCII without spaces or brackets (which urlsplit
# may reject as a malformed IPv6 host). Anything else takes the general path.
_DOTTED_HOST = re.compile(r"https?://[^/?#\s]+\.(?:[:/?#]|\Z)")
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?:[:/?#][\x21-\x5a\x5c\x5e-\x7e]*)?\Z")


def list_of(item: Check, *, min_items: int = 0, unique: bool = True) -> Check:
    """A list whose items are each checked, and reported at their own line."""
    def check(value, report):
        if isinstance(value, str) and min_items <= 1:
            value = [value]  # `topics: security` means `topics: [security]`
        if not isinstance(value, list):
            report(f"expected a list, got {_type_name(value)}")
            return ()
        if len(value) < min_items:
            report(f"needs at least {min_items} item{'s' if min_items > 1 else ''}")
        clean, seen = [], set()
        line_of = getattr(value, "line_of", None)
        problems, path, field = report.problems, report.path, report.field
        for index, raw in enumerate(value):
            item_report = Reporter(problems, path, f"{field}[{index}]", line_of(index) if line_of else report.line)
            cleaned = item(raw, item_report)
            if unique and isinstance(cleaned, str) and cleaned in seen:
                item_report(f"{cleaned!r} is listed twice")
            seen.add(cleaned if isinstance(cleaned, str) else id(cleaned))
            clean.append(cleaned)
        return tuple(clean)
    array: dict = {"type": "array", "items": json_schema(item)}
    if min_items:
        array["minItems"] = min_items
    if unique:
        array["uniqueItems"] = True
    return _described(check, {"anyOf": [array, json_schema(item)]} if min_items <= 1 else array)


def mapping_schema(spec: dict[str, Field]) -> dict:
    """The JSON Schema of a mapping checked by `check_mapping` against `spec`: known keys only."""
    schema: dict = {
        "type": "object",
        "properties": {name: {**json_schema(field.check), **({"description": _description(field)} if field.doc or
                                                             field.form else {})} for name, field in spec.items()},
        "additionalProperties": False,
    }
    required = [name for name, field in spec.items() if field.required]
    if required:
        schema["required"] = required
    return schema


def _description(field: Field) -> str:
    """The field dictionary's words as an editor's tooltip (Markdown marks dropped)."""
    return re.sub(r"[`*]", "", " — ".join(part for part in (field.form, field.doc) if part))


def suggest(name: str, known) -> str:
    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_mapping(value, spec: dict[str, Field], report: Reporter, prefix: str = "") -> dict | None:
    """Check one mapping against a field table. Returns the clean dict, or None if anything failed."""
    if not isinstance(value, dict):
        report(f"expected a mapping of fields, got {_type_name(value)}")
        return None
    problems, path = report.problems, report.path
    before = len(problems)
    # A mapping read from YAML knows each key's line; a plain dict is placed where the report is.
    lines, here = (value.lines, value.line) if isinstance(value, LocatedMap) else ({}, report.line)
    for key in value:
        if key not in spec:
            report.at(f"{prefix}{key}", lines.get(key, here))(f"unknown field{suggest(key, spec)}; fields are: {', '.join(spec)}")
    clean = {}
    for name, field in spec.items():
        line = lines.get(name, here)
        raw = value.get(name)
        if raw is None:
            if field.required:
                Reporter(problems, path, prefix + name, line)(
                    f"missing required field{' (it is empty)' if name in value else ''}")
            clean[name] = field.default
            continue
        clean[name] = field.check(raw, Reporter(problems, path, prefix + name, line))
    return clean if len(problems) == before else None


# Schemas of the plain (non-factory) checkers. A YAML date may reach a JSON-Schema checker as text
# (YAML 1.2, which editors use) or, for a bare year, as a number.
_described(slug, {"type": "string", "pattern": SLUG.pattern, "maxLength": SLUG_MAX})
_described(partial_date, {"anyOf": [
    {"type": "string", "pattern": r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"},
    {"type": "integer", "minimum": EARLIEST_YEAR, "maximum": LATEST_YEAR}]})
_described(flag, {"type": "boolean"})
_described(colour, {"type": "string", "pattern": _HEX_COLOUR.pattern})
_described(url, {"type": "string", "pattern": r"^https?://[^\s/?#\[\]]*[^.\s/?#\[\]](?:[/?#:]\S*)?$"})
