/*
 * The Django admin's pages at WCAG 2.2 AA, where its own markup falls short:
 * - a tabular inline's fields have no <label>: each is named by its column's header;
 * - an autocomplete field (Select2) is named by its label, not only by its current value;
 * - the "filter horizontal" help icon is an image with a name, not a bare span;
 * - a table or inline wider than its frame scrolls inside it: while it does, the frame is a
 *   tab stop named after its heading, so the arrow keys scroll it (WCAG 2.1.1); a region, or
 *   a group when a region around it already has that name (landmark names stay unique);
 * - a tabular inline's first column (each saved row's name) has an empty header: it is named
 *   after the inline's heading, for screen readers (axe: empty-table-header).
 * Loaded by templates/admin/base_site.html; it runs once the admin's own scripts have.
 */
(function () {
  "use strict";

  var counter = 0;

  function idOf(element) {
    if (!element.id) {
      counter += 1;
      element.id = "admin-a11y-" + counter;
    }
    return element.id;
  }

  function hasName(control) {
    return (
      control.labels && control.labels.length > 0 ||
      control.hasAttribute("aria-label") ||
      control.hasAttribute("aria-labelledby")
    );
  }

  function nameTabularFields() {
    document.querySelectorAll(".inline-group .tabular table").forEach(function (table) {
      var headers = table.querySelectorAll("thead th");
      table.querySelectorAll("tbody td").forEach(function (cell) {
        var header = null;
        cell.classList.forEach(function (name) {
          if (name.indexOf("field-") === 0) {
            header = table.querySelector("thead th.column-" + CSS.escape(name.slice(6)));
          }
        });
        if (!header && cell.classList.contains("delete") && headers.length) {
          header = headers[headers.length - 1];
        }
        if (!header || !header.textContent.trim()) {
          return;
        }
        cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(
          function (control) {
            if (!hasName(control)) {
              control.setAttribute("aria-labelledby", idOf(header));
            }
          }
        );
      });
    });
  }

  function nameAutocompleteFields() {
    document.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      var container = box.closest(".select2");
      var select = container && container.previousElementSibling;
      if (!select || select.tagName !== "SELECT" || !select.labels || !select.labels.length) {
        return;
      }
      var label = idOf(select.labels[0]);
      var current = (box.getAttribute("aria-labelledby") || "").split(/\s+/);
      if (current.indexOf(label) === -1) {
        box.setAttribute("aria-labelledby", [label].concat(current).join(" ").trim());
      }
      // Select2 gives the current value a textbox role of its own: name it too.
      box.querySelectorAll("[role=textbox]").forEach(function (value) {
        value.setAttribute("aria-labelledby", label);
      });
    });
  }

  function nameEmptyHeaders() {
    document.querySelectorAll(".inline-group .tabular table").forEach(function (table) {
      var group = table.closest("[aria-labelledby]");
      var heading = group && document.getElementById(group.getAttribute("aria-labelledby"));
      table.querySelectorAll("thead th").forEach(function (header) {
        if (header.textContent.trim()) {
          return;
        }
        if (header.classList.contains("original") && heading && heading.textContent.trim()) {
          var text = document.createElement("span");
          text.className = "visually-hidden";
          text.textContent = heading.textContent.trim();
          header.appendChild(text);
        } else {
          // A column with nothing to head (e.g. "Delete?" where rows cannot be deleted).
          header.setAttribute("role", "cell");
        }
      });
    });
  }

  function nameHelpIcons() {
    document.querySelectorAll("span.help-tooltip[aria-label]").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function nameOf(frame) {
    var table = frame.querySelector("table");
    if (table && table.caption && table.caption.textContent.trim()) {
      return table.caption.textContent.trim();
    }
    var heading = frame.querySelector("h2, caption");
    if (!heading) {
      var group = frame.closest("[aria-labelledby]");
      heading = group && document.getElementById(group.getAttribute("aria-labelledby"));
    }
    return heading ? heading.textContent.trim() : "";
  }

  // The name of the closest region around the frame, if it has one.
  function enclosingRegionName(frame) {
    var region = frame.parentElement && frame.parentElement.closest("[role=region][aria-label]");
    return region ? region.getAttribute("aria-label") : "";
  }

  function markScrollRegions() {
    var frames = document.querySelectorAll(
      "#changelist .results, .inline-group, .inline-group .wrapper, #change-history"
    );
    frames.forEach(function (frame) {
      var style = window.getComputedStyle(frame);
      var scrolls = /(auto|scroll)/.test(style.overflowX) &&
        frame.scrollWidth > frame.clientWidth + 1;
      if (scrolls) {
        frame.setAttribute("tabindex", "0");
        frame.setAttribute("data-scroll-region", "");
        var name = nameOf(frame);
        if (name) {
          frame.setAttribute("role", name === enclosingRegionName(frame) ? "group" : "region");
          frame.setAttribute("aria-label", name);
        }
      } else if (frame.hasAttribute("data-scroll-region")) {
        ["tabindex", "role", "aria-label", "data-scroll-region"].forEach(function (name) {
          frame.removeAttribute(name);
        });
      }
    });
  }

  function update() {
    nameTabularFields();
    nameAutocompleteFields();
    nameHelpIcons();
    nameEmptyHeaders();
    markScrollRegions();
    document.documentElement.setAttribute("data-admin-a11y", "ready");
  }

  // The admin's scripts set up Select2 when the document is ready and the "filter
  // horizontal" boxes at "load": this runs after both, and again for each added inline row.
  window.addEventListener("load", function () {
    window.setTimeout(update);
  });
  window.addEventListener("resize", markScrollRegions);
  document.addEventListener("formset:added", function () {
    window.setTimeout(update);
  });
})();
