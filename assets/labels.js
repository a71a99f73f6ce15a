/* Words on the live timeline: event labels and administration names, re-placed on every zoom, pan and
   window-slider frame in the browser (no server round trip), in an overlay above the plot area.

   The rule is alliance/labels.py's, line for line (that module places the same labels on exported
   images): events in priority order (landmarks first, then importance, then date); for each, the
   places right/left of a marker, level with it, then 1 to 6 label heights above and below (right, left or centred), tried
   for each of the event's markers in turn (so an event in several lanes is labelled once); a place
   is taken only if the box stays inside the plot area and touches no marker and no label placed
   before it. Here the boxes are measured with the page's own font rather than estimated.

   The figure carries its candidates in layout.meta (see alliance/figures.py `label_candidates` and
   the bands' meta). Label text is set with textContent: record text never becomes markup. */
(function () {
  const GAP = 2;
  const FONT_SIZE = 11;
  const NARROW_VIEW = 60, NEAR_LEVELS = 2;
  const LINE_H = Math.round(FONT_SIZE * 1.15) + 1;
  const PLACES = [[1, 0], [-1, 0]];
  [-1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6].forEach(function (row) { PLACES.push([1, row], [-1, row], [0, row]); });
  const measure = document.createElement("canvas").getContext("2d");
  const widths = new Map();

  function widthOf(text, font) {
    const key = font + "\u0000" + text;
    if (!widths.has(key)) {
      measure.font = font;
      widths.set(key, Math.ceil(measure.measureText(text).width) + 6);
    }
    return widths.get(key);
  }

  /* Boxes bucketed by 64 px cells, so each test looks only at boxes nearby. */
  function Grid() { this.cells = new Map(); }
  Grid.prototype.keys = function (b) {
    const out = [];
    for (let i = Math.floor(b[0] / 64); i <= Math.floor(b[2] / 64); i++) {
      for (let j = Math.floor(b[1] / 64); j <= Math.floor(b[3] / 64); j++) { out.push(i + "," + j); }
    }
    return out;
  };
  Grid.prototype.add = function (b) {
    this.keys(b).forEach(function (k) {
      if (!this.cells.has(k)) { this.cells.set(k, []); }
      this.cells.get(k).push(b);
    }, this);
  };
  Grid.prototype.hits = function (b) {
    const g = GAP / 2;
    const keys = this.keys(b);
    for (let n = 0; n < keys.length; n++) {
      const list = this.cells.get(keys[n]) || [];
      for (let m = 0; m < list.length; m++) {
        const o = list[m];
        if (b[0] - g < o[2] && o[0] < b[2] + g && b[1] - g < o[3] && o[1] < b[3] + g) { return true; }
      }
    }
    return false;
  };

  /* The greedy rule: [{row, box}] for the labels that fit. */
  function place(meta, px, py, radius, w, h, font, ceiling) {
    const grid = new Grid();
    const visible = px.map(function (x, i) { return x >= 0 && x <= w && py[i] >= 0 && py[i] <= h; });
    visible.forEach(function (shown, i) {
      if (shown) { grid.add([px[i] - radius[i], py[i] - radius[i], px[i] + radius[i], py[i] + radius[i]]); }
    });
    const placed = [];
    const inView = meta.events.filter(function (c) { return c[1].some(function (r) { return visible[r]; }); });
    // Far places (long leader lines) only in a narrow view, where every event should get its words.
    const reach = inView.length > NARROW_VIEW ? NEAR_LEVELS : 6;
    const places = PLACES.filter(function (p) { return Math.abs(p[1]) <= reach; });
    inView.forEach(function (candidate) {
      const text = candidate[0], rows = candidate[1];
      const bw = widthOf(text, font);
      for (let p = 0; p < places.length; p++) {
        const side = places[p][0], level = places[p][1];
        for (let k = 0; k < rows.length; k++) {
          const r = rows[k];
          if (!visible[r]) { continue; }
          const left = side > 0 ? px[r] + radius[r] + GAP : side < 0 ? px[r] - radius[r] - GAP - bw : px[r] - bw / 2;
          const top = py[r] - LINE_H / 2 + level * (LINE_H + GAP);
          const box = [left, top, left + bw, top + LINE_H];
          if (box[0] >= 0 && box[1] >= ceiling && box[2] <= w && box[3] <= h && !grid.hits(box)) {
            grid.add(box);
            placed.push({row: r, box: box, text: text});
            return;
          }
        }
      }
    });
    return placed;
  }

  function overlay(plot) {
    let layer = plot.querySelector(":scope > .timeline-labels");
    if (!layer) {
      layer = document.createElement("div");
      layer.className = "timeline-labels";
      layer.setAttribute("aria-hidden", "true");  // the same words are in the table and the hover
      plot.appendChild(layer);
    }
    return layer;
  }

  function draw(plot, range) {
    const full = plot._fullLayout;
    const meta = plot.layout && plot.layout.meta;
    const layer = overlay(plot);
    if (full && meta && meta.empty) { empty(layer, full._size); return; }
    if (!full || !meta || !meta.labels || !full.xaxis) { layer.replaceChildren(); return; }
    const size = full._size;
    const xa = full.xaxis, ya = full.yaxis;
    const r0 = xa.r2l(range[0]), r1 = xa.r2l(range[1]);
    const y0 = ya.range[0], y1 = ya.range[1];
    const w = size.w, h = size.h;
    const labels = meta.labels;
    const px = labels.x.map(function (x) { return (x - r0) / (r1 - r0) * w; });
    const py = labels.y.map(function (y) { return (y1 - y) / (y1 - y0) * h; });
    const radius = labels.size.map(function (s) { return s / 2 + 1; });
    const font = FONT_SIZE + "px " + (full.font && full.font.family || "sans-serif");
    const ceiling = labels.top === undefined ? 0 : (y1 - labels.top) / (y1 - y0) * h;
    const placed = place(labels, px, py, radius, w, h, font, ceiling);
    layer.style.left = size.l + "px"; layer.style.top = size.t + "px";
    layer.style.width = w + "px"; layer.style.height = h + "px";
    const svgNS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(svgNS, "svg");
    svg.setAttribute("width", w); svg.setAttribute("height", h);
    const nodes = [svg];
    placed.forEach(function (p) {
      const b = p.box, mx = px[p.row], my = py[p.row];
      const ex = Math.max(b[0], Math.min(mx, b[2])), ey = Math.max(b[1], Math.min(my, b[3]));
      const dx = ex - mx, dy = ey - my, length = Math.hypot(dx, dy);
      if (length > radius[p.row] + 3) {  // a leader line from the marker's edge to the label
        const line = document.createElementNS(svgNS, "line");
        line.setAttribute("x1", mx + dx / length * radius[p.row]); line.setAttribute("y1", my + dy / length * radius[p.row]);
        line.setAttribute("x2", ex); line.setAttribute("y2", ey);
        svg.appendChild(line);
      }
      const span = document.createElement("span");
      span.className = "timeline-label";
      span.textContent = p.text;
      span.style.left = b[0] + "px"; span.style.top = b[1] + "px";
      span.style.width = (b[2] - b[0]) + "px"; span.style.height = LINE_H + "px"; span.style.lineHeight = LINE_H + "px";
      nodes.push(span);
    });
    (meta.eras || []).forEach(function (band) {
      const y = (y1 - band.y) / (y1 - y0) * h;
      const taken = [];
      band.text.forEach(function (text, i) {
        const a = Math.max(band.x0[i], r0), b = Math.min(band.x1[i], r1);
        const tw = widthOf(text, font) - 6;
        if (!(b > a) || (b - a) / (r1 - r0) * w < tw + 8) { return; }  // never clipped, never into the next term
        const middle = ((a + b) / 2 - r0) / (r1 - r0) * w;
        const box = [middle - tw / 2 - 4, middle + tw / 2 + 4];
        if (taken.some(function (o) { return box[0] < o[1] && o[0] < box[1]; })) { return; }  // acting bands overlap
        taken.push(box);
        const span = document.createElement("span");
        span.className = "era-label";
        span.textContent = text;
        span.style.left = (middle - tw / 2) + "px";
        span.style.top = (y - LINE_H / 2) + "px"; span.style.lineHeight = LINE_H + "px";
        nodes.push(span);
      });
    });
    layer.replaceChildren.apply(layer, nodes);
  }

  /* Nothing matches: the figure shows the message; the Reset button goes under it, where the chart would be. */
  function empty(layer, size) {
    layer.style.left = size.l + "px"; layer.style.top = size.t + "px";
    layer.style.width = size.w + "px"; layer.style.height = size.h + "px";
    const button = document.createElement("button");
    button.className = "button timeline-reset";
    button.textContent = "Reset filters";
    button.addEventListener("click", function () { const reset = document.getElementById("reset"); if (reset) { reset.click(); } });
    layer.replaceChildren(button);
  }

  /* One handler set per plot; frames are coalesced to one placement per animation frame. */
  function bind(plot) {
    if (plot.dataset.labelsBound) { return; }
    plot.dataset.labelsBound = "1";
    let pending = null;
    function later(range) {
      const first = pending === null;
      pending = range;
      if (first) {
        window.requestAnimationFrame(function () {
          const r = pending; pending = null;
          draw(plot, r || plot._fullLayout.xaxis.range);
        });
      }
    }
    plot.on("plotly_afterplot", function () { later(null); });
    plot.on("plotly_relayouting", function (event) {
      if (event && event["xaxis.range[0]"] !== undefined) { later([event["xaxis.range[0]"], event["xaxis.range[1]"]]); }
    });
    plot.on("plotly_relayout", function () { later(null); });
    later(null);
  }

  window.allianceLabels = {draw: draw, place: place};
  function scan() {
    const plot = document.querySelector("#timeline .js-plotly-plot");
    if (plot && plot.on && plot._fullLayout) { bind(plot); }
  }
  new MutationObserver(scan).observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener("DOMContentLoaded", scan);
})();
