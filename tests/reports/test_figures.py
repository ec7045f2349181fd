"""The province's figures are computed live, count only valid certificates, and agree with the JSON."""
from datetime import timedelta

from storefront.catalog.models import ProducerType
from storefront.clock import today
from storefront.extensions import db
from storefront.locator.models import Funding
from storefront.reports.queries import province_figures


def test_figures_count_valid_certificates_producers_districts_and_points(
        client, make_product, make_producer, make_certificate, make_area, make_sales_point):
    district_commune = make_area()
    enterprise = make_producer(type=ProducerType.ENTERPRISE, area=district_commune)
    household = make_producer(type=ProducerType.HOUSEHOLD)
    make_product(producer=enterprise, stars=4, sold_online=True)
    make_product(producer=enterprise, stars=3)
    make_product(producer=household, stars=3, sold_online=True)
    lapsed = make_product(producer=make_producer(type=ProducerType.COOPERATIVE), stars=None)
    make_certificate(lapsed, stars=3, decision_date=today() - timedelta(days=1200),
                     valid_until=today() - timedelta(days=1))
    make_sales_point(funding=Funding.STATE_SUPPORTED)
    make_sales_point(funding=Funding.PRIVATE)
    make_sales_point(funding=Funding.PRIVATE, is_published=False)
    db.session.commit()

    figures = province_figures()
    assert figures.certified_products == 3
    assert figures.certified_by_stars == {5: 0, 4: 1, 3: 2}
    assert figures.producers_with_certified_product == 2
    assert figures.producers_by_type == {"enterprise": 1, "cooperative": 0, "cooperative_group": 0,
                                         "household": 1}
    assert figures.former_districts_with_product == 2
    assert figures.certified_sold_online == 2
    assert figures.sales_points == 2
    assert figures.sales_points_by_funding == {"state_supported": 1, "private": 1}

    stats = client.get("/api/v1/stats").get_json()
    assert stats["certified_products"] == 3
    assert stats["certified_by_stars"] == {"5": 0, "4": 1, "3": 2}
    assert stats["as_of"] == today().isoformat()
    page = client.get("/en/ocop-in-figures").get_data(as_text=True)
    assert "Products with a valid OCOP certificate" in page


def test_figures_as_of_an_earlier_day_count_what_was_valid_then(make_product, make_certificate):
    product = make_product(stars=None)
    make_certificate(product, stars=3, decision_date=today() - timedelta(days=1200),
                     valid_until=today() - timedelta(days=10))
    db.session.commit()
    assert province_figures().certified_products == 0
    assert province_figures(today() - timedelta(days=11)).certified_products == 1
