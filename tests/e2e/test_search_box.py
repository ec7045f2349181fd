"""The search box in the header of every page: suggestions while the shopper types (the WAI-ARIA
combobox with a listbox popup) on a phone and a desktop, in Vietnamese and English; a plain form to
the search page when JavaScript is off or the suggestions do not answer."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SUGGEST = "/api/v1/search/suggest"
SUGGEST_REQUEST = re.compile(r"/api/v1/search/suggest\?")
DEBOUNCE_MS = 120
WORDS = {
    "vi": {"home": "/", "search": "/search", "box": "Tìm sản phẩm", "list": "Gợi ý", "button": "Tìm kiếm",
           "count": lambda n: f"{n} gợi ý"},
    "en": {"home": "/en/", "search": "/en/search", "box": "Search products", "list": "Suggestions",
           "button": "Search", "count": lambda n: f"{n} suggestion" if n == 1 else f"{n} suggestions"},
}
# “Tìm thấy 12 sản phẩm được chứng nhận”, “12 certified products found”
SOME_RESULTS = re.compile(r"(^|\s)[1-9]\d*\s")
# A Lý Sơn garlic product: “Tỏi Lý Sơn …”, “Rượu tỏi Lý Sơn …”.
LY_SON_GARLIC = re.compile(r"\btỏi\b.*\bLý Sơn\b", re.IGNORECASE)


def search_box(page, lang):
    return page.get_by_role("combobox", name=WORDS[lang]["box"])


def suggestion_list(page, lang):
    # Hidden listboxes are not in the accessibility tree, so this finds the list only when it is open.
    return page.get_by_role("listbox", name=WORDS[lang]["list"])


def server_suggestions(page, text: str, lang: str) -> list[dict]:
    response = page.request.get(SUGGEST, params={"q": text, "lang": lang})
    assert response.status == 200, response.text()
    return response.json()["suggestions"]


def wait_for(page, condition, message: str, seconds: float = 5) -> None:
    for _ in range(int(seconds * 20)):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError(message)


def expect_closed(page, lang):
    box = search_box(page, lang)
    expect(page.locator("#search-suggestions")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))


def expect_suggestions(page, lang, answer: list[dict]):
    """The list is open and shows the server's answer, in its order, with the matched words marked."""
    listbox = suggestion_list(page, lang)
    expect(listbox).to_be_visible()
    expect(search_box(page, lang)).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option")).to_have_count(len(answer))
    expect(listbox.locator(".search-suggestions__name")).to_have_text([s["name"] for s in answer])
    expect(page.locator("#search-status")).to_have_text(WORDS[lang]["count"](len(answer)))
    return listbox.get_by_role("option")


def test_on_a_phone_toi_ly_suggests_ly_son_garlic_and_arrow_down_enter_opens_it(open_page, check_page,
                                                                                live_server):
    page = open_page("phone")
    page.goto("/")
    box = search_box(page, "vi")
    main_top = page.locator("main").evaluate("main => main.getBoundingClientRect().top")
    expect_closed(page, "vi")

    box.tap()
    box.press_sequentially("toi ly")
    answer = server_suggestions(page, "toi ly", "vi")
    assert 1 <= len(answer) <= 8, f"“toi ly” should have between 1 and 8 suggestions, not {len(answer)}"
    names = [suggestion["name"] for suggestion in answer]
    garlic = next((i for i, name in enumerate(names) if LY_SON_GARLIC.search(name)), None)
    assert garlic is not None, f"no Lý Sơn garlic product among the suggestions for “toi ly”: {names}"
    options = expect_suggestions(page, "vi", answer)
    expect(options.nth(garlic).locator("mark").first).to_be_visible()
    expect(options.nth(garlic).get_by_role("img", name=f"OCOP {answer[garlic]['stars']} sao")).to_have_count(1)

    # The list lies over the page, inside a 390 px screen, with options a thumb can hit.
    assert page.locator("main").evaluate("main => main.getBoundingClientRect().top") == main_top
    area = suggestion_list(page, "vi").bounding_box()
    assert area["x"] >= 0 and area["x"] + area["width"] <= 390, f"the list leaves the screen: {area}"
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"with the list open the page scrolls sideways: {widths}"
    heights = options.evaluate_all("options => options.map(o => o.getBoundingClientRect().height)")
    assert min(heights) >= 44, f"options under 44 px tall: {heights}"
    on_top = options.evaluate_all("""options => options.every(o => {
        const box = o.getBoundingClientRect();
        return o.contains(document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2));
    })""")
    assert on_top, "something on the page covers the suggestions"

    for _ in range(garlic + 1):
        box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", f"search-option-{garlic}")
    expect(options.nth(garlic)).to_have_attribute("aria-selected", "true")
    expect(suggestion_list(page, "vi").locator('[aria-selected="true"]')).to_have_count(1)
    expect(box).to_be_focused()
    if len(answer) > 1:
        other = (garlic + 1) % len(answer)
        backgrounds = [options.nth(i).evaluate("o => getComputedStyle(o).backgroundColor") for i in (garlic, other)]
        assert backgrounds[0] != backgrounds[1], "the active option looks like the others"
    check_page(page)   # axe with the list open and an option active; no console error, no CSP violation

    box.press("Enter")
    expect(page).to_have_url(live_server + answer[garlic]["url"])
    expect(page.get_by_role("heading", level=1)).to_have_text(answer[garlic]["name"])
    check_page(page, accessibility=False)


