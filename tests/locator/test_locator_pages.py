"""The locator's pages, as a phone without JavaScript gets them: the server sorts, filters and explains."""
import re
from datetime import datetime

import pytest

from storefront.extensions import db
from storefront.locator import queries

from locating import KM_NORTH, ORIGIN

ORIGIN_QUERY = f"lat={ORIGIN[0]}&lng={ORIGIN[1]}"


def names(html: str) -> list[str]:
    return re.findall(r'class="place__name"><a href="[^"]+">([^<]+)</a>', html)


def distances(html: str) -> list[str]:
    return re.findall(r'class="place__distance">([^<]+)</p>', html)


@pytest.fixture
def three_points(point_at):
    far, near, middle = point_at(12, "Điểm xa"), point_at(0.5, "Điểm gần"), point_at(3, "Điểm giữa")
    db.session.commit()
    return near, middle, far


def test_the_list_is_sorted_nearest_first_by_the_server(client, three_points):
    html = client.get(f"/sales-points?{ORIGIN_QUERY}").get_data(as_text=True)
    assert names(html) == ["Điểm gần", "Điểm giữa", "Điểm xa"]
    # 0.5, 3 and 12 km north of the position, written the Vietnamese way.
    assert [d.replace("\u00a0", " ") for d in distances(html)] == ["cách 500 m", "cách 3,0 km", "cách 12 km"]
    english = client.get(f"/en/sales-points?{ORIGIN_QUERY}").get_data(as_text=True)
    assert [d.replace("\u00a0", " ") for d in distances(english)] == ["500 m away", "3.0 km away", "12 km away"]


def test_from_the_other_end_the_order_reverses(client, three_points):
    html = client.get(f"/sales-points?lat={ORIGIN[0] + 13 * KM_NORTH}&lng={ORIGIN[1]}").get_data(as_text=True)
    assert names(html) == ["Điểm xa", "Điểm giữa", "Điểm gần"]


def test_without_a_position_the_list_is_in_name_order_with_no_distance(client, three_points):
    html = client.get("/sales-points").get_data(as_text=True)
    assert names(html) == ["Điểm gần", "Điểm giữa", "Điểm xa"]
    assert distances(html) == []


def test_a_place_typed_without_tone_marks_sorts_from_that_place(client, point_at, make_area):
    from storefront.areas.models import AreaKind

    island = make_area(name="Lý Sơn", kind=AreaKind.SPECIAL_ZONE)
    island.latitude, island.longitude = ORIGIN[0] + 20 * KM_NORTH, ORIGIN[1]
    point_at(0, "Điểm đất liền")
    point_at(20.2, "Điểm trên đảo")
    db.session.commit()
    for typed in ("ly son", "Lý Sơn", "đặc khu lý sơn", "LY SON"):
        html = client.get("/sales-points", query_string={"near": typed}).get_data(as_text=True)
        assert names(html) == ["Điểm trên đảo", "Điểm đất liền"], typed
        assert "gần Đặc khu Lý Sơn trước" in html or "Lý Sơn" in html


