// The back office's sales-point form: tap the map to set the latitude and longitude fields, or drag the
// pin; typing in the fields moves the pin. Without JavaScript or Leaflet the fields work on their own.
(function () {
  "use strict";

  function load(tag, url) {
    return new Promise(function (resolve, reject) {
      var node = document.createElement(tag);
      if (tag === "link") {
        node.rel = "stylesheet";
        node.href = url;
      } else {
        node.src = url;
      }
      node.addEventListener("load", resolve);
      node.addEventListener("error", reject);
      document.head.appendChild(node);
    });
  }

  function number(input) {
    var value = parseFloat((input.value || "").replace(",", "."));
    return isFinite(value) ? value : null;
  }

  function start(box) {
    var latitude = document.getElementById(box.dataset.latitudeField);
    var longitude = document.getElementById(box.dataset.longitudeField);
    if (!latitude || !longitude) return;
    var known = number(latitude) !== null && number(longitude) !== null;
    var centre = known ? [number(latitude), number(longitude)] : [15.12, 108.8];
    box.hidden = false;
    var map = L.map(box, {scrollWheelZoom: false}).setView(centre, known ? 15 : 9);
    L.tileLayer(box.dataset.tileUrl, {attribution: box.dataset.attribution, maxZoom: 19}).addTo(map);
    var pin = L.marker(centre, {draggable: true, title: box.dataset.labelPin}).addTo(map);
    if (!known) pin.setOpacity(0.4);

    function write(point) {
      latitude.value = point.lat.toFixed(6);
      longitude.value = point.lng.toFixed(6);
      pin.setOpacity(1);
    }
    map.on("click", function (event) {
      pin.setLatLng(event.latlng);
      write(event.latlng);
    });
    pin.on("dragend", function () { write(pin.getLatLng()); });
    [latitude, longitude].forEach(function (input) {
      input.addEventListener("change", function () {
        var lat = number(latitude), lng = number(longitude);
        if (lat !== null && lng !== null) {
          pin.setLatLng([lat, lng]).setOpacity(1);
          map.panTo([lat, lng]);
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("coordinate-picker");
    if (!box || !box.dataset.leaflet || !window.Promise) return;
    load("link", box.dataset.leafletCss)
      .then(function () { return load("script", box.dataset.leaflet); })
      .then(function () { start(box); })
      .catch(function () { box.hidden = true; });
  });
})();
