"""A shopper walks from the home page to a certified product through the catalogue's filter form:
in Vietnamese and in English on a desktop, and in Vietnamese on a phone."""
import re

import pytest
from playwright.sync_api import expect

from storefront.catalog import queries
from storefront.catalog.forms import CatalogueFilters
from storefront.i18n import format_vnd

pytestmark = pytest.mark.e2e

PER_PAGE = 24
WORDS = {
    "vi": {
        "home": "/",
        "browse": r"^Xem (\d+) sản phẩm được chứng nhận$",
        "products": "Sản phẩm",
        "main_nav": "Chính",
        "count": "{} sản phẩm được chứng nhận",
        "stars": "{} sao",
        "show": "Xem sản phẩm",
        "badge": "OCOP {} sao",
        "filter": "Lọc và sắp xếp",
    },
    "en": {
        "home": "/en/",
        "browse": r"^Browse (\d+) certified products$",
        "products": "Products",
        "main_nav": "Main",
        "count": "{} certified products",
        "stars": "{} stars",
        "show": "Show products",
        "badge": "OCOP {} stars",
        "filter": "Filter and sort",
    },
}
# Whole đồng with a dot every three digits, a no-break space, then the đồng sign: 185.000 ₫.
VND = re.compile(r"\d{1,3}(\.\d{3})*\u00a0₫")


def catalogue_total(**filters) -> int:
    return queries.catalogue(CatalogueFilters(**filters), with_facets=False).total


def certificate_facts(slug: str) -> dict:
    details = queries.product_details(slug)
    assert details is not None and details.certificate is not None, f"{slug} is not certified"
    return {"stars": details.certificate.stars, "decision": details.certificate.decision_number,
            "price": details.product.price, "name_vi": details.product.name_vi,
            "name_en": details.product.name_en or details.product.name_vi}


def results(page):
    return page.locator("section.results")


def assert_listing(page, words, count: int, stars: int | None = None) -> None:
    expect(page.locator("#results-count")).to_have_text(words["count"].format(count))
    cards = results(page).locator(".card")
    expect(cards).to_have_count(min(count, PER_PAGE))
    if stars is not None:
        badges = results(page).locator(".card .ocop-badge")
        expect(badges).to_have_count(min(count, PER_PAGE))
        labels = badges.evaluate_all("badges => badges.map(badge => badge.getAttribute('aria-label'))")
        assert labels == [words["badge"].format(stars)] * min(count, PER_PAGE)


def walk_to_a_four_star_product(page, lang: str, in_demo, after_each_page, on_phone: bool = False) -> dict:
    """Home → catalogue → filter “4 stars” with the form → the first 4-star product with a price.

    `after_each_page(page)` runs on each page of the walk."""
    words = WORDS[lang]
    total = in_demo(catalogue_total)
    four_stars = in_demo(lambda: catalogue_total(stars=(4,)))
    assert 0 < four_stars < total, "the demo catalogue needs 4-star products among others"

    page.goto(words["home"])
    after_each_page(page)
    browse = page.get_by_role("link", name=re.compile(words["browse"]))
    assert re.match(words["browse"], browse.inner_text()).group(1) == str(total)
    if on_phone:
        # The navigation is in the header's menu on a phone: its button opens it.
        page.locator("header .site-menu > summary").tap()
        page.get_by_role("navigation", name=words["main_nav"]).get_by_role("link", name=words["products"]).tap()
    else:
        browse.click()
    expect(page).to_have_url(re.compile(r"/products$"))
    assert_listing(page, words, total)
    after_each_page(page)

    four = page.get_by_role("checkbox", name=re.compile("^" + re.escape(words["stars"].format(4))))
    if on_phone:
        # Folded on phones, so the products come first on a small screen.
        filters = page.locator("details.filters")
        expect(filters).not_to_have_attribute("open", "")
        expect(four).to_be_hidden()
        filters.get_by_text(words["filter"]).tap()
        four.tap()
        expect(four).to_be_checked()
        page.get_by_role("button", name=words["show"]).tap()
    else:
        four.check()
        page.get_by_role("button", name=words["show"]).click()

    expect(page).to_have_url(re.compile(r"/products\?(.+&)?stars=4(&|$)"))
    if on_phone:
        # After filtering, the panel is folded again: the results come first.
        expect(page.locator("details.filters")).not_to_have_attribute("open", "")
    assert_listing(page, words, four_stars, stars=4)
    expect(page.locator('input[name="stars"][value="4"]')).to_be_checked()
    after_each_page(page)

    card = results(page).locator(".card").filter(has=page.locator(".price")).first
    name = card.locator(".card__title").inner_text()
    listed_price = card.locator(".price").inner_text()
    link = card.locator(".card__link")
    if on_phone:
        link.tap()
    else:
        link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    slug = page.url.rsplit("/", 1)[1]
    facts = in_demo(lambda: certificate_facts(slug))
    assert facts["stars"] == 4
    expect(page.locator(".product__summary").get_by_role("img", name=words["badge"].format(4))).to_be_visible()
    expect(page.locator(".certificate")).to_contain_text(facts["decision"])
    price = page.locator(".product__price .price").inner_text()
    assert VND.fullmatch(price), f"price written {price!r}, not like “185.000 ₫”"
    assert price == listed_price == format_vnd(facts["price"])
    after_each_page(page)
    return {"slug": slug, **facts}


