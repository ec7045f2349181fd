"""The office's lists find what is typed without tone marks; its lists and forms answer odd input with a 4xx
or store it cleaned, never with a 5xx."""
import re
import unicodedata

import pytest
from sqlalchemy import text

from storefront.catalog.models import Producer, Product
from storefront.extensions import db

from backoffice import admin_client, jpeg, producer_client  # noqa: F401  (fixtures)
from shared import ON_POSTGRES

TYPED = ["que tra bong", "QUE   TRA  BONG ", "Quế Trà Bồng", unicodedata.normalize("NFD", "quế trà bồng"), "tra bong"]


def linked_names(page: str, path: str) -> list[str]:
    return re.findall(rf'{path}/\d+">([^<]+)</a>', page)


@pytest.fixture
def cinnamon(make_product, make_producer):
    producer = make_producer(name="HTX Quế Đức Phổ")
    product = make_product(name_vi="Quế Trà Bồng", name_en="Trà Bồng cinnamon", producer=producer)
    make_product(name_vi="Tỏi Lý Sơn", name_en="Lý Sơn garlic")
    db.session.commit()
    return product


@pytest.mark.parametrize("typed", TYPED)
def test_the_products_list_finds_a_name_however_its_tone_marks_case_and_spaces_are_typed(admin_client, cinnamon,
                                                                                          typed):
    for lang in ("", "/en"):
        page = admin_client.get(f"{lang}/admin/products", query_string={"q": typed}).get_data(as_text=True)
        assert linked_names(page, "/admin/products") == ["Quế Trà Bồng"], (lang, typed)


def test_d_with_a_stroke_is_found_as_d_and_the_english_name_too(admin_client, cinnamon, make_product):
    make_product(name_vi="Đường phèn Quảng Ngãi", name_en="Rock sugar")
    db.session.commit()
    for typed in ("duong phen", "ĐƯỜNG PHÈN", "rock sugar"):
        page = admin_client.get("/admin/products", query_string={"q": typed}).get_data(as_text=True)
        assert linked_names(page, "/admin/products") == ["Đường phèn Quảng Ngãi"], typed
    page = admin_client.get("/admin/products", query_string={"q": "cinnamon"}).get_data(as_text=True)
    assert linked_names(page, "/admin/products") == ["Quế Trà Bồng"]


def test_a_renamed_product_is_found_by_its_new_name_only(admin_client, cinnamon):
    cinnamon.name_vi = "Tinh dầu quế Trà Bồng"
    db.session.commit()
    assert linked_names(admin_client.get("/admin/products?q=tinh+dau+que").get_data(as_text=True),
                        "/admin/products") == ["Tinh dầu quế Trà Bồng"]
    cinnamon.name_vi, cinnamon.name_en = "Bột quế", None
    db.session.commit()
    assert linked_names(admin_client.get("/admin/products?q=tinh+dau").get_data(as_text=True),
                        "/admin/products") == []
    # A change of price alone leaves the search text as it was.
    cinnamon.price = 1
    db.session.commit()
    assert linked_names(admin_client.get("/admin/products?q=bot+que").get_data(as_text=True),
                        "/admin/products") == ["Bột quế"]


def test_the_products_list_sorts_d_with_a_stroke_beside_d(admin_client, make_product):
    for name in ("Gạo lứt", "Dưa hấu", "Đường phèn", "Ếch đồng", "Bánh tráng"):
        make_product(name_vi=name)
    db.session.commit()
    page = admin_client.get("/admin/products?sort=name").get_data(as_text=True)
    assert linked_names(page, "/admin/products") == ["Bánh tráng", "Dưa hấu", "Đường phèn", "Ếch đồng", "Gạo lứt"]


@pytest.mark.parametrize("typed", TYPED[:4] + ["duc pho"])
def test_the_producers_list_finds_a_name_without_its_tone_marks(admin_client, cinnamon, make_producer, typed):
    make_producer(name="HTX Tỏi Lý Sơn")
    db.session.commit()
    typed = typed.replace("tra bong", "duc pho").replace("trà bồng", "đức phổ").replace("TRA  BONG", "DUC  PHO") \
        .replace("Trà Bồng", "Đức Phổ").replace(unicodedata.normalize("NFD", "trà bồng"),
                                              unicodedata.normalize("NFD", "đức phổ"))
    page = admin_client.get("/en/admin/producers", query_string={"q": typed}).get_data(as_text=True)
    assert linked_names(page, "/en/admin/producers") == ["HTX Quế Đức Phổ"], typed


@pytest.mark.parametrize("typed", TYPED)
def test_the_certificates_list_and_the_product_to_certify_are_found_without_tone_marks(admin_client, cinnamon,
                                                                                        typed):
    listed = admin_client.get("/en/admin/certificates/", query_string={"q": typed}).get_data(as_text=True)
    assert "Certificates found: 1" in listed and "Quế Trà Bồng" in listed and "Tỏi Lý Sơn" not in listed
    picked = admin_client.get("/admin/certificates/new", query_string={"q": typed}).get_data(as_text=True)
    assert f"/admin/certificates/new?product={cinnamon.id}" in picked and "Tỏi Lý Sơn" not in picked


