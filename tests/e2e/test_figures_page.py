"""The public page "OCOP in figures" on a phone and a desktop, in Vietnamese and English: with JavaScript its
three charts are drawn beside their tables; without it the tables alone show. The header's menu leads to
the places to visit and to certificate verification, and fits a phone's width."""
import pytest

from figures import PAINTED
from tests.e2e.waiting import wait_until

pytestmark = pytest.mark.e2e

VARIANTS = [("vi", "desktop"), ("en", "desktop"), ("vi", "phone"), ("en", "phone")]
IDS = ["-".join(variant) for variant in VARIANTS]
CHARTS = ("districts", "groups", "years")

SIDEWAYS = "[document.documentElement.scrollWidth, window.innerWidth]"


def prefix(lang: str) -> str:
    return "" if lang == "vi" else "/en"


def assert_fits_the_screen(page, device: str) -> None:
    if device == "phone":
        widths = page.evaluate(SIDEWAYS)
        assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths}"


@pytest.mark.parametrize("lang, device", VARIANTS, ids=IDS)
def test_the_figures_page_draws_its_charts_beside_their_tables(open_page, check_page, lang, device,
                                                               tmp_path_factory):
    page = open_page(device, reduced_motion="reduce")
    response = page.goto(prefix(lang) + "/ocop-in-figures")
    assert response.status == 200
    for key in CHARTS:
        chart = f"chart-{key}"
        wait_until(page, f"document.getElementById('{chart}').dataset.drawn === 'true'")
        canvas = page.locator(f"#{chart}")
        assert canvas.is_visible()
        box = canvas.bounding_box()
        assert box["width"] > 250 and box["height"] > 250, (key, box)
        assert page.evaluate(PAINTED, chart) > 0.03, f"{chart} looks empty"
        assert page.locator(f"#table-{key}").is_visible()
    districts = page.locator("#table-districts tbody th").all_inner_texts()
    assert len(districts) == 13 and "Lý Sơn" in districts
    assert len(page.locator("#table-groups tbody tr").all()) == 6
    # The demo's certificates were decided from 2022 on; the years' table ends with this year and a total.
    years = page.locator("#table-years tbody th").all_inner_texts()
    assert years[0] == "2022" and len(years) >= 4
    assert_fits_the_screen(page, device)
    shots = tmp_path_factory.getbasetemp() / "screenshots"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"figures-{lang}-{device}.png"), full_page=True)
    check_page(page)


@pytest.mark.parametrize("lang, device", VARIANTS, ids=IDS)
def test_without_javascript_the_figures_page_shows_its_tables_alone(open_page, check_page, lang, device):
    page = open_page(device, java_script_enabled=False)
    page.goto(prefix(lang) + "/ocop-in-figures")
    for key in CHARTS:
        assert page.locator(f"#table-{key}").is_visible()
        assert not page.locator(f"#chart-{key}").is_visible()  # no empty frame where a chart would be
        assert page.locator(f"#table-{key} tfoot td").first.inner_text().strip().isdigit()
    total = page.locator("#table-districts tfoot td").first.inner_text()
    assert total == page.locator("#province-figures tbody td").first.inner_text()
    assert_fits_the_screen(page, device)
    check_page(page)


def open_menu(page, device: str) -> None:
    """On a phone the navigation is in the header's menu: its button opens it (a <details>, JavaScript or not)."""
    if device == "phone" and page.locator("header .site-menu[open]").count() == 0:
        page.locator("header .site-menu > summary").click()
        page.locator("header .site-menu[open]").wait_for()


LABELS = {"vi": ("Điểm tham quan", "Xác thực giấy chứng nhận"), "en": ("Places to visit", "Verify a certificate")}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("lang, device", VARIANTS, ids=IDS)
def test_the_header_menu_leads_to_places_to_visit_and_to_verification(open_page, check_page, lang, device,
                                                                      javascript):
    page = open_page(device, java_script_enabled=javascript)
    page.goto(prefix(lang) + "/ocop-in-figures")
    open_menu(page, device)
    menu = page.get_by_role("navigation", name="Main" if lang == "en" else "Chính")
    places, verify = LABELS[lang]
    # Every link of the menu is on the screen, none cut off at its right edge.
    width = page.evaluate("window.innerWidth")
    for link in menu.get_by_role("link").all():
        box = link.bounding_box()
        assert link.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= width, link.inner_text()
    assert_fits_the_screen(page, device)

    menu.get_by_role("link", name=places).click()
    page.wait_for_url(f"**{prefix(lang)}/destinations")
    open_menu(page, device)
    assert page.get_by_role("navigation", name="Main" if lang == "en" else "Chính") \
        .get_by_role("link", name=places).get_attribute("aria-current") == "page"
    assert_fits_the_screen(page, device)
    check_page(page)

    open_menu(page, device)
    page.get_by_role("navigation", name="Main" if lang == "en" else "Chính").get_by_role("link", name=verify).click()
    page.wait_for_url(f"**{prefix(lang)}/verify")
    assert page.locator("main form input").first.is_visible()
    assert_fits_the_screen(page, device)
    check_page(page)
