"""Colour arithmetic for checking the lane palette: can readers tell the issue areas apart?

Pure functions on `#RRGGBB` strings. Distances are CIEDE2000 (Sharma, Wu & Dalal 2005) in CIELAB
(D65). Colour-vision deficiency is simulated with Machado, Oliveira & Fernandes (2009) matrices at
full severity, applied to linear RGB; greyscale print is CIE lightness L*. Contrast is WCAG 2's
ratio of relative luminances. Used by tests/test_colours.py on events/vocabulary/topics.yaml.
"""

from __future__ import annotations

import math

# Machado et al. 2009, severity 1.0 (dichromacy), on linear RGB.
SIMULATIONS = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
_WHITE = (0.95047, 1.0, 1.08883)  # D65


def linear_rgb(colour: str) -> tuple[float, float, float]:
    """`#RRGGBB` to linear-light RGB in 0..1 (the sRGB transfer curve undone)."""
    r, g, b = (_linear(int(colour.lstrip("#")[i:i + 2], 16) / 255) for i in (0, 2, 4))
    return r, g, b


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def simulate(rgb: tuple[float, float, float], deficiency: str) -> tuple[float, float, float]:
    """Linear RGB as seen with `deficiency` (a key of SIMULATIONS), clipped to the gamut."""
    r, g, b = (min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in SIMULATIONS[deficiency])
    return r, g, b


def lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    """Linear RGB to CIELAB (D65)."""
    r, g, b = rgb
    xyz = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b, 0.2126729 * r + 0.7151522 * g + 0.0721750 * b,
           0.0193339 * r + 0.1191920 * g + 0.9503041 * b)

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = (f(v / w) for v, w in zip(xyz, _WHITE, strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def ciede2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference (kL = kC = kH = 1): about 2.3 is just noticeable, over 10 plainly distinct."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dlp, dcp = l2 - l1, c2p - c1p
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p if abs(h2p - h1p) <= 180 else h2p - h1p - 360 * math.copysign(1, h2p - h1p))
    dhp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lbp, cbp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbp = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbp = (h1p + h2p) / 2
    else:
        hbp = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hbp - 30)) + 0.24 * math.cos(math.radians(2 * hbp))
         + 0.32 * math.cos(math.radians(3 * hbp + 6)) - 0.20 * math.cos(math.radians(4 * hbp - 63)))
    sl = 1 + 0.015 * (lbp - 50) ** 2 / math.sqrt(20 + (lbp - 50) ** 2)
    sc, sh = 1 + 0.045 * cbp, 1 + 0.015 * cbp * t
    rt = (-2 * math.sqrt(cbp ** 7 / (cbp ** 7 + 25 ** 7))
          * math.sin(math.radians(60 * math.exp(-(((hbp - 275) / 25) ** 2)))))
    return math.sqrt((dlp / sl) ** 2 + (dcp / sc) ** 2 + (dhp / sh) ** 2 + rt * (dcp / sc) * (dhp / sh))


def lightness(colour: str) -> float:
    """CIE L* (0 black .. 100 white): the grey a colour prints as."""
    return lab(linear_rgb(colour))[0]


def contrast_on_white(colour: str) -> float:
    """WCAG 2 contrast ratio against white (3:1 is the floor for graphical marks)."""
    r, g, b = linear_rgb(colour)
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def distance(first: str, second: str, vision: str = "normal") -> float:
    """CIEDE2000 between two colours as seen with normal vision or a simulated deficiency."""
    def seen(colour: str):
        rgb = linear_rgb(colour)
        return lab(rgb if vision == "normal" else simulate(rgb, vision))
    return ciede2000(seen(first), seen(second))
