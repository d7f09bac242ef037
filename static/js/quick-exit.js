/*
 * Quick exit ("Leave this site"). Without JavaScript the link simply opens the neutral site.
 * With it, a click, Enter on the focused link, or pressing Shift three times in a row blanks
 * this page at once and replaces it in the history with the neutral site, so the Back button
 * does not lead straight back here. On the way out it also ends the session (a POST to the
 * quick-exit address with the CSRF token, sent with keepalive so it outlives the page): a
 * portal page that Back reaches further down the history is fetched again (signed-in pages
 * are never stored) and shows only the sign-in page.
 */
(function () {
  "use strict";

  var SHIFT_PRESSES = 3;
  var WINDOW_MS = 5000; // the three presses must fall within this time

  var link = document.querySelector("[data-quick-exit]");
  if (!link) {
    return;
  }
  var destination = link.href;
  var endUrl = link.getAttribute("data-quick-exit-end");
  var token = link.getAttribute("data-quick-exit-token");
  var leaving = false;

  function endSession() {
    if (!endUrl || !token) {
      return;
    }
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    try {
      if (navigator.sendBeacon && navigator.sendBeacon(endUrl, body)) {
        return;
      }
    } catch (error) {
      // fall through to fetch
    }
    try {
      fetch(endUrl, { method: "POST", body: body, credentials: "same-origin", keepalive: true });
    } catch (error) {
      // leaving matters more than signing out
    }
  }

  function leave() {
    if (leaving) {
      return;
    }
    leaving = true;
    endSession();
    document.documentElement.classList.add("quick-exit-leaving");
    document.title = "";
    if (document.body) {
      document.body.replaceChildren();
    }
    window.location.replace(destination);
  }

  // Enter on a focused link fires "click" too.
  link.addEventListener("click", function (event) {
    event.preventDefault();
    leave();
  });

  var presses = 0;
  var firstPressAt = 0;
  document.addEventListener(
    "keydown",
    function (event) {
      if (event.key !== "Shift") {
        presses = 0; // another key between presses breaks the sequence
        return;
      }
      if (event.repeat) {
        return; // holding Shift down counts once
      }
      var now = Date.now();
      if (presses === 0 || now - firstPressAt > WINDOW_MS) {
        presses = 0;
        firstPressAt = now;
      }
      presses += 1;
      if (presses >= SHIFT_PRESSES) {
        presses = 0;
        leave();
      }
    },
    true
  );
})();
