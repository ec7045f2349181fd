"""The footer names who runs the shop and leads to its policies, on a phone and a desktop, in both
languages, with and without JavaScript; a product page carries the preview a shared link shows."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storefront.catalog.models import Product
from storefront.catalog.queries import sitemap_entries
from storefront.config import TestConfig
from storefront.extensions import db

pytestmark = pytest.mark.e2e

TITLES = {"vi": "Đổi trả và hoàn tiền", "en": "Returns and refunds"}
PREFIX = {"vi": "", "en": "/en"}


def a_product_with_photos() -> dict:
    certified, _ = sitemap_entries()
    for product in db.session.scalars(select(Product).where(Product.slug.in_(certified)).order_by(Product.id)):
        if product.images and product.price is not None:
            return {"slug": product.slug, "name_vi": product.name_vi, "name_en": product.name_en or product.name_vi}
    pytest.fail("the demo catalogue has no certified product with a photo and a price")


def footer_fits(page) -> None:
    """Nothing in the footer is wider than the screen, and every link in it can be tapped (measured once the
    page and its stylesheet have loaded)."""
    page.wait_for_load_state("load")
    overflow = page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        return [...document.querySelectorAll('.site-footer *')]
            .filter(el => el.getBoundingClientRect().right > width + 0.5).map(el => el.outerHTML.slice(0, 80));
    }""")
    assert not overflow, f"wider than the screen: {overflow}"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    small = page.evaluate("""() => [...document.querySelectorAll('.site-footer a')]
        .filter(a => a.getBoundingClientRect().height < 24).map(a => a.textContent)""")
    assert not small, f"links too small to tap: {small}"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_footer_leads_to_the_policies_and_calls_the_hotline(open_page, check_page, device, lang, javascript):
    page = open_page(device, java_script_enabled=javascript)
    page.goto(f"{PREFIX[lang]}/")
    footer = page.locator("footer.site-footer")
    hotline = footer.locator('a[href^="tel:"]')
    expect(hotline).to_have_count(1)
    expect(hotline).to_have_attribute("href", "tel:+842555550000")
    expect(hotline).to_have_text(TestConfig.OPERATOR_HOTLINE)
    expect(footer).to_contain_text(TestConfig.OPERATOR_NAME)
    expect(footer).to_contain_text(TestConfig.OPERATOR_REGISTRATION)
    expect(footer.locator('a[href^="mailto:"]')).to_have_attribute("href", f"mailto:{TestConfig.OPERATOR_EMAIL}")
    footer_fits(page)

    footer.get_by_role("link", name=TITLES[lang]).click()
    expect(page).to_have_url(re.compile(rf"{PREFIX[lang]}/policies/returns$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLES[lang])
    assert page.evaluate("document.documentElement.lang") == lang
    expect(page.locator("main").locator('a[href="tel:+842555550000"]')).to_have_count(1)
    expect(footer.get_by_role("link", name=TITLES[lang])).to_have_attribute("aria-current", "page")
    footer_fits(page)
    check_page(page)

    # The other policies, from the list under the text.
    for name in ("shipping", "payment", "privacy"):
        page.locator("nav.policy-list").locator(f'a[href="{PREFIX[lang]}/policies/{name}"]').click()
        expect(page).to_have_url(re.compile(rf"{PREFIX[lang]}/policies/{name}$"))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_a_product_page_carries_its_preview_for_a_shared_link(open_page, check_page, in_demo, live_server,
                                                              device, lang):
    product = in_demo(a_product_with_photos)
    page = open_page(device)
    page.goto(f"{PREFIX[lang]}/products/{product['slug']}")
    name = product["name_vi"] if lang == "vi" else product["name_en"]
    expect(page.get_by_role("heading", level=1)).to_have_text(name)

    def meta(key):
        return page.locator(f'meta[property="{key}"], meta[name="{key}"]').get_attribute("content")

    assert meta("og:title") == name
    assert meta("og:type") == "product"
    assert meta("og:url") == f"{live_server}{PREFIX[lang]}/products/{product['slug']}"
    assert meta("og:locale") == {"vi": "vi_VN", "en": "en_US"}[lang]
    image = meta("og:image")
    assert image.startswith(f"{live_server}/media/") and image.endswith(f"-{meta('og:image:width')}.webp")
    assert meta("twitter:card") == "summary_large_image" and meta("twitter:image") == image
    assert meta("product:price:currency") == "VND" and int(meta("product:price:amount")) > 0
    # The picture the preview shows is there to fetch.
    assert page.request.get(image).status == 200
    footer_fits(page)
    check_page(page)