def test_in_english_a_tap_on_a_suggestion_opens_its_product(open_page, check_page, live_server):
    page = open_page("phone")
    page.goto("/en/")
    box = search_box(page, "en")
    box.tap()
    box.press_sequentially("garlic")
    answer = server_suggestions(page, "garlic", "en")
    assert len(answer) >= 2, f"the demo catalogue should have several garlic products: {answer}"
    assert all(suggestion["url"].startswith("/en/products/") for suggestion in answer)
    options = expect_suggestions(page, "en", answer)
    expect(options.first.get_by_role("img", name=re.compile(r"^OCOP \d stars?$"))).to_have_count(1)
    check_page(page)

    options.nth(1).tap()
    expect(page).to_have_url(live_server + answer[1]["url"])
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.get_by_role("heading", level=1)).to_have_text(answer[1]["name"])
    check_page(page, accessibility=False)


def test_arrows_wrap_and_escape_tab_a_click_outside_or_an_empty_box_close_the_list(open_page, check_page):
    page = open_page("desktop")
    page.goto("/products")
    box = search_box(page, "vi")
    box.click()
    outline = box.evaluate("box => [getComputedStyle(box).outlineStyle, parseFloat(getComputedStyle(box).outlineWidth)]")
    assert outline[0] != "none" and outline[1] >= 2, f"the focused search box shows no outline: {outline}"

    box.press_sequentially("nuoc mam")
    answer = server_suggestions(page, "nuoc mam", "vi")
    assert len(answer) >= 2, f"the demo catalogue should have several fish sauces: {answer}"
    last = len(answer) - 1
    expect_suggestions(page, "vi", answer)

    box.press("ArrowUp")   # from the box, Up goes to the last option…
    expect(box).to_have_attribute("aria-activedescendant", f"search-option-{last}")
    box.press("ArrowDown")   # …and Down from the last one back to the first
    expect(box).to_have_attribute("aria-activedescendant", "search-option-0")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "search-option-1")
    expect(page.locator("#search-option-0")).to_have_attribute("aria-selected", "false")

    box.press("Escape")   # the first Escape closes the list and keeps the text
    expect_closed(page, "vi")
    expect(box).to_have_value("nuoc mam")
    box.press("ArrowDown")   # Down opens it again, on the first option
    expect(suggestion_list(page, "vi")).to_be_visible()
    expect(box).to_have_attribute("aria-activedescendant", "search-option-0")
    box.press("Escape")
    box.press("Escape")   # the second Escape clears the box
    expect(box).to_have_value("")
    expect_closed(page, "vi")

    box.press_sequentially("nuoc mam")
    expect(suggestion_list(page, "vi")).to_be_visible()
    page.get_by_role("heading", level=1).click(position={"x": 5, "y": 5})   # outside the box and the list
    expect_closed(page, "vi")

    box.click()
    box.press("ArrowDown")
    expect(suggestion_list(page, "vi")).to_be_visible()
    box.press("Tab")
    expect_closed(page, "vi")
    expect(page.get_by_role("button", name=WORDS["vi"]["button"])).to_be_focused()

    box.click()
    box.press("ArrowDown")
    expect(suggestion_list(page, "vi")).to_be_visible()
    box.press("Control+a")
    box.press("Backspace")
    expect_closed(page, "vi")
    expect(page.locator("#search-status")).to_have_text("")
    check_page(page)


