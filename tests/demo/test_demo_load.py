"""`flask demo load`: the demo catalogue gives the province's figures today, shows every certificate state,
and never lands on top of other data."""
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storefront.areas.models import Area, AreaKind, AreaLevel
from storefront.catalog.models import Producer, ProducerType, Product, ProductGroup
from storefront.certification.models import (Certificate, CertificateStatus, CertificationLevel,
                                             default_valid_until)
from storefront.certification.queries import certified_products, latest_certificate, stars_by_product, valid_on
from storefront.clock import today
from storefront.demo import drawing
from storefront.demo.models import DemoDataset
from storefront.extensions import db
from storefront.locator.models import SalesPoint
from storefront.media.models import MediaImage
from storefront.media.pipeline import rendition_name
from storefront.media.storage import media_store
from storefront.reports.queries import province_figures

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TABLES = (Area, Producer, Product, Certificate, SalesPoint, MediaImage, DemoDataset)


@pytest.fixture
def demo(demo_app):
    """The shared demo database, in its own app context (the per-test database belongs to the main app)."""
    with demo_app.app_context():
        yield demo_app
        db.session.rollback()


def row_counts():
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in TABLES}


def certified_ids(day=None):
    query, _ = certified_products(day, published_only=False)
    return {product.id for product, _stars in db.session.execute(query)}


def test_the_figures_are_the_provinces_table(demo):
    figures = province_figures()

    assert figures.as_of == today()
    assert figures.certified_products == 191
    assert figures.certified_by_stars == {5: 0, 4: 17, 3: 174}
    assert (figures.former_districts_with_product, figures.former_districts) == (13, 13)
    assert figures.producers_with_certified_product == 120
    assert figures.producers_by_type == {"enterprise": 19, "cooperative": 34, "cooperative_group": 0,
                                         "household": 67}
    assert figures.certified_sold_online == 130
    assert figures.sales_points == 13
    assert figures.sales_points_by_funding == {"state_supported": 6, "private": 7}


def test_certificates_about_to_expire_are_valid_and_counted(demo):
    days_left = dict(db.session.execute(
        select(Certificate.product_id, func.max(Certificate.valid_until)).where(valid_on())
        .group_by(Certificate.product_id)).all())
    left = {product_id: (until - today()).days for product_id, until in days_left.items()}

    assert sum(days <= 30 for days in left.values()) == 4
    assert sum(30 < days <= 90 for days in left.values()) == 6
    assert set(left) == certified_ids()


def test_expired_and_revoked_products_are_shown_but_not_counted(demo):
    uncertified = db.session.scalars(
        select(Product).where(Product.id.not_in(certified_ids())).order_by(Product.id)).all()
    states = [latest_certificate(product).status_on(today()) for product in uncertified]

    assert states.count(CertificateStatus.EXPIRED) == 6
    assert states.count(CertificateStatus.REVOKED) == 3
    assert len(uncertified) == 9
    for product in uncertified:
        certificate = latest_certificate(product)
        assert product.is_published and not product.sold_online
        if certificate.status_on(today()) is CertificateStatus.REVOKED:
            assert certificate.revocation_reason
            # Revoked certificates were valid until the day they were withdrawn.
            assert product.id in certified_ids(certificate.revoked_on - timedelta(days=1))
        # Their producers still have a certified product, so the count of producers is the province's.
        assert {p.id for p in product.producer.products} & certified_ids()


def test_some_products_show_an_upgrade_or_a_renewal(demo):
    histories = [product.certificates for product in db.session.scalars(select(Product))
                 if len(product.certificates) > 1]
    upgrades = [c for c in histories if [x.stars for x in c] == [4, 3]]  # newest first
    renewals = [c for c in histories if [x.stars for x in c] == [3, 3]]

    assert len(upgrades) >= 3 and len(renewals) >= 3
    for newest, oldest in upgrades + renewals:
        assert oldest.status_on(today()) is CertificateStatus.EXPIRED
        assert newest.status_on(today()) is CertificateStatus.VALID


