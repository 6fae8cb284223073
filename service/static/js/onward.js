/* Onward pages: the quick exit, and keeping <html lang/dir> right after htmx swaps.
   External on purpose: the CSP allows no inline script. */
(function () {
  "use strict";

  function endSession() {
    // Sign out on the way out, so forward or a reopened tab does not find her signed in.
    var form = document.querySelector('form[action="/logout"]');
    if (!form || !navigator.sendBeacon) { return; }
    // URL-encoded like an ordinary form post (FormData would send multipart).
    var body = new URLSearchParams(new FormData(form));
    try { navigator.sendBeacon("/logout", body); } catch (ignored) { /* leave anyway */ }
  }

  function leave(url) {
    endSession();
    document.title = "";
    document.body.textContent = "";
    // replace(): the current entry is overwritten, so Back does not return to this page.
    window.location.replace(url);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-quick-exit]") : null;
    if (!link) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    leave(link.getAttribute("data-quick-exit"));
  }, true);

  // Escape twice within a second also leaves: quicker than finding the button.
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var link = document.querySelector("[data-quick-exit]");
    var now = Date.now();
    if (link && now - lastEscape < 1000) { leave(link.getAttribute("data-quick-exit")); }
    lastEscape = now;
  });

  // A boosted navigation swaps the body only: carry the new page's language to <html>.
  document.addEventListener("htmx:afterSettle", function () {
    var page = document.getElementById("page");
    if (!page) { return; }
    document.documentElement.setAttribute("lang", page.getAttribute("lang") || "en");
    document.documentElement.setAttribute("dir", page.getAttribute("dir") || "ltr");
  });
}());

/* A permission's period shortcuts (30, 90, 180, 365 days) fill its "until" date. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var shortcut = event.target;
    if (!shortcut.matches || !shortcut.matches("input[data-until-days]")) { return; }
    var until = shortcut.form && shortcut.form.querySelector('input[name="until"]');
    if (!until) { return; }
    var day = new Date();
    day.setDate(day.getDate() + parseInt(shortcut.getAttribute("data-until-days"), 10));
    until.value = day.toISOString().slice(0, 10);
  });
})();
