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
})();
