// The compose form's recipient rows, in place: "Add another recipient" and "Remove" work without
// a round trip, and several addresses pasted into one field become one row each. Without this
// script both buttons post the form and the server re-renders it with the rows changed.
(function () {
  'use strict';

  var list = document.getElementById('recipient-list');
  var addButton = document.getElementById('add-recipient');
  if (!list || !addButton) return;
  var limitNote = document.getElementById('recipient-limit');
  var pasteNote = document.getElementById('recipient-paste-note');
  var max = Number(list.getAttribute('data-max-recipients')) || 1;
  var ADDRESS = /[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>"]+/g;

  function rows() {
    return Array.prototype.slice.call(list.querySelectorAll('.recipient-row'));
  }

  // Ids, labels and button values follow each row's place, as the server numbers them.
  function renumber() {
    var all = rows();
    all.forEach(function (row, i) {
      var legend = row.querySelector('.recipient-title');
      if (legend) legend.textContent = 'Recipient ' + (i + 1);
      ['name', 'email'].forEach(function (part) {
        var input = row.querySelector('input[name="recipient' + capital(part) + '"]');
        var label = input && row.querySelector('label[for="' + input.id + '"]');
        var error = input && document.getElementById(input.id + '-error');
        var id = 'recipients-' + i + '-' + part;
        if (error) error.id = id + '-error';
        if (input) {
          input.id = id;
          if (error) input.setAttribute('aria-describedby', id + '-error');
        }
        if (label) label.htmlFor = id;
      });
      var remove = row.querySelector('.recipient-remove');
      if (remove) {
        remove.value = 'remove-recipient-' + i;
        remove.setAttribute('aria-label', 'Remove recipient ' + (i + 1));
        remove.hidden = all.length < 2;
      }
    });
    addButton.hidden = all.length >= max;
    if (limitNote) limitNote.hidden = all.length < max;
  }

  function capital(word) {
    return word.charAt(0).toUpperCase() + word.slice(1);
  }

  // A copy of the last row with its values and any error taken out.
  function addRow() {
    var all = rows();
    if (all.length >= max) return null;
    var row = all[all.length - 1].cloneNode(true);
    row.classList.remove('has-error');
    Array.prototype.forEach.call(row.querySelectorAll('.field-error'), function (p) {
      p.parentNode.removeChild(p);
    });
    Array.prototype.forEach.call(row.querySelectorAll('.has-error'), function (el) {
      el.classList.remove('has-error');
    });
    Array.prototype.forEach.call(row.querySelectorAll('input'), function (input) {
      input.value = '';
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
    });
    list.appendChild(row);
    renumber();
    return row;
  }

  addButton.addEventListener('click', function (event) {
    event.preventDefault();
    var row = addRow();
    if (row) row.querySelector('input').focus();
  });

  list.addEventListener('click', function (event) {
    var remove = event.target.closest ? event.target.closest('.recipient-remove') : null;
    if (!remove) return;
    event.preventDefault();
    var row = remove.closest('.recipient-row');
    var all = rows();
    if (!row || all.length < 2) return;
    var next = all[all.indexOf(row) + 1] || all[all.indexOf(row) - 1];
    row.parentNode.removeChild(row);
    renumber();
    if (next) next.querySelector('input').focus();
  });

  // Several addresses pasted into one email field: one per row, as far as the site allows.
  list.addEventListener('paste', function (event) {
    var field = event.target;
    if (!field.classList || !field.classList.contains('recipient-email')) return;
    var text = event.clipboardData ? event.clipboardData.getData('text') : '';
    var addresses = text.match(ADDRESS) || [];
    if (addresses.length < 2) return;
    event.preventDefault();
    var all = rows();
    var start = all.indexOf(field.closest('.recipient-row'));
    var placed = 0;
    for (var i = start; placed < addresses.length; i++) {
      var row = rows()[i] || addRow();
      if (!row) break;
      var email = row.querySelector('.recipient-email');
      if (i !== start && email.value.trim() !== '') continue;
      email.value = addresses[placed];
      placed++;
    }
    if (pasteNote) {
      var left = addresses.length - placed;
      pasteNote.textContent =
        'Added ' +
        placed +
        (placed === 1 ? ' address' : ' addresses') +
        ', one per recipient.' +
        (left > 0 ? ' ' + left + ' more did not fit: a card can go to ' + max + ' people.' : '');
      pasteNote.hidden = false;
    }
  });

  // After a refused send, start where the problems are listed.
  var summary = document.getElementById('error-summary');
  if (summary) summary.focus();
})();
