"""The OCOP office's producers, sales points and places: create, edit, refuse, publish and unpublish."""
import pytest
from sqlalchemy import func, select

from storefront.areas.models import Area, AreaKind, AreaLevel
from storefront.audit.models import AuditEntry
from storefront.catalog.models import Producer
from storefront.extensions import db
from storefront.locator.models import SalesPoint

from backoffice import admin_client  # noqa: F401  (fixture)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- producers ---

def producer_form(area, **changes):
    data = {"name": "HTX Nước mắm Sa Huỳnh", "slug": "", "type": "cooperative", "area_id": str(area.id),
            "address": "Thôn Long Thạnh", "phone": "0255 3861 234", "email": "", "website": "https://sahuynh.vn",
            "story_vi": "Ba đời làm mắm.", "story_en": "", "craft_village_id": "", "is_published": "y"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_office_adds_a_producer(admin_client, make_area):
    commune = make_area(name="Sa Huỳnh", kind=AreaKind.WARD)
    db.session.commit()
    response = admin_client.post("/admin/producers/new", data=producer_form(commune))
    assert response.status_code == 302
    producer = db.session.scalar(select(Producer))
    assert (producer.slug, producer.phone, producer.area_id, producer.is_published) == \
        ("htx-nuoc-mam-sa-huynh", "02553861234", commune.id, True)
    assert db.session.scalar(select(AuditEntry.action)) == "producer.create"


@pytest.mark.parametrize("changes,message", [
    ({"name": ""}, "Enter the producer&#39;s name."),
    ({"type": "pirate"}, "Choose one of the options."),
    ({"phone": "123"}, "Enter a Vietnamese phone number"),
    ({"email": "not-an-email"}, "Enter an email address like name@example.com."),
    ({"website": "javascript:alert(1)"}, "Enter a web address starting with https://."),
])
def test_a_refused_producer_is_not_added(admin_client, make_area, changes, message):
    commune = make_area()
    db.session.commit()
    response = admin_client.post("/en/admin/producers/new", data=producer_form(commune, **changes))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page or message.replace("&#39;", "'") in page
    assert count(Producer) == 0


def test_a_producer_must_lie_in_a_commune_not_a_district(admin_client, make_area):
    district = make_area(level=AreaLevel.FORMER_DISTRICT)
    make_area(parent=district)
    db.session.commit()
    response = admin_client.post("/en/admin/producers/new", data=producer_form(district))
    assert response.status_code == 400
    assert count(Producer) == 0


def test_unpublishing_a_producer_hides_its_page_and_products(admin_client, client, make_product):
    product = make_product(name_vi="Mắm cá cơm", stars=4)
    producer = product.producer
    db.session.commit()
    assert client.get(f"/producers/{producer.slug}").status_code == 200
    assert admin_client.post(f"/admin/producers/{producer.id}/unpublish").status_code == 302
    assert client.get(f"/producers/{producer.slug}").status_code == 404
    assert client.get(f"/products/{product.slug}").status_code == 404
    assert "Mắm cá cơm" not in client.get("/products").get_data(as_text=True)
    assert admin_client.post(f"/admin/producers/{producer.id}/publish").status_code == 302
    assert client.get(f"/products/{product.slug}").status_code == 200
    assert [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))] == \
        ["producer.unpublish", "producer.publish"]


def test_the_producer_list_searches_and_filters(admin_client, make_producer):
    make_producer(name="Cơ sở Mạch nha Thi Phổ", type="household")
    make_producer(name="HTX Quế Trà Bồng")
    db.session.commit()
    page = admin_client.get("/en/admin/producers?q=mạch&type=household").get_data(as_text=True)
    assert "Cơ sở Mạch nha Thi Phổ" in page and "HTX Quế Trà Bồng" not in page
    assert admin_client.get("/admin/producers?type=pirate").status_code == 400


# --- sales points ---

def point_form(area, **changes):
    data = {"name_vi": "Điểm OCOP Lý Sơn", "name_en": "Lý Sơn OCOP point", "slug": "",
            "address": "Đường Đinh Tiên Hoàng",
            "area_id": str(area.id), "latitude": "15,3812", "longitude": "109.1186", "opening_hours_vi": "7:00–21:00",
            "opening_hours_en": "", "phone": "", "funding": "private", "description_vi": "", "description_en": ""}
    data.update(changes)
    return data


