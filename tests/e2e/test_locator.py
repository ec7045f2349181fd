"""The locator in a real browser, as a tourist's phone uses it: "My position" with a granted (or refused)
position, the map and its markers, tiles that fail, and every locator page through axe."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storefront.extensions import db
from storefront.locator.models import Destination, SalesPoint, SalesPointStock
from tests.e2e.waiting import wait_until

pytestmark = pytest.mark.e2e

# The configured tile host; open_page (conftest) answers it with a stub tile unless a test routes it.
TILES = re.compile(r"^https://tile\.openstreetmap\.org/")
LY_SON_PORT = {"latitude": 15.3790, "longitude": 109.1210}


# Places on the map: single pins, plus the numbers on the bubbles that group nearby ones.
PLACES_ON_MAP = """() => document.querySelectorAll('#map .map-pin').length
  + [...document.querySelectorAll('#map .marker-cluster span')].reduce((sum, n) => sum + Number(n.textContent), 0)"""


def show_map(page):
    """The map loads when it comes near the screen: on a phone, once the list/map switch shows it."""
    switch = page.locator('.view-switch__button[data-view="map"]')
    if switch.count() and switch.is_visible():
        switch.click()
    page.locator("#map").scroll_into_view_if_needed()
    expect(page.locator("#map .leaflet-marker-icon").first).to_be_visible()


@pytest.fixture(scope="module")
def demo_places(demo_app):
    with demo_app.app_context():
        points = db.session.scalars(select(SalesPoint).order_by(SalesPoint.id)).all()
        destination = db.session.scalars(select(Destination).order_by(Destination.id)).first()
        stocked = db.session.scalars(select(SalesPointStock).order_by(SalesPointStock.product_id)).first()
        return {"points": {p.slug: p.name_vi for p in points}, "count": len(points),
                "point": points[0].slug, "destination": destination.product.slug,
                "destinations": db.session.query(Destination).count(), "stocked": stocked.product.slug}


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_map_shows_every_place_and_my_position_puts_the_nearest_first(open_page, check_page, demo_places,
                                                                           device):
    page = open_page(device, geolocation=LY_SON_PORT, permissions=["geolocation"])
    page.goto("/sales-points")
    show_map(page)
    wait_until(page, f"() => ({PLACES_ON_MAP})() === {demo_places['count'] + demo_places['destinations']}")
    expect(page.locator("#map .leaflet-control-attribution")).to_contain_text("OpenStreetMap")
    pin = page.locator("#map .map-pin--destination").first
    if not pin.count():  # grouped: open a bubble first
        page.locator("#map .marker-cluster").first.click()
    page.locator("#map .map-pin").first.click()
    expect(page.locator(".leaflet-popup-content a").first).to_be_visible()
    page.get_by_role("button", name="Vị trí của tôi").click()
    expect(page).to_have_url(re.compile(r"lat=15\.379"))  # sorted without a reload, kept in the address
    first = page.locator(".places .place__name a").first
    expect(first).to_have_text("Điểm giới thiệu và bán sản phẩm OCOP đặc khu Lý Sơn")
    expect(page.locator(".places .place__distance").first).to_have_text(re.compile(r"cách \d+\s?m$"))
    expect(page.locator("#results-count")).to_contain_text("gần bạn nhất trước")
    expect(page.locator("#map .map-pin--nearest").first).to_be_visible()
    check_page(page)


def test_a_refused_position_says_what_to_do_instead(open_page, check_page):
    page = open_page("phone")  # no geolocation permission: the browser refuses
    page.goto("/en/sales-points")
    page.get_by_role("button", name="My position").click()
    expect(page.locator("#position-status")).to_contain_text("You did not allow this site to know your position")
    assert "lat=" not in page.url
    check_page(page)


def test_when_tiles_cannot_load_the_list_stays_and_the_map_says_so(open_page, demo_places):
    page = open_page("phone")
    page.route(TILES, lambda route: route.abort())
    page.goto("/sales-points?near=sa+huynh&view=map")
    page.locator("#map").scroll_into_view_if_needed()
    expect(page.locator(".map__notice")).to_contain_text("Không tải được nền bản đồ")
    expect(page.locator(".places .place__name a").first).to_have_text(
        "Điểm giới thiệu và bán sản phẩm OCOP – Trạm dừng chân Sa Huỳnh")
    show_map(page)


def test_without_javascript_a_typed_place_sorts_the_list(open_page):
    page = open_page("phone", java_script_enabled=False)
    page.goto("/en/sales-points")
    expect(page.get_by_role("button", name="My position")).to_have_count(0)
    expect(page.locator(".map__fallback")).to_be_visible()
    page.get_by_label("Near a place: a commune, ward, beach or sales point").fill("ly son")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".places .place__name a").first).to_have_text("Lý Sơn OCOP showroom")
    expect(page.locator("#results-count")).to_contain_text("nearest to Lý Sơn special zone first")


def test_a_visit_request_from_a_phone(open_page, demo_places):
    page = open_page("phone")
    page.goto(f"/en/products/{demo_places['destination']}")
    page.get_by_role("link", name="Request a visit").click()
    page.get_by_label("Your name").fill("Lê Văn An")
    page.get_by_label("Phone number").fill("0905 123 456")
    page.get_by_label("Day of the visit").fill("2020-01-01")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".field__error")).to_contain_text("This day has passed")
    page.get_by_label("Day of the visit").fill(page.get_by_label("Day of the visit").get_attribute("min"))
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your visit request was sent")


PAGES = {
    "sales points": "/sales-points",
    "sorted sales points": "/sales-points?lat=15.12&lng=108.8",
    "sales point": "/sales-points/{point}",
    "destinations": "/destinations",
    "destination product": "/products/{destination}",
    "visit request": "/destinations/{destination}/visit",
    "where to buy": "/products/{stocked}?near=ly+son",
}
VARIANTS = [("vi", "phone"), ("en", "phone"), ("vi", "desktop")]


@pytest.mark.parametrize("lang, device", VARIANTS, ids=["-".join(v) for v in VARIANTS])
@pytest.mark.parametrize("kind", list(PAGES))
def test_locator_pages_are_accessible(open_page, check_page, demo_places, kind, lang, device):
    page = open_page(device)
    path = PAGES[kind].format(**demo_places)
    page.goto(path if lang == "vi" else "/en" + path)
    if page.locator("#map").count():
        show_map(page)
    if device == "phone":
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path} scrolls sideways: {widths[0]}px of content in {widths[1]}px"
    check_page(page)
