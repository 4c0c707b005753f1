// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Forms marked data-confirm ask before submitting (disable, role change…).
  document.addEventListener("submit", function (ev) {
    var f = ev.target;
    if (f && f.dataset && f.dataset.confirm && !window.confirm(f.dataset.confirm)) {
      ev.preventDefault();
    }
  });
  // Selects marked data-autosubmit submit their form on change.
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el && el.dataset && el.dataset.autosubmit !== undefined && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });
  // The export history (导出记录) refreshes itself while a file is being
  // generated: every 2 s it fetches the page again and swaps in the new table,
  // until no row is running.
  var sel = '[data-testid="exports-table"]';
  function pollExports() {
    var cur = document.querySelector(sel);
    if (!cur || !cur.hasAttribute("data-refresh") || !window.fetch || !window.DOMParser) {
      return;
    }
    setTimeout(function () {
      fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (r) {
          if (!r.ok) { throw new Error("HTTP " + r.status); }
          return r.text();
        })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(sel);
          var now = document.querySelector(sel);
          if (fresh && now) {
            now.replaceWith(document.importNode(fresh, true));
          }
          pollExports();
        })
        .catch(function () { /* offline or signed out: stop; a reload starts again */ });
    }, 2000);
  }
  pollExports();
})();