def test_the_server_is_asked_once_the_typing_pauses_and_a_late_answer_is_dropped(open_page, check_page):
    page = open_page("desktop")
    held = []
    page.route(SUGGEST_REQUEST, lambda route: held.append(route))   # answered later, in the test’s order
    failed = []
    page.on("requestfailed", lambda request: failed.append((request.url, request.failure)))
    page.clock.install()
    page.goto("/")
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)   # from now on time moves only when told
    box = search_box(page, "vi")

    box.press_sequentially("t")   # one letter: nothing to ask
    page.clock.run_for(DEBOUNCE_MS * 3)
    box.press_sequentially("oi")
    page.clock.run_for(DEBOUNCE_MS - 20)
    assert held == [], "the box asked for suggestions before the typing paused"
    page.clock.run_for(40)
    wait_for(page, lambda: len(held) == 1, "the box did not ask for “toi”")
    assert [parse_qs(urlsplit(route.request.url).query) for route in held] == [{"q": ["toi"], "lang": ["vi"]}]

    box.press_sequentially(" ly")
    page.clock.run_for(DEBOUNCE_MS + 20)
    wait_for(page, lambda: len(held) == 2, "the box did not ask for “toi ly”")
    assert parse_qs(urlsplit(held[1].request.url).query)["q"] == ["toi ly"]

    held[1].fulfill(response=held[1].fetch())
    answer = server_suggestions(page, "toi ly", "vi")
    expect_suggestions(page, "vi", answer)
    # The answer for “toi” arrives last: it must not replace the one for “toi ly”.
    stale = {"name": "Stale", "url": "/products/stale", "stars": 3, "producer": "—", "label_html": "Stale"}
    held[0].fulfill(json={"query": "toi", "suggestions": [stale]})
    page.wait_for_timeout(200)
    expect_suggestions(page, "vi", answer)
    # Better still, the browser was told to drop the request for “toi” once “toi ly” was asked for.
    assert (held[0].request.url, "net::ERR_ABORTED") in failed, "the request for “toi” was not cancelled"
    check_page(page, accessibility=False)


def test_when_suggestions_fail_the_list_stays_shut_and_the_form_still_searches(open_page, live_server):
    page = open_page("phone")
    page.route(SUGGEST_REQUEST, lambda route: route.abort("failed"))
    page.goto("/")
    box = search_box(page, "vi")
    box.tap()
    with page.expect_event("requestfailed"):
        box.press_sequentially("toi ly")
    page.wait_for_timeout(DEBOUNCE_MS)
    expect_closed(page, "vi")
    box.press("ArrowDown")
    expect_closed(page, "vi")

    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=toi\+ly$"))
    expect(page.locator("#results-count")).to_have_text(SOME_RESULTS)
    # Chromium logs each refused request; nothing else may go wrong.
    others = [problem for problem in page.log.problems if "net::ERR_FAILED" not in problem]
    assert not others, "\n".join(others)


@pytest.mark.parametrize("lang, device, javascript", [("vi", "phone", True), ("vi", "phone", False),
                                                      ("en", "desktop", False)],
                         ids=["vi-phone-with-javascript", "vi-phone-without-javascript",
                              "en-desktop-without-javascript"])
def test_the_box_submits_to_the_search_page(open_page, check_page, lang, device, javascript):
    page = open_page(device, java_script_enabled=javascript)
    page.goto(WORDS[lang]["home"] + "products")
    text = "tỏi lý sơn" if lang == "vi" else "garlic"
    box = search_box(page, lang)
    box.fill(text)
    if javascript:
        # The list is open but no option is active: Enter searches for the text typed.
        expect(suggestion_list(page, lang)).to_be_visible()
        box.press("Enter")
    elif device == "phone":
        box.press("Enter")
    else:
        page.get_by_role("button", name=WORDS[lang]["button"]).click()

    expect(page).to_have_url(re.compile(re.escape(WORDS[lang]["search"]) + r"\?q="))
    address = urlsplit(page.url)
    assert address.path == WORDS[lang]["search"] and parse_qs(address.query) == {"q": [text]}
    expect(page.locator("#results-count")).to_have_text(SOME_RESULTS)
    expect(search_box(page, lang)).to_have_value(text)
    check_page(page, accessibility=False)