def test_the_office_adds_a_sales_point_which_waits_unpublished(admin_client, client, make_area):
    island = make_area(name="Lý Sơn", kind=AreaKind.SPECIAL_ZONE)
    db.session.commit()
    response = admin_client.post("/admin/sales-points/new", data=point_form(island))
    assert response.status_code == 302
    point = db.session.scalar(select(SalesPoint))
    assert (point.latitude, point.longitude, point.is_published) == (15.3812, 109.1186, False)
    assert client.get(f"/sales-points/{point.slug}").status_code == 404
    assert admin_client.post(f"/admin/sales-points/{point.id}/publish").status_code == 302
    assert client.get(f"/sales-points/{point.slug}").status_code == 200
    assert "Điểm OCOP Lý Sơn" in client.get("/sales-points").get_data(as_text=True)
    assert admin_client.post(f"/admin/sales-points/{point.id}/unpublish").status_code == 302
    assert "Điểm OCOP Lý Sơn" not in client.get("/sales-points").get_data(as_text=True)
    assert [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))] == \
        ["sales_point.create", "sales_point.publish", "sales_point.unpublish"]


@pytest.mark.parametrize("changes,field,message", [
    ({"latitude": "109.1186", "longitude": "15.3812"}, "latitude", "The latitude must lie in Vietnam"),
    ({"longitude": "-108.8"}, "longitude", "The longitude must lie in Vietnam"),
    ({"latitude": "north"}, "latitude", "Enter a number of degrees"),
    ({"latitude": "nan"}, "latitude", "Enter a number of degrees"),
    ({"latitude": ""}, "latitude", "Enter a number of degrees"),
    ({"name_vi": ""}, "name_vi", "Enter the sales point&#39;s name in Vietnamese."),
    ({"funding": "x"}, "funding", "Choose one of the options."),
])
def test_a_sales_point_outside_vietnam_or_incomplete_is_refused(admin_client, make_area, changes, field, message):
    commune = make_area()
    db.session.commit()
    response = admin_client.post("/en/admin/sales-points/new", data=point_form(commune, **changes))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert message in page or message.replace("&#39;", "'") in page
    assert count(SalesPoint) == 0


def test_editing_a_sales_point_records_the_moved_coordinates(admin_client, make_sales_point):
    point = make_sales_point(latitude=15.12, longitude=108.8)
    db.session.commit()
    response = admin_client.post(f"/admin/sales-points/{point.id}", data=point_form(
        point.area, name_vi=point.name_vi, slug=point.slug, latitude="15.1205", longitude="108.8046",
        funding="state_supported"))
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditEntry))
    assert entry.action == "sales_point.update" and entry.changes["latitude"] == [15.12, 15.1205]


# --- places ---

def test_the_office_adds_a_commune_under_its_former_district(admin_client, make_area):
    district = make_area(name="Bình Sơn", level=AreaLevel.FORMER_DISTRICT)
    db.session.commit()
    response = admin_client.post("/admin/areas/new", data={"name": "Vạn Tường", "slug": "", "level": "commune",
                                                         "kind": "commune", "parent_id": str(district.id)})
    assert response.status_code == 302
    commune = db.session.scalar(select(Area).where(Area.name == "Vạn Tường"))
    assert (commune.slug, commune.parent_id, commune.level) == ("van-tuong", district.id, AreaLevel.COMMUNE)
    assert db.session.scalar(select(AuditEntry.action)) == "area.create"


@pytest.mark.parametrize("changes,message", [
    ({"kind": "city"}, "This kind of place does not exist at that level."),
    ({"parent_id": ""}, "Choose the former district the commune or ward belongs to."),
    ({"name": ""}, "Enter the place&#39;s name."),
])
def test_a_place_in_the_wrong_spot_is_refused(admin_client, make_area, changes, message):
    district = make_area(level=AreaLevel.FORMER_DISTRICT)
    db.session.commit()
    before = count(Area)
    data = {"name": "Tịnh Khê", "slug": "", "level": "commune", "kind": "commune", "parent_id": str(district.id)}
    response = admin_client.post("/en/admin/areas/new", data={**data, **changes})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page or message.replace("&#39;", "'") in page
    assert count(Area) == before


def test_a_commune_cannot_be_put_under_another_commune(admin_client, make_area):
    commune, other = make_area(), make_area()
    db.session.commit()
    response = admin_client.post(f"/en/admin/areas/{commune.id}", data={
        "name": commune.name, "slug": commune.slug, "kind": "commune", "parent_id": str(other.id)})
    assert response.status_code == 400
    db.session.refresh(commune)
    assert commune.parent_id != other.id
