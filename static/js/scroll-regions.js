/*
 * A table wider than the window scrolls inside its own frame (.table-responsive), never the
 * page. While the frame does scroll, it is a tab stop named after its table, so it can be
 * scrolled with the arrow keys (WCAG 2.1.1); while the table fits, it is not a tab stop.
 * It is a landmark (region) of its own, unless the section around it already is one by the
 * same name: then it is a named group, so no two landmarks of the page share a name.
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

  // The name of the closest landmark around the frame that has one (a section named by its
  // heading, a labelled region or navigation).
  function enclosingLandmarkName(frame) {
    var landmark = frame.parentElement && frame.parentElement.closest(
      "section[aria-labelledby], section[aria-label], [role=region], nav, aside, form[aria-label]"
    );
    if (!landmark) {
      return "";
    }
    if (landmark.hasAttribute("aria-label")) {
      return landmark.getAttribute("aria-label").trim();
    }
    var heading = document.getElementById(landmark.getAttribute("aria-labelledby") || "");
    return heading ? heading.textContent.trim() : "";
  }

  function update() {
    document.querySelectorAll(".table-responsive").forEach(function (frame) {
      if (frame.scrollWidth > frame.clientWidth + 1) {
        frame.setAttribute("tabindex", "0");
        frame.setAttribute("data-scroll-region", "");
        var name = nameOf(frame);
        if (name) {
          frame.setAttribute("role", name === enclosingLandmarkName(frame) ? "group" : "region");
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
