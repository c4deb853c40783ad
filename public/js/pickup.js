// The pickup page's moment: a card not yet opened waits in its envelope until the person opens
// it. That press is also how the site learns a person has the card in front of them: a mail
// scanner that fetches the link without running the page never sends it. Without JavaScript
// the card is shown at once and the same form is a plain button.
(function () {
  var article = document.getElementById('pickup');
  var form = document.getElementById('pickup-opened');
  if (!article || !form) return;
  var card = document.getElementById('pickup-card');
  var envelope = article.querySelector('.envelope');
  var revealed = false;

  function record() {
    if (form.getAttribute('data-sent')) return;
    form.setAttribute('data-sent', '1');
    fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
      // The page's own policy would make the browser send Origin: null.
      referrerPolicy: 'same-origin',
      redirect: 'manual',
    })
      .then(function (res) {
        // 202: seen but not counted (the email is not delivered yet): the next visit tries again.
        if (res.status !== 204 && res.status !== 202) form.removeAttribute('data-sent');
      })
      .catch(function () {
        form.removeAttribute('data-sent');
      });
  }

  function reveal() {
    if (revealed) return;
    revealed = true;
    article.classList.remove('is-sealed', 'is-opening');
    article.classList.add('is-open');
    form.hidden = true;
    // Screen readers and keyboards go on from the card itself, not from a button now gone.
    if (card) card.focus();
  }

  function open(event) {
    event.preventDefault();
    record();
    var still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (still || !envelope) {
      reveal();
      return;
    }
    article.classList.add('is-opening');
    envelope.addEventListener('animationend', function (e) {
      if (e.animationName === 'envelope-away') reveal();
    });
    // Should the animation never end (a hidden tab), the card is shown all the same.
    window.setTimeout(reveal, 2000);
  }

  if (article.classList.contains('pickup-sealable')) article.classList.add('is-sealed');
  form.addEventListener('submit', open);
})();
