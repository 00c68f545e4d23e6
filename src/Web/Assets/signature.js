// The signature pad of desk enrolment: the client signs on the tablet with a finger, a pen or a mouse. Pointer events
// cover all three; the canvas has touch-action: none (site.css) so a stroke draws instead of scrolling the page.
// After each stroke the drawing is written, as a PNG data URL, into the hidden input the canvas names.
(function () {
  'use strict';

  function pad(canvas) {
    var input = document.getElementById(canvas.dataset.signatureInput);
    var context = canvas.getContext('2d');
    var drawing = false;
    var drawn = false;

    // The bitmap matches the box it is shown in (and the screen's density, up to the 2000 pixels a side the server
    // accepts), so strokes land under the finger.
    function fit() {
      var box = canvas.getBoundingClientRect();
      var ratio = Math.min(window.devicePixelRatio || 1, 1600 / Math.max(box.width, box.height, 1));
      canvas.width = Math.max(1, Math.round(box.width * ratio));
      canvas.height = Math.max(1, Math.round(box.height * ratio));
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.lineWidth = 2.5;
      context.lineCap = 'round';
      context.lineJoin = 'round';
      context.strokeStyle = '#1a1a2e';
    }

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }

    function clear() {
      context.clearRect(0, 0, canvas.width, canvas.height);
      drawn = false;
      input.value = '';
    }

    canvas.addEventListener('pointerdown', function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      drawing = true;
      var at = point(event);
      context.beginPath();
      context.moveTo(at.x, at.y);
      // A tap is a dot: draw it so a one-touch initial still shows.
      context.lineTo(at.x + 0.1, at.y + 0.1);
      context.stroke();
    });
    canvas.addEventListener('pointermove', function (event) {
      if (!drawing) {
        return;
      }
      event.preventDefault();
      var at = point(event);
      context.lineTo(at.x, at.y);
      context.stroke();
      drawn = true;
    });
    function end() {
      if (!drawing) {
        return;
      }
      drawing = false;
      if (drawn) {
        input.value = canvas.toDataURL('image/png');
      }
    }
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);

    var clearButton = document.querySelector('[data-signature-clear="' + canvas.id + '"]');
    if (clearButton) {
      clearButton.addEventListener('click', clear);
    }
    fit();
  }

  Array.prototype.forEach.call(document.querySelectorAll('canvas[data-signature-input]'), pad);
})();
