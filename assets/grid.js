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

  /* Focus the cell of event `id` in column `column` (scrolled into view); false if the table does not list it. */
  function focusRow(api, id, column) {
    const node = api && id ? api.getRowNode(id) : null;
    if (!node || node.rowIndex === null || node.rowIndex === undefined) { return false; }
    api.ensureIndexVisible(node.rowIndex, "middle");
    api.setFocusedCell(node.rowIndex, column);
    return true;
  }

  /* Closing the detail (its button, or Escape, which presses it) of an event reached from the table puts
     focus back on that event's row in the table (or the row of the event stepped to with [ and ]). */
  document.addEventListener("click", function (event) {
    if (!cameFrom || !event.target.closest || !event.target.closest("#close-detail")) { return; }
    const api = window.dash_ag_grid && window.dash_ag_grid.getApi ? window.dash_ag_grid.getApi(GRID) : null;
    const column = cameFrom;
    cameFrom = null;
    if (focusRow(api, new URLSearchParams(window.location.search).get("event"), column)) {
      const cell = document.querySelector("#" + GRID + " .ag-cell-focus");
      if (cell) { cell.scrollIntoView({block: "center"}); }
    }
  }, true);

  /* Tab or Shift+Tab back into the table returns to the cell (or header) that last had focus there, not
     to the first header or the last of hundreds of rows (ag-grid's default). */
  if (window.dash_ag_grid && window.dash_ag_grid.getApiAsync) {
    window.dash_ag_grid.getApiAsync(GRID).then(function (api) {
      let last = null;
      api.addEventListener("cellFocused", function (e) {
        const node = e.rowIndex === null || e.rowIndex === undefined ? null : api.getDisplayedRowAtIndex(e.rowIndex);
        if (node && e.column) { last = {id: node.id, column: e.column.getColId ? e.column.getColId() : e.column}; }
      });
      api.addEventListener("headerFocused", function (e) {
        if (e.column && e.column.getColId) { last = {header: e.column.getColId()}; }
      });
      api.setGridOption("focusGridInnerElement", function () {
        if (!last) { return false; }
        if (last.header) { return api.setFocusedHeader(last.header) !== false; }
        return focusRow(api, last.id, last.column);
      });
    }).catch(function () {});
  }
})();
