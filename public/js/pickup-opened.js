// Tells the site that a person has the card in front of them: a mail scanner that fetches the
// link without running the page never sends this. Without JavaScript the same form is a button.
(function () {
  var form = document.getElementById('pickup-opened');
  if (!form) return;
  function send() {
    if (document.visibilityState !== 'visible' || form.getAttribute('data-sent')) return;
    form.setAttribute('data-sent', '1');
    fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
      // The page's own policy is no-referrer, which would make the browser send Origin: null.
      referrerPolicy: 'same-origin',
      redirect: 'manual',
    })
      .then(function (res) {
        // 202: seen but not counted (the email is not delivered yet); nothing to send again.
        if (res.status === 204) form.hidden = true;
        else if (res.status !== 202) form.removeAttribute('data-sent');
      })
      .catch(function () {
        form.removeAttribute('data-sent');
      });
  }
  document.addEventListener('visibilitychange', send);
  send();
})();
