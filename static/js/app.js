// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Forms marked data-confirm ask before submitting (disable, revoke…). A
  // yes adds confirm=1, which spares the server's own confirmation page.
  document.addEventListener("submit", function (ev) {
    var f = ev.target;
    if (!f || !f.dataset || !f.dataset.confirm) {
      return;
    }
    if (!window.confirm(f.dataset.confirm)) {
      ev.preventDefault();
      return;
    }
    if (!f.querySelector('input[name="confirm"]')) {
      var c = document.createElement("input");
      c.type = "hidden";
      c.name = "confirm";
      c.value = "1";
      f.appendChild(c);
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
  // Live clocks (工单 first-response deadlines): a counting clock carries
  // its business seconds left; while the reception calendar is open
  // (data-ticking="1") it counts down here, turning to warning and breached
  // at its thresholds. The server's figure wins at every refresh.
  // The same two-unit span as views.Remaining, from the clock's patterns.
  function span(el, secs) {
    var a, b, unit;
    if (secs >= 86400) { a = Math.floor(secs / 86400); b = String(Math.floor(secs % 86400 / 3600)); unit = "dh"; }
    else if (secs >= 3600) { a = Math.floor(secs / 3600); b = String(Math.floor(secs % 3600 / 60)); unit = "hm"; }
    else { a = Math.floor(secs / 60); b = (secs % 60 < 10 ? "0" : "") + (secs % 60); unit = "ms"; }
    return (el.getAttribute("data-fmt-" + unit) || "").replace("{a}", String(a)).replace("{b}", b);
  }
  function fill(el, which, secs) {
    return (el.getAttribute("data-fmt-" + which) || "").replace("{t}", span(el, secs));
  }
  function tickClocks() {
    var els = document.querySelectorAll('[data-testid="clock"][data-ticking="1"]');
    for (var i = 0; i < els.length; i++) {
      var el = els[i], left = parseInt(el.getAttribute("data-left"), 10) - 1;
      var warn = parseInt(el.getAttribute("data-warn"), 10);
      if (isNaN(left)) { continue; }
      el.setAttribute("data-left", String(left));
      var status = left <= 0 ? "breached" : (left <= warn ? "warning" : "running");
      if (status !== el.getAttribute("data-status")) {
        el.setAttribute("data-status", status);
        el.classList.remove("info", "warn", "bad");
        el.classList.add(status === "breached" ? "bad" : (status === "warning" ? "warn" : "info"));
        var label = el.querySelector(".clock-label");
        if (label) { label.textContent = el.getAttribute("data-label-" + status) || label.textContent; }
      }
      var t = el.querySelector(".clock-time");
      if (t) {
        t.textContent = left > 0 ? fill(el, "left", left) : fill(el, "over", -left);
      }
    }
  }
  if (document.querySelector('[data-testid="clock"]')) {
    setInterval(tickClocks, 1000);
  }
  // Regions marked data-live-region refresh from the server every 30 s
  // (the ticket list, a ticket's facts, the to-do board's clocks).
  function refreshRegions() {
    if (!document.querySelector("[data-live-region]") || !window.fetch || !window.DOMParser) {
      return;
    }
    setTimeout(function () {
      fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (r) {
          if (!r.ok) { throw new Error("HTTP " + r.status); }
          return r.text();
        })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var olds = document.querySelectorAll("[data-live-region]");
          for (var i = 0; i < olds.length; i++) {
            var name = olds[i].getAttribute("data-live-region");
            var fresh = doc.querySelector('[data-live-region="' + name + '"]');
            if (fresh) {
              olds[i].replaceWith(document.importNode(fresh, true));
            } else {
              olds[i].remove(); // e.g. the board's last clock was answered
            }
          }
          refreshRegions();
        })
        .catch(function () { /* offline or signed out: stop; a reload starts again */ });
    }, 30000);
  }
  refreshRegions();
})();
