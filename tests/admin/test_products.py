"""The OCOP office's products: create and edit with their refusals, publish and unpublish, the list."""
import re

import pytest
from sqlalchemy import func, select

from storefront.audit.models import AuditEntry
from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.search import index

from backoffice import admin_client  # noqa: F401  (fixture)


def product_form(owner, **changes):
    data = {"name_vi": "Tỏi đen Lý Sơn", "name_en": "Lý Sơn black garlic", "producer": owner.slug,
            "slug": "", "group": "1", "subgroup": "processed", "price": "250.000", "stock": "12",
            "unit_vi": "Hộp 200 g", "unit_en": "200 g box", "summary_vi": "Tỏi đen lên men.",
            "description_vi": "Đoạn một.\n\nĐoạn hai.", "shippable": "y", "sold_online": "y"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def products_named(name):
    return db.session.scalars(select(Product).where(Product.name_vi == name)).all()


def test_the_office_adds_a_product_which_waits_unpublished(admin_client, make_producer):
    producer = make_producer(name="HTX Tỏi Lý Sơn")
    db.session.commit()
    response = admin_client.post("/admin/products/new", data=product_form(producer))
    assert response.status_code == 302
    [product] = products_named("Tỏi đen Lý Sơn")
    assert response.location.endswith(f"/admin/products/{product.id}")
    assert (product.slug, product.price, product.stock, product.producer_id) == \
        ("toi-den-ly-son", 250_000, 12, producer.id)
    assert product.is_published is False and product.shippable is True
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "product.create"))
    assert entry.actor_label == "office@ocop.vn" and entry.object_id == product.id
    assert entry.changes["price"] == [None, 250_000]


@pytest.mark.parametrize("changes,field,message", [
    ({"name_vi": ""}, "name_vi", "Enter the product's name in Vietnamese."),
    ({"producer": "nobody-here"}, "producer", "No producer has this web address name."),
    ({"group": "6", "subgroup": "tourist_site", "shippable": "y"}, "shippable",
     "Tourism products (group 6) are places to visit: they cannot be shipped."),
    ({"group": "2", "subgroup": "processed"}, "subgroup", "Choose a sub-group of the product's group."),
    ({"group": "9"}, "group", "Choose one of the options."),
    ({"price": "abc"}, "price", "Enter a whole number, like 185000."),
    ({"price": "2000000000"}, "price", "Enter a price in đồng between 0 and 1.000.000.000."),
    ({"stock": ""}, "stock", "Enter the stock, 0 or more."),
    ({"slug": "Tỏi Đen!"}, "slug", "Use lower-case letters without tone marks, digits and hyphens only."),
])
def test_a_refused_product_says_why_beside_the_field_and_adds_nothing(admin_client, make_producer, changes,
                                                                       field, message):
    producer = make_producer()
    db.session.commit()
    response = admin_client.post("/en/admin/products/new", data=product_form(producer, **changes))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = re.search(rf'<p class="field__error" id="{field}-error">([^<]*)</p>', page)
    assert error and message in error.group(1).replace("&#39;", "'"), page[page.find("form-errors"):][:600]
    assert db.session.scalar(select(func.count()).select_from(Product)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_the_tourism_message_is_in_vietnamese_too(admin_client, make_producer):
    producer = make_producer()
    db.session.commit()
    response = admin_client.post("/admin/products/new", data=product_form(
        producer, group="6", subgroup="tourist_site", shippable="y"))
    assert response.status_code == 400
    assert "không thể gửi hàng" in response.get_data(as_text=True)


def test_a_tourism_product_is_saved_once_shipping_is_unticked(admin_client, make_producer):
    producer = make_producer()
    db.session.commit()
    response = admin_client.post("/admin/products/new", data=product_form(
        producer, name_vi="Thành cổ Châu Sa", group="6", subgroup="tourist_site", shippable=None, price=""))
    assert response.status_code == 302
    [site] = products_named("Thành cổ Châu Sa")
    assert (site.group, site.shippable, site.price) == (6, False, None)


def test_a_taken_web_address_is_refused(admin_client, make_product):
    existing = make_product(slug="toi-den-ly-son")
    db.session.commit()
    response = admin_client.post("/en/admin/products/new", data=product_form(existing.producer))
    assert response.status_code == 400
    assert "Another entry already uses this web address." in response.get_data(as_text=True)


def test_editing_changes_only_what_was_changed_and_records_it(admin_client, make_product):
    product = make_product(name_vi="Mạch nha", price=60_000)
    db.session.commit()
    form = product_form(product.producer, name_vi="Mạch nha Thi Phổ", slug=product.slug, price="65000",
                        stock="10", group="1", subgroup="processed")
    response = admin_client.post(f"/admin/products/{product.id}", data=form)
    assert response.status_code == 302
    db.session.refresh(product)
    assert (product.name_vi, product.price) == ("Mạch nha Thi Phổ", 65_000)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "product.update"))
    assert entry.changes["price"] == [60_000, 65_000]
    assert entry.changes["name_vi"] == ["Mạch nha", "Mạch nha Thi Phổ"]


