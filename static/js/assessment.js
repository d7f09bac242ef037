/* Self-assessment results: the "Print or save as PDF" button (the print stylesheet in
 * css/assessment.css lays the report out). Without JavaScript, the browser's own print works. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
