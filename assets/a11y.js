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
    /* aria-dialog-name: an open dropdown's popover is a dialog with no name; name it after its control. */
    document.querySelectorAll(".dash-dropdown-content[role='dialog']:not([aria-label])").forEach(function (dialog) {
      const trigger = document.querySelector("button.dash-dropdown[aria-controls='" + dialog.id + "']");
      const label = trigger && trigger.id ? document.querySelector("label[for='" + trigger.id + "']") : null;
      dialog.setAttribute("aria-label", (label ? label.textContent : trigger ? trigger.textContent : "Options") + " options");
    });
    /* aria-hidden-focus, and keyboard reach: Dash 4 gives Tab to a hidden, aria-hidden input that hands focus
       to the dropdown's button (tabindex -1), and flips that input back to tabindex 0 on every blur. Take the
       hidden input out of the Tab order and put the real, labelled button in it: Tab reaches every dropdown
       once, and Enter, Space or ArrowDown open it (Dash's own handlers on the button). */
    document.querySelectorAll(".dash-dropdown-focus-target:not([tabindex='-1'])").forEach(function (i) {
      i.setAttribute("tabindex", "-1");
    });
    document.querySelectorAll("button.dash-dropdown:not([disabled]):not([tabindex='0'])").forEach(function (b) {
      b.setAttribute("tabindex", "0");
    });
  }
  /* Space on a closed dropdown's button: a native button click, which Dash 4's dropdown does not turn into
     opening it (Enter and ArrowDown do, on key-up). Open it the way Enter does. */
  document.addEventListener("keydown", function (event) {
    const button = event.target;
    if (event.key !== " " || !button.matches || !button.matches("button.dash-dropdown[aria-expanded='false']")) { return; }
    event.preventDefault();
    button.dispatchEvent(new KeyboardEvent("keyup", {key: "Enter", bubbles: true}));
  }, true);
  let queued = false;
  new MutationObserver(function () {
    if (!queued) { queued = true; requestAnimationFrame(function () { queued = false; repair(); }); }
  }).observe(document.documentElement, {childList: true, subtree: true, attributes: true, attributeFilter: ["role", "aria-selected", "aria-hidden", "tabindex"]});
  document.addEventListener("DOMContentLoaded", repair);
})();
