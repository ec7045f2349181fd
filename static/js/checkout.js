// Checkout: show the address fields for home delivery and the sales points for pickup, not both, and the total
// of the way chosen beside the button. Without JavaScript everything stays visible and the server reads the
// one the shopper chose.
(function () {
  "use strict";
  var form = document.querySelector(".checkout__form");
  if (!form) return;
  var address = form.querySelector(".checkout__address");
  var pickup = form.querySelector(".checkout__pickup");
  function update() {
    var chosen = form.querySelector("input[name=fulfilment]:checked");
    var way = chosen ? chosen.value : "delivery";
    if (address) address.hidden = way === "pickup";
    if (pickup) pickup.hidden = way !== "pickup";
    form.querySelectorAll(".checkout__total[data-fulfilment]").forEach(function (total) {
      total.hidden = total.getAttribute("data-fulfilment") !== way;
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "fulfilment") update();
  });
  update();

  // How far each sales point is, once the shopper asks (the browser asks them for their position).
  var button = form.querySelector(".checkout__distances");
  var status = form.querySelector(".checkout__distances-status");
  if (!button || !navigator.geolocation) return;
  button.hidden = false;
  var lang = document.documentElement.lang || "vi";
  function kilometres(from, latitude, longitude) {
    var rad = Math.PI / 180, dLat = (latitude - from.latitude) * rad, dLon = (longitude - from.longitude) * rad;
    var a = Math.pow(Math.sin(dLat / 2), 2) +
      Math.cos(from.latitude * rad) * Math.cos(latitude * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 12742 * Math.asin(Math.sqrt(a));
  }
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (position) {
      form.querySelectorAll(".choice--place[data-latitude]").forEach(function (choice) {
        var km = kilometres(position.coords, parseFloat(choice.getAttribute("data-latitude")),
                            parseFloat(choice.getAttribute("data-longitude")));
        var label = choice.querySelector(".choice__distance");
        label.textContent = " · " + button.getAttribute("data-distance").replace(
          "{km}", km.toLocaleString(lang, {maximumFractionDigits: km < 10 ? 1 : 0}));
        label.hidden = false;
      });
      if (status) status.textContent = "";
    }, function () {
      if (status) status.textContent = button.getAttribute("data-refused");
    }, {maximumAge: 300000, timeout: 15000});
  });
})();