def no_console_errors(check_page):
    # Accessibility is checked page by page in test_accessibility.py; here only what the console says.
    return lambda page: check_page(page, accessibility=False)


def test_vietnamese_shopper_filters_the_catalogue_and_opens_a_four_star_product(open_page, in_demo, check_page):
    page = open_page()
    product = walk_to_a_four_star_product(page, "vi", in_demo, no_console_errors(check_page))
    assert product["name_vi"] == page.get_by_role("heading", level=1).inner_text()
    assert page.evaluate("document.documentElement.lang") == "vi"


def test_english_shopper_walks_the_same_way_and_can_switch_to_vietnamese(
        open_page, in_demo, check_page, live_server):
    page = open_page()
    product = walk_to_a_four_star_product(page, "en", in_demo, no_console_errors(check_page))
    slug = product["slug"]
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.get_by_role("heading", level=1)).to_have_text(product["name_en"])

    alternates = {link.get_attribute("hreflang"): link.get_attribute("href")
                  for link in page.locator('link[rel="alternate"][hreflang]').all()}
    assert alternates == {"vi": f"{live_server}/products/{slug}", "en": f"{live_server}/en/products/{slug}",
                          "x-default": f"{live_server}/products/{slug}"}
    assert page.locator('link[rel="canonical"]').get_attribute("href") == f"{live_server}/en/products/{slug}"

    switch = page.get_by_role("navigation", name="Language")
    to_vietnamese = switch.get_by_role("link", name="VI")
    expect(to_vietnamese).to_have_attribute("href", f"/products/{slug}")
    expect(to_vietnamese).to_have_attribute("hreflang", "vi")
    to_vietnamese.click()
    expect(page).to_have_url(f"{live_server}/products/{slug}")
    assert page.evaluate("document.documentElement.lang") == "vi"
    expect(page.get_by_role("heading", level=1)).to_have_text(product["name_vi"])
    expect(page.locator(".product__summary").get_by_role("img", name="OCOP 4 sao")).to_be_visible()
    expect(page.get_by_role("navigation", name="Ngôn ngữ").get_by_role("link", name="EN")).to_have_attribute(
        "href", f"/en/products/{slug}")
    check_page(page, accessibility=False)

    # The switch keeps a filtered catalogue's filters.
    page.goto("/en/products?stars=4&sort=price_asc")
    to_vietnamese = page.get_by_role("navigation", name="Language").get_by_role("link", name="VI")
    expect(to_vietnamese).to_have_attribute("href", "/products?stars=4&sort=price_asc")
    to_vietnamese.click()
    expect(page.locator("#results-count")).to_have_text(
        WORDS["vi"]["count"].format(in_demo(lambda: catalogue_total(stars=(4,)))))
    expect(page.get_by_role("checkbox", name=re.compile("^4 sao"))).to_be_checked()


def test_phone_shopper_opens_the_folded_filters_and_nothing_scrolls_sideways(open_page, in_demo, check_page):
    page = open_page("phone")

    def fits_and_is_clean(page):
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths[0]}px of content in {widths[1]}px"
        check_page(page, accessibility=False)

    walk_to_a_four_star_product(page, "vi", in_demo, fits_and_is_clean, on_phone=True)
