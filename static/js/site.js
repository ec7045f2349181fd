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
