// The compose form's live preview: the message in the chosen hand and ink, as the recipient
// will read it, updated as the sender types. Without this script the "Preview" button shows
// the same on a page of its own.
(function () {
  'use strict';

  var panel = document.getElementById('live-preview');
  var message = document.getElementById('message');
  var shown = document.getElementById('live-preview-message');
  var from = document.getElementById('live-preview-from');
  var senderName = document.getElementById('senderName');
  var form = message && message.form;
  if (!panel || !message || !shown || !form) return;

  function chosen(name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : '';
  }

  function update() {
    // textContent, never markup: the preview shows what was typed, as the pickup page does.
    shown.textContent = message.value;
    shown.className = 'message font-' + chosen('font') + ' ink-' + chosen('ink');
    if (from) from.textContent = senderName && senderName.value ? 'From ' + senderName.value : '';
  }

  form.addEventListener('input', update);
  form.addEventListener('change', update);
  panel.hidden = false;
  update();
})();
