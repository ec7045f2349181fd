// The page of an order waiting for its payment. Without this file it still works: the details are there to
// read, the QR code can be saved, the pay-by time is written out and "check again" reloads.
(function () {
  "use strict";

  // Copy buttons (hidden until the browser can copy): account number, amount, transfer description.
  var said = document.getElementById("copy-status");
  if (navigator.clipboard && window.isSecureContext) {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
          var label = button.firstChild.nodeValue;
          button.firstChild.nodeValue = button.getAttribute("data-copied");
          if (said) said.textContent = button.getAttribute("data-copied") + ": " + button.getAttribute("data-copy");
          window.setTimeout(function () { button.firstChild.nodeValue = label; }, 2000);
        });
      });
    });
  }

  // The time left to pay, to the second; the page is shown again when it runs out (the order expires).
  var countdown = document.querySelector(".countdown[data-deadline]");
  if (countdown) {
    var deadline = Date.parse(countdown.getAttribute("data-deadline"));
    var template = countdown.getAttribute("data-left");
    var tick = function () {
      var left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
      var hours = Math.floor(left / 3600), minutes = Math.floor(left / 60) % 60, seconds = left % 60;
      var time = (hours ? hours + ":" + String(minutes).padStart(2, "0") : String(minutes)) + ":" +
        String(seconds).padStart(2, "0");
      countdown.textContent = template.replace("{time}", time);
      if (left === 0) {
        window.setTimeout(function () { window.location.reload(); }, 3000);
        return;
      }
      window.setTimeout(tick, 1000 - (Date.now() % 1000));
    };
    if (!isNaN(deadline)) {
      countdown.hidden = false;
      tick();
    }
  }

  // Ask the shop now and then whether the order has moved, and show the page again when it has (a transfer
  // confirmed by the bank feed, a card payment confirmed by Stripe).
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
