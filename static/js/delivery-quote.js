// Checkout: when the shopper changes the province or the commune, ask the shop for that address's delivery
// fee and time and show them with the new total. Without this file the "Update the delivery fee" button
// sends the form again for the same answer; either way the order is charged the fee the shop computes.
(function () {
  "use strict";
  var summary = document.querySelector("[data-quote-url]");
  if (!summary || !window.fetch) return;
  var form = document.querySelector(".checkout__form") || document;
  var url = summary.getAttribute("data-quote-url");
  var sequence = 0;

  function all(name) {
    return document.querySelectorAll('[data-quote="' + name + '"]');
  }
  function put(name, text) {
    all(name).forEach(function (element) { element.textContent = text; });
  }
  function field(name) {
    return form.querySelector('[name="' + name + '"]');
  }

  all("requote").forEach(function (button) {
    var holder = button.closest("p") || button;
    holder.hidden = true;
    holder.setAttribute("data-quote-hidden", "");
  });

  function update() {
    var province = field("province"), commune = field("commune");
    if (!province) return;
    var query = "province=" + encodeURIComponent(province.value) +
      "&commune=" + encodeURIComponent(commune ? commune.value : "");
    var mine = ++sequence;
    summary.setAttribute("aria-busy", "true");
    fetch(url + "?" + query, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        return response.json().then(function (body) { return {ok: response.ok, body: body}; });
      })
      .then(function (answer) {
        if (mine !== sequence) return;  // a later change is on its way
        var body = answer.body;
        if (!answer.ok) {
          put("province", "—");
          put("fee", body.error || "");
          put("days", "—");
          put("total", "—");
          put("status", body.error || "");
          return;
        }
        put("province", body.province);
        put("fee", body.fee_text);
        put("days", body.days_text + " (" + body.zone_name + ")");
        put("total", body.total_text);
        put("status", summary.getAttribute("data-quote-said")
          .replace("{province}", body.province).replace("{fee}", body.fee_text)
          .replace("{days}", body.days_text).replace("{total}", body.total_text));
      })
      .catch(function () { /* the page keeps the last quote; the order is priced by the shop anyway */ })
      .then(function () { if (mine === sequence) summary.removeAttribute("aria-busy"); });
  }

  form.addEventListener("change", function (event) {
    var name = event.target && event.target.name;
    if (name === "province" || name === "commune") update();
  });
})();
