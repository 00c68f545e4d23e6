// The plan editor's rows: add a benefit or add-on line from its template, remove one, and keep the indexes in the
// field names contiguous (Form.Benefits[0], [1], ...) because the server binds lists by position.
(function () {
  'use strict';

  function renumber(tbody) {
    Array.prototype.forEach.call(tbody.rows, function (row, index) {
      row.querySelectorAll('[name]').forEach(function (field) {
        field.name = field.name.replace(/\[(\d+|__i__)\]/, '[' + index + ']');
      });
    });
  }

  document.addEventListener('click', function (event) {
    var add = event.target.closest('[data-add-row]');
    if (add) {
      var tbody = document.querySelector('table[data-rows="' + add.dataset.addRow + '"] tbody');
      var template = document.getElementById(add.dataset.template);
      tbody.appendChild(template.content.cloneNode(true));
      renumber(tbody);
      tbody.rows[tbody.rows.length - 1].querySelector('select, input').focus();
      return;
    }

    var remove = event.target.closest('[data-remove-row]');
    if (remove) {
      var body = remove.closest('tbody');
      remove.closest('tr').remove();
      renumber(body);
    }
  });
})();