def test_a_certificate_is_found_by_its_producer_and_its_number_without_tone_marks(admin_client, cinnamon,
                                                                                   make_certificate):
    certificate = make_certificate(cinnamon)
    certificate.number = "015/QĐ-UBND"
    db.session.commit()
    for typed in ("quế đức phổ", "que duc pho", "015/qd-ubnd", "015/QĐ-UBND"):
        page = admin_client.get("/en/admin/certificates/", query_string={"q": typed}).get_data(as_text=True)
        assert "Certificates found:" in page and "015/QĐ-UBND" in page, typed
    page = admin_client.get("/admin/certificates/new", query_string={"q": "que duc pho"}).get_data(as_text=True)
    assert f"/admin/certificates/new?product={cinnamon.id}" in page


def test_a_wildcard_typed_is_searched_for_as_itself(admin_client, cinnamon):
    for path in ("/en/admin/products", "/en/admin/producers", "/en/admin/certificates/"):
        page = admin_client.get(path, query_string={"q": "%"}).get_data(as_text=True)
        assert "Quế Trà Bồng" not in page, path
    assert "No product matches" in admin_client.get("/en/admin/certificates/new?q=_").get_data(as_text=True)


ODD_INPUT = [
    {"q": "\x00"}, {"q": "quế\x00trà"}, {"q": "x" * 10_000}, {"q": "\u202e\u0639\u0631\u0628\u064a"},
    {"q": "😀👩\u200d💻"}, "q=%ED%A0%80&actor=%ED%A0%80", "q=%FF%FE", {"page": "0"}, {"page": "-1"},
    {"page": "abc"}, {"page": ""},
    {"page": ["1", "2"]}, {"q": ["a", "b"]}, {"group": "99"}, {"group": "\x00"}, {"state": "zz"},
    {"status": "zz"}, {"type": "zz"}, {"sort": "zz"}, {"producer": "zz"}, {"producer": "\x00"},
    {"actor": "\x00"}, {"action": "\x00" * 3}, {"object_type": "x" * 500}, {"object_id": "9" * 30},
    {"object_id": "-1"}, {"since": "0001-01-01"}, {"until": "0001-01-01"}, {"since": "9999-12-31"},
    {"until": "9999-12-31"}, {"since": "\x00"}, {"product": "9" * 30}, {"product": "-3"}, {"product": "abc"},
    {"product": "٣"},
]
# Not here: "page=²" and huge page numbers, which the shared page parser (admin/paging.py) is to refuse.
LISTS = ["/admin/products", "/admin/producers", "/admin/certificates/", "/admin/certificates/new", "/admin/audit",
         "/admin/audit.csv", "/admin/moderation"]


@pytest.mark.parametrize("path", LISTS)
def test_odd_input_is_answered_without_a_server_error(admin_client, cinnamon, path):
    for lang in ("", "/en"):
        for args in ODD_INPUT:
            response = admin_client.get(lang + path, query_string=args)
            assert response.status_code < 500, (path, args, response.status_code)
            assert response.status_code in (200, 400, 404), (path, args, response.status_code)


ODD_TEXT = ["\x00", "Quế\x00 Trà\x07Bồng", "x" * 10_000, "\u202e\u0639\u0631\u0628\u064a", "😀👩\u200d💻"]
LISTING_TEXT = ("name_vi", "name_en", "summary_vi", "summary_en", "description_vi", "description_en", "story_vi",
                "story_en", "heritage_vi", "heritage_en", "unit_vi", "unit_en")


def product_form(product, **changes):
    return {"name_vi": product.name_vi, "name_en": "", "producer": product.producer.slug, "slug": product.slug,
            "group": "1", "subgroup": "processed", "price": "250.000", "stock": "12", "unit_vi": "Hộp",
            "unit_en": "", "summary_vi": "", "description_vi": "", "shippable": "y", "is_published": "y", **changes}


def producer_form(producer, **changes):
    return {"name": producer.name, "slug": producer.slug, "type": "cooperative", "area_id": str(producer.area_id),
            "address": "", "phone": "", "email": "", "website": "", "story_vi": "", "story_en": "",
            "craft_village_id": "", "is_published": "y", **changes}


