/* Accessibility repairs for Dash 4 component markup, applied to the live page (so screen-reader users
   get them, not only the audit). Each repair names the axe rule it answers; tests/test_accessibility.py
   fails if any serious or critical violation comes back. Remove a repair once Dash fixes its markup. */
(function () {
  const LABELS = {"topic-filter": "Issue areas", "importance-filter": "Importance", "mode": "Filtered-out events",
                  "matrix-country": "Matrix columns"};
  const PAGER = {"first-page": "First page", "previous-page": "Previous page", "next-page": "Next page",
                 "last-page": "Last page"};
  function repair() {
    /* nested-interactive, aria-input-field-name: checklists and radio items are native inputs inside labels,
       so present them as a labelled group rather than a listbox of options wrapping inputs. */
    document.querySelectorAll(".dash-options-list[role='listbox']").forEach(function (list) {
      list.setAttribute("role", "group");
      if (LABELS[list.id]) { list.setAttribute("aria-label", LABELS[list.id]); }
    });
    document.querySelectorAll(".dash-options-list-option[role='option'], .dash-options-list-option[aria-selected]").forEach(function (option) {
      option.removeAttribute("role");
      option.removeAttribute("aria-selected");
    });
    /* button-name: the table's pager buttons are icons only. */
    Object.keys(PAGER).forEach(function (cls) {
      document.querySelectorAll("button." + cls + ":not([aria-label])").forEach(function (b) { b.setAttribute("aria-label", PAGER[cls]); });
    });
    /* aria-hidden-focus: the dropdown's hidden focus target must not be reachable by Tab. */
    document.querySelectorAll(".dash-dropdown-focus-target[aria-hidden='true']:not([tabindex='-1'])").forEach(function (i) {
      i.setAttribute("tabindex", "-1");
    });
  }
  let queued = false;
  new MutationObserver(function () {
    if (!queued) { queued = true; requestAnimationFrame(function () { queued = false; repair(); }); }
  }).observe(document.documentElement, {childList: true, subtree: true, attributes: true, attributeFilter: ["role", "aria-selected", "aria-hidden"]});
  document.addEventListener("DOMContentLoaded", repair);
})();
