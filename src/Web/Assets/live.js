/*
 * Live balances and status on staff pages, over SignalR (/hubs/live). Loaded by the staff layout after
 * /assets/lib/signalr.min.js; no framework.
 *
 * Attributes pages render (the one place they are documented):
 *   data-live-member="mem_…"       an element showing a member; watched on load and after every reconnect.
 *     data-live-version="N"        optional, on the same element: the snapshot version it was rendered from.
 *     data-live-balance="<key>"    a descendant showing a balance (benefit key, e.g. units:neurotoxin, dollars:facial):
 *                                  its text becomes the remaining units ("2") or money ("$50.00").
 *     data-live-expiry="<key>"     a descendant showing when that balance first lapses: "yyyy-mm-dd hh:mm UTC", "rolls over", or empty.
 *     data-live-status             a descendant showing the membership status: text "Past due", class "status past_due".
 *   data-live-location="loc_…"     an element showing a location; its schedule changes dispatch the DOM event
 *                                  "medspa:schedule-changed" (detail {locationId, date: "yyyy-mm-dd"}) on document
 *                                  and on that element.
 * Every snapshot also dispatches "medspa:member-changed" (detail: the snapshot) on document, for pages showing more.
 * Changed elements get the class live-flash for a moment. While disconnected, a badge (class offline) shows.
 * window.medspaLive.watchMember(id) / watchLocation(id) watch elements a page adds later.
 */
(function () {
  "use strict";
  if (typeof signalR === "undefined") { return; }

  var shown = {};        // memberId -> highest snapshot version applied
  var members = {};      // memberId -> true, everything this page watches
  var locations = {};    // locationId -> true
  var badge = null;
  var stopped = false;

  function scan() {
    document.querySelectorAll("[data-live-member]").forEach(function (el) {
      var id = el.getAttribute("data-live-member");
      members[id] = true;
      var rendered = parseInt(el.getAttribute("data-live-version") || "0", 10);
      if (rendered > (shown[id] || 0)) { shown[id] = rendered; }
    });
    document.querySelectorAll("[data-live-location]").forEach(function (el) {
      locations[el.getAttribute("data-live-location")] = true;
    });
  }

  // As the desk writes money (MemberFormat.Amount): "50.00 USD".
  function money(minor, currency) { return (minor / 100).toFixed(2) + " " + currency.toUpperCase(); }

  function remaining(benefit) { return benefit.currency ? money(benefit.remaining, benefit.currency) : String(benefit.remaining); }

  // As the desk writes it (MemberFormat.Expiry): "2027-01-31 14:00 UTC", "rolls over" (something left that never
  // lapses), or nothing.
  function expiry(benefit) {
    if (!benefit.soonestExpiry) { return benefit.remaining > 0 ? "rolls over" : ""; }
    var iso = new Date(benefit.soonestExpiry).toISOString();
    return iso.slice(0, 10) + " " + iso.slice(11, 16) + " UTC";
  }

  // As the desk writes it (MemberFormat.Status): "past_due" -> "Past due", "none" -> "Not a member".
  function statusWords(status) {
    if (status === "none") { return "Not a member"; }
    var words = status.replace(/_/g, " ");
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  function set(el, text) {
    if (el.textContent === text) { return; }
    el.textContent = text;
    el.classList.remove("live-flash");
    void el.offsetWidth; // restarts the animation when the same element changes twice in a row
    el.classList.add("live-flash");
  }

  function apply(snapshot) {
    if (!snapshot || snapshot.version < (shown[snapshot.memberId] || 0)) { return; }
    shown[snapshot.memberId] = snapshot.version;
    var byKey = {};
    snapshot.benefits.forEach(function (b) { byKey[b.key] = b; });
    document.querySelectorAll('[data-live-member="' + CSS.escape(snapshot.memberId) + '"]').forEach(function (root) {
      root.setAttribute("data-live-version", String(snapshot.version));
      root.querySelectorAll("[data-live-balance]").forEach(function (el) {
        var b = byKey[el.getAttribute("data-live-balance")];
        // A balance gone from the snapshot is spent: nothing left, in the unit the page shows it in.
        var shownCurrency = /\s([A-Z]{3})$/.exec(el.textContent.trim());
        set(el, b ? remaining(b) : (shownCurrency ? money(0, shownCurrency[1]) : "0"));
      });
      root.querySelectorAll("[data-live-expiry]").forEach(function (el) {
        var b = byKey[el.getAttribute("data-live-expiry")];
        set(el, b ? expiry(b) : "");
      });
      root.querySelectorAll("[data-live-status]").forEach(function (el) {
        el.className = "status " + snapshot.status;
        set(el, statusWords(snapshot.status));
      });
    });
    document.dispatchEvent(new CustomEvent("medspa:member-changed", { detail: snapshot }));
  }

  function offline(on) {
    if (on && !badge) {
      badge = document.createElement("div");
      badge.className = "offline";
      badge.setAttribute("role", "status");
      badge.textContent = "offline: reconnecting…";
      document.body.appendChild(badge);
    } else if (!on && badge) {
      badge.remove();
      badge = null;
    }
  }

  var connection = new signalR.HubConnectionBuilder()
    // WebSockets without negotiation: one request, so behind a load balancer over several silos the connection can
    // land on any node (no sticky sessions), and whatever node it lands on is pushed every change.
    .withUrl("/hubs/live", { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
    // Keeps trying for as long as the page is open: a desk screen stays up all day.
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: function (ctx) { return Math.min(1000 * Math.pow(2, ctx.previousRetryCount), 10000); } })
    .build();

  connection.on("memberChanged", apply);
  connection.on("scheduleChanged", function (change) {
    var detail = { locationId: change.locationId, date: change.date };
    document.querySelectorAll('[data-live-location="' + CSS.escape(change.locationId) + '"]').forEach(function (el) {
      el.dispatchEvent(new CustomEvent("medspa:schedule-changed", { detail: detail }));
    });
    document.dispatchEvent(new CustomEvent("medspa:schedule-changed", { detail: detail }));
  });

  function watchMember(id) {
    members[id] = true;
    if (connection.state !== signalR.HubConnectionState.Connected) { return Promise.resolve(); }
    return connection.invoke("WatchMember", id).then(apply, function (e) { console.warn("live: cannot watch " + id, e); });
  }

  function watchLocation(id) {
    locations[id] = true;
    if (connection.state !== signalR.HubConnectionState.Connected) { return Promise.resolve(); }
    return connection.invoke("WatchLocation", id).catch(function (e) { console.warn("live: cannot watch " + id, e); });
  }

  // (Re)joins every group; the snapshots each watch answers are the catch-up on what happened while away.
  function watchAll() {
    offline(false);
    return Promise.all(Object.keys(members).map(watchMember).concat(Object.keys(locations).map(watchLocation)));
  }

  connection.onreconnecting(function () { offline(true); });
  connection.onreconnected(watchAll);
  // Automatic reconnect gives up on the first start and after its schedule: start over, for ever.
  connection.onclose(function () { if (!stopped) { offline(true); setTimeout(start, 5000); } });

  function start() {
    return connection.start().then(watchAll, function () { if (!stopped) { offline(true); setTimeout(start, 3000); } });
  }

  window.medspaLive = {
    watchMember: watchMember,
    watchLocation: watchLocation,
    get connected() { return connection.state === signalR.HubConnectionState.Connected; },
    /** Stops the connection (tests, or a page going away); it is not restarted. */
    stop: function () { stopped = true; return connection.stop(); },
  };

  scan();
  start();
})();
