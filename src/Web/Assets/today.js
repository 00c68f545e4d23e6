// The day's schedule at the desk stays current: when live.js says this location's day changed (a booking from the
// portal, another desk, an external system), the table is fetched again and swapped in place, so forms being filled
// in elsewhere on the page are left alone. New clients in it are watched for live balances.
(function () {
  "use strict";
  var root = document.querySelector(".today[data-live-location][data-date]");
  if (!root) { return; }

  var refreshing = null;
  root.addEventListener("medspa:schedule-changed", function (e) {
    if (e.detail.date !== root.getAttribute("data-date")) { return; }
    // Several changes in a burst (a move is a removal and a placement) need one fetch.
    if (refreshing) { return; }
    refreshing = setTimeout(refresh, 150);
  });

  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("table.schedule tbody");
        var current = root.querySelector("table.schedule tbody");
        if (fresh && current) {
          current.replaceWith(document.importNode(fresh, true));
          root.querySelectorAll("[data-live-member]").forEach(function (el) {
            if (window.medspaLive) { window.medspaLive.watchMember(el.getAttribute("data-live-member")); }
          });
        }
      })
      .catch(function (e) { console.warn("today: could not refresh the schedule", e); })
      .then(function () { refreshing = null; });
  }
})();
