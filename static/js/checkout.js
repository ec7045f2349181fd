// Checkout: show the address fields for home delivery and the sales points for pickup, not both.
// Without JavaScript both stay visible and the server reads the one the shopper chose.
(function () {
  "use strict";
  var form = document.querySelector(".checkout__form");
  if (!form) return;
  var address = form.querySelector(".checkout__address");
  var pickup = form.querySelector(".checkout__pickup");
  function update() {
    var chosen = form.querySelector("input[name=fulfilment]:checked");
    var isPickup = chosen && chosen.value === "pickup";
    if (address) address.hidden = isPickup;
    if (pickup) pickup.hidden = !isPickup;
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "fulfilment") update();
  });
  update();
})();
