// The locator's map (Leaflet, fetched when the map comes near the screen) and "Near me" (the browser's
// geolocation), on the locator's lists and on product pages. The lists are sorted by the server and work
// without this file; the map never holds them up. locator-lists.js adds the lists' list/map switch and
// "My position" through window.ocopMap.
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

  // The map once Leaflet has drawn it: its markers by "kind:slug", and what "My position" asked for
  // (marks, a view to fit) kept until the markers are there and the map is on the screen.
  var mapView = {box: null, L: null, map: null, cluster: null, markers: {}, icons: {}, ready: false,
                 you: [], marked: [], pendingMarks: null, pendingFit: null, whenReady: []};

  function mapVisible() {
    return Boolean(mapView.box && mapView.box.offsetWidth && mapView.box.offsetHeight);
  }

  function fitMap(bounds, options) {
    if (!mapView.map || !mapVisible()) {
      mapView.pendingFit = {bounds: bounds, options: options};
      return;
    }
    mapView.pendingFit = null;
    if (bounds.length === 1) mapView.map.setView(bounds[0], options.maxZoom || 14);
    else mapView.map.fitBounds(bounds, options);
  }

  // The map has just come on the screen (the switch, or a wider window): Leaflet measures it again.
  function mapShown() {
    if (!mapView.map) return;
    mapView.map.invalidateSize();
    if (mapView.pendingFit) fitMap(mapView.pendingFit.bounds, mapView.pendingFit.options);
  }

  function onMapReady(callback) {
    if (mapView.ready) callback();
    else mapView.whenReady.push(callback);
  }

  function showMap(box, L) {
    var fallback = box.querySelector(".map__fallback");
    if (fallback) fallback.remove();
    var map = L.map(box, {scrollWheelZoom: false, zoomControl: true});
    mapView.map = map;
    mapView.L = L;
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
      drawYou(you, null);
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
          var icon = L.divIcon({className: "map-pin map-pin--" + properties.kind, iconSize: [28, 28],
                                iconAnchor: [14, 14], popupAnchor: [0, -12]});
          var marker = L.marker(at, {title: name, alt: name, keyboard: true, riseOnHover: true, icon: icon})
            .bindPopup(function () { return popup(feature, box); }).addTo(cluster);
          mapView.markers[properties.kind + ":" + properties.slug] = marker;
          mapView.icons[properties.kind + ":" + properties.slug] = icon;
          bounds.push(at);
        });
        map.addLayer(cluster);
        mapView.cluster = cluster;
        mapView.all = bounds.slice();
        if (box.dataset.focusLat) {
          map.setView([parseFloat(box.dataset.focusLat), parseFloat(box.dataset.focusLng)], 13);
        } else if (bounds.length) {
          map.fitBounds(bounds, {padding: [24, 24], maxZoom: 14});
        }
        box.dataset.markers = String(collection.features.length);
        mapView.ready = true;
        if (mapView.pendingMarks) markOnMap(mapView.pendingMarks);
        mapView.whenReady.splice(0).forEach(function (callback) { callback(); });
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

  // The visitor on the map: a dot, and a circle as wide as the browser says the position may be off.
  function drawYou(at, accuracy) {
    var L = mapView.L;
    mapView.you.forEach(function (layer) { layer.remove(); });
    mapView.you = [];
    if (!at) return;
    if (accuracy) {
      mapView.you.push(L.circle(at, {radius: accuracy, className: "map-accuracy", interactive: false})
        .addTo(mapView.map));
    }
    mapView.you.push(L.circleMarker(at, {radius: 9, className: "map-you"}).addTo(mapView.map)
      .bindTooltip(mapView.box.dataset.labelYou));
  }

  // The nearest places as numbered pins, taken out of the bubbles so that they always show.
  function markOnMap(found) {
    if (!mapView.ready) {
      mapView.pendingMarks = found;
      return;
    }
    mapView.pendingMarks = null;
    var L = mapView.L;
    mapView.marked.forEach(function (id) {
      var marker = mapView.markers[id];
      marker.remove();
      marker.setIcon(mapView.icons[id]).setZIndexOffset(0);
      mapView.cluster.addLayer(marker);
    });
    mapView.marked = [];
    var places = found.far ? found.places.slice(0, 1) : found.places;
    var at = found.far ? null : [found.position.lat, found.position.lng];
    drawYou(at, found.accuracy);
    var bounds = at ? [at] : [];
    places.forEach(function (place, index) {
      var id = place.kind + ":" + place.slug;
      var marker = mapView.markers[id];
      if (!marker) return;
      mapView.cluster.removeLayer(marker);
      marker.setIcon(L.divIcon({className: "map-pin map-pin--" + place.kind + " map-pin--nearest",
                                html: String(index + 1), iconSize: [34, 34], iconAnchor: [17, 17],
                                popupAnchor: [0, -15]}));
      marker.setZIndexOffset(1000).addTo(mapView.map);
      mapView.marked.push(id);
      bounds.push(marker.getLatLng());
    });
    // Far away, the map stays on the province's places: the visitor is told how far instead.
    if (found.far) fitMap(mapView.all, {padding: [24, 24], maxZoom: 14});
    else if (bounds.length) fitMap(bounds, {padding: [40, 40], maxZoom: 15});
  }

  function map() {
    var box = document.getElementById("map");
    if (!box || !box.dataset.leaflet || !window.Promise) return;
    mapView.box = box;
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

  window.ocopMap = {view: mapView, element: element, shown: mapShown, ready: onMapReady, mark: markOnMap};

  nearMe();
  map();
})();
