"""The sales-point locator on a 390×844 phone: the list/map switch (kept in the address across a reload),
"My position" from a street of Quảng Ngãi city, from Paris and refused, and the page without JavaScript."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# Lê Trung Đình street, Quảng Ngãi city: the provincial showroom is a few hundred metres away.
QUANG_NGAI_CITY = {"latitude": 15.1205, "longitude": 108.7923, "accuracy": 40}
PARIS = {"latitude": 48.8566, "longitude": 2.3522, "accuracy": 30}

WORDS = {
    "vi": {"prefix": "", "list": "Danh sách", "map": "Bản đồ", "position": "Vị trí của tôi",
           "nearest": "Gần bạn nhất", "rank": "Gần nhất #1", "far": "Có vẻ bạn đang ở xa Quảng Ngãi",
           "far_sentence": r"Điểm bán gần nhất là .+, cách 9\.\d{3} km theo đường chim bay\.",
           "denied": "Bạn chưa cho phép trang này biết vị trí của bạn", "away": r"^cách "},
    "en": {"prefix": "/en", "list": "List", "map": "Map", "position": "My position",
           "nearest": "Nearest to you", "rank": "Nearest no. 1", "far": "You seem far from Quảng Ngãi",
           "far_sentence": r"The nearest sales point is .+, 9,\d{3} km away as the crow flies\.",
           "denied": "You did not allow this site to know your position", "away": r" away$"},
}
LANGS = list(WORDS)


def switch(page, words, view):
    return page.get_by_role("button", name=words[view], exact=True)


def expect_list_view(page, words):
    expect(switch(page, words, "list")).to_have_attribute("aria-pressed", "true")
    expect(switch(page, words, "map")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#locator-list .place").first).to_be_visible()
    expect(page.locator("#map-section")).to_be_hidden()


def expect_map_view(page, words):
    expect(switch(page, words, "map")).to_have_attribute("aria-pressed", "true")
    expect(switch(page, words, "list")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#locator-list")).to_be_hidden()
    expect(page.locator("#map .leaflet-marker-icon").first).to_be_visible()


@pytest.mark.parametrize("lang", LANGS)
def test_the_switch_shows_one_or_the_other_and_a_reload_keeps_the_choice(open_page, check_page, lang):
    words = WORDS[lang]
    page = open_page("phone")
    page.goto(words["prefix"] + "/sales-points")
    expect_list_view(page, words)
    assert page.evaluate("document.querySelectorAll('#map .leaflet-marker-icon').length") == 0  # not fetched yet

    switch(page, words, "map").click()
    expect_map_view(page, words)
    expect(page).to_have_url(re.compile(r"/sales-points\?view=map$"))
    # The map takes the screen below the switch, which stays just under the shop's sticky header, in sight.
    box = page.locator("#map").bounding_box()
    toolbar = page.locator("#locator-toolbar").bounding_box()
    header = page.locator(".site-header").bounding_box()
    assert box["height"] >= 0.5 * 844 and box["width"] >= 340, box
    assert header["y"] == 0 and abs(toolbar["y"] - header["height"]) <= 1, (header, toolbar)
    assert box["y"] >= toolbar["y"] + toolbar["height"] - 1
    assert box["y"] + box["height"] <= 844 + 1, "the map is taller than the screen"
    # The other language, a new search and the page after keep the map.
    other = page.locator("a[hreflang]").first
    expect(other).to_have_attribute("href", re.compile(r"view=map"))
    expect(page.locator("#view-field")).to_be_enabled()
    check_page(page)

    page.reload()
    expect_map_view(page, words)

    switch(page, words, "list").click()
    expect_list_view(page, words)
    expect(page).to_have_url(re.compile(r"/sales-points$"))
    page.reload()
    expect_list_view(page, words)
    check_page(page)


def test_the_switch_works_from_the_keyboard(open_page):
    words = WORDS["vi"]
    page = open_page("phone")
    page.goto("/sales-points")
    switch(page, words, "list").focus()
    page.keyboard.press("ArrowRight")
    expect_map_view(page, words)
    expect(switch(page, words, "map")).to_be_focused()
    page.keyboard.press("Enter")  # pressing the shown one again changes nothing
    expect_map_view(page, words)
    page.keyboard.press("ArrowLeft")
    expect_list_view(page, words)
    expect(switch(page, words, "list")).to_be_focused()
    page.keyboard.press("Tab")
    expect(switch(page, words, "map")).to_be_focused()
    page.keyboard.press("Space")
    expect_map_view(page, words)


@pytest.mark.parametrize("lang", LANGS)
def test_my_position_in_quang_ngai_city_marks_the_three_nearest(open_page, check_page, lang):
    words = WORDS[lang]
    page = open_page("phone", geolocation=QUANG_NGAI_CITY, permissions=["geolocation"])
    page.goto(words["prefix"] + "/sales-points")
    page.get_by_role("button", name=words["position"]).click()

    status = page.locator("#position-status")
    expect(status).to_contain_text(words["nearest"])
    nearest = status.locator(".nearest li")
    expect(nearest).to_have_count(3)
    names = [nearest.nth(i).locator("a").inner_text() for i in range(3)]
    km = [nearest.nth(i).locator(".nearest__distance").inner_text() for i in range(3)]
    assert all(re.fullmatch(r"\d+(?:[.,]\d)?\s(?:m|km)", d) for d in km), km
    meters = [float(d.split()[0].replace(",", ".")) * (1 if d.endswith("km") else 0.001) for d in km]
    assert meters == sorted(meters) and meters[0] < 2, km
    # The list is sorted from the position, as the server sorts it, and its three first are marked.
    expect(page).to_have_url(re.compile(r"lat=15\.1205&lng=108\.7923"))
    cards = page.locator("#locator-list .place")
    expect(cards.locator(".place__name a").first).to_have_text(names[0])
    expect(page.locator("#locator-list .place--nearest")).to_have_count(3)
    expect(cards.first.locator(".place__rank")).to_have_text(words["rank"])
    expect(cards.first.locator(".place__distance")).to_have_text(re.compile(words["away"]))
    # Each of them links to its page.
    href = nearest.first.locator("a").get_attribute("href")
    assert href.startswith(words["prefix"] + "/sales-points/")
    check_page(page)

    # On the map: the visitor, how precise the position is, and the three as numbered pins around them.
    switch(page, words, "map").click()
    expect(page.locator("#map .map-pin--nearest")).to_have_count(3)
    expect(page.locator("#map .map-pin--nearest").first).to_be_visible()
    expect(page.locator("#map path.map-you")).to_have_count(1)
    expect(page.locator("#map path.map-accuracy")).to_have_count(1)
    inside = page.evaluate("""() => {
      const map = document.getElementById('map').getBoundingClientRect();
      return [...document.querySelectorAll('#map .map-pin--nearest, #map path.map-you')].every(el => {
        const r = el.getBoundingClientRect();
        return r.left >= map.left && r.right <= map.right && r.top >= map.top && r.bottom <= map.bottom;
      });
    }""")
    assert inside, "the map is not fitted to the visitor and the nearest places"
    check_page(page)

    # "Show on the map" for the second nearest opens its pin's card on the map.
    switch(page, words, "list").click()
    nearest.nth(1).locator("button").click()
    expect_map_view(page, words)
    expect(page.locator(".leaflet-popup-content .map-popup__name")).to_have_text(names[1])

    # A reload keeps the sorted list, the map and the marks.
    page.reload()
    expect_map_view(page, words)
    expect(page.locator("#locator-list .place--nearest")).to_have_count(3)
    expect(page.locator("#map .map-pin--nearest")).to_have_count(3)


@pytest.mark.parametrize("lang", LANGS)
def test_a_refused_position_gets_a_polite_answer(open_page, check_page, lang):
    words = WORDS[lang]
    page = open_page("phone")  # no permission: the browser refuses
    page.goto(words["prefix"] + "/sales-points?view=map")
    page.get_by_role("button", name=words["position"]).click()
    status = page.locator("#position-status")
    expect(status).to_contain_text(words["denied"])
    expect(status).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("button", name=words["position"])).to_be_enabled()
    assert "lat=" not in page.url
    expect(page.locator("#map .map-pin--nearest")).to_have_count(0)
    check_page(page)


@pytest.mark.parametrize("lang", LANGS)
def test_a_tourist_in_paris_is_told_how_far_the_nearest_point_is(open_page, check_page, lang):
    words = WORDS[lang]
    page = open_page("phone", geolocation=PARIS, permissions=["geolocation"])
    page.goto(words["prefix"] + "/sales-points?view=map")
    expect(page.locator("#map .leaflet-marker-icon").first).to_be_visible()
    page.get_by_role("button", name=words["position"]).click()
    status = page.locator("#position-status")
    expect(status).to_contain_text(words["far"])
    expect(status).to_contain_text(re.compile(words["far_sentence"].replace(" km", "\u00a0km")))
    link = status.locator("a")
    expect(link).to_have_count(1)
    assert link.get_attribute("href").startswith(words["prefix"] + "/sales-points/")
    # No map of half the world: the province's places, the nearest one marked, the visitor not drawn.
    expect(page.locator("#map .map-pin--nearest")).to_have_count(1)
    expect(page.locator("#map path.map-you")).to_have_count(0)
    shown = page.evaluate("""() => {
      const map = document.getElementById('map').getBoundingClientRect();
      return [...document.querySelectorAll('#map .leaflet-marker-icon')].filter(el => {
        const r = el.getBoundingClientRect();
        return r.left >= map.left && r.right <= map.right && r.top >= map.top && r.bottom <= map.bottom;
      }).length;
    }""")
    assert shown >= 4, f"only {shown} of the province's pins are on the map"
    assert "lat=" not in page.url  # the list is not sorted from abroad (the server would refuse)
    expect(page.locator("#locator-list .place--nearest")).to_have_count(1)
    check_page(page)


@pytest.mark.parametrize("query", ["", "?view=map"])
def test_without_javascript_the_list_comes_first(open_page, check_page, query):
    page = open_page("phone", java_script_enabled=False)
    page.goto("/sales-points" + query)
    expect(page.locator("#locator-toolbar")).to_be_hidden()
    expect(page.get_by_role("button", name="Vị trí của tôi")).to_have_count(0)
    first_card = page.locator("#locator-list .place").first
    expect(first_card).to_be_visible()
    map_section = page.locator("#map-section")
    expect(map_section).to_be_visible()  # after the list, with its fallback text
    expect(page.locator(".map__fallback")).to_be_visible()
    assert first_card.bounding_box()["y"] < map_section.bounding_box()["y"]
    page.get_by_label("Gần một địa danh: xã, phường, bãi biển hay điểm bán").fill("ly son")
    page.get_by_role("button", name="Xem kết quả").click()
    expect(page.locator("#results-count")).to_contain_text("Lý Sơn")
    assert ("view=map" in page.url) == bool(query)
    check_page(page)
