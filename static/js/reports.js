/* Reports: the "Print or save as PDF" button (the print layout is in css/reports.css).
 * A static file, as the site's Content-Security-Policy allows no inline script; without
 * JavaScript the browser's own print gives the same layout. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
