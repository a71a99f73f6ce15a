/* Browser-side behaviour: immediate window dragging, the chart's pan/zoom becoming the window, play,
   copy link, keyboard shortcuts, and a banner when the server cannot be reached. Nothing here talks
   to the server; the URL and the server callbacks stay the source of truth. */
/* Play: set when Play is pressed, so the first tick knows a run is starting. */
let playStarting = false;

/* Play's ticks replace the current history entry: Back returns to the view before Play, not year by year.
   dcc.Location writes the URL with history.pushState; while the clock runs, that becomes replaceState. */
(function () {
  const push = window.history.pushState.bind(window.history);
  window.history.pushState = function (state, title, url) {
    const clock = document.getElementById("play");
    const playing = clock && clock.textContent.indexOf("Pause") >= 0 && !playStarting;
    return playing ? window.history.replaceState(state, title, url) : push(state, title, url);
  };
})();

/* Copy link without a clipboard API: a small field under the button with the link selected. */
function showLinkField(url) {
  const actions = document.querySelector(".filter.actions");
  if (!actions) { return; }
  let field = actions.querySelector(".share-field");
  if (!field) {
    field = document.createElement("input");
    field.className = "share-field";
    field.readOnly = true;
    field.setAttribute("aria-label", "Link to this view");
    field.addEventListener("blur", function () { field.remove(); });
    field.addEventListener("keydown", function (event) { if (event.key === "Escape") { field.remove(); } });
    actions.appendChild(field);
  }
  field.value = url;
  field.focus();
  field.select();
}

/* A page that cannot reach the server says so, instead of ignoring clicks. Dash's update requests go
   through fetch; a network failure (not an HTTP error answer) shows the banner until one succeeds. */
(function () {
  const fetch = window.fetch.bind(window);
  function banner(show) {
    let note = document.getElementById("offline-banner");
    if (show && !note) {
      note = document.createElement("div");
      note.id = "offline-banner";
      note.className = "offline-banner";
      note.setAttribute("role", "alert");
      note.textContent = "The server cannot be reached: the view will not update until it is back. Reload to retry.";
      document.body.appendChild(note);
    } else if (!show && note) { note.remove(); }
  }
  window.fetch = function (resource, options) {
    const url = String(resource && resource.url || resource);
    const result = fetch(resource, options);
    if (url.indexOf("_dash-update-component") < 0) { return result; }
    return result.then(function (response) { banner(false); return response; },
                       function (error) { banner(true); throw error; });
  };
})();

/* One redraw per zoom or pan step, not two (issue 12). When a chart pan, zoom or the slider's preview
   relayouts a graph, dcc.Graph copies the new range back into its figure prop and plots that figure
   again with Plotly.react: the data on screen, and the layout plotly already shows. But dcc.Graph
   deep-clones the layout first, and plotly compares `layout.meta` (the label candidates) by identity,
   so it found it changed and redrew the whole chart: about two thirds of every step. A react whose data
   is the very data on screen and whose layout and config equal what is drawn changes nothing, so it is
   answered at once; any other call (a new figure from the server, a changed layout) goes to plotly. */
(function () {
  /* Layout keys plotly writes into the layout it was given (the clone lacks them): autosize on a resize,
     an axis's inferred type, autorange once a range is set. Missing from the new layout, they are no change. */
  const WRITTEN_BACK = {autosize: true, type: true, autorange: true};
  function same(a, b) {
    if (a === b) { return true; }
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) { return false; }
    if (Array.isArray(a)) {
      if (!Array.isArray(b) || a.length !== b.length) { return false; }
      for (let i = 0; i < a.length; i++) { if (!same(a[i], b[i])) { return false; } }
      return true;
    }
    if (Array.isArray(b)) { return false; }
    for (const key in a) {
      if (key.charAt(0) !== "_" && !same(a[key], b[key])) { return false; }
    }
    for (const key in b) {
      if (key.charAt(0) !== "_" && !(key in a) && !WRITTEN_BACK[key]) { return false; }
    }
    return true;
  }
  const drawnConfig = new WeakMap();  // graph div -> JSON of the config it was last plotted with
  function install() {
    const plotly = window.Plotly;
    if (!plotly || plotly.react.allianceSkipsNoOps) { return Boolean(plotly); }
    const react = plotly.react;
    plotly.react = function (gd, figure) {
      const single = arguments.length === 2 && figure && Array.isArray(figure.data);  // dcc.Graph's form
      const config = single ? JSON.stringify(figure.config || {}) : null;
      if (single && gd && gd._fullLayout && figure.data === gd.data && drawnConfig.get(gd) === config &&
          !figure.frames && same(figure.layout || {}, gd.layout || {})) {
        return Promise.resolve(gd);
      }
      if (single && gd) { drawnConfig.set(gd, config); }
      return react.apply(this, arguments);
    };
    plotly.react.allianceSkipsNoOps = true;
    return true;
  }
  window.allianceRedraws = {same: same};
  // Plotly is loaded by dcc.Graph on demand: wrap it as soon as it exists, before a graph relayouts.
  if (!install()) {
    const watch = new MutationObserver(function () { if (install()) { watch.disconnect(); } });
    watch.observe(document.documentElement, {childList: true, subtree: true});
  }
})();