@pytest.mark.parametrize("query, vietnamese, english", [
    ("lat=abc&lng=108.8", "vĩ độ và kinh độ", "latitude and a longitude in degrees"),
    ("lat=95&lng=108.8", "từ -90 đến 90", "between -90 and 90"),
    ("lat=48.85&lng=2.35", "ngoài Việt Nam", "outside Vietnam"),
    ("near=Atlantis", "Atlantis", "Atlantis"),
    ("district=khong-co", "không biết", "does not know"),
    ("group=9", "không biết", "does not know"),
])
def test_bad_input_gets_a_clear_message_in_the_visitors_language(client, three_points, query, vietnamese, english):
    response = client.get(f"/sales-points?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="problem" role="alert"' in html and vietnamese in html
    assert names(html) == ["Điểm gần", "Điểm giữa", "Điểm xa"]  # the list is still there, in name order
    english_html = client.get(f"/en/sales-points?{query}").get_data(as_text=True)
    assert english in english_html


def test_an_unknown_place_suggests_close_names(client, point_at, make_area):
    point_at(1, area=make_area(name="Tịnh Khê"))
    db.session.commit()
    html = client.get("/en/sales-points?near=tinh%20khee").get_data(as_text=True)
    assert "Did you mean: Tịnh Khê?" in html


def test_a_sales_point_that_does_not_exist_is_a_404_that_says_so(client):
    response = client.get("/sales-points/khong-co-diem-nay")
    assert response.status_code == 404
    assert "không có điểm bán" in response.get_data(as_text=True).lower()
    assert "no sales point" in client.get("/en/sales-points/khong-co-diem-nay").get_data(as_text=True)


def test_filters_by_district_commune_group_and_product(client, point_at, make_area, make_product):
    garlic, brocade = make_product(name_vi="Tỏi Lý Sơn"), make_product(name_vi="Thổ cẩm", group=4)
    district = make_area(name="Ba Tơ", level=queries.AreaLevel.FORMER_DISTRICT)
    commune = make_area(name="Ba Xa", parent=district)
    point_at(1, "Điểm tỏi", stock=[garlic])
    point_at(2, "Điểm thổ cẩm", stock=[brocade], area=commune)
    db.session.commit()
    assert names(client.get(f"/sales-points?district={district.slug}").get_data(as_text=True)) == ["Điểm thổ cẩm"]
    assert names(client.get(f"/sales-points?commune={commune.slug}").get_data(as_text=True)) == ["Điểm thổ cẩm"]
    assert names(client.get("/sales-points?group=1").get_data(as_text=True)) == ["Điểm tỏi"]
    html = client.get(f"/sales-points?product={garlic.slug}").get_data(as_text=True)
    assert names(html) == ["Điểm tỏi"] and "Tỏi Lý Sơn" in html


def test_a_card_has_phone_directions_products_and_whether_it_is_open(client, point_at, make_product, monkeypatch):
    garlic = make_product(name_vi="Tỏi đen", name_en="Black garlic", stars=4)
    point_at(1, "Điểm bán", phone="0905381246", stock=[garlic])
    db.session.commit()
    monkeypatch.setattr(queries, "now_local", lambda: datetime(2027, 2, 1, 20, 30))
    html = client.get(f"/en/sales-points?{ORIGIN_QUERY}").get_data(as_text=True)
    assert 'href="tel:+84905381246"' in html and "Call +84 905 381 246" in html  # dialable from abroad
    assert "https://www.google.com/maps/dir/?api=1&amp;destination=" in html
    assert "Black garlic" in html
    assert "Open now · closes at 21:00" in html
    monkeypatch.setattr(queries, "now_local", lambda: datetime(2027, 2, 1, 21, 0))
    assert "Closed now · opens tomorrow at 07:00" in client.get(f"/en/sales-points?{ORIGIN_QUERY}").get_data(as_text=True)


def test_a_product_whose_certificate_lapsed_is_not_listed_as_stocked(client, point_at, make_product):
    lapsed = make_product(name_vi="Nước mắm cũ", stars=None)
    point_at(1, "Điểm bán", stock=[lapsed])
    db.session.commit()
    assert "Nước mắm cũ" not in client.get("/sales-points").get_data(as_text=True)


def test_the_detail_page_has_hours_table_stock_and_a_static_map_fallback(client, point_at, make_product, monkeypatch):
    from storefront.locator import operations
    from datetime import date

    garlic = make_product(name_vi="Tỏi đen", name_en="Black garlic", stars=4)
    point = point_at(1, "Điểm bán", stock=[garlic])
    operations.add_exception(point, date(2027, 2, 6), closed=True, note_vi="Nghỉ Tết", note_en="Closed for Tết")
    db.session.commit()
    monkeypatch.setattr(queries, "now_local", lambda: datetime(2027, 2, 6, 10, 0))
    html = client.get(f"/en/sales-points/{point.slug}").get_data(as_text=True)
    assert "Closed now · opens tomorrow at 07:00" in html
    assert re.search(r"<th scope=\"row\">Saturday <span class=\"hours__tag\">\(today\)</span></th>\s*<td>Closed", html)
    assert "06/02/2027</strong> (Saturday): closed — Closed for Tết" in html
    assert "Black garlic" in html and "OCOP products sold here" in html
    assert "Open on OpenStreetMap" in html  # shown until (or unless) the map loads


def test_the_geojson_has_points_and_destinations_with_what_a_map_needs(client, point_at, make_destination):
    point = point_at(1, "Điểm bán", phone="0905381246")
    destination = make_destination()
    db.session.commit()
    response = client.get("/api/v1/sales-points.geojson")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    collection = response.get_json()
    assert collection["type"] == "FeatureCollection"
    by_kind = {f["properties"]["kind"]: f for f in collection["features"]}
    feature = by_kind["sales_point"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [round(point.longitude, 6), round(point.latitude, 6)]}
    assert feature["properties"]["phone"] == "0905381246"
    assert feature["properties"]["url"]["en"].endswith(f"/en/sales-points/{point.slug}")
    assert isinstance(feature["properties"]["open_now"], bool)
    assert by_kind["destination"]["properties"]["slug"] == destination.product.slug
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/v1/sales-points.geojson?kind=destination").get_json()["features"][0]["properties"]["kind"] \
        == "destination"
    assert client.get("/api/v1/sales-points.geojson?district=nowhere").status_code == 400


def test_the_product_page_says_where_to_buy_it_nearest_first(client, point_at, make_product):
    garlic = make_product(name_vi="Tỏi Lý Sơn")
    point_at(9, "Điểm xa", stock=[garlic])
    point_at(1, "Điểm gần", stock=[garlic])
    point_at(2, "Điểm không bán tỏi")
    db.session.commit()
    html = client.get(f"/products/{garlic.slug}?{ORIGIN_QUERY}").get_data(as_text=True)
    section = html.split('id="where-to-buy"')[1].split("</section>")[0]
    assert section.index("Điểm gần") < section.index("Điểm xa")
    assert "Điểm không bán tỏi" not in section
    assert "1,0\u00a0km" in section
    bad = client.get(f"/en/products/{garlic.slug}?lat=abc&lng=1").get_data(as_text=True)
    assert "latitude and a longitude in degrees" in bad


def test_a_tourism_product_page_offers_a_visit_not_a_cart(client, make_destination):
    destination = make_destination()
    db.session.commit()
    html = client.get(f"/en/products/{destination.product.slug}").get_data(as_text=True)
    assert 'id="visit"' in html and "Request a visit" in html and "Directions" in html
    assert "Where to buy in person" not in html
    assert "07:30–17:30" in html


def test_the_destinations_list(client, make_destination):
    make_destination(name_vi="Làng Gò Cỏ", latitude=14.66, longitude=109.07)
    make_destination(name_vi="Thành cổ Quảng Ngãi", latitude=15.1236, longitude=108.8012)
    db.session.commit()
    html = client.get(f"/destinations?{ORIGIN_QUERY}").get_data(as_text=True)
    assert names(html) == ["Thành cổ Quảng Ngãi", "Làng Gò Cỏ"]
    assert "2 điểm tham quan, gần bạn nhất trước" in html


def test_list_pages_are_cached_until_a_place_opens_or_closes(app, client, point_at, monkeypatch):
    from storefront.pagecache import PageCache

    point_at(1, "Điểm bán")
    db.session.commit()
    previous = app.extensions["page_cache"]
    app.extensions["page_cache"] = PageCache(size=50)
    try:
        monkeypatch.setattr(queries, "now_local", lambda: datetime(2027, 2, 1, 20, 59))
        assert "Đang mở cửa" in client.get("/sales-points").get_data(as_text=True)
        monkeypatch.setattr(queries, "now_local", lambda: datetime(2027, 2, 1, 21, 0))
        assert "Đang đóng cửa" in client.get("/sales-points").get_data(as_text=True)
        # A position is never stored: each would be a page of its own.
        client.get(f"/sales-points?{ORIGIN_QUERY}")
        assert not any("lat=" in key[-1] for key in app.extensions["page_cache"]._pages)
    finally:
        app.extensions["page_cache"] = previous


def test_a_sorted_page_built_from_its_cached_frame_is_the_page_itself(client, three_points, monkeypatch):
    from storefront.locator import views

    path = f"/en/sales-points?{ORIGIN_QUERY}&utm_source=zalo"
    fast = client.get(path).get_data(as_text=True)
    assert fast == client.get(path).get_data(as_text=True)  # the second from the frame kept
    monkeypatch.setattr(views, "_cacheable_request", lambda: False)  # rendered in full, as for a signed-in visitor
    assert client.get(path).get_data(as_text=True) == fast
    assert views.SENTINEL[0] not in fast and f'name="lat" value="{ORIGIN[0]}"' in fast
    assert f"lat={ORIGIN[0]}" in fast.split('hreflang="vi"')[1].split(">")[0]
