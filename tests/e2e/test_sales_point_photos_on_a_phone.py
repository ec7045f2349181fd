"""A sales point's photos on a tourist's phone: the drawn shop front of the demo as the main photo, the
gallery beneath it, no layout shift while the photos load, the page clean under axe; and the thumbnail on
the locator's cards."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storefront.extensions import db
from storefront.locator.models import SalesPoint
from tests.e2e.waiting import wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def showroom(demo_app):
    """The provincial showroom: the demo gives it two photos (its shop front and its shelves inside)."""
    with demo_app.app_context():
        point = db.session.scalars(select(SalesPoint).order_by(SalesPoint.id)).first()
        assert len(point.photos) == 2
        return {"slug": point.slug, "alts": {"vi": [p.alt_vi for p in point.photos],
                                             "en": [p.alt_en for p in point.photos]}}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_points_photos_on_a_phone(open_page, check_page, showroom, lang):
    page = open_page("phone")
    page.goto(f"{'/en' if lang == 'en' else ''}/sales-points/{showroom['slug']}")
    main = page.locator(".gallery__image")
    expect(main).to_be_visible()
    assert main.get_attribute("alt") == showroom["alts"][lang][0]
    # Loaded, at the width the page gives it, in the proportions width and height reserved for it.
    wait_until(page, "document.querySelector('.gallery__image').complete")
    box = main.bounding_box()
    assert box["width"] == pytest.approx(390 - 32, abs=2)
    assert box["height"] == pytest.approx(box["width"] * 3 / 4, abs=2)
    assert page.evaluate("document.querySelector('.gallery__image').naturalWidth") > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    thumbs = page.locator(".gallery__thumbs a")
    expect(thumbs).to_have_count(2)
    thumbs.nth(1).click()  # shows the second photo in the main frame instead of opening the file
    expect(main).to_have_attribute("alt", showroom["alts"][lang][1])
    assert page.url.endswith(showroom["slug"])
    check_page(page)


def test_the_locators_cards_show_a_small_thumbnail_on_a_phone(open_page, check_page):
    page = open_page("phone")
    page.goto("/en/sales-points")
    card = page.locator(".places .place--sales_point").first
    card.scroll_into_view_if_needed()
    thumb = card.locator(".place__thumb")
    expect(thumb).to_be_visible()
    box = thumb.bounding_box()
    assert box["width"] <= 90 and box["height"] <= 70
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    check_page(page)
