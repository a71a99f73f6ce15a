/* Browser-side behaviour: immediate window dragging, play, copy link, keyboard shortcuts.
   Nothing here talks to the server; the URL and the server callbacks stay the source of truth. */
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
    togglePlay: function (clicks, disabled) {
      return disabled ? [false, "❚❚ Pause"] : [true, "▶ Play"];
    },
    /* Each tick moves the window one year forward; a window wider than 40 years starts as 1950-1959. */
    playStep: function (tick, years) {
      const last = 2026;
      let [start, end] = years || [1948, last];
      if (end - start > 40) { return [[1950, 1959], false, "❚❚ Pause"]; }
      if (end >= last) { return [window.dash_clientside.no_update, true, "▶ Play"]; }
      return [[start + 1, end + 1], false, "❚❚ Pause"];
    },
    copyLink: function () {
      const url = window.location.href;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).catch(function () {});
        return "Link copied";
      }
      return "Copy this link: " + url;
    }
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

/* An event opened from the table (far below the detail panel) is shown where the user is looking:
   once the panel holds the clicked event, it is scrolled into view and its title takes focus, so a
   screen reader reads it and Tab continues from it. Only for clicks: moving through the table with the
   arrow keys keeps focus in the table. */
let openedFromTable = null;
document.addEventListener("click", function (event) {
  openedFromTable = event.target.closest && event.target.closest("#event-table td") ? Date.now() : null;
}, true);
new MutationObserver(function () {
  const title = document.getElementById("detail-title");
  if (!openedFromTable || !title || Date.now() - openedFromTable > 15000) { return; }
  openedFromTable = null;
  title.closest(".detail").scrollIntoView({block: "nearest"});
  title.focus({preventScroll: true});
}).observe(document.documentElement, {childList: true, subtree: true});
