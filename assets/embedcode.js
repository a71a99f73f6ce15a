/* Export → Embed: open the embed code panel, select its code when it arrives, and Copy it.
   The code is a read-only field's value (text, never markup). Copy uses the clipboard where the page
   may (https, or this machine); a plain-http office host has no clipboard API, and a refused write
   is no copy either: then the field's text is selected and the status says Ctrl+C. */
(function () {
  function field() { return document.getElementById("embed-code"); }
  function selectCode() {
    const code = field();
    if (code) { code.focus(); code.select(); }
  }
  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.alliance = Object.assign({}, window.dash_clientside.alliance, {
    toggleEmbed: function (clicks, hidden) {
      const open = hidden !== false;
      return [!open, open ? "true" : "false"];
    },
    /* New code (the panel opened, or the view changed under it): selected, ready to copy, when the
       user has just asked for it (focus on Embed or in the panel); focus is never taken from elsewhere. */
    selectEmbed: function (code) {
      const active = document.activeElement;
      if (code && active && (active.id === "export-embed" || (active.closest && active.closest("#embed-panel")))) {
        window.requestAnimationFrame(selectCode);  // after Dash has written the value into the field
      }
      return "";
    },
    copyEmbed: function () {
      const code = field();
      if (!code || !code.value) { return window.dash_clientside.no_update; }
      const manual = function () { selectCode(); return "Press Ctrl+C to copy"; };
      if (!(navigator.clipboard && window.isSecureContext)) { return manual(); }
      return navigator.clipboard.writeText(code.value).then(function () { return "Embed code copied"; }, manual);
    }
  });
})();
