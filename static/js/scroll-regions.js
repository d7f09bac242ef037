/*
 * A table wider than the window scrolls inside its own frame (.table-responsive), never the
 * page. While the frame does scroll, it is a tab stop named after its table, so it can be
 * scrolled with the arrow keys (WCAG 2.1.1); while the table fits, it is not a tab stop.
 */
(function () {
  "use strict";

  function nameOf(frame) {
    var table = frame.querySelector("table");
    if (table && table.caption && table.caption.textContent.trim()) {
      return table.caption.textContent.trim();
    }
    var section = frame.closest("[aria-labelledby]");
    var heading = section && document.getElementById(section.getAttribute("aria-labelledby"));
    return heading ? heading.textContent.trim() : "";
  }

  function update() {
    document.querySelectorAll(".table-responsive").forEach(function (frame) {
      if (frame.scrollWidth > frame.clientWidth + 1) {
        frame.setAttribute("tabindex", "0");
        frame.setAttribute("data-scroll-region", "");
        var name = nameOf(frame);
        if (name) {
          frame.setAttribute("role", "region");
          frame.setAttribute("aria-label", name);
        }
      } else if (frame.hasAttribute("data-scroll-region")) {
        ["tabindex", "role", "aria-label", "data-scroll-region"].forEach(function (name) {
          frame.removeAttribute(name);
        });
      }
    });
  }

  update();
  window.addEventListener("resize", update);
})();
