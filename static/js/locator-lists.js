// The locator's lists on a phone (/sales-points, /destinations): the list/map switch, kept in the address,
// and "My position", which sorts the list from the visitor's position and marks the nearest places on the
// list and on the map drawn by locator.js (loaded before this file).
(function () {
  "use strict";
  var ocopMap = window.ocopMap;
  if (!ocopMap) return;

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
  // The shop's header sticks to the top of a phone's screen: the switch sticks under it (--sticky-header,
  // read by locator-lists.css), and the map fills what is left of the screen.
  function headerHeight() {
    var header = document.querySelector(".site-header");
    return header && window.getComputedStyle(header).position === "sticky" ? header.offsetHeight : 0;
  }
  function measureHeader() {
    document.documentElement.style.setProperty("--sticky-header", headerHeight() + "px");
  }

  function scrollToResults(view) {
    if (!phone.matches) return;
    var toolbar = document.getElementById("locator-toolbar");
    var target = document.getElementById({map: "map-section", status: "position-status"}[view] || "results-count");
    if (!toolbar || !target) return;
    var top = target.getBoundingClientRect().top - toolbar.offsetHeight - headerHeight() - 8;
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
      if (view === "map") ocopMap.shown();
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
    if (phone.addEventListener) phone.addEventListener("change", ocopMap.shown);
    setView(toolbar.dataset.view === "map" || window.location.hash === "#map-section" ? "map" : "list");
    toolbar.hidden = false;
  }

  // --- "My position" --------------------------------------------------------------------------------

  // A sentence whose %(name)s parts are elements (a link), the rest text.
  function sentence(tag, template, parts) {
    var node = ocopMap.element(tag, "");
    template.split(/(%\(\w+\)s)/).forEach(function (piece) {
      var name = /^%\((\w+)\)s$/.exec(piece);
      var part = name ? parts[name[1]] : piece;
      if (part === undefined || part === "") return;
      node.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
    });
    return node;
  }

  function placeLink(place, lang) {
    var link = ocopMap.element("a", "", place.name[lang] || place.name.vi);
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
      var rank = ocopMap.element("p", "place__rank", toolbar.dataset.rank.replace("%(rank)s", String(index + 1)));
      card.insertBefore(rank, card.firstChild);
    });
  }

  function showOnMap(place) {
    setView("map", {remember: true, scroll: true});
    ocopMap.ready(function () {
      var marker = ocopMap.view.markers[place.kind + ":" + place.slug];
      if (!marker) return;
      ocopMap.view.pendingFit = null;
      ocopMap.view.map.setView(marker.getLatLng(), 16);
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
      status.appendChild(ocopMap.element("p", "position-status__heading", toolbar.dataset.farHeading));
      status.appendChild(sentence("p", toolbar.dataset.far,
                                  {name: placeLink(nearest, lang), distance: nearest.distance[lang]}));
      return;
    }
    status.appendChild(ocopMap.element("p", "position-status__heading", toolbar.dataset.nearest));
    var list = ocopMap.element("ol", "nearest");
    found.places.forEach(function (place) {
      var item = ocopMap.element("li", "nearest__place");
      item.appendChild(placeLink(place, lang));
      item.appendChild(ocopMap.element("span", "nearest__distance", place.distance[lang]));
      if (ocopMap.view.box) {
        var button = ocopMap.element("button", "nearest__show", toolbar.dataset.showOnMap);
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
        ocopMap.mark(found);
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
      var button = ocopMap.element("button", "button button--secondary locator-toolbar__position",
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

  var toolbar = document.getElementById("locator-toolbar");
  if (toolbar && window.URL && window.history && window.history.replaceState && window.fetch) {
    measureHeader();
    window.addEventListener("resize", measureHeader);
    listMapSwitch(toolbar);
    myPosition(toolbar);
  }
})();
