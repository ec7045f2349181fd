"""The public page "OCOP in figures": certified products by former district and by group, and certificates
by the year of their decision, each a chart's data and a table with the same numbers, in both languages.
Certification is judged on the day: an expired or revoked certificate never counts as certified."""
import json
import re
from datetime import date, datetime

import pytest

from storefront.areas.models import AreaLevel
from storefront.catalog.models import ProductGroup
from storefront.extensions import db
from storefront.reports.programme import YearCount, certificates_by_year

from figures import table_rows

DAY = date(2025, 6, 30)


def chart_data(page: str, key: str) -> dict:
    block = re.search(rf'<script type="application/json" id="chart-{key}-data">(.*?)</script>', page, re.S)
    return json.loads(block.group(1))


@pytest.fixture
def province(travel_to, make_area, make_producer, make_product, make_certificate):
    """On 30/06/2025, in two former districts: two products certified, one expired, one revoked the day
    before, one renewed after its first certificate ended, and one decided after the day."""
    travel_to(DAY)
    ly_son = make_area(name="Lý Sơn", level=AreaLevel.FORMER_DISTRICT)
    ba_to = make_area(name="Ba Tơ", level=AreaLevel.FORMER_DISTRICT)
    island = make_producer(area=make_area(parent=ly_son))
    highland = make_producer(area=make_area(parent=ba_to))

    def product(producer, group, certificates):
        item = make_product(producer=producer, group=group, stars=None)
        for stars, decided, fields in certificates:
            make_certificate(item, stars=stars, decision_date=decided, **fields)
        return item

    product(island, ProductGroup.FOOD, [(3, date(2023, 3, 1), {})])
    product(island, ProductGroup.DRINKS, [(4, date(2024, 5, 1), {})])
    product(highland, ProductGroup.FOOD, [(3, date(2021, 1, 10), {})])  # ended 09/01/2024: expired
    product(highland, ProductGroup.HANDICRAFTS,  # revoked on 29/06/2025 at 10:00 in Quảng Ngãi
            [(3, date(2024, 2, 1), {"revoked_at": datetime(2025, 6, 29, 3, 0), "revocation_reason": "Vi phạm"})])
    product(highland, ProductGroup.HANDICRAFTS, [(3, date(2021, 9, 1), {}), (3, date(2024, 8, 20), {})])
    product(island, ProductGroup.FOOD, [(4, date(2025, 7, 15), {})])  # decided after the day
    db.session.commit()


def test_certificates_by_year_count_decisions_and_what_became_of_them(province):
    assert certificates_by_year(DAY) == [
        YearCount(2021, decided=2, valid=0, expired=2, revoked=0),
        YearCount(2022, decided=0, valid=0, expired=0, revoked=0),  # a year without a decision still shows
        YearCount(2023, decided=1, valid=1, expired=0, revoked=0),
        YearCount(2024, decided=3, valid=2, expired=0, revoked=1),
        YearCount(2025, decided=0, valid=0, expired=0, revoked=0),  # the July decision is not counted yet
    ]
    # The day before the revocation the certificate was valid; a year later the 2023 one has not ended yet.
    assert certificates_by_year(date(2025, 6, 28))[3] == YearCount(2024, 3, 3, 0, 0)
    assert certificates_by_year(date(2025, 7, 15))[-1] == YearCount(2025, 1, 1, 0, 0)


def test_no_certificate_no_years(travel_to):
    travel_to(DAY)
    assert certificates_by_year(DAY) == []


