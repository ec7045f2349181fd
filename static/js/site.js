// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";

  // The filter panel starts open on wide screens, folded on phones.
  var filters = document.querySelector("details[data-open-wide]");
  if (filters && window.matchMedia("(min-width: 900px)").matches) {
    filters.open = true;
  }

  // Product gallery: a thumbnail shows its photo in the main frame instead of opening the file.
  var main = document.querySelector(".gallery__image");
  document.querySelectorAll(".gallery__thumbs a").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!main) return;
      event.preventDefault();
      main.srcset = link.dataset.srcset;
      main.src = link.href;
      main.alt = link.dataset.alt;
      document.querySelectorAll(".gallery__thumbs a").forEach(function (other) {
        other.removeAttribute("aria-current");
      });
      link.setAttribute("aria-current", "true");
    });
  });
})();

// The header's menu on a phone: a <details> that opens without this file. With it, Escape or a tap
// outside the bar and its panel closes it, and Escape gives the focus back to its button.
(function () {
  "use strict";
  var menu = document.querySelector(".site-menu");
  var panel = document.getElementById("site-menu-panel");
  if (!menu || !panel) return;
  var button = menu.querySelector("summary");

  function close(refocus) {
    if (!menu.open) return;
    menu.open = false;
    if (refocus && button) button.focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open && !event.defaultPrevented) close(true);
  });
  document.addEventListener("pointerdown", function (event) {
    if (menu.open && !menu.contains(event.target) && !panel.contains(event.target)) close(false);
  });
  // The focus leaving the menu by Tab (to the page below) folds it, so it does not cover the page.
  panel.addEventListener("focusout", function (event) {
    var next = event.relatedTarget;
    if (next && !panel.contains(next) && !menu.contains(next)) close(false);
  });
  // Back to this page from the browser's cache: the menu the shopper left open is closed.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) close(false);
  });
})();