/* Whether the pointer is holding the time-window slider (set before the slider sees the event). */
let windowHandleHeld = false;
document.addEventListener("pointerdown", function (event) {
  windowHandleHeld = Boolean(event.target.closest && event.target.closest("#window"));
}, true);
document.addEventListener("pointerup", function () { windowHandleHeld = false; }, true);
document.addEventListener("pointercancel", function () { windowHandleHeld = false; }, true);

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  alliance: {
    /* While a handle is dragged, move the timeline's x range directly (no server round trip). Only
       during a drag: the slider also reports a value the server set, and relayouting then would make
       the graph redraw its old figure just before the new one arrives. */
    previewWindow: function (years) {
      const plot = document.querySelector("#timeline .js-plotly-plot");
      if (plot && years && window.Plotly && windowHandleHeld) {
        window.Plotly.relayout(plot, {"xaxis.range": [years[0] + "-01-01", years[1] + "-12-31"]});
      }
      return window.dash_clientside.no_update;
    },
    /* When a pan or zoom of the chart itself ends, the window follows it (slider, then URL, count, table
       and topic views through the server), so the app is never in two states. Whole years, taking in
       any year partly on screen, so nothing visible is left out. Not while the slider is being dragged:
       that relayout is the slider's own preview. */
    chartWindow: function (relayout, years, first, last) {
      const noUpdate = window.dash_clientside.no_update;
      if (windowHandleHeld || !relayout) { return noUpdate; }
      let range = relayout["xaxis.range"];
      if (!range && relayout["xaxis.range[0]"] !== undefined) { range = [relayout["xaxis.range[0]"], relayout["xaxis.range[1]"]]; }
      if (!range) { return noUpdate; }
      const year = function (value) { return new Date(String(value).replace(" ", "T") + (String(value).length > 10 ? "Z" : "T00:00:00Z")); };
      const a = year(range[0]), b = year(range[1]);
      if (isNaN(a) || isNaN(b)) { return noUpdate; }
      let start = a.getUTCFullYear();
      let end = b.getUTCMonth() === 0 && b.getUTCDate() <= 2 ? b.getUTCFullYear() - 1 : b.getUTCFullYear();
      start = Math.max(first, Math.min(start, last)); end = Math.max(start, Math.min(end, last));
      if (years && years[0] === start && years[1] === end) { return noUpdate; }
      return [start, end];
    },
    togglePlay: function (clicks, disabled) {
      playStarting = Boolean(disabled);
      return disabled ? [false, "❚❚ Pause"] : [true, "▶ Play"];
    },
    /* Each tick moves the window one year forward. Started at the end of the span (or on a window wider
       than 40 years) it begins again with the first decade; it stops at the end. */
    playStep: function (tick, years, first, last) {
      let [start, end] = years || [first, last];
      const starting = playStarting;
      playStarting = false;
      const firstDecade = Math.ceil(first / 10) * 10;
      if (end - start > 40 || (starting && end >= last)) {
        const width = end - start > 40 ? 9 : end - start;
        return [[firstDecade, Math.min(last, firstDecade + width)], false, "❚❚ Pause"];
      }
      if (end >= last) { return [window.dash_clientside.no_update, true, "▶ Play"]; }
      return [[start + 1, end + 1], false, "❚❚ Pause"];
    },
    copyLink: function () {
      const url = window.location.href;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).catch(function () {});
        return "Link copied";
      }
      showLinkField(url);
      return "Press Ctrl+C to copy";
    },
    /* The administration menu is a jump, not a state: once it has zoomed, it shows its placeholder again,
       so it never names a term the window has since left. */
    clearPreset: function () { return null; }
  }
});

/* Keys: ] or j next event, [ or k previous event, / search, Escape close the detail panel. They work
   whatever has focus (a checkbox, a button, the table) except a field that takes text, and Escape
   first closes an open dropdown (its own handler) before it closes the detail. */
const TEXT_INPUTS = ["", "text", "search", "email", "number", "password", "tel", "url"];
function takesText(element) {
  if (!element) { return false; }
  if (element.tagName === "INPUT") { return TEXT_INPUTS.includes((element.getAttribute("type") || "").toLowerCase()); }
  return element.tagName === "TEXTAREA" || element.tagName === "SELECT" || element.isContentEditable;
}
document.addEventListener("keydown", function (event) {
  const target = event.target;
  if (event.key === "Escape") {
    const dropdownOpen = document.querySelector(".dash-dropdown-content") ||
      (target && target.closest && target.closest(".dash-dropdown-content, [aria-expanded='true']"));
    const close = document.getElementById("close-detail");
    if (close && !dropdownOpen && !event.defaultPrevented) { close.click(); }
    return;
  }
  if (takesText(target) || event.ctrlKey || event.metaKey || event.altKey) { return; }
  const press = function (id) { const b = document.getElementById(id); if (b) { event.preventDefault(); b.click(); } };
  if (event.key === "]" || event.key === "j") { press("next-event"); }
  else if (event.key === "[" || event.key === "k") { press("prev-event"); }
  else if (event.key === "/") { const s = document.getElementById("search"); if (s) { event.preventDefault(); s.focus(); } }
});
