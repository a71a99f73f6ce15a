"""The warm image browser: tabs keep their page between images, yet no image carries anything over.

One real Chromium for the module (each start costs seconds); tests compare reload counts before and after.
"""

from __future__ import annotations

import struct

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


def test_pages_are_reloaded_every_few_images_and_after_a_pdf(renderer, monkeypatch):
    monkeypatch.setattr(renderer_module, "RELOAD_EVERY", 3)
    before = renderer.reload_count
    for _ in range(6):  # two tabs take turns: each draws its third image on this run at the latest
        renderer.render(chart("Counting", "series"), fmt="png", width=400, height=300)
    after_pngs = renderer.reload_count
    assert 1 <= after_pngs - before <= 2
    pdf = renderer.render(chart("As a PDF", "series"), fmt="pdf", width=400, height=300)
    assert pdf.startswith(b"%PDF")
    assert renderer.reload_count == after_pngs + 1


def test_a_failed_image_leaves_fresh_pages_and_the_next_image_is_right(renderer):
    before = renderer.reload_count
    with pytest.raises(Exception, match="null"):
        renderer.render({"data": [None], "layout": {}}, fmt="png", width=400, height=300)
    assert renderer.reload_count > before
    assert png_size(renderer.render(chart("After a failure", "series"), fmt="png", width=640, height=360)) == (640, 360)
