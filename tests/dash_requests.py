"""Callback requests as the browser posts them to /_dash-update-component, built from the app's own
/_dash-dependencies, so tests can drive every server callback over HTTP without a browser."""

from __future__ import annotations

import json


def server_callbacks(client) -> list[dict]:
    """The app's server-side callbacks (clientside ones never reach the server)."""
    return [d for d in client.get("/_dash-dependencies").get_json() if d.get("clientside_function") is None]


def pattern_of(item: dict) -> dict | None:
    """The pattern-matching id of a dependency (`{"type": ..., "index": ["ALL"]}`), or None."""
    component_id = item["id"]
    return json.loads(component_id) if component_id.startswith("{") else None


def outputs_of(callback: dict) -> list[dict]:
    spec = callback["output"]
    parts = spec[2:-2].split("...") if spec.startswith("..") else [spec]
    return [dict(zip(("id", "property"), part.split(".", 1), strict=True)) for part in parts]


def body(callback: dict, values: dict[str, object] | None = None, changed: list[str] | None = None) -> dict:
    """A request for `callback`: `values` maps "id.property" to a value (default None); a
    pattern input takes a list of (index, value) pairs, one per matching component on the page."""
    values = values or {}

    def sent(item: dict):
        key = f"{item['id']}.{item['property']}"
        pattern = pattern_of(item)
        if pattern is None:
            return {"id": item["id"], "property": item["property"], "value": values.get(key)}
        return [{"id": {**pattern, "index": index}, "property": item["property"], "value": value}
                for index, value in values.get(key, [])]

    return {"output": callback["output"], "outputs": outputs_of(callback), "inputs": [sent(i) for i in callback["inputs"]],
            "state": [sent(s) for s in callback["state"]], "changedPropIds": changed or []}


def prop_id(component_id, prop: str) -> str:
    """The changedPropIds entry the browser sends for a component (pattern ids as sorted JSON)."""
    if isinstance(component_id, dict):
        component_id = json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return f"{component_id}.{prop}"


def find(callbacks: list[dict], output: str) -> dict:
    """The callback whose outputs include `output` ("id.property")."""
    return next(c for c in callbacks if any(f"{o['id']}.{o['property'].split('@')[0]}" == output for o in outputs_of(c)))


def post(client, payload):
    return client.post("/_dash-update-component", data=json.dumps(payload), content_type="application/json")
