/* Speed: give back the engine's own string and number parsers. Dash loads @babel/polyfill 7 (core-js 2)
   before any asset; in today's engines it replaces String.prototype.trim (and trimStart/trimEnd),
   parseFloat and parseInt with slower JavaScript versions, because U+180E stopped being whitespace
   in Unicode 6.3 and its feature test still expects it to be. plotly calls these for every date and
   number it reads, so they made each chart redraw much slower (issue #6). The originals are taken
   from a fresh same-origin frame, whose globals the polyfill never touched. */
(function () {
  const frame = document.createElement("iframe");
  frame.style.display = "none";
  document.documentElement.appendChild(frame);
  const pristine = frame.contentWindow;
  ["trim", "trimStart", "trimEnd", "trimLeft", "trimRight"].forEach(function (name) {
    if (pristine.String.prototype[name]) { String.prototype[name] = pristine.String.prototype[name]; }
  });
  window.parseFloat = Number.parseFloat = pristine.parseFloat;
  window.parseInt = Number.parseInt = pristine.parseInt;
  frame.remove();
})();