def test_the_english_page_shows_each_breakdown_as_a_table_and_a_charts_data(client, province):
    response = client.get("/en/ocop-in-figures")
    assert response.status_code == 200
    page = response.get_data(as_text=True)

    # Certified today: the two island products and the renewed one; not the expired nor the revoked one.
    assert table_rows(page, "province-figures")[1] == ["Products with a valid OCOP certificate", "3"]
    districts = table_rows(page, "table-districts")
    assert districts[0][:2] == ["Former district", "Certified"]
    assert districts[1:] == [["Ba Tơ", "1", "1", "0", "0", "1"], ["Lý Sơn", "2", "1", "1", "0", "1"],
                             ["Total", "3", "2", "1", "0", ""]]
    groups = table_rows(page, "table-groups")
    assert groups[0][0] == "Product group" and len(groups) == 1 + 6 + 1
    assert groups[1] == ["Food", "1", "1", "0", "0", "1"]
    assert groups[2] == ["Drinks", "1", "0", "1", "0", "1"]
    assert groups[4] == ["Handicrafts", "1", "1", "0", "0", "1"]
    assert groups[-1] == ["Total", "3", "2", "1", "0", ""]
    years = table_rows(page, "table-years")
    assert years[0] == ["Year of decision", "Certificates granted", "Valid on 30/06/2025", "Expired", "Revoked"]
    assert years[1:] == [["2021", "2", "0", "2", "0"], ["2022", "0", "0", "0", "0"], ["2023", "1", "1", "0", "0"],
                         ["2024", "3", "2", "0", "1"], ["2025", "0", "0", "0", "0"], ["Total", "6", "3", "2", "1"]]
    assert "counted in the year of the decision that granted it" in page

    # Each chart draws exactly its table's numbers, and says in words what it shows.
    data = chart_data(page, "districts")
    assert data["labels"] == ["Ba Tơ", "Lý Sơn"] and data["horizontal"] is True
    assert [(s["label"], s["data"]) for s in data["datasets"]] == [("3 stars", [1, 1]), ("4 stars", [0, 1]),
                                                                     ("5 stars", [0, 0])]
    assert chart_data(page, "groups")["labels"][0] == "Food"
    data = chart_data(page, "years")
    assert data["labels"] == ["2021", "2022", "2023", "2024", "2025"]
    assert [(s["tone"], s["data"]) for s in data["datasets"]] == [
        ("valid", [0, 0, 1, 2, 0]), ("expired", [2, 0, 0, 0, 0]), ("revoked", [0, 0, 0, 1, 0])]
    for key in ("districts", "groups", "years"):
        canvas = re.search(rf'<canvas id="chart-{key}"[^>]*>', page).group(0)
        assert 'role="img"' in canvas and 'aria-label="Bar chart: ' in canvas
    # Without JavaScript the chart stays hidden: the script shows the figure it draws.
    assert page.count('<figure class="chart" hidden>') == 3
    assert "vendor/chart.js/chart.umd.min.js" in page and "js/charts.js" in page
    assert "<script>" not in page  # the data blocks are JSON, never inline code


def test_the_vietnamese_page_after_the_english_one_is_in_vietnamese(client, province):
    client.get("/en/ocop-in-figures")  # computed and kept first in English
    page = client.get("/ocop-in-figures").get_data(as_text=True)
    assert "Giấy chứng nhận theo năm quyết định" in page
    groups = table_rows(page, "table-groups")
    assert groups[0][0] == "Nhóm sản phẩm" and groups[1][0] == "Thực phẩm" and groups[-1][0] == "Tổng cộng"
    assert chart_data(page, "groups")["labels"][:2] == ["Thực phẩm", "Đồ uống"]
    years = table_rows(page, "table-years")
    assert years[0][0] == "Năm quyết định" and years[0][2] == "Còn hiệu lực ngày 30/06/2025"
    assert years[-1] == ["Tổng cộng", "6", "3", "2", "1"]
    assert [s["label"] for s in chart_data(page, "years")["datasets"]] == [
        "Còn hiệu lực ngày 30/06/2025", "Đã hết hạn", "Đã thu hồi"]
    # And English again after Vietnamese.
    english = client.get("/en/ocop-in-figures").get_data(as_text=True)
    assert table_rows(english, "table-groups")[1][0] == "Food"


def test_a_certificate_revoked_or_ended_after_a_page_was_kept_is_counted_anew(client, travel_to, province):
    client.get("/en/ocop-in-figures")
    travel_to(date(2026, 3, 1))  # the 2023 certificate ended on 28/02/2026; the July 2025 one took effect
    page = client.get("/en/ocop-in-figures").get_data(as_text=True)
    years = table_rows(page, "table-years")
    assert years[3] == ["2023", "1", "0", "1", "0"] and years[5] == ["2025", "1", "1", "0", "0"]
    assert years[6] == ["2026", "0", "0", "0", "0"]
    assert table_rows(page, "table-districts")[2] == ["Lý Sơn", "2", "0", "2", "0", "1"]


def test_the_page_without_any_certificate(client, travel_to):
    travel_to(DAY)
    page = client.get("/en/ocop-in-figures").get_data(as_text=True)
    assert "No certificate has been granted yet." in page
    assert 'id="chart-years"' not in page
    assert table_rows(page, "table-groups")[-1] == ["Total", "0", "0", "0", "0", ""]
