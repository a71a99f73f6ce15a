/* Words on the live timeline: event labels and administration names, re-placed on every zoom, pan and
   window-slider frame in the browser (no server round trip), in an overlay above the plot area.

   The rule is alliance/labels.py's, line for line (that module places the same labels on exported
   images, and its docstring states the rule; tests/test_labels.py runs both on the same scenes):
   events in priority order (landmarks first, then importance, then date), each labelled once beside
   whichever of its markers has room: level with a marker if free, else in the cheapest gap of a label
   row (distance plus penalties for leader lines through labels, markers or other leader lines), with
   a leader line. Up to NARROW_VIEW events in view every label may go anywhere (and fall back to its
   compact form; if some still find no room, a second run tries every compact form first and is kept
   if it names more), so every event gets its words; in a wider view labels stay near their markers, the
   first TOP (a few years' landmarks) a little further when nothing near is free.
   Here the boxes are measured with the page's own font rather than estimated.

   The figure carries its candidates in layout.meta (see alliance/figures.py `label_candidates` and
   the bands' meta). Label text is set with textContent: record text never becomes markup. */
(function () {
  const GAP = 2;
  const FONT_SIZE = 11;
  const LINE_H = Math.round(FONT_SIZE * 1.15) + 1;
  let measure = null;
  const widths = new Map();

  function widthOf(text, font) {
    const key = font + "\u0000" + text;
    if (!widths.has(key)) {
      measure = measure || document.createElement("canvas").getContext("2d");
      measure.font = font;
      widths.set(key, Math.ceil(measure.measureText(text).width) + 6);
    }
    return widths.get(key);
  }

  const ROW_H = LINE_H + GAP;  // a label row: one label and the gap under it
  const NARROW_VIEW = 60, NEAR_ROWS = 2, FIRST_ROWS = 5, FIRST_SLIDE = 2, CROSSING = 150, THROUGH_MARKER = 40, TANGLE = 60;
  const TOP = 15, TOP_ROWS = 10, TOP_SLIDE = 4;

  /* Whether each row's marker is inside the plot area (the others are neither labelled nor obstacles). */
  function visibleRows(px, py, w, h) {
    return px.map(function (x, i) { return x >= 0 && x <= w && py[i] >= 0 && py[i] <= h; });
  }

  /* Boxes (and leader lines) bucketed by 64 px cells, so a test looks only at what is nearby. */
  function Grid() { this.cells = new Map(); }
  Grid.prototype.keys = function (b) {
    const out = [];
    for (let i = Math.floor(Math.min(b[0], b[2]) / 64); i <= Math.floor(Math.max(b[0], b[2]) / 64); i++) {
      for (let j = Math.floor(Math.min(b[1], b[3]) / 64); j <= Math.floor(Math.max(b[1], b[3]) / 64); j++) {
        out.push(i + "," + j);
      }
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
    const g = GAP / 2, keys = this.keys(b);
    for (let n = 0; n < keys.length; n++) {
      const list = this.cells.get(keys[n]) || [];
      for (let m = 0; m < list.length; m++) {
        const o = list[m];
        if (b[0] - g < o[2] && o[0] < b[2] + g && b[1] - g < o[3] && o[1] < b[3] + g) { return true; }
      }
    }
    return false;
  };

  /* Whether the segment (x0, y0)-(x1, y1) passes through box `b` (Liang-Barsky clipping). */
  function crosses(x0, y0, x1, y1, b) {
    let low = 0, high = 1;
    const dx = x1 - x0, dy = y1 - y0;
    const tests = [[-dx, x0 - b[0]], [dx, b[2] - x0], [-dy, y0 - b[1]], [dy, b[3] - y0]];
    for (let i = 0; i < 4; i++) {
      const p = tests[i][0], q = tests[i][1];
      if (p === 0) { if (q < 0) { return false; } continue; }
      const t = q / p;
      if (p < 0) { low = Math.max(low, t); } else { high = Math.min(high, t); }
      if (low > high) { return false; }
    }
    return high - low > 1e-9;
  }

  /* Whether segments `a` and `b` ([x0, y0, x1, y1]) cross at a point inside both. */
  function intersect(a, b) {
    const side = function (px, py, qx, qy, rx, ry) { return (qx - px) * (ry - py) - (qy - py) * (rx - px); };
    return side(a[0], a[1], a[2], a[3], b[0], b[1]) * side(a[0], a[1], a[2], a[3], b[2], b[3]) < 0 &&
      side(b[0], b[1], b[2], b[3], a[0], a[1]) * side(b[0], b[1], b[2], b[3], a[2], a[3]) < 0;
  }

  /* The point of box `b` nearest the marker at (x, y): where its leader line ends. */
  function leaderEnd(x, y, b) { return [Math.max(b[0], Math.min(x, b[2])), Math.max(b[1], Math.min(y, b[3]))]; }

  /* First index in the sorted `list` whose value at `field` is >= v (or > v when `after`). */
  function search(list, v, field, after) {
    let lo = 0, hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1, x = list[mid][field];
      if (after ? x <= v : x < v) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
  }

  /* Add the x-range [a, b] to a row's sorted disjoint ranges, merging those it meets. */
  function block(ranges, a, b) {
    const lo = search(ranges, a, 1, false), hi = search(ranges, b, 0, true);
    if (lo < hi) { a = Math.min(a, ranges[lo][0]); b = Math.max(b, ranges[hi - 1][1]); }
    ranges.splice(lo, hi - lo, [a, b]);
  }

  /* Left edges from `lo` to `hi` where a `w`-wide box fits between a row's blocked ranges, as
     [first, last] left edge of each gap. */
  function gaps(ranges, lo, hi, w) {
    const eps = 1e-6, out = [];
    let start = lo;
    for (let i = search(ranges, lo, 1, true); i < ranges.length && ranges[i][0] < hi + w && start <= hi; i++) {
      const a = ranges[i][0], b = ranges[i][1];
      if (a - w - eps >= start) { out.push([start, Math.min(a - w - eps, hi)]); }
      start = Math.max(start, b + eps);
    }
    if (start <= hi) { out.push([start, hi]); }
    return out;
  }

  /* The plot as the placer sees it (alliance/labels.py `_Scene`): a grid of every marker and label box,
     the leader lines, and for each label row the x-ranges a label in that row may not enter. */
  function Scene(px, py, radius, w, h, ceiling) {
    this.px = px; this.py = py; this.radius = radius; this.w = w; this.h = h; this.ceiling = ceiling;
    this.rows = Math.max(0, Math.floor((h - ceiling - LINE_H) / ROW_H) + 1);
    this.blocked = [];
    for (let n = 0; n < this.rows; n++) { this.blocked.push([]); }
    this.boxes = new Grid(); this.lines = new Grid();
    this.visible = visibleRows(px, py, w, h);
    this.visible.forEach(function (shown, i) {
      if (shown) { this.add([px[i] - radius[i], py[i] - radius[i], px[i] + radius[i], py[i] + radius[i], i]); }
    }, this);
  }
  Scene.prototype.add = function (box) {  // an obstacle: a marker (box[4] its row) or a label (-1)
    this.boxes.add(box);
    const g = GAP / 2;
    const first = Math.max(0, Math.floor((box[1] - g - this.ceiling - LINE_H) / ROW_H));
    const last = Math.min(this.rows - 1, Math.ceil((box[3] + g - this.ceiling) / ROW_H));
    for (let n = first; n <= last; n++) {
      const top = this.ceiling + n * ROW_H;
      if (top - g < box[3] && box[1] < top + LINE_H + g) { block(this.blocked[n], box[0] - g, box[2] + g); }
    }
  };
  Scene.prototype.take = function (r, box) {
    this.add(box);
    const end = leaderEnd(this.px[r], this.py[r], box);
    if (Math.hypot(end[0] - this.px[r], end[1] - this.py[r]) > this.radius[r] + 3) {
      this.lines.add([this.px[r], this.py[r], end[0], end[1]]);
    }
  };
  Scene.prototype.fits = function (b) { return b[0] >= 0 && b[1] >= this.ceiling && b[2] <= this.w && b[3] <= this.h; };
  /* Level with a marker, right then left of it, where nothing is in the way (no leader line). */
  Scene.prototype.beside = function (markers, bw) {
    for (let k = 0; k < markers.length; k++) {
      const r = markers[k], x = this.px[r], y = this.py[r], rad = this.radius[r];
      const lefts = [x + rad + GAP, x - rad - GAP - bw];
      for (let s = 0; s < 2; s++) {
        const box = [lefts[s], y - LINE_H / 2, lefts[s] + bw, y + LINE_H / 2, -1];
        if (this.fits(box) && !this.boxes.hits(box) && this.penalty(box, r) === 0) { return [r, box]; }
      }
    }
    return null;
  };
  /* The cheapest place in a label row at most `rowsAway` rows from one of the markers: slid along the row
     to the free gap nearest the marker, costing its distance from it (up or down plus sideways) plus
     any leader line in the way; it slides at most `slide` px from centred on the marker. */
  Scene.prototype.cheapest = function (markers, bw, rowsAway, slide) {
    let best = null, bestCost = Infinity;
    for (let k = 0; k < markers.length; k++) {
      const r = markers[k];
      const reach = rowsAway * ROW_H + ROW_H / 2;
      const ideal = this.px[r] - bw / 2;
      // rows nearest the marker first (a tie goes to the upper row): two cursors moving apart
      const mid = (this.py[r] - this.ceiling - LINE_H / 2) / ROW_H;
      let up = Math.min(this.rows - 1, Math.floor(mid)), down = up + 1;
      while (up >= 0 || down < this.rows) {
        const dyUp = up >= 0 ? Math.abs(this.ceiling + up * ROW_H + LINE_H / 2 - this.py[r]) : Infinity;
        const dyDown = down < this.rows ? Math.abs(this.ceiling + down * ROW_H + LINE_H / 2 - this.py[r]) : Infinity;
        const n = dyUp <= dyDown ? up : down, dy = Math.min(dyUp, dyDown);
        if (n === up) { up--; } else { down++; }
        if (dy > reach || dy >= bestCost) { break; }
        const top = this.ceiling + n * ROW_H;
        const free = gaps(this.blocked[n], Math.max(0, ideal - slide), Math.min(this.w - bw - 1e-6, ideal + slide), bw);
        for (let f = 0; f < free.length; f++) {
          const left = Math.max(free[f][0], Math.min(ideal, free[f][1]));
          const box = [left, top, left + bw, top + LINE_H, -1];
          let cost = dy + Math.abs(left - ideal);
          if (cost >= bestCost || !this.fits(box)) { continue; }
          cost += this.penalty(box, r);
          if (cost < bestCost) { best = [r, box]; bestCost = cost; }
        }
      }
    }
    return best;
  };
  /* What a box for marker `r` costs beyond its distance: its leader line through a label or through
     another marker, the box over a leader line already drawn, its leader line across another (each
     counted once). */
  Scene.prototype.penalty = function (box, r) {
    const x = this.px[r], y = this.py[r], end = leaderEnd(x, y, box);
    let label = false, marker = false;
    const leader = Math.hypot(end[0] - x, end[1] - y) > this.radius[r] + 3;
    if (leader) {
      const keys = this.boxes.keys([x, y, end[0], end[1]]);
      for (let n = 0; n < keys.length && !(label && marker); n++) {
        const list = this.boxes.cells.get(keys[n]) || [];
        for (let m = 0; m < list.length; m++) {
          const o = list[m];
          if (o[4] === r || (o[4] < 0 ? label : marker) || !crosses(x, y, end[0], end[1], o)) { continue; }
          if (o[4] < 0) { label = true; } else { marker = true; }
        }
      }
    }
    const tangled = leader && this.lines.tangles([x, y, end[0], end[1]]);
    return (label ? CROSSING : 0) + (marker ? THROUGH_MARKER : 0) + (this.lines.crossedBy(box) ? CROSSING : 0) +
      (tangled ? TANGLE : 0);
  };
  Grid.prototype.tangles = function (a) {  // whether a leader line in the grid crosses the segment `a`
    const keys = this.keys(a);
    for (let n = 0; n < keys.length; n++) {
      const list = this.cells.get(keys[n]) || [];
      for (let m = 0; m < list.length; m++) { if (intersect(a, list[m])) { return true; } }
    }
    return false;
  };
  Grid.prototype.crossedBy = function (b) {  // whether a leader line in the grid passes through box `b`
    const keys = this.keys(b);
    for (let n = 0; n < keys.length; n++) {
      const list = this.cells.get(keys[n]) || [];
      for (let m = 0; m < list.length; m++) { if (crosses(list[m][0], list[m][1], list[m][2], list[m][3], b)) { return true; } }
    }
    return false;
  };

  /* The greedy rule: [{row, box, text}] for the labels that fit (see the comment at the top).
     `events` is [[text, [row, ...]] or [text, [row, ...], compact text], ...] in priority order. */
  function place(events, px, py, radius, widthOf, w, h, ceiling) {
    const visible = visibleRows(px, py, w, h);
    const inView = [];  // [event, its visible markers]
    for (let e = 0; e < events.length; e++) {
      const markers = events[e][1].filter(function (r) { return visible[r]; });
      if (markers.length) { inView.push([events[e], markers]); }
    }
    const placed = placePass(inView, px, py, radius, widthOf, w, h, ceiling, false);
    if (inView.length <= NARROW_VIEW && placed.length < inView.length) {
      // Not every event found room: every label in its compact form leaves room for more of them.
      const tight = placePass(inView, px, py, radius, widthOf, w, h, ceiling, true);
      if (tight.length > placed.length) { return tight; }
    }
    return placed;
  }

  /* One run of the rule over the events in view; `compactFirst` tries each compact form before the full one. */
  function placePass(inView, px, py, radius, widthOf, w, h, ceiling, compactFirst) {
    const scene = new Scene(px, py, radius, w, h, ceiling);
    const placed = [];
    const narrow = inView.length <= NARROW_VIEW;
    for (let k = 0; k < inView.length; k++) {
      const event = inView[k][0], markers = inView[k][1], first = k < NARROW_VIEW;
      const rowsAway = narrow ? Infinity : first ? FIRST_ROWS : NEAR_ROWS;
      const options = first && event.length > 2 ? [event[0], event[2]] : [event[0]];
      if (compactFirst) { options.reverse(); }
      const tries = options.map(function (text) { return [text, rowsAway, first ? FIRST_SLIDE : 1]; });
      if (k < TOP && !narrow) { tries.push([tries[tries.length - 1][0], TOP_ROWS, TOP_SLIDE]); }
      for (let t = 0; t < tries.length; t++) {
        const text = tries[t][0], bw = widthOf(text);
        const slide = narrow ? w : bw * tries[t][2];
        const spot = scene.beside(markers, bw) || scene.cheapest(markers, bw, tries[t][1], slide);
        if (spot) {
          scene.take(spot[0], spot[1]);
          placed.push({row: spot[0], box: spot[1].slice(0, 4), text: text});
          break;
        }
      }
    }
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
    (labels.end || []).forEach(function (end, i) {  // marker left of the view, bar reaching into it: label at the edge
      if (px[i] < 0 && end !== null && end > r0) { px[i] = 0; radius[i] = 0; }
    });
    const font = FONT_SIZE + "px " + (full.font && full.font.family || "sans-serif");
    const ceiling = labels.top === undefined ? 0 : (y1 - labels.top) / (y1 - y0) * h;
    const placed = place(labels.events, px, py, radius, function (text) { return widthOf(text, font); }, w, h, ceiling);
    layer.style.left = size.l + "px"; layer.style.top = size.t + "px";
    layer.style.width = w + "px"; layer.style.height = h + "px";
    const svgNS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(svgNS, "svg");
    svg.setAttribute("width", w); svg.setAttribute("height", h);
    const nodes = [svg];
    placed.forEach(function (p) {
      const b = p.box, mx = px[p.row], my = py[p.row];
      const end = leaderEnd(mx, my, b), ex = end[0], ey = end[1];
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

  if (typeof window === "undefined") { module.exports = {place: place, LINE_H: LINE_H}; return; }  // node: tests/test_labels.py
  window.allianceLabels = {draw: draw, place: place};
  function scan() {
    const plot = document.querySelector("#timeline .js-plotly-plot");
    if (plot && plot.on && plot._fullLayout) { bind(plot); }
  }
  new MutationObserver(scan).observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener("DOMContentLoaded", scan);
})();
