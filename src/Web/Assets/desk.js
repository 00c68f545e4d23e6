// The front desk's pages. A form marked "once" is sent once: its button is disabled as it goes, so a double click
// is one request. The server does not rely on this (each such form carries its own idempotency id); it only spares
// the desk a second round trip and a confusing second answer.
(function () {
  'use strict';
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains('once')) {
      return;
    }
    if (form.dataset.sent === 'true') {
      event.preventDefault();
      return;
    }
    form.dataset.sent = 'true';
    Array.prototype.forEach.call(form.querySelectorAll('button[type=submit]'), function (button) {
      button.disabled = true;
    });
  });
})();
