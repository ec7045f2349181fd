// While an import runs (it can take a while for a long list), the button cannot be pressed twice and a
// progress bar says the shop is working. The form works the same without this file.
(function () {
  "use strict";

  document.querySelectorAll("form[data-busy-form]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      var progress = form.querySelector("progress");
      if (button) button.disabled = true;
      if (progress) progress.hidden = false;
    });
  });
})();
