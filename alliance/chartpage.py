"""A chart on a screen: the page of the standalone HTML export and of `/embed`.

The chart's title is the page's <title> and its heading, the chart fills the window below it, and
the source line sits under the chart. Title and source line are page text, not plotly annotations,
so that at any window or frame size the title wraps instead of running off, the source line never
lies on the axis labels, the mode bar never covers the title, and a screen reader reads a heading.
The page is exactly as tall as its window (no body margin, no scrollbar).

A timeline places its event labels and administration names in the browser, at the size it is
drawn and again on every zoom and pan, with the dashboard's own assets/labels.js and labels.css.
The offline export carries plotly.js and those assets inside the file; /embed links them from its
server. Either way the page has one inline script of its own, `Plotly.newPlot(...)`: its text is
returned so /embed can allow exactly it by hash. All page text is escaped; the figure goes in as
plotly's JSON, which escapes every `<`, so no record text can end the script element.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

import plotly.io.json as plotly_json

from .figures import FONT, INK, MUTED

ASSETS = Path(__file__).resolve().parent.parent / "assets"  # the dashboard's browser code
LABEL_ASSETS = ("labels.css", "labels.js")
TITLE_COLOUR = "#0b4f8a"
# Screen type: the dashboard's sizes in a 1280 window, a little larger in a wide one, smaller in a small frame.
CSS = f"""html, body {{ height: 100%; margin: 0; }}
body {{ font-family: {FONT}; color: {INK}; background: white; }}
.chart-page {{ box-sizing: border-box; height: 100%; display: flex; flex-direction: column; padding: 6px 10px 4px; }}
.chart-page h1 {{ margin: 0; font-size: clamp(15px, 0.7vw + 10px, 24px); line-height: 1.25; font-weight: 600;
  color: {TITLE_COLOUR}; }}
#chart {{ flex: 1 1 0; min-height: 0; }}
.chart-page .source {{ margin: 0; font-size: clamp(11px, 0.25vw + 9px, 13px); line-height: 1.3; color: {MUTED}; }}
.timeline-reset {{ display: none; }}  /* labels.js's Reset button is the dashboard's: nothing to reset here */
"""
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{styles}
</head>
<body>
<main class="chart-page"{main_id}>
{heading}<div id="chart"></div>
{source}</main>
{scripts}
</body>
</html>
"""


@dataclass(frozen=True)
class Assets:
    """Where the page's plotly.js and label code come from: `None` puts them inside the page (offline),
    otherwise the URLs a server answers for `plotly.min.js` and the label assets."""

    plotly: str | None = None
    labels: str | None = None  # folder URL holding labels.css and labels.js


SMALL_CHART_PX = 480  # a chart less tall than this (an 800×450 frame) is drawn compact
# In a small frame the key (a wrapping horizontal legend, in equal columns as wide as its widest entry)
# would take half the height, and the lanes and administration bands, squeezed to their share of
# the rest, would have their names overlap. Compact: the key in smaller type across the frame's whole
# width (about half the rows), the axes' type a step smaller, so every lane and band keeps its name.
COMPACT = f"""const chart = document.getElementById("chart");
if (chart.clientHeight < {SMALL_CHART_PX}) {{
  const small = {{size: 11}};
  if (layout.legend && layout.legend.orientation === "h") {{
    layout.legend = Object.assign({{}}, layout.legend, {{xref: "container", x: 0.01, font: small, tracegroupgap: 0}});
  }}
  ["xaxis", "yaxis"].forEach(function (axis) {{
    if (layout[axis]) {{ layout[axis] = Object.assign({{}}, layout[axis], {{tickfont: small}}); }}
  }});
}}"""


def plot_script(figure: dict, config: dict) -> str:
    """The page's one inline script: draw `figure` filling #chart, as wide and tall as it is."""
    layout = {key: value for key, value in figure["layout"].items() if key not in ("width", "height")}
    return (f'(function () {{\nconst layout = {plotly_json.to_json_plotly({**layout, "autosize": True})};\n'
            f'{COMPACT}\nPlotly.newPlot(chart, {plotly_json.to_json_plotly(figure["data"])}, layout, '
            f'{json.dumps(config)});\n}})();')


def chart_page(figure: dict, *, title: str, source: str, config: dict, assets: Assets = Assets(),
               timeline: bool = False) -> tuple[str, str]:
    """(the page, its own inline script). `timeline` adds the label code (labels.js finds `#timeline`).
    Without a title or source line (a figure that carries its own, as tests draw slides) the page has none."""
    script = plot_script(figure, config)
    styles, scripts = [f"<style>{CSS}</style>"], []
    if timeline:
        css, js = LABEL_ASSETS
        if assets.labels is None:
            styles.insert(0, f"<style>{(ASSETS / css).read_text(encoding='utf-8')}</style>")
            scripts.append(_inline((ASSETS / js).read_text(encoding="utf-8")))
        else:
            styles.insert(0, f'<link rel="stylesheet" href="{html.escape(assets.labels)}/{css}">')
            scripts.append(f'<script src="{html.escape(assets.labels)}/{js}"></script>')
    if assets.plotly is None:
        from plotly.offline import get_plotlyjs  # 4.8 MB of text: read only for an offline page

        scripts.insert(0, _inline(get_plotlyjs()))
    else:
        scripts.insert(0, f'<script src="{html.escape(assets.plotly)}"></script>')
    scripts.append(f"<script>{script}</script>")
    page = PAGE.format(title=html.escape(title or "Alliance Timeline chart"), styles="\n".join(styles),
                       heading=f"<h1>{html.escape(title)}</h1>\n" if title else "",
                       source=f'<p class="source">{html.escape(source)}</p>\n' if source else "",
                       scripts="\n".join(scripts), main_id=' id="timeline"' if timeline else "")
    return page, script


def _inline(code: str) -> str:
    if "</script" in code.lower():  # would end the element early; plotly.js and labels.js have none
        raise ValueError("script text contains </script")
    return f"<script>{code}</script>"
