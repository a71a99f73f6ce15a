"""ARIA attributes for Dash components, typed.

Dash takes an `aria-*` attribute only as a keyword that is not a Python name (`**{"aria-label": ...}`),
which a type checker would otherwise match against every keyword a component has (`n_clicks`,
`hidden`, ...). These small typed mappings say exactly which attribute is meant.
"""

from __future__ import annotations

from typing import Literal, TypedDict

Label = TypedDict("Label", {"aria-label": str})
Live = TypedDict("Live", {"aria-live": Literal["polite", "assertive"]})
Disclosure = TypedDict("Disclosure", {"aria-controls": str, "aria-expanded": Literal["true", "false"]})


def label(text: str) -> Label:
    """The accessible name of a landmark, group or icon button: `**aria.label("Filters")`."""
    return {"aria-label": text}


def live(politeness: Literal["polite", "assertive"] = "polite") -> Live:
    """A region whose changes a screen reader announces."""
    return {"aria-live": politeness}


def disclosure(controls: str, expanded: bool = False) -> Disclosure:
    """A button that shows and hides the element with id `controls`."""
    return {"aria-controls": controls, "aria-expanded": "true" if expanded else "false"}
