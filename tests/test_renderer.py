"""The warm image browser: tabs keep their page between images, yet no image carries anything over.

One real Chromium for the module (each start costs seconds); tests compare reload counts before and after.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import re
import struct
from pathlib import Path

import kaleido
import pytest

from alliance import renderer as renderer_module
from alliance.renderer import Renderer


@pytest.fixture(scope="module")
def renderer():
    browser = Renderer()
    yield browser
    browser.close()


def chart(title: str, trace: str) -> dict:
    return {"data": [{"type": "bar", "name": trace, "x": ["a", "b"], "y": [1, 2], "showlegend": True}],
            "layout": {"title": {"text": title}}}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_an_image_drawn_on_a_reused_page_shows_nothing_of_the_one_before(renderer):
    first = renderer.render(chart("Alliance first chart", "alpha series"), fmt="svg", width=800, height=450)
    reloads = renderer.reload_count
    second = renderer.render(chart("Alliance second chart", "beta series"), fmt="svg", width=800, height=450)
    third = renderer.render(chart("Alliance third chart", "gamma series"), fmt="svg", width=800, height=450)
    assert renderer.reload_count == reloads, "the pages were reloaded: this test would not exercise reuse"
    assert b"Alliance first chart" in first and b"alpha series" in first
    for image, title, series in ((second, b"second", b"beta"), (third, b"third", b"gamma")):
        assert b"Alliance " + title + b" chart" in image and series + b" series" in image
        assert b"alpha series" not in image and b"Alliance first chart" not in image


def test_pages_are_reloaded_every_few_images_and_after_a_pdf(monkeypatch):
    """Its own browser, so no other test leaves a tab mid-count; counted per tab, since which tab draws
    which image depends on when each background reload finishes."""
    monkeypatch.setattr(renderer_module, "RELOAD_EVERY", 3)
    browser = Renderer()
    try:
        for _ in range(6):
            browser.render(chart("Counting", "series"), fmt="png", width=400, height=300)
        counts = browser.tab_counts()
        assert sum(images for images, _ in counts.values()) == 6
        for images, reloads in counts.values():
            assert reloads == images // 3, counts  # a fresh page after every third image, never later
        pdf = browser.render(chart("As a PDF", "series"), fmt="pdf", width=400, height=300)
        assert pdf.startswith(b"%PDF")
        after = browser.tab_counts()
        drew_pdf = [tab for tab in after if after[tab][0] != counts.get(tab, (0, 0))[0]]
        assert len(drew_pdf) == 1
        for tab, (_, reloads) in after.items():
            assert reloads == counts.get(tab, (0, 0))[1] + (tab in drew_pdf), (counts, after)
    finally:
        browser.close()


def test_the_private_kaleido_hooks_the_renderer_overrides_are_still_there():
    """alliance.renderer overrides kaleido internals (to keep pages between images): any change to them in a
    kaleido release must fail here, loudly, before it silently changes how images are drawn."""
    requirements = (Path(__file__).resolve().parent.parent / "requirements.txt").read_text()
    pinned = re.search(r"^kaleido==([\w.]+)", requirements, re.M).group(1)
    assert importlib.metadata.version("kaleido") == pinned
    assert list(inspect.signature(kaleido.Kaleido._render_task).parameters) == [
        "self", "fig_arg", "topojson", "_write", "profiler", "stepper"]
    assert list(inspect.signature(kaleido.Kaleido._return_kaleido_tab).parameters) == ["self", "tab"]
    render_task = inspect.getsource(kaleido.Kaleido._render_task)
    assert "tab = await self._get_kaleido_tab()" in render_task
    assert re.search(r"finally:\s+(.*\n\s+)?await self\._return_kaleido_tab\(tab\)", render_task)
    assert 'fig_arg.get("opts"' in render_task  # where the format is read from
    returned = inspect.getsource(kaleido.Kaleido._return_kaleido_tab)
    assert "await tab.reload()" in returned and "await self.tabs_ready.put(tab)" in returned
    assert "self.tabs_ready.get()" in inspect.getsource(kaleido.Kaleido._get_kaleido_tab)
    assert '"opts": opts' in inspect.getsource(kaleido.Kaleido.calc_fig)
    assert "tab.tab.target_id" in render_task  # the tab id the renderer counts by


def test_a_failed_image_leaves_fresh_pages_and_the_next_image_is_right(renderer):
    before = renderer.reload_count
    with pytest.raises(Exception, match="null"):
        renderer.render({"data": [None], "layout": {}}, fmt="png", width=400, height=300)
    assert renderer.reload_count > before
    assert png_size(renderer.render(chart("After a failure", "series"), fmt="png", width=640, height=360)) == (640, 360)
