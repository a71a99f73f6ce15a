"""Safe defaults for every response, and `/healthz`.

The Content-Security-Policy allows scripts only from this server plus the inline scripts Dash itself
writes (named by hash, from `app.csp_hashes()`), so text that slipped into a page could not run;
`/embed` allows only the one inline script it writes (`allow_inline_script`). A Permissions-Policy
turns off the browser features the dashboard never uses.
Styles allow 'unsafe-inline' because Dash components and plotly set element styles at run time.
Framing is denied everywhere except `/embed`, whose allowed framers come from
$ALLIANCE_EMBED_FRAME_ANCESTORS (space-separated origins; default: this site only).
"""

from __future__ import annotations

import base64
import hashlib
import os

from dash import Dash
from flask import g, jsonify, request

from alliance.record import Record

EMBED_PATH = "/embed"  # the one page other sites may frame
# Browser features the dashboard never uses, off for it and for anything it frames (Copy link's
# clipboard write is allowed by default for the page itself, so it is not listed).
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer", "microphone",
    "midi", "payment", "serial", "usb", "xr-spatial-tracking"))


def content_security_policy(script_hashes: list[str], frame_ancestors: str) -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(script_hashes),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ])


def script_hash(script: str) -> str:
    """The CSP source expression allowing one inline script, whose text is exactly `script`."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(script.encode('utf-8')).digest()).decode()}'"


def allow_inline_script(script: str) -> None:
    """Let this response's page run `script`, an inline script it writes itself (for pages built
    per request, like /embed). Only such scripts are allowed: nothing is found by scanning the page."""
    g.setdefault("inline_scripts", []).append(script)


def install(app: Dash, record: Record) -> None:
    embed_framers = os.environ.get("ALLIANCE_EMBED_FRAME_ANCESTORS", "'self'").strip() or "'self'"
    policies: dict[str, str] = {}

    @app.server.after_request
    def _headers(response):
        is_embed = request.path == EMBED_PATH  # exactly: `/embed/` or `/embedx` is the dashboard, not an embed
        if is_embed:
            own = [script_hash(script) for script in g.get("inline_scripts", ())]
            response.headers["Content-Security-Policy"] = content_security_policy(own, embed_framers)
        else:
            if "dashboard" not in policies:  # Dash's hashes are known once its callbacks are registered
                policies["dashboard"] = content_security_policy(list(app.csp_hashes()), "'none'")
            response.headers["Content-Security-Policy"] = policies["dashboard"]
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
        if not is_embed:
            response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.server.route("/healthz")
    def _healthz():
        return jsonify(status="ok", events=len(record.frame), version=record.version)
