"""The demo catalogue as built in memory, before anything is written: dated from any day, and refusing to
give other figures than the province's."""
import io
from datetime import date, timedelta

import pytest
from PIL import Image

from storefront.catalog.models import ProductGroup
from storefront.certification.models import CertificationLevel
from storefront.demo import drawing, roster
from storefront.demo.builder import build_catalogue, slugify


def test_slugs_fold_tones_and_d_bar():
    assert slugify("Đường phèn Quảng Ngãi") == "duong-phen-quang-ngai"
    assert slugify("Tỏi đen cô đơn Lý Sơn – Cô Hạnh") == "toi-den-co-don-ly-son-co-hanh"
    # Decomposed input (NFD) gives the same slug as composed input.
    assert slugify("Nu\u031bo\u031b\u0301c ma\u0306\u0301m") == "nuoc-mam"


@pytest.mark.parametrize("day", [date(2026, 11, 22), date(2025, 3, 1), date(2028, 2, 29)])
def test_the_same_figures_come_out_whatever_the_day(day):
    catalogue = build_catalogue(day)
    valid = [c for c in catalogue.certificates
             if c.valid_from <= day <= c.valid_until and (c.revoked_at is None or c.revoked_at.date() > day)]
    certified = {id(c.product): c.stars for c in valid}

    assert len(certified) == 191
    assert sorted(certified.values()).count(4) == 17
    assert all(c.decision_date <= day for c in catalogue.certificates)
    # Whether a district or the province certified a 3★ product depends on the decision's date.
    for certificate in catalogue.certificates:
        before_reform = certificate.decision_date < date(2025, 7, 1)
        assert (certificate.level is CertificationLevel.DISTRICT) == (certificate.stars == 3 and before_reform)


def test_building_twice_gives_the_same_catalogue():
    day = date(2026, 11, 22)
    first, second = build_catalogue(day), build_catalogue(day)

    assert [p.name_vi for p in first.products] == [p.name_vi for p in second.products]
    assert [p.phone for p in first.producers] == [p.phone for p in second.producers]


def test_a_roster_that_misses_the_figures_is_refused(monkeypatch):
    monkeypatch.setattr(roster, "ROSTER", roster.ROSTER[:-1])

    with pytest.raises(ValueError, match="province's figures"):
        build_catalogue(date(2026, 11, 22))


def test_pictures_are_reused_wherever_they_are_the_same_drawing():
    catalogue = build_catalogue(date(2026, 11, 22))
    keys = [picture.key for _product, pictures in catalogue.product_pictures for picture in pictures]

    assert len(set(keys)) < len(keys) / 2
    assert catalogue.steps == 1 + len(catalogue.logos) + len(catalogue.products) + len(catalogue.sales_points)


def test_each_sales_point_gets_its_own_shop_front_with_its_name_on_the_sign():
    catalogue = build_catalogue(date(2026, 11, 22))
    fronts = [pictures[0] for _point, pictures in catalogue.point_pictures]

    assert [point for point, _pictures in catalogue.point_pictures] == catalogue.sales_points
    assert {picture.kind for picture in fronts} == {"shop_front"}
    assert [picture.title for picture in fronts] == [point.name_vi for point in catalogue.sales_points]
    assert len({picture.motif for picture in fronts}) == len(fronts)  # an awning colour each


def test_a_shop_front_shows_its_awning_colour_and_differs_per_point():
    first = Image.open(io.BytesIO(drawing.shop_front_picture("Điểm giới thiệu và bán sản phẩm OCOP Ba Tơ", 0)))
    second = Image.open(io.BytesIO(drawing.shop_front_picture("Điểm giới thiệu và bán sản phẩm OCOP Ba Tơ", 1)))

    assert first.format == "PNG" and first.size == drawing.PICTURE_SIZE
    # The first stripe of the awning, just under its top edge.
    x, y = round(first.width * 0.13), round(first.height * 0.4)
    assert first.getpixel((x, y))[:3] == pytest.approx(drawing.AWNING_COLOURS[0], abs=6)
    assert second.getpixel((x, y))[:3] == pytest.approx(drawing.AWNING_COLOURS[1], abs=6)


def test_a_product_picture_is_a_modest_png_with_the_groups_colours():
    data = drawing.product_picture("black_garlic", ProductGroup.FOOD, "Tỏi đen Lý Sơn", "Lý Sơn black garlic")
    image = Image.open(io.BytesIO(data))

    assert image.format == "PNG" and image.size == drawing.PICTURE_SIZE
    assert image.width <= 1200
    top, _bottom, band = drawing.GROUP_COLOURS[ProductGroup.FOOD]
    assert image.getpixel((image.width - 5, 5))[:3] == pytest.approx(top, abs=4)
    assert image.getpixel((5, image.height - 5))[:3] == band


def test_expiring_certificates_fall_within_30_and_90_days():
    day = date(2026, 11, 22)
    catalogue = build_catalogue(day)
    ends = {}
    for certificate in catalogue.certificates:
        if certificate.revoked_at is None and certificate.valid_from <= day <= certificate.valid_until:
            ends[id(certificate.product)] = max(ends.get(id(certificate.product), day), certificate.valid_until)
    left = [(until - day).days for until in ends.values()]

    assert sum(days <= 30 for days in left) == roster.EXPIRING_WITHIN_30_DAYS
    assert sum(30 < days <= 90 for days in left) == roster.EXPIRING_WITHIN_90_DAYS
    assert min(left) >= 0 and timedelta(days=max(left)) < timedelta(days=3 * 366)
