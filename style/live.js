// The live screen (/q/{code}/direct) refreshes its figures by itself where script runs:
// every few seconds it reads the same page again and swaps in its #total and #chiffres
// blocks, so the screen never flickers and the QR code stays put. Without script, the page works as
// it is (and reloads itself with ?auto=1). With ?auto=1 the page already reloads itself;
// with ?auto=0 someone asked it to stop: then this does nothing.
(function () {
  'use strict';

  var figures = document.getElementById('chiffres');
  if (!figures || new URLSearchParams(window.location.search).has('auto')) {
    return;
  }
  var seconds = Number(figures.getAttribute('data-secondes')) || 15;
  var running = document.getElementById('mise-a-jour-en-cours');
  var manual = document.getElementById('mise-a-jour-manuelle');
  if (running) running.hidden = false;
  if (manual) manual.hidden = true;

  function refresh() {
    fetch(window.location.href, { cache: 'no-store', credentials: 'same-origin' })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        var page = new DOMParser().parseFromString(html, 'text/html');
        ['total', 'chiffres'].forEach(function (id) {
          var fresh = page.getElementById(id);
          var shown = document.getElementById(id);
          if (fresh && shown) shown.replaceWith(document.importNode(fresh, true));
        });
      })
      .catch(function () {
        // The network is away for a moment: the next round tries again.
      });
  }

  window.setInterval(refresh, seconds * 1000);
})();
