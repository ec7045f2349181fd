// The locator's enhancements: the list/map switch, "My position" and "Near me" (the browser's
// geolocation), and the Leaflet map. The lists are sorted by the server and work without this file; the
// map never holds them up.
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

  // --- The list/map switch --------------------------------------------------------------------------

  var phone = window.matchMedia ? window.matchMedia("(max-width: 899px)") : {matches: true};

  // Links to this page in the other language, and to its other pages, keep what the visitor chose.
  function syncLinks() {
    document.querySelectorAll("a[hreflang]").forEach(function (link) {
      link.search = window.location.search;
    });
    var view = new URL(window.location.href).searchParams.get("view");
    document.querySelectorAll("#locator-list .pagination a").forEach(function (link) {
      var url = new URL(link.href);
      if (view) url.searchParams.set("view", view);
      else url.searchParams.delete("view");
      link.href = url.pathname + url.search;
    });
  }

  function remember(change) {
    var url = new URL(window.location.href);
    change(url);
    window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
    syncLinks();
  }

  var setView = function () {};

  // On a phone the switch stays under the finger (it sticks to the top of the screen) and the page
  // starts again at the results: the list's first card, or the map, whole, below the switch.
  function scrollToResults(view) {
    if (!phone.matches) return;
    var toolbar = document.getElementById("locator-toolbar");
    var target = document.getElementById({map: "map-section", status: "position-status"}[view] || "results-count");
    if (!toolbar || !target) return;
    var top = target.getBoundingClientRect().top - toolbar.offsetHeight - 8;
    if (view === "status" && top >= 0 && top < window.innerHeight / 2) return;  // in sight already
    window.scrollTo(0, Math.max(0, top + window.pageYOffset));
  }

  function listMapSwitch(toolbar) {
    var locator = document.getElementById("locator");
    if (!locator) return;
    var buttons = Array.prototype.slice.call(toolbar.querySelectorAll(".view-switch__button"));
    var current = null;

    setView = function (view, options) {
      options = options || {};
      var changed = view !== current;
      current = view;
      locator.classList.toggle("locator--map", view === "map");
      locator.classList.toggle("locator--list", view !== "map");
      buttons.forEach(function (button) {
        button.setAttribute("aria-pressed", button.dataset.view === view ? "true" : "false");
      });
      var field = document.getElementById("view-field");
      if (field) field.disabled = view !== "map";
      if (options.remember) {
        remember(function (url) {
          if (view === "map") url.searchParams.set("view", "map");
          else url.searchParams.delete("view");
          if (url.hash === "#map-section") url.hash = "";
        });
      }
      if (changed && options.scroll) scrollToResults(view);
      if (view === "map") mapShown();
    };

    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        setView(button.dataset.view, {remember: true, scroll: true});
      });
    });
    // Arrow keys go from one half of the switch to the other, as in any segmented control.
    toolbar.querySelector(".view-switch").addEventListener("keydown", function (event) {
      if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
      var index = buttons.indexOf(document.activeElement);
      if (index < 0) return;
      event.preventDefault();
      var next = buttons[(index + 1) % buttons.length];
      next.focus();
      next.click();
    });
    document.querySelectorAll(".skip-map").forEach(function (link) {
      link.addEventListener("click", function () { setView("map", {remember: true}); });
    });
    // Back on a wide screen, list and map sit side by side: the map is measured again.
    if (phone.addEventListener) phone.addEventListener("change", mapShown);
    setView(toolbar.dataset.view === "map" || window.location.hash === "#map-section" ? "map" : "list");
    toolbar.hidden = false;
  }

  // --- "My position" --------------------------------------------------------------------------------

  // A sentence whose %(name)s parts are elements (a link), the rest text.
  function sentence(tag, template, parts) {
    var node = element(tag, "");
    template.split(/(%\(\w+\)s)/).forEach(function (piece) {
      var name = /^%\((\w+)\)s$/.exec(piece);
      var part = name ? parts[name[1]] : piece;
      if (part === undefined || part === "") return;
      node.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
    });
    return node;
  }

  function placeLink(place, lang) {
    var link = element("a", "", place.name[lang] || place.name.vi);
    link.href = place.url[lang];
    return link;
  }

  function markList(found, toolbar) {
    document.querySelectorAll(".place--nearest").forEach(function (card) {
      card.classList.remove("place--nearest");
      var rank = card.querySelector(".place__rank");
      if (rank) rank.remove();
    });
    var places = found.far ? found.places.slice(0, 1) : found.places;
    places.forEach(function (place, index) {
      var card = document.querySelector('#locator-list .place[data-slug="' + place.slug + '"]');
      if (!card) return;
      card.classList.add("place--nearest");
      var rank = element("p", "place__rank", toolbar.dataset.rank.replace("%(rank)s", String(index + 1)));
      card.insertBefore(rank, card.firstChild);
    });
  }

  function showOnMap(place) {
    setView("map", {remember: true, scroll: true});
    onMapReady(function () {
      var marker = mapView.markers[place.kind + ":" + place.slug];
      if (!marker) return;
      mapView.pendingFit = null;
      mapView.map.setView(marker.getLatLng(), 16);
      marker.openPopup();
    });
  }

  function tellNearest(found, toolbar, status) {
    var lang = toolbar.dataset.lang;
    status.textContent = "";
    status.classList.remove("position-status--error");
    if (!found.places.length) {
      status.textContent = toolbar.dataset.none;
      return;
    }
    if (found.far) {
      var nearest = found.places[0];
      status.appendChild(element("p", "position-status__heading", toolbar.dataset.farHeading));
      status.appendChild(sentence("p", toolbar.dataset.far,
                                  {name: placeLink(nearest, lang), distance: nearest.distance[lang]}));
      return;
    }
    status.appendChild(element("p", "position-status__heading", toolbar.dataset.nearest));
    var list = element("ol", "nearest");
    found.places.forEach(function (place) {
      var item = element("li", "nearest__place");
      item.appendChild(placeLink(place, lang));
      item.appendChild(element("span", "nearest__distance", place.distance[lang]));
      if (mapView.box) {
        var button = element("button", "nearest__show", toolbar.dataset.showOnMap);
        button.type = "button";
        button.setAttribute("aria-label", toolbar.dataset.showOnMap + ": " + (place.name[lang] || place.name.vi));
        button.addEventListener("click", function () { showOnMap(place); });
        item.appendChild(button);
      }
      list.appendChild(item);
    });
    status.appendChild(list);
  }

  // The list sorted from the position, as the server sorts it (the same page with ?lat=&lng=), put in
  // place of this one without a reload; the address keeps it for a reload or the back button.
  function sortList(found) {
    if (found.far || !found.in_vietnam || !window.DOMParser) return Promise.resolve();
    var url = new URL(window.location.href);
    url.searchParams.set("lat", found.position.lat.toFixed(4));
    url.searchParams.set("lng", found.position.lng.toFixed(4));
    url.searchParams.delete("near");
    url.searchParams.delete("page");
    url.hash = "";
    return fetch(url.toString(), {headers: {Accept: "text/html"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        ["results-count", "locator-list"].forEach(function (id) {
          var now = document.getElementById(id), then = fresh.getElementById(id);
          if (now && then) now.innerHTML = then.innerHTML;
        });
        var form = document.querySelector(".locator-form"), freshForm = fresh.querySelector(".locator-form");
        if (form && freshForm) form.replaceWith(document.importNode(freshForm, true));
        window.history.replaceState(window.history.state, "", url.pathname + url.search);
        syncLinks();
      })
      .catch(function () { /* the marks below still show the nearest on the unsorted list */ });
  }

  function askNearest(toolbar, at) {
    var url = new URL(toolbar.dataset.nearestUrl, window.location.href);
    var here = new URL(window.location.href).searchParams;
    ["district", "commune", "group", "product"].forEach(function (name) {
      if (here.get(name)) url.searchParams.set(name, here.get(name));
    });
    url.searchParams.set("kind", toolbar.dataset.kind);
    url.searchParams.set("lat", at.lat.toFixed(4));
    url.searchParams.set("lng", at.lng.toFixed(4));
    return fetch(url.toString(), {headers: {Accept: "application/json"}}).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  function showNearest(toolbar, status, at, sorted) {
    return askNearest(toolbar, at).then(function (found) {
      found.accuracy = at.accuracy;
      return (sorted ? Promise.resolve() : sortList(found)).then(function () {
        tellNearest(found, toolbar, status);
        markList(found, toolbar);
        markOnMap(found);
        // Near the places, the map shows them around the visitor; far away, or on the list, the answer
        // is the box naming the nearest.
        if (!sorted) {
          var onMap = toolbar.querySelector('[data-view="map"][aria-pressed="true"]');
          scrollToResults(onMap && !found.far ? "map" : "status");
        }
      });
    });
  }

  function myPosition(toolbar) {
    var status = document.getElementById("position-status");
    if (!status) return;
    if ("geolocation" in navigator) {
      var button = element("button", "button button--secondary locator-toolbar__position",
                           toolbar.dataset.labelPosition);
      button.type = "button";
      button.id = "my-position";
      toolbar.appendChild(button);
      button.addEventListener("click", function () {
        status.classList.remove("position-status--error");
        status.textContent = toolbar.dataset.locating;
        button.disabled = true;
        navigator.geolocation.getCurrentPosition(function (position) {
          var at = {lat: position.coords.latitude, lng: position.coords.longitude,
                    accuracy: position.coords.accuracy};
          showNearest(toolbar, status, at).catch(function () {
            status.classList.add("position-status--error");
            status.textContent = toolbar.dataset.failed;
          }).then(function () { button.disabled = false; });
        }, function (error) {
          button.disabled = false;
          status.classList.add("position-status--error");
          status.textContent = error.code === 1 ? toolbar.dataset.denied : toolbar.dataset.unavailable;
        }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
      });
    }
    // A list sorted from the visitor's position (a reload, the back button): its nearest are marked again.
    var box = document.getElementById("map");
    var here = new URL(window.location.href).searchParams;
    if (box && box.dataset.lat && here.get("lat") && !here.get("near")) {
      showNearest(toolbar, status, {lat: parseFloat(box.dataset.lat), lng: parseFloat(box.dataset.lng)}, true)
        .catch(function () { /* the list is sorted already; only the marks are missing */ });
    }
  }

  nearMe();
  map();
  var toolbar = document.getElementById("locator-toolbar");
  if (toolbar && window.URL && window.history && window.history.replaceState && window.fetch) {
    listMapSwitch(toolbar);
    myPosition(toolbar);
  }
})();
