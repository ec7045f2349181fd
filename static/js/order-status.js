// An order waiting for its payment: ask the shop now and then whether it has moved, and show the page
// again when it has (a transfer confirmed by the bank feed, a card payment confirmed by Stripe).
// Without JavaScript the page's "check again" link does the same by hand.
(function () {
  "use strict";
  var status = document.querySelector("[data-status-url]");
  if (!status || !window.fetch) return;
  var url = status.getAttribute("data-status-url");
  var current = status.getAttribute("data-status");
  var delay = 4000;
  function ask() {
    if (document.hidden) {
      window.setTimeout(ask, delay);
      return;
    }
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin", cache: "no-store"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer && answer.status && answer.status !== current) {
          window.location.reload();
          return;
        }
        delay = Math.min(delay * 1.25, 20000);
        window.setTimeout(ask, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 60000);
        window.setTimeout(ask, delay);
      });
  }
  window.setTimeout(ask, delay);
})();
