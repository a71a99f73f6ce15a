"""Safe defaults for every response, and `/healthz`.

The Content-Security-Policy allows scripts only from this server plus the inline scripts Dash itself
writes (named by hash, from `app.csp_hashes()`), so text that slipped into a page could not run.
Styles allow 'unsafe-inline' because Dash components and plotly set element styles at run time.
Framing is denied everywhere except `/embed`, whose allowed framers come from
$ALLIANCE_EMBED_FRAME_ANCESTORS (space-separated origins; default: this site only).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re

from dash import Dash
from flask import jsonify, request

from alliance.record import Record

EMBED_PATH = "/embed"  # the one page other sites may frame

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


_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)


def inline_script_hashes(page: bytes) -> list[str]:
    """CSP source expressions for a page's own inline scripts (for pages built per request, like /embed)."""
    return [f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
            for body in _INLINE_SCRIPT.findall(page)]


def install(app: Dash, record: Record) -> None:
    embed_framers = os.environ.get("ALLIANCE_EMBED_FRAME_ANCESTORS", "'self'").strip() or "'self'"
    policies: dict[bool, str] = {}

    @app.server.after_request
    def _headers(response):
        is_embed = request.path == EMBED_PATH  # exactly: `/embed/` or `/embedx` is the dashboard, not an embed
        if is_embed and response.mimetype == "text/html":
            own = inline_script_hashes(response.get_data())
            response.headers["Content-Security-Policy"] = content_security_policy(own, embed_framers)
        else:
            if is_embed not in policies:  # Dash's hashes are known once its callbacks are registered
                policies[is_embed] = content_security_policy(list(app.csp_hashes()), embed_framers if is_embed else "'none'")
            response.headers["Content-Security-Policy"] = policies[is_embed]
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        if not is_embed:
            response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.server.route("/healthz")
    def _healthz():
        return jsonify(status="ok", events=len(record.frame), version=record.version)