def test_odd_text_in_the_office_and_producer_forms_is_refused_or_stored_clean(admin_client, producer_client,
                                                                              cinnamon, jpeg):
    import io

    from sqlalchemy import select

    from storefront.catalog.models import EditStatus, ListingEdit

    producer = producer_client(cinnamon.producer)
    answers = []
    for odd in ODD_TEXT:
        for name in ("name_vi", "name_en", "producer", "slug", "group", "subgroup", "price", "stock", "unit_vi",
                     "summary_vi", "description_en"):
            answers.append(admin_client.post(f"/admin/products/{cinnamon.id}",
                                             data=product_form(cinnamon, **{name: odd})).status_code)
            answers.append(admin_client.post("/admin/products/new",
                                             data=product_form(cinnamon, **{"slug": "", name: odd})).status_code)
        for name in ("name", "slug", "type", "area_id", "address", "phone", "email", "website", "story_vi",
                     "craft_village_id"):
            answers.append(admin_client.post(f"/admin/producers/{cinnamon.producer_id}",
                                             data=producer_form(cinnamon.producer, **{name: odd})).status_code)
        for name in ("name_vi", "summary_vi", "unit_en"):
            listing = {field: getattr(cinnamon, field) or "" for field in LISTING_TEXT}
            answers.append(producer.post(f"/producer/products/{cinnamon.id}/text",
                                         data={**listing, name: odd}).status_code)
        answers.append(producer.post(f"/producer/products/{cinnamon.id}/price-stock",
                                     data={"price": odd, "stock": odd}).status_code)
        for client, path in ((producer, "/producer"), (admin_client, "/admin")):
            answers.append(client.post(f"{path}/products/{cinnamon.id}/photos", content_type="multipart/form-data",
                                       data={"photo": (io.BytesIO(jpeg()), odd[:50] + ".jpg"), "alt_vi": odd,
                                             "alt_en": odd}).status_code)
    edit = db.session.scalar(select(ListingEdit).where(ListingEdit.status == EditStatus.PENDING))
    for odd in ODD_TEXT:
        answers.append(admin_client.post(f"/admin/moderation/{edit.id}/reject", data={"reason": odd}).status_code)
    assert set(answers) <= {200, 302, 400}, answers
    # What was stored keeps no control character.
    db.session.expire_all()
    stored = db.session.execute(text("SELECT name_vi, name_en, summary_vi, unit_vi FROM product")).all()
    assert not any("\x00" in (value or "") or "\x07" in (value or "") for row in stored for value in row)


def test_the_search_text_follows_every_writer_and_the_migration_fills_it(cinnamon):
    stored = db.session.execute(text("SELECT search_text FROM product WHERE id = :id"), {"id": cinnamon.id}).scalar()
    assert stored == f"que tra bong\ntra bong cinnamon\n{cinnamon.slug}"
    producer = db.session.get(Producer, cinnamon.producer_id)
    assert producer.search_text == f"htx que duc pho\n{producer.slug}"
    product = Product(slug="mach-nha", name_vi="  Mạch   nha Thi Phổ ", producer=producer, group=1,
                      subgroup="processed", stock=0)
    db.session.add(product)
    db.session.flush()
    assert product.search_text == "mach nha thi pho\nmach-nha"


def _logging_state():
    import logging

    root = logging.getLogger()
    loggers = {name: (logger.disabled, logger.level) for name, logger in logging.root.manager.loggerDict.items()
               if isinstance(logger, logging.Logger)}
    return list(root.handlers), root.level, loggers


def _restore_logging(state) -> None:
    import logging

    handlers, level, loggers = state
    root = logging.getLogger()
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, (disabled, logger_level) in loggers.items():
        logging.getLogger(name).disabled = disabled
        logging.getLogger(name).setLevel(logger_level)


@pytest.mark.skipif(ON_POSTGRES, reason="the migration's data step is the same on both; SQLite makes it cheap")
def test_the_migration_fills_the_search_text_of_existing_rows(tmp_path):
    from flask_migrate import upgrade

    from storefront import create_app
    from storefront.config import TestConfig

    app = create_app(type("MigrationConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}", "MEDIA_ROOT": str(tmp_path / "media"),
        "SEARCH_INDEX_DIR": str(tmp_path / "index")}))
    logging_before = _logging_state()  # alembic's env.py configures logging: put it back afterwards
    try:
        with app.app_context():
            upgrade(revision="e52dd0b30987")  # the schema before the search text
            connection = db.session.connection()
            connection.execute(text("INSERT INTO area (id, slug, name, level, kind) "
                                    "VALUES (1, 'tra-bong', 'Trà Bồng', 'commune', 'commune')"))
            connection.execute(text("INSERT INTO producer (id, slug, name, type, area_id, address, story_vi, "
                                    "sells_through_modern_channels, is_published, created_at) VALUES (1, 'htx-que', "
                                    "'HTX Quế Đức Phổ', 'cooperative', 1, '', '', 0, 1, '2026-01-01')"))
            connection.execute(text(
                'INSERT INTO product (id, slug, producer_id, "group", subgroup, name_vi, name_en, summary_vi, '
                "description_vi, story_vi, heritage_vi, unit_vi, stock, sold_online, shippable, is_published, "
                "created_at, updated_at) VALUES (1, 'que-tra-bong', 1, 3, 'essential_oils', 'Quế Trà Bồng', "
                "NULL, '', '', '', '', '', 0, 0, 1, 1, '2026-01-01', '2026-01-01')"))
            db.session.commit()
            upgrade(revision="b5a8bae5e612")
            connection = db.session.connection()
            assert connection.execute(text("SELECT search_text FROM product")).scalar() == "que tra bong\nque-tra-bong"
            assert connection.execute(text("SELECT search_text FROM producer")).scalar() == "htx que duc pho\nhtx-que"
            db.session.remove()
            db.engine.dispose()
    finally:
        _restore_logging(logging_before)
