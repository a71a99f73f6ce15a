/* The events table (a dash-ag-grid, components/detail.py): a row opens its event on a click or Enter,
   an event opened from the table is shown where the user is looking, and closing it returns there. */
(function () {
  const GRID = "event-table";
  /* Set when a row opens an event: the title the detail panel will show, and when. */
  let pending = null;
  /* The column a row was opened from, while the user stays in the detail panel (or the table). */
  let cameFrom = null;

  window.dashAgGridFunctions = Object.assign({}, window.dashAgGridFunctions, {
    /* A grid event listener (cellClicked, cellKeyDown): a click on a row, or Enter on one of its cells,
       reports the row's event id as the grid's eventData, which the server turns into `event=`. */
    openEvent: function (params, setEventData) {
      if (!params.data) { return; }
      if (params.type === "cellKeyDown" && !(params.event && params.event.key === "Enter")) { return; }
      pending = {title: params.data.title, at: Date.now()};
      cameFrom = params.column ? params.column.getColId() : null;
      setEventData(params.data.id);
    }
  });

  /* The detail panel is far above the table: once it holds the event the row opened, it is scrolled into
     view and its title takes focus, so a screen reader reads it and Tab continues from it. */
  new MutationObserver(function () {
    if (!pending) { return; }
    if (Date.now() - pending.at > 15000) { pending = null; return; }
    const title = document.getElementById("detail-title");
    if (!title || title.textContent !== pending.title) { return; }
    pending = null;
    title.closest(".detail").scrollIntoView({block: "nearest"});
    title.focus({preventScroll: true});
  }).observe(document.documentElement, {childList: true, subtree: true, characterData: true});

  /* Leaving the detail for anything but the table ends the way back. */
  document.addEventListener("focusin", function (event) {
    if (cameFrom && event.target.closest && !event.target.closest(".detail, #" + GRID)) { cameFrom = null; }
  });

  /* Closing the detail (its button, or Escape, which presses it) of an event reached from the table puts
     focus back on that event's row in the table (or the row of the event stepped to with [ and ]). */
  document.addEventListener("click", function (event) {
    if (!cameFrom || !event.target.closest || !event.target.closest("#close-detail")) { return; }
    const id = new URLSearchParams(window.location.search).get("event");
    const api = window.dash_ag_grid && window.dash_ag_grid.getApi ? window.dash_ag_grid.getApi(GRID) : null;
    const node = api && id ? api.getRowNode(id) : null;
    const column = cameFrom;
    cameFrom = null;
    if (!node || node.rowIndex === null || node.rowIndex === undefined) { return; }
    api.ensureIndexVisible(node.rowIndex, "middle");
    api.setFocusedCell(node.rowIndex, column);
    const cell = document.querySelector("#" + GRID + " .ag-row[row-id='" + CSS.escape(id) + "'] .ag-cell[col-id='" + CSS.escape(column) + "']");
    if (cell) { cell.scrollIntoView({block: "center"}); cell.focus(); }
  }, true);
})();
