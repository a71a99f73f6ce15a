"""The lane colours: every pair stays distinct for colour-blind readers and in greyscale, and marks keep contrast."""

from __future__ import annotations

import itertools

import pytest

from alliance.colours import ciede2000, contrast_on_white, distance, lab, lightness, linear_rgb
from alliance.record import load_record

from .conftest import REAL_EVENTS

# CIEDE2000 of 2.3 is just noticeable; these floors ask for colours told apart at a glance in a legend.
MIN_DISTANCE = {"normal": 15.0, "deuteranopia": 8.0, "protanopia": 8.0}
MIN_LIGHTNESS_STEP = 4.0  # CIE L* between any two lanes printed in grey
MIN_CONTRAST = 3.0  # WCAG 2 non-text contrast on white


@pytest.fixture(scope="module")
def colours() -> dict[str, str]:
    return {t.label: t.colour for t in load_record(REAL_EVENTS).vocab.topics}


@pytest.mark.parametrize("vision", list(MIN_DISTANCE))
def test_every_pair_of_lane_colours_is_distinct(colours, vision):
    close = [(a, b, round(distance(colours[a], colours[b], vision), 1)) for a, b in itertools.combinations(colours, 2)
             if distance(colours[a], colours[b], vision) < MIN_DISTANCE[vision]]
    assert close == [], f"too close with {vision} vision"


def test_lane_colours_stay_apart_in_greyscale(colours):
    grey = sorted((lightness(c), label) for label, c in colours.items())
    steps = [(a[1], b[1], round(b[0] - a[0], 1)) for a, b in itertools.pairwise(grey) if b[0] - a[0] < MIN_LIGHTNESS_STEP]
    assert steps == []


def test_lane_colours_keep_contrast_on_white(colours):
    assert {label: round(contrast_on_white(c), 2) for label, c in colours.items() if contrast_on_white(c) < MIN_CONTRAST} == {}


def test_the_old_north_korea_and_trade_pair_fails_the_check():
    """The check can fail: #D55E00 and #B26B00 are near-identical to a protanope."""
    assert distance("#D55E00", "#B26B00", "protanopia") < 1 and distance("#D55E00", "#B26B00", "deuteranopia") < 8


@pytest.mark.parametrize("first, second, expected", [  # Sharma, Wu & Dalal (2005) test data
    ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
    ((50, 2.49, -0.001), (50, -2.49, 0.0009), 7.1792),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((22.7233, 20.0904, -46.694), (23.0331, 14.973, -42.5619), 2.0373),
])
def test_ciede2000_matches_the_published_test_data(first, second, expected):
    assert ciede2000(first, second) == pytest.approx(expected, abs=1e-4)


def test_colour_conversions_hold_at_known_points():
    assert lab(linear_rgb("#FFFFFF"))[0] == pytest.approx(100, abs=1e-3)
    assert contrast_on_white("#767676") == pytest.approx(4.54, abs=0.01)  # WCAG's classic grey
    assert distance("#FF0000", "#00FF00", "deuteranopia") < distance("#FF0000", "#00FF00")  # red/green merge
