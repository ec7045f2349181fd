"""With JavaScript turned off the catalogue still filters with its form and pages with its links."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from storefront.catalog import queries
from storefront.catalog.forms import CatalogueFilters

pytestmark = pytest.mark.e2e

PER_PAGE = 24


def a_star_level_with_several_pages() -> tuple[int, int]:
    totals = {stars: queries.catalogue(CatalogueFilters(stars=(stars,)), with_facets=False).total
              for stars in (3, 4, 5)}
    stars, total = max(totals.items(), key=lambda item: item[1])
    assert total > PER_PAGE, f"the demo catalogue needs a star level with more than {PER_PAGE} products"
    return stars, total


def listed_slugs(page, count: int) -> list[str]:
    """The products listed, once all `count` of them are on the page (it may still be loading)."""
    links = page.locator("section.results .card__link")
    expect(links).to_have_count(count)
    return links.evaluate_all("links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_catalogue_filters_and_pages_without_javascript(open_page, in_demo, check_page, device):
    stars, total = in_demo(a_star_level_with_several_pages)
    page = open_page(device, java_script_enabled=False)
    page.goto("/products")
    assert page.evaluate("document.documentElement.lang") == "vi"

    # Nothing runs to open the filter panel: when it starts folded, the shopper opens it with a click
    # on its summary, like any <details>.
    checkbox = page.get_by_role("checkbox", name=re.compile(rf"^{stars} sao"))
    if not checkbox.is_visible():
        summary = page.locator("details.filters > summary")
        summary.scroll_into_view_if_needed()
        reachable = summary.evaluate("""summary => {
            const box = summary.getBoundingClientRect();
            return summary.contains(document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2));
        }""")
        assert reachable, ("without JavaScript the filter panel is folded and a mouse cannot open it: "
                           f"its <summary> does not receive clicks ({page.viewport_size['width']}px wide)")
        summary.click()
    expect(checkbox).to_be_visible()
    checkbox.check()
    page.get_by_role("button", name="Xem sản phẩm").click()

    expect(page).to_have_url(re.compile(rf"/products\?(.+&)?stars={stars}(&|$)"))
    expect(page.locator("#results-count")).to_have_text(f"{total} sản phẩm được chứng nhận")
    first_page = listed_slugs(page, PER_PAGE)
    pages = -(-total // PER_PAGE)
    expect(page.locator(".pagination__of")).to_have_text(f"Trang 1/{pages}")

    page.get_by_role("link", name=re.compile(r"^Sau")).click()
    expect(page.locator('.pagination [aria-current="page"]')).to_have_text("2")
    query = parse_qs(urlsplit(page.url).query)
    assert query["stars"] == [str(stars)] and query["page"] == ["2"]
    expect(page.locator("#results-count")).to_have_text(f"{total} sản phẩm được chứng nhận")
    second_page = listed_slugs(page, min(PER_PAGE, total - PER_PAGE))
    assert not set(first_page) & set(second_page)
    expect(page.locator(f'input[name="stars"][value="{stars}"]')).to_be_checked()

    page.get_by_role("link", name=re.compile(r"Trước$")).click()
    expect(page.locator('.pagination [aria-current="page"]')).to_have_text("1")
    assert listed_slugs(page, PER_PAGE) == first_page
    check_page(page, accessibility=False)
