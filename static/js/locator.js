// The locator's enhancements: "Near me" (the browser's geolocation) and the Leaflet map.
// The lists are sorted by the server and work without this file; the map never holds them up.
(function () {
  "use strict";

  function nearMe() {
    var button = document.getElementById("near-me");
    var status = document.getElementById("near-me-status");
    if (!button || !status || !("geolocation" in navigator)) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      status.classList.remove("near-me__status--error");
      status.textContent = button.dataset.locating;
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        var url = new URL(window.location.href);
        // About 10 m: precise enough to sort, and the address does not pinpoint the visitor.
        url.searchParams.set("lat", position.coords.latitude.toFixed(4));
        url.searchParams.set("lng", position.coords.longitude.toFixed(4));
        url.searchParams.delete("near");
        url.searchParams.delete("page");
        url.hash = button.dataset.hash || "";
        window.location.assign(url.toString());
      }, function (error) {
        button.disabled = false;
        status.classList.add("near-me__status--error");
        status.textContent = error.code === 1 ? button.dataset.denied : button.dataset.unavailable;
      }, {enableHighAccuracy: false, timeout: 15000, maximumAge: 300000});
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function notice(container, text) {
    if (container.querySelector(".map__notice")) return;
    var note = element("p", "map__notice", text);
    note.setAttribute("role", "status");
    container.parentNode.insertBefore(note, container.nextSibling);
  }

  function popup(feature, box) {
    var properties = feature.properties;
    var lang = box.dataset.lang;
    var content = element("div", "map-popup");
    var title = element("a", "map-popup__name", properties.name[lang] || properties.name.vi);
    title.href = properties.url[lang];
    content.appendChild(title);
    content.appendChild(element("p", "", properties.address));
    if (properties.phone) {
      var phone = element("a", "", properties.phone);
      phone.href = "tel:" + properties.phone;
      content.appendChild(phone);
      content.appendChild(document.createTextNode(" · "));
    }
    var directions = element("a", "", box.dataset.labelDirections);
    directions.href = properties.directions_url;
    directions.rel = "noopener";
    directions.target = "_blank";
    content.appendChild(directions);
    return content;
  }

  function showMap(box, L) {
    var fallback = box.querySelector(".map__fallback");
    if (fallback) fallback.remove();
    var map = L.map(box, {scrollWheelZoom: false, zoomControl: true});
    box.setAttribute("aria-label", box.dataset.labelMap);
    var tiles = L.tileLayer(box.dataset.tileUrl, {maxZoom: 18, attribution: box.dataset.attribution});
    tiles.once("tileerror", function () { notice(box, box.dataset.tilesFailed); });
    tiles.addTo(map);
    map.setView([15.12, 108.8], 9);
    var bounds = [];
    // Points close together on the screen are grouped into one numbered bubble that a tap opens.
    var cluster = L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 48});
    if (box.dataset.lat && box.dataset.lng) {
      var you = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lng)];
      L.circleMarker(you, {radius: 8, className: "map-you"}).addTo(map).bindTooltip(box.dataset.labelYou);
      bounds.push(you);
    }
    fetch(box.dataset.geojson, {headers: {Accept: "application/geo+json"}})
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (collection) {
        collection.features.forEach(function (feature) {
          var properties = feature.properties;
          var at = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
          var name = properties.name[box.dataset.lang] || properties.name.vi;
          L.marker(at, {
            title: name, alt: name, keyboard: true, riseOnHover: true,
            icon: L.divIcon({className: "map-pin map-pin--" + properties.kind, iconSize: [28, 28],
                             iconAnchor: [14, 14], popupAnchor: [0, -12]}),
          }).bindPopup(function () { return popup(feature, box); }).addTo(cluster);
          bounds.push(at);
        });
        map.addLayer(cluster);
        if (box.dataset.focusLat) {
          map.setView([parseFloat(box.dataset.focusLat), parseFloat(box.dataset.focusLng)], 13);
        } else if (bounds.length) {
          map.fitBounds(bounds, {padding: [24, 24], maxZoom: 14});
        }
        box.dataset.markers = String(collection.features.length);
      })
      .catch(function () { notice(box, box.dataset.dataFailed); });
  }

  function load(tag, url) {
    return new Promise(function (resolve, reject) {
      var node = document.createElement(tag);
      if (tag === "link") {
        node.rel = "stylesheet";
        node.href = url;
      } else {
        node.src = url;
        node.async = false;
      }
      node.addEventListener("load", resolve);
      node.addEventListener("error", reject);
      document.head.appendChild(node);
    });
  }

  function map() {
    var box = document.getElementById("map");
    if (!box || !box.dataset.leaflet || !window.Promise) return;
    var started = false;
    function start() {
      if (started) return;
      started = true;
      // Leaflet and its stylesheets are fetched only now: they never hold up the page or the list.
      var styles = [box.dataset.leafletCss].concat(box.dataset.clusterCss.split(" "));
      Promise.all(styles.map(function (url) { return load("link", url); }).concat([
        load("script", box.dataset.leaflet).then(function () { return load("script", box.dataset.cluster); }),
      ])).then(function () { showMap(box, window.L); }, function () { notice(box, box.dataset.dataFailed); });
    }
    if (!("IntersectionObserver" in window)) {
      start();
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        observer.disconnect();
        start();
      }
    }, {rootMargin: "400px 0px"});
    observer.observe(box);
  }

  nearMe();
  map();
})();
