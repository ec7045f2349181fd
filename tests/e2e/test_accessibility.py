"""Every kind of public page passes axe (no serious or critical violation) and runs without a console
error or a Content-Security-Policy violation: in Vietnamese and English on a desktop, and on a phone,
where it must not scroll sideways either."""
import pytest
from sqlalchemy import select

from storefront.catalog import queries
from storefront.catalog.forms import CatalogueFilters
from storefront.extensions import db
from storefront.locator.models import SalesPoint

pytestmark = pytest.mark.e2e

PAGES = ["home", "catalogue", "filtered catalogue", "product", "producer", "figures", "sales points",
         "sales point", "not found"]
VARIANTS = [("vi", "desktop"), ("en", "desktop"), ("vi", "phone")]


@pytest.fixture(scope="module")
def sample_paths(demo_app):
    """Paths (without the language prefix) of one page of each kind in the demo catalogue."""
    with demo_app.app_context():
        # The certified product with the most to show (photos, story, heritage), so its page has
        # every section a product page can have.
        cards = queries.catalogue(CatalogueFilters(per_page=10_000), with_facets=False,
                                  load=queries.cards_for).cards
        card = max(cards, key=lambda card: (len(card.product.images), bool(card.product.heritage_vi),
                                            bool(card.product.story_vi), card.stars))
        point = db.session.scalars(select(SalesPoint).where(SalesPoint.is_published.is_(True))
                                   .order_by(SalesPoint.id)).first()
        return {
            "home": "/",
            "catalogue": "/products",
            # Two filters and a sort: the page then also shows its “active filters” chips.
            "filtered catalogue": f"/products?stars={card.stars}&group={card.product.group}&sort=price_asc",
            "product": f"/products/{card.product.slug}",
            "producer": f"/producers/{card.product.producer.slug}",
            "figures": "/ocop-in-figures",
            "sales points": "/sales-points",
            "sales point": f"/sales-points/{point.slug}",
            "not found": "/khong-co-trang-nay",
        }


@pytest.mark.parametrize("lang, device", VARIANTS, ids=["-".join(v) for v in VARIANTS])
@pytest.mark.parametrize("kind", PAGES)
def test_page_is_accessible_and_clean(open_page, check_page, sample_paths, kind, lang, device):
    page = open_page(device)
    path = sample_paths[kind]
    url = path if lang == "vi" else "/en" + path
    if kind == "not found":
        page.log.expect_error_status(url)
    response = page.goto(url)
    assert response.status == (404 if kind == "not found" else 200)
    assert page.evaluate("document.documentElement.lang") == lang
    if device == "phone":
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{url} scrolls sideways: {widths[0]}px of content in {widths[1]}px"
    check_page(page)
