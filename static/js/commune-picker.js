// The delivery address's commune or ward: the WAI-ARIA APG "combobox with listbox popup" (list autocomplete,
// manual selection) over the form's own <select>, which stays hidden in the form and holds the value. Typing
// filters the province's communes with or without tone marks ("cam thanh" finds "Phường Cẩm Thành"); a
// new province's list comes from the server. Each choice dispatches `change` on the <select>, so other
// scripts follow it. Without this file the page has the plain <select> and a "Choose the province" button.
(function () {
  "use strict";

  var picker = document.querySelector(".address-picker");
  if (!picker || !window.fetch || !String.prototype.normalize) return;
  var province = picker.querySelector("select[name=province]");
  var select = picker.querySelector("select[name=commune]");
  var reload = picker.querySelector(".address-picker__reload");
  var label = select && picker.querySelector('label[for="' + select.id + '"]');
  if (!province || !select || !label) return;

  var text = {
    hint: picker.getAttribute("data-search-hint"),
    none: picker.getAttribute("data-no-match"),
    matches: picker.getAttribute("data-matches"),
    loading: picker.getAttribute("data-loading"),
    failed: picker.getAttribute("data-failed")
  };
  var urlTemplate = picker.getAttribute("data-communes-url");

  // "Phường Cẩm Thành" → "phuong cam thanh": no tone marks, đ as d, punctuation as spaces (as the server folds).
  function fold(value) {
    return value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .toLowerCase().replace(/[^0-9a-z]+/g, " ").trim();
  }
  function lower(value) {
    return value.normalize("NFC").toLowerCase().replace(/[\s\-.,]+/g, " ").trim();
  }

  // The button would be the form's default one (Enter in any field): the script takes it away and puts it
  // back only if a list cannot be loaded.
  var reloadHome = reload ? reload.parentNode : null;
  var reloadNext = reload ? reload.nextSibling : null;
  if (reload) reload.remove();
  var status = picker.querySelector(".address-picker__status");
  if (status) status.remove();

  // The combobox, where the <select> was; the label now names it.
  var input = document.createElement("input");
  input.type = "text";
  input.id = select.id + "-search";
  input.className = "field__input combobox__input";
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("autocomplete", "off");
  input.setAttribute("autocapitalize", "words");
  input.setAttribute("spellcheck", "false");
  var list = document.createElement("ul");
  list.id = select.id + "-listbox";
  list.className = "combobox__list";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  input.setAttribute("aria-controls", list.id);
  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  var wrapper = document.createElement("div");
  wrapper.className = "combobox";
  wrapper.appendChild(input);
  wrapper.appendChild(list);
  var hint = document.createElement("p");
  hint.className = "field__hint";
  hint.id = select.id + "-search-hint";
  hint.textContent = text.hint;
  select.parentNode.insertBefore(hint, select);
  select.parentNode.insertBefore(wrapper, select);
  select.parentNode.insertBefore(live, select.nextSibling);
  label.htmlFor = input.id;
  list.setAttribute("aria-label", picker.getAttribute("data-list-label"));
  var described = [hint.id].concat((select.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean));
  input.setAttribute("aria-describedby", described.join(" "));
  if (select.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", select.getAttribute("aria-invalid"));
  select.hidden = true;
  select.tabIndex = -1;

  var communes = [];   // {name, short, folded, foldedShort, lower} of the province shown
  var shown = [];      // the communes in the list, in its order
  var active = -1;
  var sequence = 0;    // only the answer to the latest province asked is used
  var loaded = {};     // province code → communes, so going back to a province asks nothing

  function entry(name, short) {
    short = short || name.replace(/^(Phường|Xã|Đặc khu)\s+/, "");
    return {name: name, folded: fold(name), foldedShort: fold(short), lower: lower(name)};
  }

  function readSelect() {
    communes = [];
    Array.prototype.forEach.call(select.options, function (option) {
      if (option.value) communes.push(entry(option.value));
    });
  }

  function fillSelect(items) {
    while (select.options.length > 1) select.remove(1);
    items.forEach(function (item) { select.add(new Option(item.name, item.name)); });
    select.value = "";
  }

  function selectedName() {
    return select.value || "";
  }

  // Every typed word begins a word of the name; an exact tone-marked match, then a name beginning with the
  // text, come first.
  function matches(query) {
    var folded = fold(query);
    if (!folded) return communes.slice();
    var words = folded.split(" ");
    var typed = lower(query);
    var found = [];
    communes.forEach(function (commune, index) {
      var nameWords = commune.folded.split(" ");
      var every = words.every(function (word) {
        return nameWords.some(function (nameWord) { return nameWord.indexOf(word) === 0; });
      });
      if (!every) return;
      var rank = (commune.lower.indexOf(typed) >= 0 ? 0 : 2) +
        (commune.foldedShort.indexOf(folded) === 0 || commune.folded.indexOf(folded) === 0 ? 0 : 1);
      found.push({commune: commune, rank: rank, index: index});
    });
    found.sort(function (a, b) { return a.rank - b.rank || a.index - b.index; });
    return found.map(function (item) { return item.commune; });
  }

  function setActive(index) {
    var options = list.children;
    if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
    active = index >= 0 && index < options.length ? index : -1;
    if (active < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    options[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({block: "nearest"});
  }

  function open(query) {
    shown = matches(query);
    list.textContent = "";
    shown.forEach(function (commune, index) {
      var option = document.createElement("li");
      option.id = list.id + "-" + index;
      option.className = "combobox__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = commune.name;
      list.appendChild(option);
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!shown.length) {
      var empty = document.createElement("li");
      empty.className = "combobox__empty";
      empty.textContent = text.none;
      list.appendChild(empty);
    }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    live.textContent = shown.length ? text.matches.replace("{count}", shown.length) : text.none;
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function choose(name) {
    var changed = select.value !== name;
    select.value = name;
    input.value = name;
    close();
    if (changed) select.dispatchEvent(new Event("change", {bubbles: true}));
  }

  // On leaving the box: a text naming exactly one commune chooses it; any other text leaves none chosen, so
  // the form is refused with its message beside the field rather than sent with a commune not typed.
  function settle() {
    var query = fold(input.value);
    if (!query) {
      if (select.value) choose("");
      return;
    }
    if (select.value && fold(select.value) === query) return;
    var exact = communes.filter(function (commune) {
      return commune.folded === query || commune.foldedShort === query;
    });
    if (exact.length === 1) {
      choose(exact[0].name);
    } else if (select.value) {
      select.value = "";
      select.dispatchEvent(new Event("change", {bubbles: true}));
    }
  }

  input.addEventListener("input", function () { open(input.value); });
  input.addEventListener("click", function () { if (list.hidden) open(input.value === selectedName() ? "" : input.value); });
  input.addEventListener("keydown", function (event) {
    var count = shown.length;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (list.hidden) open(input.value === selectedName() ? "" : input.value);
        if (event.altKey) return;
        setActive(active + 1 < list.querySelectorAll('[role="option"]').length ? active + 1 : 0);
        break;
      case "ArrowUp":
        event.preventDefault();
        if (list.hidden) open(input.value === selectedName() ? "" : input.value);
        count = list.querySelectorAll('[role="option"]').length;
        setActive(active > 0 ? active - 1 : count - 1);
        break;
      case "Enter":
        if (list.hidden) return;  // the form's own Enter: place the order
        event.preventDefault();
        if (active >= 0) choose(shown[active].name);
        else if (count === 1) choose(shown[0].name);
        break;
      case "Escape":
        if (!list.hidden) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
        }
        break;
      case "Tab":
        if (!list.hidden && active >= 0) choose(shown[active].name);
        break;
    }
  });
  input.addEventListener("blur", function () {
    close();
    settle();
  });
  // A press on an option would blur the box first and close the list under the pointer.
  list.addEventListener("mousedown", function (event) { event.preventDefault(); });
  list.addEventListener("click", function (event) {
    var option = event.target.closest('[role="option"]');
    if (!option) return;
    choose(shown[Array.prototype.indexOf.call(list.children, option)].name);
    input.focus();
  });

  function restoreReload() {
    if (reload && !reload.parentNode && reloadHome) reloadHome.insertBefore(reload, reloadNext);
  }

  function showProvince(items) {
    communes = items.map(function (item) { return entry(item.name, item.short_name); });
    fillSelect(communes);
    input.value = "";
    input.disabled = false;
    close();
    select.dispatchEvent(new Event("change", {bubbles: true}));
  }

  function provinceChanged() {
    var option = province.options[province.selectedIndex];
    var code = option && option.getAttribute("data-code");
    var ask = ++sequence;
    if (!code) {
      showProvince([]);
      input.disabled = true;
      return;
    }
    if (loaded[code]) {
      showProvince(loaded[code]);
      return;
    }
    input.disabled = true;
    live.textContent = text.loading;
    fetch(urlTemplate.replace("CODE", encodeURIComponent(code)), {headers: {Accept: "application/json"}})
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        loaded[code] = data.communes;
        if (ask !== sequence) return;
        showProvince(data.communes);
        live.textContent = "";
      })
      .catch(function () {
        if (ask !== sequence) return;
        // The list in the page is another province's: none may be chosen; the button reloads the page.
        showProvince([]);
        input.disabled = true;
        live.textContent = text.failed;
        restoreReload();
      });
  }
  province.addEventListener("change", provinceChanged);

  readSelect();
  input.value = selectedName();
  input.disabled = !province.value;
  // A reload may give the province <select> back the buyer's last choice while the page lists the
  // communes of the province it was rendered for.
  if (select.getAttribute("data-province") !== province.value) provinceChanged();
  if (select.autofocus) input.focus();
})();
