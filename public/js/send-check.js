// The compose form's proof-of-work, done in the background when the server says this
// connection must show it (many cards sent from it just now): on "Send card" the script asks
// for a challenge, finds the counter the server picked (ALTCHA's PBKDF2 challenge, with
// WebCrypto) and sends it with the form. A person sees only a short "Checking" note. Without
// this script, or if the check fails, the server asks one of its questions instead.
(function () {
  'use strict';

  var form = document.querySelector('form[data-send-challenge]');
  if (!form || !window.fetch || !window.crypto || !window.crypto.subtle) return;
  var status = document.getElementById('send-check-status');
  // Far past any counter the server picks: a challenge that cannot be solved is given up.
  var MAX_COUNTER = 1000000;
  var checked = false;

  function bytes(hex) {
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
    return out;
  }

  function hex(buffer) {
    return Array.prototype.map
      .call(buffer, function (b) {
        return (b < 16 ? '0' : '') + b.toString(16);
      })
      .join('');
  }

  function startsWith(key, prefix) {
    for (var i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
    return true;
  }

  // Tries counters from 0 until the derived key starts with the challenge's prefix.
  function solve(challenge) {
    var p = challenge.parameters;
    var nonce = bytes(p.nonce);
    var salt = bytes(p.salt);
    var prefix = bytes(p.keyPrefix);
    var password = new Uint8Array(nonce.length + 4);
    password.set(nonce, 0);
    var view = new DataView(password.buffer);
    var params = { name: 'PBKDF2', salt: salt, iterations: p.cost, hash: p.algorithm.slice(7) };

    function attempt(counter) {
      if (counter > MAX_COUNTER) return Promise.reject(new Error('no solution'));
      view.setUint32(nonce.length, counter);
      return window.crypto.subtle
        .importKey('raw', password, 'PBKDF2', false, ['deriveBits'])
        .then(function (key) {
          return window.crypto.subtle.deriveBits(params, key, p.keyLength * 8);
        })
        .then(function (bits) {
          var key = new Uint8Array(bits);
          if (startsWith(key, prefix)) return { counter: counter, derivedKey: hex(key) };
          return attempt(counter + 1);
        });
    }
    return attempt(0);
  }

  // The solution field's value, or '' when this connection need not show any work.
  function check() {
    return fetch('/send-challenge', {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    })
      .then(function (response) {
        if (!response.ok) throw new Error('challenge ' + response.status);
        return response.json();
      })
      .then(function (answer) {
        if (!answer.required) return '';
        if (status) {
          status.textContent = 'Checking your browser before sending. This takes a moment.';
          status.hidden = false;
        }
        return solve(answer.challenge).then(function (solution) {
          return window.btoa(JSON.stringify({ challenge: answer.challenge, solution: solution }));
        });
      });
  }

  function field() {
    var input = form.querySelector('input[name="altcha"]');
    if (!input) {
      input = document.createElement('input');
      input.type = 'hidden';
      input.name = 'altcha';
      form.appendChild(input);
    }
    return input;
  }

  form.addEventListener('submit', function (event) {
    var submitter = event.submitter;
    // Adding or removing a recipient row is not sending.
    if (checked || (submitter && submitter.value !== 'send')) return;
    event.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;
    form.setAttribute('aria-busy', 'true');
    check()
      .then(
        function (value) {
          field().value = value;
        },
        function () {
          // Sent without: the server asks its question instead.
        },
      )
      .then(function () {
        form.removeAttribute('aria-busy');
        // The submit event this fires passes through; a later one (a page kept in the
        // back-forward cache) checks again.
        checked = true;
        if (form.requestSubmit && submitter) form.requestSubmit(submitter);
        else form.submit();
        checked = false;
      });
  });
})();
