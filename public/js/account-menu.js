// The personal part of every page: the pages themselves are one cached copy for everyone, so
// who is signed in is asked here, after the page, from a private endpoint no cache keeps.
(function () {
  function showFavourite(me) {
    var form = document.getElementById('favourite-form');
    if (!form) return;
    var starred = me.favourites.indexOf(form.elements.card.value) !== -1;
    var button = document.getElementById('favourite-button');
    button.value = starred ? 'remove' : 'add';
    button.textContent = starred ? '★ In your favourites' : '☆ Save to favourites';
    button.setAttribute('aria-pressed', starred ? 'true' : 'false');
    form.elements._csrf.value = me.csrf;
    form.hidden = false;
  }
  var menu = document.getElementById('account-menu');
  if (!menu || !window.fetch) return;
  fetch(menu.getAttribute('data-me'), {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
    cache: 'no-store',
  })
    .then(function (res) {
      return res.ok ? res.json() : null;
    })
    .then(function (me) {
      if (!me || !me.signedIn) return;
      var link = document.createElement('a');
      link.href = me.accountUrl;
      link.id = 'account-menu-link';
      // textContent, never markup: a name is whatever its member typed.
      link.textContent = 'Hello, ' + me.name;
      menu.replaceChildren(link);
      menu.setAttribute('data-signed-in', '');
      showFavourite(me);
    })
    .catch(function () {
      // Signed out look is the page as cached: nothing to undo.
    });
})();