def test_an_unknown_product_is_a_404(admin_client):
    assert admin_client.get("/admin/products/999").status_code == 404
    assert admin_client.post("/admin/products/999/publish").status_code == 404


def test_unpublishing_hides_the_page_the_catalogue_and_search_and_publishing_brings_them_back(
        admin_client, client, make_product):
    product = make_product(name_vi="Quế thanh Trà Bồng", stars=4)
    db.session.commit()
    index.rebuild()
    assert client.get(f"/products/{product.slug}").status_code == 200
    assert "Quế thanh Trà Bồng" in client.get("/products").get_data(as_text=True)
    assert f'href="/products/{product.slug}"' in client.get("/search?q=que+thanh").get_data(as_text=True)

    assert admin_client.post(f"/admin/products/{product.id}/unpublish").status_code == 302
    assert client.get(f"/products/{product.slug}").status_code == 404
    assert "Quế thanh Trà Bồng" not in client.get("/products").get_data(as_text=True)
    assert f'href="/products/{product.slug}"' not in client.get("/search?q=que+thanh").get_data(as_text=True)
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1)) \
        == "product.unpublish"

    assert admin_client.post(f"/admin/products/{product.id}/publish").status_code == 302
    assert client.get(f"/products/{product.slug}").status_code == 200
    assert "Quế thanh Trà Bồng" in client.get("/products").get_data(as_text=True)
    assert f'href="/products/{product.slug}"' in client.get("/search?q=que+thanh").get_data(as_text=True)


def test_the_list_searches_filters_sorts_and_pages_in_the_database(admin_client, make_product, make_producer):
    garlic_house = make_producer(name="HTX Tỏi")
    for number in range(55):
        make_product(name_vi=f"Tỏi {number:02d}", producer=garlic_house, price=1000 + number, stars=None)
    make_product(name_vi="Rượu Bàu Đá", group=2, subgroup="alcoholic", stars=None, is_published=False,
                 price=None)
    db.session.commit()
    first = admin_client.get("/en/admin/products?sort=price_desc").get_data(as_text=True)
    names = re.findall(r'/admin/products/\d+">([^<]+)</a>', first)
    assert len(names) == 50 and names[0] == "Tỏi 54"
    assert "56 entries" in first and "Page 1 of 2" in first
    second = admin_client.get("/en/admin/products?sort=price_desc&page=2").get_data(as_text=True)
    assert re.findall(r'/admin/products/\d+">([^<]+)</a>', second)[-1] == "Rượu Bàu Đá"  # no price: last
    found = admin_client.get("/admin/products?q=bàu").get_data(as_text=True)
    assert re.findall(r'/admin/products/\d+">([^<]+)</a>', found) == ["Rượu Bàu Đá"]
    drinks = admin_client.get("/admin/products?group=2&state=unpublished").get_data(as_text=True)
    assert re.findall(r'/admin/products/\d+">([^<]+)</a>', drinks) == ["Rượu Bàu Đá"]
    by_producer = admin_client.get(f"/en/admin/products?producer={garlic_house.slug}").get_data(as_text=True)
    assert "55 entries" in by_producer
    assert admin_client.get("/admin/products?sort=evil").status_code == 400
    assert admin_client.get("/admin/products?page=0").status_code == 400
    assert admin_client.get("/admin/products?page=9").status_code == 404
    assert admin_client.get("/admin/products?q=%25").status_code == 200  # a % is searched for, not a wildcard
    assert "0 entries" in admin_client.get("/en/admin/products?q=%25").get_data(as_text=True)


def test_forms_refuse_a_post_without_its_csrf_token(app, make_user, make_product):
    """With CSRF on (as in production): no token, no change; the form's own token works."""
    from storefront.accounts.models import Role

    product = make_product(name_vi="Bò một nắng", price=300_000)
    admin = make_user(role=Role.ADMIN)
    db.session.commit()
    client = app.test_client()
    sign_in_page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', sign_in_page).group(1)
    assert client.post("/sign-in", data={"email": admin.email, "password": "mật-khẩu-đủ-dài-1",
                                         "csrf_token": token}).status_code == 302
    form = product_form(product.producer, name_vi="Bò một nắng", slug=product.slug, price="1")
    response = client.post(f"/en/admin/products/{product.id}", data=form, csrf=False)
    assert response.status_code == 400
    assert client.post(f"/admin/products/{product.id}/unpublish", csrf=False).status_code == 400
    db.session.refresh(product)
    assert product.price == 300_000 and product.is_published
    page = client.get(f"/admin/products/{product.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(f"/admin/products/{product.id}", data={**form, "csrf_token": token}).status_code == 302
    db.session.refresh(product)
    assert product.price == 1
