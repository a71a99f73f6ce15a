"""Requests no browser running the dashboard would send get a 4xx before Dash reads them.

Dash trusts the shape of what reaches its own routes: a component-suites path it never registered,
a callback body naming an output it does not know, inputs of the wrong number or shape, a
`changedPropIds` that names no input: each ends in a 500 and a logged traceback. Here each gets a
404 or a 400 and one log line. The values inside a well-formed request are the callbacks' business
(`components.inputs` turns a wrong-typed value into its default).
"""

from __future__ import annotations

import functools
import json
import logging

from dash import Dash
from flask import Response, request

LOG = logging.getLogger(__name__)


def install(app: Dash) -> None:
    prefix = app.config.routes_pathname_prefix
    server = app.server
    suites = prefix + "_dash-component-suites/<string:package_name>/<path:fingerprinted_path>"
    server.view_functions[suites] = _not_found_on_error(server.view_functions[suites])

    @server.before_request
    def _check_callback_request():
        if request.path != prefix + "_dash-update-component" or request.method != "POST":
            return None
        try:
            payload = request.get_json(silent=True)
        except RecursionError:  # nested deeper than the JSON parser goes
            payload = None
        problem = callback_problem(app.callback_map, payload)
        if problem is None:
            return None
        LOG.warning("refused a callback request (400): %s", problem)
        return Response(json.dumps({"error": problem}), status=400, mimetype="application/json")


def _not_found_on_error(view):
    """Dash raises (a DependencyException, a KeyError for an unknown package, an OSError for a
    missing file) where a path simply does not name one of its scripts: that is a 404."""

    @functools.wraps(view)
    def serve(**kwargs):
        try:
            return view(**kwargs)
        except Exception as error:  # noqa: BLE001 - every failure here means "no such script"
            LOG.warning("no component-suites resource %s (404: %s)", request.path[:200], type(error).__name__)
            return Response("Not found", status=404, mimetype="text/plain")

    return serve


def callback_problem(callback_map: dict, payload) -> str | None:
    """Why `payload` is not a request the dashboard's own page could send for one of its
    callbacks, or None when its shape is right (its values may still be anything)."""
    if not isinstance(payload, dict):
        return "the body is not a JSON object"
    output = payload.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return f"unknown output {str(output)[:80]!r}"
    callback = callback_map[output]
    problem = _outputs_problem(output, payload.get("outputs"))
    sent_ids: set[str] = set()
    for key in ("inputs", "state"):
        if problem:
            break
        problem = _items_problem(key, callback[key], payload.get(key, []), sent_ids)
    if problem:
        return problem
    changed = payload.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) and _parsed_prop_id(c) in sent_ids for c in changed):
        return "changedPropIds must list inputs of this request"
    return None


def _outputs_problem(output: str, outputs) -> str | None:
    declared = [part.rsplit(".", 1) for part in (output[2:-2].split("...") if output.startswith("..") else [output])]
    sent = outputs if output.startswith("..") else [outputs]
    if not isinstance(sent, list) or len(sent) != len(declared):
        return "outputs do not match the callback"
    for item, (component_id, prop) in zip(sent, declared, strict=True):
        if not (isinstance(item, dict) and item.get("id") == component_id and isinstance(item.get("property"), str)
                and item["property"].split("@")[0] == prop.split("@")[0]):
            return "outputs do not match the callback"
    return None


def _items_problem(key: str, declared: list[dict], sent, sent_ids: set[str]) -> str | None:
    """Each declared input (or state) once, in order: a plain id as itself, a pattern (`ALL`) as a
    list of components whose ids fill the wildcard with a scalar. Adds each sent prop id to `sent_ids`."""
    if not isinstance(sent, list) or len(sent) != len(declared):
        return f"{key} do not match the callback"
    for spec, item in zip(declared, sent, strict=True):
        pattern = json.loads(spec["id"]) if spec["id"].startswith("{") else None
        items = item if pattern is not None else [item]
        if not isinstance(items, list):
            return f"{key}: {spec['id']} must be a list"
        for one in items:
            if not (isinstance(one, dict) and one.get("property") == spec["property"]
                    and _id_matches(one.get("id"), spec["id"], pattern)):
                return f"{key}: expected {spec['id']}.{spec['property']}"
            sent_ids.add(f"{_canonical(one['id'])}.{spec['property']}")
    return None


def _id_matches(sent, declared: str, pattern: dict | None) -> bool:
    if pattern is None:
        return sent == declared
    if not isinstance(sent, dict) or sent.keys() != pattern.keys():
        return False
    for name, wanted in pattern.items():
        if isinstance(wanted, list):  # a wildcard: any JSON scalar (Dash ids are strings or numbers)
            if not isinstance(sent[name], (str, int, float)) or isinstance(sent[name], bool):
                return False
        elif sent[name] != wanted:
            return False
    return True


def _canonical(component_id) -> str:
    return json.dumps(component_id, sort_keys=True) if isinstance(component_id, dict) else component_id


def _parsed_prop_id(text: str) -> str | None:
    """A changedPropIds entry ("id.property"; a pattern id as JSON) in the form `_canonical` gives."""
    component_id, _, prop = text.rpartition(".")
    if component_id.startswith("{"):
        try:
            component_id = json.loads(component_id)
        except (ValueError, RecursionError):
            return None
    return f"{_canonical(component_id)}.{prop}"