def test_certificates_follow_the_rules_of_the_programme(demo):
    certificates = db.session.scalars(select(Certificate)).all()
    reform = date(2025, 7, 1)

    for certificate in certificates:
        assert certificate.valid_from == certificate.decision_date
        assert certificate.valid_until == default_valid_until(certificate.decision_date)
        assert re.fullmatch(r"\d+/QĐ-UBND", certificate.decision_number)
        if certificate.level is CertificationLevel.DISTRICT:
            assert certificate.stars == 3 and certificate.decision_date < reform
            assert re.fullmatch(r"UBND (huyện|thành phố|thị xã) .+", certificate.authority)
        else:
            assert certificate.level is CertificationLevel.PROVINCE
            assert certificate.authority == "UBND tỉnh Quảng Ngãi"
    assert {c.level for c in certificates} == {CertificationLevel.DISTRICT, CertificationLevel.PROVINCE}


def test_loading_again_changes_nothing(demo):
    before = row_counts()
    runner = demo.test_cli_runner()

    again = runner.invoke(args=["demo", "load"])
    quietly = runner.invoke(args=["demo", "load", "--if-empty"])

    assert again.exit_code == 0 and "already loaded" in again.output
    assert quietly.exit_code == 0 and quietly.output == ""
    assert row_counts() == before
    assert before["DemoDataset"] == 1


def test_if_empty_leaves_a_database_with_a_product_alone(app, make_product):
    make_product(name_vi="Nước mắm Sa Huỳnh của một chủ thể thật")
    db.session.commit()
    before = row_counts()

    result = app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])

    assert result.exit_code == 0 and result.output == ""
    assert row_counts() == before


def test_refuses_to_mix_demo_data_into_a_real_catalogue(app, make_product):
    make_product(name_vi="Nước mắm Sa Huỳnh của một chủ thể thật")
    db.session.commit()
    before = row_counts()
    media = set(Path(app.config["MEDIA_ROOT"]).rglob("*"))

    result = app.test_cli_runner().invoke(args=["demo", "load"])

    assert result.exit_code != 0
    assert "never mixed with real data" in result.output
    assert row_counts() == before
    assert set(Path(app.config["MEDIA_ROOT"]).rglob("*")) == media


def test_a_failure_half_way_leaves_nothing_in_the_database(app, monkeypatch):
    def broken_drawing(*args):
        raise OSError("No space left on device")

    monkeypatch.setattr(drawing, "product_picture", broken_drawing)

    result = app.test_cli_runner().invoke(args=["demo", "load"])

    assert result.exit_code != 0 and isinstance(result.exception, OSError)
    assert set(row_counts().values()) == {0}


def test_every_product_has_a_picture_stored_on_disk(demo):
    products = db.session.scalars(select(Product)).all()

    for product in products:
        assert 1 <= len(product.images) <= 2, product.slug
        for image in product.images:
            assert image.alt_vi and image.alt_en
            assert image.image.width <= 1200
            for width in image.image.widths:
                assert media_store().exists(rendition_name(image.image.key, width)), (product.slug, width)
    producers_with_logo = db.session.scalar(select(func.count()).where(Producer.logo_id.is_not(None)))
    assert 0 < producers_with_logo < len(db.session.scalars(select(Producer)).all())


def test_tourism_products_are_visited_not_shipped(demo):
    places = db.session.scalars(select(Product).where(Product.group == ProductGroup.TOURISM)).all()
    stars = stars_by_product([p.id for p in places])
    by_name = {p.name_vi: stars.get(p.id) for p in places}

    assert places
    assert all(not p.shippable and not p.sold_online and (p.price is None or p.price > 0) for p in places)
    assert by_name["Điểm du lịch Thành cổ Quảng Ngãi"] == 4
    assert by_name["Công viên di sản làng Gò Cỏ"] == 3


def test_every_product_speaks_both_languages_and_has_its_own_ascii_slug(demo):
    products = db.session.scalars(select(Product)).all()
    texts = ("name", "summary", "description", "story", "heritage", "unit")

    for product in products:
        for text in texts:
            assert getattr(product, f"{text}_vi") and getattr(product, f"{text}_en"), (product.slug, text)
        assert SLUG.match(product.slug), product.slug
        assert product.price is None or (isinstance(product.price, int) and product.price % 1000 == 0)
    assert len({p.slug for p in products}) == len(products)
    assert len({p.name_vi for p in products}) == len(products)
    assert len({p.name_en for p in products}) == len(products)
    assert any(p.stock == 0 and p.shippable for p in products)
    assert {p.group for p in products} == set(ProductGroup)


