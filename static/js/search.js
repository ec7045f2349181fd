// Suggestions under the header's search box: the WAI-ARIA APG "combobox with listbox popup"
// (list autocomplete, manual selection). Progressive enhancement only: without this file, or when a
// request fails, the box is a plain GET form that submits to the search page.
(function () {
  "use strict";

  var input = document.getElementById("search-input");
  var list = input && document.getElementById(input.getAttribute("aria-controls") || "");
  if (!input || !list || !input.form || !window.fetch || !window.AbortController) return;
  var form = input.form;
  var status = document.getElementById("search-status");
  var suggestUrl = input.getAttribute("data-suggest-url");
  if (!suggestUrl) return;

  var MIN_LENGTH = 2;      // the server answers an empty list below this anyway
  var MAX_OPTIONS = 8;
  var DELAY = 120;         // ms of quiet typing before asking the server
  var lang = input.getAttribute("data-lang") === "en" ? "en" : "vi";
  var WORDS = {
    vi: {
      count: function (n) { return n ? n + " gợi ý" : "Không có gợi ý"; },
      stars: function (n) { return "OCOP " + n + " sao"; }
    },
    en: {
      count: function (n) { return n ? n + (n === 1 ? " suggestion" : " suggestions") : "No suggestions"; },
      stars: function (n) { return "OCOP " + n + (n === 1 ? " star" : " stars"); }
    }
  }[lang];

  var timer = null;        // the debounce timeout
  var controller = null;   // aborts the request in flight
  var sequence = 0;        // only the answer to the latest request is shown
  var shown = null;        // the query whose suggestions are in the list
  var answers = new Map(); // query → suggestions, the last few, so going back a letter asks nothing
  var REMEMBERED = 30;
  var active = -1;         // index of the active option, -1 for none

  function query() {
    return input.value.trim();
  }

  function options() {
    return list.querySelectorAll('[role="option"]');
  }

  function isOpen() {
    return !list.hidden;
  }

  function announce(text) {
    if (status) status.textContent = text;
  }

  function setActive(index) {
    var all = options();
    if (active >= 0 && all[active]) all[active].setAttribute("aria-selected", "false");
    active = index >= 0 && index < all.length ? index : -1;
    if (active < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    var option = all[active];
    option.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", option.id);
    if (option.scrollIntoView) option.scrollIntoView({block: "nearest"});
  }

  function open() {
    if (!options().length) return;
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    setActive(-1);
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  function cancel() {
    clearTimeout(timer);
    timer = null;
    sequence += 1;
    if (controller) controller.abort();
    controller = null;
  }

  function forget() {
    cancel();
    close();
    list.textContent = "";
    shown = null;
    announce("");
  }

  // Only a link on this site: anything else in the answer is dropped rather than followed.
  function sameOriginPath(url) {
    if (typeof url !== "string" || !url) return null;
    try {
      var parsed = new URL(url, window.location.href);
      if (parsed.origin !== window.location.origin) return null;
      return parsed.pathname + parsed.search + parsed.hash;
    } catch (error) {
      return null;
    }
  }

  function textSpan(className, text) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    return span;
  }

  function optionFor(suggestion, index) {
    var url = suggestion && sameOriginPath(suggestion.url);
    if (!url) return null;
    var option = document.createElement("li");
    option.id = "search-option-" + index;
    option.className = "search-suggestions__option";
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    option.setAttribute("data-url", url);

    // The option's children are presentational, so the name is a span, not a nested link (which
    // screen readers could not reach and axe reports as nested-interactive); a click on the option
    // follows the URL instead. label_html is the only HTML taken from the server, escaped there,
    // with <mark> around the words that matched.
    var name = document.createElement("span");
    name.className = "search-suggestions__name";
    if (typeof suggestion.label_html === "string" && suggestion.label_html) {
      name.innerHTML = suggestion.label_html;
    } else {
      name.textContent = String(suggestion.name || "");
    }
    option.appendChild(name);

    var stars = Number(suggestion.stars);
    var producer = typeof suggestion.producer === "string" ? suggestion.producer : "";
    if ((stars >= 1 && stars <= 5 && stars % 1 === 0) || producer) {
      var details = document.createElement("span");
      details.className = "search-suggestions__details";
      if (stars >= 1 && stars <= 5 && stars % 1 === 0) {
        var badge = textSpan("stars", new Array(stars + 1).join("★"));
        badge.setAttribute("role", "img");
        badge.setAttribute("aria-label", WORDS.stars(stars));
        details.appendChild(badge);
      }
      if (producer) {
        details.appendChild(document.createTextNode(" "));
        details.appendChild(textSpan("search-suggestions__producer", producer));
      }
      option.appendChild(document.createTextNode(" "));
      option.appendChild(details);
    }
    return option;
  }

  function render(text, suggestions) {
    cancel();
    close();
    shown = text;
    list.textContent = "";
    var count = 0;
    (Array.isArray(suggestions) ? suggestions : []).slice(0, MAX_OPTIONS).forEach(function (suggestion) {
      var option = optionFor(suggestion, count);
      if (option) {
        list.appendChild(option);
        count += 1;
      }
    });
    if (count) open();
    announce(WORDS.count(count));
  }

  function fetchSuggestions(text) {
    cancel();
    var mine = sequence;
    controller = new AbortController();
    var url = new URL(suggestUrl, window.location.href);
    url.searchParams.set("q", text);
    url.searchParams.set("lang", lang);
    fetch(url.toString(), {
      signal: controller.signal,
      credentials: "same-origin",
      headers: {Accept: "application/json"}
    }).then(function (response) {
      if (!response.ok) throw new Error("suggestions: HTTP " + response.status);
      return response.json();
    }).then(function (data) {
      var suggestions = data && Array.isArray(data.suggestions) ? data.suggestions : [];
      if (answers.size >= REMEMBERED) answers.delete(answers.keys().next().value);
      answers.set(text, suggestions);
      if (mine !== sequence) return;
      controller = null;
      if (query() === text) render(text, suggestions);
    }).catch(function () {
      // Offline, aborted or a bad answer: no list, and the form still submits to the search page.
      if (mine !== sequence) return;
      controller = null;
      close();
    });
  }

  function follow(option, newTab) {
    var url = option.getAttribute("data-url");
    if (newTab) {
      window.open(url, "_blank", "noopener");
      return;
    }
    close();
    window.location.assign(url);
  }

  // Down and Up open the list again when it holds the suggestions for the text in the box.
  function reopen() {
    var text = query();
    if (text.length < MIN_LENGTH) return false;
    if (text === shown) open();
    else if (answers.has(text)) render(text, answers.get(text));
    else fetchSuggestions(text);
    return isOpen();
  }

  input.addEventListener("input", function () {
    var text = query();
    clearTimeout(timer);
    setActive(-1);
    if (text.length < MIN_LENGTH) {
      forget();
      return;
    }
    if (text === shown) {   // only a space added or removed: the same question
      cancel();
      open();
      return;
    }
    if (answers.has(text)) {   // asked a moment ago, before a letter was added and taken back
      render(text, answers.get(text));
      return;
    }
    timer = setTimeout(function () { fetchSuggestions(text); }, DELAY);
  });

  input.addEventListener("keydown", function (event) {
    if (event.isComposing || event.keyCode === 229) return;   // an input method is composing
    var count = options().length;
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp":
        if (event.ctrlKey || event.metaKey || event.shiftKey) return;
        event.preventDefault();
        var down = event.key === "ArrowDown";
        if (!isOpen()) {
          if (reopen() && !event.altKey) setActive(down ? 0 : options().length - 1);
          return;
        }
        if (event.altKey) {
          if (!down) close();   // Alt+Up closes, Alt+Down only opens
          return;
        }
        if (active < 0) setActive(down ? 0 : count - 1);
        else setActive((active + (down ? 1 : -1) + count) % count);
        return;
      case "Enter":
        if (isOpen() && active >= 0) {
          event.preventDefault();
          follow(options()[active], event.ctrlKey || event.metaKey);
        }
        return;   // otherwise the form submits to the search page
      case "Escape":
        if (isOpen()) {
          event.preventDefault();   // the key closes the list first, and keeps the text
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          forget();
        }
        return;
      case "Tab":
        close();
        return;
    }
  });

  // The focus stays in the box while the pointer picks an option, so the list is still there
  // when the click arrives.
  list.addEventListener("mousedown", function (event) {
    event.preventDefault();
  });

  list.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest('[role="option"]');
    if (!option || !list.contains(option)) return;
    event.preventDefault();
    follow(option, event.ctrlKey || event.metaKey || event.shiftKey);
  });

  list.addEventListener("auxclick", function (event) {
    var option = event.button === 1 && event.target.closest && event.target.closest('[role="option"]');
    if (!option || !list.contains(option)) return;
    event.preventDefault();
    follow(option, true);
  });

  document.addEventListener("pointerdown", function (event) {
    if (isOpen() && !form.contains(event.target)) close();
  });

  form.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !form.contains(event.relatedTarget)) close();
  });

  form.addEventListener("submit", function () {
    cancel();
    close();
  });

  // Back to this page from the browser's cache: the list the shopper left is stale.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) forget();
  });
})();
