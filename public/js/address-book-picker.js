// The compose form's address book, in place: "Add to recipients" fills empty rows (and adds
// rows through compose.js's own button) with the ticked people and groups, without posting the
// form. Without this script the button posts the form and the server fills the rows.
(function () {
  'use strict';

  var button = document.getElementById('add-contacts');
  var list = document.getElementById('recipient-list');
  var addRow = document.getElementById('add-recipient');
  if (!button || !list || !addRow) return;
  var picker = document.getElementById('address-book');

  function each(selector, fn) {
    Array.prototype.forEach.call(picker.querySelectorAll(selector), fn);
  }

  function rows() {
    return Array.prototype.slice.call(list.querySelectorAll('.recipient-row'));
  }

  function inputsOf(row) {
    return {
      name: row.querySelector('input[name="recipientName"]'),
      email: row.querySelector('input[name="recipientEmail"]'),
    };
  }

  // The first row with nothing typed in it, or a new one; null when the card is full.
  function emptyRow() {
    var blank = rows().filter(function (row) {
      var inputs = inputsOf(row);
      return inputs.name.value.trim() === '' && inputs.email.value.trim() === '';
    })[0];
    if (blank) return blank;
    var before = rows().length;
    addRow.click();
    var all = rows();
    return all.length > before ? all[all.length - 1] : null;
  }

  button.addEventListener('click', function (event) {
    event.preventDefault();
    var wanted = {};
    each('input[name="pickGroup"]:checked', function (group) {
      (group.getAttribute('data-members') || '').split(' ').forEach(function (id) {
        if (id) wanted[id] = true;
      });
    });
    each('input[name="pickContact"]:checked', function (contact) {
      wanted[contact.value] = true;
    });
    var present = {};
    rows().forEach(function (row) {
      present[inputsOf(row).email.value.trim().toLowerCase()] = true;
    });
    each('input[name="pickContact"]', function (contact) {
      var email = contact.getAttribute('data-email') || '';
      if (!wanted[contact.value] || present[email.toLowerCase()]) return;
      var row = emptyRow();
      if (!row) return;
      var inputs = inputsOf(row);
      inputs.name.value = contact.getAttribute('data-name') || '';
      inputs.email.value = email;
      present[email.toLowerCase()] = true;
    });
    each('input[type="checkbox"]', function (box) {
      box.checked = false;
    });
    picker.open = false;
  });
})();