def test_the_provinces_typical_products_are_there(demo):
    names = " | ".join(db.session.scalars(select(Product.name_vi)))

    for typical in ("Tỏi Lý Sơn", "Tỏi đen Lý Sơn", "Hành tím Lý Sơn", "Quế Trà Bồng", "Tinh dầu quế Trà Bồng",
                    "Nhang quế Trà Bồng", "Mạch nha Thi Phổ", "Kẹo gương", "Đường phèn", "Muối hạt Sa Huỳnh",
                    "Nước mắm", "Nấm linh chi", "Thịt bò khô", "thổ cẩm Hrê", "Bánh tráng"):
        assert typical in names, typical


def test_places_are_the_provinces(demo):
    areas = db.session.scalars(select(Area)).all()
    districts = {a.name: a for a in areas if a.level is AreaLevel.FORMER_DISTRICT}
    communes = [a for a in areas if a.level is AreaLevel.COMMUNE]

    assert set(districts) == {"Quảng Ngãi", "Đức Phổ", "Ba Tơ", "Bình Sơn", "Lý Sơn", "Minh Long", "Mộ Đức",
                              "Nghĩa Hành", "Sơn Hà", "Sơn Tây", "Sơn Tịnh", "Trà Bồng", "Tư Nghĩa"}
    assert districts["Quảng Ngãi"].kind is AreaKind.CITY and districts["Đức Phổ"].kind is AreaKind.TOWN
    assert all(d.parent.level is AreaLevel.PROVINCE for d in districts.values())
    assert all(c.parent.level is AreaLevel.FORMER_DISTRICT for c in communes)
    assert [c.kind for c in districts["Lý Sơn"].children] == [AreaKind.SPECIAL_ZONE]
    assert all(SLUG.match(a.slug) for a in areas)
    assert {p.area.level for p in db.session.scalars(select(Producer))} == {AreaLevel.COMMUNE}


def test_producers_are_plausible(demo):
    producers = db.session.scalars(select(Producer)).all()

    assert all(re.fullmatch(r"0\d{9}", p.phone) for p in producers)
    assert all(p.story_vi and p.story_en and p.address for p in producers)
    assert all(SLUG.match(p.slug) for p in producers)
    assert any(p.craft_village is not None for p in producers)
    modern = sum(p.sells_through_modern_channels for p in producers)
    assert len(producers) / 2 <= modern < len(producers)
    prefixes = {ProducerType.ENTERPRISE: "Công ty ", ProducerType.COOPERATIVE: "HTX ",
                ProducerType.HOUSEHOLD: ("Hộ kinh doanh ", "Cơ sở ")}
    assert all(p.name.startswith(prefixes[p.type]) for p in producers)


def test_sales_points_are_in_the_province(demo):
    points = db.session.scalars(select(SalesPoint)).all()

    for point in points:
        assert 14.5 <= point.latitude <= 15.45 and 108.3 <= point.longitude <= 109.2, point.slug
        assert point.hours and point.name_en
        # Every point closes for Tết, and sells certified products of the province.
        assert any(e.closed and "Tết" in e.note_vi for e in point.exceptions), point.slug
        assert len(point.stock) >= 10, point.slug
        assert re.fullmatch(r"0\d{9}", point.phone)
        assert point.area.level is AreaLevel.COMMUNE


def test_every_sales_point_has_its_drawn_shop_front_with_renditions(demo):
    points = db.session.scalars(select(SalesPoint).order_by(SalesPoint.id)).all()
    keys = set()
    for point in points:
        assert point.photos, point.slug
        front = point.photos[0]
        assert front.alt_vi.startswith(f"Mặt tiền {point.name_vi}") and front.alt_en.startswith("The shop front of")
        assert (front.image.width, front.image.height) == drawing.PICTURE_SIZE
        for width in front.image.widths:
            assert media_store().exists(rendition_name(front.image.key, width))
        keys.add(front.image.key)
    assert len(keys) == len(points)  # each its own drawing: its name on the sign, its awning colour
    assert len(points[0].photos) == 2  # the provincial showroom shows its shelves inside too
