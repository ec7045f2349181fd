// The cart page in place: the −/+ buttons, Remove and the quantities are plain forms that work without this
// file. With it, each form is sent in the background and the page the shop answers (the same page a plain
// post would show, errors included) takes the place of this one, focus staying on the button pressed.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !window.fetch || !window.DOMParser) return;
  var FORMS = "form.cart-form, form.cart-step, form.cart-line__remove";
  var busy = false;

  // One live region outside what is replaced, so what the shop says is read out after each change.
  var said = document.createElement("p");
  said.className = "visually-hidden";
  said.setAttribute("role", "status");
  said.setAttribute("aria-live", "polite");
  document.body.appendChild(said);

  function lineOf(key) {
    return key ? key.replace(/^(fewer|more|remove|quantity)-/, "") : "";
  }

  // Where focus goes after the page is replaced: the same control if it is still there and usable, else
  // that line's quantity, else the heading (the line was removed).
  function refocus(key) {
    var target = key && (main.querySelector('[data-step="' + key + '"]') || document.getElementById(key));
    if (!target || target.disabled) target = document.getElementById("quantity-" + lineOf(key));
    if (!target) {
      target = main.querySelector("h1");
      if (target) target.setAttribute("tabindex", "-1");
    }
    if (target) target.focus({preventScroll: true});
  }

  function replacePage(html, key) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var freshMain = fresh.getElementById("main");
    if (!freshMain) return false;
    var messages = [];
    freshMain.querySelectorAll(".flashes, .form-errors").forEach(function (box) {
      messages.push(box.textContent.replace(/\s+/g, " ").trim());
      box.removeAttribute("role");  // read out once, by the region above
    });
    // "Done" is seen on the line itself: shown above the heading it would push the page down under the
    // shopper's thumb. Warnings and errors stay.
    freshMain.querySelectorAll(".flash--success").forEach(function (flash) { flash.remove(); });
    freshMain.querySelectorAll(".flashes").forEach(function (box) { if (!box.children.length) box.remove(); });
    main.replaceChildren.apply(main, Array.prototype.slice.call(freshMain.childNodes));
    var cartLink = document.querySelector(".site-header .cart-link");
    var freshCartLink = fresh.querySelector(".site-header .cart-link");
    if (cartLink && freshCartLink) cartLink.replaceWith(freshCartLink);  // the cart count in the header
    refocus(key);
    said.textContent = "";
    window.setTimeout(function () { said.textContent = messages.join(" "); }, 50);
    return true;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches(FORMS)) return;
    event.preventDefault();
    if (busy) return;
    busy = true;
    var submitter = event.submitter;
    var active = document.activeElement;
    var key = (submitter && submitter.getAttribute("data-step")) || (active && active.id) || "";
    var lines = main.querySelector(".cart-lines");
    if (lines) lines.setAttribute("aria-busy", "true");
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                        headers: {"Accept": "text/html"}})
      .then(function (response) {
        // The shop answers its cart page for a change and for a refused one (4xx); anything else is
        // left to the browser, by posting the form the plain way.
        if (response.status >= 500) throw new Error("status " + response.status);
        return response.text();
      })
      .then(function (html) {
        busy = false;
        if (!replacePage(html, key)) form.submit();
      })
      .catch(function () {
        busy = false;
        form.submit();
      });
  });

  // A quantity typed in is applied when the shopper leaves the field, as the −/+ buttons are.
  main.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(".cart-line__quantity input")) return;
    var form = document.getElementById("cart-form");
    if (form && form.requestSubmit) form.requestSubmit();
  });
})();
